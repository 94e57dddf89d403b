//! Differential tests against the reference parser on the compiler's
//! corpus: valid programs are accepted byte by byte, programs with a syntax
//! or layout error are rejected on the line the parser reports, and
//! programs whose only errors are scope or type errors are accepted.

mod support;

use support::*;
use synoema_grammar::GrammarConstraint;

#[test]
fn corpus_is_large_enough() {
    // Guards against a moved corpus silently making the tests below vacuous.
    assert!(corpus().len() >= 100, "corpus has only {} files", corpus().len());
}

#[test]
fn valid_programs_are_accepted_byte_by_byte() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in corpus() {
        let src = read(&path);
        if first_syntax_error(&src).is_some() {
            continue;
        }
        checked += 1;
        let r = replay(&src, true);
        if r != Replay::Accepted {
            let at = rejection_offset(&src, &r).unwrap_or(0);
            failures.push(format!("{}: {r:?} (line {})", path.display(), line_of(&src, at)));
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{} of {checked} rejected:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn syntax_errors_are_rejected_on_the_reported_line() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in corpus() {
        let src = read(&path);
        let Some((error_at, message)) = first_syntax_diagnostic(&src) else { continue };
        checked += 1;
        let r = replay(&src, false);
        let expected = line_of(&src, error_at);
        // The last line the grammar may reject on (see `reported_before_dead_end`).
        let latest = if reported_before_dead_end(&message) { next_code_line(&src, expected) } else { expected };
        match rejection_offset(&src, &r) {
            None => failures.push(format!("{}: accepted (parser: line {expected}: {message})", path.display())),
            Some(at) if !(expected..=latest).contains(&line_of(&src, at)) => failures.push(format!(
                "{}: rejected on line {} (parser: line {expected}: {message}) {r:?}",
                path.display(),
                line_of(&src, at)
            )),
            Some(_) => {}
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{} of {checked} wrong:\n{}", failures.len(), failures.join("\n"));
}

/// EOS is not allowed where the prefix is not a complete program: checked
/// at every line end of every valid program (and where it is allowed, the
/// parser must accept the prefix).
#[test]
fn eos_is_allowed_exactly_at_complete_programs() {
    let compiled = compiled();
    let mut failures = Vec::new();
    for path in corpus() {
        let src = read(&path);
        if first_syntax_error(&src).is_some() {
            continue;
        }
        let mut c = GrammarConstraint::new(&compiled);
        for (i, b) in src.bytes().enumerate() {
            // Sample positions: line ends and a few bytes inside lines.
            let prefix = src.get(..i);
            if let Some(prefix) = prefix.filter(|_| b == b'\n' || i % 17 == 0) {
                let complete = c.is_complete().expect("is_complete");
                let eos = c.check_token(compiled.eos()).expect("check eos");
                assert_eq!(complete, eos);
                if complete != parses(prefix) {
                    failures.push(format!("{} at byte {i}: grammar {complete}, parser {}", path.display(), !complete));
                }
            }
            if c.commit_token(tok(b)).is_err() {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
