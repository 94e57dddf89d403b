//! Rendering of types as `synoema check` prints them.
//!
//! Rules: type variables are named `a`, `b`, ... in order of first
//! appearance and row variables `r`, `r1`, `r2`, ...; constraints form a
//! prefix sorted by class then variable (`Ord a => [a] -> [a]`,
//! `(Eq a, Show b) => ...`), with `Eq` dropped where `Ord` holds as in
//! Haskell; records list their fields in name order (`{x : Int, y : a}`,
//! open: `{x : a | r}`); lists are `[a]`, tuples `(Int, String)`; functions
//! associate to the right with parentheses around a function on the left;
//! data type arguments are parenthesised when applied or functions
//! (`Result (Maybe a) String`).

use super::env::TypeDefs;
use super::ty::{Class, Classes, Scheme, Ty, TyCon};
use crate::ast::TypeExpr;
use std::collections::HashMap;

/// A variable as the printer names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum VarKey {
    Gen(u32),
    Var(u32),
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Top,
    FunLeft,
    Arg,
}

/// Names variables on first sight and renders types with those names.
pub(crate) struct Printer<'a> {
    defs: &'a TypeDefs,
    names: HashMap<VarKey, String>,
    /// Variables in order of first appearance, with whether each is a row.
    order: Vec<(VarKey, bool)>,
    next_ty: usize,
    next_row: usize,
}

impl<'a> Printer<'a> {
    pub(crate) fn new(defs: &'a TypeDefs) -> Printer<'a> {
        Printer { defs, names: HashMap::new(), order: Vec::new(), next_ty: 0, next_row: 0 }
    }

    /// Gives `key` a fixed name (a signature's rigid variable).
    pub(crate) fn fix_name(&mut self, key: VarKey, name: &str) {
        self.names.insert(key, name.to_string());
    }

    fn fresh_name(&mut self, row: bool) -> String {
        loop {
            let name = if row {
                let n = self.next_row;
                self.next_row += 1;
                if n == 0 { "r".to_string() } else { format!("r{n}") }
            } else {
                let n = self.next_ty;
                self.next_ty += 1;
                let letter = (b'a' + (n % 26) as u8) as char;
                if n < 26 { letter.to_string() } else { format!("{letter}{}", n / 26) }
            };
            if !self.names.values().any(|v| *v == name) {
                return name;
            }
        }
    }

    fn see(&mut self, key: VarKey, row: bool) {
        if !self.order.iter().any(|(k, _)| *k == key) {
            self.order.push((key, row));
        }
        if !self.names.contains_key(&key) {
            let name = self.fresh_name(row);
            self.names.insert(key, name);
        }
    }

    /// Walks `t` in printing order, naming its variables.
    fn collect(&mut self, t: &Ty, row: bool) {
        match t {
            Ty::Var(v) => self.see(VarKey::Var(v.0), row),
            Ty::Gen(i) => self.see(VarKey::Gen(*i), row),
            Ty::Con(_, args) => args.iter().for_each(|a| self.collect(a, false)),
            Ty::Record(fields, tail) => {
                fields.values().for_each(|f| self.collect(f, false));
                if let Some(rest) = tail {
                    self.collect(rest, true);
                }
            }
            Ty::Error => {}
        }
    }

    fn name(&self, key: VarKey) -> String {
        self.names.get(&key).cloned().unwrap_or_else(|| "?".to_string())
    }

    /// Renders a resolved type, naming new variables as they appear.
    pub(crate) fn ty(&mut self, t: &Ty) -> String {
        self.collect(t, false);
        self.go(t, Ctx::Top)
    }

    fn go(&self, t: &Ty, ctx: Ctx) -> String {
        match t {
            Ty::Var(v) => self.name(VarKey::Var(v.0)),
            Ty::Gen(i) => self.name(VarKey::Gen(*i)),
            Ty::Error => "_".to_string(),
            Ty::Record(fields, tail) => {
                let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k} : {}", self.go(v, Ctx::Top))).collect();
                match tail {
                    None => format!("{{{}}}", body.join(", ")),
                    Some(rest) if body.is_empty() => format!("{{| {}}}", self.go(rest, Ctx::Top)),
                    Some(rest) => format!("{{{} | {}}}", body.join(", "), self.go(rest, Ctx::Top)),
                }
            }
            Ty::Con(con, args) => {
                let arg = |i: usize| args.get(i).map_or_else(|| "_".to_string(), |a| self.go(a, Ctx::Top));
                match con {
                    TyCon::Int => "Int".to_string(),
                    TyCon::Float => "Float".to_string(),
                    TyCon::Bool => "Bool".to_string(),
                    TyCon::Char => "Char".to_string(),
                    TyCon::String => "String".to_string(),
                    TyCon::Unit => "()".to_string(),
                    TyCon::List => format!("[{}]", arg(0)),
                    TyCon::Tuple => {
                        let parts: Vec<String> = args.iter().map(|a| self.go(a, Ctx::Top)).collect();
                        format!("({})", parts.join(", "))
                    }
                    TyCon::Fun => {
                        let left = args.first().map_or_else(|| "_".to_string(), |a| self.go(a, Ctx::FunLeft));
                        let text = format!("{left} -> {}", arg(1));
                        if ctx == Ctx::Top { text } else { format!("({text})") }
                    }
                    TyCon::Adt(id) => {
                        let name = self.defs.adt_name(*id).to_string();
                        if args.is_empty() {
                            return name;
                        }
                        let parts: Vec<String> = args.iter().map(|a| self.go(a, Ctx::Arg)).collect();
                        let text = format!("{name} {}", parts.join(" "));
                        if ctx == Ctx::Arg { format!("({text})") } else { text }
                    }
                }
            }
        }
    }

