//! Property tests of the front end.
//!
//! - Round trip: a random tree (bounded depth, valid names) printed by
//!   `pretty::program` parses back without diagnostics to the same tree, up
//!   to spans and node ids. This checks the printer's parenthesisation and
//!   the parser's precedence, layout and literal handling against each other.
//! - No panic: random text made of Synoema fragments, and arbitrary strings,
//!   always lex and parse to a tree and diagnostics.
//! - Data: every `test_data/parse/ok/*.sno` parses without diagnostics and
//!   prints to a fixed point (snapshot of the canonical print); every
//!   `test_data/parse/err/*.sno` has its rendered diagnostics snapshotted.

use proptest::prelude::*;
use synoema_compiler::ast::*;
use synoema_compiler::parse::parse;
use synoema_compiler::pretty;
use synoema_compiler::span::Span;

fn sp() -> Span {
    Span::default()
}

fn ident(name: &str) -> Ident {
    Ident { name: name.to_string(), span: sp() }
}

fn mk(kind: ExprKind) -> Expr {
    Expr { id: 0, kind, span: sp() }
}

fn pat(kind: PatKind) -> Pat {
    Pat { kind, span: sp() }
}

fn lower() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["x", "y", "f", "go", "acc", "x1", "snake_case", "xs", "map", "t2"]).prop_map(String::from)
}

fn upper() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["Just", "None", "Leaf", "Node", "T", "Pair", "Ok", "A1"]).prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a', 'Z', ' ', '0', '$', '{', '}', '"', '\'', '\\', '\n', '\t', '\r', '\0', 'é', '😀', '-', '\u{7f}', '\u{1b}',
    ]);
    prop::collection::vec(chars, 0..6).prop_map(|cs| cs.into_iter().collect())
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1e21),
        Just(1.5e-7),
        Just(f64::MAX),
        Just(5e-324),
        (0u32..100_000).prop_map(|n| n as f64 / 8.0),
        (0.0f64..1e300),
    ]
}

fn lit() -> impl Strategy<Value = Lit> {
    prop_oneof![
        prop_oneof![0i64..1000, Just(i64::MAX)].prop_map(Lit::Int),
        float().prop_map(Lit::Float),
        any::<char>().prop_map(Lit::Char),
        text().prop_map(Lit::Str),
        any::<bool>().prop_map(Lit::Bool),
    ]
}

fn type_expr() -> impl Strategy<Value = TypeExpr> {
    let leaf = prop_oneof![
        upper().prop_map(|n| TypeExpr::Con(ident(&n), vec![])),
        lower().prop_map(|n| TypeExpr::Var(ident(&n))),
        Just(TypeExpr::Unit(sp())),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (upper(), prop::collection::vec(inner.clone(), 1..3)).prop_map(|(n, args)| TypeExpr::Con(ident(&n), args)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ts| TypeExpr::Tuple(ts, sp())),
            inner.clone().prop_map(|t| TypeExpr::List(Box::new(t), sp())),
            prop::collection::vec((lower(), inner.clone()), 1..3)
                .prop_map(|fs| TypeExpr::Record(fs.into_iter().map(|(n, t)| (ident(&n), t)).collect(), sp())),
            (inner.clone(), inner).prop_map(|(a, b)| TypeExpr::Fun(Box::new(a), Box::new(b))),
        ]
    })
}

fn pattern() -> impl Strategy<Value = Pat> {
    let leaf = prop_oneof![
        Just(pat(PatKind::Wildcard)),
        lower().prop_map(|n| pat(PatKind::Var(n))),
        lit().prop_map(|l| pat(PatKind::Lit(l))),
        upper().prop_map(|n| pat(PatKind::Con(ident(&n), vec![]))),
        Just(pat(PatKind::Unit)),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            (upper(), prop::collection::vec(inner.clone(), 1..3)).prop_map(|(n, args)| pat(PatKind::Con(ident(&n), args))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ps| pat(PatKind::Tuple(ps))),
            prop::collection::vec((lower(), inner.clone()), 1..3)
                .prop_map(|fs| pat(PatKind::Record(fs.into_iter().map(|(n, p)| (ident(&n), p)).collect()))),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|ps| pat(PatKind::List(ps))),
            (inner.clone(), inner).prop_map(|(h, t)| pat(PatKind::Cons(Box::new(h), Box::new(t)))),
        ]
    })
}

fn binop() -> impl Strategy<Value = BinOp> {
    use BinOp::*;
    prop::sample::select(vec![Pipe, Or, And, Eq, Ne, Lt, Gt, Le, Ge, Append, Cons, Add, Sub, Mul, Div, Mod, Pow, Compose])
}

