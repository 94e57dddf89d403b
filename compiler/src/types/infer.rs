//! Inference for expressions, patterns, equation groups and blocks.
//!
//! Each construct is one method; every check goes through [`Checker::expect`]
//! or [`Checker::need`], which report with the span of the offending part
//! and leave the table unchanged on failure.

use super::env::Binding;
use super::error;
use super::print::{Printer, VarKey};
use super::scope::{self, Group, Unit};
use super::ty::{Class, Classes, Scheme, Ty, TyCon};
use super::unify::{UnifyError, VarValue};
use super::{at_line, Checker};
use crate::ast::{BinOp, Block, Equation, Expr, ExprKind, Ident, InterpPart, Lit, Pat, PatKind, Qual, Stmt};
use crate::span::Span;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Expressions nest no deeper than this. The parser already bounds tree
/// height (256); this guard protects the stack from hand-built trees.
const MAX_EXPR_DEPTH: u32 = 300;

/// Names bound by a pattern, with their types and spans.
pub(crate) type Binds = Vec<(String, Ty, Span)>;

/// The span of the expression that gives a body its value (the last line of
/// a block), where a mismatch of the whole body is best reported.
pub(crate) fn result_span(e: &Expr) -> Span {
    let mut e = e;
    while let ExprKind::Block(b) = &e.kind {
        e = &b.result;
    }
    e.span
}

