//! One case per way a prefix's right edge can be unfinished: each line is
//! a prefix and whether some continuation makes it a valid program.
//! (`\n` in a case is a line break.)

use synoema_typeoracle::{Mode, Oracle, Request};

/// `+` marks a viable prefix, `-` a dead one.
const CASES: &str = r#"
# a word that may still grow: an in-scope name, a keyword, or a fresh binder
+ x = fo
- x = zq
+ x = 1 + len
- x = 1 + show
+ x = t
+ x = not tr
+ fo
+ te
+ f x = x\nf
+ f x = x\nfo
+ main =\n  fo
# a type or constructor name at the edge may grow past a taken one
+ main = 1\nInt
+ main = 1\nList
- main = 1\nInt = A
+ type Strin
+ Foo = A | B\nBar = A
- Foo = A | B\nBar = A | C
+ Foo a a
# numbers
+ x = 12
+ x = 12.
+ x = 1.5e
+ x = 1.5e-
+ x = [1.
+ x = 1.5 + 2.
- x = 1 + 2.
- x = 007
- x = 2x
- x = 1.5e3x
+ x = 92233720368547758070
# operators that may grow
+ x = 1 <
+ x = [y | y <
+ x = 1 !
+ x = true &
+ x = [1 2] |
+ x = 1 -
+ x = not >
- x = f >
+ x = 1 *
+ x = "a" +
+ x = 1 =
- x = 1 ?
# strings, characters, interpolation, comments
+ x = "abc
+ x = "a\
+ x = "a\u{1F
- x = "a\q
+ x = "a $
- x = "a $x
+ x = "a ${1 +
- x = "a ${1 + "b
+ x = "a ${show "b
+ x = 'a
+ x = '\
- x = 'ab
- x = 1 + "a
+ x = 1 -- comment
- x = "${x -- comment
# layout after a line break
+ main =\n
+ main =\n  
+ main =\n  -- note\n     
- main =\n   x
+ main =\n  x = 1\n
- main =\n  x = 1\ny
+ main =\n  x = 1\n  x
+ x = 1\n
+ x = 1\n  + 2
+ f n =\n  ? n > 0 -> 1\n  : 2
# the open spine: more arguments, fields, tighter and looser operators
+ x = 1 + length [1]
- x = 1 + length [1] "a"
+ x = map
+ x = 1 + foldl
+ f : Int -> Int\nf x = "a"
+ f : Int -> Int\nf x = "a" ++
- f : Int -> Int\nf x y = 1
- x = "a" ++ 1
- x = 1 + "a" * 2
+ x = [1 2 3
- x = [1 "a"
+ x = [1 2] : 
+ x = (1, 
+ x = (\y -> y
+ x = ? 1
- x = ? true -> 1 : "a" ++ 2
+ x = ? true -> 1 : "a" ++ "b"
+ x = ? true -> 1 : 2
+ x = [y * 2 | y <- [1 2], y > 1
+ x = [y * z | y <- [1 2]
# records
+ r = {x = 1}\ny = r.
+ r = {x = 1}\ny = r.x + 1
- r = {x = 1}\ny = r.x ++ "a"
- r = {x = 1}\ny = r.z
+ r = {x = 1}\ny = r.x
+ f r = r.
+ r = {x = 1, 
+ r = {x
+ r = {x = 1}\ny = {...r, 
- r = {x = 1}\ny = {...r, z = 2}
# items and scope
+ x = Foo 1
- x = y\ny = 1
+ test "a" = 1
- test "a" = "x" * 2
+ test "a" = "x" -
+ test "a" = "x" +
+ test "a" = 1 == 
- x = 1\nx = 2
+ Shape = Circle Float | Sq
+ type P = {x : 
+ f : Int -> 
- f : Int\nf : Int
+ g : Int -> Int\nmain = g 1\ng x = x
"#;

fn viable(prefix: &str) -> bool {
    let mut oracle = Oracle::new(Request::default()).expect("empty request");
    oracle.check(prefix.as_bytes())
}

#[test]
fn right_edge_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for line in CASES.lines() {
        let Some((mark, prefix)) = line.split_once(' ') else { continue };
        let expected = match mark {
            "+" => true,
            "-" => false,
            _ => continue,
        };
        count += 1;
        let prefix = prefix.replace("\\n", "\n");
        if viable(&prefix) != expected {
            failures.push(format!("{mark} {prefix:?}"));
        }
    }
    assert!(count > 90, "only {count} cases");
    assert!(failures.is_empty(), "{} of {count} cases wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn grammar_mode_ignores_types() {
    let mut oracle = Oracle::with_mode(Request::default(), Mode::Grammar).expect("empty request");
    assert!(oracle.check(b"x = 1 + \"a\""));
    assert!(!oracle.check(b"x = 1 + )"));
    oracle.commit(b"x = 1 + \"a\"");
    assert!(oracle.is_complete());
}

#[test]
fn requests() {
    let want = |ty: &str| Request { require_main: false, require: Some(("solve".into(), ty.into())) };
    assert!(Oracle::new(want("[Int] -> ")).is_err());
    assert!(Oracle::new(want("Int ->> Int")).is_err());
    let mut oracle = Oracle::new(want("[Int] -> Int")).expect("valid request");
    assert!(!oracle.is_complete());
    oracle.commit(b"solve xs = length xs\n");
    assert!(oracle.check(b"main = 1"));
    assert!(oracle.is_complete());
    let mut wrong = Oracle::new(want("[Int] -> Int")).expect("valid request");
    wrong.commit(b"solve xs = \"a\"\n");
    assert!(wrong.check(b"s"));
    assert!(!wrong.check(b"m"));
    wrong.commit(b"main = 1\n");
    assert!(!wrong.check(b"x"));
    let mut general = Oracle::new(want("a -> a")).expect("valid request");
    general.commit(b"solve x = x + 1\n");
    assert!(!general.check(b"m"));
    let main = Request { require_main: true, require: None };
    let mut oracle = Oracle::new(main).expect("valid request");
    oracle.commit(b"x = 1\n");
    assert!(!oracle.is_complete());
    oracle.commit(b"main = x\n");
    assert!(oracle.is_complete());
}

#[test]
fn commit_and_rollback() {
    let mut oracle = Oracle::new(Request::default()).expect("empty request");
    oracle.commit(b"main = ");
    oracle.commit(b"1 + ");
    assert!(!oracle.check(b"\"a\""));
    oracle.rollback(1);
    assert_eq!(oracle.prefix(), b"main = ");
    assert!(oracle.check(b"\"a\""));
    oracle.rollback(5);
    assert_eq!(oracle.prefix(), b"");
    let mask = oracle.mask(&[b"main", b")", b"x = 1", b"\t"]);
    assert_eq!(mask, vec![true, false, true, false]);
}
