//! A mutation generator: valid corpus programs turned into invalid ones by
//! the mistakes a model makes (swapped or dropped or extra arguments, a
//! literal of the wrong type, a misspelt name, a name used before its
//! definition, a broken record field, mismatched branches, a wrong
//! operator). Only mutants the compiler rejects are kept.

use synoema_compiler::parse::lexer;
use synoema_compiler::parse::token::{Token, TokenKind};

/// One invalid program made from a valid one.
pub struct Mutant {
    pub program: String,
    pub operator: &'static str,
    pub text: String,
    /// The first byte where the mutant differs from the program.
    pub at: usize,
}

fn is_atom(kind: &TokenKind) -> bool {
    use TokenKind::*;
    matches!(kind, Lower(_) | Upper(_) | Int(_) | Float(_) | Char(_) | Str(_) | True | False)
}

fn same_line(src: &str, a: &Token, b: &Token) -> bool {
    src.get(a.span.end as usize..b.span.start as usize).is_some_and(|gap| gap.bytes().all(|c| c == b' '))
}

fn text<'s>(src: &'s str, t: &Token) -> &'s str {
    src.get(t.span.start as usize..t.span.end as usize).unwrap_or("")
}

/// Every candidate edit of one program: (operator, start, end, replacement).
fn edits(src: &str) -> Vec<(&'static str, usize, usize, String)> {
    let (lexed, _) = lexer::lex(src);
    let toks: Vec<&Token> = lexed.tokens.iter().filter(|t| !matches!(t.kind, TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof)).collect();
    let defined: Vec<(String, usize)> = toks
        .iter()
        .filter(|t| t.span.start == 0 || src.as_bytes().get(t.span.start as usize - 1) == Some(&b'\n'))
        .filter_map(|t| match &t.kind {
            TokenKind::Lower(n) => Some((n.clone(), t.span.start as usize)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let t = toks[i];
        let (s, e) = (t.span.start as usize, t.span.end as usize);
        let prev = i.checked_sub(1).map(|j| toks[j]);
        let next = toks.get(i + 1).copied();
        let is_arg = prev.is_some_and(|p| is_atom(&p.kind) && same_line(src, p, t)) && is_atom(&t.kind);
        // Literals of another type.
        let swap_lit = match &t.kind {
            TokenKind::Int(_) => Some("\"1\""),
            TokenKind::Float(_) => Some("1"),
            TokenKind::Str(_) => Some("0"),
            TokenKind::True | TokenKind::False => Some("1"),
            TokenKind::Char(_) => Some("\"c\""),
            _ => None,
        };
        if let Some(lit) = swap_lit {
            out.push(("literal type", s, e, lit.to_string()));
        }
        if is_arg {
            out.push(("drop argument", s - 1, e, String::new()));
            if let Some(n) = next.filter(|n| is_atom(&n.kind) && same_line(src, t, n)) {
                let swapped = format!("{} {}", text(src, n), text(src, t));
                out.push(("swap arguments", s, n.span.end as usize, swapped));
            }
        }
        if let TokenKind::Lower(name) = &t.kind {
            let use_site = prev.is_some_and(|p| !matches!(p.kind, TokenKind::Backslash) && same_line(src, p, t) && p.span.end as usize != s)
                && !defined.iter().any(|(_, at)| *at == s);
            let after_dot = prev.is_some_and(|p| p.kind == TokenKind::Dot && p.span.end as usize == s);
            if after_dot {
                out.push(("break record field", s, e, format!("{name}z")));
            } else if use_site {
                out.push(("misspell name", s, e, format!("{name}q")));
                let ends_operand = next.is_none_or(|n| !is_atom(&n.kind) || !same_line(src, t, n));
                if ends_operand {
                    out.push(("add argument", e, e, " 1".to_string()));
                }
                if let Some((later, _)) = defined.iter().find(|(n, at)| *at > s && n != name && !src[..s].contains(n.as_str())) {
                    out.push(("use before definition", s, e, later.clone()));
                }
            }
            if let Some(n) = next.filter(|n| n.kind == TokenKind::Lower("x".into()) || matches!(n.kind, TokenKind::Eq)) {
                // A record literal field `{name = ...`: rename it.
                if prev.is_some_and(|p| matches!(p.kind, TokenKind::LBrace | TokenKind::Comma)) && n.kind == TokenKind::Eq && !src[..s].ends_with('\n') {
                    out.push(("break record field", s, e, format!("{name}z")));
                }
            }
        }
        if t.kind == TokenKind::Colon {
            // The else branch of a conditional on the same line.
            let line_start = src[..s].rfind('\n').map_or(0, |k| k + 1);
            let in_cond = src[line_start..s].contains('?') || src[line_start..s].trim_start().is_empty();
            if let (true, Some(n)) = (in_cond, next.filter(|n| is_atom(&n.kind))) {
                if src[line_start..].contains("->") || src[..line_start].trim_end().ends_with(|c: char| c != '=') {
                    let other = if matches!(n.kind, TokenKind::Str(_)) { "0" } else { "\"mismatch\"" };
                    out.push(("mismatch branches", n.span.start as usize, n.span.end as usize, other.to_string()));
                }
            }
        }
        let op = match t.kind {
            TokenKind::Plus => Some("++"),
            TokenKind::PlusPlus => Some("+"),
            TokenKind::EqEq => Some("+"),
            TokenKind::AndAnd => Some("++"),
            TokenKind::Star => Some("++"),
            TokenKind::Pipe => Some("++"),
            _ => None,
        };
        if let Some(op) = op {
            out.push(("wrong operator", s, e, op.to_string()));
        }
    }
    out
}

/// Mutants of `programs` that the compiler rejects, at most `per_program`
/// from each (spread over its edits), in a fixed order.
pub fn mutants(programs: &[(String, String)], per_program: usize) -> Vec<Mutant> {
    let mut out = Vec::new();
    for (name, src) in programs {
        let all = edits(src);
        if all.is_empty() {
            continue;
        }
        let step = (all.len() / per_program.max(1)).max(1);
        let mut kept = 0;
        let mut seen = std::collections::HashSet::new();
        for k in 0..all.len() {
            // Walk the edits with a stride, then fill from the rest.
            let (op, s, e, with) = &all[(k * step + k / all.len().div_ceil(step).max(1)) % all.len()];
            if kept >= per_program {
                break;
            }
            let (Some(head), Some(rest)) = (src.get(..*s), src.get(*e..)) else { continue };
            let text = format!("{head}{with}{rest}");
            if text == *src || !seen.insert(text.clone()) {
                continue;
            }
            if synoema_compiler::compile(&text).diagnostics.is_empty() {
                continue;
            }
            let at = src.bytes().zip(text.bytes()).position(|(a, b)| a != b).unwrap_or(src.len().min(text.len()));
            out.push(Mutant { program: name.clone(), operator: op, text, at });
            kept += 1;
        }
    }
    out
}
