//! The Synoema Core 1 grammar, built as [`Grammar`] data.
//!
//! It follows LANGUAGE.md §1–§3 and, where the text is silent, the reference
//! parser (`synoema_compiler::parse`). Read next to the EBNF of §3; the
//! differences in shape come from three things the EBNF leaves implicit.
//!
//! **Layout by depth.** There is no INDENT/DEDENT here: every rule that can
//! hold a line break exists once per block depth `d` (0..=8), with the
//! suffix `_d{d}`, because the indentation a continuation line needs depends
//! on the depth (items of depth `d` sit at column `2d`). Expressions inside
//! a `${...}` interpolation cannot hold line breaks; their rules have the
//! suffix `_i`. The line structure is spelled out with these terminals:
//!
//! | terminal  | text                                   | used for |
//! |-----------|----------------------------------------|----------|
//! | `SP`      | spaces                                 | between lexemes on one line |
//! | `COMMENT` | `--` to the end of the line            | end-of-line and whole-line comments |
//! | `NL_ANY`  | line break, blank lines, any indent    | before a whole-line comment |
//! | `NL_EQ_n` | line break, blank lines, exactly `n` spaces | a new item at column `n`, a block's first item, the `: else` line |
//! | `NL_GT_n` | line break, blank lines, more than `n` spaces | a continuation line of an item at column `n` |
//!
//! A gap between two lexemes of an item at depth `d` (`g_d{d}`) is spaces,
//! or an optional comment and a line break to a line indented more than
//! `2d`, with any whole-line comments in between. Before a `:` inside a
//! block the new line may also sit at the item's own indentation (`gc`).
//! A definition whose `=` ends its line owns a block (`body`), so the
//! expression of an inline body starts on the `=` line.
//!
//! **Maximal munch.** The parser's lexer is greedy; a character-level
//! reading of this grammar (GBNF has no lexer) must not split what the
//! parser's lexer would merge. So a gap is mandatory between a lexeme that
//! ends with a letter, digit or `_` and one that starts with one (`f 1 x`,
//! never `f 1x`): sequences of atoms and patterns track whether their last
//! element ends with a word character (`app`, `apats`, `tlink`). After a
//! binary `-` or `<`, and after a prefix `-`, a comment cannot follow
//! directly and a negative operand needs a space (`a<-1` is `a <- 1` to the
//! parser, `a--b` is `a` and a comment). llguidance's lexer looks only one
//! byte ahead, so an integer followed by `.` is lexed together with what
//! follows: `INT_DOTDOT` (`1..`) and `INT_FIELD` (`1.x`) next to `FLOAT`.
//!
//! **`thenexpr`.** Expressions come in two modes: `expr_c` (cons allowed)
//! and `expr_nc` (a then-branch, where the first `:` outside brackets ends
//! the branch); brackets switch back to `expr_c`, lambdas and conditionals
//! keep the mode they stand in.

use crate::ir::*;

/// Blocks nest at most this deep (LANGUAGE.md §2 rule 5; top level is 0).
pub const MAX_DEPTH: u8 = 8;

/// Tuples have 2 to this many components (LANGUAGE.md §4; the parser
/// reports more as a syntax error).
const MAX_TUPLE: u32 = 8;

/// Keywords and reserved words: never names (LANGUAGE.md §1).
pub const RESERVED: &[&str] = &[
    "true", "false", "type", "test", "mod", "use", "import", "trait", "impl", "derive", "lazy", "prop",
    "when",
];

/// Where a rule is used: inside an item at block depth `d`, or inside an
/// interpolation (one line, no comments).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Depth(u8),
    Interp,
}

impl Ctx {
    fn suffix(self) -> String {
        match self {
            Ctx::Depth(d) => format!("d{d}"),
            Ctx::Interp => "i".into(),
        }
    }

    fn all() -> Vec<Ctx> {
        let mut v: Vec<Ctx> = (0..=MAX_DEPTH).map(Ctx::Depth).collect();
        v.push(Ctx::Interp);
        v
    }
}

/// Expression mode: cons allowed, or a then-branch (no cons at top).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Cons,
    NoCons,
}

fn name(base: &str, x: Ctx) -> String {
    format!("{base}_{}", x.suffix())
}

