//! Completeness (docs/oracle.md): mutants of corpus programs that the
//! compiler rejects must be rejected by the oracle before the end of
//! sequence, as early as possible. Prints the figures and every mutant not
//! rejected before the end (a gap), and fails when the rejection rate falls
//! below the recorded baseline. `ORACLE_SHARD=i/n` runs one shard.

mod common;

use common::mutants::{mutants, Mutant};
use std::collections::BTreeMap;
use synoema_typeoracle::{Oracle, Request};

/// The fraction of mutants rejected before the end of sequence, measured
/// when this test was written; a lower one fails.
const BASELINE: f64 = 0.95;

/// Where the oracle first rejected a mutant.
enum Verdict {
    /// At this byte (at or after the first changed byte).
    Rejected(usize),
    /// Only the end of sequence was refused.
    AtEnd,
}

fn judge(m: &Mutant) -> Verdict {
    let mut oracle = Oracle::new(Request::default()).expect("empty request");
    let bytes = m.text.as_bytes();
    oracle.commit(&bytes[..m.at]);
    for i in m.at..bytes.len() {
        if !oracle.check(&bytes[i..=i]) {
            return Verdict::Rejected(i);
        }
        oracle.commit(&bytes[i..=i]);
    }
    assert!(!oracle.is_complete(), "{}: a program the compiler rejects is complete", m.program);
    Verdict::AtEnd
}

/// Endings that turn a program whose last line is unfinished into a valid
/// one: the last statement becomes a local definition, or gets one more
/// argument, or a cons continues it.
const WITNESSES: [&str; 10] = [
    " = 0\n  0\n",
    " = 0\n  ()\n",
    " 1\n",
    " 1.0\n",
    " \"a\"\n",
    " [1]\n",
    " : []\n",
    "\n        : []\n",
    " (\\_ -> ())\n",
    // A test's body of another type, compared.
    " == 0\n",
];

/// A continuation that makes a mutant valid: then no prefix of it is dead
/// and only the end of sequence can be refused.
fn witness(text: &str) -> Option<&'static str> {
    // Trailing comment lines change nothing; the ending goes before them.
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with("--")) {
        lines.pop();
    }
    let body = lines.join("\n");
    WITNESSES.into_iter().find(|w| synoema_compiler::compile(&format!("{body}{w}")).diagnostics.is_empty())
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

#[test]
fn mutants_are_rejected_before_the_end() {
    let programs = common::valid_programs();
    let all = mutants(&programs, 12);
    let list = common::shard(all);
    let total = list.len();
    let mut rejected = 0usize;
    let mut on_diag_line = 0usize;
    let mut before_diag_line = 0usize;
    let mut within_token = 0usize;
    let mut distance: Vec<usize> = Vec::new();
    let mut by_operator: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut gaps = Vec::new();
    let (mut at_end_earliest, mut unexplained) = (0usize, 0usize);
    for m in &list {
        let diag = synoema_compiler::compile(&m.text).diagnostics;
        let diag_at = diag.first().map_or(0, |d| d.span.start as usize);
        let entry = by_operator.entry(m.operator).or_default();
        entry.0 += 1;
        match judge(m) {
            Verdict::Rejected(at) => {
                rejected += 1;
                entry.1 += 1;
                let (rl, dl) = (line_of(&m.text, at), line_of(&m.text, diag_at));
                if rl == dl {
                    on_diag_line += 1;
                } else if rl < dl {
                    before_diag_line += 1;
                } else if std::env::var("ORACLE_SHOW_LATE").is_ok() {
                    let ml = line_of(&m.text, m.at);
                    println!("late [{}] {} change line {ml} {:?} diag line {dl} rejected line {rl} {:?}", m.operator, m.program,
                        m.text.lines().nth(ml - 1).unwrap_or(""), m.text.lines().nth(rl - 1).unwrap_or(""));
                }
                let end_of_token = m.text[m.at..].find(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '"').map_or(m.text.len(), |k| m.at + k);
                if at <= end_of_token {
                    within_token += 1;
                }
                distance.push(at - m.at);
            }
            Verdict::AtEnd => {
                let line = line_of(&m.text, m.at);
                let shown = m.text.lines().nth(line - 1).unwrap_or("");
                let message = diag.first().map_or(String::new(), |d| d.message.clone());
                let why = match witness(&m.text) {
                    Some(w) => {
                        at_end_earliest += 1;
                        format!("dead only at the end: it may continue {w:?}")
                    }
                    None => {
                        unexplained += 1;
                        "UNEXPLAINED".to_string()
                    }
                };
                gaps.push(format!("{} [{}] line {line}: {shown:?} ({message}): {why}", m.program, m.operator));
            }
        }
    }
    distance.sort_unstable();
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!("{total} mutants; rejected before the end: {rejected} ({:.1}%)", pct(rejected));
    println!(
        "  rejected on the first diagnostic's line: {on_diag_line} ({:.1}%), on an earlier line: {before_diag_line}, later: {}",
        pct(on_diag_line),
        rejected - on_diag_line - before_diag_line
    );
    println!("  rejected within the changed lexeme or at the byte after it: {within_token} ({:.1}%)", pct(within_token));
    if !distance.is_empty() {
        println!(
            "  bytes from the change to the rejection: p50 {} p90 {} max {}",
            distance[distance.len() / 2],
            distance[distance.len() * 9 / 10],
            distance[distance.len() - 1]
        );
    }
    for (op, (n, r)) in &by_operator {
        println!("  {op}: {r}/{n}");
    }
    println!(
        "  rejected before the end, or at the end when no earlier point is dead: {} ({:.1}%)",
        rejected + at_end_earliest,
        pct(rejected + at_end_earliest)
    );
    println!("gaps (not rejected before the end): {}, unexplained: {unexplained}", gaps.len());
    for g in &gaps {
        println!("  {g}");
    }
    assert!(total >= 100 || std::env::var("ORACLE_SHARD").is_ok(), "only {total} mutants");
    assert_eq!(unexplained, 0, "mutants accepted up to the end though an earlier prefix may be dead");
    let rate = rejected as f64 / total.max(1) as f64;
    assert!(rate >= BASELINE, "rejection rate {rate:.3} below the baseline {BASELINE}");
}
