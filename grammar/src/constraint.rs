//! Token masks over llguidance's `Matcher`: the grammar-only constraint.
//!
//! [`CompiledGrammar`] compiles the Lark grammar once for one tokenizer
//! environment; every request then starts a [`GrammarConstraint`] from it,
//! which clones the compiled parser (the clones share llguidance's lexer
//! caches) instead of compiling again.
//!
//! The constraint keeps the guarantees of CONSTRAINTS.md for parseable
//! viability: a token is allowed exactly when some continuation of the
//! prefix parses, and EOS exactly when the prefix is a complete program.

use llguidance::api::TopLevelGrammar;
use toktrie::{ApproximateTokEnv, SimpleVob, TokEnv, TokRxInfo, TokTrie, TokenId};
use llguidance::{Matcher, ParserFactory};
use std::fmt;
use std::sync::Arc;

/// Why a grammar could not be compiled or a constraint step failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintError {
    pub message: String,
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConstraintError {}

fn error(message: impl fmt::Display) -> ConstraintError {
    ConstraintError { message: message.to_string() }
}

/// One generation's token constraint, whatever decides it: the grammar
/// masks here, or the decoder's combined grammar-and-types constraint.
/// [`crate::replay::replay`] and samplers work through this interface.
///
/// The contract of CONSTRAINTS.md: [`TokenConstraint::compute_mask`] and
/// [`TokenConstraint::check_token`] agree on every token, the EOS bit is
/// set exactly when [`TokenConstraint::is_complete`] holds, and a token is
/// allowed exactly when some continuation of the prefix with it is valid.
pub trait TokenConstraint {
    /// The allowed tokens: a bit per vocabulary entry, EOS included.
    fn compute_mask(&mut self) -> Result<SimpleVob, ConstraintError>;
    /// Whether `token` may follow the prefix (without committing it).
    fn check_token(&mut self, token: TokenId) -> Result<bool, ConstraintError>;
    /// Appends an allowed `token` to the prefix; a token that is not
    /// allowed is an error and leaves the constraint unchanged.
    fn commit_token(&mut self, token: TokenId) -> Result<(), ConstraintError>;
    /// Removes the last `n` committed tokens (speculative decoding).
    fn rollback(&mut self, n: usize) -> Result<(), ConstraintError>;
    /// Whether the prefix is complete: EOS is allowed.
    fn is_complete(&mut self) -> Result<bool, ConstraintError>;
}

/// llguidance's token slices for this grammar: sets of tokens that stay
/// inside one lexeme. When the lexer is inside a lexeme that accepts every
/// string of a slice (the text of a comment, of a plain string), the whole
/// slice is allowed at once instead of walking its tokens in the trie.
/// Measured against llguidance's default (JSON) slices on the corpus
/// replays (`types_latency`, grammar mask p50): smollm2 355 -> 225-250 µs,
/// llama3 390 -> 355 µs. Slices for identifiers, numbers or spaces were
/// tried and made the masks slower (docs/grammar.md).
const SLICES: &[&str] = &[
    // Plain-string text: anything but a quote, a backslash, `$` and line
    // breaks (tabs are kept out too, as in a comment).
    r#"[^"\\$\n\t\r]+"#,
    // Comment text: anything but a line break or a tab.
    r"[^\n\t\r]+",
];

/// The Core 1 grammar compiled for one tokenizer: build once, share.
pub struct CompiledGrammar {
    /// A parser at the start of a program, cloned for every request.
    fresh: Matcher,
    tok_env: TokEnv,
}

impl CompiledGrammar {
    /// Compiles [`crate::lark`] for `tok_env`.
    pub fn new(tok_env: TokEnv) -> Result<Arc<CompiledGrammar>, ConstraintError> {
        Self::from_lark(tok_env, &crate::lark())
    }

    /// Compiles any Lark grammar (the tests use this for small grammars).
    pub fn from_lark(tok_env: TokEnv, lark: &str) -> Result<Arc<CompiledGrammar>, ConstraintError> {
        let slices: Vec<String> = SLICES.iter().map(|s| s.to_string()).collect();
        let mut factory = ParserFactory::new(&tok_env, Default::default(), &slices).map_err(error)?;
        factory.quiet();
        let grammar = TopLevelGrammar::from_lark(lark.to_string());
        let parser = factory.create_parser(grammar).map_err(error)?;
        let fresh = Matcher::new(Ok(parser));
        if let Some(e) = fresh.get_error() {
            return Err(error(e));
        }
        Ok(Arc::new(CompiledGrammar { fresh, tok_env }))
    }

    pub fn tok_env(&self) -> &TokEnv {
        &self.tok_env
    }

    /// The end-of-sequence token of the tokenizer.
    pub fn eos(&self) -> TokenId {
        self.tok_env.tok_trie().eos_token()
    }

    /// Whether `token` ends the sequence: the end-of-sequence token or
    /// another end-of-generation token of the vocabulary (a chat model may
    /// end its turn with `<|im_end|>` as well as `<|endoftext|>`).
    pub fn is_eos(&self, token: TokenId) -> bool {
        self.tok_env.tok_trie().eos_tokens().contains(&token)
    }

    pub fn vocab_size(&self) -> usize {
        self.tok_env.tok_trie().vocab_size()
    }
}

/// The grammar constraint of one generation: the prefix committed so far.
pub struct GrammarConstraint {
    matcher: Matcher,
    /// The end-of-sequence tokens (the first is the primary one).
    eos: Vec<TokenId>,
    /// Tokens committed (EOS included), so rollbacks can be checked.
    committed: usize,
}

impl GrammarConstraint {
    pub fn new(compiled: &CompiledGrammar) -> GrammarConstraint {
        GrammarConstraint { matcher: compiled.fresh.clone(), eos: compiled.tok_env().tok_trie().eos_tokens().to_vec(), committed: 0 }
    }

