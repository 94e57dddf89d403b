//! The constraint's llama.cpp sampler inside llama.cpp sampler chains,
//! over a byte vocabulary and made-up logits (no model needed): the chain
//! picks only allowed tokens, greedy picks the best allowed one, and the
//! committed tokens reach the constraint through the chain's accept.

use synoema_decoder::llama_sampler::{SamplerChain, Sampling};
use synoema_decoder::{Constraint, Mode, Request};
use synoema_grammar::{byte_tok_env, CompiledGrammar, TokenConstraint};

const EOS: u32 = 256;

fn constraint(prefix: &str) -> Constraint {
    let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
    let mut c = Constraint::new(compiled, Mode::Types, Request { require_main: true, require: None }).unwrap();
    for b in prefix.bytes() {
        c.commit_token(u32::from(b)).unwrap();
    }
    c
}

/// Logits that prefer `favourites` (in order) over everything else.
fn candidates(favourites: &[u8]) -> Vec<f32> {
    (0..=EOS)
        .map(|t| {
            let rank = favourites.iter().position(|&f| u32::from(f) == t);
            rank.map_or(0.0, |r| 10.0 - r as f32)
        })
        .collect()
}

#[test]
fn greedy_picks_the_best_allowed_token() {
    let greedy = Sampling { temperature: 0.0, top_k: 40, top_p: 1.0, seed: 0 };
    let mut chain = SamplerChain::new(constraint("main = 1 + "), greedy);
    // `"` and `)` score higher but cannot follow `1 + `; `7` can.
    let picked = chain.sample(&candidates(b"\")7x"));
    assert_eq!(picked, Some(u32::from(b'7')));
    assert!(chain.stats().checks >= 3);
    assert!(chain.stats().error.is_none());
}

#[test]
fn sampling_with_temperature_never_picks_a_rejected_token() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..40 {
        let sampling = Sampling { temperature: 1.5, top_k: 2, top_p: 1.0, seed };
        let mut chain = SamplerChain::new(constraint("main = 1 + "), sampling);
        let picked = chain.sample(&candidates(b"\")7(")).unwrap();
        assert!(!b"\")".map(u32::from).contains(&picked), "seed {seed} picked a rejected token {picked}");
        seen.insert(picked);
    }
    // Top-2 of the allowed tokens are `7` and `(`: (fixed) seeds sample
    // both, and nothing else.
    assert_eq!(seen, [b'(', b'7'].map(u32::from).into(), "{seen:?}");
}

#[test]
fn accept_commits_into_the_constraint() {
    let greedy = Sampling { temperature: 0.0, top_k: 1, top_p: 1.0, seed: 0 };
    let mut chain = SamplerChain::new(constraint("main = "), greedy);
    for &b in b"2 * 3" {
        let picked = chain.sample(&candidates(&[b])).unwrap();
        assert_eq!(picked, u32::from(b));
        chain.accept(picked);
    }
    // Now the program is complete: EOS is the best allowed token when favoured.
    let mut eos_first = candidates(b"\"");
    eos_first[EOS as usize] = 20.0;
    assert_eq!(chain.sample(&eos_first), Some(EOS));
    assert!(chain.stats().error.is_none());
}
