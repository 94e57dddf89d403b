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
    /// Names of the top-level values, for "used before its value is computed".
    pub global_names: Vec<String>,
    /// Field types of the tuple types (`Ty::Tuple(i)`).
    pub tuples: Vec<Vec<Ty>>,
    /// Element types of the list types (`Ty::List(i)`).
    pub lists: Vec<Ty>,
    /// Constructors of the data types (`Ty::Data(i)`).
    pub datas: Vec<crate::core::DataTy>,
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

/// The value tags `rt_print` takes, one per Core type.
pub(crate) fn tag(ty: Ty) -> u32 {
    match ty {
        Ty::Int => 0,
        Ty::Float => 1,
        Ty::Bool => 2,
        Ty::Char => 3,
        Ty::Unit => 4,
        Ty::Str => 5,
        Ty::Tuple(i) => TUPLE_TAG + i,
        Ty::List(i) => LIST_TAG + i,
        Ty::Data(i) => DATA_TAG + i,
    }
}

/// Tags from this one on (below `LIST_TAG`) are data types.
const DATA_TAG: u32 = 1 << 29;

/// Tags from this one on are list types (`LIST_TAG + index`).
const LIST_TAG: u32 = 1 << 30;

/// Tags from this one on are tuple types (`TUPLE_TAG + index`).
const TUPLE_TAG: u32 = 6;

/// The Core type a tag stands for.
fn ty_of_tag(tag: u32) -> Ty {
    if tag >= LIST_TAG {
        return Ty::List(tag - LIST_TAG);
    }
    if tag >= DATA_TAG {
        return Ty::Data(tag - DATA_TAG);
    }
    match tag {
        0 => Ty::Int,
        1 => Ty::Float,
        2 => Ty::Bool,
        3 => Ty::Char,
        4 => Ty::Unit,
        5 => Ty::Str,
        t => Ty::Tuple(t - TUPLE_TAG),
    }
}

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

/// Offset of field `i` in a heap object.
pub(crate) fn field_offset(i: u32) -> i32 {
    8 + 8 * i as i32
}

fn object_layout(fields: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::from_size_align(8 + 8 * fields, 8).ok()
}

/// Bytes a data value with `n` arguments counts: what the interpreter
/// charges for it.
fn data_bytes(n: usize) -> u64 {
    (std::mem::size_of::<interp::value::DataNode>() + 16 + interp::value::SLOT_BYTES * n) as u64
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

impl Runtime {
    /// The field types of an object of type `ty` (a cons cell for a list;
    /// for data, the tag then the arguments of constructor `variant`).
    fn fields(&self, ty: Ty, variant: u64) -> Vec<Ty> {
        match ty {
            Ty::Data(i) => {
                let args = self.datas.get(i as usize).and_then(|d| d.cons.get(variant as usize)).map(|c| c.1.clone()).unwrap_or_default();
                std::iter::once(Ty::Int).chain(args).collect()
            }
            Ty::Tuple(i) => self.tuples.get(i as usize).cloned().unwrap_or_default(),
            Ty::List(i) => self.lists.get(i as usize).map(|e| vec![*e, ty]).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Bytes an object of type `ty` counts against the memory budget.
    fn object_bytes(&self, ty: Ty, variant: u64) -> u64 {
        match ty {
            Ty::List(_) => cons_bytes(),
            Ty::Data(_) => data_bytes(self.fields(ty, variant).len().saturating_sub(1)),
            _ => tuple_bytes(self.fields(ty, 0).len()),
        }
    }

    /// The constructor index of a live object (0 unless it is data).
    fn variant_of(ty: Ty, object: u64) -> u64 {
        match ty {
            // SAFETY: field 0 of a live data object is its constructor.
            Ty::Data(_) => unsafe { *(object as *const u64).add(1) },
            _ => 0,
        }
    }

    /// Allocates an object of heap type `ty` with a count of one and zeroed
    /// fields, charging it to the memory budget.
    fn alloc(&mut self, ty: Ty, variant: u64) -> Result<u64, RunError> {
        let n = self.fields(ty, variant).len();
        let bytes = self.object_bytes(ty, variant);
        if self.live.saturating_add(bytes) > self.limits.memory {
            return Err(RunError::MemoryLimit(self.limits.memory));
        }
        let layout = object_layout(n).ok_or_else(|| interp::internal("an object too large"))?;
        // SAFETY: the layout has a non-zero size (at least the count).
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) } as *mut u64;
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
        let mut work = vec![(bits, ty)];
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
            let variant = Self::variant_of(ty, object);
            let fields = self.fields(ty, variant);
            for (i, fty) in fields.iter().enumerate() {
                if fty.is_heap() {
                    // SAFETY: field `i` of a live object of this type.
                    let child = unsafe { *ptr.add(1 + i) };
                    work.push((child, *fty));
                }
            }
            if let Some(layout) = object_layout(fields.len()) {
                // SAFETY: allocated by `alloc` with this very layout (the
                // field count of its type), and unreferenced now.
                unsafe { std::alloc::dealloc(ptr as *mut u8, layout) };
            }
            self.live = self.live.saturating_sub(self.object_bytes(ty, variant));
        }
    }

    /// The interpreter's value for the value `bits` of type `ty`.
    pub fn to_value(&self, ty: Ty, bits: u64) -> Result<interp::value::Value, RunError> {
        self.to_value_at(ty, bits, 0)
    }

    fn to_value_at(&self, ty: Ty, bits: u64, depth: usize) -> Result<interp::value::Value, RunError> {
        if !ty.is_heap() {
            return to_value(tag(ty), bits);
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
        Ok(interp::value::Value::tuple(items))
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

/// The string constant at address `bits`.
fn string_at<'s>(bits: u64) -> Result<&'s String, RunError> {
    if bits == 0 {
        return Err(interp::internal("a null string"));
    }
    // SAFETY: `Str` values are only ever made by generated code from the
    // addresses of `Runtime::strings` entries (boxed, so they do not move),
    // which live until the run's end, after every use.
    Ok(unsafe { &*(bits as *const String) })
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
