//! The lexer: source text to tokens, with the layout rules of LANGUAGE.md §2
//! already resolved into `Newline`, `Indent` and `Dedent` tokens.
//!
//! Strings and comments never span lines, so the lexer works one line at a
//! time: `Lexer::scan` turns the text of a line into raw tokens, then
//! `Layout::line` decides from the line's indentation which layout tokens
//! go in front of them. Lexical errors are `Kind::Syntax`, indentation errors
//! `Kind::Layout`; after either the lexer keeps going, so one run reports
//! every problem of the file.
//!
//! Layout, as agreed for Core 1:
//! - a stack of blocks, each with the indentation of its items (top level 0);
//!   blank and comment-only lines are ignored;
//! - after a line that ends with a block opener (`=` at bracket depth 0 of an
//!   item that is not a type definition or alias) the next line must sit at
//!   exactly the item's indentation + 2 and opens a block (`Indent`);
//! - a line at the block's indentation starts a new item (`Newline`), unless
//!   the block is not the top level and the line starts with `:` (the
//!   `: else` continuation);
//! - a deeper line continues the current item (no token);
//! - a shallower line closes blocks (`Dedent` each) and must then sit exactly
//!   at an enclosing block's indentation.

use super::token::{DocComment, Lexed, StrSeg, Token, TokenKind};
use crate::diagnostic::{Diagnostic, Kind};
use crate::span::Span;

/// Blocks nest at most this deep (LANGUAGE.md §2 rule 5; top level is 0).
pub const MAX_BLOCK_DEPTH: usize = 8;

/// Interpolations nest at most this deep (`"${"${...}"}"`). Not a language
/// rule: a bound so that no input can exhaust the lexer's stack.
const MAX_INTERP_DEPTH: u32 = 32;

/// Lexes a whole source file.
pub fn lex(src: &str) -> (Lexed, Vec<Diagnostic>) {
    let (lexed, diags, _) = lex_mode(src, false);
    (lexed, diags)
}

/// Lexes `src` as a whole file or, with `prefix`, as the beginning of one
/// (see [`lex_prefix`]); also returns the layout state at the end.
fn lex_mode(src: &str, prefix: bool) -> (Lexed, Vec<Diagnostic>, Layout) {
    lex_mode_from(src, prefix, None)
}

/// [`lex_mode`], resuming after the complete lines `from` has lexed (they
/// must be the start of `src`).
fn lex_mode_from(src: &str, prefix: bool, from: Option<&LinesLexed>) -> (Lexed, Vec<Diagnostic>, Layout) {
    let mut lexer = Lexer::new(src);
    lexer.prefix = prefix;
    let (mut layout, mut tokens, line_start) = match from {
        Some(state) => {
            lexer.diags = state.diags.clone();
            lexer.docs = state.docs.clone();
            lexer.pending_docs = state.pending_docs.clone();
            lexer.cr_reported = state.cr_reported;
            (state.layout.clone(), state.tokens.clone(), state.len)
        }
        None => (Layout::new(), Vec::new(), 0),
    };
    layout.prefix = prefix;
    layout.end_of_input = src.len();
    lex_lines(&mut lexer, &mut layout, &mut tokens, line_start, false);
    lexer.attach_docs(src.len() as u32);
    layout.finish(&mut tokens, &mut lexer.diags);
    if let Some((kind, at)) = lexer.pending_op.take() {
        layout.pending_op = Some((kind, at));
    }
    (Lexed { tokens, docs: lexer.docs }, lexer.diags, layout)
}

/// Lexes the lines of the lexer's text from `line_start` on (a line ends
/// at its line break or at the end of the text; with `complete_only`, a
/// last line without a line break is left alone), putting the layout
/// tokens in front of each. Returns where the first line not lexed starts.
fn lex_lines(lexer: &mut Lexer, layout: &mut Layout, tokens: &mut Vec<Token>, mut line_start: usize, complete_only: bool) -> usize {
    let src = lexer.src;
    while line_start <= src.len() {
        let line_end = match src[line_start..].find('\n') {
            Some(i) => line_start + i,
            None if complete_only => break,
            None => src.len(),
        };
        lexer.tab_reported = false;
        lexer.skipped_end = 0;
        let mut pos = line_start;
        let mut line = Vec::new();
        lexer.scan(&mut pos, line_end, 0, &mut line);
        if let Some(first) = line.first() {
            lexer.attach_docs(first.span.start);
            let indent = first.span.start as usize - line_start;
            // A tab in the indentation is already reported; the line's
            // indentation is then unknowable, so layout stays quiet about it.
            let tabbed = src[line_start..first.span.start as usize].contains('\t');
            let mut layout_diags = Vec::new();
            // Text skipped after the last token (a bad character) means the
            // line does not really end with `=`.
            let junk_after = lexer.skipped_end > line.last().map_or(0, |t| t.span.end as usize);
            layout.line(indent, &line, junk_after, tokens, &mut layout_diags);
            if !tabbed {
                lexer.diags.extend(layout_diags);
            }
            tokens.extend(line);
        }
        line_start = line_end + 1;
    }
    line_start
}

/// The lexer's state after the complete lines of a text (up to its last
/// line break): what [`lex_prefix_from`] needs to lex a longer text that
/// starts with them without reading those lines again. Lines are lexed
/// one at a time and strings and comments never span them, so a complete
/// line lexes the same whatever follows it.
#[derive(Clone)]
pub struct LinesLexed {
    /// The bytes covered: the text up to and including its last line break.
    len: usize,
    tokens: Vec<Token>,
    diags: Vec<Diagnostic>,
    docs: Vec<DocComment>,
    pending_docs: Vec<String>,
    cr_reported: bool,
    layout: Layout,
}

impl LinesLexed {
    /// Lexes the complete lines of `src` in prefix mode.
    pub fn new(src: &str) -> LinesLexed {
        let mut lexer = Lexer::new(src);
        lexer.prefix = true;
        let mut layout = Layout::new();
        layout.prefix = true;
        let mut tokens = Vec::new();
        let len = lex_lines(&mut lexer, &mut layout, &mut tokens, 0, true);
        LinesLexed {
            len,
            tokens,
            diags: lexer.diags,
            docs: lexer.docs,
            pending_docs: lexer.pending_docs,
            cr_reported: lexer.cr_reported,
            layout,
        }
    }

    /// The bytes covered (the text up to and including its last line break).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// One way the end of a prefix may be read: the token stream (ending with
/// `Eof` at the right edge) and, when the last token is a word that may
/// still grow, its span (`fo` may become `foldl`).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub tokens: Vec<Token>,
    pub partial: Option<Span>,
    /// The offset of the edge: the end of the input, or one less when the
    /// last `-` is read as the start of a comment.
    pub edge: u32,
}

