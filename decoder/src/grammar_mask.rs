//! Grammar masks by token classes: llguidance's mask over one
//! representative token per class, spread to the whole vocabulary.
//!
//! llguidance computes a mask by walking the tokenizer's token trie with
//! its lexer and parser. At most points of a Synoema program nearly every
//! token is allowed, so the walk visits nearly the whole trie: 0.2–0.5 ms
//! per mask on 49k–262k vocabularies, and a grammar of four lexemes that
//! allows everything costs more (`types_latency` prints that floor).
//! But the grammar tells few tokens apart: words only as keywords or not,
//! runs of spaces only as indentation. So the tokens fall into a few
//! thousand classes whose members are alike to the grammar
//! ([`Vocabulary::grammar_classes`], the oracle's token keys), and a walk
//! over one representative of each class decides them all.
//!
//! Key types: [`GrammarClasses`] (per tokenizer: for each context, the
//! classes and their members, and the grammar compiled over the
//! representatives of all of them) and [`ClassMasker`] (per generation: a
//! matcher over the representatives, fed the committed bytes when a mask
//! needs it).
//!
//! Usage pattern: [`grammar_classes`] once per compiled grammar, a
//! [`ClassMasker`] per generation, and [`ClassMasker::mask`] with the
//! committed bytes at each full mask; `None` means the prefix ends where
//! classes do not apply (inside a comment or a string, where llguidance's
//! own slices are fast; after a quote, a backslash, `<` or `-`; after a
//! word that may still grow into a keyword, or a number of more than three
//! digits), and the caller asks llguidance itself.
//!
//! `tests/class_masks.rs` compares these masks with llguidance's on corpus
//! replays under real tokenizers.

use crate::constraint::{per_grammar, PerGrammar};
use std::sync::{Arc, Mutex};
use synoema_grammar::{tok_env_from_vocab, CompiledGrammar, ConstraintError, GrammarConstraint, SimpleVob, TokenId};
use synoema_typeoracle::{grammar_context, GrammarContext, Vocabulary, NO_CLASS};

const CONTEXTS: [GrammarContext; 3] = [GrammarContext::Plain, GrammarContext::LineStart, GrammarContext::AfterNumber];

/// The representative vocabulary's layout: a token per byte (for feeding
/// the committed text), EOS, then the representatives of every context's
/// classes (one vocabulary for all contexts, so one matcher fed once).
const EOS: TokenId = 256;

/// A tokenizer's classes for the grammar, per context, and the grammar
/// compiled over their representatives.
pub struct GrammarClasses {
    grammar: Arc<CompiledGrammar>,
    contexts: Vec<ContextClasses>,
    /// The tokenizer's end-of-sequence tokens.
    eos: Vec<TokenId>,
    /// The tokens in no class (EOS and other special tokens).
    special: Vec<TokenId>,
    vocab_size: usize,
}

struct ContextClasses {
    /// The members of class `c`: `members[offsets[c]..offsets[c + 1]]`.
    offsets: Vec<u32>,
    members: Vec<TokenId>,
    /// The representative of class `c` in the grammar's vocabulary.
    reps: Vec<TokenId>,
}

