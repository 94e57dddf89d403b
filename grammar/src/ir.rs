//! The grammar as data: rules over terminals, rendered by [`crate::lark`]
//! and [`crate::gbnf`] and walked by [`crate::sample`].
//!
//! One description serves every export, so the Lark and GBNF texts cannot
//! drift apart. Rules use only sequence, alternation and the repetition
//! operators (`?`, `*`, `+`, `{m,n}`): no rule is left-recursive, which
//! llama.cpp's GBNF sampler cannot handle, and repetitions are what
//! llguidance compiles most efficiently.
//!
//! Terminals are regular expressions ([`Rx`]). In Lark they become lexemes;
//! in GBNF, which has no lexer, they become character-level rules. The
//! grammar is written so that both readings accept the same language: every
//! place where two lexemes would merge if written without a space has a
//! mandatory gap (see `core1.rs`).

/// How an export spells the leaves of a rule: literals and rule or terminal
/// names. Everything else about a rule (sequence, alternation, repetition,
/// where parentheses go) is written the same way in Lark and GBNF, by
/// [`Expr::render`].
pub(crate) struct Spelling {
    pub(crate) lit: fn(&str) -> String,
    pub(crate) name: fn(&str) -> String,
}

impl Expr {
    /// The alternatives of a rule body, each rendered on its own.
    pub(crate) fn alternatives(&self, sp: &Spelling) -> Vec<String> {
        match self {
            Expr::Alt(items) => items.iter().map(|e| e.render(sp, false)).collect(),
            other => vec![other.render(sp, false)],
        }
    }

    /// A rule expression; `nested` asks for parentheses around a sequence.
    pub(crate) fn render(&self, sp: &Spelling, nested: bool) -> String {
        match self {
            Expr::Lit(s) => (sp.lit)(s),
            Expr::Term(n) | Expr::Rule(n) => (sp.name)(n),
            Expr::Seq(items) => {
                let s: Vec<String> = items.iter().map(|i| i.render(sp, true)).collect();
                if nested && items.len() > 1 {
                    format!("({})", s.join(" "))
                } else {
                    s.join(" ")
                }
            }
            Expr::Alt(items) => {
                let s: Vec<String> = items.iter().map(|i| i.render(sp, false)).collect();
                format!("({})", s.join(" | "))
            }
            Expr::Opt(inner) => format!("{}?", inner.render_atom(sp)),
            Expr::Star(inner) => format!("{}*", inner.render_atom(sp)),
            Expr::Plus(inner) => format!("{}+", inner.render_atom(sp)),
            Expr::Rep(inner, min, max) => format!("{}{{{min},{max}}}", inner.render_atom(sp)),
        }
    }

    /// An expression that a postfix operator can apply to.
    fn render_atom(&self, sp: &Spelling) -> String {
        match self {
            Expr::Lit(_) | Expr::Term(_) | Expr::Rule(_) | Expr::Alt(_) => self.render(sp, true),
            Expr::Seq(items) if items.len() == 1 => items[0].render_atom(sp),
            _ => format!("({})", self.render(sp, false)),
        }
    }
}

/// A rule body.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A literal lexeme written inline (`"->"`, `"true"`).
    Lit(&'static str),
    /// A named terminal.
    Term(String),
    /// A named rule.
    Rule(String),
    Seq(Vec<Expr>),
    Alt(Vec<Expr>),
    Opt(Box<Expr>),
    Star(Box<Expr>),
    Plus(Box<Expr>),
    /// Between `min` and `max` repetitions, both inclusive.
    Rep(Box<Expr>, u32, u32),
}

/// A terminal's regular expression.
#[derive(Clone, Debug)]
pub enum Rx {
    Lit(String),
    /// A character class: inclusive ranges, negated when the flag is set.
    /// A negated class never matches a line break (every class that needs
    /// to exclude other characters lists them).
    Class(Vec<(char, char)>, bool),
    Seq(Vec<Rx>),
    Alt(Vec<Rx>),
    Star(Box<Rx>),
    Plus(Box<Rx>),
    Opt(Box<Rx>),
    /// Between `min` and `max` (unbounded when `None`) repetitions.
    Rep(Box<Rx>, u32, Option<u32>),
    /// `[a-z][A-Za-z0-9_]*` except the listed words (keywords).
    Name(Vec<&'static str>),
}

/// A whole grammar: rules (the first is the start rule) and terminals.
#[derive(Clone, Debug, Default)]
pub struct Grammar {
    pub rules: Vec<(String, Expr)>,
    pub terminals: Vec<(String, Rx)>,
}

impl Grammar {
    pub fn rule(&mut self, name: impl Into<String>, body: Expr) {
        self.rules.push((name.into(), body));
    }

    pub fn terminal(&mut self, name: &str, rx: Rx) {
        self.terminals.push((name.to_string(), rx));
    }

    pub fn find_rule(&self, name: &str) -> Option<&Expr> {
        self.rules.iter().find(|(n, _)| n == name).map(|(_, e)| e)
    }

    pub fn find_terminal(&self, name: &str) -> Option<&Rx> {
        self.terminals.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }
}

// Short constructors, so that rules in `core1.rs` read like the EBNF.

pub fn lit(s: &'static str) -> Expr {
    Expr::Lit(s)
}

pub fn t(name: impl Into<String>) -> Expr {
    Expr::Term(name.into())
}

pub fn r(name: impl Into<String>) -> Expr {
    Expr::Rule(name.into())
}

pub fn seq(items: Vec<Expr>) -> Expr {
    Expr::Seq(items)
}

pub fn alt(items: Vec<Expr>) -> Expr {
    Expr::Alt(items)
}

pub fn opt(e: Expr) -> Expr {
    Expr::Opt(Box::new(e))
}

pub fn star(e: Expr) -> Expr {
    Expr::Star(Box::new(e))
}

pub fn plus(e: Expr) -> Expr {
    Expr::Plus(Box::new(e))
}

pub fn rep(e: Expr, min: u32, max: u32) -> Expr {
    Expr::Rep(Box::new(e), min, max)
}

pub fn rx_lit(s: &str) -> Rx {
    Rx::Lit(s.to_string())
}

pub fn rx_class(ranges: &[(char, char)]) -> Rx {
    Rx::Class(ranges.to_vec(), false)
}

pub fn rx_not(ranges: &[(char, char)]) -> Rx {
    Rx::Class(ranges.to_vec(), true)
}

pub fn rx_seq(items: Vec<Rx>) -> Rx {
    Rx::Seq(items)
}

pub fn rx_alt(items: Vec<Rx>) -> Rx {
    Rx::Alt(items)
}

pub fn rx_star(e: Rx) -> Rx {
    Rx::Star(Box::new(e))
}

pub fn rx_plus(e: Rx) -> Rx {
    Rx::Plus(Box::new(e))
}

pub fn rx_opt(e: Rx) -> Rx {
    Rx::Opt(Box::new(e))
}

pub fn rx_rep(e: Rx, min: u32, max: Option<u32>) -> Rx {
    Rx::Rep(Box::new(e), min, max)
}
