//! The C ABI: the combined constraint for C and C++ hosts, and for Python
//! through `ctypes`. The library is `libsynoema.so`; the header is
//! `decoder/capi/include/synoema.h`, generated from this file by cbindgen
//! (`tests/c_abi.rs` checks that the checked-in header is current and
//! drives the API from a C program and from Python).
//!
//! Key types (opaque to C):
//! - [`SynoemaGrammar`]: the grammar compiled for one vocabulary, built
//!   once (from a tokenizer name or path, or from the host's own token byte
//!   strings) and shared by every request;
//! - [`SynoemaConstraint`]: one generation: mask into a caller buffer,
//!   check, commit, roll back, is-complete.
//!
//! Usage pattern (C):
//! ```c
//! SynoemaGrammar *g;
//! if (synoema_grammar_new("llama3", &g) != SYNOEMA_STATUS_OK) puts(synoema_last_error());
//! SynoemaConstraint *c;
//! synoema_constraint_new(g, SYNOEMA_MODE_TYPES, NULL, 1, &c);
//! uint32_t words = (synoema_grammar_vocab_size(g) + 31) / 32, *mask = malloc(4 * words);
//! synoema_constraint_mask(c, mask, words);   /* bit t of mask[t / 32]: token t allowed */
//! synoema_constraint_commit(c, token);
//! synoema_constraint_free(c); synoema_grammar_free(g);
//! ```
//!
//! Every function returns a [`SynoemaStatus`]; on failure,
//! [`synoema_last_error`] gives the message (per thread). No panic crosses
//! the boundary: each body runs under `catch_unwind`, and a panic becomes
//! [`SynoemaStatus::Internal`]. Null pointers and short buffers are
//! reported, never dereferenced.

use synoema_decoder::{Constraint, Mode, Request};
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use synoema_grammar::{tok_env_from_vocab, CompiledGrammar, TokenConstraint};

/// The outcome of a call.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynoemaStatus {
    Ok = 0,
    /// A null pointer, text that is not UTF-8, a buffer that is too short,
    /// an unknown mode or a token id outside the vocabulary.
    InvalidArgument = 1,
    /// The tokenizer could not be found or loaded, or the grammar not built.
    Load = 2,
    /// The requested signature does not parse.
    BadRequest = 3,
    /// The token is not allowed here (commit), or more tokens were rolled
    /// back than committed.
    Rejected = 4,
    /// A bug: an internal error or a caught panic. The handle may be left in
    /// any state; free it.
    Internal = 5,
}

/// Constraint modes, as `int32_t`.
pub const SYNOEMA_MODE_NONE: i32 = 0;
pub const SYNOEMA_MODE_GRAMMAR: i32 = 1;
pub const SYNOEMA_MODE_TYPES: i32 = 2;

/// The grammar compiled for one vocabulary.
pub struct SynoemaGrammar {
    compiled: Arc<CompiledGrammar>,
}

/// One generation's constraint.
pub struct SynoemaConstraint {
    constraint: Constraint,
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// A failed call: its status and message.
struct Failure(SynoemaStatus, String);

fn fail<T>(status: SynoemaStatus, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure(status, message.into()))
}

/// Runs `body`, records its error message, and turns panics into
/// [`SynoemaStatus::Internal`].
fn guard(body: impl FnOnce() -> Result<(), Failure>) -> SynoemaStatus {
    let (status, message) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => (SynoemaStatus::Ok, String::new()),
        Ok(Err(Failure(status, message))) => (status, message),
        Err(_) => (SynoemaStatus::Internal, "internal error: a panic was caught at the C boundary".to_string()),
    };
    // Interior NUL bytes cannot appear in a C string; replace them.
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = message);
    status
}

/// # Safety
/// `ptr` is null or points to a NUL-terminated string.
unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return fail(SynoemaStatus::InvalidArgument, format!("{what} is a null pointer"));
    }
    // SAFETY: non-null and NUL-terminated by the caller's contract.
    let cstr = unsafe { CStr::from_ptr(ptr) };
    cstr.to_str().or_else(|_| fail(SynoemaStatus::InvalidArgument, format!("{what} is not UTF-8")))
}

