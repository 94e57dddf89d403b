//! Replays a tokenized program through the grammar masks: the check behind
//! `synoema constrain`, and the source of the mask latency numbers.

use crate::constraint::{CompiledGrammar, ConstraintError, GrammarConstraint, TokenConstraint};
use std::time::Instant;
use toktrie::{TokTrie, TokenId};

/// The first token the masks did not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Position in the token sequence (0-based).
    pub index: usize,
    pub token: TokenId,
    /// The token's bytes, lossily decoded.
    pub text: String,
    /// Byte offset of the token's start in the replayed text.
    pub offset: usize,
}

/// The outcome of a replay.
#[derive(Clone, Debug)]
pub struct Replay {
    /// How many tokens were replayed before the end or the rejection.
    pub accepted: usize,
    pub rejected: Option<Rejection>,
    /// Whether EOS was allowed after the last token (false after a rejection).
    pub eos_allowed: bool,
    /// Time of each mask computation, in microseconds.
    pub mask_micros: Vec<f64>,
    /// Allowed-token count of each mask.
    pub allowed_counts: Vec<usize>,
}

impl Replay {
    /// Every token allowed and EOS allowed at the end.
    pub fn ok(&self) -> bool {
        self.rejected.is_none() && self.eos_allowed
    }

    /// The `p`-th percentile (0..=100) of mask latency in microseconds.
    pub fn latency_percentile(&self, p: f64) -> f64 {
        percentile(&self.mask_micros, p)
    }

    pub fn mean_allowed(&self) -> f64 {
        if self.allowed_counts.is_empty() {
            return 0.0;
        }
        self.allowed_counts.iter().sum::<usize>() as f64 / self.allowed_counts.len() as f64
    }
}

/// Nearest-rank percentile of unsorted samples; 0 when there are none.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Replays `tokens` through the grammar masks of `compiled`.
pub fn replay(compiled: &CompiledGrammar, tokens: &[TokenId]) -> Result<Replay, ConstraintError> {
    replay_with(&mut GrammarConstraint::new(compiled), compiled.tok_env().tok_trie(), tokens)
}

/// Replays `tokens` through any constraint `c` over the vocabulary of
/// `trie`: computes the mask before each token (timed), checks the token
/// against it and commits it; after the last token, computes one more mask
/// and checks EOS.
pub fn replay_with(c: &mut impl TokenConstraint, trie: &TokTrie, tokens: &[TokenId]) -> Result<Replay, ConstraintError> {
    let mut out = Replay { accepted: 0, rejected: None, eos_allowed: false, mask_micros: Vec::new(), allowed_counts: Vec::new() };
    let mut offset = 0;
    for (index, &token) in tokens.iter().enumerate() {
        let start = Instant::now();
        let mask = c.compute_mask()?;
        out.mask_micros.push(start.elapsed().as_secs_f64() * 1e6);
        out.allowed_counts.push(mask.num_set());
        let bytes = trie.token(token);
        if !mask.is_allowed(token) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            out.rejected = Some(Rejection { index, token, text, offset });
            return Ok(out);
        }
        c.commit_token(token)?;
        offset += bytes.len();
        out.accepted += 1;
    }
    let start = Instant::now();
    let mask = c.compute_mask()?;
    out.mask_micros.push(start.elapsed().as_secs_f64() * 1e6);
    out.allowed_counts.push(mask.num_set());
    out.eos_allowed = mask.is_allowed(trie.eos_token()) && c.is_complete()?;
    Ok(out)
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_tok_env;

    fn bytes(s: &str) -> Vec<TokenId> {
        s.bytes().map(u32::from).collect()
    }

    #[test]
    fn valid_program_replays_to_eos() {
        let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
        let r = replay(&compiled, &bytes("main = 1 + 2\n")).unwrap();
        assert!(r.ok(), "{r:?}");
        assert_eq!(r.mask_micros.len(), 14);
        assert!(r.mean_allowed() >= 1.0);
    }

    #[test]
    fn stray_bracket_is_the_first_rejection() {
        let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
        let src = "main =\n  1 + )\n";
        let r = replay(&compiled, &bytes(src)).unwrap();
        let rej = r.rejected.clone().unwrap();
        assert_eq!(rej.text, ")");
        assert_eq!(rej.offset, 13);
        assert_eq!(line_col(src, rej.offset), (2, 7));
        assert!(!r.ok());
    }

    #[test]
    fn incomplete_program_has_no_eos() {
        let compiled = CompiledGrammar::new(byte_tok_env()).unwrap();
        let r = replay(&compiled, &bytes("main = (1 +")).unwrap();
        assert!(r.rejected.is_none());
        assert!(!r.eos_allowed);
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let xs = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&xs, 50.0), 3.0);
        assert_eq!(percentile(&xs, 100.0), 5.0);
        assert_eq!(percentile(&[], 99.0), 0.0);
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
