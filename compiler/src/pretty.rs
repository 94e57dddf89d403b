//! Canonical source text from an AST: the inverse of the parser.
//!
//! Blocks are indented by 2 spaces, every other construct is written on one
//! line, and parentheses appear only where the grammar needs them (by the
//! precedence table of LANGUAGE.md §3). For every tree the parser can
//! produce without errors, `parse(program(ast))` gives `ast` back up to spans
//! and node ids; [`normalize`] erases those so trees can be compared
//! (`compiler/tests/parse_props.rs` checks this on random trees).
//!
//! Trees the parser never produces print as best they can: `Error` nodes as
//! `<error>`, a `Hole` as `?`, negative literals in parentheses.

use crate::ast::*;
use crate::span::Span;

/// The whole program, one item per line (blocks on the following lines),
/// with a blank line between definitions of different names.
pub fn program(p: &Program) -> String {
    let mut pr = Printer::default();
    let mut prev: Option<Option<&str>> = None;
    for item in &p.items {
        let name = item_name(item);
        if prev.is_some_and(|prev| name.is_none() || name != prev) {
            pr.out.push('\n');
        }
        prev = Some(name);
        pr.item(item);
        pr.out.push('\n');
    }
    pr.out
}

/// One expression, as it would appear on the right of `=`.
pub fn expr(e: &Expr) -> String {
    let mut pr = Printer::default();
    pr.expr(e, PREC_EXPR, false);
    pr.out
}

/// One pattern.
pub fn pattern(p: &Pat) -> String {
    let mut pr = Printer::default();
    pr.pat(p);
    pr.out
}

/// One type.
pub fn type_expr(t: &TypeExpr) -> String {
    let mut pr = Printer::default();
    pr.ty(t);
    pr.out
}

fn item_name(item: &Item) -> Option<&str> {
    match item {
        Item::Sig(s) => Some(&s.name.name),
        Item::Equation(e) => Some(&e.name.name),
        _ => None,
    }
}

// Precedence of an expression form: a child printed where at least `p` is
// needed gets parentheses when its own precedence is lower. Binary
// operators use their level (1..=9).
const PREC_EXPR: u8 = 0;
const PREC_NEG: u8 = 10;
const PREC_APP: u8 = 11;
const PREC_POSTFIX: u8 = 12;
const PREC_ATOM: u8 = 13;

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Lambda(..) | ExprKind::Cond(..) | ExprKind::Block(_) => PREC_EXPR,
        ExprKind::Binary(op, ..) => op.level(),
        ExprKind::Neg(_) => PREC_NEG,
        ExprKind::App(..) => PREC_APP,
        ExprKind::Field(..) => PREC_POSTFIX,
        ExprKind::Lit(Lit::Int(i)) if *i < 0 => PREC_NEG,
        ExprKind::Lit(Lit::Float(f)) if f.is_sign_negative() => PREC_NEG,
        _ => PREC_ATOM,
    }
}

#[derive(Default)]
struct Printer {
    out: String,
    /// Indentation of the current block's items.
    indent: usize,
}

