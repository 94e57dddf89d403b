//! The sampling step over a plain logits vector, for hosts that run their
//! own model (the HTTP server, Python): pick the next token under a
//! constraint, by full masking or lazily, with the same distribution.
//!
//! Key types: [`Params`] (greedy, temperature, top-k, top-p), [`Strategy`]
//! and [`Rng`] (seeded, reproducible).
//!
//! Usage pattern: `sample(&logits, &mut constraint, &params, Strategy::Lazy,
//! &mut rng)` each step, then `constraint.commit_token(token)`.
//!
//! The distribution, in both strategies: mask the disallowed tokens, keep
//! the `top_k` best (all when 0), divide by the temperature, softmax, keep
//! the smallest most-likely set with probability at least `top_p`, draw.
//! - [`Strategy::Full`] computes the whole mask first.
//! - [`Strategy::Lazy`] never computes a mask: with top-k it walks the
//!   tokens from the best logit down, checking each, until it has `top_k`
//!   allowed ones (exactly the set the full mask would keep); without
//!   top-k it draws from the unmasked distribution, checks the token, and
//!   on rejection removes it and draws again — sampling without
//!   replacement, whose first allowed draw is distributed exactly as a draw
//!   from the masked distribution. Without top-k, a `top_p` below 1 needs
//!   the mask, so that case uses the full strategy.

use synoema_grammar::{ConstraintError, TokenConstraint, TokenId};

/// How to pick among the allowed tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// 0 or less: greedy (the best allowed token).
    pub temperature: f32,
    /// Keep only the `top_k` best allowed tokens (0: all).
    pub top_k: usize,
    /// Keep the smallest most-likely set with at least this probability.
    pub top_p: f32,
}

/// Full mask first, or check tokens one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Full,
    Lazy,
}

/// A small seeded generator (SplitMix64): the same seed gives the same
/// draws on every platform and in every version, which reproducible
/// generations (`--seed`) need.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Picks the next token; `None` when no token is allowed (a dead end, which
/// a sound and complete constraint never reaches).
pub fn sample(logits: &[f32], c: &mut impl TokenConstraint, params: &Params, strategy: Strategy, rng: &mut Rng) -> Result<Option<TokenId>, ConstraintError> {
    let greedy = params.temperature <= 0.0;
    let keep = if greedy { 1 } else { params.top_k };
    let lazy = strategy == Strategy::Lazy && (keep > 0 || params.top_p >= 1.0);
    let candidates = if !lazy {
        let mask = c.compute_mask()?;
        let mut allowed: Vec<usize> = (0..logits.len()).filter(|&t| mask.is_allowed(t as TokenId)).collect();
        allowed.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]));
        if keep > 0 {
            allowed.truncate(keep);
        }
        allowed
    } else if keep > 0 {
        best_allowed(logits, c, keep)?
    } else {
        return draw_without_replacement(logits, c, params.temperature, rng);
    };
    Ok(pick(logits, &candidates, params, rng).map(|t| t as TokenId))
}

/// The `keep` best allowed tokens, best first, by single-token checks.
fn best_allowed(logits: &[f32], c: &mut impl TokenConstraint, keep: usize) -> Result<Vec<usize>, ConstraintError> {
    let mut order: Vec<usize> = (0..logits.len()).collect();
    order.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]));
    let mut kept = Vec::with_capacity(keep);
    for t in order {
        if kept.len() == keep {
            break;
        }
        if c.check_token(t as TokenId)? {
            kept.push(t);
        }
    }
    Ok(kept)
}

/// Draws from the softmax of all logits, removing rejected tokens.
fn draw_without_replacement(logits: &[f32], c: &mut impl TokenConstraint, temperature: f32, rng: &mut Rng) -> Result<Option<TokenId>, ConstraintError> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut weights: Vec<f64> = logits.iter().map(|&l| f64::from((l - max) / temperature).exp()).collect();
    let mut total: f64 = weights.iter().sum();
    while total > 0.0 {
        let Some(t) = draw(&weights, total, rng) else { break };
        if c.check_token(t as TokenId)? {
            return Ok(Some(t as TokenId));
        }
        total -= weights[t];
        weights[t] = 0.0;
    }
    Ok(None)
}

/// Temperature, softmax and top-p over `candidates` (best first), then a draw.
fn pick(logits: &[f32], candidates: &[usize], params: &Params, rng: &mut Rng) -> Option<usize> {
    let first = *candidates.first()?;
    if params.temperature <= 0.0 {
        return Some(first);
    }
    let max = logits[first];
    let mut weights: Vec<f64> = candidates.iter().map(|&t| f64::from((logits[t] - max) / params.temperature).exp()).collect();
    let total: f64 = weights.iter().sum();
    if params.top_p < 1.0 {
        let mut mass = 0.0;
        let mut cut = weights.len();
        for (i, w) in weights.iter().enumerate() {
            mass += w / total;
            if mass >= f64::from(params.top_p) {
                cut = i + 1;
                break;
            }
        }
        weights.truncate(cut);
    }
    let total = weights.iter().sum();
    draw(&weights, total, rng).map(|i| candidates[i])
}

/// An index drawn with probability proportional to its weight.
fn draw(weights: &[f64], total: f64, rng: &mut Rng) -> Option<usize> {
    let mut x = rng.unit() * total;
    let mut last = None;
    for (i, &w) in weights.iter().enumerate() {
        if w <= 0.0 {
            continue;
        }
        last = Some(i);
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    // Rounding left a sliver of mass past the end: the last positive weight.
    last
}
