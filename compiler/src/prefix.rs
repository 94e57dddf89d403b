//! Prefix checking: can a program prefix still be completed to a valid
//! program? The compiler side of the type oracle (`synoema-typeoracle`).
//!
//! Exact by construction: it runs the compiler's own lexer, parser and
//! checker in *prefix mode* ([`lexer::lex_prefix`], [`parser::parse_prefix`],
//! the checker's `types/edge.rs`), which treat the end of the text as the
//! right edge of an unfinished program rather than as the end of a file.
//!
//! Key types: [`Session`] (one prefix checker, with what it keeps between
//! queries), [`Request`] (what the finished program must also do),
//! [`Mode`] (parse-viability only, or types too) and [`Stats`].
//!
//! Usage pattern:
//! 1. [`Session::new`] with a request;
//! 2. [`Session::viable`] for each prefix to judge (typically the same
//!    text growing, with alternative last tokens);
//! 3. [`Session::complete`] when the end of the program is proposed.
//!
//! How a query works: the text is split at the start of its last top-level
//! item. The items before are *settled*: parsed and checked once (in
//! ordinary mode, except that types may still be declared later), and kept.
//! The equations of a function may span items, so the last run of
//! equations of one name stays unsettled. The rest, the *tail*, is lexed in
//! prefix mode (after the lexer's state at the last line break of the part
//! the caller says later queries share, kept: [`Session::viable_from`]),
//! which gives the readings of the edge (alternative final
//! lexemes, or pending layout); each is parsed in prefix mode, trying every
//! reading of the decisions the edge leaves open, and type-checked on top
//! of the settled state with the spine typed by reachability. The prefix is
//! viable when one reading checks.
//!
//! One more thing is kept between queries, for the common long item (a
//! `main =` block of many statements): when the tail is a definition
//! without parameters that owns a block, the statements before the
//! block's last one are judged once (the tail up to there, followed by an
//! open statement), and later queries leave out its complete effect
//! statements, which share no type variable with the rest (`BlockMemo`
//! says why). The verdicts are the same (`typeoracle/tests/reduced_blocks.rs`).
//!
//! ```
//! use synoema_compiler::prefix::{Mode, Request, Session};
//! let mut s = Session::new(Request::default(), Mode::Types).unwrap();
//! assert!(s.viable("main = 1 + len"));          // `length [2]` may follow
//! assert!(!s.viable("main = 1 + \"a\""));       // no growth of `"a"` is a number
//! assert!(s.complete("main = 1 + length [2]\n"));
//! ```

use crate::ast::{Item, Sig};
use crate::parse::{self, lexer, parser, token::Lexed};
use crate::types::edge::Settled;

pub use crate::types::edge::EdgeStats;

/// Whether a prefix must only be completable to a program that parses, or
/// to one that also respects scope and type-checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Grammar,
    Types,
}

/// What the finished program must do besides compiling.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The program defines `main`.
    pub require_main: bool,
    /// The program defines this name with a type at least as general as
    /// this one (written as in a signature): `("solve", "[Int] -> Int")`.
    pub require: Option<(String, String)>,
}

impl Request {
    /// A request for a definition written as a signature,
    /// `"solve : [Int] -> Int"` (the form `--require` takes on the command
    /// line). The text must be exactly one signature.
    pub fn from_signature(signature: &str, require_main: bool) -> Result<Request, RequestError> {
        let Some((name, ty)) = signature.split_once(':') else {
            return Err(RequestError(format!("`{signature}` is not a signature: expected `name : Type`")));
        };
        let (name, ty) = (name.trim(), ty.trim());
        parse_request(name, ty)?;
        Ok(Request { require_main, require: Some((name.to_string(), ty.to_string())) })
    }
}

/// A request that cannot be honoured, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError(pub String);

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestError {}

/// Counters of a session's work and of its deliberate over-approximations
/// (each one may let a dead prefix through; none blocks a viable one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Prefixes judged.
    pub queries: u64,
    /// Readings parsed (edge alternatives times open decisions).
    pub readings: u64,
    /// Queries that checked the whole text again (a type definition, an
    /// alias or a late signature being written).
    pub full_checks: u64,
    /// Settled states rebuilt from the start.
    pub rebuilds: u64,
    /// Queries allowed because they had more readings than [`MAX_READINGS`].
    pub readings_capped: u64,
    /// Spine nodes allowed because the reachability search ran out of steps.
    pub search_capped: u64,
    /// Open patterns, written types, tuples and comprehension heads taken
    /// as unknown.
    pub approximations: u64,
    /// Queries that left out complete effect statements of the current
    /// item's block (see [`Session::viable_from`]).
    pub reduced: u64,
}

