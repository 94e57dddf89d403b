//! The parser: tokens (layout already resolved) to an [`ast::Program`](crate::ast::Program).
//!
//! Hand-written recursive descent following the EBNF of LANGUAGE.md §3, with
//! operator-precedence parsing for binary operators. Binding powers, loosest
//! first (`BinOp::level` and `BinOp::assoc` in `ast.rs` hold the same table):
//!
//! | level | operators                 | assoc | parsed by                  |
//! |-------|---------------------------|-------|----------------------------|
//! | —     | `\p -> e`, `? c -> a : b` | —     | `parse_expr` (only where a full expression may stand) |
//! | 1     | `\|>`                     | left  | `parse_op_chain`           |
//! | 2     | `\|\|`                    | right | `parse_op_chain`           |
//! | 3     | `&&`                      | right | `parse_op_chain`           |
//! | 4     | `== != < > <= >=`         | none  | `parse_op_chain`           |
//! | 5     | `++ :`                    | right | `parse_op_chain`           |
//! | 6     | `+ -`                     | left  | `parse_op_chain`           |
//! | 7     | `* / %`                   | left  | `parse_op_chain`           |
//! | 8     | `**`                      | right | `parse_op_chain`           |
//! | 9     | `>>`                      | right | `parse_op_chain`           |
//! | 10    | prefix `-`                | —     | `parse_operand`            |
//! | 11    | application               | left  | `parse_operand`            |
//! | 12    | `.field` (no spaces)      | left  | `parse_field_access`       |
//!
//! `parse_op_chain` is a shunting-yard loop rather than recursion, so a long
//! chain of operators costs no stack. A conditional's then-branch is parsed
//! with `no_cons` set: a `:` outside brackets then ends the innermost open
//! then-branch instead of being a cons; brackets clear it again.
//!
//! Where the grammar needs more than one token of lookahead, the parser scans
//! ahead over the tokens without building anything (`Parser::scan_for`):
//! a `[` holding `|` at depth 0 is a comprehension, one holding `..` a range,
//! otherwise a list; a qualifier holding `<-` is a generator; a block item
//! holding `=` outside brackets is a definition or binding. A scan stops at
//! the end of the bracket or line, so nothing is parsed twice.
//!
//! Naming: `parse_x` parses an x that must be there and returns `PResult`,
//! `expect_x` reports an error when x is missing. An `Err(Reported)` means a
//! diagnostic is already pushed and unwinds to the nearest block statement
//! or top-level item, which skips to its end and stands an `Error` node in
//! its place. So one mistake gives one diagnostic, and later items are still
//! parsed.
//!
//! Negative numbers are never patterns: there are no negative literals, and
//! `f -1 = ...` would read as `f - 1`. Such a pattern is a syntax error with
//! a hint to bind a variable and compare.
//!
//! **Invariant:** every expression tree returned has height at most
//! [`MAX_HEIGHT`] and every pattern and type at most [`MAX_DEPTH`], so later
//! phases may recurse over the tree without exhausting the stack.

use super::token::{DocComment, Lexed, StrSeg, Token, TokenKind};
use crate::ast::*;
use crate::diagnostic::{Diagnostic, Kind};
use crate::span::Span;
use std::collections::{HashMap, HashSet};

/// Deepest nesting of brackets, lambdas, conditionals, patterns and types
/// the parser descends into before reporting "nested too deeply".
pub const MAX_DEPTH: u32 = 200;

/// Tallest expression tree the parser builds (operator chains and
/// applications nest the tree as brackets do).
pub const MAX_HEIGHT: u32 = 256;

/// Tuples hold 2 to this many components (LANGUAGE.md §4).
const MAX_TUPLE: usize = 8;

/// A diagnostic was pushed; unwind to the nearest statement or item.
#[derive(Debug)]
pub struct Reported;

type PResult<T> = Result<T, Reported>;

static EOF_TOKEN: Token = Token { kind: TokenKind::Eof, span: Span { start: 0, end: 0 } };

/// Parses lexed tokens. `lex_diags` are the lexer's diagnostics: a parse
/// error right next to one of them is a consequence and is not reported.
pub fn parse_tokens(src: &str, lexed: &Lexed, lex_diags: &[Diagnostic]) -> (Program, Vec<Diagnostic>) {
    let mut lex_errors: Vec<u32> = lex_diags.iter().map(|d| d.span.start).collect();
    lex_errors.sort_unstable();
    let mut p = Parser {
        src,
        item_start: 0,
        tokens: &lexed.tokens,
        pos: 0,
        docs: &lexed.docs,
        diags: Vec::new(),
        lex_errors,
        heights: Vec::new(),
        depth: 0,
        no_cons: false,
        in_interp: false,
        prefix: None,
    };
    let program = p.parse_program();
    (program, p.diags)
}

/// How to parse a prefix (see [`parse_prefix`]).
#[derive(Clone, Debug, Default)]
pub struct PrefixOptions {
    /// Offset of the right edge (the end of the prefix): an `Eof` token
    /// starting there is the edge.
    pub edge: u32,
    /// The span of a word at the edge that may still grow.
    pub partial: Option<Span>,
    /// The reading to take at each decision the edge leaves open, in the
    /// order the decisions are met (missing entries take reading 0).
    pub choices: Vec<usize>,
}

/// How a node on the open right spine may still be wrapped by text after
/// the edge (LANGUAGE.md §3 precedence): more field selections, more
/// arguments, or operators that take the node as their left operand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ext {
    /// A `.field` may follow (the node is the last atom, glued to the edge).
    pub field: bool,
    /// More arguments may follow (the node is an application operand).
    pub args: bool,
    /// The binary operators that may take the node as their left operand,
    /// one bit per [`BinOp`] (`1 << op as u32`). With `|>` among them the
    /// node's type is free: `x |> f` can have any type.
    pub ops: u32,
}

impl Ext {
    /// An expression after which `|>` may follow: its type is free.
    pub const FREE: Ext = Ext { field: false, args: false, ops: 1 << BinOp::Pipe as u32 };

    pub fn is_free(self) -> bool {
        self.ops & (1 << BinOp::Pipe as u32) != 0
    }

    pub fn allows(self, op: BinOp) -> bool {
        self.ops & (1 << op as u32) != 0
    }

    fn merge(&mut self, other: Ext) {
        self.field |= other.field;
        self.args |= other.args;
        self.ops |= other.ops;
    }
}

/// Every binary operator, for building [`Ext::ops`].
const ALL_BINOPS: [BinOp; 18] = [
    BinOp::Pipe, BinOp::Or, BinOp::And, BinOp::Eq, BinOp::Ne, BinOp::Lt, BinOp::Gt, BinOp::Le, BinOp::Ge,
    BinOp::Append, BinOp::Cons, BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Mod, BinOp::Pow,
    BinOp::Compose,
];

/// The operators that can wrap a node whose parent operator has level
/// `parent` (0 when the node starts an expression) and whose own operator
/// has level `own` (10 for an operand): looser than its own, tighter than
/// its parent's, plus equal levels where associativity groups that way.
fn wrapping_ops(parent: u8, own: u8, no_cons: bool) -> u32 {
    let assoc = |level: u8| ALL_BINOPS.iter().find(|op| op.level() == level).map(|op| op.assoc());
    let mut mask = 0;
    for op in ALL_BINOPS {
        let l = op.level();
        let fits = (parent < l && l < own)
            || (l == parent && assoc(parent) == Some(Assoc::Right))
            || (l == own && assoc(own) == Some(Assoc::Left));
        if fits && !(no_cons && op == BinOp::Cons) {
            mask |= 1 << op as u32;
        }
    }
    mask
}

/// What the parser found out about the right edge of a prefix.
#[derive(Clone, Debug, Default)]
pub struct PrefixTree {
    /// The nodes of the open right spine that may still be wrapped.
    pub spine: HashMap<NodeId, Ext>,
    /// Record literals left open: more fields may follow.
    pub open_records: HashSet<NodeId>,
    /// Comprehensions left open: later generators may bind the names their
    /// head uses.
    pub open_comps: HashSet<NodeId>,
    /// Name spans of equations whose parameter list is still open.
    pub open_eqs: Vec<Span>,
    /// The number of readings of each decision met, in order.
    pub arities: Vec<usize>,
    /// Places where the tree over-approximates what may follow (an open
    /// pattern or written type counts as unknown): sound, maybe incomplete.
    pub approximations: u32,
}

struct PrefixState {
    options: PrefixOptions,
    /// The name of the equation before the current item or statement at
    /// the current level: a growing name may still join its group.
    prev_eq: Option<String>,
    tree: PrefixTree,
    /// How often something missing was accepted because the edge came first.
    edge_hits: u32,
}

/// Parses the tokens of a prefix (from [`super::lexer::lex_prefix`]): reaching
/// the right edge where more is required completes the construct with
/// `ExprKind::Hole` (or an error pattern or type, which unify with
/// anything) instead of reporting it, so the tree of the unfinished item is
/// built. Every diagnostic returned is a dead end. Decisions the edge leaves
/// open (list or comprehension, generator or guard, definition or
/// expression, signature or equation, a growing name as written or fresh)
/// take the readings in `options.choices`; [`PrefixTree::arities`] tells
/// how many readings each had, so the caller can try them all.
pub fn parse_prefix(src: &str, lexed: &Lexed, options: PrefixOptions) -> (Program, Vec<Diagnostic>, PrefixTree) {
    let mut p = Parser {
        src,
        item_start: 0,
        tokens: &lexed.tokens,
        pos: 0,
        docs: &lexed.docs,
        diags: Vec::new(),
        lex_errors: Vec::new(),
        heights: Vec::new(),
        depth: 0,
        no_cons: false,
        in_interp: false,
        prefix: Some(Box::new(PrefixState { options, prev_eq: None, tree: PrefixTree::default(), edge_hits: 0 })),
    };
    let program = p.parse_program();
    let tree = p.prefix.take().map(|s| s.tree).unwrap_or_default();
    (program, p.diags, tree)
}

struct Parser<'t> {
    /// The source text, to tell whether two tokens are on one line.
    src: &'t str,
    /// Offset where the current item or block statement starts: a lexical
    /// error since then explains any syntax error that follows in it.
    item_start: u32,
    tokens: &'t [Token],
    pos: usize,
    docs: &'t [DocComment],
    diags: Vec<Diagnostic>,
    /// Start offsets of the lexer's diagnostics, sorted.
    lex_errors: Vec<u32>,
    /// Height of each expression built so far, indexed by its `NodeId`.
    heights: Vec<u32>,
    /// Current nesting depth (see [`MAX_DEPTH`]).
    depth: u32,
    /// Inside a then-branch, outside brackets: `:` ends the branch.
    no_cons: bool,
    /// Parsing the tokens of a `${...}` interpolation.
    in_interp: bool,
    /// Prefix mode (see [`parse_prefix`]).
    prefix: Option<Box<PrefixState>>,
}

fn starts_atom(kind: &TokenKind) -> bool {
    use TokenKind::*;
    matches!(
        kind,
        Lower(_) | Upper(_) | Int(_) | Float(_) | Char(_) | Str(_) | True | False | LParen | LBracket | LBrace
    )
}

fn starts_apat(kind: &TokenKind) -> bool {
    starts_atom(kind) || *kind == TokenKind::Underscore
}

fn starts_tatom(kind: &TokenKind) -> bool {
    use TokenKind::*;
    matches!(kind, Lower(_) | Upper(_) | LParen | LBracket | LBrace)
}

fn is_layout(kind: &TokenKind) -> bool {
    use TokenKind::*;
    matches!(kind, Newline | Indent | Dedent | Eof)
}

