//! Prefix mode of the checker: typing an item cut off at its right edge.
//!
//! The parser in prefix mode (`parse::parser::parse_prefix`) builds the tree
//! of the unfinished item with holes and tells which nodes sit on the open
//! right spine and how text after the edge may still wrap them ([`Ext`]:
//! more fields, more arguments, operators taking the node as their left
//! operand). Because every Core 1 type is inhabited, the item is viable
//! exactly when some such growth types. Each spine node is therefore typed
//! by *reachability*: inference gives it a fresh variable `α` and records
//! "`α` is reachable from the node's own type by its growth" as a deferred
//! constraint ([`Deferred`]); a word at the edge that may still grow is "one
//! of the in-scope names with this prefix", a deferred constraint too. Once
//! the whole item is inferred (so `α` carries everything the context asks),
//! [`Checker::solve_edges`] searches the deferred constraints depth first
//! with trial unification (snapshot, try, roll back).
//!
//! Soundness comes first: where the search gives up (a step budget), the
//! constraint is allowed and counted in [`EdgeStats`].

use super::env::Binding;
use super::error;
use super::scope;
use super::ty::{Class, Scheme, Ty, TyCon};
use super::unify::VarValue;
use super::{Checker, SigInfo};
use crate::ast::{BinOp, Expr, Ident, Item, Sig};
use crate::parse::parser::{Ext, PrefixTree};
use crate::span::Span;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// How many growth steps (a field, an argument) the search takes from one
/// spine node before it gives up and allows the node.
const STEP_BUDGET: u32 = 12;

/// How many candidate steps the whole search may try before it gives up
/// and allows the item: a bound on the work (and the stack) per query.
const SEARCH_BUDGET: u32 = 20_000;

/// Counts of the places where prefix checking over-approximates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EdgeStats {
    /// Spine nodes allowed because the search ran out of steps.
    pub capped: u32,
    /// Open patterns, types, tuples and comprehension heads taken as
    /// unknown (from the parser's count and the checker's).
    pub approximations: u32,
}

/// Prefix-mode state of a [`Checker`].
pub(crate) struct EdgeCheck {
    pub(crate) tree: PrefixTree,
    /// The span of the word at the edge that may still grow.
    pub(crate) partial: Option<Span>,
    pub(crate) deferred: Vec<Deferred>,
    /// Above 0 while inferring the head of an open comprehension: any name
    /// there may be bound by a generator still to come.
    pub(crate) free_names: u32,
    pub(crate) stats: EdgeStats,
    /// Search steps left (see [`SEARCH_BUDGET`]).
    search_left: u32,
}

impl EdgeCheck {
    pub(crate) fn new(tree: PrefixTree, partial: Option<Span>) -> EdgeCheck {
        let stats = EdgeStats { capped: 0, approximations: tree.approximations };
        EdgeCheck { tree, partial, deferred: Vec::new(), free_names: 0, stats, search_left: SEARCH_BUDGET }
    }
}

/// One of the types a spine node may start from.
#[derive(Clone)]
pub(crate) enum Base {
    Ty(Ty),
    /// An in-scope name's scheme, instantiated when tried.
    Scheme(Scheme),
}

/// "`alpha` is reachable from one of `bases` by `ext`."
#[derive(Clone)]
pub(crate) struct Deferred {
    alpha: Ty,
    bases: Vec<Base>,
    ext: Ext,
    level: u32,
}

/// What an operator taking the node as its left operand (with anything on
/// its right) turns the node's type into. Operators that keep the type
/// (`+ - * / % ** ++`) add only constraints, so stopping is always at least
/// as good; `<` and friends need more than `==` does.
#[derive(Clone, Copy)]
enum Effect {
    Id,
    /// `x : xs` is a list of the node's type.
    Cons,
    /// `x == y` is a `Bool` (given `Eq`).
    Compare,
    /// `x && y` is a `Bool` (given a `Bool`).
    Logic,
    /// `f >> g` is a function from `f`'s parameter.
    Compose,
    /// `f >> g : fs` is a list of such functions.
    ComposeCons,
}

fn effects(ext: Ext) -> Vec<Effect> {
    let mut out = vec![Effect::Id];
    if ext.allows(BinOp::Cons) {
        out.push(Effect::Cons);
    }
    if ext.allows(BinOp::Eq) {
        out.push(Effect::Compare);
    } else if ext.allows(BinOp::And) || ext.allows(BinOp::Or) {
        out.push(Effect::Logic);
    }
    if ext.allows(BinOp::Compose) {
        out.push(Effect::Compose);
        if ext.allows(BinOp::Cons) {
            out.push(Effect::ComposeCons);
        }
    }
    out
}