/// A query with more readings than this is allowed without deciding (and
/// counted): a bound on the work per query.
pub const MAX_READINGS: usize = 256;

/// One prefix checker.
pub struct Session {
    mode: Mode,
    request: Request,
    /// The requested definition as a signature.
    require_sig: Option<Sig>,
    settled: Option<Kept>,
    /// The lexer's state after the complete lines of the stable part of
    /// the last tail (see [`Session::viable_from`]), with that text.
    lines: Option<(String, lexer::LinesLexed)>,
    /// What is known of the complete statements of the current item's
    /// block, for the last head of it seen.
    block: Option<BlockMemo>,
    /// Leave complete effect statements out of queries (on by default;
    /// off only to compare the two in tests).
    reduce: bool,
    stats: Stats,
}

/// The complete statements of a parameterless definition's block: the
/// tail up to the start of the block's last statement (`head`), judged
/// once, and the same text without its effect statements.
///
/// The reduction rests on LANGUAGE.md §3–4: a block's statements see only
/// the ones before them, block definitions are generalised, and an effect
/// statement binds nothing and may have any type. So in a definition
/// without parameters whose name the head never mentions, a complete
/// effect statement shares no type variable with anything else: the
/// text is viable exactly when the head followed by an open statement is
/// (which judges every complete statement) and the text without those
/// statements is.
struct BlockMemo {
    /// The text before the tail and the tail's head, which the memo is for.
    key: String,
    /// The length of the head (the tail's first bytes).
    head: usize,
    /// Whether the head followed by an open statement is viable.
    viable: bool,
    /// The head without its complete effect statements, when the shape
    /// allows leaving them out and there are some.
    reduced: Option<String>,
}

/// The settled part of the last text seen.
struct Kept {
    /// The text up to the start of its last top-level item.
    text: String,
    /// Where the unsettled tail starts (at most `text.len()`).
    tail_at: usize,
    settled: Settled,
}

enum Outcome {
    Viable,
    Dead,
    /// The tail holds something visible to the settled items.
    Rebuild,
}

impl Session {
    /// A session for `request`; a requested signature that does not parse
    /// is an error.
    pub fn new(request: Request, mode: Mode) -> Result<Session, RequestError> {
        let require_sig = match &request.require {
            None => None,
            Some((name, ty)) => Some(parse_request(name, ty)?),
        };
        Ok(Session { mode, request, require_sig, settled: None, lines: None, block: None, reduce: true, stats: Stats::default() })
    }