/// # Safety
/// `ptr` is null or valid for writes of one `T`.
unsafe fn write_out<T>(ptr: *mut T, value: T, what: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        return fail(SynoemaStatus::InvalidArgument, format!("{what} is a null pointer"));
    }
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { ptr.write(value) };
    Ok(())
}

/// # Safety
/// `ptr` is null or a live handle from this library, not used elsewhere
/// during the call.
unsafe fn handle<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: null-checked; live and exclusive by the caller's contract.
    match unsafe { ptr.as_mut() } {
        Some(h) => Ok(h),
        None => fail(SynoemaStatus::InvalidArgument, format!("{what} is a null pointer")),
    }
}

fn constraint_error(e: synoema_grammar::ConstraintError) -> Failure {
    Failure(SynoemaStatus::Internal, e.message)
}

/// The message of the last failed call on this thread (empty after a
/// successful one). Valid until the next call on this thread.
#[no_mangle]
pub extern "C" fn synoema_last_error() -> *const c_char {
    LAST_ERROR.with(|slot| slot.borrow().as_ptr())
}

/// Compiles the grammar for a tokenizer: a name of the model cache
/// (`smollm2`, `llama3`, `qwen3`, `gemma3`, `o200k`, `cl100k`) or a path to a
/// `tokenizer.json`.
///
/// # Safety
/// `tokenizer` is a NUL-terminated string; `out` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn synoema_grammar_new(tokenizer: *const c_char, out: *mut *mut SynoemaGrammar) -> SynoemaStatus {
    guard(|| {
        if out.is_null() {
            return fail(SynoemaStatus::InvalidArgument, "out is a null pointer");
        }
        // SAFETY: the caller's contract.
        let name = unsafe { text(tokenizer, "tokenizer") }?;
        let tok = synoema_decoder::models::load_tokenizer(name).or_else(|e| fail(SynoemaStatus::Load, e.0))?;
        let compiled = CompiledGrammar::new(tok.tok_env()).or_else(|e| fail(SynoemaStatus::Load, e.message))?;
        let grammar = Box::into_raw(Box::new(SynoemaGrammar { compiled }));
        // SAFETY: the caller's contract.
        unsafe { write_out(out, grammar, "out") }.inspect_err(|_| {
            // SAFETY: just made by Box::into_raw and never shared.
            drop(unsafe { Box::from_raw(grammar) })
        })
    })
}

/// Compiles the grammar for the host's own vocabulary: `n_tokens` byte
/// strings (`tokens[i]` of `lengths[i]` bytes is token `i`), `special[i]`
/// non-zero for control tokens (never part of program text; may be null
/// when none is), and the EOS token id.
///
/// # Safety
/// `tokens`, `lengths` (and `special` unless null) point to `n_tokens`
/// elements; each `tokens[i]` to `lengths[i]` readable bytes (or is null
/// when `lengths[i]` is 0); `out` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn synoema_grammar_from_vocab(
    tokens: *const *const u8,
    lengths: *const usize,
    special: *const u8,
    n_tokens: usize,
    eos: u32,
    out: *mut *mut SynoemaGrammar,
) -> SynoemaStatus {
    guard(|| {
        if tokens.is_null() || lengths.is_null() {
            return fail(SynoemaStatus::InvalidArgument, "tokens or lengths is a null pointer");
        }
        // SAFETY: both point to n_tokens elements by the caller's contract.
        let (ptrs, lens) = unsafe { (std::slice::from_raw_parts(tokens, n_tokens), std::slice::from_raw_parts(lengths, n_tokens)) };
        let special: Vec<bool> = if special.is_null() {
            vec![false; n_tokens]
        } else {
            // SAFETY: n_tokens elements by the caller's contract.
            unsafe { std::slice::from_raw_parts(special, n_tokens) }.iter().map(|&s| s != 0).collect()
        };
        let mut words = Vec::with_capacity(n_tokens);
        for (i, (&ptr, &len)) in ptrs.iter().zip(lens).enumerate() {
            if len == 0 {
                words.push(Vec::new());
            } else if ptr.is_null() {
                return fail(SynoemaStatus::InvalidArgument, format!("token {i} is a null pointer with length {len}"));
            } else {
                // SAFETY: len readable bytes by the caller's contract.
                words.push(unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec());
            }
        }
        let env = tok_env_from_vocab(&words, &special, &[eos]).or_else(|e| fail(SynoemaStatus::InvalidArgument, e.message))?;
        let compiled = CompiledGrammar::new(env).or_else(|e| fail(SynoemaStatus::Load, e.message))?;
        let grammar = Box::into_raw(Box::new(SynoemaGrammar { compiled }));
        // SAFETY: the caller's contract.
        unsafe { write_out(out, grammar, "out") }.inspect_err(|_| {
            // SAFETY: just made by Box::into_raw and never shared.
            drop(unsafe { Box::from_raw(grammar) })
        })
    })
}