fn mname(base: &str, m: Mode, x: Ctx) -> String {
    let mode = match m {
        Mode::Cons => "c",
        Mode::NoCons => "nc",
    };
    format!("{base}_{mode}_{}", x.suffix())
}

fn rn(base: &str, x: Ctx) -> Expr {
    r(name(base, x))
}

fn nl_eq(n: u8) -> String {
    format!("NL_EQ_{n}")
}

fn nl_gt(n: u8) -> String {
    format!("NL_GT_{n}")
}

/// An optional gap in context `x`.
fn go(x: Ctx) -> Expr {
    opt(rn("g", x))
}

/// A mandatory gap (between two word characters).
fn gm(x: Ctx) -> Expr {
    rn("g", x)
}

/// An optional gap that does not start with a comment.
fn gso(x: Ctx) -> Expr {
    opt(rn("gs", x))
}

/// An optional gap before `:` (may return to the item's own column in blocks).
fn gco(x: Ctx) -> Expr {
    opt(rn("gc", x))
}

/// Builds the whole grammar.
pub fn grammar() -> Grammar {
    let mut g = Grammar::default();
    program(&mut g);
    for x in Ctx::all() {
        gaps(&mut g, x);
        for m in [Mode::Cons, Mode::NoCons] {
            expressions(&mut g, m, x);
        }
        operands(&mut g, x);
        brackets(&mut g, x);
        patterns(&mut g, x);
        if let Ctx::Depth(d) = x {
            statements(&mut g, d);
        }
    }
    strings(&mut g);
    types(&mut g);
    terminals(&mut g);
    g
}

/// The file: items at column 0 separated by line breaks, with blank and
/// comment lines anywhere.
fn program(g: &mut Grammar) {
    g.rule(
        "start",
        alt(vec![
            seq(vec![
                opt(r("prologue")),
                r("item"),
                star(seq(vec![rn("sep", Ctx::Depth(0)), r("item")])),
                r("epilogue"),
            ]),
            r("epilogue"),
        ]),
    );
    // Blank and comment lines before the first item, which starts at column 0.
    g.rule(
        "prologue",
        seq(vec![opt(t("SP")), opt(t("COMMENT")), star(seq(vec![t("NL_ANY"), t("COMMENT")])), t(nl_eq(0))]),
    );
    g.rule(
        "epilogue",
        seq(vec![opt(t("SP")), opt(t("COMMENT")), star(seq(vec![t("NL_ANY"), t("COMMENT")])), opt(t("NL_ANY"))]),
    );
    // The end of a line: trailing spaces, a comment, whole-line comments.
    g.rule("eol", seq(vec![opt(t("SP")), opt(t("COMMENT")), star(seq(vec![t("NL_ANY"), t("COMMENT")]))]));
    g.rule(
        "item",
        alt(vec![r("typedef"), r("alias"), r("sig"), r("topeq"), r("test")]),
    );
}

/// Gaps between the lexemes of one item, and separators between items.
fn gaps(g: &mut Grammar, x: Ctx) {
    let Ctx::Depth(d) = x else {
        // One line, no comments: spaces only.
        for base in ["g", "gs", "gc"] {
            g.rule(name(base, x), t("SP"));
        }
        return;
    };
    let n = 2 * d;
    let comment_lines = || star(seq(vec![t("NL_ANY"), t("COMMENT")]));
    g.rule(name("g", x), alt(vec![t("SP"), seq(vec![r("eol"), t(nl_gt(n))])]));
    g.rule(
        name("gs", x),
        alt(vec![
            t("SP"),
            seq(vec![t("SP"), opt(t("COMMENT")), comment_lines(), t(nl_gt(n))]),
            seq(vec![comment_lines(), t(nl_gt(n))]),
        ]),
    );
    if d == 0 {
        g.rule(name("gc", x), gm(x));
    } else {
        g.rule(name("gc", x), alt(vec![gm(x), seq(vec![r("eol"), t(nl_eq(n))])]));
    }
    g.rule(name("sep", x), seq(vec![r("eol"), t(nl_eq(n))]));
}

