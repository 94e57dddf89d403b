//! Differential test of the JIT against the reference interpreter: every
//! program of `compiler/test_data/run/` runs under both engines; wherever
//! the JIT supports a program, standard output and the outcome (success or
//! the error message) must be byte-identical.
//!
//! The JIT covers a growing part of the language, so the test also prints
//! how many programs it supports and fails when that number drops below
//! [`SUPPORTED_FLOOR`]. Raise the floor as coverage grows.

use std::path::Path;
use synoema_compiler::interp::{self, Limits};
use synoema_compiler::jit::{self, JitError};
use synoema_compiler::compile;

/// How many corpus programs the JIT must at least support.
const SUPPORTED_FLOOR: usize = 130;

/// Extra programs, beyond the corpus, that exercise what the JIT compiles.
const EXTRA: &[(&str, &str)] = &[
    ("fib", "fib n = ? n < 2 -> n : fib (n - 1) + fib (n - 2)\nmain = fib 25\n"),
    ("mutual_tail_calls", "is_even : Int -> Bool\nis_odd : Int -> Bool\nis_even n = ? n == 0 -> true : is_odd (n - 1)\nis_odd n = ? n == 0 -> false : is_even (n - 1)\nmain = is_even 3000001\n"),
    ("deep_non_tail", "sum_to 0 = 0\nsum_to n = n + sum_to (n - 1)\nmain = sum_to 1000000\n"),
    ("stack_limit", "grow n = 1 + grow (n + 1)\nmain = grow 0\n"),
    // Accumulating self loops (`x + f args` in tail position): effects and
    // failures in order, heap arguments, and a tail call elsewhere that
    // keeps the function a plain one.
    ("accumulating_effects", "loud n =\n  print n\n  n * 10\nnoisy n = ? n == 0 -> 0 : loud n + noisy (n - 1)\nmain = noisy 3\n"),
    ("accumulating_failure", "f n = ? n == 0 -> 1 / 0 : n + f (n - 1)\nmain = f 5\n"),
    ("accumulating_list", "len [] = 0\nlen (_ : t) = 1 + len t\nmain = len [1..100000]\n"),
    ("accumulating_with_other_tail_call", "g x = x * 2\nf n = ? n == 0 -> g 5 : n + f (n - 1)\nmain = f 10\n"),
    ("accumulating_two_calls", "count n = ? n < 2 -> 1 : count (n - 1) + count (n - 2)\nmain = count 20\n"),
    // The prelude's list functions that do not look at the elements, as
    // native loops: on numbers, on lists of functions (which cannot go
    // through the interpreter's values), and their failures.
    ("list_functions", "main =\n  print (last [1 2 3], init [1 2 3], index 2 [5 6 7])\n  print (concat [[1] [] [2 3]], concat [], zip [1 2 3] ['a' 'b'], replicate 3 'x', replicate (-1) 0)\n  print (init [1], zip [] [1], index 0 [[true]])\n  concat [[true] [] [false]]\n"),
    ("list_functions_on_functions", "fs = [(\\x -> x + 1) (\\x -> x * 2) (\\x -> x - 3)]\nmain =\n  print ((last fs) 10, (index 1 fs) 5, length (init fs))\n  print (map (\\f -> f 3) (concat [fs (init fs)]))\n  print (map (\\(f, n) -> f n) (zip fs [1 2]))\n  map (\\f -> f 1) (replicate 2 (index 0 fs))\n"),
    ("index_out_of_range", "main =\n  print (index 1 [1 2])\n  index 5 [1 2 3]\n"),
    ("index_negative", "main = (index (0 - 1) [(\\x -> x + 1)]) 2\n"),
    ("last_of_empty", "xs : [Int]\nxs = []\nmain = last xs\n"),
    ("init_of_empty", "main = init (drop 3 [1 2 3])\n"),
    // Polymorphic top-level values holding functions, used at several
    // types: values, lowered again at each use: syntactic ones ...
    ("top_level_function_values", "ident = \\x -> x\ntwice = \\f x -> f (f x)\npair = (\\x -> x, \\y -> [y])\nfirst (a, _) = a\nsecond (_, b) = b\nmain =\n  print (ident 1, ident true, ident \"s\")\n  print (twice (\\n -> n * 2) 5, twice (\\s -> s ++ \"!\") \"hi\")\n  print ((first pair) 'c', (second pair) 3, (second pair) \"t\")\n  twice ident 7\n"),
    // ... and partial applications (a closure is all they build), top-level
    // and local.
    ("partial_application_values", "ident x = x\nmapper = map ident\ntwice f x = f (f x)\nagain = twice (\\x -> x)\nmain =\n  print (mapper [1 2], mapper [true], again 'c', again \"s\")\n  local = map (\\x -> x)\n  wrap = zip [1 2]\n  print (local [3], local [\"a\"], wrap ['x' 'y'], wrap [true false])\n  (mapper >> length) [1 2 3]\n"),
    // Text functions the JIT runs on its string objects in place.
    ("text_in_place", "main =\n  print (str_len \"h\u{e9}llo\", str_len \"\", str_starts_with \"abc\" \"ab\", str_ends_with \"abc\" \"bc\", str_contains \"abc\" \"x\", str_contains \"abc\" \"\")\n  print (str_join \", \" [], str_join \"-\" [\"a\"], str_join \"\" [\"a\" \"b\"])\n  str_join \"/\" (map show [1 2 3])\n"),
    ("division_by_zero", "f x = 10 / x\nmain =\n  print (f 2)\n  f 0\n"),
    ("int_min_division", "m = 0 - 9223372036854775807 - 1\nmain =\n  print (m / (0 - 1))\n  print (m % (0 - 1))\n  print (-7 / 2)\n  -7 % 2\n"),
    ("floats", "main =\n  print (1.0 / 0.0)\n  print (0.1 + 0.2)\n  print (-(0.0))\n  print (2.0 ** 10.0)\n  print (sqrt 2.0)\n  print (min (0.0 / 0.0) 1.0)\n  max (0.0 / 0.0) 1.0\n"),
    ("rounding_errors", "main =\n  print (round 2.5)\n  print (round (-2.5))\n  print (floor (-0.5))\n  round 1.0e30\n"),
    ("chars", "main =\n  print 'x'\n  print (ord 'a')\n  print (chr 955)\n  print ('a' < 'b')\n  chr 55296\n"),
    ("strings_constants", "greet 0 = \"zero\"\ngreet _ = \"many\"\nmain =\n  print (greet 0)\n  print (\"b\" > \"a\")\n  greet 1\n"),
    ("literal_patterns", "f 0 = 1\nf 1 = 1\nf n = n * f (n - 1)\ng true = 'y'\ng false = 'n'\nmain =\n  print (g (f 5 == 120))\n  f 20\n"),
    ("failed_match", "f 0 = 1\nmain = f 2\n"),
    ("locals_and_captures", "f x =\n  add y = x + y\n  twice y = add (add y)\n  z = twice 1\n  z * 2\nmain = f 10\n"),
    ("pipes_and_logic", "inc x = x + 1\nmain =\n  print (3 |> inc |> inc)\n  print (true || 1 / 0 == 0)\n  false && 1 / 0 == 0\n"),
    ("globals_order", "a = 1\nb = a + 1\nmain = a + b\n"),
    ("user_error", "main =\n  print 1\n  error \"boom\"\n"),
    ("int_power", "main =\n  print (2 ** 62)\n  print (3 ** 0)\n  2 ** (0 - 1)\n"),
    ("polymorphic_instances", "pick c a b = ? c -> a : b\nmain =\n  print (pick true 1 2)\n  print (pick false 'a' 'b')\n  pick false 1.5 2.5\n"),
    ("unit_main", "main = print 42\n"),
    ("tuples", "swap (a, b) = (b, a)\nsumpair (a, b) = a + b\nloop 0 acc = acc\nloop n acc = loop (n - 1) (swap acc)\nnested ((a, _), c) = a + c\nmain =\n  p = (1, 2)\n  print (swap p)\n  print (loop 5 (3, 4))\n  print (nested ((1, 2.5), 10))\n  print ((1, \"s\"), true)\n  sumpair (swap p)\n"),
    ("tuple_patterns_with_literals", "f (0, _) = \"zero\"\nf (_, (true, c)) = \"yes\"\nf _ = \"other\"\nmain =\n  print (f (0, (false, 'a')))\n  print (f (1, (true, 'b')))\n  print (f (2, (false, 'c')))\n  (f (3, (true, 'd')), 2)\n"),
    ("tuple_global_and_main", "origin = (0.5, -1)\nmain = (origin, origin)\n"),
    ("lists", "len [] = 0\nlen (_ : xs) = 1 + len xs\nsum_acc [] acc = acc\nsum_acc (x : xs) acc = sum_acc xs (acc + x)\nbuild 0 acc = acc\nbuild n acc = build (n - 1) (n : acc)\nfirsts [a b] = (a, b)\nfirsts _ = (0, 0)\nrev [] acc = acc\nrev (x : xs) acc = rev xs (x : acc)\nmain =\n  print [1 2 3]\n  print (len [(1, 'a') (2, 'b')])\n  print (firsts [7 8])\n  print (firsts [7])\n  print (rev [\"a\" \"b\"] [])\n  print [[1] [] [2 3]]\n  xs = build 100000 []\n  print (sum_acc xs 0)\n  len (build 1000 [])\n"),
    ("long_list_freed_without_recursion", "build 0 acc = acc\nbuild n acc = build (n - 1) (n : acc)\nnon_empty (_ : _) = true\nnon_empty [] = false\nmain =\n  xs = build 1000000 []\n  print (non_empty xs)\n  0\n"),
    ("list_pattern_failure", "second (_ : x : _) = x\nmain =\n  print (second [1 2 3])\n  second [1]\n"),
    ("nested_lists_globals_pipes", "heads2 (x : _) = x\nheads2 [] = 0\npick c a b = ? c -> a : b\nheads ((x : _) : _) = x\nheads _ = 0\ng = [(1, [true]) (2, [])]\nfirstflag [] = false\nfirstflag ((_, f : _) : _) = f\nfirstflag (_ : rest) = firstflag rest\nmain =\n  print (pick true [1] [])\n  print (heads [[5 6] [7]])\n  print g\n  print (firstflag g)\n  ys = 1 : 2 : []\n  print (ys |> heads2)\n  []\n"),
    ("lists_captured_by_local_functions", "f xs =\n  count [] n = n\n  count (_ : rest) n = count rest (n + 1)\n  both = (count xs 0, xs)\n  both\nmain =\n  print (f [1 2 3])\n  t = f []\n  print t\n  t\n"),
    ("data_types", "Shape = Circle Float | Rect Float Float | Dot\nTree a = Leaf | Node (Tree a) a (Tree a)\narea (Circle r) = 3.0 * r * r\narea (Rect w h) = w * h\narea Dot = 0.0\ninsert : Int -> Tree Int -> Tree Int\ninsert x Leaf = Node Leaf x Leaf\ninsert x (Node l v r) = ? x < v -> Node (insert x l) v r : Node l v (insert x r)\nsize Leaf = 0\nsize (Node l _ r) = size l + 1 + size r\nbuild [] t = t\nbuild (x : xs) t = build xs (insert x t)\nchain 0 acc = acc\nchain n acc = chain (n - 1) (Node Leaf n acc)\nmain =\n  print (area (Rect 2.0 3.0))\n  print (area Dot)\n  print [(Circle 1.0) Dot]\n  t = build [5 3 8 1] Leaf\n  print t\n  print (size t)\n  print (size (chain 100000 Leaf))\n  Node Leaf 'x' Leaf\n"),
    ("data_failed_match", "Color = Red | Green | Blue\nname Red = \"red\"\nname Green = \"green\"\nmain =\n  print (name Green)\n  name Blue\n"),
    ("prelude_maybe_and_result", "drop_all : [Int] -> [Int]\ndrop_all _ = []\nsafe_div : Int -> Int -> Result Int String\nsafe_div _ 0 = Err \"div by zero\"\nsafe_div a b = Ok (a / b)\nfind_first [] = None\nfind_first (x : _) = Just x\ndescribe (Ok n) = n\ndescribe (Err _) = 0 - 1\nmain =\n  print (safe_div 10 2)\n  print (safe_div 1 0)\n  print (describe (safe_div 9 3))\n  print (find_first [1 2])\n  print (find_first (drop_all [5]))\n  Just [(Ok 1) (Err (2, true))]\n"),
    ("closures_and_partial_application", "add x y = x + y\nadd3 a b c = a + b + c\ntwice f x = f (f x)\nmake_adder n = \\x -> x + n\ncompose_all fs = foldr (\\f acc -> f >> acc) (\\x -> x) fs\nmain =\n  inc = add 1\n  print (map inc [1 2 3])\n  print (map (add3 1 2) [10 20])\n  print (twice (add 5) 0)\n  print ((make_adder 3) 4)\n  k = 10\n  print (filter (\\x -> x > k) [5 15 25])\n  print (foldl (\\acc x -> acc * 10 + x) 0 [1 2 3])\n  print (foldr (\\x acc -> x : acc) [] [1 2 3])\n  print (zip_with add [1 2] [10 20 30])\n  print (concat_map (\\x -> [x x]) [1 2])\n  print (any even [1 3 4], all even [2 4], any odd [])\n  print ((compose_all [inc (add 2) (\\x -> x * 2)]) 1)\n  print (map_ok inc (Ok 1), map_maybe inc None, and_then (\\x -> Ok (x + 1)) (Ok 1))\n  for_each print [1 2]\n  add3 1 2 3\n"),
    ("strings_and_show", "greet name = \"hello, ${name}!\"\nmain =\n  s = \"ab\" ++ \"cd\"\n  print s\n  print (greet \"world\")\n  print (show 1 ++ show 2.5 ++ show 'c' ++ show \"q\" ++ show [1 2] ++ show (Just (1, true)))\n  print \"n = ${1 + 2}, xs = ${[1 2]}, s = ${\"str\"}\"\n  print (str_len \"héllo\", str_upper \"abc\", str_split \"a,b,c\" \",\")\n  print (str_join \"-\" [\"x\" \"y\"], chars \"hi\", from_chars ['o' 'k'])\n  print (parse_int \"42\", parse_int \"x\", parse_float \"1.5\")\n  print (str_replace \"aXbX\" \"X\" \"-\", str_trim \"  t  \", str_contains \"abc\" \"b\")\n  print (\"b\" > \"a\", s == \"abcd\")\n  words = map (\\w -> w ++ \"!\") [\"a\" \"b\"]\n  str_join \" \" words\n"),
    ("records_and_rows", "get_x r = r.x\nmove r = {...r, x = r.x + 1}\nlen2 {x, y} = x * x + y * y\nmain =\n  p = {x = 1, y = 2}\n  q = {x = 10, name = \"q\"}\n  print p\n  print (get_x p + get_x q)\n  print (move p)\n  print (move q)\n  print (len2 p)\n  print (p == {y = 2, x = 1}, p != move p)\n  print [p (move p)]\n  q.name\n"),
    ("structural_comparisons", "T = A Int | B\nmain =\n  print ((1, 'a') == (1, 'a'), (1, 2) < (1, 3), [1 2] < [1 2 3])\n  print (A 1 == A 1, A 1 != B, B == A 5, [(A 1)] == [(A 2)])\n  print (sort [(2, \"b\") (1, \"z\") (2, \"a\")])\n  print (max (1, 2) (2, 1), min [3] [1 2])\n  print (maximum [[1] [2 0]], elem (1, 2) [(1, 2)])\n  (0.0 / 0.0, 1) == (0.0 / 0.0, 1)\n"),
    ("ranges_and_comprehensions", "pairs n = [(a, b) | a <- [1..n], b <- [a..n], a + b == n]\nmain =\n  print [1..5]\n  print [5..1]\n  print (sum [1..100], product [1..10])\n  print [x * x | x <- [1..10], even x]\n  print (pairs 6)\n  print [x | Just x <- [(Just 1) None (Just 3)]]\n  print [c | c <- chars \"a1b2\", ord c > 57]\n  k = 3\n  print [[y * k | y <- [1..x]] | x <- [1..3]]\n  length [x | x <- [1..1000], x % 7 == 0]\n"),
    ("prelude_list_functions", "main =\n  xs = [3 1 2]\n  print (length xs, head xs, tail xs, last xs, init xs, index 1 xs)\n  print (reverse xs, take 2 xs, drop 2 xs, zip xs ['a' 'b' 'c'])\n  print (sort xs, maximum xs, minimum xs, elem 2 xs, replicate 3 'x', is_empty xs)\n  print (concat [[1] [] [2 3]], sum [1.5 2.5], sum [], product [])\n  print (unwrap_or 0 (Ok 5), unwrap_or 0 (Err \"e\"), with_default 1 None, is_ok (Ok 1), is_err (Ok 1))\n  head []\n"),
    ("constructors_as_values", "Tree a = Leaf | Node (Tree a) a (Tree a)\nmain =\n  print (map Just [1 2])\n  char_node = Node (Node Leaf 'a' Leaf)\n  print (char_node 'b' Leaf)\n  print (zip_with (\\a b -> (a, b)) [1 2] (map Ok [true false]))\n  map (Node Leaf 'x') [Leaf]\n"),
    ("pattern_bindings", "swap_if p =\n  (a, b) = p\n  (1, _) = (a, b)\n  (b, a)\nmain =\n  (a, b) = (1, 2)\n  {x, y} = {x = 3, y = 4}\n  print (a + b + x + y)\n  print (swap_if (1, 'x'))\n  print (swap_if (2, 'y'))\n  (1, z) = (a + 1, 5)\n  z + 1\n"),
    ("top_level_values_before_main", "banner = print \"first\"\nmain =\n  print \"main\"\n  1\nlate = print \"late\"\n"),
    ("closures_in_data_and_lists", "apply_all fs x = map (\\f -> f x) fs\nmain =\n  fs = [(\\x -> x + 1.0) (\\x -> x * 2.0)]\n  print (apply_all fs 10.0)\n  pair = (\\x -> x ++ \"!\", \"hi\")\n  g = \\(f, n) -> f n\n  print (g pair)\n  foldl (\\acc f -> f acc) 1.0 fs\n"),
    ("native_list_loops", "main =\n  xs = [1..10]\n  print (take (0 - 1) xs, take 3 xs, take 20 [1 2], drop (0 - 1) [1], drop 8 xs, drop 20 xs)\n  print (reverse [], reverse [[1] [2 3]], [[1]] ++ [[2] []], [] ++ [1], \"\" ++ \"x\")\n  fs = [(\\x -> x + 1)] ++ [(\\x -> x * 3)]\n  print (map (\\f -> f 2) fs, length fs)\n  print (length [1..100000], sum [1..100000], product [1.5 2.0], sum [0.5], product [2 (0 - 3)])\n  length (take 5 (drop 3 (reverse (xs ++ xs))))\n"),
    ("abs_wraps", "m = 0 - 9223372036854775807 - 1\nmain =\n  print (abs (0 - 5))\n  abs m\n"),
];

