//! Constrained decoding for Synoema: what sits between a language model's
//! logits and a program that parses and type-checks.
//!
//! Key types:
//! - [`Constraint`]: one generation's constraint in a [`Mode`] (`none`,
//!   `grammar`, `types`) over one tokenizer: full masks, single-token
//!   checks, commit, roll back, end of sequence. It implements
//!   [`synoema_grammar::TokenConstraint`], so the grammar crate's replay
//!   (`synoema constrain`) and the samplers drive every mode alike;
//! - [`Request`]: what the finished program must define (from the oracle);
//! - [`models`]: the model cache of `scripts/setup-models.sh` and loading
//!   tokenizers from it by name;
//! - [`model::Model`]: the embedded model (SmolLM2 through llama.cpp) and
//!   constrained generation with it, sampling through
//!   [`llama_sampler::SamplerChain`], the constraint as a llama.cpp
//!   sampler; [`prompt`] holds the few-shot prompt of `synoema generate`;
//! - [`sample`]: the sampling step over a plain logits vector (full mask or
//!   lazy checks, the same distribution), for hosts with their own model.
//!
//! The C ABI over [`Constraint`] is the `synoema-capi` package in `capi/`
//! (`libsynoema.so`, `capi/include/synoema.h`).
//!
//! Usage pattern:
//! ```
//! use synoema_decoder::{Constraint, Mode, Request};
//! use synoema_grammar::{byte_tok_env, CompiledGrammar, TokenConstraint};
//! let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
//! let request = Request { require_main: true, require: None };
//! let mut c = Constraint::new(compiled, Mode::Types, request).unwrap();
//! for b in b"main = 1 + " {
//!     c.commit_token(u32::from(*b)).unwrap();
//! }
//! assert!(c.check_token(u32::from(b'2')).unwrap());
//! assert!(!c.check_token(u32::from(b'"')).unwrap()); // a string cannot be added to a number
//! ```
//!
//! **Architecture invariant:** every mode keeps the promises of
//! CONSTRAINTS.md for its notion of validity (none: anything; grammar: the
//! program can still parse; types: it can still parse, respect scope,
//! type-check and meet the request), and the full mask and the
//! single-token check agree on every token.

mod constraint;
pub mod grammar_mask;
pub mod llama_sampler;
pub mod model;
pub mod models;
pub mod prompt;
pub mod sample;

pub use constraint::{prepare_masks, vocabulary, Constraint, Mode};
pub use synoema_typeoracle::{Request, RequestError};
