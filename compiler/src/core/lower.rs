//! Lowering a checked AST to Core: name resolution, monomorphisation,
//! lambda lifting and desugaring.
//!
//! Monomorphisation: lowering starts from the top-level values (`main`
//! among them) and lowers a function only when a call needs it, at the
//! ground type of that call (`TypeInfo::var_types` of the callee's
//! occurrence, with the caller's substitution applied). Matching the
//! function's own type (`TypeInfo::def_types`, taken before
//! generalisation, so it shares type variables with its body) against that
//! instance gives the substitution under which every type in the body
//! (`TypeInfo::expr_types`) becomes ground. A variable left unknown after
//! that is one no value depends on (`length []`); it becomes `()`.
//!
//! Lambda lifting: a local function becomes a Core function whose leading
//! parameters are the variables it captures. The capture set is computed
//! before its body is lowered: every variable of the defining scope whose
//! name occurs in the body (an over-approximation that is harmless: an
//! extra argument), plus the captures of the local functions it calls.
//! Lambdas are lifted the same way. A function known by name used other
//! than in a saturated call becomes a closure through its curried *stages*
//! (see `Lowerer::stage`); calls of computed functions are `Apply`s.
//!
//! The prelude: functions taking functions are Core loops built here per
//! instance (`Lowerer::higher_order`); the others are inline Core or run
//! the interpreter's implementation (`Prim::Prelude`).
//!
//! Patterns: the equations of a function become a chain of tests, tried in
//! order; the last alternative is the "no equation matches" failure. With
//! only literal, variable and wildcard patterns this chain is the decision
//! tree; constructor patterns (a later increment) will split it by tag.

use super::{Cmp, Expr, ExprKind, Failure, Fun, FunId, Global, Lit, Prim, Program, Rounding, Ty, Unsupported, VarId};
use crate::ast::{self, BinOp, ExprKind as AK, PatKind};
use crate::types::{Type, TypeInfo};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

type Subst = HashMap<u32, Type>;
type Result<T> = std::result::Result<T, Unsupported>;

/// Deepest expression nesting lowered (the parser already bounds the tree
/// at 256 levels; this guards the recursion of lowering itself).
const MAX_DEPTH: usize = 400;

/// Lowers a whole program whose `main` exists and takes no parameters.
pub fn lower(program: &ast::Program, info: &TypeInfo) -> Result<Program> {
    let groups = ast::top_level_groups(program);
    let mut lowerer = Lowerer { info, groups: &groups, funs: Vec::new(), instances: HashMap::new(), jobs: Vec::new(), next_bind: 0, next_local: 0, depth: 0, tuples: RefCell::new(Vec::new()), lists: RefCell::new(Vec::new()), datas: RefCell::new(Vec::new()), data_keys: RefCell::new(HashMap::new()), typedefs: typedefs(program), program, fun_tys: RefCell::new(Vec::new()), shapes: Vec::new(), records: RefCell::new(Vec::new()), stages: HashMap::new(), scratch: Vec::new(), global_tys: Vec::new(), instance_counts: HashMap::new(), value_uses: 0 };
    let mut globals = Vec::new();
    let mut global_index = HashMap::new();
    for (index, group) in groups.iter().enumerate() {
        if group.arity() == 0 {
            global_index.insert(index, globals.len());
            // A value whose type is still a variable has no value at all (it
            // fails or never ends), so any representation does; reading it
            // where it is not ready fails before the bits matter.
            let ty = lowerer.core_ty(&ground(&lowerer.def_type(group.equations[0])?))?;
            let init = lowerer.reserve(group.name.to_string());
            lowerer.global_tys.push(ty);
            globals.push((index, Global { name: group.name.to_string(), ty, init }));
        }
    }
    lowerer.jobs.extend(globals.iter().map(|(index, g)| Job::Value { group: *index, fun: g.init }));
    let main = globals.iter().position(|(_, g)| g.name == "main").ok_or_else(|| Unsupported::new("a program without `main`"))?;
    while let Some(job) = lowerer.jobs.pop() {
        lowerer.run_job(job, &global_index)?;
    }
    let funs = lowerer.funs.into_iter().map(|f| f.ok_or_else(|| Unsupported("internal: a function was never lowered".into()))).collect::<Result<_>>()?;
    Ok(Program {
        funs,
        globals: globals.into_iter().map(|(_, g)| g).collect(),
        main,
        tuples: lowerer.tuples.into_inner(),
        lists: lowerer.lists.into_inner(),
        datas: lowerer.datas.into_inner(),
        fun_tys: lowerer.fun_tys.into_inner(),
        shapes: lowerer.shapes,
        records: lowerer.records.into_inner(),
    })
}

/// Identifies one source binding (a parameter, a pattern variable or a
/// local value), across the functions lambda lifting creates.
type BindId = u32;

