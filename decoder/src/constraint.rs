//! The combined constraint: grammar masks from llguidance, narrowed by the
//! type oracle in `types` mode.
//!
//! In `types` mode a token is allowed when both the grammar and the oracle
//! allow it. Both are exact for parse-viability, so the grammar never
//! removes a token the oracle would keep; it is the cheap first filter, and
//! the oracle decides among the tokens it leaves.

use std::sync::{Arc, Mutex, Weak};
use synoema_grammar::{CompiledGrammar, ConstraintError, GrammarConstraint, SimpleVob, TokenConstraint, TokenId};
use crate::grammar_mask::{grammar_classes, ClassMasker};
use synoema_typeoracle::{MaskStats, Oracle, Request, RequestError, Vocabulary};

/// Which programs a constraint keeps reachable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// No constraint: every token and EOS are always allowed.
    None,
    /// The program can still parse (the exact Core 1 grammar).
    Grammar,
    /// The program can still parse, respect scope, type-check and meet the
    /// request.
    Types,
}

impl Mode {
    /// The mode's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Mode::None => "none",
            Mode::Grammar => "grammar",
            Mode::Types => "types",
        }
    }
}

/// One generation's constraint.
pub struct Constraint {
    compiled: Arc<CompiledGrammar>,
    /// Absent in [`Mode::None`].
    grammar: Option<GrammarConstraint>,
    /// Present in [`Mode::Types`] only.
    oracle: Option<Oracle>,
    /// The tokenizer's token classes, for full masks in [`Mode::Types`].
    vocabulary: Option<Arc<Vocabulary>>,
    /// What the last full mask's type layer did.
    last_mask: MaskStats,
    committed: usize,
    /// The last token [`TokenConstraint::check_token`] allowed at the
    /// current state: committing it needs no second check (a sampler
    /// checks its pick, then commits it).
    allowed: Option<TokenId>,
    /// The committed bytes, and their length before each commit.
    bytes: Vec<u8>,
    lengths: Vec<usize>,
    /// Grammar masks by token classes (`grammar_mask`), made at the first
    /// full mask; `Err` if the classes could not be made (then llguidance
    /// computes every mask).
    masker: Option<Result<ClassMasker, ()>>,
}

/// The token classes of a compiled grammar's tokenizer: computed once per
/// tokenizer (a fraction of a second for 128k tokens) and shared by every
/// constraint over it while it lives.
pub fn vocabulary(compiled: &Arc<CompiledGrammar>) -> Arc<Vocabulary> {
    static CACHE: PerGrammar<Vocabulary> = Mutex::new(Vec::new());
    let built = per_grammar(&CACHE, compiled, || {
        let trie = compiled.tok_env().tok_trie();
        let tokens: Vec<&[u8]> = (0..trie.vocab_size() as TokenId).map(|t| trie.token(t)).collect();
        let special = |id: usize| compiled.is_eos(id as TokenId) || tokens.get(id).and_then(|t| t.first()) == Some(&0xFF);
        Ok::<_, std::convert::Infallible>(Vocabulary::new(&tokens, special))
    });
    match built {
        Ok(vocab) => vocab,
        Err(never) => match never {},
    }
}

/// Tables built once per compiled grammar (per tokenizer), each kept while
/// its grammar lives.
pub(crate) type PerGrammar<T> = Mutex<Vec<(Weak<CompiledGrammar>, Arc<T>)>>;

/// The table of `cache` for `compiled`, built by `build` the first time.
pub(crate) fn per_grammar<T, E>(cache: &PerGrammar<T>, compiled: &Arc<CompiledGrammar>, build: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.retain(|(grammar, _)| grammar.strong_count() > 0);
    if let Some((_, table)) = cache.iter().find(|(grammar, _)| std::ptr::eq(grammar.as_ptr(), Arc::as_ptr(compiled))) {
        return Ok(table.clone());
    }
    let table = Arc::new(build()?);
    cache.push((Arc::downgrade(compiled), table.clone()));
    Ok(table)
}

/// Builds the tables a tokenizer's full masks use in `mode` (token classes
/// for the grammar and, in [`Mode::Types`], for the oracle), which the
/// first full mask would otherwise build; they stay cached for the
/// process while the grammar lives. A table that cannot be built is left
/// to the masks, which then do without it.
pub fn prepare_masks(compiled: &Arc<CompiledGrammar>, mode: Mode) {
    if mode != Mode::None {
        // Builds the oracle's `vocabulary` too.
        let _ = grammar_classes(compiled);
    }
}

fn error(message: impl std::fmt::Display) -> ConstraintError {
    ConstraintError { message: message.to_string() }
}

impl Constraint {
    /// A constraint at the start of a program. The request binds only in
    /// [`Mode::Types`]; a requested signature that does not parse is an
    /// error in every mode, so a typo is never silently ignored.
    pub fn new(compiled: Arc<CompiledGrammar>, mode: Mode, request: Request) -> Result<Constraint, RequestError> {
        let oracle = Oracle::new(request)?;
        let grammar = (mode != Mode::None).then(|| GrammarConstraint::new(&compiled));
        let oracle = (mode == Mode::Types).then_some(oracle);
        Ok(Constraint {
            compiled,
            grammar,
            oracle,
            vocabulary: None,
            last_mask: MaskStats::default(),
            committed: 0,
            allowed: None,
            bytes: Vec::new(),
            lengths: Vec::new(),
            masker: None,
        })
    }

