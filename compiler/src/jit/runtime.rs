//! The runtime that generated code calls: the run context it reads, and
//! every `extern "C"` helper it may call, all in this one module.
//!
//! Generated code cannot unwind, so no helper may panic: each one runs its
//! body under `catch_unwind` and turns a panic (a bug) into an `internal:`
//! error. Helpers report a runtime error by recording it in the [`Runtime`]
//! and setting [`Ctx::status`]; generated code checks the status after
//! every call that can fail and returns at once, frame by frame, so the
//! error reaches [`super::run`] without unwinding.
//!
//! Behaviour that the interpreter already implements (rendering for
//! `print`, `**` on Ints, `round` and friends, string order) is delegated to
//! the interpreter's code, so each behaviour is written once.

use super::super::core::{Rounding, Ty};
use crate::interp::{self, RunError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::Sender;

/// The context every generated function receives as its first argument.
/// Generated code reads and writes its fields at the offsets below, so its
/// layout is fixed (`repr(C)`).
#[repr(C)]
pub(crate) struct Ctx {
    /// 0 while the run goes on; anything else means it stopped and the
    /// reason is in `Runtime::error`.
    pub status: u64,
    /// Steps left; a function entry spends one, and below zero is the step
    /// limit.
    pub fuel: i64,
    /// Nested non-tail calls now (the interpreter's count).
    pub depth: u64,
    pub depth_limit: u64,
    /// The lowest native stack address generated code may reach.
    pub stack_floor: u64,
    /// Values of the top-level values (as 64-bit patterns).
    pub globals: *mut u64,
    /// Whether each top-level value is computed (1) or not yet (0).
    pub ready: *mut u8,
    pub rt: *mut Runtime,
}

pub(crate) const STATUS: i32 = 0;
pub(crate) const FUEL: i32 = 8;
pub(crate) const DEPTH: i32 = 16;
pub(crate) const DEPTH_LIMIT: i32 = 24;
pub(crate) const STACK_FLOOR: i32 = 32;
pub(crate) const GLOBALS: i32 = 40;
pub(crate) const READY: i32 = 48;

/// Failure kinds `rt_fail` takes.
pub(crate) const FAIL_MESSAGE: u32 = 0;
pub(crate) const FAIL_STEPS: u32 = 1;
pub(crate) const FAIL_STACK: u32 = 2;
pub(crate) const FAIL_NOT_READY: u32 = 3;

/// Output is sent to the caller's writer in chunks of about this size.
const CHUNK: usize = 1 << 16;

/// The Rust side of a run: output, the error that stopped it, and the
/// messages generated code refers to by index.
pub(crate) struct Runtime {
    pub out: Vec<u8>,
    pub sink: Sender<Vec<u8>>,
    pub error: Option<RunError>,
    pub limits: interp::Limits,
    /// Fixed messages of `Fail` nodes, by index.
    pub messages: Vec<String>,
    /// The prelude function each message names, if any (looked up once per
    /// run, not at every `rt_prelude` call).
    pub builtins: Vec<Option<interp::prelude::Builtin>>,
    /// Names of the top-level values, for "used before its value is computed".
    pub global_names: Vec<String>,
    /// Element types of the list types (`Ty::List(i)`).
    pub lists: Vec<Ty>,
    /// Constructors of the data types (`Ty::Data(i)`).
    pub datas: Vec<crate::core::DataTy>,
    /// Fields of the record types (`Ty::Record(i)`), sorted by name.
    pub records: Vec<Vec<(String, Ty)>>,
    pub layouts: Layouts,
    /// The worklist of `release`, kept to reuse its allocation.
    pub work: Vec<(u64, Ty)>,
    /// Where objects live (free lists per size).
    pub heap: super::heap::Heap,
    /// Bytes of heap objects alive now, and at most so far.
    pub live: u64,
    pub peak: u64,
}

impl Runtime {
    pub fn stop(&mut self, error: RunError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        if self.out.len() >= CHUNK {
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        if !self.out.is_empty() {
            let chunk = std::mem::take(&mut self.out);
            if self.sink.send(chunk).is_err() {
                self.stop(RunError::Output("the output was closed".into()));
            }
        }
    }
}

/// Runs a helper body with the run's context, turning a panic into an
/// internal error and any error into a stopped run. `None` when stopped.
fn with_ctx<T>(ctx: *mut Ctx, body: impl FnOnce(&mut Runtime, &Ctx) -> Result<T, RunError>) -> Option<T> {
    // SAFETY: generated code passes the `Ctx` that `super::run` created and
    // keeps alive (and exclusively borrowed by this thread) for the whole
    // run; `rt` points to that run's `Runtime`, which nothing else touches
    // while generated code runs.
    let (ctx, rt) = unsafe { (&mut *ctx, &mut *(*ctx).rt) };
    let result = catch_unwind(AssertUnwindSafe(|| body(rt, ctx)));
    match result {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            rt.stop(e);
            ctx.status = 1;
            None
        }
        Err(_) => {
            rt.stop(interp::internal("a JIT runtime helper panicked"));
            ctx.status = 1;
            None
        }
    }
}

/// Stops the run: `kind` is one of the `FAIL_*` constants, `arg` the
/// message or global index.
pub(crate) extern "C" fn rt_fail(ctx: *mut Ctx, kind: u32, arg: u32) {
    with_ctx(ctx, |rt, _| {
        Err::<(), _>(match kind {
            FAIL_STEPS => RunError::StepLimit(rt.limits.steps),
            FAIL_STACK => RunError::StackLimit(rt.limits.stack_depth),
            FAIL_NOT_READY => {
                let name = rt.global_names.get(arg as usize).cloned().unwrap_or_default();
                RunError::Runtime(format!("`{name}` is used before its value is computed"))
            }
            _ => RunError::Runtime(rt.messages.get(arg as usize).cloned().unwrap_or_else(|| "internal: unknown failure".into())),
        })
    });
}

/// The value tags helpers take, one per Core type: the kind in the top
/// bits, the type's index in the low 24.
pub(crate) fn tag(ty: Ty) -> u32 {
    match ty {
        Ty::Int => 0,
        Ty::Float => 1,
        Ty::Bool => 2,
        Ty::Char => 3,
        Ty::Unit => 4,
        Ty::Str => 5,
        Ty::Tuple(i) => (1 << KIND_SHIFT) | i,
        Ty::Data(i) => (2 << KIND_SHIFT) | i,
        Ty::List(i) => (3 << KIND_SHIFT) | i,
        Ty::Fun(i) => (4 << KIND_SHIFT) | i,
        Ty::Record(i) => (5 << KIND_SHIFT) | i,
    }
}

const KIND_SHIFT: u32 = 24;

/// The Core type a tag stands for.
fn ty_of_tag(tag: u32) -> Ty {
    let index = tag & ((1 << KIND_SHIFT) - 1);
    match tag >> KIND_SHIFT {
        1 => Ty::Tuple(index),
        2 => Ty::Data(index),
        3 => Ty::List(index),
        4 => Ty::Fun(index),
        5 => Ty::Record(index),
        _ => match tag {
            0 => Ty::Int,
            1 => Ty::Float,
            2 => Ty::Bool,
            3 => Ty::Char,
            5 => Ty::Str,
            _ => Ty::Unit,
        },
    }
}

/// The reference count of a string constant: so large that no number of
/// drops brings it to zero, so constants are never freed by a run.
pub(crate) const IMMORTAL: u64 = 1 << 62;

// ----- heap objects -----
//
// A heap object is one allocation: a reference count (`u64`) followed by
// its fields, 8 bytes each, every field a value's 64-bit pattern (as
// globals store them). Generated code reads fields and adjusts counts in
// place; allocation and freeing happen here, so the live-byte count sees
// every object. Objects are only ever made by `rt_alloc`, and a pointer
// reaches the helpers below only while its object is alive (the code
// generator holds a reference for every use), which is what makes their
// dereferences sound.

/// Words of a string object made at run time: the count, the address of
/// its text, then the text itself (a `String`, in place, so a string costs
/// one allocation besides its bytes). The text's address is a field like
/// any other, so constant strings (whose text lives with the compiled
/// program) have the same layout for the code that reads them.
const STRING_WORDS: usize = 2 + TEXT_WORDS;

/// Words of the `String` kept in a string object.
const TEXT_WORDS: usize = std::mem::size_of::<String>().div_ceil(8);

/// Offset of field `i` in a heap object.
pub(crate) fn field_offset(i: u32) -> i32 {
    8 + 8 * i as i32
}

/// Bytes a data value with `n` arguments counts: what the interpreter
/// charges for it.
fn data_bytes(n: usize) -> u64 {
    (std::mem::size_of::<interp::value::DataNode>() + 16 + interp::value::SLOT_BYTES * n) as u64
}

/// Bytes a string counts: what the interpreter charges for one.
fn string_bytes(len: usize) -> u64 {
    (std::mem::size_of::<interp::value::StrNode>() + 16 + len) as u64
}

/// Bytes a closure with `n` captured values counts.
fn closure_bytes(n: usize) -> u64 {
    (std::mem::size_of::<interp::value::Closure>() + 16 + interp::value::SLOT_BYTES * n) as u64
}

/// Bytes a record with `n` fields counts.
fn record_bytes(n: usize) -> u64 {
    (std::mem::size_of::<interp::value::RecordNode>() + 16 + std::mem::size_of::<(std::rc::Rc<str>, interp::value::Value)>() * n) as u64
}

/// Bytes a cons cell counts: what the interpreter charges for one.
fn cons_bytes() -> u64 {
    (std::mem::size_of::<interp::value::Cons>() + 16) as u64
}

/// Bytes a tuple of `n` fields counts against the memory budget: what the
/// interpreter charges for the same tuple (its node, the `Rc` header and
/// one value slot per field), so a budget means the same in both engines.
fn tuple_bytes(n: usize) -> u64 {
    (std::mem::size_of::<interp::value::TupleNode>() + 16 + interp::value::SLOT_BYTES * n) as u64
}

/// The field types and budget bytes of every kind of object, computed once
/// per run, so that allocating and freeing an object allocate nothing
/// themselves.
#[derive(Default)]
pub(crate) struct Layouts {
    tuples: Vec<(Vec<Ty>, u64)>,
    lists: Vec<(Vec<Ty>, u64)>,
    /// Per data type, per constructor.
    datas: Vec<Vec<(Vec<Ty>, u64)>>,
    /// Per closure shape.
    shapes: Vec<(Vec<Ty>, u64)>,
    records: Vec<(Vec<Ty>, u64)>,
}

impl Layouts {
    pub fn new(core: &crate::core::Program) -> Layouts {
        let tuples = core.tuples.iter().map(|f| (f.clone(), tuple_bytes(f.len()))).collect();
        let lists = core.lists.iter().enumerate().map(|(i, e)| (vec![*e, Ty::List(i as u32)], cons_bytes())).collect();
        let datas = core.datas.iter().map(|d| d.cons.iter().map(|(_, args)| (std::iter::once(Ty::Int).chain(args.iter().copied()).collect(), data_bytes(args.len()))).collect()).collect();
        let shapes = core.shapes.iter().map(|caps| ([Ty::Int, Ty::Int].into_iter().chain(caps.iter().copied()).collect(), closure_bytes(caps.len()))).collect();
        let records = core.records.iter().map(|r| (r.iter().map(|(_, t)| *t).collect::<Vec<_>>(), record_bytes(r.len()))).collect();
        Layouts { tuples, lists, datas, shapes, records }
    }

    /// The field types of an object of type `ty` (a cons cell for a list;
    /// for data, the tag then the arguments of constructor `variant`; for a
    /// closure, its shape, its code, then its captures) and the bytes it
    /// counts against the memory budget.
    fn get(&self, ty: Ty, variant: u64) -> (&[Ty], u64) {
        let entry = match ty {
            Ty::Tuple(i) => self.tuples.get(i as usize),
            Ty::List(i) => self.lists.get(i as usize),
            Ty::Data(i) => self.datas.get(i as usize).and_then(|d| d.get(variant as usize)),
            Ty::Fun(_) => self.shapes.get(variant as usize),
            Ty::Record(i) => self.records.get(i as usize),
            _ => None,
        };
        entry.map_or((&[], 0), |(f, b)| (f.as_slice(), *b))
    }
}

impl Runtime {
    /// The field types of an object of type `ty` (see [`Layouts::get`]).
    fn fields(&self, ty: Ty, variant: u64) -> Vec<Ty> {
        self.layouts.get(ty, variant).0.to_vec()
    }

    /// The constructor index of a live object (0 unless it is data).
    fn variant_of(ty: Ty, object: u64) -> u64 {
        match ty {
            // SAFETY: field 0 of a live data object is its constructor, of
            // a closure its shape.
            Ty::Data(_) | Ty::Fun(_) => unsafe { *(object as *const u64).add(1) },
            _ => 0,
        }
    }

    /// Allocates an object of heap type `ty` with a count of one and zeroed
    /// fields, charging it to the memory budget.
    fn alloc(&mut self, ty: Ty, variant: u64) -> Result<u64, RunError> {
        let (fields, bytes) = self.layouts.get(ty, variant);
        let n = fields.len();
        if self.live.saturating_add(bytes) > self.limits.memory {
            return Err(RunError::MemoryLimit(self.limits.memory));
        }
        let ptr = self.heap.alloc(n + 1);
        if ptr.is_null() {
            return Err(RunError::MemoryLimit(self.limits.memory));
        }
        // SAFETY: `ptr` is a fresh allocation of at least 8 bytes, aligned.
        unsafe { *ptr = 1 };
        self.live += bytes;
        self.peak = self.peak.max(self.live);
        Ok(ptr as u64)
    }

    /// Drops one reference to the value `bits` of type `ty`, freeing every
    /// object that becomes unreferenced, with a worklist instead of
    /// recursion (a long chain of objects must not overflow the stack).
    pub fn release(&mut self, bits: u64, ty: Ty) {
        if !ty.is_heap() || bits == 0 {
            return;
        }
        // The worklist is kept between calls, so freeing allocates nothing.
        let mut work = std::mem::take(&mut self.work);
        work.clear();
        work.push((bits, ty));
        while let Some((object, ty)) = work.pop() {
            if object == 0 {
                continue;
            }
            let ptr = object as *mut u64;
            // SAFETY: `object` is a live object made by `alloc` (see above).
            let count = unsafe { *ptr };
            if count > 1 {
                // SAFETY: as above.
                unsafe { *ptr = count - 1 };
                continue;
            }
            if ty == Ty::Str {
                // SAFETY: a string object made by `new_string`, which owns
                // the `String` it holds from word 2 on; it is read once here.
                let text = unsafe { std::ptr::read(ptr.add(2) as *const String) };
                self.live = self.live.saturating_sub(string_bytes(text.len()));
                drop(text);
                // SAFETY: allocated by `new_string` with this size.
                unsafe { self.heap.free(ptr, STRING_WORDS) };
                continue;
            }
            let variant = Self::variant_of(ty, object);
            let (fields, bytes) = self.layouts.get(ty, variant);
            for (i, fty) in fields.iter().enumerate() {
                if fty.is_heap() {
                    // SAFETY: field `i` of a live object of this type.
                    let child = unsafe { *ptr.add(1 + i) };
                    work.push((child, *fty));
                }
            }
            let words = fields.len() + 1;
            // SAFETY: allocated by `alloc` with this very size (the field
            // count of its type), and unreferenced now.
            unsafe { self.heap.free(ptr, words) };
            self.live = self.live.saturating_sub(bytes);
        }
        self.work = work;
    }

    /// The interpreter's value for the value `bits` of type `ty`.
    pub fn to_value(&self, ty: Ty, bits: u64) -> Result<interp::value::Value, RunError> {
        self.to_value_at(ty, bits, 0)
    }

    fn to_value_at(&self, ty: Ty, bits: u64, depth: usize) -> Result<interp::value::Value, RunError> {
        if !ty.is_heap() || ty == Ty::Str {
            return to_value(tag(ty), bits);
        }
        if let Ty::Fun(_) = ty {
            return Err(interp::internal("a function where a value was expected"));
        }
        if let Ty::List(i) = ty {
            let elem = self.lists.get(i as usize).copied().unwrap_or(Ty::Unit);
            let mut items = Vec::new();
            let mut cell = bits;
            while cell != 0 {
                let ptr = cell as *const u64;
                // SAFETY: a live cons cell: head at field 0, tail at 1.
                let (head, tail) = unsafe { (*ptr.add(1), *ptr.add(2)) };
                items.push(self.to_value_at(elem, head, depth + 1)?);
                cell = tail;
            }
            let list = items.into_iter().rev().fold(interp::value::List::nil(), |tail, head| interp::value::List::cons(head, tail));
            return Ok(interp::value::Value::List(list));
        }
        if bits == 0 || depth > 1000 {
            return Err(interp::internal("a malformed heap value"));
        }
        let ptr = bits as *const u64;
        let variant = Self::variant_of(ty, bits);
        let mut items = Vec::new();
        for (i, fty) in self.fields(ty, variant).iter().enumerate() {
            // SAFETY: field `i` of a live object of this type.
            let field = unsafe { *ptr.add(1 + i) };
            items.push(self.to_value_at(*fty, field, depth + 1)?);
        }
        if let Ty::Data(i) = ty {
            let name = self.datas.get(i as usize).and_then(|d| d.cons.get(variant as usize)).map(|c| c.0.clone()).unwrap_or_default();
            let args: Vec<_> = items.into_iter().skip(1).collect();
            let con = std::rc::Rc::new(interp::value::ConInfo { id: variant as u32, name: name.into(), arity: args.len() });
            return Ok(interp::value::Value::data(con, args));
        }
        if let Ty::Record(i) = ty {
            let names = self.records.get(i as usize).cloned().unwrap_or_default();
            let fields = names.into_iter().zip(items).map(|((k, _), v)| (std::rc::Rc::from(k.as_str()), v)).collect();
            return Ok(interp::value::Value::record(fields));
        }
        Ok(interp::value::Value::tuple(items))
    }

    /// The prelude's text functions that read their arguments' text in
    /// place, with the interpreter's implementation but no copy through
    /// its values: `str_len`, `str_starts_with`, `str_ends_with`,
    /// `str_contains`, `str_join`. `None` for the others.
    fn text_in_place(&mut self, builtin: interp::prelude::Builtin, ret: Ty, args: &[(u32, u64)]) -> Result<Option<u64>, RunError> {
        use interp::prelude::Builtin::*;
        match (builtin, args) {
            (StrLen | StrStartsWith | StrEndsWith | StrContains, _) => {
                let texts = args.iter().map(|&(_, a)| string_at(a).map(String::as_str)).collect::<Result<Vec<&str>, _>>()?;
                match interp::prelude::text_query(builtin, &texts) {
                    Some(value) => Ok(Some(self.object_of(ret, &value)?)),
                    None => Ok(None),
                }
            }
            (StrJoin, &[(_, sep), (_, list)]) => {
                let mut cell = list;
                let parts = std::iter::from_fn(|| {
                    if cell == 0 {
                        return None;
                    }
                    let ptr = cell as *const u64;
                    // SAFETY: a live cons cell of a `[String]`: head at field 0, tail at 1.
                    let (head, tail) = unsafe { (*ptr.add(1), *ptr.add(2)) };
                    cell = tail;
                    Some(string_at(head).map(String::as_str))
                });
                let (live, limit) = (self.live, self.limits.memory);
                let room = |len: usize| if live.saturating_add(len as u64) > limit { Err(RunError::MemoryLimit(limit)) } else { Ok(()) };
                let text = interp::prelude::join_texts(string_at(sep)?, parts, room)?;
                Ok(Some(self.new_string(text)?))
            }
            _ => Ok(None),
        }
    }

    /// A new string object owning `text` (fails on the memory budget).
    fn new_string(&mut self, text: String) -> Result<u64, RunError> {
        let bytes = string_bytes(text.len());
        if self.live.saturating_add(bytes) > self.limits.memory {
            return Err(RunError::MemoryLimit(self.limits.memory));
        }
        let ptr = self.heap.alloc(STRING_WORDS);
        if ptr.is_null() {
            return Err(RunError::MemoryLimit(self.limits.memory));
        }
        // SAFETY: a fresh allocation of `STRING_WORDS` words, 8-byte
        // aligned, so words 2.. hold a `String`.
        unsafe {
            let place = ptr.add(2);
            std::ptr::write(place as *mut String, text);
            *ptr = 1;
            *ptr.add(1) = place as u64;
        }
        self.live += bytes;
        self.peak = self.peak.max(self.live);
        Ok(ptr as u64)
    }

    /// The value of type `ty` for an interpreter value (new objects, each
    /// with a count of one).
    pub fn object_of(&mut self, ty: Ty, value: &interp::value::Value) -> Result<u64, RunError> {
        self.object_of_at(ty, value, 0)
    }

    fn object_of_at(&mut self, ty: Ty, value: &interp::value::Value, depth: usize) -> Result<u64, RunError> {
        use interp::value::Value;
        if depth > 1000 {
            return Err(interp::internal("a value nested too deeply for the JIT"));
        }
        let mismatch = || interp::internal("a prelude result of an unexpected type");
        Ok(match (ty, value) {
            (Ty::Int, Value::Int(i)) => *i as u64,
            (Ty::Float, Value::Float(x)) => x.to_bits(),
            (Ty::Float, Value::Int(i)) => (*i as f64).to_bits(),
            (Ty::Bool, Value::Bool(b)) => u64::from(*b),
            (Ty::Char, Value::Char(c)) => u64::from(*c as u32),
            (Ty::Unit, _) => 0,
            (Ty::Str, Value::Str(s)) => self.new_string(s.text.to_string())?,
            (Ty::List(i), Value::List(list)) => {
                let elem = self.lists.get(i as usize).copied().ok_or_else(mismatch)?;
                let items: Vec<&Value> = list.iter().collect();
                let mut cell = 0u64;
                for item in items.into_iter().rev() {
                    let head = self.object_of_at(elem, item, depth + 1)?;
                    let object = self.alloc(ty, 0)?;
                    // SAFETY: a fresh cons cell: head at field 0, tail at 1.
                    unsafe {
                        *(object as *mut u64).add(1) = head;
                        *(object as *mut u64).add(2) = cell;
                    }
                    cell = object;
                }
                cell
            }
            (Ty::Tuple(_), Value::Tuple(t)) => {
                let fields = self.fields(ty, 0);
                let bits = fields.iter().zip(t.items.iter()).map(|(f, v)| self.object_of_at(*f, v, depth + 1)).collect::<Result<Vec<_>, _>>()?;
                self.object_with(ty, 0, &bits)?
            }
            (Ty::Record(_), Value::Record(r)) => {
                let fields = self.fields(ty, 0);
                let bits = fields.iter().zip(r.fields.iter()).map(|(f, (_, v))| self.object_of_at(*f, v, depth + 1)).collect::<Result<Vec<_>, _>>()?;
                self.object_with(ty, 0, &bits)?
            }
            (Ty::Data(i), Value::Data(d)) => {
                let variant = self.datas.get(i as usize).and_then(|data| data.cons.iter().position(|(n, _)| **n == *d.con.name)).ok_or_else(mismatch)?;
                let fields = self.fields(ty, variant as u64);
                let mut bits = vec![variant as u64];
                for (f, v) in fields.iter().skip(1).zip(d.args.iter()) {
                    bits.push(self.object_of_at(*f, v, depth + 1)?);
                }
                self.object_with(ty, variant as u64, &bits)?
            }
            _ => return Err(mismatch()),
        })
    }

    /// A new object with these fields (their references move into it).
    fn object_with(&mut self, ty: Ty, variant: u64, fields: &[u64]) -> Result<u64, RunError> {
        let object = self.alloc(ty, variant)?;
        for (i, f) in fields.iter().enumerate() {
            // SAFETY: field `i` of a fresh object of this type.
            unsafe { *(object as *mut u64).add(1 + i) = *f };
        }
        Ok(object)
    }
}

/// A new heap object of the type with tag `tag` (fails on the memory
/// budget); 0 when the run stopped.
pub(crate) extern "C" fn rt_alloc(ctx: *mut Ctx, tag: u32, variant: u32) -> u64 {
    with_ctx(ctx, |rt, _| rt.alloc(ty_of_tag(tag), u64::from(variant))).unwrap_or(0)
}

/// Frees an object whose count generated code found at one, and whatever
/// only it referenced.
pub(crate) extern "C" fn rt_free(ctx: *mut Ctx, tag: u32, object: u64) {
    with_ctx(ctx, |rt, _| {
        rt.release(object, ty_of_tag(tag));
        Ok(())
    });
}

/// The interpreter's value for a Core value given as a 64-bit pattern.
pub(crate) fn to_value(tag: u32, bits: u64) -> Result<interp::value::Value, RunError> {
    use interp::value::Value;
    Ok(match tag {
        0 => Value::Int(bits as i64),
        1 => Value::Float(f64::from_bits(bits)),
        2 => Value::Bool(bits & 0xff != 0),
        3 => Value::Char(char::from_u32(bits as u32).ok_or_else(|| interp::internal("a Char out of range"))?),
        4 => Value::Unit,
        _ => Value::str(string_at(bits)?.as_str()),
    })
}

/// The text of the string object at address `bits`.
fn string_at<'s>(bits: u64) -> Result<&'s String, RunError> {
    if bits == 0 {
        return Err(interp::internal("a null string"));
    }
    // SAFETY: `Str` values are string objects: a constant (an immortal
    // object of the compiled program, alive until the run's end) or made by
    // `Runtime::new_string`, alive while generated code holds the reference
    // it passes; field 0 points to the boxed text it owns.
    Ok(unsafe { &*(*(bits as *const u64).add(1) as *const String) })
}

/// The code of a binary operator for `rt_binary`.
pub(crate) fn binary_code(op: crate::ast::BinOp) -> u32 {
    BINARY_OPS.iter().position(|o| *o == op).unwrap_or(0) as u32
}

const BINARY_OPS: [crate::ast::BinOp; 7] = {
    use crate::ast::BinOp::*;
    [Eq, Ne, Lt, Gt, Le, Ge, Append]
};

/// A prelude function without function arguments, by the interpreter's
/// implementation: `n` arguments given as (tag, bits) pairs, the result
/// converted to the type of `ret_tag`.
#[allow(clippy::too_many_arguments)]
pub(crate) extern "C" fn rt_prelude(ctx: *mut Ctx, name: u32, ret_tag: u32, n: u32, t0: u32, a0: u64, t1: u32, a1: u64, t2: u32, a2: u64) -> u64 {
    with_ctx(ctx, |rt, _| {
        let ret = ty_of_tag(ret_tag);
        let mut builtin = rt.builtins.get(name as usize).copied().flatten().ok_or_else(|| interp::internal("an unknown prelude function"))?;
        builtin = match builtin {
            interp::prelude::Builtin::Sum { .. } => interp::prelude::Builtin::Sum { float: ret == Ty::Float },
            interp::prelude::Builtin::Product { .. } => interp::prelude::Builtin::Product { float: ret == Ty::Float },
            other => other,
        };
        let args = [(t0, a0), (t1, a1), (t2, a2)];
        if let Some(bits) = rt.text_in_place(builtin, ret, args.get(..n as usize).unwrap_or(&[]))? {
            return Ok(bits);
        }
        let mut argv = Vec::with_capacity(n as usize);
        for (t, a) in [(t0, a0), (t1, a1), (t2, a2)].into_iter().take(n as usize) {
            argv.push(rt.to_value(ty_of_tag(t), a)?);
        }
        let mut budget = interp::limits::Budget::new(&rt.limits);
        let result = interp::prelude::pure_builtin(builtin, argv, &mut budget)?;
        rt.object_of(ret, &result)
    })
    .unwrap_or(0)
}

/// A comparison (`Bool`) or `++` (a list) of two heap values of type
/// `tag`, by the interpreter's `binary`.
pub(crate) extern "C" fn rt_binary(ctx: *mut Ctx, op: u32, tag: u32, ret_tag: u32, a: u64, b: u64) -> u64 {
    with_ctx(ctx, |rt, _| {
        let op = BINARY_OPS.get(op as usize).copied().ok_or_else(|| interp::internal("an unknown operator"))?;
        let ty = ty_of_tag(tag);
        let (a, b) = (rt.to_value(ty, a)?, rt.to_value(ty, b)?);
        let mut budget = interp::limits::Budget::new(&rt.limits);
        let result = interp::prelude::binary(op, a, b, &mut budget)?;
        rt.object_of(ty_of_tag(ret_tag), &result)
    })
    .unwrap_or(0)
}

/// `show x` (or, with `display`, how `print` and interpolation render it).
pub(crate) extern "C" fn rt_show(ctx: *mut Ctx, display: u32, tag: u32, bits: u64) -> u64 {
    with_ctx(ctx, |rt, _| {
        let value = rt.to_value(ty_of_tag(tag), bits)?;
        let text = if display == 1 { interp::show::display(&value)? } else { interp::show::show(&value)? };
        rt.new_string(text)
    })
    .unwrap_or(0)
}

/// `a ++ b` on strings.
pub(crate) extern "C" fn rt_concat(ctx: *mut Ctx, a: u64, b: u64) -> u64 {
    with_ctx(ctx, |rt, _| {
        let text = format!("{}{}", string_at(a)?, string_at(b)?);
        rt.new_string(text)
    })
    .unwrap_or(0)
}

/// `print x`: writes `x` as `print` does, then a newline.
pub(crate) extern "C" fn rt_print(ctx: *mut Ctx, tag: u32, bits: u64) {
    with_ctx(ctx, |rt, _| {
        let mut line = interp::show::display(&rt.to_value(ty_of_tag(tag), bits)?)?;
        line.push('\n');
        rt.write(line.as_bytes());
        Ok(())
    });
}

/// `a ** b` on Ints (fails on a negative exponent).
pub(crate) extern "C" fn rt_ipow(ctx: *mut Ctx, a: i64, b: i64) -> i64 {
    with_ctx(ctx, |rt, _| {
        let mut budget = interp::limits::Budget::new(&rt.limits);
        match interp::prelude::binary(crate::ast::BinOp::Pow, interp::value::Value::Int(a), interp::value::Value::Int(b), &mut budget)? {
            interp::value::Value::Int(i) => Ok(i),
            _ => Err(interp::internal("`**` gave a non-Int")),
        }
    })
    .unwrap_or(0)
}

/// `a ** b` on Floats.
pub(crate) extern "C" fn rt_fpow(a: f64, b: f64) -> f64 {
    a.powf(b)
}

/// `truncate`, `floor`, `ceil`, `round` (mode is the `Rounding` index).
pub(crate) extern "C" fn rt_f2i(ctx: *mut Ctx, mode: u32, x: f64) -> i64 {
    with_ctx(ctx, |_, _| {
        let rounding = [Rounding::Truncate, Rounding::Floor, Rounding::Ceil, Rounding::Round].get(mode as usize).copied().unwrap_or(Rounding::Truncate);
        let builtin = interp::prelude::Builtin::lookup(rounding.name()).ok_or_else(|| interp::internal("no rounding builtin"))?;
        match interp::prelude::number_builtin(builtin, vec![interp::value::Value::Float(x)])? {
            interp::value::Value::Int(i) => Ok(i),
            _ => Err(interp::internal("rounding gave a non-Int")),
        }
    })
    .unwrap_or(0)
}

/// `chr n` (fails when `n` is not a Unicode scalar value).
pub(crate) extern "C" fn rt_chr(ctx: *mut Ctx, n: i64) -> u32 {
    with_ctx(ctx, |_, _| match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => Ok(c as u32),
        None => Err(RunError::Runtime(format!("chr of {n}, which is not a Unicode scalar value"))),
    })
    .unwrap_or(0)
}

/// Orders two strings: -1, 0 or 1.
pub(crate) extern "C" fn rt_str_cmp(ctx: *mut Ctx, a: u64, b: u64) -> i32 {
    with_ctx(ctx, |_, _| {
        let (a, b) = (string_at(a)?, string_at(b)?);
        Ok(a.cmp(b) as i32)
    })
    .unwrap_or(0)
}

/// `error s` with a computed message.
pub(crate) extern "C" fn rt_user_error(ctx: *mut Ctx, s: u64) {
    with_ctx(ctx, |_, _| Err::<(), _>(RunError::Runtime(format!("error: {}", string_at(s)?))));
}

/// A failure with a message computed at run time (`Failure::Computed`).
pub(crate) extern "C" fn rt_fail_computed(ctx: *mut Ctx, s: u64) {
    with_ctx(ctx, |_, _| Err::<(), _>(RunError::Runtime(string_at(s)?.to_string())));
}
