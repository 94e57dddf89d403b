//! The exported texts are well formed: every rule they use is defined once,
//! names follow each format's rules, and GBNF rules stay on one line (a
//! GBNF rule ends at the line break).

use std::collections::HashSet;

/// Rule definitions `name <sep> body`, one per line, skipping comments
/// and directives.
fn definitions<'a>(text: &'a str, sep: &str) -> Vec<(&'a str, &'a str)> {
    let mut defs = Vec::new();
    let mut last: Option<usize> = None;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") || line.starts_with('%') {
            continue;
        }
        if line.starts_with(' ') {
            // A continuation line of the previous definition (Lark only).
            assert!(last.is_some(), "continuation without a rule: {line:?}");
            continue;
        }
        let (name, body) = line.split_once(sep).unwrap_or_else(|| panic!("not a definition: {line:?}"));
        defs.push((name.trim(), body));
        last = Some(defs.len());
    }
    defs
}

/// Names referenced in a rule body, outside string literals, regexes and
/// character classes.
fn references(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = body.chars().peekable();
    let mut word = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' | '/' | '[' => {
                let close = if c == '[' { ']' } else { c };
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == close {
                        break;
                    }
                }
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => word.push(c),
            _ => {
                if !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit() || c == ',') {
                    names.push(std::mem::take(&mut word));
                }
                word.clear();
            }
        }
    }
    if !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) {
        names.push(word);
    }
    names
}

fn check_closed(defs: &[(&str, &str)]) {
    let mut defined = HashSet::new();
    for (name, _) in defs {
        assert!(defined.insert(*name), "{name} is defined twice");
    }
    for (name, body) in defs {
        for r in references(body) {
            assert!(defined.contains(r.as_str()), "{name} uses undefined {r:?}");
        }
    }
}

#[test]
fn lark_rules_are_closed_and_named_per_lark() {
    let text = synoema_grammar::lark();
    let defs = definitions(&text, ":");
    assert!(defs.iter().any(|(n, _)| *n == "start"));
    for (name, _) in &defs {
        let rule = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let terminal = name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        assert!(rule || terminal, "bad Lark name {name:?}");
    }
    check_closed(&defs);
}

#[test]
fn gbnf_rules_are_closed_and_on_one_line() {
    let text = synoema_grammar::gbnf();
    assert!(!text.lines().any(|l| l.starts_with(' ')), "a GBNF rule spans lines");
    let defs = definitions(&text, "::=");
    assert!(defs.iter().any(|(n, _)| *n == "root"));
    for (name, _) in &defs {
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "bad GBNF name {name:?}"
        );
    }
    check_closed(&defs);
}

#[test]
fn both_exports_are_deterministic() {
    assert_eq!(synoema_grammar::lark(), synoema_grammar::lark());
    assert_eq!(synoema_grammar::gbnf(), synoema_grammar::gbnf());
}
