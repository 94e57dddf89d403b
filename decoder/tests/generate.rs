//! End to end with the real model (SmolLM2-135M-Instruct through
//! llama.cpp): generations in every mode for several tasks and seeds. Every
//! generation that ends by EOS must compile (types mode) or parse (grammar
//! mode); the none mode runs for comparison. Needs the model file from
//! `scripts/setup-models.sh` (under CI its absence is a failure).

use std::path::PathBuf;
use synoema_decoder::llama_sampler::Sampling;
use synoema_decoder::model::{Ending, GenerateOptions, Model, DEFAULT_MODEL};
use synoema_decoder::{prompt, Constraint, Mode, Request};
use synoema_grammar::CompiledGrammar;

fn model() -> Option<Model> {
    let path: PathBuf = synoema_decoder::models::model_cache().unwrap().join(DEFAULT_MODEL);
    if !path.is_file() {
        assert!(std::env::var_os("CI").is_none(), "{} is missing under CI", path.display());
        eprintln!("note: skipping: {} is missing (run scripts/setup-models.sh)", path.display());
        return None;
    }
    Some(Model::load(&path).expect("the model loads"))
}

const TASKS: &[&str] = &["Compute the sum of the numbers from 1 to 100.", "Double every number of the list [3 1 2]."];

#[test]
fn constrained_generations_that_end_are_valid_programs() {
    let Some(model) = model() else { return };
    let compiled = CompiledGrammar::new(model.tok_env()).unwrap();
    let mut ended = 0;
    let mut report = Vec::new();
    for mode in [Mode::Grammar, Mode::Types] {
        for task in TASKS {
            for (temperature, seed) in [(0.0, 0), (0.8, 7)] {
                let constraint = Constraint::new(compiled.clone(), mode, Request { require_main: true, require: None }).unwrap();
                let prompt = model.chat_prompt(prompt::SYSTEM, prompt::EXAMPLES, task).unwrap();
                let options = GenerateOptions { max_tokens: 48, sampling: Sampling { temperature, top_k: 40, top_p: 0.95, seed }, threads: 0 };
                let g = model.generate(&prompt, constraint, &options, |_| {}).unwrap();
                report.push(format!("{mode:?} t={temperature} seed={seed} {task:?}: {:?} after {} tokens: {:?}", g.ending, g.tokens, g.text));
                if g.ending != Ending::Eos {
                    continue;
                }
                ended += 1;
                match mode {
                    Mode::Types => {
                        let compiled = synoema_compiler::compile(&g.text);
                        assert!(compiled.diagnostics.is_empty(), "types mode produced an invalid program {:?}: {:?}", g.text, compiled.diagnostics);
                        assert!(synoema_compiler::missing_main(&compiled.program).is_none(), "no main in {:?}", g.text);
                    }
                    _ => {
                        let (_, diagnostics) = synoema_compiler::parse::parse(&g.text);
                        assert!(diagnostics.is_empty(), "grammar mode produced a program that does not parse {:?}: {diagnostics:?}", g.text);
                    }
                }
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    eprintln!("{ended} of {} constrained generations ended by EOS", report.len());
}

#[test]
fn unconstrained_generation_runs_for_comparison() {
    let Some(model) = model() else { return };
    let compiled = CompiledGrammar::new(model.tok_env()).unwrap();
    let constraint = Constraint::new(compiled, Mode::None, Request::default()).unwrap();
    let prompt = model.chat_prompt(prompt::SYSTEM, prompt::EXAMPLES, TASKS[0]).unwrap();
    let options = GenerateOptions { max_tokens: 24, sampling: Sampling { temperature: 0.0, top_k: 40, top_p: 0.95, seed: 0 }, threads: 0 };
    let g = model.generate(&prompt, constraint, &options, |_| {}).unwrap();
    assert!(g.tokens > 0 || g.ending == Ending::Eos);
    assert_eq!(g.checks, g.tokens as u64 + u64::from(g.ending == Ending::Eos), "none mode checks one token per step: {g:?}");
}
