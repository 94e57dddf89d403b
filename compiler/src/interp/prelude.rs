//! The prelude functions of LANGUAGE.md §6 and the strict operators.
//!
//! Pure builtins compute their value directly, spending one step per element
//! they walk. Builtins that call a function argument (`map`, `foldl`,
//! `any`, ...) cannot call it recursively without growing the Rust stack,
//! so they keep their loop state in a [`BuiltinK`] continuation frame and
//! ask the machine to apply the function; the machine hands the result back
//! to [`Machine::resume_builtin`].
//!
//! Edge cases, chosen as a Haskell or Elm programmer would expect (and
//! listed in `docs/language.md`): `take`/`drop`/`replicate` treat a
//! negative count as 0; strings are indexed by character with indices
//! clamped to the string; `str_split s ""` splits into characters and
//! splitting `""` gives `[""]`; `str_replace` with an empty `old` returns the
//! text unchanged; `str_upper`/`str_lower` are Unicode-aware; `min`/`max`
//! are `a <= b` tests (so with a NaN they return the second or first
//! argument, as Haskell's do), `maximum`/`minimum` fold them from the left;
//! `sort` is stable and puts NaN last.

use super::code::PreludeCons;
use super::compare::{self, Mode};
use super::eval::{Ctl, Machine};
use super::limits::Budget;
use super::show;
use super::value::{Acc, ConInfo, List, Prim, Value};
use super::{internal, RunError};
use crate::ast::BinOp;
use std::cmp::Ordering;
use std::rc::Rc;

/// A prelude function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    Length,
    Head,
    Tail,
    Last,
    Init,
    Index,
    Map,
    Filter,
    Foldl,
    Foldr,
    ConcatMap,
    Concat,
    Reverse,
    Take,
    Drop,
    Zip,
    ZipWith,
    /// `sum`; `float` says what the empty sum is (from the use's type).
    Sum {
        float: bool,
    },
    Product {
        float: bool,
    },
    Maximum,
    Minimum,
    Sort,
    Elem,
    Any,
    All,
    Replicate,
    IsEmpty,
    StrLen,
    StrSlice,
    StrFind,
    StrSplit,
    StrJoin,
    StrTrim,
    StrUpper,
    StrLower,
    StrStartsWith,
    StrEndsWith,
    StrContains,
    StrReplace,
    Chars,
    FromChars,
    Ord,
    Chr,
    ParseInt,
    ParseFloat,
    Show,
    Abs,
    Min,
    Max,
    ToFloat,
    Truncate,
    Floor,
    Ceil,
    Round,
    Sqrt,
    Even,
    Odd,
    Not,
    MapOk,
    AndThen,
    UnwrapOr,
    IsOk,
    IsErr,
    MapMaybe,
    WithDefault,
    Error,
    Print,
    ForEach,
    /// `f >> g` as a function of three arguments: `Compose f g x = g (f x)`.
    Compose,
}

/// Every prelude function by name, with its arity.
const TABLE: &[(&str, Builtin, usize)] = &[
    ("length", Builtin::Length, 1),
    ("head", Builtin::Head, 1),
    ("tail", Builtin::Tail, 1),
    ("last", Builtin::Last, 1),
    ("init", Builtin::Init, 1),
    ("index", Builtin::Index, 2),
    ("map", Builtin::Map, 2),
    ("filter", Builtin::Filter, 2),
    ("foldl", Builtin::Foldl, 3),
    ("foldr", Builtin::Foldr, 3),
    ("concat_map", Builtin::ConcatMap, 2),
    ("concat", Builtin::Concat, 1),
    ("reverse", Builtin::Reverse, 1),
    ("take", Builtin::Take, 2),
    ("drop", Builtin::Drop, 2),
    ("zip", Builtin::Zip, 2),
    ("zip_with", Builtin::ZipWith, 3),
    ("sum", Builtin::Sum { float: false }, 1),
    ("product", Builtin::Product { float: false }, 1),
    ("maximum", Builtin::Maximum, 1),
    ("minimum", Builtin::Minimum, 1),
    ("sort", Builtin::Sort, 1),
    ("elem", Builtin::Elem, 2),
    ("any", Builtin::Any, 2),
    ("all", Builtin::All, 2),
    ("replicate", Builtin::Replicate, 2),
    ("is_empty", Builtin::IsEmpty, 1),
    ("str_len", Builtin::StrLen, 1),
    ("str_slice", Builtin::StrSlice, 3),
    ("str_find", Builtin::StrFind, 3),
    ("str_split", Builtin::StrSplit, 2),
    ("str_join", Builtin::StrJoin, 2),
    ("str_trim", Builtin::StrTrim, 1),
    ("str_upper", Builtin::StrUpper, 1),
    ("str_lower", Builtin::StrLower, 1),
    ("str_starts_with", Builtin::StrStartsWith, 2),
    ("str_ends_with", Builtin::StrEndsWith, 2),
    ("str_contains", Builtin::StrContains, 2),
    ("str_replace", Builtin::StrReplace, 3),
    ("chars", Builtin::Chars, 1),
    ("from_chars", Builtin::FromChars, 1),
    ("ord", Builtin::Ord, 1),
    ("chr", Builtin::Chr, 1),
    ("parse_int", Builtin::ParseInt, 1),
    ("parse_float", Builtin::ParseFloat, 1),
    ("show", Builtin::Show, 1),
    ("abs", Builtin::Abs, 1),
    ("min", Builtin::Min, 2),
    ("max", Builtin::Max, 2),
    ("to_float", Builtin::ToFloat, 1),
    ("truncate", Builtin::Truncate, 1),
    ("floor", Builtin::Floor, 1),
    ("ceil", Builtin::Ceil, 1),
    ("round", Builtin::Round, 1),
    ("sqrt", Builtin::Sqrt, 1),
    ("even", Builtin::Even, 1),
    ("odd", Builtin::Odd, 1),
    ("not", Builtin::Not, 1),
    ("map_ok", Builtin::MapOk, 2),
    ("and_then", Builtin::AndThen, 2),
    ("unwrap_or", Builtin::UnwrapOr, 2),
    ("is_ok", Builtin::IsOk, 1),
    ("is_err", Builtin::IsErr, 1),
    ("map_maybe", Builtin::MapMaybe, 2),
    ("with_default", Builtin::WithDefault, 2),
    ("error", Builtin::Error, 1),
    ("print", Builtin::Print, 1),
    ("for_each", Builtin::ForEach, 2),
];

