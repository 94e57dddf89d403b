//! Lowering: from the AST to the interpreter's code ([`super::code`]).
//!
//! Resolves every name once, so the machine never looks a name up: a
//! variable becomes a frame slot, a captured variable, the running local
//! function, a top-level definition or a prelude function. Scope follows
//! LANGUAGE.md §3: inside a block each statement sees the ones before it and
//! an equation sees itself; a top-level name is visible from its first
//! equation or signature on, so a use before that (which the scope checker
//! rejects unless a prelude function of that name exists) means the prelude
//! function.
//!
//! A parameterless local definition cannot refer to itself (the language is
//! strict, so `xs = 1 : xs` has no value) unless its body is a lambda, which
//! is then treated as a local function (`f = \n -> ... f ...`). Lowering
//! refuses code nested deeper than [`MAX_DEPTH`] with a `Fail` node rather
//! than overflowing the Rust stack.

use super::code::{Block, CapSrc, Clause, Code, Comprehension, FunCode, FunKind, Global, GlobalKind, Pat, Piece};
use super::code::{PreludeCons, Program, Qual, Stmt};
use super::prelude::Builtin;
use super::value::{ConInfo, FunId, Prim, Value};
use crate::ast::{self, BinOp, ExprKind, Lit, PatKind};
use crate::types::{Type, TypeInfo};
use std::collections::HashMap;
use std::rc::Rc;

/// Deepest nesting of expressions and patterns lowered; deeper code fails
/// at runtime with a clear message instead of crashing.
pub(crate) const MAX_DEPTH: usize = 400;

/// Lowers a whole program.
pub(crate) fn lower(program: &ast::Program, info: &TypeInfo) -> Program {
    let mut lowerer = Lowerer::new(info);
    let prelude = lowerer.prelude_constructors();
    lowerer.user_constructors(program);
    let groups = ast::top_level_groups(program);
    for (index, group) in groups.iter().enumerate() {
        lowerer.globals.entry(group.name.to_string()).or_insert((index, group.visible_from));
    }

    let mut globals = Vec::new();
    let mut main = None;
    for (index, group) in groups.iter().enumerate() {
        lowerer.item = group.first_item;
        lowerer.top_name = group.name.to_string();
        let first = group.equations[0];
        let kind = if first.params.is_empty() {
            let fun = lowerer.value_body(group.name, &first.body);
            GlobalKind::Value(fun)
        } else {
            let clauses: Vec<_> = group.equations.iter().map(|e| (e.params.as_slice(), &e.body)).collect();
            let (fun, _) = lowerer.function(group.name, FunKind::Equations, None, &clauses);
            GlobalKind::Fun(fun)
        };
        if group.name == "main" {
            main = Some(index);
        }
        globals.push(Global { name: group.name.to_string(), kind });
    }

    let mut tests = Vec::new();
    for (index, item) in program.items.iter().enumerate() {
        if let ast::Item::Test(test) = item {
            lowerer.item = index;
            lowerer.top_name = format!("test \"{}\"", test.name);
            let fun = lowerer.value_body(&lowerer.top_name.clone(), &test.body);
            tests.push((test.name.clone(), fun));
        }
    }

    Program { funs: lowerer.funs, globals, tests, main, prelude }
}

/// How a name is bound inside a function.
#[derive(Clone, Copy)]
enum Binding {
    Slot(usize),
    /// A parameterless local definition, inside its own body.
    Recursive,
}

/// A name resolved inside the function being lowered.
enum Resolved {
    Local(usize),
    Captured(usize),
    SelfRef,
    Recursive,
}

/// The function being lowered: its scopes, frame slots and captures.
struct FunCtx {
    scopes: Vec<Vec<(String, Binding)>>,
    next_slot: usize,
    captures: Vec<(String, CapSrc)>,
    self_name: Option<String>,
}