/// Interpolation parts as the parser builds them: no empty or adjacent
/// text parts, and at least one expression.
fn interp(parts: Vec<(String, Option<Expr>)>, last: Expr) -> ExprKind {
    let mut out: Vec<InterpPart> = Vec::new();
    let push_text = |out: &mut Vec<InterpPart>, t: String| {
        if t.is_empty() {
            return;
        }
        if let Some(InterpPart::Text(prev)) = out.last_mut() {
            prev.push_str(&t);
        } else {
            out.push(InterpPart::Text(t));
        }
    };
    for (t, e) in parts {
        push_text(&mut out, t);
        if let Some(e) = e {
            out.push(InterpPart::Expr(e));
        }
    }
    out.push(InterpPart::Expr(last));
    ExprKind::Interp(out)
}

fn expression() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        lower().prop_map(|n| mk(ExprKind::Var(n))),
        upper().prop_map(|n| mk(ExprKind::Con(n))),
        lit().prop_map(|l| mk(ExprKind::Lit(l))),
        Just(mk(ExprKind::Unit)),
    ];
    leaf.prop_recursive(5, 40, 3, |e| {
        let fields = prop::collection::vec((lower(), e.clone()), 1..3)
            .prop_map(|fs| fs.into_iter().map(|(n, e)| (ident(&n), e)).collect::<Vec<_>>());
        let qual = prop_oneof![
            (pattern(), e.clone()).prop_map(|(p, e)| Qual::Gen(p, e)),
            e.clone().prop_map(Qual::Guard),
        ];
        prop_oneof![
            (prop::collection::vec(pattern(), 1..3), e.clone()).prop_map(|(ps, b)| mk(ExprKind::Lambda(ps, Box::new(b)))),
            (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| mk(ExprKind::Cond(Box::new(a), Box::new(b), Box::new(c)))),
            (binop(), e.clone(), e.clone()).prop_map(|(op, a, b)| mk(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            (binop(), e.clone(), e.clone()).prop_map(|(op, a, b)| mk(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            e.clone().prop_map(|a| mk(ExprKind::Neg(Box::new(a)))),
            (e.clone(), e.clone()).prop_map(|(f, a)| mk(ExprKind::App(Box::new(f), Box::new(a)))),
            (e.clone(), lower()).prop_map(|(r, f)| mk(ExprKind::Field(Box::new(r), ident(&f)))),
            prop::collection::vec(e.clone(), 2..4).prop_map(|es| mk(ExprKind::Tuple(es))),
            prop::collection::vec(e.clone(), 0..4).prop_map(|es| mk(ExprKind::List(es))),
            (e.clone(), e.clone()).prop_map(|(a, b)| mk(ExprKind::Range(Box::new(a), Box::new(b)))),
            (e.clone(), prop::collection::vec(qual, 1..3))
                .prop_map(|(h, qs)| mk(ExprKind::Comprehension(Box::new(h), qs))),
            fields.prop_map(|fs| mk(ExprKind::Record(fs))),
            (e.clone(), prop::collection::vec((lower(), e.clone()), 0..2)).prop_map(|(b, fs)| mk(ExprKind::Update(
                Box::new(b),
                fs.into_iter().map(|(n, e)| (ident(&n), e)).collect()
            ))),
            (prop::collection::vec((text(), prop::option::of(e.clone())), 0..2), e)
                .prop_map(|(parts, last)| mk(interp(parts, last))),
        ]
    })
}

fn doc() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(vec!["", "Adds one.", " indented", "two\nlines", "- a dash", "x -- y"]).prop_map(String::from))
}

/// A body: an expression, or a block nested at most `depth` more levels.
fn body(depth: u32) -> BoxedStrategy<Expr> {
    if depth == 0 {
        return expression().boxed();
    }
    let stmt = prop_oneof![
        equation(depth - 1).prop_map(Stmt::Equation),
        (
            prop_oneof![
                prop::collection::vec(pattern(), 2..4).prop_map(|ps| pat(PatKind::Tuple(ps))),
                prop::collection::vec((lower(), pattern()), 1..3)
                    .prop_map(|fs| pat(PatKind::Record(fs.into_iter().map(|(n, p)| (ident(&n), p)).collect()))),
            ],
            body(depth - 1)
        )
            .prop_map(|(pat, body)| Stmt::Bind { pat, body, span: sp() }),
        expression().prop_map(Stmt::Expr),
    ];
    let block = (prop::collection::vec(stmt, 0..3), expression())
        .prop_map(|(stmts, result)| mk(ExprKind::Block(Block { stmts, result: Box::new(result), span: sp() })));
    prop_oneof![expression(), block].boxed()
}

fn equation(depth: u32) -> impl Strategy<Value = Equation> {
    (lower(), prop::collection::vec(pattern(), 0..3), body(depth), doc())
        .prop_map(|(name, params, body, doc)| Equation { name: ident(&name), params, body, doc, span: sp() })
}

fn item() -> impl Strategy<Value = Item> {
    let variant = (upper(), prop::collection::vec(type_expr(), 0..3))
        .prop_map(|(n, fields)| Variant { name: ident(&n), fields, span: sp() });
    prop_oneof![
        (upper(), prop::collection::vec(lower(), 0..2), prop::collection::vec(variant, 1..3), doc()).prop_map(
            |(n, ps, variants, doc)| Item::TypeDef(TypeDef {
                name: ident(&n),
                params: ps.iter().map(|p| ident(p)).collect(),
                variants,
                doc,
                span: sp()
            })
        ),
        (upper(), prop::collection::vec(lower(), 0..2), type_expr(), doc()).prop_map(|(n, ps, ty, doc)| Item::Alias(
            Alias { name: ident(&n), params: ps.iter().map(|p| ident(p)).collect(), ty, doc, span: sp() }
        )),
        (lower(), type_expr(), doc()).prop_map(|(n, ty, doc)| Item::Sig(Sig { name: ident(&n), ty, doc, span: sp() })),
        equation(3).prop_map(Item::Equation),
        equation(3).prop_map(Item::Equation),
        (text(), body(2)).prop_map(|(name, body)| Item::Test(Test { name, name_span: sp(), body, span: sp() })),
    ]
}

fn program() -> impl Strategy<Value = Program> {
    prop::collection::vec(item(), 0..5).prop_map(|items| Program { items })
}

/// Pieces of Synoema source for the no-panic property.
const FRAGMENTS: &[&str] = &[
    "\n", "\n  ", "\n    ", "\n      ", " ", "=", "==", "->", "<-", ":", "?", "\\", "|", "|>", ">>", "..", "...", "(",
    ")", "[", "]", "{", "}", ",", ".", "\"", "${", "'", "--", "---", "0", "1.5", "-", "_", "x", "f", "main", "Just",
    "type", "test", "true", "mod", "[1 2]", "{x = 1}", "\t", "\r", "é", "99999999999999999999", "\\x -> x",
    "? a -> b : c", "@", "$", "\\u{", "1e5", "'a'", "\"${x}\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn printed_trees_parse_back_to_themselves(program in program()) {
        let src = pretty::program(&program);
        let (mut parsed, diags) = parse(&src);
        prop_assert!(diags.is_empty(), "diagnostics {:?} for\n{}", diags, src);
        pretty::normalize(&mut parsed);
        prop_assert_eq!(&parsed, &program, "source:\n{}", src);
    }

    #[test]
    fn fragment_soup_never_panics(parts in prop::collection::vec(0..FRAGMENTS.len(), 0..80)) {
        let src: String = parts.into_iter().map(|i| FRAGMENTS[i]).collect();
        let (program, _) = parse(&src);
        // Whatever was recovered prints without panicking too.
        let _ = pretty::program(&program);
    }

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        let _ = parse(&src);
    }

    #[test]
    fn arbitrary_bytes_as_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let src = String::from_utf8_lossy(&bytes);
        let _ = parse(&src);
    }
}