#[derive(Clone)]
enum Binding<'a> {
    Var(BindId),
    LocalFun(Rc<LocalFun<'a>>),
    /// A parameterless local definition, inside its own body.
    Recursive,
    /// A let-generalised local value holding functions, lowered again at
    /// the type of each use (only for values whose evaluation has no effect
    /// and cannot fail: see `Lowerer::is_value`).
    Value(Rc<LocalValue<'a>>),
}

/// A polymorphic local value, instantiated where it is used.
struct LocalValue<'a> {
    body: &'a ast::Expr,
    /// Its type as recorded at the definition (with its variables).
    own: Type,
    subst: Subst,
    scope: Vec<(String, Binding<'a>)>,
    captures: Vec<(BindId, Ty)>,
}

/// A local function, ready to be instantiated and lifted.
struct LocalFun<'a> {
    /// Unique among local functions, for instance keys.
    id: usize,
    name: String,
    /// The Core name prefix (`fib.go`).
    path: String,
    /// The message when no equation matches.
    no_match: String,
    clauses: Vec<(&'a [ast::Pat], &'a ast::Expr)>,
    /// Its type as the checker recorded it (before generalisation, so it
    /// shares type variables with its body).
    own: Type,
    /// The substitution of the function it is defined in.
    subst: Subst,
    captures: Vec<(BindId, Ty)>,
    /// The scope at its definition (without itself).
    scope: Vec<(String, Binding<'a>)>,
    /// The top-level item it belongs to (for the visibility of globals).
    item: usize,
}

/// A function instance waiting to be lowered into its reserved slot.
enum Job<'a> {
    Value { group: usize, fun: FunId },
    Top { group: usize, ty: Type, fun: FunId },
    Local { def: Rc<LocalFun<'a>>, ty: Type, fun: FunId },
    Builtin { name: &'static str, ty: Type, fun: FunId },
}

/// The function being lowered.
struct FunCtx<'a> {
    vars: HashMap<BindId, VarId>,
    var_tys: Vec<Ty>,
    scope: Vec<(String, Binding<'a>)>,
    subst: Subst,
    /// The Core name, as a prefix for its local functions.
    path: String,
    /// The top-level definition it belongs to, for lambda messages.
    top_name: String,
    /// How the interpreter names this function in a failed pattern
    /// binding's message.
    error_name: String,
    item: usize,
}

struct Lowerer<'a, 'i> {
    info: &'i TypeInfo,
    groups: &'i [ast::TopGroup<'a>],
    funs: Vec<Option<Fun>>,
    /// (function key, instance type) to the reserved Core function.
    instances: HashMap<(String, String), FunId>,
    jobs: Vec<Job<'a>>,
    next_bind: BindId,
    next_local: usize,
    depth: usize,
    /// The tuple types met so far (`Ty::Tuple(i)` is entry `i`); interned
    /// behind a `RefCell` so that computing a type needs only `&self`.
    tuples: RefCell<Vec<Vec<Ty>>>,
    /// The list types met so far, by element type (`Ty::List(i)`).
    lists: RefCell<Vec<Ty>>,
    /// The data type instances met so far (`Ty::Data(i)`), and their index
    /// by type key (reserved before their fields are computed, so a
    /// recursive type refers to itself).
    datas: RefCell<Vec<super::DataTy>>,
    data_keys: RefCell<HashMap<String, u32>>,
    /// The program's data type definitions, by name.
    typedefs: HashMap<String, ast::TypeDef>,
    program: &'a ast::Program,
    /// The function types met so far (`Ty::Fun(i)`: argument, result).
    fun_tys: RefCell<Vec<(Ty, Ty)>>,
    /// The closure shapes (captured types) met so far.
    shapes: Vec<Vec<Ty>>,
    /// The record types met so far (`Ty::Record(i)`), fields sorted.
    records: RefCell<Vec<Vec<(String, Ty)>>>,
    /// The curried stages of functions used as values: (function, stage
    /// number from 1) to the stage's Core function.
    stages: HashMap<(FunId, usize), FunId>,
    /// The variable types of the function being built by hand (a prelude
    /// body or loop).
    scratch: Vec<Ty>,
    /// The Core type of each top-level value (by `GlobalId`).
    global_tys: Vec<Ty>,
    /// How many instances each source function has.
    instance_counts: HashMap<String, usize>,
    /// How many times polymorphic local values were lowered at a use.
    value_uses: usize,
}

/// A function known by name: its Core instance, the values it captures
/// (leading arguments) and how many source arguments it takes.
struct Known {
    fun: FunId,
    captures: Vec<Expr>,
    arity: usize,
}

/// The program's data type definitions by name (the first one of a name),
/// with the prelude's `Result a e = Ok a | Err e` and `Maybe a = Just a |
/// None` (as `types::prelude` declares them, in that constructor order).
fn typedefs(program: &ast::Program) -> HashMap<String, ast::TypeDef> {
    let id = |name: &str| ast::Ident { name: name.into(), span: Default::default() };
    let var = |name: &str| ast::TypeExpr::Var(id(name));
    let variant = |name: &str, fields: Vec<ast::TypeExpr>| ast::Variant { name: id(name), fields, span: Default::default() };
    let mut defs = HashMap::new();
    for item in &program.items {
        if let ast::Item::TypeDef(def) = item {
            defs.entry(def.name.name.clone()).or_insert_with(|| def.clone());
        }
    }
    let prelude = [
        ("Result", vec![id("a"), id("e")], vec![variant("Ok", vec![var("a")]), variant("Err", vec![var("e")])]),
        ("Maybe", vec![id("a")], vec![variant("Just", vec![var("a")]), variant("None", Vec::new())]),
    ];
    for (name, params, variants) in prelude {
        defs.entry(name.to_string()).or_insert_with(|| ast::TypeDef { name: id(name), params, variants, doc: None, span: Default::default() });
    }
    defs
}

/// A constructor: its tag (index in its type) and its arity. The
/// program's own types come first, in source order (a constructor there
/// shadows the prelude's: `Status = Ok | Failed String`), then the
/// prelude's; never in hash order.
fn find_con(defs: &HashMap<String, ast::TypeDef>, program: &ast::Program, name: &str) -> Option<(u32, usize)> {
    let user = program.items.iter().filter_map(|item| match item {
        ast::Item::TypeDef(def) => defs.get(&def.name.name),
        _ => None,
    });
    let prelude = ["Result", "Maybe"].into_iter().filter_map(|n| defs.get(n));
    user.chain(prelude).find_map(|def| def.variants.iter().position(|v| v.name.name == name).map(|i| (i as u32, def.variants[i].fields.len())))
}

/// The type a constructor argument has, its type parameters replaced by
/// `args`; `None` for what the JIT cannot represent yet.
fn field_type(t: &ast::TypeExpr, params: &[ast::Ident], args: &[Type]) -> Option<Type> {
    Some(match t {
        ast::TypeExpr::Var(v) => params.iter().position(|p| p.name == v.name).and_then(|i| args.get(i)).cloned()?,
        ast::TypeExpr::Unit(_) => Type::Unit,
        ast::TypeExpr::Tuple(items, _) => Type::Tuple(items.iter().map(|i| field_type(i, params, args)).collect::<Option<_>>()?),
        ast::TypeExpr::List(e, _) => Type::List(Box::new(field_type(e, params, args)?)),
        ast::TypeExpr::Con(name, targs) => match (name.name.as_str(), targs.len()) {
            ("Int", 0) => Type::Int,
            ("Float", 0) => Type::Float,
            ("Bool", 0) => Type::Bool,
            ("Char", 0) => Type::Char,
            ("String", 0) => Type::String,
            (other, _) => Type::Con(other.to_string(), targs.iter().map(|a| field_type(a, params, args)).collect::<Option<_>>()?),
        },
        ast::TypeExpr::Fun(a, r) => Type::Fun(Box::new(field_type(a, params, args)?), Box::new(field_type(r, params, args)?)),
        ast::TypeExpr::Record(fields, _) => Type::Record(fields.iter().map(|(k, t)| Some((k.name.clone(), field_type(t, params, args)?))).collect::<Option<_>>()?, None),
        ast::TypeExpr::Error(_) => return None,
    })
}

/// An argument of a call: still to lower, or already lowered (the left
/// operand of `|>`, evaluated before the call).
enum Arg<'e> {
    Ast(&'e ast::Expr),
    Done(Expr),
}

impl<'a, 'i> Lowerer<'a, 'i> {
    /// The Core type of a ground source type; tuple types are interned.
    fn core_ty(&self, t: &Type) -> Result<Ty> {
        self.core_ty_at(t, 0)
    }

    fn core_ty_at(&self, t: &Type, depth: usize) -> Result<Ty> {
        if depth > MAX_DEPTH {
            return Err(Unsupported::new("types nested this deeply"));
        }
        Ok(match t {
            Type::Int => Ty::Int,
            Type::Float => Ty::Float,
            Type::Bool => Ty::Bool,
            Type::Char => Ty::Char,
            Type::Unit | Type::Var(_) => Ty::Unit,
            Type::String => Ty::Str,
            Type::Tuple(items) => {
                let fields = items.iter().map(|i| self.core_ty_at(i, depth + 1)).collect::<Result<Vec<_>>>()?;
                let mut tuples = self.tuples.borrow_mut();
                let index = match tuples.iter().position(|f| *f == fields) {
                    Some(i) => i,
                    None => {
                        tuples.push(fields);
                        tuples.len() - 1
                    }
                };
                Ty::Tuple(index as u32)
            }
            Type::List(elem) => {
                let elem = self.core_ty_at(elem, depth + 1)?;
                let mut lists = self.lists.borrow_mut();
                let index = match lists.iter().position(|e| *e == elem) {
                    Some(i) => i,
                    None => {
                        lists.push(elem);
                        lists.len() - 1
                    }
                };
                Ty::List(index as u32)
            }
            Type::Con(name, _) => {
                // Variables no value depends on are `()` (as in `core_ty` of
                // a variable), so `Tree ?1` and `Tree ()` are one type.
                let grounded = ground(t);
                let Type::Con(_, args) = &grounded else { return Err(Unsupported("internal: grounding changed a type".into())) };
                let key = type_key(&grounded);
                if let Some(&index) = self.data_keys.borrow().get(&key) {
                    return Ok(Ty::Data(index));
                }
                let def = self.typedefs.get(name.as_str()).ok_or_else(|| Unsupported::new(&format!("the type `{name}`")))?;
                let index = {
                    let mut datas = self.datas.borrow_mut();
                    datas.push(super::DataTy { name: name.clone(), cons: Vec::new() });
                    (datas.len() - 1) as u32
                };
                self.data_keys.borrow_mut().insert(key, index);
                let mut cons = Vec::new();
                for variant in &def.variants {
                    let mut fields = Vec::new();
                    for f in &variant.fields {
                        let ft = field_type(f, &def.params, args).ok_or_else(|| Unsupported("internal: a constructor field of an unknown type".into()))?;
                        fields.push(self.core_ty_at(&ft, depth + 1)?);
                    }
                    cons.push((variant.name.name.clone(), fields));
                }
                if let Some(slot) = self.datas.borrow_mut().get_mut(index as usize) {
                    slot.cons = cons;
                }
                Ty::Data(index)
            }
            Type::Fun(a, r) => {
                let pair = (self.core_ty_at(a, depth + 1)?, self.core_ty_at(r, depth + 1)?);
                let mut funs = self.fun_tys.borrow_mut();
                let index = match funs.iter().position(|p| *p == pair) {
                    Some(i) => i,
                    None => {
                        funs.push(pair);
                        funs.len() - 1
                    }
                };
                Ty::Fun(index as u32)
            }
            Type::Record(fields, _) => {
                let mut sorted = Vec::new();
                for (k, v) in fields {
                    sorted.push((k.clone(), self.core_ty_at(v, depth + 1)?));
                }
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                let mut records = self.records.borrow_mut();
                let index = match records.iter().position(|r| *r == sorted) {
                    Some(i) => i,
                    None => {
                        records.push(sorted);
                        records.len() - 1
                    }
                };
                Ty::Record(index as u32)
            }
            other => return Err(unsupported_type(other)),
        })
    }

    /// The argument and result types of a function type.
    fn fun_parts(&self, ty: Ty) -> Result<(Ty, Ty)> {
        match ty {
            Ty::Fun(i) => self.fun_tys.borrow().get(i as usize).copied().ok_or_else(|| Unsupported("internal: an unknown function type".into())),
            _ => Err(Unsupported("internal: a call of a value that is not a function".into())),
        }
    }

    /// The fields of a record type, sorted by name.
    fn record_fields(&self, ty: Ty) -> Result<Vec<(String, Ty)>> {
        match ty {
            Ty::Record(i) => self.records.borrow().get(i as usize).cloned().ok_or_else(|| Unsupported("internal: an unknown record type".into())),
            _ => Err(Unsupported("internal: a field of a value that is not a record".into())),
        }
    }

    /// A constructor by name (see [`find_con`]).
    fn find_con(&self, name: &str) -> Option<(u32, usize)> {
        find_con(&self.typedefs, self.program, name)
    }

    /// A constructor of the data type `ty`: its tag and arity.
    fn con_in(&self, ty: Ty, name: &str) -> Option<(u32, usize)> {
        let Ty::Data(index) = ty else { return None };
        let datas = self.datas.borrow();
        let cons = &datas.get(index as usize)?.cons;
        let tag = cons.iter().position(|(n, _)| n == name)?;
        Some((tag as u32, cons[tag].1.len()))
    }

    /// A constructor applied to all its arguments: an object whose field 0
    /// is the tag.
    fn construct(&self, name: &str, ty: Ty, args: Vec<Expr>) -> Result<Expr> {
        let Some((tag, arity)) = self.con_in(ty, name) else {
            return Err(Unsupported::new(&format!("the constructor `{name}` here")));
        };
        if args.len() != arity {
            return Err(Unsupported::new("partial application of constructors"));
        }
        let mut fields = vec![Expr::lit(Lit::Int(i64::from(tag)))];
        fields.extend(args);
        Ok(Expr::new(ty, ExprKind::Alloc(fields)))
    }

    /// A constructor as a function (for partial application and use as a
    /// value): a Core function of its arguments that builds the value.
    fn con_known(&mut self, name: &str, arity: usize, fun_ty: &Type) -> Result<Known> {
        let params = self.param_tys(fun_ty, arity)?;
        let ret = self.rest_tys(fun_ty, arity)?[arity];
        let fun = self.aux(format!("{name}<{}>", type_key(fun_ty)), params.clone(), ret, |this, _| {
            let args = params.iter().enumerate().map(|(i, t)| var(i as VarId, *t)).collect();
            this.construct(name, ret, args)
        })?;
        Ok(Known { fun, captures: Vec::new(), arity })
    }

    /// The field types of a tuple type, or of a cons cell of a list type.
    fn fields_of(&self, ty: Ty) -> Result<Vec<Ty>> {
        match ty {
            Ty::Tuple(i) => self.tuples.borrow().get(i as usize).cloned().ok_or_else(|| Unsupported("internal: an unknown tuple type".into())),
            Ty::List(i) => self.lists.borrow().get(i as usize).map(|e| vec![*e, ty]).ok_or_else(|| Unsupported("internal: an unknown list type".into())),
            _ => Err(Unsupported("internal: a structured pattern on a scalar".into())),
        }
    }

    fn reserve(&mut self, _name: String) -> FunId {
        self.funs.push(None);
        self.funs.len() - 1
    }

    fn def_type(&self, eq: &ast::Equation) -> Result<Type> {
        self.info.def_types.get(&eq.name.span.start).cloned().ok_or_else(|| Unsupported("internal: no type recorded for a definition".into()))
    }

    fn unique_name(&self, base: &str) -> String {
        let taken = |n: &str| self.funs.iter().flatten().any(|f| f.name == n);
        if !taken(base) {
            return base.to_string();
        }
        (2..).map(|i| format!("{base}#{i}")).find(|n| !taken(n)).unwrap_or_default()
    }

    fn run_job(&mut self, job: Job<'a>, global_index: &HashMap<usize, usize>) -> Result<()> {
        let (fun_id, fun) = match job {
            Job::Value { group, fun } => {
                let g = &self.groups[group];
                let eq = g.equations[0];
                let mut ctx = self.new_ctx(Subst::new(), g.name.to_string(), g.name.to_string(), g.first_item);
                ctx.error_name = "a top-level value".into();
                let body = self.expr(&mut ctx, &eq.body, global_index)?;
                let ret = body.ty;
                (fun, Fun { name: self.unique_name(g.name), params: Vec::new(), ret, body, vars: ctx.var_tys.len() as u32 })
            }
            Job::Top { group, ty, fun } => {
                let g = &self.groups[group];
                let mut subst = Subst::new();
                match_type(&self.def_type(g.equations[0])?, &ty, &mut subst);
                let name = if has_vars(&self.def_type(g.equations[0])?) { format!("{}<{}>", g.name, type_key(&ty)) } else { g.name.to_string() };
                let mut ctx = self.new_ctx(subst, name.clone(), g.name.to_string(), g.first_item);
                let clauses: Vec<_> = g.equations.iter().map(|e| (e.params.as_slice(), &e.body)).collect();
                let no_match = format!("no equation of `{}` matches its arguments", g.name);
                let f = self.function(&mut ctx, &name, &[], &ty, &clauses, &no_match, global_index)?;
                (fun, f)
            }
            Job::Local { def, ty, fun } => {
                let mut subst = def.subst.clone();
                let own = def.own.clone();
                match_type(&own, &ty, &mut subst);
                let name = if has_vars(&apply(&own, &def.subst)) { format!("{}<{}>", def.path, type_key(&ty)) } else { def.path.clone() };
                let mut ctx = self.new_ctx(subst, name.clone(), String::new(), def.item);
                ctx.top_name = def.path.split('.').next().unwrap_or_default().to_string();
                ctx.error_name = if def.name == "lambda" { ctx.top_name.clone() } else { def.name.clone() };
                ctx.scope = def.scope.clone();
                ctx.scope.push((def.name.clone(), Binding::LocalFun(def.clone())));
                let f = self.function(&mut ctx, &name, &def.captures, &ty, &def.clauses, &def.no_match, global_index)?;
                (fun, f)
            }
            Job::Builtin { name, ty, fun } => (fun, self.builtin_fun(name, &ty, fun)?),
        };
        if let Some(slot) = self.funs.get_mut(fun_id) {
            *slot = Some(fun);
        }
        Ok(())
    }

    fn new_ctx(&self, subst: Subst, path: String, top_name: String, item: usize) -> FunCtx<'a> {
        let error_name = top_name.clone();
        FunCtx { vars: HashMap::new(), var_tys: Vec::new(), scope: Vec::new(), subst, path, top_name, error_name, item }
    }

    fn new_var(&mut self, ctx: &mut FunCtx<'a>, ty: Ty) -> (BindId, VarId) {
        let var = ctx.var_tys.len() as VarId;
        ctx.var_tys.push(ty);
        let bind = self.next_bind;
        self.next_bind += 1;
        ctx.vars.insert(bind, var);
        (bind, var)
    }

    /// Lowers the clauses of a function instance of type `ty` (a curried
    /// function type with one arrow per parameter) whose leading parameters
    /// are `captures`.
    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        ctx: &mut FunCtx<'a>,
        name: &str,
        captures: &[(BindId, Ty)],
        ty: &Type,
        clauses: &[(&'a [ast::Pat], &'a ast::Expr)],
        no_match: &str,
        global_index: &HashMap<usize, usize>,
    ) -> Result<Fun> {
        let arity = clauses.first().map_or(0, |c| c.0.len());
        let mut params = Vec::new();
        for (bind, t) in captures {
            let var = ctx.var_tys.len() as VarId;
            ctx.var_tys.push(*t);
            ctx.vars.insert(*bind, var);
            params.push((var, *t));
        }
        let mut t = ty.clone();
        let mut arg_vars = Vec::new();
        for _ in 0..arity {
            let Type::Fun(a, r) = t else { return Err(Unsupported("internal: a function type has too few arrows".into())) };
            let pty = self.core_ty(&a)?;
            let (_, var) = self.new_var(ctx, pty);
            params.push((var, pty));
            arg_vars.push((var, pty));
            t = *r;
        }
        let ret = self.core_ty(&t)?;
        let mut alternatives = Vec::new();
        for (pats, body) in clauses.iter().filter(|c| c.0.len() == arity) {
            let mark = ctx.scope.len();
            let mut tests = Vec::new();
            let mut binds = Vec::new();
            for (pat, (var, pty)) in pats.iter().zip(&arg_vars) {
                let path = Expr::new(*pty, ExprKind::Var(*var));
                self.pattern(ctx, pat, path, &mut tests, &mut binds)?;
            }
            let body = self.expr(ctx, body, global_index)?;
            ctx.scope.truncate(mark);
            let irrefutable = tests.is_empty();
            alternatives.push((binds, tests, body));
            if irrefutable {
                break;
            }
        }
        let mut result = Expr::fail(ret, no_match.to_string());
        for (binds, tests, mut body) in alternatives.into_iter().rev() {
            // Variables are bound once every test has passed (a field of a
            // list exists only then); each is read from the argument along
            // its path, so the tests need none of them.
            for (var, value) in binds.into_iter().rev() {
                body = Expr::new(ret, ExprKind::Let(var, Box::new(value), Box::new(body)));
            }
            result = match conjunction(tests) {
                None => body,
                Some(cond) => Expr::new(ret, ExprKind::If(Box::new(cond), Box::new(body), Box::new(result))),
            };
        }
        Ok(Fun { name: self.unique_name(name), params, ret, body: result, vars: ctx.var_tys.len() as u32 })
    }

    /// Matches `pat` against the value at `path` (an argument, or a chain
    /// of fields of one, read only after the tests before it passed): adds
    /// the tests it needs to `tests` and its variables to `binds`.
    fn pattern(&mut self, ctx: &mut FunCtx<'a>, pat: &ast::Pat, path: Expr, tests: &mut Vec<Expr>, binds: &mut Vec<(VarId, Expr)>) -> Result<()> {
        let ty = path.ty;
        let field = |path: &Expr, index: u32, fty: Ty| Expr::new(fty, ExprKind::Field(Box::new(path.clone()), index));
        match &pat.kind {
            PatKind::Wildcard | PatKind::Unit => {}
            PatKind::Var(name) => {
                let var = match path.kind {
                    ExprKind::Var(var) => var,
                    _ => {
                        let (_, var) = self.new_var(ctx, ty);
                        binds.push((var, path));
                        var
                    }
                };
                let bind = self.next_bind;
                self.next_bind += 1;
                ctx.vars.insert(bind, var);
                ctx.scope.push((name.clone(), Binding::Var(bind)));
            }
            PatKind::Lit(lit) => {
                let lit = literal(lit);
                let lty = Expr::lit(lit.clone()).ty;
                tests.push(Expr::new(Ty::Bool, ExprKind::Prim(Prim::Cmp(Cmp::Eq, lty), vec![path, Expr::lit(lit)])));
            }
            PatKind::Error => tests.push(Expr::lit(Lit::Bool(false))),
            PatKind::Tuple(items) => {
                let fields = self.fields_of(ty)?;
                for (index, (item, fty)) in items.iter().zip(fields).enumerate() {
                    self.pattern(ctx, item, field(&path, index as u32, fty), tests, binds)?;
                }
            }
            PatKind::Cons(head, tail) => {
                let fields = self.fields_of(ty)?;
                tests.push(Expr::new(Ty::Bool, ExprKind::Prim(Prim::IsCons, vec![path.clone()])));
                self.pattern(ctx, head, field(&path, 0, fields[0]), tests, binds)?;
                self.pattern(ctx, tail, field(&path, 1, ty), tests, binds)?;
            }
            PatKind::List(items) => {
                let fields = self.fields_of(ty)?;
                let mut rest = path;
                for item in items {
                    tests.push(Expr::new(Ty::Bool, ExprKind::Prim(Prim::IsCons, vec![rest.clone()])));
                    self.pattern(ctx, item, field(&rest, 0, fields[0]), tests, binds)?;
                    rest = field(&rest, 1, ty);
                }
                tests.push(Expr::new(Ty::Bool, ExprKind::Prim(Prim::IsNil, vec![rest])));
            }
            PatKind::Con(name, args) => {
                let Ty::Data(index) = ty else { return Err(Unsupported("internal: a constructor pattern on a non-data type".into())) };
                let Some((tag, _)) = self.con_in(ty, &name.name) else {
                    return Err(Unsupported::new(&format!("the constructor `{}` here", name.name)));
                };
                let fields = self.datas.borrow().get(index as usize).and_then(|d| d.cons.get(tag as usize)).map(|c| c.1.clone()).unwrap_or_default();
                let tag_of = field(&path, 0, Ty::Int);
                tests.push(Expr::new(Ty::Bool, ExprKind::Prim(Prim::Cmp(Cmp::Eq, Ty::Int), vec![tag_of, Expr::lit(Lit::Int(i64::from(tag)))])));
                for (i, (arg, fty)) in args.iter().zip(fields).enumerate() {
                    self.pattern(ctx, arg, field(&path, 1 + i as u32, fty), tests, binds)?;
                }
            }
            PatKind::Record(items) => {
                let fields = self.record_fields(ty)?;
                for (name, pat) in items {
                    let index = fields.iter().position(|(k, _)| *k == name.name).ok_or_else(|| Unsupported("internal: a missing record field".into()))?;
                    self.pattern(ctx, pat, field(&path, index as u32, fields[index].1), tests, binds)?;
                }
            }
        }
        Ok(())
    }

    /// The ground source type of expression `e` in the current instance.
    fn source_type(&self, ctx: &FunCtx<'a>, e: &ast::Expr) -> Result<Type> {
        let t = self.info.expr_types.get(&e.id).ok_or_else(|| Unsupported("internal: no type recorded for an expression".into()))?;
        Ok(ground(&apply(t, &ctx.subst)))
    }

    /// The ground Core type of expression `e` in the current instance.
    fn type_of(&self, ctx: &FunCtx<'a>, e: &ast::Expr) -> Result<Ty> {
        let t = self.info.expr_types.get(&e.id).ok_or_else(|| Unsupported("internal: no type recorded for an expression".into()))?;
        self.core_ty(&apply(t, &ctx.subst))
    }

    fn expr(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, gi: &HashMap<usize, usize>) -> Result<Expr> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH { Err(Unsupported::new("expressions nested this deeply")) } else { self.expr_inner(ctx, e, gi) };
        self.depth -= 1;
        result
    }

    fn expr_inner(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, gi: &HashMap<usize, usize>) -> Result<Expr> {
        Ok(match &e.kind {
            AK::Lit(lit) => Expr::lit(literal(lit)),
            AK::Unit => Expr::lit(Lit::Unit),
            AK::Var(name) => self.var(ctx, e, name, gi)?,
            AK::App(..) => {
                let mut args = Vec::new();
                let mut head = e;
                while let AK::App(f, a) = &head.kind {
                    args.push(Arg::Ast(a));
                    head = f;
                }
                args.reverse();
                let ty = self.type_of(ctx, e)?;
                self.call(ctx, head, args, ty, gi)?
            }
            AK::Cond(c, t, f) => {
                let ty = self.type_of(ctx, e)?;
                let c = self.expr(ctx, c, gi)?;
                let t = self.expr(ctx, t, gi)?;
                let f = self.expr(ctx, f, gi)?;
                Expr::new(ty, ExprKind::If(Box::new(c), Box::new(t), Box::new(f)))
            }
            AK::Binary(op, a, b) => self.binary(ctx, e, *op, a, b, gi)?,
            AK::Neg(inner) => {
                let ty = self.type_of(ctx, e)?;
                let prim = if ty == Ty::Float { Prim::FNeg } else { Prim::INeg };
                Expr::new(ty, ExprKind::Prim(prim, vec![self.expr(ctx, inner, gi)?]))
            }
            AK::Block(block) => self.block(ctx, block, gi)?,
            AK::Con(name) => {
                let ty = self.type_of(ctx, e)?;
                match self.find_con(name) {
                    Some((_, arity)) if arity > 0 => {
                        // A constructor used as a function value.
                        let fun_ty = self.source_type(ctx, e)?;
                        let known = self.con_known(name, arity, &fun_ty)?;
                        self.apply_known(ctx, known, &fun_ty, Vec::new(), ty, gi)?
                    }
                    _ => self.construct(name, ty, Vec::new())?,
                }
            }
            AK::Lambda(params, body) => self.lambda(ctx, e, params, body, gi)?,
            AK::Field(record, name) => {
                let ty = self.type_of(ctx, e)?;
                let r = self.expr(ctx, record, gi)?;
                let index = self.record_fields(r.ty)?.iter().position(|(k, _)| *k == name.name).ok_or_else(|| Unsupported("internal: a missing record field".into()))?;
                field(r, index as u32, ty)
            }
            AK::Record(fields) => {
                let ty = self.type_of(ctx, e)?;
                self.record(ctx, ty, None, fields, gi)?
            }
            AK::Update(record, fields) => {
                let ty = self.type_of(ctx, e)?;
                let r = self.expr(ctx, record, gi)?;
                self.record(ctx, ty, Some(r), fields, gi)?
            }
            AK::Tuple(items) => {
                let ty = self.type_of(ctx, e)?;
                let fields = items.iter().map(|i| self.expr(ctx, i, gi)).collect::<Result<Vec<_>>>()?;
                Expr::new(ty, ExprKind::Alloc(fields))
            }
            AK::List(items) => {
                let ty = self.type_of(ctx, e)?;
                let items = items.iter().map(|i| self.expr(ctx, i, gi)).collect::<Result<Vec<_>>>()?;
                let mut list = Expr::new(ty, ExprKind::Alloc(Vec::new()));
                for item in items.into_iter().rev() {
                    list = Expr::new(ty, ExprKind::Alloc(vec![item, list]));
                }
                list
            }
            AK::Range(from, to) => {
                let ty = self.type_of(ctx, e)?;
                let range = self.range(ty)?;
                let (from, to) = (self.expr(ctx, from, gi)?, self.expr(ctx, to, gi)?);
                Expr::new(ty, ExprKind::Call(range, vec![from, to]))
            }
            AK::Comprehension(body, quals) => {
                let ty = self.type_of(ctx, e)?;
                let nil = Expr::new(ty, ExprKind::Alloc(Vec::new()));
                let reversed = self.comp_rest(ctx, quals, body, nil.clone(), ty, gi)?;
                let rev = self.rev(ty)?;
                Expr::new(ty, ExprKind::Call(rev, vec![reversed, nil]))
            }
            AK::Interp(parts) => {
                let mut text: Option<Expr> = None;
                for part in parts {
                    let piece = match part {
                        ast::InterpPart::Text(t) => Expr::lit(Lit::Str(t.clone())),
                        ast::InterpPart::Expr(x) => {
                            let x = self.expr(ctx, x, gi)?;
                            Expr::new(Ty::Str, ExprKind::Prim(Prim::Display(x.ty), vec![x]))
                        }
                    };
                    text = Some(match text {
                        None => piece,
                        Some(t) => Expr::new(Ty::Str, ExprKind::Prim(Prim::Concat, vec![t, piece])),
                    });
                }
                text.unwrap_or_else(|| Expr::lit(Lit::Str(String::new())))
            }
            AK::Hole => Expr::fail(self.type_of(ctx, e).unwrap_or(Ty::Unit), "internal: evaluated an unfinished expression".into()),
            AK::Error => Expr::fail(self.type_of(ctx, e).unwrap_or(Ty::Unit), "internal: evaluated an expression that did not parse".into()),
        })
    }

    /// Resolves `name` as the interpreter does: local scopes, then a
    /// visible top-level definition, then the prelude, then a top-level
    /// definition visible only later.
    fn resolve(&self, ctx: &FunCtx<'a>, name: &str) -> Resolved<'a> {
        if let Some((_, binding)) = ctx.scope.iter().rev().find(|(n, _)| n == name) {
            return Resolved::Local(binding.clone());
        }
        let global = self.groups.iter().position(|g| g.name == name);
        if let Some(index) = global {
            if self.groups[index].visible_from <= ctx.item {
                return Resolved::Top(index);
            }
        }
        if is_builtin(name) {
            return Resolved::Builtin;
        }
        match global {
            Some(index) => Resolved::Top(index),
            None => Resolved::Unknown,
        }
    }

    fn var(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, name: &str, gi: &HashMap<usize, usize>) -> Result<Expr> {
        let ty = self.type_of(ctx, e)?;
        match self.resolve(ctx, name) {
            Resolved::Local(Binding::Var(bind)) => {
                let var = *ctx.vars.get(&bind).ok_or_else(|| Unsupported("internal: a captured variable is missing".into()))?;
                let own = ctx.var_tys.get(var as usize).copied().unwrap_or(Ty::Unit);
                if own != ty {
                    // A let-generalised local value used at an instance: its
                    // quantified variables became `()`, so the positions
                    // they stand for hold no value, and the same object is
                    // a value of the instance type too.
                    if own == Ty::Unit {
                        return Ok(Expr::fail(ty, format!("internal: `{name}` has no value")));
                    }
                    if !self.coercible(own, ty, 0) {
                        return Err(Unsupported::new("polymorphic local function values"));
                    }
                }
                Ok(Expr::new(ty, ExprKind::Var(var)))
            }
            Resolved::Local(Binding::Recursive) => Ok(Expr::fail(ty, format!("`{name}` is used in its own definition"))),
            Resolved::Local(Binding::Value(v)) => {
                let item = ctx.item;
                self.value_at_use(ctx, e, &v, item, gi)
            }
            Resolved::Top(index) if gi.contains_key(&index) => {
                let global = gi[&index];
                let own = self.global_tys.get(global).copied().unwrap_or(Ty::Unit);
                if own != ty && own != Ty::Unit && !self.coercible(own, ty, 0) {
                    return self.top_value_at_use(ctx, e, index, gi);
                }
                Ok(Expr::new(ty, ExprKind::Global(global)))
            }
            Resolved::Unknown => Ok(Expr::fail(ty, format!("internal: unknown name `{name}`"))),
            _ => {
                // A function known by name used as a value: a closure.
                let fun_ty = self.info.var_types.get(&e.id).map(|t| ground(&apply(t, &ctx.subst))).ok_or_else(|| Unsupported("internal: no type recorded for a variable".into()))?;
                let known = self.known(ctx, name, &fun_ty)?.ok_or_else(|| Unsupported::new(&format!("`{name}` used as a value")))?;
                self.apply_known(ctx, known, &fun_ty, Vec::new(), ty, gi)
            }
        }
    }

    fn call(&mut self, ctx: &mut FunCtx<'a>, head: &'a ast::Expr, args: Vec<Arg<'a>>, ty: Ty, gi: &HashMap<usize, usize>) -> Result<Expr> {
        if let AK::Con(con) = &head.kind {
            match self.find_con(con) {
                Some((_, arity)) if arity != args.len() => {
                    let fun_ty = self.source_type(ctx, head)?;
                    let known = self.con_known(con, arity, &fun_ty)?;
                    return self.apply_known(ctx, known, &fun_ty, args, ty, gi);
                }
                _ => {
                    let mut lowered = Vec::new();
                    self.args(ctx, args, &mut lowered, gi)?;
                    return self.construct(con, ty, lowered);
                }
            }
        }
        if let AK::Var(name) = &head.kind {
            let fun_ty = self.info.var_types.get(&head.id).map(|t| ground(&apply(t, &ctx.subst)));
            let fun_ty = fun_ty.ok_or_else(|| Unsupported("internal: no type recorded for a call".into()))?;
            match self.resolve(ctx, name) {
                Resolved::Local(Binding::Recursive) => return Ok(Expr::fail(ty, format!("`{name}` is used in its own definition"))),
                Resolved::Unknown => return Ok(Expr::fail(ty, format!("internal: unknown name `{name}`"))),
                Resolved::Builtin if builtin_arity(name) == Some(args.len()) => {
                    self.prelude_clash(name)?;
                    let mut lowered = Vec::new();
                    self.args(ctx, args, &mut lowered, gi)?;
                    let tys = self.param_tys(&fun_ty, lowered.len())?;
                    // Inline bodies number their variables in `scratch`.
                    self.scratch = std::mem::take(&mut ctx.var_tys);
                    let inline = self.inline_builtin(name, &tys, &mut lowered, ty);
                    ctx.var_tys = std::mem::take(&mut self.scratch);
                    if let Some(x) = inline? {
                        return Ok(x);
                    }
                    let known = self.known(ctx, name, &fun_ty)?.ok_or_else(|| Unsupported::new(&format!("the prelude function `{name}`")))?;
                    return self.apply_known(ctx, known, &fun_ty, lowered.into_iter().map(Arg::Done).collect(), ty, gi);
                }
                _ => {}
            }
            if let Some(known) = self.known(ctx, name, &fun_ty)? {
                return self.apply_known(ctx, known, &fun_ty, args, ty, gi);
            }
        }
        // A computed function: its value, applied one argument at a time.
        let f = self.expr(ctx, head, gi)?;
        let mut lowered = Vec::new();
        self.args(ctx, args, &mut lowered, gi)?;
        self.apply_values(f, lowered)
    }

    /// Applies a closure to arguments, one at a time.
    fn apply_values(&self, mut f: Expr, args: Vec<Expr>) -> Result<Expr> {
        for a in args {
            let (_, ret) = self.fun_parts(f.ty)?;
            f = Expr::new(ret, ExprKind::Apply(Box::new(f), Box::new(a)));
        }
        Ok(f)
    }

    /// The Core types of the first `n` parameters of a function type.
    fn param_tys(&self, fun_ty: &Type, n: usize) -> Result<Vec<Ty>> {
        let mut t = fun_ty;
        let mut tys = Vec::new();
        for _ in 0..n {
            let Type::Fun(a, r) = t else { return Err(Unsupported("internal: a function type has too few arrows".into())) };
            tys.push(self.core_ty(a)?);
            t = r;
        }
        Ok(tys)
    }

    /// The Core types of `fun_ty` after 0, 1, ..., `n` arguments.
    fn rest_tys(&self, fun_ty: &Type, n: usize) -> Result<Vec<Ty>> {
        let mut t = fun_ty;
        let mut tys = vec![self.core_ty(t)?];
        for _ in 0..n {
            let Type::Fun(_, r) = t else { return Err(Unsupported("internal: a function type has too few arrows".into())) };
            t = r;
            tys.push(self.core_ty(t)?);
        }
        Ok(tys)
    }

    /// The Core function a name stands for at type `fun_ty`, when it is a
    /// function known by name (top-level, local or prelude).
    fn known(&mut self, ctx: &FunCtx<'a>, name: &str, fun_ty: &Type) -> Result<Option<Known>> {
        Ok(match self.resolve(ctx, name) {
            Resolved::Local(Binding::LocalFun(def)) => Some(self.known_local(ctx, &def, fun_ty)?),
            Resolved::Top(index) if self.groups[index].arity() > 0 => {
                let key = self.instance_key(format!("top:{index}"), fun_ty)?;
                let fun = match self.instances.get(&key) {
                    Some(&f) => f,
                    None => {
                        let f = self.reserve(name.to_string());
                        self.instances.insert(key, f);
                        self.jobs.push(Job::Top { group: index, ty: fun_ty.clone(), fun: f });
                        f
                    }
                };
                Some(Known { fun, captures: Vec::new(), arity: self.groups[index].arity() })
            }
            Resolved::Builtin => {
                self.prelude_clash(name)?;
                let Some(arity) = builtin_arity(name) else { return Ok(None) };
                let Some(&(static_name, _)) = crate::types::PRELUDE.iter().find(|(n, _)| *n == name) else { return Ok(None) };
                let key = self.instance_key(format!("builtin:{name}"), fun_ty)?;
                let fun = match self.instances.get(&key) {
                    Some(&f) => f,
                    None => {
                        let f = self.reserve(name.to_string());
                        self.instances.insert(key, f);
                        self.jobs.push(Job::Builtin { name: static_name, ty: fun_ty.clone(), fun: f });
                        f
                    }
                };
                Some(Known { fun, captures: Vec::new(), arity })
            }
            _ => None,
        })
    }

    /// Refuses a prelude function on the prelude's `Maybe` or `Result`
    /// when the program defines a type of that name: the JIT knows types
    /// by name, so the two would be confused.
    fn prelude_clash(&self, name: &str) -> Result<()> {
        let uses = match name {
            "parse_int" | "parse_float" | "map_maybe" | "with_default" => "Maybe",
            "map_ok" | "and_then" | "unwrap_or" | "is_ok" | "is_err" => "Result",
            _ => return Ok(()),
        };
        let redefined = self.program.items.iter().any(|item| matches!(item, ast::Item::TypeDef(def) if def.name.name == uses));
        if redefined {
            return Err(Unsupported::new(&format!("`{name}` in a program that defines its own `{uses}`")));
        }
        Ok(())
    }

    /// The key of a function's instance at `fun_ty`. Polymorphic recursion
    /// through a signature (`f : a -> Int` with `f x = f (x, x)`) would need
    /// endlessly many, ever larger instances: a bound on the instances of
    /// one function and on the size of a type refuses it instead.
    fn instance_key(&mut self, base: String, fun_ty: &Type) -> Result<(String, String)> {
        const MAX_INSTANCES: usize = 200;
        const MAX_TYPE_TEXT: usize = 4000;
        let text = type_key(fun_ty);
        if text.len() > MAX_TYPE_TEXT {
            return Err(Unsupported::new("polymorphic recursion (types this large)"));
        }
        let key = (base, text);
        if !self.instances.contains_key(&key) {
            let count = self.instance_counts.entry(key.0.clone()).or_insert(0);
            *count += 1;
            if *count > MAX_INSTANCES {
                return Err(Unsupported::new("polymorphic recursion (this many instances of one function)"));
            }
        }
        Ok(key)
    }

    fn known_local(&mut self, ctx: &FunCtx<'a>, def: &Rc<LocalFun<'a>>, fun_ty: &Type) -> Result<Known> {
        let key = self.instance_key(format!("local:{}", def.id), fun_ty)?;
        let fun = match self.instances.get(&key) {
            Some(&f) => f,
            None => {
                let f = self.reserve(def.path.clone());
                self.instances.insert(key, f);
                self.jobs.push(Job::Local { def: def.clone(), ty: fun_ty.clone(), fun: f });
                f
            }
        };
        let mut captures = Vec::new();
        for (bind, t) in &def.captures {
            let var = *ctx.vars.get(bind).ok_or_else(|| Unsupported("internal: a capture is out of scope".into()))?;
            captures.push(Expr::new(*t, ExprKind::Var(var)));
        }
        Ok(Known { fun, captures, arity: def.clauses.first().map_or(0, |c| c.0.len()) })
    }

    /// A known function applied to some arguments: a call when they are
    /// exactly its arity, a closure when fewer, a call whose result is
    /// applied to the rest when more.
    fn apply_known(&mut self, ctx: &mut FunCtx<'a>, known: Known, fun_ty: &Type, args: Vec<Arg<'a>>, ty: Ty, gi: &HashMap<usize, usize>) -> Result<Expr> {
        let n = known.arity;
        let ncaps = known.captures.len();
        let mut values = known.captures;
        self.args(ctx, args, &mut values, gi)?;
        let given = values.len() - ncaps;
        if given == n {
            return Ok(Expr::new(ty, ExprKind::Call(known.fun, values)));
        }
        let params = self.param_tys(fun_ty, n)?;
        let rest = self.rest_tys(fun_ty, n)?;
        if given > n {
            let extra = values.split_off(ncaps + n);
            let result = Expr::new(rest[n], ExprKind::Call(known.fun, values));
            return self.apply_values(result, extra);
        }
        let cap_tys: Vec<Ty> = values.iter().take(ncaps).map(|v| v.ty).collect();
        let stage = self.stage(known.fun, &cap_tys, &params, &rest, given + 1)?;
        let shape_tys: Vec<Ty> = values.iter().map(|v| v.ty).collect();
        let shape = self.shape(shape_tys);
        let mut fields = vec![Expr::lit(Lit::Int(i64::from(shape))), Expr::new(Ty::Int, ExprKind::FunAddr(stage))];
        fields.extend(values);
        Ok(Expr::new(rest[given], ExprKind::Alloc(fields)))
    }

    /// The index of a closure shape (the types of the captured values).
    fn shape(&mut self, tys: Vec<Ty>) -> u32 {
        match self.shapes.iter().position(|s| *s == tys) {
            Some(i) => i as u32,
            None => {
                self.shapes.push(tys);
                (self.shapes.len() - 1) as u32
            }
        }
    }

    /// Stage `k` (from 1) of function `target` used as a curried value:
    /// the code of a closure that has captured the target's captures and
    /// its first `k - 1` arguments and takes argument `k`. The last stage
    /// calls the target; the others build the next closure.
    fn stage(&mut self, target: FunId, caps: &[Ty], params: &[Ty], rest: &[Ty], k: usize) -> Result<FunId> {
        if let Some(&f) = self.stages.get(&(target, k)) {
            return Ok(f);
        }
        let n = params.len();
        let fun = self.reserve(String::new());
        self.stages.insert((target, k), fun);
        let env_ty = rest[k - 1];
        let arg_ty = params[k - 1];
        let ret = rest[k];
        let captured: Vec<Ty> = caps.iter().chain(&params[..k - 1]).copied().collect();
        let mut values: Vec<Expr> = captured.iter().enumerate().map(|(i, t)| Expr::new(*t, ExprKind::Field(Box::new(Expr::new(env_ty, ExprKind::Var(0))), 2 + i as u32))).collect();
        values.push(Expr::new(arg_ty, ExprKind::Var(1)));
        let body = if k == n {
            Expr::new(ret, ExprKind::Call(target, values))
        } else {
            let next = self.stage(target, caps, params, rest, k + 1)?;
            let shape = self.shape(values.iter().map(|v| v.ty).collect());
            let mut fields = vec![Expr::lit(Lit::Int(i64::from(shape))), Expr::new(Ty::Int, ExprKind::FunAddr(next))];
            fields.extend(values);
            Expr::new(ret, ExprKind::Alloc(fields))
        };
        let name = self.unique_name(&format!("stage{k}.f{target}"));
        if let Some(slot) = self.funs.get_mut(fun) {
            *slot = Some(Fun { name, params: vec![(0, env_ty), (1, arg_ty)], ret, body, vars: 2 });
        }
        Ok(fun)
    }

    /// A lambda: a local function with one clause, as a closure.
    fn lambda(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, params: &'a [ast::Pat], body: &'a ast::Expr, gi: &HashMap<usize, usize>) -> Result<Expr> {
        let own = self.info.expr_types.get(&e.id).cloned().ok_or_else(|| Unsupported("internal: no type recorded for a lambda".into()))?;
        let no_match = format!("the arguments of a lambda in `{}` do not match its patterns", ctx.top_name);
        let def = self.local_def(ctx, "lambda", own.clone(), vec![(params, body)], no_match);
        let fun_ty = ground(&apply(&own, &ctx.subst));
        let ty = self.core_ty(&fun_ty)?;
        let known = self.known_local(ctx, &def, &fun_ty)?;
        self.apply_known(ctx, known, &fun_ty, Vec::new(), ty, gi)
    }

    fn args(&mut self, ctx: &mut FunCtx<'a>, args: Vec<Arg<'a>>, out: &mut Vec<Expr>, gi: &HashMap<usize, usize>) -> Result<()> {
        for arg in args {
            out.push(match arg {
                Arg::Ast(a) => self.expr(ctx, a, gi)?,
                Arg::Done(x) => x,
            });
        }
        Ok(())
    }

    fn binary(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, op: BinOp, a: &'a ast::Expr, b: &'a ast::Expr, gi: &HashMap<usize, usize>) -> Result<Expr> {
        let ty = self.type_of(ctx, e)?;
        let prim = match op {
            BinOp::Pipe => {
                // `x |> f a` is `f a x`, with `x` evaluated first.
                let x = self.expr(ctx, a, gi)?;
                let (_, var) = self.new_var(ctx, x.ty);
                let xv = Expr::new(x.ty, ExprKind::Var(var));
                let mut args = vec![Arg::Done(xv)];
                let mut head = b;
                while let AK::App(f, arg) = &head.kind {
                    args.push(Arg::Ast(arg));
                    head = f;
                }
                args.reverse();
                let call = self.call(ctx, head, args, ty, gi)?;
                return Ok(Expr::new(ty, ExprKind::Let(var, Box::new(x), Box::new(call))));
            }
            BinOp::And | BinOp::Or => {
                let a = self.expr(ctx, a, gi)?;
                let b = self.expr(ctx, b, gi)?;
                let (then, els) = if op == BinOp::And { (b, Expr::lit(Lit::Bool(false))) } else { (Expr::lit(Lit::Bool(true)), b) };
                return Ok(Expr::new(Ty::Bool, ExprKind::If(Box::new(a), Box::new(then), Box::new(els))));
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                let cmp = match op {
                    BinOp::Eq => Cmp::Eq,
                    BinOp::Ne => Cmp::Ne,
                    BinOp::Lt => Cmp::Lt,
                    BinOp::Gt => Cmp::Gt,
                    BinOp::Le => Cmp::Le,
                    _ => Cmp::Ge,
                };
                let operand = self.type_of(ctx, a)?;
                if operand.is_heap() && operand != Ty::Str {
                    if self.contains_function(operand, 0) {
                        return Err(Unsupported::new("comparisons of values holding functions"));
                    }
                    Prim::Binary(op, operand)
                } else {
                    Prim::Cmp(cmp, operand)
                }
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow => {
                let float = ty == Ty::Float;
                match (op, float) {
                    (BinOp::Add, false) => Prim::IAdd,
                    (BinOp::Sub, false) => Prim::ISub,
                    (BinOp::Mul, false) => Prim::IMul,
                    (BinOp::Div, false) => Prim::IDiv,
                    (BinOp::Mod, false) => Prim::IMod,
                    (BinOp::Pow, false) => Prim::IPow,
                    (BinOp::Add, true) => Prim::FAdd,
                    (BinOp::Sub, true) => Prim::FSub,
                    (BinOp::Mul, true) => Prim::FMul,
                    (BinOp::Div, true) => Prim::FDiv,
                    (BinOp::Pow, true) => Prim::FPow,
                    // `%` is Int only; the checker rejects it on Floats.
                    _ => return Err(Unsupported("internal: `%` on Floats".into())),
                }
            }
            BinOp::Cons => {
                let head = self.expr(ctx, a, gi)?;
                let tail = self.expr(ctx, b, gi)?;
                return Ok(Expr::new(ty, ExprKind::Alloc(vec![head, tail])));
            }
            BinOp::Append if ty == Ty::Str => Prim::Concat,
            BinOp::Append => {
                // `xs ++ ys`: `xs` reversed twice, the second time onto `ys`.
                let rev = self.rev(ty)?;
                let (xs, ys) = (self.expr(ctx, a, gi)?, self.expr(ctx, b, gi)?);
                let nil = Expr::new(ty, ExprKind::Alloc(Vec::new()));
                let reversed = Expr::new(ty, ExprKind::Call(rev, vec![xs, nil]));
                return Ok(Expr::new(ty, ExprKind::Call(rev, vec![reversed, ys])));
            }
            BinOp::Compose => {
                // `f >> g` is a closure of `compose f g x = g (f x)`.
                let (ta, tb, te) = (self.source_type(ctx, a)?, self.source_type(ctx, b)?, self.source_type(ctx, e)?);
                let (ft, gt) = (self.core_ty(&ta)?, self.core_ty(&tb)?);
                let (xt, _) = self.fun_parts(ty)?;
                let (_, rt) = self.fun_parts(gt)?;
                let compose = self.aux(format!("compose<{ft:?},{gt:?}>"), vec![ft, gt, xt], rt, |this, _| {
                    let (_, y) = this.fun_parts(ft)?;
                    let fx = Expr::new(y, ExprKind::Apply(Box::new(var(0, ft)), Box::new(var(2, xt))));
                    Ok(Expr::new(rt, ExprKind::Apply(Box::new(var(1, gt)), Box::new(fx))))
                })?;
                let fun_ty = Type::Fun(Box::new(ta), Box::new(Type::Fun(Box::new(tb), Box::new(te))));
                let known = Known { fun: compose, captures: Vec::new(), arity: 3 };
                return self.apply_known(ctx, known, &fun_ty, vec![Arg::Ast(a), Arg::Ast(b)], ty, gi);
            }
        };
        let a = self.expr(ctx, a, gi)?;
        let b = self.expr(ctx, b, gi)?;
        Ok(Expr::new(ty, ExprKind::Prim(prim, vec![a, b])))
    }

    fn block(&mut self, ctx: &mut FunCtx<'a>, block: &'a ast::Block, gi: &HashMap<usize, usize>) -> Result<Expr> {
        enum Step {
            Let(VarId, Expr),
            Effect(Expr),
            Match(VarId, Expr, Vec<Expr>, Vec<(VarId, Expr)>),
        }
        let mark = ctx.scope.len();
        let mut steps = Vec::new();
        let mut i = 0;
        while let Some(stmt) = block.stmts.get(i) {
            i += 1;
            match stmt {
                ast::Stmt::Equation(eq) if !eq.params.is_empty() => {
                    let (clauses, next) = block.function_clauses(i - 1);
                    i = next;
                    let no_match = format!("no equation of `{}` matches its arguments", eq.name.name);
                    self.local_function(ctx, eq, clauses, no_match)?;
                }
                ast::Stmt::Equation(eq) => {
                    if let AK::Lambda(params, body) = &eq.body.kind {
                        let no_match = format!("the arguments of a lambda in `{}` do not match its patterns", ctx.top_name);
                        self.local_function(ctx, eq, vec![(params.as_slice(), &**body)], no_match)?;
                    } else if let Some(value) = self.local_value(ctx, &eq.name.name, &eq.body) {
                        ctx.scope.push((eq.name.name.clone(), Binding::Value(value)));
                    } else {
                        ctx.scope.push((eq.name.name.clone(), Binding::Recursive));
                        let value = self.expr(ctx, &eq.body, gi)?;
                        ctx.scope.pop();
                        let (bind, var) = self.new_var(ctx, value.ty);
                        ctx.scope.push((eq.name.name.clone(), Binding::Var(bind)));
                        steps.push(Step::Let(var, value));
                    }
                }
                ast::Stmt::Bind { pat, body, .. } if self.split_binding(ctx, pat, body) => {}
                ast::Stmt::Bind { pat, body, .. } => {
                    let value = self.expr(ctx, body, gi)?;
                    let (_, var) = self.new_var(ctx, value.ty);
                    let (mut tests, mut binds) = (Vec::new(), Vec::new());
                    self.pattern(ctx, pat, Expr::new(value.ty, ExprKind::Var(var)), &mut tests, &mut binds)?;
                    steps.push(Step::Match(var, value, tests, binds));
                }
                ast::Stmt::Expr(x) => steps.push(Step::Effect(self.expr(ctx, x, gi)?)),
            }
        }
        let mut result = self.expr(ctx, &block.result, gi)?;
        ctx.scope.truncate(mark);
        for step in steps.into_iter().rev() {
            let ty = result.ty;
            result = match step {
                Step::Let(var, value) => Expr::new(ty, ExprKind::Let(var, Box::new(value), Box::new(result))),
                Step::Effect(x) => Expr::new(ty, ExprKind::Seq(Box::new(x), Box::new(result))),
                Step::Match(var, value, tests, binds) => {
                    let mut body = result;
                    for (v, x) in binds.into_iter().rev() {
                        body = Expr::new(ty, ExprKind::Let(v, Box::new(x), Box::new(body)));
                    }
                    if let Some(test) = conjunction(tests) {
                        let message = format!("the pattern binding in `{}` does not match its value", ctx.error_name);
                        body = Expr::new(ty, ExprKind::If(Box::new(test), Box::new(body), Box::new(Expr::fail(ty, message))));
                    }
                    Expr::new(ty, ExprKind::Let(var, Box::new(value), Box::new(body)))
                }
            };
        }
        Ok(result)
    }

    /// The rest of a comprehension from qualifiers `quals` on: the
    /// accumulator `acc` (the results so far, newest first) with this
    /// rest's results added.
    fn comp_rest(&mut self, ctx: &mut FunCtx<'a>, quals: &'a [ast::Qual], body: &'a ast::Expr, acc: Expr, rty: Ty, gi: &HashMap<usize, usize>) -> Result<Expr> {
        match quals.split_first() {
            None => {
                let item = self.expr(ctx, body, gi)?;
                Ok(Expr::new(rty, ExprKind::Alloc(vec![item, acc])))
            }
            Some((ast::Qual::Guard(g), rest)) => {
                let g = self.expr(ctx, g, gi)?;
                let more = self.comp_rest(ctx, rest, body, acc.clone(), rty, gi)?;
                Ok(cond(g, more, acc))
            }
            Some((ast::Qual::Gen(pat, source), rest)) => {
                let xs = self.expr(ctx, source, gi)?;
                let (fun, captures) = self.comp_loop(ctx, pat, rest, body, xs.ty, rty, gi)?;
                let mut args = captures;
                args.push(xs);
                args.push(acc);
                Ok(Expr::new(rty, ExprKind::Call(fun, args)))
            }
        }
    }

    /// The loop of one generator: a Core function of the captured
    /// variables, the list still to draw from and the accumulator; an
    /// element that does not match the pattern is skipped.
    #[allow(clippy::too_many_arguments)]
    fn comp_loop(&mut self, ctx: &mut FunCtx<'a>, pat: &'a ast::Pat, rest: &'a [ast::Qual], body: &'a ast::Expr, lty: Ty, rty: Ty, gi: &HashMap<usize, usize>) -> Result<(FunId, Vec<Expr>)> {
        let mut names = Vec::new();
        for q in rest {
            match q {
                ast::Qual::Gen(_, x) | ast::Qual::Guard(x) => collect_names(x, &mut names, 0),
            }
        }
        collect_names(body, &mut names, 0);
        let captures = captures_of(ctx, &names, "");
        let mut capture_args = Vec::new();
        for (bind, t) in &captures {
            let var = *ctx.vars.get(bind).ok_or_else(|| Unsupported("internal: a capture is out of scope".into()))?;
            capture_args.push(Expr::new(*t, ExprKind::Var(var)));
        }
        let fun = self.reserve(String::new());
        let path = format!("{}.comp", ctx.path);
        let mut inner = self.new_ctx(ctx.subst.clone(), path.clone(), ctx.top_name.clone(), ctx.item);
        inner.scope = ctx.scope.clone();
        inner.error_name = ctx.error_name.clone();
        let mut params = Vec::new();
        for (bind, t) in &captures {
            let var = inner.var_tys.len() as VarId;
            inner.var_tys.push(*t);
            inner.vars.insert(*bind, var);
            params.push((var, *t));
        }
        let (_, xs) = self.new_var(&mut inner, lty);
        let (_, acc) = self.new_var(&mut inner, rty);
        params.push((xs, lty));
        params.push((acc, rty));
        let elem = self.fields_of(lty)?[0];
        let (mut tests, mut binds) = (Vec::new(), Vec::new());
        self.pattern(&mut inner, pat, field(var(xs, lty), 0, elem), &mut tests, &mut binds)?;
        let mut next = self.comp_rest(&mut inner, rest, body, var(acc, rty), rty, gi)?;
        for (v, x) in binds.into_iter().rev() {
            next = Expr::new(rty, ExprKind::Let(v, Box::new(x), Box::new(next)));
        }
        if let Some(test) = conjunction(tests) {
            next = cond(test, next, var(acc, rty));
        }
        let mut again: Vec<Expr> = params.iter().take(captures.len()).map(|(v, t)| var(*v, *t)).collect();
        again.push(field(var(xs, lty), 1, lty));
        again.push(next);
        let body = cond(is_nil(var(xs, lty)), var(acc, rty), Expr::new(rty, ExprKind::Call(fun, again)));
        let name = self.unique_name(&path);
        if let Some(slot) = self.funs.get_mut(fun) {
            *slot = Some(Fun { name, params, ret: rty, body, vars: inner.var_tys.len() as u32 });
        }
        Ok((fun, capture_args))
    }

    /// A local value `name = body` to instantiate at each use: a syntactic
    /// value whose type, in this instance, still has quantified variables
    /// and holds a function (other polymorphic values share one object).
    fn local_value(&mut self, ctx: &FunCtx<'a>, name: &str, body: &'a ast::Expr) -> Option<Rc<LocalValue<'a>>> {
        let own = self.info.expr_types.get(&body.id)?.clone();
        let here = apply(&own, &ctx.subst);
        let mut names = Vec::new();
        collect_names(body, &mut names, 0);
        if !has_vars(&here) || !has_fun(&here) || !self.is_value(ctx, body, 0) || names.iter().any(|n| n == name) {
            return None;
        }
        let captures = captures_of(ctx, &names, name);
        Some(Rc::new(LocalValue { body, own, subst: ctx.subst.clone(), scope: ctx.scope.clone(), captures }))
    }

    /// Whether evaluating `e` in `ctx`'s scope has no effect and cannot
    /// fail: a syntactic value, or an application of a top-level or prelude
    /// function to fewer arguments than it takes (a closure is all it
    /// builds), with values as arguments.
    fn is_value(&self, ctx: &FunCtx<'a>, e: &ast::Expr, depth: usize) -> bool {
        if is_syntactic_value(e, depth) {
            return true;
        }
        if depth > 50 {
            return false;
        }
        let mut head = e;
        let mut args = 0usize;
        while let AK::App(f, a) = &head.kind {
            if !self.is_value(ctx, a, depth + 1) {
                return false;
            }
            args += 1;
            head = f;
        }
        let AK::Var(name) = &head.kind else { return false };
        let arity = match self.resolve(ctx, name) {
            Resolved::Top(index) => self.groups[index].arity(),
            Resolved::Builtin => builtin_arity(name).unwrap_or(0),
            _ => 0,
        };
        args > 0 && args < arity
    }

    /// A polymorphic top-level value holding functions, used at a type its
    /// one object cannot serve (`ident = \x -> x` used at `Int` and at
    /// `Bool`): when it is a value (no effect, cannot fail: see
    /// [`Lowerer::is_value`]) that does not mention itself, its body is
    /// lowered again at this use's type, in its own top-level scope, as a
    /// local value is.
    fn top_value_at_use(&mut self, ctx: &mut FunCtx<'a>, e: &'a ast::Expr, index: usize, gi: &HashMap<usize, usize>) -> Result<Expr> {
        let group = &self.groups[index];
        let (name, eq, item) = (group.name, group.equations[0], group.first_item);
        let mut names = Vec::new();
        collect_names(&eq.body, &mut names, 0);
        // The body's names mean what they mean at its definition.
        let scope = std::mem::take(&mut ctx.scope);
        let outer_item = std::mem::replace(&mut ctx.item, item);
        let value = self.is_value(ctx, &eq.body, 0) && !names.iter().any(|n| n == name);
        ctx.scope = scope;
        ctx.item = outer_item;
        if !value {
            return Err(Unsupported::new("polymorphic top-level function values"));
        }
        let value = LocalValue { body: &eq.body, own: self.def_type(eq)?, subst: Subst::new(), scope: Vec::new(), captures: Vec::new() };
        self.value_at_use(ctx, e, &value, item, gi)
    }

    /// Lowers value `v` again at the type of its use `e`, with its names
    /// meaning what they mean at its definition (its scope, and `item` for
    /// the top-level names visible there).
    fn value_at_use(&mut self, ctx: &mut FunCtx<'a>, e: &ast::Expr, v: &LocalValue<'a>, item: usize, gi: &HashMap<usize, usize>) -> Result<Expr> {
        // Values built from values are lowered again at each use; a bound
        // keeps a chain of them from growing exponentially.
        self.value_uses += 1;
        if self.value_uses > 20_000 {
            return Err(Unsupported::new("this many uses of polymorphic local values"));
        }
        let use_ty = self.info.var_types.get(&e.id).map(|t| ground(&apply(t, &ctx.subst))).ok_or_else(|| Unsupported("internal: no type recorded for a variable".into()))?;
        let mut subst = v.subst.clone();
        match_type(&v.own, &use_ty, &mut subst);
        let outer_scope = std::mem::replace(&mut ctx.scope, v.scope.clone());
        let outer_subst = std::mem::replace(&mut ctx.subst, subst);
        let outer_item = std::mem::replace(&mut ctx.item, item);
        let value = self.expr(ctx, v.body, gi);
        ctx.scope = outer_scope;
        ctx.subst = outer_subst;
        ctx.item = outer_item;
        value
    }

    /// `(f, g) = (a, b)` of syntactic values and variable patterns, when a
    /// component is a polymorphic value holding functions: binds each
    /// variable as its own local value (see `local_value`).
    fn split_binding(&mut self, ctx: &mut FunCtx<'a>, pat: &'a ast::Pat, body: &'a ast::Expr) -> bool {
        let (PatKind::Tuple(pats), AK::Tuple(items)) = (&pat.kind, &body.kind) else { return false };
        if pats.len() != items.len() || !pats.iter().all(|p| matches!(p.kind, PatKind::Var(_) | PatKind::Wildcard)) {
            return false;
        }
        let mut values = Vec::new();
        for (p, item) in pats.iter().zip(items) {
            if let PatKind::Var(name) = &p.kind {
                match self.local_value(ctx, name, item) {
                    Some(v) => values.push((name.clone(), v)),
                    None => return false,
                }
            }
        }
        for (name, v) in values {
            ctx.scope.push((name, Binding::Value(v)));
        }
        true
    }

    /// A record of type `ty` from `fields` (in source order, evaluated
    /// first), the others taken from `base` (an update).
    fn record(&mut self, ctx: &mut FunCtx<'a>, ty: Ty, base: Option<Expr>, fields: &'a [(ast::Ident, ast::Expr)], gi: &HashMap<usize, usize>) -> Result<Expr> {
        let layout = self.record_fields(ty)?;
        let mut lets = Vec::new();
        let base = match base {
            Some(b) => {
                let (_, v) = self.new_var(ctx, b.ty);
                let bty = b.ty;
                lets.push((v, b));
                Some((v, bty, self.record_fields(bty)?))
            }
            None => None,
        };
        let mut given = Vec::new();
        for (name, x) in fields {
            let x = self.expr(ctx, x, gi)?;
            let (_, v) = self.new_var(ctx, x.ty);
            given.push((name.name.clone(), v, x.ty));
            lets.push((v, x));
        }
        let mut items = Vec::new();
        for (name, fty) in &layout {
            if let Some((_, v, t)) = given.iter().rev().find(|(n, _, _)| n == name) {
                items.push(var(*v, *t));
            } else if let Some((bv, bty, bfields)) = &base {
                let index = bfields.iter().position(|(k, _)| k == name).ok_or_else(|| Unsupported("internal: a missing record field".into()))?;
                items.push(field(var(*bv, *bty), index as u32, *fty));
            } else {
                return Err(Unsupported("internal: a record literal without a field".into()));
            }
        }
        let mut result = Expr::new(ty, ExprKind::Alloc(items));
        for (v, x) in lets.into_iter().rev() {
            result = Expr::new(ty, ExprKind::Let(v, Box::new(x), Box::new(result)));
        }
        Ok(result)
    }

    /// Defines a local function in the current scope: computes what it
    /// captures; it is lowered later, once per instance a call needs.
    fn local_function(&mut self, ctx: &mut FunCtx<'a>, eq: &'a ast::Equation, clauses: Vec<(&'a [ast::Pat], &'a ast::Expr)>, no_match: String) -> Result<()> {
        let own = self.info.def_types.get(&eq.name.span.start).cloned().ok_or_else(|| Unsupported("internal: no type for a local function".into()))?;
        let def = self.local_def(ctx, &eq.name.name, own, clauses, no_match);
        ctx.scope.push((eq.name.name.clone(), Binding::LocalFun(def)));
        Ok(())
    }

    /// A local function (or lambda) of type `own` defined in the current
    /// scope, with what it captures.
    fn local_def(&mut self, ctx: &mut FunCtx<'a>, fname: &str, own: Type, clauses: Vec<(&'a [ast::Pat], &'a ast::Expr)>, no_match: String) -> Rc<LocalFun<'a>> {
        let mut names = Vec::new();
        for (_, body) in &clauses {
            collect_names(body, &mut names, 0);
        }
        let captures = captures_of(ctx, &names, fname);
        let id = self.next_local;
        self.next_local += 1;
        Rc::new(LocalFun {
            id,
            name: fname.to_string(),
            path: format!("{}.{}", ctx.path, fname),
            no_match,
            clauses,
            own,
            subst: ctx.subst.clone(),
            captures,
            scope: ctx.scope.clone(),
            item: ctx.item,
        })
    }
}

/// The variables of the current scope a function defined here captures:
/// those whose names occur in its body (`names`, except its own name),
/// and what the local functions it calls capture.
fn captures_of(ctx: &FunCtx<'_>, names: &[String], own: &str) -> Vec<(BindId, Ty)> {
    let mut captures: Vec<(BindId, Ty)> = Vec::new();
    let add = |captures: &mut Vec<(BindId, Ty)>, c: (BindId, Ty)| {
        if !captures.iter().any(|(b, _)| *b == c.0) {
            captures.push(c);
        }
    };
    for name in names {
        if name == own {
            continue;
        }
        match ctx.scope.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b) {
            Some(Binding::Var(bind)) => {
                let ty = ctx.vars.get(bind).and_then(|v| ctx.var_tys.get(*v as usize)).copied().unwrap_or(Ty::Unit);
                add(&mut captures, (*bind, ty));
            }
            Some(Binding::LocalFun(other)) => {
                for c in &other.captures {
                    add(&mut captures, *c);
                }
            }
            Some(Binding::Value(v)) => {
                for c in &v.captures {
                    add(&mut captures, *c);
                }
            }
            Some(Binding::Recursive) | None => {}
        }
    }
    captures
}