/// Lexes the beginning of a source file (prefix mode): whatever more text
/// can still repair is not an error — an unterminated string, character or
/// interpolation, a cut-off escape, `1.5e`, a reserved word that may grow,
/// a trailing `!` or `&`, a pending block opener. Blocks stay open and the
/// stream ends with `Eof` at the end of the input, the right edge.
///
/// Returns the readings of the right edge that no error rules out: the
/// alternative final lexemes (`<` may be `<`, `<=` or `<-`; `12.` may be
/// `12.5` or `12` then `..`), or after a line break the layout tokens still
/// possible (a new item at an open block's level, a continuation, a block
/// after an opener). No reading means a dead end; the diagnostics say why
/// (each is an error no continuation repairs).
pub fn lex_prefix(src: &str) -> (Vec<Reading>, Vec<Diagnostic>) {
    lex_prefix_from(src, None)
}

/// [`lex_prefix`], resuming after complete lines lexed before: `from` must
/// have been made from a text that `src` starts with (its first
/// `from.len()` bytes). The result is the same as without it.
pub fn lex_prefix_from(src: &str, from: Option<&LinesLexed>) -> (Vec<Reading>, Vec<Diagnostic>) {
    let from = from.filter(|f| f.len <= src.len() && src.as_bytes().get(f.len.wrapping_sub(1)) == Some(&b'\n'));
    let (mut readings, diags) = lex_readings(src, from);
    if !diags.is_empty() {
        readings.retain(|r| r.edge as usize != src.len());
    }
    (readings, diags)
}

fn lex_readings(src: &str, from: Option<&LinesLexed>) -> (Vec<Reading>, Vec<Diagnostic>) {
    let (lexed, diags, layout) = lex_mode_from(src, true, from);
    let mut tokens = lexed.tokens;
    let edge = src.len();
    let eof = tokens.pop().unwrap_or(Token { kind: TokenKind::Eof, span: Span::at(edge) });
    let line_start = src.rfind('\n').map_or(0, |i| i + 1);
    let last_line_has_tokens = tokens.last().is_some_and(|t| t.span.end as usize > line_start);
    let mut readings = Vec::new();
    if let Some((kind, at)) = layout.pending_op.clone() {
        if !last_line_has_tokens && !layout.pending_continues(at.saturating_sub(line_start), line_start > 0) {
            return (readings, diags);
        }
        let mut with_op = tokens.clone();
        let op = Token { kind, span: Span::new(at, edge) };
        with_innermost(&mut with_op, edge, &mut |list| list.insert_before_eof(op.clone()));
        with_op.push(eof);
        readings.push(Reading { tokens: with_op, partial: None, edge: edge as u32 });
        return (readings, diags);
    }
    if line_start > 0 && !last_line_has_tokens && !tokens.is_empty() {
        // The spaces typed on the line so far constrain nothing: the line
        // may still become a comment line, which layout ignores.
        for layout_tokens in layout.pending_line(0) {
            let mut t = tokens.clone();
            t.extend(layout_tokens.into_iter().map(|kind| Token { kind, span: Span::at(layout.last_end as usize) }));
            t.push(eof.clone());
            readings.push(Reading { tokens: t, partial: None, edge: edge as u32 });
        }
        return (readings, diags);
    }
    let finals = final_lexeme_readings(src, &tokens);
    let count = finals.len();
    for (i, (replacement, partial)) in finals.into_iter().enumerate() {
        let comment = replacement.as_ref().is_some_and(|(remove, with)| *remove == 1 && with.is_empty());
        let before_minus = edge.checked_sub(1).and_then(|end| src.get(line_start..end));
        let alone = before_minus.is_some_and(|before| before.bytes().all(|b| b == b' '));
        if comment && alone {
            // A final `-` alone on its line that starts a comment: the line
            // is a comment line, which layout ignores.
            if let Some(shorter) = edge.checked_sub(1).and_then(|end| src.get(..end)) {
                let (more, more_diags) = lex_readings(shorter, from.filter(|f| f.len <= shorter.len()));
                if more_diags.is_empty() {
                    readings.extend(more);
                }
            }
            continue;
        }
        // The last reading takes the stream itself; the others a copy.
        let mut t = if i + 1 == count { std::mem::take(&mut tokens) } else { tokens.clone() };
        if let Some((remove, with)) = replacement {
            with_innermost(&mut t, edge, &mut |list| {
                for _ in 0..remove {
                    list.pop_before_eof();
                }
                for tok in &with {
                    list.insert_before_eof(tok.clone());
                }
            });
        }
        t.push(eof.clone());
        readings.push(Reading { tokens: t, partial, edge: edge as u32 });
    }
    (readings, diags)
}

/// A token list that may end with `Eof` (an interpolation's) or not (the
/// main stream while readings are built).
trait TokenList {
    fn insert_before_eof(&mut self, tok: Token);
    fn pop_before_eof(&mut self);
}

impl TokenList for Vec<Token> {
    fn insert_before_eof(&mut self, tok: Token) {
        let at = if self.last().is_some_and(|t| t.kind == TokenKind::Eof) { self.len() - 1 } else { self.len() };
        self.insert(at, tok);
    }

    fn pop_before_eof(&mut self) {
        if self.last().is_some_and(|t| t.kind == TokenKind::Eof) {
            let len = self.len();
            if len >= 2 {
                self.remove(len - 2);
            }
        } else {
            self.pop();
        }
    }
}

/// The index of a string token holding an interpolation left open by the
/// end of the input, if the list ends with one.
fn open_interp_at(tokens: &[Token], edge: usize) -> Option<usize> {
    let i = tokens.iter().rposition(|t| t.kind != TokenKind::Eof)?;
    let open = matches!(&tokens[i].kind, TokenKind::Str(segs)
        if matches!(segs.last(), Some(StrSeg::Interp(_, span)) if span.end as usize == edge));
    open.then_some(i)
}

/// The innermost token list still open at the edge (the main stream, or the
/// tokens of an interpolation left open by the end of the input), and
/// whether it is an interpolation's.
fn innermost(tokens: &[Token], edge: usize) -> (&[Token], bool) {
    if let Some(i) = open_interp_at(tokens, edge) {
        if let TokenKind::Str(segs) = &tokens[i].kind {
            if let Some(StrSeg::Interp(inner, _)) = segs.last() {
                return (innermost(inner, edge).0, true);
            }
        }
    }
    (tokens, false)
}

/// Runs `f` on the innermost open token list (see [`innermost`]).
fn with_innermost(tokens: &mut Vec<Token>, edge: usize, f: &mut dyn FnMut(&mut Vec<Token>)) {
    if let Some(i) = open_interp_at(tokens, edge) {
        if let TokenKind::Str(segs) = &mut tokens[i].kind {
            if let Some(StrSeg::Interp(inner, _)) = segs.last_mut() {
                return with_innermost(inner, edge, f);
            }
        }
    }
    f(tokens)
}

/// Alternatives for the lexeme that ends the input: each is
/// `(Some((tokens to remove, tokens to put instead)), partial word span)`,
/// or `(None, None)` to keep the stream as lexed.
type LexemeReading = (Option<(usize, Vec<Token>)>, Option<Span>);

