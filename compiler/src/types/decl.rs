//! Declarations: user data types and aliases (registered before anything
//! else, so types and constructors are visible in the whole file), and the
//! conversion of written types (`TypeExpr`) into checker types, with the
//! scope and arity rules for type names.

use super::env::{AliasDef, TypeName, BUILTIN_TYPES};
use super::error;
use super::ty::{Classes, Scheme, Ty, TyCon};
use super::Checker;
use crate::ast::{Ident, Item, Sig, TypeExpr};
use crate::span::Span;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Written types nest no deeper than this (the parser bounds nesting too).
const MAX_TYPE_EXPR_DEPTH: u32 = 200;

/// How type variables in a written type are read.
pub(crate) enum VarMode<'a> {
    /// In a data type or alias: only its parameters may appear.
    Params { names: &'a [Ident], owner: &'a str },
    /// In a signature: every variable is quantified, numbered by first
    /// appearance.
    Sig(Vec<String>),
}

/// A user alias waiting to be expanded.
#[derive(Clone)]
pub(crate) struct AliasDecl {
    pub(crate) name: Ident,
    pub(crate) params: Vec<Ident>,
    pub(crate) body: TypeExpr,
}

impl Checker<'_> {
    /// Registers every user `typedef` and alias of the program.
    pub(crate) fn declare_types(&mut self, items: &[Item]) {
        let mut type_spans: HashMap<String, Span> = HashMap::default();
        let mut ctor_spans: HashMap<String, Span> = HashMap::default();
        let mut pending = Vec::new();
        // Pass 1: names, so that definitions may refer to each other.
        for item in items {
            let (name, params) = match item {
                Item::TypeDef(t) => (&t.name, &t.params),
                Item::Alias(a) => (&a.name, &a.params),
                _ => continue,
            };
            // In prefix mode a name at the edge may still grow into a fresh
            // one (`Int` → `Integer`), and nothing follows it yet.
            if self.edge_partial(name.span) {
                continue;
            }
            if BUILTIN_TYPES.contains(&name.name.as_str()) {
                self.diags.push(error::builtin_type(name.span, &name.name));
                continue;
            }
            if let Some(first) = type_spans.get(&name.name) {
                let at = self.at_line(*first);
                self.diags.push(error::duplicate_type(name.span, &name.name, &at));
                continue;
            }
            type_spans.insert(name.name.clone(), name.span);
            for (i, p) in params.iter().enumerate() {
                if params[..i].iter().any(|q| q.name == p.name) && !self.edge_partial(p.span) {
                    self.diags.push(error::duplicate_param(p.span, &p.name));
                }
            }
            match item {
                Item::TypeDef(t) => {
                    let id = self.defs.add_adt(&t.name.name, t.params.len());
                    let mut ctors = Vec::new();
                    for v in &t.variants {
                        if self.edge_partial(v.name.span) {
                            continue;
                        }
                        if let Some(first) = ctor_spans.get(&v.name.name) {
                            let at = self.at_line(*first);
                            self.diags.push(error::duplicate_ctor(v.name.span, &v.name.name, &at));
                            continue;
                        }
                        ctor_spans.insert(v.name.name.clone(), v.name.span);
                        ctors.push(v);
                    }
                    pending.push((id, t, ctors));
                }
                Item::Alias(a) => {
                    let id = self.defs.aliases.len();
                    self.defs.aliases.push(AliasDef { params: a.params.len(), body: None });
                    self.alias_decls.push(Some(AliasDecl { name: a.name.clone(), params: a.params.clone(), body: a.ty.clone() }));
                    self.defs.type_names.insert(a.name.name.clone(), TypeName::Alias(id));
                }
                _ => {}
            }
        }
        // Pass 2: alias bodies (reporting their errors once) and
        // constructor fields.
        for id in 0..self.defs.aliases.len() {
            self.alias_body(id);
        }
        for (id, t, ctors) in pending {
            for v in ctors {
                let mut mode = VarMode::Params { names: &t.params, owner: &t.name.name };
                let fields: Vec<Ty> = v.fields.iter().map(|f| self.convert(f, &mut mode, 0)).collect();
                self.defs.add_ctor(id, &v.name.name, fields);
            }
        }
    }

    /// The expanded body of alias `id` in terms of `Gen(i)`, converting it
    /// on first use; a cyclic alias is reported and expands to `Error`.
    fn alias_body(&mut self, id: usize) -> Ty {
        if let Some(body) = self.defs.aliases.get(id).and_then(|a| a.body.clone()) {
            return body;
        }
        let Some(decl) = self.alias_decls.get(id).cloned().flatten() else {
            return Ty::Error;
        };
        if self.aliases_in_progress.contains(&id) {
            if !self.cyclic_aliases.contains(&id) {
                self.cyclic_aliases.push(id);
                self.diags.push(error::cyclic_alias(decl.name.span, &decl.name.name));
            }
            return Ty::Error;
        }
        self.aliases_in_progress.push(id);
        let mut mode = VarMode::Params { names: &decl.params, owner: &decl.name.name };
        let body = self.convert(&decl.body, &mut mode, 0);
        self.aliases_in_progress.pop();
        let body = if self.cyclic_aliases.contains(&id) { Ty::Error } else { body };
        if let Some(a) = self.defs.aliases.get_mut(id) {
            a.body = Some(body.clone());
        }
        body
    }

    /// A signature as a scheme (its variables unconstrained), with the
    /// variable names in `Gen` order.
    pub(crate) fn convert_sig(&mut self, sig: &Sig) -> (Scheme, Vec<String>) {
        let mut mode = VarMode::Sig(Vec::new());
        let ty = self.convert(&sig.ty, &mut mode, 0);
        let names = match mode {
            VarMode::Sig(names) => names,
            VarMode::Params { .. } => Vec::new(),
        };
        (Scheme { gens: vec![Classes::NONE; names.len()], ty }, names)
    }

    /// Converts a written type, reporting unknown names (scope errors) and
    /// wrong numbers of type arguments (type errors).
    pub(crate) fn convert(&mut self, t: &TypeExpr, mode: &mut VarMode, depth: u32) -> Ty {
        if depth > MAX_TYPE_EXPR_DEPTH {
            return Ty::Error;
        }
        match t {
            TypeExpr::Con(name, args) => {
                let converted: Vec<Ty> = args.iter().map(|a| self.convert(a, mode, depth + 1)).collect();
                self.convert_con(name, converted, t.span())
            }
            TypeExpr::Var(v) => match mode {
                VarMode::Params { names, owner } => match names.iter().position(|p| p.name == v.name) {
                    Some(i) => Ty::Gen(i as u32),
                    None => {
                        self.diags.push(error::not_a_param(v.span, &v.name, owner));
                        Ty::Error
                    }
                },
                VarMode::Sig(names) => {
                    let i = match names.iter().position(|n| *n == v.name) {
                        Some(i) => i,
                        None => {
                            names.push(v.name.clone());
                            names.len() - 1
                        }
                    };
                    Ty::Gen(i as u32)
                }
            },
            TypeExpr::Unit(_) => Ty::unit(),
            TypeExpr::Tuple(items, _) => {
                Ty::Con(TyCon::Tuple, items.iter().map(|a| self.convert(a, mode, depth + 1)).collect())
            }
            TypeExpr::List(elem, _) => Ty::list(self.convert(elem, mode, depth + 1)),
            TypeExpr::Record(fields, _) => {
                let mut out = BTreeMap::new();
                for (name, fty) in fields {
                    let fty = self.convert(fty, mode, depth + 1);
                    if out.contains_key(&name.name) {
                        self.diags.push(error::duplicate_field(name.span, &name.name));
                        continue;
                    }
                    out.insert(name.name.clone(), fty);
                }
                Ty::Record(out, None)
            }
            TypeExpr::Fun(a, b) => {
                let a = self.convert(a, mode, depth + 1);
                let b = self.convert(b, mode, depth + 1);
                Ty::fun(a, b)
            }
            TypeExpr::Error(_) => Ty::Error,
        }
    }

    fn convert_con(&mut self, name: &Ident, args: Vec<Ty>, span: Span) -> Ty {
        let base = TyCon::base(name.name.as_str());
        if let Some(con) = base {
            if !args.is_empty() {
                self.diags.push(error::type_arity(span, &name.name, 0, args.len()));
                return Ty::Error;
            }
            return Ty::base(con);
        }
        if name.name == "List" {
            if args.len() != 1 {
                self.diags.push(error::type_arity(span, "List", 1, args.len()));
                return Ty::Error;
            }
            return Ty::Con(TyCon::List, args.into());
        }
        match self.defs.type_names.get(&name.name).copied() {
            Some(TypeName::Adt(id)) => {
                let params = self.defs.adt(id).map_or(0, |a| a.params);
                if params != args.len() {
                    self.diags.push(error::type_arity(span, &name.name, params, args.len()));
                    return Ty::Error;
                }
                Ty::Con(TyCon::Adt(id), args.into())
            }
            Some(TypeName::Alias(id)) => {
                let params = self.defs.aliases.get(id).map_or(0, |a| a.params);
                if params != args.len() {
                    self.diags.push(error::type_arity(span, &name.name, params, args.len()));
                    return Ty::Error;
                }
                self.alias_body(id).subst_gen(&args)
            }
            Some(TypeName::Builtin) | None if self.future_types => Ty::Error,
            Some(TypeName::Builtin) | None => {
                self.diags.push(error::unknown_type(name.span, &name.name));
                Ty::Error
            }
        }
    }
}
