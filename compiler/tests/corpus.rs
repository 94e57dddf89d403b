//! The data-driven test corpus: Synoema source files whose expected results
//! are written inside them as comment directives, checked against the
//! library (`compile`, then `run_main` or `run_tests`).
//!
//! Three folders under `compiler/test_data/`:
//! - `run/`: valid programs with `main`. `--> TEXT` lines are the whole
//!   expected standard output, in file order; `--! TEXT` says the run must
//!   stop with a runtime error whose message contains TEXT; `--: name : type`
//!   is the rendered type the checker must report for top-level `name`.
//! - `tests/`: files with `test "name" = expr` declarations; their `-->`
//!   lines are the expected report of the test runner (`PASS name`,
//!   `FAIL name`, `ERROR name: ...` where only `ERROR name:` is compared,
//!   then `N passed, N failed`). `--:` works there too.
//! - `err/`: invalid programs. A trailing `-- error[KIND]` marks the line on
//!   which a diagnostic of that kind must start; a whole-line
//!   `-- error[KIND] at line N` marks line N. The set of (line, kind) pairs
//!   reported must equal the set of marks, so recovery must not cascade.
//!
//! Each folder is one test. Directive mismatches are collected over all
//! files and reported together with the file name and a line diff; in
//! addition every file gets an insta snapshot laid out as
//! `----- SOURCE CODE` / `----- OUTPUT` / `----- ERROR`, which records the
//! rendered diagnostics and runtime errors for review.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use synoema_compiler::diagnostic::Renderer;
use synoema_compiler::interp::{self, Limits};
use synoema_compiler::span::LineIndex;
use synoema_compiler::{compile, Compiled};

/// What a file says about itself in its comments.
#[derive(Debug, Default)]
struct Directives {
    /// `-->` lines: expected standard output (or test report), in order.
    stdout: Vec<String>,
    /// `--!`: the run must fail with a message containing this text.
    runtime_error: Option<String>,
    /// `--: name : type`: expected rendered types of top-level names.
    types: Vec<(String, String)>,
    /// `-- error[KIND]`: expected diagnostics as (line, kind).
    errors: BTreeSet<(u32, String)>,
    /// Directives that could not be read; reported as failures so a typo in a
    /// directive never silently weakens a test.
    malformed: Vec<String>,
}

impl Directives {
    fn count(&self) -> usize {
        self.stdout.len() + usize::from(self.runtime_error.is_some()) + self.types.len() + self.errors.len()
    }
}

fn parse_directives(src: &str) -> Directives {
    let mut d = Directives::default();
    for (i, line) in src.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("-->") {
            d.stdout.push(rest.strip_prefix(' ').unwrap_or(rest).to_string());
        } else if let Some(rest) = trimmed.strip_prefix("--!") {
            if d.runtime_error.is_some() {
                d.malformed.push(format!("line {line_no}: a second `--!` directive"));
            }
            d.runtime_error = Some(rest.trim().to_string());
        } else if let Some(rest) = trimmed.strip_prefix("--:") {
            match rest.trim().split_once(" : ") {
                Some((name, ty)) => d.types.push((name.trim().to_string(), ty.trim().to_string())),
                None => d.malformed.push(format!("line {line_no}: `--:` needs `name : type`")),
            }
        }
        if let Some(pos) = line.find("-- error[") {
            let mark = &line[pos + "-- error[".len()..];
            let Some((kind, after)) = mark.split_once(']') else {
                d.malformed.push(format!("line {line_no}: unclosed `error[`"));
                continue;
            };
            if !["syntax", "layout", "scope", "type"].contains(&kind) {
                d.malformed.push(format!("line {line_no}: unknown error kind `{kind}`"));
            }
            let target = match after.trim().strip_prefix("at line") {
                Some(n) => match n.trim().parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => {
                        d.malformed.push(format!("line {line_no}: bad `at line N`"));
                        continue;
                    }
                },
                None => line_no,
            };
            d.errors.insert((target, kind.to_string()));
        }
    }
    d
}

/// Which folder a file is in decides what is checked.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Run,
    Tests,
    Err,
}

/// The result of checking one file.
struct Checked {
    /// Human-readable mismatches; empty when the file passes.
    failures: Vec<String>,
    /// The snapshot text.
    snapshot: String,
}