    /// The allowed tokens: a bit per vocabulary entry. The EOS bit is set
    /// exactly when the prefix is a complete program.
    pub fn compute_mask(&mut self) -> Result<SimpleVob, ConstraintError> {
        self.matcher.compute_mask().map_err(error)
    }

    /// Whether `token` may follow the prefix (without committing it).
    pub fn check_token(&mut self, token: TokenId) -> Result<bool, ConstraintError> {
        if self.eos.contains(&token) {
            return self.is_complete();
        }
        Ok(self.matcher.validate_tokens(&[token]).map_err(error)? == 1)
    }

    /// Appends `token` to the prefix. A token the mask does not allow is an
    /// error and leaves the constraint unchanged.
    pub fn commit_token(&mut self, token: TokenId) -> Result<(), ConstraintError> {
        if !self.check_token(token)? {
            return Err(error(format!("token {token} is not allowed here")));
        }
        self.commit_allowed(token)
    }

    /// Appends `token`, which [`GrammarConstraint::check_token`] has just
    /// allowed at this prefix, without checking it a second time (a check
    /// costs as much as the commit itself). A token that was not allowed
    /// is still an error, from llguidance, but it may leave the
    /// constraint stopped.
    pub fn commit_allowed(&mut self, token: TokenId) -> Result<(), ConstraintError> {
        self.matcher.consume_token(token).map_err(error)?;
        self.committed += 1;
        Ok(())
    }

    /// Appends `tokens`, which the grammar allows one after the other at
    /// this prefix, in one call (cheaper than one call per token; a token
    /// that was not allowed is an error, from llguidance).
    pub fn commit_allowed_all(&mut self, tokens: &[TokenId]) -> Result<(), ConstraintError> {
        self.matcher.consume_tokens(tokens).map_err(error)?;
        self.committed += tokens.len();
        Ok(())
    }

    /// Removes the last `n` committed tokens (speculative decoding).
    pub fn rollback(&mut self, n: usize) -> Result<(), ConstraintError> {
        if n > self.committed {
            return Err(error(format!("cannot roll back {n} tokens: only {} committed", self.committed)));
        }
        self.matcher.rollback(n).map_err(error)?;
        self.committed -= n;
        Ok(())
    }

    /// Whether the prefix is a complete program (EOS is allowed).
    pub fn is_complete(&mut self) -> Result<bool, ConstraintError> {
        if self.matcher.is_stopped() {
            return Ok(false);
        }
        self.matcher.is_accepting().map_err(error)
    }

    /// How many tokens are committed.
    pub fn len(&self) -> usize {
        self.committed
    }

    pub fn is_empty(&self) -> bool {
        self.committed == 0
    }
}

/// The trait view of the methods above, for code generic over constraints.
impl TokenConstraint for GrammarConstraint {
    fn compute_mask(&mut self) -> Result<SimpleVob, ConstraintError> {
        GrammarConstraint::compute_mask(self)
    }

    fn check_token(&mut self, token: TokenId) -> Result<bool, ConstraintError> {
        GrammarConstraint::check_token(self, token)
    }

    fn commit_token(&mut self, token: TokenId) -> Result<(), ConstraintError> {
        GrammarConstraint::commit_token(self, token)
    }

    fn rollback(&mut self, n: usize) -> Result<(), ConstraintError> {
        GrammarConstraint::rollback(self, n)
    }

    fn is_complete(&mut self) -> Result<bool, ConstraintError> {
        GrammarConstraint::is_complete(self)
    }
}

/// A tokenizer environment with one token per byte (ids 0..=255) and an
/// EOS token (id 256): the finest tokenization, for tests and replays.
pub fn byte_tok_env() -> TokEnv {
    let mut words: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    words.push(b"<|end|>".to_vec());
    let mut special = vec![false; 256];
    special.push(true);
    tok_env_from_vocab(&words, &special, &[256]).expect("the byte vocabulary is well-formed")
}

/// A tokenizer environment from a host's vocabulary: the bytes of every
/// token (its id is its index), which of them are special (control tokens
/// such as EOS, never part of a program's text, so never allowed by a
/// grammar) and the end-of-sequence ids, the primary one first (a chat
/// model may end with any of its end-of-generation tokens). This is how a model's own vocabulary (llama.cpp,
/// a C host) becomes the vocabulary the masks are computed over.
pub fn tok_env_from_vocab(tokens: &[Vec<u8>], special: &[bool], eos: &[TokenId]) -> Result<TokEnv, ConstraintError> {
    if tokens.is_empty() || tokens.len() > 10_000_000 {
        return Err(error(format!("a vocabulary of {} tokens is not usable", tokens.len())));
    }
    if special.len() != tokens.len() {
        return Err(error(format!("{} special flags for {} tokens", special.len(), tokens.len())));
    }
    let Some(&primary) = eos.first() else {
        return Err(error("no end-of-sequence token"));
    };
    if let Some(bad) = eos.iter().find(|&&t| t as usize >= tokens.len()) {
        return Err(error(format!("EOS id {bad} is outside the vocabulary of {} tokens", tokens.len())));
    }
    // toktrie spells special tokens with a 0xFF marker byte, which no text
    // contains (0xFF is never valid UTF-8).
    let words: Vec<Vec<u8>> = tokens
        .iter()
        .zip(special)
        .map(|(bytes, &special)| if special { [&[0xFF][..], bytes].concat() } else { bytes.clone() })
        .collect();
    let info = TokRxInfo::new(words.len() as u32, primary);
    Ok(Arc::new(ApproximateTokEnv::new(TokTrie::from(&info, &words).with_eos_tokens(eos))))
}
