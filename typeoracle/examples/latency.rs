//! A measurement, not a test: per-byte `check` latency while replaying the
//! corpus byte by byte, and the brute-force byte mask (256 checks) at a
//! sample of points. Build with `--release` for numbers that mean anything
//! beyond comparison between debug builds.
//!
//! `cargo run -p synoema-typeoracle --example latency [--chunk N] [--repeat R] [--types] [FILES...]`
//!
//! `--chunk N` checks N bytes at a time (about a real token's length at
//! 3-4) and skips the byte masks; `--repeat R` replays the files R times
//! (for a profiler); `--types` leaves out the grammar-only mode.

use std::time::{Duration, Instant};
use synoema_typeoracle::{Mode, Oracle, Request};

/// The `synoema` binary's allocator, so that latencies match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The value after `--name`, removed from `args` with it.
fn option(args: &mut Vec<String>, name: &str, default: usize) -> usize {
    let Some(i) = args.iter().position(|a| a == name) else { return default };
    let value = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(default);
    args.drain(i..(i + 2).min(args.len()));
    value
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["compiler/test_data/run", "compiler/test_data/tests", "compiler/test_data/parse/ok", "examples"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "sno") {
                    files.push(e.path().to_string_lossy().into_owned());
                }
            }
        }
    }
    files.sort();
    files
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let chunk = option(&mut args, "--chunk", 1).max(1);
    let repeat = option(&mut args, "--repeat", 1);
    let types_only = args.iter().any(|a| a == "--types");
    args.retain(|a| a != "--types");
    let files = if args.is_empty() { corpus() } else { args };
    let texts: Vec<String> = files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter(|text| synoema_compiler::compile(text).diagnostics.is_empty())
        .collect();
    let modes: &[Mode] = if types_only { &[Mode::Types] } else { &[Mode::Types, Mode::Grammar] };
    for &mode in modes {
        let mut checks = Vec::new();
        let mut masks = Vec::new();
        for text in texts.iter().cycle().take(texts.len() * repeat) {
            let Ok(mut oracle) = Oracle::with_mode(Request::default(), mode) else { return };
            for (i, piece) in text.as_bytes().chunks(chunk).enumerate() {
                let start = Instant::now();
                oracle.check(piece);
                checks.push(start.elapsed());
                if chunk == 1 && i % 200 == 100 {
                    let all: Vec<[u8; 1]> = (0..=255u8).map(|x| [x]).collect();
                    let vocab: Vec<&[u8]> = all.iter().map(|x| &x[..]).collect();
                    let start = Instant::now();
                    oracle.mask(&vocab);
                    masks.push(start.elapsed());
                }
                oracle.commit(piece);
            }
        }
        checks.sort();
        masks.sort();
        println!(
            "{mode:?}: {chunk}-byte check, {} checks: p50 {:?} p99 {:?} max {:?}",
            checks.len(),
            percentile(&checks, 0.5),
            percentile(&checks, 0.99),
            checks.last().copied().unwrap_or_default()
        );
        if !masks.is_empty() {
            println!(
                "{mode:?}: 256-byte mask at {} points: p50 {:?} p99 {:?}",
                masks.len(),
                percentile(&masks, 0.5),
                percentile(&masks, 0.99)
            );
        }
    }
}
