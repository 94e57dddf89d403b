//! Real tokenizers for masks and replays: Hugging Face `tokenizer.json`
//! files, the vocabulary of a GGUF model file, and tiktoken rank files,
//! turned into toktrie environments.
//!
//! The library takes bytes the caller has read; [`KNOWN_TOKENIZERS`] maps
//! the short names the CLI accepts to paths relative to the model cache
//! (`scripts/setup-models.sh --print`), so the binary does the file access.

use crate::constraint::ConstraintError;
use std::collections::HashMap;
use std::sync::Arc;
use toktrie::{ApproximateTokEnv, TokEnv, TokRxInfo, TokTrie, TokenId};

/// Which loader a tokenizer file needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenizerFormat {
    /// A Hugging Face `tokenizer.json`.
    HfJson,
    /// A tiktoken rank file: one `base64-token rank` pair per line.
    Tiktoken,
    /// A GGUF model file whose vocabulary is GPT-2 byte-level BPE.
    Gguf,
}

/// Short tokenizer names and their files, relative to the model cache.
pub const KNOWN_TOKENIZERS: &[(&str, &str, TokenizerFormat)] = &[
    ("llama3", "tokenizers/llama3/tokenizer.json", TokenizerFormat::HfJson),
    ("qwen3", "tokenizers/qwen3/tokenizer.json", TokenizerFormat::HfJson),
    ("gemma3", "tokenizers/gemma3/tokenizer.json", TokenizerFormat::HfJson),
    // GPT-4o's tokenizer.json is o200k_base.
    ("o200k", "tokenizers/gpt4o/tokenizer.json", TokenizerFormat::HfJson),
    ("cl100k", "tiktoken/cl100k_base.tiktoken", TokenizerFormat::Tiktoken),
    // The embedded model's own vocabulary, read from its GGUF file.
    ("smollm2", "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", TokenizerFormat::Gguf),
];

/// The cache-relative file and format of a known tokenizer name.
pub fn known_tokenizer(name: &str) -> Option<(&'static str, TokenizerFormat)> {
    KNOWN_TOKENIZERS.iter().find(|(n, _, _)| *n == name).map(|(_, path, format)| (*path, *format))
}

/// How text becomes tokens.
enum Encoder {
    /// The tokenizer environment's own tokenizer (Hugging Face's encoder).
    Env,
    /// Byte-pair merges by rank over pre-split chunks (tiktoken files).
    Ranked(HashMap<Vec<u8>, TokenId>),
}

/// A tokenizer: its environment for masks, and an encoder for replays.
pub struct Tokenizer {
    env: TokEnv,
    encoder: Encoder,
}

fn error(message: impl std::fmt::Display) -> ConstraintError {
    ConstraintError { message: message.to_string() }
}

impl Tokenizer {
    /// Loads a tokenizer file of the given format.
    pub fn load(format: TokenizerFormat, bytes: &[u8]) -> Result<Tokenizer, ConstraintError> {
        match format {
            TokenizerFormat::HfJson => Self::from_hf_json(bytes),
            TokenizerFormat::Tiktoken => Self::from_tiktoken(bytes),
            TokenizerFormat::Gguf => Self::from_gguf(bytes),
        }
    }

    /// A Hugging Face `tokenizer.json`; EOS is detected from its added tokens.
    pub fn from_hf_json(bytes: &[u8]) -> Result<Tokenizer, ConstraintError> {
        let tok = toktrie_hf_tokenizers::ByteTokenizer::from_json_bytes(bytes).map_err(error)?;
        let env = tok.into_tok_env(None).map_err(error)?;
        Ok(Tokenizer { env, encoder: Encoder::Env })
    }