enum Resolved<'a> {
    Local(Binding<'a>),
    Top(usize),
    Builtin,
    Unknown,
}

/// The prelude functions this increment compiles (others are reported
/// as unsupported where they are called).
fn is_builtin(name: &str) -> bool {
    crate::types::PRELUDE.iter().any(|(n, _)| *n == name)
}

/// How many arguments a prelude function takes (`None`: not a function).
fn builtin_arity(name: &str) -> Option<usize> {
    crate::interp::prelude::Builtin::lookup(name).map(|b| b.arity()).filter(|n| *n > 0)
}

/// Prelude functions without function arguments that the JIT runs through
/// the interpreter's own implementation (`Prim::Prelude`).
const BY_INTERPRETER: &[&str] = &[
    "sum", "product", "maximum", "minimum", "sort", "elem", "str_len", "str_slice", "str_find", "str_split", "str_join", "str_trim", "str_upper", "str_lower", "str_starts_with",
    "str_ends_with", "str_contains", "str_replace", "chars", "from_chars", "parse_int", "parse_float",
];

/// Core construction shorthands for the prelude's bodies.
fn var(v: VarId, ty: Ty) -> Expr {
    Expr::new(ty, ExprKind::Var(v))
}

fn field(object: Expr, index: u32, ty: Ty) -> Expr {
    Expr::new(ty, ExprKind::Field(Box::new(object), index))
}