impl Builtin {
    /// The prelude function called `name`, if any.
    pub fn lookup(name: &str) -> Option<Builtin> {
        TABLE.iter().find(|(n, _, _)| *n == name).map(|(_, b, _)| *b)
    }

    pub fn arity(self) -> usize {
        match self {
            Builtin::Sum { .. } | Builtin::Product { .. } => 1,
            Builtin::Compose => 3,
            b => TABLE.iter().find(|(_, t, _)| *t == b).map_or(1, |(_, _, a)| *a),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Builtin::Sum { .. } => "sum",
            Builtin::Product { .. } => "product",
            Builtin::Compose => ">>",
            b => TABLE.iter().find(|(_, t, _)| *t == b).map_or("?", |(n, _, _)| n),
        }
    }
}

/// Loop state of a builtin that calls a function argument.
pub(crate) enum BuiltinK {
    Map {
        f: Value,
        rest: List,
        acc: Acc,
    },
    Filter {
        f: Value,
        item: Value,
        rest: List,
        acc: Acc,
    },
    Foldl {
        f: Value,
        rest: List,
    },
    /// `rev` holds the elements still to fold, last element first.
    Foldr {
        f: Value,
        rev: List,
    },
    ConcatMap {
        f: Value,
        rest: List,
        acc: Acc,
    },
    ZipWith {
        f: Value,
        xs: List,
        ys: List,
        acc: Acc,
    },
    Any {
        f: Value,
        rest: List,
    },
    All {
        f: Value,
        rest: List,
    },
    ForEach {
        f: Value,
        rest: List,
    },
    /// Wraps the result in a constructor (`map_ok`, `map_maybe`).
    Wrap(Rc<ConInfo>),
    /// Applies `g` to the result (`f >> g`).
    Compose {
        g: Value,
    },
}

// ----- argument access -----

fn bad_arg(b: Builtin, v: &Value) -> RunError {
    internal(&format!("`{}` got {}", b.name(), v.kind()))
}

fn int(b: Builtin, v: &Value) -> Result<i64, RunError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(bad_arg(b, other)),
    }
}

fn float(b: Builtin, v: &Value) -> Result<f64, RunError> {
    match v {
        Value::Float(f) => Ok(*f),
        other => Err(bad_arg(b, other)),
    }
}

fn text(b: Builtin, v: &Value) -> Result<&str, RunError> {
    match v {
        Value::Str(s) => Ok(&s.text),
        other => Err(bad_arg(b, other)),
    }
}

/// The text functions that only read their arguments' text, on text read
/// in place: the interpreter passes its strings and the JIT its string
/// objects, so both engines run this one implementation. `None` for the
/// other builtins.
pub(crate) fn text_query(b: Builtin, texts: &[&str]) -> Option<Value> {
    use Builtin::*;
    Some(match (b, texts) {
        (StrLen, [s]) => Value::Int(s.chars().count() as i64),
        (StrStartsWith, [s, t]) => Value::Bool(s.starts_with(t)),
        (StrEndsWith, [s, t]) => Value::Bool(s.ends_with(t)),
        (StrContains, [s, t]) => Value::Bool(s.contains(t)),
        _ => return None,
    })
}

/// `str_join sep parts`, on parts read in place (by either engine);
/// `room(len)` is asked after each part whether the text may be `len`
/// bytes long (the step and memory budgets).
pub(crate) fn join_texts<'t>(
    sep: &str,
    parts: impl IntoIterator<Item = Result<&'t str, RunError>>,
    mut room: impl FnMut(usize) -> Result<(), RunError>,
) -> Result<String, RunError> {
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part?);
        room(out.len())?;
    }
    Ok(out)
}

fn list(b: Builtin, v: &Value) -> Result<&List, RunError> {
    match v {
        Value::List(l) => Ok(l),
        other => Err(bad_arg(b, other)),
    }
}

fn args<const N: usize>(b: Builtin, args: Vec<Value>) -> Result<[Value; N], RunError> {
    <[Value; N]>::try_from(args)
        .map_err(|_| internal(&format!("`{}` called with the wrong number of arguments", b.name())))
}

fn empty_list(what: &str) -> RunError {
    RunError::Runtime(format!("{what} of an empty list"))
}

// ----- operators -----