#[derive(Debug, PartialEq)]
struct Outcome {
    stdout: String,
    error: Option<String>,
}

fn interp_outcome(src: &str) -> Option<Outcome> {
    let compiled = compile(src);
    if !compiled.diagnostics.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let result = interp::run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out);
    Some(Outcome { stdout: String::from_utf8_lossy(&out).into_owned(), error: result.err().map(|e| e.to_string()) })
}

/// `None` when the JIT does not support the program.
fn jit_outcome(src: &str) -> Option<Outcome> {
    let compiled = compile(src);
    let mut out = Vec::new();
    let result = jit::try_run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out);
    let error = match result {
        Ok(()) => None,
        Err(JitError::Unsupported(_)) => return None,
        Err(JitError::Run(e)) => Some(e.to_string()),
    };
    Some(Outcome { stdout: String::from_utf8_lossy(&out).into_owned(), error })
}

/// Compares one program; returns whether the JIT supports it.
fn compare(name: &str, src: &str, mismatches: &mut Vec<String>) -> bool {
    let Some(expected) = interp_outcome(src) else { return false };
    let Some(actual) = jit_outcome(src) else { return false };
    if actual != expected {
        mismatches.push(format!("{name}:\n  interp: {expected:?}\n  jit:    {actual:?}"));
    }
    true
}