/// Lambdas, conditionals and operator expressions.
fn expressions(g: &mut Grammar, m: Mode, x: Ctx) {
    let e = |m: Mode| r(mname("expr", m, x));
    g.rule(
        mname("expr", m, x),
        alt(vec![r(mname("lambda", m, x)), r(mname("cond", m, x)), r(mname("opexpr", m, x))]),
    );
    g.rule(
        mname("lambda", m, x),
        seq(vec![lit("\\"), go(x), rn("apats", x), go(x), lit("->"), go(x), e(m)]),
    );
    g.rule(
        mname("cond", m, x),
        seq(vec![
            lit("?"),
            go(x),
            e(m),
            go(x),
            lit("->"),
            go(x),
            e(Mode::NoCons),
            gco(x),
            lit(":"),
            go(x),
            e(m),
        ]),
    );
    // Levels 1-3 (`|> || &&`): chains of comparisons.
    let loose = alt(vec![lit("|>"), lit("||"), lit("&&")]);
    g.rule(
        mname("opexpr", m, x),
        seq(vec![r(mname("cmp", m, x)), star(seq(vec![go(x), loose, go(x), r(mname("cmp", m, x))]))]),
    );
    // Level 4: comparisons do not chain.
    let cmp = alt(vec![lit("=="), lit("!="), lit("<="), lit(">="), lit(">")]);
    g.rule(
        mname("cmp", m, x),
        seq(vec![
            r(mname("arith", m, x)),
            opt(alt(vec![
                seq(vec![go(x), cmp, go(x), r(mname("arith", m, x))]),
                seq(vec![go(x), lit("<"), rn("after_minus", x), star(r(mname("tail", m, x)))]),
            ])),
        ]),
    );
    // Levels 5-9: no restriction on mixing, so one flat chain.
    g.rule(mname("arith", m, x), seq(vec![rn("operand", x), star(r(mname("tail", m, x)))]));
    let tight = alt(vec![lit("++"), lit("+"), lit("*"), lit("/"), lit("%"), lit("**"), lit(">>")]);
    let mut tails = vec![
        seq(vec![go(x), tight, go(x), rn("operand", x)]),
        seq(vec![go(x), lit("-"), rn("after_minus", x)]),
    ];
    if m == Mode::Cons {
        tails.push(seq(vec![gco(x), lit(":"), go(x), rn("operand", x)]));
    }
    g.rule(mname("tail", m, x), alt(tails));
}

/// Operands: prefix minus, application, field access.
fn operands(g: &mut Grammar, x: Ctx) {
    g.rule(name("operand", x), alt(vec![rn("app", x), rn("neg", x)]));
    g.rule(name("neg", x), seq(vec![lit("-"), gso(x), rn("app", x)]));
    // After `-` or `<` a `-` would merge into `--` or `<-`.
    g.rule(
        name("after_minus", x),
        alt(vec![seq(vec![gso(x), rn("app", x)]), seq(vec![rn("gs", x), rn("neg", x)])]),
    );
    // Postfix expressions by their edges: `ww` starts and ends with a word
    // character, `ow` starts with a bracket or quote and ends with a field
    // name, `oo` starts and ends with a bracket or quote.
    let fields = || star(t("DOTFIELD"));
    g.rule(
        name("pf_ww_noint", x),
        alt(vec![
            seq(vec![alt(vec![t("LOWER"), t("UPPER"), lit("true"), lit("false"), t("FLOAT")]), fields()]),
            seq(vec![t("INT_FIELD"), fields()]),
        ]),
    );
    g.rule(name("pf_ww", x), alt(vec![rn("pf_ww_noint", x), t("INT")]));
    g.rule(name("pf_ow", x), seq(vec![rn("oatom", x), plus(t("DOTFIELD"))]));
    g.rule(name("pf_oo", x), rn("oatom", x));
    g.rule(name("postfix", x), alt(vec![rn("pf_ww", x), rn("pf_ow", x), rn("pf_oo", x)]));
    g.rule(
        name("oatom", x),
        alt(vec![t("CHAR"), r("string"), rn("paren", x), rn("list", x), rn("record", x)]),
    );
    // Application (and list elements): postfix expressions side by side.
    let oo_ww = || seq(vec![rn("pf_oo", x), opt(rn("pf_ww", x))]);
    g.rule(
        name("app", x),
        seq(vec![
            alt(vec![rn("pf_ww", x), rn("pf_ow", x), oo_ww()]),
            star(alt(vec![
                seq(vec![gm(x), rn("pf_ww", x)]),
                seq(vec![go(x), rn("pf_ow", x)]),
                seq(vec![go(x), oo_ww()]),
            ])),
        ]),
    );
}