/// A strict binary operator applied to two values.
pub(crate) fn binary(op: BinOp, a: Value, b: Value, budget: &mut Budget) -> Result<Value, RunError> {
    use BinOp::*;
    Ok(match (op, &a, &b) {
        (Add, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_add(*y)),
        (Sub, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_sub(*y)),
        (Mul, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_mul(*y)),
        (Div, Value::Int(_), Value::Int(0)) | (Mod, Value::Int(_), Value::Int(0)) => {
            return Err(RunError::Runtime("division by zero".into()));
        }
        (Div, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_div(*y)),
        (Mod, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_rem(*y)),
        (Pow, Value::Int(x), Value::Int(y)) => Value::Int(int_pow(*x, *y)?),
        (Add, Value::Float(x), Value::Float(y)) => Value::Float(x + y),
        (Sub, Value::Float(x), Value::Float(y)) => Value::Float(x - y),
        (Mul, Value::Float(x), Value::Float(y)) => Value::Float(x * y),
        (Div, Value::Float(x), Value::Float(y)) => Value::Float(x / y),
        (Mod, Value::Float(x), Value::Float(y)) => Value::Float(x % y),
        (Pow, Value::Float(x), Value::Float(y)) => Value::Float(x.powf(*y)),
        (Eq, _, _) => Value::Bool(compare::equal(&a, &b)?),
        (Ne, _, _) => Value::Bool(!compare::equal(&a, &b)?),
        (Lt | Gt | Le | Ge, _, _) => {
            let ord = compare::compare(&a, &b, Mode::Ieee)?;
            Value::Bool(match (op, ord) {
                (_, None) => false,
                (Lt, Some(o)) => o == Ordering::Less,
                (Gt, Some(o)) => o == Ordering::Greater,
                (Le, Some(o)) => o != Ordering::Greater,
                (_, Some(o)) => o != Ordering::Less,
            })
        }
        (Cons, _, Value::List(tail)) => Value::List(List::cons(a.clone(), tail.clone())),
        (Append, Value::Str(x), Value::Str(y)) => {
            budget.check_memory(x.text.len() + y.text.len())?;
            Value::str(format!("{}{}", x.text, y.text))
        }
        (Append, Value::List(x), Value::List(y)) => Value::List(append(x, y.clone(), budget)?),
        (Compose, _, _) => Value::pap(Value::Prim(Prim::Builtin(Builtin::Compose)), vec![a, b]),
        _ => {
            return Err(internal(&format!("operator `{}` applied to {} and {}", op.symbol(), a.kind(), b.kind())));
        }
    })
}

