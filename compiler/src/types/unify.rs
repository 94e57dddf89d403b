//! The unification table: `ena`'s union-find wrapped with what inference
//! needs — bound/unbound values, levels for let-generalisation, constraint
//! classes on unbound variables, rigid variables for signatures, an occurs
//! check, row unification for records, and snapshot/rollback so that a trial
//! unification leaves no trace when it fails.
//!
//! Every public operation that can fail ([`Table::unify`], [`Table::require`])
//! runs inside a snapshot and rolls back on failure: a failed unification
//! never leaves half of its bindings behind. The type oracle relies on the
//! same snapshots for its "can this token continue?" trials.

use super::env::TypeDefs;
use super::ty::{Class, Classes, Ty, TyCon, TyVar};
use ena::unify::{InPlace, InPlaceUnificationTable, NoError, Snapshot, UnifyKey, UnifyValue};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Types nest no deeper than this in any sane program; deeper structures
/// (only reachable from pathological input) are treated as mismatches
/// instead of overflowing the stack.
const MAX_TYPE_DEPTH: u32 = 400;

/// How many type nodes one top-level definition may visit in unification,
/// occurs checks, class checks and resolution: a base plus an allowance
/// per byte of its source. Types shared in the table can be exponentially
/// larger as trees (`p1 x = p0 (p0 x)`, each step doubling a pair), so
/// without a bound a short program could keep the checker (and the type
/// oracle) busy for hours. Real definitions stay far below it: the largest
/// in the corpus visits about 400 nodes.
const WORK_BASE: u64 = 250_000;
const WORK_PER_BYTE: u64 = 200;

/// What the table knows about one variable.
#[derive(Clone, Debug)]
pub(crate) enum VarValue {
    Unbound(VarInfo),
    Bound(Ty),
}

#[derive(Clone, Debug)]
pub(crate) struct VarInfo {
    /// The let-nesting level at which the variable was created (lowered when
    /// it escapes into an outer type); variables deeper than the current
    /// level are generalised.
    pub(crate) level: u32,
    pub(crate) classes: Classes,
    /// `Some(name)` for a variable of a type signature: it unifies only with
    /// itself and with flexible variables, and carries no constraint.
    pub(crate) rigid: Option<Rc<str>>,
}

impl UnifyKey for TyVar {
    type Value = VarValue;

    fn index(&self) -> u32 {
        self.0
    }

    fn from_index(u: u32) -> TyVar {
        TyVar(u)
    }

    fn tag() -> &'static str {
        "TyVar"
    }
}

impl UnifyValue for VarValue {
    type Error = NoError;

    /// Merging two unbound variables keeps the lower level, all classes and
    /// the rigid name; a bound value wins over an unbound one. The table only
    /// merges after [`Table`] has checked that the merge is legal.
    fn unify_values(a: &VarValue, b: &VarValue) -> Result<VarValue, NoError> {
        Ok(match (a, b) {
            (VarValue::Unbound(x), VarValue::Unbound(y)) => VarValue::Unbound(VarInfo {
                level: x.level.min(y.level),
                classes: x.classes.union(y.classes),
                rigid: x.rigid.clone().or_else(|| y.rigid.clone()),
            }),
            (_, VarValue::Bound(t)) => VarValue::Bound(t.clone()),
            (VarValue::Bound(t), VarValue::Unbound(_)) => VarValue::Bound(t.clone()),
        })
    }
}

/// Why two types do not unify, or a type does not meet a class. The caller
/// turns it into a diagnostic with the span it knows.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum UnifyError {
    /// The two types differ; the caller shows both whole types.
    Mismatch,
    /// Binding `var` to `ty` would build an infinite type.
    Infinite { var: TyVar, ty: Ty },
    /// A closed record lacks `field`; `fields` are the ones it has.
    MissingField { field: String, fields: Vec<String> },
    /// `ty` (the innermost offending part) does not meet `class`.
    NoClass { class: Class, ty: Ty },
}

pub(crate) type TableSnapshot = Snapshot<InPlace<TyVar>>;