#[test]
fn jit_matches_the_interpreter_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/run");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("test_data/run exists").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "sno")).collect();
    paths.sort();
    let mut mismatches = Vec::new();
    let mut supported = Vec::new();
    for path in &paths {
        let src = std::fs::read_to_string(path).expect("readable corpus file");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if compare(&name, &src, &mut mismatches) {
            supported.push(name);
        }
    }
    println!("the JIT supports {} of {} corpus programs: {}", supported.len(), paths.len(), supported.join(" "));
    assert!(mismatches.is_empty(), "JIT and interpreter differ:\n{}", mismatches.join("\n"));
    assert!(supported.len() >= SUPPORTED_FLOOR, "JIT coverage dropped to {} (floor {SUPPORTED_FLOOR})", supported.len());
}

#[test]
fn jit_matches_the_interpreter_on_extra_programs() {
    let mut mismatches = Vec::new();
    let mut unsupported = Vec::new();
    for (name, src) in EXTRA {
        if !compare(name, src, &mut mismatches) {
            unsupported.push(*name);
        }
    }
    assert!(mismatches.is_empty(), "JIT and interpreter differ:\n{}", mismatches.join("\n"));
    assert!(unsupported.is_empty(), "the JIT should support these: {unsupported:?}");
}

#[test]
fn budgets_stop_the_jit_cleanly() {
    let run = |src: &str, limits: Limits| {
        let compiled = compile(src);
        let mut out = Vec::new();
        jit::try_run_main(&compiled.program, &compiled.info, &limits, &mut out)
    };
    // An endless tail loop runs out of steps.
    let forever = "spin n = spin (n + 1)\nmain = spin 0\n";
    let steps = Limits { steps: 10_000, ..Limits::default() };
    assert_eq!(run(forever, steps), Err(JitError::Run(interp::RunError::StepLimit(10_000))));
    // A self tail call is compiled as a jump back, and each turn still
    // spends a step: 1 000 turns fit in 1 100 steps and not in 900.
    let count = "count n = ? n == 0 -> 0 : count (n - 1)\nmain = count 1000\n";
    assert!(run(count, Limits { steps: 1_100, ..Limits::default() }).is_ok());
    assert_eq!(run(count, Limits { steps: 900, ..Limits::default() }), Err(JitError::Run(interp::RunError::StepLimit(900))));
    // The stack budget counts nested non-tail calls as the interpreter does:
    // exactly at the limit passes, one more fails, in both engines.
    let deep = |n: u64| format!("sum_to 0 = 0\nsum_to n = n + sum_to (n - 1)\nmain = sum_to {n}\n");
    let small = Limits { stack_depth: 100, ..Limits::default() };
    for n in [100, 101, 102] {
        let compiled = compile(&deep(n));
        let mut out = Vec::new();
        let expected = interp::run_main(&compiled.program, &compiled.info, &small, &mut out).err();
        let actual = run(&deep(n), small.clone()).err();
        assert_eq!(actual, expected.map(JitError::Run), "sum_to {n}");
    }
    // Unbounded recursion under a huge budget is stopped by the native stack
    // guard, not by a crash.
    let huge = Limits { stack_depth: u64::MAX, ..Limits::default() };
    let grow = "grow n = 2 * grow (n + 1)\nmain = grow 0\n";
    assert_eq!(run(grow, huge.clone()), Err(JitError::Run(interp::RunError::StackLimit(u64::MAX))));
    // `1 + grow (n + 1)` is an accumulating loop (no native stack used):
    // under a huge stack budget it runs until the step limit.
    let sum_grow = "grow n = 1 + grow (n + 1)\nmain = grow 0\n";
    let steps = Limits { steps: 100_000, ..huge };
    assert_eq!(run(sum_grow, steps), Err(JitError::Run(interp::RunError::StepLimit(100_000))));
}