/// Parentheses, tuples, lists, ranges, comprehensions and records.
fn brackets(g: &mut Grammar, x: Ctx) {
    let e = || r(mname("expr", Mode::Cons, x));
    g.rule(
        name("paren", x),
        alt(vec![
            seq(vec![lit("("), go(x), lit(")")]),
            seq(vec![lit("("), go(x), e(), go(x), lit(")")]),
            seq(vec![
                lit("("),
                go(x),
                e(),
                rep(seq(vec![go(x), lit(","), go(x), e()]), 1, MAX_TUPLE - 1),
                go(x),
                lit(")"),
            ]),
        ]),
    );
    g.rule(
        name("list", x),
        alt(vec![
            seq(vec![lit("["), go(x), lit("]")]),
            seq(vec![lit("["), go(x), rn("app", x), go(x), lit("]")]),
            seq(vec![lit("["), go(x), rn("range_lo", x), go(x), rn("postfix", x), go(x), lit("]")]),
            seq(vec![
                lit("["),
                go(x),
                e(),
                go(x),
                lit("|"),
                go(x),
                rn("qual", x),
                star(seq(vec![go(x), lit(","), go(x), rn("qual", x)])),
                go(x),
                lit("]"),
            ]),
        ]),
    );
    g.rule(
        name("range_lo", x),
        alt(vec![
            seq(vec![alt(vec![rn("pf_ww_noint", x), rn("pf_ow", x), rn("pf_oo", x)]), go(x), lit("..")]),
            seq(vec![t("INT"), gm(x), lit("..")]),
            t("INT_DOTDOT"),
        ]),
    );
    g.rule(
        name("qual", x),
        alt(vec![seq(vec![rn("pat", x), go(x), lit("<-"), go(x), e()]), e()]),
    );
    let more_fields = || star(seq(vec![go(x), lit(","), go(x), rn("field", x)]));
    g.rule(
        name("record", x),
        alt(vec![
            seq(vec![lit("{"), go(x), rn("field", x), more_fields(), go(x), lit("}")]),
            seq(vec![lit("{"), go(x), lit("..."), go(x), e(), more_fields(), go(x), lit("}")]),
        ]),
    );
    g.rule(name("field", x), seq(vec![t("LOWER"), opt(seq(vec![go(x), lit("="), go(x), e()]))]));
}

/// String literals: plain, or with `${...}` interpolations holding
/// one-line expressions.
fn strings(g: &mut Grammar) {
    let x = Ctx::Interp;
    let inner = || seq(vec![go(x), r(mname("expr", Mode::Cons, x)), go(x)]);
    g.rule(
        "string",
        alt(vec![
            t("STR_PLAIN"),
            seq(vec![t("STR_START"), inner(), star(seq(vec![t("STR_MID"), inner()])), t("STR_END")]),
        ]),
    );
}