    pub fn mode(&self) -> Mode {
        match (&self.grammar, &self.oracle) {
            (None, _) => Mode::None,
            (Some(_), None) => Mode::Grammar,
            (Some(_), Some(_)) => Mode::Types,
        }
    }

    /// The compiled grammar, and through it the tokenizer environment.
    pub fn compiled(&self) -> &Arc<CompiledGrammar> {
        &self.compiled
    }

    /// How many tokens are committed.
    pub fn len(&self) -> usize {
        self.committed
    }

    pub fn is_empty(&self) -> bool {
        self.committed == 0
    }

    /// Whether `token` may come next: EOS exactly at a complete program;
    /// any other token when the grammar and then the oracle allow it.
    fn decide(&mut self, token: TokenId) -> Result<bool, ConstraintError> {
        if self.compiled.is_eos(token) {
            return self.is_complete();
        }
        let Some(grammar) = &mut self.grammar else {
            return Ok(true);
        };
        if !grammar.check_token(token)? {
            return Ok(false);
        }
        let bytes = self.compiled.tok_env().tok_trie().token(token);
        Ok(self.oracle.as_mut().is_none_or(|oracle| oracle.check(bytes)))
    }

    /// What the type layer of the last full mask did (tokens decided, keys
    /// computed at that step, single-token checks run).
    pub fn last_mask_stats(&self) -> MaskStats {
        self.last_mask
    }

    /// The type oracle's counters (`types` mode only): among them how many
    /// prefixes it parsed and checked.
    pub fn oracle_stats(&self) -> Option<synoema_typeoracle::Stats> {
        self.oracle.as_ref().map(Oracle::stats)
    }
}

impl TokenConstraint for Constraint {
    fn compute_mask(&mut self) -> Result<SimpleVob, ConstraintError> {
        let Some(grammar) = &mut self.grammar else {
            return Ok(SimpleVob::alloc_ones(self.compiled.vocab_size()));
        };
        // Classes where they apply (code), llguidance's own walk elsewhere.
        let compiled = &self.compiled;
        let masker = self.masker.get_or_insert_with(|| grammar_classes(compiled).map(ClassMasker::new).map_err(|_| ()));
        let by_class = match masker {
            // The representatives' matcher is llguidance on bytes the grammar
            // has accepted; should it ever fail, llguidance's own walk takes
            // over for good.
            Ok(classes) => classes.mask(&self.bytes).unwrap_or_else(|_| {
                self.masker = Some(Err(()));
                None
            }),
            Err(()) => None,
        };
        let mut mask = match by_class {
            Some(mask) => mask,
            None => grammar.compute_mask()?,
        };
        if let Some(oracle) = &mut self.oracle {
            // One single-token check per class of tokens the oracle cannot
            // tell apart, among the tokens the grammar leaves.
            let vocab = self.vocabulary.get_or_insert_with(|| vocabulary(compiled)).clone();
            let (rejected, stats) = oracle.reject(&vocab, |id| mask.is_allowed(id));
            self.last_mask = stats;
            for token in rejected {
                mask.disallow_token(token);
            }
            let trie = compiled.tok_env().tok_trie();
            if !oracle.is_complete() {
                for &eos in trie.eos_tokens() {
                    mask.disallow_token(eos);
                }
            }
        }
        Ok(mask)
    }

    fn check_token(&mut self, token: TokenId) -> Result<bool, ConstraintError> {
        let ok = self.decide(token)?;
        if ok {
            self.allowed = Some(token);
        }
        Ok(ok)
    }

    fn commit_token(&mut self, token: TokenId) -> Result<(), ConstraintError> {
        if self.allowed.take() != Some(token) && !self.decide(token)? {
            return Err(error(format!("token {token} is not allowed here")));
        }
        // `decide` has run the grammar's check for this token at this prefix.
        if let Some(grammar) = &mut self.grammar {
            grammar.commit_allowed(token)?;
        }
        if self.grammar.is_some() {
            let bytes = self.compiled.tok_env().tok_trie().token(token);
            self.lengths.push(self.bytes.len());
            self.bytes.extend_from_slice(bytes);
            if let Some(oracle) = &mut self.oracle {
                oracle.commit(bytes);
            }
        }
        self.committed += 1;
        Ok(())
    }

    fn rollback(&mut self, n: usize) -> Result<(), ConstraintError> {
        self.allowed = None;
        if n > self.committed {
            return Err(error(format!("cannot roll back {n} tokens: only {} committed", self.committed)));
        }
        if let Some(grammar) = &mut self.grammar {
            grammar.rollback(n)?;
        }
        if let Some(oracle) = &mut self.oracle {
            oracle.rollback(n);
        }
        if n > 0 && self.grammar.is_some() {
            let at = self.lengths.len() - n;
            self.bytes.truncate(self.lengths[at]);
            self.lengths.truncate(at);
        }
        self.committed -= n;
        Ok(())
    }

    fn is_complete(&mut self) -> Result<bool, ConstraintError> {
        let Some(grammar) = &mut self.grammar else {
            return Ok(true);
        };
        Ok(grammar.is_complete()? && self.oracle.as_ref().is_none_or(Oracle::is_complete))
    }
}
