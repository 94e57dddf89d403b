//! The Core IR: what the JIT compiles, below the typed AST.
//!
//! Core is first-order, explicitly typed and monomorphic: every function is
//! one instantiation of a source function at ground types (a polymorphic
//! `max3 a b c` used at `Int` and at `Float` becomes two Core functions),
//! local functions are lambda-lifted (their captured variables become extra
//! leading parameters), names are resolved to variables, functions and
//! globals, operators are split by type (`IAdd`, `FAdd`, ...), and the
//! surface sugar (`|>`, `&&`, `||`, blocks, equations with literal patterns)
//! is gone: what is left is `let`, `if`, calls, primitive operations and
//! explicit failures. Each node carries its type, so the backend never
//! infers anything.
//!
//! Key items: [`lower`] builds a [`Program`] from a checked AST and its
//! [`TypeInfo`](crate::types::TypeInfo), or says which construct it does
//! not support yet ([`Unsupported`]); `Display` on [`Program`] is the IR
//! pretty-printer the snapshot tests use.
//!
//! Covered: all of Core 1 the corpus uses: scalars, strings, tuples, lists,
//! data types and records (built with `Alloc`, taken apart with `Field`),
//! closures (`Alloc` of a shape and a `FunAddr`, called with `Apply`), and
//! the prelude; a construct not compiled yet is an [`Unsupported`] error
//! naming it, never a wrong program. Core says nothing about reference
//! counts: the backend inserts them (see `jit::codegen`).

mod lower;
mod print;

#[cfg(test)]
mod tests;

pub use lower::lower;

/// A Core type. Values of every type here fit in one machine register:
/// scalars unboxed, heap values as a pointer to a reference-counted object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Float,
    Bool,
    Char,
    Unit,
    /// A string: a pointer to a reference-counted object whose one field
    /// points to the text (a Rust `String`); the program's literals are
    /// immortal objects (a count that never reaches zero).
    Str,
    /// A tuple: a pointer to a reference-counted object whose fields have
    /// the types `Program::tuples[index]`.
    Tuple(u32),
    /// A list: null for `[]`, else a pointer to a reference-counted cons
    /// cell (head, tail) whose head has type `Program::lists[index]`.
    List(u32),
    /// A value of an algebraic data type: a pointer to a reference-counted
    /// object whose field 0 is the constructor's index (an `Int`) and whose
    /// other fields are the constructor's arguments
    /// (`Program::datas[index]`).
    Data(u32),
    /// A function value (a closure): a pointer to a reference-counted
    /// object whose field 0 is its shape (`Program::shapes`, the types of
    /// what it captured), field 1 the address of its code, then the
    /// captured values. Its argument and result types are
    /// `Program::fun_tys[index]`; the code takes the closure itself and one
    /// argument.
    Fun(u32),
    /// A record of a ground row: a pointer to a reference-counted object
    /// whose fields are `Program::records[index]`, sorted by name.
    Record(u32),
}

impl Ty {
    /// Whether values of this type are reference-counted heap objects.
    pub fn is_heap(self) -> bool {
        matches!(self, Ty::Str | Ty::Tuple(_) | Ty::List(_) | Ty::Data(_) | Ty::Fun(_) | Ty::Record(_))
    }
}

/// Index of a function in [`Program::funs`].
pub type FunId = usize;
/// Index of a top-level value in [`Program::globals`].
pub type GlobalId = usize;
/// A variable, numbered per function.
pub type VarId = u32;

/// A whole Core program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub funs: Vec<Fun>,
    /// Top-level values, in source order: each is computed once, by running
    /// its parameterless `init` function, before `main`.
    pub globals: Vec<Global>,
    /// The global holding `main`.
    pub main: GlobalId,
    /// The field types of each tuple type (`Ty::Tuple(i)` is `tuples[i]`).
    pub tuples: Vec<Vec<Ty>>,
    /// The element type of each list type (`Ty::List(i)` is `[lists[i]]`).
    pub lists: Vec<Ty>,
    /// The constructors of each data type instance (`Ty::Data(i)`).
    pub datas: Vec<DataTy>,
    /// The argument and result type of each function type (`Ty::Fun(i)`).
    pub fun_tys: Vec<(Ty, Ty)>,
    /// The types of the captured values of each closure shape.
    pub shapes: Vec<Vec<Ty>>,
    /// The fields of each record type (`Ty::Record(i)`), sorted by name.
    pub records: Vec<Vec<(String, Ty)>>,
}