    /// Turns off leaving complete effect statements out of queries (the
    /// verdicts are the same; tests compare the two).
    #[doc(hidden)]
    pub fn without_reduction(mut self) -> Session {
        self.reduce = false;
        self
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Whether some text after `src` makes a program that parses (and, in
    /// [`Mode::Types`], respects scope, type-checks and meets the request).
    pub fn viable(&mut self, src: &str) -> bool {
        self.viable_from(src, 0)
    }

    /// [`Session::viable`], told that the first `stable` bytes of `src` are
    /// text the next queries will share too (a generation's committed
    /// prefix): the session keeps the lexer's state after its complete
    /// lines and lexes only what follows them. The verdict is the same.
    pub fn viable_from(&mut self, src: &str, stable: usize) -> bool {
        self.stats.queries += 1;
        let boundary = last_item_start(src);
        self.settle(src, boundary);
        let Some(kept) = self.settled.as_mut() else { return false };
        if kept.settled.dead {
            return false;
        }
        let mut tail = src.get(kept.tail_at..).unwrap_or("");
        let mut stable = stable.saturating_sub(kept.tail_at).min(tail.len());
        // A block's complete effect statements, judged once, left out.
        let reduced;
        if self.reduce {
            let head = block_head(tail);
            let key_len = kept.tail_at + head;
            let known = self.block.as_ref().is_some_and(|m| m.head == head && src.get(..key_len) == Some(m.key.as_str()));
            if head > 0 && !known {
                let memo = judge_head(&mut kept.settled, &src[..key_len], head, self.mode, &mut self.stats);
                self.block = Some(memo);
            }
            if let Some(memo) = self.block.as_ref().filter(|_| head > 0) {
                if !memo.viable {
                    return false;
                }
                if let Some(short) = &memo.reduced {
                    self.stats.reduced += 1;
                    reduced = format!("{short}{}", &tail[head..]);
                    // The stable part shifts with the text after the head.
                    stable = if stable >= head { short.len() + (stable - head) } else { 0 };
                    tail = &reduced;
                }
            }
        }
        // The complete lines of the tail's stable part, lexed once.
        let stable_tail = tail.get(..stable.min(tail.len())).unwrap_or("");
        let cut = stable_tail.rfind('\n').map_or(0, |i| i + 1);
        let lines = match &mut self.lines {
            _ if cut == 0 => None,
            Some((text, lexed)) if text.as_str() == &tail[..cut] => Some(&*lexed),
            slot => {
                let text = tail[..cut].to_string();
                let lexed = lexer::LinesLexed::new(&text);
                Some(&slot.insert((text, lexed)).1)
            }
        };
        match check_text(&mut kept.settled, tail, lines, self.mode, true, &mut self.stats) {
            Outcome::Viable => true,
            Outcome::Dead => false,
            Outcome::Rebuild => {
                self.stats.full_checks += 1;
                let mut fresh = Settled::new(self.require_sig.clone());
                matches!(check_text(&mut fresh, src, None, self.mode, false, &mut self.stats), Outcome::Viable)
            }
        }
    }

    /// Whether `src` is a complete program: it compiles with no diagnostic
    /// (in [`Mode::Grammar`]: it parses) and meets the request.
    pub fn complete(&self, src: &str) -> bool {
        if self.mode == Mode::Grammar {
            return parse::parse(src).1.is_empty();
        }
        let compiled = crate::compile(src);
        if !compiled.diagnostics.is_empty() {
            return false;
        }
        if self.request.require_main && crate::missing_main(&compiled.program).is_some() {
            return false;
        }
        match &self.request.require {
            None => true,
            Some((name, ty)) => {
                // `probe : wanted` with `probe = name` type-checks exactly when
                // `name` has at least the wanted type.
                let mut probe = String::from("requested");
                while src.contains(&probe) {
                    probe.push('_');
                }
                let text = format!("{src}\n{probe} : {ty}\n{probe} = {name}\n");
                crate::compile(&text).diagnostics.is_empty()
            }
        }
    }

    /// Makes the settled state cover `src` up to `boundary`.
    fn settle(&mut self, src: &str, boundary: usize) {
        let head = src.get(..boundary).unwrap_or("");
        let reusable = self.settled.as_ref().is_some_and(|k| k.text.len() <= boundary && head.starts_with(&k.text));
        if !reusable {
            self.rebuild(head);
            return;
        }
        let Some(kept) = self.settled.as_mut() else { return };
        if kept.text.len() == boundary {
            // `head` starts with the kept text and is as long: the same.
            return;
        }
        if kept.settled.dead {
            kept.text = head.to_string();
            return;
        }
        let fragment = head.get(kept.tail_at..).unwrap_or("");
        let (program, diags) = parse::parse(fragment);
        if !diags.is_empty() {
            kept.settled.dead = true;
            kept.text = head.to_string();
            return;
        }
        if kept.settled.needs_rebuild(&program.items) {
            self.rebuild(head);
            return;
        }
        let split = open_group_start(&program.items);
        kept.settled.add(program.items.get(..split).unwrap_or(&[]));
        kept.tail_at += program.items.get(split).map_or(fragment.len(), |i| i.span().start as usize);
        kept.text = head.to_string();
    }

    /// Settles `head` (complete items) from nothing.
    fn rebuild(&mut self, head: &str) {
        self.stats.rebuilds += 1;
        let mut settled = Settled::new(self.require_sig.clone());
        let (program, diags) = parse::parse(head);
        let split = open_group_start(&program.items);
        if diags.is_empty() {
            settled.add(program.items.get(..split).unwrap_or(&[]));
        } else {
            settled.dead = true;
        }
        let tail_at = program.items.get(split).map_or(head.len(), |i| i.span().start as usize);
        self.settled = Some(Kept { text: head.to_string(), tail_at, settled });
    }
}

/// Every word the language gives a meaning before a program says anything:
/// keywords and reserved words, prelude values, built-in and prelude types,
/// constructors and classes. A word outside this list and outside the
/// program's own text means the same as any other such word (an unknown
/// name), which is what lets the oracle decide whole classes of tokens at
/// once.
pub fn builtin_words() -> Vec<String> {
    crate::types::builtin_words()
}

/// Where the last statement of the current item's block starts, when the
/// tail is a definition without parameters that owns a block (`name =` on
/// its own line) with a complete statement before the last one: the
/// start of the last line at the block's column (2) that does not begin
/// with `:` (LANGUAGE.md §2: such lines start statements; deeper ones
/// continue them). 0 otherwise.
fn block_head(tail: &str) -> usize {
    let Some(first_end) = tail.find('\n') else { return 0 };
    let header = &tail[..first_end];
    let name_end = header.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'\'')).unwrap_or(header.len());
    let starts_lower = header.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_');
    if !starts_lower || header[name_end..].trim() != "=" {
        return 0;
    }
    let (mut statements, mut last) = (0usize, 0usize);
    let mut at = first_end + 1;
    while at < tail.len() {
        let end = tail[at..].find('\n').map_or(tail.len(), |i| at + i);
        let line = &tail[at..end];
        let indent = line.bytes().take_while(|b| *b == b' ').count();
        let rest = &line[indent..];
        if !(rest.is_empty() || rest.starts_with("--")) {
            if indent < 2 {
                return 0;
            }
            if indent == 2 && !rest.starts_with(':') {
                statements += 1;
                last = at;
            }
        }
        at = end + 1;
    }
    if statements >= 2 {
        last
    } else {
        0
    }
}

