//! Core to machine code with Cranelift.
//!
//! Every Core function becomes one Cranelift function with the `tail`
//! calling convention (so `return_call` gives constant-stack tail calls,
//! mutual ones included), taking the run context first and its parameters
//! unboxed in registers: `Int` as `i64`, `Float` as `f64`, `Bool` and `()`
//! as `i8`, `Char` as `i32`, a string constant as its address.
//!
//! Safety checks compiled into every function:
//! - entry: spend one step of fuel (step limit) and compare the stack
//!   pointer with the context's floor (native stack guard); a call of the
//!   function itself in tail position is a jump back to a loop header
//!   that spends the step again;
//! - around a non-tail call: the interpreter's depth count (stack limit of
//!   nested calls), then a test of the context's status, returning at once
//!   when the callee stopped the run;
//! - `/` and `%` by zero fail, and `i64::MIN / -1` wraps instead of
//!   trapping.
//!
//! Top-level values get a small `system_v` entry function each, which calls
//! the value's body and returns its 64-bit pattern; only those entries are
//! called from Rust.

use super::runtime::{self, tag};
use crate::core::{self, Cmp, Expr, ExprKind, Failure, Lit, Prim, Ty};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self, types, AbiParam, BlockArg, FuncRef, InstBuilder, MemFlagsData, SigRef, Signature, Value};
use cranelift_codegen::isa::CallConv;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{FuncId, Linkage, Module};
use std::time::{Duration, Instant};

/// A compiled program: its code (owned by the module) and the entry
/// function of each top-level value.
pub(crate) struct Compiled {
    /// Keeps the machine code alive; dropping it frees the code.
    pub module: JITModule,
    pub entries: Vec<*const u8>,
    pub messages: Vec<String>,
    /// The string constants: immortal string objects (a count that never
    /// reaches zero, then the address of the text), boxed so they do not
    /// move; they live as long as the code.
    #[allow(clippy::vec_box)]
    pub strings: Vec<Box<String>>,
    /// The immortal objects of string constants and nullary constructors.
    #[allow(clippy::vec_box)]
    pub string_objects: Vec<Box<[u64; 2]>>,
    /// Time spent compiling each Core function, in Core order.
    pub compile_times: Vec<Duration>,
}

fn isa() -> Result<cranelift_codegen::isa::OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let set = |flags: &mut settings::Builder, k: &str, v: &str| flags.set(k, v).map_err(|e| format!("cranelift setting {k}: {e}"));
    set(&mut flags, "opt_level", "speed")?;
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(&mut flags, "use_colocated_libcalls", "false")?;
    set(&mut flags, "is_pic", "false")?;
    // The IR verifier checks every function the code generator builds; it
    // costs a good part of the compile time, so release builds (whose code
    // generator the differential tests have exercised in debug builds)
    // skip it.
    set(&mut flags, "enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" })?;
    let isa_builder = cranelift_native::builder().map_err(|e| format!("host ISA: {e}"))?;
    isa_builder.finish(settings::Flags::new(flags)).map_err(|e| format!("host ISA: {e}"))
}

fn clif(ty: Ty) -> ir::Type {
    match ty {
        Ty::Int | Ty::Str | Ty::Tuple(_) | Ty::List(_) | Ty::Data(_) | Ty::Fun(_) | Ty::Record(_) => types::I64,
        Ty::Float => types::F64,
        Ty::Bool | Ty::Unit => types::I8,
        Ty::Char => types::I32,
    }
}

/// Compiles a whole Core program.
pub(crate) fn compile(program: &core::Program) -> Result<Compiled, String> {
    let isa = isa()?;
    let builder = JITBuilder::with_isa(isa, cranelift_module::default_libcall_names());
    let mut module = JITModule::new(builder);
    let ptr = module.target_config().pointer_type();
    let frontend = module.target_config();

    let mut ids = Vec::new();
    for (i, fun) in program.funs.iter().enumerate() {
        let mut sig = Signature::new(CallConv::Tail);
        sig.params.push(AbiParam::new(ptr));
        sig.params.extend(fun.params.iter().map(|(_, t)| AbiParam::new(clif(*t))));
        sig.returns.push(AbiParam::new(clif(fun.ret)));
        let id = module.declare_function(&format!("f{i}"), Linkage::Local, &sig).map_err(|e| e.to_string())?;
        ids.push(id);
    }

    let mut consts = Consts { messages: Vec::new(), strings: Vec::new(), objects: Vec::new() };
    let mut fctx = FunctionBuilderContext::new();
    let mut ctx = module.make_context();
    let mut compile_times = Vec::new();
    for (i, fun) in program.funs.iter().enumerate() {
        let start = Instant::now();
        ctx.func.signature = module.declarations().get_function_decl(ids[i]).signature.clone();
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let entry = b.create_block();
            b.append_block_params_for_function_params(entry);
            b.switch_to_block(entry);
            b.seal_block(entry);
            let params = b.block_params(entry).to_vec();
            let mut tr = Translator {
                b,
                module: &mut module,
                ids: &ids,
                consts: &mut consts,
                ptr,
                ctx: params[0],
                ret: fun.ret,
                vars: Vec::new(),
                owned: Vec::new(),
                sigs: Vec::new(),
                callees: Vec::new(),
                self_loop: None,
                bail: None,
                fail_blocks: Vec::new(),
            };
            tr.retype_vars(fun);
            if grows_stack(&fun.body, true, 0) {
                tr.stack_check();
            }
            // A function that calls itself in tail position loops: the
            // call jumps back to a header after the entry block instead of
            // replacing the frame (the fuel check stays in the loop).
            let tails = tail_calls(&fun.body, i, 0);
            let accumulates = fun.ret == Ty::Int && tails.accumulating && !tails.elsewhere;
            let params = if tails.to_self || accumulates {
                let header = tr.b.create_block();
                for (_, ty) in &fun.params {
                    tr.b.append_block_param(header, clif(*ty));
                }
                let mut args: Vec<BlockArg> = params[1..].iter().map(|v| BlockArg::Value(*v)).collect();
                if accumulates {
                    tr.b.append_block_param(header, types::I64);
                    tr.b.append_block_param(header, types::I64);
                    let zero = tr.b.ins().iconst(types::I64, 0);
                    args.extend([BlockArg::Value(zero), BlockArg::Value(zero)]);
                }
                tr.b.ins().jump(header, &args);
                tr.b.switch_to_block(header);
                let mut values = tr.b.block_params(header).to_vec();
                let acc = if accumulates {
                    let pending = values.pop();
                    values.pop().zip(pending)
                } else {
                    None
                };
                tr.self_loop = Some(SelfLoop { me: i, header, acc });
                values
            } else {
                params[1..].to_vec()
            };
            for ((var, ty), value) in fun.params.iter().zip(&params) {
                tr.def(*var, *value);
                tr.own(*var, *ty);
            }
            tr.fuel_check();
            tr.tail(&fun.body);
            tr.finish_bail();
            tr.b.seal_all_blocks();
            tr.b.finalize(frontend);
        }
        module.define_function(ids[i], &mut ctx).map_err(|e| format!("compiling `{}`: {e:?}", fun.name))?;
        module.clear_context(&mut ctx);
        compile_times.push(start.elapsed());
    }

    // The `system_v` entries Rust calls, one per top-level value.
    let mut entry_ids = Vec::new();
    for (gi, global) in program.globals.iter().enumerate() {
        let mut sig = Signature::new(module.isa().default_call_conv());
        sig.params.push(AbiParam::new(ptr));
        sig.returns.push(AbiParam::new(types::I64));
        let id = module.declare_function(&format!("entry{gi}"), Linkage::Local, &sig).map_err(|e| e.to_string())?;
        ctx.func.signature = sig;
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let block = b.create_block();
            b.append_block_params_for_function_params(block);
            b.switch_to_block(block);
            b.seal_block(block);
            let cx = b.block_params(block)[0];
            let callee = module.declare_func_in_func(ids[global.init], b.func);
            let call = b.ins().call(callee, &[cx]);
            let v = b.inst_results(call)[0];
            let bits = to_bits(&mut b, v, global.ty);
            b.ins().return_(&[bits]);
            b.finalize(frontend);
        }
        module.define_function(id, &mut ctx).map_err(|e| format!("compiling the entry of `{}`: {e:?}", global.name))?;
        module.clear_context(&mut ctx);
        entry_ids.push(id);
    }
    module.finalize_definitions().map_err(|e| e.to_string())?;
    let entries = entry_ids.iter().map(|id| module.get_finalized_function(*id)).collect();
    Ok(Compiled { module, entries, messages: consts.messages, strings: consts.strings, string_objects: consts.objects, compile_times })
}

