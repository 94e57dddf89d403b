//! Builders for every diagnostic of the scope and type checker, so that the
//! wording lives in one place. Messages follow rustc: lower case, names in
//! backticks, "expected `X`, found `Y`".

use crate::diagnostic::{Diagnostic, Kind};
use crate::span::Span;

fn scope(span: Span, msg: String) -> Diagnostic {
    Diagnostic::new(Kind::Scope, span, msg)
}

fn type_err(span: Span, msg: String) -> Diagnostic {
    Diagnostic::new(Kind::Type, span, msg)
}

/// `1 argument`, `2 arguments`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("{n} {noun}") } else { format!("{n} {noun}s") }
}

fn were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

// ----- scope -----

pub(crate) fn undefined(span: Span, name: &str, near: Option<&str>) -> Diagnostic {
    let d = scope(span, format!("undefined name `{name}`"));
    match near {
        Some(near) => d.with_hint(format!("did you mean `{near}`?")),
        None => d,
    }
}

/// The candidate closest to `name` by edit distance, when it is close enough
/// to be a likely typo (at most one edit per three characters, and at most
/// two). Ties go to the alphabetically first, so messages are stable.
/// Names shorter than three characters get no suggestion: `y` for `x` is
/// noise, not help.
pub(crate) fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    if len < 3 {
        return None;
    }
    let budget = (len / 3).clamp(1, 2);
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= budget)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance, counting an adjacent swap as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

pub(crate) fn used_before_definition(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("`{name}` is used before its definition")).with_hint(format!(
        "move the definition of `{name}` above this use, or declare it earlier with a signature `{name} : ...`"
    ))
}

pub(crate) fn unknown_ctor(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("unknown constructor `{name}`"))
}

pub(crate) fn already_defined(span: Span, name: &str, at: &str) -> Diagnostic {
    scope(span, format!("`{name}` is already defined{at}"))
        .with_hint("the equations of one function must be contiguous")
}

pub(crate) fn already_defined_in_block(span: Span, name: &str, at: &str) -> Diagnostic {
    scope(span, format!("`{name}` is already defined in this block{at}"))
}

pub(crate) fn param_count(span: Span, name: &str, here: usize, first: usize) -> Diagnostic {
    scope(span, format!("`{name}` has {} here but {first} in its first equation", count(here, "parameter")))
        .with_hint("every equation of a function takes the same number of parameters")
}

pub(crate) fn sig_without_definition(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("`{name}` has a type signature but no definition"))
}

pub(crate) fn duplicate_sig(span: Span, name: &str, at: &str) -> Diagnostic {
    scope(span, format!("`{name}` already has a type signature{at}"))
}

pub(crate) fn duplicate_type(span: Span, name: &str, at: &str) -> Diagnostic {
    scope(span, format!("type `{name}` is already defined{at}"))
}

pub(crate) fn duplicate_ctor(span: Span, name: &str, at: &str) -> Diagnostic {
    scope(span, format!("constructor `{name}` is already defined{at}"))
}

pub(crate) fn builtin_type(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("`{name}` is a built-in type and cannot be redefined"))
}

pub(crate) fn bound_twice(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("`{name}` is bound twice in this pattern"))
}

pub(crate) fn unknown_type(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("unknown type `{name}`"))
}

pub(crate) fn duplicate_param(span: Span, var: &str) -> Diagnostic {
    scope(span, format!("type parameter `{var}` is declared twice"))
}

pub(crate) fn not_a_param(span: Span, var: &str, ty: &str) -> Diagnostic {
    scope(span, format!("type variable `{var}` is not a parameter of `{ty}`"))
        .with_hint(format!("declare it after the name: `{ty} ... {var} = ...`"))
}

pub(crate) fn cyclic_alias(span: Span, name: &str) -> Diagnostic {
    scope(span, format!("type alias `{name}` refers to itself"))
        .with_hint("aliases are expanded where used; use a data type for a recursive type")
}

pub(crate) fn duplicate_field(span: Span, field: &str) -> Diagnostic {
    scope(span, format!("field `{field}` is given twice"))
}

