//! Structural equality (`==`) and ordering (`<`, `sort`, `min`, ...).
//!
//! Both walk the two values with an explicit work stack rather than by
//! recursion, so comparing two lists of ten million elements (or two deep
//! constructor chains) cannot overflow the Rust stack.
//!
//! Floats: `==` and `<` follow IEEE (a NaN is unequal and unordered, so every
//! comparison involving it is false, also inside lists and tuples). `sort`
//! needs a total order and uses [`Mode::Total`], in which a NaN equals
//! another NaN and is greater than every number, and `-0.0` equals `0.0`.

use super::value::{List, Value};
use super::RunError;
use std::cmp::Ordering;

/// How to order floats.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// IEEE: a NaN makes the whole comparison unordered.
    Ieee,
    /// A total order for sorting: NaN is the greatest float.
    Total,
}

fn not_comparable(a: &Value) -> RunError {
    RunError::Runtime(format!("internal: cannot compare {}", a.kind()))
}

/// `a == b`.
pub(crate) fn equal(a: &Value, b: &Value) -> Result<bool, RunError> {
    // Equality is "ordering is Equal", except that a NaN makes IEEE
    // comparison unordered, which for `==` means false.
    Ok(compare(a, b, Mode::Ieee)? == Some(Ordering::Equal))
}

/// One pending comparison of the work stack.
enum Pair<'a> {
    Values(&'a Value, &'a Value),
    Lists(&'a List, &'a List),
}

/// Lexicographic comparison; `None` when a NaN makes the values unordered
/// (only in [`Mode::Ieee`]).
pub(crate) fn compare(a: &Value, b: &Value, mode: Mode) -> Result<Option<Ordering>, RunError> {
    // Scalars need no work stack (the common case: `n == 0` in a loop).
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => return Ok(Some(x.cmp(y))),
        (Value::Float(x), Value::Float(y)) => return Ok(compare_floats(*x, *y, mode)),
        (Value::Char(x), Value::Char(y)) => return Ok(Some(x.cmp(y))),
        (Value::Bool(x), Value::Bool(y)) => return Ok(Some(x.cmp(y))),
        _ => {}
    }
    let mut work: Vec<Pair<'_>> = vec![Pair::Values(a, b)];
    while let Some(pair) = work.pop() {
        let ord = match pair {
            Pair::Lists(x, y) => compare_list_heads(x, y, &mut work),
            Pair::Values(a, b) => compare_shallow(a, b, mode, &mut work)?,
        };
        match ord {
            Some(Ordering::Equal) => {}
            // The first difference decides (lexicographic order), and a NaN
            // makes the whole comparison unordered.
            other => return Ok(other),
        }
    }
    Ok(Some(Ordering::Equal))
}

/// Compares the outer layer of two values, queueing their components.
fn compare_shallow<'a>(
    a: &'a Value,
    b: &'a Value,
    mode: Mode,
    work: &mut Vec<Pair<'a>>,
) -> Result<Option<Ordering>, RunError> {
    Ok(match (a, b) {
        (Value::Unit, Value::Unit) => Some(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Char(x), Value::Char(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => compare_floats(*x, *y, mode),
        (Value::Str(x), Value::Str(y)) => Some(x.text.cmp(&y.text)),
        (Value::List(x), Value::List(y)) => compare_list_heads(x, y, work),
        (Value::Tuple(x), Value::Tuple(y)) => {
            push_pairs(&x.items, &y.items, work);
            Some(x.items.len().cmp(&y.items.len()))
        }
        (Value::Record(x), Value::Record(y)) => {
            for ((nx, vx), (ny, vy)) in x.fields.iter().zip(y.fields.iter()).rev() {
                if nx != ny {
                    return Err(RunError::Runtime("internal: comparing records with different fields".into()));
                }
                work.push(Pair::Values(vx, vy));
            }
            Some(x.fields.len().cmp(&y.fields.len()))
        }
        (Value::Data(x), Value::Data(y)) => match x.con.id.cmp(&y.con.id) {
            Ordering::Equal => {
                push_pairs(&x.args, &y.args, work);
                Some(Ordering::Equal)
            }
            other => Some(other),
        },
        _ => return Err(not_comparable(a)),
    })
}

/// Queues `xs[i]` against `ys[i]` so that the first pair is compared first.
fn push_pairs<'a>(xs: &'a [Value], ys: &'a [Value], work: &mut Vec<Pair<'a>>) {
    for (x, y) in xs.iter().zip(ys.iter()).rev() {
        work.push(Pair::Values(x, y));
    }
}

/// Orders two lists by their first cells, queueing heads then tails.
fn compare_list_heads<'a>(x: &'a List, y: &'a List, work: &mut Vec<Pair<'a>>) -> Option<Ordering> {
    Some(match (x.first(), y.first()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(cx), Some(cy)) => {
            work.push(Pair::Lists(&cx.tail, &cy.tail));
            work.push(Pair::Values(&cx.head, &cy.head));
            Ordering::Equal
        }
    })
}

fn compare_floats(x: f64, y: f64, mode: Mode) -> Option<Ordering> {
    match mode {
        Mode::Ieee => x.partial_cmp(&y),
        Mode::Total => Some(match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        }),
    }
}
