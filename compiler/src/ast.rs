//! The abstract syntax tree of Synoema Core 1, with spans.
//!
//! The parser produces it, and every later phase (scope and type checking,
//! the interpreter, the JIT's lowering, the type oracle) reads it. It keeps
//! the surface constructs (pipes, composition, comprehensions, interpolation);
//! desugaring happens below it. Parentheses leave no node: the tree records
//! structure, not spelling, so `parse(pretty(ast)) == ast` up to spans.
//!
//! Unfinished or broken input still yields a tree: `ExprKind::Error`,
//! `PatKind::Error` and `TypeExpr::Error` stand where something could not be
//! parsed, and `ExprKind::Hole` marks an expression the type oracle has not
//! seen yet. Both type-check as a fresh unknown.

use crate::span::Span;

/// Identifies an expression node within one program, for side tables such as
/// the inferred type of each node. Ids are unique per parse, not dense.
pub type NodeId = u32;

/// A name with the span where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole source file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    TypeDef(TypeDef),
    Alias(Alias),
    Sig(Sig),
    Equation(Equation),
    Test(Test),
    /// A top-level line that did not parse; its diagnostic is already reported.
    Error(Span),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::TypeDef(t) => t.span,
            Item::Alias(a) => a.span,
            Item::Sig(s) => s.span,
            Item::Equation(e) => e.span,
            Item::Test(t) => t.span,
            Item::Error(s) => *s,
        }
    }
}

/// The equations of one top-level name, as the runtime engines see them.
#[derive(Clone, Debug)]
pub struct TopGroup<'a> {
    pub name: &'a str,
    /// Index of the first equation's item.
    pub first_item: usize,
    /// The item index from which the name is visible (its first equation or
    /// signature).
    pub visible_from: usize,
    pub equations: Vec<&'a Equation>,
}

impl TopGroup<'_> {
    /// The number of parameters (every equation of a group has the same).
    pub fn arity(&self) -> usize {
        self.equations.first().map_or(0, |e| e.params.len())
    }
}

/// Groups contiguous equations of the same name, for the interpreter and
/// the JIT (the checker reports the scope errors). A name defined again
/// later keeps its first group, and an equation with another number of
/// parameters is left out: both are scope errors, so a program that
/// compiled has neither.
pub fn top_level_groups(program: &Program) -> Vec<TopGroup<'_>> {
    let mut first_sig: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, item) in program.items.iter().enumerate() {
        if let Item::Sig(sig) = item {
            first_sig.entry(sig.name.name.as_str()).or_insert(index);
        }
    }
    let mut groups: Vec<TopGroup<'_>> = Vec::new();
    let mut previous: Option<&str> = None;
    for (index, item) in program.items.iter().enumerate() {
        let Item::Equation(eq) = item else {
            previous = None;
            continue;
        };
        let name = eq.name.name.as_str();
        if previous == Some(name) && groups.last().is_some_and(|g| g.name == name) {
            if let Some(group) = groups.last_mut().filter(|g| g.arity() == eq.params.len()) {
                group.equations.push(eq);
            }
        } else if !groups.iter().any(|g| g.name == name) {
            let visible_from = first_sig.get(name).map_or(index, |&s| s.min(index));
            groups.push(TopGroup { name, first_item: index, visible_from, equations: vec![eq] });
        }
        previous = Some(name);
    }
    groups
}

/// `Shape = Circle Float | Rect Float Float`
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub name: Ident,
    pub params: Vec<Ident>,
    pub variants: Vec<Variant>,
    /// Text of the `---` documentation comments just before the item.
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: Ident,
    pub fields: Vec<TypeExpr>,
    pub span: Span,
}

/// `type Point = {x : Int, y : Int}`
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub name: Ident,
    pub params: Vec<Ident>,
    pub ty: TypeExpr,
    pub doc: Option<String>,
    pub span: Span,
}

/// `solve : [Int] -> Int`
#[derive(Clone, Debug, PartialEq)]
pub struct Sig {
    pub name: Ident,
    pub ty: TypeExpr,
    pub doc: Option<String>,
    pub span: Span,
}

/// `name params = body`, at top level or inside a block.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    pub name: Ident,
    pub params: Vec<Pat>,
    pub body: Expr,
    pub doc: Option<String>,
    pub span: Span,
}

/// `test "name" = body`
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: String,
    pub name_span: Span,
    pub body: Expr,
    pub span: Span,
}

/// A block: statements, then the final expression that gives its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub result: Box<Expr>,
    pub span: Span,
}

impl Block {
    /// The clauses (parameters, body) of the local function whose first
    /// equation is statement `start`: it and the contiguous equations of the
    /// same name with parameters after it. Also returns the index of the
    /// first statement after them.
    pub fn function_clauses(&self, start: usize) -> (Vec<(&[Pat], &Expr)>, usize) {
        let mut clauses = Vec::new();
        let mut next = start;
        let name = match self.stmts.get(start) {
            Some(Stmt::Equation(eq)) => &eq.name.name,
            _ => return (clauses, start),
        };
        while let Some(Stmt::Equation(eq)) = self.stmts.get(next) {
            if &eq.name.name != name || eq.params.is_empty() {
                break;
            }
            clauses.push((eq.params.as_slice(), &eq.body));
            next += 1;
        }
        (clauses, next)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// A local function or value definition (generalised, sees itself).
    Equation(Equation),
    /// `(a, b) = e` or `{x, y} = e`.
    Bind { pat: Pat, body: Expr, span: Span },
    /// An effect statement; its value is dropped.
    Expr(Expr),
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Equation(e) => e.span,
            Stmt::Bind { span, .. } => *span,
            Stmt::Expr(e) => e.span,
        }
    }
}

