//! Synoema Core 1: the front end, type checker and reference interpreter.
//!
//! A pure library: no file, network or terminal access. Source text comes in
//! as `&str`, results go out as values and diagnostics; the `synoema` binary
//! does the IO.
//!
//! Key types:
//! - [`ast::Program`]: the syntax tree, with spans;
//! - [`Diagnostic`]: a compile error as data, rendered by [`diagnostic::Renderer`];
//! - [`types::TypeInfo`]: what inference found (top-level schemes, the type
//!   of each variable occurrence);
//! - [`interp::Limits`] and [`interp::RunError`]: a run's resource budget and
//!   how a run can fail.
//!
//! Usage pattern:
//! 1. [`compile`] the source: it lexes, parses, checks scope and infers types,
//!    and returns every diagnostic found (it keeps going after errors);
//! 2. if there are none, [`interp::run_main`] runs `main` (or
//!    [`interp::run_tests`] runs the file's tests), writing output to any
//!    `std::io::Write`.
//!
//! ```
//! use synoema_compiler::{compile, interp};
//! let compiled = compile("main = \"sum: ${sum [1 2 3]}\"\n");
//! assert!(compiled.diagnostics.is_empty());
//! let mut out = Vec::new();
//! interp::run_main(&compiled.program, &compiled.info, &interp::Limits::default(), &mut out).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap(), "sum: 6\n");
//! ```

pub mod ast;
pub mod diagnostic;
pub mod interp;
pub mod parse;
pub mod pretty;
pub mod span;
pub mod types;

pub use diagnostic::{Diagnostic, Kind};
pub use span::Span;

/// The result of compiling one source text.
#[derive(Debug)]
pub struct Compiled {
    pub program: ast::Program,
    pub info: types::TypeInfo,
    /// Every compile error, sorted by position. Empty means the program is valid.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lexes, parses, checks scope and infers types.
///
/// Type checking runs even when parsing reported errors (on the recovered
/// tree), so one run reports several problems.
pub fn compile(src: &str) -> Compiled {
    let (program, mut diagnostics) = parse::parse(src);
    let (info, type_diags) = types::check_source(&program, src);
    diagnostics.extend(type_diags);
    diagnostic::sort_and_dedup(&mut diagnostics);
    Compiled { program, info, diagnostics }
}

/// The scope error for a program that is run but defines no `main`
/// (LANGUAGE.md §5), or `None` when it has one.
pub fn missing_main(program: &ast::Program) -> Option<Diagnostic> {
    let has_main = program
        .items
        .iter()
        .any(|item| matches!(item, ast::Item::Equation(eq) if eq.name.name == "main"));
    (!has_main).then(|| {
        Diagnostic::new(Kind::Scope, Span::at(0), "the program defines no `main`")
            .with_hint("add a definition `main = ...` whose value is printed when the program runs")
    })
}
