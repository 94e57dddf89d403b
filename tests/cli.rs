//! The command-line contract: output, exit codes and message formats of the
//! `synoema` binary.

use assert_cmd::Command;
use std::path::PathBuf;

fn synoema() -> Command {
    Command::cargo_bin("synoema").expect("the synoema binary is built")
}

/// Writes `src` to a fresh file in a per-test temp folder and returns its path.
fn source_file(test: &str, src: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("synoema-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("prog.sno");
    std::fs::write(&path, src).unwrap();
    path
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn run_prints_the_sample_program_output() {
    let out = synoema().args(["run", "examples/quicksort.sno"]).output().unwrap();
    assert_eq!(stdout_of(&out), "[1 3 5 8]\nareas: [3.14 6.0]\n");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr_of(&out));
}

#[test]
fn run_reports_a_runtime_error_on_one_line_with_status_1() {
    let path = source_file("runtime", "main =\n  print \"before\"\n  10 / (5 - 5)\n");
    let out = synoema().arg("run").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "before\n");
    let err = stderr_of(&out);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains("division by zero"), "{err}");
}

#[test]
fn run_stops_at_an_exhausted_step_limit_with_status_1() {
    let path = source_file("steps", "loop n = loop (n + 1)\nmain = loop 0\n");
    let out = synoema().arg("run").arg(&path).args(["--max-steps", "100000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("step limit"), "{}", stderr_of(&out));
}

#[test]
fn run_rejects_a_program_that_does_not_compile_with_status_2() {
    let path = source_file("compile", "main = 1 + true\n");
    let out = synoema().arg("run").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    let first = err.lines().next().unwrap_or_default();
    let expected_prefix = format!("{}:1:", path.display());
    assert!(first.starts_with(&expected_prefix), "{first}");
    assert!(first.contains(": error[type]: "), "{first}");
}

#[test]
fn run_without_main_is_a_scope_error() {
    let path = source_file("nomain", "double x = x * 2\n");
    let out = synoema().arg("run").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("error[scope]"), "{}", stderr_of(&out));
}

#[test]
fn the_jit_is_the_default_engine_and_falls_back_to_the_interpreter() {
    let path = source_file("jit", "fib n = ? n < 2 -> n : fib (n - 1) + fib (n - 2)\nmain = fib 20\n");
    let out = synoema().arg("run").arg(&path).args(["--engine", "jit"]).output().unwrap();
    assert_eq!(stdout_of(&out), "6765\n", "stderr: {}", stderr_of(&out));
    assert_eq!(out.status.code(), Some(0));

    // A program the JIT does not compile yet (a polymorphic top-level
    // function value) runs in the interpreter instead, with the same output;
    // the JIT is the default engine.
    let path = source_file("jit_fallback", "ident2 = \\x -> x\nmain = (ident2 1, ident2 true)\n");
    for args in [&["--engine", "jit"][..], &[], &["--engine", "interp"]] {
        let out = synoema().arg("run").arg(&path).args(args).output().unwrap();
        assert_eq!(stdout_of(&out), "(1, true)\n", "{args:?} stderr: {}", stderr_of(&out));
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn missing_and_non_utf8_files_are_clear_errors() {
    let out = synoema().args(["run", "no/such/file.sno"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("cannot read no/such/file.sno"), "{}", stderr_of(&out));

    let path = source_file("utf8", "");
    std::fs::write(&path, b"main = \"\xff\"\n").unwrap();
    let out = synoema().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("not valid UTF-8"), "{}", stderr_of(&out));
}

#[test]
fn check_prints_each_top_level_name_with_its_type() {
    let path = source_file("check", "double x = x * 2\npair a b = (a, b)\nmain = double 21\n");
    let out = synoema().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "double : Int -> Int\npair : a -> b -> (a, b)\nmain : Int\n");
}

#[test]
fn check_reports_several_errors_with_kinds_and_lines() {
    let path = source_file("several", "f x = x + true\ng = undefined_name\nmain =\n   1\n");
    let out = synoema().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    let headers: Vec<&str> = err.lines().filter(|l| l.contains(": error[")).collect();
    let shown = path.display().to_string();
    assert!(headers.iter().any(|h| h.starts_with(&format!("{shown}:1:")) && h.contains("error[type]")), "{err}");
    assert!(headers.iter().any(|h| h.starts_with(&format!("{shown}:2:")) && h.contains("error[scope]")), "{err}");
    assert!(headers.iter().any(|h| h.starts_with(&format!("{shown}:4:")) && h.contains("error[layout]")), "{err}");
}

#[test]
fn check_json_gives_structured_records() {
    let path = source_file("json", "main = 1 + true\n");
    let out = synoema().arg("check").arg(&path).arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["ok"], false);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["kind"], "type");
    assert_eq!(d["line"], 1);
    assert_eq!(d["file"], path.display().to_string());
    for key in ["column", "end", "message", "hint"] {
        assert!(d.get(key).is_some(), "record has `{key}`: {d}");
    }
}

