//! Scope rules and Hindley–Milner type inference with rows and built-in
//! constraints (LANGUAGE.md §3 scope, §4 types, §6 prelude).
//!
//! Key types: [`check`] (the entry point), [`TypeInfo`] (what inference
//! found), [`Type`] (resolved types for later phases) and [`PRELUDE`] (the
//! prelude's names and types, shared with the interpreter).
//!
//! How it works: a [`Checker`] walks the program once, in source order,
//! over an environment it extends and restores (`env.rs`); types are
//! unified in an `ena` table with levels, constraint classes, rigid
//! signature variables and row variables (`unify.rs`). Type definitions and
//! aliases are declared first (`decl.rs`), equations are grouped by the
//! scope rules (`scope.rs`), and expressions and patterns are inferred in
//! `infer.rs`. Every diagnostic is built in `error.rs`; types are rendered
//! in `print.rs`.
//!
//! **Architecture invariant:** the checker never stops at an error. A
//! failed unification leaves no binding behind, and whatever failed gets
//! the error type, which unifies with anything, so each mistake is reported
//! once. The type oracle reuses [`Checker`] item by item and expression by
//! expression with table snapshots.

mod decl;
pub(crate) mod edge;
mod env;
mod error;
mod infer;
mod prelude;
mod print;
pub(crate) mod scope;
mod ty;
mod unify;

#[cfg(test)]
mod tests;

pub use prelude::PRELUDE;

use crate::ast::{self, Item, NodeId, Sig};
use crate::diagnostic::Diagnostic;
use crate::span::{LineIndex, Span};
use env::{Binding, Env, TypeDefs};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use ty::{Class, Classes, Scheme, Ty, TyCon, TyVar};
use unify::{Table, VarValue};

/// A fully resolved type, as later phases see it (no inference variables
/// left: what is still unknown after inference is a `Var`).
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Int,
    Float,
    Bool,
    Char,
    String,
    Unit,
    List(Box<Type>),
    Tuple(Vec<Type>),
    Fun(Box<Type>, Box<Type>),
    /// A user or prelude data type applied to its arguments (`Maybe Int`).
    Con(String, Vec<Type>),
    /// A record: its fields in name order, and the row variable when open.
    Record(Vec<(String, Type)>, Option<u32>),
    /// A type variable (quantified or still unknown).
    Var(u32),
    /// The type of something that failed to check; already reported.
    Error,
}

/// What inference found about a program.
#[derive(Clone, Debug, Default)]
pub struct TypeInfo {
    /// Each top-level value or function with its generalised type, rendered
    /// as `synoema check` prints it, in source order.
    pub top_level: Vec<(String, String)>,
    /// The type at which each variable occurrence (`ExprKind::Var`) is used,
    /// resolved after inference and defaulting. Inside a polymorphic
    /// definition it may still hold the definition's quantified `Var`s.
    pub var_types: HashMap<ast::NodeId, Type>,
    /// The type of every expression node, resolved like `var_types` (the
    /// JIT's lowering needs the type of each intermediate value).
    pub expr_types: HashMap<ast::NodeId, Type>,
    /// The type of each equation group (top-level or local), keyed by the
    /// start offset of its first equation's name, *before* generalisation:
    /// its `Var`s are the ones `var_types` and `expr_types` show inside its
    /// body, so matching it against an instantiation gives the substitution
    /// that monomorphises the body.
    pub def_types: HashMap<u32, Type>,
}

/// Checks scope and infers types for a whole program.
///
/// Without the source text, messages cannot say "at line N"; prefer
/// [`check_source`] when the text is at hand.
pub fn check(program: &ast::Program) -> (TypeInfo, Vec<Diagnostic>) {
    run(program, None)
}

/// Like [`check`], with the source text the program was parsed from, so
/// that messages can point at earlier definitions by line.
pub fn check_source(program: &ast::Program, src: &str) -> (TypeInfo, Vec<Diagnostic>) {
    run(program, Some(src))
}

