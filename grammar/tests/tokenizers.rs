//! Real tokenizers: corpus programs, tokenized as each tokenizer would,
//! are accepted token by token and end with EOS allowed.
//!
//! The tokenizer files come from `scripts/setup-models.sh`. Without them the
//! tests print a note and pass, except under CI (`CI` set), where `.ci/run`
//! fetches them first and a missing file is a failure.

mod support;

use std::path::PathBuf;
use support::*;
use synoema_grammar::replay::{line_col, replay};
use synoema_grammar::{known_tokenizer, CompiledGrammar, Tokenizer};

/// How many valid corpus programs each tokenizer replays (debug builds are
/// slow on 128k-256k vocabularies; the byte-level tests cover every file).
const PROGRAMS_PER_TOKENIZER: usize = 25;

fn cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("SYNOEMA_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("synoema");
    }
    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/synoema")
}

/// Loads a known tokenizer, or `None` (with a note) when its file is missing
/// outside CI.
fn load(name: &str) -> Option<Tokenizer> {
    let (rel, format) = known_tokenizer(name).expect("known name");
    let path = cache().join(rel);
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(std::env::var_os("CI").is_none(), "{} is missing under CI; .ci/run must run scripts/setup-models.sh", path.display());
        eprintln!("note: skipping {name}: {} is missing (run scripts/setup-models.sh)", path.display());
        return None;
    };
    Some(Tokenizer::load(format, &bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn corpus_is_accepted_under(name: &str) {
    let Some(tok) = load(name) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in corpus() {
        let src = read(&path).replace("\r\n", "\n");
        if first_syntax_error(&src).is_some() {
            continue;
        }
        if checked == PROGRAMS_PER_TOKENIZER {
            break;
        }
        checked += 1;
        let tokens = tok.encode(&src);
        assert_eq!(tokens.iter().flat_map(|t| tok.token_bytes(*t)).collect::<Vec<u8>>(), src.as_bytes(), "{name} round trip of {}", path.display());
        let r = replay(&compiled, &tokens).unwrap();
        if let Some(rej) = &r.rejected {
            let (line, col) = line_col(&src, rej.offset);
            failures.push(format!("{}:{line}:{col}: {:?} rejected", path.display(), rej.text));
        } else if !r.eos_allowed {
            failures.push(format!("{}: EOS not allowed at the end", path.display()));
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{name}: {} of {checked} rejected:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn corpus_is_accepted_under_llama3() {
    corpus_is_accepted_under("llama3");
}

#[test]
fn corpus_is_accepted_under_qwen3() {
    corpus_is_accepted_under("qwen3");
}

#[test]
fn corpus_is_accepted_under_cl100k() {
    corpus_is_accepted_under("cl100k");
}

#[test]
fn a_stray_bracket_is_rejected_under_llama3() {
    let Some(tok) = load("llama3") else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    let src = "main =\n  1 + )\n";
    let r = replay(&compiled, &tok.encode(src)).unwrap();
    let rej = r.rejected.expect("rejected");
    assert_eq!(line_col(src, rej.offset).0, 2);
    assert!(rej.text.contains(')'), "{rej:?}");
}

#[test]
fn corpus_is_accepted_under_gemma3() {
    corpus_is_accepted_under("gemma3");
}

#[test]
fn corpus_is_accepted_under_o200k() {
    corpus_is_accepted_under("o200k");
}