/// The number of tokens of the grammar's vocabulary (0 for a null handle).
///
/// # Safety
/// `grammar` is null or a live grammar handle.
#[no_mangle]
pub unsafe extern "C" fn synoema_grammar_vocab_size(grammar: *const SynoemaGrammar) -> u32 {
    // SAFETY: null or live by the caller's contract.
    unsafe { grammar.as_ref() }.map_or(0, |g| g.compiled.vocab_size() as u32)
}

/// The EOS token id of the grammar's vocabulary (`UINT32_MAX` for a null
/// handle).
///
/// # Safety
/// `grammar` is null or a live grammar handle.
#[no_mangle]
pub unsafe extern "C" fn synoema_grammar_eos(grammar: *const SynoemaGrammar) -> u32 {
    // SAFETY: null or live by the caller's contract.
    unsafe { grammar.as_ref() }.map_or(u32::MAX, |g| g.compiled.eos())
}

/// Frees a grammar (null is ignored). Constraints made from it stay valid.
///
/// # Safety
/// `grammar` is null or a live grammar handle, not used after this call.
#[no_mangle]
pub unsafe extern "C" fn synoema_grammar_free(grammar: *mut SynoemaGrammar) {
    if !grammar.is_null() {
        // SAFETY: made by Box::into_raw in this library, freed once.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(grammar) })));
    }
}

/// Starts a constraint at an empty program. `mode` is one of the
/// `SYNOEMA_MODE_*` constants; `require` is null or a signature the
/// program must define (`"solve : [Int] -> Int"`); `require_main` non-zero
/// when the program must define `main`. The request binds in types mode.
///
/// # Safety
/// `grammar` is a live grammar handle; `require` is null or a
/// NUL-terminated string; `out` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_new(
    grammar: *const SynoemaGrammar,
    mode: i32,
    require: *const c_char,
    require_main: i32,
    out: *mut *mut SynoemaConstraint,
) -> SynoemaStatus {
    guard(|| {
        // SAFETY: null or live by the caller's contract.
        let Some(grammar) = (unsafe { grammar.as_ref() }) else {
            return fail(SynoemaStatus::InvalidArgument, "grammar is a null pointer");
        };
        let mode = match mode {
            SYNOEMA_MODE_NONE => Mode::None,
            SYNOEMA_MODE_GRAMMAR => Mode::Grammar,
            SYNOEMA_MODE_TYPES => Mode::Types,
            other => return fail(SynoemaStatus::InvalidArgument, format!("unknown mode {other} (0 none, 1 grammar, 2 types)")),
        };
        let request = if require.is_null() {
            Request { require_main: require_main != 0, require: None }
        } else {
            // SAFETY: the caller's contract.
            let sig = unsafe { text(require, "require") }?;
            Request::from_signature(sig, require_main != 0).or_else(|e| fail(SynoemaStatus::BadRequest, e.0))?
        };
        let constraint = Constraint::new(grammar.compiled.clone(), mode, request).or_else(|e| fail(SynoemaStatus::BadRequest, e.0))?;
        let c = Box::into_raw(Box::new(SynoemaConstraint { constraint }));
        // SAFETY: the caller's contract.
        unsafe { write_out(out, c, "out") }.inspect_err(|_| {
            // SAFETY: just made by Box::into_raw and never shared.
            drop(unsafe { Box::from_raw(c) })
        })
    })
}

