//! Diagnostics as data: a kind, a message, a primary span and an optional
//! hint. Every phase returns them; this module alone renders them, rustc-like
//! for people and as JSON records for tools and repair loops.

use crate::span::{LineIndex, Span};
use serde::Serialize;
use std::fmt::Write as _;

/// The family of a compile error, as shown in `error[KIND]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Syntax,
    Layout,
    Scope,
    Type,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Syntax => "syntax",
            Kind::Layout => "layout",
            Kind::Scope => "scope",
            Kind::Type => "type",
        }
    }
}

/// One compile error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: Kind,
    pub message: String,
    pub span: Span,
    /// A short suggestion shown under the source line (`help: ...`).
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { kind, message: message.into(), span, hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

/// The JSON form of a diagnostic (`synoema check --json`).
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end: EndPos,
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndPos {
    pub line: u32,
    pub column: u32,
}

/// Turns diagnostics for one source text into text or records.
pub struct Renderer<'a> {
    file: &'a str,
    src: &'a str,
    index: LineIndex,
}

impl<'a> Renderer<'a> {
    pub fn new(file: &'a str, src: &'a str) -> Renderer<'a> {
        Renderer { file, src, index: LineIndex::new(src) }
    }

    pub fn record(&self, d: &Diagnostic) -> Record {
        let start = self.index.line_col(self.src, d.span.start);
        let end = self.index.line_col(self.src, d.span.end);
        Record {
            file: self.file.to_string(),
            line: start.line,
            column: start.col,
            end: EndPos { line: end.line, column: end.col },
            kind: d.kind,
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }

    /// rustc-style text: a header line `FILE:LINE:COL: error[KIND]: message`,
    /// then the source line with carets under the span, then the hint.
    pub fn render(&self, d: &Diagnostic) -> String {
        let start = self.index.line_col(self.src, d.span.start);
        let end = self.index.line_col(self.src, d.span.end);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}:{}:{}: error[{}]: {}",
            self.file,
            start.line,
            start.col,
            d.kind.as_str(),
            d.message
        );
        let line_text = self.index.line_text(self.src, start.line);
        let gutter = start.line.to_string().len();
        let shown: String = line_text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{} | {}", start.line, shown);
        let width = if end.line == start.line { end.col.saturating_sub(start.col).max(1) } else {
            (shown.chars().count() as u32 + 1).saturating_sub(start.col).max(1)
        };
        let _ = writeln!(
            out,
            "{:gutter$} | {}{}",
            "",
            " ".repeat(start.col as usize - 1),
            "^".repeat(width as usize)
        );
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "{:gutter$} = help: {}", "", hint);
        }
        out
    }

    pub fn render_all(&self, diags: &[Diagnostic]) -> String {
        diags.iter().map(|d| self.render(d)).collect::<Vec<_>>().join("\n")
    }
}

/// Sorts diagnostics by position and drops exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by_key(|d| (d.span.start, d.span.end, d.kind));
    diags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_header_source_line_caret_and_hint() {
        let src = "main =\n  1 + true\n";
        let d = Diagnostic::new(Kind::Type, Span::new(13, 17), "expected Int, found Bool")
            .with_hint("`+` needs two numbers of one type");
        let text = Renderer::new("a.sno", src).render(&d);
        assert_eq!(
            text,
            "a.sno:2:7: error[type]: expected Int, found Bool\n  |\n2 |   1 + true\n  |       ^^^^\n  = help: `+` needs two numbers of one type\n"
        );
    }
}