/// `x ** y` on Ints: wrapping, by repeated squaring.
fn int_pow(base: i64, exp: i64) -> Result<i64, RunError> {
    if exp < 0 {
        return Err(RunError::Runtime(format!("negative exponent {exp} in an Int power")));
    }
    let (mut result, mut base, mut exp) = (1i64, base, exp as u64);
    while exp > 0 {
        if exp & 1 == 1 {
            result = result.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    Ok(result)
}

/// Prefix minus.
pub(crate) fn negate(v: Value) -> Result<Value, RunError> {
    match v {
        Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
        Value::Float(f) => Ok(Value::Float(-f)),
        other => Err(internal(&format!("prefix minus applied to {}", other.kind()))),
    }
}

/// `xs ++ ys`: copies `xs` and shares `ys`.
fn append(xs: &List, ys: List, budget: &mut Budget) -> Result<List, RunError> {
    if xs.is_empty() {
        return Ok(ys);
    }
    let mut items = Acc::default();
    for x in xs.iter() {
        budget.tick()?;
        items.push(x.clone());
    }
    Ok(items.into_list_onto(ys))
}

/// `[from..to]`, inclusive, empty when `from > to`.
pub(crate) fn range(from: i64, to: i64, budget: &mut Budget) -> Result<Value, RunError> {
    let mut list = List::nil();
    if from <= to {
        let mut i = to;
        loop {
            budget.tick()?;
            list = List::cons(Value::Int(i), list);
            if i == from {
                break;
            }
            i -= 1;
        }
    }
    Ok(Value::List(list))
}

// ----- builtins -----

impl<'p> Machine<'p, '_> {
    /// Calls builtin `b` with exactly its arity of arguments.
    pub(super) fn call_builtin(&mut self, b: Builtin, argv: Vec<Value>) -> Result<Ctl<'p>, RunError> {
        use Builtin::*;
        match b {
            Map | Filter | ConcatMap | Any | All | ForEach => {
                let [f, xs] = args(b, argv)?;
                let Some((x, rest)) = list(b, &xs)?.uncons() else {
                    return Ok(Ctl::Ret(match b {
                        Any => Value::Bool(false),
                        All => Value::Bool(true),
                        ForEach => Value::Unit,
                        _ => Value::List(List::nil()),
                    }));
                };
                let acc = Acc::default();
                let frame = match b {
                    Map => BuiltinK::Map { f: f.clone(), rest, acc },
                    Filter => BuiltinK::Filter { f: f.clone(), item: x.clone(), rest, acc },
                    ConcatMap => BuiltinK::ConcatMap { f: f.clone(), rest, acc },
                    Any => BuiltinK::Any { f: f.clone(), rest },
                    All => BuiltinK::All { f: f.clone(), rest },
                    _ => BuiltinK::ForEach { f: f.clone(), rest },
                };
                self.push_builtin(frame);
                Ok(Ctl::Apply(f, vec![x]))
            }
            Foldl => {
                let [f, z, xs] = args(b, argv)?;
                match list(b, &xs)?.uncons() {
                    None => Ok(Ctl::Ret(z)),
                    Some((x, rest)) => {
                        self.push_builtin(BuiltinK::Foldl { f: f.clone(), rest });
                        Ok(Ctl::Apply(f, vec![z, x]))
                    }
                }
            }
            Foldr => {
                let [f, z, xs] = args(b, argv)?;
                let rev = reverse(list(b, &xs)?, &mut self.budget)?;
                match rev.uncons() {
                    None => Ok(Ctl::Ret(z)),
                    Some((x, rev)) => {
                        self.push_builtin(BuiltinK::Foldr { f: f.clone(), rev });
                        Ok(Ctl::Apply(f, vec![x, z]))
                    }
                }
            }
            ZipWith => {
                let [f, xs, ys] = args(b, argv)?;
                match (list(b, &xs)?.uncons(), list(b, &ys)?.uncons()) {
                    (Some((x, xs)), Some((y, ys))) => {
                        self.push_builtin(BuiltinK::ZipWith { f: f.clone(), xs, ys, acc: Acc::default() });
                        Ok(Ctl::Apply(f, vec![x, y]))
                    }
                    _ => Ok(Ctl::Ret(Value::List(List::nil()))),
                }
            }
            MapOk | MapMaybe | AndThen => {
                let [f, r] = args(b, argv)?;
                let (wanted, wrap) = match b {
                    MapOk => (&self.prog.prelude.ok, Some(self.prog.prelude.ok.clone())),
                    MapMaybe => (&self.prog.prelude.just, Some(self.prog.prelude.just.clone())),
                    _ => (&self.prog.prelude.ok, None),
                };
                match &r {
                    Value::Data(d) if d.con.id == wanted.id => {
                        let x = d.args.first().cloned().ok_or_else(|| bad_arg(b, &r))?;
                        if let Some(con) = wrap {
                            self.push_builtin(BuiltinK::Wrap(con));
                        }
                        Ok(Ctl::Apply(f, vec![x]))
                    }
                    Value::Data(_) => Ok(Ctl::Ret(r)),
                    other => Err(bad_arg(b, other)),
                }
            }
            Compose => {
                let [f, g, x] = args(b, argv)?;
                self.push_builtin(BuiltinK::Compose { g });
                Ok(Ctl::Apply(f, vec![x]))
            }
            Print => {
                let [x] = args(b, argv)?;
                let mut line = show::display(&x)?;
                line.push('\n');
                self.out.write_all(line.as_bytes()).map_err(|e| RunError::Output(e.to_string()))?;
                Ok(Ctl::Ret(Value::Unit))
            }
            _ => Ok(Ctl::Ret(self.pure(b, argv)?)),
        }
    }

    /// Continues a builtin's loop with the value its function returned.
    pub(super) fn resume_builtin(&mut self, frame: BuiltinK, v: Value) -> Result<Ctl<'p>, RunError> {
        Ok(match frame {
            BuiltinK::Map { f, rest, mut acc } => {
                acc.push(v);
                match rest.uncons() {
                    Some((x, rest)) => self.again(BuiltinK::Map { f: f.clone(), rest, acc }, f, vec![x]),
                    None => Ctl::Ret(Value::List(acc.into_list())),
                }
            }
            BuiltinK::Filter { f, item, rest, mut acc } => {
                if truth(Builtin::Filter, &v)? {
                    acc.push(item);
                }
                match rest.uncons() {
                    Some((x, rest)) => {
                        self.again(BuiltinK::Filter { f: f.clone(), item: x.clone(), rest, acc }, f, vec![x])
                    }
                    None => Ctl::Ret(Value::List(acc.into_list())),
                }
            }
            BuiltinK::ConcatMap { f, rest, mut acc } => {
                for item in list(Builtin::ConcatMap, &v)?.iter() {
                    self.budget.tick()?;
                    acc.push(item.clone());
                }
                match rest.uncons() {
                    Some((x, rest)) => self.again(BuiltinK::ConcatMap { f: f.clone(), rest, acc }, f, vec![x]),
                    None => Ctl::Ret(Value::List(acc.into_list())),
                }
            }
            BuiltinK::Foldl { f, rest } => match rest.uncons() {
                Some((x, rest)) => self.again(BuiltinK::Foldl { f: f.clone(), rest }, f, vec![v, x]),
                None => Ctl::Ret(v),
            },
            BuiltinK::Foldr { f, rev } => match rev.uncons() {
                Some((x, rev)) => self.again(BuiltinK::Foldr { f: f.clone(), rev }, f, vec![x, v]),
                None => Ctl::Ret(v),
            },
            BuiltinK::ZipWith { f, xs, ys, mut acc } => {
                acc.push(v);
                match (xs.uncons(), ys.uncons()) {
                    (Some((x, xs)), Some((y, ys))) => {
                        self.again(BuiltinK::ZipWith { f: f.clone(), xs, ys, acc }, f, vec![x, y])
                    }
                    _ => Ctl::Ret(Value::List(acc.into_list())),
                }
            }
            BuiltinK::Any { f, rest } => match (truth(Builtin::Any, &v)?, rest.uncons()) {
                (true, _) => Ctl::Ret(Value::Bool(true)),
                (false, None) => Ctl::Ret(Value::Bool(false)),
                (false, Some((x, rest))) => self.again(BuiltinK::Any { f: f.clone(), rest }, f, vec![x]),
            },
            BuiltinK::All { f, rest } => match (truth(Builtin::All, &v)?, rest.uncons()) {
                (false, _) => Ctl::Ret(Value::Bool(false)),
                (true, None) => Ctl::Ret(Value::Bool(true)),
                (true, Some((x, rest))) => self.again(BuiltinK::All { f: f.clone(), rest }, f, vec![x]),
            },
            BuiltinK::ForEach { f, rest } => match rest.uncons() {
                Some((x, rest)) => self.again(BuiltinK::ForEach { f: f.clone(), rest }, f, vec![x]),
                None => Ctl::Ret(Value::Unit),
            },
            BuiltinK::Wrap(con) => Ctl::Ret(Value::data(con, vec![v])),
            BuiltinK::Compose { g } => Ctl::Apply(g, vec![v]),
        })
    }

    /// Pushes the loop frame back and applies `f` to the next arguments.
    fn again(&mut self, frame: BuiltinK, f: Value, args: Vec<Value>) -> Ctl<'p> {
        self.push_builtin(frame);
        Ctl::Apply(f, args)
    }

    /// The builtins that call no function argument.
    fn pure(&mut self, b: Builtin, argv: Vec<Value>) -> Result<Value, RunError> {
        use Builtin::*;
        let prelude = &self.prog.prelude;
        Ok(match b {
            Length
            | Head
            | Tail
            | Last
            | Init
            | Index
            | Concat
            | Reverse
            | Take
            | Drop
            | Zip
            | Sum { .. }
            | Product { .. }
            | Maximum
            | Minimum
            | Sort
            | Elem
            | Replicate
            | IsEmpty => list_builtin(b, argv, &mut self.budget)?,
            StrLen | StrSlice | StrFind | StrSplit | StrJoin | StrTrim | StrUpper | StrLower | StrStartsWith
            | StrEndsWith | StrContains | StrReplace | Chars | FromChars | Ord | Chr | ParseInt | ParseFloat | Show => {
                string_builtin(b, argv, &mut self.budget, prelude)?
            }
            Abs | Min | Max | ToFloat | Truncate | Floor | Ceil | Round | Sqrt | Even | Odd | Not => {
                number_builtin(b, argv)?
            }
            UnwrapOr | WithDefault => {
                let [default, r] = args(b, argv)?;
                let wanted = if b == UnwrapOr { &prelude.ok } else { &prelude.just };
                match &r {
                    Value::Data(d) if d.con.id == wanted.id => d.args.first().cloned().ok_or_else(|| bad_arg(b, &r))?,
                    Value::Data(_) => default,
                    other => return Err(bad_arg(b, other)),
                }
            }
            IsOk | IsErr => match args::<1>(b, argv)? {
                [Value::Data(d)] => Value::Bool((d.con.id == prelude.ok.id) == (b == IsOk)),
                [other] => return Err(bad_arg(b, &other)),
            },
            Error => {
                let [msg] = args(b, argv)?;
                return Err(RunError::Runtime(format!("error: {}", text(b, &msg)?)));
            }
            Map | Filter | Foldl | Foldr | ConcatMap | ZipWith | Any | All | MapOk | AndThen | MapMaybe | Print
            | ForEach | Compose => return Err(internal("builtin with a callback reached the pure path")),
        })
    }
}

