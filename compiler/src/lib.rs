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
//!   how a run can fail;
//! - [`core::Program`]: the typed, monomorphic Core IR the JIT compiles, and
//!   [`jit::run_main`], which runs it natively with the interpreter's output,
//!   errors and limits (`jit::try_run_main` tells unsupported programs apart).
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
pub mod core;
pub mod diagnostic;
pub mod interp;
pub mod jit;
pub mod parse;
pub mod prefix;
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
    let quarantined = quarantine(&program, &diagnostics);
    let (info, type_diags) = types::check_source(quarantined.as_ref().unwrap_or(&program), src);
    diagnostics.extend(type_diags);
    diagnostic::sort_and_dedup(&mut diagnostics);
    Compiled { program, info, diagnostics }
}

/// One mistake, one diagnostic: a definition or test that holds a syntax or
/// layout error is not type-checked, since what the parser recovered of it is
/// a guess. Its body becomes an error node, so its name still has a type
/// (one that unifies with anything) and uses of it report nothing more.
/// Returns `None` when no item needs this.
fn quarantine(program: &ast::Program, diagnostics: &[Diagnostic]) -> Option<ast::Program> {
    let mut starts: Vec<u32> = diagnostics
        .iter()
        .filter(|d| matches!(d.kind, Kind::Syntax | Kind::Layout))
        .map(|d| d.span.start)
        .collect();
    if starts.is_empty() {
        return None;
    }
    starts.sort_unstable();
    let mut program = program.clone();
    let n = program.items.len();
    for i in 0..n {
        // An item owns the diagnostics from its start up to the next item's start.
        let start = program.items[i].span().start;
        let end = program.items.get(i + 1).map_or(u32::MAX, |next| next.span().start);
        let first = starts.partition_point(|&s| s < start);
        let broken = starts.get(first).is_some_and(|&s| s < end);
        if !broken {
            continue;
        }
        match &mut program.items[i] {
            ast::Item::Equation(eq) => eq.body.kind = ast::ExprKind::Error,
            ast::Item::Test(test) => test.body.kind = ast::ExprKind::Error,
            _ => {}
        }
    }
    Some(program)
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
