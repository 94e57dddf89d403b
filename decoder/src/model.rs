//! The embedded model: SmolLM2-135M-Instruct (Q4_1 GGUF) run on the CPU by
//! llama.cpp, and constrained generation with it.
//!
//! Key types:
//! - [`Model`]: the loaded model and its vocabulary as a tokenizer
//!   environment (ids and bytes straight from llama.cpp, so the masks and
//!   the model always agree on what a token is);
//! - [`GenerateOptions`], [`Generation`]: one generation's settings and
//!   its outcome (text, how it ended, timings).
//!
//! Usage pattern:
//! 1. [`Model::load`] (a missing or corrupt file is a [`LoadError`]);
//! 2. [`Model::chat_prompt`] builds the prompt in the model's chat template;
//! 3. [`Model::generate`] with a [`crate::Constraint`] made over
//!    [`Model::tok_env`]: it streams the text through a callback and
//!    samples through the constraint's llama.cpp sampler.

use crate::constraint::Constraint;
use crate::llama_sampler::{SamplerChain, Sampling};
use crate::models::LoadError;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::token::LlamaToken;
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use synoema_grammar::{tok_env_from_vocab, TokEnv, TokenId};

/// The default model, relative to the model cache.
pub const DEFAULT_MODEL: &str = "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";

/// Tokens of context: prompt plus generation.
const CONTEXT_TOKENS: u32 = 4096;

/// llama.cpp's backend, initialised once per process (it refuses a second
/// initialisation).
fn backend() -> Result<&'static LlamaBackend, LoadError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs every tensor it loads; keep stderr for our report.
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default().with_logs_enabled(false));
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| LoadError(format!("cannot start llama.cpp: {e}")))
}

/// A loaded model.
pub struct Model {
    model: LlamaModel,
    tok_env: TokEnv,
    eos: TokenId,
}

/// Settings of one generation.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    pub max_tokens: usize,
    pub sampling: Sampling,
    /// CPU threads for llama.cpp (0: all cores).
    pub threads: usize,
}

/// How a generation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The model chose EOS where the constraint allowed it.
    Eos,
    /// The token budget ran out first: the text is incomplete.
    Budget,
}

/// The outcome of one generation.
#[derive(Clone, Debug)]
pub struct Generation {
    pub text: String,
    pub tokens: usize,
    pub ending: Ending,
    /// Time in llama.cpp's decoding (prompt excluded).
    pub model_time: Duration,
    /// Time spent evaluating the prompt.
    pub prompt_time: Duration,
    /// Time spent in the constraint (checks and commits).
    pub constraint_time: Duration,
    /// Single-token checks the constraint made.
    pub checks: u64,
    /// Wall time of the generation loop (prompt excluded).
    pub total_time: Duration,
}

/// Why a generation failed (not: ended early).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateError(pub String);

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenerateError {}

impl Model {
    /// Loads a GGUF model. A missing file, a file that is not GGUF and a
    /// file llama.cpp cannot load are errors that name the file.
    pub fn load(path: &Path) -> Result<Model, LoadError> {
        let header = crate::models::read_model_header(path, 4)?;
        if header != b"GGUF" {
            return Err(LoadError(format!("{} is not a GGUF model file (run scripts/setup-models.sh to fetch it again)", path.display())));
        }
        let backend = backend()?;
        let model = LlamaModel::load_from_file(backend, path, &LlamaModelParams::default())
            .map_err(|e| LoadError(format!("llama.cpp cannot load {}: {e} (the file may be corrupt; run scripts/setup-models.sh)", path.display())))?;
        let (tok_env, eos) = vocabulary(&model)?;
        Ok(Model { model, tok_env, eos })
    }

    /// The model's vocabulary as a tokenizer environment for constraints.
    pub fn tok_env(&self) -> TokEnv {
        self.tok_env.clone()
    }

    pub fn eos(&self) -> TokenId {
        self.eos
    }

    /// The prompt for `task` in the model's chat template: `system`, then
    /// each `(task, program)` example as a user and an assistant turn, then
    /// the task, ready for the assistant's answer.
    pub fn chat_prompt(&self, system: &str, examples: &[(&str, &str)], task: &str) -> Result<String, GenerateError> {
        let template = self.model.chat_template(None).map_err(|e| GenerateError(format!("the model has no chat template: {e}")))?;
        let mut messages = Vec::new();
        let mut push = |role: &str, text: &str| {
            LlamaChatMessage::new(role.to_string(), text.to_string())
                .map(|m| messages.push(m))
                .map_err(|e| GenerateError(format!("the prompt cannot be used: {e}")))
        };
        push("system", system)?;
        for (example_task, program) in examples {
            push("user", example_task)?;
            push("assistant", program)?;
        }
        push("user", task)?;
        self.model.apply_chat_template(&template, &messages, true).map_err(|e| GenerateError(format!("cannot apply the chat template: {e}")))
    }