/// A value as its 64-bit pattern (what globals store).
fn to_bits(b: &mut FunctionBuilder, v: Value, ty: Ty) -> Value {
    match ty {
        Ty::Int | Ty::Str | Ty::Tuple(_) | Ty::List(_) | Ty::Data(_) | Ty::Fun(_) | Ty::Record(_) => v,
        Ty::Float => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
        Ty::Bool | Ty::Unit | Ty::Char => b.ins().uextend(types::I64, v),
    }
}

/// A value from its 64-bit pattern.
fn from_bits(b: &mut FunctionBuilder, bits: Value, ty: Ty) -> Value {
    match ty {
        Ty::Int | Ty::Str | Ty::Tuple(_) | Ty::List(_) | Ty::Data(_) | Ty::Fun(_) | Ty::Record(_) => bits,
        Ty::Float => b.ins().bitcast(types::F64, MemFlagsData::new(), bits),
        Ty::Bool | Ty::Unit => b.ins().ireduce(types::I8, bits),
        Ty::Char => b.ins().ireduce(types::I32, bits),
    }
}

/// Constants generated code refers to.
struct Consts {
    messages: Vec<String>,
    #[allow(clippy::vec_box)]
    strings: Vec<Box<String>>,
    #[allow(clippy::vec_box)]
    objects: Vec<Box<[u64; 2]>>,
}

struct Translator<'a, 'f> {
    b: FunctionBuilder<'f>,
    module: &'a mut JITModule,
    ids: &'a [FuncId],
    consts: &'a mut Consts,
    ptr: ir::Type,
    /// The run context (first parameter).
    ctx: Value,
    ret: Ty,
    vars: Vec<Variable>,
    /// The heap-typed variables in scope, each holding one reference that
    /// the function must drop before it returns (innermost last).
    owned: Vec<(core::VarId, Ty)>,
    /// Helper signatures and callees imported into this function, each
    /// once (a function refers to each by one reference).
    sigs: Vec<(Helper, SigRef)>,
    callees: Vec<(core::FunId, FuncRef)>,
    /// The loop of a function that calls itself in tail position.
    self_loop: Option<SelfLoop>,
    /// The one block that returns a placeholder once the run has stopped,
    /// shared by every failure and status check of the function (each
    /// `return` gets its own epilogue: one is enough).
    bail: Option<ir::Block>,
    /// The block that stops the run for each failure (kind and argument)
    /// the function checks for, shared by every place that checks it.
    fail_blocks: Vec<((u32, u32), ir::Block)>,
}

/// A function that calls itself in tail position is a loop: such a call
/// jumps back to `header` (after the entry block) with the new arguments.
///
/// When the function returns an `Int` and some tail positions are `e +
/// me args` (`sum_to n = n + sum_to (n - 1)`; `fib`'s second call), those
/// are turns of the loop too, with an accumulator: wrapping `+` is
/// associative and commutative, so adding `e` to the accumulator before the
/// call and the accumulator to the final value gives the same `Int`, and
/// `e` and the arguments are still evaluated in the same order. `acc` holds
/// the header's accumulator and the number of such turns pending; each
/// such turn counts one nested call against the stack budget (the call it
/// replaces was nested), and every return gives them back, so the stack
/// limit is reached exactly where the interpreter reaches it.
#[derive(Clone, Copy)]
struct SelfLoop {
    me: core::FunId,
    header: ir::Block,
    acc: Option<(Value, Value)>,
}

/// The helpers generated code calls, with their signatures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Helper {
    Fail,
    Print,
    IPow,
    FPow,
    F2I,
    Chr,
    StrCmp,
    UserError,
    FailComputed,
    Alloc,
    Free,
    Prelude,
    Binary,
    Show,
    Concat,
}

