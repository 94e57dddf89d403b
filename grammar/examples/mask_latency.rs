//! A first latency measurement (not a test): replays the valid programs of
//! the corpus byte by byte through the grammar's masks and prints the time
//! of each full mask computation and of single-token checks (p50, p99, max
//! in microseconds).
//!
//! Run with `cargo run -p synoema-grammar --example mask_latency`; pass a
//! directory to replay other `.sno` files. Debug builds are slower than
//! release builds; compare numbers of one build kind only.

use std::path::{Path, PathBuf};
use std::time::Instant;
use synoema_grammar::{byte_tok_env, CompiledGrammar, GrammarConstraint};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sno") {
            out.push(path);
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "{what}: n = {}, p50 = {:.1} µs, p99 = {:.1} µs, max = {:.1} µs",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    match std::env::args().nth(1) {
        Some(dir) => collect(Path::new(&dir), &mut files),
        None => {
            collect(&root.join("compiler/test_data"), &mut files);
            collect(&root.join("examples"), &mut files);
        }
    }
    files.sort();

    let t0 = Instant::now();
    let compiled = match CompiledGrammar::new(byte_tok_env()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot compile the grammar: {e}");
            std::process::exit(1);
        }
    };
    println!("grammar compiled in {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);

    let (mut masks, mut checks) = (Vec::new(), Vec::new());
    let mut programs = 0;
    let mut rejected = 0;
    for path in &files {
        let Ok(src) = std::fs::read_to_string(path) else { continue };
        let mut c = GrammarConstraint::new(&compiled);
        let mut ok = true;
        for b in src.bytes() {
            let t = Instant::now();
            let mask = c.compute_mask();
            masks.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            let allowed = c.check_token(u32::from(b)).unwrap_or(false);
            checks.push(t.elapsed().as_secs_f64() * 1e6);
            if !allowed || !mask.is_ok_and(|m| m.is_allowed(u32::from(b))) || c.commit_token(u32::from(b)).is_err() {
                ok = false;
                break;
            }
        }
        programs += 1;
        if !ok || !c.is_complete().unwrap_or(false) {
            rejected += 1;
        }
    }
    println!("{programs} files replayed byte by byte ({rejected} not valid programs, replayed up to their error)");
    report("full mask (257 tokens)", masks);
    report("single-token check", checks);
}
