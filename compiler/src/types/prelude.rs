//! The prelude of LANGUAGE.md §6 as the checker sees it: the data types
//! `Result` and `Maybe`, and one table of function names with their types
//! written as text, read by a tiny type parser. The interpreter implements
//! the same names; [`PRELUDE`] is the one list both sides agree on.

use super::env::{TypeDefs, TypeName};
use super::ty::{Class, Classes, Scheme, Ty, TyCon};

/// Every prelude function with its type, as LANGUAGE.md §6 writes it.
pub const PRELUDE: &[(&str, &str)] = &[
    // lists
    ("length", "[a] -> Int"),
    ("head", "[a] -> a"),
    ("tail", "[a] -> [a]"),
    ("last", "[a] -> a"),
    ("init", "[a] -> [a]"),
    ("index", "Int -> [a] -> a"),
    ("map", "(a -> b) -> [a] -> [b]"),
    ("filter", "(a -> Bool) -> [a] -> [a]"),
    ("foldl", "(b -> a -> b) -> b -> [a] -> b"),
    ("foldr", "(a -> b -> b) -> b -> [a] -> b"),
    ("concat_map", "(a -> [b]) -> [a] -> [b]"),
    ("concat", "[[a]] -> [a]"),
    ("reverse", "[a] -> [a]"),
    ("take", "Int -> [a] -> [a]"),
    ("drop", "Int -> [a] -> [a]"),
    ("zip", "[a] -> [b] -> [(a, b)]"),
    ("zip_with", "(a -> b -> c) -> [a] -> [b] -> [c]"),
    ("sum", "Num a => [a] -> a"),
    ("product", "Num a => [a] -> a"),
    ("maximum", "Ord a => [a] -> a"),
    ("minimum", "Ord a => [a] -> a"),
    ("sort", "Ord a => [a] -> [a]"),
    ("elem", "Eq a => a -> [a] -> Bool"),
    ("any", "(a -> Bool) -> [a] -> Bool"),
    ("all", "(a -> Bool) -> [a] -> Bool"),
    ("replicate", "Int -> a -> [a]"),
    ("is_empty", "[a] -> Bool"),
    // strings and chars
    ("str_len", "String -> Int"),
    ("str_slice", "String -> Int -> Int -> String"),
    ("str_find", "String -> String -> Int -> Int"),
    ("str_split", "String -> String -> [String]"),
    ("str_join", "String -> [String] -> String"),
    ("str_trim", "String -> String"),
    ("str_upper", "String -> String"),
    ("str_lower", "String -> String"),
    ("str_starts_with", "String -> String -> Bool"),
    ("str_ends_with", "String -> String -> Bool"),
    ("str_contains", "String -> String -> Bool"),
    ("str_replace", "String -> String -> String -> String"),
    ("chars", "String -> [Char]"),
    ("from_chars", "[Char] -> String"),
    ("ord", "Char -> Int"),
    ("chr", "Int -> Char"),
    ("parse_int", "String -> Maybe Int"),
    ("parse_float", "String -> Maybe Float"),
    ("show", "Show a => a -> String"),
    // numbers and logic
    ("abs", "Num a => a -> a"),
    ("min", "Ord a => a -> a -> a"),
    ("max", "Ord a => a -> a -> a"),
    ("to_float", "Int -> Float"),
    ("truncate", "Float -> Int"),
    ("floor", "Float -> Int"),
    ("ceil", "Float -> Int"),
    ("round", "Float -> Int"),
    ("sqrt", "Float -> Float"),
    ("even", "Int -> Bool"),
    ("odd", "Int -> Bool"),
    ("not", "Bool -> Bool"),
    // results and options
    ("map_ok", "(a -> b) -> Result a e -> Result b e"),
    ("and_then", "(a -> Result b e) -> Result a e -> Result b e"),
    ("unwrap_or", "a -> Result a e -> a"),
    ("is_ok", "Result a e -> Bool"),
    ("is_err", "Result a e -> Bool"),
    ("map_maybe", "(a -> b) -> Maybe a -> Maybe b"),
    ("with_default", "a -> Maybe a -> a"),
    ("error", "String -> a"),
    // effects
    ("print", "Show a => a -> ()"),
    ("for_each", "(a -> b) -> [a] -> ()"),
];

