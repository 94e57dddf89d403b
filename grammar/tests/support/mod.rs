//! Shared helpers of the grammar tests: the corpus, the reference parser's
//! verdict, and byte-by-byte replays through the grammar's masks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use synoema_compiler::{parse, Kind};
use synoema_grammar::{byte_tok_env, CompiledGrammar, GrammarConstraint};

/// The Core 1 grammar compiled for bytes, shared by every test of a binary.
pub fn compiled() -> Arc<CompiledGrammar> {
    static COMPILED: OnceLock<Arc<CompiledGrammar>> = OnceLock::new();
    COMPILED
        .get_or_init(|| match CompiledGrammar::new(byte_tok_env()) {
            Ok(c) => c,
            Err(e) => panic!("the grammar does not compile: {e}"),
        })
        .clone()
}

/// The byte token for `b` in [`byte_tok_env`].
pub fn tok(b: u8) -> u32 {
    u32::from(b)
}

/// Every `.sno` file of the compiler's corpus and the examples, sorted.
pub fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["compiler/test_data", "examples"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sno") {
            out.push(path);
        }
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The reference parser accepts `src` (no diagnostic at all).
pub fn parses(src: &str) -> bool {
    parse::parse(src).1.is_empty()
}

/// Offset of the first syntax or layout diagnostic of the reference parser.
pub fn first_syntax_error(src: &str) -> Option<usize> {
    first_syntax_diagnostic(src).map(|(at, _)| at)
}

/// The first syntax or layout diagnostic: its offset and message.
pub fn first_syntax_diagnostic(src: &str) -> Option<(usize, String)> {
    parse::parse(src)
        .1
        .into_iter()
        .filter(|d| matches!(d.kind, Kind::Syntax | Kind::Layout))
        .min_by_key(|d| d.span.start)
        .map(|d| (d.span.start as usize, d.message))
}

/// Diagnostics that the parser places on an earlier token than the one
/// where no continuation is possible any more: an unclosed bracket is
/// reported at the bracket, a missing piece at the end of the line before.
/// A byte-level mask can only see these at the next line holding code.
pub fn reported_before_dead_end(message: &str) -> bool {
    ["unclosed", "must end with an expression", "found a new line", "found the end of the block", "found the end of the file", "expected an indented block"]
        .iter()
        .any(|m| message.contains(m))
}

/// The first line after `line` that holds code (not blank, not only a
/// comment), or the last line.
pub fn next_code_line(src: &str, line: usize) -> usize {
    let lines: Vec<&str> = src.split('\n').collect();
    for (i, text) in lines.iter().enumerate().skip(line) {
        let t = text.trim_start_matches(' ');
        if !t.is_empty() && !t.starts_with("--") {
            return i + 1;
        }
    }
    lines.len()
}

/// 1-based line of a byte offset.
pub fn line_of(src: &str, offset: usize) -> usize {
    1 + src.as_bytes().iter().take(offset).filter(|&&b| b == b'\n').count()
}

/// How a byte-by-byte replay ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Replay {
    /// Every byte allowed and EOS allowed at the end.
    Accepted,
    /// The byte at this offset was masked.
    RejectedAt(usize),
    /// Every byte allowed, but EOS not allowed at the end.
    Incomplete,
}

/// Replays `src` byte by byte; with `full_masks` every step computes the
/// whole mask (and checks it agrees with the single-token check).
pub fn replay(src: &str, full_masks: bool) -> Replay {
    let compiled = compiled();
    let mut c = GrammarConstraint::new(&compiled);
    for (i, b) in src.bytes().enumerate() {
        let ok = c.check_token(tok(b)).expect("check_token failed");
        if full_masks {
            let mask = c.compute_mask().expect("compute_mask failed");
            assert_eq!(mask.is_allowed(tok(b)), ok, "mask and check disagree at byte {i} of {src:?}");
        }
        if !ok {
            return Replay::RejectedAt(i);
        }
        c.commit_token(tok(b)).expect("commit failed");
    }
    if c.is_complete().expect("is_complete failed") {
        Replay::Accepted
    } else {
        Replay::Incomplete
    }
}

/// Where a replay rejected: the masked byte, or for an incomplete program
/// its last byte that is not a space or a line break.
pub fn rejection_offset(src: &str, r: &Replay) -> Option<usize> {
    match r {
        Replay::Accepted => None,
        Replay::RejectedAt(i) => Some(*i),
        Replay::Incomplete => Some(src.trim_end_matches([' ', '\n']).len().saturating_sub(1)),
    }
}