fn run(program: &ast::Program, src: Option<&str>) -> (TypeInfo, Vec<Diagnostic>) {
    let mut checker = Checker::new(src);
    let top_level = checker.check_program(program);
    let var_types = checker.resolved_var_types();
    let expr_entries = std::mem::take(&mut checker.expr_types);
    let expr_types = checker.resolve_entries(expr_entries);
    let def_entries = std::mem::take(&mut checker.def_types);
    let def_types = checker.resolve_entries(def_entries);
    (TypeInfo { top_level, var_types, expr_types, def_types }, checker.diags)
}

/// A signature as the checker keeps it.
pub(crate) struct SigInfo<'p> {
    pub(crate) sig: &'p Sig,
    pub(crate) scheme: Scheme,
    /// The signature's variable names, in `Gen` order.
    pub(crate) names: Vec<String>,
}

/// The state of one checking session: the unification table, the
/// environment, the type definitions and what has been found so far.
pub(crate) struct Checker<'s> {
    pub(crate) table: Table,
    pub(crate) env: Env,
    pub(crate) defs: TypeDefs,
    /// The current let-nesting level; variables created deeper are
    /// generalised when the level is left.
    pub(crate) level: u32,
    pub(crate) diags: Vec<Diagnostic>,
    /// The type of each variable occurrence, resolved at the end.
    pub(crate) var_types: Vec<(NodeId, Ty)>,
    /// The type of each expression node, in inference order.
    pub(crate) expr_types: Vec<(NodeId, Ty)>,
    /// The type of each equation group, by the start of its name.
    pub(crate) def_types: Vec<(u32, Ty)>,
    pub(crate) alias_decls: Vec<Option<decl::AliasDecl>>,
    pub(crate) aliases_in_progress: Vec<usize>,
    pub(crate) cyclic_aliases: Vec<usize>,
    /// Names whose definition comes later in an enclosing scope (top level
    /// or a block), counted per scope, for a better message than
    /// "undefined" when one is used too early.
    pub(crate) later: FxHashMap<String, u32>,
    /// Current expression nesting, bounded to protect the stack.
    pub(crate) depth: u32,
    /// Whether the current top expression already reported its depth.
    pub(crate) depth_reported: bool,
    pub(crate) lines: Option<(LineIndex, &'s str)>,
    /// Type and constructor names not declared (yet) are taken to be
    /// declared later in the file: no error, and the error type (the type
    /// oracle checks prefixes, and types are visible in the whole file).
    pub(crate) future_types: bool,
    /// Prefix mode: the right edge of the item being checked (`edge.rs`).
    pub(crate) edge: Option<Box<edge::EdgeCheck>>,
    /// Keep what later phases read: the types of nodes and definitions,
    /// and each top-level type rendered. The type oracle only needs the
    /// verdict and turns this off.
    pub(crate) record: bool,
}

/// `" at line N"` for a span, or nothing without source text.
pub(crate) fn at_line(lines: &Option<(LineIndex, &str)>, span: Span) -> String {
    match lines {
        Some((index, src)) => format!(" at line {}", index.line_col(src, span.start).line),
        None => String::new(),
    }
}

/// The prelude's type definitions and value environment, parsed once per
/// thread and cloned for each checker (the type oracle makes a checker per
/// rebuild, and parsing every prelude scheme again dominated that).
fn prelude_env() -> (TypeDefs, Env) {
    thread_local! {
        static PRELUDE_ENV: (TypeDefs, Env) = {
            let mut defs = TypeDefs::new();
            prelude::add_prelude_types(&mut defs);
            let mut env = Env::default();
            for (name, text) in PRELUDE {
                let scheme = prelude::parse_scheme(text, &defs).unwrap_or_else(Scheme::error);
                env.push(name, Binding { scheme, span: None });
            }
            (defs, env)
        };
    }
    PRELUDE_ENV.with(|(defs, env)| (defs.clone(), env.clone()))
}

