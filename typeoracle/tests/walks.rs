//! No dead ends (docs/oracle.md): random walks that pick uniformly among
//! the allowed next tokens (the brute-force mask, plus the end of sequence
//! when allowed) never find an empty mask, and every walk that ends yields
//! a program the compiler accepts. `ORACLE_WALKS=n` scales the number of
//! walks.

use synoema_typeoracle::{Oracle, Request};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

fn walks(default: usize) -> usize {
    std::env::var("ORACLE_WALKS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Walks over `vocab`; returns (walks that ended with the end of sequence,
/// total steps). With `eager_end`, a walk ends as soon as the end of
/// sequence is allowed.
fn walk(vocab: &[&[u8]], count: usize, budget: usize, seed: u64, eager_end: bool) -> (usize, usize) {
    // An eager walk must at least define `main`, or it would end at once.
    let request = Request { require_main: eager_end, require: None };
    let mut rng = Rng(seed);
    let (mut ended, mut steps) = (0, 0);
    for w in 0..count {
        let mut oracle = Oracle::new(request.clone()).expect("valid request");
        if eager_end {
            // Start where a complete program is a few tokens away.
            oracle.commit(if w % 2 == 0 { b"main = " } else { b"f x = x\nmain =\n  " });
        }
        for _ in 0..budget {
            steps += 1;
            let mask = oracle.mask(vocab);
            let mut allowed: Vec<Option<&[u8]>> = vocab.iter().zip(&mask).filter(|(_, ok)| **ok).map(|(t, _)| Some(*t)).collect();
            if oracle.is_complete() {
                allowed.push(None);
            }
            let shown = String::from_utf8_lossy(oracle.prefix()).into_owned();
            assert!(!allowed.is_empty(), "walk {w}: empty mask after {shown:?}");
            let pick = if eager_end && allowed.last().is_some_and(Option::is_none) { allowed.len() - 1 } else { rng.below(allowed.len()) };
            match allowed[pick] {
                Some(token) => oracle.commit(token),
                None => {
                    let compiled = synoema_compiler::compile(&shown);
                    assert!(compiled.diagnostics.is_empty(), "walk {w} ended with an invalid program {shown:?}");
                    assert!(!eager_end || synoema_compiler::missing_main(&compiled.program).is_none());
                    ended += 1;
                    break;
                }
            }
        }
    }
    (ended, steps)
}

#[test]
fn byte_walks_never_meet_an_empty_mask() {
    let bytes: Vec<[u8; 1]> = (0..=255u8).map(|b| [b]).collect();
    let vocab: Vec<&[u8]> = bytes.iter().map(|b| &b[..]).collect();
    let (ended, steps) = walk(&vocab, walks(6), 40, 0x5eed, false);
    println!("byte walks: {steps} steps, {ended} ended with a complete program");
}

#[test]
fn token_walks_never_meet_an_empty_mask() {
    // Multi-byte tokens plus every printable byte and the line break: like
    // a real vocabulary with byte fallback, any viable text can be spelt.
    let singles: Vec<[u8; 1]> = (b' '..=b'~').chain([b'\n']).map(|b| [b]).collect();
    let mut vocab: Vec<&[u8]> = singles.iter().map(|b| &b[..]).collect();
    let words: Vec<&[u8]> = [
        "main", " = ", "\n  ", "  ", "xs", "0.5", "\"a\"", "\"",
        "'c'", "true", "false", " + ", " ++ ", " : ", " == ",
        " |> ", ">>", "&&", " -> ", "..", "<-", "map", "length", "show", "print", "foldl",
        "filter", "sum", "str_len", "Just", "None", "Ok", "T", " = A | B", "type", "test", "_", "${", "--", ".x",
    ]
    .iter()
    .map(|s| s.as_bytes())
    .collect();
    vocab.extend(words);
    let (ended, steps) = walk(&vocab, walks(16), 50, 0xfeed, false);
    println!("token walks: {steps} steps, {ended} ended with a complete program");
}

#[test]
fn walks_that_end_early_yield_valid_programs() {
    let singles: Vec<[u8; 1]> = (b' '..=b'~').chain([b'\n']).map(|b| [b]).collect();
    let mut vocab: Vec<&[u8]> = singles.iter().map(|b| &b[..]).collect();
    let words: Vec<&[u8]> = [
        "main = ", "main", "x", "f", "n", " ", " = ", "\n", "\n  ", "1", "2.5", "\"s\"", "true", " + ", " ++ ", " == ", " |> ", "(", ")",
        "[", "]", "{", "}", ".", "? ", " -> ", " : ", "\\", "map", "show", "length", "str_len", "Just", ",",
    ]
    .iter()
    .map(|s| s.as_bytes())
    .collect();
    // The words several times over, so walks spell programs more often.
    for _ in 0..4 {
        vocab.extend(words.iter().copied());
    }
    let (ended, steps) = walk(&vocab, walks(10), 30, 0xbeef, true);
    println!("eager walks: {steps} steps, {ended} ended with a complete program");

}