/// Reference counting frees everything: after a successful run (the
/// top-level values released too) no heap byte is left alive.
#[test]
fn reference_counting_leaves_nothing_alive() {
    for (name, src) in EXTRA {
        let compiled = compile(src);
        let mut out = Vec::new();
        if let Ok(stats) = jit::run_with_stats(&compiled.program, &compiled.info, &Limits::default(), &mut out) {
            assert_eq!(stats.live_at_end, 0, "{name} leaked");
        }
    }
}

/// The memory budget counts live bytes as the interpreter does: data kept
/// alive by a deep recursion exceeds a small budget in both engines with
/// the same message, while a tail loop that drops what it built stays
/// within it however long it runs.
#[test]
fn memory_budget_matches_the_interpreter() {
    let small = Limits { memory: 20_000, ..Limits::default() };
    let both = |src: &str| {
        let compiled = compile(src);
        assert!(compiled.diagnostics.is_empty(), "{src}");
        let mut out = Vec::new();
        let expected = interp::run_main(&compiled.program, &compiled.info, &small, &mut out).err();
        let mut out = Vec::new();
        let actual = jit::try_run_main(&compiled.program, &compiled.info, &small, &mut out).err();
        (expected, actual)
    };
    let keeps = "add2 (a, b) = a + b\nkeep 0 = 0\nkeep n =\n  t = (n, n)\n  keep (n - 1) + add2 t\nmain = keep 2000\n";
    let (expected, actual) = both(keeps);
    assert_eq!(expected, Some(interp::RunError::MemoryLimit(20_000)));
    assert_eq!(actual, expected.map(JitError::Run));
    let drops = "go 0 acc = acc\ngo n (a, b) = go (n - 1) (b, a + 1)\nmain = go 100000 (0, 0)\n";
    assert_eq!(both(drops), (None, None));
}

