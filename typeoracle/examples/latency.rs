//! A measurement, not a test: per-byte `check` latency while replaying the
//! corpus byte by byte, and the brute-force byte mask (256 checks) at a
//! sample of points. Build with `--release` for numbers that mean anything
//! beyond comparison between debug builds.
//!
//! `cargo run -p synoema-typeoracle --example latency [FILES...]`

use std::time::{Duration, Instant};
use synoema_typeoracle::{Mode, Oracle, Request};

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files = if args.is_empty() { corpus() } else { args };
    for mode in [Mode::Types, Mode::Grammar] {
        let mut checks = Vec::new();
        let mut masks = Vec::new();
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            if !synoema_compiler::compile(&text).diagnostics.is_empty() {
                continue;
            }
            let Ok(mut oracle) = Oracle::with_mode(Request::default(), mode) else { return };
            for (i, b) in text.bytes().enumerate() {
                let start = Instant::now();
                oracle.check(&[b]);
                checks.push(start.elapsed());
                if i % 200 == 100 {
                    let all: Vec<[u8; 1]> = (0..=255u8).map(|x| [x]).collect();
                    let vocab: Vec<&[u8]> = all.iter().map(|x| &x[..]).collect();
                    let start = Instant::now();
                    oracle.mask(&vocab);
                    masks.push(start.elapsed());
                }
                oracle.commit(&[b]);
            }
        }
        checks.sort();
        masks.sort();
        println!(
            "{mode:?}: single-byte check over {} bytes: p50 {:?} p99 {:?} max {:?}",
            checks.len(),
            percentile(&checks, 0.5),
            percentile(&checks, 0.99),
            checks.last().copied().unwrap_or_default()
        );
        println!(
            "{mode:?}: 256-byte mask at {} points: p50 {:?} p99 {:?}",
            masks.len(),
            percentile(&masks, 0.5),
            percentile(&masks, 0.99)
        );
    }
}
