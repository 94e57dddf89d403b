//! Full masks where the prefix's context changes how tokens are classed,
//! each compared with checking every token of a small vocabulary one by
//! one (`Oracle::reject` against `Oracle::mask`):
//! - at line starts a token's leading spaces are indentation, so its class
//!   is a key computed once for that context (`Vocabulary`'s line-start
//!   keys) instead of its ordinary static key: every line start of corpus
//!   programs, and each line's start after its indentation;
//! - inside comments and strings, tokens that end inside a character
//!   share the class of wholly inert text, after prefixes that end on a
//!   character's boundary or inside one;
//! - a comment a token opens has its text keyed as one mark, except where
//!   the prefix's last byte joins the token's first `-`;
//! - right after a comment's `--`, text is inert (a `---` documentation
//!   comment is a comment like any other).

mod common;

use synoema_typeoracle::{Oracle, Request, Vocabulary};

/// Tokens that start with spaces of many widths (around the deepest block
/// column, 16, and the width past which all lines are alike, 18), with
/// what most often follows indentation.
fn vocabulary() -> Vec<Vec<u8>> {
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    let rests = ["", "print", "x", "-- c", "-", "| ", ": ", "test", ")", "\n", "x\n  y", "\"s", "\n\n  x", "\n  \n"];
    for width in [0, 1, 2, 3, 4, 6, 16, 17, 18, 19] {
        for rest in rests {
            let token = format!("{}{rest}", " ".repeat(width));
            if !token.is_empty() {
                tokens.push(token.into_bytes());
            }
        }
    }
    tokens
}

