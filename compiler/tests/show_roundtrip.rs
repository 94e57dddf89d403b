//! `show` renders values close to how source writes them (LANGUAGE.md §5).
//! For random typed values written in their canonical form `S`:
//! - `show (S)` prints exactly `S`;
//! - the printed text read back as source equals the original value.
//!
//! Values that source cannot write the way `show` prints them are left out
//! by the generator, as the spec prescribes those forms: negative numbers as
//! direct list elements (`[-3 2]` is shown, `[(-3) 2]` is source), floats in
//! exponent form (`1e21`) and non-finite floats.

use proptest::prelude::*;
use synoema_compiler::{compile, interp};

#[derive(Clone, Debug)]
enum Ty {
    Int,
    Float,
    Bool,
    Char,
    Str,
    Unit,
    List(Box<Ty>),
    Tuple(Vec<Ty>),
    Record(Vec<(String, Ty)>),
    Maybe(Box<Ty>),
    Result(Box<Ty>, Box<Ty>),
}

fn ty() -> impl Strategy<Value = Ty> {
    let leaf = prop_oneof![
        Just(Ty::Int),
        Just(Ty::Float),
        Just(Ty::Bool),
        Just(Ty::Char),
        Just(Ty::Str),
        Just(Ty::Unit)
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| Ty::List(Box::new(t))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Ty::Tuple),
            prop::collection::btree_map("[a-e][a-z0-9_]{0,3}", inner.clone(), 1..4)
                .prop_map(|m| Ty::Record(m.into_iter().collect())),
            inner.clone().prop_map(|t| Ty::Maybe(Box::new(t))),
            (inner.clone(), inner).prop_map(|(a, b)| Ty::Result(Box::new(a), Box::new(b))),
        ]
    })
}

/// Where a value is written: it decides the parentheses `show` adds.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Top,
    ListElem,
    CtorArg,
}

const CHARS: &[char] = &['a', 'Z', '0', ' ', '"', '\'', '\\', '$', '\n', '\t', 'é', '→', '\u{1}', '{'];

fn escape(c: char, quote: char) -> String {
    match c {
        '\\' => "\\\\".into(),
        '\n' => "\\n".into(),
        '\t' => "\\t".into(),
        '\r' => "\\r".into(),
        '\0' => "\\0".into(),
        '$' if quote == '"' => "\\$".into(),
        c if c == quote => format!("\\{c}"),
        c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
        c => c.to_string(),
    }
}

/// A random value of type `t`, written canonically for context `ctx`.
fn value(t: &Ty, ctx: Ctx) -> BoxedStrategy<String> {
    match t {
        Ty::Int => {
            let range = if ctx == Ctx::ListElem { 0..1000i64 } else { -1000..1000i64 };
            range.prop_map(move |n| if n < 0 && ctx == Ctx::CtorArg { format!("({n})") } else { n.to_string() }).boxed()
        }
        Ty::Float => {
            let range = if ctx == Ctx::ListElem { 0..100_000i64 } else { -100_000..100_000i64 };
            range
                .prop_map(move |n| {
                    let text = format!("{:?}", n as f64 / 100.0);
                    if n < 0 && ctx == Ctx::CtorArg { format!("({text})") } else { text }
                })
                .boxed()
        }
        Ty::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        Ty::Char => prop::sample::select(CHARS).prop_map(|c| format!("'{}'", escape(c, '\''))).boxed(),
        Ty::Str => prop::collection::vec(prop::sample::select(CHARS), 0..6)
            .prop_map(|cs| format!("\"{}\"", cs.into_iter().map(|c| escape(c, '"')).collect::<String>()))
            .boxed(),
        Ty::Unit => Just("()".to_string()).boxed(),
        Ty::List(elem) => prop::collection::vec(value(elem, Ctx::ListElem), 0..4)
            .prop_map(|items| format!("[{}]", items.join(" ")))
            .boxed(),
        Ty::Tuple(parts) => parts
            .iter()
            .map(|p| value(p, Ctx::Top))
            .collect::<Vec<_>>()
            .prop_map(|items| format!("({})", items.join(", ")))
            .boxed(),
        Ty::Record(fields) => fields
            .iter()
            .map(|(name, t)| {
                let name = name.clone();
                value(t, Ctx::Top).prop_map(move |v| format!("{name} = {v}"))
            })
            .collect::<Vec<_>>()
            .prop_map(|items| format!("{{{}}}", items.join(", ")))
            .boxed(),
        Ty::Maybe(inner) => {
            let wrap = ctx != Ctx::Top;
            prop_oneof![
                Just("None".to_string()),
                value(inner, Ctx::CtorArg).prop_map(move |v| paren(wrap, format!("Just {v}"))),
            ]
            .boxed()
        }
        Ty::Result(ok, err) => {
            let wrap = ctx != Ctx::Top;
            prop_oneof![
                value(ok, Ctx::CtorArg).prop_map(move |v| paren(wrap, format!("Ok {v}"))),
                value(err, Ctx::CtorArg).prop_map(move |v| paren(wrap, format!("Err {v}"))),
            ]
            .boxed()
        }
    }
}

fn paren(wrap: bool, text: String) -> String {
    if wrap {
        format!("({text})")
    } else {
        text
    }
}

fn run(src: &str) -> String {
    let compiled = compile(src);
    assert!(compiled.diagnostics.is_empty(), "{src}\n{:?}", compiled.diagnostics);
    let mut out = Vec::new();
    interp::run_main(&compiled.program, &compiled.info, &interp::Limits::default(), &mut out)
        .unwrap_or_else(|e| panic!("{src}\n{e}"));
    String::from_utf8(out).expect("output is UTF-8")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn show_prints_the_canonical_form_and_it_reads_back(text in ty().prop_flat_map(|t| value(&t, Ctx::Top))) {
        let shown = run(&format!("main = show ({text})\n"));
        prop_assert_eq!(shown.trim_end_matches('\n'), text.as_str());
        let again = run(&format!("main = ({text}) == ({})\n", shown.trim_end_matches('\n')));
        prop_assert_eq!(again, "true\n");
    }
}
