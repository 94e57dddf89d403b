//! Random programs from the grammar all parse with the reference parser.
//!
//! Two samplers: random walks through the grammar's rules (the
//! character-level reading that GBNF uses), and random byte walks through
//! llguidance's masks (the lexer reading), which pick an allowed byte at
//! random and stop when EOS is allowed and a length budget is spent.

mod support;

use support::*;
use synoema_grammar::sample::Sampler;
use synoema_grammar::GrammarConstraint;

const WALKS: u64 = 400;

#[test]
fn rule_walks_parse_and_pass_the_masks() {
    let sampler = Sampler::new();
    let mut failures = Vec::new();
    let mut total_len = 0;
    for seed in 0..WALKS {
        let program = sampler.program(seed);
        total_len += program.len();
        if !parses(&program) && !only_known_limits(&program) {
            let diags = synoema_compiler::parse::parse(&program).1;
            let what = diags.first().map(|d| {
                let at = d.span.start as usize;
                let from = program[..at].rfind('\n').map_or(0, |i| i + 1);
                let to = program[at..].find('\n').map_or(program.len(), |i| at + i);
                format!("{} at line {}: {:?}", d.message, line_of(&program, at), &program[from..to])
            });
            failures.push(format!("seed {seed}: the parser says {what:?} for {program:?}"));
        } else if replay(&program, false) != Replay::Accepted {
            failures.push(format!("seed {seed}: the masks reject {program:?}: {:?}", replay(&program, false)));
        }
    }
    // The walks must produce real programs, not mostly empty files.
    assert!(total_len > 20 * WALKS as usize, "walks too short: {total_len} bytes");
    assert!(failures.is_empty(), "{} of {WALKS} failed:\n{}", failures.len(), failures.join("\n"));
}

/// The parser's implementation limits that the grammar does not model
/// (docs/grammar.md): float literals that overflow to infinity.
fn only_known_limits(program: &str) -> bool {
    synoema_compiler::parse::parse(program).1.iter().all(|d| d.message.contains("is too large"))
}

/// A byte walk: allowed bytes are drawn at random (weighted towards
/// printable text) until `budget` bytes are written, then the walk takes
/// EOS as soon as it is allowed.
fn byte_walk(seed: u64, budget: usize) -> Option<String> {
    let compiled = compiled();
    let mut c = GrammarConstraint::new(&compiled);
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut out = Vec::new();
    for _ in 0..budget * 20 {
        if out.len() >= budget && c.is_complete().ok()? {
            return String::from_utf8(out).ok();
        }
        let mask = c.compute_mask().ok()?;
        let allowed: Vec<u8> = (0..=255u8).filter(|&b| mask.is_allowed(tok(b))).collect();
        if allowed.is_empty() {
            // A dead end: the mask allows nothing but the program is not complete.
            return None;
        }
        // Over budget, head for the end: close brackets and quotes, end the
        // line (once), or complete an operand.
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let pick = |pool: &[u8]| pool[((state >> 33) as usize) % pool.len()];
        let closing: Vec<u8> = allowed.iter().copied().filter(|b| b")]}\"'".contains(b)).collect();
        // Bytes of Synoema text; others (in strings and comments) rarely.
        // Comments only through the rare fully random pick.
        let after_minus = out.last() == Some(&b'-');
        let plain: Vec<u8> = allowed
            .iter()
            .copied()
            .filter(|&b| b" \nabxyAB01_()[]{}=+-*:?\\|,.'\"<>".contains(&b) && !(after_minus && b == b'-'))
            .collect();
        let b = if state.is_multiple_of(16) || plain.is_empty() {
            pick(&allowed)
        } else if out.len() < budget {
            pick(&plain)
        } else if in_comment(&out) && allowed.contains(&b'\n') {
            b'\n'
        } else if !closing.is_empty() {
            pick(&closing)
        } else if allowed.contains(&b'\n') && out.last() != Some(&b'\n') && out.last() != Some(&b' ') {
            b'\n'
        } else if allowed.contains(&b'1') {
            b'1'
        } else if allowed.contains(&b' ') && out.last() != Some(&b' ') {
            b' '
        } else {
            pick(&plain)
        };
        c.commit_token(tok(b)).ok()?;
        out.push(b);
    }
    // Could not finish within the step limit: report the text as is.
    String::from_utf8(out).ok()
}

/// Whether the last line of `out` holds `--` (a comment, or text in a
/// string, where a line break is not allowed anyway).
fn in_comment(out: &[u8]) -> bool {
    let line = out.rsplit(|&b| b == b'\n').next().unwrap_or(&[]);
    line.windows(2).any(|w| w == b"--")
}

#[test]
fn byte_walks_through_the_masks_parse() {
    let mut failures = Vec::new();
    let mut finished = 0;
    for seed in 0..60 {
        match byte_walk(seed, 40) {
            None => failures.push(format!("seed {seed}: the walk hit an empty mask or invalid UTF-8")),
            Some(program) => {
                let compiled = compiled();
                let mut c = GrammarConstraint::new(&compiled);
                for b in program.bytes() {
                    let _ = c.commit_token(tok(b));
                }
                if c.is_complete().unwrap_or(false) {
                    finished += 1;
                    if !parses(&program) {
                        failures.push(format!("seed {seed}: the parser rejects {program:?}"));
                    }
                }
            }
        }
    }
    assert!(finished >= 30, "only {finished} walks finished");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