#[test]
fn deep_nesting_gives_a_diagnostic_not_a_crash() {
    for src in [
        "main = ".to_string() + &"(".repeat(100_000),
        "main = ".to_string() + &"[".repeat(100_000) + &"]".repeat(100_000),
        "main = ".to_string() + &"{x = ".repeat(100_000),
        "main = ".to_string() + &"\\x -> ".repeat(50_000) + "1",
        "main = ".to_string() + &"? a -> ".repeat(50_000) + "1",
        "main = ".to_string() + &"\"${".repeat(10_000),
        "main = 1".to_string() + &" ** 1".repeat(100_000),
        "f : ".to_string() + &"[".repeat(100_000),
        "f ".to_string() + &"(".repeat(100_000),
    ] {
        let (_, diags) = parse(&src);
        assert!(!diags.is_empty(), "{}", &src[..30]);
        assert!(diags.len() <= 2, "one mistake, few diagnostics: {diags:?}");
    }
}


#[test]
fn ok_files_parse_and_print_canonically() {
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/test_data/parse"), "ok/*.sno", |path| {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        let (mut program, diags) = parse(&src);
        assert!(diags.is_empty(), "{}: {diags:?}", path.display());
        let printed = pretty::program(&program);
        let (mut again, diags) = parse(&printed);
        assert!(diags.is_empty(), "printed {printed}: {diags:?}");
        pretty::normalize(&mut program);
        pretty::normalize(&mut again);
        assert_eq!(program, again, "printed:\n{printed}");
        insta::assert_snapshot!(printed);
    });
}

#[test]
fn err_files_report_their_mistakes() {
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/test_data/parse"), "err/*.sno", |path| {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        let (_, diags) = parse(&src);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("input.sno");
        let rendered = synoema_compiler::diagnostic::Renderer::new(name, &src).render_all(&diags);
        insta::assert_snapshot!(format!("----- SOURCE CODE\n{src}\n----- ERROR\n{rendered}"));
    });
}