fn final_lexeme_readings(src: &str, tokens: &[Token]) -> Vec<LexemeReading> {
    use TokenKind::*;
    let edge = src.len();
    let (list, in_interp) = innermost(tokens, edge);
    let real: Vec<&Token> = list.iter().filter(|t| t.kind != Eof).collect();
    let keep = vec![(None, None)];
    let Some(last) = real.last() else { return keep };
    if last.span.end as usize != edge {
        return keep;
    }
    let span = last.span;
    let text = src.get(span.start as usize..span.end as usize).unwrap_or("");
    let one = |kind: TokenKind| Token { kind, span };
    let swap = |kinds: &[TokenKind]| -> Vec<LexemeReading> {
        kinds.iter().map(|k| (Some((1, vec![one(k.clone())])), None)).collect()
    };
    match &last.kind {
        Lower(_) | True | False | Type | Test if !text.starts_with('_') => {
            let mut out: Vec<LexemeReading> = vec![(Some((1, vec![one(Lower(text.to_string()))])), Some(span))];
            for (word, kind) in [("true", True), ("false", False), ("type", Type), ("test", Test)] {
                if word.starts_with(text) {
                    out.push((Some((1, vec![one(kind)])), None));
                }
            }
            out
        }
        Upper(_) => vec![(None, Some(span))],
        Int(_) => {
            let fits = text.parse::<i64>().is_ok();
            let mut out = Vec::new();
            if fits {
                out.push((None, None));
            }
            out.push((Some((1, vec![one(Float(0.0))])), None));
            out
        }
        Dot => {
            let mut out = swap(&[Dot, DotDot, Ellipsis]);
            let glued_int = real.len() >= 2
                && matches!(real[real.len() - 2].kind, Int(_))
                && real[real.len() - 2].span.end == span.start;
            if glued_int {
                let whole = real[real.len() - 2].span.to(span);
                out.push((Some((2, vec![Token { kind: Float(0.0), span: whole }])), None));
            }
            out
        }
        DotDot => swap(&[DotDot, Ellipsis]),
        Lt => swap(&[Lt, Le, LArrow]),
        Minus => {
            let mut out = swap(&[Minus, Arrow]);
            if !in_interp {
                // `--` starts a comment: the minus disappears.
                out.push((Some((1, Vec::new())), None));
            }
            out
        }
        Bar => swap(&[Bar, Pipe, OrOr]),
        Star => swap(&[Star, StarStar]),
        Plus => swap(&[Plus, PlusPlus]),
        Gt => swap(&[Gt, Ge, Compose]),
        Eq => swap(&[Eq, EqEq]),
        _ => keep,
    }
}

