//! Tests of the interpreter from source text.
//!
//! Most are data: `run_cases.txt` holds programs with their exact output or
//! runtime error, checked by [`run_cases`]. The rest test the API around a
//! run (test reports, errors, hand-made type information) and the large
//! budgets.

use super::*;
use crate::types::Type;

/// Parses and checks `src`, insisting that it compiles cleanly.
fn compile(src: &str) -> crate::Compiled {
    let compiled = crate::compile(src);
    assert!(compiled.diagnostics.is_empty(), "{src}\n{:#?}", compiled.diagnostics);
    compiled
}

/// Runs `main`; the output so far and the error, if any.
fn run_with(src: &str, limits: &Limits) -> (String, Option<RunError>) {
    let compiled = compile(src);
    let mut out = Vec::new();
    let result = run_main(&compiled.program, &compiled.info, limits, &mut out);
    (String::from_utf8(out).expect("output is UTF-8"), result.err())
}

fn run(src: &str) -> String {
    let (out, err) = run_with(src, &Limits::default());
    assert_eq!(err, None, "{src}");
    out
}

/// One case of `run_cases.txt`.
struct Case {
    name: String,
    src: String,
    limits: Limits,
    out: String,
    error: Option<String>,
}

fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for chunk in text.split("\n### ").skip(1) {
        let (name, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let mut case = Case {
            name: name.trim().to_string(),
            src: String::new(),
            limits: Limits::default(),
            out: String::new(),
            error: None,
        };
        let mut section = "src";
        for line in body.lines() {
            if let Some(rest) = line.strip_prefix("--- ") {
                let mut words = rest.split_whitespace();
                section = words.next().unwrap_or("");
                for setting in words {
                    let (key, value) = setting.split_once('=').expect("limit setting is key=value");
                    let value: u64 = value.parse().expect("limit is a number");
                    match key {
                        "steps" => case.limits.steps = value,
                        "stack" => case.limits.stack_depth = value,
                        "memory" => case.limits.memory = value,
                        other => panic!("unknown limit {other}"),
                    }
                }
                continue;
            }
            // Section headings of the file (`## ...`) end the previous case.
            if line.starts_with("## ") {
                break;
            }
            match section {
                "src" => {
                    case.src.push_str(line);
                    case.src.push('\n');
                }
                "out" => {
                    case.out.push_str(line);
                    case.out.push('\n');
                }
                "error" if !line.is_empty() => case.error = Some(line.to_string()),
                _ => {}
            }
        }
        case.src = format!("{}\n", case.src.trim_end());
        case.out = case.out.trim_end_matches('\n').to_string();
        if !case.out.is_empty() {
            case.out.push('\n');
        }
        cases.push(case);
    }
    cases
}

