//! Token classes: the full mask decided once per class of tokens that the
//! oracle cannot tell apart, instead of once per token.
//!
//! Key types: [`Vocabulary`] (a tokenizer's tokens, classified once and
//! shared by every generation that uses the tokenizer) and [`MaskStats`].
//! [`crate::Oracle::reject`] uses them.
//!
//! Usage pattern:
//! ```
//! use synoema_typeoracle::{Oracle, Request, Vocabulary};
//! let tokens: Vec<&[u8]> = vec![b"1", b"22", b"\"s\"", b" x", b" y", b"zz"];
//! let vocab = Vocabulary::new(&tokens, |_| false);
//! let mut oracle = Oracle::new(Request::default()).unwrap();
//! oracle.commit(b"main = 1 +");
//! let (rejected, _stats) = oracle.reject(&vocab, |_| true);
//! assert_eq!(rejected, vec![2, 3, 4, 5]); // a string, unknown names, a glued word
//! ```
//!
//! Why it is exact: two tokens get the same *key* only when the text they
//! append to the committed prefix differs in ways no part of the compiler
//! can observe, so checking one token decides the other. The key keeps
//! every byte that is not part of a word or of a run of spaces, and
//! abstracts the rest:
//! - a word (`[A-Za-z0-9_]+`) that starts with a letter is kept when it is a
//!   *known* word (a keyword, a prelude or built-in name, or any word of the
//!   committed text or the request), since only known words can name
//!   something in scope; an unknown complete word becomes "some unknown
//!   lower/upper word number k" (keeping which unknown words are equal); the
//!   last word of the token, which may still grow, becomes "lower/upper word
//!   whose extensions are these" (the set of known words, and of the
//!   token's own earlier words, it is a prefix of; often empty);
//! - a word that starts with a digit keeps its length, whether it starts
//!   with `0`, and for each later character whether it is a digit, `e`/`E`,
//!   `_` or another letter (the lexer's number rules: LANGUAGE.md §1);
//!   digit runs long enough to overflow are kept exactly;
//! - a word that starts with `_` keeps only whether it is `_` alone;
//! - a word inside `\u{` is kept exactly; right after `'` it also keeps
//!   whether it is one character long, and right after `\` its first
//!   character and whether it is one character long (escapes);
//! - a run of spaces collapses to one space, except where it is indentation
//!   (only spaces before it on its line) or right after `'` or `\`: layout
//!   reads only indentation (LANGUAGE.md §2);
//! - every non-ASCII character becomes one placeholder (outside strings,
//!   characters and comments all are errors; inside, all are alike).
//!
//! A token's key depends on the end of the committed prefix only through
//! its first bytes (a word glued to the prefix's last word, a run of spaces
//! at a line start, an escape started by the prefix), and on the program's
//! own words. So each token gets a *static* key once, computed as if the
//! prefix ended in a neutral character and had no words of its own; a step
//! recomputes the key only of the tokens the prefix's end or its words can
//! affect, found through indexes rather than by scanning the vocabulary.
//!
//! The agreement tests (`tests/agreement.rs`) check the result token by
//! token against the single-token check under real tokenizers.

use std::collections::HashMap;

/// A sentinel static key: the token has no static key (its key is computed
/// at every step from its exact bytes).
const NO_KEY: u32 = u32::MAX;

/// The class of a token the grammar's classes leave out (EOS and other
/// special tokens): [`Vocabulary::grammar_classes`].
pub const NO_CLASS: u32 = u32::MAX - 1;

/// Where a prefix in code ends, for [`Vocabulary::grammar_classes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrammarContext {
    /// Anywhere in code but at a line start (see [`grammar_context`]).
    Plain,
    /// At a line start: the prefix's last line holds only spaces.
    LineStart,
    /// Right after a number of at most three digits, which a token's
    /// first word continues.
    AfterNumber,
}

/// The context of `prefix` for [`Vocabulary::grammar_classes`], or `None`
/// where the grammar's classes do not apply: inside a comment or a string,
/// right after a quote, a backslash, `\u{`, `<` or `-`, and after a word that may
/// join the token's first word into something other than a name (a
/// number, a word after a quote, a backslash or a dot, a word that a
/// keyword or reserved word begins with). After any other word the
/// token's first word only makes the name longer, and static keys tell
/// apart every kind of first word (case, digits, `_`), so they stay
/// exact there; they are the oracle's keys at a step less what the
/// grammar does not see (the program's own words).
pub fn grammar_context(prefix: &[u8]) -> Option<GrammarContext> {
    if lexical_context(prefix) != Lexical::Code {
        return None;
    }
    let glue_len = prefix.iter().rev().take_while(|b| is_word(**b)).count();
    let (head, glued) = prefix.split_at(prefix.len() - glue_len);
    let after_escape = matches!(head.last(), Some(b'\'' | b'\\')) || head.ends_with(b"\\u{");
    if let Some(&first) = glued.first() {
        // After a short number, the word it grows into has the shape of the
        // number and the token's first word, and cannot overflow unless
        // the token's word alone is long enough to be keyed exactly.
        if glued.len() <= 3 && glued.iter().all(u8::is_ascii_digit) && !after_escape && head.last() != Some(&b'.') {
            return Some(GrammarContext::AfterNumber);
        }
        let keyword_prefix = synoema_compiler::parse::token::RESERVED_WORDS.iter().any(|w| w.as_bytes().starts_with(glued));
        let name = first.is_ascii_alphabetic() && !keyword_prefix && !after_escape && head.last() != Some(&b'.');
        return name.then_some(GrammarContext::Plain);
    }
    // After `<` or `-`, a token's `--` may not open a comment (its static
    // key says it does).
    if after_escape || matches!(head.last(), Some(b'<' | b'-')) {
        return None;
    }
    let line = &head[head.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..];
    Some(if line.iter().all(|b| *b == b' ') { GrammarContext::LineStart } else { GrammarContext::Plain })
}

/// How a token begins, which decides when the prefix's end can change its key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    Word,
    Space,
    Brace,
    /// `--`: a comment opens unless the prefix's last byte joins the
    /// first `-` (`<-`, `---`, an exponent's sign, a character literal).
    Dash,
    Other,
    /// Not decided by the oracle (EOS and other special tokens).
    Skip,
}

impl Start {
    /// The index of this kind of start in [`Step`]'s `recompute` (none for
    /// skipped tokens).
    fn slot(self) -> Option<usize> {
        match self {
            Start::Word => Some(0),
            Start::Space => Some(1),
            Start::Brace => Some(2),
            Start::Other => Some(3),
            Start::Dash => Some(4),
            Start::Skip => None,
        }
    }
}