#[test]
fn masks_by_classes_match_single_checks_at_line_starts() {
    let programs = common::valid_programs();
    assert!(!programs.is_empty(), "no corpus found under {:?}", common::root());
    let tokens = vocabulary();
    let vocab = Vocabulary::new(&tokens, |_| false);
    let (mut prefixes, mut rejected, mut disagreements) = (0usize, 0usize, Vec::new());
    for (name, text) in programs.iter().step_by(10) {
        // Each line start, and each line's start after its indentation
        // (still a line start: the line holds only spaces so far).
        let mut cuts = Vec::new();
        for (at, _) in text.match_indices('\n') {
            let start = at + 1;
            cuts.push(start);
            let indent = text[start..].bytes().take_while(|b| *b == b' ').count();
            if indent > 0 {
                cuts.push(start + indent);
            }
        }
        let mut oracle = Oracle::new(Request::default()).expect("empty request");
        let mut at = 0;
        for cut in cuts {
            oracle.commit(&text.as_bytes()[at..cut]);
            at = cut;
            prefixes += 1;
            let (dead, _) = oracle.reject(&vocab, |_| true);
            let singles = oracle.mask(&tokens.iter().map(Vec::as_slice).collect::<Vec<_>>());
            for (id, viable) in singles.into_iter().enumerate() {
                let by_class = !dead.contains(&(id as u32));
                rejected += usize::from(!viable);
                if by_class != viable {
                    let tail = String::from_utf8_lossy(&text.as_bytes()[cut.saturating_sub(30)..cut]).into_owned();
                    disagreements.push(format!(
                        "{name} at byte {cut} (prefix ends {tail:?}): token {:?}: by class {by_class}, single check {viable}",
                        String::from_utf8_lossy(&tokens[id])
                    ));
                }
            }
        }
    }
    assert!(prefixes > 100, "too few line starts: {prefixes}");
    assert!(rejected > 0, "the vocabulary must hold tokens dead at some line start");
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

/// Inside comments and strings: tokens that end with the first bytes of a
/// character share the class of wholly inert text; bytes that are no
/// UTF-8 do not.
#[test]
fn masks_by_classes_match_single_checks_in_cut_characters() {
    let chars = ["é", "λ", "日", "😀"];
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for c in chars {
        let b = c.as_bytes();
        for cut in 1..=b.len() {
            tokens.push(b[..cut].to_vec());
            tokens.push(b[cut..].to_vec());
            let mut t = b"ab ".to_vec();
            t.extend_from_slice(&b[..cut]);
            tokens.push(t);
            let mut t = b[cut..].to_vec();
            t.extend_from_slice(b" x");
            tokens.push(t);
        }
    }
    tokens.extend([b"\xff".to_vec(), b"a\xffb".to_vec(), b"\n".to_vec(), b"\"".to_vec(), b" \xce\xbb\n".to_vec()]);
    tokens.retain(|t| !t.is_empty());
    tokens.sort();
    tokens.dedup();
    let programs = ["main = 1 -- a comment ", "main = str_len \"a string "];
    // Each prefix ends after a whole character, or inside one.
    let mut prefixes: Vec<Vec<u8>> = Vec::new();
    for program in programs {
        for c in chars {
            let b = c.as_bytes();
            for cut in 1..=b.len() {
                prefixes.push([program.as_bytes(), &b[..cut]].concat());
            }
        }
    }
    let prefixes: Vec<&[u8]> = prefixes.iter().map(Vec::as_slice).collect();
    assert!(compare(&tokens, &prefixes) > 500);
}

/// Tokens with `--`: a comment opens (and its text is alike whatever it
/// holds) unless what comes before the first `-` joins it: `<-`, a longer
/// run of dashes, a number's exponent, a character literal. Spaces before
/// a comment or a line break say nothing, outside literals.
#[test]
fn masks_by_classes_match_single_checks_around_comment_dashes() {
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for t in [
        "--", "--x", "---", "----", "-- a", "-- b\n", "--[", "--5", "-------\n", "--------------\n", "---\n", "--- doc\n",
        " -- c", " ---", " ----\n", "x -- d", "x--e", "<--", "1e--5", "\"-- e", "'-'", "-", "->", "-1", "- 1", "-- a\tb", "--)\n",
        "   \n", "x  \n", "  -- c", "\"  --", "'  \n", " '\n", "x  -- c\n  y",
    ] {
        tokens.push(t.as_bytes().to_vec());
    }
    let prefixes = [
        "main = [x | x <",
        "main = 1 -",
        "main = x",
        "main = 1",
        "main = 1.5e",
        "main = '",
        "main = 1 ",
        "main = 1\n",
        "main = (",
        "main =\n  print 1\n  x <",
        "main =\n  ",
        "f x = x\n",
        "main = \"a",
    ];
    let prefixes: Vec<&[u8]> = prefixes.iter().map(|p| p.as_bytes()).collect();
    let compared = compare(&tokens, &prefixes);
    assert!(compared > 300);
}

/// Right after the `--` or `---` that opens a comment, text is inert:
/// whether the comment documents the next item changes nothing else.
#[test]
fn masks_by_classes_match_single_checks_after_a_comment_opens() {
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for t in ["-", "--", "---", "-x", "x", "xy", "x-", "-\n", "\n", "\nx", "\n  y", " doc", "- doc\n", "--\n", "é", "\t", "-\t", "x\n)", "-- \n"] {
        tokens.push(t.as_bytes().to_vec());
    }
    tokens.push(b"\xc3".to_vec());
    tokens.push(b"-\xc3".to_vec());
    let prefixes = ["--", "---", "main = 1 --", "main = 1 ---", "main =\n  print 1\n--", "f x = x\n---", "main =\n  --", "x = 1\n  ---"];
    let prefixes: Vec<&[u8]> = prefixes.iter().map(|p| p.as_bytes()).collect();
    let compared = compare(&tokens, &prefixes);
    assert!(compared > 150);
}

/// Compares the mask by classes with single checks of every token of
/// `tokens` after each prefix; returns how many verdicts were compared and
/// fails on any disagreement.
fn compare(tokens: &[Vec<u8>], prefixes: &[&[u8]]) -> usize {
    let vocab = Vocabulary::new(tokens, |_| false);
    let (mut compared, mut disagreements) = (0usize, Vec::new());
    for prefix in prefixes {
        let mut oracle = Oracle::new(Request::default()).expect("empty request");
        oracle.commit(prefix);
        let (dead, _) = oracle.reject(&vocab, |_| true);
        let singles = oracle.mask(&tokens.iter().map(Vec::as_slice).collect::<Vec<_>>());
        for (id, viable) in singles.into_iter().enumerate() {
            compared += 1;
            let by_class = !dead.contains(&(id as u32));
            if by_class != viable {
                let (prefix, token) = (String::from_utf8_lossy(prefix), String::from_utf8_lossy(&tokens[id]));
                disagreements.push(format!("after {prefix:?}: token {token:?}: by class {by_class}, single check {viable}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
    compared
}
