//! The constraint as a llama.cpp sampler: a `llama_sampler` with our own
//! `llama_sampler_i` vtable, chainable with llama.cpp's top-k, top-p,
//! temperature, greedy and dist samplers. Every raw llama.cpp call of the
//! decoder lives in this module.
//!
//! Key types: [`SamplerChain`] (the chain, owned, freed on drop) and
//! [`SamplerStats`] (time spent in the constraint, the first error).
//!
//! The sampler masks lazily and exactly. llama.cpp's samplers after it see
//! only the best `keep` candidates anyway (top-k; 1 for greedy), so it walks
//! the candidates from the highest logit down, checks each with the
//! constraint until `keep` are allowed, and removes every other candidate
//! (logit −∞). The chain then picks from exactly the tokens it would pick
//! from under a full mask ("mask, then top-k"), at the cost of a few dozen
//! single-token checks instead of one per vocabulary entry.
//!
//! No panic crosses the C boundary: each callback runs under
//! `catch_unwind`, and errors are recorded in [`SamplerStats`] for the
//! caller to report after the call.

use crate::constraint::Constraint;
use llama_cpp_sys_2 as sys;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use synoema_grammar::{TokenConstraint, TokenId};

/// What the sampler measured and what went wrong, shared with the caller.
#[derive(Debug, Default)]
pub struct SamplerStats {
    /// Time spent in the constraint (checks and commits).
    pub constraint_time: Duration,
    /// Single-token checks made.
    pub checks: u64,
    /// Sampling steps (apply calls).
    pub steps: u64,
    /// The first error: a constraint failure, a dead end (no allowed
    /// candidate) or a caught panic.
    pub error: Option<String>,
}

/// The state behind the vtable: the constraint and the shared stats.
struct State {
    constraint: Constraint,
    /// How many allowed candidates to keep (the top-k that follows; 1 for greedy).
    keep: usize,
    stats: Arc<Mutex<SamplerStats>>,
}

impl State {
    fn record_error(&self, message: String) {
        if let Ok(mut stats) = self.stats.lock() {
            stats.error.get_or_insert(message);
        }
    }

    fn apply(&mut self, cur: &mut sys::llama_token_data_array) {
        let start = Instant::now();
        // SAFETY: llama.cpp passes `size` initialised entries at `data`.
        let data = unsafe { std::slice::from_raw_parts_mut(cur.data, cur.size) };
        let mut kept = Vec::with_capacity(self.keep);
        let mut checks = 0;
        // Candidates from the highest logit down: first a window of the best
        // few (found in linear time), then, only if too few of them are
        // allowed, all the rest.
        let n = data.len();
        let by_logit = |a: &usize, b: &usize| data[*b].logit.total_cmp(&data[*a].logit);
        let mut order = top_indices(data, (self.keep * 4 + 32).min(n));
        order.sort_unstable_by(by_logit);
        let window = order.len();
        let mut sorted_rest = false;
        let mut next = 0;
        while kept.len() < self.keep && next < n {
            if next == window && !sorted_rest {
                let mut in_window = vec![false; n];
                for &i in &order {
                    in_window[i] = true;
                }
                let mut rest: Vec<usize> = (0..n).filter(|&i| !in_window[i]).collect();
                rest.sort_unstable_by(by_logit);
                order.extend(rest);
                sorted_rest = true;
            }
            let Some(&i) = order.get(next) else { break };
            next += 1;
            checks += 1;
            match self.constraint.check_token(data[i].id as TokenId) {
                Ok(true) => kept.push(i),
                Ok(false) => {}
                Err(e) => {
                    self.record_error(format!("constraint error: {e}"));
                    break;
                }
            }
        }
        if kept.is_empty() {
            self.record_error("no candidate token is allowed (a dead end of the constraint)".to_string());
        }
        // Everything masked, then the kept candidates' logits put back.
        let kept_logits: Vec<(usize, f32)> = kept.iter().map(|&i| (i, data[i].logit)).collect();
        for item in data.iter_mut() {
            item.logit = f32::NEG_INFINITY;
        }
        for (i, logit) in kept_logits {
            data[i].logit = logit;
        }
        cur.sorted = false;
        if let Ok(mut stats) = self.stats.lock() {
            stats.constraint_time += start.elapsed();
            stats.checks += checks;
            stats.steps += 1;
        }
    }

