//! Runtime values, their memory accounting and their stack-safe drop.
//!
//! Scalars (`Int`, `Float`, `Bool`, `Char`, `()`) live inline; everything
//! else is a reference-counted node. Every node charges its size to the
//! thread-local live-bytes counter of [`super::limits`] when it is built and
//! releases it when it is dropped, which is how the memory budget sees the
//! live data of a run.
//!
//! Dropping must not recurse on the Rust stack: a list of ten million cells
//! (or a user-defined chain of constructors) would overflow it. A node's
//! `Drop` therefore hands its children to [`bury`], which queues the ones it
//! owns alone on a thread-local worklist that the outermost drop drains in a
//! loop.

use super::limits;
use super::prelude::Builtin;
use std::cell::{Cell, RefCell};
use std::mem::size_of;
use std::rc::Rc;

/// Index of a compiled function body in [`super::code::Program::funs`].
pub(crate) type FunId = u32;

/// A value of a running program.
#[derive(Clone, Default)]
pub(crate) enum Value {
    #[default]
    Unit,
    Bool(bool),
    Int(i64),
    Float(f64),
    Char(char),
    Str(Rc<StrNode>),
    List(List),
    Tuple(Rc<TupleNode>),
    /// Fields sorted by name.
    Record(Rc<RecordNode>),
    /// A constructor applied to all its arguments (nullary ones too).
    Data(Rc<DataNode>),
    /// A function defined in the program, with the variables it captured.
    Closure(Rc<Closure>),
    /// A prelude function or a constructor, used as a function value.
    Prim(Prim),
    /// A function applied to fewer arguments than it takes.
    Pap(Rc<Pap>),
}

/// A constructor of a data type (prelude or user-defined).
#[derive(Debug)]
pub(crate) struct ConInfo {
    /// Unique per run; constructors of one type are numbered in declaration
    /// order, which is also their order for comparisons.
    pub id: u32,
    pub name: Rc<str>,
    pub arity: usize,
}

/// The callable things that are not closures.
#[derive(Clone)]
pub(crate) enum Prim {
    Builtin(Builtin),
    Con(Rc<ConInfo>),
}

/// A singly linked list; `None` is the empty list.
#[derive(Clone, Default)]
pub(crate) struct List(pub Option<Rc<Cons>>);

pub(crate) struct Cons {
    pub head: Value,
    pub tail: List,
}

pub(crate) struct StrNode {
    pub text: Box<str>,
}

pub(crate) struct TupleNode {
    pub items: Box<[Value]>,
}

pub(crate) struct RecordNode {
    pub fields: Box<[(Rc<str>, Value)]>,
}

pub(crate) struct DataNode {
    pub con: Rc<ConInfo>,
    pub args: Box<[Value]>,
}

pub(crate) struct Closure {
    pub fun: FunId,
    pub captured: Box<[Value]>,
}

pub(crate) struct Pap {
    /// A `Closure` or a `Prim`, never another `Pap`.
    pub head: Value,
    pub args: Box<[Value]>,
}

/// What the reference counts of an `Rc` allocation cost on top of the node.
const RC_HEADER: usize = 16;

/// Bytes charged for one node of type `T`.
fn node_bytes<T>() -> usize {
    size_of::<T>() + RC_HEADER
}

/// Bytes charged for one value slot inside a node or an accumulator.
pub(crate) const SLOT_BYTES: usize = size_of::<Value>();

impl Value {
    pub fn str(text: impl Into<Box<str>>) -> Value {
        let text = text.into();
        limits::charge(node_bytes::<StrNode>() + text.len());
        Value::Str(Rc::new(StrNode { text }))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        limits::charge(node_bytes::<TupleNode>() + SLOT_BYTES * items.len());
        Value::Tuple(Rc::new(TupleNode { items: items.into_boxed_slice() }))
    }

    /// Builds a record; `fields` must already be sorted by name.
    pub fn record(fields: Vec<(Rc<str>, Value)>) -> Value {
        limits::charge(node_bytes::<RecordNode>() + size_of::<(Rc<str>, Value)>() * fields.len());
        Value::Record(Rc::new(RecordNode { fields: fields.into_boxed_slice() }))
    }