/// Patterns, with the same word-edge classes as postfix expressions.
fn patterns(g: &mut Grammar, x: Ctx) {
    g.rule(
        name("apat_ww", x),
        alt(vec![lit("_"), t("LOWER"), t("UPPER"), t("INT"), t("FLOAT"), lit("true"), lit("false")]),
    );
    g.rule(
        name("apat_ww_noupper", x),
        alt(vec![lit("_"), t("LOWER"), t("INT"), t("FLOAT"), lit("true"), lit("false")]),
    );
    g.rule(
        name("apat_oo", x),
        alt(vec![
            t("CHAR"),
            t("STR_PLAIN"),
            seq(vec![lit("("), go(x), lit(")")]),
            seq(vec![lit("("), go(x), rn("pat", x), go(x), lit(")")]),
            rn("tuplepat", x),
            rn("recpat", x),
            seq(vec![lit("["), go(x), lit("]")]),
            seq(vec![lit("["), go(x), rn("apats", x), go(x), lit("]")]),
        ]),
    );
    let oo_ww = || seq(vec![rn("apat_oo", x), opt(rn("apat_ww", x))]);
    // One more pattern after a sequence that ends with a word character.
    g.rule(name("alink", x), alt(vec![seq(vec![gm(x), rn("apat_ww", x)]), seq(vec![go(x), oo_ww()])]));
    g.rule(
        name("apats", x),
        seq(vec![alt(vec![rn("apat_ww", x), oo_ww()]), star(rn("alink", x))]),
    );
    g.rule(
        name("pat", x),
        alt(vec![
            seq(vec![t("UPPER"), plus(rn("alink", x))]),
            rn("apat", x),
            seq(vec![rn("apat", x), gco(x), lit(":"), go(x), rn("pat", x)]),
        ]),
    );
    g.rule(name("apat", x), alt(vec![rn("apat_ww", x), rn("apat_oo", x)]));
    g.rule(
        name("tuplepat", x),
        seq(vec![
            lit("("),
            go(x),
            rn("pat", x),
            rep(seq(vec![go(x), lit(","), go(x), rn("pat", x)]), 1, MAX_TUPLE - 1),
            go(x),
            lit(")"),
        ]),
    );
    g.rule(
        name("recpat", x),
        seq(vec![
            lit("{"),
            go(x),
            rn("rfield", x),
            star(seq(vec![go(x), lit(","), go(x), rn("rfield", x)])),
            go(x),
            lit("}"),
        ]),
    );
    g.rule(name("rfield", x), seq(vec![t("LOWER"), opt(seq(vec![go(x), lit("="), go(x), rn("pat", x)]))]));
    // The parser binds a tuple or record pattern, also in extra parentheses.
    g.rule(
        name("bindpat", x),
        alt(vec![
            rn("tuplepat", x),
            rn("recpat", x),
            seq(vec![lit("("), go(x), rn("bindpat", x), go(x), lit(")")]),
        ]),
    );
}

/// Block statements at depth `d`, and the bodies of definitions.
fn statements(g: &mut Grammar, d: u8) {
    let x = Ctx::Depth(d);
    let e = || r(mname("expr", Mode::Cons, x));
    // An inline body starts on the line of its `=`; a `=` that ends its
    // line opens a block two columns deeper.
    let mut bodies = vec![seq(vec![opt(t("SP")), e()])];
    if d < MAX_DEPTH {
        bodies.push(seq(vec![r("eol"), t(nl_eq(2 * d + 2)), rn("block", Ctx::Depth(d + 1))]));
    }
    g.rule(name("body", x), alt(bodies));
    g.rule(
        name("equation", x),
        seq(vec![t("LOWER"), star(rn("alink", x)), go(x), lit("="), rn("body", x)]),
    );
    g.rule(name("pbind", x), seq(vec![rn("bindpat", x), go(x), lit("="), rn("body", x)]));
    if d > 0 {
        g.rule(name("stmt", x), alt(vec![rn("equation", x), rn("pbind", x), e()]));
        g.rule(name("block", x), seq(vec![star(seq(vec![rn("stmt", x), rn("sep", x)])), e()]));
    }
}