/// A tokenizer's tokens, classified for [`crate::Oracle::reject`].
pub struct Vocabulary {
    tokens: Vec<Box<[u8]>>,
    start: Vec<Start>,
    static_key: Vec<u32>,
    /// The key of each token starting with a space when the prefix ends
    /// at a line start (after a line break and spaces only), where its
    /// spaces are indentation ([`NO_KEY`] for other tokens). It depends on
    /// nothing else the prefix holds, so it is computed once too.
    line_key: Vec<u32>,
    classes: usize,
    /// The built-in words, sorted ([`synoema_compiler::prefix::builtin_words`]).
    base: Vec<String>,
    /// Token ids, longest token first (the order [`crate::Oracle::reject`]
    /// decides them in).
    pub(crate) by_length: Vec<u32>,
    /// Whether each token is one word (`[A-Za-z0-9_]+`).
    one_word: Vec<bool>,
    /// How many leading bytes of each token are inert inside a comment
    /// (anything but a line break, a tab or a carriage return) and inside a
    /// plain string (anything but `"`, `\\`, `$` and line breaks).
    inert_comment: Vec<u32>,
    inert_string: Vec<u32>,
    /// The length of each token's longest UTF-8 prefix (validated once,
    /// not at every step).
    valid_utf8: Vec<u32>,
    /// Whether each token is UTF-8 but for a character its end cuts (the
    /// first bytes of one, which more bytes may complete).
    cut_end: Vec<bool>,
    /// The longest proper prefix of each token that is itself a token
    /// ([`NO_KEY`] if none): a viable token makes its prefixes viable.
    parent: Vec<u32>,
    /// Tokens by a complete word they hold (letter-initial).
    by_complete: HashMap<Box<str>, Vec<u32>>,
    /// Tokens by the word they end with (letter-initial).
    by_last: HashMap<Box<str>, Vec<u32>>,
}

/// The bytes that end inert comment text: a line break (or what the lexer
/// reports in a comment).
fn ends_comment_text(b: u8) -> bool {
    matches!(b, b'\n' | b'\t' | b'\r')
}

/// The bytes that end plain string text: the closing quote, an escape, an
/// interpolation, a line break.
fn ends_string_text(b: u8) -> bool {
    matches!(b, b'"' | b'\\' | b'$' | b'\n' | b'\r')
}

/// Whether `bytes` are inert text at the end of `prefix`: the prefix ends
/// inside a comment or a plain string (see [`lexical_context`]) and the
/// bytes are whole characters that stay inside it. Such bytes change
/// nothing a continuation depends on (the comment or string goes on, and
/// its text is never looked at), so the prefix followed by them is viable
/// exactly when the prefix is: the same fact that lets all such tokens
/// share one class.
pub(crate) fn inert_after(prefix: &[u8], bytes: &[u8]) -> bool {
    if bytes.is_empty() || valid_up_to(bytes) as usize != bytes.len() {
        return false;
    }
    let ends: fn(u8) -> bool = match lexical_context(prefix) {
        Lexical::Comment => ends_comment_text,
        Lexical::PlainString => ends_string_text,
        Lexical::Code => return false,
    };
    !bytes.iter().any(|b| ends(*b))
}

/// The length of the longest UTF-8 prefix of `bytes`.
fn valid_up_to(bytes: &[u8]) -> u32 {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len() as u32,
        Err(e) => e.valid_up_to() as u32,
    }
}

/// Whether `bytes[..n]` is UTF-8, given `bytes`' longest valid prefix:
/// `n` is within it and not in the middle of a character.
fn utf8_prefix(bytes: &[u8], valid: u32, n: usize) -> bool {
    n == 0 || (n <= valid as usize && bytes.get(n).is_none_or(|b| (*b as i8) >= -0x40))
}

/// What one call of [`crate::Oracle::reject`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MaskStats {
    /// Tokens decided.
    pub tokens: usize,
    /// Tokens whose key was computed at this step (the others had a static key).
    pub dynamic: usize,
    /// Distinct keys, each decided by one single-token check.
    pub checks: usize,
    /// Of those checks, the ones that found the token dead.
    pub dead: usize,
}

impl Vocabulary {
    /// Classifies `tokens` (token id = index). Tokens for which `skip` is
    /// true (EOS, control tokens) are never decided by the oracle.
    pub fn new<T: AsRef<[u8]>>(tokens: &[T], skip: impl Fn(usize) -> bool) -> Vocabulary {
        let base = synoema_compiler::prefix::builtin_words();
        let known = Known { base: &base, dynamic: &[] };
        let mut interned: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut vocab = Vocabulary {
            tokens: Vec::with_capacity(tokens.len()),
            start: Vec::with_capacity(tokens.len()),
            static_key: Vec::with_capacity(tokens.len()),
            line_key: Vec::with_capacity(tokens.len()),
            classes: 0,
            base: Vec::new(),
            parent: Vec::new(),
            inert_comment: Vec::new(),
            inert_string: Vec::new(),
            valid_utf8: Vec::new(),
            cut_end: Vec::new(),
            by_length: Vec::new(),
            one_word: Vec::new(),
            by_complete: HashMap::new(),
            by_last: HashMap::new(),
        };
        let mut key = Vec::new();
        for (id, token) in tokens.iter().enumerate() {
            let bytes = token.as_ref();
            let start = match bytes.first() {
                _ if skip(id) => Start::Skip,
                None => Start::Skip,
                Some(b) if is_word(*b) => Start::Word,
                Some(b' ') => Start::Space,
                Some(b'{') => Start::Brace,
                Some(b'-') if bytes.get(1) == Some(&b'-') => Start::Dash,
                Some(_) => Start::Other,
            };
            let mut intern = |line_start: bool| {
                key.clear();
                let ctx = Context { known: &known, before: b"+", line_start, glued: "" };
                if !token_key(&ctx, bytes, &mut key) {
                    return NO_KEY;
                }
                let next = interned.len() as u32;
                *interned.entry(key.clone()).or_insert(next)
            };
            let static_key = if start == Start::Skip { NO_KEY } else { intern(false) };
            // Keys are the token's abstract text, so a line-start key equal
            // to another token's static key is the same class.
            let line_key = if start == Start::Space { intern(true) } else { NO_KEY };
            if start != Start::Skip {
                index_words(bytes, id as u32, &mut vocab.by_complete, &mut vocab.by_last);
            }
            vocab.tokens.push(bytes.into());
            vocab.start.push(start);
            vocab.static_key.push(static_key);
            vocab.line_key.push(line_key);
        }
        vocab.classes = interned.len();
        vocab.by_length = (0..vocab.tokens.len() as u32).collect();
        vocab.by_length.sort_by_key(|&id| std::cmp::Reverse(vocab.tokens[id as usize].len()));
        vocab.one_word = vocab.tokens.iter().map(|t| !t.is_empty() && t.iter().all(|b| is_word(*b))).collect();
        let inert = |t: &[u8], special: fn(u8) -> bool| t.iter().position(|b| special(*b)).unwrap_or(t.len()) as u32;
        vocab.inert_comment = vocab.tokens.iter().map(|t| inert(t, ends_comment_text)).collect();
        vocab.inert_string = vocab.tokens.iter().map(|t| inert(t, ends_string_text)).collect();
        vocab.valid_utf8 = vocab.tokens.iter().map(|t| valid_up_to(t)).collect();
        vocab.cut_end = vocab.tokens.iter().map(|t| std::str::from_utf8(t).is_err_and(|e| e.error_len().is_none())).collect();
        let mut by_bytes: HashMap<&[u8], u32> = HashMap::new();
        for (id, t) in vocab.tokens.iter().enumerate() {
            if vocab.start[id] != Start::Skip {
                by_bytes.entry(t).or_insert(id as u32);
            }
        }
        vocab.parent = vocab
            .tokens
            .iter()
            .map(|t| (1..t.len()).rev().find_map(|n| by_bytes.get(&t[..n]).copied()).unwrap_or(NO_KEY))
            .collect();
        vocab.base = base;
        vocab
    }

