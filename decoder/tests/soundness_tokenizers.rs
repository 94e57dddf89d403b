//! Soundness of the `types` constraint under real tokenizers (issue 5,
//! CONSTRAINTS.md): every valid corpus program, tokenized as llama3 and as
//! qwen3 would, is replayed token by token through the combined grammar
//! and type constraint; no token may be rejected, and the end of sequence
//! must be allowed at the end. (Byte by byte is `typeoracle/tests/soundness.rs`.)
//! Needs the tokenizer files of `scripts/setup-models.sh`; under CI their
//! absence is a failure.

#[path = "../../typeoracle/tests/common/mod.rs"]
mod common;
mod support;

use synoema_decoder::{Constraint, Mode, Request};
use synoema_grammar::{CompiledGrammar, TokenConstraint};

fn replay_corpus(tokenizer: &str) {
    let Some(tok) = support::tokenizer_or_skip(tokenizer) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    let programs = common::valid_programs();
    assert!(programs.len() > 100, "the corpus is missing");
    let mut violations = Vec::new();
    let mut tokens = 0;
    for (name, text) in &programs {
        let mut c = Constraint::new(compiled.clone(), Mode::Types, Request::default()).unwrap();
        let mut offset = 0;
        let mut rejected = false;
        for token in tok.encode(text) {
            // commit_token checks the token first and refuses a rejected one.
            if let Err(e) = c.commit_token(token) {
                let line = text[..offset.min(text.len())].matches('\n').count() + 1;
                violations.push(format!("{name}: token {token} {:?} at byte {offset} (line {line}): {e}", String::from_utf8_lossy(&tok.token_bytes(token))));
                rejected = true;
                break;
            }
            offset += tok.token_bytes(token).len();
            tokens += 1;
        }
        if !rejected && !c.is_complete().unwrap() {
            violations.push(format!("{name}: the end of sequence is rejected at the end"));
        }
    }
    println!("{tokenizer}: {} programs, {tokens} tokens replayed", programs.len());
    assert!(violations.is_empty(), "{tokenizer}: {} soundness violations:\n{}", violations.len(), violations.join("\n"));
}

#[test]
fn corpus_replayed_under_llama3_is_never_rejected() {
    replay_corpus("llama3");
}

#[test]
fn corpus_replayed_under_qwen3_is_never_rejected() {
    replay_corpus("qwen3");
}