fn cond(c: Expr, t: Expr, f: Expr) -> Expr {
    let ty = t.ty;
    Expr::new(ty, ExprKind::If(Box::new(c), Box::new(t), Box::new(f)))
}

fn is_nil(list: Expr) -> Expr {
    Expr::new(Ty::Bool, ExprKind::Prim(Prim::IsNil, vec![list]))
}

fn tag_is(data: Expr, tag: i64) -> Expr {
    Expr::new(Ty::Bool, ExprKind::Prim(Prim::Cmp(Cmp::Eq, Ty::Int), vec![field(data, 0, Ty::Int), Expr::lit(Lit::Int(tag))]))
}

impl<'a> Lowerer<'a, '_> {
    /// A saturated prelude call compiled in place, or `None` when it needs
    /// a Core function of its own (those taking functions).
    fn inline_builtin(&mut self, name: &str, tys: &[Ty], args: &mut Vec<Expr>, ty: Ty) -> Result<Option<Expr>> {
        let arg_ty = tys.first().copied().unwrap_or(Ty::Unit);
        let prim = |p: Prim, args: &mut Vec<Expr>| Ok(Some(Expr::new(ty, ExprKind::Prim(p, std::mem::take(args)))));
        let scalar = !arg_ty.is_heap();
        match name {
            "print" => prim(Prim::Print(arg_ty), args),
            "show" => prim(Prim::Show(arg_ty), args),
            "even" => prim(Prim::Even, args),
            "odd" => prim(Prim::Odd, args),
            "not" => prim(Prim::Not, args),
            "to_float" => prim(Prim::ToFloat, args),
            "sqrt" => prim(Prim::Sqrt, args),
            "ord" => prim(Prim::Ord, args),
            "chr" => prim(Prim::Chr, args),
            "truncate" => prim(Prim::FloatToInt(Rounding::Truncate), args),
            "floor" => prim(Prim::FloatToInt(Rounding::Floor), args),
            "ceil" => prim(Prim::FloatToInt(Rounding::Ceil), args),
            "round" => prim(Prim::FloatToInt(Rounding::Round), args),
            "abs" if arg_ty == Ty::Float => prim(Prim::FAbs, args),
            "abs" => prim(Prim::IAbs, args),
            "min" if scalar => prim(Prim::Min(arg_ty), args),
            "max" if scalar => prim(Prim::Max(arg_ty), args),
            "min" => prim(Prim::Prelude("min"), args),
            "max" => prim(Prim::Prelude("max"), args),
            "error" => {
                let msg = args.remove(0);
                Ok(Some(match msg.kind {
                    ExprKind::Lit(Lit::Str(s)) => Expr::fail(ty, format!("error: {s}")),
                    _ => Expr::new(ty, ExprKind::Fail(Failure::UserError(Box::new(msg)))),
                }))
            }
            "is_empty" => prim(Prim::IsNil, args),
            "head" | "tail" => {
                let xs = args.remove(0);
                let (_, v) = self.scratch_var(xs.ty);
                let value = field(var(v, xs.ty), if name == "head" { 0 } else { 1 }, ty);
                let body = cond(is_nil(var(v, xs.ty)), Expr::fail(ty, format!("{name} of an empty list")), value);
                Ok(Some(Expr::new(ty, ExprKind::Let(v, Box::new(xs), Box::new(body)))))
            }
            "is_ok" | "is_err" => {
                let r = args.remove(0);
                Ok(Some(tag_is(r, if name == "is_ok" { 0 } else { 1 })))
            }
            "unwrap_or" | "with_default" => {
                let default = args.remove(0);
                let r = args.remove(0);
                let (_, v) = self.scratch_var(r.ty);
                let body = cond(tag_is(var(v, r.ty), 0), field(var(v, r.ty), 1, ty), default);
                Ok(Some(Expr::new(ty, ExprKind::Let(v, Box::new(r), Box::new(body)))))
            }
            "length" | "reverse" | "drop" | "take" | "last" | "init" | "index" | "concat" | "zip" | "replicate" => {
                let f = self.list_loop(name, tys, ty)?;
                Ok(Some(Expr::new(ty, ExprKind::Call(f, std::mem::take(args)))))
            }
            "sum" | "product" if matches!(ty, Ty::Int | Ty::Float) && self.fields_of(arg_ty).ok().and_then(|f| f.first().copied()) == Some(ty) => {
                let f = self.list_loop(name, tys, ty)?;
                Ok(Some(Expr::new(ty, ExprKind::Call(f, std::mem::take(args)))))
            }
            n if BY_INTERPRETER.contains(&n) => {
                let Some(&(static_name, _)) = crate::types::PRELUDE.iter().find(|(p, _)| *p == n) else { return Ok(None) };
                // The interpreter's values cannot carry JIT closures. None of
                // these functions can meet one (their element types are
                // numbers, ordered, compared or text), but the guard stays.
                if args.iter().any(|a| self.contains_function(a.ty, 0)) || self.contains_function(ty, 0) {
                    return Err(Unsupported::new(&format!("`{n}` on functions")));
                }
                prim(Prim::Prelude(static_name), args)
            }
            _ => Ok(None),
        }
    }

    /// Whether a value of type `from` (a let-generalised value, whose
    /// quantified variables became `()`) is also a value of type `to`:
    /// the same layout wherever `from` is not `()`, and no function types
    /// (whose code depends on the argument types).
    fn coercible(&self, from: Ty, to: Ty, depth: usize) -> bool {
        if from == to {
            return true;
        }
        if depth > 50 {
            return false;
        }
        match (from, to) {
            // A position of a quantified variable: no value is there.
            (Ty::Unit, _) => depth > 0,
            (Ty::List(a), Ty::List(b)) => {
                let (a, b) = (self.lists.borrow().get(a as usize).copied(), self.lists.borrow().get(b as usize).copied());
                matches!((a, b), (Some(a), Some(b)) if self.coercible(a, b, depth + 1))
            }
            (Ty::Tuple(a), Ty::Tuple(b)) => {
                let (a, b) = (self.tuples.borrow().get(a as usize).cloned().unwrap_or_default(), self.tuples.borrow().get(b as usize).cloned().unwrap_or_default());
                a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| self.coercible(*x, *y, depth + 1))
            }
            (Ty::Record(a), Ty::Record(b)) => {
                let (a, b) = (self.records.borrow().get(a as usize).cloned().unwrap_or_default(), self.records.borrow().get(b as usize).cloned().unwrap_or_default());
                a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.0 == y.0 && self.coercible(x.1, y.1, depth + 1))
            }
            (Ty::Data(a), Ty::Data(b)) => {
                let (a, b) = (self.datas.borrow().get(a as usize).cloned().unwrap_or_default(), self.datas.borrow().get(b as usize).cloned().unwrap_or_default());
                a.name == b.name && a.cons.len() == b.cons.len() && a.cons.iter().zip(&b.cons).all(|(x, y)| x.1.len() == y.1.len() && x.1.iter().zip(&y.1).all(|(p, q)| self.coercible(*p, *q, depth + 1)))
            }
            _ => false,
        }
    }

    /// Whether values of `ty` can hold functions (which the interpreter's
    /// values cannot represent when converted).
    fn contains_function(&self, ty: Ty, depth: usize) -> bool {
        if depth > 50 {
            return true;
        }
        match ty {
            Ty::Fun(_) => true,
            Ty::List(i) => self.lists.borrow().get(i as usize).is_some_and(|e| self.contains_function(*e, depth + 1)),
            Ty::Tuple(i) => self.tuples.borrow().get(i as usize).cloned().unwrap_or_default().iter().any(|t| self.contains_function(*t, depth + 1)),
            Ty::Record(i) => self.records.borrow().get(i as usize).cloned().unwrap_or_default().iter().any(|(_, t)| self.contains_function(*t, depth + 1)),
            Ty::Data(i) => self.datas.borrow().get(i as usize).cloned().unwrap_or_default().cons.iter().any(|(_, f)| f.iter().any(|t| self.contains_function(*t, depth + 1))),
            _ => false,
        }
    }

    /// A fresh variable of the function being built by hand (the prelude
    /// bodies number their own variables; see `aux`).
    fn scratch_var(&mut self, ty: Ty) -> (BindId, VarId) {
        let var = self.scratch.len() as VarId;
        self.scratch.push(ty);
        (0, var)
    }

    /// The Core function of prelude function `name` at type `ty`.
    fn builtin_fun(&mut self, name: &'static str, ty: &Type, fun: FunId) -> Result<Fun> {
        let arity = builtin_arity(name).unwrap_or(0);
        let params = self.param_tys(ty, arity)?;
        let rest = self.rest_tys(ty, arity)?;
        let ret = rest[arity];
        let saved = std::mem::take(&mut self.scratch);
        self.scratch = params.clone();
        let mut args: Vec<Expr> = params.iter().enumerate().map(|(i, t)| var(i as VarId, *t)).collect();
        let body = match self.inline_builtin(name, &params, &mut args, ret)? {
            Some(body) => body,
            None => self.higher_order(name, &params, ret, fun)?,
        };
        let vars = self.scratch.len() as u32;
        self.scratch = saved;
        let fname = self.unique_name(&format!("{name}<{}>", type_key(ty)));
        Ok(Fun { name: fname, params: params.iter().enumerate().map(|(i, t)| (i as VarId, *t)).collect(), ret, body, vars })
    }

    /// An auxiliary Core function (a prelude loop), built once per key.
    fn aux(&mut self, key: String, params: Vec<Ty>, ret: Ty, body: impl FnOnce(&mut Self, FunId) -> Result<Expr>) -> Result<FunId> {
        let key = ("aux".to_string(), key);
        if let Some(&f) = self.instances.get(&key) {
            return Ok(f);
        }
        let fun = self.reserve(String::new());
        self.instances.insert(key.clone(), fun);
        let saved = std::mem::replace(&mut self.scratch, params.clone());
        let body = body(self, fun)?;
        let vars = self.scratch.len() as u32;
        self.scratch = saved;
        let name = self.unique_name(&key.1);
        if let Some(slot) = self.funs.get_mut(fun) {
            *slot = Some(Fun { name, params: params.iter().enumerate().map(|(i, t)| (i as VarId, *t)).collect(), ret, body, vars });
        }
        Ok(fun)
    }

    /// `rev xs acc`: the elements of `xs` reversed onto `acc` (a tail loop).
    fn rev(&mut self, list: Ty) -> Result<FunId> {
        let elem = self.fields_of(list)?[0];
        self.aux(format!("rev<{list:?}>"), vec![list, list], list, |_, me| {
            let xs = || var(0, list);
            let step = Expr::new(list, ExprKind::Call(me, vec![field(xs(), 1, list), Expr::new(list, ExprKind::Alloc(vec![field(xs(), 0, elem), var(1, list)]))]));
            Ok(cond(is_nil(xs()), var(1, list), step))
        })
    }

    /// Native loops for the prelude's list functions that do not look at
    /// the elements (the interpreter's results and messages, without
    /// copying through its values, so they also take lists of functions):
    /// `length`, `sum`, `product`, `reverse`, `drop`, `take`, `last`,
    /// `init`, `index`, `concat`, `zip`, `replicate`.
    fn list_loop(&mut self, name: &str, tys: &[Ty], ret: Ty) -> Result<FunId> {
        let nil = |t: Ty| Expr::new(t, ExprKind::Alloc(Vec::new()));
        let int = |i: i64| Expr::lit(Lit::Int(i));
        let prim = |p: Prim, t: Ty, args: Vec<Expr>| Expr::new(t, ExprKind::Prim(p, args));
        let call = |f: FunId, t: Ty, args: Vec<Expr>| Expr::new(t, ExprKind::Call(f, args));
        let param = |i: usize| tys.get(i).copied().ok_or_else(|| Unsupported("internal: a list function with too few arguments".into()));
        match name {
            // replicate n x: n copies of x (none when n <= 0).
            "replicate" => {
                let (x, list) = (param(1)?, ret);
                let go = self.aux(format!("replicate.go<{list:?}>"), vec![Ty::Int, x, list], list, |_, me| {
                    let stop = prim(Prim::Cmp(Cmp::Le, Ty::Int), Ty::Bool, vec![var(0, Ty::Int), int(0)]);
                    let next = prim(Prim::ISub, Ty::Int, vec![var(0, Ty::Int), int(1)]);
                    let acc = Expr::new(list, ExprKind::Alloc(vec![var(1, x), var(2, list)]));
                    Ok(cond(stop, var(2, list), call(me, list, vec![next, var(1, x), acc])))
                })?;
                return self.aux(format!("replicate<{list:?}>"), vec![Ty::Int, x], list, |_, _| Ok(call(go, list, vec![var(0, Ty::Int), var(1, x), nil(list)])));
            }
            // zip xs ys: pairs until the shorter list ends.
            "zip" => {
                let (xs_ty, ys_ty) = (param(0)?, param(1)?);
                let (a, b, pair) = (self.fields_of(xs_ty)?[0], self.fields_of(ys_ty)?[0], self.fields_of(ret)?[0]);
                let rev = self.rev(ret)?;
                let go = self.aux(format!("zip.go<{xs_ty:?},{ys_ty:?}>"), vec![xs_ty, ys_ty, ret], ret, |_, me| {
                    let (xs, ys) = (|| var(0, xs_ty), || var(1, ys_ty));
                    let done = || call(rev, ret, vec![var(2, ret), nil(ret)]);
                    let both = Expr::new(pair, ExprKind::Alloc(vec![field(xs(), 0, a), field(ys(), 0, b)]));
                    let acc = Expr::new(ret, ExprKind::Alloc(vec![both, var(2, ret)]));
                    let again = call(me, ret, vec![field(xs(), 1, xs_ty), field(ys(), 1, ys_ty), acc]);
                    Ok(cond(is_nil(xs()), done(), cond(is_nil(ys()), done(), again)))
                })?;
                return self.aux(format!("zip<{xs_ty:?},{ys_ty:?}>"), vec![xs_ty, ys_ty], ret, |_, _| Ok(call(go, ret, vec![var(0, xs_ty), var(1, ys_ty), nil(ret)])));
            }
            // concat xss: each list reversed onto an accumulator, which is
            // reversed once at the end.
            "concat" => {
                let outer = param(0)?;
                let inner = self.fields_of(outer)?[0];
                let rev = self.rev(inner)?;
                let go = self.aux(format!("concat.go<{outer:?}>"), vec![outer, inner], inner, |_, me| {
                    let xss = || var(0, outer);
                    let done = call(rev, inner, vec![var(1, inner), nil(inner)]);
                    let acc = call(rev, inner, vec![field(xss(), 0, inner), var(1, inner)]);
                    Ok(cond(is_nil(xss()), done, call(me, inner, vec![field(xss(), 1, outer), acc])))
                })?;
                return self.aux(format!("concat<{outer:?}>"), vec![outer], inner, |_, _| Ok(call(go, inner, vec![var(0, outer), nil(inner)])));
            }
            _ => {}
        }
        let list = *tys.last().ok_or_else(|| Unsupported("internal: a list function without arguments".into()))?;
        let elem = self.fields_of(list)?[0];
        match name {
            "last" => {
                let go = self.aux(format!("last.go<{list:?}>"), vec![list], elem, |_, me| {
                    let rest = || field(var(0, list), 1, list);
                    Ok(cond(is_nil(rest()), field(var(0, list), 0, elem), call(me, elem, vec![rest()])))
                })?;
                self.aux(format!("last<{list:?}>"), vec![list], elem, |_, _| {
                    Ok(cond(is_nil(var(0, list)), Expr::fail(elem, "last of an empty list".into()), call(go, elem, vec![var(0, list)])))
                })
            }
            "init" => {
                let rev = self.rev(list)?;
                let go = self.aux(format!("init.go<{list:?}>"), vec![list, list], list, |_, me| {
                    let xs = || var(0, list);
                    let done = call(rev, list, vec![var(1, list), nil(list)]);
                    let acc = Expr::new(list, ExprKind::Alloc(vec![field(xs(), 0, elem), var(1, list)]));
                    Ok(cond(is_nil(field(xs(), 1, list)), done, call(me, list, vec![field(xs(), 1, list), acc])))
                })?;
                self.aux(format!("init<{list:?}>"), vec![list], list, |_, _| {
                    Ok(cond(is_nil(var(0, list)), Expr::fail(list, "init of an empty list".into()), call(go, list, vec![var(0, list), nil(list)])))
                })
            }
            // index n xs: go i rest n xs counts i down along rest and keeps
            // n and xs for the interpreter's message when it runs out (a
            // negative n never reaches 0, so it runs out too).
            "index" => {
                let length = self.list_loop("length", &[list], Ty::Int)?;
                let go = self.aux(format!("index.go<{list:?}>"), vec![Ty::Int, list, Ty::Int, list], elem, |_, me| {
                    let text = |s: &str| Expr::lit(Lit::Str(s.to_string()));
                    let show = |e: Expr| prim(Prim::Show(Ty::Int), Ty::Str, vec![e]);
                    let join = |a: Expr, b: Expr| prim(Prim::Concat, Ty::Str, vec![a, b]);
                    let message = join(
                        join(join(text("index "), show(var(2, Ty::Int))), text(" is out of range for a list of length ")),
                        show(call(length, Ty::Int, vec![var(3, list)])),
                    );
                    let out = Expr::new(elem, ExprKind::Fail(Failure::Computed(Box::new(message))));
                    let found = prim(Prim::Cmp(Cmp::Eq, Ty::Int), Ty::Bool, vec![var(0, Ty::Int), int(0)]);
                    let next = prim(Prim::ISub, Ty::Int, vec![var(0, Ty::Int), int(1)]);
                    let again = call(me, elem, vec![next, field(var(1, list), 1, list), var(2, Ty::Int), var(3, list)]);
                    Ok(cond(is_nil(var(1, list)), out, cond(found, field(var(1, list), 0, elem), again)))
                })?;
                self.aux(format!("index<{list:?}>"), vec![Ty::Int, list], elem, |_, _| {
                    Ok(call(go, elem, vec![var(0, Ty::Int), var(1, list), var(0, Ty::Int), var(1, list)]))
                })
            }
            "length" | "sum" | "product" => {
                let (zero, op) = match (name, elem) {
                    ("length", _) => (int(0), Prim::IAdd),
                    ("sum", Ty::Float) => (Expr::lit(Lit::Float(0.0)), Prim::FAdd),
                    ("product", Ty::Float) => (Expr::lit(Lit::Float(1.0)), Prim::FMul),
                    ("sum", _) => (int(0), Prim::IAdd),
                    _ => (int(1), Prim::IMul),
                };
                let go = self.aux(format!("{name}.go<{list:?}>"), vec![list, ret], ret, |_, me| {
                    let item = if name == "length" { int(1) } else { field(var(0, list), 0, elem) };
                    let acc = prim(op, ret, vec![var(1, ret), item]);
                    Ok(cond(is_nil(var(0, list)), var(1, ret), Expr::new(ret, ExprKind::Call(me, vec![field(var(0, list), 1, list), acc]))))
                })?;
                self.aux(format!("{name}<{list:?}>"), vec![list], ret, |_, _| Ok(Expr::new(ret, ExprKind::Call(go, vec![var(0, list), zero]))))
            }
            "reverse" => {
                let rev = self.rev(list)?;
                self.aux(format!("reverse<{list:?}>"), vec![list], list, |_, _| Ok(Expr::new(list, ExprKind::Call(rev, vec![var(0, list), nil(list)]))))
            }
            "drop" => self.aux(format!("drop<{list:?}>"), vec![Ty::Int, list], list, |_, me| {
                let stop = prim(Prim::Cmp(Cmp::Le, Ty::Int), Ty::Bool, vec![var(0, Ty::Int), int(0)]);
                let next = prim(Prim::ISub, Ty::Int, vec![var(0, Ty::Int), int(1)]);
                let again = Expr::new(list, ExprKind::Call(me, vec![next, field(var(1, list), 1, list)]));
                Ok(cond(stop, var(1, list), cond(is_nil(var(1, list)), var(1, list), again)))
            }),
            _ => {
                let rev = self.rev(list)?;
                let go = self.aux(format!("take.go<{list:?}>"), vec![Ty::Int, list, list], list, |_, me| {
                    let stop = prim(Prim::Cmp(Cmp::Le, Ty::Int), Ty::Bool, vec![var(0, Ty::Int), int(0)]);
                    let done = Expr::new(list, ExprKind::Call(rev, vec![var(2, list), nil(list)]));
                    let next = prim(Prim::ISub, Ty::Int, vec![var(0, Ty::Int), int(1)]);
                    let acc = Expr::new(list, ExprKind::Alloc(vec![field(var(1, list), 0, elem), var(2, list)]));
                    let again = Expr::new(list, ExprKind::Call(me, vec![next, field(var(1, list), 1, list), acc]));
                    Ok(cond(stop, done.clone(), cond(is_nil(var(1, list)), done, again)))
                })?;
                self.aux(format!("take<{list:?}>"), vec![Ty::Int, list], list, |_, _| Ok(Expr::new(list, ExprKind::Call(go, vec![var(0, Ty::Int), var(1, list), nil(list)]))))
            }
        }
    }

    /// `[from..to]` (a tail loop building from the end).
    fn range(&mut self, list: Ty) -> Result<FunId> {
        // go from to acc: to :: acc, then stop at from.
        let go = self.aux("range.go".into(), vec![Ty::Int, Ty::Int, list], list, |this, me| {
            let acc = Expr::new(list, ExprKind::Alloc(vec![var(1, Ty::Int), var(2, list)]));
            let done = Expr::new(Ty::Bool, ExprKind::Prim(Prim::Cmp(Cmp::Eq, Ty::Int), vec![var(1, Ty::Int), var(0, Ty::Int)]));
            let next = Expr::new(Ty::Int, ExprKind::Prim(Prim::ISub, vec![var(1, Ty::Int), Expr::lit(Lit::Int(1))]));
            let (_, v) = this.scratch_var(list);
            Ok(Expr::new(list, ExprKind::Let(v, Box::new(acc), Box::new(cond(done, var(v, list), Expr::new(list, ExprKind::Call(me, vec![var(0, Ty::Int), next, var(v, list)])))))))
        })?;
        self.aux("range".into(), vec![Ty::Int, Ty::Int], list, |_, _| {
            let empty = Expr::new(Ty::Bool, ExprKind::Prim(Prim::Cmp(Cmp::Gt, Ty::Int), vec![var(0, Ty::Int), var(1, Ty::Int)]));
            Ok(cond(empty, Expr::new(list, ExprKind::Alloc(Vec::new())), Expr::new(list, ExprKind::Call(go, vec![var(0, Ty::Int), var(1, Ty::Int), Expr::new(list, ExprKind::Alloc(Vec::new()))]))))
        })
    }

    /// The bodies of the prelude functions that take functions: tail loops
    /// with an accumulator (reversed at the end), so no list length costs
    /// native stack.
    fn higher_order(&mut self, name: &str, params: &[Ty], ret: Ty, _fun: FunId) -> Result<Expr> {
        let p = |i: usize| params.get(i).copied().ok_or_else(|| Unsupported("internal: a prelude function with too few parameters".into()));
        let apply1 = |this: &Self, f: Expr, x: Expr| -> Result<Expr> {
            let (_, r) = this.fun_parts(f.ty)?;
            Ok(Expr::new(r, ExprKind::Apply(Box::new(f), Box::new(x))))
        };
        let nil = |t: Ty| Expr::new(t, ExprKind::Alloc(Vec::new()));
        match name {
            "map" | "filter" | "concat_map" => {
                let (ft, lt) = (p(0)?, p(1)?);
                let elem = self.fields_of(lt)?[0];
                let rev = self.rev(ret)?;
                let out_elem = self.fields_of(ret)?[0];
                let go = self.aux(format!("{name}.go<{ft:?},{lt:?}>"), vec![ft, lt, ret], ret, |this, me| {
                    let (f, xs, acc) = (|| var(0, ft), || var(1, lt), || var(2, ret));
                    let head = field(xs(), 0, elem);
                    let tail = field(xs(), 1, lt);
                    let step = match name {
                        "map" => {
                            let y = apply1(this, f(), head)?;
                            Expr::new(ret, ExprKind::Call(me, vec![f(), tail, Expr::new(ret, ExprKind::Alloc(vec![y, acc()]))]))
                        }
                        "filter" => {
                            let (_, h) = this.scratch_var(elem);
                            let keep = apply1(this, f(), var(h, elem))?;
                            let kept = Expr::new(ret, ExprKind::Call(me, vec![f(), field(xs(), 1, lt), Expr::new(ret, ExprKind::Alloc(vec![var(h, elem), acc()]))]));
                            let skipped = Expr::new(ret, ExprKind::Call(me, vec![f(), field(xs(), 1, lt), acc()]));
                            Expr::new(ret, ExprKind::Let(h, Box::new(head), Box::new(cond(keep, kept, skipped))))
                        }
                        _ => {
                            let ys = apply1(this, f(), head)?;
                            let onto = Expr::new(ret, ExprKind::Call(rev, vec![ys, acc()]));
                            Expr::new(ret, ExprKind::Call(me, vec![f(), tail, onto]))
                        }
                    };
                    let _ = out_elem;
                    Ok(cond(is_nil(xs()), Expr::new(ret, ExprKind::Call(rev, vec![acc(), nil(ret)])), step))
                })?;
                Ok(Expr::new(ret, ExprKind::Call(go, vec![var(0, ft), var(1, lt), nil(ret)])))
            }
            "foldl" | "foldr" => {
                let (ft, zt, lt) = (p(0)?, p(1)?, p(2)?);
                let elem = self.fields_of(lt)?[0];
                let go = self.aux(format!("{name}.go<{ft:?},{lt:?}>"), vec![ft, zt, lt], zt, |this, me| {
                    let (f, z, xs) = (|| var(0, ft), || var(1, zt), || var(2, lt));
                    let head = field(xs(), 0, elem);
                    let next = if name == "foldl" { apply1(this, apply1(this, f(), z())?, head)? } else { apply1(this, apply1(this, f(), head)?, z())? };
                    Ok(cond(is_nil(xs()), z(), Expr::new(zt, ExprKind::Call(me, vec![f(), next, field(xs(), 1, lt)]))))
                })?;
                let xs = if name == "foldl" {
                    var(2, lt)
                } else {
                    let rev = self.rev(lt)?;
                    Expr::new(lt, ExprKind::Call(rev, vec![var(2, lt), nil(lt)]))
                };
                Ok(Expr::new(zt, ExprKind::Call(go, vec![var(0, ft), var(1, zt), xs])))
            }
            "zip_with" => {
                let (ft, at, bt) = (p(0)?, p(1)?, p(2)?);
                let (ea, eb) = (self.fields_of(at)?[0], self.fields_of(bt)?[0]);
                let rev = self.rev(ret)?;
                let go = self.aux(format!("zip_with.go<{ft:?},{at:?},{bt:?}>"), vec![ft, at, bt, ret], ret, |this, me| {
                    let (f, xs, ys, acc) = (|| var(0, ft), || var(1, at), || var(2, bt), || var(3, ret));
                    let z = apply1(this, apply1(this, f(), field(xs(), 0, ea))?, field(ys(), 0, eb))?;
                    let step = Expr::new(ret, ExprKind::Call(me, vec![f(), field(xs(), 1, at), field(ys(), 1, bt), Expr::new(ret, ExprKind::Alloc(vec![z, acc()]))]));
                    let done = Expr::new(ret, ExprKind::Call(rev, vec![acc(), nil(ret)]));
                    Ok(cond(is_nil(xs()), done.clone(), cond(is_nil(ys()), done, step)))
                })?;
                Ok(Expr::new(ret, ExprKind::Call(go, vec![var(0, ft), var(1, at), var(2, bt), nil(ret)])))
            }
            "any" | "all" | "for_each" => {
                let (ft, lt) = (p(0)?, p(1)?);
                let elem = self.fields_of(lt)?[0];
                self.aux(format!("{name}.go<{ft:?},{lt:?}>"), vec![ft, lt], ret, |this, me| {
                    let (f, xs) = (|| var(0, ft), || var(1, lt));
                    let y = apply1(this, f(), field(xs(), 0, elem))?;
                    let again = Expr::new(ret, ExprKind::Call(me, vec![f(), field(xs(), 1, lt)]));
                    Ok(match name {
                        "any" => cond(is_nil(xs()), Expr::lit(Lit::Bool(false)), cond(y, Expr::lit(Lit::Bool(true)), again)),
                        "all" => cond(is_nil(xs()), Expr::lit(Lit::Bool(true)), cond(y, again, Expr::lit(Lit::Bool(false)))),
                        _ => cond(is_nil(xs()), Expr::lit(Lit::Unit), Expr::new(ret, ExprKind::Seq(Box::new(y), Box::new(again)))),
                    })
                })
                .map(|go| Expr::new(ret, ExprKind::Call(go, vec![var(0, ft), var(1, lt)])))
            }
            "map_ok" | "map_maybe" | "and_then" => {
                let (ft, rt) = (p(0)?, p(1)?);
                let Ty::Data(d) = rt else { return Err(Unsupported("internal: map_ok on a non-data value".into())) };
                let cons = self.datas.borrow().get(d as usize).map(|d| d.cons.clone()).unwrap_or_default();
                let payload = cons.first().and_then(|c| c.1.first()).copied().unwrap_or(Ty::Unit);
                let r = || var(1, rt);
                let y = apply1(self, var(0, ft), field(r(), 1, payload))?;
                let hit = if name == "and_then" { y } else { Expr::new(ret, ExprKind::Alloc(vec![Expr::lit(Lit::Int(0)), y])) };
                let miss = match cons.get(1).and_then(|c| c.1.first()) {
                    Some(e) => Expr::new(ret, ExprKind::Alloc(vec![Expr::lit(Lit::Int(1)), field(r(), 1, *e)])),
                    None => Expr::new(ret, ExprKind::Alloc(vec![Expr::lit(Lit::Int(1))])),
                };
                Ok(cond(tag_is(r(), 0), hit, miss))
            }
            other => Err(Unsupported::new(&format!("the prelude function `{other}`"))),
        }
    }
}