    /// The vocabulary of a GGUF model file (SmolLM2's): GPT-2 byte-level
    /// BPE built from `tokenizer.ggml.tokens` and `.merges`, control tokens
    /// (`.token_type` 3) as special tokens, EOS from `.eos_token_id`.
    ///
    /// The Hugging Face tokenizer is assembled as SmolLM2's `tokenizer.json`
    /// describes it (BPE, a pre-tokenizer that splits every digit and then
    /// splits as GPT-2 does, the byte-level decoder) and then goes through
    /// the same toktrie adapter as [`Tokenizer::from_hf_json`], so both paths
    /// map token strings to bytes in one place.
    pub fn from_gguf(bytes: &[u8]) -> Result<Tokenizer, ConstraintError> {
        use tokenizers::models::bpe::BPE;
        use tokenizers::pre_tokenizers::byte_level::ByteLevel;
        use tokenizers::pre_tokenizers::digits::Digits;
        use tokenizers::pre_tokenizers::sequence::Sequence;
        use tokenizers::{AddedToken, PreTokenizerWrapper};

        let meta = crate::gguf::read_metadata(bytes).map_err(error)?;
        let model = meta.string("tokenizer.ggml.model").map_err(error)?;
        if model != "gpt2" {
            return Err(error(format!("GGUF tokenizer model `{model}` is not supported (only gpt2 byte-level BPE)")));
        }
        // llama.cpp's name of the pre-tokenizer; an absent key means GPT-2's.
        let pre = meta.string("tokenizer.ggml.pre").unwrap_or("default");
        let split_digits = match pre {
            "smollm" => true,
            "default" | "gpt-2" => false,
            other => return Err(error(format!("GGUF pre-tokenizer `{other}` is not supported (smollm, gpt-2)"))),
        };
        let tokens = meta.strings("tokenizer.ggml.tokens").map_err(error)?;
        let types = meta.uints("tokenizer.ggml.token_type").map_err(error)?;
        let merges = meta.strings("tokenizer.ggml.merges").map_err(error)?;
        let eos = meta.uint("tokenizer.ggml.eos_token_id").map_err(error)?;
        if types.len() != tokens.len() {
            return Err(error(format!("GGUF vocabulary has {} tokens but {} token types", tokens.len(), types.len())));
        }
        let eos = TokenId::try_from(eos).ok().filter(|e| (*e as usize) < tokens.len());
        let Some(eos) = eos else {
            return Err(error(format!("GGUF EOS token id is outside the vocabulary of {} tokens", tokens.len())));
        };
        let mut vocab = tokenizers::models::bpe::Vocab::with_capacity(tokens.len());
        for (id, token) in tokens.iter().enumerate() {
            if vocab.insert(token.to_string(), id as TokenId).is_some() {
                return Err(error(format!("GGUF vocabulary lists token {token:?} twice")));
            }
        }
        let mut pairs = Vec::with_capacity(merges.len());
        for merge in &merges {
            let Some((a, b)) = merge.split_once(' ') else {
                return Err(error(format!("GGUF merge {merge:?} is not two tokens")));
            };
            pairs.push((a.to_string(), b.to_string()));
        }
        let bpe = BPE::builder().vocab_and_merges(vocab, pairs).build().map_err(error)?;
        let mut hf = tokenizers::Tokenizer::new(bpe);
        let byte_level = ByteLevel::new(false, true, true);
        let mut pre_tokenizers = Vec::new();
        if split_digits {
            pre_tokenizers.push(PreTokenizerWrapper::Digits(Digits::new(true)));
        }
        pre_tokenizers.push(PreTokenizerWrapper::ByteLevel(byte_level));
        hf.with_pre_tokenizer(Some(Sequence::new(pre_tokenizers)));
        hf.with_decoder(Some(byte_level));
        // GGUF token type 3 is a control token (`<|im_end|>` and friends).
        let specials: Vec<AddedToken> =
            tokens.iter().zip(&types).filter(|(_, t)| **t == 3).map(|(s, _)| AddedToken::from(s.to_string(), true)).collect();
        hf.add_special_tokens(&specials);
        let mut tok = toktrie_hf_tokenizers::ByteTokenizer::from_tokenizer(hf).map_err(error)?;
        tok.set_eos_token(eos);
        let env = tok.into_tok_env(None).map_err(error)?;
        Ok(Tokenizer { env, encoder: Encoder::Env })
    }

