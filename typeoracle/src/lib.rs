//! The type oracle: which next tokens keep a Synoema program prefix
//! completable to a valid program (it parses, respects scope, type-checks
//! and meets the request)? The contract is `docs/oracle.md`; this is its
//! first increment, the exact reference path ("Step 1").
//!
//! Key types:
//! - [`Oracle`]: the state of one generation: the committed bytes, with
//!   single-token checks, a brute-force mask, commit and rollback;
//! - [`Request`]: what the finished program must do (define `main`, or a
//!   name with at least a given type);
//! - [`Mode`]: types (the default) or grammar only (parse-viability);
//! - [`Stats`]: the work done and the over-approximations taken;
//! - [`Vocabulary`]: a tokenizer's tokens in classes, for full masks
//!   ([`Oracle::reject`]) that check one token per class.
//!
//! Usage pattern:
//! 1. [`Oracle::new`] with a [`Request`];
//! 2. for each step, [`Oracle::check`] a sampled token (or
//!    [`Oracle::mask`] a whole token list) and [`Oracle::is_complete`] for
//!    the end of sequence;
//! 3. [`Oracle::commit`] the chosen token; [`Oracle::rollback`] undoes
//!    commits (speculative decoding).
//!
//! ```
//! use synoema_typeoracle::{Oracle, Request};
//! let mut oracle = Oracle::new(Request { require_main: true, require: None }).unwrap();
//! oracle.commit(b"main = 1 + ");
//! assert!(oracle.check(b"2"));
//! assert!(!oracle.check(b"\"two\""));
//! oracle.commit(b"2");
//! assert!(oracle.is_complete());
//! ```
//!
//! How it decides: each query runs the compiler's lexer, parser and checker
//! in prefix mode on the committed text plus the candidate bytes
//! ([`synoema_compiler::prefix`]). Complete top-level items are checked once
//! and kept, and so is the lexer's state after the committed complete
//! lines; a query re-checks only the current item. Exact by construction.
//! One shortcut rests on the same fact as the full mask's fixed classes:
//! after a prefix known viable (every commit was of bytes a check had just
//! allowed), text that stays inside a comment or a plain string is allowed
//! without a parse (`tests/inert_text.rs` compares it with full checks).
//!
//! **Architecture invariant:** the oracle does no IO and knows nothing of
//! tokenizers: a token is a byte string.

mod classes;

use synoema_compiler::prefix::{self, Session};

pub use classes::{grammar_context, GrammarContext, MaskStats, Vocabulary, NO_CLASS};
pub use synoema_compiler::prefix::{Mode, Request, RequestError, Stats};

/// The state of one constrained generation.
pub struct Oracle {
    session: Session,
    /// The request's name and type, whose words are known words.
    request_words: Vec<String>,
    bytes: Vec<u8>,
    /// The length of `bytes` before each commit, and whether the prefix
    /// was known viable then, for rollback.
    commits: Vec<(usize, bool)>,
    /// The committed prefix is known viable: every commit so far (or since
    /// a prefix known viable) was of bytes a check had just allowed.
    known_viable: bool,
    /// The bytes the last check allowed at the committed prefix.
    allowed: Option<Vec<u8>>,
}

impl Oracle {
    /// An oracle for `request` that checks types. A requested signature
    /// that does not parse is an error.
    pub fn new(request: Request) -> Result<Oracle, RequestError> {
        Oracle::with_mode(request, Mode::Types)
    }

    /// An oracle in the given mode ([`Mode::Grammar`] checks only that the
    /// program can still parse).
    pub fn with_mode(request: Request, mode: Mode) -> Result<Oracle, RequestError> {
        let request_words = request.require.iter().flat_map(|(name, ty)| [name.clone(), ty.clone()]).collect();
        Ok(Oracle { session: Session::new(request, mode)?, request_words, bytes: Vec::new(), commits: Vec::new(), known_viable: false, allowed: None })
    }

    /// Whether the committed prefix followed by `bytes` is still viable.
    /// A commit of exactly these bytes next keeps the prefix known viable.
    pub fn check(&mut self, bytes: &[u8]) -> bool {
        let viable = self.viable(bytes);
        if viable {
            self.allowed = Some(bytes.to_vec());
        }
        viable
    }

    /// [`Oracle::check`]'s verdict, remembering nothing.
    fn viable(&mut self, bytes: &[u8]) -> bool {
        // Inert comment or string text after a prefix known viable: viable
        // with no parse (the fact the full mask's classes rest on too).
        if self.known_viable && classes::inert_after(&self.bytes, bytes) {
            return true;
        }
        let mut text = Vec::with_capacity(self.bytes.len() + bytes.len());
        text.extend_from_slice(&self.bytes);
        text.extend_from_slice(bytes);
        match as_text(&text) {
            // The committed bytes are shared by every check until the next
            // commit or rollback.
            Some(src) => self.session.viable_from(&src, self.bytes.len()),
            None => false,
        }
    }