    fn accept(&mut self, token: sys::llama_token) {
        let start = Instant::now();
        if let Err(e) = self.constraint.commit_token(token as TokenId) {
            self.record_error(format!("constraint error on commit: {e}"));
        }
        if let Ok(mut stats) = self.stats.lock() {
            stats.constraint_time += start.elapsed();
        }
    }
}

/// The indices of the `window` candidates with the highest logits (ties
/// broken arbitrarily), in no order: one pass that keeps at most twice the
/// window and cuts it back when full, so most candidates cost one
/// comparison with the current floor.
fn top_indices(data: &[sys::llama_token_data], window: usize) -> Vec<usize> {
    if window >= data.len() {
        return (0..data.len()).collect();
    }
    if window == 0 {
        return Vec::new();
    }
    let higher = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0);
    let mut buf: Vec<(f32, usize)> = Vec::with_capacity(2 * window);
    let mut floor = f32::NEG_INFINITY;
    for (i, d) in data.iter().enumerate() {
        if buf.len() < window || d.logit.total_cmp(&floor).is_gt() {
            buf.push((d.logit, i));
            if buf.len() == 2 * window {
                buf.select_nth_unstable_by(window - 1, higher);
                buf.truncate(window);
                floor = buf.iter().map(|b| b.0).min_by(f32::total_cmp).unwrap_or(f32::NEG_INFINITY);
            }
        }
    }
    if buf.len() > window {
        buf.select_nth_unstable_by(window - 1, higher);
        buf.truncate(window);
    }
    buf.into_iter().map(|(_, i)| i).collect()
}

/// # Safety
/// `smpl` is a sampler made by [`SamplerChain::new`] (its ctx is a `State`).
unsafe fn state<'a>(smpl: *mut sys::llama_sampler) -> Option<&'a mut State> {
    // SAFETY: by the function's contract, ctx is null or a live Box<State>.
    unsafe { smpl.as_ref().and_then(|s| s.ctx.cast::<State>().as_mut()) }
}

unsafe extern "C" fn name(_smpl: *const sys::llama_sampler) -> *const c_char {
    c"synoema".as_ptr()
}

unsafe extern "C" fn accept(smpl: *mut sys::llama_sampler, token: sys::llama_token) {
    // SAFETY: llama.cpp calls this only on samplers made with this vtable.
    if let Some(state) = unsafe { state(smpl) } {
        if catch_unwind(AssertUnwindSafe(|| state.accept(token))).is_err() {
            state.record_error("internal error: a panic in the sampler's accept".to_string());
        }
    }
}

unsafe extern "C" fn apply(smpl: *mut sys::llama_sampler, cur: *mut sys::llama_token_data_array) {
    // SAFETY: llama.cpp calls this only on samplers made with this vtable,
    // with a valid candidate array.
    let (Some(state), Some(cur)) = (unsafe { state(smpl) }, unsafe { cur.as_mut() }) else { return };
    if catch_unwind(AssertUnwindSafe(|| state.apply(cur))).is_err() {
        state.record_error("internal error: a panic in the sampler's apply".to_string());
    }
}

unsafe extern "C" fn free(smpl: *mut sys::llama_sampler) {
    // SAFETY: called once by llama.cpp when the sampler is freed; ctx is the
    // Box<State> made in SamplerChain::new.
    let ctx = unsafe { smpl.as_ref() }.map_or(std::ptr::null_mut(), |s| s.ctx.cast::<State>());
    if !ctx.is_null() {
        // SAFETY: see above; freed exactly once.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(ctx) })));
    }
}

/// The vtable. llama.cpp takes it as a mutable pointer but never writes it.
static mut SYNOEMA_SAMPLER_I: sys::llama_sampler_i = sys::llama_sampler_i {
    name: Some(name),
    accept: Some(accept),
    apply: Some(apply),
    reset: None,
    clone: None,
    free: Some(free),
    backend_init: None,
    backend_accept: None,
    backend_apply: None,
    backend_set_input: None,
    backend_reset: None,
    copy_state: None,
};

/// How the chain picks a token after the constraint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    /// 0 or less: greedy.
    pub temperature: f32,
    pub top_k: usize,
    pub top_p: f32,
    pub seed: u32,
}

/// A llama.cpp sampler chain: the constraint's sampler, then llama.cpp's
/// own (greedy; or top-k, top-p, temperature and dist).
pub struct SamplerChain {
    chain: *mut sys::llama_sampler,
    stats: Arc<Mutex<SamplerStats>>,
    /// The candidate buffer, reused from step to step.
    candidates: Vec<sys::llama_token_data>,
}