impl Checker<'_> {
    /// Whether `span` is the word at the edge that may still grow.
    pub(crate) fn edge_partial(&self, span: Span) -> bool {
        self.edge.as_ref().is_some_and(|p| p.partial == Some(span))
    }

    pub(crate) fn edge_free_names(&mut self, on: bool, delta: i32) {
        if let (true, Some(p)) = (on, &mut self.edge) {
            p.free_names = p.free_names.saturating_add_signed(delta);
            if delta > 0 {
                p.stats.approximations += 1;
            }
        }
    }

    /// The type of a node inferred as `t`, given how it may still grow.
    pub(crate) fn edge_wrap(&mut self, e: &Expr, t: Ty) -> Ty {
        let Some(ext) = self.edge.as_ref().and_then(|p| p.tree.spine.get(&e.id)).copied() else {
            return t;
        };
        if ext.is_free() {
            return self.fresh();
        }
        if ext == Ext::default() {
            return t;
        }
        self.defer(vec![Base::Ty(t)], ext)
    }

    fn defer(&mut self, bases: Vec<Base>, ext: Ext) -> Ty {
        let alpha = self.fresh();
        let level = self.level;
        if let Some(p) = &mut self.edge {
            p.deferred.push(Deferred { alpha: alpha.clone(), bases, ext, level });
        }
        alpha
    }

    /// A variable occurrence in prefix mode, when it needs more than a
    /// lookup: a name in an open comprehension's head (free), or the word
    /// at the edge (one of the in-scope names it may still become).
    pub(crate) fn edge_var(&mut self, e: &Expr, name: &str) -> Option<Ty> {
        let p = self.edge.as_ref()?;
        if p.free_names > 0 {
            return Some(self.fresh());
        }
        if p.partial != Some(e.span) {
            return None;
        }
        let mut names: Vec<&str> = self.env.visible_names().filter(|n| n.starts_with(name)).collect();
        names.sort_unstable();
        let schemes: Vec<Scheme> =
            names.iter().filter_map(|n| self.env.lookup(n)).map(|b: &Binding| b.scheme.clone()).collect();
        match schemes.len() {
            0 => {
                self.diags.push(error::undefined(e.span, name, None));
                Some(Ty::Error)
            }
            1 => Some(self.instantiate(&schemes[0])),
            _ => Some(self.defer(schemes.into_iter().map(Base::Scheme).collect(), Ext::default())),
        }
    }

    /// A field selection in prefix mode whose name is not written yet or
    /// may still grow: one of the fields with that prefix.
    pub(crate) fn edge_field(&mut self, span: Span, t: &Ty, field: &Ident) -> Option<Ty> {
        if !(field.name.is_empty() || self.edge_partial(field.span)) || self.edge.is_none() {
            return None;
        }
        match self.table.shallow(t) {
            Ty::Record(fields, tail) => {
                let (fields, tail) = self.table.flatten(&fields, tail.as_deref());
                if tail.is_some() {
                    return Some(self.fresh());
                }
                let found: Vec<Base> =
                    fields.iter().filter(|(k, _)| k.starts_with(&field.name)).map(|(_, v)| Base::Ty(v.clone())).collect();
                match found.len() {
                    0 => {
                        let names: Vec<String> = fields.keys().cloned().collect();
                        self.diags.push(error::no_field(field.span, &field.name, &names));
                        Some(Ty::Error)
                    }
                    _ => Some(self.defer(found, Ext::default())),
                }
            }
            Ty::Error => Some(Ty::Error),
            _ => {
                // A variable becomes a record with some field; anything else
                // is reported by the usual path with a field no one can name.
                let unnamed = Ident { name: "\u{1}".to_string(), span: field.span };
                let ft = self.fresh();
                let rest = self.fresh();
                let wanted = Ty::Record(BTreeMap::from([(unnamed.name.clone(), ft.clone())]), Some(Box::new(rest)));
                match self.table.unify(&self.defs, &wanted, t) {
                    Ok(()) => Some(ft),
                    Err(err) => {
                        self.report(span, err, &wanted, t);
                        Some(Ty::Error)
                    }
                }
            }
        }
    }

    /// Searches for a way to grow the spine that satisfies every deferred
    /// constraint at once. Call once the item is inferred.
    pub(crate) fn solve_edges(&mut self) -> bool {
        let deferred = match &mut self.edge {
            Some(p) => std::mem::take(&mut p.deferred),
            None => return true,
        };
        self.solve_from(&deferred, 0)
    }

    fn solve_from(&mut self, ds: &[Deferred], i: usize) -> bool {
        let Some(d) = ds.get(i) else { return true };
        for base in &d.bases {
            let snap = self.table.snapshot();
            let t = match base {
                Base::Ty(t) => t.clone(),
                Base::Scheme(s) => {
                    let saved = std::mem::replace(&mut self.level, d.level);
                    let t = self.instantiate(s);
                    self.level = saved;
                    t
                }
            };
            if self.reach(ds, i, t, d.ext.field, d.ext.args, STEP_BUDGET) {
                self.table.commit(snap);
                return true;
            }
            self.table.rollback_to(snap);
        }
        false
    }

    /// Whether constraint `i` can be met from a node of type `t` (and then
    /// every later one): stop here under one of the operator effects, or
    /// take one more field, or one more argument.
    fn reach(&mut self, ds: &[Deferred], i: usize, t: Ty, field: bool, args: bool, budget: u32) -> bool {
        let Some(d) = ds.get(i) else { return true };
        if let Some(p) = &mut self.edge {
            if p.search_left == 0 {
                // Out of search: allow (sound), and count it.
                p.stats.capped += 1;
                return true;
            }
            p.search_left -= 1;
        }
        for effect in effects(d.ext) {
            let snap = self.table.snapshot();
            let ok = match self.effect(effect, &t) {
                Some(r) => self.table.unify(&self.defs, &d.alpha, &r).is_ok() && self.solve_from(ds, i + 1),
                None => false,
            };
            if ok {
                self.table.commit(snap);
                return true;
            }
            self.table.rollback_to(snap);
        }
        if !(field || args) {
            return false;
        }
        if budget == 0 {
            if let Some(p) = &mut self.edge {
                p.stats.capped += 1;
            }
            return self.solve_from(ds, i + 1);
        }
        if field {
            for ft in self.field_steps(&t) {
                let snap = self.table.snapshot();
                let ok = match ft {
                    Some(ft) => self.reach(ds, i, ft, true, args, budget - 1),
                    None => false,
                };
                if ok {
                    self.table.commit(snap);
                    return true;
                }
                self.table.rollback_to(snap);
            }
        }
        if args {
            let snap = self.table.snapshot();
            let param = self.fresh();
            let result = self.fresh();
            let ok = self.table.unify(&self.defs, &t, &Ty::fun(param, result.clone())).is_ok()
                && self.reach(ds, i, result, false, true, budget - 1);
            if ok {
                self.table.commit(snap);
                return true;
            }
            self.table.rollback_to(snap);
        }
        false
    }

    /// The types one field selection can reach from `t`. A `None` entry
    /// stands for a step that failed to set up.
    fn field_steps(&mut self, t: &Ty) -> Vec<Option<Ty>> {
        match self.table.shallow(t) {
            Ty::Record(fields, tail) => {
                let (fields, tail) = self.table.flatten(&fields, tail.as_deref());
                let mut out: Vec<Option<Ty>> = fields.values().cloned().map(Some).collect();
                if tail.is_some() {
                    out.push(Some(self.fresh()));
                }
                out
            }
            Ty::Error => vec![Some(Ty::Error)],
            Ty::Var(v) => {
                let rigid = matches!(self.table.probe(v), VarValue::Unbound(info) if info.rigid.is_some());
                if rigid {
                    return Vec::new();
                }
                let ft = self.fresh();
                let rest = self.fresh();
                let record = Ty::Record(BTreeMap::from([("\u{1}".to_string(), ft.clone())]), Some(Box::new(rest)));
                // Left bound inside the caller's snapshot when it works.
                vec![self.table.unify(&self.defs, &Ty::Var(v), &record).is_ok().then_some(ft)]
            }
            _ => Vec::new(),
        }
    }

    fn effect(&mut self, effect: Effect, t: &Ty) -> Option<Ty> {
        match effect {
            Effect::Id => Some(t.clone()),
            Effect::Cons => Some(Ty::list(t.clone())),
            Effect::Compare => self.table.require(&self.defs, Class::Eq, t).is_ok().then(Ty::bool),
            Effect::Logic => self.table.unify(&self.defs, t, &Ty::bool()).is_ok().then(Ty::bool),
            Effect::Compose | Effect::ComposeCons => {
                let a = self.fresh();
                let b = self.fresh();
                let c = self.fresh();
                self.table.unify(&self.defs, t, &Ty::fun(a.clone(), b)).ok()?;
                let f = Ty::fun(a, c);
                Some(if matches!(effect, Effect::Compose) { f } else { Ty::Con(TyCon::List, vec![f].into()) })
            }
        }
    }
}

