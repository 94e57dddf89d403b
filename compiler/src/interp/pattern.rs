//! Pattern matching: does a value match a pattern, binding its variables
//! into the frame.
//!
//! Matching recurses over the pattern, never over the value, so its depth
//! is bounded by the source (lowering already refuses absurdly deep code);
//! list patterns walk the list in a loop.

use super::code::Pat;
use super::compare;
use super::value::Value;

/// Matches `v` against `pat`, writing bound variables into `frame`. On
/// failure some slots may have been written; callers then try the next
/// clause, which rebinds what it uses.
pub(crate) fn matches(pat: &Pat, v: &Value, frame: &mut [Value]) -> bool {
    match (pat, v) {
        (Pat::Wild, _) => true,
        (Pat::Bind(slot), v) => match frame.get_mut(*slot) {
            Some(cell) => {
                *cell = v.clone();
                true
            }
            None => false,
        },
        (Pat::Lit(lit), v) => compare::equal(lit, v).unwrap_or(false),
        (Pat::Con(con, args), Value::Data(d)) => {
            d.con.id == con.id
                && d.args.len() == args.len()
                && args.iter().zip(d.args.iter()).all(|(p, a)| matches(p, a, frame))
        }
        (Pat::Tuple(pats), Value::Tuple(t)) => {
            pats.len() == t.items.len() && pats.iter().zip(t.items.iter()).all(|(p, a)| matches(p, a, frame))
        }
        (Pat::Record(fields), Value::Record(r)) => fields.iter().all(|(name, p)| {
            r.fields.iter().find(|(n, _)| n == name).is_some_and(|(_, field)| matches(p, field, frame))
        }),
        (Pat::List(pats), Value::List(list)) => {
            let mut rest = list.iter();
            for p in pats {
                match rest.next() {
                    Some(item) if matches(p, item, frame) => {}
                    _ => return false,
                }
            }
            rest.next().is_none()
        }
        (Pat::Cons(head, tail), Value::List(list)) => match list.first() {
            Some(cell) => matches(head, &cell.head, frame) && matches(tail, &Value::List(cell.tail.clone()), frame),
            None => false,
        },
        _ => false,
    }
}
