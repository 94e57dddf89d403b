//! Hindley–Milner type inference with rows and built-in constraints.

use crate::ast;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

/// A fully resolved type, as later phases see it (no inference variables
/// left: what is still unknown after inference is a `Var`).
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Int,
    Float,
    Bool,
    Char,
    String,
    Unit,
    List(Box<Type>),
    Tuple(Vec<Type>),
    Fun(Box<Type>, Box<Type>),
    /// A user or prelude data type applied to its arguments (`Maybe Int`).
    Con(String, Vec<Type>),
    /// A record: its fields in name order, and the row variable when open.
    Record(Vec<(String, Type)>, Option<u32>),
    /// A type variable (quantified or still unknown).
    Var(u32),
    /// The type of something that failed to check; already reported.
    Error,
}

/// What inference found about a program.
#[derive(Clone, Debug, Default)]
pub struct TypeInfo {
    /// Each top-level value or function with its generalised type, rendered
    /// as `synoema check` prints it, in source order.
    pub top_level: Vec<(String, String)>,
    /// The type at which each variable occurrence (`ExprKind::Var`) is used,
    /// resolved after inference and defaulting. Inside a polymorphic
    /// definition it may still hold the definition's quantified `Var`s.
    pub var_types: HashMap<ast::NodeId, Type>,
}

/// Checks scope and infers types for a whole program.
pub fn check(_program: &ast::Program) -> (TypeInfo, Vec<Diagnostic>) {
    (TypeInfo::default(), Vec::new())
}