/// A signature kept from a settled item.
struct KeptSig {
    sig: Sig,
    scheme: Scheme,
    names: Vec<String>,
}

/// The top-level items of a prefix that are complete and checked, kept
/// from one query to the next: the checker's environment, unification
/// table and type definitions after them, their signatures, and the names
/// they define. A query checks only the items after them ([`Settled::check_tail`]),
/// and leaves no trace.
pub(crate) struct Settled {
    checker: Checker<'static>,
    sigs: HashMap<String, KeptSig>,
    bound: HashSet<String>,
    defined: HashSet<String>,
    /// A settled item has an error: no continuation repairs it.
    pub(crate) dead: bool,
    /// The request "define this name with at least this type", as a signature.
    require: Option<Sig>,
}

impl Settled {
    pub(crate) fn new(require: Option<Sig>) -> Settled {
        let mut checker = Checker::new(None);
        checker.future_types = true;
        // The oracle keeps only verdicts: no node types, no rendered types.
        checker.record = false;
        Settled { checker, sigs: HashMap::default(), bound: HashSet::default(), defined: HashSet::default(), dead: false, require }
    }

    /// Whether checking `items` after the settled ones needs the whole
    /// program checked again: a type definition or alias (visible in the
    /// whole file, so it may change what settled items mean), or a late
    /// signature for a settled definition.
    pub(crate) fn needs_rebuild(&self, items: &[Item]) -> bool {
        items.iter().any(|item| match item {
            Item::TypeDef(_) | Item::Alias(_) => true,
            Item::Sig(s) => self.defined.contains(&s.name.name),
            _ => false,
        })
    }

