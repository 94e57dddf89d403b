//! The evaluator: a CEK-style machine over the lowered code.
//!
//! The machine never recurses on the Rust stack per Synoema call. Its state
//! is a control ([`Ctl`]: evaluate a code node, return a value, or apply a
//! function), the current frame (`locals[bp..]` plus the running closure's
//! captured variables) and an explicit continuation stack ([`Kont`]) on the
//! heap. A call whose continuation is the end of the current activation
//! (the top of the stack is a `Return` or `Halt` frame) is a tail call: it
//! reuses the frame and pushes nothing, so tail calls, mutual ones included,
//! run in constant space. Every other call pushes a `Return` frame, and the
//! number of those is the call depth the stack budget limits.
//!
//! Builtins that call back into the program (`map`, `foldl`, ...) keep their
//! loop state in continuation frames too (see [`super::prelude`]).

use super::code::{Block, CapSrc, Code, Comprehension, FunCode, FunKind, GlobalKind, Piece, Program, Qual, Stmt};
use super::limits::Budget;
use super::pattern;
use super::prelude::{self, BuiltinK};
use super::show;
use super::value::{Acc, Closure, FunId, List, Prim, Value};
use super::{internal, RunError};
use crate::ast::BinOp;
use std::io::Write;
use std::rc::Rc;

/// What the machine does next.
pub(crate) enum Ctl<'p> {
    Eval(&'p Code),
    Ret(Value),
    Apply(Value, Vec<Value>),
}

