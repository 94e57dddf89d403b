//! The checker's internal types: inference variables (keys of the `ena`
//! table), quantified variables of schemes, type constructors, records with
//! rows, and the built-in constraint classes.
//!
//! Every type constructor is a [`TyCon`] applied to arguments, functions and
//! lists included, so unification has one structural case; records are the
//! one exception because their fields are unordered.

use std::collections::BTreeMap;
use std::rc::Rc;

/// An inference variable: a key of the unification table. Row variables
/// (the `| r` of an open record) are the same kind of key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TyVar(pub(crate) u32);

/// Index of a data type in [`super::env::TypeDefs`] (user or prelude).
pub(crate) type AdtId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TyCon {
    Int,
    Float,
    Bool,
    Char,
    String,
    Unit,
    /// One argument: the element type.
    List,
    /// As many arguments as components.
    Tuple,
    /// Two arguments: parameter and result.
    Fun,
    Adt(AdtId),
}

impl TyCon {
    /// The base type a built-in name without arguments stands for
    /// (`Int Float Bool Char String`); these names cannot be redefined.
    pub(crate) fn base(name: &str) -> Option<TyCon> {
        match name {
            "Int" => Some(TyCon::Int),
            "Float" => Some(TyCon::Float),
            "Bool" => Some(TyCon::Bool),
            "Char" => Some(TyCon::Char),
            "String" => Some(TyCon::String),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    Var(TyVar),
    /// A quantified variable of a scheme (or a parameter of a type
    /// definition), numbered from 0; instantiation replaces it.
    Gen(u32),
    Con(TyCon, Args),
    /// Fields by name, and the rest of the row: `None` for a closed record,
    /// otherwise a `Var`, `Gen` or `Error`.
    Record(BTreeMap<String, Ty>, Option<Box<Ty>>),
    /// The type of something already reported as wrong: unifies with
    /// anything and satisfies every constraint, so errors do not cascade.
    Error,
}

impl Ty {
    pub(crate) fn base(con: TyCon) -> Ty {
        Ty::Con(con, Args::default())
    }

    pub(crate) fn int() -> Ty {
        Ty::base(TyCon::Int)
    }

    pub(crate) fn float() -> Ty {
        Ty::base(TyCon::Float)
    }

    pub(crate) fn bool() -> Ty {
        Ty::base(TyCon::Bool)
    }

    pub(crate) fn string() -> Ty {
        Ty::base(TyCon::String)
    }

    pub(crate) fn unit() -> Ty {
        Ty::base(TyCon::Unit)
    }

    pub(crate) fn list(elem: Ty) -> Ty {
        Ty::Con(TyCon::List, Args::from(vec![elem]))
    }

    pub(crate) fn fun(param: Ty, result: Ty) -> Ty {
        Ty::Con(TyCon::Fun, Args::from(vec![param, result]))
    }

    /// `p1 -> p2 -> ... -> result`.
    pub(crate) fn fun_n(params: Vec<Ty>, result: Ty) -> Ty {
        params.into_iter().rev().fold(result, |acc, p| Ty::fun(p, acc))
    }

    /// Replaces `Gen(i)` by `args[i]` (a missing argument becomes `Error`).
    pub(crate) fn subst_gen(&self, args: &[Ty]) -> Ty {
        match self {
            Ty::Gen(i) => args.get(*i as usize).cloned().unwrap_or(Ty::Error),
            Ty::Var(_) | Ty::Error => self.clone(),
            Ty::Con(c, xs) => Ty::Con(*c, xs.iter().map(|x| x.subst_gen(args)).collect()),
            Ty::Record(fields, tail) => Ty::Record(
                fields.iter().map(|(k, v)| (k.clone(), v.subst_gen(args))).collect(),
                tail.as_ref().map(|t| Box::new(t.subst_gen(args))),
            ),
        }
    }
}

/// The arguments of a type constructor, shared: the checker copies types
/// all the time (every probe of the unification table returns one), and a
/// copy of shared arguments is a reference count, not a tree. Base types
/// (no arguments) allocate nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Args(Option<Rc<[Ty]>>);

impl Args {
    pub(crate) fn as_slice(&self) -> &[Ty] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl std::ops::Deref for Args {
    type Target = [Ty];

    fn deref(&self) -> &[Ty] {
        self.as_slice()
    }
}

impl From<Vec<Ty>> for Args {
    fn from(v: Vec<Ty>) -> Args {
        if v.is_empty() {
            Args(None)
        } else {
            Args(Some(Rc::from(v)))
        }
    }
}

impl FromIterator<Ty> for Args {
    fn from_iter<I: IntoIterator<Item = Ty>>(iter: I) -> Args {
        Args::from(iter.into_iter().collect::<Vec<Ty>>())
    }
}

/// One built-in constraint of LANGUAGE.md §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Class {
    // Declared in name order: rendering sorts constraints by class name.
    Append,
    Eq,
    Num,
    Ord,
    Show,
}

impl Class {
    pub(crate) const ALL: [Class; 5] = [Class::Append, Class::Eq, Class::Num, Class::Ord, Class::Show];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Append => "Append",
            Class::Eq => "Eq",
            Class::Num => "Num",
            Class::Ord => "Ord",
            Class::Show => "Show",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of classes, as carried by an unbound variable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Classes(u8);

impl Classes {
    pub(crate) const NONE: Classes = Classes(0);

    pub(crate) fn one(c: Class) -> Classes {
        Classes(c.bit())
    }

    pub(crate) fn union(self, other: Classes) -> Classes {
        Classes(self.0 | other.0)
    }

    pub(crate) fn contains(self, c: Class) -> bool {
        self.0 & c.bit() != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes in name order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Class> {
        Class::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// A possibly polymorphic type: `ty` may hold `Gen(i)` for `i < gens.len()`,
/// and `gens[i]` are the constraints on that variable.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scheme {
    pub(crate) gens: Vec<Classes>,
    pub(crate) ty: Ty,
}

impl Scheme {
    pub(crate) fn mono(ty: Ty) -> Scheme {
        Scheme { gens: Vec::new(), ty }
    }

    pub(crate) fn error() -> Scheme {
        Scheme::mono(Ty::Error)
    }
}