/// `a && b && ...` of pure tests, or `None` when there are none.
fn conjunction(tests: Vec<Expr>) -> Option<Expr> {
    let mut iter = tests.into_iter().rev();
    let last = iter.next()?;
    Some(iter.fold(last, |acc, t| Expr::new(Ty::Bool, ExprKind::If(Box::new(t), Box::new(acc), Box::new(Expr::lit(Lit::Bool(false)))))))
}

fn literal(lit: &ast::Lit) -> Lit {
    match lit {
        ast::Lit::Int(i) => Lit::Int(*i),
        ast::Lit::Float(f) => Lit::Float(*f),
        ast::Lit::Char(c) => Lit::Char(*c),
        ast::Lit::Str(s) => Lit::Str(s.clone()),
        ast::Lit::Bool(b) => Lit::Bool(*b),
    }
}

/// Every lower name that occurs in `e` (bound inside or not).
fn collect_names(e: &ast::Expr, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let AK::Var(name) = &e.kind {
        if !out.contains(name) {
            out.push(name.clone());
        }
        return;
    }
    let mut go = |x: &ast::Expr| collect_names(x, out, depth + 1);
    match &e.kind {
        AK::Lambda(_, body) | AK::Neg(body) | AK::Field(body, _) => go(body),
        AK::Cond(a, b, c) => {
            go(a);
            go(b);
            go(c);
        }
        AK::Binary(_, a, b) | AK::App(a, b) | AK::Range(a, b) => {
            go(a);
            go(b);
        }
        AK::Tuple(items) | AK::List(items) => items.iter().for_each(go),
        AK::Comprehension(body, quals) => {
            go(body);
            for q in quals {
                match q {
                    ast::Qual::Gen(_, x) | ast::Qual::Guard(x) => go(x),
                }
            }
        }
        AK::Record(fields) => fields.iter().for_each(|(_, x)| go(x)),
        AK::Update(r, fields) => {
            go(r);
            fields.iter().for_each(|(_, x)| go(x));
        }
        AK::Interp(parts) => parts.iter().for_each(|p| {
            if let ast::InterpPart::Expr(x) = p {
                go(x)
            }
        }),
        AK::Block(b) => {
            for s in &b.stmts {
                match s {
                    ast::Stmt::Equation(eq) => go(&eq.body),
                    ast::Stmt::Bind { body, .. } => go(body),
                    ast::Stmt::Expr(x) => go(x),
                }
            }
            go(&b.result);
        }
        AK::Var(_) | AK::Con(_) | AK::Lit(_) | AK::Unit | AK::Hole | AK::Error => {}
    }
}

