//! The shortcut for inert text: after a prefix known viable (every commit
//! was of bytes a check had just allowed), bytes that stay inside a comment
//! or a plain string are allowed without a parse. Here every such decision
//! along corpus replays is compared with an oracle that cannot take the
//! shortcut (its commits were never checked), for candidates inert and not.

mod common;

use synoema_typeoracle::{Oracle, Request};

/// Candidates at each point: inert text of several kinds, and bytes that
/// end comment or string text, alone and followed by what makes most
/// prefixes dead (a string applied to a number, a line opening with `)`).
const CANDIDATES: &[&str] = &["x", " ", "ab cd", "\u{e9}", "=", "(", "\"", "\" 1", "\\", "\\q", "$", "${", "\n", "\n)", "\t", "--", "-> 1"];

#[test]
fn inert_text_decisions_match_a_full_check() {
    let programs = common::valid_programs();
    assert!(!programs.is_empty(), "no corpus found under {:?}", common::root());
    let (mut compared, mut shortcuts, mut disagreements) = (0usize, 0u64, Vec::new());
    for (name, text) in programs.iter().step_by(3) {
        let mut fast = Oracle::new(Request::default()).expect("empty request");
        let mut slow = Oracle::new(Request::default()).expect("empty request");
        for (i, piece) in text.as_bytes().chunks(3).enumerate() {
            // Only inside comments and strings is there anything to compare.
            let line = text.as_bytes()[..i * 3].rsplit(|b| *b == b'\n').next().unwrap_or(&[]);
            if line.contains(&b'"') || line.windows(2).any(|w| w == b"--") {
                for c in CANDIDATES {
                    let before = fast.stats().queries;
                    let (f, s) = (fast.check(c.as_bytes()), slow.check(c.as_bytes()));
                    shortcuts += u64::from(fast.stats().queries == before);
                    compared += 1;
                    if f != s {
                        disagreements.push(format!("{name} at byte {}: {c:?}: shortcut {f}, full check {s}", i * 3));
                    }
                }
            }
            assert!(fast.check(piece), "{name}: corpus bytes rejected at {}", i * 3);
            fast.commit(piece);
            slow.commit(piece);
        }
    }
    println!("{compared} decisions compared, {shortcuts} taken by the shortcut");
    assert!(shortcuts > 100, "the shortcut was hardly taken ({shortcuts}): the test no longer tests it");
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}

#[test]
fn a_dead_or_unchecked_prefix_takes_no_shortcut() {
    // Unchecked commits: no shortcut, whatever the text.
    let mut unchecked = Oracle::new(Request::default()).expect("empty request");
    unchecked.commit(b"main = 1 + \"a\" -- c");
    assert!(!unchecked.check(b"x"), "a dead prefix stays dead inside a comment");
    // Checked commits: the shortcut decides inert text with no parse.
    let mut checked = Oracle::new(Request::default()).expect("empty request");
    for piece in ["main = 1", " -- a"] {
        assert!(checked.check(piece.as_bytes()));
        checked.commit(piece.as_bytes());
    }
    let queries = checked.stats().queries;
    assert!(checked.check(b" note"));
    assert_eq!(checked.stats().queries, queries, "inert text needs no parse");
    assert!(checked.check(b"\nmain2 = 2"), "a line break is parsed");
    assert!(checked.stats().queries > queries);
    // A commit of bytes other than the last ones allowed forgets the fact;
    // a rollback restores what was known before.
    checked.commit(b" \"x");
    let queries = checked.stats().queries;
    assert!(checked.check(b"y"));
    assert!(checked.stats().queries > queries, "unchecked bytes were committed");
    checked.rollback(1);
    let queries = checked.stats().queries;
    assert!(checked.check(b"y"));
    assert_eq!(checked.stats().queries, queries, "the rollback restored the known viable prefix");
}