    /// A tiktoken rank file (cl100k_base). The rank is the token id; the
    /// special `<|endoftext|>` follows the last rank plus one gap, as in
    /// tiktoken (id 100257 for cl100k), and is the EOS token.
    ///
    /// Text is encoded by byte-pair merges by rank within chunks split at
    /// character-class changes (a space joins the word after it). This
    /// approximates tiktoken's regex pre-tokenizer: the tokens may differ
    /// from tiktoken's at chunk edges, but every token is a real vocabulary
    /// entry, which is what a mask replay needs.
    pub fn from_tiktoken(bytes: &[u8]) -> Result<Tokenizer, ConstraintError> {
        let text = std::str::from_utf8(bytes).map_err(|_| error("tiktoken file is not UTF-8"))?;
        let mut ranks: HashMap<Vec<u8>, TokenId> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(b64), Some(rank)) = (parts.next(), parts.next()) else {
                return Err(error(format!("tiktoken file line {}: expected `token rank`", i + 1)));
            };
            let token = base64_decode(b64).ok_or_else(|| error(format!("tiktoken file line {}: bad base64", i + 1)))?;
            let rank: TokenId = rank.parse().map_err(|_| error(format!("tiktoken file line {}: bad rank", i + 1)))?;
            ranks.insert(token, rank);
        }
        let n = ranks.values().max().map_or(0, |m| *m as usize + 1);
        if n == 0 || n > 10_000_000 {
            return Err(error("tiktoken file has no usable tokens"));
        }
        let mut words: Vec<Vec<u8>> = (0..n).map(|i| special(&format!("<|unused{i}|>"))).collect();
        for (token, rank) in &ranks {
            if let Some(slot) = words.get_mut(*rank as usize) {
                slot.clone_from(token);
            }
        }
        words.push(special("<|unused-gap|>"));
        words.push(special("<|endoftext|>"));
        let eos = (words.len() - 1) as TokenId;
        let info = TokRxInfo::new(words.len() as u32, eos);
        let env: TokEnv = Arc::new(ApproximateTokEnv::new(TokTrie::from(&info, &words)));
        Ok(Tokenizer { env, encoder: Encoder::Ranked(ranks) })
    }

    /// The environment masks are computed over.
    pub fn tok_env(&self) -> TokEnv {
        self.env.clone()
    }

    /// The bytes of a token (special tokens start with toktrie's 0xFF marker).
    pub fn token_bytes(&self, token: TokenId) -> Vec<u8> {
        self.env.tok_trie().token(token).to_vec()
    }

    /// Encodes text as the tokenizer would, without special tokens.
    pub fn encode(&self, text: &str) -> Vec<TokenId> {
        match &self.encoder {
            Encoder::Env => self.env.tokenize_bytes(text.as_bytes()),
            Encoder::Ranked(ranks) => chunks(text).into_iter().flat_map(|c| bpe(ranks, c.as_bytes())).collect(),
        }
    }
}

fn special(name: &str) -> Vec<u8> {
    let mut word = vec![TokTrie::SPECIAL_TOKEN_MARKER];
    word.extend_from_slice(name.as_bytes());
    word
}

/// Splits text where the character class changes; the last space of a
/// run of spaces joins the chunk after it, as in GPT-style pre-tokenizers.
fn chunks(text: &str) -> Vec<&str> {
    fn class(c: char) -> u8 {
        if c.is_alphabetic() || c == '_' {
            0
        } else if c.is_ascii_digit() {
            1
        } else if c == '\n' {
            2
        } else if c.is_whitespace() {
            3
        } else {
            4
        }
    }
    // Runs of one class, as (start, end) byte ranges.
    let mut runs: Vec<(usize, usize, u8)> = Vec::new();
    for (i, c) in text.char_indices() {
        let k = class(c);
        match runs.last_mut() {
            Some((_, end, last)) if *last == k => *end = i + c.len_utf8(),
            _ => runs.push((i, i + c.len_utf8(), k)),
        }
    }
    // Move a run's final space to the start of the following non-space run.
    for i in 1..runs.len() {
        let (start, end, k) = runs[i - 1];
        if k == 3 && runs[i].2 != 2 && text[start..end].ends_with(' ') {
            runs[i - 1].1 = end - 1;
            runs[i].0 = end - 1;
        }
    }
    runs.iter().map(|(s, e, _)| &text[*s..*e]).filter(|s| !s.is_empty()).collect()
}