fn binop(kind: &TokenKind) -> Option<BinOp> {
    use TokenKind::*;
    Some(match kind {
        Pipe => BinOp::Pipe,
        OrOr => BinOp::Or,
        AndAnd => BinOp::And,
        EqEq => BinOp::Eq,
        NotEq => BinOp::Ne,
        Lt => BinOp::Lt,
        Gt => BinOp::Gt,
        Le => BinOp::Le,
        Ge => BinOp::Ge,
        PlusPlus => BinOp::Append,
        Colon => BinOp::Cons,
        Plus => BinOp::Add,
        Minus => BinOp::Sub,
        Star => BinOp::Mul,
        Slash => BinOp::Div,
        Percent => BinOp::Mod,
        StarStar => BinOp::Pow,
        Compose => BinOp::Compose,
        _ => return None,
    })
}

fn closer(open: &TokenKind) -> TokenKind {
    match open {
        TokenKind::LParen => TokenKind::RParen,
        TokenKind::LBracket => TokenKind::RBracket,
        _ => TokenKind::RBrace,
    }
}

/// Calls `f` on each direct sub-expression of an expression.
pub(crate) fn for_each_child(kind: &ExprKind, f: &mut dyn FnMut(&Expr)) {
    match kind {
        ExprKind::Var(_)
        | ExprKind::Con(_)
        | ExprKind::Lit(_)
        | ExprKind::Unit
        | ExprKind::Hole
        | ExprKind::Error => {}
        ExprKind::Lambda(_, body) | ExprKind::Neg(body) | ExprKind::Field(body, _) => f(body),
        ExprKind::Cond(a, b, c) => {
            f(a);
            f(b);
            f(c);
        }
        ExprKind::Binary(_, a, b) | ExprKind::App(a, b) | ExprKind::Range(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Tuple(es) | ExprKind::List(es) => es.iter().for_each(f),
        ExprKind::Comprehension(head, quals) => {
            f(head);
            for q in quals {
                match q {
                    Qual::Gen(_, e) | Qual::Guard(e) => f(e),
                }
            }
        }
        ExprKind::Record(fields) => fields.iter().for_each(|(_, e)| f(e)),
        ExprKind::Update(base, fields) => {
            f(base);
            fields.iter().for_each(|(_, e)| f(e));
        }
        ExprKind::Interp(parts) => {
            for part in parts {
                if let InterpPart::Expr(e) = part {
                    f(e);
                }
            }
        }
        ExprKind::Block(block) => {
            for stmt in &block.stmts {
                match stmt {
                    Stmt::Equation(eq) => f(&eq.body),
                    Stmt::Bind { body, .. } => f(body),
                    Stmt::Expr(e) => f(e),
                }
            }
            f(&block.result);
        }
    }
}

impl<'t> Parser<'t> {
    // ----- Tokens -----

    fn tok(&self) -> &'t Token {
        let tokens: &'t [Token] = self.tokens;
        tokens.get(self.pos).or(tokens.last()).unwrap_or(&EOF_TOKEN)
    }

    fn peek(&self) -> &'t TokenKind {
        &self.tok().kind
    }

    fn peek_at(&self, ahead: usize) -> &'t TokenKind {
        let tokens: &'t [Token] = self.tokens;
        tokens.get(self.pos + ahead).map_or(&TokenKind::Eof, |t| &t.kind)
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek() == kind
    }

    fn advance(&mut self) -> &'t Token {
        let tok = self.tok();
        if tok.kind != TokenKind::Eof && self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// Span of the last token consumed.
    fn prev_span(&self) -> Span {
        self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)).map_or(Span::at(0), |t| t.span)
    }

    fn span_from(&self, start: Span) -> Span {
        start.to(self.prev_span())
    }

    /// How the current token is named in "found X".
    fn found(&self) -> String {
        match self.peek() {
            TokenKind::Eof if self.in_interp => "the end of the interpolation".into(),
            other => other.describe(),
        }
    }

    // ----- Prefix mode -----

    /// In prefix mode, whether the current token is the right edge.
    fn at_edge(&self) -> bool {
        match &self.prefix {
            Some(state) => *self.peek() == TokenKind::Eof && self.tok().span.start >= state.options.edge,
            None => false,
        }
    }

    /// The edge stands for something missing: accept it, and count it.
    fn edge_hit(&mut self) {
        if let Some(state) = &mut self.prefix {
            state.edge_hits += 1;
        }
    }

    fn edge_hits(&self) -> u32 {
        self.prefix.as_ref().map_or(0, |s| s.edge_hits)
    }

    fn edge_span(&self) -> Span {
        Span::at(self.prefix.as_ref().map_or(0, |s| s.options.edge as usize))
    }

    /// Takes the reading of a decision with `n` readings that the edge
    /// leaves open (always 0 outside prefix mode).
    fn choose(&mut self, n: usize) -> usize {
        let Some(state) = &mut self.prefix else { return 0 };
        let i = state.tree.arities.len();
        state.tree.arities.push(n);
        state.options.choices.get(i).copied().unwrap_or(0).min(n.saturating_sub(1))
    }

    fn note_ext(&mut self, id: NodeId, ext: Ext) {
        if let Some(state) = &mut self.prefix {
            state.tree.spine.entry(id).or_default().merge(ext);
        }
    }

    fn approximate(&mut self) {
        if let Some(state) = &mut self.prefix {
            state.tree.approximations += 1;
        }
    }

    /// Whether `span` is the word at the edge that may still grow.
    fn is_partial(&self, span: Span) -> bool {
        self.prefix.as_ref().is_some_and(|s| s.options.partial == Some(span))
    }

    /// A name being defined that may still grow: as written, a fresh name
    /// that clashes with nothing, or the name of the equation before it
    /// (joining its group).
    fn maybe_fresh(&mut self, mut name: Ident) -> Ident {
        if !self.is_partial(name.span) {
            return name;
        }
        let prev = self.prefix.as_ref().and_then(|s| s.prev_eq.clone());
        let prev = prev.filter(|p| p.starts_with(&name.name) && *p != name.name);
        match self.choose(if prev.is_some() { 3 } else { 2 }) {
            1 => name.name.push('\u{1}'),
            2 => name.name = prev.unwrap_or_default(),
            _ => {}
        }
        name
    }

    /// Notes the equation (if any) just parsed at the current level.
    fn note_prev_eq(&mut self, name: Option<&str>) {
        if let Some(state) = &mut self.prefix {
            state.prev_eq = name.map(str::to_string);
        }
    }

    /// [`Parser::scan_for`], where a scan that runs into the edge leaves
    /// the decision open: then each of "none" and `targets` is a reading.
    fn scan_decide(&mut self, targets: &[TokenKind], stops: &[TokenKind]) -> Option<TokenKind> {
        let found = self.scan_for(targets, stops).cloned();
        if found.is_some() || self.prefix.is_none() || !self.scan_reaches_edge(stops) {
            return found;
        }
        match self.choose(targets.len() + 1) {
            0 => None,
            i => targets.get(i - 1).cloned(),
        }
    }

    /// Whether a [`Parser::scan_for`] from here ends at the edge rather than
    /// at a stop, a layout token or a bracket closing an enclosing one.
    fn scan_reaches_edge(&self, stops: &[TokenKind]) -> bool {
        let mut depth = 0u32;
        let tokens: &'t [Token] = self.tokens;
        let edge = self.prefix.as_ref().map_or(u32::MAX, |s| s.options.edge);
        for tok in tokens.get(self.pos..).unwrap_or(&[]) {
            let kind = &tok.kind;
            if *kind == TokenKind::Eof {
                return tok.span.start >= edge;
            }
            if is_layout(kind) || (depth == 0 && stops.contains(kind)) {
                return false;
            }
            match kind {
                TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => depth += 1,
                TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        false
    }

    /// A pattern that decides a binding (a parameter, a generator's or a
    /// binding's pattern). In prefix mode one still open at the edge may
    /// grow in ways its tree cannot say (more constructor arguments, more
    /// tuple components), so it becomes an error pattern, which matches
    /// any type.
    fn parse_binding_pat(&mut self, apat: bool) -> PResult<Pat> {
        let hits = self.edge_hits();
        let last = self.pos;
        let pat = if apat { self.parse_apat()? } else { self.parse_pat()? };
        // A parameter pattern ended by the edge grows only through a word
        // that may still grow; a generator's pattern may also become a cons
        // or take constructor arguments.
        let growing_word = self.pos > last && self.is_partial(self.prev_span());
        let open_after = self.at_edge() && (!apat || growing_word);
        if self.prefix.is_some() && (self.edge_hits() > hits || open_after) {
            if !matches!(pat.kind, PatKind::Var(_) | PatKind::Wildcard | PatKind::Error) {
                self.approximate();
            }
            return Ok(Pat { kind: PatKind::Error, span: pat.span });
        }
        Ok(pat)
    }

    /// A written type (of a signature, an alias or a constructor field). In
    /// prefix mode one still open at the edge may grow (`Maybe` into
    /// `Maybe Int`, `Int` into `Int -> Int`), so it becomes the error type.
    fn parse_written_type(&mut self, tatom: bool) -> PResult<TypeExpr> {
        let hits = self.edge_hits();
        let ty = if tatom { self.parse_tatom()? } else { self.parse_type()? };
        if self.prefix.is_some() && (self.edge_hits() > hits || self.at_edge()) {
            return Ok(TypeExpr::Error(ty.span()));
        }
        Ok(ty)
    }

    /// Records the wrapping of the operand just parsed when it ends at the
    /// edge: its last atom may take fields (if nothing separates it from the
    /// edge) and the application may take more arguments.
    fn note_operand_edge(&mut self, app: NodeId, last_arg: Option<NodeId>) {
        let glued = self.prev_span().end >= self.edge_span().start;
        match last_arg {
            Some(arg) => {
                self.note_ext(arg, Ext { field: glued, ..Ext::default() });
                self.note_ext(app, Ext { args: true, ..Ext::default() });
            }
            None => self.note_ext(app, Ext { field: glued, args: true, ops: 0 }),
        }
    }

    // ----- Diagnostics -----

    /// Reports a syntax error unless it is the echo of a lexer error in the
    /// same item, before or right after the current token.
    fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) -> Reported {
        let lo = self.item_start;
        // The window ends at the first real token after the current one:
        // a layout token stands for the text up to the next line's start.
        let tokens: &[Token] = self.tokens;
        let hi = tokens
            .get(self.pos + 1..)
            .and_then(|rest| rest.iter().find(|t| !is_layout(&t.kind)))
            .map_or(u32::MAX, |t| t.span.end);
        let first = self.lex_errors.partition_point(|&s| s < lo);
        let echo = self.lex_errors.get(first).is_some_and(|&s| s <= hi);
        if !echo {
            let mut d = Diagnostic::new(Kind::Syntax, span, message);
            d.hint = hint;
            self.diags.push(d);
        }
        Reported
    }

    /// "expected X, found Y" at the current token.
    fn error_expected(&mut self, what: &str, hint: Option<String>) -> Reported {
        let message = format!("expected {what}, found {}", self.found());
        self.error(self.tok().span, message, hint)
    }

    fn expect(&mut self, kind: &TokenKind, hint: Option<&str>) -> PResult<Span> {
        if self.at(kind) {
            Ok(self.advance().span)
        } else if self.at_edge() {
            self.edge_hit();
            Ok(self.edge_span())
        } else {
            Err(self.error_expected(&format!("`{}`", kind.symbol()), hint.map(str::to_string)))
        }
    }

    /// The closing bracket for `open` (at `open_span`).
    fn expect_close(&mut self, open: &TokenKind, open_span: Span, hint: Option<&str>) -> PResult<Span> {
        let close = closer(open);
        if self.at(&close) {
            return Ok(self.advance().span);
        }
        if self.at_edge() {
            self.edge_hit();
            return Ok(self.edge_span());
        }
        if is_layout(self.peek()) && !self.in_interp {
            let message = format!("unclosed `{}`", open.symbol());
            let hint = format!("close it with `{}` before the end of the item", close.symbol());
            return Err(self.error(open_span, message, Some(hint)));
        }
        let hint = hint.map(str::to_string).or_else(|| self.hint_for_stray());
        Err(self.error_expected(&format!("`{}`", close.symbol()), hint))
    }

    /// A hint for a token that cannot continue the expression before it.
    fn hint_for_stray(&self) -> Option<String> {
        use TokenKind::*;
        Some(match self.peek() {
            Backslash => "a lambda used as an argument or operand needs parentheses: `(\\x -> ...)`".into(),
            Question => "a conditional used as an argument or operand needs parentheses: `(? c -> a : b)`".into(),
            Dot => "field access is written without spaces (`p.x`); function composition is `>>`".into(),
            Eq => "`=` defines a name; equality is `==`".into(),
            Comma => "a tuple needs parentheses: `(a, b)`".into(),
            Arrow => "`->` belongs to a lambda `\\x -> e` or a conditional `? c -> a : b`".into(),
            At => "`@` is reserved".into(),
            _ => return None,
        })
    }

    /// Reports a token that cannot follow a complete expression or item.
    fn unexpected(&mut self) -> Reported {
        let message = match self.peek() {
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                format!("unmatched {}", self.found())
            }
            _ => format!("expected the end of the line, found {}", self.found()),
        };
        let stray = self.hint_for_stray();
        let hint = if self.on_continuation_line() && (stray.is_none() || self.at(&TokenKind::Eq)) {
            Some(
                "this line is indented more than the item it follows, so it continues that item; \
                 indent it like the item to start a new one"
                    .to_string(),
            )
        } else {
            stray
        };
        self.error(self.tok().span, message, hint)
    }

    /// The current token is on a later line than the start of its item
    /// (layout tokens mark every other line start).
    fn on_continuation_line(&self) -> bool {
        let start = self.tok().span.start as usize;
        !self.in_interp && self.src.get(self.item_start as usize..start).is_some_and(|gap| gap.contains('\n'))
    }

    /// Skips to the end of the current statement or item: the next
    /// `Newline` or `Dedent` of the current block, stepping over nested
    /// blocks.
    fn sync(&mut self) {
        let mut level = 0u32;
        loop {
            match self.peek() {
                TokenKind::Eof => return,
                TokenKind::Newline | TokenKind::Dedent if level == 0 => return,
                TokenKind::Indent => level += 1,
                TokenKind::Dedent => level -= 1,
                _ => {}
            }
            self.advance();
        }
    }

    /// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_deep());
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Runs `f` with `no_cons` set to `value`, restoring it afterwards.
    fn with_no_cons<T>(&mut self, value: bool, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = std::mem::replace(&mut self.no_cons, value);
        let result = f(self);
        self.no_cons = saved;
        result
    }

    /// Builds an expression node with a fresh id, enforcing [`MAX_HEIGHT`].
    fn node(&mut self, kind: ExprKind, span: Span) -> PResult<Expr> {
        let mut height = 0;
        for_each_child(&kind, &mut |e| {
            height = height.max(self.heights.get(e.id as usize).copied().unwrap_or(0));
        });
        let height = height + 1;
        if height > MAX_HEIGHT {
            let hint = Some("split the expression into smaller named definitions".to_string());
            return Err(self.error(span, "expression nested too deeply", hint));
        }
        let id = self.heights.len() as NodeId;
        self.heights.push(height);
        Ok(Expr { id, kind, span })
    }

    fn error_node(&mut self, span: Span) -> Expr {
        let id = self.heights.len() as NodeId;
        self.heights.push(1);
        Expr { id, kind: ExprKind::Error, span }
    }

    /// The joined `---` comments attached to the token at `offset`.
    fn doc_for(&self, offset: u32) -> Option<String> {
        let first = self.docs.partition_point(|d| d.attaches_to < offset);
        let texts: Vec<&str> =
            self.docs[first..].iter().take_while(|d| d.attaches_to == offset).map(|d| d.text.as_str()).collect();
        (!texts.is_empty()).then(|| texts.join("\n"))
    }

    /// Looks ahead (without consuming) through the current statement or
    /// bracket for the first of `targets` at bracket depth 0. The scan ends
    /// at a closing bracket that closes an enclosing one, at a layout token,
    /// or at one of `stops` at depth 0.
    fn scan_for(&self, targets: &[TokenKind], stops: &[TokenKind]) -> Option<&'t TokenKind> {
        let mut depth = 0u32;
        let tokens: &'t [Token] = self.tokens;
        for tok in tokens.get(self.pos..).unwrap_or(&[]) {
            let kind = &tok.kind;
            if is_layout(kind) {
                return None;
            }
            if depth == 0 {
                if targets.contains(kind) {
                    return Some(kind);
                }
                if stops.contains(kind) {
                    return None;
                }
            }
            match kind {
                TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => depth += 1,
                TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                    if depth == 0 {
                        return None;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        None
    }

    fn ident(&mut self) -> Ident {
        let tok = self.advance();
        let name = match &tok.kind {
            TokenKind::Lower(n) | TokenKind::Upper(n) => n.clone(),
            _ => String::new(),
        };
        Ident { name, span: tok.span }
    }

    fn expect_lower(&mut self, what: &str) -> PResult<Ident> {
        match self.peek() {
            TokenKind::Lower(_) => Ok(self.ident()),
            _ if self.at_edge() => {
                self.edge_hit();
                Ok(Ident { name: String::new(), span: self.edge_span() })
            }
            _ => Err(self.error_expected(what, None)),
        }
    }

    fn expect_upper(&mut self, what: &str) -> PResult<Ident> {
        match self.peek() {
            TokenKind::Upper(_) => Ok(self.ident()),
            _ if self.at_edge() => {
                self.edge_hit();
                Ok(Ident { name: String::new(), span: self.edge_span() })
            }
            _ => Err(self.error_expected(what, None)),
        }
    }

    // ----- Items -----

    fn parse_program(&mut self) -> Program {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Eof => break,
                TokenKind::Newline | TokenKind::Dedent | TokenKind::Indent => {
                    self.advance();
                    continue;
                }
                _ => {}
            }
            let start = self.tok().span;
            let before = self.pos;
            self.no_cons = false;
            self.item_start = start.start;
            let item = match self.parse_item() {
                Ok(item) => {
                    self.note_prev_eq(match &item {
                        Item::Equation(eq) => Some(&eq.name.name),
                        _ => None,
                    });
                    if !matches!(self.peek(), TokenKind::Newline | TokenKind::Eof) {
                        self.unexpected();
                        self.sync();
                    }
                    item
                }
                Err(Reported) => {
                    self.sync();
                    Item::Error(self.span_from(start))
                }
            };
            items.push(item);
            if self.pos == before {
                self.advance();
            }
        }
        Program { items }
    }

    fn parse_item(&mut self) -> PResult<Item> {
        let doc = self.doc_for(self.tok().span.start);
        match self.peek() {
            TokenKind::Upper(_) => self.parse_typedef(doc),
            TokenKind::Type => self.parse_alias(doc),
            TokenKind::Test => self.parse_test(),
            TokenKind::Lower(_) if *self.peek_at(1) == TokenKind::Colon => self.parse_sig(doc),
            TokenKind::Lower(_) if self.prefix.is_some() && *self.peek_at(1) == TokenKind::Eof && self.choose(2) == 1 => {
                // The edge right after the name: `f` may start `f : type`.
                self.parse_sig(doc)
            }
            TokenKind::Lower(word) if word == "data" && matches!(self.peek_at(1), TokenKind::Upper(_)) => {
                let hint = Some("a type definition starts with the type's name: `Shape = Circle Float | Dot`".into());
                Err(self.error(self.tok().span, "`data` is not a keyword in Synoema", hint))
            }
            TokenKind::Lower(_) => Ok(Item::Equation(self.parse_equation(doc)?)),
            TokenKind::LParen | TokenKind::LBrace if self.scan_for(&[TokenKind::Eq], &[]).is_some() => {
                let hint = Some("pattern bindings are only allowed inside a block; use a function with a pattern parameter".into());
                Err(self.error(self.tok().span, "a top-level item cannot bind a pattern", hint))
            }
            _ => {
                let hint = Some(
                    "a top-level item is a definition `name params = body`, a signature `name : type`, a type definition or a test"
                        .to_string(),
                );
                Err(self.error_expected("a definition", hint))
            }
        }
    }

    /// `Shape = Circle Float | Rect Float Float`
    fn parse_typedef(&mut self, doc: Option<String>) -> PResult<Item> {
        let name = self.ident();
        let mut params = Vec::new();
        while let TokenKind::Lower(_) = self.peek() {
            params.push(self.ident());
        }
        self.expect(&TokenKind::Eq, Some("a type definition is `Name params = Variant fields | ...`"))?;
        let mut variants = vec![self.parse_variant()?];
        while self.eat(&TokenKind::Bar) {
            variants.push(self.parse_variant()?);
        }
        // In prefix mode a variant not yet named is not a variant yet.
        variants.retain(|v| !v.name.name.is_empty());
        let span = self.span_from(name.span);
        Ok(Item::TypeDef(TypeDef { name, params, variants, doc, span }))
    }

    fn parse_variant(&mut self) -> PResult<Variant> {
        let name = self.expect_upper("a constructor name")?;
        let mut fields = Vec::new();
        while starts_tatom(self.peek()) {
            fields.push(self.parse_written_type(true)?);
        }
        let span = self.span_from(name.span);
        Ok(Variant { name, fields, span })
    }

    /// `type Point = {x : Int, y : Int}`
    fn parse_alias(&mut self, doc: Option<String>) -> PResult<Item> {
        let start = self.advance().span;
        let name = self.expect_upper("a type name after `type`")?;
        let mut params = Vec::new();
        while let TokenKind::Lower(_) = self.peek() {
            params.push(self.ident());
        }
        self.expect(&TokenKind::Eq, Some("an alias is `type Name params = type`"))?;
        let ty = self.parse_written_type(false)?;
        let span = self.span_from(start);
        Ok(Item::Alias(Alias { name, params, ty, doc, span }))
    }

    /// `name : type`
    fn parse_sig(&mut self, doc: Option<String>) -> PResult<Item> {
        let name = self.ident();
        let name = self.maybe_fresh(name);
        self.advance();
        if self.at(&TokenKind::Colon) {
            let hint = Some(format!("a signature has one colon: `{} : Int -> Int`", name.name));
            return Err(self.error_expected("a type", hint));
        }
        let ty = self.parse_written_type(false)?;
        let span = self.span_from(name.span);
        Ok(Item::Sig(Sig { name, ty, doc, span }))
    }

    /// `test "name" = body`
    fn parse_test(&mut self) -> PResult<Item> {
        let start = self.advance().span;
        let tok = self.tok();
        if self.at_edge() {
            self.edge_hit();
            let body = self.node(ExprKind::Hole, self.edge_span())?;
            return Ok(Item::Test(Test { name: String::new(), name_span: self.edge_span(), body, span: start }));
        }
        let TokenKind::Str(segs) = &tok.kind else {
            return Err(self.error_expected("the test's name as a string", Some("a test is `test \"name\" = expr`".into())));
        };
        self.advance();
        let Some(name) = plain_string(segs) else {
            return Err(self.error(tok.span, "a test name cannot hold interpolations", None));
        };
        self.expect(&TokenKind::Eq, Some("a test is `test \"name\" = expr`"))?;
        let body = self.parse_body()?;
        let span = self.span_from(start);
        Ok(Item::Test(Test { name, name_span: tok.span, body, span }))
    }

    /// `name apat... = body`, at top level or in a block.
    fn parse_equation(&mut self, doc: Option<String>) -> PResult<Equation> {
        let name = self.ident();
        let name = self.maybe_fresh(name);
        let mut params = Vec::new();
        while starts_apat(self.peek()) {
            params.push(self.parse_binding_pat(true)?);
        }
        if self.at_edge() {
            // The parameters may go on: more of them, then `=` and a body.
            self.edge_hit();
            if let Some(state) = &mut self.prefix {
                state.tree.open_eqs.push(name.span);
            }
            let body = self.node(ExprKind::Hole, self.edge_span())?;
            let span = self.span_from(name.span);
            return Ok(Equation { name, params, body, doc, span });
        }
        if !self.at(&TokenKind::Eq) {
            let hint = match self.peek() {
                TokenKind::Minus => "negative numbers cannot be patterns; bind a variable and compare it",
                _ if params.is_empty() => "a definition is `name params = body`",
                _ => "a definition is `name params = body`; parameters are patterns, and a constructor with arguments needs parentheses",
            };
            return Err(self.error_expected("`=`", Some(hint.into())));
        }
        self.advance();
        let body = self.parse_body()?;
        let span = self.span_from(name.span);
        Ok(Equation { name, params, body, doc, span })
    }

    /// An expression, or a block when the `=` ended its line.
    fn parse_body(&mut self) -> PResult<Expr> {
        if self.at(&TokenKind::Indent) {
            self.parse_block()
        } else {
            self.parse_expr()
        }
    }

    // ----- Blocks -----

    fn parse_block(&mut self) -> PResult<Expr> {
        self.advance();
        let outer_start = self.item_start;
        let outer_prev = self.prefix.as_mut().and_then(|s| s.prev_eq.take());
        let mut stmts = Vec::new();
        loop {
            let start = self.tok().span;
            self.no_cons = false;
            self.item_start = start.start;
            let stmt = match self.parse_stmt() {
                Ok(stmt) => {
                    self.note_prev_eq(match &stmt {
                        Stmt::Equation(eq) => Some(&eq.name.name),
                        _ => None,
                    });
                    if !is_layout(self.peek()) {
                        self.unexpected();
                        self.sync();
                    }
                    stmt
                }
                Err(Reported) => {
                    self.sync();
                    let span = self.span_from(start);
                    Stmt::Expr(self.error_node(span))
                }
            };
            stmts.push(stmt);
            match self.peek() {
                TokenKind::Newline => {
                    self.advance();
                }
                TokenKind::Dedent => {
                    self.advance();
                    break;
                }
                _ => break,
            }
        }
        self.item_start = outer_start;
        self.note_prev_eq(outer_prev.as_deref());
        let first = stmts.first().map_or(self.prev_span(), Stmt::span);
        let span = first.to(stmts.last().map_or(first, Stmt::span));
        // A block open at the edge may get more statements: what is written
        // last may yet be an effect statement, and the value comes later.
        let open = self.at_edge();
        let result = match stmts.pop() {
            Some(last) if open => {
                stmts.push(last);
                self.node(ExprKind::Hole, self.edge_span())?
            }
            Some(Stmt::Expr(e)) => e,
            Some(other) => {
                let hint = Some("add the block's value as its last line".into());
                self.error(other.span(), "a block must end with an expression", hint);
                let end = Span::at(other.span().end as usize);
                stmts.push(other);
                self.error_node(end)
            }
            None => self.error_node(span),
        };
        self.node(ExprKind::Block(Block { stmts, result: Box::new(result), span }), span)
    }

    /// A block item: an equation, a pattern binding or an expression.
    fn parse_stmt(&mut self) -> PResult<Stmt> {
        let doc = self.doc_for(self.tok().span.start);
        if self.scan_decide(&[TokenKind::Eq], &[]).is_none() {
            return Ok(Stmt::Expr(self.parse_expr()?));
        }
        match self.peek() {
            TokenKind::Lower(_) => Ok(Stmt::Equation(self.parse_equation(doc)?)),
            TokenKind::LParen | TokenKind::LBrace => {
                let pat = self.parse_binding_pat(true)?;
                if matches!(pat.kind, PatKind::Error) {
                    // Open at the edge: `=` and the body come later.
                    let body = self.node(ExprKind::Hole, self.edge_span())?;
                    let span = pat.span;
                    return Ok(Stmt::Bind { pat, body, span });
                }
                if !matches!(pat.kind, PatKind::Tuple(_) | PatKind::Record(_)) {
                    let hint = Some("only tuple and record patterns can be bound with `=`".into());
                    return Err(self.error(pat.span, "expected a tuple or record pattern", hint));
                }
                self.expect(&TokenKind::Eq, None)?;
                let body = self.parse_body()?;
                let span = pat.span.to(body.span);
                Ok(Stmt::Bind { pat, body, span })
            }
            _ => {
                let hint = Some("a definition starts with its name; only tuple and record patterns can be bound".into());
                Err(self.error_expected("a name or a pattern before `=`", hint))
            }
        }
    }

    // ----- Expressions -----

    /// A full expression: a lambda, a conditional or an operator expression.
    fn parse_expr(&mut self) -> PResult<Expr> {
        match self.peek() {
            TokenKind::Backslash | TokenKind::Question => self.parse_lambda_or_cond(),
            _ => self.parse_opexpr(),
        }
    }

    #[inline(never)]
    fn parse_lambda_or_cond(&mut self) -> PResult<Expr> {
        let no_cons = self.no_cons;
        self.enter()?;
        // Unlike a bracket, a lambda or conditional keeps the context's
        // cons-freedom (LANGUAGE.md §3 `thenexpr`).
        self.no_cons = no_cons;
        let result = if self.at(&TokenKind::Backslash) { self.parse_lambda() } else { self.parse_cond() };
        self.leave(no_cons);
        result
    }

    fn parse_lambda(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        let mut params = Vec::new();
        while starts_apat(self.peek()) {
            params.push(self.parse_binding_pat(true)?);
        }
        if params.is_empty() && self.at_edge() {
            params.push(Pat { kind: PatKind::Error, span: self.edge_span() });
        }
        if params.is_empty() {
            return Err(self.error_expected("a parameter after `\\`", Some("a lambda is `\\x y -> body`".into())));
        }
        self.expect(&TokenKind::Arrow, Some("a lambda is `\\x y -> body`"))?;
        let body = self.parse_expr()?;
        let span = start.to(body.span);
        self.node(ExprKind::Lambda(params, Box::new(body)), span)
    }

    fn parse_cond(&mut self) -> PResult<Expr> {
        const HINT: &str = "a conditional is `? cond -> then : else`";
        let start = self.advance().span;
        let cond = self.parse_expr()?;
        self.expect(&TokenKind::Arrow, Some(HINT))?;
        let then = self.with_no_cons(true, |p| p.parse_expr())?;
        if self.at_edge() {
            self.edge_hit();
            let other = self.node(ExprKind::Hole, self.edge_span())?;
            let span = start.to(other.span);
            return self.node(ExprKind::Cond(Box::new(cond), Box::new(then), Box::new(other)), span);
        }
        if !self.at(&TokenKind::Colon) {
            let hint = "a conditional is `? cond -> then : else`; the `: else` line may start at the conditional's indentation";
            return Err(self.error_expected("`:` and the else branch", Some(hint.into())));
        }
        self.advance();
        let other = self.parse_expr()?;
        let span = start.to(other.span);
        self.node(ExprKind::Cond(Box::new(cond), Box::new(then), Box::new(other)), span)
    }

    /// Operands joined by binary operators (shunting-yard, see module docs).
    fn parse_opexpr(&mut self) -> PResult<Expr> {
        let first = self.parse_operand()?;
        match binop(self.peek()) {
            None => {
                if self.at_edge() {
                    // Whatever follows, `|> f` may: the type is free.
                    self.note_ext(first.id, Ext::FREE);
                }
                Ok(first)
            }
            Some(BinOp::Cons) if self.no_cons => Ok(first),
            Some(_) => self.parse_op_chain(first),
        }
    }

    /// The operators after a first operand.
    #[inline(never)]
    fn parse_op_chain(&mut self, first: Expr) -> PResult<Expr> {
        let mut operands = vec![first];
        let mut ops: Vec<BinOp> = Vec::new();
        while let Some(op) = binop(self.peek()) {
            if op == BinOp::Cons && self.no_cons {
                break;
            }
            let op_span = self.tok().span;
            while let Some(&top) = ops.last() {
                let reduce = top.level() > op.level() || (top.level() == op.level() && op.assoc() == Assoc::Left);
                if top.level() == op.level() && op.assoc() == Assoc::None {
                    return Err(self.chain_error(op_span));
                }
                if !reduce {
                    break;
                }
                self.reduce(&mut operands, &mut ops)?;
            }
            self.advance();
            ops.push(op);
            operands.push(self.parse_operand()?);
        }
        let open = self.at_edge();
        let stack: Vec<u8> = ops.iter().map(|op| op.level()).collect();
        if open {
            // The last operand: its parent is the last operator.
            if let Some(last) = operands.last() {
                let ext = Ext { ops: wrapping_ops(stack.last().copied().unwrap_or(0), 10, self.no_cons), ..Ext::default() };
                self.note_ext(last.id, ext);
            }
        }
        let mut depth = stack.len();
        while !ops.is_empty() {
            self.reduce(&mut operands, &mut ops)?;
            if open {
                // The node just built sits on the right spine.
                depth -= 1;
                let own = stack.get(depth).copied().unwrap_or(10);
                let parent = depth.checked_sub(1).and_then(|d| stack.get(d)).copied().unwrap_or(0);
                if let Some(node) = operands.last() {
                    let ext = Ext { ops: wrapping_ops(parent, own, self.no_cons), ..Ext::default() };
                    self.note_ext(node.id, ext);
                }
            }
        }
        Ok(operands.pop().unwrap_or_else(|| self.error_node(Span::at(0))))
    }

    fn reduce(&mut self, operands: &mut Vec<Expr>, ops: &mut Vec<BinOp>) -> PResult<()> {
        let (Some(op), Some(rhs), Some(lhs)) = (ops.pop(), operands.pop(), operands.pop()) else {
            return Ok(());
        };
        let span = lhs.span.to(rhs.span);
        let e = self.node(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span)?;
        operands.push(e);
        Ok(())
    }

    /// `["-"] app`, where `app = postfix {postfix}` and
    /// `postfix = atom {.field}`. One function for the three levels keeps
    /// the frames of the recursive descent few; node building happens in
    /// small helpers outside it (see `atom_error`).
    fn parse_operand(&mut self) -> PResult<Expr> {
        let minus = if self.at(&TokenKind::Minus) { Some(self.advance().span) } else { None };
        let mut f = self.parse_atom()?;
        f = self.parse_field_access(f)?;
        let mut last_arg = None;
        while starts_atom(self.peek()) {
            let arg = self.parse_atom()?;
            let arg = self.parse_field_access(arg)?;
            last_arg = Some(arg.id);
            f = self.mk_app(f, arg)?;
        }
        if self.at_edge() {
            self.note_operand_edge(f.id, last_arg);
        }
        match minus {
            Some(start) => self.mk_neg(start, f),
            None => Ok(f),
        }
    }

    /// `atom {.field}`, for list elements and range bounds.
    fn parse_postfix(&mut self) -> PResult<Expr> {
        let e = self.parse_atom()?;
        self.parse_field_access(e)
    }

    #[inline(never)]
    fn mk_app(&mut self, f: Expr, arg: Expr) -> PResult<Expr> {
        let span = f.span.to(arg.span);
        self.node(ExprKind::App(Box::new(f), Box::new(arg)), span)
    }

    #[inline(never)]
    fn mk_neg(&mut self, start: Span, e: Expr) -> PResult<Expr> {
        let span = start.to(e.span);
        self.node(ExprKind::Neg(Box::new(e)), span)
    }

    /// `{.field}` after an atom, with no spaces around the dot.
    #[inline(never)]
    fn parse_field_access(&mut self, mut e: Expr) -> PResult<Expr> {
        while self.at(&TokenKind::Dot) {
            let dot = self.tok().span;
            let next = self.tokens.get(self.pos + 1);
            let edge_next = self.prefix.as_ref().is_some_and(|s| {
                next.is_some_and(|t| t.kind == TokenKind::Eof && t.span.start >= s.options.edge)
            });
            if edge_next && dot.start == self.prev_span().end {
                // `p.` at the edge: some field name follows.
                self.advance();
                self.edge_hit();
                let field = Ident { name: String::new(), span: self.edge_span() };
                let span = e.span.to(dot);
                e = self.node(ExprKind::Field(Box::new(e), field), span)?;
                continue;
            }
            let glued = dot.start == self.prev_span().end && next.is_some_and(|t| t.span.start == dot.end);
            let is_field = matches!(next.map(|t| &t.kind), Some(TokenKind::Lower(_)));
            if !glued || !is_field {
                return Err(self.dot_error(dot, glued));
            }
            self.advance();
            let field = self.ident();
            let span = e.span.to(field.span);
            e = self.node(ExprKind::Field(Box::new(e), field), span)?;
        }
        Ok(e)
    }

    fn parse_atom(&mut self) -> PResult<Expr> {
        if self.at_edge() {
            self.edge_hit();
            return self.node(ExprKind::Hole, self.edge_span());
        }
        match self.peek() {
            TokenKind::LParen => self.parse_paren(),
            TokenKind::LBracket => self.parse_list(),
            TokenKind::LBrace => self.parse_record(),
            _ => self.parse_simple_atom(),
        }
    }

    /// An atom without brackets: a name or a literal.
    #[inline(never)]
    fn parse_simple_atom(&mut self) -> PResult<Expr> {
        let tok = self.tok();
        let lit = |l: Lit| ExprKind::Lit(l);
        let kind = match &tok.kind {
            TokenKind::Lower(n) => ExprKind::Var(n.clone()),
            TokenKind::Upper(n) => ExprKind::Con(n.clone()),
            TokenKind::Int(i) => lit(Lit::Int(*i)),
            TokenKind::Float(f) => lit(Lit::Float(*f)),
            TokenKind::Char(c) => lit(Lit::Char(*c)),
            TokenKind::True => lit(Lit::Bool(true)),
            TokenKind::False => lit(Lit::Bool(false)),
            TokenKind::Str(segs) => {
                self.advance();
                return self.parse_string(segs, tok.span);
            }
            _ => return Err(self.atom_error()),
        };
        self.advance();
        self.node(kind, tok.span)
    }

    /// Enters a bracket: one nesting level deeper, with cons allowed again.
    /// Returns the `no_cons` to restore in `Parser::leave`.
    fn enter(&mut self) -> PResult<bool> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_deep());
        }
        self.depth += 1;
        Ok(std::mem::replace(&mut self.no_cons, false))
    }

    fn leave(&mut self, no_cons: bool) {
        self.depth -= 1;
        self.no_cons = no_cons;
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self) -> Reported {
        let hint = Some("split the expression into smaller named definitions".to_string());
        self.error(self.tok().span, "nested too deeply", hint)
    }

    // Error paths live in their own functions, out of the frames of the
    // recursive descent: in unoptimised builds every temporary of a
    // function takes stack space, and deep nesting multiplies it.
    #[cold]
    #[inline(never)]
    fn atom_error(&mut self) -> Reported {
        let span = self.tok().span;
        match self.peek() {
            TokenKind::Backslash => {
                let hint = Some("write `(\\x -> ...)` when a lambda is an argument or an operand".into());
                self.error(span, "a lambda needs parentheses here", hint)
            }
            TokenKind::Question => {
                let hint = Some("write `(? c -> a : b)` when a conditional is an argument or an operand".into());
                self.error(span, "a conditional needs parentheses here", hint)
            }
            TokenKind::Minus => {
                let hint = Some("a negative argument or list element needs parentheses: `f (-1)`, `[(-1) 2]`".into());
                self.error_expected("an expression", hint)
            }
            TokenKind::At => self.error(span, "`@` is reserved", None),
            _ => self.error_expected("an expression", None),
        }
    }

    #[cold]
    #[inline(never)]
    fn tuple_error(&mut self, span: Span) -> Reported {
        let hint = Some("use a record or a nested tuple".to_string());
        self.error(span, format!("a tuple has at most {MAX_TUPLE} components"), hint)
    }

    #[cold]
    #[inline(never)]
    fn chain_error(&mut self, span: Span) -> Reported {
        let hint = Some("comparisons do not chain; write `a < b && b < c`".to_string());
        self.error(span, "comparison operators cannot be chained", hint)
    }

    #[cold]
    #[inline(never)]
    fn dot_error(&mut self, dot: Span, glued: bool) -> Reported {
        let hint = if glued {
            "a field name starts with a lowercase letter"
        } else {
            "field access is written without spaces (`p.x`); function composition is `>>`"
        };
        self.error(dot, "misplaced `.`", Some(hint.into()))
    }

    /// A string literal: plain text, or an interpolation whose `${...}`
    /// token lists are parsed as expressions.
    fn parse_string(&mut self, segs: &'t [StrSeg], span: Span) -> PResult<Expr> {
        if let Some(text) = plain_string(segs) {
            return self.node(ExprKind::Lit(Lit::Str(text)), span);
        }
        let mut parts = Vec::new();
        for seg in segs {
            match seg {
                StrSeg::Text(t) if t.is_empty() => {}
                StrSeg::Text(t) => parts.push(InterpPart::Text(t.clone())),
                StrSeg::Interp(tokens, inner) => parts.push(InterpPart::Expr(self.parse_interpolation(tokens, *inner)?)),
            }
        }
        self.node(ExprKind::Interp(parts), span)
    }

    fn parse_interpolation(&mut self, tokens: &'t [Token], span: Span) -> PResult<Expr> {
        let saved = (self.tokens, self.pos, self.no_cons, self.in_interp);
        self.tokens = tokens;
        self.pos = 0;
        self.no_cons = false;
        self.in_interp = true;
        let result = if self.at_edge() {
            self.node(ExprKind::Hole, self.edge_span())
        } else if self.at(&TokenKind::Eof) {
            let hint = Some("write an expression between the braces, or `\\$` for a dollar sign".into());
            Err(self.error(span, "empty interpolation `${}`", hint))
        } else {
            self.nested(|p| {
                let e = p.parse_expr()?;
                if p.at(&TokenKind::Eof) {
                    Ok(e)
                } else {
                    let hint = p.hint_for_stray();
                    Err(p.error_expected("`}` to end the interpolation", hint))
                }
            })
        };
        (self.tokens, self.pos, self.no_cons, self.in_interp) = saved;
        result
    }

    fn parse_paren(&mut self) -> PResult<Expr> {
        let open = self.advance().span;
        if self.at(&TokenKind::RParen) {
            let close = self.advance().span;
            return self.node(ExprKind::Unit, open.to(close));
        }
        let no_cons = self.enter()?;
        let result = self.parse_paren_inside(open);
        self.leave(no_cons);
        result
    }

    fn parse_paren_inside(&mut self, open: Span) -> PResult<Expr> {
        let first = self.parse_expr()?;
        if !self.at(&TokenKind::Comma) {
            if self.at_edge() {
                // `(e` may still become a tuple: its type is left free.
                self.note_open_group(first.id);
            }
            self.expect_close(&TokenKind::LParen, open, None)?;
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(&TokenKind::Comma) {
            items.push(self.parse_expr()?);
        }
        let unclosed = self.at_edge();
        let close = self.expect_close(&TokenKind::LParen, open, None)?;
        let span = open.to(close);
        if items.len() > MAX_TUPLE {
            return Err(self.tuple_error(span));
        }
        let tuple = self.node(ExprKind::Tuple(items), span)?;
        if unclosed {
            self.note_open_group(tuple.id);
        }
        Ok(tuple)
    }

    /// An unclosed `(e` or `(a, b`: more components may follow, so the
    /// node's type is left free (counted as an approximation unless the
    /// expression inside is free anyway).
    fn note_open_group(&mut self, id: NodeId) {
        let free = self.prefix.as_ref().is_some_and(|s| s.tree.spine.get(&id).is_some_and(|e| e.is_free()));
        if !free {
            self.approximate();
        }
        self.note_ext(id, Ext::FREE);
    }

    /// `[]`, `[a b c]`, `[a..b]` or `[e | quals]`.
    fn parse_list(&mut self) -> PResult<Expr> {
        let open = self.advance().span;
        if self.at(&TokenKind::RBracket) {
            let close = self.advance().span;
            return self.node(ExprKind::List(Vec::new()), open.to(close));
        }
        let no_cons = self.enter()?;
        let result = self.parse_list_inside(open);
        self.leave(no_cons);
        result
    }

    /// Tells a list from a range and a comprehension by looking ahead for
    /// `|` or `..` at bracket depth 0.
    fn parse_list_inside(&mut self, open: Span) -> PResult<Expr> {
        match self.scan_decide(&[TokenKind::Bar, TokenKind::DotDot], &[]) {
            Some(TokenKind::Bar) => self.parse_comprehension(open),
            Some(_) => self.parse_range(open),
            None => {
                let mut items: Vec<Expr> = Vec::new();
                while starts_atom(self.peek()) {
                    items.push(self.parse_postfix()?);
                }
                if self.at_edge() {
                    // More elements may follow; the last may take fields.
                    self.edge_hit();
                    if let Some(last) = items.last() {
                        let glued = self.prev_span().end >= self.edge_span().start;
                        self.note_ext(last.id, Ext { field: glued, ..Ext::default() });
                    }
                    let span = open.to(self.edge_span());
                    return self.node(ExprKind::List(items), span);
                }
                if !self.at(&TokenKind::RBracket) {
                    return Err(self.list_error(open));
                }
                let close = self.advance().span;
                self.node(ExprKind::List(items), open.to(close))
            }
        }
    }

    fn parse_range(&mut self, open: Span) -> PResult<Expr> {
        let from = self.parse_postfix()?;
        self.expect(&TokenKind::DotDot, Some("a range is `[a..b]` with simple bounds; parenthesise others"))?;
        let to = self.parse_postfix()?;
        if self.at_edge() {
            let glued = self.prev_span().end >= self.edge_span().start;
            self.note_ext(to.id, Ext { field: glued, ..Ext::default() });
        }
        let close = self.expect_close(&TokenKind::LBracket, open, None)?;
        self.node(ExprKind::Range(Box::new(from), Box::new(to)), open.to(close))
    }

    #[cold]
    #[inline(never)]
    fn list_error(&mut self, open: Span) -> Reported {
        let hint = if self.at(&TokenKind::Minus) {
            Some("a negative list element needs parentheses: `[(-1) 2]`")
        } else if binop(self.peek()).is_some() {
            Some("list elements are separated by spaces; an element with an operator needs parentheses: `[(a + 1) b]`")
        } else if self.at(&TokenKind::Comma) {
            Some("list elements are separated by spaces, not commas: `[1 2 3]`")
        } else {
            None
        };
        match self.expect_close(&TokenKind::LBracket, open, hint) {
            Err(reported) => reported,
            Ok(_) => Reported,
        }
    }

    fn parse_comprehension(&mut self, open: Span) -> PResult<Expr> {
        let head = self.parse_expr()?;
        self.expect(&TokenKind::Bar, None)?;
        let mut quals = vec![self.parse_qual()?];
        while self.eat(&TokenKind::Comma) {
            quals.push(self.parse_qual()?);
        }
        let unclosed = self.at_edge();
        let close = self.expect_close(&TokenKind::LBracket, open, None)?;
        let comp = self.node(ExprKind::Comprehension(Box::new(head), quals), open.to(close))?;
        if let (true, Some(state)) = (unclosed, &mut self.prefix) {
            state.tree.open_comps.insert(comp.id);
        }
        Ok(comp)
    }

    /// `pat <- expr` or a guard expression.
    fn parse_qual(&mut self) -> PResult<Qual> {
        if self.scan_decide(&[TokenKind::LArrow], &[TokenKind::Comma]).is_some() {
            let pat = self.parse_binding_pat(false)?;
            self.expect(&TokenKind::LArrow, None)?;
            Ok(Qual::Gen(pat, self.parse_expr()?))
        } else {
            Ok(Qual::Guard(self.parse_expr()?))
        }
    }

    /// `{x = 1, y}` or `{...e, x = v}`.
    fn parse_record(&mut self) -> PResult<Expr> {
        let open = self.advance().span;
        if self.at(&TokenKind::RBrace) {
            let hint = Some("a record needs at least one field; `()` is the empty value".into());
            return Err(self.error(open.to(self.tok().span), "empty record `{}`", hint));
        }
        let no_cons = self.enter()?;
        let result = self.parse_record_inside(open);
        self.leave(no_cons);
        result
    }

    fn parse_record_inside(&mut self, open: Span) -> PResult<Expr> {
        let base = if self.eat(&TokenKind::Ellipsis) { Some(self.parse_expr()?) } else { None };
        let mut fields = Vec::new();
        if base.is_none() || self.eat(&TokenKind::Comma) {
            fields.push(self.parse_record_field()?);
            while self.eat(&TokenKind::Comma) {
                fields.push(self.parse_record_field()?);
            }
        }
        let unclosed = self.at_edge();
        let close = self.expect_close(&TokenKind::LBrace, open, None)?;
        let is_record = base.is_none();
        let kind = match base {
            Some(base) => ExprKind::Update(Box::new(base), fields),
            None => ExprKind::Record(fields),
        };
        let node = self.node(kind, open.to(close))?;
        if let (true, true, Some(state)) = (unclosed, is_record, &mut self.prefix) {
            state.tree.open_records.insert(node.id);
        }
        Ok(node)
    }

    fn parse_record_field(&mut self) -> PResult<(Ident, Expr)> {
        let name = self.expect_lower("a field name")?;
        if name.name.is_empty() || self.at_edge() {
            // A field whose name may still grow, or that may still get
            // `= value`: it is only known to be some further field, which
            // an open record allows (a nameless field is skipped).
            let hole = self.node(ExprKind::Hole, self.edge_span())?;
            return Ok((Ident { name: String::new(), span: name.span }, hole));
        }
        if self.at(&TokenKind::Colon) {
            let hint = Some(format!("a record field is written `{} = value`; `:` is for record types", name.name));
            return Err(self.error_expected("`=`, `,` or `}`", hint));
        }
        if self.eat(&TokenKind::Eq) {
            Ok((name, self.parse_expr()?))
        } else {
            let var = self.node(ExprKind::Var(name.name.clone()), name.span)?;
            Ok((name, var))
        }
    }

    // ----- Patterns -----

    /// `UPPER apat {apat} | apat ":" pat | apat`
    fn parse_pat(&mut self) -> PResult<Pat> {
        self.nested(|p| {
            if matches!(p.peek(), TokenKind::Upper(_)) && starts_apat(p.peek_at(1)) {
                let name = p.ident();
                let mut args = Vec::new();
                while starts_apat(p.peek()) {
                    args.push(p.parse_apat()?);
                }
                let span = p.span_from(name.span);
                if p.at(&TokenKind::Colon) {
                    let hint = Some(format!("wrap the constructor pattern in parentheses: `({} ...) : rest`", name.name));
                    return Err(p.error(p.tok().span, "a constructor pattern with arguments cannot be a cons head", hint));
                }
                return Ok(Pat { kind: PatKind::Con(name, args), span });
            }
            let head = p.parse_apat()?;
            if !p.eat(&TokenKind::Colon) {
                return Ok(head);
            }
            let tail = p.parse_pat()?;
            let span = head.span.to(tail.span);
            Ok(Pat { kind: PatKind::Cons(Box::new(head), Box::new(tail)), span })
        })
    }

    fn parse_apat(&mut self) -> PResult<Pat> {
        self.nested(|p| {
            let tok = p.tok();
            let lit = |l: Lit| PatKind::Lit(l);
            let kind = match &tok.kind {
                TokenKind::Underscore => PatKind::Wildcard,
                TokenKind::Lower(n) => PatKind::Var(n.clone()),
                TokenKind::Upper(_) => {
                    let name = p.ident();
                    return Ok(Pat { kind: PatKind::Con(name, Vec::new()), span: tok.span });
                }
                TokenKind::Int(i) => lit(Lit::Int(*i)),
                TokenKind::Float(f) => lit(Lit::Float(*f)),
                TokenKind::Char(c) => lit(Lit::Char(*c)),
                TokenKind::True => lit(Lit::Bool(true)),
                TokenKind::False => lit(Lit::Bool(false)),
                TokenKind::Str(segs) => match plain_string(segs) {
                    Some(text) => lit(Lit::Str(text)),
                    None => return Err(p.error(tok.span, "a string pattern cannot hold interpolations", None)),
                },
                TokenKind::LParen => return p.parse_paren_pat(),
                TokenKind::LBracket => return p.parse_list_pat(),
                TokenKind::LBrace => return p.parse_record_pat(),
                TokenKind::Minus => {
                    let hint = Some("bind a variable and compare it: `f n = ? n == -1 -> ... : ...`".into());
                    return Err(p.error(tok.span, "negative numbers cannot be patterns", hint));
                }
                _ if p.at_edge() => {
                    p.edge_hit();
                    return Ok(Pat { kind: PatKind::Error, span: p.edge_span() });
                }
                _ => return Err(p.error_expected("a pattern", None)),
            };
            p.advance();
            Ok(Pat { kind, span: tok.span })
        })
    }

    fn parse_paren_pat(&mut self) -> PResult<Pat> {
        let open = self.advance().span;
        if self.at(&TokenKind::RParen) {
            let close = self.advance().span;
            return Ok(Pat { kind: PatKind::Unit, span: open.to(close) });
        }
        let first = self.parse_pat()?;
        if !self.at(&TokenKind::Comma) {
            self.expect_close(&TokenKind::LParen, open, None)?;
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(&TokenKind::Comma) {
            items.push(self.parse_pat()?);
        }
        let close = self.expect_close(&TokenKind::LParen, open, None)?;
        let span = open.to(close);
        if items.len() > MAX_TUPLE {
            return Err(self.error(span, format!("a tuple has at most {MAX_TUPLE} components"), None));
        }
        Ok(Pat { kind: PatKind::Tuple(items), span })
    }

    fn parse_list_pat(&mut self) -> PResult<Pat> {
        let open = self.advance().span;
        let mut items = Vec::new();
        while starts_apat(self.peek()) {
            items.push(self.parse_apat()?);
        }
        let hint = self.at(&TokenKind::Colon).then_some("a cons pattern is written `(x : xs)`, without brackets");
        let close = self.expect_close(&TokenKind::LBracket, open, hint)?;
        Ok(Pat { kind: PatKind::List(items), span: open.to(close) })
    }

    fn parse_record_pat(&mut self) -> PResult<Pat> {
        let open = self.advance().span;
        let mut fields = Vec::new();
        loop {
            let name = self.expect_lower("a field name")?;
            let pat = if self.eat(&TokenKind::Eq) {
                self.parse_pat()?
            } else {
                Pat { kind: PatKind::Var(name.name.clone()), span: name.span }
            };
            fields.push((name, pat));
            if !self.eat(&TokenKind::Comma) {
                break;
            }
        }
        let close = self.expect_close(&TokenKind::LBrace, open, None)?;
        Ok(Pat { kind: PatKind::Record(fields), span: open.to(close) })
    }

    // ----- Types -----

    /// `btype ["->" type]`
    fn parse_type(&mut self) -> PResult<TypeExpr> {
        self.nested(|p| {
            let from = p.parse_btype()?;
            if p.eat(&TokenKind::Arrow) {
                let to = p.parse_type()?;
                return Ok(TypeExpr::Fun(Box::new(from), Box::new(to)));
            }
            Ok(from)
        })
    }

    fn parse_btype(&mut self) -> PResult<TypeExpr> {
        if let TokenKind::Upper(_) = self.peek() {
            let name = self.ident();
            let mut args = Vec::new();
            while starts_tatom(self.peek()) {
                args.push(self.parse_tatom()?);
            }
            return Ok(TypeExpr::Con(name, args));
        }
        self.parse_tatom()
    }

    fn parse_tatom(&mut self) -> PResult<TypeExpr> {
        self.nested(|p| {
            let tok = p.tok();
            match &tok.kind {
                TokenKind::Upper(_) => Ok(TypeExpr::Con(p.ident(), Vec::new())),
                TokenKind::Lower(_) => Ok(TypeExpr::Var(p.ident())),
                TokenKind::LParen => {
                    p.advance();
                    if p.at(&TokenKind::RParen) {
                        let close = p.advance().span;
                        return Ok(TypeExpr::Unit(tok.span.to(close)));
                    }
                    let first = p.parse_type()?;
                    if !p.at(&TokenKind::Comma) {
                        p.expect_close(&TokenKind::LParen, tok.span, None)?;
                        return Ok(first);
                    }
                    let mut items = vec![first];
                    while p.eat(&TokenKind::Comma) {
                        items.push(p.parse_type()?);
                    }
                    let close = p.expect_close(&TokenKind::LParen, tok.span, None)?;
                    let span = tok.span.to(close);
                    if items.len() > MAX_TUPLE {
                        return Err(p.error(span, format!("a tuple has at most {MAX_TUPLE} components"), None));
                    }
                    Ok(TypeExpr::Tuple(items, span))
                }
                TokenKind::LBracket => {
                    p.advance();
                    let elem = p.parse_type()?;
                    let close = p.expect_close(&TokenKind::LBracket, tok.span, None)?;
                    Ok(TypeExpr::List(Box::new(elem), tok.span.to(close)))
                }
                TokenKind::LBrace => {
                    p.advance();
                    let mut fields = Vec::new();
                    loop {
                        let name = p.expect_lower("a field name")?;
                        p.expect(&TokenKind::Colon, Some("a record type is `{x : Int, y : a}`"))?;
                        fields.push((name, p.parse_type()?));
                        if !p.eat(&TokenKind::Comma) {
                            break;
                        }
                    }
                    let close = p.expect_close(&TokenKind::LBrace, tok.span, None)?;
                    Ok(TypeExpr::Record(fields, tok.span.to(close)))
                }
                _ if p.at_edge() => {
                    p.edge_hit();
                    Ok(TypeExpr::Error(p.edge_span()))
                }
                _ => Err(p.error_expected("a type", None)),
            }
        })
    }
}

/// The text of a string literal without interpolations.
fn plain_string(segs: &[StrSeg]) -> Option<String> {
    let mut text = String::new();
    for seg in segs {
        match seg {
            StrSeg::Text(t) => text.push_str(t),
            StrSeg::Interp(..) => return None,
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// A compact rendering of expressions that shows the tree's structure.
    fn sx(e: &Expr) -> String {
        let list = |es: &[Expr]| es.iter().map(sx).collect::<Vec<_>>().join(" ");
        let fields = |fs: &[(Ident, Expr)]| fs.iter().map(|(n, e)| format!("{}={}", n.name, sx(e))).collect::<Vec<_>>().join(" ");
        match &e.kind {
            ExprKind::Var(n) | ExprKind::Con(n) => n.clone(),
            ExprKind::Lit(Lit::Int(i)) => i.to_string(),
            ExprKind::Lit(Lit::Float(f)) => format!("{f:?}"),
            ExprKind::Lit(Lit::Char(c)) => format!("{c:?}"),
            ExprKind::Lit(Lit::Str(s)) => format!("{s:?}"),
            ExprKind::Lit(Lit::Bool(b)) => b.to_string(),
            ExprKind::Unit => "()".into(),
            ExprKind::Lambda(ps, b) => format!("(\\ {} {})", ps.iter().map(sp).collect::<Vec<_>>().join(" "), sx(b)),
            ExprKind::Cond(a, b, c) => format!("(? {} {} {})", sx(a), sx(b), sx(c)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sx(a), sx(b)),
            ExprKind::Neg(a) => format!("(neg {})", sx(a)),
            ExprKind::App(f, a) => format!("(app {} {})", sx(f), sx(a)),
            ExprKind::Field(r, f) => format!("(. {} {})", sx(r), f.name),
            ExprKind::Tuple(es) => format!("(tuple {})", list(es)),
            ExprKind::List(es) => format!("[{}]", list(es)),
            ExprKind::Range(a, b) => format!("(range {} {})", sx(a), sx(b)),
            ExprKind::Comprehension(h, qs) => {
                let qs: Vec<String> = qs
                    .iter()
                    .map(|q| match q {
                        Qual::Gen(p, e) => format!("(<- {} {})", sp(p), sx(e)),
                        Qual::Guard(e) => sx(e),
                    })
                    .collect();
                format!("(for {} {})", sx(h), qs.join(" "))
            }
            ExprKind::Record(fs) => format!("{{{}}}", fields(fs)),
            ExprKind::Update(b, fs) => format!("{{...{} {}}}", sx(b), fields(fs)),
            ExprKind::Interp(parts) => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|p| match p {
                        InterpPart::Text(t) => format!("{t:?}"),
                        InterpPart::Expr(e) => sx(e),
                    })
                    .collect();
                format!("(interp {})", parts.join(" "))
            }
            ExprKind::Block(b) => {
                let mut parts: Vec<String> = b
                    .stmts
                    .iter()
                    .map(|s| match s {
                        Stmt::Equation(eq) => eqn(eq),
                        Stmt::Bind { pat, body, .. } => format!("(let {} {})", sp(pat), sx(body)),
                        Stmt::Expr(e) => sx(e),
                    })
                    .collect();
                parts.push(sx(&b.result));
                format!("(block {})", parts.join("; "))
            }
            ExprKind::Hole => "?hole".into(),
            ExprKind::Error => "!error".into(),
        }
    }

    fn sp(p: &Pat) -> String {
        let list = |ps: &[Pat]| ps.iter().map(sp).collect::<Vec<_>>().join(" ");
        match &p.kind {
            PatKind::Wildcard => "_".into(),
            PatKind::Var(n) => n.clone(),
            PatKind::Lit(l) => sx(&Expr { id: 0, kind: ExprKind::Lit(l.clone()), span: p.span }),
            PatKind::Con(n, args) if args.is_empty() => n.name.clone(),
            PatKind::Con(n, args) => format!("({} {})", n.name, list(args)),
            PatKind::Unit => "()".into(),
            PatKind::Tuple(ps) => format!("(tuple {})", list(ps)),
            PatKind::Record(fs) => {
                format!("{{{}}}", fs.iter().map(|(n, p)| format!("{}={}", n.name, sp(p))).collect::<Vec<_>>().join(" "))
            }
            PatKind::List(ps) => format!("[{}]", list(ps)),
            PatKind::Cons(h, t) => format!("(: {} {})", sp(h), sp(t)),
            PatKind::Error => "!error".into(),
        }
    }

    fn st(t: &TypeExpr) -> String {
        match t {
            TypeExpr::Con(n, args) if args.is_empty() => n.name.clone(),
            TypeExpr::Con(n, args) => format!("({} {})", n.name, args.iter().map(st).collect::<Vec<_>>().join(" ")),
            TypeExpr::Var(v) => v.name.clone(),
            TypeExpr::Unit(_) => "()".into(),
            TypeExpr::Tuple(ts, _) => format!("(tuple {})", ts.iter().map(st).collect::<Vec<_>>().join(" ")),
            TypeExpr::List(t, _) => format!("[{}]", st(t)),
            TypeExpr::Record(fs, _) => {
                format!("{{{}}}", fs.iter().map(|(n, t)| format!("{}:{}", n.name, st(t))).collect::<Vec<_>>().join(" "))
            }
            TypeExpr::Fun(a, b) => format!("(-> {} {})", st(a), st(b)),
            TypeExpr::Error(_) => "!error".into(),
        }
    }

    fn eqn(eq: &Equation) -> String {
        let params: String = eq.params.iter().map(|p| format!(" {}", sp(p))).collect();
        format!("(def {}{} {})", eq.name.name, params, sx(&eq.body))
    }

    fn item(it: &Item) -> String {
        match it {
            Item::TypeDef(t) => {
                let vs: Vec<String> = t
                    .variants
                    .iter()
                    .map(|v| format!("({}{})", v.name.name, v.fields.iter().map(|f| format!(" {}", st(f))).collect::<String>()))
                    .collect();
                let ps: String = t.params.iter().map(|p| format!(" {}", p.name)).collect();
                format!("(data {}{} {})", t.name.name, ps, vs.join(" "))
            }
            Item::Alias(a) => format!("(alias {} {})", a.name.name, st(&a.ty)),
            Item::Sig(s) => format!("(sig {} {})", s.name.name, st(&s.ty)),
            Item::Equation(eq) => eqn(eq),
            Item::Test(t) => format!("(test {:?} {})", t.name, sx(&t.body)),
            Item::Error(_) => "!error".into(),
        }
    }

    /// Parses a program that must be valid and renders its items.
    fn ok(src: &str) -> String {
        let (program, diags) = parse(src);
        assert!(diags.is_empty(), "unexpected diagnostics for {src:?}: {diags:#?}");
        program.items.iter().map(item).collect::<Vec<_>>().join("\n")
    }

    /// The body of `main = <src>`.
    fn ex(src: &str) -> String {
        let (program, diags) = parse(&format!("main = {src}"));
        assert!(diags.is_empty(), "unexpected diagnostics for {src:?}: {diags:#?}");
        match program.items.first() {
            Some(Item::Equation(eq)) => sx(&eq.body),
            other => panic!("not an equation: {other:?}"),
        }
    }

    /// The messages of a program that must be invalid.
    fn errs(src: &str) -> Vec<String> {
        let (_, diags) = parse(src);
        assert!(!diags.is_empty(), "expected diagnostics for {src:?}");
        diags.into_iter().map(|d| d.message).collect()
    }

    fn one_err(src: &str, needle: &str) {
        let e = errs(src);
        assert_eq!(e.len(), 1, "expected one diagnostic for {src:?}, got {e:?}");
        assert!(e[0].contains(needle), "{src:?}: {e:?} lacks {needle:?}");
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(ex("1 + 2 * 3"), "(+ 1 (* 2 3))");
        assert_eq!(ex("1 - 2 - 3"), "(- (- 1 2) 3)");
        assert_eq!(ex("2 ** 3 ** 4"), "(** 2 (** 3 4))");
        assert_eq!(ex("a : b ++ c : d"), "(: a (++ b (: c d)))");
        assert_eq!(ex("a || b && c || d"), "(|| a (|| (&& b c) d))");
        assert_eq!(ex("xs |> map f |> sum"), "(|> (|> xs (app map f)) sum)");
        assert_eq!(ex("f >> g >> h"), "(>> f (>> g h))");
        assert_eq!(ex("a == b + 1"), "(== a (+ b 1))");
        assert_eq!(ex("x > 0 && y < 1"), "(&& (> x 0) (< y 1))");
        assert_eq!(ex("f x y + g z"), "(+ (app (app f x) y) (app g z))");
        assert_eq!(ex("a * b % c / d"), "(/ (% (* a b) c) d)");
    }

    #[test]
    fn prefix_minus() {
        assert_eq!(ex("-x ** 2"), "(** (neg x) 2)");
        assert_eq!(ex("-f x"), "(neg (app f x))");
        assert_eq!(ex("a * -b"), "(* a (neg b))");
        assert_eq!(ex("a - -b"), "(- a (neg b))");
        assert_eq!(ex("f -1"), "(- f 1)");
        assert_eq!(ex("[(-1) 2]"), "[(neg 1) 2]");
    }

    #[test]
    fn comparisons_do_not_chain() {
        one_err("main = a < b < c", "cannot be chained");
        one_err("main = a == b != c", "cannot be chained");
        assert_eq!(ex("(a < b) == c"), "(== (< a b) c)");
    }

    #[test]
    fn field_access_needs_no_spaces() {
        assert_eq!(ex("show p.x"), "(app show (. p x))");
        assert_eq!(ex("p.a.b"), "(. (. p a) b)");
        assert_eq!(ex("(f x).y"), "(. (app f x) y)");
        one_err("main = f . g", "misplaced `.`");
        one_err("main = p. x", "misplaced `.`");
        one_err("main = p .x", "misplaced `.`");
        one_err("main = p.X", "misplaced `.`");
    }

    #[test]
    fn lambdas_and_conditionals() {
        assert_eq!(ex("\\x y -> x + y"), "(\\ x y (+ x y))");
        assert_eq!(ex("xs |> (\\x -> x)"), "(|> xs (\\ x x))");
        assert_eq!(ex("? a -> b : c"), "(? a b c)");
        assert_eq!(ex("? a -> ? b -> c : d : e"), "(? a (? b c d) e)");
        assert_eq!(ex("? a -> x : y : z"), "(? a x (: y z))");
        assert_eq!(ex("? a -> (x : y) : z"), "(? a (: x y) z)");
        assert_eq!(ex("? a -> [x | x <- y : ys] : z"), "(? a (for x (<- x (: y ys))) z)");
        assert_eq!(ex("? a -> \\x -> y : z"), "(? a (\\ x y) z)");
    }

    #[test]
    fn lambdas_and_conditionals_need_parentheses_as_operands() {
        one_err("main = xs |> \\x -> x", "lambda needs parentheses");
        one_err("main = map \\x -> x", "expected the end of the line");
        one_err("main = 1 + ? a -> b : c", "conditional needs parentheses");
    }

    #[test]
    fn atoms_tuples_lists_and_ranges() {
        assert_eq!(ex("()"), "()");
        assert_eq!(ex("(1, 'a', \"s\", 1.5, true)"), "(tuple 1 'a' \"s\" 1.5 true)");
        assert_eq!(ex("((x))"), "x");
        assert_eq!(ex("[]"), "[]");
        assert_eq!(ex("[f x (g y) p.z]"), "[f x (app g y) (. p z)]");
        assert_eq!(ex("[1..n]"), "(range 1 n)");
        assert_eq!(ex("[a.x .. (n + 1)]"), "(range (. a x) (+ n 1))");
        assert_eq!(ex("Just 3"), "(app Just 3)");
        one_err("main = (1, 2, 3, 4, 5, 6, 7, 8, 9)", "at most 8 components");
        one_err("main = [1, 2]", "expected `]`, found `,`");
        one_err("main = [x + 1]", "expected `]`, found `+`");
        one_err("main = [-1 2]", "expected `]`, found `-`");
    }

    #[test]
    fn comprehensions_tell_generators_from_guards() {
        assert_eq!(ex("[x * 2 | x <- xs, x > 1]"), "(for (* x 2) (<- x xs) (> x 1))");
        assert_eq!(ex("[(a, b) | (a, b) <- ps, c <- [1..a]]"), "(for (tuple a b) (<- (tuple a b) ps) (<- c (range 1 a)))");
        assert_eq!(ex("[x | Just x <- ms]"), "(for x (<- (Just x) ms))");
        assert_eq!(ex("[x | x : _ <- xss]"), "(for x (<- (: x _) xss))");
        assert_eq!(ex("[f x | x <- xs, (\\y -> y) x]"), "(for (app f x) (<- x xs) (app (\\ y y) x))");
    }

    #[test]
    fn records_and_updates() {
        assert_eq!(ex("{x = 1, y}"), "{x=1 y=y}");
        assert_eq!(ex("{...p, x = 2}"), "{...p x=2}");
        assert_eq!(ex("{...p}"), "{...p }");
        one_err("main = {}", "empty record");
        one_err("main = {x = 1,}", "expected a field name");
    }

    #[test]
    fn strings_and_interpolation() {
        assert_eq!(ex("\"plain\""), "\"plain\"");
        assert_eq!(ex("\"a ${x + 1} b ${f \"${y}\"}\""), "(interp \"a \" (+ x 1) \" b \" (app f (interp y)))");
        assert_eq!(ex("\"${x}${y}\""), "(interp x y)");
        one_err("main = \"${}\"", "empty interpolation");
        one_err("main = \"${x y)}\"", "expected `}` to end the interpolation");
        one_err("main = \"${(x}\"", "expected `)`, found the end of the interpolation");
        one_err("test \"a${x}\" = true", "test name cannot hold interpolations");
    }

    #[test]
    fn patterns() {
        assert_eq!(
            ok("f (x : xs) [a b] (Just _) None 'c' \"s\" 1 1.5 true () (p, q) {x, y = Just z} = 1"),
            "(def f (: x xs) [a b] (Just _) None 'c' \"s\" 1 1.5 true () (tuple p q) {x=x y=(Just z)} 1)"
        );
        assert_eq!(ok("f (a : b : c) = 1"), "(def f (: a (: b c)) 1)");
        assert_eq!(ok("f (Nil : xs) = 1"), "(def f (: Nil xs) 1)");
        one_err("f -1 = 0", "expected `=`, found `-`");
        one_err("f (-1) = 0", "negative numbers cannot be patterns");
        one_err("f (Just x : xs) = 0", "cannot be a cons head");
        one_err("f \"${x}\" = 0", "string pattern cannot hold interpolations");
    }

    #[test]
    fn types_signatures_typedefs_aliases() {
        assert_eq!(
            ok("f : (a -> b) -> [a] -> Maybe (a, Int) -> {x : Int, y : ()}"),
            "(sig f (-> (-> a b) (-> [a] (-> (Maybe (tuple a Int)) {x:Int y:()}))))"
        );
        assert_eq!(ok("Shape = Circle Float | Rect Float Float | Dot"), "(data Shape (Circle Float) (Rect Float Float) (Dot))");
        assert_eq!(ok("Tree a = Leaf | Node (Tree a) a (Tree a)"), "(data Tree a (Leaf) (Node (Tree a) a (Tree a)))");
        assert_eq!(ok("Op =\n  Add\n  | Sub"), "(data Op (Add) (Sub))");
        assert_eq!(ok("type Pair a = (a, a)"), "(alias Pair (tuple a a))");
        assert_eq!(ok("type F = List Int -> Int"), "(alias F (-> (List Int) Int))");
    }

    #[test]
    fn items_tests_and_docs() {
        assert_eq!(ok("test \"adds\" = 1 + 1 == 2"), "(test \"adds\" (== (+ 1 1) 2))");
        let (program, diags) = parse("--- Twice.\n--- Really.\nf x = x\n--- A shape.\nS = A\n--- A sig.\ng : Int\n");
        assert!(diags.is_empty(), "{diags:?}");
        let docs: Vec<Option<String>> = program
            .items
            .iter()
            .map(|it| match it {
                Item::Equation(e) => e.doc.clone(),
                Item::TypeDef(t) => t.doc.clone(),
                Item::Sig(s) => s.doc.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(docs, vec![Some("Twice.\nReally.".into()), Some("A shape.".into()), Some("A sig.".into())]);
    }

    #[test]
    fn blocks() {
        assert_eq!(
            ok("main =\n  (a, b) = (1, 2)\n  {x} = r\n  f y = y + a\n  print b\n  f x"),
            "(def main (block (let (tuple a b) (tuple 1 2)); (let {x=x} r); (def f y (+ y a)); (app print b); (app f x)))"
        );
        assert_eq!(
            ok("f n =\n  g =\n    n + 1\n  ? g > 2 -> 1\n  : ? g > 1 -> 2\n  : 3\nh = 1"),
            "(def f n (block (def g (block (+ n 1))); (? (> g 2) 1 (? (> g 1) 2 3))))\n(def h 1)"
        );
        assert_eq!(ok("test \"t\" =\n  x = 1\n  x == 1"), "(test \"t\" (block (def x 1); (== x 1)))");
        assert_eq!(ok("main =\n  r = {x =\n    1}\n  r"), "(def main (block (def r {x=1}); r))");
    }

    #[test]
    fn a_block_ends_with_an_expression() {
        one_err("main =\n  x = 1", "a block must end with an expression");
        one_err("main =\n  print 1\n  (a, b) = p", "a block must end with an expression");
        one_err("main =\n  Just x = m\n  x", "expected a name or a pattern");
        one_err("main =\n  (x) = m\n  x", "expected a tuple or record pattern");
    }

    #[test]
    fn node_ids_are_fresh() {
        let (program, _) = parse("main = f (x + 1) [1 2] \"${y}\"\ng = \\a -> a");
        let mut ids = Vec::new();
        fn walk(e: &Expr, ids: &mut Vec<NodeId>) {
            ids.push(e.id);
            for_each_child(&e.kind, &mut |c| walk(c, ids));
        }
        for item in &program.items {
            if let Item::Equation(eq) = item {
                walk(&eq.body, &mut ids);
            }
        }
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
        assert_eq!(count, 14);
    }

    #[test]
    fn recovery_reports_each_broken_item_once() {
        let src = "a = (1 +\nb = 2\nc = ]\nd =\n  x = [1 2\n  y = 3 )\n  x\ne = 4\n";
        let (program, diags) = parse(src);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec!["expected an expression, found a new line", "expected an expression, found `]`", "unclosed `[`", "unmatched `)`"]
        );
        let rendered: Vec<String> = program.items.iter().map(item).collect();
        assert_eq!(rendered, vec!["!error", "(def b 2)", "!error", "(def d (block !error; (def y 3); x))", "(def e 4)"]);
    }

    #[test]
    fn error_messages_name_what_was_expected() {
        one_err("main = (1 ]", "expected `)`, found `]`");
        one_err("main = (1", "unclosed `(`");
        one_err("print 1\nmain = 1", "expected `=`, found a new line");
        one_err("print 1", "expected `=`, found the end of the file");
        one_err("+ = 1", "expected a definition, found `+`");
        one_err("(a, b) = (1, 2)", "cannot bind a pattern");
        one_err("main = ? a -> b", "expected `:` and the else branch");
        one_err("main = \\ -> 1", "expected a parameter");
        one_err("main = x @ y", "expected the end of the line, found `@`");
        one_err("main = a = b", "expected the end of the line, found `=`");
        one_err("f : Int ->", "expected a type");
        one_err("T = a", "expected a constructor name");
        one_err("test x = 1", "expected the test's name");
    }

    /// The hint of the only diagnostic for `src`.
    fn hint(src: &str) -> String {
        let (_, diags) = parse(src);
        assert_eq!(diags.len(), 1, "{src:?}: {diags:?}");
        diags[0].hint.clone().unwrap_or_default()
    }

    #[test]
    fn hints_for_habits_from_other_languages() {
        assert!(hint("main = [1, 2]").contains("separated by spaces, not commas"));
        assert!(hint("main = [-1 2]").contains("`[(-1) 2]`"));
        assert!(hint("main = map \\x -> x").contains("needs parentheses"));
        assert!(hint("f :: Int").contains("one colon"));
        assert!(hint("main = {x: 1}").contains("`x = value`"));
        assert!(hint("data T = A | B").contains("`Shape = Circle Float | Dot`"));
        assert!(hint("main = f . g").contains("composition is `>>`"));
        assert!(hint("main = a < b < c").contains("a < b && b < c"));
        assert!(hint("main =\n  x = 1\n   y = 2\n  x").contains("continues that item"));
    }

    #[test]
    fn layout_errors_are_not_echoed_by_the_parser() {
        let (_, diags) = parse("f =\n1\ng = 2");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].kind, Kind::Layout);
        let (_, diags) = parse("f = 2x + 1");
        assert_eq!(diags.len(), 1, "{diags:?}");
        let (_, diags) = parse("main = é");
        assert_eq!(diags.len(), 1, "{diags:?}");
        // A lexical error explains later syntax errors in the same item.
        let (_, diags) = parse("import List\nmain = 1");
        assert_eq!(diags.len(), 1, "{diags:?}");
        let (_, diags) = parse("main = 'ab'");
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for src in [
            format!("main = {}", "(".repeat(100_000)),
            format!("main = {}1{}", "(".repeat(300), ")".repeat(300)),
            format!("main = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("main = {}1", "\\x -> ".repeat(50_000)),
            format!("main = 1{}", " + 1".repeat(100_000)),
            format!("main = 1{} : []", " : 1".repeat(100_000)),
            format!("main = f{}", " x".repeat(100_000)),
            format!("f ({}x) = 1", "x : ".repeat(100_000)),
            format!("f : {}a", "a -> ".repeat(100_000)),
            format!("main = {}", "\"${".repeat(10_000)),
            format!("main = {}", "{x = ".repeat(100_000)),
        ] {
            let e = errs(&src);
            assert!(e.iter().any(|m| m.contains("nested too deeply")), "{}: {e:?}", &src[..20]);
            assert!(e.len() <= 2, "{}: {e:?}", &src[..20]);
        }
        // Moderate nesting is fine.
        ex(&format!("{}1{}", "(".repeat(199), ")".repeat(199)));
        ex(&format!("{}1{}", "[".repeat(199), "]".repeat(199)));
        ex(&format!("{}1", "\\x -> ".repeat(199)));
        ex(&format!("1{}", " + 1".repeat(200)));
    }
}
