//! The front end: source text to [`ast::Program`], recovering after errors.
//!
//! [`lexer`] turns text into tokens with layout resolved, [`parser`] turns
//! tokens into the tree. [`parse`] runs both and returns every lexical,
//! layout and syntax problem as a diagnostic, sorted by position.

pub mod lexer;
pub mod parser;
pub mod token;

use crate::ast;
use crate::diagnostic::{self, Diagnostic};

/// Parses a whole source file. Always returns a tree; every problem found
/// (lexical, layout and syntax errors) is in the diagnostics.
pub fn parse(src: &str) -> (ast::Program, Vec<Diagnostic>) {
    let (lexed, mut diags) = lexer::lex(src);
    let (program, parse_diags) = parser::parse_tokens(src, &lexed, &diags);
    diags.extend(parse_diags);
    diagnostic::sort_and_dedup(&mut diags);
    (program, diags)
}