/// Writes the mask of allowed next tokens into `mask`, a bit per token:
/// token `t` is allowed when bit `t % 32` of `mask[t / 32]` is set. EOS is
/// set exactly when the program is complete. `mask_words` must be at least
/// `(vocab_size + 31) / 32`.
///
/// # Safety
/// `constraint` is a live handle; `mask` is valid for `mask_words` writes.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_mask(constraint: *mut SynoemaConstraint, mask: *mut u32, mask_words: usize) -> SynoemaStatus {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(constraint, "constraint") }?;
        let needed = c.constraint.compiled().vocab_size().div_ceil(32);
        if mask.is_null() || mask_words < needed {
            return fail(SynoemaStatus::InvalidArgument, format!("the mask buffer needs {needed} words"));
        }
        let vob = c.constraint.compute_mask().map_err(constraint_error)?;
        // SAFETY: mask_words writable words by the caller's contract.
        let out = unsafe { std::slice::from_raw_parts_mut(mask, mask_words) };
        out.fill(0);
        vob.iter_set_entries(|t| {
            if t < needed * 32 {
                out[t / 32] |= 1 << (t % 32);
            }
        });
        Ok(())
    })
}

/// Sets `*allowed` to 1 when `token` may follow the prefix, else 0.
///
/// # Safety
/// `constraint` is a live handle; `allowed` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_check(constraint: *mut SynoemaConstraint, token: u32, allowed: *mut i32) -> SynoemaStatus {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(constraint, "constraint") }?;
        in_vocab(c, token)?;
        let ok = c.constraint.check_token(token).map_err(constraint_error)?;
        // SAFETY: the caller's contract.
        unsafe { write_out(allowed, i32::from(ok), "allowed") }
    })
}

/// Appends `token` to the prefix; [`SynoemaStatus::Rejected`] (and no
/// change) when it is not allowed.
///
/// # Safety
/// `constraint` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_commit(constraint: *mut SynoemaConstraint, token: u32) -> SynoemaStatus {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(constraint, "constraint") }?;
        in_vocab(c, token)?;
        if !c.constraint.check_token(token).map_err(constraint_error)? {
            return fail(SynoemaStatus::Rejected, format!("token {token} is not allowed here"));
        }
        c.constraint.commit_token(token).map_err(constraint_error)
    })
}

/// Removes the last `n` committed tokens; [`SynoemaStatus::Rejected`]
/// (and no change) when fewer were committed.
///
/// # Safety
/// `constraint` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_rollback(constraint: *mut SynoemaConstraint, n: usize) -> SynoemaStatus {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(constraint, "constraint") }?;
        if n > c.constraint.len() {
            return fail(SynoemaStatus::Rejected, format!("cannot roll back {n} tokens: only {} committed", c.constraint.len()));
        }
        c.constraint.rollback(n).map_err(constraint_error)
    })
}

/// Sets `*complete` to 1 when the prefix is a complete program meeting the
/// request (EOS is allowed), else 0.
///
/// # Safety
/// `constraint` is a live handle; `complete` is valid for one write.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_is_complete(constraint: *mut SynoemaConstraint, complete: *mut i32) -> SynoemaStatus {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(constraint, "constraint") }?;
        let done = c.constraint.is_complete().map_err(constraint_error)?;
        // SAFETY: the caller's contract.
        unsafe { write_out(complete, i32::from(done), "complete") }
    })
}

/// Frees a constraint (null is ignored).
///
/// # Safety
/// `constraint` is null or a live handle, not used after this call.
#[no_mangle]
pub unsafe extern "C" fn synoema_constraint_free(constraint: *mut SynoemaConstraint) {
    if !constraint.is_null() {
        // SAFETY: made by Box::into_raw in this library, freed once.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(constraint) })));
    }
}

fn in_vocab(c: &SynoemaConstraint, token: u32) -> Result<(), Failure> {
    let size = c.constraint.compiled().vocab_size();
    if token as usize >= size {
        return fail(SynoemaStatus::InvalidArgument, format!("token {token} is outside the vocabulary of {size} tokens"));
    }
    Ok(())
}