/// A builtin that calls no function argument, outside a machine (the JIT
/// runs these prelude functions through here, so each is written once).
/// Builtins that test `Ok`/`Just` by constructor id are not among them.
pub(crate) fn pure_builtin(b: Builtin, argv: Vec<Value>, budget: &mut Budget) -> Result<Value, RunError> {
    use Builtin::*;
    match b {
        Length | Head | Tail | Last | Init | Index | Concat | Reverse | Take | Drop | Zip | Sum { .. } | Product { .. }
        | Maximum | Minimum | Sort | Elem | Replicate | IsEmpty => list_builtin(b, argv, budget),
        StrLen | StrSlice | StrFind | StrSplit | StrJoin | StrTrim | StrUpper | StrLower | StrStartsWith | StrEndsWith
        | StrContains | StrReplace | Chars | FromChars | Ord | Chr | ParseInt | ParseFloat | Show => {
            let con = |id: u32, name: &str, arity: usize| Rc::new(ConInfo { id, name: name.into(), arity });
            let prelude = PreludeCons { ok: con(0, "Ok", 1), just: con(0, "Just", 1), none: con(1, "None", 0) };
            string_builtin(b, argv, budget, &prelude)
        }
        Abs | Min | Max | ToFloat | Truncate | Floor | Ceil | Round | Sqrt | Even | Odd | Not => number_builtin(b, argv),
        _ => Err(internal("not a pure builtin")),
    }
}

