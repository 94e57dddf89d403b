//! A measurement, not a test: latency of the `types` constraint under real
//! tokenizers, replaying corpus programs token by token. At every step it
//! times the full mask (grammar mask, then one oracle check per token
//! class), the grammar mask alone, and the single-token check of the token
//! that comes next (the lazy path), and prints p50/p99/max in µs with the
//! mean number of oracle checks per full mask; then llguidance's floor on
//! the vocabulary (the mask of a grammar that allows any text).
//!
//! `cargo run --release -p synoema-decoder --example types_latency -- [--files N] [--lazy] [TOKENIZER...]`
//! (default: smollm2 llama3; N corpus files, default 12, spread over the
//! corpus; `--lazy` times only the single checks, as the lazy sampler
//! runs them with no full mask in between, and the grammar's own check).
//! Single checks are also summarised over those the oracle parsed (the
//! others were inert comment or string text after a viable prefix).

use std::time::Instant;
use synoema_decoder::{models, Constraint, Mode, Request};
use synoema_grammar::{CompiledGrammar, TokenConstraint};

/// The `synoema` binary's allocator, so that latencies match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

fn summary(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    format!(
        "p50 {:>8.1}  p99 {:>9.1}  max {:>9.1}",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    )
}

fn corpus(files: usize) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for dir in ["compiler/test_data/run", "examples"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "sno") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    if synoema_compiler::compile(&text).diagnostics.is_empty() {
                        all.push((path.display().to_string(), text));
                    }
                }
            }
        }
    }
    all.sort();
    let step = (all.len() / files.max(1)).max(1);
    all.into_iter().step_by(step).take(files).collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = 12;
    if let Some(i) = args.iter().position(|a| a == "--files") {
        files = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(files);
        args.drain(i..(i + 2).min(args.len()));
    }
    let lazy = args.iter().any(|a| a == "--lazy");
    args.retain(|a| a != "--lazy");
    if args.is_empty() {
        args = vec!["smollm2".into(), "llama3".into()];
    }
    let programs = corpus(files);
    for name in &args {
        let tok = match models::load_tokenizer(name) {
            Ok(tok) => tok,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let started = Instant::now();
        let compiled = CompiledGrammar::new(tok.tok_env()).expect("the grammar compiles");
        let vocab = synoema_decoder::vocabulary(&compiled);
        let _ = synoema_decoder::grammar_mask::grammar_classes(&compiled);
        let setup = started.elapsed();
        let (mut full, mut grammar, mut single) = (Vec::new(), Vec::new(), Vec::new());
        // llguidance's own mask (its walk of the whole token trie), which
        // the constraint replaces by classes where they apply.
        let mut walk = Vec::new();
        // Single checks that parsed (the others were inert comment or
        // string text after a viable prefix, or rejected by the grammar).
        let mut parsed = Vec::new();
        // Commits of the checked token (the grammar consumes it, the
        // oracle appends it).
        let mut commits = Vec::new();
        let (mut checks, mut dynamic, mut steps) = (0usize, 0usize, 0usize);
        // The slowest full masks: time, checks, readings parsed, and the
        // end of the prefix.
        let mut worst: Vec<(f64, usize, u64, String)> = Vec::new();
        for (_, text) in &programs {
            let mut c = Constraint::new(compiled.clone(), Mode::Types, Request::default()).expect("a request");
            let mut g = Constraint::new(compiled.clone(), Mode::Grammar, Request::default()).expect("a request");
            let tokens = tok.encode(text);
            let mut offset = 0usize;
            let mut raw = synoema_grammar::GrammarConstraint::new(&compiled);
            for &token in &tokens {
                steps += 1;
                if !lazy {
                    let t = Instant::now();
                    let _ = g.compute_mask();
                    grammar.push(t.elapsed().as_secs_f64() * 1e6);
                    let t = Instant::now();
                    let _ = raw.compute_mask();
                    walk.push(t.elapsed().as_secs_f64() * 1e6);
                    let readings_before = c.oracle_stats().map_or(0, |s| s.readings);
                    let t = Instant::now();
                    let _ = c.compute_mask();
                    let micros = t.elapsed().as_secs_f64() * 1e6;
                    full.push(micros);
                    let stats = c.last_mask_stats();
                    let readings = c.oracle_stats().map_or(0, |s| s.readings) - readings_before;
                    if worst.len() < 5 || micros > worst[worst.len() - 1].0 {
                        let at = offset.min(text.len());
                        let tail = String::from_utf8_lossy(&text.as_bytes()[at.saturating_sub(40)..at]).into_owned();
                        worst.push((micros, stats.checks, readings, tail));
                        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
                        worst.truncate(5);
                    }
                    checks += stats.checks;
                    dynamic += stats.dynamic;
                }
                // The single check as the lazy sampler runs it.
                let queries = c.oracle_stats().map_or(0, |s| s.queries);
                let t = Instant::now();
                let ok = c.check_token(token).unwrap_or(false);
                let micros = t.elapsed().as_secs_f64() * 1e6;
                single.push(micros);
                if c.oracle_stats().map_or(0, |s| s.queries) > queries {
                    parsed.push(micros);
                }
                if lazy {
                    // With no masks to time, the grammar's own check.
                    let t = Instant::now();
                    let _ = g.check_token(token);
                    grammar.push(t.elapsed().as_secs_f64() * 1e6);
                }
                offset += tok.token_bytes(token).len();
                let t = Instant::now();
                let committed = ok && c.commit_token(token).is_ok();
                commits.push(t.elapsed().as_secs_f64() * 1e6);
                if !committed || g.commit_token(token).is_err() || raw.commit_token(token).is_err() {
                    eprintln!("{name}: a corpus token was rejected (soundness bug)");
                    break;
                }
            }
        }
        println!(
            "{name}: {} tokens, {} classes, set-up {:.0} ms, {} files, {steps} steps",
            vocab.len(),
            vocab.classes(),
            setup.as_secs_f64() * 1e3,
            programs.len()
        );
        if lazy {
            println!("  grammar check alone         µs: {}", summary(grammar));
        } else {
            println!("  full mask (grammar + types) µs: {}", summary(full));
            println!("  grammar mask alone          µs: {}", summary(grammar));
            println!("    llguidance's walk alone   µs: {}", summary(walk));
        }
        let all = single.len();
        println!("  single-token check          µs: {}", summary(single));
        println!("    of which parsed ({:>4.1}%)  µs: {}", 100.0 * parsed.len() as f64 / all.max(1) as f64, summary(parsed));
        let mean = commits.iter().sum::<f64>() / commits.len().max(1) as f64;
        println!("  commit of the checked token µs: {}  mean {mean:.1}", summary(commits));
        if !lazy {
            println!(
                "  per full mask: {:.1} oracle checks, {:.0} tokens keyed at the step",
                checks as f64 / steps.max(1) as f64,
                dynamic as f64 / steps.max(1) as f64
            );
        }
        for (micros, checks, readings, tail) in &worst {
            println!("  slow step: {:.0} µs, {checks} checks, {readings} readings parsed, after {tail:?}", micros);
        }
        // llguidance's floors on this vocabulary: the mask of a grammar that
        // allows any text (answered without walking the token trie), and of
        // one that allows nearly every token but must lex it (words,
        // digits, spaces and single other characters as separate lexemes,
        // in any order; no slice covers them).
        let any = "start: ANY\nANY: /(.|\\n)*/\n";
        let lexemes = "start: (W | D | S | O)*\nW: /[A-Za-z_]+/\nD: /[0-9]+/\nS: / +/\nO: /[^A-Za-z_0-9 ]/\n";
        for (what, lark) in [("any-text", any), ("lexed-text", lexemes)] {
            if let Some(times) = floor(&tok, lark) {
                println!("  floor: {what} grammar mask µs: {}", summary(times));
            }
        }
    }
}

/// Mask times of the grammar `lark` over the vocabulary of `tok`, on 200
/// tokens of a short program cycled.
fn floor(tok: &synoema_grammar::Tokenizer, lark: &str) -> Option<Vec<f64>> {
    let grammar = CompiledGrammar::from_lark(tok.tok_env(), lark).ok()?;
    let mut c = synoema_grammar::GrammarConstraint::new(&grammar);
    let mut times = Vec::new();
    for token in tok.encode("main = foo (bar 1) 2\n").into_iter().cycle().take(200) {
        let t = Instant::now();
        let _ = c.compute_mask();
        times.push(t.elapsed().as_secs_f64() * 1e6);
        if c.commit_token(token).is_err() {
            break;
        }
    }
    Some(times)
}