/// A continuation frame: what to do with the value being returned.
pub(crate) enum Kont<'p> {
    /// The end of a non-tail call: restore the caller's frame.
    Return {
        bp: usize,
        clo: Option<Rc<Closure>>,
    },
    /// The end of a top-level evaluation.
    Halt,
    Cond(&'p Code, &'p Code),
    And(&'p Code),
    Or(&'p Code),
    BinLeft(BinOp, &'p Code),
    BinRight(BinOp, Value),
    Neg,
    Field(&'p Rc<str>),
    /// A node whose items are evaluated in order; the values so far.
    Seq(&'p Code, Vec<Value>),
    /// Arguments left over after calling a function with all it takes.
    ApplyRest(Vec<Value>),
    /// The statement of the block being evaluated.
    Block(&'p Block, usize),
    Comp(Box<CompState<'p>>),
    Builtin(Box<BuiltinK>),
}

/// A comprehension in progress: the results so far, the rest of each
/// generator's list, and the qualifier (or the body, at `quals.len()`)
/// whose value is awaited.
pub(crate) struct CompState<'p> {
    code: &'p Comprehension,
    acc: Acc,
    lists: Vec<List>,
    level: usize,
}

/// The state of a top-level value.
#[derive(Clone)]
enum GlobalState {
    Pending,
    Running,
    Ready(Value),
    Failed(RunError),
}

pub(crate) struct Machine<'p, 'o> {
    pub prog: &'p Program,
    pub out: &'o mut dyn Write,
    pub budget: Budget,
    locals: Vec<Value>,
    kont: Vec<Kont<'p>>,
    /// Base of the current frame in `locals`.
    bp: usize,
    /// The running closure, whose captured variables `Captured` reads.
    clo: Option<Rc<Closure>>,
    /// Number of `Return` frames on `kont`.
    depth: u64,
    globals: Vec<GlobalState>,
}

impl<'p, 'o> Machine<'p, 'o> {
    /// A machine whose top-level functions are ready and whose top-level
    /// values are still to be evaluated.
    pub fn new(prog: &'p Program, budget: Budget, out: &'o mut dyn Write) -> Machine<'p, 'o> {
        let globals = prog
            .globals
            .iter()
            .map(|g| match g.kind {
                GlobalKind::Fun(fun) => GlobalState::Ready(Value::closure(fun, Vec::new())),
                GlobalKind::Value(_) => GlobalState::Pending,
            })
            .collect();
        Machine { prog, out, budget, locals: Vec::new(), kont: Vec::new(), bp: 0, clo: None, depth: 0, globals }
    }

    /// Evaluates the top-level values in source order, skipping `skip`.
    /// With `keep_going`, a failure is remembered in its global (and raised
    /// again wherever that global is used) and the others are still
    /// evaluated; otherwise the first failure stops and is returned.
    pub fn init_globals(&mut self, skip: Option<usize>, keep_going: bool) -> Result<(), RunError> {
        for (index, global) in self.prog.globals.iter().enumerate() {
            let GlobalKind::Value(fun) = global.kind else { continue };
            if Some(index) == skip {
                continue;
            }
            match self.force_global(index, fun) {
                Err(e) if !keep_going => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// Evaluates the top-level value `index` (body `fun`) if not done yet.
    pub fn force_global(&mut self, index: usize, fun: FunId) -> Result<Value, RunError> {
        if let Some(GlobalState::Ready(v)) = self.globals.get(index) {
            return Ok(v.clone());
        }
        self.set_global(index, GlobalState::Running);
        let result = self.run_body(fun);
        self.set_global(
            index,
            match &result {
                Ok(v) => GlobalState::Ready(v.clone()),
                Err(e) => GlobalState::Failed(e.clone()),
            },
        );
        result
    }

    fn set_global(&mut self, index: usize, state: GlobalState) {
        if let Some(slot) = self.globals.get_mut(index) {
            *slot = state;
        }
    }

    /// Runs a parameterless body (a top-level value or a test) to its value.
    pub fn run_body(&mut self, fun: FunId) -> Result<Value, RunError> {
        self.kont.clear();
        self.locals.clear();
        self.bp = 0;
        self.clo = None;
        self.depth = 0;
        self.kont.push(Kont::Halt);
        let ctl = self.enter(fun, None, Vec::new())?;
        let result = self.run(ctl);
        // Free what an interrupted run left behind now, not at the next run.
        self.kont.clear();
        self.locals.clear();
        self.clo = None;
        result
    }

    fn run(&mut self, mut ctl: Ctl<'p>) -> Result<Value, RunError> {
        loop {
            ctl = match ctl {
                Ctl::Eval(code) => self.eval(code)?,
                Ctl::Apply(f, args) => self.apply(f, args)?,
                Ctl::Ret(v) => match self.kont.pop() {
                    Some(Kont::Halt) | None => return Ok(v),
                    Some(k) => self.resume(k, v)?,
                },
            };
        }
    }

    // ----- evaluation of code nodes -----

    fn eval(&mut self, code: &'p Code) -> Result<Ctl<'p>, RunError> {
        if let Some(v) = self.simple(code)? {
            return Ok(Ctl::Ret(v));
        }
        Ok(match code {
            Code::MakeClosure(fun, caps) => {
                let captured = caps.iter().map(|c| self.capture(*c)).collect::<Result<Vec<_>, _>>()?;
                Ctl::Ret(Value::closure(*fun, captured))
            }
            Code::Cond(parts) => {
                let [cond, then, els] = &**parts;
                self.kont.push(Kont::Cond(then, els));
                Ctl::Eval(cond)
            }
            Code::And(parts) => {
                self.kont.push(Kont::And(&parts[1]));
                Ctl::Eval(&parts[0])
            }
            Code::Or(parts) => {
                self.kont.push(Kont::Or(&parts[1]));
                Ctl::Eval(&parts[0])
            }
            Code::Binary(op, parts) => {
                // Operands that are themselves simple were handled by `simple`.
                let [left, right] = &**parts;
                self.kont.push(Kont::BinLeft(*op, right));
                Ctl::Eval(left)
            }
            Code::Neg(e) => {
                self.kont.push(Kont::Neg);
                Ctl::Eval(e)
            }
            Code::Field(e, name) => {
                self.kont.push(Kont::Field(name));
                Ctl::Eval(e)
            }
            Code::Call(_)
            | Code::Pipe(_)
            | Code::Tuple(_)
            | Code::List(_)
            | Code::Range(_)
            | Code::Record(..)
            | Code::Update(..)
            | Code::Interp(..) => self.continue_seq(code, Vec::new())?,
            Code::Block(block) => self.continue_block(block, 0)?,
            Code::Comp(comp) => {
                let state =
                    CompState { code: comp, acc: Acc::default(), lists: vec![List::nil(); comp.quals.len()], level: 0 };
                self.comp_enter(Box::new(state), 0)?
            }
            Code::Fail(message) => return Err(RunError::Runtime(message.clone())),
            Code::Const(_) | Code::Local(_) | Code::Captured(_) | Code::SelfRef | Code::Global(_) => {
                return Err(internal("simple code not handled"));
            }
        })
    }

    /// The value of a node that needs no continuation frame: a variable, a
    /// constant, or an operator applied to those (as in `n - 1`); `None`
    /// for anything else.
    fn simple(&mut self, code: &'p Code) -> Result<Option<Value>, RunError> {
        if let Code::Binary(op, parts) = code {
            let [left, right] = &**parts;
            return Ok(match (self.atom(left)?, self.atom(right)?) {
                (Some(a), Some(b)) => Some(prelude::binary(*op, a, b, &mut self.budget)?),
                _ => None,
            });
        }
        self.atom(code)
    }

    /// The value of a variable or constant, or `None`.
    fn atom(&mut self, code: &'p Code) -> Result<Option<Value>, RunError> {
        Ok(Some(match code {
            Code::Const(v) => v.clone(),
            Code::Local(slot) => self.local(*slot)?,
            Code::Captured(i) => self.capture(CapSrc::Captured(*i))?,
            Code::SelfRef => self.capture(CapSrc::SelfRef)?,
            Code::Global(g) => self.global(*g)?,
            _ => return Ok(None),
        }))
    }

    fn local(&self, slot: usize) -> Result<Value, RunError> {
        self.locals.get(self.bp + slot).cloned().ok_or_else(|| internal("local slot out of range"))
    }

    fn capture(&self, src: CapSrc) -> Result<Value, RunError> {
        match src {
            CapSrc::Local(slot) => self.local(slot),
            CapSrc::Captured(i) => self
                .clo
                .as_ref()
                .and_then(|c| c.captured.get(i))
                .cloned()
                .ok_or_else(|| internal("captured variable out of range")),
            CapSrc::SelfRef => self
                .clo
                .as_ref()
                .map(|c| Value::Closure(c.clone()))
                .ok_or_else(|| internal("self reference outside a closure")),
        }
    }

    fn global(&mut self, index: usize) -> Result<Value, RunError> {
        match self.globals.get(index) {
            Some(GlobalState::Ready(v)) => Ok(v.clone()),
            Some(GlobalState::Failed(e)) => Err(e.clone()),
            Some(GlobalState::Pending | GlobalState::Running) => {
                let name = self.prog.globals.get(index).map_or("?", |g| g.name.as_str());
                Err(RunError::Runtime(format!("`{name}` is used before its value is computed")))
            }
            None => Err(internal("global out of range")),
        }
    }

    /// Evaluates the remaining items of a sequence node, then finishes it.
    fn continue_seq(&mut self, code: &'p Code, mut vals: Vec<Value>) -> Result<Ctl<'p>, RunError> {
        let items = code.seq_items();
        while let Some(item) = items.get(vals.len()) {
            match self.simple(item)? {
                Some(v) => vals.push(v),
                None => {
                    self.kont.push(Kont::Seq(code, vals));
                    return Ok(Ctl::Eval(item));
                }
            }
        }
        self.finish_seq(code, vals)
    }

    fn finish_seq(&mut self, code: &'p Code, mut vals: Vec<Value>) -> Result<Ctl<'p>, RunError> {
        Ok(Ctl::Ret(match code {
            Code::Call(_) => {
                if vals.is_empty() {
                    return Err(internal("call without a function"));
                }
                let f = vals.remove(0);
                return Ok(Ctl::Apply(f, vals));
            }
            Code::Pipe(_) => {
                let (Some(f), Some(x)) = (vals.pop(), vals.pop()) else {
                    return Err(internal("pipe without operands"));
                };
                return Ok(Ctl::Apply(f, vec![x]));
            }
            Code::Tuple(_) => Value::tuple(vals),
            Code::List(_) => Value::List(List::from_vec(vals)),
            Code::Range(_) => match vals.as_slice() {
                [Value::Int(from), Value::Int(to)] => prelude::range(*from, *to, &mut self.budget)?,
                _ => return Err(internal("range bounds are not Ints")),
            },
            Code::Record(names, _) => {
                let mut fields: Vec<(Rc<str>, Value)> = names.iter().cloned().zip(vals).collect();
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                Value::record(fields)
            }
            Code::Update(names, _) => {
                let mut vals = vals.into_iter();
                let Some(Value::Record(old)) = vals.next() else {
                    return Err(internal("update of a non-record"));
                };
                let mut fields = old.fields.to_vec();
                for (name, v) in names.iter().zip(vals) {
                    match fields.iter_mut().find(|(n, _)| n == name) {
                        Some(field) => field.1 = v,
                        None => return Err(internal(&format!("update of a missing field `{name}`"))),
                    }
                }
                Value::record(fields)
            }
            Code::Interp(pieces, _) => {
                let mut text = String::new();
                let mut vals = vals.iter();
                for piece in pieces.iter() {
                    match piece {
                        Piece::Text(t) => text.push_str(t),
                        Piece::Hole => {
                            let v = vals.next().ok_or_else(|| internal("interpolation without a value"))?;
                            text.push_str(&show::display(v)?);
                        }
                    }
                }
                self.budget.check_memory(text.len())?;
                Value::str(text)
            }
            _ => return Err(internal("not a sequence node")),
        }))
    }

    /// Runs the statements of `block` from `next` on, then its result.
    fn continue_block(&mut self, block: &'p Block, next: usize) -> Result<Ctl<'p>, RunError> {
        match block.stmts.get(next) {
            None => Ok(Ctl::Eval(&block.result)),
            Some(Stmt::Let(_, code) | Stmt::Match(_, code) | Stmt::Effect(code)) => {
                self.kont.push(Kont::Block(block, next));
                Ok(Ctl::Eval(code))
            }
        }
    }

    // ----- continuations -----

    fn resume(&mut self, k: Kont<'p>, v: Value) -> Result<Ctl<'p>, RunError> {
        Ok(match k {
            Kont::Return { bp, clo } => {
                self.locals.truncate(self.bp);
                self.bp = bp;
                self.clo = clo;
                self.depth = self.depth.saturating_sub(1);
                Ctl::Ret(v)
            }
            Kont::Halt => return Err(internal("resumed past the end")),
            Kont::Cond(then, els) => match v {
                Value::Bool(true) => Ctl::Eval(then),
                Value::Bool(false) => Ctl::Eval(els),
                other => return Err(expected("a Bool condition", &other)),
            },
            Kont::And(right) => match v {
                Value::Bool(false) => Ctl::Ret(v),
                Value::Bool(true) => Ctl::Eval(right),
                other => return Err(expected("a Bool operand of `&&`", &other)),
            },
            Kont::Or(right) => match v {
                Value::Bool(true) => Ctl::Ret(v),
                Value::Bool(false) => Ctl::Eval(right),
                other => return Err(expected("a Bool operand of `||`", &other)),
            },
            Kont::BinLeft(op, right) => match self.simple(right)? {
                Some(b) => Ctl::Ret(prelude::binary(op, v, b, &mut self.budget)?),
                None => {
                    self.kont.push(Kont::BinRight(op, v));
                    Ctl::Eval(right)
                }
            },
            Kont::BinRight(op, left) => Ctl::Ret(prelude::binary(op, left, v, &mut self.budget)?),
            Kont::Neg => Ctl::Ret(prelude::negate(v)?),
            Kont::Field(name) => match &v {
                Value::Record(r) => match r.fields.iter().find(|(n, _)| n == name) {
                    Some((_, field)) => Ctl::Ret(field.clone()),
                    None => return Err(internal(&format!("record has no field `{name}`"))),
                },
                other => return Err(expected("a record", other)),
            },
            Kont::Seq(code, mut vals) => {
                vals.push(v);
                self.continue_seq(code, vals)?
            }
            Kont::ApplyRest(args) => Ctl::Apply(v, args),
            Kont::Block(block, index) => {
                match block.stmts.get(index) {
                    Some(Stmt::Let(slot, _)) => {
                        let cell =
                            self.locals.get_mut(self.bp + slot).ok_or_else(|| internal("block slot out of range"))?;
                        *cell = v;
                    }
                    Some(Stmt::Match(pat, _)) => {
                        let frame = self.locals.get_mut(self.bp..).unwrap_or_default();
                        if !pattern::matches(pat, &v, frame) {
                            let name = self.current_name();
                            return Err(RunError::Runtime(format!(
                                "the pattern binding in `{name}` does not match its value"
                            )));
                        }
                    }
                    Some(Stmt::Effect(_)) => {}
                    None => return Err(internal("block statement out of range")),
                }
                self.continue_block(block, index + 1)?
            }
            Kont::Comp(state) => self.comp_resume(state, v)?,
            Kont::Builtin(frame) => self.resume_builtin(*frame, v)?,
        })
    }

    /// The name of the function whose frame is current, for messages.
    fn current_name(&self) -> &'p str {
        match &self.clo {
            Some(c) => self.prog.funs.get(c.fun as usize).map_or("?", |f| f.name.as_str()),
            None => "a top-level value",
        }
    }

    // ----- calls -----

    /// Pushes a continuation frame (used by builtins with callbacks).
    pub(super) fn push_builtin(&mut self, frame: BuiltinK) {
        self.kont.push(Kont::Builtin(Box::new(frame)));
    }

    pub(super) fn apply(&mut self, f: Value, args: Vec<Value>) -> Result<Ctl<'p>, RunError> {
        self.budget.tick()?;
        let (head, mut args) = match f {
            Value::Pap(pap) => {
                let mut all = pap.args.to_vec();
                all.extend(args);
                (pap.head.clone(), all)
            }
            other => (other, args),
        };
        let arity = match &head {
            Value::Closure(c) => self.fun(c.fun)?.arity,
            Value::Prim(Prim::Builtin(b)) => b.arity(),
            Value::Prim(Prim::Con(c)) => c.arity,
            other => return Err(internal(&format!("applied {} as a function", other.kind()))),
        };
        if args.len() < arity {
            return Ok(Ctl::Ret(Value::pap(head, args)));
        }
        if args.len() > arity {
            let rest = args.split_off(arity);
            self.kont.push(Kont::ApplyRest(rest));
        }
        match head {
            Value::Closure(c) => self.enter(c.fun, Some(c), args),
            Value::Prim(Prim::Con(c)) => Ok(Ctl::Ret(Value::data(c, args))),
            Value::Prim(Prim::Builtin(b)) => self.call_builtin(b, args),
            other => Err(internal(&format!("applied {} as a function", other.kind()))),
        }
    }

    fn fun(&self, fun: FunId) -> Result<&'p FunCode, RunError> {
        self.prog.funs.get(fun as usize).ok_or_else(|| internal("function id out of range"))
    }

    /// Enters function `fun` with all its arguments: sets up its frame (in
    /// place of the current one for a tail call) and picks the first clause
    /// whose patterns match.
    fn enter(&mut self, fun: FunId, clo: Option<Rc<Closure>>, args: Vec<Value>) -> Result<Ctl<'p>, RunError> {
        let code = self.fun(fun)?;
        let tail = matches!(self.kont.last(), Some(Kont::Return { .. } | Kont::Halt));
        if tail {
            self.locals.truncate(self.bp);
        } else {
            // One more than the budget is allowed: the budget counts calls
            // nested inside the outermost one.
            if self.depth > self.budget.depth_limit {
                return Err(RunError::StackLimit(self.budget.depth_limit));
            }
            self.depth += 1;
            let caller = self.clo.take();
            self.kont.push(Kont::Return { bp: self.bp, clo: caller });
            self.bp = self.locals.len();
        }
        self.clo = clo;
        let nargs = args.len();
        self.locals.extend(args);
        self.locals.resize(self.bp + code.frame_size.max(nargs), Value::Unit);
        for clause in &code.clauses {
            if self.match_params(clause) {
                return Ok(Ctl::Eval(&clause.body));
            }
        }
        Err(no_match(code))
    }

    fn match_params(&mut self, clause: &super::code::Clause) -> bool {
        let bp = self.bp;
        for (i, pat) in clause.pats.iter().enumerate() {
            if matches!(pat, super::code::Pat::Wild) {
                continue;
            }
            let Some(arg) = self.locals.get(bp + i).cloned() else { return false };
            let frame = self.locals.get_mut(bp..).unwrap_or_default();
            if !pattern::matches(pat, &arg, frame) {
                return false;
            }
        }
        true
    }

    // ----- comprehensions -----

    /// Starts evaluating qualifier `level` (or the body past the last one).
    fn comp_enter(&mut self, mut state: Box<CompState<'p>>, level: usize) -> Result<Ctl<'p>, RunError> {
        let code = state.code;
        state.level = level;
        let next = match code.quals.get(level) {
            None => &code.body,
            Some(Qual::Gen(_, list) | Qual::Guard(list)) => list,
        };
        self.kont.push(Kont::Comp(state));
        Ok(Ctl::Eval(next))
    }

    fn comp_resume(&mut self, mut state: Box<CompState<'p>>, v: Value) -> Result<Ctl<'p>, RunError> {
        let level = state.level;
        match state.code.quals.get(level) {
            None => {
                state.acc.push(v);
                self.comp_backtrack(state, level)
            }
            Some(Qual::Gen(..)) => {
                let Value::List(list) = v else { return Err(expected("a list to draw from", &v)) };
                if let Some(slot) = state.lists.get_mut(level) {
                    *slot = list;
                }
                self.comp_next(state, level)
            }
            Some(Qual::Guard(_)) => match v {
                Value::Bool(true) => self.comp_enter(state, level + 1),
                Value::Bool(false) => self.comp_backtrack(state, level),
                other => Err(expected("a Bool condition", &other)),
            },
        }
    }

    /// Binds the next matching element of generator `level` and goes on
    /// with the following qualifier; backtracks when the list is done.
    fn comp_next(&mut self, mut state: Box<CompState<'p>>, level: usize) -> Result<Ctl<'p>, RunError> {
        let Some(Qual::Gen(pat, _)) = state.code.quals.get(level) else {
            return Err(internal("comprehension generator out of range"));
        };
        loop {
            let Some((head, tail)) = state.lists.get(level).and_then(List::uncons) else {
                return self.comp_backtrack(state, level);
            };
            self.budget.tick()?;
            if let Some(slot) = state.lists.get_mut(level) {
                *slot = tail;
            }
            let frame = self.locals.get_mut(self.bp..).unwrap_or_default();
            if pattern::matches(pat, &head, frame) {
                return self.comp_enter(state, level + 1);
            }
        }
    }

    /// Goes back to the innermost generator before `level`, or finishes.
    fn comp_backtrack(&mut self, state: Box<CompState<'p>>, level: usize) -> Result<Ctl<'p>, RunError> {
        let generator =
            state.code.quals[..level.min(state.code.quals.len())].iter().rposition(|q| matches!(q, Qual::Gen(..)));
        match generator {
            Some(g) => self.comp_next(state, g),
            None => Ok(Ctl::Ret(Value::List(state.acc.into_list()))),
        }
    }
}

/// The runtime error for a call that no clause matches.
fn no_match(code: &FunCode) -> RunError {
    RunError::Runtime(match code.kind {
        FunKind::Equations => format!("no equation of `{}` matches its arguments", code.name),
        FunKind::Lambda => format!("the arguments of a lambda in `{}` do not match its patterns", code.name),
        FunKind::Value => format!("internal: the body of `{}` did not match", code.name),
    })
}

fn expected(what: &str, got: &Value) -> RunError {
    internal(&format!("expected {what}, got {}", got.kind()))
}