/// Raw tokenisation of one line (or of one interpolation inside it).
struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    diags: Vec<Diagnostic>,
    docs: Vec<DocComment>,
    /// Doc comment texts waiting for the next token, which they attach to.
    pending_docs: Vec<String>,
    /// A tab is reported once per line, a carriage return once per file:
    /// a file with CRLF line ends has one problem, not one per line.
    tab_reported: bool,
    cr_reported: bool,
    /// End of the last stretch of text skipped as erroneous on this line.
    skipped_end: usize,
    /// Prefix mode (see [`lex_prefix`]): problems that more text can still
    /// repair are not reported when they reach the end of the input.
    prefix: bool,
    /// Prefix mode: a `!` or `&` that ends the input (it must grow into
    /// `!=` or `&&`), with its offset.
    pending_op: Option<(TokenKind, usize)>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str) -> Lexer<'s> {
        Lexer {
            src,
            bytes: src.as_bytes(),
            diags: Vec::new(),
            docs: Vec::new(),
            pending_docs: Vec::new(),
            tab_reported: false,
            cr_reported: false,
            skipped_end: 0,
            prefix: false,
            pending_op: None,
        }
    }

    /// In prefix mode, whether offset `i` is at (or past) the end of the
    /// input, where the text may still grow.
    fn at_input_end(&self, i: usize) -> bool {
        self.prefix && i >= self.src.len()
    }

    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(Kind::Syntax, Span::new(start, end), message));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn attach_docs(&mut self, offset: u32) {
        for text in self.pending_docs.drain(..) {
            self.docs.push(DocComment { text, attaches_to: offset });
        }
    }

    /// Reports a tab or carriage return at `i` (outside literals).
    fn bad_whitespace(&mut self, i: usize) {
        let (reported, message, hint) = if self.byte(i) == b'\t' {
            (&mut self.tab_reported, "tab character", "indent with spaces; tabs are not allowed outside string literals")
        } else {
            (&mut self.cr_reported, "carriage return", "use `\\n` line ends (convert CRLF to LF)")
        };
        if !*reported {
            *reported = true;
            self.diags.push(Diagnostic::new(Kind::Layout, Span::new(i, i + 1), message).with_hint(hint));
        }
    }

    /// The char starting at byte `i` (which is on a char boundary).
    fn char_at(&self, i: usize) -> char {
        self.src.get(i..).and_then(|s| s.chars().next()).unwrap_or('\0')
    }

    /// Scans tokens from `*pos` up to `end` (the end of the line). Inside an
    /// interpolation (`interp > 0`) it stops before the `}` that closes it
    /// and returns true; otherwise it returns false at the end of the line.
    fn scan(&mut self, pos: &mut usize, end: usize, interp: u32, out: &mut Vec<Token>) -> bool {
        let mut braces = 0u32;
        while *pos < end {
            let start = *pos;
            let b = self.byte(start);
            let simple = |kind: TokenKind, len: usize| (kind, len);
            let (kind, len) = match b {
                b' ' => {
                    *pos += 1;
                    continue;
                }
                b'\t' | b'\r' => {
                    self.bad_whitespace(start);
                    *pos += 1;
                    continue;
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    out.push(self.word(pos));
                    continue;
                }
                b'0'..=b'9' => {
                    out.push(self.number(pos));
                    continue;
                }
                b'\'' => {
                    match self.char_lit(pos, end) {
                        Some(tok) => out.push(tok),
                        None => self.skipped_end = *pos,
                    }
                    continue;
                }
                b'"' => {
                    out.push(self.string(pos, end, interp));
                    continue;
                }
                b'-' if self.byte(start + 1) == b'-' => {
                    if interp > 0 {
                        self.error(start, start + 2, "a comment cannot appear inside an interpolation `${...}`");
                        *pos += 2;
                    } else {
                        self.comment(pos, end);
                    }
                    continue;
                }
                b'{' if interp > 0 => {
                    braces += 1;
                    simple(TokenKind::LBrace, 1)
                }
                b'}' if interp > 0 => {
                    if braces == 0 {
                        return true;
                    }
                    braces -= 1;
                    simple(TokenKind::RBrace, 1)
                }
                _ if b >= 0x80 => {
                    let c = self.char_at(start);
                    let len = c.len_utf8().max(1);
                    self.error(start, start + len, format!("non-ASCII character `{c}` outside a string"))
                        .hint = Some("only string literals, character literals and comments may hold non-ASCII text".into());
                    *pos += len;
                    self.skipped_end = *pos;
                    continue;
                }
                _ => match self.operator(start) {
                    Some(found) => found,
                    None if matches!(b, b'!' | b'&') && self.at_input_end(start + 1) => {
                        // `!` and `&` at the end of a prefix still become `!=` and `&&`.
                        let kind = if b == b'!' { TokenKind::NotEq } else { TokenKind::AndAnd };
                        self.pending_op = Some((kind, start));
                        *pos += 1;
                        continue;
                    }
                    None => {
                        let c = b as char;
                        let d = self.error(start, start + 1, format!("unexpected character `{}`", c.escape_default()));
                        d.hint = match c {
                            '!' => Some("negation is `not x`; inequality is `!=`".into()),
                            '&' => Some("logical and is `&&`".into()),
                            ';' => Some("statements are separated by new lines".into()),
                            '$' => Some("`$` only appears inside strings, as `${expr}`".into()),
                            _ => None,
                        };
                        *pos += 1;
                        self.skipped_end = *pos;
                        continue;
                    }
                },
            };
            *pos += len;
            out.push(Token { kind, span: Span::new(start, start + len) });
        }
        false
    }

    /// Operators and punctuation, longest match first.
    fn operator(&self, i: usize) -> Option<(TokenKind, usize)> {
        use TokenKind::*;
        let (b0, b1, b2) = (self.byte(i), self.byte(i + 1), self.byte(i + 2));
        if (b0, b1, b2) == (b'.', b'.', b'.') {
            return Some((Ellipsis, 3));
        }
        let two = match (b0, b1) {
            (b'|', b'>') => Some(Pipe),
            (b'|', b'|') => Some(OrOr),
            (b'&', b'&') => Some(AndAnd),
            (b'=', b'=') => Some(EqEq),
            (b'!', b'=') => Some(NotEq),
            (b'<', b'=') => Some(Le),
            (b'>', b'=') => Some(Ge),
            (b'+', b'+') => Some(PlusPlus),
            (b'*', b'*') => Some(StarStar),
            (b'>', b'>') => Some(Compose),
            (b'.', b'.') => Some(DotDot),
            (b'-', b'>') => Some(Arrow),
            (b'<', b'-') => Some(LArrow),
            _ => None,
        };
        if let Some(kind) = two {
            return Some((kind, 2));
        }
        let one = match b0 {
            b'<' => Lt,
            b'>' => Gt,
            b':' => Colon,
            b'+' => Plus,
            b'-' => Minus,
            b'*' => Star,
            b'/' => Slash,
            b'%' => Percent,
            b'.' => Dot,
            b'=' => Eq,
            b'\\' => Backslash,
            b'?' => Question,
            b'|' => Bar,
            b',' => Comma,
            b'(' => LParen,
            b')' => RParen,
            b'[' => LBracket,
            b']' => RBracket,
            b'{' => LBrace,
            b'}' => RBrace,
            b'@' => At,
            _ => return None,
        };
        Some((one, 1))
    }

    /// `--` to the end of the line; `---` (not followed by another `-`)
    /// is a documentation comment.
    fn comment(&mut self, pos: &mut usize, end: usize) {
        let start = *pos;
        for i in start..end {
            if matches!(self.byte(i), b'\t' | b'\r') {
                self.bad_whitespace(i);
            }
        }
        *pos = end;
        let is_doc = self.byte(start + 2) == b'-' && self.byte(start + 3) != b'-';
        if is_doc {
            let text = self.src.get(start + 3..end).unwrap_or("");
            let text = text.strip_prefix(' ').unwrap_or(text).trim_end_matches('\r');
            self.pending_docs.push(text.to_string());
        }
    }

    /// Identifiers, keywords and `_`.
    fn word(&mut self, pos: &mut usize) -> Token {
        let start = *pos;
        let mut end = start + 1;
        while is_word_byte(self.byte(end)) {
            end += 1;
        }
        *pos = end;
        let text = &self.src[start..end];
        let span = Span::new(start, end);
        let first = self.byte(start);
        let kind = if first == b'_' {
            if end == start + 1 {
                TokenKind::Underscore
            } else {
                self.error(start, end, format!("`{text}` is not a valid name"))
                    .hint = Some("names start with a letter; a lone `_` is the wildcard pattern".into());
                TokenKind::Lower(text.to_string())
            }
        } else if first.is_ascii_uppercase() {
            TokenKind::Upper(text.to_string())
        } else {
            match text {
                "true" => TokenKind::True,
                "false" => TokenKind::False,
                "type" => TokenKind::Type,
                "test" => TokenKind::Test,
                _ => {
                    if super::token::RESERVED_WORDS.contains(&text) && !self.at_input_end(end) {
                        self.error(start, end, format!("`{text}` is reserved"))
                            .hint = Some("reserved words cannot be used as names in Core 1; pick another name".into());
                    }
                    TokenKind::Lower(text.to_string())
                }
            }
        };
        Token { kind, span }
    }

    /// Integer and float literals, and the errors of numbers glued to words.
    fn number(&mut self, pos: &mut usize) -> Token {
        let start = *pos;
        let mut end = start;
        while self.byte(end).is_ascii_digit() {
            end += 1;
        }
        let int_end = end;
        let is_float = self.byte(end) == b'.' && self.byte(end + 1).is_ascii_digit();
        if is_float {
            end += 1;
            while self.byte(end).is_ascii_digit() {
                end += 1;
            }
            let (e, sign) = (self.byte(end), self.byte(end + 1));
            let exp_digits_at = if sign == b'+' || sign == b'-' { end + 2 } else { end + 1 };
            if (e == b'e' || e == b'E') && self.byte(exp_digits_at).is_ascii_digit() {
                end = exp_digits_at;
                while self.byte(end).is_ascii_digit() {
                    end += 1;
                }
            }
        }
        let text = &self.src[start..end];
        let span = Span::new(start, end);
        *pos = end;
        if is_float && self.prefix && is_partial_exponent(&self.src[end..]) {
            // `1.5e` or `1.5e-` at the end of a prefix: the exponent's digits may follow.
            *pos = self.src.len();
            return Token { kind: TokenKind::Float(0.0), span: Span::new(start, self.src.len()) };
        }
        if is_word_byte(self.byte(end)) {
            // The literal runs into a word: report the whole glued run.
            let mut bad_end = end;
            while is_word_byte(self.byte(bad_end)) {
                bad_end += 1;
            }
            *pos = bad_end;
            let next = self.byte(end);
            let d = self.error(start, bad_end, format!("number `{}` runs into `{}`", text, &self.src[end..bad_end]));
            d.hint = Some(if !is_float && (next == b'e' || next == b'E') {
                "a float needs digits on both sides of a point, as in `1.0e5`".into()
            } else {
                "separate a number from a name with a space".into()
            });
            return Token { kind: TokenKind::Int(0), span: Span::new(start, bad_end) };
        }
        if self.byte(start) == b'0' && int_end > start + 1 {
            self.error(start, int_end, format!("number `{}` has a leading zero", &self.src[start..int_end]))
                .hint = Some("write integers without leading zeros".into());
        }
        if is_float {
            let value = text.parse::<f64>().unwrap_or(0.0);
            if !value.is_finite() {
                self.error(start, end, format!("float literal `{text}` is too large"));
                return Token { kind: TokenKind::Float(0.0), span };
            }
            Token { kind: TokenKind::Float(value), span }
        } else {
            match text.parse::<i64>() {
                Ok(value) => Token { kind: TokenKind::Int(value), span },
                // At the end of a prefix a long integer part may still become a float.
                Err(_) if self.at_input_end(end) => Token { kind: TokenKind::Int(0), span },
                Err(_) => {
                    self.error(start, end, format!("integer literal `{text}` does not fit in 64 bits"))
                        .hint = Some("integers range from -9223372036854775808 to 9223372036854775807".into());
                    Token { kind: TokenKind::Int(0), span }
                }
            }
        }
    }

    /// An escape after a backslash at `*pos`; advances past it.
    fn escape(&mut self, pos: &mut usize, end: usize) -> Option<char> {
        let start = *pos;
        if self.at_input_end(end) && self.partial_escape(start, end) {
            // The escape is cut off by the end of a prefix; its value does not matter.
            *pos = end;
            return None;
        }
        let c = if start + 1 < end { self.char_at(start + 1) } else { '\0' };
        *pos = start + 1 + if start + 1 < end { c.len_utf8() } else { 0 };
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '0' => Some('\0'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            '\'' => Some('\''),
            '$' => Some('$'),
            _ => None,
        };
        if simple.is_some() {
            return simple;
        }
        if c == 'u' && self.byte(start + 2) == b'{' {
            let digits_start = start + 3;
            let mut i = digits_start;
            while i < end && self.byte(i).is_ascii_hexdigit() {
                i += 1;
            }
            let closed = i < end && self.byte(i) == b'}';
            let count = i - digits_start;
            *pos = if closed { i + 1 } else { i };
            if !closed || count == 0 || count > 6 {
                self.error(start, *pos, "a unicode escape is `\\u{H}` with 1 to 6 hex digits");
                return None;
            }
            let value = u32::from_str_radix(&self.src[digits_start..i], 16).unwrap_or(u32::MAX);
            return match char::from_u32(value) {
                Some(ch) => Some(ch),
                None => {
                    self.error(start, *pos, format!("`\\u{{{:x}}}` is not a Unicode scalar value", value))
                        .hint = Some("surrogates (D800-DFFF) and values above 10FFFF are not characters".into());
                    None
                }
            };
        }
        let shown = if start + 1 < end { c.to_string() } else { String::new() };
        self.error(start, *pos, format!("unknown escape `\\{shown}`"))
            .hint = Some("escapes are \\n \\t \\r \\0 \\\\ \\\" \\' \\$ and \\u{H..H}".into());
        None
    }

    /// Prefix mode: whether the text from the backslash at `start` to `end`
    /// is the beginning of a valid escape (`\\`, `\\u`, `\\u{1F`).
    fn partial_escape(&self, start: usize, end: usize) -> bool {
        let rest = self.src.get(start + 1..end).unwrap_or("");
        match rest.strip_prefix('u') {
            None => rest.is_empty(),
            Some("") => true,
            Some(braced) => braced
                .strip_prefix('{')
                .is_some_and(|digits| digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_hexdigit())),
        }
    }

    /// A character literal `'c'`.
    fn char_lit(&mut self, pos: &mut usize, end: usize) -> Option<Token> {
        let start = *pos;
        let mut i = start + 1;
        let partial = Token { kind: TokenKind::Char('a'), span: Span::new(start, end) };
        if i >= end {
            *pos = end;
            if self.at_input_end(end) {
                return Some(partial);
            }
            self.error(start, end, "unterminated character literal");
            return None;
        }
        let value = match self.byte(i) {
            b'\\' => self.escape(&mut i, end),
            b'\'' => {
                *pos = i + 1;
                self.error(start, i + 1, "empty character literal").hint =
                    Some("a quote character is written `'\\''`".into());
                return None;
            }
            _ => {
                let c = self.char_at(i);
                i += c.len_utf8();
                Some(c)
            }
        };
        if i < end && self.byte(i) == b'\'' {
            *pos = i + 1;
            return value.map(|c| Token { kind: TokenKind::Char(c), span: Span::new(start, i + 1) });
        }
        if i >= end && self.at_input_end(end) {
            // One character (or a cut-off escape) so far: the quote may follow.
            *pos = end;
            return Some(partial);
        }
        // No closing quote right after one character: either several
        // characters (`'ab'`) or a stray quote (`x'`).
        match self.src[i..end].find('\'') {
            Some(off) => {
                *pos = i + off + 1;
                self.error(start, *pos, "a character literal holds exactly one character")
                    .hint = Some("use double quotes for a string".into());
            }
            None => {
                *pos = i;
                self.error(start, i, "unterminated character literal")
                    .hint = Some("names cannot contain `'`; a character is written `'c'`".into());
            }
        }
        None
    }

    /// A string literal with its escapes decoded and its interpolations
    /// lexed into token lists.
    fn string(&mut self, pos: &mut usize, end: usize, interp: u32) -> Token {
        let start = *pos;
        let mut i = start + 1;
        let mut segs = Vec::new();
        let mut text = String::new();
        loop {
            if i >= end && self.at_input_end(end) {
                break;
            }
            if i >= end {
                self.error(start, end, "unterminated string literal")
                    .hint = Some("a string ends on the line where it starts; close it with `\"`".into());
                break;
            }
            match self.byte(i) {
                b'"' => {
                    i += 1;
                    break;
                }
                b'\\' => {
                    if let Some(c) = self.escape(&mut i, end) {
                        text.push(c);
                    }
                }
                b'$' if self.byte(i + 1) == b'{' => {
                    if !text.is_empty() {
                        segs.push(StrSeg::Text(std::mem::take(&mut text)));
                    }
                    if interp + 1 > MAX_INTERP_DEPTH {
                        self.error(i, end, "string interpolations nested too deeply");
                        i = end;
                        break;
                    }
                    let expr_start = i + 2;
                    i = expr_start;
                    let mut tokens = Vec::new();
                    let errors_before = self.diags.len();
                    let closed = self.scan(&mut i, end, interp + 1, &mut tokens);
                    tokens.push(Token { kind: TokenKind::Eof, span: Span::at(i) });
                    segs.push(StrSeg::Interp(tokens, Span::new(expr_start, i)));
                    if closed {
                        i += 1;
                    } else {
                        // An unterminated string inside is the same mistake.
                        if self.diags.len() == errors_before && !self.at_input_end(end) {
                            self.error(expr_start - 2, end, "unterminated interpolation `${`")
                                .hint = Some("close the interpolation with `}` and the string with `\"`".into());
                        }
                        break;
                    }
                }
                b'$' if self.at_input_end(i + 1) => {
                    // `$` ending a prefix must become `${`: an interpolation
                    // opens, with nothing in it yet.
                    if !text.is_empty() {
                        segs.push(StrSeg::Text(std::mem::take(&mut text)));
                    }
                    i = end;
                    segs.push(StrSeg::Interp(vec![Token { kind: TokenKind::Eof, span: Span::at(end) }], Span::at(end)));
                    break;
                }
                b'$' => {
                    self.error(i, i + 1, "a `$` in a string must start an interpolation `${...}`")
                        .hint = Some("write `\\$` for a dollar sign".into());
                    text.push('$');
                    i += 1;
                }
                _ => {
                    let c = self.char_at(i);
                    text.push(c);
                    i += c.len_utf8().max(1);
                }
            }
        }
        if !text.is_empty() {
            segs.push(StrSeg::Text(text));
        }
        *pos = i;
        Token { kind: TokenKind::Str(segs), span: Span::new(start, i) }
    }
}