struct Lowerer<'a> {
    info: &'a TypeInfo,
    funs: Vec<FunCode>,
    cons: HashMap<String, Rc<ConInfo>>,
    next_con: u32,
    /// Top-level names: global index and the item they are visible from.
    globals: HashMap<String, (usize, usize)>,
    /// The top-level item being lowered.
    item: usize,
    /// The top-level definition being lowered, to name lambdas in messages.
    top_name: String,
    ctxs: Vec<FunCtx>,
    depth: usize,
}

impl<'a> Lowerer<'a> {
    fn new(info: &'a TypeInfo) -> Lowerer<'a> {
        Lowerer {
            info,
            funs: Vec::new(),
            cons: HashMap::new(),
            next_con: 0,
            globals: HashMap::new(),
            item: 0,
            top_name: String::new(),
            ctxs: Vec::new(),
            depth: 0,
        }
    }

    fn new_con(&mut self, name: &str, arity: usize) -> Rc<ConInfo> {
        let con = Rc::new(ConInfo { id: self.next_con, name: name.into(), arity });
        self.next_con += 1;
        self.cons.insert(name.to_string(), con.clone());
        con
    }

    fn prelude_constructors(&mut self) -> PreludeCons {
        let ok = self.new_con("Ok", 1);
        self.new_con("Err", 1);
        let just = self.new_con("Just", 1);
        let none = self.new_con("None", 0);
        PreludeCons { ok, just, none }
    }

    /// Registers the constructors of the program's type definitions; they
    /// shadow prelude constructors of the same name.
    fn user_constructors(&mut self, program: &ast::Program) {
        let mut seen = std::collections::HashSet::new();
        for item in &program.items {
            if let ast::Item::TypeDef(def) = item {
                for variant in &def.variants {
                    if seen.insert(variant.name.name.clone()) {
                        self.new_con(&variant.name.name, variant.fields.len());
                    }
                }
            }
        }
    }

    // ----- functions and scopes -----

    /// Lowers a parameterless body (a top-level value or a test).
    fn value_body(&mut self, name: &str, body: &ast::Expr) -> FunId {
        let (fun, _) = self.function(name, FunKind::Value, None, &[(&[], body)]);
        fun
    }

    /// Lowers a function given by clauses (patterns and body), returning its
    /// id and where its closure takes its captured variables from.
    fn function(
        &mut self,
        name: &str,
        kind: FunKind,
        self_name: Option<&str>,
        clauses: &[(&[ast::Pat], &ast::Expr)],
    ) -> (FunId, Vec<CapSrc>) {
        let arity = clauses.first().map_or(0, |c| c.0.len());
        self.ctxs.push(FunCtx {
            scopes: Vec::new(),
            next_slot: arity,
            captures: Vec::new(),
            self_name: self_name.map(str::to_string),
        });
        let mut lowered = Vec::new();
        for (pats, body) in clauses.iter().filter(|c| c.0.len() == arity) {
            self.push_scope();
            let mut pat_codes = Vec::new();
            for (i, p) in pats.iter().enumerate() {
                // A variable parameter names its argument's slot directly.
                if let PatKind::Var(x) = &p.kind {
                    self.bind(x, Binding::Slot(i));
                    pat_codes.push(Pat::Wild);
                } else {
                    pat_codes.push(self.pat(p));
                }
            }
            let body = self.expr(body);
            self.pop_scope();
            lowered.push(Clause { pats: pat_codes, body });
        }
        let ctx = self.ctxs.pop();
        let (frame_size, captures) = ctx.map_or((arity, Vec::new()), |c| (c.next_slot, c.captures));
        let id = self.funs.len() as FunId;
        self.funs.push(FunCode { name: name.to_string(), kind, arity, frame_size, clauses: lowered });
        (id, captures.into_iter().map(|(_, src)| src).collect())
    }

    fn push_scope(&mut self) {
        if let Some(ctx) = self.ctxs.last_mut() {
            ctx.scopes.push(Vec::new());
        }
    }

    fn pop_scope(&mut self) {
        if let Some(ctx) = self.ctxs.last_mut() {
            ctx.scopes.pop();
        }
    }

    fn alloc_slot(&mut self) -> usize {
        match self.ctxs.last_mut() {
            Some(ctx) => {
                ctx.next_slot += 1;
                ctx.next_slot - 1
            }
            None => 0,
        }
    }

    fn bind(&mut self, name: &str, binding: Binding) {
        if let Some(scope) = self.ctxs.last_mut().and_then(|c| c.scopes.last_mut()) {
            scope.push((name.to_string(), binding));
        }
    }

    /// Resolves `name` in function context `k`, capturing it from the
    /// enclosing functions when needed.
    fn resolve_local(&mut self, k: usize, name: &str) -> Option<Resolved> {
        let ctx = self.ctxs.get(k)?;
        for scope in ctx.scopes.iter().rev() {
            if let Some((_, binding)) = scope.iter().rev().find(|(n, _)| n == name) {
                return Some(match binding {
                    Binding::Slot(slot) => Resolved::Local(*slot),
                    Binding::Recursive => Resolved::Recursive,
                });
            }
        }
        if let Some(i) = ctx.captures.iter().position(|(n, _)| n == name) {
            return Some(Resolved::Captured(i));
        }
        if ctx.self_name.as_deref() == Some(name) {
            return Some(Resolved::SelfRef);
        }
        let outer = self.resolve_local(k.checked_sub(1)?, name)?;
        let src = match outer {
            Resolved::Local(slot) => CapSrc::Local(slot),
            Resolved::Captured(i) => CapSrc::Captured(i),
            Resolved::SelfRef => CapSrc::SelfRef,
            Resolved::Recursive => return Some(Resolved::Recursive),
        };
        let captures = &mut self.ctxs.get_mut(k)?.captures;
        captures.push((name.to_string(), src));
        Some(Resolved::Captured(captures.len() - 1))
    }

    fn var(&mut self, name: &str, id: ast::NodeId) -> Code {
        let innermost = self.ctxs.len().checked_sub(1);
        if let Some(resolved) = innermost.and_then(|k| self.resolve_local(k, name)) {
            return match resolved {
                Resolved::Local(slot) => Code::Local(slot),
                Resolved::Captured(i) => Code::Captured(i),
                Resolved::SelfRef => Code::SelfRef,
                Resolved::Recursive => Code::Fail(format!("`{name}` is used in its own definition")),
            };
        }
        let global = self.globals.get(name).copied();
        if let Some((index, visible_from)) = global {
            if visible_from <= self.item {
                return Code::Global(index);
            }
        }
        if let Some(builtin) = Builtin::lookup(name) {
            return Code::Const(Value::Prim(Prim::Builtin(self.typed_builtin(builtin, id))));
        }
        match global {
            Some((index, _)) => Code::Global(index),
            None => Code::Fail(format!("internal: unknown name `{name}`")),
        }
    }

    /// `sum` and `product` need their element type for the empty list.
    fn typed_builtin(&self, builtin: Builtin, id: ast::NodeId) -> Builtin {
        let float = match self.info.var_types.get(&id) {
            Some(Type::Fun(arg, _)) => matches!(&**arg, Type::List(t) if **t == Type::Float),
            _ => false,
        };
        match builtin {
            Builtin::Sum { .. } => Builtin::Sum { float },
            Builtin::Product { .. } => Builtin::Product { float },
            other => other,
        }
    }

    // ----- expressions -----

    fn expr(&mut self, e: &ast::Expr) -> Code {
        self.depth += 1;
        let code = if self.depth > MAX_DEPTH {
            Code::Fail("expression nested too deeply to evaluate".into())
        } else {
            self.expr_inner(e)
        };
        self.depth -= 1;
        code
    }

    fn exprs<'e>(&mut self, es: impl IntoIterator<Item = &'e ast::Expr>) -> Box<[Code]> {
        es.into_iter().map(|e| self.expr(e)).collect()
    }