#[test]
fn run_cases() {
    let cases = parse_cases(include_str!("run_cases.txt"));
    assert!(cases.len() > 50);
    let mut failures = Vec::new();
    for case in &cases {
        let compiled = crate::compile(&case.src);
        if !compiled.diagnostics.is_empty() {
            failures.push(format!("### {}: does not compile: {:?}", case.name, compiled.diagnostics));
            continue;
        }
        let mut out = Vec::new();
        let result = run_main(&compiled.program, &compiled.info, &case.limits, &mut out);
        let out = String::from_utf8_lossy(&out).to_string();
        let error = result.err().map(|e| e.to_string());
        if out != case.out || error != case.error {
            failures.push(format!(
                "### {}\nexpected out {:?} error {:?}\n     got out {:?} error {:?}",
                case.name, case.out, case.error, out, error
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn tail_recursive_loop_of_ten_million_runs_in_constant_stack() {
    let src = "loop 0 acc = acc\nloop n acc = loop (n - 1) (acc + 2)\nmain = loop 10000000 0\n";
    let limits = Limits { stack_depth: 5, ..Limits::default() };
    assert_eq!(run_with(src, &limits), ("20000000\n".to_string(), None));
}

#[test]
fn a_ten_million_element_list_is_built_and_dropped() {
    let src = "main =\n  xs = [1..10000000]\n  length xs\n";
    assert_eq!(run(src), "10000000\n");
}

#[test]
fn memory_is_released_when_a_run_ends() {
    let before = limits::live();
    run("main = length (map (\\x -> (x, [x])) [1..1000])\n");
    assert_eq!(limits::live(), before);
}

#[test]
fn missing_main_is_an_error() {
    let (out, err) = run_with("x = 1\n", &Limits::default());
    assert_eq!(out, "");
    assert_eq!(err.map(|e| e.to_string()), Some("no `main` defined".to_string()));
}

#[test]
fn empty_sum_and_product_take_their_type_from_the_use() {
    let mut compiled = compile("main = (sum [], product [], sum [])\n");
    // Hand-made types: the first two uses are at `[Float] -> Float`.
    let mut ids = Vec::new();
    collect_var_ids(&compiled.program, &mut ids);
    let float = Type::Fun(Box::new(Type::List(Box::new(Type::Float))), Box::new(Type::Float));
    for (name, id) in ids.iter().take(2) {
        assert!(name == "sum" || name == "product");
        compiled.info.var_types.insert(*id, float.clone());
    }
    let mut out = Vec::new();
    run_main(&compiled.program, &compiled.info, &Limits::default(), &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "(0.0, 1.0, 0)\n");
}

/// The variable occurrences of `main`'s body, in source order.
fn collect_var_ids(program: &ast::Program, ids: &mut Vec<(String, ast::NodeId)>) {
    fn walk(e: &ast::Expr, ids: &mut Vec<(String, ast::NodeId)>) {
        match &e.kind {
            ast::ExprKind::Var(name) => ids.push((name.clone(), e.id)),
            ast::ExprKind::App(f, a) => {
                walk(f, ids);
                walk(a, ids);
            }
            ast::ExprKind::Tuple(items) => items.iter().for_each(|i| walk(i, ids)),
            _ => {}
        }
    }
    for item in &program.items {
        if let ast::Item::Equation(eq) = item {
            walk(&eq.body, ids);
        }
    }
}

#[test]
fn run_tests_reports_pass_fail_and_error() {
    let src = "\
double x = x * 2
base = 10
test \"doubles\" = double 2 == 4
test \"fails\" = double 2 == 5
test \"raises\" = head [] == 1
test \"uses a value\" = base + 1 == 11
spin n = spin (n + 1)
test \"loops\" = spin 0
main = error \"main is not run by the tests\"
";
    let compiled = compile(src);
    let mut out = Vec::new();
    let limits = Limits { steps: 100_000, ..Limits::default() };
    let outcomes = run_tests(&compiled.program, &compiled.info, &limits, &mut out);
    let report = format_test_report(&outcomes);
    assert_eq!(
        report,
        "PASS doubles\nFAIL fails\nERROR raises: head of an empty list\nPASS uses a value\n\
         ERROR loops: step limit of 100000 steps exhausted\n2 passed, 3 failed\n"
    );
    assert_eq!(outcomes[0], TestOutcome { name: "doubles".into(), result: TestResult::Pass });
}

#[test]
fn a_failing_value_fails_only_the_tests_that_use_it() {
    let src = "\
bad = 1 / 0
good = 2
test \"uses bad\" = bad == 1
test \"uses good\" = good == 2
";
    let compiled = compile(src);
    let outcomes = run_tests(&compiled.program, &compiled.info, &Limits::default(), &mut Vec::new());
    assert_eq!(format_test_report(&outcomes), "ERROR uses bad: division by zero\nPASS uses good\n1 passed, 1 failed\n");
}

#[test]
fn an_empty_test_report() {
    assert_eq!(format_test_report(&[]), "0 passed, 0 failed\n");
}

#[test]
fn run_error_messages_are_one_line() {
    let limits = Limits::default();
    let messages = [
        (RunError::StepLimit(limits.steps), "step limit of 1000000000 steps exhausted"),
        (RunError::StackLimit(limits.stack_depth), "stack limit of 1000000 nested calls exceeded"),
        (RunError::MemoryLimit(limits.memory), "memory limit of 1073741824 bytes exceeded"),
        (RunError::Runtime("division by zero".into()), "division by zero"),
        (RunError::Output("broken pipe".into()), "cannot write output: broken pipe"),
    ];
    for (error, message) in messages {
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn output_errors_are_reported() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("closed"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let compiled = compile("main =\n  print 1\n  2\n");
    let result = run_main(&compiled.program, &compiled.info, &Limits::default(), &mut Broken);
    assert_eq!(result, Err(RunError::Output("closed".into())));
}

#[test]
fn code_nested_deeper_than_lowering_allows_fails_cleanly() {
    // Hand-built, since the parser refuses such nesting itself.
    let mut e = ast::Expr { id: 0, kind: ast::ExprKind::Lit(ast::Lit::Int(1)), span: Span::default() };
    for id in 1..(lower::MAX_DEPTH as u32 + 10) {
        e = ast::Expr { id, kind: ast::ExprKind::Neg(Box::new(e)), span: Span::default() };
    }
    let program = equation_program("main", e);
    let result = run_main(&program, &TypeInfo::default(), &Limits::default(), &mut Vec::new());
    assert_eq!(result, Err(RunError::Runtime("expression nested too deeply to evaluate".into())));
}

#[test]
fn code_nested_as_deep_as_lowering_allows_runs() {
    let mut e = ast::Expr { id: 0, kind: ast::ExprKind::Lit(ast::Lit::Int(1)), span: Span::default() };
    for id in 1..(lower::MAX_DEPTH as u32) {
        e = ast::Expr { id, kind: ast::ExprKind::Neg(Box::new(e)), span: Span::default() };
    }
    let program = equation_program("main", e);
    let mut out = Vec::new();
    run_main(&program, &TypeInfo::default(), &Limits::default(), &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "-1\n");
}

fn equation_program(name: &str, body: ast::Expr) -> ast::Program {
    let ident = ast::Ident { name: name.into(), span: Span::default() };
    let eq = ast::Equation { name: ident, params: Vec::new(), body, doc: None, span: Span::default() };
    ast::Program { items: vec![ast::Item::Equation(eq)] }
}

#[test]
fn broken_trees_raise_internal_errors_instead_of_panicking() {
    let hole = ast::Expr { id: 0, kind: ast::ExprKind::Hole, span: Span::default() };
    let program = equation_program("main", hole);
    let result = run_main(&program, &TypeInfo::default(), &Limits::default(), &mut Vec::new());
    assert!(matches!(result, Err(RunError::Runtime(m)) if m.starts_with("internal:")));
    // An ill-typed program: adding a string to a number.
    let compiled = crate::compile("main = 1 + \"a\"\n");
    let result = run_main(&compiled.program, &compiled.info, &Limits::default(), &mut Vec::new());
    assert!(matches!(result, Err(RunError::Runtime(m)) if m.starts_with("internal:")));
}

use crate::span::Span;

#[test]
fn ill_typed_programs_fail_cleanly() {
    // Straight from the parser, skipping the type checker: none may panic
    // or run away; most end in an `internal:` runtime error.
    let programs = [
        "main = head 1",
        "main = 1 + \"a\"",
        "main = map 1 [1]",
        "main = (\\x -> x) 1 2",
        "main = [1 2] ++ \"a\"",
        "main = sort [1 \"a\" 2.0 [3]]",
        "main = sort [(\\x -> x) (\\y -> y)]",
        "main = show (\\x -> x)",
        "main = print map",
        "main = 1 == map",
        "main = {x = 1}.y",
        "main = {...1, x = 2}",
        "main = {...{x = 1}, y = 2}",
        "main = [x | x <- 5]",
        "main = [x | x <- [1], 7]",
        "main = ? 1 -> 2 : 3",
        "main = -\"a\"",
        "main = 1 2",
        "main = 1 : 2",
        "main = true && 1",
        "main = str_len 5",
        "main = [1..'a']",
        "main = index \"a\" [1]",
        "main = for_each 1 [1]",
        "main = foldr 1 0 [1]",
        "main = zip_with 1 [1] [2]",
        "main = concat_map (\\x -> x) [1]",
        "main = filter (\\x -> 1) [1]",
        "main = map_ok (\\x -> x) 5",
        "main = is_ok 5",
        "main = (1, 2) < (\"a\", 2)",
        "main = {x = 1} == {y = 1}",
        "main = Just 1 < 3",
        "main = not 1",
        "main = undefined_name",
        "main = Undefined",
        "f (Nope x) = x\nmain = f 1",
        "main =\n  (a, b) = 1\n  a",
        "main = sum [1 2.0]",
        "main = maximum [1 \"a\"]",
        "main = elem 1 [map]",
        "x = x + 1\nmain = x",
        "main = main",
    ];
    for src in programs {
        let (program, diags) = crate::parse::parse(&format!("{src}\n"));
        assert!(diags.is_empty(), "{src}: {diags:?}");
        let result = run_main(&program, &TypeInfo::default(), &Limits::default(), &mut Vec::new());
        // `true && 1` is 1: only failures are checked for, not their absence.
        assert!(matches!(result, Ok(()) | Err(RunError::Runtime(_))), "{src}: {result:?}");
    }
}
