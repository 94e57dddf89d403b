//! Random programs drawn from the grammar, for differential tests.
//!
//! A random walk through the rules: alternatives and repetition counts are
//! chosen at random, and once the walk is deep enough (or long enough) it
//! takes the shortest way out, so every walk ends. Terminals are sampled
//! from their regular expressions. What comes out is a string of the
//! grammar's character-level language (the reading GBNF uses), so every
//! sample must parse with the reference parser.

use crate::core1;
use crate::ir::{Expr, Grammar, Rx};
use std::collections::HashMap;

/// A small deterministic generator (SplitMix64): samples are reproducible
/// from their seed and the library needs no dependency for them.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A small count: 0 most often, rarely more than 3.
    fn count(&mut self) -> u32 {
        let mut n = 0;
        while n < 6 && self.chance(40) {
            n += 1;
        }
        n
    }
}

/// Draws random programs from the Core 1 grammar.
pub struct Sampler {
    grammar: Grammar,
    /// Fewest terminals each rule can expand to (for the shortest way out).
    min_size: HashMap<String, u32>,
}

impl Default for Sampler {
    fn default() -> Self {
        Self::new()
    }
}

/// How deep a walk may nest rules before it heads for the exit.
const MAX_WALK_DEPTH: u32 = 40;

/// How long the text may grow before the walk heads for the exit.
const MAX_TEXT: usize = 600;

impl Sampler {
    pub fn new() -> Sampler {
        let grammar = core1::grammar();
        let min_size = min_sizes(&grammar);
        Sampler { grammar, min_size }
    }

    /// The program of random walk number `seed`.
    pub fn program(&self, seed: u64) -> String {
        let mut walk = Walk { s: self, rng: Rng(seed), out: String::new() };
        let start = self.grammar.rules.first().map(|(n, _)| n.clone()).unwrap_or_default();
        walk.rule(&start, 0);
        walk.out
    }
}

struct Walk<'s> {
    s: &'s Sampler,
    rng: Rng,
    out: String,
}

