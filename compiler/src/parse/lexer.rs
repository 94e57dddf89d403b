//! The lexer: source text to tokens, with the layout rules of LANGUAGE.md §2.

use super::token::Lexed;
use crate::diagnostic::Diagnostic;

/// Lexes a whole source file.
pub fn lex(_src: &str) -> (Lexed, Vec<Diagnostic>) {
    (Lexed::default(), Vec::new())
}