// ----- types -----

/// Applies a substitution to a type.
fn apply(t: &Type, s: &Subst) -> Type {
    match t {
        Type::Var(v) => match s.get(v) {
            Some(bound) => bound.clone(),
            None => t.clone(),
        },
        Type::List(a) => Type::List(Box::new(apply(a, s))),
        Type::Tuple(items) => Type::Tuple(items.iter().map(|i| apply(i, s)).collect()),
        Type::Fun(a, b) => Type::Fun(Box::new(apply(a, s)), Box::new(apply(b, s))),
        Type::Con(name, args) => Type::Con(name.clone(), args.iter().map(|a| apply(a, s)).collect()),
        Type::Record(fields, row) => {
            let mut fields: Vec<(String, Type)> = fields.iter().map(|(k, v)| (k.clone(), apply(v, s))).collect();
            // A bound row variable stands for the rest of the fields.
            let mut row = *row;
            if let Some(Type::Record(more, tail)) = row.and_then(|r| s.get(&r)) {
                for (k, v) in more {
                    if !fields.iter().any(|(f, _)| f == k) {
                        fields.push((k.clone(), apply(v, s)));
                    }
                }
                row = *tail;
            }
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Type::Record(fields, row)
        }
        other => other.clone(),
    }
}

/// Extends `s` so that `pattern` under `s` is `ground` (structurally; the
/// checker has already unified them).
fn match_type(pattern: &Type, ground: &Type, s: &mut Subst) {
    match (pattern, ground) {
        (Type::Var(v), g) => {
            s.entry(*v).or_insert_with(|| g.clone());
        }
        (Type::List(a), Type::List(b)) => match_type(a, b, s),
        (Type::Fun(a1, r1), Type::Fun(a2, r2)) => {
            match_type(a1, a2, s);
            match_type(r1, r2, s);
        }
        (Type::Tuple(xs), Type::Tuple(ys)) => xs.iter().zip(ys).for_each(|(x, y)| match_type(x, y, s)),
        (Type::Con(_, xs), Type::Con(_, ys)) => xs.iter().zip(ys).for_each(|(x, y)| match_type(x, y, s)),
        (Type::Record(xs, row), Type::Record(ys, _)) => {
            for (k, x) in xs {
                if let Some((_, y)) = ys.iter().find(|(k2, _)| k2 == k) {
                    match_type(x, y, s);
                }
            }
            if let Some(r) = row {
                let rest = ys.iter().filter(|(k, _)| !xs.iter().any(|(x, _)| x == k)).cloned().collect();
                s.entry(*r).or_insert(Type::Record(rest, None));
            }
        }
        _ => {}
    }
}