/// The list builtins that call no function argument.
fn list_builtin(b: Builtin, argv: Vec<Value>, budget: &mut Budget) -> Result<Value, RunError> {
    use Builtin::*;
    Ok(match b {
        Length => {
            let [xs] = args(b, argv)?;
            let mut n = 0i64;
            for _ in list(b, &xs)?.iter() {
                budget.tick()?;
                n += 1;
            }
            Value::Int(n)
        }
        Head => {
            let [xs] = args(b, argv)?;
            list(b, &xs)?.uncons().ok_or_else(|| empty_list("head"))?.0
        }
        Tail => {
            let [xs] = args(b, argv)?;
            Value::List(list(b, &xs)?.uncons().ok_or_else(|| empty_list("tail"))?.1)
        }
        Last => {
            let [xs] = args(b, argv)?;
            let mut last = None;
            for x in list(b, &xs)?.iter() {
                budget.tick()?;
                last = Some(x);
            }
            last.ok_or_else(|| empty_list("last"))?.clone()
        }
        Init => {
            let [xs] = args(b, argv)?;
            let xs = list(b, &xs)?;
            if xs.is_empty() {
                return Err(empty_list("init"));
            }
            let mut acc = Acc::default();
            let mut it = xs.iter().peekable();
            while let Some(x) = it.next() {
                budget.tick()?;
                if it.peek().is_some() {
                    acc.push(x.clone());
                }
            }
            Value::List(acc.into_list())
        }
        Index => {
            let [n, xs] = args(b, argv)?;
            let n = int(b, &n)?;
            let xs = list(b, &xs)?;
            let mut found = None;
            if n >= 0 {
                for (i, x) in xs.iter().enumerate() {
                    budget.tick()?;
                    if i as i64 == n {
                        found = Some(x.clone());
                        break;
                    }
                }
            }
            match found {
                Some(x) => x,
                None => {
                    let len = xs.iter().count();
                    return Err(RunError::Runtime(format!("index {n} is out of range for a list of length {len}")));
                }
            }
        }
        Concat => {
            let [xss] = args(b, argv)?;
            let mut acc = Acc::default();
            for xs in list(b, &xss)?.iter() {
                for x in list(b, xs)?.iter() {
                    budget.tick()?;
                    acc.push(x.clone());
                }
            }
            Value::List(acc.into_list())
        }
        Reverse => {
            let [xs] = args(b, argv)?;
            Value::List(reverse(list(b, &xs)?, budget)?)
        }
        Take => {
            let [n, xs] = args(b, argv)?;
            let n = int(b, &n)?.max(0);
            let mut acc = Acc::default();
            for x in list(b, &xs)?.iter().take(usize::try_from(n).unwrap_or(usize::MAX)) {
                budget.tick()?;
                acc.push(x.clone());
            }
            Value::List(acc.into_list())
        }
        Drop => {
            let [n, xs] = args(b, argv)?;
            let mut n = int(b, &n)?.max(0);
            let mut rest = list(b, &xs)?.clone();
            while n > 0 {
                budget.tick()?;
                match rest.uncons() {
                    Some((_, tail)) => rest = tail,
                    None => break,
                }
                n -= 1;
            }
            Value::List(rest)
        }
        Zip => {
            let [xs, ys] = args(b, argv)?;
            let mut acc = Acc::default();
            for (x, y) in list(b, &xs)?.iter().zip(list(b, &ys)?.iter()) {
                budget.tick()?;
                acc.push(Value::tuple(vec![x.clone(), y.clone()]));
            }
            Value::List(acc.into_list())
        }
        Sum { float } | Product { float } => {
            let [xs] = args(b, argv)?;
            let is_sum = matches!(b, Sum { .. });
            let xs = list(b, &xs)?;
            let float = match xs.first().map(|c| &c.head) {
                Some(Value::Float(_)) => true,
                Some(_) => false,
                None => float,
            };
            if float {
                let mut acc = if is_sum { 0.0 } else { 1.0 };
                for x in xs.iter() {
                    budget.tick()?;
                    let x = self::float(b, x)?;
                    acc = if is_sum { acc + x } else { acc * x };
                }
                Value::Float(acc)
            } else {
                let mut acc: i64 = if is_sum { 0 } else { 1 };
                for x in xs.iter() {
                    budget.tick()?;
                    let x = int(b, x)?;
                    acc = if is_sum { acc.wrapping_add(x) } else { acc.wrapping_mul(x) };
                }
                Value::Int(acc)
            }
        }
        Maximum | Minimum => {
            let [xs] = args(b, argv)?;
            let mut it = list(b, &xs)?.iter();
            let what = if b == Maximum { "maximum" } else { "minimum" };
            let mut best = it.next().ok_or_else(|| empty_list(what))?.clone();
            for x in it {
                budget.tick()?;
                best = if b == Maximum { max(best, x.clone())? } else { min(best, x.clone())? };
            }
            best
        }
        Sort => {
            let [xs] = args(b, argv)?;
            let mut items = Vec::new();
            for x in list(b, &xs)?.iter() {
                budget.tick()?;
                items.push(x.clone());
            }
            Value::List(List::from_vec(merge_sort(items, budget)?))
        }
        Elem => {
            let [x, xs] = args(b, argv)?;
            let mut found = false;
            for y in list(b, &xs)?.iter() {
                budget.tick()?;
                if compare::equal(&x, y)? {
                    found = true;
                    break;
                }
            }
            Value::Bool(found)
        }
        Replicate => {
            let [n, x] = args(b, argv)?;
            let mut out = List::nil();
            for _ in 0..int(b, &n)?.max(0) {
                budget.tick()?;
                out = List::cons(x.clone(), out);
            }
            Value::List(out)
        }
        IsEmpty => {
            let [xs] = args(b, argv)?;
            Value::Bool(list(b, &xs)?.is_empty())
        }
        _ => return Err(internal("not a list builtin")),
    })
}

