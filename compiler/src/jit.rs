//! The Cranelift JIT: runs a checked program as native code, with the same
//! output, errors and limits as the interpreter ([`crate::interp`]).
//!
//! Usage: [`run_main`] mirrors [`interp::run_main`] (same [`Limits`], same
//! [`RunError`]s and messages); a program using a construct the JIT does not
//! compile yet fails with "the JIT does not support X yet" before anything
//! runs. [`try_run_main`] tells that case apart ([`JitError::Unsupported`]),
//! so a caller can fall back to the interpreter.
//!
//! A run: [`core::lower`] builds the monomorphic Core IR; a fresh thread
//! whose stack is sized from the stack budget compiles it
//! ([`codegen`](self::codegen)) and runs the top-level values in source
//! order, `main` last, through their entry functions; output travels to the
//! caller's writer in chunks over a channel, so the writer need not be
//! `Send`. Generated code checks fuel, call depth and the native stack
//! itself and calls the helpers of [`runtime`](self::runtime); the only
//! `unsafe` outside that module is [`call_entry`].
//!
//! See `docs/jit.md` for the design and its measurements.

mod codegen;
mod heap;
mod runtime;

use crate::ast;
use crate::core::{self, Ty, Unsupported};
use crate::interp::{self, Limits, RunError};
use crate::types::TypeInfo;
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

/// Why the JIT did not run a program to the end.
#[derive(Clone, Debug, PartialEq)]
pub enum JitError {
    /// The program uses something the JIT does not compile yet; nothing
    /// ran and nothing was written.
    Unsupported(Unsupported),
    /// The run stopped, exactly as [`interp::run_main`] would report.
    Run(RunError),
}

impl std::fmt::Display for JitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JitError::Unsupported(u) => write!(f, "{u}"),
            JitError::Run(e) => write!(f, "{e}"),
        }
    }
}

/// Runs `main` as [`interp::run_main`] does; an unsupported program is a
/// [`RunError::Runtime`] "the JIT does not support X yet".
pub fn run_main(program: &ast::Program, info: &TypeInfo, limits: &Limits, out: &mut dyn Write) -> Result<(), RunError> {
    try_run_main(program, info, limits, out).map_err(|e| match e {
        JitError::Unsupported(u) => RunError::Runtime(u.0),
        JitError::Run(e) => e,
    })
}

/// Runs `main`, telling an unsupported program apart from a failed run.
pub fn try_run_main(program: &ast::Program, info: &TypeInfo, limits: &Limits, out: &mut dyn Write) -> Result<(), JitError> {
    run_with_stats(program, info, limits, out).map(|_| ())
}

/// What a run measured.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Compile time of each Core function.
    pub compile_times: Vec<Duration>,
    /// Time from the first entry call to the end of `main`.
    pub run_time: Duration,
    /// The most bytes of heap objects alive at once (as the memory budget
    /// counts them).
    pub peak_bytes: u64,
    /// Bytes still alive after the top-level values were released: 0
    /// unless reference counting leaked.
    pub live_at_end: u64,
}

/// [`try_run_main`], also returning compile and run times (for benchmarks).
pub fn run_with_stats(program: &ast::Program, info: &TypeInfo, limits: &Limits, out: &mut dyn Write) -> Result<Stats, JitError> {
    check_main(program).map_err(JitError::Run)?;
    let core = core::lower(program, info).map_err(JitError::Unsupported)?;
    let (sender, receiver) = mpsc::channel::<Vec<u8>>();
    let stack = stack_bytes(limits);
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("synoema-jit".into())
            .stack_size(stack)
            .spawn_scoped(scope, || run_core(&core, limits, sender, stack));
        let worker = match worker {
            Ok(w) => w,
            Err(e) => return Err(JitError::Run(interp::internal(&format!("cannot start the JIT thread: {e}")))),
        };
        let mut write_error = None;
        for chunk in receiver {
            if write_error.is_none() {
                if let Err(e) = out.write_all(&chunk) {
                    write_error = Some(RunError::Output(e.to_string()));
                }
            }
        }
        let result = worker.join().unwrap_or_else(|_| Err(JitError::Run(interp::internal("the JIT thread panicked"))));
        if let Some(e) = write_error {
            return Err(JitError::Run(e));
        }
        out.flush().map_err(|e| JitError::Run(RunError::Output(e.to_string())))?;
        result
    })
}

/// The interpreter's checks on `main`, with its messages.
fn check_main(program: &ast::Program) -> Result<(), RunError> {
    let main = program.items.iter().find_map(|item| match item {
        ast::Item::Equation(eq) if eq.name.name == "main" => Some(eq),
        _ => None,
    });
    match main {
        None => Err(RunError::Runtime("no `main` defined".into())),
        Some(eq) if !eq.params.is_empty() => Err(RunError::Runtime("`main` must not take parameters".into())),
        Some(_) => Ok(()),
    }
}

/// Native stack for the run's thread: room for the whole depth budget at
/// a generous frame size, within bounds. The stack guard in every function
/// still stops a run cleanly if frames turn out larger.
fn stack_bytes(limits: &Limits) -> usize {
    const PER_CALL: u64 = 256;
    const BASE: u64 = 8 << 20;
    const MAX: u64 = 512 << 20;
    limits.stack_depth.saturating_mul(PER_CALL).saturating_add(BASE).min(MAX) as usize
}