    pub fn data(con: Rc<ConInfo>, args: Vec<Value>) -> Value {
        limits::charge(node_bytes::<DataNode>() + SLOT_BYTES * args.len());
        Value::Data(Rc::new(DataNode { con, args: args.into_boxed_slice() }))
    }

    pub fn closure(fun: FunId, captured: Vec<Value>) -> Value {
        limits::charge(node_bytes::<Closure>() + SLOT_BYTES * captured.len());
        Value::Closure(Rc::new(Closure { fun, captured: captured.into_boxed_slice() }))
    }

    pub fn pap(head: Value, args: Vec<Value>) -> Value {
        limits::charge(node_bytes::<Pap>() + SLOT_BYTES * args.len());
        Value::Pap(Rc::new(Pap { head, args: args.into_boxed_slice() }))
    }

    /// The name of the value's kind, for internal error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Unit => "()",
            Value::Bool(_) => "a Bool",
            Value::Int(_) => "an Int",
            Value::Float(_) => "a Float",
            Value::Char(_) => "a Char",
            Value::Str(_) => "a String",
            Value::List(_) => "a list",
            Value::Tuple(_) => "a tuple",
            Value::Record(_) => "a record",
            Value::Data(_) => "a constructor value",
            Value::Closure(_) | Value::Prim(_) | Value::Pap(_) => "a function",
        }
    }

    /// Whether this value holds the only reference to a node with children,
    /// so that dropping it would free that node (and recurse into it).
    fn owns_children(&self) -> bool {
        match self {
            Value::List(List(Some(rc))) => Rc::strong_count(rc) == 1,
            Value::Tuple(rc) => Rc::strong_count(rc) == 1,
            Value::Record(rc) => Rc::strong_count(rc) == 1,
            Value::Data(rc) => Rc::strong_count(rc) == 1,
            Value::Closure(rc) => Rc::strong_count(rc) == 1,
            Value::Pap(rc) => Rc::strong_count(rc) == 1,
            _ => false,
        }
    }
}

impl List {
    pub fn nil() -> List {
        List(None)
    }

    pub fn cons(head: Value, tail: List) -> List {
        limits::charge(node_bytes::<Cons>());
        List(Some(Rc::new(Cons { head, tail })))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The first cell, if any.
    pub fn first(&self) -> Option<&Cons> {
        self.0.as_deref()
    }

    pub fn iter(&self) -> ListIter<'_> {
        ListIter { next: self.0.as_deref() }
    }

    /// Builds a list holding `items` in order.
    pub fn from_vec(items: Vec<Value>) -> List {
        let mut list = List::nil();
        for item in items.into_iter().rev() {
            list = List::cons(item, list);
        }
        list
    }

    /// Splits off the first element, cloning it and the tail reference.
    pub fn uncons(&self) -> Option<(Value, List)> {
        self.0.as_ref().map(|cell| (cell.head.clone(), cell.tail.clone()))
    }
}

/// Iterates over the elements of a [`List`] by reference.
pub(crate) struct ListIter<'a> {
    next: Option<&'a Cons>,
}

impl<'a> Iterator for ListIter<'a> {
    type Item = &'a Value;

    fn next(&mut self) -> Option<&'a Value> {
        let cell = self.next?;
        self.next = cell.tail.0.as_deref();
        Some(&cell.head)
    }
}

/// A growing vector of values whose slots are charged to the memory budget,
/// for builtins and comprehensions that collect results before building a
/// list (otherwise a long comprehension could grow without being counted).
#[derive(Default)]
pub(crate) struct Acc {
    items: Vec<Value>,
}

impl Acc {
    pub fn push(&mut self, v: Value) {
        limits::charge(SLOT_BYTES);
        self.items.push(v);
    }

    pub fn into_list(self) -> List {
        self.into_list_onto(List::nil())
    }

