//! The combined constraint in each mode, over the byte tokenizer: what each
//! mode allows, EOS, rollback, and agreement of the full mask with the
//! single-token check.

use synoema_decoder::{Constraint, Mode, Request};
use synoema_grammar::{byte_tok_env, CompiledGrammar, TokenConstraint};

const EOS: u32 = 256;

fn constraint(mode: Mode, request: Request) -> Constraint {
    Constraint::new(CompiledGrammar::new(byte_tok_env()).unwrap(), mode, request).unwrap()
}

fn main_request() -> Request {
    Request { require_main: true, require: None }
}

fn commit(c: &mut Constraint, text: &str) {
    for b in text.bytes() {
        c.commit_token(u32::from(b)).unwrap_or_else(|e| panic!("{text:?} at {b:?}: {e}"));
    }
}

/// Every token's single check agrees with the full mask, EOS included.
fn assert_agreement(c: &mut Constraint) {
    let mask = c.compute_mask().unwrap();
    for token in 0..=EOS {
        assert_eq!(mask.is_allowed(token), c.check_token(token).unwrap(), "token {token} after {} tokens", c.len());
    }
}

#[test]
fn none_mode_allows_everything() {
    let mut c = constraint(Mode::None, main_request());
    commit(&mut c, ") ) )");
    assert!(c.check_token(u32::from(b'(')).unwrap());
    assert!(c.is_complete().unwrap());
    assert_eq!(c.compute_mask().unwrap().num_set(), 257);
    assert_eq!(c.mode(), Mode::None);
}

#[test]
fn grammar_mode_allows_ill_typed_programs() {
    let mut c = constraint(Mode::Grammar, main_request());
    commit(&mut c, "main = 1 + ");
    assert!(c.check_token(u32::from(b'"')).unwrap());
    assert!(!c.check_token(u32::from(b')')).unwrap());
    assert!(!c.check_token(EOS).unwrap());
}

#[test]
fn types_mode_rejects_ill_typed_tokens() {
    let mut c = constraint(Mode::Types, main_request());
    commit(&mut c, "main = 1 + ");
    assert!(!c.check_token(u32::from(b'"')).unwrap());
    assert!(c.check_token(u32::from(b'2')).unwrap());
    assert!(c.commit_token(u32::from(b'"')).is_err(), "a rejected token cannot be committed");
    commit(&mut c, "2");
    assert!(c.is_complete().unwrap());
    assert!(c.compute_mask().unwrap().is_allowed(EOS));
}

#[test]
fn types_mode_needs_the_requested_definition_for_eos() {
    let request = Request { require_main: false, require: Some(("solve".into(), "[Int] -> Int".into())) };
    let mut c = constraint(Mode::Types, request);
    commit(&mut c, "helper x = x\n");
    assert!(!c.check_token(EOS).unwrap(), "solve is not defined yet");
    commit(&mut c, "solve xs = length xs\n");
    assert!(c.check_token(EOS).unwrap());
}

#[test]
fn a_request_that_does_not_parse_is_an_error_in_every_mode() {
    for mode in [Mode::None, Mode::Grammar, Mode::Types] {
        let request = Request { require_main: false, require: Some(("f".into(), "Int ->".into())) };
        assert!(Constraint::new(CompiledGrammar::new(byte_tok_env()).unwrap(), mode, request).is_err(), "{mode:?}");
    }
}

#[test]
fn rollback_restores_every_part() {
    let mut c = constraint(Mode::Types, main_request());
    commit(&mut c, "main = 1 + 2");
    assert!(c.is_complete().unwrap());
    c.rollback(2).unwrap();
    assert_eq!(c.len(), 10);
    assert!(!c.check_token(u32::from(b'"')).unwrap());
    assert!(!c.is_complete().unwrap());
    assert!(c.rollback(11).is_err());
    commit(&mut c, " 3");
    assert!(c.is_complete().unwrap());
}

#[test]
fn full_mask_agrees_with_single_checks() {
    let prefixes = ["", "main = ", "main = 1 + ", "f x = x ++ \"a\"\nmain = f ", "main =\n  y = 2\n  y *"];
    for mode in [Mode::Grammar, Mode::Types] {
        for prefix in prefixes {
            let mut c = constraint(mode, main_request());
            commit(&mut c, prefix);
            assert_agreement(&mut c);
        }
    }
}

/// Committing the token the last check allowed skips a second check; any
/// other token is still checked, and the memory of the check does not
/// outlive a commit or a rollback.
#[test]
fn a_commit_is_checked_unless_the_same_token_was_just_allowed() {
    let mut c = constraint(Mode::Types, main_request());
    commit(&mut c, "main = sq");
    let (ok, bad) = (u32::from(b'r'), u32::from(b'"'));
    assert!(c.check_token(ok).unwrap());
    // `"` right after `sq` is not allowed (an application needs a space).
    assert!(c.commit_token(bad).is_err(), "a different token than the checked one is checked");
    assert!(c.check_token(ok).unwrap());
    c.commit_token(ok).unwrap();
    // The allowance was used up by the commit: `r` again needs its own check.
    assert!(c.check_token(ok).is_ok());
    c.rollback(1).unwrap();
    assert!(c.commit_token(bad).is_err(), "a rollback forgets the last allowed token");
    assert_eq!(c.len(), "main = sq".len());
}
