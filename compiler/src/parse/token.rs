//! Tokens: what the lexer hands the parser.
//!
//! Layout is already resolved here: the lexer turns indentation into
//! `Newline` (a new item of the current block), `Indent` (a block opens after
//! a definition's `=`) and `Dedent` (a block closes). Continuation line breaks
//! leave no token at all.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// One segment of a string literal.
#[derive(Clone, Debug, PartialEq)]
pub enum StrSeg {
    /// Literal text, escapes already decoded.
    Text(String),
    /// The tokens of a `${...}` interpolation, without the braces; `span`
    /// covers the expression text. The token list ends with `Eof`.
    Interp(Vec<Token>, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Lower(String),
    Upper(String),
    Int(i64),
    Float(f64),
    Char(char),
    /// A string literal. A literal without interpolation is one `Text`
    /// segment (or none when empty).
    Str(Vec<StrSeg>),
    /// `_`
    Underscore,
    // Keywords.
    True,
    False,
    Type,
    Test,
    // Operators and punctuation.
    /// `|>`
    Pipe,
    /// `||`
    OrOr,
    /// `&&`
    AndAnd,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `++`
    PlusPlus,
    /// `:`
    Colon,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `**`
    StarStar,
    /// `>>`
    Compose,
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// `...`
    Ellipsis,
    /// `=`
    Eq,
    /// `->`
    Arrow,
    /// `<-`
    LArrow,
    /// `\`
    Backslash,
    /// `?`
    Question,
    /// `|`
    Bar,
    /// `,`
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    /// `@` (reserved: always a syntax error in Core 1).
    At,
    // Layout.
    /// A line break that starts a new item at the current block's indentation.
    Newline,
    /// A block opens (the line after a definition's line-ending `=`).
    Indent,
    /// A block closes.
    Dedent,
    /// End of input (every block is closed before it).
    Eof,
}

impl TokenKind {
    /// How the token is shown in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Lower(n) | TokenKind::Upper(n) => format!("`{n}`"),
            TokenKind::Int(i) => format!("`{i}`"),
            TokenKind::Float(f) => format!("`{f:?}`"),
            TokenKind::Char(_) => "a character literal".into(),
            TokenKind::Str(_) => "a string literal".into(),
            TokenKind::Newline => "a new line".into(),
            TokenKind::Indent => "an indented block".into(),
            TokenKind::Dedent => "the end of the block".into(),
            TokenKind::Eof => "the end of the file".into(),
            other => format!("`{}`", other.symbol()),
        }
    }

    /// The source spelling of keywords, operators and punctuation.
    pub fn symbol(&self) -> &'static str {
        use TokenKind::*;
        match self {
            Underscore => "_",
            True => "true",
            False => "false",
            Type => "type",
            Test => "test",
            Pipe => "|>",
            OrOr => "||",
            AndAnd => "&&",
            EqEq => "==",
            NotEq => "!=",
            Le => "<=",
            Ge => ">=",
            Lt => "<",
            Gt => ">",
            PlusPlus => "++",
            Colon => ":",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            StarStar => "**",
            Compose => ">>",
            Dot => ".",
            DotDot => "..",
            Ellipsis => "...",
            Eq => "=",
            Arrow => "->",
            LArrow => "<-",
            Backslash => "\\",
            Question => "?",
            Bar => "|",
            Comma => ",",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            At => "@",
            _ => "",
        }
    }
}

/// Keywords of Core 1 and words reserved for later versions: never identifiers.
pub const RESERVED_WORDS: &[&str] = &[
    "true", "false", "type", "test", "mod", "use", "import", "trait", "impl", "derive", "lazy",
    "prop", "when",
];

/// A `---` documentation comment: its text (without the dashes) and the
/// offset of the first token after it, which is where its item starts.
#[derive(Clone, Debug, PartialEq)]
pub struct DocComment {
    pub text: String,
    pub attaches_to: u32,
}

/// Everything the lexer produces for one source text.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub docs: Vec<DocComment>,
}