/// The unification table of one checking session.
pub(crate) struct Table {
    vars: InPlaceUnificationTable<TyVar>,
    /// Every variable that was ever given a class, for defaulting. Entries
    /// may since have been bound or rolled back; users re-probe them.
    constrained: Vec<TyVar>,
    /// Type nodes visited since the last [`Table::reset_work`]; past
    /// `work_limit` every operation stops early (and the checker reports the
    /// definition as too large to check).
    work: u64,
    work_limit: u64,
}

impl Default for Table {
    fn default() -> Table {
        Table::new()
    }
}

impl Table {
    pub(crate) fn new() -> Table {
        Table { vars: InPlaceUnificationTable::new(), constrained: Vec::new(), work: 0, work_limit: WORK_BASE }
    }

    pub(crate) fn new_var(&mut self, level: u32, classes: Classes) -> TyVar {
        let v = self.vars.new_key(VarValue::Unbound(VarInfo { level, classes, rigid: None }));
        if !classes.is_empty() {
            self.constrained.push(v);
        }
        v
    }

    pub(crate) fn new_rigid(&mut self, level: u32, name: &str) -> TyVar {
        self.vars.new_key(VarValue::Unbound(VarInfo { level, classes: Classes::NONE, rigid: Some(name.into()) }))
    }

    pub(crate) fn probe(&mut self, v: TyVar) -> VarValue {
        self.vars.probe_value(v)
    }

    pub(crate) fn root(&mut self, v: TyVar) -> TyVar {
        self.vars.find(v)
    }

    /// Starts a new work budget for a definition of `source_bytes` bytes.
    pub(crate) fn reset_work(&mut self, source_bytes: usize) {
        self.work = 0;
        self.work_limit = WORK_BASE.saturating_add(WORK_PER_BYTE.saturating_mul(source_bytes as u64));
    }

    /// Whether the work budget ran out since the last reset: results since
    /// then are incomplete, and the definition must be reported.
    pub(crate) fn work_exhausted(&self) -> bool {
        self.work > self.work_limit
    }

    /// Counts one visited node; true when the budget is spent.
    fn spend(&mut self) -> bool {
        self.work += 1;
        self.work > self.work_limit
    }

    /// The variables that were given classes, for defaulting.
    pub(crate) fn constrained(&self) -> &[TyVar] {
        &self.constrained
    }

    /// Keeps only `vars` as candidates for later defaulting.
    pub(crate) fn set_constrained(&mut self, vars: Vec<TyVar>) {
        self.constrained = vars;
    }

    pub(crate) fn snapshot(&mut self) -> TableSnapshot {
        self.vars.snapshot()
    }

    pub(crate) fn rollback_to(&mut self, s: TableSnapshot) {
        self.vars.rollback_to(s)
    }

    pub(crate) fn commit(&mut self, s: TableSnapshot) {
        self.vars.commit(s)
    }

    /// Follows bound variables at the top of `t` only.
    pub(crate) fn shallow(&mut self, t: &Ty) -> Ty {
        let mut t = t.clone();
        // Bound chains are short (the table path-compresses keys, and a
        // variable is bound to a non-variable type), but stay bounded anyway.
        for _ in 0..MAX_TYPE_DEPTH {
            match t {
                Ty::Var(v) => match self.probe(v) {
                    VarValue::Bound(b) => t = b,
                    VarValue::Unbound(_) => return Ty::Var(self.root(v)),
                },
                _ => return t,
            }
        }
        Ty::Error
    }

    /// Substitutes every bound variable, replaces variables by their roots
    /// and flattens record rows.
    pub(crate) fn resolve(&mut self, t: &Ty) -> Ty {
        self.resolve_at(t, 0)
    }

    fn resolve_at(&mut self, t: &Ty, depth: u32) -> Ty {
        if depth > MAX_TYPE_DEPTH || self.spend() {
            return Ty::Error;
        }
        match self.shallow(t) {
            Ty::Con(c, args) => Ty::Con(c, args.iter().map(|a| self.resolve_at(a, depth + 1)).collect()),
            Ty::Record(fields, tail) => {
                let (fields, tail) = self.flatten(&fields, tail.as_deref());
                let fields = fields.iter().map(|(k, v)| (k.clone(), self.resolve_at(v, depth + 1))).collect();
                Ty::Record(fields, tail.map(Box::new))
            }
            other => other,
        }
    }