/// Judges the head of a block (`text` ends with it; it is the tail's first
/// `head` bytes): whether it is viable followed by an open statement, and
/// the head without its complete effect statements when the definition
/// allows leaving them out (see [`BlockMemo`]).
fn judge_head(settled: &mut Settled, text: &str, head: usize, mode: Mode, stats: &mut Stats) -> BlockMemo {
    let head_text = &text[text.len() - head..];
    // `(` may become any expression of any type (or a tuple pattern's
    // binding), so this judges exactly the statements before it.
    let probe = format!("{head_text}  (");
    let (viable, reduced) = match check_text(settled, &probe, None, mode, true, stats) {
        Outcome::Viable => (true, effect_free_head(head_text)),
        Outcome::Dead => (false, None),
        // Never for one equation; judge nothing then (queries check all).
        Outcome::Rebuild => (true, None),
    };
    BlockMemo { key: text.to_string(), head, viable, reduced }
}

/// `head` without the block's complete effect statements, when it is a
/// parameterless definition's block head that never mentions the
/// definition's name and has some.
fn effect_free_head(head: &str) -> Option<String> {
    let closed = format!("{head}  ()\n");
    let (program, diags) = parse::parse(&closed);
    if !diags.is_empty() {
        return None;
    }
    let [Item::Equation(eq)] = program.items.as_slice() else { return None };
    let crate::ast::ExprKind::Block(block) = &eq.body.kind else { return None };
    if !eq.params.is_empty() || mentions(&head[eq.name.span.end as usize..], &eq.name.name) {
        return None;
    }
    let line_start = |at: u32| closed[..at as usize].rfind('\n').map_or(0, |i| i + 1);
    let starts: Vec<usize> = block.stmts.iter().map(|s| line_start(s.span().start)).chain([head.len()]).collect();
    let mut out = String::with_capacity(head.len());
    out.push_str(&head[..starts[0]]);
    let mut left_out = false;
    for (stmt, range) in block.stmts.iter().zip(starts.windows(2)) {
        if matches!(stmt, crate::ast::Stmt::Expr(_)) {
            left_out = true;
        } else {
            out.push_str(&head[range[0]..range[1]]);
        }
    }
    left_out.then_some(out)
}

