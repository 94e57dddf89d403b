//! Fuzzing by mutation, as a property test: corpus programs are edited at
//! random (bytes deleted, duplicated, swapped, fragments inserted) and the
//! result goes through the whole pipeline. No input may make the lexer,
//! parser or checker panic or hang, and a mutant that compiles must run to an
//! answer or a clean error within small limits.
//!
//! Every crash found becomes a file in `test_data/fuzz/`, which
//! `fuzz_failures_stay_fixed` replays.

use proptest::prelude::*;
use std::path::Path;
use synoema_compiler::parse::lexer;
use synoema_compiler::{compile, interp};

/// Pieces of Synoema that mutations splice in: the lexemes and layout that
/// make the interesting corners reachable.
const FRAGMENTS: &[&str] = &[
    "\n", "\n  ", "\n    ", " ", "=", "==", "->", "<-", ":", "?", "\\", "|", "|>", ">>", "..", "...",
    "(", ")", "[", "]", "{", "}", ",", ".", "\"", "${", "'", "--", "---", "0", "1.5", "-", "_",
    "x", "f", "main", "Just", "None", "type", "test", "true", "[1 2]", "{x = 1}", "\t", "\r", "é",
    "99999999999999999999", "\\x -> x", "? a -> b : c",
];

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["test_data/run", "test_data/err", "test_data/tests", "../examples"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "sno") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    files.push(text);
                }
            }
        }
    }
    files.sort();
    files
}

#[derive(Clone, Debug)]
enum Edit {
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Insert { at: usize, fragment: usize },
    Swap { a: usize, b: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..8usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, fragment)| Edit::Insert { at, fragment }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap { a, b }),
    ]
}

/// Applies edits on char boundaries so the text stays valid UTF-8.
fn apply(src: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = src.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match *e {
            Edit::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Duplicate { at, len } => {
                let at = at % n;
                let end = (at + len).min(chars.len());
                if at < end {
                    let piece: Vec<char> = chars[at..end].to_vec();
                    chars.splice(end..end, piece);
                }
            }
            Edit::Insert { at, fragment } => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, FRAGMENTS[fragment].chars());
            }
            Edit::Swap { a, b } => {
                if !chars.is_empty() {
                    let (a, b) = (a % chars.len(), b % chars.len());
                    chars.swap(a, b);
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// The largest char boundary of `s` at or below `i`.
fn char_floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The whole pipeline on one input; panics are the failures proptest finds.
fn pipeline(src: &str) {
    let compiled = compile(src);
    if compiled.diagnostics.is_empty() && synoema_compiler::missing_main(&compiled.program).is_none() {
        let limits = interp::Limits { steps: 200_000, memory: 16 << 20, stack_depth: 2_000 };
        let mut out = Vec::new();
        let _ = interp::run_main(&compiled.program, &compiled.info, &limits, &mut out);
    }
}

/// 400 cases in the test suite; set `FUZZ_CASES` for a longer hunt, e.g.
/// `FUZZ_CASES=100000 cargo test --release -p synoema-compiler --test fuzz`.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_corpus_programs_never_panic(pick in any::<usize>(), edits in prop::collection::vec(edit(), 1..6)) {
        let files = corpus();
        prop_assume!(!files.is_empty());
        let src = apply(&files[pick % files.len()], &edits);
        pipeline(&src);
    }

    /// The type oracle lexes a prefix after the lexer's state at the
    /// committed text's last line break: that must read exactly as lexing
    /// from the start, for any text and any resume point.
    #[test]
    fn resumed_lexing_matches_lexing_from_the_start(
        pick in any::<usize>(),
        edits in prop::collection::vec(edit(), 0..4),
        cut in any::<usize>(),
        resume in any::<usize>(),
    ) {
        let files = corpus();
        prop_assume!(!files.is_empty());
        let src = apply(&files[pick % files.len()], &edits);
        let text = &src[..char_floor(&src, cut % (src.len() + 1))];
        let at = char_floor(text, resume % (text.len() + 1));
        let lines = lexer::LinesLexed::new(&text[..at]);
        prop_assert!(lines.len() <= at && (lines.is_empty() || text.as_bytes()[lines.len() - 1] == b'\n'));
        let (fresh, fresh_diags) = lexer::lex_prefix(text);
        let (resumed, resumed_diags) = lexer::lex_prefix_from(text, Some(&lines));
        prop_assert_eq!(fresh, resumed);
        prop_assert_eq!(format!("{fresh_diags:?}"), format!("{resumed_diags:?}"));
    }

    #[test]
    fn fragment_soup_never_panics(parts in prop::collection::vec(0..FRAGMENTS.len(), 0..60)) {
        let src: String = parts.into_iter().map(|i| FRAGMENTS[i]).collect();
        pipeline(&src);
    }
}

#[test]
fn fuzz_failures_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/fuzz");
    let entries: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().collect()).unwrap_or_default();
    for entry in entries {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        pipeline(&text);
    }
}

#[test]
fn pathological_inputs_end_with_diagnostics() {
    let deep_parens = "main = ".to_string() + &"(".repeat(100_000);
    let deep_lists = "main = ".to_string() + &"[".repeat(100_000) + &"]".repeat(100_000);
    let deep_lambdas = "main = ".to_string() + &"\\x -> ".repeat(50_000) + "1";
    let deep_negs = "main = ".to_string() + &"- ".repeat(100_000) + "1";
    let deep_string = "main = ".to_string() + &"\"${".repeat(10_000);
    for src in [deep_parens, deep_lists, deep_lambdas, deep_negs, deep_string] {
        let compiled = compile(&src);
        assert!(!compiled.diagnostics.is_empty(), "a pathological input is rejected: {}", &src[..40]);
    }
    // A long chain of operators nests the tree as deeply as brackets do; it
    // must end in an answer or a diagnostic, never a stack overflow.
    let long_sum = "main = 1".to_string() + &" + 1".repeat(100_000);
    let long_cons = "main = 1".to_string() + &" : 1".repeat(100_000) + " : []";
    for src in [long_sum, long_cons] {
        pipeline(&src);
    }
}