/// One ground instance of a data type (`Tree Int`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataTy {
    pub name: String,
    /// Each constructor's name and argument types, in declaration order
    /// (the index is the tag).
    pub cons: Vec<(String, Vec<Ty>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Global {
    pub name: String,
    pub ty: Ty,
    pub init: FunId,
}

/// One monomorphic function.
#[derive(Clone, Debug, PartialEq)]
pub struct Fun {
    /// The source name with its instantiation, unique in the program
    /// (`fib`, `fib.go`, `max3<Float>`).
    pub name: String,
    pub params: Vec<(VarId, Ty)>,
    pub ret: Ty,
    pub body: Expr,
    /// How many variables the function uses (`VarId`s are `0..vars`).
    pub vars: u32,
}

/// An expression with its type.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub ty: Ty,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Lit),
    Var(VarId),
    /// The value of a top-level value; fails if it is not computed yet.
    Global(GlobalId),
    /// `let var = value in body`.
    Let(VarId, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A primitive operation on already evaluated operands, left to right.
    Prim(Prim, Vec<Expr>),
    /// A call of a Core function with all its arguments.
    Call(FunId, Vec<Expr>),
    /// Evaluates the first expression for its effect, then the second.
    Seq(Box<Expr>, Box<Expr>),
    /// Stops the run with a runtime error.
    Fail(Failure),
    /// A new heap object of the expression's type with these fields,
    /// evaluated left to right: a tuple, or for a list type a cons cell
    /// (head, tail), or with no fields the empty list.
    Alloc(Vec<Expr>),
    /// Field `index` of a heap object (a new reference): of a tuple, or
    /// 0 (head) and 1 (tail) of a cons cell, which must not be `[]`.
    Field(Box<Expr>, u32),
    /// The code address of a Core function (an `Int`), only as field 1 of
    /// a closure's `Alloc` (whose field 0 is its shape, a literal).
    FunAddr(FunId),
    /// Calls a closure (the first expression, of type `Ty::Fun`) with one
    /// argument.
    Apply(Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Int(i64),
    Float(f64),
    Bool(bool),
    Char(char),
    Unit,
    Str(String),
}

/// Why a run stops at a `Fail` node.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// A runtime error with a fixed one-line message.
    Message(String),
    /// `error s` with a string only known at run time: `error: <s>`.
    UserError(Box<Expr>),
    /// A runtime error whose message (a string, taken as it is) is only
    /// known at run time, as the interpreter's `index` out of range.
    Computed(Box<Expr>),
}

/// Primitive operations. Integer arithmetic wraps; `IDiv`/`IMod` fail on a
/// zero divisor; comparisons follow LANGUAGE.md §5 (IEEE for floats).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prim {
    IAdd,
    ISub,
    IMul,
    IDiv,
    IMod,
    IPow,
    INeg,
    FAdd,
    FSub,
    FMul,
    FDiv,
    FPow,
    FNeg,
    /// `abs` on Int: wrapping (the smallest Int is its own absolute value).
    IAbs,
    FAbs,
    Sqrt,
    ToFloat,
    /// `truncate`, `floor`, `ceil`, `round`: fail when out of `Int` range.
    FloatToInt(Rounding),
    Cmp(Cmp, Ty),
    /// `min a b` is `a <= b ? a : b` (so with a NaN, the second).
    Min(Ty),
    /// `max a b` is `a <= b ? b : a` (so with a NaN, the first).
    Max(Ty),
    Not,
    Even,
    Odd,
    Ord,
    /// `chr`: fails on a value that is not a Unicode scalar value.
    Chr,
    /// `print x`: writes `x` as `print` does, then a newline.
    Print(Ty),
    /// Whether a list is `[]`.
    IsNil,
    /// Whether a list is a cons cell.
    IsCons,
    /// A prelude function without function arguments, run by the
    /// interpreter's own implementation on converted values (its name).
    Prelude(&'static str),
    /// A binary operator on heap values (comparisons, `++`), run by the
    /// interpreter's `binary` on converted values.
    Binary(crate::ast::BinOp, Ty),
    /// `show x` (`Show` renders; `Display` is how interpolation and `print`
    /// render: strings as they are).
    Show(Ty),
    Display(Ty),
    /// Concatenates two strings.
    Concat,
}


#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Truncate,
    Floor,
    Ceil,
    Round,
}

impl Rounding {
    pub fn name(self) -> &'static str {
        match self {
            Rounding::Truncate => "truncate",
            Rounding::Floor => "floor",
            Rounding::Ceil => "ceil",
            Rounding::Round => "round",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

/// A construct the JIT cannot compile yet. The message reads "the JIT does
/// not support X yet", so a caller can fall back to the interpreter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl Unsupported {
    pub(crate) fn new(what: &str) -> Unsupported {
        Unsupported(format!("the JIT does not support {what} yet"))
    }
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Expr {
    pub fn new(ty: Ty, kind: ExprKind) -> Expr {
        Expr { ty, kind }
    }

    pub fn lit(lit: Lit) -> Expr {
        let ty = match &lit {
            Lit::Int(_) => Ty::Int,
            Lit::Float(_) => Ty::Float,
            Lit::Bool(_) => Ty::Bool,
            Lit::Char(_) => Ty::Char,
            Lit::Unit => Ty::Unit,
            Lit::Str(_) => Ty::Str,
        };
        Expr { ty, kind: ExprKind::Lit(lit) }
    }

    pub fn fail(ty: Ty, message: String) -> Expr {
        Expr { ty, kind: ExprKind::Fail(Failure::Message(message)) }
    }
}