impl Walk<'_> {
    fn exiting(&self, depth: u32) -> bool {
        depth > MAX_WALK_DEPTH || self.out.len() > MAX_TEXT
    }

    fn rule(&mut self, name: &str, depth: u32) {
        if let Some(body) = self.s.grammar.find_rule(name) {
            let body = body.clone();
            self.expr(&body, depth + 1);
        }
    }

    fn size(&self, e: &Expr) -> u32 {
        expr_size(e, &self.s.min_size)
    }

    fn expr(&mut self, e: &Expr, depth: u32) {
        let exiting = self.exiting(depth);
        match e {
            Expr::Lit(s) => self.out.push_str(s),
            Expr::Term(n) => {
                if let Some(rx) = self.s.grammar.find_terminal(n) {
                    let rx = rx.clone();
                    self.rx(&rx);
                }
            }
            Expr::Rule(n) => self.rule(n, depth),
            Expr::Seq(items) => items.iter().for_each(|i| self.expr(i, depth)),
            Expr::Alt(items) => {
                let pick = if exiting {
                    items.iter().enumerate().min_by_key(|(_, i)| self.size(i)).map_or(0, |(k, _)| k)
                } else {
                    self.rng.below(items.len())
                };
                if let Some(item) = items.get(pick) {
                    self.expr(item, depth);
                }
            }
            Expr::Opt(inner) => {
                if !exiting && self.rng.chance(50) {
                    self.expr(inner, depth);
                }
            }
            Expr::Star(inner) => {
                let n = if exiting { 0 } else { self.rng.count() };
                (0..n).for_each(|_| self.expr(inner, depth));
            }
            Expr::Plus(inner) => {
                let n = if exiting { 1 } else { 1 + self.rng.count() };
                (0..n).for_each(|_| self.expr(inner, depth));
            }
            Expr::Rep(inner, min, max) => {
                let span = max.saturating_sub(*min) as usize + 1;
                let n = if exiting { *min } else { *min + self.rng.below(span.min(4)) as u32 };
                (0..n).for_each(|_| self.expr(inner, depth));
            }
        }
    }

    fn rx(&mut self, rx: &Rx) {
        match rx {
            Rx::Lit(s) => self.out.push_str(s),
            Rx::Class(ranges, negated) => {
                let c = self.class_char(ranges, *negated);
                self.out.push(c);
            }
            Rx::Seq(items) => items.iter().for_each(|i| self.rx(i)),
            Rx::Alt(items) => {
                let pick = self.rng.below(items.len());
                if let Some(item) = items.get(pick) {
                    self.rx(item);
                }
            }
            Rx::Star(inner) => (0..self.rng.count()).for_each(|_| self.rx(inner)),
            Rx::Plus(inner) => (0..1 + self.rng.count()).for_each(|_| self.rx(inner)),
            Rx::Opt(inner) => {
                if self.rng.chance(50) {
                    self.rx(inner);
                }
            }
            Rx::Rep(inner, min, max) => {
                let extra = match max {
                    Some(max) => self.rng.below((max - min) as usize + 1) as u32,
                    None => self.rng.count(),
                };
                (0..min + extra).for_each(|_| self.rx(inner));
            }
            Rx::Name(excluded) => {
                let name = loop {
                    let name = self.name();
                    if !excluded.contains(&name.as_str()) {
                        break name;
                    }
                };
                self.out.push_str(&name);
            }
        }
    }

    /// A name, often close to a keyword so that the exclusion is exercised.
    fn name(&mut self) -> String {
        const NEAR: &[&str] = &["x", "xs", "f", "types", "tested", "true_x", "data", "map", "t", "truex", "whenever"];
        if self.rng.chance(60) {
            return NEAR[self.rng.below(NEAR.len())].to_string();
        }
        let first = (b'a' + self.rng.below(26) as u8) as char;
        let mut s = first.to_string();
        for _ in 0..self.rng.count() {
            const TAIL: &[u8] = b"abcXYZ019_";
            s.push(TAIL[self.rng.below(TAIL.len())] as char);
        }
        s
    }

    fn class_char(&mut self, ranges: &[(char, char)], negated: bool) -> char {
        if negated {
            // Candidates include quotes, escapes, non-ASCII and control text.
            const POOL: &[char] = &['a', 'Z', ' ', '0', '"', '\'', '\\', '$', '{', '}', '-', 'é', '→', '\t', '😀'];
            let ok: Vec<char> = POOL
                .iter()
                .copied()
                .filter(|c| !ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(c)) && *c != '\n')
                .collect();
            return ok.get(self.rng.below(ok.len())).copied().unwrap_or('a');
        }
        let Some(&(lo, hi)) = ranges.get(self.rng.below(ranges.len())) else {
            return 'a';
        };
        let span = (hi as u32).saturating_sub(lo as u32) as usize + 1;
        char::from_u32(lo as u32 + self.rng.below(span) as u32).unwrap_or(lo)
    }
}

/// Fewest terminals of each rule, by fixpoint iteration.
fn min_sizes(g: &Grammar) -> HashMap<String, u32> {
    let mut sizes: HashMap<String, u32> = HashMap::new();
    loop {
        let mut changed = false;
        for (name, body) in &g.rules {
            let s = expr_size(body, &sizes);
            if sizes.get(name).is_none_or(|&old| s < old) {
                sizes.insert(name.clone(), s);
                changed = true;
            }
        }
        if !changed {
            return sizes;
        }
    }
}

/// Fewest terminals of an expression; rules not yet sized count as huge.
fn expr_size(e: &Expr, sizes: &HashMap<String, u32>) -> u32 {
    const HUGE: u32 = 1 << 20;
    match e {
        Expr::Lit(_) | Expr::Term(_) => 1,
        Expr::Rule(n) => sizes.get(n).copied().unwrap_or(HUGE),
        Expr::Seq(items) => items.iter().map(|i| expr_size(i, sizes)).fold(0, |a, b| a.saturating_add(b).min(HUGE)),
        Expr::Alt(items) => items.iter().map(|i| expr_size(i, sizes)).min().unwrap_or(HUGE),
        Expr::Opt(_) | Expr::Star(_) => 0,
        Expr::Plus(inner) => expr_size(inner, sizes),
        Expr::Rep(inner, min, _) => expr_size(inner, sizes).saturating_mul(*min).min(HUGE),
    }
}