fn check_file(path: &Path, mode: Mode) -> Checked {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let src = match std::fs::read_to_string(path) {
        Ok(src) => src,
        Err(e) => return Checked { failures: vec![format!("cannot read: {e}")], snapshot: String::new() },
    };
    let directives = parse_directives(&src);
    let mut failures = directives.malformed.clone();
    if directives.count() == 0 && mode != Mode::Run {
        failures.push("the file has no directive, so it checks nothing".into());
    }

    let compiled = compile(&src);
    let rendered = Renderer::new(&name, &src).render_all(&compiled.diagnostics);
    check_types(&compiled, &directives, &mut failures);

    let (output, error) = match mode {
        Mode::Err => {
            check_error_marks(&src, &compiled, &directives, &mut failures);
            (String::new(), rendered)
        }
        _ if !compiled.diagnostics.is_empty() => {
            failures.push(format!("expected a valid program, got diagnostics:\n{rendered}"));
            (String::new(), rendered)
        }
        Mode::Run => run_main(&compiled, &directives, &mut failures),
        Mode::Tests => run_tests(&compiled, &directives, &mut failures),
    };

    let snapshot = format!("----- SOURCE CODE\n{src}\n----- OUTPUT\n{output}\n----- ERROR\n{error}");
    Checked { failures, snapshot }
}

fn check_types(compiled: &Compiled, d: &Directives, failures: &mut Vec<String>) {
    for (name, expected) in &d.types {
        match compiled.info.top_level.iter().find(|(n, _)| n == name) {
            Some((_, got)) if got == expected => {}
            Some((_, got)) => failures.push(format!("type of `{name}`:\n  expected: {expected}\n  got:      {got}")),
            None => failures.push(format!("type of `{name}`: no such top-level name was reported")),
        }
    }
}

fn run_main(compiled: &Compiled, d: &Directives, failures: &mut Vec<String>) -> (String, String) {
    let mut out = Vec::new();
    let result = interp::run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out);
    let stdout = String::from_utf8_lossy(&out).into_owned();
    let error = match (&result, &d.runtime_error) {
        (Ok(()), None) => String::new(),
        (Ok(()), Some(want)) => {
            failures.push(format!("expected a runtime error containing {want:?}, but the run succeeded"));
            String::new()
        }
        (Err(e), None) => {
            failures.push(format!("unexpected runtime error: {e}"));
            e.to_string()
        }
        (Err(e), Some(want)) => {
            if !e.to_string().contains(want.as_str()) {
                failures.push(format!("runtime error {:?} does not contain {want:?}", e.to_string()));
            }
            e.to_string()
        }
    };
    let expected = join_lines(&d.stdout);
    if stdout != expected {
        failures.push(format!("standard output differs:\n{}", line_diff(&expected, &stdout, |e, g| e == g)));
    }
    (stdout, error)
}

fn run_tests(compiled: &Compiled, d: &Directives, failures: &mut Vec<String>) -> (String, String) {
    let mut out = Vec::new();
    let outcomes = interp::run_tests(&compiled.program, &compiled.info, &Limits::default(), &mut out);
    let report = interp::format_test_report(&outcomes);
    let expected = join_lines(&d.stdout);
    if !report_matches(&expected, &report) {
        failures.push(format!("test report differs:\n{}", line_diff(&expected, &report, report_line_matches)));
    }
    // Effects of top-level values (evaluated before the tests) come first.
    (format!("{}{report}", String::from_utf8_lossy(&out)), String::new())
}

/// An `ERROR name: message` line is compared up to the colon after the
/// name: the message wording belongs to the interpreter.
fn report_line_matches(expected: &str, got: &str) -> bool {
    match expected.strip_prefix("ERROR ").and_then(|rest| rest.find(':')) {
        Some(colon) => got.starts_with(&expected[..colon + "ERROR ".len() + 1]),
        None => expected == got,
    }
}

fn report_matches(expected: &str, got: &str) -> bool {
    let (e, g): (Vec<_>, Vec<_>) = (expected.lines().collect(), got.lines().collect());
    e.len() == g.len() && e.iter().zip(&g).all(|(e, g)| report_line_matches(e, g))
}

fn check_error_marks(src: &str, compiled: &Compiled, d: &Directives, failures: &mut Vec<String>) {
    let index = LineIndex::new(src);
    let got: BTreeSet<(u32, String)> = compiled
        .diagnostics
        .iter()
        .map(|diag| (index.line_col(src, diag.span.start).line, diag.kind.as_str().to_string()))
        .collect();
    if d.errors.is_empty() {
        failures.push("an err/ file needs at least one `-- error[KIND]` mark".into());
    }
    if got != d.errors {
        let show = |set: &BTreeSet<(u32, String)>| {
            set.iter().map(|(l, k)| format!("line {l} {k}")).collect::<Vec<_>>().join(", ")
        };
        let missing: BTreeSet<_> = d.errors.difference(&got).cloned().collect();
        let extra: BTreeSet<_> = got.difference(&d.errors).cloned().collect();
        failures.push(format!(
            "diagnostics differ from the marks\n  missing: {}\n  unexpected: {}\n  all reported:\n{}",
            show(&missing),
            show(&extra),
            indent(&Renderer::new("<file>", src).render_all(&compiled.diagnostics))
        ));
    }
}