impl Printer {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push(' ');
        }
    }

    fn doc(&mut self, doc: &Option<String>) {
        if let Some(doc) = doc {
            for line in doc.split('\n') {
                self.push("--- ");
                self.push(line);
                self.newline();
            }
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::TypeDef(t) => {
                self.doc(&t.doc);
                self.push(&t.name.name);
                for p in &t.params {
                    self.push(" ");
                    self.push(&p.name);
                }
                self.push(" =");
                for (i, v) in t.variants.iter().enumerate() {
                    self.push(if i == 0 { " " } else { " | " });
                    self.push(&v.name.name);
                    for f in &v.fields {
                        self.push(" ");
                        self.tatom(f);
                    }
                }
            }
            Item::Alias(a) => {
                self.doc(&a.doc);
                self.push("type ");
                self.push(&a.name.name);
                for p in &a.params {
                    self.push(" ");
                    self.push(&p.name);
                }
                self.push(" = ");
                self.ty(&a.ty);
            }
            Item::Sig(s) => {
                self.doc(&s.doc);
                self.push(&s.name.name);
                self.push(" : ");
                self.ty(&s.ty);
            }
            Item::Equation(e) => self.equation(e),
            Item::Test(t) => {
                self.push("test ");
                self.string_lit(&t.name);
                self.body(&t.body);
            }
            Item::Error(_) => self.push("<error>"),
        }
    }

    fn equation(&mut self, e: &Equation) {
        self.doc(&e.doc);
        self.push(&e.name.name);
        for p in &e.params {
            self.push(" ");
            self.apat(p);
        }
        self.body(&e.body);
    }

    /// ` = expr`, or ` =` and an indented block.
    fn body(&mut self, body: &Expr) {
        let ExprKind::Block(block) = &body.kind else {
            self.push(" = ");
            self.expr(body, PREC_EXPR, false);
            return;
        };
        self.push(" =");
        self.indent += 2;
        for stmt in &block.stmts {
            self.newline();
            match stmt {
                Stmt::Equation(e) => self.equation(e),
                Stmt::Bind { pat, body, .. } => {
                    self.pat(pat);
                    self.body(body);
                }
                Stmt::Expr(e) => self.expr(e, PREC_EXPR, false),
            }
        }
        self.newline();
        self.expr(&block.result, PREC_EXPR, false);
        self.indent -= 2;
    }

    // ----- Expressions -----

    /// Prints `e` where precedence `min` is needed; `no_cons` is set inside
    /// a then-branch outside brackets, where a cons needs parentheses.
    fn expr(&mut self, e: &Expr, min: u8, no_cons: bool) {
        let is_cons = matches!(e.kind, ExprKind::Binary(BinOp::Cons, ..));
        if prec(e) < min || (no_cons && is_cons) {
            self.push("(");
            self.expr_bare(e, false);
            self.push(")");
        } else {
            self.expr_bare(e, no_cons);
        }
    }

    fn expr_bare(&mut self, e: &Expr, no_cons: bool) {
        match &e.kind {
            ExprKind::Var(n) | ExprKind::Con(n) => self.push(n),
            ExprKind::Lit(l) => self.lit(l),
            ExprKind::Unit => self.push("()"),
            ExprKind::Lambda(params, body) => {
                self.push("\\");
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        self.push(" ");
                    }
                    self.apat(p);
                }
                self.push(" -> ");
                self.expr(body, PREC_EXPR, no_cons);
            }
            ExprKind::Cond(c, t, f) => {
                self.push("? ");
                self.expr(c, 1, no_cons);
                self.push(" -> ");
                self.expr(t, PREC_EXPR, true);
                self.push(" : ");
                self.expr(f, PREC_EXPR, no_cons);
            }
            ExprKind::Binary(op, l, r) => {
                let level = op.level();
                let (lmin, rmin) = match op.assoc() {
                    Assoc::Left => (level, level + 1),
                    Assoc::Right => (level + 1, level),
                    Assoc::None => (level + 1, level + 1),
                };
                self.expr(l, lmin, no_cons);
                self.push(" ");
                self.push(op.symbol());
                self.push(" ");
                self.expr(r, rmin, no_cons);
            }
            ExprKind::Neg(inner) => {
                self.push("-");
                self.expr(inner, PREC_APP, no_cons);
            }
            ExprKind::App(f, a) => {
                self.expr(f, PREC_APP, no_cons);
                self.push(" ");
                self.expr(a, PREC_POSTFIX, no_cons);
            }
            ExprKind::Field(r, field) => {
                self.expr(r, PREC_POSTFIX, no_cons);
                self.push(".");
                self.push(&field.name);
            }
            ExprKind::Tuple(items) => {
                self.push("(");
                self.comma_list(items);
                self.push(")");
            }
            ExprKind::List(items) => {
                self.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(" ");
                    }
                    self.expr(item, PREC_POSTFIX, false);
                }
                self.push("]");
            }
            ExprKind::Range(a, b) => {
                self.push("[");
                self.expr(a, PREC_POSTFIX, false);
                self.push("..");
                self.expr(b, PREC_POSTFIX, false);
                self.push("]");
            }
            ExprKind::Comprehension(head, quals) => {
                self.push("[");
                self.expr(head, PREC_EXPR, false);
                self.push(" | ");
                for (i, q) in quals.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    match q {
                        Qual::Gen(p, e) => {
                            self.pat(p);
                            self.push(" <- ");
                            self.expr(e, PREC_EXPR, false);
                        }
                        Qual::Guard(e) => self.expr(e, PREC_EXPR, false),
                    }
                }
                self.push("]");
            }
            ExprKind::Record(fields) => {
                self.push("{");
                self.fields(fields);
                self.push("}");
            }
            ExprKind::Update(base, fields) => {
                self.push("{...");
                self.expr(base, PREC_EXPR, false);
                if !fields.is_empty() {
                    self.push(", ");
                    self.fields(fields);
                }
                self.push("}");
            }
            ExprKind::Interp(parts) => {
                self.push("\"");
                for part in parts {
                    match part {
                        InterpPart::Text(t) => self.push(&escape_str(t)),
                        InterpPart::Expr(e) => {
                            self.push("${");
                            self.expr(e, PREC_EXPR, false);
                            self.push("}");
                        }
                    }
                }
                self.push("\"");
            }
            // A block only stands as a body; elsewhere it has no spelling.
            ExprKind::Block(_) => self.push("<block>"),
            ExprKind::Hole => self.push("?"),
            ExprKind::Error => self.push("<error>"),
        }
    }

    fn comma_list(&mut self, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(item, PREC_EXPR, false);
        }
    }

    fn fields(&mut self, fields: &[(Ident, Expr)]) {
        for (i, (name, value)) in fields.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push(&name.name);
            let punned = matches!(&value.kind, ExprKind::Var(v) if *v == name.name);
            if !punned {
                self.push(" = ");
                self.expr(value, PREC_EXPR, false);
            }
        }
    }

    fn lit(&mut self, l: &Lit) {
        match l {
            Lit::Int(i) if *i < 0 => self.push(&format!("(-{})", i.unsigned_abs())),
            Lit::Int(i) => self.push(&i.to_string()),
            Lit::Float(f) if f.is_sign_negative() => {
                self.push("(-");
                self.push(&float_text(-f));
                self.push(")");
            }
            Lit::Float(f) => self.push(&float_text(*f)),
            Lit::Char(c) => {
                let mut text = String::from("'");
                escape_into(&mut text, *c, '\'');
                text.push('\'');
                self.push(&text);
            }
            Lit::Str(s) => self.string_lit(s),
            Lit::Bool(b) => self.push(if *b { "true" } else { "false" }),
        }
    }

    fn string_lit(&mut self, s: &str) {
        self.push("\"");
        self.push(&escape_str(s));
        self.push("\"");
    }

    // ----- Patterns -----

    /// A pattern where `pat` may stand: anything.
    fn pat(&mut self, p: &Pat) {
        match &p.kind {
            PatKind::Con(name, args) if !args.is_empty() => {
                self.push(&name.name);
                for a in args {
                    self.push(" ");
                    self.apat(a);
                }
            }
            PatKind::Cons(head, tail) => {
                self.apat(head);
                self.push(" : ");
                self.pat(tail);
            }
            _ => self.apat(p),
        }
    }

    /// A pattern where only `apat` may stand: parameters, list elements.
    fn apat(&mut self, p: &Pat) {
        match &p.kind {
            PatKind::Con(_, args) if !args.is_empty() => {
                self.push("(");
                self.pat(p);
                self.push(")");
            }
            PatKind::Cons(..) => {
                self.push("(");
                self.pat(p);
                self.push(")");
            }
            PatKind::Con(name, _) => self.push(&name.name),
            PatKind::Wildcard => self.push("_"),
            PatKind::Var(n) => self.push(n),
            PatKind::Lit(l) => self.lit(l),
            PatKind::Unit => self.push("()"),
            PatKind::Tuple(items) => {
                self.push("(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.pat(item);
                }
                self.push(")");
            }
            PatKind::Record(fields) => {
                self.push("{");
                for (i, (name, pat)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.push(&name.name);
                    let punned = matches!(&pat.kind, PatKind::Var(v) if *v == name.name);
                    if !punned {
                        self.push(" = ");
                        self.pat(pat);
                    }
                }
                self.push("}");
            }
            PatKind::List(items) => {
                self.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(" ");
                    }
                    self.apat(item);
                }
                self.push("]");
            }
            PatKind::Error => self.push("<error>"),
        }
    }

    // ----- Types -----

    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Fun(a, b) => {
                if matches!(**a, TypeExpr::Fun(..)) {
                    self.push("(");
                    self.ty(a);
                    self.push(")");
                } else {
                    self.ty(a);
                }
                self.push(" -> ");
                self.ty(b);
            }
            TypeExpr::Con(name, args) => {
                self.push(&name.name);
                for a in args {
                    self.push(" ");
                    self.tatom(a);
                }
            }
            _ => self.tatom(t),
        }
    }

    fn tatom(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Fun(..) => {
                self.push("(");
                self.ty(t);
                self.push(")");
            }
            TypeExpr::Con(_, args) if !args.is_empty() => {
                self.push("(");
                self.ty(t);
                self.push(")");
            }
            TypeExpr::Con(name, _) => self.push(&name.name),
            TypeExpr::Var(v) => self.push(&v.name),
            TypeExpr::Unit(_) => self.push("()"),
            TypeExpr::Tuple(items, _) => {
                self.push("(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.ty(item);
                }
                self.push(")");
            }
            TypeExpr::List(elem, _) => {
                self.push("[");
                self.ty(elem);
                self.push("]");
            }
            TypeExpr::Record(fields, _) => {
                self.push("{");
                for (i, (name, ty)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.push(&name.name);
                    self.push(" : ");
                    self.ty(ty);
                }
                self.push("}");
            }
            TypeExpr::Error(_) => self.push("<error>"),
        }
    }
}

