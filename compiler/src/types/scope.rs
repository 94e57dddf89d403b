//! The structural scope rules: grouping the equations of one function
//! (they must be contiguous and take the same number of parameters), and
//! finding names defined twice at one level. Name resolution itself happens
//! during inference, which walks scopes in order anyway.

use crate::ast::{Equation, Ident, Item, Stmt};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use rustc_hash::FxHashMap as HashMap;

use super::error;

/// The consecutive equations of one function (or value).
pub(crate) struct Group<'a> {
    pub(crate) name: &'a Ident,
    /// Equations with as many parameters as the first one.
    pub(crate) eqs: Vec<&'a Equation>,
    /// Equations with a different number of parameters (already reported):
    /// checked on their own so their bodies still get diagnostics.
    pub(crate) odd: Vec<&'a Equation>,
    /// A second group of a name already defined at this level (already
    /// reported): checked, but it does not replace the first definition.
    pub(crate) redefined: bool,
}

impl Group<'_> {
    pub(crate) fn arity(&self) -> usize {
        self.eqs.first().map_or(0, |e| e.params.len())
    }

    pub(crate) fn span(&self) -> Span {
        self.name.span
    }
}

/// One element of a sequence being grouped.
pub(crate) enum Elem<'a, T> {
    Equation(&'a Equation),
    Other(&'a T),
    /// Something that does not break a run of equations (a line that did
    /// not parse, already reported), so one broken equation does not split
    /// its function into two.
    Transparent,
}

/// An element after grouping.
pub(crate) enum Unit<'a, T> {
    Group(Group<'a>),
    Other(&'a T),
}

/// Groups consecutive equations with the same name, reporting redefinitions
/// and parameter-count mismatches. `at` renders " at line N" for a span;
/// `open_eqs` are the name spans of equations whose parameter list is still
/// open at a prefix's edge (fewer parameters is not an error for them).
pub(crate) fn group<'a, T>(
    elems: impl IntoIterator<Item = Elem<'a, T>>,
    at: &dyn Fn(Span) -> String,
    in_block: bool,
    open_eqs: &[Span],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Unit<'a, T>> {
    let mut units: Vec<Unit<'a, T>> = Vec::new();
    let mut defined: HashMap<&'a str, Span> = HashMap::default();
    // Whether the last unit is a group that may still grow.
    let mut open = false;
    for elem in elems {
        match elem {
            Elem::Transparent => {}
            Elem::Other(x) => {
                units.push(Unit::Other(x));
                open = false;
            }
            Elem::Equation(eq) => {
                if open {
                    if let Some(Unit::Group(g)) = units.last_mut() {
                        if g.name.name == eq.name.name {
                            if g.arity() == 0 && eq.params.is_empty() {
                                // A value has one equation: a second one is a
                                // redefinition, not another case.
                                let where_ = at(g.name.span);
                                diags.push(if in_block {
                                    error::already_defined_in_block(eq.name.span, &eq.name.name, &where_)
                                } else {
                                    error::already_defined(eq.name.span, &eq.name.name, &where_)
                                });
                                g.odd.push(eq);
                            } else if eq.params.len() == g.arity()
                                || (eq.params.len() < g.arity() && open_eqs.contains(&eq.name.span))
                            {
                                // An equation whose parameters are still open
                                // at a prefix's edge may yet get the rest.
                                g.eqs.push(eq);
                            } else {
                                diags.push(error::param_count(eq.name.span, &eq.name.name, eq.params.len(), g.arity()));
                                g.odd.push(eq);
                            }
                            continue;
                        }
                    }
                }
                let redefined = match defined.get(eq.name.name.as_str()) {
                    Some(first) => {
                        let where_ = at(*first);
                        diags.push(if in_block {
                            error::already_defined_in_block(eq.name.span, &eq.name.name, &where_)
                        } else {
                            error::already_defined(eq.name.span, &eq.name.name, &where_)
                        });
                        true
                    }
                    None => {
                        defined.insert(&eq.name.name, eq.name.span);
                        false
                    }
                };
                units.push(Unit::Group(Group { name: &eq.name, eqs: vec![eq], odd: Vec::new(), redefined }));
                open = true;
            }
        }
    }
    units
}

/// Top-level items as grouping elements.
pub(crate) fn top_elems(items: &[Item]) -> impl Iterator<Item = Elem<'_, Item>> {
    items.iter().map(|item| match item {
        Item::Equation(eq) => Elem::Equation(eq),
        Item::Error(_) => Elem::Transparent,
        other => Elem::Other(other),
    })
}

/// Block statements as grouping elements.
pub(crate) fn block_elems(stmts: &[Stmt]) -> impl Iterator<Item = Elem<'_, Stmt>> {
    stmts.iter().map(|stmt| match stmt {
        Stmt::Equation(eq) => Elem::Equation(eq),
        other => Elem::Other(other),
    })
}
