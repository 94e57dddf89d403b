//! Accept and reject lists for the tricky spots of the grammar, in the
//! style of llguidance's `test_lark.rs`. Every entry is checked against
//! both the reference parser and the grammar's byte masks, so a list entry
//! cannot drift from what the language really is.

mod support;

use support::{parses, replay, Replay};

/// Programs both the parser and the grammar accept.
const ACCEPT: &[&str] = &[
    // Empty files, blank and comment-only lines anywhere.
    "",
    "\n",
    "   ",
    "-- only a comment",
    "  -- indented comment\n\n   \nx = 1\n",
    "x = 1 -- trailing\n   -- odd indentation\n-- col 0\n y -- a continuation line\n",
    "x = 1   \n\n\n",
    "x =\n  -- comment before the first block line\n      -- at any indentation\n  1\n",
    // Keywords versus names.
    "types = 1\ntested = types\ntrue_x = true\nfalse1 = false\ndatax = 1\nwhenever = 1",
    "data = 1",
    "data x = x",
    "data (X) = 1",
    "f =\n  data X = 1\n  data\n",
    "data : Int",
    "type T = Int",
    "typeT = 1",
    "test \"t\" = true",
    "testx = 1",
    "r = p.types",
    // Operators that share a prefix.
    "x = [y | y<-ys]",
    "x = [y | y <- -1]",
    "x = [y | y<--1]",
    "x = a < -1",
    "x = a <= -1",
    "x = a<=b",
    "x = a - -b",
    "x = a-b",
    "x = a --b",
    "x = a ---b",
    "x = a |> f || b",
    "x = a||b",
    "x = a|>f",
    "T = A|B",
    "x = [a | a <- [1..n]]",
    "x = {...r, a = 1}",
    "x = {...r}",
    "x = a >> b >= c",
    "x = a>>b",
    "x = a ** b * c",
    "x = a**b*c",
    "x = a ++ b + c",
    "x = \\a->b",
    "x = \\a->-b",
    "x = -a",
    "x = - a",
    "x = (-1)",
    "x = f (-1) [(-1) 2]",
    "x = a == -1",
    "x = a --> comment",
    // Number and letter adjacency.
    "x = [1..n]",
    "x = [1 .. n]",
    "x = [a..b]",
    "x = [p.x..p.y]",
    "x = [1.x..2]",
    "x = [1.5..2.5]",
    "x = 1.x",
    "x = 1.e5",
    "x = 1.5.x",
    "x = 1.5e5 + 2.0E-3 + 0.0",
    "x = 9223372036854775807 + 999999999999999999 + 8999999999999999999",
    "x = [9223372036854775807..1]",
    "x = 99999999999999999999.5",
    "x = f 1 x 2",
    "x = f 1\"s\"'c'",
    "x = f(x)y",
    "x = [1 2 3]",
    "x = [(f x) y]",
    "f _ x = x",
    "f 1 _ = 1",
    "f (x)y = y",
    "f [_ 1 x] = x",
    // Field access adjacency.
    "x = p.x",
    "x = p.x.y",
    "x = (p).x",
    "x = {x = 1}.x",
    "x = show p.x",
    "x = \"s\".len",
    "x = Foo.x",
    // Layout: blocks, continuations, the `: else` line.
    "fizz n =\n  ? n % 15 == 0 -> \"FizzBuzz\"\n  : ? n % 3 == 0 -> \"Fizz\"\n  : show n\n",
    "total xs = xs\n  |> filter (\\x -> x > 0)\n  |> sum\n",
    "x = [1\n  2]",
    "r = {x =\n  1}",
    "T =\n  A\n  | B\ntype P =\n    Int",
    "f x\n  = 1",
    "f x\n  =\n  1",
    "f =\n  g x =\n    x\n  g 1\nz = 2",
    "f =\n  x = 1\n  : xs\n  x",
    "f =\n  g (x\n  : xs) = x\n  g",
    "f =\n  (a, b) = (1, 2)\n  ((c, d)) = (3, 4)\n  {x, y = z} = r\n  a",
    "f =\n  ? a\n    -> b\n  : c",
    "main =\n  x = 1\n  print x\n  x\n",
    "t =\n  a =\n    b =\n      c =\n        d =\n          e =\n            f =\n              g =\n                1\n              g\n            f\n          e\n        d\n      c\n    b\n  a\n",
    "test \"block\" =\n  x = 1\n  x == 1",
    // Conditionals and lambdas in then-branches.
    "x = ? a -> ? b -> c : d : e",
    "x = ? a -> \\y -> y : z",
    "x = ? a -> b : c : d",
    "x = ? x : xs -> a : b",
    "x = ? a -> (b : c) : d",
    "x = xs |> (\\x -> x)",
    // String interpolation, nested.
    "x = \"a ${b} c\"",
    "x = \"${ \"${ \"${x}\" }\" }\"",
    "x = \"${ {a = 1}.a }\"",
    "x = \"${f \"}\"}\"",
    "x = \"${a - -1}\"",
    "x = \"${? a -> b : c}\"",
    "x = \"\\$5 \\u{1F600} \\u{0041} \\u{10FFFF} \\u{000000}\"",
    "x = \"tab\there é →\"",
    "x = '\\'' '$' '\"' '\\u{41}' 'é'",
    "x = a <\n  -1",
    "x = a < -- c\n  b",
    "x = a <\n  -- c\n  b",
    "x = a - -- c\n  b",
    "x = - -- c\n  1",
    "x = \"${[y | y<-ys]}\"",
    "x = [y | y <- xs, y > 0, (a, b) <- ps, Just z <- zs]",
    "f ((a, b)) (x : y : zs) {p, q = Just r} = 1",
    "x = \\(a, b) c _ -> a",
    "data\n  x = 1",
    "f\n  : Int",
    "x = ? a -> b\n  : c",
    "f =\n  x = 1 -- c\n\n  -- d\n  x\n-- e\ny = 2",
    // Types.
    "f : Int -> [a] -> (Int, String) -> {x : Int, y : a} -> Maybe (List a) -> ()",
    "Shape a = Circle Float | Rect Float Float | Poly [a] (a, a)",
    "type P a = {x : a, y : a}",
    "f : (a,b,c,d,e,f,g,h) -> ()",
    "x = (1, 2, 3, 4, 5, 6, 7, 8)",
];

