//! Where the model and tokenizer files live, and loading them: the one
//! place that knows the layout of the cache `scripts/setup-models.sh`
//! fills (`$SYNOEMA_CACHE`, else `$XDG_CACHE_HOME/synoema`, else
//! `~/.cache/synoema`).

use std::fmt;
use std::path::{Path, PathBuf};
use synoema_grammar::{known_tokenizer, Tokenizer, TokenizerFormat, KNOWN_TOKENIZERS};

/// Why a model or tokenizer file could not be found or loaded; the message
/// names the file and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// The model cache of `scripts/setup-models.sh`.
pub fn model_cache() -> Result<PathBuf, LoadError> {
    if let Some(dir) = std::env::var_os("SYNOEMA_CACHE") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Ok(PathBuf::from(dir).join("synoema"));
    }
    match std::env::var_os("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".cache/synoema")),
        None => Err(LoadError("HOME is not set; set SYNOEMA_CACHE to the model cache".into())),
    }
}

/// Resolves a tokenizer name (`llama3`, ...) or a path to a tokenizer file
/// (`*.json`: Hugging Face tokenizer.json; `*.gguf`: the vocabulary of a
/// GGUF model; `*.tiktoken`: a tiktoken rank file) and loads it.
pub fn load_tokenizer(name: &str) -> Result<Tokenizer, LoadError> {
    let (path, format) = match known_tokenizer(name) {
        Some((rel, format)) => (model_cache()?.join(rel), format),
        None if name.ends_with(".json") => (PathBuf::from(name), TokenizerFormat::HfJson),
        None if name.ends_with(".gguf") => (PathBuf::from(name), TokenizerFormat::Gguf),
        None if name.ends_with(".tiktoken") => (PathBuf::from(name), TokenizerFormat::Tiktoken),
        None => {
            let names: Vec<&str> = KNOWN_TOKENIZERS.iter().map(|(n, _, _)| *n).collect();
            return Err(LoadError(format!(
                "unknown tokenizer `{name}` (known: {}, or a path to a tokenizer.json, a .gguf model or a .tiktoken rank file)",
                names.join(", ")
            )));
        }
    };
    let bytes = read_model_file(&path)?;
    Tokenizer::load(format, &bytes).map_err(|e| LoadError(format!("cannot load tokenizer {}: {e}", path.display())))
}

/// Reads a file of the cache, with an error that says how to fetch it.
pub fn read_model_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    if !path.is_file() {
        return Err(LoadError(format!("{} is missing; run scripts/setup-models.sh to fetch it", path.display())));
    }
    std::fs::read(path).map_err(|e| LoadError(format!("cannot read {}: {e}", path.display())))
}

/// The first `n` bytes of a model file (fewer if it is shorter), with an
/// error that says how to fetch it when it is missing.
pub fn read_model_header(path: &Path, n: usize) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    if !path.is_file() {
        return Err(LoadError(format!("{} is missing; run scripts/setup-models.sh to fetch it", path.display())));
    }
    let file = std::fs::File::open(path).map_err(|e| LoadError(format!("cannot read {}: {e}", path.display())))?;
    let mut header = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut header).map_err(|e| LoadError(format!("cannot read {}: {e}", path.display())))?;
    Ok(header)
}
