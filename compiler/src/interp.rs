//! The reference interpreter: the semantics of LANGUAGE.md §5.
//!
//! Usage: [`run_main`] runs a type-checked program's `main`; [`run_tests`]
//! runs its `test` items and [`format_test_report`] renders the outcome.
//! Both take a [`Limits`] budget and write program output to any
//! `std::io::Write`; a run never panics and never overflows the Rust stack,
//! whatever the program does: exceeding a budget is a [`RunError`].
//!
//! Inside, a run goes through these modules:
//! - [`lower`](self::lower) resolves names and turns the AST into the
//!   [`code`](self::code) the machine runs;
//! - [`eval`](self::eval) is the machine (a CEK-style evaluator with an
//!   explicit continuation stack, so deep recursion and tail calls cost heap,
//!   not Rust stack);
//! - [`pattern`](self::pattern) matches values against patterns;
//! - [`prelude`](self::prelude) implements the operators and prelude
//!   functions; [`show`](self::show) renders values; [`compare`](self::compare)
//!   is `==` and ordering;
//! - [`value`](self::value) defines values, with memory accounting and a
//!   drop that never recurses; [`limits`](self::limits) holds the budgets.

mod code;
mod compare;
mod eval;
pub(crate) mod limits;
mod lower;
mod pattern;
pub(crate) mod prelude;
pub(crate) mod show;
pub(crate) mod value;

#[cfg(test)]
mod tests;

use crate::ast;
use crate::types::TypeInfo;
use std::fmt;
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

/// Why a run stopped early. The limit variants carry the budget that was
/// exceeded, for the message.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// A runtime error of the program (division by zero, failed match,
    /// `error "..."`), as a one-line message.
    Runtime(String),
    StepLimit(u64),
    MemoryLimit(u64),
    StackLimit(u64),
    /// Writing output failed.
    Output(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Runtime(message) => write!(f, "{message}"),
            RunError::StepLimit(n) => write!(f, "step limit of {n} steps exhausted"),
            RunError::MemoryLimit(n) => write!(f, "memory limit of {n} bytes exceeded"),
            RunError::StackLimit(n) => write!(f, "stack limit of {n} nested calls exceeded"),
            RunError::Output(message) => write!(f, "cannot write output: {message}"),
        }
    }
}

impl std::error::Error for RunError {}

/// An error that a type-checked program cannot cause: a bug in the
/// interpreter or a program that did not check.
pub(crate) fn internal(message: &str) -> RunError {
    RunError::Runtime(format!("internal: {message}"))
}

/// Runs `main` and writes its output: top-level values are evaluated first,
/// in source order; then `main`'s value is written followed by a newline (a
/// `String` as is, `()` not at all, anything else as `show` renders it).
pub fn run_main(program: &ast::Program, info: &TypeInfo, limits: &Limits, out: &mut dyn Write) -> Result<(), RunError> {
    let code = lower::lower(program, info);
    let Some(main) = code.main else {
        return Err(RunError::Runtime("no `main` defined".into()));
    };
    let Some(code::GlobalKind::Value(main_body)) = code.globals.get(main).map(|g| &g.kind) else {
        return Err(RunError::Runtime("`main` must not take parameters".into()));
    };
    let mut machine = eval::Machine::new(&code, limits::Budget::new(limits), out);
    machine.init_globals(Some(main), false)?;
    let value = machine.force_global(main, *main_body)?;
    let text = match &value {
        value::Value::Unit => return Ok(()),
        value::Value::Str(s) => format!("{}\n", s.text),
        other => format!("{}\n", show::show(other)?),
    };
    machine.out.write_all(text.as_bytes()).map_err(|e| RunError::Output(e.to_string()))?;
    machine.out.flush().map_err(|e| RunError::Output(e.to_string()))
}

/// The outcome of one `test` item.
#[derive(Clone, Debug, PartialEq)]
pub struct TestOutcome {
    pub name: String,
    pub result: TestResult,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestResult {
    Pass,
    Fail,
    /// The test's body raised an error (or exceeded a budget): its message.
    Error(String),
}

/// Runs every `test` item, in source order. Top-level values (except
/// `main`) are evaluated first, as for [`run_main`]; a test that uses a value
/// whose evaluation failed gets that error. Each test gets the whole step
/// budget.
pub fn run_tests(program: &ast::Program, info: &TypeInfo, limits: &Limits, out: &mut dyn Write) -> Vec<TestOutcome> {
    let code = lower::lower(program, info);
    let mut machine = eval::Machine::new(&code, limits::Budget::new(limits), out);
    // A failing value is reported by the tests that use it.
    let _ = machine.init_globals(code.main, true);
    let mut outcomes = Vec::new();
    for (name, body) in &code.tests {
        machine.budget.reset_steps();
        let result = match machine.run_body(*body) {
            Ok(value::Value::Bool(true)) => TestResult::Pass,
            Ok(value::Value::Bool(false)) => TestResult::Fail,
            Ok(other) => TestResult::Error(format!("internal: the test gave {}, not a Bool", other.kind())),
            Err(e) => TestResult::Error(e.to_string()),
        };
        outcomes.push(TestOutcome { name: name.clone(), result });
    }
    let _ = machine.out.flush();
    outcomes
}

/// One line per test (`PASS name`, `FAIL name`, `ERROR name: message`), then
/// `N passed, N failed` (errors count as failed).
pub fn format_test_report(outcomes: &[TestOutcome]) -> String {
    let mut report = String::new();
    let mut passed = 0;
    for outcome in outcomes {
        match &outcome.result {
            TestResult::Pass => {
                passed += 1;
                report.push_str(&format!("PASS {}\n", outcome.name));
            }
            TestResult::Fail => report.push_str(&format!("FAIL {}\n", outcome.name)),
            TestResult::Error(message) => report.push_str(&format!("ERROR {}: {message}\n", outcome.name)),
        }
    }
    report.push_str(&format!("{passed} passed, {} failed\n", outcomes.len() - passed));
    report
}
