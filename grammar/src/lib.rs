//! The exact grammar of Synoema Core 1 and grammar-only token masks.
//!
//! The grammar accepts precisely the byte strings that the reference parser
//! (`synoema_compiler::parse::parse`) accepts without a diagnostic, layout
//! included, up to the parser's implementation limits (see
//! `docs/grammar.md`). It is generated from one description
//! (`core1.rs`) and exported for llguidance-based engines (Lark) and for
//! llama.cpp's grammar sampler (GBNF).
//!
//! A pure library: no file, network or terminal access.
//!
//! Key types:
//! - [`CompiledGrammar`]: the Lark grammar compiled by llguidance for one
//!   tokenizer environment, built once and shared by every request;
//! - [`GrammarConstraint`]: one generation's prefix: compute the mask, check
//!   or commit a token, roll back, ask whether the program is complete;
//! - [`byte_tok_env`]: a tokenizer with one token per byte, for tests;
//! - [`Tokenizer`]: a real tokenizer (Hugging Face `tokenizer.json`, a GGUF
//!   model file's vocabulary, or a tiktoken rank file) giving the
//!   environment and the encoder ([`gguf`] reads GGUF metadata);
//! - [`replay::replay`]: checks a tokenized program mask by mask and times
//!   the masks (`synoema constrain`).
//!
//! Usage pattern:
//! 1. [`lark`] or [`gbnf`] gives the grammar text for other engines;
//! 2. [`CompiledGrammar::new`] compiles it for a tokenizer environment;
//! 3. per request, [`GrammarConstraint::new`], then for each step
//!    [`GrammarConstraint::compute_mask`], sample, and
//!    [`GrammarConstraint::commit_token`]; EOS is allowed exactly when
//!    [`GrammarConstraint::is_complete`].
//!
//! ```
//! use synoema_grammar::{byte_tok_env, CompiledGrammar, GrammarConstraint};
//! let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
//! let mut c = GrammarConstraint::new(&compiled);
//! for b in b"main = 1 + 2" {
//!     assert!(c.compute_mask().unwrap().is_allowed(u32::from(*b)));
//!     c.commit_token(u32::from(*b)).unwrap();
//! }
//! assert!(c.is_complete().unwrap());
//! // A closing bracket with no opening one can never be completed.
//! assert!(!c.check_token(u32::from(b')')).unwrap());
//! ```

mod constraint;
mod core1;
mod gbnf;
pub mod gguf;
mod ir;
mod lark;
pub mod replay;
pub mod sample;
mod tokenizer;

pub use constraint::{byte_tok_env, tok_env_from_vocab, CompiledGrammar, ConstraintError, GrammarConstraint, TokenConstraint};
pub use tokenizer::{known_tokenizer, Tokenizer, TokenizerFormat, KNOWN_TOKENIZERS};
pub use toktrie::{SimpleVob, TokEnv, TokenId};

/// Blocks nest at most this deep (top level is 0); the grammar expands its
/// layout rules for each depth up to this one.
pub const MAX_BLOCK_DEPTH: u8 = core1::MAX_DEPTH;

/// The Core 1 grammar in llguidance's Lark dialect.
pub fn lark() -> String {
    lark::render(&core1::grammar())
}

/// The Core 1 grammar in llama.cpp's GBNF.
pub fn gbnf() -> String {
    gbnf::render(&core1::grammar())
}