    /// The constraint prefix (`Ord a => `, `(Eq a, Show b) => `, or empty)
    /// for the variables seen so far, given each one's classes.
    fn prefix(&self, classes_of: impl Fn(VarKey) -> Classes) -> String {
        let mut items: Vec<(Class, usize, String)> = Vec::new();
        for (pos, (key, _)) in self.order.iter().enumerate() {
            let classes = classes_of(*key);
            for class in classes.iter() {
                if class == Class::Eq && classes.contains(Class::Ord) {
                    continue;
                }
                items.push((class, pos, format!("{} {}", class.name(), self.name(*key))));
            }
        }
        items.sort_by_key(|(class, pos, _)| (*class, *pos));
        let texts: Vec<String> = items.into_iter().map(|(_, _, t)| t).collect();
        match texts.len() {
            0 => String::new(),
            1 => format!("{} => ", texts.join("")),
            _ => format!("({}) => ", texts.join(", ")),
        }
    }
}

/// Renders a generalised type with its constraint prefix.
pub(crate) fn render_scheme(defs: &TypeDefs, scheme: &Scheme) -> String {
    let mut p = Printer::new(defs);
    let body = p.ty(&scheme.ty);
    let prefix = p.prefix(|key| match key {
        VarKey::Gen(i) => scheme.gens.get(i as usize).copied().unwrap_or_default(),
        VarKey::Var(_) => Classes::NONE,
    });
    format!("{prefix}{body}")
}

/// Renders a type as written in a signature, normalised: single spaces,
/// minimal parentheses, record fields in name order, `List a` as `[a]`.
/// Alias names and variable names stay as written.
pub(crate) fn render_type_expr(t: &TypeExpr) -> String {
    type_expr(t, Ctx::Top)
}

fn type_expr(t: &TypeExpr, ctx: Ctx) -> String {
    match t {
        TypeExpr::Con(name, args) if name.name == "List" && args.len() == 1 => {
            format!("[{}]", args.first().map_or_else(String::new, |a| type_expr(a, Ctx::Top)))
        }
        TypeExpr::Con(name, args) => {
            if args.is_empty() {
                return name.name.clone();
            }
            let parts: Vec<String> = args.iter().map(|a| type_expr(a, Ctx::Arg)).collect();
            let text = format!("{} {}", name.name, parts.join(" "));
            if ctx == Ctx::Arg { format!("({text})") } else { text }
        }
        TypeExpr::Var(v) => v.name.clone(),
        TypeExpr::Unit(_) => "()".to_string(),
        TypeExpr::Tuple(items, _) => {
            let parts: Vec<String> = items.iter().map(|a| type_expr(a, Ctx::Top)).collect();
            format!("({})", parts.join(", "))
        }
        TypeExpr::List(elem, _) => format!("[{}]", type_expr(elem, Ctx::Top)),
        TypeExpr::Record(fields, _) => {
            let mut fields: Vec<&(crate::ast::Ident, TypeExpr)> = fields.iter().collect();
            fields.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{} : {}", k.name, type_expr(v, Ctx::Top))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        TypeExpr::Fun(a, b) => {
            let text = format!("{} -> {}", type_expr(a, Ctx::FunLeft), type_expr(b, Ctx::Top));
            if ctx == Ctx::Top { text } else { format!("({text})") }
        }
        TypeExpr::Error(_) => "_".to_string(),
    }
}