/// A float as the lexer reads it back exactly: Rust's shortest round-trip
/// form, with `.0` added before an exponent that lacks a point (`1e21`).
fn float_text(f: f64) -> String {
    let s = format!("{f:?}");
    match s.find('e') {
        Some(e) if !s[..e].contains('.') => format!("{}.0{}", &s[..e], &s[e..]),
        _ => s,
    }
}

/// Writes `c` as it appears inside a literal delimited by `quote` (`"` for
/// strings, where `$` is escaped too; `'` for characters). The one place
/// that knows the escapes: the printer and `show` both use it.
pub fn escape_into(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        '$' if quote == '"' => out.push_str("\\$"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        c => out.push(c),
    }
}

/// The text of a string literal between its quotes.
pub fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        escape_into(&mut out, c, '"');
    }
    out
}

/// Erases what the parser adds beyond structure (spans and node ids), so
/// that two trees can be compared with `==`.
pub fn normalize(p: &mut Program) {
    for item in &mut p.items {
        match item {
            Item::TypeDef(t) => {
                norm_ident(&mut t.name);
                t.params.iter_mut().for_each(norm_ident);
                for v in &mut t.variants {
                    norm_ident(&mut v.name);
                    v.fields.iter_mut().for_each(norm_type);
                    v.span = Span::default();
                }
                t.span = Span::default();
            }
            Item::Alias(a) => {
                norm_ident(&mut a.name);
                a.params.iter_mut().for_each(norm_ident);
                norm_type(&mut a.ty);
                a.span = Span::default();
            }
            Item::Sig(s) => {
                norm_ident(&mut s.name);
                norm_type(&mut s.ty);
                s.span = Span::default();
            }
            Item::Equation(e) => norm_equation(e),
            Item::Test(t) => {
                t.name_span = Span::default();
                norm_expr(&mut t.body);
                t.span = Span::default();
            }
            Item::Error(span) => *span = Span::default(),
        }
    }
}