impl Helper {
    fn address(self) -> *const u8 {
        match self {
            Helper::Fail => runtime::rt_fail as *const u8,
            Helper::Print => runtime::rt_print as *const u8,
            Helper::IPow => runtime::rt_ipow as *const u8,
            Helper::FPow => runtime::rt_fpow as *const u8,
            Helper::F2I => runtime::rt_f2i as *const u8,
            Helper::Chr => runtime::rt_chr as *const u8,
            Helper::StrCmp => runtime::rt_str_cmp as *const u8,
            Helper::UserError => runtime::rt_user_error as *const u8,
            Helper::FailComputed => runtime::rt_fail_computed as *const u8,
            Helper::Alloc => runtime::rt_alloc as *const u8,
            Helper::Free => runtime::rt_free as *const u8,
            Helper::Prelude => runtime::rt_prelude as *const u8,
            Helper::Binary => runtime::rt_binary as *const u8,
            Helper::Show => runtime::rt_show as *const u8,
            Helper::Concat => runtime::rt_concat as *const u8,
        }
    }

    /// Parameter and result types (the context pointer is `I64`).
    fn signature(self) -> (&'static [ir::Type], &'static [ir::Type]) {
        use types::{F64, I32, I64};
        match self {
            Helper::Fail => (&[I64, I32, I32], &[]),
            Helper::Print => (&[I64, I32, I64], &[]),
            Helper::IPow => (&[I64, I64, I64], &[I64]),
            Helper::FPow => (&[F64, F64], &[F64]),
            Helper::F2I => (&[I64, I32, F64], &[I64]),
            Helper::Chr => (&[I64, I64], &[I32]),
            Helper::StrCmp => (&[I64, I64, I64], &[I32]),
            Helper::UserError | Helper::FailComputed => (&[I64, I64], &[]),
            Helper::Alloc => (&[I64, I32, I32], &[I64]),
            Helper::Free => (&[I64, I32, I64], &[]),
            Helper::Prelude => (&[I64, I32, I32, I32, I32, I64, I32, I64, I32, I64], &[I64]),
            Helper::Binary => (&[I64, I32, I32, I32, I64, I64], &[I64]),
            Helper::Show => (&[I64, I32, I32, I64], &[I64]),
            Helper::Concat => (&[I64, I64, I64], &[I64]),
        }
    }

    /// Whether the helper can stop the run (so its caller checks the status).
    fn can_fail(self) -> bool {
        !matches!(self, Helper::FPow | Helper::Free)
    }
}

impl Translator<'_, '_> {
    /// Declares the function's variables at their Core types, found from
    /// its binders.
    fn retype_vars(&mut self, fun: &core::Fun) {
        let mut tys = vec![None; fun.vars as usize];
        for (v, t) in &fun.params {
            if let Some(slot) = tys.get_mut(*v as usize) {
                *slot = Some(*t);
            }
        }
        collect_let_types(&fun.body, &mut tys, 0);
        self.vars = tys.iter().map(|t| self.b.declare_var(clif(t.unwrap_or(Ty::Int)))).collect();
    }

    fn def(&mut self, var: core::VarId, value: Value) {
        if let Some(v) = self.vars.get(var as usize) {
            self.b.def_var(*v, value);
        }
    }

    fn load(&mut self, ty: ir::Type, offset: i32) -> Value {
        self.b.ins().load(ty, MemFlagsData::trusted(), self.ctx, offset)
    }

    fn store(&mut self, value: Value, offset: i32) {
        self.b.ins().store(MemFlagsData::trusted(), value, self.ctx, offset);
    }