fn has_vars(t: &Type) -> bool {
    match t {
        Type::Var(_) => true,
        Type::List(a) => has_vars(a),
        Type::Tuple(items) | Type::Con(_, items) => items.iter().any(has_vars),
        Type::Fun(a, b) => has_vars(a) || has_vars(b),
        Type::Record(fields, row) => row.is_some() || fields.iter().any(|(_, v)| has_vars(v)),
        _ => false,
    }
}

/// Whether a type holds a function type.
fn has_fun(t: &Type) -> bool {
    match t {
        Type::Fun(..) => true,
        Type::List(a) => has_fun(a),
        Type::Tuple(items) | Type::Con(_, items) => items.iter().any(has_fun),
        Type::Record(fields, _) => fields.iter().any(|(_, v)| has_fun(v)),
        _ => false,
    }
}

/// Whether evaluating `e` can have no effect and cannot fail: a name, a
/// literal, a lambda, or a tuple, list, record or constructor of such.
fn is_syntactic_value(e: &ast::Expr, depth: usize) -> bool {
    if depth > 50 {
        return false;
    }
    let go = |x: &ast::Expr| is_syntactic_value(x, depth + 1);
    match &e.kind {
        AK::Var(_) | AK::Lit(_) | AK::Unit | AK::Lambda(..) | AK::Con(_) => true,
        AK::Tuple(items) | AK::List(items) => items.iter().all(go),
        AK::Record(fields) => fields.iter().all(|(_, x)| go(x)),
        AK::App(f, a) => {
            let mut head = &**f;
            while let AK::App(g, b) = &head.kind {
                if !go(b) {
                    return false;
                }
                head = g;
            }
            matches!(head.kind, AK::Con(_)) && go(a)
        }
        _ => false,
    }
}