/// Byte-pair merges by rank: repeatedly merge the adjacent pair whose
/// concatenation has the lowest rank. Every single byte has a rank in
/// byte-level vocabularies; a byte without one is skipped (never happens
/// for cl100k).
fn bpe(ranks: &HashMap<Vec<u8>, TokenId>, chunk: &[u8]) -> Vec<TokenId> {
    if let Some(r) = ranks.get(chunk) {
        return vec![*r];
    }
    let mut parts: Vec<Vec<u8>> = chunk.iter().map(|b| vec![*b]).collect();
    loop {
        let mut best: Option<(TokenId, usize)> = None;
        for i in 0..parts.len().saturating_sub(1) {
            let mut joined = parts[i].clone();
            joined.extend_from_slice(&parts[i + 1]);
            if let Some(r) = ranks.get(&joined) {
                if best.is_none_or(|(b, _)| *r < b) {
                    best = Some((*r, i));
                }
            }
        }
        let Some((_, i)) = best else { break };
        let right = parts.remove(i + 1);
        parts[i].extend_from_slice(&right);
    }
    parts.iter().filter_map(|p| ranks.get(p).copied()).collect()
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(base64_decode("IQ==").unwrap(), b"!");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("IG1haW4").unwrap(), b" main");
        assert!(base64_decode("a*b").is_none());
    }

    #[test]
    fn chunks_cover_the_text_and_attach_spaces_to_words() {
        let text = "main = f 12 (x)\n  y";
        let cs = chunks(text);
        assert_eq!(cs.concat(), text);
        assert!(cs.contains(&" f"), "{cs:?}");
    }

    #[test]
    fn tiktoken_file_gives_bpe_tokens_and_eos() {
        let mut file = String::new();
        for b in 0..=255u8 {
            file.push_str(&format!("{} {}\n", b64(&[b]), b));
        }
        file.push_str(&format!("{} 256\n{} 257\n", b64(b"ma"), b64(b"main")));
        let t = Tokenizer::from_tiktoken(file.as_bytes()).unwrap();
        assert_eq!(t.encode("main"), vec![257]);
        assert_eq!(t.encode("mai"), vec![256, u32::from(b'i')]);
        assert_eq!(t.tok_env().tok_trie().eos_token(), 259);
        assert_eq!(t.token_bytes(257), b"main");
        assert!(Tokenizer::from_tiktoken(b"!!! x\n").is_err());
    }

    /// GPT-2's byte-level alphabet: printable bytes stand for themselves,
    /// the others for characters from U+0100 on, in byte order.
    fn byte_char(byte: u8) -> char {
        let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        if printable(byte) {
            char::from(byte)
        } else {
            let k = (0..byte).filter(|b| !printable(*b)).count() as u32;
            char::from_u32(0x100 + k).unwrap()
        }
    }

    /// A small SmolLM2-like GGUF vocabulary: three control tokens, the 256
    /// byte tokens, then `ma`, `in`, `main`, `12` with their merges.
    fn tiny_gguf(model: &str, pre: &str, eos: u32) -> Vec<u8> {
        let bytes: Vec<String> = (0..=255u8).map(|b| byte_char(b).to_string()).collect();
        let mut tokens = vec!["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
        tokens.extend(bytes.iter().map(String::as_str));
        tokens.extend(["ma", "in", "main", "12"]);
        let mut types = vec![3, 3, 3];
        types.resize(tokens.len(), 1);
        let mut b = crate::gguf::test_bytes::Builder::new(3, 6);
        b.string("tokenizer.ggml.model").u32(8).string(model);
        b.string("tokenizer.ggml.pre").u32(8).string(pre);
        b.strings("tokenizer.ggml.tokens", &tokens);
        b.i32s("tokenizer.ggml.token_type", &types);
        b.strings("tokenizer.ggml.merges", &["m a", "i n", "ma in", "1 2"]);
        b.string("tokenizer.ggml.eos_token_id").u32(4).u32(eos);
        b.0
    }

    #[test]
    fn gguf_vocabulary_gives_byte_level_bpe_with_digits_split() {
        let t = Tokenizer::from_gguf(&tiny_gguf("gpt2", "smollm", 2)).unwrap();
        let env = t.tok_env();
        assert_eq!(env.tok_trie().eos_token(), 2);
        assert_eq!(t.token_bytes(2), b"\xFF<|im_end|>");
        assert_eq!(t.token_bytes(3 + u32::from(b' ')), b" ");
        let ids = t.encode("main 12");
        assert_eq!(ids[0], 259 + 2, "`main` is one token: {ids:?}");
        let digits: Vec<Vec<u8>> = ids[1..].iter().map(|i| t.token_bytes(*i)).collect();
        assert_eq!(digits, vec![b" ".to_vec(), b"1".to_vec(), b"2".to_vec()], "every digit on its own");
        // Without the digit split (GPT-2's pre-tokenizer), `12` merges.
        let gpt2 = Tokenizer::from_gguf(&tiny_gguf("gpt2", "gpt-2", 2)).unwrap();
        assert!(gpt2.encode("12").len() == 1);
    }

    #[test]
    fn unusable_gguf_vocabularies_are_errors() {
        let message = |bytes: &[u8]| Tokenizer::from_gguf(bytes).err().unwrap().message;
        assert!(message(&tiny_gguf("llama", "smollm", 2)).contains("not supported"));
        assert!(message(&tiny_gguf("gpt2", "qwen2", 2)).contains("pre-tokenizer"));
        assert!(message(&tiny_gguf("gpt2", "smollm", 9999)).contains("EOS"));
        let full = tiny_gguf("gpt2", "smollm", 2);
        for n in [0, 3, 30, full.len() / 2, full.len() - 1] {
            assert!(Tokenizer::from_gguf(&full[..n]).is_err());
        }
    }

    fn b64(bytes: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |a, (i, b)| a | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }
}
