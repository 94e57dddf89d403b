//! Queries that leave out a block's complete effect statements
//! (`prefix::Session` judges the statements once, then checks the rest
//! without them) decide exactly as queries that check everything. Both
//! kinds of session judge the same prefixes of corpus programs and of
//! mutants (invalid programs, so dead statements get left out too), with
//! candidate continuations that keep the prefix viable and that kill it.

mod common;

use synoema_compiler::prefix::{Mode, Request, Session};

/// Texts to try after each prefix: nothing, ordinary continuations, a new
/// statement of the block, a binding, and text of the wrong type.
const CANDIDATES: &[&str] = &["", " x", " 1", ")", "\n", "\n  print 1", "\n  y = 2\n", " + \"a\"", "\n  1 + \"a\"", "\n  main"];

#[test]
fn reduced_queries_decide_as_full_ones() {
    let programs = common::valid_programs();
    assert!(!programs.is_empty(), "no corpus found under {:?}", common::root());
    let mut texts: Vec<(String, String)> = programs.iter().step_by(4).cloned().collect();
    let mutants = common::mutants::mutants(&programs, 2);
    texts.extend(mutants.into_iter().step_by(8).map(|m| (format!("{} [{}]", m.program, m.operator), m.text)));
    let (mut compared, mut reduced, mut dead, mut disagreements) = (0usize, 0u64, 0usize, Vec::new());
    for (name, text) in &texts {
        let mut fast = Session::new(Request::default(), Mode::Types).expect("empty request");
        let mut full = Session::new(Request::default(), Mode::Types).expect("empty request").without_reduction();
        let mut cut = 0;
        while cut < text.len() {
            cut = (cut + 7).min(text.len());
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            for c in CANDIDATES {
                let src = format!("{}{c}", &text[..cut]);
                let (f, s) = (fast.viable_from(&src, cut), full.viable_from(&src, cut));
                compared += 1;
                dead += usize::from(!s);
                if f != s {
                    disagreements.push(format!("{name} at byte {cut} + {c:?}: reduced {f}, full {s}"));
                }
            }
        }
        reduced += fast.stats().reduced;
    }
    println!("{compared} queries compared, {reduced} reduced, {dead} dead");
    assert!(reduced > 500, "too few reduced queries: {reduced}");
    assert!(dead > 500 && dead < compared, "the queries must hold viable and dead prefixes");
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.iter().take(30).cloned().collect::<Vec<_>>().join("\n"));
}