fn norm_ident(i: &mut Ident) {
    i.span = Span::default();
}

fn norm_equation(e: &mut Equation) {
    norm_ident(&mut e.name);
    e.params.iter_mut().for_each(norm_pat);
    norm_expr(&mut e.body);
    e.span = Span::default();
}

fn norm_type(t: &mut TypeExpr) {
    match t {
        TypeExpr::Con(name, args) => {
            norm_ident(name);
            args.iter_mut().for_each(norm_type);
        }
        TypeExpr::Var(v) => norm_ident(v),
        TypeExpr::Unit(s) | TypeExpr::Error(s) => *s = Span::default(),
        TypeExpr::Tuple(items, s) => {
            items.iter_mut().for_each(norm_type);
            *s = Span::default();
        }
        TypeExpr::List(elem, s) => {
            norm_type(elem);
            *s = Span::default();
        }
        TypeExpr::Record(fields, s) => {
            for (name, ty) in fields {
                norm_ident(name);
                norm_type(ty);
            }
            *s = Span::default();
        }
        TypeExpr::Fun(a, b) => {
            norm_type(a);
            norm_type(b);
        }
    }
}

fn norm_pat(p: &mut Pat) {
    p.span = Span::default();
    match &mut p.kind {
        PatKind::Con(name, args) => {
            norm_ident(name);
            args.iter_mut().for_each(norm_pat);
        }
        PatKind::Tuple(items) | PatKind::List(items) => items.iter_mut().for_each(norm_pat),
        PatKind::Record(fields) => {
            for (name, pat) in fields {
                norm_ident(name);
                norm_pat(pat);
            }
        }
        PatKind::Cons(h, t) => {
            norm_pat(h);
            norm_pat(t);
        }
        PatKind::Wildcard | PatKind::Var(_) | PatKind::Lit(_) | PatKind::Unit | PatKind::Error => {}
    }
}