impl SamplerChain {
    pub fn new(constraint: Constraint, sampling: Sampling) -> SamplerChain {
        let greedy = sampling.temperature <= 0.0;
        let keep = if greedy { 1 } else { sampling.top_k.max(1) };
        let stats = Arc::new(Mutex::new(SamplerStats::default()));
        let state = Box::new(State { constraint, keep, stats: stats.clone() });
        // SAFETY: plain constructors of llama.cpp; the chain takes ownership
        // of every sampler added to it and frees them with itself.
        let chain = unsafe {
            let chain = sys::llama_sampler_chain_init(sys::llama_sampler_chain_params { no_perf: true });
            let ours = sys::llama_sampler_init(&raw mut SYNOEMA_SAMPLER_I, Box::into_raw(state).cast::<c_void>());
            sys::llama_sampler_chain_add(chain, ours);
            if greedy {
                sys::llama_sampler_chain_add(chain, sys::llama_sampler_init_greedy());
            } else {
                sys::llama_sampler_chain_add(chain, sys::llama_sampler_init_top_k(keep as i32));
                sys::llama_sampler_chain_add(chain, sys::llama_sampler_init_top_p(sampling.top_p, 1));
                sys::llama_sampler_chain_add(chain, sys::llama_sampler_init_temp(sampling.temperature));
                sys::llama_sampler_chain_add(chain, sys::llama_sampler_init_dist(sampling.seed));
            }
            chain
        };
        SamplerChain { chain, stats, candidates: Vec::new() }
    }

    /// Runs the chain over the logits of every token (index = token id);
    /// the selected token, if any.
    pub fn sample(&mut self, logits: &[f32]) -> Option<TokenId> {
        self.candidates.clear();
        self.candidates.extend(logits.iter().enumerate().map(|(id, &logit)| sys::llama_token_data { id: id as sys::llama_token, logit, p: 0.0 }));
        let mut cur = sys::llama_token_data_array {
            data: self.candidates.as_mut_ptr(),
            size: self.candidates.len(),
            selected: -1,
            sorted: false,
        };
        // SAFETY: the chain is live and `cur` describes the initialised
        // buffer above; llama.cpp's samplers only shrink or reorder it (or
        // point `data` into it).
        unsafe { sys::llama_sampler_apply(self.chain, &mut cur) };
        let selected = usize::try_from(cur.selected).ok().filter(|&i| i < cur.size)?;
        // SAFETY: `selected` indexes the `size` initialised entries at `data`.
        let token = unsafe { *cur.data.add(selected) };
        TokenId::try_from(token.id).ok()
    }

    /// Tells every sampler of the chain that `token` was chosen (the
    /// constraint commits it).
    pub fn accept(&mut self, token: TokenId) {
        // SAFETY: the chain is live.
        unsafe { sys::llama_sampler_accept(self.chain, token as sys::llama_token) }
    }

    pub fn stats(&self) -> std::sync::MutexGuard<'_, SamplerStats> {
        self.stats.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for SamplerChain {
    fn drop(&mut self) {
        // SAFETY: made in new, freed once; frees every sampler in it.
        unsafe { sys::llama_sampler_free(self.chain) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(logits: &[f32]) -> Vec<sys::llama_token_data> {
        logits.iter().enumerate().map(|(i, &logit)| sys::llama_token_data { id: i as i32, logit, p: 0.0 }).collect()
    }

    /// The window holds exactly the highest logits (as a multiset), for
    /// every window size, with ties and repeated values.
    #[test]
    fn top_indices_are_the_highest_logits() {
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f32 / (1u64 << 31) as f32
        };
        for n in [1usize, 2, 7, 100, 1000] {
            // Values on a coarse grid, so ties are common.
            let logits: Vec<f32> = (0..n).map(|_| (next() * 20.0).floor() - 10.0).collect();
            let data = candidates(&logits);
            let mut sorted = logits.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            for window in [0usize, 1, 3, 32, n / 2, n, n + 5] {
                let top = top_indices(&data, window);
                let mut got: Vec<f32> = top.iter().map(|&i| logits[i]).collect();
                got.sort_by(|a, b| b.total_cmp(a));
                assert_eq!(got, sorted[..window.min(n)].to_vec(), "n {n}, window {window}");
                let mut unique = top.clone();
                unique.sort_unstable();
                unique.dedup();
                assert_eq!(unique.len(), top.len(), "an index twice");
            }
        }
    }
}