/// Top-level items and types (which only appear at top level).
fn types(g: &mut Grammar) {
    let x = Ctx::Depth(0);
    let params = || star(seq(vec![gm(x), t("LOWER")]));
    g.rule(
        "typedef",
        seq(vec![
            t("UPPER"),
            params(),
            go(x),
            lit("="),
            go(x),
            r("variant"),
            star(seq(vec![go(x), lit("|"), go(x), r("variant")])),
        ]),
    );
    g.rule("variant", seq(vec![t("UPPER"), star(r("tlink"))]));
    g.rule("tatom_ww", alt(vec![t("UPPER"), t("LOWER")]));
    g.rule(
        "tlink",
        alt(vec![
            seq(vec![gm(x), r("tatom_ww")]),
            seq(vec![go(x), r("tatom_oo"), opt(r("tatom_ww"))]),
        ]),
    );
    let ty = || r("type");
    let rfield = || seq(vec![t("LOWER"), go(x), lit(":"), go(x), ty()]);
    g.rule(
        "tatom_oo",
        alt(vec![
            seq(vec![lit("("), go(x), lit(")")]),
            seq(vec![lit("("), go(x), ty(), go(x), lit(")")]),
            seq(vec![
                lit("("),
                go(x),
                ty(),
                rep(seq(vec![go(x), lit(","), go(x), ty()]), 1, MAX_TUPLE - 1),
                go(x),
                lit(")"),
            ]),
            seq(vec![lit("["), go(x), ty(), go(x), lit("]")]),
            seq(vec![
                lit("{"),
                go(x),
                rfield(),
                star(seq(vec![go(x), lit(","), go(x), rfield()])),
                go(x),
                lit("}"),
            ]),
        ]),
    );
    g.rule("type", seq(vec![r("btype"), opt(seq(vec![go(x), lit("->"), go(x), ty()]))]));
    g.rule(
        "btype",
        alt(vec![seq(vec![t("UPPER"), star(r("tlink"))]), t("LOWER"), r("tatom_oo")]),
    );
    g.rule(
        "alias",
        seq(vec![lit("type"), gm(x), t("UPPER"), params(), go(x), lit("="), go(x), ty()]),
    );
    g.rule("sig", seq(vec![alt(vec![t("NAME0"), lit("data")]), go(x), lit(":"), go(x), ty()]));
    // `data X ...` at the start of a top-level item is rejected by the
    // parser (a hint for Haskell's `data` declarations).
    let data_first = alt(vec![
        seq(vec![gm(x), rn("apat_ww_noupper", x)]),
        seq(vec![go(x), rn("apat_oo", x), opt(rn("apat_ww", x))]),
    ]);
    g.rule(
        "topeq",
        alt(vec![
            seq(vec![t("NAME0"), star(rn("alink", x)), go(x), lit("="), rn("body", x)]),
            seq(vec![
                lit("data"),
                opt(seq(vec![data_first, star(rn("alink", x))])),
                go(x),
                lit("="),
                rn("body", x),
            ]),
        ]),
    );
    g.rule("test", seq(vec![lit("test"), go(x), t("STR_PLAIN"), go(x), lit("="), rn("body", x)]));
}

