//! The constraint API: masks, checks, commits, rollbacks and completion.

mod support;

use support::{compiled, tok};
use synoema_grammar::GrammarConstraint;

fn commit_all(c: &mut GrammarConstraint, text: &str) {
    for b in text.bytes() {
        c.commit_token(tok(b)).unwrap_or_else(|e| panic!("{:?} rejected in {text:?}: {e}", b as char));
    }
}

#[test]
fn eos_is_in_the_mask_exactly_when_complete() {
    let compiled = compiled();
    let eos = compiled.eos();
    let mut c = GrammarConstraint::new(&compiled);
    // The empty program is complete.
    assert!(c.compute_mask().unwrap().is_allowed(eos));
    commit_all(&mut c, "main =");
    assert!(!c.compute_mask().unwrap().is_allowed(eos));
    assert!(!c.is_complete().unwrap());
    commit_all(&mut c, " 1");
    assert!(c.compute_mask().unwrap().is_allowed(eos));
    assert!(c.check_token(eos).unwrap());
    assert_eq!(compiled.vocab_size(), 257);
}

#[test]
fn check_does_not_commit_and_commit_refuses_masked_tokens() {
    let compiled = compiled();
    let mut c = GrammarConstraint::new(&compiled);
    commit_all(&mut c, "x = (1");
    assert!(c.check_token(tok(b')')).unwrap());
    assert!(!c.check_token(tok(b']')).unwrap());
    assert!(c.commit_token(tok(b']')).is_err());
    assert_eq!(c.len(), 6);
    commit_all(&mut c, ")");
    assert!(c.is_complete().unwrap());
}

#[test]
fn rollback_restores_earlier_prefixes() {
    let compiled = compiled();
    let mut c = GrammarConstraint::new(&compiled);
    commit_all(&mut c, "f x = x");
    assert!(c.is_complete().unwrap());
    c.rollback(2).unwrap();
    assert!(!c.is_complete().unwrap());
    assert!(c.check_token(tok(b' ')).unwrap());
    commit_all(&mut c, " [1..x]");
    assert!(c.is_complete().unwrap());
    assert!(c.rollback(100).is_err());
    c.rollback(c.len()).unwrap();
    assert!(c.is_empty());
    assert!(c.is_complete().unwrap());
}

#[test]
fn constraints_from_one_compiled_grammar_are_independent() {
    let compiled = compiled();
    let mut a = GrammarConstraint::new(&compiled);
    let mut b = GrammarConstraint::new(&compiled);
    commit_all(&mut a, "x = \"");
    commit_all(&mut b, "y = 2");
    assert!(!a.is_complete().unwrap());
    assert!(b.is_complete().unwrap());
    assert!(a.check_token(tok(b'$')).unwrap());
    assert!(!b.check_token(tok(b'$')).unwrap());
}

#[test]
fn the_lark_text_compiles_with_llguidance() {
    // `CompiledGrammar::new` compiles `synoema_grammar::lark()` itself; this
    // also checks a grammar with an error is reported, not a panic.
    let env = synoema_grammar::byte_tok_env();
    assert!(synoema_grammar::CompiledGrammar::from_lark(env.clone(), &synoema_grammar::lark()).is_ok());
    assert!(synoema_grammar::CompiledGrammar::from_lark(env, "start: undefined_rule").is_err());
}
