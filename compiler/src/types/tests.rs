//! Unit tests of the checker, from source text: expected rendered types of
//! top-level definitions, and expected diagnostics as (kind, line) pairs.

use crate::ast::{BinOp, Block, Equation, Expr, ExprKind, Ident, Item, Lit, Program};
use crate::diagnostic::Kind;
use crate::span::Span;
use crate::span::LineIndex;

/// Compiles `src` and returns the rendered type of each top-level name,
/// failing on any diagnostic.
fn types_of(src: &str) -> Vec<(String, String)> {
    let compiled = crate::compile(src);
    let idx = LineIndex::new(src);
    let shown: Vec<String> = compiled
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.kind.as_str(), idx.line_col(src, d.span.start).line, d.message))
        .collect();
    assert!(shown.is_empty(), "unexpected diagnostics for\n{src}\n{shown:#?}");
    compiled.info.top_level
}

/// The rendered type of `name` in `src`.
fn type_of(src: &str, name: &str) -> String {
    types_of(src)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("no `{name}` in\n{src}"))
}

/// Each diagnostic as (kind, 1-based line, message).
fn diags(src: &str) -> Vec<(Kind, u32, String)> {
    let compiled = crate::compile(src);
    let idx = LineIndex::new(src);
    compiled
        .diagnostics
        .iter()
        .map(|d| (d.kind, idx.line_col(src, d.span.start).line, d.message.clone()))
        .collect()
}