impl<'s> Checker<'s> {
    /// A checker whose environment holds the prelude.
    pub(crate) fn new(src: Option<&'s str>) -> Checker<'s> {
        let (defs, env) = prelude_env();
        Checker {
            table: Table::new(),
            env,
            defs,
            level: 0,
            diags: Vec::new(),
            var_types: Vec::new(),
            expr_types: Vec::new(),
            def_types: Vec::new(),
            alias_decls: Vec::new(),
            aliases_in_progress: Vec::new(),
            cyclic_aliases: Vec::new(),
            later: FxHashMap::default(),
            depth: 0,
            depth_reported: false,
            lines: src.map(|s| (LineIndex::new(s), s)),
            future_types: false,
            edge: None,
            record: true,
        }
    }

    /// Notes that `name` will be defined later in the current scope.
    pub(crate) fn expect_later(&mut self, name: &str) {
        *self.later.entry(name.to_string()).or_default() += 1;
    }

    /// Notes that a name announced by [`Checker::expect_later`] is now defined.
    pub(crate) fn defined_now(&mut self, name: &str) {
        if let Some(n) = self.later.get_mut(name) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.later.remove(name);
            }
        }
    }

    pub(crate) fn at_line(&self, span: Span) -> String {
        at_line(&self.lines, span)
    }

    /// Checks every item in source order; returns the rendered type of each
    /// top-level equation group.
    pub(crate) fn check_program(&mut self, program: &ast::Program) -> Vec<(String, String)> {
        self.declare_types(&program.items);
        let sigs = self.declare_sigs(&program.items);
        let mut grouping_diags = Vec::new();
        let units =
            scope::group(scope::top_elems(&program.items), &|s| at_line(&self.lines, s), false, &[], &mut grouping_diags);
        self.diags.extend(grouping_diags);

        let defined: FxHashSet<&str> = units
            .iter()
            .filter_map(|u| match u {
                scope::Unit::Group(g) => Some(g.name.name.as_str()),
                scope::Unit::Other(_) => None,
            })
            .collect();
        let mut missing: Vec<&SigInfo> = sigs.values().filter(|s| !defined.contains(s.sig.name.name.as_str())).collect();
        missing.sort_by_key(|s| s.sig.span.start);
        for s in missing {
            self.diags.push(error::sig_without_definition(s.sig.name.span, &s.sig.name.name));
        }
        for name in &defined {
            self.expect_later(name);
        }

        let mut top_level = Vec::new();
        let mut bound: FxHashSet<String> = FxHashSet::default();
        for unit in &units {
            match unit {
                scope::Unit::Group(g) => {
                    let sig = sigs.get(g.name.name.as_str());
                    if let Some(entry) = self.check_top_group(g, sig, &mut bound) {
                        top_level.push(entry);
                    }
                }
                scope::Unit::Other(Item::Sig(s)) => {
                    let name = s.name.name.as_str();
                    if let Some(info) = sigs.get(name) {
                        if std::ptr::eq(info.sig, s) && !bound.contains(name) {
                            self.env.push(name, Binding { scheme: info.scheme.clone(), span: Some(s.name.span) });
                            bound.insert(name.to_string());
                        }
                    }
                }
                scope::Unit::Other(Item::Test(t)) => self.check_test(t),
                scope::Unit::Other(_) => {}
            }
        }
        top_level
    }

    /// Converts the first signature of each name, reporting duplicates.
    pub(crate) fn declare_sigs<'p>(&mut self, items: &'p [Item]) -> FxHashMap<&'p str, SigInfo<'p>> {
        let mut sigs: FxHashMap<&'p str, SigInfo<'p>> = FxHashMap::default();
        for item in items {
            let Item::Sig(sig) = item else { continue };
            if let Some(first) = sigs.get(sig.name.name.as_str()) {
                let at = self.at_line(first.sig.name.span);
                self.diags.push(error::duplicate_sig(sig.name.span, &sig.name.name, &at));
                // Still convert it, for its own unknown types.
                self.convert_sig(sig);
                continue;
            }
            let (scheme, names) = self.convert_sig(sig);
            sigs.insert(&sig.name.name, SigInfo { sig, scheme, names });
        }
        sigs
    }

    /// Infers one top-level function, checks it against its signature,
    /// binds it and returns its rendered type.
    pub(crate) fn check_top_group(&mut self, g: &scope::Group, sig: Option<&SigInfo>, bound: &mut FxHashSet<String>) -> Option<(String, String)> {
        let name = g.name.name.as_str();
        if !g.redefined {
            self.defined_now(name);
        }
        let errors_before = self.diags.len();
        self.table.reset_work(g.eqs.iter().chain(&g.odd).map(|e| e.span.len()).sum());
        self.level += 1;
        let has_sig_binding = sig.is_some() && bound.contains(name);
        let expected = sig.map(|info| self.skolemize(&info.scheme, &info.names));
        let (t, sig_error) = self.infer_group(g, !has_sig_binding, expected.as_ref());
        let (scheme, rendered) = match sig {
            Some(info) => {
                if let Some(err) = sig_error {
                    self.report_sig_error(g, info, err);
                }
                self.level -= 1;
                let keep = self.free_vars(&t);
                self.default_ambiguous(g.span(), &keep);
                let rendered = if self.record { print::render_type_expr(&info.sig.ty) } else { String::new() };
                (info.scheme.clone(), rendered)
            }
            None => {
                self.level -= 1;
                let scheme = self.generalize(&[t], g.span()).pop().unwrap_or_else(Scheme::error);
                let rendered = if self.record { print::render_scheme(&self.defs, &scheme) } else { String::new() };
                (scheme, rendered)
            }
        };
        let (scheme, rendered) = if self.table.work_exhausted() {
            self.diags.push(error::too_large(g.span(), &format!("`{name}`")));
            (Scheme::error(), "_".to_string())
        } else {
            (scheme, rendered)
        };
        let failed = self.diags.len() > errors_before;
        if !g.redefined {
            let binding_scheme = if failed && sig.is_none() { Scheme::error() } else { scheme.clone() };
            let binding = Binding { scheme: binding_scheme, span: Some(g.span()) };
            if bound.contains(name) {
                self.env.replace(name, binding);
            } else {
                self.env.push(name, binding);
                bound.insert(name.to_string());
            }
            if name == "main" && !failed {
                self.check_main(&scheme, g.span());
            }
        }
        Some((name.to_string(), rendered))
    }

    /// The signature cannot even take the group's parameters (the only way
    /// unifying a fresh group type with it can fail).
    fn report_sig_error(&mut self, g: &scope::Group, info: &SigInfo, err: unify::UnifyError) {
        let sig_text = print::render_type_expr(&info.sig.ty);
        let d = match err {
            unify::UnifyError::Mismatch => error::sig_arity(g.span(), &g.name.name, g.arity(), &sig_text),
            unify::UnifyError::Infinite { .. } | unify::UnifyError::MissingField { .. } | unify::UnifyError::NoClass { .. } => {
                error::sig_mismatch(g.span(), &g.name.name, &sig_text)
            }
        };
        self.diags.push(d);
    }

    /// `main` is shown when run, so its type must have `Show`.
    fn check_main(&mut self, scheme: &Scheme, span: Span) {
        self.level += 1;
        let t = self.instantiate(scheme);
        self.level -= 1;
        if self.table.require(&self.defs, Class::Show, &t).is_err() {
            let text = print::render_scheme(&self.defs, scheme);
            self.diags.push(error::main_not_showable(span, &text));
        }
    }

    pub(crate) fn check_test(&mut self, test: &ast::Test) {
        self.table.reset_work(test.span.len());
        self.level += 1;
        let t = self.infer(&test.body);
        let span = infer::result_span(&test.body);
        if let Err(err) = self.table.unify(&self.defs, &Ty::bool(), &t) {
            self.report(span, err, &Ty::bool(), &t);
            if let Some(d) = self.diags.last_mut() {
                if d.hint.is_none() {
                    d.hint = Some("a test's body must be a `Bool`".to_string());
                }
            }
        }
        self.level -= 1;
        self.default_ambiguous(test.name_span, &[]);
        if self.table.work_exhausted() {
            self.diags.push(error::too_large(test.name_span, "this test"));
        }
    }

    /// The unbound variables of `t`, as roots.
    pub(crate) fn free_vars(&mut self, t: &Ty) -> Vec<TyVar> {
        let resolved = self.table.resolve(t);
        let mut out = Vec::new();
        collect_vars(&resolved, &mut out);
        out
    }

    /// Generalises `tys` together over the variables deeper than the current
    /// level, after defaulting the constrained variables that none of them
    /// mentions.
    pub(crate) fn generalize(&mut self, tys: &[Ty], span: Span) -> Vec<Scheme> {
        let mut keep = Vec::new();
        for t in tys {
            keep.extend(self.free_vars(t));
        }
        self.default_ambiguous(span, &keep);
        let mut quantified = Vec::new();
        let schemes = tys
            .iter()
            .map(|t| {
                let resolved = self.table.resolve(t);
                let mut gens: Vec<(TyVar, Classes)> = Vec::new();
                let ty = self.quantify(&resolved, &mut gens);
                quantified.extend(gens.iter().map(|(v, _)| *v));
                Scheme { gens: gens.into_iter().map(|(_, c)| c).collect(), ty }
            })
            .collect();
        // The quantified variables belong to the schemes now: a later
        // defaulting must not bind them, or the types recorded inside the
        // definition's body (which the JIT instantiates) would change.
        let candidates = self.table.constrained().to_vec();
        let still: Vec<TyVar> = candidates.into_iter().filter(|v| !quantified.contains(&self.table.root(*v))).collect();
        self.table.set_constrained(still);
        schemes
    }

    fn quantify(&mut self, t: &Ty, gens: &mut Vec<(TyVar, Classes)>) -> Ty {
        match t {
            Ty::Var(v) => match self.table.probe(*v) {
                VarValue::Unbound(info) if info.level > self.level && info.rigid.is_none() => {
                    let root = self.table.root(*v);
                    let i = match gens.iter().position(|(g, _)| *g == root) {
                        Some(i) => i,
                        None => {
                            gens.push((root, info.classes));
                            gens.len() - 1
                        }
                    };
                    Ty::Gen(i as u32)
                }
                _ => t.clone(),
            },
            Ty::Con(c, args) => Ty::Con(*c, args.iter().map(|a| self.quantify(a, gens)).collect()),
            Ty::Record(fields, tail) => Ty::Record(
                fields.iter().map(|(k, v)| (k.clone(), self.quantify(v, gens))).collect(),
                tail.as_ref().map(|r| Box::new(self.quantify(r, gens))),
            ),
            Ty::Gen(_) | Ty::Error => t.clone(),
        }
    }

    /// Defaults every constrained variable deeper than the current level
    /// that is not in `keep`: `Num` to `Int`, `Append` to `String`, any
    /// other class to `()`.
    pub(crate) fn default_ambiguous(&mut self, span: Span, keep: &[TyVar]) {
        if self.edge.is_some() {
            // Prefix mode: what is ambiguous now may be settled by text
            // still to come (a known gap: an ambiguity error is found only
            // once the program is complete).
            return;
        }
        let candidates = self.table.constrained().to_vec();
        let mut still = Vec::new();
        for v in candidates {
            let VarValue::Unbound(info) = self.table.probe(v) else { continue };
            let root = self.table.root(v);
            if info.rigid.is_some() || still.contains(&root) {
                continue;
            }
            if info.level <= self.level || keep.contains(&root) {
                still.push(root);
                continue;
            }
            let target = if info.classes.contains(Class::Num) {
                Ty::int()
            } else if info.classes.contains(Class::Append) {
                Ty::string()
            } else {
                Ty::unit()
            };
            if self.table.unify(&self.defs, &Ty::Var(root), &target).is_err() {
                let names: Vec<String> = info.classes.iter().map(|c| format!("`{}`", c.name())).collect();
                self.diags.push(error::ambiguous(span, &names.join(" and ")));
                let _ = self.table.unify(&self.defs, &Ty::Var(root), &Ty::Error);
            }
        }
        self.table.set_constrained(still);
    }

    /// Resolves every recorded variable occurrence to a public [`Type`].
    fn resolved_var_types(&mut self) -> HashMap<NodeId, Type> {
        let entries = std::mem::take(&mut self.var_types);
        self.resolve_entries(entries)
    }

    /// Resolves recorded types to public [`Type`]s after inference.
    fn resolve_entries(&mut self, entries: Vec<(u32, Ty)>) -> HashMap<u32, Type> {
        entries
            .into_iter()
            .map(|(id, t)| {
                let resolved = self.table.resolve(&t);
                (id, self.to_public(&resolved))
            })
            .collect()
    }

    fn to_public(&self, t: &Ty) -> Type {
        match t {
            Ty::Var(v) => Type::Var(v.0),
            Ty::Gen(i) => Type::Var(*i),
            Ty::Error => Type::Error,
            Ty::Record(fields, tail) => Type::Record(
                fields.iter().map(|(k, v)| (k.clone(), self.to_public(v))).collect(),
                match tail.as_deref() {
                    Some(Ty::Var(v)) => Some(v.0),
                    _ => None,
                },
            ),
            Ty::Con(con, args) => {
                let arg = |i: usize| Box::new(args.get(i).map_or(Type::Error, |a| self.to_public(a)));
                match con {
                    TyCon::Int => Type::Int,
                    TyCon::Float => Type::Float,
                    TyCon::Bool => Type::Bool,
                    TyCon::Char => Type::Char,
                    TyCon::String => Type::String,
                    TyCon::Unit => Type::Unit,
                    TyCon::List => Type::List(arg(0)),
                    TyCon::Tuple => Type::Tuple(args.iter().map(|a| self.to_public(a)).collect()),
                    TyCon::Fun => Type::Fun(arg(0), arg(1)),
                    TyCon::Adt(id) => {
                        Type::Con(self.defs.adt_name(*id).to_string(), args.iter().map(|a| self.to_public(a)).collect())
                    }
                }
            }
        }
    }
}

