//! Differential test on mutants: small edits of valid corpus programs
//! (a byte deleted, duplicated or replaced by a lexically interesting one,
//! or a piece of layout, comment or operator text inserted)
//! are accepted by the grammar exactly when the reference parser accepts
//! them, apart from the parser's documented implementation limits.

mod support;

use support::*;

/// Bytes whose insertion stresses lexemes, layout and comments.
const INTERESTING: &[u8] = b" \n-<>=|.:_x1(\")'{}[]\\?$,";

/// Multi-byte insertions: layout, comments and merged operators.
const PIECES: &[&str] = &["\n  ", "\n", "\n    ", "--", "<-", " =", "= ", "\n: ", "${", "..", " _", "1.", "e5", "\n  -- c\n", "(", ")", "? a -> ", "\\x -> ", " : "];

/// The parser's implementation limits the grammar does not model.
fn known_limit(src: &str) -> bool {
    let diags = synoema_compiler::parse::parse(src).1;
    !diags.is_empty() && diags.iter().all(|d| d.message.contains("too large") || d.message.contains("nested too deeply"))
}

#[test]
fn mutants_agree_with_the_parser() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for path in corpus() {
        let src = read(&path);
        if !parses(&src) {
            continue;
        }
        let bytes = src.as_bytes();
        for _ in 0..MUTANTS_PER_FILE {
            if bytes.is_empty() {
                break;
            }
            let at = (next() as usize) % bytes.len();
            let mut m = bytes.to_vec();
            match next() % 4 {
                3 => {
                    let piece = PIECES[(next() as usize) % PIECES.len()];
                    for (k, b) in piece.bytes().enumerate() {
                        m.insert(at + k, b);
                    }
                }
                0 => {
                    m.remove(at);
                }
                1 => m.insert(at, m[at]),
                _ => m[at] = INTERESTING[(next() as usize) % INTERESTING.len()],
            }
            let Ok(text) = String::from_utf8(m) else { continue };
            if known_limit(&text) {
                continue;
            }
            checked += 1;
            let grammar = replay(&text, false) == Replay::Accepted;
            if grammar != parses(&text) {
                failures.push(format!("{} byte {at}: grammar {grammar}: {text:?}", path.display()));
            }
        }
    }
    assert!(checked > 1000, "only {checked} mutants");
    assert!(failures.is_empty(), "{} of {checked} disagree:\n{}", failures.len(), failures.join("\n"));
}

// Explored once with 60 per file (about 13 000 mutants, all agreeing); the test
// keeps a smaller sample so the suite stays quick.
const MUTANTS_PER_FILE: usize = 8;
