//! The `synoema` command: a thin shell over the library crates.
//!
//! It reads files, calls into `synoema_compiler`, and turns results into
//! output and exit codes. No language logic lives here.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use synoema_compiler::diagnostic::Renderer;
use synoema_compiler::interp::{self, Limits};
use synoema_compiler::jit::{self, JitError};
use synoema_compiler::{compile, Compiled};
use synoema_decoder::models::load_tokenizer;
use synoema_decoder::llama_sampler::Sampling;
use synoema_decoder::model::{Ending, GenerateOptions, Model, DEFAULT_MODEL};
use synoema_decoder::{Constraint, Mode, Request};

/// mimalloc: the oracle, Cranelift and llguidance allocate small objects at
/// a high rate (see the workspace `Cargo.toml`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status of a run that hit a runtime error or exhausted a limit, and of
/// `test` when a test fails.
const EXIT_RUNTIME: u8 = 1;
/// Exit status when the program does not compile or cannot be read.
const EXIT_COMPILE: u8 = 2;
/// Exit status of `constrain` when a token or the final EOS is rejected.
const EXIT_REJECTED: u8 = 3;
/// Exit status of `generate` when the token budget ended the generation.
const EXIT_BUDGET: u8 = 4;

#[derive(Parser)]
#[command(name = "synoema", version, about = "Run, check and test Synoema programs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program: evaluate `main` and print its value.
    Run {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Engine::Jit)]
        engine: Engine,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Type-check a program and print each top-level name with its type.
    Check {
        file: PathBuf,
        /// Print types and diagnostics as one JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print the Synoema Core 1 grammar for other constrained-decoding engines.
    Grammar {
        /// `lark` for llguidance-based engines (llama.cpp with llguidance,
        /// vLLM's guidance backend, SGLang); `gbnf` for llama.cpp's grammar sampler.
        #[arg(long, value_enum, default_value_t = GrammarFormat::Lark)]
        format: GrammarFormat,
    },
    /// Replay a file's tokens through the masks of a real tokenizer: exit 0
    /// when every token and the final EOS are allowed, 3 otherwise.
    Constrain {
        file: PathBuf,
        /// smollm2, llama3, qwen3, gemma3, o200k, cl100k, or a path to a tokenizer.json, a .gguf model or a .tiktoken rank file.
        #[arg(long)]
        tokenizer: String,
        /// What the masks keep reachable: `grammar` (the program can still
        /// parse), `types` (it can still parse and type-check), `none`.
        #[arg(long, value_enum, default_value_t = ConstrainMode::Grammar)]
        mode: ConstrainMode,
        /// In `types` mode, EOS also needs this definition, e.g.
        /// "solve : [Int] -> Int".
        #[arg(long, value_name = "SIGNATURE")]
        require: Option<String>,
    },
    /// Generate a program for a task with the embedded model, constrained
    /// so that it parses (and type-checks, in `types` mode); stream it,
    /// check it, and with --run run it. Exit 0 when it ended by EOS (and
    /// ran), 4 when the token budget cut it off.
    Generate {
        /// What the program should do, in words.
        task: String,
        #[arg(long, value_enum, default_value_t = ConstrainMode::Types)]
        mode: ConstrainMode,
        #[arg(long, value_name = "N", default_value_t = 256)]
        max_tokens: usize,
        /// 0 for greedy decoding.
        #[arg(long, value_name = "T", default_value_t = 0.0)]
        temperature: f32,
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u32,
        /// Sample among the K most likely allowed tokens (with --temperature).
        #[arg(long, value_name = "K", default_value_t = 40)]
        top_k: usize,
        #[arg(long, value_name = "P", default_value_t = 0.95)]
        top_p: f32,
        /// Also write the generated text to this file (complete or not).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Run the program when it is complete and valid.
        #[arg(long)]
        run: bool,
        /// Instead of `main`, require this definition, e.g. "solve : [Int] -> Int".
        #[arg(long, value_name = "SIGNATURE")]
        require: Option<String>,
        /// A GGUF model file (default: SmolLM2-135M-Instruct from the model cache).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
    },
    /// Run the `test` declarations of a file.
    Test {
        file: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GrammarFormat {
    Lark,
    Gbnf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConstrainMode {
    None,
    Grammar,
    Types,
}

impl From<ConstrainMode> for Mode {
    fn from(mode: ConstrainMode) -> Mode {
        match mode {
            ConstrainMode::None => Mode::None,
            ConstrainMode::Grammar => Mode::Grammar,
            ConstrainMode::Types => Mode::Types,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Engine {
    /// The reference interpreter.
    Interp,
    /// Native code through Cranelift; a program it does not compile yet
    /// runs in the interpreter, with the same output.
    Jit,
}

#[derive(clap::Args)]
struct LimitArgs {
    /// Maximum evaluation steps.
    #[arg(long, value_name = "N")]
    max_steps: Option<u64>,
    /// Maximum bytes of live data.
    #[arg(long, value_name = "BYTES")]
    max_memory: Option<u64>,
    /// Maximum nested non-tail calls.
    #[arg(long, value_name = "N")]
    max_depth: Option<u64>,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(n) = self.max_steps {
            limits.steps = n;
        }
        if let Some(n) = self.max_memory {
            limits.memory = n;
        }
        if let Some(n) = self.max_depth {
            limits.stack_depth = n;
        }
        limits
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_COMPILE)
        }
    }
}

fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Run { file, engine, limits } => run(&file, engine, &limits.limits()),
        Command::Check { file, json } => check(&file, json),
        Command::Test { file, limits } => test(&file, &limits.limits()),
        Command::Constrain { file, tokenizer, mode, require } => {
            let request = match require {
                Some(sig) => Request::from_signature(&sig, false)?,
                None => Request::default(),
            };
            constrain(&file, &tokenizer, mode.into(), request)
        }
        Command::Generate { task, mode, max_tokens, temperature, seed, top_k, top_p, out, run, require, model } => {
            let sampling = Sampling { temperature, top_k, top_p, seed };
            let options = GenerateOptions { max_tokens, sampling, threads: 0 };
            generate(&task, mode.into(), &options, out.as_deref(), run, require.as_deref(), model)
        }
        Command::Grammar { format } => {
            let text = match format {
                GrammarFormat::Lark => synoema_grammar::lark(),
                GrammarFormat::Gbnf => synoema_grammar::gbnf(),
            };
            print!("{text}");
            Ok(0)
        }
    }
}

/// Reads a source file, normalising CRLF line ends (LANGUAGE.md §1 allows it).
fn read_source(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{} is not valid UTF-8 (byte {})", path.display(), e.utf8_error().valid_up_to()))?;
    Ok(if text.contains("\r\n") { text.replace("\r\n", "\n") } else { text })
}

/// Compiles a file, printing diagnostics to stderr; `None` when it has errors.
fn compile_file(path: &Path, require_main: bool) -> Result<(String, Option<Compiled>)> {
    let src = read_source(path)?;
    let mut compiled = compile(&src);
    if require_main {
        if let Some(d) = synoema_compiler::missing_main(&compiled.program) {
            compiled.diagnostics.push(d);
        }
    }
    if compiled.diagnostics.is_empty() {
        return Ok((src, Some(compiled)));
    }
    let name = path.display().to_string();
    eprint!("{}", Renderer::new(&name, &src).render_all(&compiled.diagnostics));
    let n = compiled.diagnostics.len();
    eprintln!("{name}: {n} error{}", if n == 1 { "" } else { "s" });
    Ok((src, None))
}

fn run(path: &Path, engine: Engine, limits: &Limits) -> Result<u8> {
    let (_, Some(compiled)) = compile_file(path, true)? else { return Ok(EXIT_COMPILE) };
    run_compiled(&compiled, engine, limits)
}

/// Runs a compiled program's `main`, printing its output.
fn run_compiled(compiled: &Compiled, engine: Engine, limits: &Limits) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match engine {
        Engine::Interp => interp::run_main(&compiled.program, &compiled.info, limits, &mut out),
        Engine::Jit => match jit::try_run_main(&compiled.program, &compiled.info, limits, &mut out) {
            // Nothing ran and nothing was written: the interpreter runs it.
            Err(JitError::Unsupported(_)) => interp::run_main(&compiled.program, &compiled.info, limits, &mut out),
            Err(JitError::Run(e)) => Err(e),
            Ok(()) => Ok(()),
        },
    };
    out.flush().context("cannot write to standard output")?;
    match result {
        Ok(()) => Ok(0),
        Err(err) => {
            eprintln!("runtime error: {err}");
            Ok(EXIT_RUNTIME)
        }
    }
}