    /// Collects the fields of a record whose tail variables have been bound
    /// to further records; returns all fields and the remaining tail (an
    /// unbound `Var`, `Gen` or `Error`, or `None` when closed).
    pub(crate) fn flatten(&mut self, fields: &BTreeMap<String, Ty>, tail: Option<&Ty>) -> (BTreeMap<String, Ty>, Option<Ty>) {
        let mut fields = fields.clone();
        let mut tail = tail.cloned();
        for _ in 0..MAX_TYPE_DEPTH {
            match tail.as_ref().map(|t| self.shallow(t)) {
                Some(Ty::Record(more, rest)) => {
                    for (k, v) in more {
                        fields.entry(k).or_insert(v);
                    }
                    tail = rest.map(|b| *b);
                }
                other => return (fields, other),
            }
        }
        (fields, Some(Ty::Error))
    }

    /// Unifies `a` with `b`; on failure nothing is changed.
    pub(crate) fn unify(&mut self, defs: &TypeDefs, a: &Ty, b: &Ty) -> Result<(), UnifyError> {
        self.trial(|table| table.unify_at(defs, a, b, 0))
    }

    /// Runs `f` as one trial: snapshot, try, then commit on success or roll
    /// back on failure, so a failed step leaves no binding behind.
    fn trial<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, UnifyError>) -> Result<T, UnifyError> {
        let snap = self.snapshot();
        let result = f(self);
        match &result {
            Ok(_) => self.commit(snap),
            Err(_) => self.rollback_to(snap),
        }
        result
    }

    /// Requires `t` to meet `class`; on failure nothing is changed.
    pub(crate) fn require(&mut self, defs: &TypeDefs, class: Class, t: &Ty) -> Result<(), UnifyError> {
        self.trial(|table| table.require_at(defs, class, t, &mut Vec::new(), 0))
    }

    fn unify_at(&mut self, defs: &TypeDefs, a: &Ty, b: &Ty, depth: u32) -> Result<(), UnifyError> {
        if depth > MAX_TYPE_DEPTH {
            return Err(UnifyError::Mismatch);
        }
        if self.spend() {
            // Reported once for the whole definition by the checker.
            return Ok(());
        }
        let a = self.shallow(a);
        let b = self.shallow(b);
        match (&a, &b) {
            (Ty::Error, Ty::Error) => Ok(()),
            (Ty::Var(x), Ty::Error) | (Ty::Error, Ty::Var(x)) => {
                self.vars.union_value(*x, VarValue::Bound(Ty::Error));
                Ok(())
            }
            (Ty::Error, _) | (_, Ty::Error) => Ok(()),
            (Ty::Var(x), Ty::Var(y)) => self.union_vars(defs, *x, *y),
            (Ty::Var(x), t) | (t, Ty::Var(x)) => self.bind(defs, *x, t),
            (Ty::Con(c1, args1), Ty::Con(c2, args2)) => {
                if c1 != c2 || args1.len() != args2.len() {
                    return Err(UnifyError::Mismatch);
                }
                for (x, y) in args1.iter().zip(args2.iter()) {
                    self.unify_at(defs, x, y, depth + 1)?;
                }
                Ok(())
            }
            (Ty::Record(f1, t1), Ty::Record(f2, t2)) => {
                let (f1, t1) = self.flatten(f1, t1.as_deref());
                let (f2, t2) = self.flatten(f2, t2.as_deref());
                self.unify_records(defs, f1, t1, f2, t2, depth)
            }
            _ => Err(UnifyError::Mismatch),
        }
    }

    fn unify_records(
        &mut self,
        defs: &TypeDefs,
        f1: BTreeMap<String, Ty>,
        t1: Option<Ty>,
        f2: BTreeMap<String, Ty>,
        t2: Option<Ty>,
        depth: u32,
    ) -> Result<(), UnifyError> {
        for (k, v1) in &f1 {
            if let Some(v2) = f2.get(k) {
                self.unify_at(defs, v1, v2, depth + 1)?;
            }
        }
        let only1: BTreeMap<String, Ty> = f1.iter().filter(|(k, _)| !f2.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let only2: BTreeMap<String, Ty> = f2.iter().filter(|(k, _)| !f1.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let missing = |only: &BTreeMap<String, Ty>, has: &BTreeMap<String, Ty>| UnifyError::MissingField {
            field: only.keys().next().cloned().unwrap_or_default(),
            fields: has.keys().cloned().collect(),
        };
        match (t1, t2) {
            (Some(Ty::Error), _) | (_, Some(Ty::Error)) => Ok(()),
            (None, None) => {
                if !only1.is_empty() {
                    return Err(missing(&only1, &f2));
                }
                if !only2.is_empty() {
                    return Err(missing(&only2, &f1));
                }
                Ok(())
            }
            (None, Some(r2)) => {
                if !only2.is_empty() {
                    return Err(missing(&only2, &f1));
                }
                self.unify_at(defs, &r2, &Ty::Record(only1, None), depth + 1)
            }
            (Some(r1), None) => {
                if !only1.is_empty() {
                    return Err(missing(&only1, &f2));
                }
                self.unify_at(defs, &r1, &Ty::Record(only2, None), depth + 1)
            }
            (Some(r1), Some(r2)) => {
                if let (Ty::Var(x), Ty::Var(y)) = (&r1, &r2) {
                    if self.root(*x) == self.root(*y) {
                        // The same row on both sides: the explicit fields
                        // must then be the same too.
                        return if only1.is_empty() && only2.is_empty() { Ok(()) } else { Err(UnifyError::Mismatch) };
                    }
                }
                if only1.is_empty() && only2.is_empty() {
                    return self.unify_at(defs, &r1, &r2, depth + 1);
                }
                let level = self.level_of(&r1).min(self.level_of(&r2));
                let rest = Ty::Var(self.new_var(level, Classes::NONE));
                self.unify_at(defs, &r1, &Ty::Record(only2, Some(Box::new(rest.clone()))), depth + 1)?;
                self.unify_at(defs, &r2, &Ty::Record(only1, Some(Box::new(rest))), depth + 1)
            }
        }
    }

    fn level_of(&mut self, t: &Ty) -> u32 {
        match t {
            Ty::Var(v) => match self.probe(*v) {
                VarValue::Unbound(info) => info.level,
                VarValue::Bound(_) => u32::MAX,
            },
            _ => u32::MAX,
        }
    }

    fn info(&mut self, v: TyVar) -> VarInfo {
        match self.probe(v) {
            VarValue::Unbound(info) => info,
            // Callers pass roots of unbound variables; a bound one has no
            // constraints left to carry.
            VarValue::Bound(_) => VarInfo { level: u32::MAX, classes: Classes::NONE, rigid: None },
        }
    }

    fn union_vars(&mut self, _defs: &TypeDefs, x: TyVar, y: TyVar) -> Result<(), UnifyError> {
        if self.root(x) == self.root(y) {
            return Ok(());
        }
        let ix = self.info(x);
        let iy = self.info(y);
        match (&ix.rigid, &iy.rigid) {
            (Some(_), Some(_)) => return Err(UnifyError::Mismatch),
            (Some(_), None) => {
                if let Some(class) = iy.classes.iter().next() {
                    return Err(UnifyError::NoClass { class, ty: Ty::Var(x) });
                }
            }
            (None, Some(_)) => {
                if let Some(class) = ix.classes.iter().next() {
                    return Err(UnifyError::NoClass { class, ty: Ty::Var(y) });
                }
            }
            (None, None) => {}
        }
        let merged = ix.classes.union(iy.classes);
        self.vars.union(x, y);
        if !merged.is_empty() {
            let root = self.root(x);
            self.constrained.push(root);
        }
        Ok(())
    }

    /// Binds the unbound variable `x` to the non-variable type `t`.
    fn bind(&mut self, defs: &TypeDefs, x: TyVar, t: &Ty) -> Result<(), UnifyError> {
        let info = self.info(x);
        if info.rigid.is_some() {
            return Err(UnifyError::Mismatch);
        }
        if self.occurs_adjust(x, info.level, t, 0) {
            let ty = self.resolve(t);
            return Err(UnifyError::Infinite { var: x, ty });
        }
        for class in info.classes.iter() {
            let mut visiting = Vec::new();
            self.require_at(defs, class, t, &mut visiting, 0)?;
        }
        self.vars.union_value(x, VarValue::Bound(t.clone()));
        Ok(())
    }

    /// Whether `x` occurs in `t`; on the way, lowers the level of every
    /// variable of `t` to `level` (they now escape to where `x` lives).
    fn occurs_adjust(&mut self, x: TyVar, level: u32, t: &Ty, depth: u32) -> bool {
        if depth > MAX_TYPE_DEPTH {
            return true;
        }
        if self.spend() {
            return false;
        }
        match self.shallow(t) {
            Ty::Var(v) => {
                if self.root(v) == self.root(x) {
                    return true;
                }
                let info = self.info(v);
                if info.level > level {
                    self.vars.union_value(v, VarValue::Unbound(VarInfo { level, classes: Classes::NONE, rigid: None }));
                }
                false
            }
            Ty::Con(_, args) => args.iter().any(|a| self.occurs_adjust(x, level, a, depth + 1)),
            Ty::Record(fields, tail) => {
                fields.values().any(|f| self.occurs_adjust(x, level, f, depth + 1))
                    || tail.is_some_and(|t| self.occurs_adjust(x, level, &t, depth + 1))
            }
            Ty::Gen(_) | Ty::Error => false,
        }
    }

    /// Checks `class` for `t`, adding it to the variables `t` still holds.
    /// `visiting` holds the data types being unfolded, so recursive types
    /// terminate (a type meets a class unless some part of it cannot).
    fn require_at(&mut self, defs: &TypeDefs, class: Class, t: &Ty, visiting: &mut Vec<u32>, depth: u32) -> Result<(), UnifyError> {
        if depth > MAX_TYPE_DEPTH || self.spend() {
            return Ok(());
        }
        let t = self.shallow(t);
        let fail = |t: &Ty| Err(UnifyError::NoClass { class, ty: t.clone() });
        match &t {
            Ty::Error | Ty::Gen(_) => Ok(()),
            Ty::Var(v) => {
                let info = self.info(*v);
                if info.classes.contains(class) {
                    return Ok(());
                }
                if info.rigid.is_some() {
                    return fail(&t);
                }
                self.vars.union_value(*v, VarValue::Unbound(VarInfo { level: u32::MAX, classes: Classes::one(class), rigid: None }));
                let root = self.root(*v);
                self.constrained.push(root);
                Ok(())
            }
            Ty::Con(con, args) => match (class, con) {
                (Class::Num, TyCon::Int | TyCon::Float) => Ok(()),
                (Class::Num, _) => fail(&t),
                (Class::Append, TyCon::String | TyCon::List) => Ok(()),
                (Class::Append, _) => fail(&t),
                (Class::Ord, TyCon::Int | TyCon::Float | TyCon::Char | TyCon::String | TyCon::Bool | TyCon::Unit) => Ok(()),
                (Class::Ord, TyCon::List | TyCon::Tuple) => {
                    args.iter().try_for_each(|a| self.require_at(defs, class, a, visiting, depth + 1))
                }
                (Class::Ord, _) => fail(&t),
                (Class::Eq | Class::Show, TyCon::Fun) => fail(&t),
                (Class::Eq | Class::Show, TyCon::Adt(id)) => {
                    if visiting.contains(id) {
                        return Ok(());
                    }
                    visiting.push(*id);
                    let fields: Vec<Ty> = defs.adt_field_types(*id).map(|f| f.subst_gen(args)).collect();
                    let result = fields.iter().try_for_each(|f| self.require_at(defs, class, f, visiting, depth + 1));
                    visiting.pop();
                    result
                }
                (Class::Eq | Class::Show, _) => {
                    args.iter().try_for_each(|a| self.require_at(defs, class, a, visiting, depth + 1))
                }
            },
            Ty::Record(fields, tail) => match class {
                Class::Eq | Class::Show => {
                    for f in fields.values() {
                        self.require_at(defs, class, f, visiting, depth + 1)?;
                    }
                    match tail {
                        Some(rest) => self.require_at(defs, class, rest, visiting, depth + 1),
                        None => Ok(()),
                    }
                }
                _ => fail(&t),
            },
        }
    }
}