/// Replaces the variables no value depends on by `()`.
fn ground(t: &Type) -> Type {
    match t {
        Type::Var(_) => Type::Unit,
        Type::List(a) => Type::List(Box::new(ground(a))),
        Type::Tuple(items) => Type::Tuple(items.iter().map(ground).collect()),
        Type::Fun(a, b) => Type::Fun(Box::new(ground(a)), Box::new(ground(b))),
        Type::Con(name, args) => Type::Con(name.clone(), args.iter().map(ground).collect()),
        Type::Record(fields, _) => Type::Record(fields.iter().map(|(k, v)| (k.clone(), ground(v))).collect(), None),
        other => other.clone(),
    }
}

/// A stable text key for a ground type.
fn type_key(t: &Type) -> String {
    match t {
        Type::Int => "Int".into(),
        Type::Float => "Float".into(),
        Type::Bool => "Bool".into(),
        Type::Char => "Char".into(),
        Type::String => "String".into(),
        Type::Unit => "()".into(),
        Type::List(a) => format!("[{}]", type_key(a)),
        Type::Tuple(items) => format!("({})", items.iter().map(type_key).collect::<Vec<_>>().join(", ")),
        Type::Fun(a, b) => format!("({} -> {})", type_key(a), type_key(b)),
        Type::Con(name, args) => format!("({name}{})", args.iter().map(|a| format!(" {}", type_key(a))).collect::<String>()),
        Type::Record(fields, _) => format!("{{{}}}", fields.iter().map(|(k, v)| format!("{k}: {}", type_key(v))).collect::<Vec<_>>().join(", ")),
        Type::Var(v) => format!("?{v}"),
        Type::Error => "!".into(),
    }
}

/// A type the JIT does not compile yet.
fn unsupported_type(t: &Type) -> Unsupported {
    match t {
        Type::Fun(..) => Unsupported::new("function values"),
        Type::Record(..) => Unsupported::new("records"),
        _ => Unsupported("internal: an ill-typed program".into()),
    }
}