/// Programs both the parser and the grammar reject.
const REJECT: &[&str] = &[
    // Layout.
    "  x = 1",
    "x =\n 1",
    "x =\n    1",
    "x =\n1",
    "x =",
    "x = -- c\n\n",
    "f =\n  a =\n    1\n a",
    "x = 1\n: 2",
    "f =\n  g =\n    1\n  : 2",
    "x = [1\ny = 2",
    "x =\ttab",
    "x = 1\r\n",
    "t =\n  a =\n    b =\n      c =\n        d =\n          e =\n            f =\n              g =\n                h =\n                  1\n",
    // Keywords and reserved words as names.
    "type = 1",
    "test = 1",
    "x = when",
    "mod = 1",
    "x = p.type",
    "x = p.true",
    "data X = 1",
    "f x = true x type",
    // Operators that share a prefix, and comments.
    "x = a<-1",
    "x = a <-1",
    "x = \"${a--b}\"",
    "x = \"${a<-1}\"",
    "x = - --c",
    "x = \"${a -- b}\"",
    "x = a <--c\n  b",
    "x = [a...b]",
    "x = a..b",
    "x = a < b < c",
    "x = a == b != c",
    "x = a > b >= c",
    "f x ==1",
    "x = a =",
    "x = a :: b",
    "T = A |> B",
    "x = a <- b",
    "x = a+++b",
    "x = a->b",
    "f =\n  x = 1\n  : xs",
    "f =\n  ? a\n  -> b\n  : c",
    // Number and letter adjacency.
    "x = 2x",
    "x = 007",
    "x = 1e5",
    "x = 1.5e",
    "x = 1.5e+",
    "x = 1_000",
    "f _x = 1",
    "x = 1.",
    "x = .5",
    "x = 9223372036854775807x",
    "x = 9223372036854775808",
    "x = 9300000000000000000",
    "x = 10000000000000000000",
    "x = [9223372036854775808..1]",
    // Field access adjacency.
    "x = p . x",
    "x = p .x",
    "x = p. x",
    "x = p.X",
    // Brackets and lists.
    "x = [-1]",
    "x = [1, 2]",
    "x = [f x | ]",
    "x = {}",
    "x = {x: 1}",
    "x = (1, 2, 3, 4, 5, 6, 7, 8, 9)",
    "f (1, 2, 3, 4, 5, 6, 7, 8, 9) = 1",
    "f : (a,b,c,d,e,f,g,h,i) -> ()",
    "x = ${a}",
    "x = \"${}\"",
    "x = \"$5\"",
    "x = \"\\q\"",
    "x = \"\\u{D800}\"",
    "x = \"\\u{110000}\"",
    "x = \"\\u{1234567}\"",
    "x = ''",
    "x = 'ab'",
    "x = \"abc",
    "x = é",
    "x = @",
    // Statements and items.
    "(a, b) = (1, 2)",
    "f =\n  (a) = 1\n  a",
    "f =\n  Just x = y\n  x",
    "f =\n  x = 1",
    "f -1 = 1",
    "f (Just x : xs) = 1",
    "x = f \\y -> y",
    "x = a + ? b -> c : d",
    "test x = 1",
    "test \"${x}\" = 1",
    "f \"${x}\" = 1",
    "x : Int\n  : Int",
];

#[test]
fn accept_list() {
    let mut failures = Vec::new();
    for src in ACCEPT {
        if !parses(src) {
            failures.push(format!("the parser rejects {src:?}"));
        } else if replay(src, true) != Replay::Accepted {
            failures.push(format!("the grammar rejects {src:?}: {:?}", replay(src, false)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reject_list() {
    let mut failures = Vec::new();
    for src in REJECT {
        if parses(src) {
            failures.push(format!("the parser accepts {src:?}"));
        } else if replay(src, false) == Replay::Accepted {
            failures.push(format!("the grammar accepts {src:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Blocks nested `depth` deep, each level with a continuation line, a
/// comment line at odd indentation and a `: else` line.
fn nested(depth: usize) -> String {
    let mut s = String::new();
    for d in 0..depth {
        let pad = "  ".repeat(d);
        s += &format!("{pad}x{d} =\n");
    }
    let pad = "  ".repeat(depth);
    s += &format!("{pad}? a\n {pad}  -- odd comment\n{pad}   -> 1\n");
    s += &format!("{pad}: 2\n");
    for d in (1..depth).rev() {
        s += &format!("{}x{d}\n", "  ".repeat(d));
    }
    s
}

#[test]
fn layout_depths_one_to_eight_accepted_nine_rejected() {
    for depth in 1..=9 {
        let src = nested(depth);
        let expect = depth <= 8;
        assert_eq!(parses(&src), expect, "parser, depth {depth}:\n{src}");
        assert_eq!(replay(&src, depth % 3 == 0) == Replay::Accepted, expect, "grammar, depth {depth}:\n{src}");
    }
}
