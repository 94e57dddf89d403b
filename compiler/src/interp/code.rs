//! The interpreter's intermediate form: the AST with names resolved.
//!
//! [`super::lower`] builds it. Every variable becomes a slot of the current
//! function's frame (`Local`), a captured variable of the running closure
//! (`Captured`), the running local function itself (`SelfRef`), a top-level
//! definition (`Global`) or a constant (prelude functions and literals).
//! Closures are flat: a lambda or local function copies the variables it
//! uses into its closure when it is created. Application chains are
//! flattened into one `Call` with all arguments.

use super::value::{ConInfo, FunId, Value};
use crate::ast::BinOp;
use std::rc::Rc;

/// A whole lowered program.
pub(crate) struct Program {
    pub funs: Vec<FunCode>,
    pub globals: Vec<Global>,
    pub tests: Vec<(String, FunId)>,
    /// The global holding `main`, if the program defines it.
    pub main: Option<usize>,
    pub prelude: PreludeCons,
}

/// The prelude constructors that builtins build and inspect.
pub(crate) struct PreludeCons {
    pub ok: Rc<ConInfo>,
    pub just: Rc<ConInfo>,
    pub none: Rc<ConInfo>,
}

/// A top-level definition.
pub(crate) struct Global {
    pub name: String,
    pub kind: GlobalKind,
}

pub(crate) enum GlobalKind {
    /// A function: its value is a closure, ready before anything runs.
    Fun(FunId),
    /// A value: evaluated once, in source order, by running this
    /// parameterless body.
    Value(FunId),
}

/// What kind of source construct a function body came from, for messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FunKind {
    /// A top-level or local function defined by equations.
    Equations,
    /// A lambda; `name` is the definition it appears in.
    Lambda,
    /// The body of a top-level value or test.
    Value,
}

/// One function (or value body): its clauses and frame layout.
pub(crate) struct FunCode {
    pub name: String,
    pub kind: FunKind,
    pub arity: usize,
    /// Slots of the frame: the arguments first, then pattern variables and
    /// block locals.
    pub frame_size: usize,
    pub clauses: Vec<Clause>,
}

/// One equation: parameter patterns (matched against slots `0..arity`) and
/// a body.
pub(crate) struct Clause {
    pub pats: Vec<Pat>,
    pub body: Code,
}

/// Where a closure being created takes each captured variable from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CapSrc {
    Local(usize),
    Captured(usize),
    SelfRef,
}

pub(crate) enum Code {
    Const(Value),
    Local(usize),
    Captured(usize),
    /// The running closure (a local function referring to itself).
    SelfRef,
    Global(usize),
    MakeClosure(FunId, Box<[CapSrc]>),
    /// The function, then its arguments (at least one).
    Call(Box<[Code]>),
    /// `x |> f`: `[x, f]`, evaluated in that order.
    Pipe(Box<[Code]>),
    /// `[cond, then, else]`.
    Cond(Box<[Code; 3]>),
    And(Box<[Code; 2]>),
    Or(Box<[Code; 2]>),
    /// Strict binary operators (not `|>`, `&&`, `||`).
    Binary(BinOp, Box<[Code; 2]>),
    Neg(Box<Code>),
    Field(Box<Code>, Rc<str>),
    Tuple(Box<[Code]>),
    List(Box<[Code]>),
    /// `[from, to]`.
    Range(Box<[Code]>),
    /// Field names (in source order) and their values.
    Record(Box<[Rc<str>]>, Box<[Code]>),
    /// Updated field names; the codes are the record, then the new values.
    Update(Box<[Rc<str>]>, Box<[Code]>),
    /// Literal pieces of an interpolated string and, between them, the
    /// interpolated expressions.
    Interp(Box<[Piece]>, Box<[Code]>),
    Comp(Box<Comprehension>),
    Block(Box<Block>),
    /// Raises a runtime error when evaluated (unresolved or broken code).
    Fail(String),
}

pub(crate) enum Piece {
    Text(String),
    /// The next interpolated expression.
    Hole,
}

pub(crate) struct Block {
    pub stmts: Vec<Stmt>,
    pub result: Code,
}

pub(crate) enum Stmt {
    /// Evaluate into a frame slot.
    Let(usize, Code),
    /// Evaluate and destructure (`(a, b) = e`).
    Match(Pat, Code),
    /// Evaluate for effect and drop the value.
    Effect(Code),
}

pub(crate) struct Comprehension {
    pub body: Code,
    pub quals: Vec<Qual>,
}

pub(crate) enum Qual {
    Gen(Pat, Code),
    Guard(Code),
}

pub(crate) enum Pat {
    Wild,
    /// Binds the matched value into a frame slot.
    Bind(usize),
    /// A literal: the matched value must equal it.
    Lit(Value),
    Con(Rc<ConInfo>, Vec<Pat>),
    Tuple(Vec<Pat>),
    /// Named fields of a record.
    Record(Vec<(Rc<str>, Pat)>),
    List(Vec<Pat>),
    Cons(Box<Pat>, Box<Pat>),
    /// A pattern that failed to parse: never matches.
    Never,
}

impl Code {
    /// The subexpressions that a sequence-evaluated node evaluates in order.
    pub fn seq_items(&self) -> &[Code] {
        match self {
            Code::Call(items)
            | Code::Pipe(items)
            | Code::Tuple(items)
            | Code::List(items)
            | Code::Range(items)
            | Code::Record(_, items)
            | Code::Update(_, items)
            | Code::Interp(_, items) => items,
            _ => &[],
        }
    }
}