/// Collects the variables of a resolved type, without duplicates.
fn collect_vars(t: &Ty, out: &mut Vec<TyVar>) {
    match t {
        Ty::Var(v) => {
            if !out.contains(v) {
                out.push(*v);
            }
        }
        Ty::Con(_, args) => args.iter().for_each(|a| collect_vars(a, out)),
        Ty::Record(fields, tail) => {
            fields.values().for_each(|f| collect_vars(f, out));
            if let Some(r) = tail {
                collect_vars(r, out);
            }
        }
        Ty::Gen(_) | Ty::Error => {}
    }
}

/// The words with a meaning before any program text ([`crate::prefix::builtin_words`]).
pub(crate) fn builtin_words() -> Vec<String> {
    let checker = Checker::new(None);
    let mut words: Vec<String> = crate::parse::token::RESERVED_WORDS.iter().map(|w| w.to_string()).collect();
    words.extend(checker.env.visible_names().map(str::to_string));
    words.extend(checker.defs.type_names.keys().cloned());
    words.extend(checker.defs.ctor_names.keys().cloned());
    words.extend(ty::Class::ALL.iter().map(|c| c.name().to_string()));
    for (_, ty) in prelude::PRELUDE {
        words.extend(ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_string));
    }
    words.sort_unstable();
    words.dedup();
    words
}