/// The layout state: the open blocks and what the current item of each
/// looks like so far.
#[derive(Clone)]
struct Layout {
    blocks: Vec<Block>,
    /// The `=` that ended the previous line, when it opens a block.
    opener: Option<Span>,
    /// End of the last real token, where layout tokens are placed (so that
    /// "found a new line" points at the end of the line before).
    last_end: u32,
    /// Prefix mode: the blocks stay open at the end and the stream ends
    /// with `Eof` at the end of the input (the right edge).
    prefix: bool,
    /// Prefix mode: a `!` or `&` ending the input (see `Lexer::pending_op`).
    pending_op: Option<(TokenKind, usize)>,
    /// The length of the input.
    end_of_input: usize,
}

#[derive(Clone)]
struct Block {
    /// Indentation of the block's items.
    indent: usize,
    /// Bracket depth of the current item (reset at each new item).
    depth: i64,
    /// The current item is a type definition or alias: it owns no block.
    no_blocks: bool,
}

impl Block {
    fn new(indent: usize) -> Block {
        Block { indent, depth: 0, no_blocks: false }
    }
}

impl Layout {
    fn new() -> Layout {
        Layout { blocks: vec![Block::new(0)], opener: None, last_end: 0, prefix: false, pending_op: None, end_of_input: 0 }
    }