fn join_lines(lines: &[String]) -> String {
    lines.iter().fold(String::new(), |mut acc, l| {
        acc.push_str(l);
        acc.push('\n');
        acc
    })
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// A side-by-side line listing: `  ` for equal lines, `-` expected, `+` got.
fn line_diff(expected: &str, got: &str, same: fn(&str, &str) -> bool) -> String {
    let (e, g): (Vec<_>, Vec<_>) = (expected.lines().collect(), got.lines().collect());
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if same(a, b) => {
                let _ = writeln!(out, "      {a}");
            }
            (a, b) => {
                if let Some(a) = a {
                    let _ = writeln!(out, "    - {a}");
                }
                if let Some(b) = b {
                    let _ = writeln!(out, "    + {b}");
                }
            }
        }
    }
    if expected.ends_with('\n') != got.ends_with('\n') && !got.is_empty() {
        let _ = writeln!(out, "    (final line break differs)");
    }
    out
}

/// Checks every file of one folder: collects directive failures over all
/// files and snapshots each one.
fn check_folder(folder: &str, mode: Mode) {
    let mut report = String::new();
    let mut failed = 0;
    let visit = |path: &Path| {
        let checked = check_file(path, mode);
        if !checked.failures.is_empty() {
            failed += 1;
            let _ = writeln!(report, "=== {folder}/{}", path.file_name().unwrap_or_default().to_string_lossy());
            for f in &checked.failures {
                let _ = writeln!(report, "  {}", f.replace('\n', "\n  "));
            }
        }
        insta::assert_snapshot!(folder, checked.snapshot);
    };
    // glob! panics at the end when a snapshot differs; the directive report
    // is the more useful message, so it goes first.
    let snapshots = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match folder {
        "run" => insta::glob!("../test_data/run", "*.sno", visit),
        "tests" => insta::glob!("../test_data/tests", "*.sno", visit),
        _ => insta::glob!("../test_data/err", "*.sno", visit),
    }));
    assert!(failed == 0, "{failed} file(s) in {folder}/ do not match their directives:\n{report}");
    if let Err(panic) = snapshots {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn run() {
    check_folder("run", Mode::Run);
}

#[test]
fn tests() {
    check_folder("tests", Mode::Tests);
}

#[test]
fn err() {
    check_folder("err", Mode::Err);
}

fn sno_files(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sno"))
        .collect();
    files.sort();
    files
}

/// Files cannot silently vanish: each folder keeps at least its size.
#[test]
fn corpus_is_big_enough() {
    for (folder, min) in [("run", 80), ("err", 60), ("tests", 5)] {
        let n = sno_files(folder).len();
        assert!(n >= min, "test_data/{folder} has {n} .sno files, expected at least {min}");
    }
}

/// The type directives stay common: at least half the run files state the
/// types of their main functions.
#[test]
fn most_run_files_state_types() {
    let files = sno_files("run");
    let typed = files
        .iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|src| !parse_directives(&src).types.is_empty()))
        .count();
    assert!(typed * 2 >= files.len(), "only {typed} of {} run files have `--:` type directives", files.len());
}

/// The directive reader itself, on a small sample.
#[test]
fn directives_are_read() {
    let src = "f x = x -- error[type]\n-- error[scope] at line 7\n--> a\n-->\n--! boom\n--: f : a -> a\n";
    let d = parse_directives(src);
    assert_eq!(d.stdout, vec!["a".to_string(), String::new()]);
    assert_eq!(d.runtime_error.as_deref(), Some("boom"));
    assert_eq!(d.types, vec![("f".to_string(), "a -> a".to_string())]);
    assert_eq!(d.errors, BTreeSet::from([(1, "type".to_string()), (7, "scope".to_string())]));
    assert!(d.malformed.is_empty());
    assert!(report_line_matches("ERROR t: whatever", "ERROR t: division by zero"));
    assert!(!report_line_matches("ERROR t: whatever", "ERROR tt: division by zero"));
    assert!(!report_line_matches("PASS t", "PASS u"));
}