    /// Checks complete items (ordinary mode, later type definitions
    /// allowed for) and keeps them.
    pub(crate) fn add(&mut self, items: &[Item]) {
        let errors_before = self.checker.diags.len();
        self.check_items(items, &[]);
        if self.checker.diags.len() > errors_before {
            self.dead = true;
        }
    }

    /// Checks the items after the settled ones, cut off at the edge, in
    /// prefix mode: whether they can still be completed. Leaves the settled
    /// state as it was.
    pub(crate) fn check_tail(&mut self, items: &[Item], tree: PrefixTree, partial: Option<Span>) -> (bool, EdgeStats) {
        let c = &mut self.checker;
        let snap = c.table.snapshot();
        let constrained = c.table.constrained().len();
        let env = c.env.checkpoint();
        // Only type definitions and aliases change the type definitions
        // (and they are rare in a tail): otherwise the one trace a check
        // leaves there is an alias body converted on first use.
        let declares = items.iter().any(|i| matches!(i, Item::TypeDef(_) | Item::Alias(_)));
        let saved_defs = declares.then(|| (c.defs.clone(), c.alias_decls.clone()));
        let unconverted: Vec<usize> = c.defs.aliases.iter().enumerate().filter(|(_, a)| a.body.is_none()).map(|(i, _)| i).collect();
        let saved = (c.later.clone(), c.level);
        let diags = c.diags.len();
        let bound = self.bound.clone();
        let open_eqs = tree.open_eqs.clone();
        self.checker.edge = Some(Box::new(EdgeCheck::new(tree, partial)));
        let new_sigs = self.check_items(items, &open_eqs);
        let ok = self.checker.diags.len() == diags && self.checker.solve_edges();
        let stats = self.checker.edge.take().map(|e| e.stats).unwrap_or_default();
        let c = &mut self.checker;
        c.table.rollback_to(snap);
        let kept: Vec<_> = c.table.constrained().iter().take(constrained).copied().collect();
        c.table.set_constrained(kept);
        c.env.rollback(env);
        match saved_defs {
            Some((defs, alias_decls)) => (c.defs, c.alias_decls) = (defs, alias_decls),
            None => {
                for i in unconverted {
                    if let Some(alias) = c.defs.aliases.get_mut(i) {
                        alias.body = None;
                    }
                }
            }
        }
        (c.later, c.level) = saved;
        c.diags.truncate(diags);
        c.aliases_in_progress.clear();
        self.bound = bound;
        for name in new_sigs {
            self.sigs.remove(&name);
        }
        (ok, stats)
    }