    fn top(&mut self) -> &mut Block {
        let last = self.blocks.len() - 1;
        &mut self.blocks[last]
    }

    fn push(&self, out: &mut Vec<Token>, kind: TokenKind) {
        out.push(Token { kind, span: Span::at(self.last_end as usize) });
    }

    /// Emits the layout tokens in front of a non-blank line and updates the
    /// item state with the line's tokens.
    fn line(&mut self, indent: usize, line: &[Token], junk_after: bool, out: &mut Vec<Token>, diags: &mut Vec<Diagnostic>) {
        let first = line[0].span;
        let starts_colon = line[0].kind == TokenKind::Colon;
        let mut new_item = false;
        let n = self.top().indent;
        let mut handled = false;
        if let Some(eq) = self.opener.take() {
            if indent > n {
                if indent != n + 2 {
                    diags.push(block_indent_error(first, n + 2));
                }
                if self.blocks.len() > MAX_BLOCK_DEPTH {
                    diags.push(
                        Diagnostic::new(Kind::Layout, eq, format!("blocks nest more than {MAX_BLOCK_DEPTH} deep"))
                            .with_hint("move the inner definitions to the top level"),
                    );
                }
                self.blocks.push(Block::new(indent));
                self.push(out, TokenKind::Indent);
                handled = true;
            } else {
                diags.push(block_indent_error(first, n + 2));
            }
        }
        if !handled {
            if indent > n && out.is_empty() {
                diags.push(
                    Diagnostic::new(Kind::Layout, first, "top-level items start at column 1")
                        .with_hint("remove the indentation of the first line"),
                );
                new_item = true;
            } else if indent < n {
                while self.blocks.len() > 1 && indent < self.top().indent {
                    self.blocks.pop();
                    self.push(out, TokenKind::Dedent);
                }
                let n = self.top().indent;
                if indent != n {
                    diags.push(
                        Diagnostic::new(Kind::Layout, first, "this line is not aligned with any enclosing block")
                            .with_hint(format!(
                                "a line after a block must start at the indentation of an enclosing block's items (column {})",
                                n + 1
                            )),
                    );
                    new_item = true;
                } else {
                    new_item = !(n > 0 && starts_colon);
                }
            } else if indent == n {
                new_item = !(n > 0 && starts_colon);
            }
            if new_item {
                let top = self.top();
                top.depth = 0;
                top.no_blocks = matches!(line[0].kind, TokenKind::Upper(_) | TokenKind::Type);
                if !out.is_empty() {
                    self.push(out, TokenKind::Newline);
                }
            }
        }
        if handled {
            // The first line of a new block starts its first item.
            let top = self.top();
            top.no_blocks = matches!(line[0].kind, TokenKind::Upper(_) | TokenKind::Type);
        }
        let top = self.top();
        for tok in line {
            match tok.kind {
                TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => top.depth += 1,
                TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => top.depth -= 1,
                _ => {}
            }
        }
        let last = &line[line.len() - 1];
        if last.kind == TokenKind::Eq && top.depth <= 0 && !top.no_blocks && !junk_after {
            self.opener = Some(last.span);
        }
        self.last_end = last.span.end;
    }

    /// Prefix mode, at the start of a line holding nothing yet (`spaces`
    /// typed so far): the layout tokens the line may still produce. A
    /// pending opener allows only its block; otherwise a continuation (no
    /// token), a new item at any open block's level at least `spaces` deep
    /// (closing the deeper blocks), or a `: else` line at a block's level.
    fn pending_line(&self, spaces: usize) -> Vec<Vec<TokenKind>> {
        let n = self.blocks.last().map_or(0, |b| b.indent);
        if self.opener.is_some() {
            if spaces <= n + 2 && self.blocks.len() <= MAX_BLOCK_DEPTH {
                return vec![vec![TokenKind::Indent]];
            }
            return Vec::new();
        }
        let mut out = vec![Vec::new()];
        for (depth, block) in self.blocks.iter().enumerate().rev() {
            if block.indent < spaces {
                break;
            }
            let dedents = vec![TokenKind::Dedent; self.blocks.len() - 1 - depth];
            let mut new_item = dedents.clone();
            new_item.push(TokenKind::Newline);
            out.push(new_item);
            if block.indent > 0 && !dedents.is_empty() {
                out.push(dedents);
            }
        }
        out
    }

    /// Prefix mode: whether a line whose first character (a `!` or `&`,
    /// which must grow into an operator) sits at column `indent` can
    /// continue the current item. `after_break` tells that the line is not
    /// the first of the input.
    fn pending_continues(&self, indent: usize, after_break: bool) -> bool {
        let n = self.blocks.last().map_or(0, |b| b.indent);
        after_break && self.opener.is_none() && indent > n
    }

    /// Closes every open block and ends the token stream.
    fn finish(&mut self, out: &mut Vec<Token>, diags: &mut Vec<Diagnostic>) {
        if self.prefix {
            out.push(Token { kind: TokenKind::Eof, span: Span::at(self.end_of_input) });
            return;
        }
        if let Some(eq) = self.opener.take() {
            diags.push(
                Diagnostic::new(Kind::Layout, eq, "expected an indented block after `=`")
                    .with_hint("write the body on the same line, or on the next line indented by 2 more spaces"),
            );
        }
        while self.blocks.len() > 1 {
            self.blocks.pop();
            self.push(out, TokenKind::Dedent);
        }
        self.push(out, TokenKind::Eof);
    }
}