/// Registers `Result a e = Ok a | Err e` and `Maybe a = Just a | None`.
pub(crate) fn add_prelude_types(defs: &mut TypeDefs) {
    let result = defs.add_adt("Result", 2);
    defs.add_ctor(result, "Ok", vec![Ty::Gen(0)]);
    defs.add_ctor(result, "Err", vec![Ty::Gen(1)]);
    let maybe = defs.add_adt("Maybe", 1);
    defs.add_ctor(maybe, "Just", vec![Ty::Gen(0)]);
    defs.add_ctor(maybe, "None", Vec::new());
}

/// Reads one type of the [`PRELUDE`] table against the prelude types.
/// Returns `None` on text the tiny parser does not understand (a bug in the
/// table, caught by the tests).
pub(crate) fn parse_scheme(text: &str, defs: &TypeDefs) -> Option<Scheme> {
    let tokens = tokenize(text);
    let mut p = SchemeParser { tokens, pos: 0, vars: Vec::new(), defs };
    let mut constraints = Vec::new();
    if p.tokens.iter().any(|t| t == "=>") {
        let parens = p.eat("(");
        loop {
            let class = match p.next()?.as_str() {
                "Num" => Class::Num,
                "Ord" => Class::Ord,
                "Eq" => Class::Eq,
                "Show" => Class::Show,
                "Append" => Class::Append,
                _ => return None,
            };
            let var = p.next()?;
            constraints.push((class, var));
            if !(parens && p.eat(",")) {
                break;
            }
        }
        if parens && !p.eat(")") {
            return None;
        }
        if !p.eat("=>") {
            return None;
        }
    }
    let ty = p.ty()?;
    if p.pos != p.tokens.len() {
        return None;
    }
    let mut gens = vec![Classes::NONE; p.vars.len()];
    for (class, var) in constraints {
        let i = p.vars.iter().position(|v| *v == var)?;
        gens[i] = gens[i].union(Classes::one(class));
    }
    Some(Scheme { gens, ty })
}

fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            let mut word = c.to_string();
            while let Some(&d) = chars.peek() {
                if !(d.is_ascii_alphanumeric() || d == '_') {
                    break;
                }
                word.push(d);
                chars.next();
            }
            out.push(word);
        } else if (c == '-' || c == '=') && chars.peek() == Some(&'>') {
            chars.next();
            out.push(format!("{c}>"));
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

struct SchemeParser<'a> {
    tokens: Vec<String>,
    pos: usize,
    vars: Vec<String>,
    defs: &'a TypeDefs,
}

impl SchemeParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn next(&mut self) -> Option<String> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, tok: &str) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn ty(&mut self) -> Option<Ty> {
        let left = self.btype()?;
        if self.eat("->") {
            Some(Ty::fun(left, self.ty()?))
        } else {
            Some(left)
        }
    }

    fn btype(&mut self) -> Option<Ty> {
        match self.peek() {
            Some(name) if name.starts_with(|c: char| c.is_ascii_uppercase()) => {
                let name = name.to_string();
                self.pos += 1;
                let mut args = Vec::new();
                while matches!(self.peek(), Some(t) if t == "(" || t == "[" || t.starts_with(|c: char| c.is_ascii_alphabetic())) {
                    args.push(self.atom()?);
                }
                self.con(&name, args)
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Option<Ty> {
        let tok = self.next()?;
        match tok.as_str() {
            "(" => {
                if self.eat(")") {
                    return Some(Ty::unit());
                }
                let mut items = vec![self.ty()?];
                while self.eat(",") {
                    items.push(self.ty()?);
                }
                if !self.eat(")") {
                    return None;
                }
                Some(if items.len() == 1 { items.pop()? } else { Ty::Con(TyCon::Tuple, items.into()) })
            }
            "[" => {
                let elem = self.ty()?;
                self.eat("]").then(|| Ty::list(elem))
            }
            name if name.starts_with(|c: char| c.is_ascii_uppercase()) => self.con(name, Vec::new()),
            name if name.starts_with(|c: char| c.is_ascii_lowercase()) => {
                let i = match self.vars.iter().position(|v| v == name) {
                    Some(i) => i,
                    None => {
                        self.vars.push(name.to_string());
                        self.vars.len() - 1
                    }
                };
                Some(Ty::Gen(i as u32))
            }
            _ => None,
        }
    }

    fn con(&self, name: &str, args: Vec<Ty>) -> Option<Ty> {
        let base = TyCon::base(name);
        if let Some(con) = base {
            return args.is_empty().then(|| Ty::base(con));
        }
        match self.defs.type_names.get(name) {
            Some(TypeName::Adt(id)) if self.defs.adt(*id).is_some_and(|a| a.params == args.len()) => {
                Some(Ty::Con(TyCon::Adt(*id), args.into()))
            }
            _ => None,
        }
    }
}