    /// The collected values followed by `tail`.
    pub fn into_list_onto(mut self, tail: List) -> List {
        let mut list = tail;
        while let Some(v) = self.items.pop() {
            limits::release(SLOT_BYTES);
            list = List::cons(v, list);
        }
        list
    }
}

impl Drop for Acc {
    fn drop(&mut self) {
        limits::release(SLOT_BYTES * self.items.len());
    }
}

// Drops: release the node's bytes, then hand its children to `bury`.

impl Drop for StrNode {
    fn drop(&mut self) {
        limits::release(node_bytes::<StrNode>() + self.text.len());
    }
}

impl Drop for Cons {
    fn drop(&mut self) {
        limits::release(node_bytes::<Cons>());
        bury(std::mem::take(&mut self.head));
        if let Some(tail) = self.tail.0.take() {
            bury(Value::List(List(Some(tail))));
        }
    }
}

impl Drop for TupleNode {
    fn drop(&mut self) {
        limits::release(node_bytes::<TupleNode>() + SLOT_BYTES * self.items.len());
        bury_all(std::mem::take(&mut self.items));
    }
}

impl Drop for RecordNode {
    fn drop(&mut self) {
        limits::release(node_bytes::<RecordNode>() + size_of::<(Rc<str>, Value)>() * self.fields.len());
        for (_, v) in std::mem::take(&mut self.fields).into_vec() {
            bury(v);
        }
    }
}

impl Drop for DataNode {
    fn drop(&mut self) {
        limits::release(node_bytes::<DataNode>() + SLOT_BYTES * self.args.len());
        bury_all(std::mem::take(&mut self.args));
    }
}

impl Drop for Closure {
    fn drop(&mut self) {
        limits::release(node_bytes::<Closure>() + SLOT_BYTES * self.captured.len());
        bury_all(std::mem::take(&mut self.captured));
    }
}

impl Drop for Pap {
    fn drop(&mut self) {
        limits::release(node_bytes::<Pap>() + SLOT_BYTES * self.args.len());
        bury(std::mem::take(&mut self.head));
        bury_all(std::mem::take(&mut self.args));
    }
}

fn bury_all(items: Box<[Value]>) {
    for v in items.into_vec() {
        bury(v);
    }
}

thread_local! {
    /// Values whose drop was deferred so that dropping never recurses.
    static GRAVE: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    /// Whether some frame further up is already draining `GRAVE`.
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// Drops `v` without recursing on the Rust stack: a value that would free a
/// node with children is queued, and the outermost call drains the queue.
pub(crate) fn bury(v: Value) {
    if !v.owns_children() {
        return;
    }
    let queued = GRAVE.try_with(|g| g.borrow_mut().push(v));
    if queued.is_err() || DRAINING.try_with(|d| d.replace(true)).unwrap_or(true) {
        return;
    }
    while let Some(next) = GRAVE.with(|g| g.borrow_mut().pop()) {
        drop(next);
    }
    DRAINING.with(|d| d.set(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_long_list_does_not_recurse() {
        let before = limits::live();
        let mut list = List::nil();
        for i in 0..2_000_000 {
            list = List::cons(Value::Int(i), list);
        }
        assert!(limits::live() > before);
        drop(list);
        assert_eq!(limits::live(), before);
    }

    #[test]
    fn dropping_a_deep_chain_of_constructors_does_not_recurse() {
        let before = limits::live();
        let con = Rc::new(ConInfo { id: 0, name: "Next".into(), arity: 1 });
        let mut v = Value::Unit;
        for _ in 0..1_000_000 {
            v = Value::data(con.clone(), vec![Value::tuple(vec![v, Value::Int(1)])]);
        }
        drop(v);
        assert_eq!(limits::live(), before);
    }

    #[test]
    fn shared_tails_survive_dropping_one_owner() {
        let shared = List::from_vec(vec![Value::Int(1), Value::Int(2)]);
        let a = List::cons(Value::Int(0), shared.clone());
        drop(a);
        assert_eq!(shared.iter().count(), 2);
    }
}