// ----- types -----

pub(crate) fn mismatch(span: Span, expected: &str, found: &str) -> Diagnostic {
    let d = type_err(span, format!("expected `{expected}`, found `{found}`"));
    match (expected, found) {
        ("Int", "Float") | ("Float", "Int") => {
            d.with_hint("Int and Float do not mix: write 2.0 instead of 2, or convert with to_float n")
        }
        _ => d,
    }
}

pub(crate) fn type_arity(span: Span, name: &str, expected: usize, given: usize) -> Diagnostic {
    type_err(span, format!("type `{name}` takes {} but {given} {} given", count(expected, "argument"), were(given)))
}

pub(crate) fn ctor_arity(span: Span, name: &str, expected: usize, given: usize) -> Diagnostic {
    type_err(span, format!("constructor `{name}` takes {} but {given} {} given", count(expected, "argument"), were(given)))
}

pub(crate) fn too_many_args(span: Span, callee: &str, takes: usize, given: usize) -> Diagnostic {
    type_err(span, format!("{callee} takes {} but {given} {} given", count(takes, "argument"), were(given)))
}

pub(crate) fn not_a_function(span: Span, callee: &str, ty: &str) -> Diagnostic {
    type_err(span, format!("{callee} is not a function; it has type `{ty}`"))
}

pub(crate) fn no_class(span: Span, class: &str, ty: &str, rigid: bool) -> Diagnostic {
    let d = type_err(span, format!("type `{ty}` has no `{class}`"));
    if rigid {
        return d.with_hint(
            "Core 1 signatures cannot state constraints; use a concrete type or drop the signature",
        );
    }
    match class {
        "Show" | "Eq" if ty.contains("->") => d.with_hint("functions cannot be shown or compared"),
        "Num" => d.with_hint("arithmetic works on Int and Float"),
        "Ord" => d.with_hint("only Int, Float, Char, String, Bool, () and lists and tuples of them are ordered"),
        "Append" => d.with_hint("`++` joins two strings or two lists"),
        _ => d,
    }
}

pub(crate) fn no_field(span: Span, field: &str, fields: &[String]) -> Diagnostic {
    if fields.is_empty() {
        return type_err(span, format!("record has no field `{field}`"));
    }
    let have: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    let hint = match closest(field, fields.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? it has {}", have.join(", ")),
        None => format!("it has {}", have.join(", ")),
    };
    type_err(span, format!("record has no field `{field}`")).with_hint(hint)
}

pub(crate) fn infinite(span: Span, var: &str, ty: &str) -> Diagnostic {
    type_err(span, format!("cannot construct the infinite type {var} = {ty}"))
}

pub(crate) fn main_not_showable(span: Span, ty: &str) -> Diagnostic {
    type_err(span, format!("`main` has type `{ty}`, which cannot be shown"))
        .with_hint("`main` must be a value with no function inside its type")
}

pub(crate) fn ambiguous(span: Span, classes: &str) -> Diagnostic {
    type_err(span, format!("ambiguous type: no default type has {classes}"))
}

pub(crate) fn sig_mismatch(span: Span, name: &str, sig: &str) -> Diagnostic {
    type_err(span, format!("`{name}` does not match its signature `{sig}`"))
}

pub(crate) fn sig_arity(span: Span, name: &str, params: usize, sig: &str) -> Diagnostic {
    type_err(span, format!("`{name}` has {} but its signature `{sig}` takes fewer", count(params, "parameter")))
}

pub(crate) fn too_deep(span: Span) -> Diagnostic {
    type_err(span, "expression is nested too deeply to check".to_string())
}

/// The checker's work budget ran out in one definition (`subject` is
/// `` `name` `` or "this test").
pub(crate) fn too_large(span: Span, subject: &str) -> Diagnostic {
    let mut d = type_err(span, format!("the types in {subject} are too large to check"));
    d.hint = Some("some type here doubles in size at each step; give the definitions signatures or simpler types".to_string());
    d
}