    /// Spends one step of fuel: at function entry, and at each turn of a
    /// self loop (one per call, as the interpreter counts).
    fn fuel_check(&mut self) {
        let fuel = self.load(types::I64, runtime::FUEL);
        let left = self.b.ins().iadd_imm_s(fuel, -1);
        self.store(left, runtime::FUEL);
        let out = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, left, 0);
        self.fail_if(out, runtime::FAIL_STEPS, 0);
    }

    /// The native stack check at function entry. Only a function that
    /// makes non-tail calls can make the stack grow (a tail call replaces
    /// the frame, a self tail call jumps back), so only those compare the
    /// stack pointer with the floor; a function without them adds at most
    /// its own frame below a checked caller's, well within the room kept
    /// below the floor.
    fn stack_check(&mut self) {
        let sp = self.b.ins().get_stack_pointer(self.ptr);
        let floor = self.load(types::I64, runtime::STACK_FLOOR);
        let low = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, floor);
        self.fail_if(low, runtime::FAIL_STACK, 0);
    }

    /// Returns a placeholder of the function's result type (the run has
    /// stopped; the value is never used).
    fn return_dummy(&mut self) {
        let bail = self.bail_block();
        self.b.ins().jump(bail, &[]);
    }

    /// The function's bail block (see `bail`), made on first use and
    /// filled by [`Translator::finish_bail`] once the body is done (a block
    /// being built cannot be left unfinished).
    fn bail_block(&mut self) -> ir::Block {
        if let Some(bail) = self.bail {
            return bail;
        }
        let bail = self.b.create_block();
        self.b.set_cold_block(bail);
        self.bail = Some(bail);
        bail
    }

    /// Fills the bail block, if the function has one: it returns a
    /// placeholder. Called after the body, every block of it finished.
    fn finish_bail(&mut self) {
        if let Some(bail) = self.bail {
            self.b.switch_to_block(bail);
            let v = self.zero(self.ret);
            self.b.ins().return_(&[v]);
        }
    }

    fn zero(&mut self, ty: Ty) -> Value {
        match ty {
            Ty::Float => self.b.ins().f64const(0.0),
            t => self.b.ins().iconst(clif(t), 0),
        }
    }

    /// When `cond` holds, stops the run with `kind`/`arg` and returns.
    fn fail_if(&mut self, cond: Value, kind: u32, arg: u32) {
        let cont = self.b.create_block();
        match self.fail_blocks.iter().find(|(k, _)| *k == (kind, arg)) {
            Some(&(_, fail)) => {
                self.b.ins().brif(cond, fail, &[], cont, &[]);
            }
            None => {
                let fail = self.b.create_block();
                self.b.set_cold_block(fail);
                self.fail_blocks.push(((kind, arg), fail));
                self.b.ins().brif(cond, fail, &[], cont, &[]);
                self.b.switch_to_block(fail);
                self.call_helper(Helper::Fail, &[kind as i64, arg as i64]);
                self.return_dummy();
            }
        }
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Returns at once if the run has stopped.
    fn check_status(&mut self) {
        let status = self.load(types::I64, runtime::STATUS);
        let bail = self.bail_block();
        let cont = self.b.create_block();
        self.b.ins().brif(status, bail, &[], cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Calls a runtime helper with the context first (for those that take
    /// it) and immediate integer arguments; see [`Translator::helper`].
    fn call_helper(&mut self, helper: Helper, imms: &[i64]) {
        let (params, _) = helper.signature();
        let mut args = vec![self.ctx];
        for (imm, ty) in imms.iter().zip(&params[1..]) {
            args.push(self.b.ins().iconst(*ty, *imm));
        }
        self.helper(helper, &args);
    }

    /// Calls a runtime helper with the given arguments; checks the status
    /// afterwards when the helper can fail (except `Fail` itself).
    fn helper(&mut self, helper: Helper, args: &[Value]) -> Option<Value> {
        let sig = match self.sigs.iter().find(|(h, _)| *h == helper) {
            Some((_, sig)) => *sig,
            None => {
                let (params, returns) = helper.signature();
                let mut sig = Signature::new(self.module.isa().default_call_conv());
                sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
                sig.returns.extend(returns.iter().map(|t| AbiParam::new(*t)));
                let sig = self.b.import_signature(sig);
                self.sigs.push((helper, sig));
                sig
            }
        };
        let addr = self.b.ins().iconst(self.ptr, helper.address() as i64);
        let call = self.b.ins().call_indirect(sig, addr, args);
        let result = self.b.inst_results(call).first().copied();
        if helper.can_fail() && !matches!(helper, Helper::Fail) {
            self.check_status();
        }
        result
    }

    /// Starts owning the reference in heap-typed variable `var`.
    fn own(&mut self, var: core::VarId, ty: Ty) {
        if ty.is_heap() {
            self.owned.push((var, ty));
        }
    }

    /// Stops tracking `var` (its scope ended; the caller drops it).
    fn disown(&mut self, var: core::VarId, ty: Ty) {
        if ty.is_heap() {
            if let Some(pos) = self.owned.iter().rposition(|(v, _)| *v == var) {
                self.owned.remove(pos);
            }
        }
    }

    /// Drops every reference the frame owns (before it returns).
    fn drop_owned(&mut self) {
        for (var, ty) in self.owned.clone().into_iter().rev() {
            if let Some(v) = self.vars.get(var as usize).copied() {
                let value = self.b.use_var(v);
                self.drop_value(value, ty);
            }
        }
    }

    /// Adds a reference to a heap value.
    fn dup(&mut self, value: Value, ty: Ty) {
        if !ty.is_heap() {
            return;
        }
        let done = self.skip_if_nil(value, ty);
        let count = self.b.ins().load(types::I64, MemFlagsData::trusted(), value, 0);
        let more = self.b.ins().iadd_imm_s(count, 1);
        self.b.ins().store(MemFlagsData::trusted(), more, value, 0);
        if let Some(done) = done {
            self.b.ins().jump(done, &[]);
            self.b.switch_to_block(done);
            self.b.seal_block(done);
        }
    }

    /// For a list, branches past the code that follows when `value` is
    /// `[]` (null, no object): returns the block to jump to at its end.
    fn skip_if_nil(&mut self, value: Value, ty: Ty) -> Option<ir::Block> {
        if !matches!(ty, Ty::List(_)) {
            return None;
        }
        let (object, done) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(value, object, &[], done, &[]);
        self.b.switch_to_block(object);
        self.b.seal_block(object);
        Some(done)
    }

    /// Drops a reference to a heap value: the last one frees it (in the
    /// runtime, which also frees what only it referenced, without
    /// recursion).
    fn drop_value(&mut self, value: Value, ty: Ty) {
        if !ty.is_heap() {
            return;
        }
        let nil_done = self.skip_if_nil(value, ty);
        let count = self.b.ins().load(types::I64, MemFlagsData::trusted(), value, 0);
        let last = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        let (free, keep) = (self.b.create_block(), self.b.create_block());
        let done = nil_done.unwrap_or_else(|| self.b.create_block());
        self.b.ins().brif(last, free, &[], keep, &[]);
        self.b.switch_to_block(free);
        self.b.seal_block(free);
        let t = self.b.ins().iconst(types::I32, tag(ty) as i64);
        let ctx = self.ctx;
        self.helper(Helper::Free, &[ctx, t, value]);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(keep);
        self.b.seal_block(keep);
        let less = self.b.ins().iadd_imm_s(count, -1);
        self.b.ins().store(MemFlagsData::trusted(), less, value, 0);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    fn func_ref(&mut self, fun: core::FunId) -> FuncRef {
        if let Some((_, f)) = self.callees.iter().find(|(g, _)| *g == fun) {
            return *f;
        }
        let f = self.module.declare_func_in_func(self.ids[fun], self.b.func);
        self.callees.push((fun, f));
        f
    }

    /// Compiles `e` in tail position: every path ends in a return or a
    /// tail call.
    fn tail(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call(fun, args) => {
                let mut vals = vec![self.ctx];
                for a in args {
                    vals.push(self.expr(a));
                }
                // The arguments hold their own references; the frame's go
                // before it is replaced, so a tail loop keeps nothing alive.
                self.drop_owned();
                match self.self_loop {
                    Some(lp) if lp.me == *fun => {
                        let mut args: Vec<BlockArg> = vals[1..].iter().map(|v| BlockArg::Value(*v)).collect();
                        if let Some((acc, pending)) = lp.acc {
                            args.extend([BlockArg::Value(acc), BlockArg::Value(pending)]);
                        }
                        self.b.ins().jump(lp.header, &args);
                    }
                    _ => {
                        let f = self.func_ref(*fun);
                        self.b.ins().return_call(f, &vals);
                    }
                }
            }
            ExprKind::Apply(closure, arg) => {
                let (sig, code, vals) = self.closure_call(closure, arg, e.ty);
                self.drop_owned();
                self.b.ins().return_call_indirect(sig, code, &vals);
            }
            ExprKind::If(c, t, f) => {
                let cond = self.expr(c);
                let (then_b, else_b) = (self.b.create_block(), self.b.create_block());
                self.b.ins().brif(cond, then_b, &[], else_b, &[]);
                self.b.switch_to_block(then_b);
                self.b.seal_block(then_b);
                self.tail(t);
                self.b.switch_to_block(else_b);
                self.b.seal_block(else_b);
                self.tail(f);
            }
            ExprKind::Let(var, value, body) => {
                let v = self.expr(value);
                self.def(*var, v);
                self.own(*var, value.ty);
                self.tail(body);
                self.disown(*var, value.ty);
            }
            ExprKind::Seq(first, second) => {
                let v = self.expr(first);
                self.drop_value(v, first.ty);
                self.tail(second);
            }
            ExprKind::Prim(Prim::IAdd, operands) if self.accumulating_call(operands).is_some() => {
                let Some((lp, (acc, pending), args)) = self.accumulating_call(operands) else { return };
                let v = self.expr(&operands[0]);
                let acc = self.b.ins().iadd(acc, v);
                let mut vals: Vec<BlockArg> = args.iter().map(|a| BlockArg::Value(self.expr(a))).collect();
                self.drop_owned();
                // The call this turn stands for was nested: count it.
                self.enter_nested();
                let pending = self.b.ins().iadd_imm_s(pending, 1);
                vals.extend([BlockArg::Value(acc), BlockArg::Value(pending)]);
                self.b.ins().jump(lp.header, &vals);
            }
            ExprKind::Fail(failure) => self.fail(failure),
            _ => {
                let mut v = self.expr(e);
                self.drop_owned();
                if let Some((acc, pending)) = self.self_loop.and_then(|lp| lp.acc) {
                    // Leave the nested calls the pending turns stood for.
                    let depth = self.load(types::I64, runtime::DEPTH);
                    let depth = self.b.ins().isub(depth, pending);
                    self.store(depth, runtime::DEPTH);
                    v = self.b.ins().iadd(acc, v);
                }
                self.b.ins().return_(&[v]);
            }
        }
    }

    /// For the operands of an `Int` `+` in tail position: when the second
    /// is a call of this function and the loop accumulates, the loop, its
    /// accumulator and pending count, and the call's arguments.
    fn accumulating_call<'e>(&self, operands: &'e [Expr]) -> Option<(SelfLoop, (Value, Value), &'e [Expr])> {
        let lp = self.self_loop?;
        let acc = lp.acc?;
        match operands {
            [_, Expr { kind: ExprKind::Call(fun, args), .. }] if *fun == lp.me => Some((lp, acc, args)),
            _ => None,
        }
    }

    /// Stops the run with `failure` and returns.
    fn fail(&mut self, failure: &Failure) {
        match failure {
            Failure::Message(m) => {
                let index = self.consts.messages.len();
                self.consts.messages.push(m.clone());
                self.call_helper(Helper::Fail, &[runtime::FAIL_MESSAGE as i64, index as i64]);
            }
            Failure::UserError(msg) | Failure::Computed(msg) => {
                let s = self.expr(msg);
                let ctx = self.ctx;
                let helper = if matches!(failure, Failure::UserError(_)) { Helper::UserError } else { Helper::FailComputed };
                self.helper(helper, &[ctx, s]);
            }
        }
        self.return_dummy();
    }

    /// Compiles `e` for its value.
    fn expr(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Lit(lit) => self.lit(lit),
            ExprKind::Var(v) => match self.vars.get(*v as usize) {
                Some(var) => {
                    let value = self.b.use_var(*var);
                    self.dup(value, e.ty);
                    value
                }
                None => self.zero(e.ty),
            },
            ExprKind::Global(g) => {
                let ready_base = self.load(types::I64, runtime::READY);
                let ready = self.b.ins().load(types::I8, MemFlagsData::trusted(), ready_base, *g as i32);
                let not_ready = self.b.ins().icmp_imm_s(IntCC::Equal, ready, 0);
                self.fail_if(not_ready, runtime::FAIL_NOT_READY, *g as u32);
                let base = self.load(types::I64, runtime::GLOBALS);
                let bits = self.b.ins().load(types::I64, MemFlagsData::trusted(), base, (*g * 8) as i32);
                let value = from_bits(&mut self.b, bits, e.ty);
                self.dup(value, e.ty);
                value
            }
            ExprKind::Let(var, value, body) => {
                let v = self.expr(value);
                self.def(*var, v);
                self.own(*var, value.ty);
                let result = self.expr(body);
                self.disown(*var, value.ty);
                self.drop_value(v, value.ty);
                result
            }
            ExprKind::Seq(first, second) => {
                let v = self.expr(first);
                self.drop_value(v, first.ty);
                self.expr(second)
            }
            ExprKind::Alloc(fields) if fields.is_empty() => self.b.ins().iconst(types::I64, 0),
            // A nullary constructor: an immortal object made at compile
            // time for this occurrence, shared by every evaluation as the
            // interpreter shares the value (no allocation, no budget).
            ExprKind::Alloc(fields) if matches!(e.ty, Ty::Data(_)) && fields.len() == 1 && matches!(fields[0].kind, ExprKind::Lit(Lit::Int(_))) => {
                let ExprKind::Lit(Lit::Int(tag)) = fields[0].kind else { return self.zero(e.ty) };
                let object = Box::new([runtime::IMMORTAL, tag as u64]);
                let addr = object.as_ptr() as i64;
                self.consts.objects.push(object);
                self.b.ins().iconst(types::I64, addr)
            }
            ExprKind::Alloc(fields) => {
                let vals: Vec<Value> = fields.iter().map(|f| self.expr(f)).collect();
                let t = self.b.ins().iconst(types::I32, tag(e.ty) as i64);
                // A data value's constructor and a closure's shape (field
                // 0) are always literals.
                let variant = match fields.first().map(|f| &f.kind) {
                    Some(ExprKind::Lit(Lit::Int(c))) if matches!(e.ty, Ty::Data(_) | Ty::Fun(_)) => *c,
                    _ => 0,
                };
                let variant = self.b.ins().iconst(types::I32, variant);
                let ctx = self.ctx;
                let object = self.helper(Helper::Alloc, &[ctx, t, variant]).unwrap_or(ctx);
                for (i, (v, f)) in vals.iter().zip(fields).enumerate() {
                    let bits = to_bits(&mut self.b, *v, f.ty);
                    self.b.ins().store(MemFlagsData::trusted(), bits, object, runtime::field_offset(i as u32));
                }
                object
            }
            ExprKind::Field(object_expr, i) => {
                // A variable is read in place; any other object is a
                // temporary, dropped once its field has its own reference.
                let (object, temporary) = match &object_expr.kind {
                    ExprKind::Var(v) => match self.vars.get(*v as usize).copied() {
                        Some(var) => (self.b.use_var(var), false),
                        None => return self.zero(e.ty),
                    },
                    _ => (self.expr(object_expr), true),
                };
                let bits = self.b.ins().load(types::I64, MemFlagsData::trusted(), object, runtime::field_offset(*i));
                let value = from_bits(&mut self.b, bits, e.ty);
                self.dup(value, e.ty);
                if temporary {
                    self.drop_value(object, object_expr.ty);
                }
                value
            }
            ExprKind::If(c, t, f) => {
                let cond = self.expr(c);
                let (then_b, else_b, merge) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
                let result = self.b.append_block_param(merge, clif(e.ty));
                self.b.ins().brif(cond, then_b, &[], else_b, &[]);
                self.b.switch_to_block(then_b);
                self.b.seal_block(then_b);
                let tv = self.expr(t);
                self.b.ins().jump(merge, &[BlockArg::Value(tv)]);
                self.b.switch_to_block(else_b);
                self.b.seal_block(else_b);
                let fv = self.expr(f);
                self.b.ins().jump(merge, &[BlockArg::Value(fv)]);
                self.b.switch_to_block(merge);
                self.b.seal_block(merge);
                result
            }
            ExprKind::Call(fun, args) => self.call(*fun, args),
            ExprKind::FunAddr(fun) => {
                let f = self.func_ref(*fun);
                self.b.ins().func_addr(types::I64, f)
            }
            ExprKind::Apply(closure, arg) => {
                let (sig, code, vals) = self.closure_call(closure, arg, e.ty);
                self.counted(|tr| {
                    let call = tr.b.ins().call_indirect(sig, code, &vals);
                    tr.b.inst_results(call)[0]
                })
            }
            ExprKind::Prim(prim, args) => self.prim(*prim, args, e.ty),
            ExprKind::Fail(failure) => {
                self.fail(failure);
                // Code after a failure is unreachable; it still needs a block.
                let dead = self.b.create_block();
                self.b.switch_to_block(dead);
                self.b.seal_block(dead);
                self.zero(e.ty)
            }
        }
    }

    fn lit(&mut self, lit: &Lit) -> Value {
        match lit {
            Lit::Int(i) => self.b.ins().iconst(types::I64, *i),
            Lit::Float(f) => self.b.ins().f64const(*f),
            Lit::Bool(v) => self.b.ins().iconst(types::I8, i64::from(*v)),
            Lit::Char(c) => self.b.ins().iconst(types::I32, *c as i64),
            Lit::Unit => self.b.ins().iconst(types::I8, 0),
            Lit::Str(s) => {
                let boxed = Box::new(s.clone());
                let text = &*boxed as *const String as u64;
                self.consts.strings.push(boxed);
                let object = Box::new([runtime::IMMORTAL, text]);
                let addr = object.as_ptr() as i64;
                self.consts.objects.push(object);
                self.b.ins().iconst(types::I64, addr)
            }
        }
    }

    /// A non-tail call: counted against the stack budget as the
    /// interpreter counts it, then the status is checked.
    fn call(&mut self, fun: core::FunId, args: &[Expr]) -> Value {
        let mut vals = vec![self.ctx];
        for a in args {
            vals.push(self.expr(a));
        }
        let f = self.func_ref(fun);
        self.counted(|tr| {
            let call = tr.b.ins().call(f, &vals);
            tr.b.inst_results(call)[0]
        })
    }

    /// Emits a non-tail call (by `emit`) inside the depth count, then
    /// checks the status.
    fn counted(&mut self, emit: impl FnOnce(&mut Self) -> Value) -> Value {
        let depth = self.enter_nested();
        let result = emit(self);
        self.store(depth, runtime::DEPTH);
        self.check_status();
        result
    }

    /// Counts one more nested call against the stack budget (failing past
    /// the limit, as the interpreter does); returns the depth before.
    fn enter_nested(&mut self) -> Value {
        let depth = self.load(types::I64, runtime::DEPTH);
        let limit = self.load(types::I64, runtime::DEPTH_LIMIT);
        let over = self.b.ins().icmp(IntCC::UnsignedGreaterThan, depth, limit);
        self.fail_if(over, runtime::FAIL_STACK, 0);
        let deeper = self.b.ins().iadd_imm_s(depth, 1);
        self.store(deeper, runtime::DEPTH);
        depth
    }

    /// Evaluates a closure and its argument for a call of its code: the
    /// signature, the code address (field 1) and the arguments (the
    /// context, the closure itself, whose reference the callee owns, and
    /// the argument).
    fn closure_call(&mut self, closure: &Expr, arg: &Expr, ret: Ty) -> (SigRef, Value, Vec<Value>) {
        let c = self.expr(closure);
        let a = self.expr(arg);
        let code = self.b.ins().load(types::I64, MemFlagsData::trusted(), c, runtime::field_offset(1));
        let mut sig = Signature::new(CallConv::Tail);
        sig.params.push(AbiParam::new(self.ptr));
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(clif(arg.ty)));
        sig.returns.push(AbiParam::new(clif(ret)));
        let sig = self.b.import_signature(sig);
        (sig, code, vec![self.ctx, c, a])
    }

    /// A primitive operation; it only reads its operands, so heap ones are
    /// dropped afterwards.
    fn prim(&mut self, prim: Prim, args: &[Expr], ty: Ty) -> Value {
        let vals: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
        let tys: Vec<Ty> = args.iter().map(|a| a.ty).collect();
        let result = self.prim_op(prim, &vals, &tys, ty);
        for (v, a) in vals.iter().zip(args) {
            self.drop_value(*v, a.ty);
        }
        result
    }

    fn prim_op(&mut self, prim: Prim, vals: &[Value], tys: &[Ty], ty: Ty) -> Value {
        let arg = |i: usize| vals.get(i).copied();
        let (Some(x), y) = (arg(0), arg(1)) else { return self.zero(ty) };
        let y = y.unwrap_or(x);
        match prim {
            Prim::IAdd => self.b.ins().iadd(x, y),
            Prim::ISub => self.b.ins().isub(x, y),
            Prim::IMul => self.b.ins().imul(x, y),
            Prim::IDiv | Prim::IMod => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                let index = self.consts.messages.len();
                self.consts.messages.push("division by zero".into());
                self.fail_if(zero, runtime::FAIL_MESSAGE, index as u32);
                // `i64::MIN / -1` would trap; it wraps instead (and `% -1` is 0).
                let minus_one = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let one = self.b.ins().iconst(types::I64, 1);
                let safe = self.b.ins().select(minus_one, one, y);
                if prim == Prim::IDiv {
                    let q = self.b.ins().sdiv(x, safe);
                    let neg = self.b.ins().ineg(x);
                    self.b.ins().select(minus_one, neg, q)
                } else {
                    let r = self.b.ins().srem(x, safe);
                    let zero = self.b.ins().iconst(types::I64, 0);
                    self.b.ins().select(minus_one, zero, r)
                }
            }
            Prim::IPow => {
                let ctx = self.ctx;
                self.helper(Helper::IPow, &[ctx, x, y]).unwrap_or(x)
            }
            Prim::INeg => self.b.ins().ineg(x),
            Prim::IAbs => {
                let neg = self.b.ins().ineg(x);
                let is_neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                self.b.ins().select(is_neg, neg, x)
            }
            Prim::FAdd => self.b.ins().fadd(x, y),
            Prim::FSub => self.b.ins().fsub(x, y),
            Prim::FMul => self.b.ins().fmul(x, y),
            Prim::FDiv => self.b.ins().fdiv(x, y),
            Prim::FPow => self.helper(Helper::FPow, &[x, y]).unwrap_or(x),
            Prim::FNeg => self.b.ins().fneg(x),
            Prim::FAbs => self.b.ins().fabs(x),
            Prim::Sqrt => self.b.ins().sqrt(x),
            Prim::ToFloat => self.b.ins().fcvt_from_sint(types::F64, x),
            Prim::FloatToInt(mode) => {
                let mode = self.b.ins().iconst(types::I32, mode as i64);
                let ctx = self.ctx;
                self.helper(Helper::F2I, &[ctx, mode, x]).unwrap_or(x)
            }
            Prim::Cmp(cmp, operand) => self.compare(cmp, operand, x, y),
            Prim::Min(operand) | Prim::Max(operand) => {
                let le = self.compare(Cmp::Le, operand, x, y);
                if matches!(prim, Prim::Min(_)) {
                    self.b.ins().select(le, x, y)
                } else {
                    self.b.ins().select(le, y, x)
                }
            }
            Prim::Not => self.b.ins().bxor_imm_s(x, 1),
            Prim::IsNil => self.b.ins().icmp_imm_s(IntCC::Equal, x, 0),
            Prim::IsCons => self.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0),
            Prim::Even | Prim::Odd => {
                let low = self.b.ins().band_imm_s(x, 1);
                let cc = if prim == Prim::Even { IntCC::Equal } else { IntCC::NotEqual };
                self.b.ins().icmp_imm_s(cc, low, 0)
            }
            Prim::Ord => self.b.ins().uextend(types::I64, x),
            Prim::Chr => {
                let ctx = self.ctx;
                self.helper(Helper::Chr, &[ctx, x]).unwrap_or(x)
            }
            Prim::Prelude(name) => {
                let index = self.consts.messages.len();
                self.consts.messages.push(name.to_string());
                let ctx = self.ctx;
                let mut args = vec![ctx, self.b.ins().iconst(types::I32, index as i64), self.b.ins().iconst(types::I32, tag(ty) as i64), self.b.ins().iconst(types::I32, vals.len() as i64)];
                for i in 0..3 {
                    let (t, bits) = match (vals.get(i), tys.get(i)) {
                        (Some(v), Some(t)) => (tag(*t), to_bits(&mut self.b, *v, *t)),
                        _ => (tag(Ty::Unit), self.b.ins().iconst(types::I64, 0)),
                    };
                    args.push(self.b.ins().iconst(types::I32, t as i64));
                    args.push(bits);
                }
                let bits = self.helper(Helper::Prelude, &args).unwrap_or(ctx);
                from_bits(&mut self.b, bits, ty)
            }
            Prim::Binary(op, operand) => {
                let ctx = self.ctx;
                let code = self.b.ins().iconst(types::I32, runtime::binary_code(op) as i64);
                let t = self.b.ins().iconst(types::I32, tag(operand) as i64);
                let rt = self.b.ins().iconst(types::I32, tag(ty) as i64);
                let bits = self.helper(Helper::Binary, &[ctx, code, t, rt, x, y]).unwrap_or(ctx);
                from_bits(&mut self.b, bits, ty)
            }
            Prim::Show(operand) | Prim::Display(operand) => {
                let ctx = self.ctx;
                let display = self.b.ins().iconst(types::I32, i64::from(matches!(prim, Prim::Display(_))));
                let t = self.b.ins().iconst(types::I32, tag(operand) as i64);
                let bits = to_bits(&mut self.b, x, operand);
                self.helper(Helper::Show, &[ctx, display, t, bits]).unwrap_or(ctx)
            }
            Prim::Concat => {
                let ctx = self.ctx;
                self.helper(Helper::Concat, &[ctx, x, y]).unwrap_or(ctx)
            }
            Prim::Print(operand) => {
                let bits = to_bits(&mut self.b, x, operand);
                let t = self.b.ins().iconst(types::I32, tag(operand) as i64);
                let ctx = self.ctx;
                self.helper(Helper::Print, &[ctx, t, bits]);
                self.b.ins().iconst(types::I8, 0)
            }
        }
    }

    /// A comparison of two values of type `ty`, as a `Bool`.
    fn compare(&mut self, cmp: Cmp, ty: Ty, x: Value, y: Value) -> Value {
        match ty {
            Ty::Float => {
                let cc = match cmp {
                    Cmp::Eq => FloatCC::Equal,
                    Cmp::Ne => FloatCC::NotEqual,
                    Cmp::Lt => FloatCC::LessThan,
                    Cmp::Gt => FloatCC::GreaterThan,
                    Cmp::Le => FloatCC::LessThanOrEqual,
                    Cmp::Ge => FloatCC::GreaterThanOrEqual,
                };
                self.b.ins().fcmp(cc, x, y)
            }
            Ty::Unit => {
                let holds = matches!(cmp, Cmp::Eq | Cmp::Le | Cmp::Ge);
                self.b.ins().iconst(types::I8, i64::from(holds))
            }
            Ty::Str => {
                let ctx = self.ctx;
                let order = self.helper(Helper::StrCmp, &[ctx, x, y]).unwrap_or(x);
                let zero = self.b.ins().iconst(types::I32, 0);
                self.b.ins().icmp(int_cc(cmp, true), order, zero)
            }
            Ty::Int => self.b.ins().icmp(int_cc(cmp, true), x, y),
            // Lowering refuses comparisons of heap values for now.
            Ty::Bool | Ty::Char | Ty::Tuple(_) | Ty::List(_) | Ty::Data(_) | Ty::Fun(_) | Ty::Record(_) => self.b.ins().icmp(int_cc(cmp, false), x, y),
        }
    }
}