/// An allocation-heavy tail loop runs in constant memory: building and
/// consuming a 1000-element list has the same peak of live bytes whether
/// it is done 20 or 400 times (the peak is one list), and nothing is left
/// alive at the end.
#[test]
fn allocation_heavy_tail_loop_runs_in_constant_memory() {
    let program = |rounds: u32| {
        format!(
            "build 0 acc = acc\nbuild n acc = build (n - 1) (n : acc)\ntotal [] acc = acc\ntotal (x : xs) acc = total xs (acc + x)\nrounds 0 acc = acc\nrounds k acc = rounds (k - 1) (acc + total (build 1000 []) 0)\nmain = rounds {rounds} 0\n"
        )
    };
    let peak = |rounds: u32| {
        let compiled = compile(&program(rounds));
        let mut out = Vec::new();
        let stats = jit::run_with_stats(&compiled.program, &compiled.info, &Limits::default(), &mut out).expect("the loop runs");
        assert_eq!(stats.live_at_end, 0);
        (stats.peak_bytes, String::from_utf8_lossy(&out).into_owned())
    };
    let (small, out_small) = peak(20);
    let (large, out_large) = peak(400);
    assert_eq!(out_small, "10010000\n");
    assert_eq!(out_large, "200200000\n");
    assert_eq!(small, large);
    assert!(large > 0 && large <= 1000 * 64, "peak {large} bytes");
}