    /// Checks items after the settled ones, as `Checker::check_program`
    /// does for a whole program; returns the names of the signatures kept.
    fn check_items(&mut self, items: &[Item], open_eqs: &[Span]) -> Vec<String> {
        self.checker.declare_types(items);
        let infos = self.checker.declare_sigs(items);
        let mut new_sigs = Vec::new();
        for (name, info) in &infos {
            if let Some(first) = self.sigs.get(*name) {
                let at = self.checker.at_line(first.sig.name.span);
                self.checker.diags.push(error::duplicate_sig(info.sig.name.span, name, &at));
            } else {
                new_sigs.push(name.to_string());
            }
        }
        let mut grouping = Vec::new();
        let units = scope::group(scope::top_elems(items), &|_| String::new(), false, open_eqs, &mut grouping);
        self.checker.diags.extend(grouping);
        for (i, unit) in units.iter().enumerate() {
            // In prefix mode the last unit may hold the edge; the others are complete.
            let complete = self.checker.edge.is_none() || i + 1 < units.len();
            match unit {
                scope::Unit::Group(g) => {
                    let name = g.name.name.as_str();
                    if self.defined.contains(name) {
                        self.checker.diags.push(error::already_defined(g.name.span, name, ""));
                        continue;
                    }
                    let kept = self.sigs.get(name).map(|k| SigInfo { sig: &k.sig, scheme: k.scheme.clone(), names: k.names.clone() });
                    let sig = infos.get(name).map(|i| SigInfo { sig: i.sig, scheme: i.scheme.clone(), names: i.names.clone() });
                    // The requested name's unfinished definition is checked
                    // as if the request were its signature (which can only
                    // allow more: with a signature, recursion is polymorphic).
                    let requested = match (&self.require, complete, &sig, &kept) {
                        (Some(req), false, None, None) if req.name.name == name => {
                            let (scheme, names) = self.checker.convert_sig(req);
                            Some(SigInfo { sig: req, scheme, names })
                        }
                        _ => None,
                    };
                    self.checker.check_top_group(g, sig.as_ref().or(kept.as_ref()).or(requested.as_ref()), &mut self.bound);
                    if self.checker.edge.is_none() {
                        self.defined.insert(name.to_string());
                    }
                    if complete && !self.meets_request(name) {
                        self.dead = self.dead || self.checker.edge.is_none();
                        let d = crate::diagnostic::Diagnostic::new(
                            crate::diagnostic::Kind::Type,
                            g.name.span,
                            "the definition does not have the requested type",
                        );
                        self.checker.diags.push(d);
                    }
                }
                scope::Unit::Other(Item::Sig(s)) => {
                    let name = s.name.name.as_str();
                    let scheme = infos.get(name).filter(|i| std::ptr::eq(i.sig, s)).map(|i| i.scheme.clone());
                    if let Some(scheme) = scheme {
                        if !self.bound.contains(name) {
                            self.checker.env.push(name, Binding { scheme, span: Some(s.name.span) });
                            self.bound.insert(name.to_string());
                        }
                    }
                }
                scope::Unit::Other(Item::Test(t)) => self.checker.check_test(t),
                scope::Unit::Other(_) => {}
            }
        }
        for name in &new_sigs {
            if let Some(info) = infos.get(name.as_str()) {
                let kept = KeptSig { sig: info.sig.clone(), scheme: info.scheme.clone(), names: info.names.clone() };
                self.sigs.insert(name.clone(), kept);
            }
        }
        new_sigs
    }

    /// Whether a complete definition of `name` meets the request: when it
    /// is the requested name, its type is at least the requested one.
    fn meets_request(&mut self, name: &str) -> bool {
        let Some(req) = self.require.as_ref().filter(|r| r.name.name == name) else { return true };
        let c = &mut self.checker;
        let Some(found) = c.env.lookup(name).map(|b| b.scheme.clone()) else { return true };
        let (wanted, names) = c.convert_sig(req);
        c.level += 1;
        let snap = c.table.snapshot();
        let skolem = c.skolemize(&wanted, &names);
        let inst = c.instantiate(&found);
        let fits = c.table.unify(&c.defs, &skolem, &inst).is_ok();
        c.table.rollback_to(snap);
        c.level -= 1;
        fits
    }
}
