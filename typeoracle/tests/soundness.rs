//! Soundness (docs/oracle.md): every valid corpus program, replayed byte by
//! byte, never meets a rejected byte, and ends with the end of sequence
//! allowed; at sampled earlier points the end is allowed exactly when the
//! prefix is itself a valid program. `ORACLE_SHARD=i/n` runs one shard.

mod common;

use synoema_typeoracle::{Oracle, Request};

#[test]
fn corpus_programs_replayed_byte_by_byte_are_never_rejected() {
    let programs = common::shard(common::valid_programs());
    assert!(!programs.is_empty(), "no corpus found under {:?}", common::root());
    let mut violations = Vec::new();
    let mut bytes = 0usize;
    for (name, text) in &programs {
        let mut oracle = Oracle::new(Request::default()).expect("empty request");
        for (i, b) in text.bytes().enumerate() {
            if !oracle.check(&[b]) {
                let line = text[..i].matches('\n').count() + 1;
                violations.push(format!("{name}: byte {i} {:?} (line {line}) rejected", b as char));
                break;
            }
            oracle.commit(&[b]);
            bytes += 1;
            if i % 97 == 0 {
                let compiles = std::str::from_utf8(oracle.prefix())
                    .is_ok_and(|src| synoema_compiler::compile(src).diagnostics.is_empty());
                if oracle.is_complete() != compiles {
                    violations.push(format!("{name}: end allowed = {} after byte {i}", !compiles));
                }
            }
        }
        if violations.is_empty() && !oracle.is_complete() {
            violations.push(format!("{name}: end of sequence rejected at the end"));
        }
    }
    println!("{} programs, {bytes} bytes replayed", programs.len());
    assert!(violations.is_empty(), "{} soundness violations:\n{}", violations.len(), violations.join("\n"));
}
