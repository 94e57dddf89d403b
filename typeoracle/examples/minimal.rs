//! The oracle in a few lines: constrain a "model" that proposes tokens,
//! checking each proposal, committing the first one allowed, and stopping
//! when the end of sequence is allowed.
//!
//! `cargo run -p synoema-typeoracle --example oracle_minimal`

use synoema_typeoracle::{Oracle, Request};

fn main() {
    let request = Request { require_main: true, require: Some(("double".into(), "Int -> Int".into())) };
    let mut oracle = match Oracle::new(request) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bad request: {e}");
            return;
        }
    };
    // A stand-in for a model: at each step, its proposals in order of preference.
    let steps: &[&[&str]] = &[
        &["double x = "],
        &["x ++ \"!\"", "x * 2"], // `x` is an `Int`: `x ++ "!"` cannot be
        &["\n"],
        &["main = ", "double = "], // a second `double` would be a redefinition
        &["double \"3\"", "double 21"],
    ];
    for proposals in steps {
        match proposals.iter().find(|p| oracle.check(p.as_bytes())) {
            Some(token) => {
                println!("allowed {token:?}");
                oracle.commit(token.as_bytes());
            }
            None => {
                println!("no proposal allowed");
                return;
            }
        }
    }
    let program = String::from_utf8_lossy(oracle.prefix()).into_owned();
    println!("complete: {}\n{program}", oracle.is_complete());
}