impl GrammarClasses {
    /// Classifies the vocabulary of `compiled` in each context and compiles
    /// the grammar over the representatives.
    pub fn new(compiled: &CompiledGrammar, vocab: &Vocabulary) -> Result<GrammarClasses, ConstraintError> {
        let trie = compiled.tok_env().tok_trie();
        let mut words: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        words.push(b"<|end|>".to_vec());
        let mut contexts = Vec::new();
        let mut special = Vec::new();
        for ctx in CONTEXTS {
            let (class_of, count) = vocab.grammar_classes(ctx);
            if special.is_empty() {
                special = class_of.iter().enumerate().filter(|(_, c)| **c == NO_CLASS).map(|(t, _)| t as TokenId).collect();
            }
            // Counting sort of the tokens by class; the shortest member
            // represents its class (the walk is shorter).
            let mut offsets = vec![0u32; count + 1];
            for &c in class_of.iter().filter(|c| **c != NO_CLASS) {
                offsets[c as usize + 1] += 1;
            }
            for c in 0..count {
                offsets[c + 1] += offsets[c];
            }
            let mut fill = offsets.clone();
            let mut members = vec![0; offsets[count] as usize];
            let mut shortest: Vec<Option<&[u8]>> = vec![None; count];
            for (id, &c) in class_of.iter().enumerate().filter(|(_, c)| **c != NO_CLASS) {
                let c = c as usize;
                members[fill[c] as usize] = id as TokenId;
                fill[c] += 1;
                let bytes = trie.token(id as TokenId);
                if shortest[c].is_none_or(|r| bytes.len() < r.len()) {
                    shortest[c] = Some(bytes);
                }
            }
            let mut reps = Vec::with_capacity(count);
            for rep in shortest {
                reps.push(words.len() as TokenId);
                words.push(rep.unwrap_or(b"").to_vec());
            }
            contexts.push(ContextClasses { offsets, members, reps });
        }
        let mut is_special = vec![false; words.len()];
        is_special[EOS as usize] = true;
        let grammar = CompiledGrammar::new(tok_env_from_vocab(&words, &is_special, &[EOS])?)?;
        Ok(GrammarClasses { grammar, contexts, eos: trie.eos_tokens().to_vec(), special, vocab_size: trie.vocab_size() })
    }
}

/// The grammar classes of a compiled grammar's tokenizer, computed once
/// and shared while the grammar lives (like [`crate::vocabulary`]).
pub fn grammar_classes(compiled: &Arc<CompiledGrammar>) -> Result<Arc<GrammarClasses>, ConstraintError> {
    static CACHE: PerGrammar<GrammarClasses> = Mutex::new(Vec::new());
    per_grammar(&CACHE, compiled, || GrammarClasses::new(compiled, &crate::vocabulary(compiled)))
}

/// One generation's matcher over the representatives, with the bytes it
/// has been fed.
pub struct ClassMasker {
    classes: Arc<GrammarClasses>,
    matcher: Option<(GrammarConstraint, Vec<u8>)>,
}

impl ClassMasker {
    pub fn new(classes: Arc<GrammarClasses>) -> ClassMasker {
        ClassMasker { classes, matcher: None }
    }

    /// The grammar's mask after `prefix` (the committed bytes, which the
    /// grammar allowed), or `None` where classes do not apply.
    pub fn mask(&mut self, prefix: &[u8]) -> Result<Option<SimpleVob>, ConstraintError> {
        let Some(ctx) = grammar_context(prefix) else { return Ok(None) };
        let index = CONTEXTS.iter().position(|c| *c == ctx).unwrap_or(0);
        let classes = &self.classes.contexts[index];
        let grammar = &self.classes.grammar;
        let (matcher, fed) = self.matcher.get_or_insert_with(|| (GrammarConstraint::new(grammar), Vec::new()));
        // Bring the matcher to `prefix`: roll back what differs, feed the rest.
        let same = fed.iter().zip(prefix).take_while(|(a, b)| a == b).count();
        if same < fed.len() {
            matcher.rollback(fed.len() - same)?;
            fed.truncate(same);
        }
        let bytes: Vec<TokenId> = prefix[same..].iter().map(|&b| TokenId::from(b)).collect();
        matcher.commit_allowed_all(&bytes)?;
        fed.extend_from_slice(&prefix[same..]);
        let reps = matcher.compute_mask()?;
        let mut mask = SimpleVob::alloc_ones(self.classes.vocab_size);
        for (c, &rep) in classes.reps.iter().enumerate() {
            if !reps.is_allowed(rep) {
                let (from, to) = (classes.offsets[c] as usize, classes.offsets[c + 1] as usize);
                for &t in &classes.members[from..to] {
                    mask.disallow_token(t);
                }
            }
        }
        // Special tokens are never text; EOS follows the grammar.
        for &t in &self.classes.special {
            mask.disallow_token(t);
        }
        let eos_allowed = reps.is_allowed(EOS);
        for &t in &self.classes.eos {
            mask.set(t as usize, eos_allowed);
        }
        Ok(Some(mask))
    }
}