/// Whether `text` holds `word` as a whole word (anywhere: code, strings or
/// comments alike, which only errs on the side of not reducing).
fn mentions(text: &str, word: &str) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'\'';
    text.match_indices(word).any(|(at, _)| {
        let before = text.as_bytes()[..at].last().is_none_or(|b| !is_word(*b));
        let after = text.as_bytes().get(at + word.len()).is_none_or(|b| !is_word(*b));
        before && after
    })
}

/// Parses the requested definition `name : ty` as a signature.
/// The requested signature, parsed by the compiler's own parser.
fn parse_request(name: &str, ty: &str) -> Result<Sig, RequestError> {
    let text = format!("{name} : {ty}");
    let (program, diags) = parse::parse(&text);
    if let Some(d) = diags.first() {
        return Err(RequestError(format!("the requested signature `{text}` does not parse: {}", d.message)));
    }
    match program.items.as_slice() {
        [Item::Sig(sig)] if sig.name.name == name => Ok(sig.clone()),
        _ => Err(RequestError(format!("`{text}` is not a signature of one name"))),
    }
}

/// Judges a text after a settled state: viable when one reading of its
/// edge, under one reading of the decisions the edge leaves open, checks.
/// `lines`, when given, is the lexer's state after the complete lines of a
/// text `text` starts with.
fn check_text(settled: &mut Settled, text: &str, lines: Option<&lexer::LinesLexed>, mode: Mode, may_rebuild: bool, stats: &mut Stats) -> Outcome {
    let (readings, _) = lexer::lex_prefix_from(text, lines);
    let mut tried = 0usize;
    for reading in readings {
        let lexed = Lexed { tokens: reading.tokens, docs: Vec::new() };
        let mut choices: Vec<usize> = Vec::new();
        loop {
            tried += 1;
            stats.readings += 1;
            if tried > MAX_READINGS {
                stats.readings_capped += 1;
                return Outcome::Viable;
            }
            let options = parser::PrefixOptions { edge: reading.edge, partial: reading.partial, choices: choices.clone() };
            let (program, parse_diags, tree) = parser::parse_prefix(text, &lexed, options);
            let arities = tree.arities.clone();
            if parse_diags.is_empty() {
                if mode == Mode::Grammar {
                    return Outcome::Viable;
                }
                if may_rebuild && settled.needs_rebuild(&program.items) {
                    return Outcome::Rebuild;
                }
                let (ok, edge_stats) = settled.check_tail(&program.items, tree, reading.partial);
                stats.search_capped += u64::from(edge_stats.capped);
                stats.approximations += u64::from(edge_stats.approximations);
                if ok {
                    return Outcome::Viable;
                }
            }
            match next_choices(&choices, &arities) {
                Some(next) => choices = next,
                None => break,
            }
        }
    }
    Outcome::Dead
}

/// The next sequence of readings in depth-first order, after a parse that
/// took `choices` (missing entries mean 0) at decisions with `arities`.
fn next_choices(choices: &[usize], arities: &[usize]) -> Option<Vec<usize>> {
    let taken: Vec<usize> = (0..arities.len()).map(|i| choices.get(i).copied().unwrap_or(0)).collect();
    let j = (0..arities.len()).rev().find(|&j| taken[j] + 1 < arities[j])?;
    let mut next = taken[..j].to_vec();
    next.push(taken[j] + 1);
    Some(next)
}

/// Where the last top-level item of `src` starts: the last line that begins
/// at column 0 with something other than a space or a comment (0 if none).
fn last_item_start(src: &str) -> usize {
    let bytes = src.as_bytes();
    let mut line_start = src.len();
    loop {
        let start = src[..line_start].rfind('\n').map_or(0, |i| i + 1);
        let starts_item = match bytes.get(start) {
            None | Some(b' ' | b'\n') => false,
            // A `-` alone at the edge may still become `--`, a comment.
            Some(b'-') => !(src[start..].starts_with("--") || &src[start..] == "-"),
            Some(_) => true,
        };
        if starts_item || start == 0 {
            return if starts_item { start } else { 0 };
        }
        line_start = start - 1;
    }
}

