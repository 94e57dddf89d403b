//! Real tokenizers for masks and replays: Hugging Face `tokenizer.json`
//! files and tiktoken rank files, turned into toktrie environments.
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
}

/// Short tokenizer names and their files, relative to the model cache.
pub const KNOWN_TOKENIZERS: &[(&str, &str, TokenizerFormat)] = &[
    ("llama3", "tokenizers/llama3/tokenizer.json", TokenizerFormat::HfJson),
    ("qwen3", "tokenizers/qwen3/tokenizer.json", TokenizerFormat::HfJson),
    ("gemma3", "tokenizers/gemma3/tokenizer.json", TokenizerFormat::HfJson),
    // GPT-4o's tokenizer.json is o200k_base.
    ("o200k", "tokenizers/gpt4o/tokenizer.json", TokenizerFormat::HfJson),
    ("cl100k", "tiktoken/cl100k_base.tiktoken", TokenizerFormat::Tiktoken),
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
        }
    }

    /// A Hugging Face `tokenizer.json`; EOS is detected from its added tokens.
    pub fn from_hf_json(bytes: &[u8]) -> Result<Tokenizer, ConstraintError> {
        let tok = toktrie_hf_tokenizers::ByteTokenizer::from_json_bytes(bytes).map_err(error)?;
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