    fn expr_inner(&mut self, e: &ast::Expr) -> Code {
        match &e.kind {
            ExprKind::Var(name) => self.var(name, e.id),
            ExprKind::Con(name) => match self.cons.get(name) {
                Some(con) if con.arity == 0 => Code::Const(Value::data(con.clone(), Vec::new())),
                Some(con) => Code::Const(Value::Prim(Prim::Con(con.clone()))),
                None => Code::Fail(format!("internal: unknown constructor `{name}`")),
            },
            ExprKind::Lit(lit) => Code::Const(literal(lit)),
            ExprKind::Unit => Code::Const(Value::Unit),
            ExprKind::Lambda(params, body) => {
                let name = self.top_name.clone();
                let (fun, caps) = self.function(&name, FunKind::Lambda, None, &[(params.as_slice(), &**body)]);
                Code::MakeClosure(fun, caps.into_boxed_slice())
            }
            ExprKind::Cond(c, t, f) => Code::Cond(Box::new([self.expr(c), self.expr(t), self.expr(f)])),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                match op {
                    BinOp::Pipe => Code::Pipe(Box::new([a, b])),
                    BinOp::And => Code::And(Box::new([a, b])),
                    BinOp::Or => Code::Or(Box::new([a, b])),
                    op => Code::Binary(*op, Box::new([a, b])),
                }
            }
            ExprKind::Neg(inner) => Code::Neg(Box::new(self.expr(inner))),
            ExprKind::App(..) => {
                // Flatten `((f a) b) c` into one call with three arguments.
                let mut args = Vec::new();
                let mut head = e;
                while let ExprKind::App(f, a) = &head.kind {
                    args.push(&**a);
                    head = f;
                }
                args.push(head);
                args.reverse();
                Code::Call(self.exprs(args))
            }
            ExprKind::Field(inner, field) => Code::Field(Box::new(self.expr(inner)), field.name.as_str().into()),
            ExprKind::Tuple(items) => Code::Tuple(self.exprs(items)),
            ExprKind::List(items) => Code::List(self.exprs(items)),
            ExprKind::Range(from, to) => Code::Range(self.exprs([&**from, &**to])),
            ExprKind::Comprehension(body, quals) => self.comprehension(body, quals),
            ExprKind::Record(fields) => {
                let names = fields.iter().map(|(n, _)| Rc::from(n.name.as_str())).collect();
                Code::Record(names, self.exprs(fields.iter().map(|(_, v)| v)))
            }
            ExprKind::Update(record, fields) => {
                let names = fields.iter().map(|(n, _)| Rc::from(n.name.as_str())).collect();
                let codes = self.exprs(std::iter::once(&**record).chain(fields.iter().map(|(_, v)| v)));
                Code::Update(names, codes)
            }
            ExprKind::Interp(parts) => {
                let mut pieces = Vec::new();
                let mut codes = Vec::new();
                for part in parts {
                    match part {
                        ast::InterpPart::Text(t) => pieces.push(Piece::Text(t.clone())),
                        ast::InterpPart::Expr(e) => {
                            pieces.push(Piece::Hole);
                            codes.push(self.expr(e));
                        }
                    }
                }
                Code::Interp(pieces.into_boxed_slice(), codes.into_boxed_slice())
            }
            ExprKind::Block(block) => self.block(block),
            ExprKind::Hole => Code::Fail("internal: evaluated an unfinished expression".into()),
            ExprKind::Error => Code::Fail("internal: evaluated an expression that did not parse".into()),
        }
    }

    fn comprehension(&mut self, body: &ast::Expr, quals: &[ast::Qual]) -> Code {
        self.push_scope();
        let mut lowered = Vec::new();
        for qual in quals {
            lowered.push(match qual {
                ast::Qual::Gen(pat, list) => {
                    // The list is evaluated before the pattern's variables exist.
                    let list = self.expr(list);
                    Qual::Gen(self.pat(pat), list)
                }
                ast::Qual::Guard(cond) => Qual::Guard(self.expr(cond)),
            });
        }
        let body = self.expr(body);
        self.pop_scope();
        Code::Comp(Box::new(Comprehension { body, quals: lowered }))
    }

    fn block(&mut self, block: &ast::Block) -> Code {
        self.push_scope();
        let mut stmts = Vec::new();
        let mut i = 0;
        while let Some(stmt) = block.stmts.get(i) {
            i += 1;
            match stmt {
                ast::Stmt::Equation(eq) if !eq.params.is_empty() => {
                    // The contiguous equations of one local function.
                    let (clauses, next) = block.function_clauses(i - 1);
                    i = next;
                    stmts.push(self.local_function(&eq.name.name, &clauses));
                }
                ast::Stmt::Equation(eq) => {
                    if let ExprKind::Lambda(params, body) = &eq.body.kind {
                        stmts.push(self.local_function(&eq.name.name, &[(params.as_slice(), &**body)]));
                    } else {
                        let slot = self.alloc_slot();
                        self.bind(&eq.name.name, Binding::Recursive);
                        let code = self.expr(&eq.body);
                        self.bind(&eq.name.name, Binding::Slot(slot));
                        stmts.push(Stmt::Let(slot, code));
                    }
                }
                ast::Stmt::Bind { pat, body, .. } => {
                    let code = self.expr(body);
                    stmts.push(Stmt::Match(self.pat(pat), code));
                }
                ast::Stmt::Expr(e) => stmts.push(Stmt::Effect(self.expr(e))),
            }
        }
        let result = self.expr(&block.result);
        self.pop_scope();
        Code::Block(Box::new(Block { stmts, result }))
    }

    /// A local function: a closure stored in a fresh slot, visible to the
    /// statements after it and, as `SelfRef`, to its own body.
    fn local_function(&mut self, name: &str, clauses: &[(&[ast::Pat], &ast::Expr)]) -> Stmt {
        let slot = self.alloc_slot();
        let (fun, caps) = self.function(name, FunKind::Equations, Some(name), clauses);
        self.bind(name, Binding::Slot(slot));
        Stmt::Let(slot, Code::MakeClosure(fun, caps.into_boxed_slice()))
    }

    // ----- patterns -----

    fn pat(&mut self, p: &ast::Pat) -> Pat {
        self.depth += 1;
        let pat = if self.depth > MAX_DEPTH { Pat::Never } else { self.pat_inner(p) };
        self.depth -= 1;
        pat
    }

    fn pat_inner(&mut self, p: &ast::Pat) -> Pat {
        match &p.kind {
            PatKind::Wildcard => Pat::Wild,
            PatKind::Var(x) => {
                let slot = self.alloc_slot();
                self.bind(x, Binding::Slot(slot));
                Pat::Bind(slot)
            }
            PatKind::Lit(lit) => Pat::Lit(literal(lit)),
            PatKind::Unit => Pat::Lit(Value::Unit),
            PatKind::Con(name, args) => match self.cons.get(&name.name).cloned() {
                Some(con) => Pat::Con(con, args.iter().map(|a| self.pat(a)).collect()),
                None => Pat::Never,
            },
            PatKind::Tuple(items) => Pat::Tuple(items.iter().map(|a| self.pat(a)).collect()),
            PatKind::Record(fields) => {
                Pat::Record(fields.iter().map(|(n, p)| (Rc::from(n.name.as_str()), self.pat(p))).collect())
            }
            PatKind::List(items) => Pat::List(items.iter().map(|a| self.pat(a)).collect()),
            PatKind::Cons(head, tail) => Pat::Cons(Box::new(self.pat(head)), Box::new(self.pat(tail))),
            PatKind::Error => Pat::Never,
        }
    }
}

fn literal(lit: &Lit) -> Value {
    match lit {
        Lit::Int(i) => Value::Int(*i),
        Lit::Float(f) => Value::Float(*f),
        Lit::Char(c) => Value::Char(*c),
        Lit::Str(s) => Value::str(s.as_str()),
        Lit::Bool(b) => Value::Bool(*b),
    }
}