    /// Generates from `prompt` under `constraint` (made over
    /// [`Model::tok_env`]), streaming each token's bytes to `on_bytes`.
    pub fn generate(
        &self,
        prompt: &str,
        constraint: Constraint,
        options: &GenerateOptions,
        mut on_bytes: impl FnMut(&[u8]),
    ) -> Result<Generation, GenerateError> {
        let backend = backend().map_err(|e| GenerateError(e.0))?;
        let prompt_tokens = self.model.vocab().tokenize(prompt.as_bytes(), true, true);
        let budget = CONTEXT_TOKENS as usize;
        if prompt_tokens.is_empty() {
            return Err(GenerateError("the prompt is empty".to_string()));
        }
        if prompt_tokens.len() + options.max_tokens > budget {
            return Err(GenerateError(format!(
                "the prompt ({} tokens) and --max-tokens {} do not fit the model's context of {budget} tokens",
                prompt_tokens.len(),
                options.max_tokens
            )));
        }
        let threads = if options.threads == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { options.threads };
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(CONTEXT_TOKENS))
            .with_n_batch(CONTEXT_TOKENS)
            .with_n_threads(threads as i32)
            .with_n_threads_batch(threads as i32);
        let mut ctx = self.model.new_context(backend, params).map_err(|e| GenerateError(format!("cannot create a llama.cpp context: {e}")))?;

        let fail = |what: &str, e: &dyn std::fmt::Display| GenerateError(format!("{what}: {e}"));
        let start = Instant::now();
        let mut batch = LlamaBatch::new(prompt_tokens.len().max(1), 1);
        let last = prompt_tokens.len() - 1;
        for (i, token) in prompt_tokens.iter().enumerate() {
            batch.add(*token, i as i32, &[0], i == last).map_err(|e| fail("cannot batch the prompt", &e))?;
        }
        ctx.decode(&mut batch).map_err(|e| fail("llama.cpp failed on the prompt", &e))?;
        let prompt_time = start.elapsed();

        let mut chain = SamplerChain::new(constraint, options.sampling);
        let mut text = Vec::new();
        let mut model_time = Duration::ZERO;
        let mut position = prompt_tokens.len() as i32;
        let mut logits_index = batch.n_tokens() - 1;
        let mut ending = Ending::Budget;
        let mut tokens = 0;
        let loop_start = Instant::now();
        while tokens < options.max_tokens {
            let picked = chain.sample(ctx.get_logits_ith(logits_index));
            if let Some(error) = chain.stats().error.clone() {
                return Err(GenerateError(error));
            }
            let Some(token) = picked else {
                return Err(GenerateError("the sampler chain selected no token".to_string()));
            };
            if self.tok_env.tok_trie().eos_tokens().contains(&token) {
                ending = Ending::Eos;
                break;
            }
            chain.accept(token);
            if let Some(error) = chain.stats().error.clone() {
                return Err(GenerateError(error));
            }
            let bytes = self.tok_env.tok_trie().token(token).to_vec();
            on_bytes(&bytes);
            text.extend_from_slice(&bytes);
            tokens += 1;

            let decode_start = Instant::now();
            batch.clear();
            batch.add(LlamaToken(token as i32), position, &[0], true).map_err(|e| fail("cannot batch a token", &e))?;
            ctx.decode(&mut batch).map_err(|e| fail("llama.cpp failed to decode", &e))?;
            model_time += decode_start.elapsed();
            position += 1;
            logits_index = 0;
        }
        let total_time = loop_start.elapsed();
        let stats = chain.stats();
        Ok(Generation {
            text: String::from_utf8_lossy(&text).into_owned(),
            tokens,
            ending,
            model_time,
            prompt_time,
            constraint_time: stats.constraint_time,
            checks: stats.checks,
            total_time,
        })
    }
}

/// The model's vocabulary: every token's bytes from llama.cpp (control
/// tokens marked special), and its end-of-generation token.
fn vocabulary(model: &LlamaModel) -> Result<(TokEnv, TokenId), LoadError> {
    let vocab = model.vocab();
    let n = model.n_vocab().max(0);
    let mut words = Vec::with_capacity(n as usize);
    let mut special = Vec::with_capacity(n as usize);
    for i in 0..n {
        let token = LlamaToken(i);
        let bytes = vocab.token_to_piece(token, false, None);
        if bytes.is_empty() || vocab.is_control(token) {
            words.push(vocab.token_to_piece(token, true, None));
            special.push(true);
        } else {
            words.push(bytes);
            special.push(false);
        }
    }
    // Every end-of-generation token ends a program (SmolLM2 ends its chat
    // turns with `<|im_end|>`, not with its EOS `<|endoftext|>`); the
    // end-of-turn token, if any, comes first.
    let mut eos: Vec<TokenId> = Vec::new();
    for t in [vocab.eot(), vocab.eos()].into_iter().chain((0..n).map(LlamaToken)) {
        if let Ok(id) = TokenId::try_from(t.0) {
            if t.0 < n && vocab.is_eog(t) && !eos.contains(&id) {
                eos.push(id);
            }
        }
    }
    let env = tok_env_from_vocab(&words, &special, &eos).map_err(|e| LoadError(format!("the model's vocabulary is not usable: {e}")))?;
    let primary = eos.first().copied().ok_or_else(|| LoadError("the model has no end-of-sequence token".to_string()))?;
    Ok((env, primary))
}