fn norm_fields(fields: &mut [(Ident, Expr)]) {
    for (name, e) in fields {
        norm_ident(name);
        norm_expr(e);
    }
}

fn norm_expr(e: &mut Expr) {
    e.id = 0;
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Var(_) | ExprKind::Con(_) | ExprKind::Lit(_) | ExprKind::Unit | ExprKind::Hole | ExprKind::Error => {}
        ExprKind::Lambda(params, body) => {
            params.iter_mut().for_each(norm_pat);
            norm_expr(body);
        }
        ExprKind::Cond(a, b, c) => {
            norm_expr(a);
            norm_expr(b);
            norm_expr(c);
        }
        ExprKind::Binary(_, a, b) | ExprKind::App(a, b) | ExprKind::Range(a, b) => {
            norm_expr(a);
            norm_expr(b);
        }
        ExprKind::Neg(a) => norm_expr(a),
        ExprKind::Field(a, field) => {
            norm_expr(a);
            norm_ident(field);
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter_mut().for_each(norm_expr),
        ExprKind::Comprehension(head, quals) => {
            norm_expr(head);
            for q in quals {
                match q {
                    Qual::Gen(p, e) => {
                        norm_pat(p);
                        norm_expr(e);
                    }
                    Qual::Guard(e) => norm_expr(e),
                }
            }
        }
        ExprKind::Record(fields) => norm_fields(fields),
        ExprKind::Update(base, fields) => {
            norm_expr(base);
            norm_fields(fields);
        }
        ExprKind::Interp(parts) => {
            for part in parts {
                if let InterpPart::Expr(e) = part {
                    norm_expr(e);
                }
            }
        }
        ExprKind::Block(block) => {
            for stmt in &mut block.stmts {
                match stmt {
                    Stmt::Equation(eq) => norm_equation(eq),
                    Stmt::Bind { pat, body, span } => {
                        norm_pat(pat);
                        norm_expr(body);
                        *span = Span::default();
                    }
                    Stmt::Expr(e) => norm_expr(e),
                }
            }
            norm_expr(&mut block.result);
            block.span = Span::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// Parses, prints, and checks the print is a fixed point.
    fn round(src: &str) -> String {
        let (program, diags) = parse(src);
        assert!(diags.is_empty(), "{src:?}: {diags:?}");
        let printed = super::program(&program);
        let (mut again, diags) = parse(&printed);
        assert!(diags.is_empty(), "printed {printed:?}: {diags:?}");
        let mut original = program;
        normalize(&mut original);
        normalize(&mut again);
        assert_eq!(original, again, "printed:\n{printed}");
        printed
    }

    #[test]
    fn prints_canonical_source() {
        assert_eq!(round("f x=x+1"), "f x = x + 1\n");
        assert_eq!(round("main = ((a + b) * c)"), "main = (a + b) * c\n");
        assert_eq!(round("main = a - (b - c)"), "main = a - (b - c)\n");
        assert_eq!(round("main = (a : b) ++ c"), "main = (a : b) ++ c\n");
        assert_eq!(round("main = f (g x) (-y) [(h z) w] p.q"), "main = f (g x) (-y) [(h z) w] p.q\n");
        assert_eq!(round("main = - (f x)"), "main = -f x\n");
        assert_eq!(round("main = (-x) ** 2"), "main = -x ** 2\n");
        assert_eq!(round("main = a - -b"), "main = a - -b\n");
        assert_eq!(round("main = ? a -> (x : y) : z"), "main = ? a -> (x : y) : z\n");
        assert_eq!(round("main = ? a -> (? b -> c : d) : e"), "main = ? a -> ? b -> c : d : e\n");
        assert_eq!(round("main = xs |> (\\x -> x)"), "main = xs |> (\\x -> x)\n");
        assert_eq!(round("main = {x = x, y = 1}"), "main = {x, y = 1}\n");
        assert_eq!(round("main = \"a\\$ ${x} \\\"q\\\"\\n\""), "main = \"a\\$ ${x} \\\"q\\\"\\n\"\n");
        assert_eq!(round("main = [1.0e21 1.5e-7 0.1]"), "main = [1.0e21 1.5e-7 0.1]\n");
        assert_eq!(round("main = ['\\'' '\"' '\\\\' '\\u{7f}']"), "main = ['\\'' '\"' '\\\\' '\\u{7f}']\n");
    }

    #[test]
    fn prints_items_blocks_and_docs() {
        let src = "--- A tree.\nTree a = Leaf | Node (Tree a) a (Tree a)\ntype F = (Int -> Int) -> [a]\nf : Maybe (a, b) -> {x : Int}\nf (Just (a, b)) = {x = a}\nf _ = {x = 0}\nmain =\n  (p, q) = (1, 2)\n  --- Local.\n  g (x : xs) =\n    x\n  print p\n  g [q]\ntest \"t\" = true\n";
        assert_eq!(
            round(src),
            "--- A tree.\nTree a = Leaf | Node (Tree a) a (Tree a)\n\ntype F = (Int -> Int) -> [a]\n\nf : Maybe (a, b) -> {x : Int}\nf (Just (a, b)) = {x = a}\nf _ = {x = 0}\n\nmain =\n  (p, q) = (1, 2)\n  --- Local.\n  g (x : xs) =\n    x\n  print p\n  g [q]\n\ntest \"t\" = true\n"
        );
    }

    #[test]
    fn prints_the_language_examples_as_fixed_points() {
        round("qsort [] = []\nqsort (p : xs) =\n  lo = [x | x <- xs, x <= p]\n  hi = [x | x <- xs, x > p]\n  qsort lo ++ [p] ++ qsort hi\n");
        round("fizz n =\n  ? n % 15 == 0 -> \"FizzBuzz\"\n  : ? n % 3 == 0 -> \"Fizz\"\n  : show n\n");
        round("total xs = xs\n  |> filter (\\x -> x > 0)\n  |> sum\n");
        round("main = [(a, b) | (a, b) <- ps, Just c <- [1..a], c > 0]\nr = {...p, x = 1}\n");
    }
}