/// The string and character builtins.
fn string_builtin(b: Builtin, argv: Vec<Value>, budget: &mut Budget, prelude: &PreludeCons) -> Result<Value, RunError> {
    use Builtin::*;
    let just = |v: Value| Value::data(prelude.just.clone(), vec![v]);
    let none = || Value::data(prelude.none.clone(), Vec::new());
    Ok(match b {
        StrLen => {
            let [s] = args(b, argv)?;
            text_query(b, &[text(b, &s)?]).ok_or_else(|| internal("a text query"))?
        }
        StrSlice => {
            let [s, from, to] = args(b, argv)?;
            let s = text(b, &s)?;
            let (from, to) = (char_offset(s, int(b, &from)?), char_offset(s, int(b, &to)?));
            Value::str(if from < to { &s[from..to] } else { "" })
        }
        StrFind => {
            let [hay, needle, start] = args(b, argv)?;
            let (hay, needle) = (text(b, &hay)?, text(b, &needle)?);
            let start_char = int(b, &start)?.clamp(0, hay.chars().count() as i64);
            let start = char_offset(hay, start_char);
            Value::Int(match hay[start..].find(needle) {
                Some(i) => start_char + hay[start..start + i].chars().count() as i64,
                None => -1,
            })
        }
        StrSplit => {
            let [s, sep] = args(b, argv)?;
            let (s, sep) = (text(b, &s)?, text(b, &sep)?);
            let mut acc = Acc::default();
            if sep.is_empty() {
                if s.is_empty() {
                    acc.push(Value::str(""));
                }
                for c in s.chars() {
                    budget.tick()?;
                    acc.push(Value::str(c.to_string()));
                }
            } else {
                for part in s.split(sep) {
                    budget.tick()?;
                    acc.push(Value::str(part));
                }
            }
            Value::List(acc.into_list())
        }
        StrJoin => {
            let [sep, parts] = args(b, argv)?;
            let parts = list(b, &parts)?.iter().map(|part| text(b, part));
            Value::str(join_texts(text(b, &sep)?, parts, |len| {
                budget.tick()?;
                budget.check_memory(len)
            })?)
        }
        StrTrim => Value::str(text(b, &args::<1>(b, argv)?[0])?.trim()),
        StrUpper => Value::str(text(b, &args::<1>(b, argv)?[0])?.to_uppercase()),
        StrLower => Value::str(text(b, &args::<1>(b, argv)?[0])?.to_lowercase()),
        StrStartsWith | StrEndsWith | StrContains => {
            let [s, t] = args(b, argv)?;
            text_query(b, &[text(b, &s)?, text(b, &t)?]).ok_or_else(|| internal("a text query"))?
        }
        StrReplace => {
            let [s, old, new] = args(b, argv)?;
            let (s, old, new) = (text(b, &s)?, text(b, &old)?, text(b, &new)?);
            if old.is_empty() {
                Value::str(s)
            } else {
                let count = s.matches(old).count();
                budget.check_memory(s.len().saturating_add(count.saturating_mul(new.len())))?;
                Value::str(s.replace(old, new))
            }
        }
        Chars => {
            let [s] = args(b, argv)?;
            let mut acc = Acc::default();
            for c in text(b, &s)?.chars() {
                budget.tick()?;
                acc.push(Value::Char(c));
            }
            Value::List(acc.into_list())
        }
        FromChars => {
            let [cs] = args(b, argv)?;
            let mut out = String::new();
            for c in list(b, &cs)?.iter() {
                budget.tick()?;
                match c {
                    Value::Char(c) => out.push(*c),
                    other => return Err(bad_arg(b, other)),
                }
            }
            Value::str(out)
        }
        Ord => match args::<1>(b, argv)? {
            [Value::Char(c)] => Value::Int(c as i64),
            [other] => return Err(bad_arg(b, &other)),
        },
        Chr => {
            let n = int(b, &args::<1>(b, argv)?[0])?;
            match u32::try_from(n).ok().and_then(char::from_u32) {
                Some(c) => Value::Char(c),
                None => {
                    return Err(RunError::Runtime(format!("chr of {n}, which is not a Unicode scalar value")));
                }
            }
        }
        ParseInt => {
            let [s] = args(b, argv)?;
            parse_int(text(b, &s)?).map_or_else(none, |i| just(Value::Int(i)))
        }
        ParseFloat => {
            let [s] = args(b, argv)?;
            parse_float(text(b, &s)?).map_or_else(none, |f| just(Value::Float(f)))
        }
        Show => {
            let [x] = args(b, argv)?;
            let s = show::show(&x)?;
            budget.check_memory(s.len())?;
            Value::str(s)
        }
        _ => return Err(internal("not a string builtin")),
    })
}

