//! The three resource budgets of a run: steps, live memory and call depth.
//!
//! Live memory is a thread-local byte counter: value nodes add their size
//! when built and subtract it when dropped (see [`super::value`]). A run
//! remembers the counter when it starts and fails once it has grown by more
//! than the memory budget. Steps are counted by the machine (one per call and
//! one per loop iteration of a builtin or comprehension); the call depth is
//! checked where the machine pushes a return frame.

use super::{Limits, RunError};
use std::cell::Cell;

thread_local! {
    static LIVE: Cell<i64> = const { Cell::new(0) };
}

/// Records that `bytes` of value data were allocated.
pub(crate) fn charge(bytes: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().wrapping_add(bytes as i64)));
}

/// Records that `bytes` of value data were freed.
pub(crate) fn release(bytes: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().wrapping_sub(bytes as i64)));
}

/// Bytes of value data currently live on this thread.
pub(crate) fn live() -> i64 {
    LIVE.try_with(Cell::get).unwrap_or(0)
}

/// The budget of one run, as the machine and the builtins consume it.
pub(crate) struct Budget {
    steps: u64,
    step_limit: u64,
    memory_base: i64,
    memory_limit: u64,
    pub depth_limit: u64,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            steps: 0,
            step_limit: limits.steps,
            memory_base: live(),
            memory_limit: limits.memory,
            depth_limit: limits.stack_depth,
        }
    }

    /// Spends one step and checks the memory budget.
    pub fn tick(&mut self) -> Result<(), RunError> {
        self.steps += 1;
        if self.steps > self.step_limit {
            return Err(RunError::StepLimit(self.step_limit));
        }
        self.check_memory(0)
    }

    /// Fails if allocating `extra` more bytes would exceed the memory budget.
    /// Builtins that build one large string call it before allocating.
    pub fn check_memory(&self, extra: usize) -> Result<(), RunError> {
        let used = live().saturating_sub(self.memory_base).max(0) as u64;
        if used.saturating_add(extra as u64) > self.memory_limit {
            return Err(RunError::MemoryLimit(self.memory_limit));
        }
        Ok(())
    }

    /// Starts a fresh step count (each test gets the whole step budget).
    pub fn reset_steps(&mut self) {
        self.steps = 0;
    }
}