/// A type as written in signatures, type definitions and aliases.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    /// `Int`, `Maybe a`, `List a`: an upper name applied to arguments.
    Con(Ident, Vec<TypeExpr>),
    /// A type variable `a`.
    Var(Ident),
    /// `()`
    Unit(Span),
    /// `(a, b)` with 2 to 8 components.
    Tuple(Vec<TypeExpr>, Span),
    /// `[a]`
    List(Box<TypeExpr>, Span),
    /// `{x : Int, y : a}` (closed: rows cannot be written in Core 1).
    Record(Vec<(Ident, TypeExpr)>, Span),
    /// `a -> b`
    Fun(Box<TypeExpr>, Box<TypeExpr>),
    Error(Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Con(name, args) => args.last().map_or(name.span, |a| name.span.to(a.span())),
            TypeExpr::Var(v) => v.span,
            TypeExpr::Fun(a, b) => a.span().to(b.span()),
            TypeExpr::Unit(s)
            | TypeExpr::Tuple(_, s)
            | TypeExpr::List(_, s)
            | TypeExpr::Record(_, s)
            | TypeExpr::Error(s) => *s,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Int(i64),
    Float(f64),
    Char(char),
    Str(String),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub id: NodeId,
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `|>`
    Pipe,
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    /// `++`
    Append,
    /// `:`
    Cons,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    /// `**`
    Pow,
    /// `>>`
    Compose,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Pipe => "|>",
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Gt => ">",
            BinOp::Le => "<=",
            BinOp::Ge => ">=",
            BinOp::Append => "++",
            BinOp::Cons => ":",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::Compose => ">>",
        }
    }

    /// Precedence level of LANGUAGE.md §3 (1 loosest .. 9 tightest binary).
    pub fn level(self) -> u8 {
        match self {
            BinOp::Pipe => 1,
            BinOp::Or => 2,
            BinOp::And => 3,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => 4,
            BinOp::Append | BinOp::Cons => 5,
            BinOp::Add | BinOp::Sub => 6,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 7,
            BinOp::Pow => 8,
            BinOp::Compose => 9,
        }
    }

    pub fn assoc(self) -> Assoc {
        match self.level() {
            1 | 6 | 7 => Assoc::Left,
            4 => Assoc::None,
            _ => Assoc::Right,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assoc {
    Left,
    Right,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A lower name: a variable, function or prelude function.
    Var(String),
    /// An upper name used as a value: a constructor.
    Con(String),
    Lit(Lit),
    /// `()`
    Unit,
    /// `\p1 p2 -> body`
    Lambda(Vec<Pat>, Box<Expr>),
    /// `? cond -> then : else`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// Prefix minus.
    Neg(Box<Expr>),
    /// Application of a function to one argument (curried).
    App(Box<Expr>, Box<Expr>),
    /// `e.field`
    Field(Box<Expr>, Ident),
    /// `(a, b, ...)` with 2 to 8 components.
    Tuple(Vec<Expr>),
    /// `[a b c]`
    List(Vec<Expr>),
    /// `[a..b]`
    Range(Box<Expr>, Box<Expr>),
    /// `[e | quals]`
    Comprehension(Box<Expr>, Vec<Qual>),
    /// `{x = 1, y}`; a punned field `y` is stored as `y = Var y`.
    Record(Vec<(Ident, Expr)>),
    /// `{...e, x = v}`
    Update(Box<Expr>, Vec<(Ident, Expr)>),
    /// A string literal with `${...}` interpolations.
    Interp(Vec<InterpPart>),
    /// A block body (only as the body of a definition, test or binding).
    Block(Block),
    /// An expression not yet written (used by the type oracle).
    Hole,
    /// An expression that failed to parse; already reported.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InterpPart {
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Qual {
    /// `pat <- expr`
    Gen(Pat, Expr),
    /// A boolean filter.
    Guard(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pat {
    pub kind: PatKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PatKind {
    /// `_`
    Wildcard,
    Var(String),
    /// A literal; string literals here hold no interpolation.
    Lit(Lit),
    /// `C p1 p2` (a bare `C` has no arguments).
    Con(Ident, Vec<Pat>),
    /// `()`
    Unit,
    Tuple(Vec<Pat>),
    /// `{x, y = p}`: matches any record with at least these fields.
    /// A punned field `x` is stored as `x = Var x`.
    Record(Vec<(Ident, Pat)>),
    /// `[p1 p2]`
    List(Vec<Pat>),
    /// `head : tail`
    Cons(Box<Pat>, Box<Pat>),
    Error,
}