/// The number and logic builtins.
pub(crate) fn number_builtin(b: Builtin, argv: Vec<Value>) -> Result<Value, RunError> {
    use Builtin::*;
    Ok(match b {
        Abs => match args::<1>(b, argv)? {
            [Value::Int(i)] => Value::Int(i.wrapping_abs()),
            [Value::Float(f)] => Value::Float(f.abs()),
            [other] => return Err(bad_arg(b, &other)),
        },
        Min => {
            let [x, y] = args(b, argv)?;
            min(x, y)?
        }
        Max => {
            let [x, y] = args(b, argv)?;
            max(x, y)?
        }
        ToFloat => Value::Float(int(b, &args::<1>(b, argv)?[0])? as f64),
        Truncate | Floor | Ceil | Round => {
            let f = float(b, &args::<1>(b, argv)?[0])?;
            let r = match b {
                Truncate => f.trunc(),
                Floor => f.floor(),
                Ceil => f.ceil(),
                _ => f.round(),
            };
            // i64 spans [-2^63, 2^63); both bounds are exact floats, and
            // a NaN is in no range.
            if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&r) {
                return Err(RunError::Runtime(format!("{} of {f:?} does not fit in an Int", b.name())));
            }
            Value::Int(r as i64)
        }
        Sqrt => Value::Float(float(b, &args::<1>(b, argv)?[0])?.sqrt()),
        Even => Value::Bool(int(b, &args::<1>(b, argv)?[0])? % 2 == 0),
        Odd => Value::Bool(int(b, &args::<1>(b, argv)?[0])? % 2 != 0),
        Not => Value::Bool(!truth(b, &args::<1>(b, argv)?[0])?),
        _ => return Err(internal("not a number builtin")),
    })
}

fn truth(b: Builtin, v: &Value) -> Result<bool, RunError> {
    match v {
        Value::Bool(t) => Ok(*t),
        other => Err(bad_arg(b, other)),
    }
}

/// `min a b = if a <= b then a else b` (Haskell's definition).
fn min(a: Value, b: Value) -> Result<Value, RunError> {
    let le = matches!(compare::compare(&a, &b, Mode::Ieee)?, Some(Ordering::Less | Ordering::Equal));
    Ok(if le { a } else { b })
}

/// `max a b = if a <= b then b else a` (Haskell's definition).
fn max(a: Value, b: Value) -> Result<Value, RunError> {
    let le = matches!(compare::compare(&a, &b, Mode::Ieee)?, Some(Ordering::Less | Ordering::Equal));
    Ok(if le { b } else { a })
}

/// A stable bottom-up merge sort in the total order of [`Mode::Total`].
/// (The standard library's sort may panic on an inconsistent comparison,
/// which an ill-typed program could cause; this one returns the error.)
fn merge_sort(mut items: Vec<Value>, budget: &mut Budget) -> Result<Vec<Value>, RunError> {
    let n = items.len();
    let mut width = 1;
    while width < n {
        let mut merged = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (left, right) = (&items[start..mid], &items[mid..end]);
            let (mut i, mut j) = (0, 0);
            while let (Some(x), Some(y)) = (left.get(i), right.get(j)) {
                budget.tick()?;
                // Take from the right only when strictly smaller: stability.
                if compare::compare(y, x, Mode::Total)? == Some(Ordering::Less) {
                    merged.push(y.clone());
                    j += 1;
                } else {
                    merged.push(x.clone());
                    i += 1;
                }
            }
            merged.extend_from_slice(left.get(i..).unwrap_or_default());
            merged.extend_from_slice(right.get(j..).unwrap_or_default());
            start = end;
        }
        items = merged;
        width *= 2;
    }
    Ok(items)
}

fn reverse(xs: &List, budget: &mut Budget) -> Result<List, RunError> {
    let mut out = List::nil();
    for x in xs.iter() {
        budget.tick()?;
        out = List::cons(x.clone(), out);
    }
    Ok(out)
}

/// The byte offset of character `n` of `s`, clamped to `[0, len]`.
fn char_offset(s: &str, n: i64) -> usize {
    if n <= 0 {
        return 0;
    }
    s.char_indices().nth(usize::try_from(n).unwrap_or(usize::MAX)).map_or(s.len(), |(i, _)| i)
}

/// An optional `-`, then one or more ASCII digits, fitting in an Int.
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An optional `-`, digits, an optional fraction (`.` and digits) and an
/// optional exponent (`e` or `E`, an optional sign, digits). Too large a
/// number reads as infinity, as Haskell's `read` does.
fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_parsing() {
        assert_eq!(parse_int("-42"), Some(-42));
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), None);
        for bad in ["", "-", "+1", " 1", "1 ", "1.0", "١"] {
            assert_eq!(parse_int(bad), None, "{bad:?}");
        }
        assert_eq!(parse_float("3"), Some(3.0));
        assert_eq!(parse_float("-2.5e-3"), Some(-0.0025));
        assert_eq!(parse_float("1E5"), Some(100000.0));
        assert_eq!(parse_float("1e999"), Some(f64::INFINITY));
        for bad in ["", "inf", "NaN", ".5", "5.", "1e", " 1", "+1", "1.5x"] {
            assert_eq!(parse_float(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn int_power() {
        assert_eq!(int_pow(2, 10).unwrap(), 1024);
        assert_eq!(int_pow(2, 64).unwrap(), 0);
        assert_eq!(int_pow(-3, 3).unwrap(), -27);
        assert_eq!(int_pow(7, 0).unwrap(), 1);
        assert!(int_pow(2, -1).is_err());
    }

    #[test]
    fn char_offsets_clamp() {
        assert_eq!(char_offset("héllo", -3), 0);
        assert_eq!(char_offset("héllo", 2), 3);
        assert_eq!(char_offset("héllo", 99), 6);
    }
}
