//! Environments: the value environment (names to schemes, scoped, with
//! cheap marks to restore) and the type definitions (data types, their
//! constructors and aliases, prelude and user ones).
//!
//! Both are designed for extension and restoration rather than copying, so
//! that the type oracle can push a scope, try something and pop it.

use super::ty::{AdtId, Scheme, Ty};
use crate::span::Span;
use rustc_hash::FxHashMap as HashMap;

/// Where a value binding comes from, for messages.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Binding {
    pub(crate) scheme: Scheme,
    /// `None` for prelude functions.
    pub(crate) span: Option<Span>,
}

/// Names in scope, innermost last. `mark`/`restore` bracket a scope.
#[derive(Clone, Default)]
pub(crate) struct Env {
    names: HashMap<String, Vec<Binding>>,
    /// Every name pushed, in order, so a scope can be popped.
    pushed: Vec<String>,
    /// Every binding [`Env::replace`] overwrote, so that a checkpoint can
    /// be rolled back to ([`Env::checkpoint`]).
    replaced: Vec<Replaced>,
}

/// A binding overwritten by [`Env::replace`]: the name, how deep its stack
/// was, how many names were pushed then, and the old binding.
#[derive(Clone)]
struct Replaced {
    name: String,
    depth: usize,
    pushed: usize,
    old: Binding,
}

/// A state of an [`Env`] to roll back to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checkpoint {
    pushed: usize,
    replaced: usize,
}

impl Env {
    /// Every name with a binding in scope, in no particular order.
    pub(crate) fn visible_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().filter(|(_, stack)| !stack.is_empty()).map(|(name, _)| name.as_str())
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&Binding> {
        self.names.get(name).and_then(|stack| stack.last())
    }

    pub(crate) fn push(&mut self, name: &str, binding: Binding) {
        self.names.entry(name.to_string()).or_default().push(binding);
        self.pushed.push(name.to_string());
    }

    /// Replaces the innermost binding of `name` (pushing one if there is none).
    pub(crate) fn replace(&mut self, name: &str, binding: Binding) {
        let pushed = self.pushed.len();
        match self.names.get_mut(name) {
            Some(stack) if !stack.is_empty() => {
                let depth = stack.len();
                if let Some(slot) = stack.last_mut() {
                    let old = std::mem::replace(slot, binding);
                    self.replaced.push(Replaced { name: name.to_string(), depth, pushed, old });
                }
            }
            _ => self.push(name, binding),
        }
    }

    /// The current state, for [`Env::rollback`]: cheaper than a clone of
    /// the environment, which holds every prelude scheme.
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint { pushed: self.pushed.len(), replaced: self.replaced.len() }
    }

    /// Undoes every push and replacement since `cp`, newest first.
    pub(crate) fn rollback(&mut self, cp: Checkpoint) {
        while self.replaced.len() > cp.replaced {
            let Some(r) = self.replaced.pop() else { break };
            self.restore(r.pushed);
            if let Some(stack) = self.names.get_mut(&r.name) {
                if stack.len() == r.depth {
                    if let Some(slot) = stack.last_mut() {
                        *slot = r.old;
                    }
                }
            }
        }
        self.restore(cp.pushed);
    }

    pub(crate) fn mark(&self) -> usize {
        self.pushed.len()
    }

    /// Pops every binding pushed since `mark`.
    pub(crate) fn restore(&mut self, mark: usize) {
        while self.pushed.len() > mark {
            if let Some(name) = self.pushed.pop() {
                if let Some(stack) = self.names.get_mut(&name) {
                    stack.pop();
                }
            }
        }
    }
}

/// A data type: prelude (`Maybe`, `Result`) or user `typedef`.
#[derive(Clone, Debug)]
pub(crate) struct AdtDef {
    pub(crate) name: String,
    pub(crate) params: usize,
    pub(crate) ctors: Vec<usize>,
}

/// A constructor: its fields use `Gen(i)` for the data type's parameter `i`.
#[derive(Clone, Debug)]
pub(crate) struct CtorDef {
    pub(crate) adt: AdtId,
    pub(crate) fields: Vec<Ty>,
}

/// An alias `type Name params = body`; the body uses `Gen(i)` for
/// parameter `i` once converted (aliases are expanded where used).
#[derive(Clone, Debug)]
pub(crate) struct AliasDef {
    pub(crate) params: usize,
    pub(crate) body: Option<Ty>,
}

/// What an upper name in a type denotes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum TypeName {
    /// `Int`, `Float`, `Bool`, `Char`, `String`, `List`.
    Builtin,
    Adt(AdtId),
    Alias(usize),
}

/// Every data type, constructor and alias known to the program.
#[derive(Clone, Default)]
pub(crate) struct TypeDefs {
    pub(crate) adts: Vec<AdtDef>,
    pub(crate) ctors: Vec<CtorDef>,
    pub(crate) aliases: Vec<AliasDef>,
    /// Type names currently in scope (user definitions shadow the prelude).
    pub(crate) type_names: HashMap<String, TypeName>,
    /// Constructor names currently in scope.
    pub(crate) ctor_names: HashMap<String, usize>,
}

pub(crate) const BUILTIN_TYPES: [&str; 6] = ["Int", "Float", "Bool", "Char", "String", "List"];

impl TypeDefs {
    pub(crate) fn new() -> TypeDefs {
        let mut defs = TypeDefs::default();
        for name in BUILTIN_TYPES {
            defs.type_names.insert(name.to_string(), TypeName::Builtin);
        }
        defs
    }

    /// Registers a data type with no constructors yet.
    pub(crate) fn add_adt(&mut self, name: &str, params: usize) -> AdtId {
        let id = self.adts.len() as AdtId;
        self.adts.push(AdtDef { name: name.to_string(), params, ctors: Vec::new() });
        self.type_names.insert(name.to_string(), TypeName::Adt(id));
        id
    }

    pub(crate) fn add_ctor(&mut self, adt: AdtId, name: &str, fields: Vec<Ty>) -> usize {
        let id = self.ctors.len();
        self.ctors.push(CtorDef { adt, fields });
        if let Some(a) = self.adts.get_mut(adt as usize) {
            a.ctors.push(id);
        }
        self.ctor_names.insert(name.to_string(), id);
        id
    }

    pub(crate) fn adt(&self, id: AdtId) -> Option<&AdtDef> {
        self.adts.get(id as usize)
    }

    pub(crate) fn adt_name(&self, id: AdtId) -> &str {
        self.adt(id).map_or("?", |a| a.name.as_str())
    }

    pub(crate) fn ctor(&self, name: &str) -> Option<&CtorDef> {
        self.ctor_names.get(name).and_then(|&i| self.ctors.get(i))
    }

    /// The field types of every constructor of `id`, in terms of `Gen(i)`.
    pub(crate) fn adt_field_types(&self, id: AdtId) -> impl Iterator<Item = &Ty> {
        self.adt(id)
            .into_iter()
            .flat_map(|a| a.ctors.iter())
            .filter_map(|&c| self.ctors.get(c))
            .flat_map(|c| c.fields.iter())
    }

    /// The scheme of a constructor used as a value:
    /// `field1 -> ... -> T params`.
    pub(crate) fn ctor_scheme(&self, ctor: &CtorDef) -> Scheme {
        let params = self.adt(ctor.adt).map_or(0, |a| a.params);
        let result = Ty::Con(super::ty::TyCon::Adt(ctor.adt), (0..params as u32).map(Ty::Gen).collect());
        Scheme {
            gens: vec![super::ty::Classes::NONE; params],
            ty: Ty::fun_n(ctor.fields.clone(), result),
        }
    }
}