    /// Appends `bytes` to the committed prefix (whether viable or not).
    pub fn commit(&mut self, bytes: &[u8]) {
        self.commits.push((self.bytes.len(), self.known_viable));
        self.bytes.extend_from_slice(bytes);
        // Viable if the last check allowed exactly these bytes here.
        self.known_viable = self.allowed.take().is_some_and(|a| a == bytes);
    }

    /// Undoes the last `n` commits (all of them if there are fewer).
    pub fn rollback(&mut self, n: usize) {
        self.allowed = None;
        for _ in 0..n {
            match self.commits.pop() {
                Some((len, known_viable)) => {
                    self.bytes.truncate(len);
                    self.known_viable = known_viable;
                }
                None => break,
            }
        }
    }

    /// Whether the end of sequence is allowed: the committed prefix is a
    /// complete program with no diagnostic that meets the request.
    pub fn is_complete(&self) -> bool {
        match std::str::from_utf8(&self.bytes) {
            Ok(src) => self.session.complete(src),
            Err(_) => false,
        }
    }

    /// The brute-force mask: [`Oracle::check`] for every token.
    pub fn mask(&mut self, tokens: &[&[u8]]) -> Vec<bool> {
        tokens.iter().map(|t| self.viable(t)).collect()
    }

    /// The full mask by classes: of the token ids `allowed` says yes to, those that are
    /// not viable after the committed prefix. Decides the same as
    /// [`Oracle::check`] on every token, with one check per class of tokens
    /// the oracle cannot tell apart (see [`Vocabulary`]); tokens the
    /// vocabulary skips (EOS) are never rejected here.
    pub fn reject(&mut self, vocab: &Vocabulary, allowed: impl Fn(u32) -> bool) -> (Vec<u32>, MaskStats) {
        let mut step = classes::Step::new(vocab, &self.bytes, &self.request_words);
        let mut rejected = Vec::new();
        // A mask decides many tokens; none of them is the one committed
        // next, so no verdict is remembered.
        let mut check = |bytes: &[u8]| self.viable(bytes);
        // Longest first: a viable token makes every token that is a prefix
        // of it viable (what continues it continues them), so those need
        // no check of their own.
        for &id in &vocab.by_length {
            if allowed(id) && step.decide(id, &mut check) == Some(false) {
                rejected.push(id);
            }
        }
        rejected.sort_unstable();
        (rejected, step.stats)
    }

    /// The classes [`Oracle::reject`] would decide `allowed` by at this
    /// step: groups of token ids it takes as alike, each decided by one
    /// check. For tests of that claim and for diagnostics.
    pub fn classes(&self, vocab: &Vocabulary, allowed: impl IntoIterator<Item = u32>) -> Vec<Vec<u32>> {
        let mut step = classes::Step::new(vocab, &self.bytes, &self.request_words);
        let mut groups: std::collections::HashMap<Vec<u8>, Vec<u32>> = std::collections::HashMap::new();
        for id in allowed {
            if let Some(key) = step.class_key(id) {
                groups.entry(key).or_default().push(id);
            }
        }
        let mut groups: Vec<Vec<u32>> = groups.into_values().collect();
        groups.sort_unstable();
        groups
    }

    /// The committed prefix.
    pub fn prefix(&self) -> &[u8] {
        &self.bytes
    }

    pub fn stats(&self) -> Stats {
        self.session.stats()
    }
}

/// The text of a prefix. Bytes that end in the middle of a UTF-8 sequence
/// stand for any character it may become: every non-ASCII character is
/// lexically alike (allowed in strings, characters and comments only), so
/// one representative decides for all of them. Invalid UTF-8 elsewhere is
/// dead (`None`).
fn as_text(bytes: &[u8]) -> Option<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(e) if e.error_len().is_none() => {
            let valid = bytes.get(..e.valid_up_to()).and_then(|b| std::str::from_utf8(b).ok())?;
            Some(format!("{valid}\u{e9}"))
        }
        Err(_) => None,
    }
}

/// How many of the prefix checks [`prefix::MAX_READINGS`] bounds.
pub const MAX_READINGS: usize = prefix::MAX_READINGS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_utf8_stands_for_a_character() {
        assert_eq!(as_text(b"\"\xc3").as_deref(), Some("\"\u{e9}"));
        assert_eq!(as_text(b"\xff"), None);
    }
}
