//! Grammar masks by classes (`grammar_mask::ClassMasker`) equal
//! llguidance's own masks, bit for bit, wherever they apply: at every step
//! of corpus replays (valid programs, and programs led off by a random
//! grammar-allowed token) under real tokenizers and a byte vocabulary.
//! Needs the files of `scripts/setup-models.sh`; under CI their absence is
//! a failure.

#[path = "../../typeoracle/tests/common/mod.rs"]
mod common;
mod support;

use std::sync::Arc;
use synoema_decoder::grammar_mask::{grammar_classes, ClassMasker};
use synoema_decoder::sample::Rng;
use synoema_grammar::{byte_tok_env, CompiledGrammar, GrammarConstraint, SimpleVob, TokenId};

/// Whether two masks allow the same tokens of a vocabulary of `n`.
fn same(a: &SimpleVob, b: &SimpleVob, n: usize) -> bool {
    (0..n as TokenId).all(|t| a.is_allowed(t) == b.is_allowed(t))
}

fn compare(compiled: &Arc<CompiledGrammar>, encode: &dyn Fn(&str) -> Vec<TokenId>, label: &str, step: usize) {
    let programs = common::valid_programs();
    assert!(programs.len() > 100, "the corpus is missing");
    let classes = grammar_classes(compiled).expect("the classes compile");
    let trie = compiled.tok_env().tok_trie();
    let mut rng = Rng::new(7);
    let (mut compared, mut fallbacks, mut disagreements) = (0usize, 0usize, Vec::new());
    for (n, (name, text)) in programs.iter().step_by(step).enumerate() {
        let mut g = GrammarConstraint::new(compiled);
        let mut masker = ClassMasker::new(classes.clone());
        let mut prefix = Vec::new();
        let tokens = encode(text);
        // Every fourth program leaves the corpus's path once, by a random
        // allowed token, and is abandoned after it.
        let detour = (n % 4 == 3).then(|| ((rng.unit() * tokens.len() as f64) as usize).min(tokens.len().saturating_sub(1)));
        for (i, &token) in tokens.iter().enumerate() {
            let exact = g.compute_mask().expect("a mask");
            match masker.mask(&prefix).expect("a class mask") {
                None => fallbacks += 1,
                Some(by_class) => {
                    compared += 1;
                    if !same(&by_class, &exact, trie.vocab_size()) {
                        let differ: Vec<String> = (0..trie.vocab_size() as TokenId)
                            .filter(|&t| by_class.is_allowed(t) != exact.is_allowed(t))
                            .take(5)
                            .map(|t| format!("{:?} (llguidance {})", String::from_utf8_lossy(trie.token(t)), exact.is_allowed(t)))
                            .collect();
                        let tail = String::from_utf8_lossy(&prefix[prefix.len().saturating_sub(30)..]).into_owned();
                        disagreements.push(format!("{name} after {tail:?}: {}", differ.join(", ")));
                    }
                }
            }
            let pick = if detour == Some(i) {
                let allowed: Vec<TokenId> = exact.iter().filter(|&t| !compiled.is_eos(t as TokenId)).map(|t| t as TokenId).collect();
                if allowed.is_empty() {
                    break;
                }
                allowed[((rng.unit() * allowed.len() as f64) as usize).min(allowed.len() - 1)]
            } else {
                token
            };
            if g.commit_token(pick).is_err() {
                break;
            }
            prefix.extend_from_slice(trie.token(pick));
            if pick != token {
                // One more comparison after the detour, then the next program.
                if let (Ok(exact), Ok(Some(by_class))) = (g.compute_mask(), masker.mask(&prefix)) {
                    compared += 1;
                    if !same(&by_class, &exact, trie.vocab_size()) {
                        disagreements.push(format!("{name} after a random token: masks differ"));
                    }
                }
                break;
            }
        }
    }
    println!("{label}: {compared} masks compared, {fallbacks} steps where classes do not apply");
    assert!(compared > 100, "{label}: too few masks compared");
    assert!(disagreements.is_empty(), "{label}: {} disagreements:\n{}", disagreements.len(), disagreements.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

fn compare_under(tokenizer: &str, step: usize) {
    let Some(tok) = support::tokenizer_or_skip(tokenizer) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    compare(&compiled, &|text| tok.encode(text), tokenizer, step);
}

#[test]
fn class_masks_equal_llguidance_masks_byte_by_byte() {
    let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
    compare(&compiled, &|text| text.bytes().map(TokenId::from).collect(), "bytes", 4);
}

#[test]
fn class_masks_equal_llguidance_masks_under_smollm2() {
    compare_under("smollm2", 2);
}

#[test]
fn class_masks_equal_llguidance_masks_under_llama3() {
    compare_under("llama3", 3);
}
