//! Core lowering tests: source in, Core IR out (insta snapshots), and the
//! constructs this increment reports as unsupported.

use crate::compile;

fn core_of(src: &str) -> String {
    let compiled = compile(src);
    assert!(compiled.diagnostics.is_empty(), "{:?}", compiled.diagnostics);
    match super::lower(&compiled.program, &compiled.info) {
        Ok(program) => program.to_string(),
        Err(e) => format!("unsupported: {e}"),
    }
}

/// Each case: a name and a program; the snapshot holds the source and its Core.
const CASES: &[(&str, &str)] = &[
    ("fib", "fib n = ? n < 2 -> n : fib (n - 1) + fib (n - 2)\nmain = fib 20\n"),
    ("literal_patterns", "f 0 = 1\nf 1 = 1\nf n = n * f (n - 1)\nmain = f 5\n"),
    ("local_loop_lifted", "fib n =\n  go 0 a _ = a\n  go k a b = go (k - 1) b (a + b)\n  go n 0 1\nmain = fib 50\n"),
    ("capture_becomes_parameter", "f x =\n  add y = x + y\n  twice y = add (add y)\n  twice 1\nmain = f 10\n"),
    ("monomorphised_twice", "pick c a b = ? c -> a : b\nmain =\n  print (pick true 1 2)\n  pick false 1.5 2.5\n"),
    ("pipe_and_short_circuit", "inc x = x + 1\nmain = (3 |> inc |> inc) > 4 && not false || 1 / 0 == 0\n"),
    ("globals_and_effects", "k = 40\nmain =\n  print \"start\"\n  x = k + 2\n  print x\n  error \"boom\"\n"),
    ("tuples_built_and_taken_apart", "swap (a, b) = (b, a)\nfirst ((x, _), _) = x\nmain = first (swap (1, 'c'), 2.5)\n"),
    ("list_patterns_test_then_bind", "second (_ : x : _) = x\nsecond [] = 0\nsecond [y] = y\nmain = second (1 : [2 3])\n"),
    ("data_constructors_and_tags", "Shape = Circle Float | Dot\narea (Circle r) = r * r\narea Dot = 0.0\nmain = area (Circle 2.0)\n"),
    ("builtins", "main =\n  print (round 2.5)\n  print (min 1.5 2.0)\n  print (abs (-3))\n  print (chr 65)\n  print (ord 'a' + 1)\n  print (even 4)\n  sqrt 2.0 ** 2.0\n"),
];

#[test]
fn lowering_snapshots() {
    for (name, src) in CASES {
        let text = format!("----- SOURCE CODE\n{src}----- CORE\n{}", core_of(src));
        insta::assert_snapshot!(*name, text);
    }
}

#[test]
fn unsupported_constructs_are_named() {
    let cases = [
        ("pick = ? true -> (\\x -> x) : (\\y -> y)\nmain = (pick 1, pick true)\n", "polymorphic top-level function values"),
        ("f : a -> Int\nf x = f (x, x)\nmain = f 1\n", "polymorphic recursion"),
        ("Maybe a = Nothing | Just a\nmain = parse_int \"1\"\n", "`parse_int` in a program that defines its own `Maybe`"),
        ("g : a -> Int\ng x = g [x]\nmain = g 1\n", "polymorphic recursion"),
    ];
    for (src, what) in cases {
        let compiled = compile(src);
        let err = super::lower(&compiled.program, &compiled.info).err();
        let message = err.map(|e| e.0).unwrap_or_default();
        assert!(message.contains(what) && message.starts_with("the JIT does not support"), "{src:?}: {message}");
    }
}

#[test]
fn def_types_share_variables_with_the_body() {
    let compiled = compile("pick c a b = ? c -> a : b\nmain = pick true 1 2\n");
    let pick = compiled.info.def_types.get(&0).expect("the type of `pick` is recorded at its name");
    let crate::types::Type::Fun(_, rest) = pick else { panic!("{pick:?}") };
    let crate::types::Type::Fun(a, _) = &**rest else { panic!("{rest:?}") };
    // `a` in the body (the variable occurrence of the parameter) is the same variable.
    assert!(compiled.info.var_types.values().any(|t| t == &**a), "{:?}", compiled.info.var_types);
}

/// A definition whose type variable is constrained (`Ord a`) and
/// instantiated only through defaulting: the types recorded inside its body
/// keep the variable (a later defaulting once bound it to `()`), so the JIT
/// lowers its `Int` instance.
#[test]
fn defaulted_constrained_instances_lower() {
    for src in ["lt x v = ? x < v -> x : v\nmain = lt 3 4\n", "qsort [] = []\nqsort (p : rest) = qsort (filter (\\x -> x < p) rest) ++ [p] ++ qsort (filter (\\x -> x >= p) rest)\nmain = qsort [3 1 2]\n"] {
        let core = core_of(src);
        assert!(!core.starts_with("unsupported"), "{src:?}: {core}");
    }
    let compiled = compile("lt x v = ? x < v -> x : v\nmain = lt 3 4\n");
    let mut out = Vec::new();
    crate::jit::run_main(&compiled.program, &compiled.info, &crate::interp::Limits::default(), &mut out).expect("runs");
    assert_eq!(String::from_utf8_lossy(&out), "3\n");
}
