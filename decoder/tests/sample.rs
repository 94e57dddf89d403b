//! The sampling step's two strategies give the masked distribution: over a
//! small made-up vocabulary with a fixed allowed set, the empirical
//! frequencies of full masking and of lazy checking both match the exact
//! distribution (computed here independently), for several settings.
//! Seeds are fixed, so the test is deterministic; the tolerance is about
//! six standard deviations of the estimate.

use synoema_decoder::sample::{sample, Params, Rng, Strategy};
use synoema_grammar::{ConstraintError, SimpleVob, TokenConstraint, TokenId};

/// A constraint that allows a fixed set of tokens and counts its checks.
struct Fixed {
    allowed: Vec<bool>,
    checks: usize,
}

impl TokenConstraint for Fixed {
    fn compute_mask(&mut self) -> Result<SimpleVob, ConstraintError> {
        Ok(SimpleVob::from_slice(&self.allowed))
    }
    fn check_token(&mut self, token: TokenId) -> Result<bool, ConstraintError> {
        self.checks += 1;
        Ok(self.allowed.get(token as usize).copied().unwrap_or(false))
    }
    fn commit_token(&mut self, _: TokenId) -> Result<(), ConstraintError> {
        Ok(())
    }
    fn rollback(&mut self, _: usize) -> Result<(), ConstraintError> {
        Ok(())
    }
    fn is_complete(&mut self) -> Result<bool, ConstraintError> {
        Ok(false)
    }
}

const LOGITS: [f32; 8] = [3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0, -1.0];
const ALLOWED: [bool; 8] = [false, true, false, true, true, false, true, false];

/// The exact distribution: mask, top-k, temperature, softmax, top-p.
fn expected(params: &Params) -> Vec<f64> {
    let mut ids: Vec<usize> = (0..8).filter(|&t| ALLOWED[t]).collect();
    ids.sort_by(|&a, &b| LOGITS[b].total_cmp(&LOGITS[a]));
    if params.top_k > 0 {
        ids.truncate(params.top_k);
    }
    let w: Vec<f64> = ids.iter().map(|&t| (f64::from(LOGITS[t]) / f64::from(params.temperature)).exp()).collect();
    let total: f64 = w.iter().sum();
    let mut keep = ids.len();
    let mut mass = 0.0;
    for (i, x) in w.iter().enumerate() {
        mass += x / total;
        if mass >= f64::from(params.top_p) {
            keep = i + 1;
            break;
        }
    }
    let total: f64 = w[..keep].iter().sum();
    let mut p = vec![0.0; 8];
    for (i, &t) in ids[..keep].iter().enumerate() {
        p[t] = w[i] / total;
    }
    p
}

fn frequencies(params: &Params, strategy: Strategy, seed: u64) -> (Vec<f64>, usize) {
    const DRAWS: usize = 20_000;
    let mut c = Fixed { allowed: ALLOWED.to_vec(), checks: 0 };
    let mut rng = Rng::new(seed);
    let mut counts = [0usize; 8];
    for _ in 0..DRAWS {
        let t = sample(&LOGITS, &mut c, params, strategy, &mut rng).unwrap().expect("some token is allowed");
        counts[t as usize] += 1;
    }
    (counts.iter().map(|&n| n as f64 / DRAWS as f64).collect(), c.checks)
}

#[test]
fn both_strategies_draw_from_the_masked_distribution() {
    let settings = [
        Params { temperature: 1.0, top_k: 0, top_p: 1.0 },
        Params { temperature: 0.7, top_k: 3, top_p: 1.0 },
        Params { temperature: 1.3, top_k: 3, top_p: 0.8 },
        Params { temperature: 2.0, top_k: 0, top_p: 0.9 },
    ];
    for params in settings {
        let want = expected(&params);
        for strategy in [Strategy::Full, Strategy::Lazy] {
            let (got, _) = frequencies(&params, strategy, 42);
            for t in 0..8 {
                assert!((got[t] - want[t]).abs() < 0.02, "{params:?} {strategy:?} token {t}: {} vs exact {}", got[t], want[t]);
                if !ALLOWED[t] {
                    assert_eq!(got[t], 0.0, "{params:?} {strategy:?} drew the disallowed token {t}");
                }
            }
        }
    }
}

#[test]
fn greedy_takes_the_best_allowed_token_with_few_checks() {
    let params = Params { temperature: 0.0, top_k: 40, top_p: 1.0 };
    for strategy in [Strategy::Full, Strategy::Lazy] {
        let mut c = Fixed { allowed: ALLOWED.to_vec(), checks: 0 };
        assert_eq!(sample(&LOGITS, &mut c, &params, strategy, &mut Rng::new(0)).unwrap(), Some(1));
        if strategy == Strategy::Lazy {
            assert_eq!(c.checks, 2, "the lazy strategy checks token 0 (rejected) and token 1");
        }
    }
}

#[test]
fn a_dead_end_gives_no_token() {
    let params = Params { temperature: 1.0, top_k: 0, top_p: 1.0 };
    for strategy in [Strategy::Full, Strategy::Lazy] {
        let mut c = Fixed { allowed: vec![false; 8], checks: 0 };
        assert_eq!(sample(&LOGITS, &mut c, &params, strategy, &mut Rng::new(1)).unwrap(), None);
    }
}