fn int_cc(cmp: Cmp, signed: bool) -> IntCC {
    match (cmp, signed) {
        (Cmp::Eq, _) => IntCC::Equal,
        (Cmp::Ne, _) => IntCC::NotEqual,
        (Cmp::Lt, true) => IntCC::SignedLessThan,
        (Cmp::Gt, true) => IntCC::SignedGreaterThan,
        (Cmp::Le, true) => IntCC::SignedLessThanOrEqual,
        (Cmp::Ge, true) => IntCC::SignedGreaterThanOrEqual,
        (Cmp::Lt, false) => IntCC::UnsignedLessThan,
        (Cmp::Gt, false) => IntCC::UnsignedGreaterThan,
        (Cmp::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (Cmp::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
    }
}

/// Whether `e` (in tail position when `tail`) makes a non-tail call of
/// generated code (a `Call` or `Apply` whose frame stays below this one).
/// What the tail positions of a body of function `me` are.
#[derive(Clone, Copy, Default)]
struct TailCalls {
    /// Some tail position calls `me`.
    to_self: bool,
    /// Some tail position is `x + me args` (an accumulating loop is
    /// possible, see [`SelfLoop`]).
    accumulating: bool,
    /// Some tail position calls another function or a closure (which, in
    /// an accumulating loop, would run nested instead of in tail position).
    elsewhere: bool,
}

fn tail_calls(e: &Expr, me: core::FunId, depth: usize) -> TailCalls {
    if depth > 10_000 {
        return TailCalls { elsewhere: true, ..TailCalls::default() };
    }
    match &e.kind {
        ExprKind::Call(fun, _) if *fun == me => TailCalls { to_self: true, ..TailCalls::default() },
        ExprKind::Call(..) | ExprKind::Apply(..) => TailCalls { elsewhere: true, ..TailCalls::default() },
        ExprKind::Prim(Prim::IAdd, operands) => TailCalls {
            accumulating: matches!(operands.as_slice(), [_, Expr { kind: ExprKind::Call(fun, _), .. }] if *fun == me),
            ..TailCalls::default()
        },
        ExprKind::If(_, t, f) => {
            let (t, f) = (tail_calls(t, me, depth + 1), tail_calls(f, me, depth + 1));
            TailCalls { to_self: t.to_self || f.to_self, accumulating: t.accumulating || f.accumulating, elsewhere: t.elsewhere || f.elsewhere }
        }
        ExprKind::Let(_, _, body) | ExprKind::Seq(_, body) => tail_calls(body, me, depth + 1),
        _ => TailCalls::default(),
    }
}

fn grows_stack(e: &Expr, tail: bool, depth: usize) -> bool {
    if depth > 10_000 {
        return true;
    }
    let go = |x: &Expr, t: bool| grows_stack(x, t, depth + 1);
    match &e.kind {
        ExprKind::Call(_, args) => !tail || args.iter().any(|a| go(a, false)),
        ExprKind::Apply(f, a) => !tail || go(f, false) || go(a, false),
        ExprKind::If(c, t, f) => go(c, false) || go(t, tail) || go(f, tail),
        ExprKind::Let(_, value, body) => go(value, false) || go(body, tail),
        ExprKind::Seq(first, second) => go(first, false) || go(second, tail),
        ExprKind::Prim(_, args) | ExprKind::Alloc(args) => args.iter().any(|a| go(a, false)),
        ExprKind::Field(object, _) => go(object, false),
        ExprKind::Fail(Failure::UserError(m) | Failure::Computed(m)) => go(m, false),
        ExprKind::Lit(_) | ExprKind::Var(_) | ExprKind::Global(_) | ExprKind::FunAddr(_) | ExprKind::Fail(Failure::Message(_)) => false,
    }
}

/// Records the type of every `let`-bound variable.
fn collect_let_types(e: &Expr, tys: &mut [Option<Ty>], depth: usize) {
    if depth > 10_000 {
        return;
    }
    let mut go = |x: &Expr| collect_let_types(x, tys, depth + 1);
    match &e.kind {
        ExprKind::Let(v, value, body) => {
            go(value);
            go(body);
            if let Some(slot) = tys.get_mut(*v as usize) {
                *slot = Some(value.ty);
            }
        }
        ExprKind::If(a, b, c) => {
            go(a);
            go(b);
            go(c);
        }
        ExprKind::Seq(a, b) | ExprKind::Apply(a, b) => {
            go(a);
            go(b);
        }
        ExprKind::Prim(_, args) | ExprKind::Call(_, args) | ExprKind::Alloc(args) => args.iter().for_each(go),
        ExprKind::Fail(Failure::UserError(m) | Failure::Computed(m)) => go(m),
        ExprKind::Field(object, _) => go(object),
        ExprKind::Lit(_) | ExprKind::Var(_) | ExprKind::Global(_) | ExprKind::FunAddr(_) | ExprKind::Fail(Failure::Message(_)) => {}
    }
}