#[test]
fn test_reports_each_test_and_fails_when_one_fails() {
    let src = "double x = x * 2\ntest \"doubles\" = double 2 == 4\ntest \"wrong\" = double 2 == 5\n";
    let path = source_file("tests", src);
    let out = synoema().arg("test").arg(&path).output().unwrap();
    assert_eq!(stdout_of(&out), "PASS doubles\nFAIL wrong\n1 passed, 1 failed\n");
    assert_eq!(out.status.code(), Some(1));

    let path = source_file("tests-ok", "test \"fine\" = 1 + 1 == 2\n");
    let out = synoema().arg("test").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn crlf_line_ends_are_accepted() {
    let path = source_file("crlf", "main =\r\n  x = 2\r\n  x * 21\r\n");
    let out = synoema().arg("run").arg(&path).output().unwrap();
    assert_eq!(stdout_of(&out), "42\n", "stderr: {}", stderr_of(&out));
}

/// Whether the llama3 tokenizer file is present (see grammar/tests/tokenizers.rs).
fn llama3_cached() -> bool {
    let out = std::process::Command::new("bash").arg("scripts/setup-models.sh").arg("--print").output();
    let Ok(out) = out else { return false };
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let present = dir.join("tokenizers/llama3/tokenizer.json").is_file();
    assert!(present || std::env::var_os("CI").is_none(), "llama3 tokenizer missing under CI");
    if !present {
        eprintln!("note: skipping: llama3 tokenizer missing (run scripts/setup-models.sh)");
    }
    present
}

#[test]
fn constrain_accepts_a_valid_program_and_rejects_a_stray_bracket() {
    if !llama3_cached() {
        return;
    }
    let path = source_file("constrain-ok", "main =\n  x = 2\n  x * 21\n");
    let out = synoema().args(["constrain", "--tokenizer", "llama3"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stdout: {} stderr: {}", stdout_of(&out), stderr_of(&out));
    assert!(stdout_of(&out).contains("p99"));

    let path = source_file("constrain-bad", "main =\n  x = 2\n  x * )\n");
    let out = synoema().args(["constrain", "--tokenizer", "llama3"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "stdout: {}", stdout_of(&out));
    assert!(stdout_of(&out).contains(":3:6:"), "stdout: {}", stdout_of(&out));
}

#[test]
fn constrain_rejects_unknown_tokenizers_and_missing_cache() {
    let path = source_file("constrain-unknown", "main = 1\n");
    let out = synoema().args(["constrain", "--tokenizer", "nosuch"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("unknown tokenizer"), "{}", stderr_of(&out));

    let out = synoema().args(["constrain", "--tokenizer", "llama3"]).arg(&path).env("SYNOEMA_CACHE", "/nonexistent-synoema-cache").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("setup-models.sh"), "{}", stderr_of(&out));
}

/// The cached default model, when present (under CI its absence fails).
fn smollm2_cached() -> Option<PathBuf> {
    let out = std::process::Command::new("bash").arg("scripts/setup-models.sh").arg("--print").output().ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    let present = path.is_file();
    assert!(present || std::env::var_os("CI").is_none(), "the SmolLM2 model is missing under CI");
    if !present {
        eprintln!("note: skipping: the SmolLM2 model is missing (run scripts/setup-models.sh)");
    }
    present.then_some(path)
}

#[test]
fn generate_rejects_bad_input_with_clear_errors() {
    let missing = synoema().args(["generate", "add two numbers", "--model", "/nonexistent/model.gguf"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr_of(&missing).contains("is missing"), "{}", stderr_of(&missing));

    let not_gguf = source_file("not-a-model", "this is not a model\n");
    let out = synoema().args(["generate", "add two numbers", "--model"]).arg(&not_gguf).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("not a GGUF model file"), "{}", stderr_of(&out));

    let truncated = source_file("truncated-model", "GGUF\u{3}\0\0\0garbage");
    let out = synoema().args(["generate", "add two numbers", "--model"]).arg(&truncated).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("cannot load"), "{}", stderr_of(&out));

    let out = synoema().args(["generate", "  "]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("the task is empty"), "{}", stderr_of(&out));

    let out = synoema().args(["generate", "add two numbers", "--require", "add : Int ->"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("does not parse"), "{}", stderr_of(&out));
    for out in [missing, out] {
        assert!(!stderr_of(&out).contains("panicked"), "{}", stderr_of(&out));
    }
}

#[test]
fn generate_refuses_a_prompt_larger_than_the_context() {
    if smollm2_cached().is_none() {
        return;
    }
    let huge = "add the numbers ".repeat(4000);
    let out = synoema().args(["generate", &huge]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("do not fit the model's context"), "{}", stderr_of(&out));
}

#[test]
fn generate_writes_a_program_that_compiles_or_reports_the_budget() {
    if smollm2_cached().is_none() {
        return;
    }
    let out_file = std::env::temp_dir().join(format!("synoema-cli-{}-generated.sno", std::process::id()));
    let out = synoema().args(["generate", "Compute 6 times 7.", "--max-tokens", "40", "--run", "--out"]).arg(&out_file).output().unwrap();
    let text = std::fs::read_to_string(&out_file).expect("--out writes the text either way");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("tokens/s") && stderr.contains("constraint"), "{stderr}");
    match out.status.code() {
        Some(0) => {
            assert!(stderr.contains("ended by EOS") && stderr.contains("the generated program compiles"), "{stderr}");
            let compiled = synoema_compiler::compile(&text);
            assert!(compiled.diagnostics.is_empty(), "{text:?}");
        }
        // A valid program may still fail at run time (say, `head []`).
        Some(1) => assert!(stderr.contains("the generated program compiles") && stderr.contains("runtime error"), "{stderr}"),
        Some(4) => assert!(stderr.contains("incomplete") && stderr.contains("token budget"), "{stderr}"),
        other => panic!("exit {other:?}: {stderr}"),
    }
    assert!(stdout_of(&out).starts_with(text.trim_end()), "the program is streamed to stdout: {:?} vs {text:?}", stdout_of(&out));
    let _ = std::fs::remove_file(&out_file);
}

#[test]
fn constrain_in_types_mode_rejects_the_first_ill_typed_token() {
    if !llama3_cached() {
        return;
    }
    let path = source_file("constrain-types-ok", "sq x = x * x\nmain = sq 12\n");
    let out = synoema().args(["constrain", "--mode", "types", "--tokenizer", "llama3"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stdout: {} stderr: {}", stdout_of(&out), stderr_of(&out));
    assert!(stdout_of(&out).contains("types mask latency p50"), "{}", stdout_of(&out));

    // Parses, but `"a"` can never be a number: rejected at the quote, which
    // the grammar alone allows.
    let path = source_file("constrain-types-bad", "sq x = x * x\nmain = sq \"a\"\n");
    let out = synoema().args(["constrain", "--mode", "types", "--tokenizer", "llama3"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "stdout: {}", stdout_of(&out));
    assert!(stdout_of(&out).contains(":2:10:") && stdout_of(&out).contains("not allowed by"), "stdout: {}", stdout_of(&out));
    let out = synoema().args(["constrain", "--mode", "grammar", "--tokenizer", "llama3"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stdout: {}", stdout_of(&out));

    // A requested signature binds in types mode.
    let path = source_file("constrain-types-require", "solve x = x ++ \"!\"\n");
    let out = synoema().args(["constrain", "--mode", "types", "--tokenizer", "llama3", "--require", "solve : Int -> Int"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "stdout: {}", stdout_of(&out));
}

#[test]
fn constrain_takes_a_gguf_model_as_its_tokenizer() {
    let Some(model) = smollm2_cached() else { return };
    let path = source_file("constrain-gguf", "main =\n  x = 2\n  x * 21\n");
    let out = synoema().args(["constrain", "--tokenizer"]).arg(&model).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stdout: {} stderr: {}", stdout_of(&out), stderr_of(&out));
    assert!(stdout_of(&out).contains("ok: every token and EOS allowed"), "{}", stdout_of(&out));

    // The first kilobyte of the model: a GGUF header cut short.
    let bytes = std::fs::read(&model).unwrap();
    let dir = std::env::temp_dir().join(format!("synoema-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("cut.gguf");
    std::fs::write(&cut, &bytes[..1024]).unwrap();
    let out = synoema().args(["constrain", "--tokenizer"]).arg(&cut).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "stdout: {}", stdout_of(&out));
    assert!(stderr_of(&out).contains("cannot load tokenizer"), "{}", stderr_of(&out));
    let out = synoema().args(["constrain", "--tokenizer", "/nonexistent/model.gguf"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("is missing"), "{}", stderr_of(&out));
}