impl Checker<'_> {
    pub(crate) fn fresh(&mut self) -> Ty {
        Ty::Var(self.table.new_var(self.level, Classes::NONE))
    }

    pub(crate) fn instantiate(&mut self, s: &Scheme) -> Ty {
        let args: Vec<Ty> = s.gens.iter().map(|c| Ty::Var(self.table.new_var(self.level, *c))).collect();
        s.ty.subst_gen(&args)
    }

    /// Instantiates a signature with rigid variables named as written.
    pub(crate) fn skolemize(&mut self, s: &Scheme, names: &[String]) -> Ty {
        let args: Vec<Ty> = (0..s.gens.len())
            .map(|i| Ty::Var(self.table.new_rigid(self.level, names.get(i).map_or("a", |n| n.as_str()))))
            .collect();
        s.ty.subst_gen(&args)
    }

    pub(crate) fn is_rigid(&mut self, t: &Ty) -> bool {
        match self.table.shallow(t) {
            Ty::Var(v) => matches!(self.table.probe(v), VarValue::Unbound(info) if info.rigid.is_some()),
            _ => false,
        }
    }

    /// Renders types for one message with consistent variable names
    /// (signature variables keep their written names).
    pub(crate) fn render_types(&mut self, tys: &[&Ty]) -> Vec<String> {
        let resolved: Vec<Ty> = tys.iter().map(|t| self.table.resolve(t)).collect();
        let mut vars = Vec::new();
        for t in &resolved {
            super::collect_vars(t, &mut vars);
        }
        let mut fixed = Vec::new();
        for v in vars {
            if let VarValue::Unbound(info) = self.table.probe(v) {
                if let Some(name) = info.rigid {
                    fixed.push((v, name.to_string()));
                }
            }
        }
        let mut printer = Printer::new(&self.defs);
        for (v, name) in fixed {
            printer.fix_name(VarKey::Var(v.0), &name);
        }
        resolved.iter().map(|t| printer.ty(t)).collect()
    }

    /// Renders two types for one message.
    pub(crate) fn render_pair(&mut self, a: &Ty, b: &Ty) -> (String, String) {
        let mut texts = self.render_types(&[a, b]).into_iter();
        let first = texts.next().unwrap_or_default();
        (first, texts.next().unwrap_or_default())
    }

    /// Reports a failed unification of `found` against `expected` at `span`.
    pub(crate) fn report(&mut self, span: Span, err: UnifyError, expected: &Ty, found: &Ty) {
        let d = match err {
            UnifyError::Mismatch => {
                let rigid = self.is_rigid(expected) || self.is_rigid(found);
                let (expected, found) = self.render_pair(expected, found);
                let d = error::mismatch(span, &expected, &found);
                if rigid && d.hint.is_none() {
                    d.with_hint("a type variable of a signature stands for every type: the body cannot pick one")
                } else {
                    d
                }
            }
            UnifyError::Infinite { var, ty } => {
                let (var, ty) = self.render_pair(&Ty::Var(var), &ty);
                error::infinite(span, &var, &ty)
            }
            UnifyError::MissingField { field, fields } => error::no_field(span, &field, &fields),
            UnifyError::NoClass { class, ty } => {
                let rigid = self.is_rigid(&ty);
                let text = self.render_types(&[&ty]).pop().unwrap_or_default();
                error::no_class(span, class.name(), &text, rigid)
            }
        };
        self.diags.push(d);
    }

    /// Unifies `found` (the type of the thing at `span`) with `expected`.
    pub(crate) fn expect(&mut self, span: Span, expected: &Ty, found: &Ty) -> bool {
        match self.table.unify(&self.defs, expected, found) {
            Ok(()) => true,
            Err(err) => {
                self.report(span, err, expected, found);
                false
            }
        }
    }

    /// Requires `class` of `t`, the type of the thing at `span`.
    pub(crate) fn need(&mut self, span: Span, class: Class, t: &Ty) -> bool {
        match self.table.require(&self.defs, class, t) {
            Ok(()) => true,
            Err(err) => {
                self.report(span, err, t, t);
                false
            }
        }
    }

    fn push_binds(&mut self, binds: Binds) {
        for (name, ty, span) in binds {
            self.env.push(&name, Binding { scheme: Scheme::mono(ty), span: Some(span) });
        }
    }

    // ----- equation groups -----

    /// Infers the equations of one function at the current level and
    /// returns its (not yet generalised) type. With `bind_self`, the group
    /// sees itself monomorphically (recursion); otherwise its signature is
    /// already in the environment. With `expected` (a signature with rigid
    /// variables), the equations are checked against it, so a mismatch
    /// points at the offending expression; a signature with too few arrows
    /// for the parameters is returned as an error instead.
    pub(crate) fn infer_group(&mut self, g: &Group, bind_self: bool, expected: Option<&Ty>) -> (Ty, Option<UnifyError>) {
        let params: Vec<Ty> = (0..g.arity()).map(|_| self.fresh()).collect();
        let result = self.fresh();
        let fn_ty = Ty::fun_n(params.clone(), result.clone());
        if self.record {
            self.def_types.push((g.name.span.start, fn_ty.clone()));
        }
        let sig_error = expected.and_then(|exp| self.table.unify(&self.defs, &fn_ty, exp).err());
        let mark = self.env.mark();
        if bind_self {
            self.env.push(&g.name.name, Binding { scheme: Scheme::mono(fn_ty.clone()), span: Some(g.span()) });
        }
        for eq in &g.eqs {
            self.infer_equation(eq, Some((&params, &result)));
        }
        for eq in &g.odd {
            self.infer_equation(eq, None);
        }
        self.env.restore(mark);
        (fn_ty, sig_error)
    }

    fn infer_equation(&mut self, eq: &Equation, target: Option<(&[Ty], &Ty)>) {
        let mark = self.env.mark();
        let mut binds = Vec::new();
        let tys: Vec<Ty> = eq.params.iter().map(|p| self.infer_pat(p, &mut binds)).collect();
        if let Some((params, _)) = target {
            for ((pat, found), expected) in eq.params.iter().zip(&tys).zip(params) {
                self.expect(pat.span, expected, found);
            }
        }
        self.push_binds(binds);
        let body = self.infer(&eq.body);
        if let Some((_, result)) = target {
            self.expect(result_span(&eq.body), result, &body);
        }
        self.env.restore(mark);
    }

    // ----- expressions -----

    /// Infers the type of an expression (depth-guarded).
    pub(crate) fn infer(&mut self, e: &Expr) -> Ty {
        if self.depth >= MAX_EXPR_DEPTH {
            if !self.depth_reported {
                self.diags.push(error::too_deep(e.span));
                self.depth_reported = true;
            }
            return Ty::Error;
        }
        self.depth += 1;
        let t = self.infer_kind(e);
        let t = if self.edge.is_some() { self.edge_wrap(e, t) } else { t };
        if self.record {
            self.expr_types.push((e.id, t.clone()));
        }
        self.depth -= 1;
        if self.depth == 0 {
            self.depth_reported = false;
        }
        t
    }

    fn infer_kind(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Var(name) => self.infer_var(e, name),
            // A constructor name still growing at the edge, or one a later
            // type definition may declare: some constructor, of a type
            // nothing here knows. A fresh variable per occurrence stands for
            // every such type (and, unlike the error type, a constructor is
            // never a number: `sum [V` stays as dead as `sum [`).
            ExprKind::Con(_) if self.edge_partial(e.span) => self.fresh(),
            ExprKind::Con(name) => match self.defs.ctor(name) {
                Some(ctor) => {
                    let scheme = self.defs.ctor_scheme(ctor);
                    self.instantiate(&scheme)
                }
                None if self.future_types => self.fresh(),
                None => {
                    self.diags.push(error::unknown_ctor(e.span, name));
                    Ty::Error
                }
            },
            ExprKind::Lit(lit) => lit_type(lit),
            ExprKind::Unit => Ty::unit(),
            ExprKind::Lambda(params, body) => {
                let mark = self.env.mark();
                let mut binds = Vec::new();
                let tys: Vec<Ty> = params.iter().map(|p| self.infer_pat(p, &mut binds)).collect();
                self.push_binds(binds);
                let result = self.infer(body);
                self.env.restore(mark);
                Ty::fun_n(tys, result)
            }
            ExprKind::Cond(c, then, els) => {
                let tc = self.infer(c);
                self.expect(c.span, &Ty::bool(), &tc);
                let tt = self.infer(then);
                let te = self.infer(els);
                if self.expect(result_span(els), &tt, &te) {
                    tt
                } else {
                    Ty::Error
                }
            }
            ExprKind::Binary(op, l, r) => self.infer_binary(*op, l, r),
            ExprKind::Neg(x) => {
                let t = self.infer(x);
                if self.need(x.span, Class::Num, &t) {
                    t
                } else {
                    Ty::Error
                }
            }
            ExprKind::App(..) => self.infer_app(e),
            ExprKind::Field(x, field) => {
                let t = self.infer(x);
                self.infer_field(x.span, &t, field)
            }
            ExprKind::Tuple(items) => Ty::Con(TyCon::Tuple, items.iter().map(|i| self.infer(i)).collect()),
            ExprKind::List(items) => {
                let elem = self.fresh();
                for item in items {
                    let t = self.infer(item);
                    self.expect(item.span, &elem, &t);
                }
                Ty::list(elem)
            }
            ExprKind::Range(a, b) => {
                for x in [a, b] {
                    let t = self.infer(x);
                    self.expect(x.span, &Ty::int(), &t);
                }
                Ty::list(Ty::int())
            }
            ExprKind::Comprehension(head, quals) => {
                let mark = self.env.mark();
                for q in quals {
                    match q {
                        Qual::Gen(pat, src) => {
                            let ts = self.infer(src);
                            let elem = self.fresh();
                            self.expect(src.span, &Ty::list(elem.clone()), &ts);
                            let mut binds = Vec::new();
                            let tp = self.infer_pat(pat, &mut binds);
                            self.expect(pat.span, &elem, &tp);
                            self.push_binds(binds);
                        }
                        Qual::Guard(g) => {
                            let t = self.infer(g);
                            self.expect(g.span, &Ty::bool(), &t);
                        }
                    }
                }
                // Generators still to come may bind what an open
                // comprehension's head uses.
                let open = self.edge.as_ref().is_some_and(|p| p.tree.open_comps.contains(&e.id));
                self.edge_free_names(open, 1);
                let t = self.infer(head);
                self.edge_free_names(open, -1);
                self.env.restore(mark);
                Ty::list(t)
            }
            ExprKind::Record(fields) => {
                let mut out = BTreeMap::new();
                for (name, value) in fields {
                    let t = self.infer(value);
                    if name.name.is_empty() {
                        // A field not yet named at a prefix's edge.
                        continue;
                    }
                    if out.contains_key(&name.name) {
                        self.diags.push(error::duplicate_field(name.span, &name.name));
                        continue;
                    }
                    out.insert(name.name.clone(), t);
                }
                let open = self.edge.as_ref().is_some_and(|p| p.tree.open_records.contains(&e.id));
                let rest = if open { Some(Box::new(self.fresh())) } else { None };
                Ty::Record(out, rest)
            }
            ExprKind::Update(base, fields) => {
                let tb = self.infer(base);
                let mut seen: Vec<&str> = Vec::new();
                for (name, value) in fields {
                    let tv = self.infer(value);
                    if name.name.is_empty() {
                        continue;
                    }
                    if seen.contains(&name.name.as_str()) {
                        self.diags.push(error::duplicate_field(name.span, &name.name));
                        continue;
                    }
                    seen.push(&name.name);
                    let ft = self.infer_field(base.span, &tb, name);
                    self.expect(value.span, &ft, &tv);
                }
                tb
            }
            ExprKind::Interp(parts) => {
                for part in parts {
                    if let InterpPart::Expr(x) = part {
                        let t = self.infer(x);
                        self.need(x.span, Class::Show, &t);
                    }
                }
                Ty::string()
            }
            ExprKind::Block(b) => self.infer_block(b),
            ExprKind::Hole => self.fresh(),
            ExprKind::Error => Ty::Error,
        }
    }

    fn infer_var(&mut self, e: &Expr, name: &str) -> Ty {
        if let Some(t) = self.edge_var(e, name) {
            if self.record {
                self.var_types.push((e.id, t.clone()));
            }
            return t;
        }
        let t = match self.env.lookup(name).map(|b| b.scheme.clone()) {
            Some(scheme) => self.instantiate(&scheme),
            None => {
                if self.later.contains_key(name) {
                    self.diags.push(error::used_before_definition(e.span, name));
                } else {
                    let near = error::closest(name, self.env.visible_names());
                    self.diags.push(error::undefined(e.span, name, near));
                }
                Ty::Error
            }
        };
        if self.record {
            self.var_types.push((e.id, t.clone()));
        }
        t
    }

    /// The type of field `field` of a value of type `t` (at `span`).
    fn infer_field(&mut self, span: Span, t: &Ty, field: &Ident) -> Ty {
        if let Some(ft) = self.edge_field(span, t, field) {
            return ft;
        }
        if let Ty::Record(fields, tail) = self.table.shallow(t) {
            let (fields, tail) = self.table.flatten(&fields, tail.as_deref());
            if let Some(ft) = fields.get(&field.name) {
                return ft.clone();
            }
            if tail.is_none() {
                let names: Vec<String> = fields.keys().cloned().collect();
                self.diags.push(error::no_field(field.span, &field.name, &names));
                return Ty::Error;
            }
        }
        let ft = self.fresh();
        let rest = self.fresh();
        let wanted = Ty::Record(BTreeMap::from([(field.name.clone(), ft.clone())]), Some(Box::new(rest)));
        match self.table.unify(&self.defs, &wanted, t) {
            Ok(()) => ft,
            Err(UnifyError::MissingField { field: f, fields }) => {
                self.diags.push(error::no_field(field.span, &f, &fields));
                Ty::Error
            }
            Err(err) => {
                self.report(span, err, &wanted, t);
                Ty::Error
            }
        }
    }

    /// `f a b c`: the callee, then each argument in turn, so that a
    /// mismatch points at the argument and extra arguments are counted.
    fn infer_app(&mut self, e: &Expr) -> Ty {
        let mut args: Vec<&Expr> = Vec::new();
        let mut head = e;
        while let ExprKind::App(f, a) = &head.kind {
            args.push(a);
            head = f;
        }
        args.reverse();
        let mut tf = self.infer(head);
        for (i, arg) in args.iter().enumerate() {
            let ta = self.infer(arg);
            match self.apply(&tf, &ta, arg.span, head.span) {
                Some(result) => tf = result,
                None => {
                    let shown = self.render_types(&[&tf]).pop().unwrap_or_default();
                    let callee = callee_name(head);
                    if i == 0 {
                        self.diags.push(error::not_a_function(head.span, &callee, &shown));
                    } else {
                        let extra = arg.span.to(args.last().map_or(arg.span, |a| a.span));
                        self.diags.push(error::too_many_args(extra, &callee, i, args.len()));
                    }
                    for rest in args.iter().skip(i + 1) {
                        self.infer(rest);
                    }
                    return Ty::Error;
                }
            }
        }
        tf
    }

    /// Applies a function of type `tf` to an argument of type `ta`; `None`
    /// when `tf` is plainly not a function (the caller reports it).
    fn apply(&mut self, tf: &Ty, ta: &Ty, arg_span: Span, callee_span: Span) -> Option<Ty> {
        match self.table.shallow(tf) {
            Ty::Con(TyCon::Fun, parts) => {
                let (param, result) = match parts.as_slice() {
                    [p, r] => (p.clone(), r.clone()),
                    _ => return Some(Ty::Error),
                };
                self.expect(arg_span, &param, ta);
                Some(result)
            }
            Ty::Error => Some(Ty::Error),
            Ty::Var(v) => {
                let rigid = matches!(self.table.probe(v), VarValue::Unbound(info) if info.rigid.is_some());
                if rigid {
                    return None;
                }
                let result = self.fresh();
                let wanted = Ty::fun(ta.clone(), result.clone());
                if self.expect(callee_span, &wanted, tf) {
                    Some(result)
                } else {
                    Some(Ty::Error)
                }
            }
            _ => None,
        }
    }

    fn infer_binary(&mut self, op: BinOp, l: &Expr, r: &Expr) -> Ty {
        let tl = self.infer(l);
        let tr = self.infer(r);
        match op {
            BinOp::Pipe => match self.apply(&tr, &tl, l.span, r.span) {
                Some(t) => t,
                None => {
                    let shown = self.render_types(&[&tr]).pop().unwrap_or_default();
                    self.diags.push(error::not_a_function(r.span, &format!("the right side of `|>`, {}", callee_name(r)), &shown));
                    Ty::Error
                }
            },
            BinOp::Or | BinOp::And => {
                self.expect(l.span, &Ty::bool(), &tl);
                self.expect(r.span, &Ty::bool(), &tr);
                Ty::bool()
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                let class = if matches!(op, BinOp::Eq | BinOp::Ne) { Class::Eq } else { Class::Ord };
                if self.need(l.span, class, &tl) {
                    self.expect(r.span, &tl, &tr);
                }
                Ty::bool()
            }
            BinOp::Append | BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Pow => {
                let class = if op == BinOp::Append { Class::Append } else { Class::Num };
                if self.need(l.span, class, &tl) && self.expect(r.span, &tl, &tr) {
                    // An erroneous left operand says nothing; the right may.
                    if self.table.shallow(&tl) == Ty::Error { tr } else { tl }
                } else {
                    Ty::Error
                }
            }
            BinOp::Mod => {
                for (side, t) in [(l, &tl), (r, &tr)] {
                    if !self.expect(side.span, &Ty::int(), t) {
                        if let Some(d) = self.diags.last_mut() {
                            d.hint = Some("`%` works on Int only".to_string());
                        }
                    }
                }
                Ty::int()
            }
            BinOp::Cons => {
                if self.expect(r.span, &Ty::list(tl.clone()), &tr) {
                    tr
                } else {
                    Ty::list(tl)
                }
            }
            BinOp::Compose => {
                let a = self.fresh();
                let b = self.fresh();
                let c = self.fresh();
                let ok_l = self.expect(l.span, &Ty::fun(a.clone(), b.clone()), &tl);
                let ok_r = self.expect(r.span, &Ty::fun(b, c.clone()), &tr);
                if ok_l && ok_r {
                    Ty::fun(a, c)
                } else {
                    Ty::Error
                }
            }
        }
    }

    // ----- blocks -----

    fn infer_block(&mut self, b: &Block) -> Ty {
        let mark = self.env.mark();
        let mut grouping = Vec::new();
        let open_eqs = self.edge.as_ref().map(|e| e.tree.open_eqs.clone()).unwrap_or_default();
        let units =
            scope::group(scope::block_elems(&b.stmts), &|s| at_line(&self.lines, s), true, &open_eqs, &mut grouping);
        self.diags.extend(grouping);
        let mut announced = Vec::new();
        for unit in &units {
            match unit {
                Unit::Group(g) if !g.redefined => announced.push(g.name.name.clone()),
                Unit::Other(Stmt::Bind { pat, .. }) => pat_names(pat, &mut announced),
                _ => {}
            }
        }
        // Only the announced names change in `later` while this block is
        // checked, so only they are saved (cloning the whole map here made
        // checking quadratic in the number of top-level names).
        let later_before: Vec<(String, Option<u32>)> =
            announced.iter().map(|n| (n.clone(), self.later.get(n).copied())).collect();
        for name in &announced {
            self.expect_later(name);
        }
        let mut names: HashMap<String, Span> = HashMap::default();
        for unit in &units {
            match unit {
                Unit::Group(g) => self.block_group(g, &mut names),
                Unit::Other(Stmt::Bind { pat, body, .. }) => self.block_bind(pat, body, &mut names),
                Unit::Other(Stmt::Expr(x)) => {
                    self.infer(x);
                }
                Unit::Other(Stmt::Equation(_)) => {}
            }
        }
        // Whatever this block announced is settled now.
        for (name, count) in later_before.into_iter().rev() {
            match count {
                Some(c) => self.later.insert(name, c),
                None => self.later.remove(&name),
            };
        }
        let t = self.infer(&b.result);
        self.env.restore(mark);
        t
    }

    /// Whether `name` may be defined in this block (reporting when not).
    fn claim_block_name(&mut self, names: &mut HashMap<String, Span>, name: &str, span: Span) -> bool {
        self.defined_now(name);
        if let Some(first) = names.get(name) {
            let at = self.at_line(*first);
            self.diags.push(error::already_defined_in_block(span, name, &at));
            return false;
        }
        names.insert(name.to_string(), span);
        true
    }

    fn block_group(&mut self, g: &Group, names: &mut HashMap<String, Span>) {
        let fresh_name = !g.redefined && self.claim_block_name(names, &g.name.name, g.span());
        let errors_before = self.diags.len();
        self.level += 1;
        let (t, _) = self.infer_group(g, true, None);
        self.level -= 1;
        let scheme = self.generalize(&[t], g.span()).pop().unwrap_or_else(Scheme::error);
        if fresh_name {
            let scheme = if self.diags.len() > errors_before { Scheme::error() } else { scheme };
            self.env.push(&g.name.name, Binding { scheme, span: Some(g.span()) });
        }
    }

    fn block_bind(&mut self, pat: &Pat, body: &Expr, names: &mut HashMap<String, Span>) {
        self.level += 1;
        let tb = self.infer(body);
        let mut binds = Vec::new();
        let tp = self.infer_pat(pat, &mut binds);
        let ok = self.expect(result_span(body), &tp, &tb);
        self.level -= 1;
        let tys: Vec<Ty> = binds.iter().map(|(_, t, _)| t.clone()).collect();
        let schemes = self.generalize(&tys, pat.span);
        for ((name, _, span), scheme) in binds.into_iter().zip(schemes) {
            if self.claim_block_name(names, &name, span) {
                let scheme = if ok { scheme } else { Scheme::error() };
                self.env.push(&name, Binding { scheme, span: Some(span) });
            }
        }
    }

    // ----- patterns -----

    /// Infers a pattern's type, adding the names it binds to `binds`.
    pub(crate) fn infer_pat(&mut self, p: &Pat, binds: &mut Binds) -> Ty {
        match &p.kind {
            PatKind::Wildcard => self.fresh(),
            PatKind::Var(name) => {
                let t = self.fresh();
                if binds.iter().any(|(n, _, _)| n == name) && !self.edge_partial(p.span) {
                    self.diags.push(error::bound_twice(p.span, name));
                } else {
                    binds.push((name.clone(), t.clone(), p.span));
                }
                t
            }
            PatKind::Lit(lit) => lit_type(lit),
            PatKind::Con(name, args) => self.infer_con_pat(name, args, binds),
            PatKind::Unit => Ty::unit(),
            PatKind::Tuple(items) => Ty::Con(TyCon::Tuple, items.iter().map(|i| self.infer_pat(i, binds)).collect()),
            PatKind::Record(fields) => {
                let mut out = BTreeMap::new();
                for (name, sub) in fields {
                    let t = self.infer_pat(sub, binds);
                    if out.contains_key(&name.name) {
                        self.diags.push(error::duplicate_field(name.span, &name.name));
                        continue;
                    }
                    out.insert(name.name.clone(), t);
                }
                let rest = self.fresh();
                Ty::Record(out, Some(Box::new(rest)))
            }
            PatKind::List(items) => {
                let elem = self.fresh();
                for item in items {
                    let t = self.infer_pat(item, binds);
                    self.expect(item.span, &elem, &t);
                }
                Ty::list(elem)
            }
            PatKind::Cons(head, tail) => {
                let th = self.infer_pat(head, binds);
                let tt = self.infer_pat(tail, binds);
                let list = Ty::list(th);
                if self.expect(tail.span, &list, &tt) {
                    tt
                } else {
                    list
                }
            }
            PatKind::Error => Ty::Error,
        }
    }

    fn infer_con_pat(&mut self, name: &Ident, args: &[Pat], binds: &mut Binds) -> Ty {
        let known = if self.edge_partial(name.span) { None } else { self.defs.ctor(&name.name).cloned() };
        let Some(ctor) = known else {
            if !self.future_types && !self.edge_partial(name.span) {
                self.diags.push(error::unknown_ctor(name.span, &name.name));
            }
            for a in args {
                self.infer_pat(a, binds);
            }
            return Ty::Error;
        };
        if ctor.fields.len() != args.len() {
            let span = args.last().map_or(name.span, |a| name.span.to(a.span));
            self.diags.push(error::ctor_arity(span, &name.name, ctor.fields.len(), args.len()));
            for a in args {
                self.infer_pat(a, binds);
            }
            return Ty::Error;
        }
        let params = self.defs.adt(ctor.adt).map_or(0, |a| a.params);
        let vars: Vec<Ty> = (0..params).map(|_| self.fresh()).collect();
        for (arg, field) in args.iter().zip(&ctor.fields) {
            let t = self.infer_pat(arg, binds);
            self.expect(arg.span, &field.subst_gen(&vars), &t);
        }
        Ty::Con(TyCon::Adt(ctor.adt), vars.into())
    }
}

/// The names a pattern binds, in order.
fn pat_names(p: &Pat, out: &mut Vec<String>) {
    match &p.kind {
        PatKind::Var(name) => out.push(name.clone()),
        PatKind::Con(_, args) | PatKind::Tuple(args) | PatKind::List(args) => args.iter().for_each(|a| pat_names(a, out)),
        PatKind::Record(fields) => fields.iter().for_each(|(_, a)| pat_names(a, out)),
        PatKind::Cons(h, t) => {
            pat_names(h, out);
            pat_names(t, out);
        }
        PatKind::Wildcard | PatKind::Lit(_) | PatKind::Unit | PatKind::Error => {}
    }
}

fn lit_type(lit: &Lit) -> Ty {
    match lit {
        Lit::Int(_) => Ty::int(),
        Lit::Float(_) => Ty::float(),
        Lit::Char(_) => Ty::base(TyCon::Char),
        Lit::Str(_) => Ty::string(),
        Lit::Bool(_) => Ty::bool(),
    }
}

/// How a message names the function being applied.
fn callee_name(head: &Expr) -> String {
    match &head.kind {
        ExprKind::Var(n) | ExprKind::Con(n) => format!("`{n}`"),
        _ => "this expression".to_string(),
    }
}