/// The index of the first item of the trailing run of equations of one
/// name (they may still get more equations), or `items.len()`.
fn open_group_start(items: &[Item]) -> usize {
    let Some(Item::Equation(last)) = items.last() else { return items.len() };
    let mut start = items.len() - 1;
    while start > 0 {
        match &items[start - 1] {
            Item::Equation(eq) if eq.name.name == last.name.name => start -= 1,
            _ => break,
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_words_cover_the_prelude_and_the_keywords() {
        let words = builtin_words();
        for w in ["true", "when", "map", "foldl", "Int", "String", "Maybe", "Just", "None", "Ok", "Eq", "Show", "List"] {
            assert!(words.iter().any(|x| x == w), "{w} missing");
        }
    }

    #[test]
    fn item_starts() {
        assert_eq!(last_item_start(""), 0);
        assert_eq!(last_item_start("a = 1\nb = 2"), 6);
        assert_eq!(last_item_start("a = 1\nb =\n  2\n"), 6);
        assert_eq!(last_item_start("a = 1\n-- c\n"), 0);
        assert_eq!(last_item_start("a = 1\nb = 2\n-- c\n  \n"), 6);
        assert_eq!(last_item_start("a = 1\nb =\n-"), 6);
        assert_eq!(last_item_start("a = 1\nb =\n-x"), 10);
    }

    #[test]
    fn effect_statements_left_out_decide_as_checked() {
        let cases = [
            // An effect statement that does not type: dead, found once.
            ("main =\n  print (1 + \"a\")\n  print 2\n  pr", false),
            // Bindings stay: `x` is used after the statements left out.
            ("main =\n  print 1\n  x = 5\n  print 2\n  print x\n  x + ", true),
            ("main =\n  print 1\n  x = 5\n  print 2\n  print x\n  x + \"", false),
            // `x` has `main`'s own type (not generalised), so `print (x + 1)`
            // and the last statement meet: nothing may be left out.
            ("main =\n  x = main\n  print (x + 1)\n  x ++ \"a\"", false),
            ("main =\n  x = main\n  print (x + 1)\n  x + 2", true),
        ];
        for (text, expected) in cases {
            let mut s = Session::new(Request::default(), Mode::Types).unwrap();
            let mut full = Session::new(Request::default(), Mode::Types).unwrap().without_reduction();
            assert_eq!(full.viable(text), expected, "{text:?} checked whole");
            assert_eq!(s.viable(text), expected, "{text:?} with statements left out");
        }
        let mut s = Session::new(Request::default(), Mode::Types).unwrap();
        assert!(s.viable("main =\n  print 1\n  print 2\n  1 +"));
        assert_eq!(s.stats().reduced, 1);
    }

    #[test]
    fn a_constructor_still_to_come_is_no_number() {
        // Full masks rely on viability being closed under prefixes: what
        // `sum [` cannot become, `sum [V` cannot either.
        let mut s = Session::new(Request::default(), Mode::Types).unwrap();
        assert!(!s.viable("main = [1 2] |> sum ["));
        assert!(!s.viable("main = [1 2] |> sum [V"));
        assert!(!s.viable("main = [1 2] |> sum [Vec"));
        assert!(s.viable("main = [(Foo 1) (Foo \"a\")]"));
        assert!(s.viable("main = show (V"));
    }

    #[test]
    fn a_minus_alone_at_a_line_start_may_start_a_comment() {
        let mut s = Session::new(Request::default(), Mode::Types).unwrap();
        // The body may still follow a comment line.
        assert!(s.viable("main =\n-"));
        assert!(s.viable("main =\n  xs = 1\n-"));
        assert!(!s.viable("main =\n-1"));
    }

    #[test]
    fn choices_are_enumerated_depth_first() {
        assert_eq!(next_choices(&[], &[2, 3]), Some(vec![0, 1]));
        assert_eq!(next_choices(&[0, 2], &[2, 3]), Some(vec![1]));
        assert_eq!(next_choices(&[1, 2], &[2, 3]), None);
        assert_eq!(next_choices(&[], &[]), None);
    }

    #[test]
    fn requests_from_signatures() {
        let r = Request::from_signature(" solve : [Int] -> Int ", true).unwrap();
        assert_eq!(r.require, Some(("solve".to_string(), "[Int] -> Int".to_string())));
        assert!(r.require_main);
        assert!(Request::from_signature("solve [Int]", false).unwrap_err().0.contains("expected `name : Type`"));
        assert!(Request::from_signature("solve : [Int] ->", false).unwrap_err().0.contains("does not parse"));
        assert!(Request::from_signature("Solve : Int", false).is_err());
    }
}
