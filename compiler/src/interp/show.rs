//! Rendering values as `show` does (LANGUAGE.md §5), and as `print` and
//! interpolation write them.
//!
//! The renderer walks the value with an explicit task stack, so a list of
//! ten million elements or a deep constructor chain renders without
//! recursion. Parenthesisation follows §5: a constructor applied to
//! arguments is wrapped when it is a constructor argument or a list element;
//! a number whose rendering starts with `-` (negative numbers, `-0.0`,
//! `-inf`) is wrapped when it is a constructor argument; tuples, records and
//! lists are never wrapped.

use super::value::{List, Value};
use super::RunError;

/// Where a value is being rendered, which decides its parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// At the top, in a tuple, or as a record field.
    Plain,
    ListElem,
    ConArg,
}

enum Task<'a> {
    Value(&'a Value, Ctx),
    Text(&'a str),
    /// The remaining elements of a list, each preceded by a space.
    ListRest(&'a List),
}

/// `show v`.
pub(crate) fn show(v: &Value) -> Result<String, RunError> {
    let mut out = String::new();
    let mut tasks = vec![Task::Value(v, Ctx::Plain)];
    while let Some(task) = tasks.pop() {
        match task {
            Task::Text(s) => out.push_str(s),
            Task::ListRest(list) => {
                if let Some(cell) = list.first() {
                    out.push(' ');
                    tasks.push(Task::ListRest(&cell.tail));
                    tasks.push(Task::Value(&cell.head, Ctx::ListElem));
                }
            }
            Task::Value(v, ctx) => render_shallow(v, ctx, &mut out, &mut tasks)?,
        }
    }
    Ok(out)
}

/// How `print` and `${...}` write a value: strings and chars raw.
pub(crate) fn display(v: &Value) -> Result<String, RunError> {
    match v {
        Value::Str(s) => Ok(s.text.to_string()),
        Value::Char(c) => Ok(c.to_string()),
        other => show(other),
    }
}

/// Writes the outer layer of `v` and queues its components.
fn render_shallow<'a>(v: &'a Value, ctx: Ctx, out: &mut String, tasks: &mut Vec<Task<'a>>) -> Result<(), RunError> {
    match v {
        Value::Unit => out.push_str("()"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => push_number(out, &i.to_string(), ctx),
        Value::Float(f) => push_number(out, &format!("{f:?}"), ctx),
        Value::Char(c) => {
            out.push('\'');
            crate::pretty::escape_into(out, *c, '\'');
            out.push('\'');
        }
        Value::Str(s) => {
            out.push('"');
            for c in s.text.chars() {
                crate::pretty::escape_into(out, c, '"');
            }
            out.push('"');
        }
        Value::List(list) => match list.first() {
            None => out.push_str("[]"),
            Some(cell) => {
                out.push('[');
                tasks.push(Task::Text("]"));
                tasks.push(Task::ListRest(&cell.tail));
                tasks.push(Task::Value(&cell.head, Ctx::ListElem));
            }
        },
        Value::Tuple(t) => {
            out.push('(');
            tasks.push(Task::Text(")"));
            for (i, item) in t.items.iter().enumerate().rev() {
                tasks.push(Task::Value(item, Ctx::Plain));
                if i > 0 {
                    tasks.push(Task::Text(", "));
                }
            }
        }
        Value::Record(r) => {
            out.push('{');
            tasks.push(Task::Text("}"));
            for (i, (name, value)) in r.fields.iter().enumerate().rev() {
                tasks.push(Task::Value(value, Ctx::Plain));
                tasks.push(Task::Text(" = "));
                tasks.push(Task::Text(name));
                if i > 0 {
                    tasks.push(Task::Text(", "));
                }
            }
        }
        Value::Data(d) => {
            if d.args.is_empty() {
                out.push_str(&d.con.name);
                return Ok(());
            }
            let wrap = ctx != Ctx::Plain;
            if wrap {
                out.push('(');
                tasks.push(Task::Text(")"));
            }
            out.push_str(&d.con.name);
            for arg in d.args.iter().rev() {
                tasks.push(Task::Value(arg, Ctx::ConArg));
                tasks.push(Task::Text(" "));
            }
        }
        Value::Closure(_) | Value::Prim(_) | Value::Pap(_) => {
            return Err(RunError::Runtime("internal: cannot show a function".into()));
        }
    }
    Ok(())
}

fn push_number(out: &mut String, text: &str, ctx: Ctx) {
    if ctx == Ctx::ConArg && text.starts_with('-') {
        out.push('(');
        out.push_str(text);
        out.push(')');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interp::value::ConInfo;
    use std::rc::Rc;

    fn con(name: &str, arity: usize) -> Rc<ConInfo> {
        Rc::new(ConInfo { id: 0, name: name.into(), arity })
    }

    #[test]
    fn scalars() {
        assert_eq!(show(&Value::Int(-3)).unwrap(), "-3");
        assert_eq!(show(&Value::Float(24.0)).unwrap(), "24.0");
        assert_eq!(show(&Value::Float(0.1 + 0.2)).unwrap(), "0.30000000000000004");
        assert_eq!(show(&Value::Float(1e21)).unwrap(), "1e21");
        assert_eq!(show(&Value::Float(f64::NAN)).unwrap(), "NaN");
        assert_eq!(show(&Value::Float(f64::NEG_INFINITY)).unwrap(), "-inf");
        assert_eq!(show(&Value::Char('\'')).unwrap(), "'\\''");
        assert_eq!(show(&Value::Char('"')).unwrap(), "'\"'");
        assert_eq!(show(&Value::Char('\u{1b}')).unwrap(), "'\\u{1b}'");
        assert_eq!(show(&Value::str("a\"$\\\n\u{7f}é'")).unwrap(), "\"a\\\"\\$\\\\\\n\\u{7f}é'\"");
    }

    #[test]
    fn constructors_are_wrapped_as_arguments_and_list_elements() {
        let just = con("Just", 1);
        let neg = Value::data(just.clone(), vec![Value::Int(-3)]);
        assert_eq!(show(&neg).unwrap(), "Just (-3)");
        let nested = Value::data(just.clone(), vec![neg]);
        assert_eq!(show(&nested).unwrap(), "Just (Just (-3))");
        let dot = Value::data(con("Dot", 0), vec![]);
        let list = List::from_vec(vec![nested, dot, Value::Int(-1)]);
        assert_eq!(show(&Value::List(list)).unwrap(), "[(Just (Just (-3))) Dot -1]");
        let tuple = Value::tuple(vec![Value::Int(-1), Value::data(just, vec![Value::Float(-1.5)])]);
        assert_eq!(show(&tuple).unwrap(), "(-1, Just (-1.5))");
    }
}
