//! Real tokenizers: corpus programs, tokenized as each tokenizer would,
//! are accepted token by token and end with EOS allowed; programs with a
//! syntax or layout error are rejected on the line the parser reports.
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
    corpus_prefix_is_accepted_under(name, PROGRAMS_PER_TOKENIZER);
}

/// The first `limit` valid corpus programs are accepted token by token.
fn corpus_prefix_is_accepted_under(name: &str, limit: usize) {
    let Some(tok) = load(name) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in corpus() {
        let src = read(&path).replace("\r\n", "\n");
        if first_syntax_error(&src).is_some() {
            continue;
        }
        if checked == limit {
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

/// llama3 is the second real tokenizer that replays every valid program.
#[test]
fn every_valid_corpus_program_is_accepted_under_llama3() {
    corpus_prefix_is_accepted_under("llama3", usize::MAX);
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

/// Every corpus program with a syntax or layout error is rejected, as the
/// byte-level test in `corpus.rs` requires, on the line the parser reports
/// (or up to the next code line where the parser reports an error before
/// the grammar can see a dead end: `reported_before_dead_end`). A token
/// may span lines: it counts as rejected on every line it covers, since
/// its first dead byte is somewhere inside it.
fn syntax_errors_are_rejected_under(name: &str) {
    let Some(tok) = load(name) else { return };
    let compiled = CompiledGrammar::new(tok.tok_env()).unwrap();
    let (mut failures, mut checked) = (Vec::new(), 0);
    for path in corpus() {
        let src = read(&path).replace("\r\n", "\n");
        let Some((error_at, message)) = first_syntax_diagnostic(&src) else { continue };
        checked += 1;
        let expected = line_of(&src, error_at);
        let latest = if reported_before_dead_end(&message) { next_code_line(&src, expected) } else { expected };
        let r = replay(&compiled, &tok.encode(&src)).unwrap();
        let (first, last) = match &r.rejected {
            Some(rej) => {
                let len = tok.token_bytes(rej.token).len().max(1);
                (line_of(&src, rej.offset), line_of(&src, (rej.offset + len - 1).min(src.len().saturating_sub(1))))
            }
            None if r.eos_allowed => {
                failures.push(format!("{}: accepted (parser: line {expected}: {message})", path.display()));
                continue;
            }
            None => {
                let at = line_of(&src, src.trim_end_matches([' ', '\n']).len().saturating_sub(1));
                (at, at)
            }
        };
        if first > latest || last < expected {
            failures.push(format!("{}: rejected on lines {first}..={last} (parser: line {expected}: {message})", path.display()));
        }
    }
    println!("{name}: {checked} error programs, {} wrong", failures.len());
    assert!(checked > 20, "{name}: only {checked} error programs");
    assert!(failures.is_empty(), "{name}: {} of {checked} wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn syntax_errors_are_rejected_on_the_reported_line_under_smollm2() {
    syntax_errors_are_rejected_under("smollm2");
}

#[test]
fn syntax_errors_are_rejected_on_the_reported_line_under_llama3() {
    syntax_errors_are_rejected_under("llama3");
}

/// smollm2 (the embedded model's GGUF vocabulary) replays every valid
/// corpus program: it is the vocabulary the decoder masks.
#[test]
fn every_valid_corpus_program_is_accepted_under_smollm2() {
    corpus_prefix_is_accepted_under("smollm2", usize::MAX);
}

/// GPT-2's byte-level alphabet, inverted: the byte a vocabulary character
/// stands for (printable bytes stand for themselves, the others for
/// characters from U+0100 on, in byte order).
fn byte_of(c: char) -> Option<u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut next = 0x100u32;
    for b in 0..=255u8 {
        let stands_for = if printable(b) { u32::from(b) } else { next += 1; next - 1 };
        if stands_for == u32::from(c) {
            return Some(b);
        }
    }
    None
}

#[test]
fn smollm2_vocabulary_agrees_with_its_gguf_file() {
    let Some(tok) = load("smollm2") else { return };
    let (rel, _) = known_tokenizer("smollm2").expect("known name");
    let bytes = std::fs::read(cache().join(rel)).unwrap();
    let meta = synoema_grammar::gguf::read_metadata(&bytes).unwrap();
    let words = meta.strings("tokenizer.ggml.tokens").unwrap();
    let types = meta.uints("tokenizer.ggml.token_type").unwrap();
    let env = tok.tok_env();
    assert_eq!(words.len(), 49152);
    assert_eq!(env.tok_trie().vocab_size(), 49152);
    assert_eq!(env.tok_trie().eos_token(), 2);
    assert_eq!(words[2], "<|im_end|>");
    for (id, (word, ty)) in words.iter().zip(&types).enumerate() {
        let expected: Vec<u8> = if *ty == 3 {
            [&[0xFF][..], word.as_bytes()].concat()
        } else {
            word.chars().map(|c| byte_of(c).unwrap_or_else(|| panic!("token {id} {word:?}"))).collect()
        };
        assert_eq!(tok.token_bytes(id as u32), expected, "token {id} {word:?}");
    }
    // Special tokens are control tokens: the 17 at the start, none later.
    assert_eq!(types.iter().filter(|t| **t == 3).count(), 17);
    // Digits are split one by one; words merge; the text round-trips.
    let src = "main = 12345 + foldl (\\a b -> a) 0 [10, 200]\n";
    let ids = tok.encode(src);
    assert_eq!(ids.iter().flat_map(|t| tok.token_bytes(*t)).collect::<Vec<u8>>(), src.as_bytes());
    for digit in "12345".chars() {
        let token = ids.iter().map(|t| tok.token_bytes(*t)).find(|b| b.contains(&(digit as u8))).unwrap();
        assert!(token.iter().filter(|b| b.is_ascii_digit()).count() == 1, "{token:?}");
    }
    assert!(ids.len() < src.len(), "words merge into longer tokens");
}