fn check(path: &Path, json: bool) -> Result<u8> {
    let src = read_source(path)?;
    let compiled = compile(&src);
    let name = path.display().to_string();
    if json {
        let renderer = Renderer::new(&name, &src);
        let doc = serde_json::json!({
            "file": name,
            "ok": compiled.diagnostics.is_empty(),
            "types": compiled.info.top_level.iter()
                .map(|(n, t)| serde_json::json!({"name": n, "type": t}))
                .collect::<Vec<_>>(),
            "diagnostics": compiled.diagnostics.iter().map(|d| renderer.record(d)).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else if compiled.diagnostics.is_empty() {
        for (n, t) in &compiled.info.top_level {
            println!("{n} : {t}");
        }
    } else {
        eprint!("{}", Renderer::new(&name, &src).render_all(&compiled.diagnostics));
        let n = compiled.diagnostics.len();
        eprintln!("{name}: {n} error{}", if n == 1 { "" } else { "s" });
    }
    Ok(if compiled.diagnostics.is_empty() { 0 } else { EXIT_COMPILE })
}

fn test(path: &Path, limits: &Limits) -> Result<u8> {
    let (_, Some(compiled)) = compile_file(path, false)? else { return Ok(EXIT_COMPILE) };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcomes = interp::run_tests(&compiled.program, &compiled.info, limits, &mut out);
    write!(out, "{}", interp::format_test_report(&outcomes))?;
    out.flush()?;
    let failed = outcomes.iter().any(|o| !matches!(o.result, interp::TestResult::Pass));
    Ok(if failed { EXIT_RUNTIME } else { 0 })
}

fn constrain(path: &Path, tokenizer: &str, mode: Mode, request: Request) -> Result<u8> {
    use synoema_grammar::replay::{line_col, replay_with};
    let src = read_source(path)?;
    let tok = load_tokenizer(tokenizer)?;
    let compiled = synoema_grammar::CompiledGrammar::new(tok.tok_env())?;
    let tokens = tok.encode(&src);
    let mut constraint = Constraint::new(compiled.clone(), mode, request)?;
    // The tokenizer's class tables, built once per process, are not part
    // of any mask's latency.
    let started = std::time::Instant::now();
    synoema_decoder::prepare_masks(&compiled, mode);
    let setup = started.elapsed().as_secs_f64() * 1e3;
    let r = replay_with(&mut constraint, compiled.tok_env().tok_trie(), &tokens)?;
    println!(
        "{} tokens; {} mask latency p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs (after {setup:.0} ms of set-up); mean allowed tokens {:.1}",
        tokens.len(),
        mode.name(),
        r.latency_percentile(50.0),
        r.latency_percentile(99.0),
        r.latency_percentile(100.0),
        r.mean_allowed()
    );
    let name = path.display();
    let by = match mode {
        Mode::Types => "the grammar and type masks",
        _ => "the grammar",
    };
    if let Some(rej) = &r.rejected {
        let (line, col) = line_col(&src, rej.offset);
        println!("{name}:{line}:{col}: token {} {:?} (#{}, byte {}) is not allowed by {by}", rej.token, rej.text, rej.index, rej.offset);
        return Ok(EXIT_REJECTED);
    }
    if !r.eos_allowed {
        let (line, col) = line_col(&src, src.len());
        println!("{name}:{line}:{col}: end of input: the program is incomplete (EOS not allowed)");
        return Ok(EXIT_REJECTED);
    }
    println!("{name}: ok: every token and EOS allowed");
    Ok(0)
}

fn generate(
    task: &str,
    mode: Mode,
    options: &GenerateOptions,
    out: Option<&Path>,
    run: bool,
    require: Option<&str>,
    model: Option<PathBuf>,
) -> Result<u8> {
    use synoema_decoder::prompt;
    if task.trim().is_empty() {
        anyhow::bail!("the task is empty: say what the program should do");
    }
    let request = match require {
        Some(sig) => Request::from_signature(sig, false)?,
        None => Request { require_main: true, require: None },
    };
    let path = match model {
        Some(path) => path,
        None => synoema_decoder::models::model_cache()?.join(DEFAULT_MODEL),
    };
    let model = Model::load(&path)?;
    let compiled = synoema_grammar::CompiledGrammar::new(model.tok_env())?;
    let constraint = Constraint::new(compiled, mode, request)?;
    let task_text = match require {
        Some(sig) => format!("{task}\nDefine `{sig}`."),
        None => task.to_string(),
    };
    let prompt = model.chat_prompt(prompt::SYSTEM, prompt::EXAMPLES, &task_text)?;
    let stdout = std::io::stdout();
    let generation = model.generate(&prompt, constraint, options, |bytes| {
        let mut lock = stdout.lock();
        let _ = lock.write_all(bytes);
        let _ = lock.flush();
    })?;
    println!();
    if let Some(out) = out {
        std::fs::write(out, &generation.text).with_context(|| format!("cannot write {}", out.display()))?;
    }
    let per_token = |d: std::time::Duration| d.as_secs_f64() * 1e3 / generation.tokens.max(1) as f64;
    eprintln!(
        "{} tokens in {:.2} s ({:.1} tokens/s; per token: model {:.2} ms, constraint {:.3} ms, {} checks); mode {}; prompt {:.2} s; ended by {}",
        generation.tokens,
        generation.total_time.as_secs_f64(),
        generation.tokens as f64 / generation.total_time.as_secs_f64().max(1e-9),
        per_token(generation.model_time),
        per_token(generation.constraint_time),
        generation.checks,
        mode.name(),
        generation.prompt_time.as_secs_f64(),
        match generation.ending {
            Ending::Eos => "EOS",
            Ending::Budget => "the token budget",
        }
    );
    if generation.ending == Ending::Budget {
        eprintln!("incomplete: the token budget (--max-tokens {}) ran out before the program was complete", options.max_tokens);
        return Ok(EXIT_BUDGET);
    }
    let compiled = compile(&generation.text);
    let mut diagnostics = compiled.diagnostics.clone();
    if require.is_none() {
        diagnostics.extend(synoema_compiler::missing_main(&compiled.program));
    }
    if !diagnostics.is_empty() {
        eprint!("{}", Renderer::new("<generated>", &generation.text).render_all(&diagnostics));
        if mode == Mode::Types {
            // The types mode promises a compiling program: this is a bug.
            eprintln!("error: the types-mode constraint let a program through that does not compile");
            return Ok(EXIT_COMPILE);
        }
        eprintln!("the generated program does not compile ({} mode does not check types)", mode.name());
        return Ok(if run { EXIT_COMPILE } else { 0 });
    }
    eprintln!("the generated program compiles");
    if run {
        return run_compiled(&compiled, Engine::Jit, &Limits::default());
    }
    Ok(0)
}
