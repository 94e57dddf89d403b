//! A walkthrough of the grammar crate: export the grammar, compile it for a
//! tokenizer, and constrain a program byte by byte.
//!
//! Run with `cargo run -p synoema-grammar --example grammar_minimal`.

use synoema_grammar::{byte_tok_env, lark, CompiledGrammar, GrammarConstraint};

fn main() {
    // 1. The grammar text, for llguidance-based engines (and `gbnf()` for
    //    llama.cpp's grammar sampler).
    let text = lark();
    println!("Lark grammar: {} lines", text.lines().count());

    // 2. Compile once per tokenizer; here one token per byte plus EOS.
    let compiled = match CompiledGrammar::new(byte_tok_env()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot compile the grammar: {e}");
            return;
        }
    };

    // 3. One constraint per generation: mask, commit, and ask for the end.
    let program = "fizz n =\n  ? n % 15 == 0 -> \"FizzBuzz\"\n  : show n\n";
    let mut constraint = GrammarConstraint::new(&compiled);
    for (offset, byte) in program.bytes().enumerate() {
        let allowed = constraint.compute_mask().map(|m| m.num_set()).unwrap_or(0);
        if let Err(e) = constraint.commit_token(u32::from(byte)) {
            eprintln!("byte {offset} ({:?}) rejected: {e}", byte as char);
            return;
        }
        if byte == b'\n' {
            println!("after line ending at byte {offset}: {allowed} bytes were allowed");
        }
    }
    println!("complete program: {}", constraint.is_complete().unwrap_or(false));
    // A program cut in the middle of a conditional is not complete.
    let _ = constraint.rollback(8);
    println!("after rolling back 8 bytes, complete: {}", constraint.is_complete().unwrap_or(false));
}
