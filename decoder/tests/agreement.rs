//! Agreement of the two ways to use the `types` constraint (issue 5): the
//! full mask (grammar mask, then the oracle deciding one token per class,
//! `Oracle::reject`) and the single-token check (`check_token`, the exact
//! reference path) decide every token alike. At each prefix the test checks
//! two more members of every class the full mask formed (the claim that
//! makes it exact: members of a class are alike), and a random sample of
//! the vocabulary, one by one. Prefixes are cut at random
//! (fixed seeds) from corpus programs, kept valid or broken by a random
//! grammar-allowed token, under real tokenizers (SmolLM2, Llama 3) and a
//! byte-level vocabulary. Needs the files of `scripts/setup-models.sh`;
//! under CI their absence is a failure.

#[path = "../../typeoracle/tests/common/mod.rs"]
mod common;
mod support;

use synoema_decoder::sample::Rng;
use synoema_decoder::{Constraint, Mode, Request};
use synoema_grammar::{byte_tok_env, CompiledGrammar, TokenConstraint, TokenId};
use synoema_typeoracle::Oracle;

/// Prefixes per tokenizer, and tokens compared at each (all of them for
/// the byte-level vocabulary).
const PREFIXES: usize = 24;
const SAMPLED: usize = 300;

fn pick(rng: &mut Rng, n: usize) -> usize {
    ((rng.unit() * n as f64) as usize).min(n.saturating_sub(1))
}

fn agree(compiled: &std::sync::Arc<CompiledGrammar>, encode: &dyn Fn(&str) -> Vec<TokenId>, label: &str, seed: u64) {
    let programs = common::valid_programs();
    assert!(programs.len() > 100, "the corpus is missing");
    let mut rng = Rng::new(seed);
    let vocab = compiled.vocab_size();
    let mut disagreements = Vec::new();
    let (mut compared, mut rejected_seen, mut checks, mut dead) = (0usize, 0usize, 0usize, 0usize);
    // A quarter of the prefixes are cut anywhere; the others inside a
    // comment or a string literal (where whole runs of text are alike),
    // right after a quote or a backslash, when the program has one, or
    // right after a line break.
    for round in 0..PREFIXES {
        let (name, text) = &programs[pick(&mut rng, programs.len())];
        let tokens = encode(text);
        let mut cut = pick(&mut rng, tokens.len() + 1);
        let inside = match round % 4 {
            // At a line start, where a token's leading spaces are
            // indentation (its class is its line-start key).
            0 if round % 8 == 4 => {
                let breaks: Vec<usize> = text.match_indices('\n').map(|(at, _)| at + 1).collect();
                (!breaks.is_empty()).then(|| breaks[pick(&mut rng, breaks.len())])
            }
            0 => text.find("-- ").map(|at| at + 5),
            2 => text.find(" \"").map(|at| at + 3),
            // Right after a quote or a backslash: character literals,
            // escapes and lambdas.
            3 => text.find(['\'', '\\']).map(|at| at + 1),
            _ => None,
        };
        if let Some(at) = inside {
            let trie = compiled.tok_env().tok_trie();
            let mut end = 0;
            cut = tokens.iter().take_while(|&&t| {
                end += trie.token(t).len();
                end <= at
            }).count();
        }
        let mut c = Constraint::new(compiled.clone(), Mode::Types, Request::default()).unwrap();
        let mut g = Constraint::new(compiled.clone(), Mode::Grammar, Request::default()).unwrap();
        let mut oracle = Oracle::new(Request::default()).unwrap();
        let trie = compiled.tok_env().tok_trie();
        for &t in &tokens[..cut] {
            c.commit_token(t).unwrap();
            g.commit_token(t).unwrap();
            oracle.commit(trie.token(t));
        }
        let grammar_allowed = |g: &mut Constraint| -> Vec<TokenId> {
            g.compute_mask().unwrap().iter().filter(|&t| !compiled.is_eos(t as TokenId)).map(|t| t as TokenId).collect()
        };
        // Every other prefix ends with a random token the grammar allows
        // and the oracle may not: dead and odd prefixes get compared too.
        if round % 2 == 1 {
            let allowed = grammar_allowed(&mut g);
            if !allowed.is_empty() {
                let t = allowed[pick(&mut rng, allowed.len())];
                if c.check_token(t).unwrap() {
                    c.commit_token(t).unwrap();
                    g.commit_token(t).unwrap();
                    oracle.commit(trie.token(t));
                }
            }
        }
        let mask = c.compute_mask().unwrap();
        checks += c.last_mask_stats().checks;
        dead += c.last_mask_stats().dead;
        // Mostly tokens the grammar allows (the oracle decides those), some
        // drawn from the whole vocabulary.
        let allowed = grammar_allowed(&mut g);
        let mut sample: Vec<TokenId> = if vocab <= 512 {
            (0..vocab as TokenId).collect()
        } else {
            let mut sample: Vec<TokenId> = (0..SAMPLED / 3).map(|_| pick(&mut rng, vocab) as TokenId).collect();
            if !allowed.is_empty() {
                sample.extend((0..SAMPLED).map(|_| allowed[pick(&mut rng, allowed.len())]));
            }
            sample
        };
        let vocabulary = synoema_decoder::vocabulary(compiled);
        for class in oracle.classes(&vocabulary, allowed.iter().copied()) {
            if class.len() > 1 {
                sample.push(class[1 + pick(&mut rng, class.len() - 1)]);
                sample.push(class[class.len() - 1]);
            }
        }
        for t in sample {
            let single = c.check_token(t).unwrap();
            let full = mask.is_allowed(t);
            compared += 1;
            rejected_seen += usize::from(!full);
            if single != full {
                let bytes = compiled.tok_env().tok_trie().token(t).to_vec();
                let prefix = oracle.prefix();
                let tail = String::from_utf8_lossy(&prefix[prefix.len().saturating_sub(30)..]).into_owned();
                disagreements.push(format!(
                    "{name} cut at token {cut} (prefix ends {tail:?}): token {t} {:?}: full mask {full}, single check {single}",
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
    }
    println!("{label}: {compared} tokens compared at {PREFIXES} prefixes, {rejected_seen} rejected; {checks} class checks ({dead} dead)");
    assert!(rejected_seen > 0 && rejected_seen < compared, "{label}: the sample must hold allowed and rejected tokens");
    assert!(disagreements.is_empty(), "{label}: {} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}

fn agree_under(tokenizer: &str, seed: u64) {
    let Some(tok) = support::tokenizer_or_skip(tokenizer) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    agree(&compiled, &|text| tok.encode(text), tokenizer, seed);
}

#[test]
fn full_mask_and_single_checks_agree_byte_by_byte() {
    let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
    agree(&compiled, &|text| text.bytes().map(TokenId::from).collect(), "bytes", 1);
}

#[test]
fn full_mask_and_single_checks_agree_under_smollm2() {
    agree_under("smollm2", 2);
}

#[test]
fn full_mask_and_single_checks_agree_under_llama3() {
    agree_under("llama3", 3);
}