/// Expected diagnostics: kind, line and a fragment of the message.
type Expected<'a> = &'a [(Kind, u32, &'a str)];

/// Asserts that `src` reports exactly the `(kind, line)` pairs given, and
/// that each message contains the matching fragment.
#[track_caller]
fn assert_errors(src: &str, expected: Expected) {
    let got = diags(src);
    let ok = got.len() == expected.len()
        && got.iter().zip(expected).all(|((k, l, m), (ek, el, em))| k == ek && l == el && m.contains(em));
    assert!(ok, "for\n{src}\nexpected {expected:#?}\ngot {got:#?}");
}

#[test]
fn prelude_types_all_parse() {
    let mut defs = super::env::TypeDefs::new();
    super::prelude::add_prelude_types(&mut defs);
    let render = |text: &str| super::prelude::parse_scheme(text, &defs).map(|s| super::print::render_scheme(&defs, &s));
    assert_eq!(render("(b -> a -> b) -> b -> [a] -> b").as_deref(), Some("(a -> b -> a) -> a -> [b] -> a"));
    assert_eq!(render("(a -> Result b e) -> Result a e -> Result b e").as_deref(), Some("(a -> Result b c) -> Result a c -> Result b c"));
    assert_eq!(render("(Eq a, Show b) => a -> b").as_deref(), Some("(Eq a, Show b) => a -> b"));
    assert_eq!(render("(Show b, Ord a) => a -> b").as_deref(), Some("(Ord a, Show b) => a -> b"));
    for (name, text) in super::PRELUDE {
        let scheme = super::prelude::parse_scheme(text, &defs);
        assert!(scheme.is_some(), "prelude type of `{name}` does not parse: {text}");
        let rendered = super::print::render_scheme(&defs, &scheme.unwrap_or_else(super::Scheme::error));
        // Rendering names variables by first appearance, so rendering is
        // idempotent rather than the identity (`foldl` comes out renamed).
        let again = super::prelude::parse_scheme(&rendered, &defs).map(|s| super::print::render_scheme(&defs, &s));
        assert_eq!(again.as_deref(), Some(rendered.as_str()), "prelude `{name}` renders unstably");
    }
}

#[test]
fn simple_definitions() {
    let cases: &[(&str, &str, &str)] = &[
        ("x = 1\n", "x", "Int"),
        ("x = 1.5\n", "x", "Float"),
        ("x = 'c'\n", "x", "Char"),
        ("x = \"s\"\n", "x", "String"),
        ("x = true\n", "x", "Bool"),
        ("x = ()\n", "x", "()"),
        ("x = []\n", "x", "[a]"),
        ("x = [1 2 3]\n", "x", "[Int]"),
        ("x = (1, \"a\")\n", "x", "(Int, String)"),
        ("id x = x\n", "id", "a -> a"),
        ("k x y = x\n", "k", "a -> b -> a"),
        ("inc x = x + 1\n", "inc", "Int -> Int"),
        ("double x = x + x\n", "double", "Num a => a -> a"),
        ("twice f x = f (f x)\n", "twice", "(a -> a) -> a -> a"),
        ("compose f g x = f (g x)\n", "compose", "(a -> b) -> (c -> a) -> c -> b"),
        ("app f = f 1\n", "app", "(Int -> a) -> a"),
        ("flip f x y = f y x\n", "flip", "(a -> b -> c) -> b -> a -> c"),
        ("swap (a, b) = (b, a)\n", "swap", "(a, b) -> (b, a)"),
        ("neg x = -x\n", "neg", "Num a => a -> a"),
        ("half x = x / 2.0\n", "half", "Float -> Float"),
        ("r x = x % 2\n", "r", "Int -> Int"),
        ("p x = x ** 2\n", "p", "Int -> Int"),
        ("lt a b = a < b\n", "lt", "Ord a => a -> a -> Bool"),
        ("same a b = a == b\n", "same", "Eq a => a -> a -> Bool"),
        ("both a b = a == b && a < b\n", "both", "Ord a => a -> a -> Bool"),
        ("cat a b = a ++ b\n", "cat", "Append a => a -> a -> a"),
        ("hello n = \"hello ${n}\"\n", "hello", "Show a => a -> String"),
        ("pair x y = (show x, y + 1)\n", "pair", "Show a => a -> Int -> (String, Int)"),
        ("pair2 x y = (show x, y + y)\n", "pair2", "(Num b, Show a) => a -> b -> (String, b)"),
        ("sh x y = show x ++ show y\n", "sh", "(Show a, Show b) => a -> b -> String"),
        ("cons x xs = x : xs\n", "cons", "a -> [a] -> [a]"),
        ("pipe x = x |> show\n", "pipe", "Show a => a -> String"),
        ("comp = show >> str_len\n", "comp", "Show a => a -> Int"),
        ("rng n = [1..n]\n", "rng", "Int -> [Int]"),
        ("sq xs = [x * x | x <- xs]\n", "sq", "Num a => [a] -> [a]"),
        ("pos xs = [x | x <- xs, x > 0]\n", "pos", "[Int] -> [Int]"),
        ("pairs xs ys = [(x, y) | x <- xs, y <- ys]\n", "pairs", "[a] -> [b] -> [(a, b)]"),
        ("fsts ps = [a | (a, _) <- ps]\n", "fsts", "[(a, b)] -> [a]"),
        ("c b = ? b -> 1 : 2\n", "c", "Bool -> Int"),
        ("lam = \\x y -> (y, x)\n", "lam", "a -> b -> (b, a)"),
        ("tot xs = xs |> filter (\\x -> x > 0) |> sum\n", "tot", "[Int] -> Int"),
    ];
    for (src, name, expected) in cases {
        assert_eq!(&type_of(src, name), expected, "type of `{name}` in\n{src}");
    }
}

#[test]
fn rendering_of_compound_types() {
    let cases: &[(&str, &str, &str)] = &[
        ("f x = Ok (Just x)\n", "f", "a -> Result (Maybe a) b"),
        ("g = Just (\\x -> x)\n", "g", "Maybe (a -> a)"),
        ("k = (\\x -> x, 1)\n", "k", "(a -> a, Int)"),
        ("m f g = f >> g\n", "m", "(a -> b) -> (b -> c) -> a -> c"),
        ("hof f = f 1 2\n", "hof", "(Int -> Int -> a) -> a"),
        ("argf (f : _) = f 1\n", "argf", "[Int -> a] -> a"),
        ("rf = {f = \\x -> x}\n", "rf", "{f : a -> a}"),
        ("e = Err [(Just 1)]\n", "e", "Result a [Maybe Int]"),
        ("l = [[(1, 'c')]]\n", "l", "[[(Int, Char)]]"),
        ("u x = ((), x)\n", "u", "a -> ((), a)"),
        ("hi = (\\f -> f) (\\g -> g)\n", "hi", "a -> a"),
    ];
    for (src, name, expected) in cases {
        assert_eq!(&type_of(src, name), expected, "type of `{name}` in\n{src}");
    }
}

#[test]
fn recursive_and_multi_equation_functions() {
    let src = "len [] = 0\nlen (_ : xs) = 1 + len xs\n\nmap2 f [] = []\nmap2 f (x : xs) = f x : map2 f xs\n\nfact 0 = 1\nfact n = n * fact (n - 1)\n";
    assert_eq!(type_of(src, "len"), "[a] -> Int");
    assert_eq!(type_of(src, "map2"), "(a -> b) -> [a] -> [b]");
    assert_eq!(type_of(src, "fact"), "Int -> Int");
    let qsort = "qsort [] = []\nqsort (p : xs) =\n  lo = [x | x <- xs, x <= p]\n  hi = [x | x <- xs, x > p]\n  qsort lo ++ [p] ++ qsort hi\n";
    assert_eq!(type_of(qsort, "qsort"), "Ord a => [a] -> [a]");
}

#[test]
fn let_polymorphism_in_blocks() {
    let src = "main =\n  f x = x\n  (a, b) = (f 1, f \"s\")\n  (ident, n) = (\\y -> y, 3)\n  (ident true, a + n, b)\n";
    assert_eq!(type_of(src, "main"), "(Bool, Int, String)");
    let local = "g xs =\n  go acc [] = acc\n  go acc (y : ys) = go (acc + y) ys\n  go 0 xs\n";
    assert_eq!(type_of(local, "g"), "[Int] -> Int");
}

#[test]
fn records_and_rows() {
    let cases: &[(&str, &str, &str)] = &[
        ("p = {y = 2, x = 1}\n", "p", "{x : Int, y : Int}"),
        ("getx r = r.x\n", "getx", "{x : a | r} -> a"),
        ("sumxy r = r.x + r.y\n", "sumxy", "Num a => {x : a, y : a | r} -> a"),
        ("setx r = {...r, x = 0}\n", "setx", "{x : Int | r} -> {x : Int | r}"),
        ("px {x} = x\n", "px", "{x : a | r} -> a"),
        ("px2 {x, y = (a, b)} = x + a + b\n", "px2", "Num a => {x : a, y : (a, a) | r} -> a"),
        ("two r s = (r.a, s.b)\n", "two", "{a : a | r} -> {b : b | r1} -> (a, b)"),
                ("nested r = r.p.q\n", "nested", "{p : {q : a | r} | r1} -> a"),
    ];
    for (src, name, expected) in cases {
        assert_eq!(&type_of(src, name), expected, "type of `{name}` in\n{src}");
    }
    let use_site = "getx r = r.x\nv = getx {x = 1, y = true}\nw = getx {x = \"a\"}\n";
    assert_eq!(type_of(use_site, "v"), "Int");
    assert_eq!(type_of(use_site, "w"), "String");
}

#[test]
fn data_types_and_prelude_adts() {
    let src = "Shape = Circle Float | Rect Float Float\n\narea (Circle r) = 3.14 * r * r\narea (Rect w h) = w * h\n\nTree a = Leaf | Node (Tree a) a (Tree a)\n\ninsert x Leaf = Node Leaf x Leaf\ninsert x (Node l v r) = ? x < v -> Node (insert x l) v r : Node l v (insert x r)\n\nsafe_div a b = ? b == 0 -> Err \"div by zero\" : Ok (a / b)\n\nfind p [] = None\nfind p (x : xs) = ? p x -> Just x : find p xs\n\nwrap x = Just (Ok x)\nsome = Rect 1.0\n";
    assert_eq!(type_of(src, "area"), "Shape -> Float");
    assert_eq!(type_of(src, "insert"), "Ord a => a -> Tree a -> Tree a");
    assert_eq!(type_of(src, "safe_div"), "Int -> Int -> Result Int String");
    assert_eq!(type_of(src, "find"), "(a -> Bool) -> [a] -> Maybe a");
    assert_eq!(type_of(src, "wrap"), "a -> Maybe (Result a b)");
    assert_eq!(type_of(src, "some"), "Float -> Shape");
}

#[test]
fn aliases_expand() {
    let src = "type Point = {x : Int, y : Int}\ntype Pair a = (a, a)\n\norigin : Point\norigin = {x = 0, y = 0}\n\ndup : a -> Pair a\ndup v = (v, v)\n\nnorm p = p.x + p.y\n";
    assert_eq!(type_of(src, "origin"), "Point");
    assert_eq!(type_of(src, "dup"), "a -> Pair a");
    assert_eq!(type_of(src, "norm"), "Num a => {x : a, y : a | r} -> a");
}

#[test]
fn signatures() {
    let src = "len : [a] -> Int\nlen xs = foldl (\\n _ -> n + 1) 0 xs\n\nis_even : Int -> Bool\nis_odd : Int -> Bool\n\nis_even 0 = true\nis_even n = is_odd (n - 1)\n\nis_odd 0 = false\nis_odd n = is_even (n - 1)\n\nmain = is_even 10\n";
    assert_eq!(type_of(src, "len"), "[a] -> Int");
    assert_eq!(type_of(src, "is_even"), "Int -> Bool");
    assert_eq!(type_of(src, "main"), "Bool");
    // A signature may be less general than the body.
    assert_eq!(type_of("f : Int -> Int\nf x = x\n", "f"), "Int -> Int");
    // Normalised rendering: List a and records in name order.
    assert_eq!(type_of("f : List {b : Int, a : Bool} -> (Int -> Int) -> Int\nf xs g = g 1\n", "f"), "[{a : Bool, b : Int}] -> (Int -> Int) -> Int");
}

#[test]
fn defaulting() {
    assert_eq!(type_of("main = show (sum [])\n", "main"), "String");
    assert_eq!(type_of("main = print []\n", "main"), "()");
    let compiled = crate::compile("main = sum []\n");
    assert!(compiled.diagnostics.is_empty());
    assert_eq!(compiled.info.top_level, vec![("main".to_string(), "Num a => a".to_string())]);
    // The occurrence of `sum` in a definition where it is ambiguous is Int.
    let compiled = crate::compile("main = show (sum [])\n");
    let sum_types: Vec<&super::Type> = compiled.info.var_types.values().filter(|t| matches!(t, super::Type::Fun(..))).collect();
    assert!(sum_types.contains(&&super::Type::Fun(Box::new(super::Type::List(Box::new(super::Type::Int))), Box::new(super::Type::Int))), "{sum_types:?}");
    let compiled = crate::compile("main = show (product [2.0 3.0])\n");
    assert!(compiled.info.var_types.values().any(|t| *t == super::Type::Fun(Box::new(super::Type::List(Box::new(super::Type::Float))), Box::new(super::Type::Float))));
}

#[test]
fn shadowing_the_prelude() {
    let src = "Maybe a = Just a | Nothing\n\nfrom_maybe d Nothing = d\nfrom_maybe _ (Just x) = x\n\nmap f xs = [f x | x <- xs]\nlen = length [1]\nn = None\n";
    assert_eq!(type_of(src, "from_maybe"), "a -> Maybe a -> a");
    assert_eq!(type_of(src, "map"), "(a -> b) -> [a] -> [b]");
    assert_eq!(type_of(src, "n"), "Maybe a");
}

#[test]
fn main_and_tests() {
    assert_errors("main x = x\n", &[(Kind::Type, 1, "`main` has type `a -> a`, which cannot be shown")]);
    assert_errors("main = [(\\x -> x)]\n", &[(Kind::Type, 1, "cannot be shown")]);
    assert_errors("test \"t\" = 1 + 1\n", &[(Kind::Type, 1, "expected `Bool`, found `Int`")]);
    assert!(diags("test \"t\" = 1 + 1 == 2\nmain = 1\n").is_empty());
}

#[test]
fn scope_errors() {
    use Kind::Scope;
    assert_errors("main = y\n", &[(Scope, 1, "undefined name `y`")]);
    assert_errors("main = g 1\ng x = x\n", &[(Scope, 1, "`g` is used before its definition")]);
    assert_errors("main = Foo\n", &[(Scope, 1, "unknown constructor `Foo`")]);
    assert_errors("f 0 = 1\ng = 2\nf n = n\n", &[(Scope, 3, "`f` is already defined at line 1")]);
    assert_errors("f 0 = 1\nf a b = 2\n", &[(Scope, 2, "`f` has 2 parameters here but 1 in its first equation")]);
    assert_errors("f : Int -> Int\nmain = 1\n", &[(Scope, 1, "`f` has a type signature but no definition")]);
    assert_errors("f : Int -> Int\nf : Int -> Int\nf x = x\n", &[(Scope, 2, "`f` already has a type signature at line 1")]);
    assert_errors("T = A | B\nT = C\n", &[(Scope, 2, "type `T` is already defined at line 1")]);
    assert_errors("T = A | B\nU = B\n", &[(Scope, 2, "constructor `B` is already defined at line 1")]);
    assert_errors("f x x = x\n", &[(Scope, 1, "`x` is bound twice in this pattern")]);
    assert_errors("f : Foo -> Int\nf x = 1\n", &[(Scope, 1, "unknown type `Foo`")]);
    assert_errors("T = A b\n", &[(Scope, 1, "type variable `b` is not a parameter of `T`")]);
    assert_errors("type A = [A]\n", &[(Scope, 1, "type alias `A` refers to itself")]);
    assert_errors("main =\n  x = 1\n  x = 2\n  x\n", &[(Scope, 3, "`x` is already defined in this block at line 2")]);
    assert_errors("Int = I\n", &[(Scope, 1, "`Int` is a built-in type")]);
    // A signature makes a later definition visible early.
    assert!(diags("g : Int -> Int\nmain = g 1\ng x = x\n").is_empty());
    // An equation sees itself; a block statement sees earlier ones only.
    assert_errors("main =\n  a = b\n  b = 1\n  a\n", &[(Scope, 2, "`b` is used before its definition")]);
    assert_errors("main =\n  a = c + d\n  (c, d) = (1, 2)\n  a\n", &[(Scope, 2, "`c` is used before"), (Scope, 2, "`d` is used before")]);
    assert_errors("f x =\n  y = 1\n  y\nmain = y\n", &[(Scope, 4, "undefined name `y`")]);
}

#[test]
fn type_errors() {
    use Kind::Type;
    assert_errors("main = 2 * 1.5\n", &[(Type, 1, "expected `Int`, found `Float`")]);
    assert_errors("main = 1.5 % 2\n", &[(Type, 1, "expected `Int`, found `Float`")]);
    assert_errors("main = 1 + true\n", &[(Type, 1, "expected `Int`, found `Bool`")]);
    assert_errors("main = ? 1 -> 2 : 3\n", &[(Type, 1, "expected `Bool`, found `Int`")]);
    assert_errors("main = ? true -> 2 : \"x\"\n", &[(Type, 1, "expected `Int`, found `String`")]);
    assert_errors("f x = x + 1\nmain = f 1 2\n", &[(Type, 2, "`f` takes 1 argument but 2 were given")]);
    assert_errors("main = not 1\n", &[(Type, 1, "expected `Bool`, found `Int`")]);
    assert_errors("main = 1 2\n", &[(Type, 1, "is not a function; it has type `Int`")]);
    assert_errors("f x = x x\n", &[(Type, 1, "cannot construct the infinite type a = a -> b")]);
    assert_errors("f x = [x] == x\n", &[(Type, 1, "cannot construct the infinite type a = [a]")]);
    assert_errors("main = {x = 1}.z\n", &[(Type, 1, "record has no field `z`")]);
    assert_errors("main = {...{x = 1}, z = 2}\n", &[(Type, 1, "record has no field `z`")]);
    assert_errors("main = show (\\x -> x)\n", &[(Type, 1, "has no `Show`")]);
    assert_errors("main = (\\x -> x) == (\\x -> x)\n", &[(Type, 1, "has no `Eq`")]);
    assert_errors("main = {x = 1} < {x = 2}\n", &[(Type, 1, "has no `Ord`")]);
    assert_errors("main = 1 ++ 2\n", &[(Type, 1, "type `Int` has no `Append`")]);
    assert_errors("main = [1] ++ [true]\n", &[(Type, 1, "expected `[Int]`, found `[Bool]`")]);
    assert_errors("f : a -> a\nf x = 1\n", &[(Type, 2, "expected `a`, found `Int`")]);
    assert_errors("f : Int\nf x = x\n", &[(Type, 2, "`f` has 1 parameter but its signature `Int` takes fewer")]);
    assert_errors("f : a -> a -> Bool\nf x y = x < y\n", &[(Type, 2, "type `a` has no `Ord`")]);
    assert_errors("f (Just a b) = a\n", &[(Type, 1, "constructor `Just` takes 1 argument but 2 were given")]);
    assert_errors("f : Maybe -> Int\nf x = 1\n", &[(Type, 1, "type `Maybe` takes 1 argument but 0 were given")]);
    assert_errors("F = F (Int -> Int)\nmain = F (\\x -> x) == F (\\x -> x)\n", &[(Type, 2, "has no `Eq`")]);
    assert_errors("f r = r.x + 1\nmain = f {y = 1}\n", &[(Type, 2, "record has no field `x`")]);
}

#[test]
fn independent_errors_are_all_reported_without_cascades() {
    let src = "f x = x + \"a\"\ng = f 1\nh = 1 + true\nmain = (g, h, undefined_thing)\n";
    assert_errors(
        src,
        &[(Kind::Type, 1, "has no `Num`"), (Kind::Type, 3, "expected `Int`, found `Bool`"), (Kind::Scope, 4, "undefined name")],
    );
}

/// A hand-built expression nested `depth` deep, each level made by `wrap`.
fn deep_program(depth: usize, wrap: impl Fn(Expr) -> ExprKind) -> Program {
    let mut e = Expr { id: 0, kind: ExprKind::Lit(Lit::Int(1)), span: Span::at(0) };
    for i in 0..depth {
        e = Expr { id: i as u32 + 1, kind: wrap(e), span: Span::at(0) };
    }
    let name = Ident { name: "main".to_string(), span: Span::at(0) };
    Program { items: vec![Item::Equation(Equation { name, params: Vec::new(), body: e, doc: None, span: Span::at(0) })] }
}

fn check_on_small_stack(program: Program) -> Vec<String> {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || super::check(&program).1.into_iter().map(|d| d.message).collect::<Vec<_>>());
    handle.expect("spawn").join().expect("checker overflowed or panicked")
}

#[test]
fn deep_expressions_do_not_overflow() {
    let one = || Box::new(Expr { id: 9999, kind: ExprKind::Lit(Lit::Int(1)), span: Span::at(0) });
    let shapes: Vec<Box<dyn Fn(Expr) -> ExprKind>> = vec![
        Box::new(move |e| ExprKind::Binary(BinOp::Add, Box::new(e), one())),
        Box::new(|e| ExprKind::List(vec![e])),
        Box::new(|e| ExprKind::Neg(Box::new(e))),
        Box::new(|e| ExprKind::Lambda(Vec::new(), Box::new(e))),
        Box::new(move |e| ExprKind::Cond(Box::new(Expr { id: 9998, kind: ExprKind::Lit(Lit::Bool(true)), span: Span::at(0) }), Box::new(e), Box::new(Expr { id: 9997, kind: ExprKind::Hole, span: Span::at(0) }))),
        Box::new(|e| ExprKind::Block(Block { stmts: Vec::new(), result: Box::new(e), span: Span::at(0) })),
    ];
    for wrap in shapes {
        // As deep as the parser allows: no error.
        let errors = check_on_small_stack(deep_program(256, &wrap));
        assert!(errors.is_empty(), "{errors:?}");
        // Far deeper: one error, no overflow.
        let errors = check_on_small_stack(deep_program(5000, &wrap));
        assert_eq!(errors, vec!["expression is nested too deeply to check".to_string()]);
    }
}

#[test]
fn holes_and_error_nodes_type_as_unknowns() {
    let hole = |id| Expr { id, kind: ExprKind::Hole, span: Span::at(0) };
    let err = |id| Expr { id, kind: ExprKind::Error, span: Span::at(0) };
    // `main = (hole + 1, error_node 1 2, error_node ++ "a")`
    let body = Expr {
        id: 1,
        kind: ExprKind::Tuple(vec![
            Expr { id: 2, kind: ExprKind::Binary(BinOp::Add, Box::new(hole(3)), Box::new(Expr { id: 4, kind: ExprKind::Lit(Lit::Int(1)), span: Span::at(0) })), span: Span::at(0) },
            Expr { id: 5, kind: ExprKind::App(Box::new(err(6)), Box::new(hole(7))), span: Span::at(0) },
            Expr { id: 8, kind: ExprKind::Binary(BinOp::Append, Box::new(err(9)), Box::new(Expr { id: 10, kind: ExprKind::Lit(Lit::Str("a".into())), span: Span::at(0) })), span: Span::at(0) },
        ]),
        span: Span::at(0),
    };
    let name = Ident { name: "main".to_string(), span: Span::at(0) };
    let program = Program { items: vec![Item::Equation(Equation { name, params: Vec::new(), body, doc: None, span: Span::at(0) })] };
    let (info, diags) = super::check(&program);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(info.top_level, vec![("main".to_string(), "(Int, _, String)".to_string())]);
}

#[test]
fn more_type_error_families() {
    use Kind::{Scope, Type};
    let cases: &[(&str, Expected)] = &[
        ("main = [x | x <- 5]\n", &[(Type, 1, "expected `[a]`, found `Int`")]),
        ("main = [x | x <- [1], x]\n", &[(Type, 1, "expected `Bool`, found `Int`")]),
        ("main = [1..2.0]\n", &[(Type, 1, "expected `Int`, found `Float`")]),
        ("main = \"${\\x -> x}\"\n", &[(Type, 1, "type `a -> a` has no `Show`")]),
        ("f (a, b) = a\nmain = f (1, 2, 3)\n", &[(Type, 2, "expected `(a, b)`, found `(Int, Int, Int)`")]),
        ("f {x} = x\nmain = f 1\n", &[(Type, 2, "expected `{x : a | r}`, found `Int`")]),
        ("f (Just x) = x\nmain = f (Ok 1)\n", &[(Type, 2, "expected `Maybe a`, found `Result Int b`")]),
        ("f 0 = 1\nf \"a\" = 2\n", &[(Type, 2, "expected `Int`, found `String`")]),
        ("f 0 = 1\nf n = true\n", &[(Type, 2, "expected `Int`, found `Bool`")]),
        ("main = true && 1\n", &[(Type, 1, "expected `Bool`, found `Int`")]),
        ("main = 1 : 2\n", &[(Type, 1, "expected `[Int]`, found `Int`")]),
        ("main = 1 |> 2\n", &[(Type, 1, "is not a function")]),
        ("main = 1 >> show\n", &[(Type, 1, "expected `a -> b`, found `Int`")]),
        ("main = -\"a\"\n", &[(Type, 1, "type `String` has no `Num`")]),
        ("main = \"a\" < 1\n", &[(Type, 1, "expected `String`, found `Int`")]),
        ("main = Just 1 2\n", &[(Type, 1, "`Just` takes 1 argument but 2 were given")]),
        ("T = T (Maybe Int Int)\n", &[(Type, 1, "type `Maybe` takes 1 argument but 2 were given")]),
        ("T = T Foo\n", &[(Scope, 1, "unknown type `Foo`")]),
        ("type P a = (a, a)\nf : P -> Int\nf x = 1\n", &[(Type, 2, "type `P` takes 1 argument but 0 were given")]),
        ("main = {x = 1, x = 2}\n", &[(Scope, 1, "field `x` is given twice")]),
        ("f : a -> b\nf x = x\n", &[(Type, 2, "expected `b`, found `a`")]),
        ("f : Int -> a\nf x = x\n", &[(Type, 2, "expected `a`, found `Int`")]),
        ("f : a -> a\nf x = x + 1\n", &[(Type, 2, "type `a` has no `Num`")]),
        ("f : [a] -> a\nf xs =\n  y = head xs\n  y + 1\n", &[(Type, 4, "type `a` has no `Num`")]),
        ("f : a -> Int\nf g = g 1\n", &[(Type, 2, "`g` is not a function; it has type `a`")]),
        ("f : a -> String\nf x = show x\n", &[(Type, 2, "type `a` has no `Show`")]),
        ("main = (\\x -> x) < (\\x -> x)\n", &[(Type, 1, "has no `Ord`")]),
        ("main = (Just 1) < (Just 2)\n", &[(Type, 1, "type `Maybe Int` has no `Ord`")]),
        ("main =\n  f x = x + 1\n  f true\n", &[(Type, 3, "expected `Int`, found `Bool`")]),
        ("main =\n  (a, b) = 1\n  a\n", &[(Type, 2, "expected `(a, b)`, found `Int`")]),
        ("main =\n  g 0 = 1\n  g a b = 2\n  g 0\n", &[(Scope, 3, "`g` has 2 parameters here but 1")]),
        ("main =\n  {x, y} = {x = 1}\n  x\n", &[(Type, 2, "record has no field `y`")]),
        ("main = print\n", &[(Type, 1, "cannot be shown")]),
    ];
    for (src, expected) in cases {
        assert_errors(src, expected);
    }
}

#[test]
fn effect_statements_and_blocks() {
    let src = "main =\n  print 1\n  for_each print [1 2]\n  xs = [1 2 3]\n  total = sum xs\n  \"total: ${total}\"\n";
    assert_eq!(type_of(src, "main"), "String");
    let nested = "f n =\n  g m =\n    h k = k + m\n    h n\n  g 1\n";
    assert_eq!(type_of(nested, "f"), "Int -> Int");
}

#[test]
fn var_types_record_instantiations() {
    let compiled = crate::compile("main = length [true]\n");
    assert!(compiled.diagnostics.is_empty());
    let types: Vec<&super::Type> = compiled.info.var_types.values().collect();
    assert_eq!(
        types,
        vec![&super::Type::Fun(Box::new(super::Type::List(Box::new(super::Type::Bool))), Box::new(super::Type::Int))]
    );
}

#[test]
fn every_independent_error_in_one_run() {
    let src = "T = A | A\nf : Foo\nf = 1\ng x x = 1\nh = 2 * 1.5\nk = missing\nmain = h\n";
    let got: Vec<(Kind, u32)> = diags(src).into_iter().map(|(k, l, _)| (k, l)).collect();
    assert_eq!(got, vec![(Kind::Scope, 1), (Kind::Scope, 2), (Kind::Scope, 4), (Kind::Type, 5), (Kind::Scope, 6)]);
}

#[test]
fn typos_get_a_did_you_mean_hint() {
    let hint_of = |src: &str| crate::compile(src).diagnostics.first().and_then(|d| d.hint.clone());
    assert_eq!(hint_of("main = lenght [1]\n").as_deref(), Some("did you mean `length`?"));
    assert_eq!(hint_of("main = maximun [1]\n").as_deref(), Some("did you mean `maximum`?"));
    assert_eq!(hint_of("main = zzzzzz [1]\n"), None);
    assert_eq!(
        hint_of("main = {name = 1, age = 2}.nmae\n").as_deref(),
        Some("did you mean `name`? it has `age`, `name`")
    );
}
