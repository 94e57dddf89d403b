//! The Synoema programs of the benchmark suite (`evals/bench/`) compute
//! what their Python and C versions compute: each program, with its `size`
//! set to the suite's small check size, must print the suite's
//! `check_output` under the interpreter, and under the JIT wherever the JIT
//! supports it. `evals/bench/bench.py` checks the Python and C versions
//! against the same `suite.tsv` rows, so all three agree. Timings are never
//! asserted here; `evals/bench/run.sh` measures them.

use std::path::{Path, PathBuf};
use synoema_compiler::interp::{self, Limits};
use synoema_compiler::jit::{self, JitError};
use synoema_compiler::compile;

/// One row of `suite.tsv`.
struct Row {
    name: String,
    check_size: u64,
    check_output: String,
}

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../evals/bench")
}

fn suite() -> Vec<Row> {
    let text = std::fs::read_to_string(bench_dir().join("suite.tsv")).expect("evals/bench/suite.tsv is readable");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "suite.tsv row needs 3 tab-separated columns: {l:?}");
            Row {
                name: cols[0].to_string(),
                check_size: cols[1].parse().unwrap_or_else(|_| panic!("bad check_size in {l:?}")),
                check_output: cols[2].replace("\\n", "\n") + "\n",
            }
        })
        .collect()
}

/// The program with its `size = N` line set to `size`.
fn with_size(src: &str, size: u64) -> Option<String> {
    let mut found = false;
    let lines: Vec<String> = src
        .lines()
        .map(|l| match l.strip_prefix("size = ") {
            Some(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                found = true;
                format!("size = {size}")
            }
            _ => l.to_string(),
        })
        .collect();
    found.then(|| lines.join("\n") + "\n")
}

#[test]
fn every_benchmark_has_three_versions_and_a_suite_row() {
    let rows = suite();
    assert!(rows.len() >= 12, "the suite lists {} benchmarks", rows.len());
    let mut names: Vec<String> = std::fs::read_dir(bench_dir())
        .expect("evals/bench is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".sno").map(str::to_string))
        .filter(|n| n != "sum_to") // the deep-recursion target, not a table row
        .collect();
    names.sort();
    let mut listed: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    listed.sort();
    assert_eq!(names, listed, "every evals/bench/*.sno is a suite row and back");
    for name in &listed {
        for ext in ["py", "c"] {
            assert!(bench_dir().join(format!("{name}.{ext}")).is_file(), "{name}.{ext} is missing");
        }
    }
}

#[test]
fn synoema_versions_print_the_suite_outputs() {
    let mut jit_supported = Vec::new();
    for row in suite() {
        let path = bench_dir().join(format!("{}.sno", row.name));
        let src = std::fs::read_to_string(&path).expect("benchmark program is readable");
        let src = with_size(&src, row.check_size).unwrap_or_else(|| panic!("{}.sno has no `size = N` line", row.name));
        let compiled = compile(&src);
        assert!(compiled.diagnostics.is_empty(), "{}.sno does not compile: {:?}", row.name, compiled.diagnostics);

        let mut out = Vec::new();
        let result = interp::run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out);
        assert_eq!(result, Ok(()), "{} under the interpreter", row.name);
        assert_eq!(String::from_utf8_lossy(&out), row.check_output, "{} under the interpreter", row.name);

        let mut out = Vec::new();
        match jit::try_run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out) {
            Err(JitError::Unsupported(_)) => {}
            result => {
                assert_eq!(result, Ok(()), "{} under the JIT", row.name);
                assert_eq!(String::from_utf8_lossy(&out), row.check_output, "{} under the JIT", row.name);
                jit_supported.push(row.name);
            }
        }
    }
    println!("the JIT runs {} benchmarks: {}", jit_supported.len(), jit_supported.join(" "));
}

#[test]
fn sum_to_completes_or_stops_at_the_stack_limit_under_the_jit() {
    let src = std::fs::read_to_string(bench_dir().join("sum_to.sno")).expect("sum_to.sno is readable");
    let run = |size| {
        let compiled = compile(&with_size(&src, size).expect("sum_to.sno has a `size = N` line"));
        assert!(compiled.diagnostics.is_empty(), "{:?}", compiled.diagnostics);
        let mut out = Vec::new();
        let result = jit::try_run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out);
        (result, String::from_utf8_lossy(&out).into_owned())
    };
    assert_eq!(run(1000), (Ok(()), "500500\n".to_string()));
    match run(100_000_000) {
        (Err(JitError::Run(e)), out) => {
            assert!(e.to_string().contains("stack limit"), "{e}");
            assert_eq!(out, "");
        }
        other => panic!("sum_to 10^8 should stop at the stack limit, got {other:?}"),
    }
}