/// `e`, `E`, `e+`, `E-`...: an exponent cut off before its digits.
fn is_partial_exponent(rest: &str) -> bool {
    let mut bytes = rest.bytes();
    matches!(bytes.next(), Some(b'e' | b'E')) && matches!(bytes.next(), None | Some(b'+' | b'-')) && bytes.next().is_none()
}

fn block_indent_error(at: Span, indent: usize) -> Diagnostic {
    Diagnostic::new(Kind::Layout, at, format!("expected a block indented to column {}", indent + 1)).with_hint(format!(
        "a definition whose `=` ends its line owns a block indented {indent} spaces, 2 more than the definition's line"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let (lexed, diags) = lex(src);
        assert!(diags.is_empty(), "unexpected diagnostics for {src:?}: {diags:?}");
        lexed.tokens.into_iter().map(|t| t.kind).collect()
    }

    fn errors(src: &str) -> Vec<(Kind, String)> {
        lex(src).1.into_iter().map(|d| (d.kind, d.message)).collect()
    }

    fn lower(s: &str) -> TokenKind {
        Lower(s.into())
    }

    fn one_error(src: &str, kind: Kind, needle: &str) {
        let errs = errors(src);
        assert_eq!(errs.len(), 1, "expected one error for {src:?}, got {errs:?}");
        assert_eq!(errs[0].0, kind, "{src:?}: {errs:?}");
        assert!(errs[0].1.contains(needle), "{src:?}: {errs:?} lacks {needle:?}");
    }

    #[test]
    fn identifiers_keywords_and_wildcard() {
        assert_eq!(
            kinds("foo Bar x_1 _ true false type test"),
            vec![lower("foo"), Upper("Bar".into()), lower("x_1"), Underscore, True, False, Type, Test, Eof]
        );
    }

    #[test]
    fn reserved_words_are_errors() {
        for w in ["mod", "use", "import", "trait", "impl", "derive", "lazy", "prop", "when"] {
            one_error(&format!("x = {w}"), Kind::Syntax, &format!("`{w}` is reserved"));
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("0 42 1.5 0.25e3 2.0E-2"), vec![Int(0), Int(42), Float(1.5), Float(250.0), Float(0.02), Eof]);
        assert_eq!(kinds("9223372036854775807"), vec![Int(i64::MAX), Eof]);
        assert_eq!(kinds("[1..n]"), vec![LBracket, Int(1), DotDot, lower("n"), RBracket, Eof]);
        assert_eq!(kinds("1.x"), vec![Int(1), Dot, lower("x"), Eof]);
        assert_eq!(kinds("-3"), vec![Minus, Int(3), Eof]);
    }

    #[test]
    fn number_errors() {
        one_error("9223372036854775808", Kind::Syntax, "does not fit");
        one_error("007", Kind::Syntax, "leading zero");
        one_error("1e5", Kind::Syntax, "runs into");
        one_error("1.5e", Kind::Syntax, "runs into");
        one_error("2x", Kind::Syntax, "runs into");
        one_error("1_000", Kind::Syntax, "runs into");
        one_error("_x", Kind::Syntax, "not a valid name");
        one_error("1.0e999", Kind::Syntax, "too large");
    }

    #[test]
    fn operators_use_maximal_munch() {
        assert_eq!(kinds("a<-1"), vec![lower("a"), LArrow, Int(1), Eof]);
        assert_eq!(
            kinds("|> || && == != <= >= < > ++ : + - * / % ** >> . .. ... = -> <- \\ ? | , ( ) [ ] { } @"),
            vec![
                Pipe, OrOr, AndAnd, EqEq, NotEq, Le, Ge, Lt, Gt, PlusPlus, Colon, Plus, Minus, Star, Slash,
                Percent, StarStar, Compose, Dot, DotDot, Ellipsis, Eq, Arrow, LArrow, Backslash, Question, Bar,
                Comma, LParen, RParen, LBracket, RBracket, LBrace, RBrace, At, Eof
            ]
        );
        assert_eq!(kinds("a>=b"), vec![lower("a"), Ge, lower("b"), Eof]);
        assert_eq!(kinds("x=>y"), vec![lower("x"), Eq, Gt, lower("y"), Eof]);
    }

    #[test]
    fn comments_and_docs() {
        assert_eq!(kinds("a - -b -- c"), vec![lower("a"), Minus, Minus, lower("b"), Eof]);
        assert_eq!(kinds("a--b"), vec![lower("a"), Eof]);
        let (lexed, diags) = lex("--- Adds one.\n---  Twice.\n---- not a doc\nf x = x\n");
        assert!(diags.is_empty());
        let f_at = 41;
        assert_eq!(lexed.tokens[0].span.start, f_at);
        assert_eq!(
            lexed.docs,
            vec![
                DocComment { text: "Adds one.".into(), attaches_to: f_at },
                DocComment { text: " Twice.".into(), attaches_to: f_at },
            ]
        );
    }

    #[test]
    fn chars_and_escapes() {
        assert_eq!(
            kinds(r"'a' '\n' '\'' '\\' '\u{1F600}' 'é' '\$'"),
            vec![Char('a'), Char('\n'), Char('\''), Char('\\'), Char('😀'), Char('é'), Char('$'), Eof]
        );
        one_error("''", Kind::Syntax, "empty character");
        one_error("'ab'", Kind::Syntax, "exactly one character");
        one_error("x'", Kind::Syntax, "unterminated character");
        one_error(r"'\q'", Kind::Syntax, "unknown escape");
        one_error(r"'\u{D800}'", Kind::Syntax, "not a Unicode scalar");
        one_error(r"'\u{110000}'", Kind::Syntax, "not a Unicode scalar");
        one_error(r"'\u{1234567}'", Kind::Syntax, "1 to 6 hex digits");
        one_error(r"'\u{}'", Kind::Syntax, "1 to 6 hex digits");
    }

    fn text(s: &str) -> StrSeg {
        StrSeg::Text(s.into())
    }

    #[test]
    fn strings() {
        assert_eq!(kinds(r#""""#), vec![Str(vec![]), Eof]);
        assert_eq!(kinds(r#""a\tb\"\$ é\u{41}""#), vec![Str(vec![text("a\tb\"$ éA")]), Eof]);
        one_error("\"abc", Kind::Syntax, "unterminated string");
        assert!(errors("\"a\nb\"").iter().all(|(_, m)| m.contains("unterminated string")));
        one_error("\"costs $5\"", Kind::Syntax, "must start an interpolation");
        // A tab inside a string literal is text, not a layout error.
        assert_eq!(kinds("\"a\tb\""), vec![Str(vec![text("a\tb")]), Eof]);
    }

    #[test]
    fn interpolation_is_lexed_recursively() {
        let (lexed, diags) = lex(r#""n = ${f {x = 1}.x "${y}"}!""#);
        assert!(diags.is_empty(), "{diags:?}");
        let Str(segs) = &lexed.tokens[0].kind else { panic!("not a string: {:?}", lexed.tokens) };
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0], text("n = "));
        let StrSeg::Interp(inner, span) = &segs[1] else { panic!("not an interpolation") };
        assert_eq!(*span, Span::new(7, 25));
        let inner: Vec<_> = inner.iter().map(|t| t.kind.clone()).collect();
        assert_eq!(inner.len(), 10);
        assert_eq!(inner[..8], [lower("f"), LBrace, lower("x"), Eq, Int(1), RBrace, Dot, lower("x")]);
        assert!(matches!(&inner[8], Str(s) if matches!(&s[0], StrSeg::Interp(..))));
        assert_eq!(inner[9..], [Eof]);
        assert_eq!(segs[2], text("!"));
    }

    #[test]
    fn interpolation_errors() {
        one_error(r#""${x -- y}""#, Kind::Syntax, "comment");
        assert!(errors(r#""${x"#).iter().any(|(_, m)| m.contains("unterminated interpolation")));
        assert!(!errors(&"\"${".repeat(100)).is_empty());
    }

    #[test]
    fn non_ascii_tabs_and_carriage_returns() {
        one_error("x = é", Kind::Syntax, "non-ASCII");
        assert_eq!(kinds("-- é is fine here\nx"), vec![lower("x"), Eof]);
        one_error("x =\t1", Kind::Layout, "tab");
        one_error("x = 1 -- a\tcomment", Kind::Layout, "tab");
        one_error("x = 1\r\ny = 2\r\n", Kind::Layout, "carriage return");
        one_error("x = ;", Kind::Syntax, "unexpected character");
        // A bad literal at the end of a line does not leave `=` as a block opener.
        one_error("x = 'ab'", Kind::Syntax, "exactly one character");
    }

    #[test]
    fn top_level_items_are_separated_by_newlines() {
        assert_eq!(
            kinds("a = 1\n\n-- note\nb = 2\n  + 3\n"),
            vec![lower("a"), Eq, Int(1), Newline, lower("b"), Eq, Int(2), Plus, Int(3), Eof]
        );
    }

    #[test]
    fn blocks_open_after_a_line_ending_in_equals() {
        assert_eq!(
            kinds("f x =\n  y = 1 -- c\n  g y =\n    y\n  g\nz = 2"),
            vec![
                lower("f"), lower("x"), Eq, Indent, lower("y"), Eq, Int(1), Newline, lower("g"), lower("y"), Eq,
                Indent, lower("y"), Dedent, Newline, lower("g"), Dedent, Newline, lower("z"), Eq, Int(2), Eof
            ]
        );
    }

    #[test]
    fn several_blocks_close_at_once() {
        assert_eq!(
            kinds("a =\n  b =\n    c =\n      1\n    c\n  b\nd = 1"),
            vec![
                lower("a"), Eq, Indent, lower("b"), Eq, Indent, lower("c"), Eq, Indent, Int(1), Dedent, Newline,
                lower("c"), Dedent, Newline, lower("b"), Dedent, Newline, lower("d"), Eq, Int(1), Eof
            ]
        );
        assert_eq!(
            kinds("a =\n  b =\n    1\nd = 1"),
            vec![lower("a"), Eq, Indent, lower("b"), Eq, Indent, Int(1), Dedent, Dedent, Newline, lower("d"), Eq, Int(1), Eof]
        );
    }

    #[test]
    fn colon_continues_a_conditional_inside_blocks_only() {
        assert_eq!(
            kinds("f n =\n  ? a -> b\n  : c"),
            vec![lower("f"), lower("n"), Eq, Indent, Question, lower("a"), Arrow, lower("b"), Colon, lower("c"), Dedent, Eof]
        );
        assert_eq!(kinds("a\n: b"), vec![lower("a"), Newline, Colon, lower("b"), Eof]);
    }

    #[test]
    fn continuation_lines_and_brackets() {
        assert_eq!(
            kinds("total xs = xs\n  |> sum\nx = [1\n  2]"),
            vec![
                lower("total"), lower("xs"), Eq, lower("xs"), Pipe, lower("sum"), Newline, lower("x"), Eq, LBracket,
                Int(1), Int(2), RBracket, Eof
            ]
        );
        // A line at the item's indentation is a new item even inside brackets.
        assert_eq!(kinds("x = [1\ny = 2"), vec![lower("x"), Eq, LBracket, Int(1), Newline, lower("y"), Eq, Int(2), Eof]);
        // `=` inside brackets does not open a block.
        assert_eq!(
            kinds("r = {x =\n  1}"),
            vec![lower("r"), Eq, LBrace, lower("x"), Eq, Int(1), RBrace, Eof]
        );
    }

    #[test]
    fn type_definitions_never_own_blocks() {
        assert_eq!(
            kinds("T =\n  A\n  | B\ntype P =\n    Int"),
            vec![
                Upper("T".into()), Eq, Upper("A".into()), Bar, Upper("B".into()), Newline, Type, Upper("P".into()),
                Eq, Upper("Int".into()), Eof
            ]
        );
    }

    #[test]
    fn layout_errors() {
        one_error("f =\n    1", Kind::Layout, "expected a block indented to column 3");
        one_error("f =\n 1", Kind::Layout, "expected a block indented to column 3");
        one_error("f =\n1", Kind::Layout, "expected a block indented to column 3");
        one_error("f =\n", Kind::Layout, "expected an indented block");
        one_error("f = -- c\n\n", Kind::Layout, "expected an indented block");
        one_error("f =\n  a =\n    1\n a", Kind::Layout, "not aligned");
        one_error("  f = 1", Kind::Layout, "column 1");
        one_error("f =\n\tx", Kind::Layout, "tab");
    }

    #[test]
    fn blocks_nest_at_most_eight_deep() {
        let nest = |depth: usize| -> String {
            let mut s = String::new();
            for d in 0..depth {
                s += &format!("{}x{d} =\n", "  ".repeat(d));
            }
            s + &"  ".repeat(depth) + "1\n"
        };
        assert!(lex(&nest(8)).1.is_empty());
        let errs = errors(&nest(9));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].1.contains("more than 8 deep"), "{errs:?}");
    }

    #[test]
    fn layout_tokens_sit_at_the_end_of_the_previous_line() {
        let (lexed, _) = lex("a = 1\nb =\n  2\n");
        let spans: Vec<_> = lexed.tokens.iter().filter(|t| matches!(t.kind, Newline | Indent | Dedent | Eof)).map(|t| t.span).collect();
        assert_eq!(spans, vec![Span::at(5), Span::at(9), Span::at(13), Span::at(13)]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for src in ["\"\\", "'\\", "'\\u{", "\"\\u{12", "1.", "\"${", "\"${}", "}", "\"${\"${\"}\"}\"", "é\u{0}", "\r", "'"] {
            let _ = lex(src);
        }
    }
}