    /// The tokens' classes for the grammar alone, after a prefix that ends
    /// in code in context `ctx`: a class index per token ([`NO_CLASS`] for
    /// the tokens the oracle skips) and the number of classes. Tokens of
    /// one class are alike to the parser (and so to the grammar, which
    /// accepts exactly what the parser does) after any such prefix: they
    /// are the oracle's static keys (line-start keys for tokens that start
    /// with spaces at a line start; after a number, keys of the tokens'
    /// first words as the number's continuation), which tell apart more
    /// than the parser does (known words, the program's own words). Tokens
    /// without a key are classes of their own.
    pub fn grammar_classes(&self, ctx: GrammarContext) -> (Vec<u32>, usize) {
        let mut out = Vec::with_capacity(self.tokens.len());
        // After a number, a token's first word continues it: keyed as the
        // continuation of `1` (only its shape counts; see `grammar_context`).
        let base = Known { base: &self.base, dynamic: &[] };
        let mut glued: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut key = Vec::new();
        for (i, &start) in self.start.iter().enumerate() {
            let class = match start {
                Start::Skip => NO_CLASS,
                Start::Space if ctx == GrammarContext::LineStart => self.line_key[i],
                Start::Word if ctx == GrammarContext::AfterNumber => {
                    key.clear();
                    let context = Context { known: &base, before: b"+", line_start: false, glued: "1" };
                    if token_key(&context, &self.tokens[i], &mut key) {
                        let fresh = self.classes as u32 + glued.len() as u32;
                        *glued.entry(key.clone()).or_insert(fresh)
                    } else {
                        NO_KEY
                    }
                }
                _ => self.static_key[i],
            };
            out.push(class);
        }
        let mut next = (self.classes + glued.len()) as u32;
        for class in out.iter_mut().filter(|c| **c == NO_KEY) {
            *class = next;
            next += 1;
        }
        (out, next as usize)
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The number of distinct static keys (an upper bound on the checks a
    /// step needs for the tokens that keep their static key).
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// A token's bytes.
    pub fn token(&self, id: u32) -> &[u8] {
        self.tokens.get(id as usize).map_or(&[], |t| t)
    }
}

/// The per-step state of a mask: memos of decided keys.
pub(crate) struct Step<'v> {
    vocab: &'v Vocabulary,
    dynamic_words: Vec<String>,
    glued: String,
    /// The three bytes before the prefix's last word (before `glued`).
    before_glued: Vec<u8>,
    /// The prefix's last three bytes.
    tail: Vec<u8>,
    line_start: bool,
    /// Where the prefix ends lexically.
    lexical: Lexical,
    /// The key every one-word token glued to `glued` gets, when `glued` is a
    /// word no known word extends (so no continuation of it is known).
    glued_new_word: Option<Vec<String>>,
    /// Starts whose tokens need their key computed at this step.
    recompute: [bool; 5],
    /// Tokens whose words meet the program's own words.
    marked: Vec<bool>,
    /// What is known of each token at this step: [`UNKNOWN`], [`VIABLE`]
    /// or [`DEAD`] (possibly without a check of its own).
    state: Vec<u8>,
    /// Decided static keys: [`UNKNOWN`], [`VIABLE`] or [`DEAD`].
    by_static: Vec<u8>,
    by_key: HashMap<Vec<u8>, bool>,
    by_fixed: [u8; FIXED_CLASSES],
    key: Vec<u8>,
    /// Scratch: the undecided prefixes of the token being decided.
    chain: Vec<u32>,
    pub(crate) stats: MaskStats,
}

impl<'v> Step<'v> {
    /// Prepares a step after `prefix`, whose own words (with `extra`, the
    /// request's) join the known words.
    pub(crate) fn new(vocab: &'v Vocabulary, prefix: &[u8], extra: &[String]) -> Step<'v> {
        let mut dynamic_words: Vec<String> = Vec::new();
        for word in words(prefix).chain(extra.iter().flat_map(|e| words(e.as_bytes()))) {
            if word.as_bytes()[0].is_ascii_alphabetic() && vocab.base.binary_search_by(|b| b.as_str().cmp(word)).is_err() {
                dynamic_words.push(word.to_string());
            }
        }
        dynamic_words.sort_unstable();
        dynamic_words.dedup();
        let mut marked = vec![false; vocab.len()];
        let mut mark = |ids: &Vec<u32>| {
            for &id in ids {
                if let Some(m) = marked.get_mut(id as usize) {
                    *m = true;
                }
            }
        };
        for word in &dynamic_words {
            if let Some(ids) = vocab.by_complete.get(word.as_str()) {
                mark(ids);
            }
            for end in 1..=word.len() {
                if let Some(ids) = word.get(..end).and_then(|p| vocab.by_last.get(p)) {
                    mark(ids);
                }
            }
        }
        // The prefix's last word, which a token starting with a word
        // character continues.
        let glue_len = prefix.iter().rev().take_while(|b| is_word(**b)).count();
        let (head, glued) = prefix.split_at(prefix.len() - glue_len);
        let glued = String::from_utf8_lossy(glued).into_owned();
        let line = &head[head.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..];
        let line_start = glue_len == 0 && line.iter().all(|b| *b == b' ');
        let before_glued = head[head.len().saturating_sub(3)..].to_vec();
        let glued_new_word = {
            let known = Known { base: &vocab.base, dynamic: &dynamic_words };
            let letter = glued.as_bytes().first().is_some_and(|b| b.is_ascii_alphabetic());
            let special = matches!(before_glued.last(), Some(b'\'' | b'\\')) || before_glued.ends_with(b"\\u{");
            // What the known words `glued` begins go on with.
            (letter && !special).then(|| {
                let mut rests: Vec<String> = Vec::new();
                for list in [known.base, known.dynamic] {
                    let lo = list.partition_point(|w| w.as_str() < glued.as_str());
                    let found = list.get(lo..).unwrap_or(&[]).iter().take_while(|w| w.starts_with(glued.as_str()));
                    rests.extend(found.map(|w| w[glued.len()..].to_string()));
                }
                rests.sort_unstable();
                rests
            })
        };
        let tail = prefix[prefix.len().saturating_sub(3)..].to_vec();
        let last = prefix.last().copied();
        let escape_like = matches!(last, Some(b'\'' | b'\\'));
        let recompute = [
            // Start::Word
            glue_len > 0 || escape_like || prefix.ends_with(b"\\u{"),
            // Start::Space
            line_start || escape_like,
            // Start::Brace
            prefix.ends_with(b"\\u"),
            // Start::Other
            false,
            // Start::Dash: after a name, `--` opens a comment; after a
            // number it may be an exponent's sign (`1e--`), so keyed again.
            matches!(last, Some(b'<' | b'-' | b'\'' | b'\\')) || glued.as_bytes().first().is_some_and(u8::is_ascii_digit),
        ];
        Step {
            vocab,
            dynamic_words,
            glued,
            before_glued,
            tail,
            line_start,
            lexical: lexical_context(prefix),
            glued_new_word,
            recompute,
            marked,
            state: vec![UNKNOWN; vocab.len()],
            by_static: vec![UNKNOWN; vocab.classes],
            by_key: HashMap::new(),
            by_fixed: [UNKNOWN; FIXED_CLASSES],
            key: Vec::new(),
            chain: Vec::new(),
            stats: MaskStats::default(),
        }
    }

    /// The class of `id` at this step (`None` for skipped tokens). Once
    /// computed, a dynamic key is left in `self.key`.
    fn class(&mut self, id: u32) -> Option<Class> {
        let i = id as usize;
        let start = *self.vocab.start.get(i)?;
        let slot = start.slot()?;
        if self.lexical != Lexical::Code {
            return self.inert_class(id);
        }
        if let Some(k) = self.static_class(i, slot) {
            return Some(Class::Static(k));
        }
        if start == Start::Word && self.vocab.one_word.get(i) == Some(&true) {
            if let Some(rests) = &self.glued_new_word {
                let word = self.vocab.token(id);
                // `rests` is sorted: the first one not below `word` is
                // the only candidate that can start with it.
                let at = rests.partition_point(|r| r.as_bytes() < word);
                if !rests.get(at).is_some_and(|r| r.as_bytes().starts_with(word)) {
                    // `glued` + this word is a word no known word extends
                    // (the key `word_key` gives it: a new word of the
                    // glued word's case).
                    let upper = self.glued.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
                    return Some(Class::Fixed(if upper { FIXED_NEW_UPPER } else { FIXED_NEW_LOWER }));
                }
            }
        }
        self.key.clear();
        let known = Known { base: &self.vocab.base, dynamic: &self.dynamic_words };
        let glued = if start == Start::Word { self.glued.as_str() } else { "" };
        let before: &[u8] = if glued.is_empty() { &self.tail } else { &self.before_glued };
        let ctx = Context { known: &known, before, line_start: self.line_start, glued };
        let bytes = self.vocab.token(id);
        if !token_key(&ctx, bytes, &mut self.key) {
            self.key.clear();
            self.key.push(0xFF);
            self.key.extend_from_slice(bytes);
        }
        Some(Class::Dynamic)
    }

    /// The class of `id` inside a comment or a plain string: its inert
    /// bytes are alike whatever they are; what follows them (a line break,
    /// a quote, an escape, an interpolation) is keyed as usual.
    fn inert_class(&mut self, id: u32) -> Option<Class> {
        let i = id as usize;
        let (tag, inert) = match self.lexical {
            Lexical::Comment => (IN_COMMENT, self.vocab.inert_comment.get(i)),
            _ => (IN_STRING, self.vocab.inert_string.get(i)),
        };
        let inert = *inert? as usize;
        if let Some(fixed) = self.fixed_inert(i) {
            return Some(Class::Fixed(fixed));
        }
        let bytes = self.vocab.token(id);
        let valid = self.vocab.valid_utf8.get(i).copied().unwrap_or(0);
        self.key.clear();
        self.key.push(tag);
        self.key.push(u8::from(inert > 0));
        let rest = bytes.get(inert..).unwrap_or(&[]);
        let whole = utf8_prefix(bytes, valid, inert);
        if !whole {
            // A character cut by the token's end or start: keep it exact.
            self.key.push(0xFF);
            self.key.extend_from_slice(bytes);
        } else if !rest.is_empty() {
            let known = Known { base: &self.vocab.base, dynamic: &self.dynamic_words };
            let ctx = Context { known: &known, before: b"+", line_start: false, glued: "" };
            let mut key = std::mem::take(&mut self.key);
            if !token_key(&ctx, rest, &mut key) {
                key.push(0xFF);
                key.extend_from_slice(rest);
            }
            self.key = key;
        }
        Some(Class::Dynamic)
    }

    /// The class of `id` as an owned value, for grouping.
    pub(crate) fn class_key(&mut self, id: u32) -> Option<Vec<u8>> {
        match self.class(id)? {
            Class::Static(k) => {
                let mut key = vec![0xFE];
                key.extend_from_slice(&k.to_le_bytes());
                Some(key)
            }
            Class::Dynamic => Some(self.key.clone()),
            Class::Fixed(n) => Some(vec![0xFD, n as u8]),
        }
    }

    /// Whether `id` is viable after the prefix, by `check` on the first
    /// token of its class.
    pub(crate) fn decide(&mut self, id: u32, check: &mut impl FnMut(&[u8]) -> bool) -> Option<bool> {
        if matches!(self.vocab.start.get(id as usize), None | Some(Start::Skip)) {
            return None;
        }
        self.stats.tokens += 1;
        // Most tokens take a class already decided at this step: no key to
        // compute, no prefix to look at.
        if let Some(v) = self.known(id) {
            self.settle(id, v);
            return Some(v);
        }
        // Viability is closed under prefixes: a token with a dead prefix is
        // dead, and a viable token makes its prefixes viable. When dead
        // tokens dominate this step, decide the undecided prefixes first
        // (shortest first), so that one dead prefix settles many tokens.
        let mut chain = std::mem::take(&mut self.chain);
        chain.clear();
        let mut p = self.parent(id);
        let mut verdict = None;
        while let Some(a) = p {
            match self.state[a as usize] {
                UNKNOWN => chain.push(a),
                DEAD => {
                    verdict = Some(self.settle_dead(id, &chain));
                    break;
                }
                _ => break,
            }
            p = self.parent(a);
        }
        if verdict.is_none() && self.stats.dead * 2 >= self.stats.checks {
            while let Some(a) = chain.pop() {
                if !self.resolve(a, check) {
                    verdict = Some(self.settle_dead(id, &chain));
                    break;
                }
            }
        }
        self.chain = chain;
        Some(verdict.unwrap_or_else(|| self.resolve(id, check)))
    }

    /// The verdict of `id` when its class at this step is one without a
    /// key (a static or fixed class) and already decided: what
    /// [`Step::class`] and [`Step::resolve`] would find, without their work.
    #[inline]
    fn known(&self, id: u32) -> Option<bool> {
        let i = id as usize;
        let slot = self.vocab.start.get(i)?.slot()?;
        let memo = if self.lexical == Lexical::Code {
            *self.by_static.get(self.static_class(i, slot)? as usize)?
        } else {
            self.by_fixed[self.fixed_inert(i)?]
        };
        match memo {
            VIABLE => Some(true),
            DEAD => Some(false),
            _ => None,
        }
    }

    /// The fixed class of token `i` inside a comment or a plain string,
    /// when it has one: its bytes are all inert and are whole characters,
    /// but for the first bytes of one more at the end. What completes that
    /// character is inert too, so tokens of the class are alike whatever
    /// their bytes are (and after a prefix that ends inside a character,
    /// all of them are dead: none starts with the bytes that complete it).
    #[inline]
    fn fixed_inert(&self, i: usize) -> Option<usize> {
        let (inert, fixed) = match self.lexical {
            Lexical::Comment => (self.vocab.inert_comment.get(i)?, FIXED_COMMENT),
            Lexical::PlainString => (self.vocab.inert_string.get(i)?, FIXED_STRING),
            Lexical::Code => return None,
        };
        let len = self.vocab.tokens.get(i)?.len();
        let utf8 = *self.vocab.valid_utf8.get(i)? as usize == len || *self.vocab.cut_end.get(i)?;
        (*inert as usize == len && utf8).then_some(fixed)
    }

    /// The key-free class of token `i` (starting as `slot` says) at this
    /// step, in code: its static key when nothing before it can change it,
    /// or its line-start key at a line start. `None` when its key must be
    /// computed at this step.
    #[inline]
    fn static_class(&self, i: usize, slot: usize) -> Option<u32> {
        if self.marked.get(i).copied().unwrap_or(true) {
            return None;
        }
        let k = if !self.recompute[slot] {
            *self.vocab.static_key.get(i)?
        } else if slot == 1 && self.line_start {
            // At a line start nothing can precede a token's spaces but
            // indentation (no quote, no backslash, no word to glue to).
            *self.vocab.line_key.get(i)?
        } else {
            return None;
        };
        (k != NO_KEY).then_some(k)
    }

    /// Records the verdict `v` of `id`: a viable token makes its prefixes
    /// viable too.
    fn settle(&mut self, id: u32, v: bool) {
        if v {
            let mut t = Some(id);
            while let Some(a) = t {
                if self.state[a as usize] == VIABLE {
                    break;
                }
                self.state[a as usize] = VIABLE;
                t = self.parent(a);
            }
        } else {
            self.state[id as usize] = DEAD;
        }
    }

    fn parent(&self, id: u32) -> Option<u32> {
        self.vocab.parent.get(id as usize).copied().filter(|&p| p != NO_KEY)
    }

    /// Marks `id` and the undecided tokens between it and a dead prefix dead
    /// (and their classes: members of a class are alike); returns false.
    fn settle_dead(&mut self, id: u32, chain: &[u32]) -> bool {
        for &t in chain.iter().chain(std::iter::once(&id)) {
            self.state[t as usize] = DEAD;
            match self.class(t) {
                Some(Class::Static(k)) => {
                    if let Some(slot) = self.by_static.get_mut(k as usize).filter(|s| **s == UNKNOWN) {
                        *slot = DEAD;
                    }
                }
                Some(Class::Dynamic) if !self.by_key.contains_key(&self.key) => {
                    self.by_key.insert(self.key.clone(), false);
                }
                Some(Class::Fixed(n)) => {
                    if let Some(slot) = self.by_fixed.get_mut(n).filter(|s| **s == UNKNOWN) {
                        *slot = DEAD;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Decides one token by its state, its class's memo or a check.
    fn resolve(&mut self, id: u32, check: &mut impl FnMut(&[u8]) -> bool) -> bool {
        match self.state[id as usize] {
            VIABLE => return true,
            DEAD => return false,
            _ => {}
        }
        let Some(class) = self.class(id) else { return true };
        let found = match class {
            Class::Static(k) => match self.by_static.get(k as usize) {
                Some(&VIABLE) => Some(true),
                Some(&DEAD) => Some(false),
                _ => None,
            },
            Class::Dynamic => {
                self.stats.dynamic += 1;
                self.by_key.get(&self.key).copied()
            }
            Class::Fixed(n) => match self.by_fixed.get(n) {
                Some(&VIABLE) => Some(true),
                Some(&DEAD) => Some(false),
                _ => None,
            },
        };
        let v = match found {
            Some(v) => v,
            None => {
                self.stats.checks += 1;
                let v = check(self.vocab.token(id));
                self.stats.dead += usize::from(!v);
                match class {
                    Class::Static(k) => {
                        if let Some(slot) = self.by_static.get_mut(k as usize) {
                            *slot = if v { VIABLE } else { DEAD };
                        }
                    }
                    Class::Dynamic => {
                        self.by_key.insert(self.key.clone(), v);
                    }
                    Class::Fixed(n) => {
                        if let Some(slot) = self.by_fixed.get_mut(n) {
                            *slot = if v { VIABLE } else { DEAD };
                        }
                    }
                }
                v
            }
        };
        self.settle(id, v);
        v
    }
}

const UNKNOWN: u8 = 0;
const VIABLE: u8 = 1;
const DEAD: u8 = 2;

/// A token's class at one step: its static key, or the dynamic key in
/// [`Step::key`].
#[derive(Clone, Copy)]
enum Class {
    Static(u32),
    Dynamic,
    /// One of a few classes known without a key ([`FIXED_CLASSES`]).
    Fixed(usize),
}

/// The fixed classes: a whole token inert in a comment or in a plain
/// string ([`Step::fixed_inert`]), and a word glued to one no known word
/// extends (by case).
const FIXED_COMMENT: usize = 0;
const FIXED_STRING: usize = 1;
const FIXED_NEW_LOWER: usize = 2;
const FIXED_NEW_UPPER: usize = 3;
const FIXED_CLASSES: usize = 4;

/// The known words: built-in ones and the program's own, each sorted.
struct Known<'a> {
    base: &'a [String],
    dynamic: &'a [String],
}

impl Known<'_> {
    fn contains(&self, word: &str) -> bool {
        self.base.binary_search_by(|b| b.as_str().cmp(word)).is_ok()
            || self.dynamic.binary_search_by(|b| b.as_str().cmp(word)).is_ok()
    }

    /// The known words `prefix` may grow into, as index ranges of both lists.
    fn extensions(&self, prefix: &str) -> [u32; 4] {
        let range = |list: &[String]| {
            let lo = list.partition_point(|w| w.as_str() < prefix);
            let n = list.get(lo..).unwrap_or(&[]).iter().take_while(|w| w.starts_with(prefix)).count();
            (lo as u32, (lo + n) as u32)
        };
        let (a, b) = range(self.base);
        let (c, d) = range(self.dynamic);
        // Empty ranges compare equal wherever they sit.
        let (a, b) = if a == b { (0, 0) } else { (a, b) };
        let (c, d) = if c == d { (0, 0) } else { (c, d) };
        [a, b, c, d]
    }
}

/// What a token's key depends on besides its own bytes.
struct Context<'a> {
    known: &'a Known<'a>,
    /// The (up to 3) bytes before the token, or before `glued` when there is one.
    before: &'a [u8],
    /// The line before the token holds only spaces.
    line_start: bool,
    /// The prefix's last word, which the token's first word continues.
    glued: &'a str,
}

/// Where a prefix ends, lexically, as far as token classes care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lexical {
    /// Code, or anything not recognised below (classes are exact there).
    Code,
    /// Inside a `--` comment.
    Comment,
    /// Inside a string literal that holds no escape and no interpolation so
    /// far, and not right after a `\` or `$`.
    PlainString,
}

/// The lexical context at the end of `prefix`. Strings, characters and
/// comments never span lines (LANGUAGE.md §1), so the last line decides.
/// Claims only what it is sure of: anything unusual (escapes, character
/// literals, interpolations) is [`Lexical::Code`], where keys are exact
/// anyway, only finer.
fn lexical_context(prefix: &[u8]) -> Lexical {
    let line = &prefix[prefix.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..];
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            // Comment text is inert right after the `--`: whether the
            // comment is a `---` documentation comment changes nothing a
            // continuation depends on (the parser only attaches its text
            // to the next item).
            b'-' if line.get(i + 1) == Some(&b'-') => return Lexical::Comment,
            b'\'' => return Lexical::Code,
            b'"' => {
                // Through the string: escapes are skipped whole; an
                // interpolation, or an escape cut by the end, is not plain.
                let mut j = i + 1;
                loop {
                    match line.get(j) {
                        None => return Lexical::PlainString,
                        Some(b'"') => break,
                        Some(b'$') => return Lexical::Code,
                        Some(b'\\') => match line.get(j + 1) {
                            None => return Lexical::Code,
                            Some(b'u') => match line.get(j + 2..).and_then(|r| r.iter().position(|b| *b == b'}')) {
                                Some(n) => j += 3 + n,
                                None => return Lexical::Code,
                            },
                            Some(_) => j += 2,
                        },
                        Some(_) => j += 1,
                    }
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    Lexical::Code
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The words (`[A-Za-z0-9_]+` runs) of a text.
fn words(text: &[u8]) -> impl Iterator<Item = &str> {
    text.split(|b| !is_word(*b)).filter(|w| !w.is_empty()).filter_map(|w| std::str::from_utf8(w).ok())
}

/// Indexes the letter-initial words of a token: complete ones, and the last
/// one if it ends the token.
fn index_words(bytes: &[u8], id: u32, by_complete: &mut HashMap<Box<str>, Vec<u32>>, by_last: &mut HashMap<Box<str>, Vec<u32>>) {
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) {
            i += 1;
            continue;
        }
        let end = bytes[i..].iter().position(|b| !is_word(*b)).map_or(bytes.len(), |n| i + n);
        if bytes[i].is_ascii_alphabetic() {
            if let Ok(word) = std::str::from_utf8(&bytes[i..end]) {
                let map = if end == bytes.len() { &mut *by_last } else { &mut *by_complete };
                let ids = map.entry(word.into()).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        }
        i = end;
    }
}

// Key bytes (the key is only compared, never read back).
const EXACT: u8 = 0x01;
const END: u8 = 0x02;
const NUMBER: u8 = 0x03;
const UNDERSCORE: u8 = 0x04;
const EXTENDS: u8 = 0x05;
const NEW_WORD: u8 = 0x06;
const KNOWN: u8 = 0x07;
const UNKNOWN_WORD: u8 = 0x08;
const ESCAPED: u8 = 0x09;
const AFTER_QUOTE: u8 = 0x0A;
const NON_ASCII: u8 = 0x80;
const IN_COMMENT: u8 = 0xC0;
const IN_STRING: u8 = 0xC1;
const CUT_CHAR: u8 = 0x81;
/// Comment text after the `--` that opens a comment.
const COMMENT_TEXT: u8 = 0x82;

/// Indentation runs longer than this are alike (see `token_key`).
const MAX_INDENT: usize = 18;

/// Digit runs at least this long are kept exactly (they may overflow).
const LONG_NUMBER: usize = 17;

/// Writes the key of `bytes` in `ctx` to `out`; false when the token has no
/// abstract key (it is not UTF-8 from its first byte).
fn token_key(ctx: &Context, bytes: &[u8], out: &mut Vec<u8>) -> bool {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => match std::str::from_utf8(&bytes[..e.valid_up_to()]) {
            Ok(t) => t,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    let cut = text.len() < bytes.len();
    // The last three bytes of the stream before the current position.
    let mut prev: [u8; 3] = [b'+'; 3];
    for (slot, b) in prev.iter_mut().rev().zip(ctx.before.iter().rev()) {
        *slot = *b;
    }
    let mut line_start = ctx.line_start && ctx.glued.is_empty();
    // The token itself began the current line (so a blank line here is
    // one the prefix's line does not share).
    let mut own_line = false;
    // A quote was seen: a `--` after it may be inside a literal.
    let mut quoted = false;
    let mut unknown: Vec<String> = Vec::new();
    let src = text.as_bytes();
    let mut i = 0;
    let mut merged = String::new();
    while i < src.len() {
        let b = src[i];
        if is_word(b) || (i == 0 && !ctx.glued.is_empty()) {
            let end = src[i..].iter().position(|c| !is_word(*c)).map_or(src.len(), |n| i + n);
            let piece = &text[i..end];
            let word: &str = if i == 0 && !ctx.glued.is_empty() {
                merged.clear();
                merged.push_str(ctx.glued);
                merged.push_str(piece);
                &merged
            } else {
                piece
            };
            let last = end == src.len() && !cut;
            word_key(ctx, word, last, prev, &mut unknown, out);
            for &c in &src[i..end] {
                shift(&mut prev, c);
            }
            line_start = false;
            i = end;
        } else if b == b' ' {
            let end = src[i..].iter().position(|c| *c != b' ').map_or(src.len(), |n| i + n);
            // Spaces before a line break or before a comment (outside a
            // literal) separate nothing that matters: layout ignores what
            // ends a line, and comment lines.
            let say_nothing = !quoted && (src.get(end) == Some(&b'\n') || src[end..].starts_with(b"--"));
            if say_nothing && !matches!(prev[2], b'\'' | b'\\') {
                // Nothing to key.
            } else if line_start {
                // Indentation: items and blocks sit at most at column 16
                // (8 blocks of 2), and any deeper line is a continuation,
                // so lengths past 18 are alike. Spaces that end the token
                // or the line constrain nothing (the line may still become
                // a comment line, or is a blank one; layout ignores both).
                if end < src.len() && src[end] != b'\n' {
                    out.push(EXACT);
                    out.extend(std::iter::repeat_n(b' ', (end - i).min(MAX_INDENT)));
                    out.push(END);
                }
            } else if matches!(prev[2], b'\'' | b'\\') {
                out.push(EXACT);
                out.extend_from_slice(&src[i..end]);
                out.push(END);
            } else {
                out.push(b' ');
            }
            for &c in &src[i..end] {
                shift(&mut prev, c);
            }
            i = end;
        } else if b == b'-' && src.get(i + 1) == Some(&b'-') && !quoted && !joins_minus(prev[2]) {
            // A comment: its text, up to a line break (or a tab or a
            // carriage return, which are errors), is inert, whatever it
            // holds. (Whether it is a `---` documentation comment changes
            // nothing a continuation depends on: the parser only attaches
            // its text to the next item.)
            out.extend_from_slice(b"--");
            let end = src[i + 2..].iter().position(|c| matches!(c, b'\n' | b'\t' | b'\r')).map_or(src.len(), |n| i + 2 + n);
            if end > i + 2 {
                out.push(COMMENT_TEXT);
            }
            for &c in &src[i..end] {
                shift(&mut prev, c);
            }
            line_start = false;
            i = end;
        } else if b.is_ascii() {
            quoted |= matches!(b, b'"' | b'\'');
            // A blank line the token holds is as if it were not there.
            if !(b == b'\n' && line_start && own_line) {
                out.push(b);
            }
            shift(&mut prev, b);
            line_start = b == b'\n';
            own_line |= line_start;
            i += 1;
        } else {
            // One placeholder per character; UTF-8 lead bytes start characters.
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push(NON_ASCII);
            shift(&mut prev, NON_ASCII);
            line_start = false;
            i += len;
        }
    }
    if cut {
        out.push(CUT_CHAR);
    }
    true
}

/// Whether a `-` after `b` may be read with it (`<-`, `--`, an exponent's
/// sign after a word, a character literal, an escape) rather than start a
/// comment with the `-` after it.
fn joins_minus(b: u8) -> bool {
    matches!(b, b'<' | b'-' | b'\'' | b'\\') || is_word(b)
}

fn shift(prev: &mut [u8; 3], b: u8) {
    prev.rotate_left(1);
    prev[2] = b;
}

/// The key of one word, `last` when it ends the token (and may still grow),
/// `prev` the three bytes before it.
fn word_key(ctx: &Context, word: &str, last: bool, prev: [u8; 3], unknown: &mut Vec<String>, out: &mut Vec<u8>) {
    let bytes = word.as_bytes();
    let Some(&first) = bytes.first() else { return };
    if &prev == b"\\u{" || (first.is_ascii_digit() && bytes.len() >= LONG_NUMBER) {
        out.push(EXACT);
        out.extend_from_slice(bytes);
        out.push(END);
        return;
    }
    let single = if bytes.len() == 1 { b'1' } else { b'n' };
    if prev[2] == b'\'' {
        // After an opening quote only the length matters (a character
        // literal holds one character); after a closing one, the word as
        // any other.
        out.push(AFTER_QUOTE);
        out.push(single);
    }
    if prev[2] == b'\\' {
        // An escape's letter, and whether more follows (`\u` must be
        // followed by `{`); after a lambda's `\`, the word as any other.
        out.push(ESCAPED);
        out.push(first);
        out.push(single);
    }
    if first.is_ascii_digit() {
        out.push(NUMBER);
        out.push(if first == b'0' { b'0' } else { b'1' });
        for &c in &bytes[1..] {
            out.push(match c {
                b'0'..=b'9' => b'1',
                b'e' | b'E' => b'e',
                b'_' => b'_',
                _ => b'a',
            });
        }
        out.push(END);
        return;
    }
    if first == b'_' {
        out.push(UNDERSCORE);
        out.push(if bytes.len() == 1 { b'1' } else { b'n' });
        return;
    }
    let case = if first.is_ascii_uppercase() { b'u' } else { b'l' };
    if last {
        let ext = ctx.known.extensions(word);
        if ext == [0; 4] {
            out.push(NEW_WORD);
            out.push(case);
        } else {
            out.push(EXTENDS);
            out.push(case);
            for n in ext {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        // The token's own unknown words it may grow into (`x -> x`).
        for (k, w) in unknown.iter().enumerate() {
            if w.starts_with(word) {
                out.push(k.min(255) as u8);
            }
        }
        out.push(END);
    } else if ctx.known.contains(word) {
        out.push(KNOWN);
        out.extend_from_slice(bytes);
        out.push(END);
    } else {
        let k = match unknown.iter().position(|w| *w == word) {
            Some(k) => k,
            None => {
                unknown.push(word.to_string());
                unknown.len() - 1
            }
        };
        out.push(UNKNOWN_WORD);
        out.push(case);
        out.push(k.min(255) as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_prefixes_agree_with_validation() {
        let samples: [&[u8]; 7] = [b"abc", "λx é".as_bytes(), b"\xce", b"a\xce\xbb\xff", "日本".as_bytes(), &"日本".as_bytes()[1..], b""];
        for bytes in samples {
            let valid = valid_up_to(bytes);
            for n in 0..=bytes.len() {
                assert_eq!(utf8_prefix(bytes, valid, n), std::str::from_utf8(&bytes[..n]).is_ok(), "{bytes:?}[..{n}]");
            }
        }
    }

    fn key_of(known: &[&str], before: &[u8], glued: &str, token: &str) -> Vec<u8> {
        let base: Vec<String> = {
            let mut b: Vec<String> = known.iter().map(|s| s.to_string()).collect();
            b.sort();
            b
        };
        let known = Known { base: &base, dynamic: &[] };
        let ctx = Context { known: &known, before, line_start: false, glued };
        let mut out = Vec::new();
        assert!(token_key(&ctx, token.as_bytes(), &mut out));
        out
    }

    #[test]
    fn unknown_words_share_a_key_known_ones_do_not() {
        let k = |t| key_of(&["map", "main"], b"+", "", t);
        assert_eq!(k(" the"), k(" foo"));
        assert_ne!(k(" the"), k(" Foo"));
        assert_ne!(k(" ma"), k(" foo"));
        assert_ne!(k(" ma"), k(" map"));
        assert_eq!(k("foo("), k("bar("));
        assert_ne!(k("map("), k("bar("));
        assert_ne!(k("a b"), k("a a"));
        assert_ne!(k("x -> y"), k("x -> x"));
        assert_eq!(k("x -> y"), k("x -> z"));
    }

    #[test]
    fn numbers_keep_their_lexical_shape() {
        let k = |t| key_of(&[], b"+", "", t);
        assert_eq!(k("12"), k("99"));
        assert_ne!(k("12"), k("123"));
        assert_ne!(k("12"), k("02"));
        assert_ne!(k("1e"), k("1x"));
        assert_eq!(k("1x"), k("1y"));
    }

    #[test]
    fn escapes_and_characters_stay_exact() {
        assert_ne!(key_of(&[], b"\"a\\", "", "n"), key_of(&[], b"\"a\\", "", "q"));
        assert_ne!(key_of(&[], b"\\u{", "", "1F"), key_of(&[], b"\\u{", "", "1G"));
        assert_ne!(key_of(&[], b"'", "", "a"), key_of(&[], b"'", "", "ab"));
        assert_eq!(key_of(&[], b"'", "", "ab"), key_of(&[], b"'", "", "cd"));
        assert_ne!(key_of(&[], b"\\", "", "u"), key_of(&[], b"\\", "", "uv"));
        assert_ne!(key_of(&[], b"+", "", "\"\\n"), key_of(&[], b"+", "", "\"\\q"));
        assert_ne!(key_of(&[], b"+", "", "' '"), key_of(&[], b"+", "", "'  '"));
    }

    #[test]
    fn glued_words_are_judged_whole() {
        let k = |g, t| key_of(&["foldl", "foldr"], b" ", g, t);
        assert_eq!(k("fo", "ld"), k("fol", "d"));
        assert_ne!(k("fo", "ld"), k("fo", "xx"));
        assert_eq!(k("zz", "ld"), k("zz", "xx"));
    }

    #[test]
    fn lexical_contexts_are_claimed_only_when_sure() {
        assert_eq!(lexical_context(b"x = 1 -- a \"note"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = 1 --"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = 1 ---"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = \"a -- b"), Lexical::PlainString);
        assert_eq!(lexical_context(b"x = \"a\" ++ \"b"), Lexical::PlainString);
        assert_eq!(lexical_context(b"x = \"a\" -- c"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = \"a\\"), Lexical::Code);
        assert_eq!(lexical_context(b"x = \"a\\n b"), Lexical::PlainString);
        assert_eq!(lexical_context(b"x = \"a\\u{41} b"), Lexical::PlainString);
        assert_eq!(lexical_context(b"x = \"a\\u{4"), Lexical::Code);
        assert_eq!(lexical_context(b"x = \"a\\\" -- c"), Lexical::PlainString);
        assert_eq!(lexical_context(b"x = 1 --:"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = 1 ----"), Lexical::Comment);
        assert_eq!(lexical_context(b"x = \"a ${y"), Lexical::Code);
        assert_eq!(lexical_context(b"x = '-"), Lexical::Code);
        assert_eq!(lexical_context(b"-- a\nx = 1"), Lexical::Code);
        assert_eq!(lexical_context(b"x = 1 - 2"), Lexical::Code);
    }

    #[test]
    fn spaces_collapse_except_for_indentation() {
        let k = |t| key_of(&[], b"+", "", t);
        assert_eq!(k("  ="), k(" ="));
        assert_ne!(k("\n  x"), k("\n x"));
        // Blank lines and indentation with nothing after it say nothing.
        assert_eq!(k("\n    "), k("\n"));
        assert_eq!(k("\n\n\n"), k("\n"));
        assert_eq!(k("\n  \n   "), k("\n"));
        assert_eq!(k("\n\n  x"), k("\n  x"));
        assert_eq!(k(" \n"), k("\n"));
        assert_eq!(k("x   \n"), k("x\n"));
        assert_eq!(k(" -- c\n"), k("-- d\n"));
        assert_eq!(k("\n    -- c"), k("\n-- c"));
        assert_ne!(k("\" \n"), k("\"\n"));
    }

    #[test]
    fn comment_text_is_one_mark() {
        let k = |t| key_of(&[], b"+", "", t);
        assert_eq!(k(" -------\n"), k(" ------------\n"));
        assert_eq!(k("-- note: x\n"), k("-- other text\n"));
        // A documentation comment is a comment like any other.
        assert_eq!(k("--- doc"), k("-- plain"));
        assert_ne!(k("--"), k("-- x"));
        // Inside a literal, `--` is no comment.
        assert_ne!(k("\"-- a\" 1"), k("\"-- a 1"));
        // A tab in a comment is an error: it stays.
        assert_ne!(k("-- a\tb"), k("-- ab"));
    }
}
