//! Measures the JIT on Synoema files: compile time per Core function and
//! in-process run time, next to the interpreter's run time on the same
//! file. Used by `evals/bench/run.sh`; timings are measured here, never
//! asserted in tests.
//!
//! `cargo run -p synoema-compiler --example jit_bench -- FILE.sno...`
//! (with `JIT_BENCH_EACH=1`, also each function's compile time, sorted,
//! on standard error).

use std::time::Instant;
use synoema_compiler::{compile, interp, jit};

/// The `synoema` binary's allocator, so that compile times match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(src) = std::fs::read_to_string(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let compiled = compile(&src);
        if !compiled.diagnostics.is_empty() {
            eprintln!("{path}: does not compile");
            continue;
        }
        let limits = interp::Limits::default();
        let mut out = Vec::new();
        let start = Instant::now();
        let stats = jit::run_with_stats(&compiled.program, &compiled.info, &limits, &mut out);
        let jit_total = start.elapsed();
        let jit_out = String::from_utf8_lossy(&out).trim().to_string();
        let mut out = Vec::new();
        let start = Instant::now();
        let interp_result = interp::run_main(&compiled.program, &compiled.info, &limits, &mut out);
        let interp_time = start.elapsed();
        match stats {
            Ok(stats) => {
                if std::env::var_os("JIT_BENCH_EACH").is_some() {
                    let mut times: Vec<_> = stats.compile_times.iter().map(|t| t.as_micros()).collect();
                    times.sort();
                    eprintln!("compile times (us, sorted): {times:?}");
                }
                let n = stats.compile_times.len().max(1) as u32;
                let compile: std::time::Duration = stats.compile_times.iter().sum();
                println!(
                    "{path}: jit run {:.3} ms, jit total in-process {:.3} ms, compile {} functions {:.1} us ({:.1} us/function), interp {:.1} ms ({}), output {jit_out}",
                    stats.run_time.as_secs_f64() * 1e3,
                    jit_total.as_secs_f64() * 1e3,
                    stats.compile_times.len(),
                    compile.as_secs_f64() * 1e6,
                    (compile / n).as_secs_f64() * 1e6,
                    interp_time.as_secs_f64() * 1e3,
                    if interp_result.is_ok() { "ok" } else { "failed" },
                );
            }
            Err(e) => println!("{path}: jit: {e}"),
        }
    }
}