/// Room kept below the stack floor for the helpers' own frames.
const HELPER_STACK: u64 = 1 << 20;

/// Compiles and runs a Core program on the current thread (whose stack is
/// `stack` bytes).
fn run_core(core: &core::Program, limits: &Limits, sink: mpsc::Sender<Vec<u8>>, stack: usize) -> Result<Stats, JitError> {
    let compiled = codegen::compile(core).map_err(|e| JitError::Run(interp::internal(&format!("JIT compilation failed: {e}"))))?;
    let n = core.globals.len();
    let mut globals = vec![0u64; n];
    let mut ready = vec![0u8; n];
    let mut rt = runtime::Runtime {
        out: Vec::new(),
        sink,
        error: None,
        limits: limits.clone(),
        messages: compiled.messages.clone(),
        builtins: compiled.messages.iter().map(|m| interp::prelude::Builtin::lookup(m)).collect(),
        global_names: core.globals.iter().map(|g| g.name.clone()).collect(),
        lists: core.lists.clone(),
        datas: core.datas.clone(),
        records: core.records.clone(),
        layouts: runtime::Layouts::new(core),
        work: Vec::new(),
        heap: heap::Heap::new(),
        live: 0,
        peak: 0,
    };
    // The stack grows down from about here.
    let marker = 0u8;
    let top = std::ptr::addr_of!(marker) as u64;
    let mut ctx = runtime::Ctx {
        status: 0,
        fuel: i64::try_from(limits.steps).unwrap_or(i64::MAX),
        depth: 0,
        depth_limit: limits.stack_depth,
        stack_floor: top.saturating_sub(stack as u64).saturating_add(HELPER_STACK),
        globals: globals.as_mut_ptr(),
        ready: ready.as_mut_ptr(),
        rt: &mut rt,
    };
    let started = std::time::Instant::now();
    let mut main_bits = 0;
    // Every other top-level value in source order, then `main`, as the
    // interpreter does.
    let order = (0..n).filter(|i| *i != core.main).chain(std::iter::once(core.main));
    for i in order {
        let Some(entry) = compiled.entries.get(i) else { break };
        ctx.depth = 0;
        let bits = call_entry(*entry, &mut ctx);
        if ctx.status != 0 {
            break;
        }
        if let (Some(g), Some(r)) = (globals.get_mut(i), ready.get_mut(i)) {
            *g = bits;
            *r = 1;
        }
        ctx.globals = globals.as_mut_ptr();
        ctx.ready = ready.as_mut_ptr();
        if i == core.main {
            main_bits = bits;
        }
    }
    let run_time = started.elapsed();
    let result = match rt.error.take() {
        Some(e) => Err(JitError::Run(e)),
        None => write_main(core, main_bits, &mut rt).map_err(JitError::Run),
    };
    // The top-level values hold the last references to their objects.
    for (global, (bits, ready)) in core.globals.iter().zip(globals.iter().zip(&ready)) {
        if *ready == 1 {
            rt.release(*bits, global.ty);
        }
    }
    let live_at_end = rt.live;
    rt.flush();
    let flushed = rt.error.take();
    // The code must outlive every call into it; free it only now.
    // SAFETY: no pointer into the module's code is used after this point.
    unsafe { compiled.module.free_memory() };
    drop(compiled.string_objects);
    drop(compiled.strings);
    match (result, flushed) {
        (Err(e), _) => Err(e),
        (Ok(()), Some(e)) => Err(JitError::Run(e)),
        (Ok(()), None) => Ok(Stats { compile_times: compiled.compile_times, run_time, peak_bytes: rt.peak, live_at_end }),
    }
}

/// Writes `main`'s value as `run_main` does: a string as is, `()` not at
/// all, anything else as `show` renders it; then a newline.
fn write_main(core: &core::Program, bits: u64, rt: &mut runtime::Runtime) -> Result<(), RunError> {
    let ty = core.globals.get(core.main).map_or(Ty::Unit, |g| g.ty);
    let value = rt.to_value(ty, bits)?;
    let text = match (&value, ty) {
        (_, Ty::Unit) => return Ok(()),
        (interp::value::Value::Str(s), _) => format!("{}\n", s.text),
        (v, _) => format!("{}\n", interp::show::show(v)?),
    };
    rt.write(text.as_bytes());
    Ok(())
}

/// Calls the entry function of a top-level value.
///
/// # Safety
///
/// This is the one call into generated code. It is sound because `entry`
/// is an address `codegen::compile` returned for a function it defined with
/// the `system_v` signature `fn(*mut Ctx) -> u64`, its module is alive (it
/// is freed only after the last call), and `ctx` is a valid, exclusively
/// borrowed context whose `globals`, `ready` and `rt` pointers are live for
/// the call. Generated code never unwinds: helpers catch panics and every
/// check (fuel, depth, native stack) returns normally.
fn call_entry(entry: *const u8, ctx: &mut runtime::Ctx) -> u64 {
    // SAFETY: see the function's documentation.
    let f: extern "C" fn(*mut runtime::Ctx) -> u64 = unsafe { std::mem::transmute(entry) };
    f(ctx)
}