/// The lexemes.
fn terminals(g: &mut Grammar) {
    let digit = || rx_class(&[('0', '9')]);
    let hex = || rx_class(&[('0', '9'), ('a', 'f'), ('A', 'F')]);
    // Integer literals must fit in a signed 64-bit integer; a float's
    // integer part has no such bound.
    let int = || int_literal();
    let float_int = || rx_alt(vec![rx_lit("0"), rx_seq(vec![rx_class(&[('1', '9')]), rx_star(digit())])]);
    let lower = || Rx::Name(RESERVED.to_vec());
    let blank_lines = || rx_seq(vec![rx_lit("\n"), rx_star(rx_seq(vec![rx_star(rx_lit(" ")), rx_lit("\n")]))]);

    g.terminal("SP", rx_plus(rx_lit(" ")));
    g.terminal("COMMENT", rx_seq(vec![rx_lit("--"), rx_star(rx_not(&[('\n', '\n'), ('\t', '\t'), ('\r', '\r')]))]));
    g.terminal("NL_ANY", rx_seq(vec![blank_lines(), rx_star(rx_lit(" "))]));
    for d in 0..=MAX_DEPTH {
        let n = u32::from(2 * d);
        g.terminal(&nl_eq(2 * d), rx_seq(vec![blank_lines(), rx_rep(rx_lit(" "), n, Some(n))]));
        g.terminal(&nl_gt(2 * d), rx_seq(vec![blank_lines(), rx_rep(rx_lit(" "), n + 1, None)]));
    }
    g.terminal("LOWER", lower());
    let mut top_reserved = RESERVED.to_vec();
    top_reserved.push("data");
    g.terminal("NAME0", Rx::Name(top_reserved));
    g.terminal(
        "UPPER",
        rx_seq(vec![rx_class(&[('A', 'Z')]), rx_star(rx_class(&[('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_')]))]),
    );
    g.terminal("INT", int());
    g.terminal(
        "FLOAT",
        rx_seq(vec![
            float_int(),
            rx_lit("."),
            rx_plus(digit()),
            rx_opt(rx_seq(vec![rx_class(&[('e', 'e'), ('E', 'E')]), rx_opt(rx_class(&[('+', '+'), ('-', '-')])), rx_plus(digit())])),
        ]),
    );
    g.terminal("INT_DOTDOT", rx_seq(vec![int(), rx_lit("..")]));
    g.terminal("INT_FIELD", rx_seq(vec![int(), rx_lit("."), lower()]));
    g.terminal("DOTFIELD", rx_seq(vec![rx_lit("."), lower()]));

    // `\u{H..H}`: 1 to 6 hex digits naming a Unicode scalar value (no
    // surrogates, at most 10FFFF), leading zeros included in the count.
    let nz = || rx_class(&[('1', '9'), ('a', 'f'), ('A', 'F')]);
    let zeros = |max: u32| rx_rep(rx_lit("0"), 0, Some(max));
    let scalar = rx_alt(vec![
        rx_seq(vec![zeros(5), hex()]),
        rx_seq(vec![zeros(4), nz(), hex()]),
        rx_seq(vec![zeros(3), nz(), hex(), hex()]),
        rx_seq(vec![
            zeros(2),
            rx_alt(vec![
                rx_seq(vec![rx_class(&[('1', '9'), ('a', 'c'), ('A', 'C'), ('e', 'f'), ('E', 'F')]), hex(), hex(), hex()]),
                rx_seq(vec![rx_class(&[('d', 'd'), ('D', 'D')]), rx_class(&[('0', '7')]), hex(), hex()]),
            ]),
        ]),
        rx_seq(vec![zeros(1), nz(), rx_rep(hex(), 4, Some(4))]),
        rx_seq(vec![rx_lit("10"), rx_rep(hex(), 4, Some(4))]),
    ]);
    let escape = || {
        rx_seq(vec![
            rx_lit("\\"),
            rx_alt(vec![
                rx_class(&[('n', 'n'), ('t', 't'), ('r', 'r'), ('0', '0'), ('\\', '\\'), ('"', '"'), ('\'', '\''), ('$', '$')]),
                rx_seq(vec![rx_lit("u{"), scalar.clone(), rx_lit("}")]),
            ]),
        ])
    };
    g.terminal(
        "CHAR",
        rx_seq(vec![rx_lit("'"), rx_alt(vec![rx_not(&[('\'', '\''), ('\\', '\\'), ('\n', '\n')]), escape()]), rx_lit("'")]),
    );
    let text = || rx_star(rx_alt(vec![rx_not(&[('"', '"'), ('\\', '\\'), ('$', '$'), ('\n', '\n')]), escape()]));
    g.terminal("STR_PLAIN", rx_seq(vec![rx_lit("\""), text(), rx_lit("\"")]));
    g.terminal("STR_START", rx_seq(vec![rx_lit("\""), text(), rx_lit("${")]));
    g.terminal("STR_MID", rx_seq(vec![rx_lit("}"), text(), rx_lit("${")]));
    g.terminal("STR_END", rx_seq(vec![rx_lit("}"), text(), rx_lit("\"")]));
}

/// `0` or a decimal integer without leading zeros up to `i64::MAX`: any
/// number of up to 18 digits, and 19-digit numbers that agree with the
/// bound up to some digit and are smaller there.
fn int_literal() -> Rx {
    let digit = || rx_class(&[('0', '9')]);
    let bound: Vec<char> = i64::MAX.to_string().chars().collect();
    let len = bound.len() as u32;
    let mut nineteen = Vec::new();
    for (i, &b) in bound.iter().enumerate() {
        let lowest = if i == 0 { '1' } else { '0' };
        if b > lowest {
            let smaller = char::from_u32(b as u32 - 1).unwrap_or(lowest);
            let prefix: String = bound[..i].iter().collect();
            let rest = len - 1 - i as u32;
            let mut parts = Vec::new();
            if !prefix.is_empty() {
                parts.push(rx_lit(&prefix));
            }
            parts.push(rx_class(&[(lowest, smaller)]));
            if rest > 0 {
                parts.push(rx_rep(digit(), rest, Some(rest)));
            }
            nineteen.push(rx_seq(parts));
        }
    }
    nineteen.push(rx_lit(&bound.iter().collect::<String>()));
    rx_alt(vec![
        rx_lit("0"),
        rx_seq(vec![rx_class(&[('1', '9')]), rx_rep(digit(), 0, Some(len - 2))]),
        rx_alt(nineteen),
    ])
}
