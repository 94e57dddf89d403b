//! The reference interpreter: the semantics of LANGUAGE.md §5.

use crate::ast;
use crate::types::TypeInfo;
use std::io::Write;

/// A run's resource budget.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Evaluation steps (function calls and loop iterations).
    pub steps: u64,
    /// Bytes of live data.
    pub memory: u64,
    /// Nested non-tail calls.
    pub stack_depth: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { steps: 1_000_000_000, memory: 1 << 30, stack_depth: 1_000_000 }
    }
}

/// Why a run stopped early.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// A runtime error of the program (division by zero, failed match, `error "..."`).
    Runtime(String),
    StepLimit,
    MemoryLimit,
    StackLimit,
    /// Writing output failed.
    Output(String),
}

/// Runs `main` and writes its output.
pub fn run_main(
    _program: &ast::Program,
    _info: &TypeInfo,
    _limits: &Limits,
    _out: &mut dyn Write,
) -> Result<(), RunError> {
    Err(RunError::Runtime("the interpreter is not written yet".into()))
}
