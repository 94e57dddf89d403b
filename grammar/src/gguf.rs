//! A small, bounds-checked reader of a GGUF file's header and metadata
//! (format version 3), enough to build a tokenizer from the vocabulary a
//! model file carries.
//!
//! Key types: [`Metadata`] (the key/value pairs, in file order) and
//! [`Value`] (every GGUF value type, arrays included). Reading stops before
//! the tensor descriptions: masks need the vocabulary, not the weights.
//!
//! Usage pattern:
//! ```
//! use synoema_grammar::gguf::{read_metadata, GgufError};
//! fn vocabulary(bytes: &[u8]) -> Result<(usize, u64), GgufError> {
//!     let meta = read_metadata(bytes)?;
//!     let tokens = meta.strings("tokenizer.ggml.tokens")?;
//!     let eos = meta.uint("tokenizer.ggml.eos_token_id")?;
//!     Ok((tokens.len(), eos))
//! }
//! assert!(vocabulary(b"GGUF").is_err());
//! ```
//!
//! A corrupt or truncated file is an error value, never a panic: every read
//! checks the remaining length first, and an array's declared length is
//! checked against the bytes left before anything is allocated for it.

use std::fmt;

/// The four bytes every GGUF file starts with.
const MAGIC: &[u8; 4] = b"GGUF";

/// The only format version read (the current one; llama.cpp writes it).
const VERSION: u32 = 3;

/// Arrays of arrays are legal GGUF; deeper nesting than this is treated as
/// corruption so that a hostile file cannot recurse without bound.
const MAX_ARRAY_NESTING: u32 = 4;

/// Why a GGUF header could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GgufError {
    /// Byte offset in the file where reading failed.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for GgufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GGUF file, byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for GgufError {}

/// One metadata value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    F32(f32),
    Bool(bool),
    Str(String),
    Array(Vec<Value>),
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Value {
    /// The value as an unsigned integer, when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::U8(v) => Some(u64::from(v)),
            Value::U16(v) => Some(u64::from(v)),
            Value::U32(v) => Some(u64::from(v)),
            Value::U64(v) => Some(v),
            Value::I8(v) => u64::try_from(v).ok(),
            Value::I16(v) => u64::try_from(v).ok(),
            Value::I32(v) => u64::try_from(v).ok(),
            Value::I64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::U8(_) => "uint8",
            Value::I8(_) => "int8",
            Value::U16(_) => "uint16",
            Value::I16(_) => "int16",
            Value::U32(_) => "uint32",
            Value::I32(_) => "int32",
            Value::F32(_) => "float32",
            Value::Bool(_) => "bool",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::U64(_) => "uint64",
            Value::I64(_) => "int64",
            Value::F64(_) => "float64",
        }
    }
}

/// The header and metadata of a GGUF file.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub version: u32,
    pub tensor_count: u64,
    /// Key/value pairs in file order.
    pub entries: Vec<(String, Value)>,
    /// Where the tensor descriptions start (the end of what was read).
    pub end: usize,
}

impl Metadata {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn require(&self, key: &str) -> Result<&Value, GgufError> {
        self.get(key).ok_or_else(|| GgufError { offset: self.end, message: format!("metadata key `{key}` is missing") })
    }

    fn wrong_type(&self, key: &str, expected: &str, found: &Value) -> GgufError {
        GgufError { offset: self.end, message: format!("metadata key `{key}`: expected {expected}, found {}", found.type_name()) }
    }

    /// A non-negative integer value.
    pub fn uint(&self, key: &str) -> Result<u64, GgufError> {
        let v = self.require(key)?;
        v.as_u64().ok_or_else(|| self.wrong_type(key, "a non-negative integer", v))
    }

    /// A string value.
    pub fn string(&self, key: &str) -> Result<&str, GgufError> {
        match self.require(key)? {
            Value::Str(s) => Ok(s),
            v => Err(self.wrong_type(key, "a string", v)),
        }
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> Result<Vec<&str>, GgufError> {
        let items = self.array(key)?;
        items
            .iter()
            .map(|v| match v {
                Value::Str(s) => Ok(s.as_str()),
                v => Err(self.wrong_type(key, "an array of strings", v)),
            })
            .collect()
    }

    /// An array of non-negative integers.
    pub fn uints(&self, key: &str) -> Result<Vec<u64>, GgufError> {
        let items = self.array(key)?;
        items.iter().map(|v| v.as_u64().ok_or_else(|| self.wrong_type(key, "an array of non-negative integers", v))).collect()
    }

    fn array(&self, key: &str) -> Result<&[Value], GgufError> {
        match self.require(key)? {
            Value::Array(items) => Ok(items),
            v => Err(self.wrong_type(key, "an array", v)),
        }
    }
}

/// A cursor over the file's bytes; every read is checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn fail<T>(&self, message: impl Into<String>) -> Result<T, GgufError> {
        Err(GgufError { offset: self.at, message: message.into() })
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], GgufError> {
        let Some(slice) = self.at.checked_add(n).and_then(|end| self.bytes.get(self.at..end)) else {
            return self.fail(format!("truncated: {n} more bytes expected, {} left", self.remaining()));
        };
        self.at += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, GgufError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, GgufError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A length that must fit in what is left, `unit` bytes per item at
    /// least: a corrupt length fails here instead of allocating.
    fn length(&mut self, unit: usize) -> Result<usize, GgufError> {
        let n = self.u64()?;
        match usize::try_from(n) {
            Ok(n) if n.checked_mul(unit).is_some_and(|bytes| bytes <= self.remaining()) => Ok(n),
            _ => self.fail(format!("length {n} exceeds the {} bytes left", self.remaining())),
        }
    }

    fn string(&mut self) -> Result<String, GgufError> {
        let start = self.at;
        let n = self.length(1)?;
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(GgufError { offset: start, message: "string is not UTF-8".to_string() }),
        }
    }

    /// The smallest encoding of a value of type `tag` (for length checks).
    fn min_size(tag: u32) -> usize {
        match tag {
            0 | 1 | 7 => 1,
            2 | 3 => 2,
            4..=6 => 4,
            // A string or an array holds at least its 8-byte length.
            _ => 8,
        }
    }

    fn value(&mut self, tag: u32, nesting: u32) -> Result<Value, GgufError> {
        Ok(match tag {
            0 => Value::U8(u8::from_le_bytes(self.array()?)),
            1 => Value::I8(i8::from_le_bytes(self.array()?)),
            2 => Value::U16(u16::from_le_bytes(self.array()?)),
            3 => Value::I16(i16::from_le_bytes(self.array()?)),
            4 => Value::U32(self.u32()?),
            5 => Value::I32(i32::from_le_bytes(self.array()?)),
            6 => Value::F32(f32::from_le_bytes(self.array()?)),
            7 => match self.take(1)? {
                [0] => Value::Bool(false),
                [1] => Value::Bool(true),
                _ => return self.fail("bool is neither 0 nor 1"),
            },
            8 => Value::Str(self.string()?),
            9 => {
                if nesting >= MAX_ARRAY_NESTING {
                    return self.fail("arrays nested too deeply");
                }
                let item = self.u32()?;
                if item > 12 {
                    return self.fail(format!("unknown array item type {item}"));
                }
                let n = self.length(Self::min_size(item))?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(item, nesting + 1)?);
                }
                Value::Array(items)
            }
            10 => Value::U64(self.u64()?),
            11 => Value::I64(i64::from_le_bytes(self.array()?)),
            12 => Value::F64(f64::from_le_bytes(self.array()?)),
            _ => return self.fail(format!("unknown value type {tag}")),
        })
    }
}

/// Reads the header and every metadata pair of a GGUF file, stopping before
/// the tensor descriptions. `bytes` may be the whole file or any prefix that
/// holds the metadata.
pub fn read_metadata(bytes: &[u8]) -> Result<Metadata, GgufError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err(GgufError { offset: 0, message: "not a GGUF file (magic is not `GGUF`)".to_string() });
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(GgufError { offset: 4, message: format!("GGUF version {version} is not supported (only {VERSION})") });
    }
    let tensor_count = r.u64()?;
    // A key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes.
    let n = r.length(13)?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let key = r.string()?;
        let tag = r.u32()?;
        let value = r.value(tag, 0)?;
        entries.push((key, value));
    }
    Ok(Metadata { version, tensor_count, entries, end: r.at })
}

/// GGUF bytes built by hand, for the tests of this reader and of the
/// tokenizer loader.
#[cfg(test)]
pub(crate) mod test_bytes {
    use super::MAGIC;

    /// Builds GGUF bytes by hand: header, then pairs written by the caller.
    pub(crate) struct Builder(pub(crate) Vec<u8>);

    impl Builder {
        pub(crate) fn new(version: u32, pairs: u64) -> Builder {
            let mut b = Builder(MAGIC.to_vec());
            b.0.extend_from_slice(&version.to_le_bytes());
            b.0.extend_from_slice(&7u64.to_le_bytes());
            b.0.extend_from_slice(&pairs.to_le_bytes());
            b
        }
        pub(crate) fn string(&mut self, s: &str) -> &mut Self {
            self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
            self.0.extend_from_slice(s.as_bytes());
            self
        }
        pub(crate) fn u32(&mut self, v: u32) -> &mut Self {
            self.0.extend_from_slice(&v.to_le_bytes());
            self
        }
        pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
            self.0.extend_from_slice(&v.to_le_bytes());
            self
        }
        pub(crate) fn raw(&mut self, bytes: &[u8]) -> &mut Self {
            self.0.extend_from_slice(bytes);
            self
        }
        /// A string-array pair.
        pub(crate) fn strings(&mut self, key: &str, items: &[&str]) -> &mut Self {
            self.string(key).u32(9).u32(8).u64(items.len() as u64);
            for item in items {
                self.string(item);
            }
            self
        }
        /// An int32-array pair (GGUF's token types).
        pub(crate) fn i32s(&mut self, key: &str, items: &[i32]) -> &mut Self {
            self.string(key).u32(9).u32(5).u64(items.len() as u64);
            for item in items {
                self.raw(&item.to_le_bytes());
            }
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_bytes::Builder;

    /// One pair of every scalar type, a string array, a nested array.
    fn every_type() -> Vec<u8> {
        let mut b = Builder::new(3, 15);
        b.string("u8").u32(0).raw(&[200]);
        b.string("i8").u32(1).raw(&[0xFF]);
        b.string("u16").u32(2).raw(&513u16.to_le_bytes());
        b.string("i16").u32(3).raw(&(-2i16).to_le_bytes());
        b.string("u32").u32(4).u32(70_000);
        b.string("i32").u32(5).raw(&(-3i32).to_le_bytes());
        b.string("f32").u32(6).raw(&1.5f32.to_le_bytes());
        b.string("bool").u32(7).raw(&[1]);
        b.string("str").u32(8).string("gpt2");
        b.string("u64").u32(10).u64(1 << 40);
        b.string("i64").u32(11).raw(&(-4i64).to_le_bytes());
        b.string("f64").u32(12).raw(&2.25f64.to_le_bytes());
        b.string("tokens").u32(9).u32(8).u64(2).string("a").string("Ġb");
        b.string("types").u32(9).u32(5).u64(2).raw(&1i32.to_le_bytes()).raw(&3i32.to_le_bytes());
        b.string("nested").u32(9).u32(9).u64(1).u32(0).u64(2).raw(&[1, 2]);
        b.raw(b"tensor descriptions follow");
        b.0
    }

    #[test]
    fn reads_every_value_type() {
        let bytes = every_type();
        let m = read_metadata(&bytes).unwrap();
        assert_eq!((m.version, m.tensor_count, m.entries.len()), (3, 7, 15));
        assert_eq!(m.get("u8"), Some(&Value::U8(200)));
        assert_eq!(m.get("i8"), Some(&Value::I8(-1)));
        assert_eq!(m.get("u16"), Some(&Value::U16(513)));
        assert_eq!(m.get("i16"), Some(&Value::I16(-2)));
        assert_eq!(m.uint("u32"), Ok(70_000));
        assert_eq!(m.get("i32"), Some(&Value::I32(-3)));
        assert_eq!(m.get("f32"), Some(&Value::F32(1.5)));
        assert_eq!(m.get("bool"), Some(&Value::Bool(true)));
        assert_eq!(m.string("str"), Ok("gpt2"));
        assert_eq!(m.uint("u64"), Ok(1 << 40));
        assert_eq!(m.get("i64"), Some(&Value::I64(-4)));
        assert_eq!(m.get("f64"), Some(&Value::F64(2.25)));
        assert_eq!(m.strings("tokens"), Ok(vec!["a", "Ġb"]));
        assert_eq!(m.uints("types"), Ok(vec![1, 3]));
        assert_eq!(m.get("nested"), Some(&Value::Array(vec![Value::Array(vec![Value::U8(1), Value::U8(2)])])));
        assert_eq!(&bytes[m.end..], b"tensor descriptions follow");
    }

    #[test]
    fn typed_getters_report_missing_keys_and_wrong_types() {
        let m = read_metadata(&every_type()).unwrap();
        assert!(m.uint("absent").unwrap_err().message.contains("missing"));
        assert!(m.uint("i32").unwrap_err().message.contains("non-negative"));
        assert!(m.string("u8").unwrap_err().message.contains("expected a string"));
        assert!(m.strings("types").is_err());
        assert!(m.uints("tokens").is_err());
    }

    #[test]
    fn every_truncation_is_a_clean_error() {
        let bytes = every_type();
        let end = read_metadata(&bytes).unwrap().end;
        for n in 0..end {
            let e = read_metadata(&bytes[..n]).expect_err("a truncated header must not read");
            assert!(e.offset <= n, "{e}");
        }
    }

    #[test]
    fn corrupt_headers_are_clean_errors() {
        assert!(read_metadata(b"GGML\x03\0\0\0").unwrap_err().message.contains("magic"));
        let v2 = Builder::new(2, 0).0;
        assert!(read_metadata(&v2).unwrap_err().message.contains("version 2"));
        // Lengths far beyond the file fail before anything is allocated.
        let huge_count = Builder::new(3, u64::MAX).0;
        assert!(read_metadata(&huge_count).unwrap_err().message.contains("exceeds"));
        let mut huge_string = Builder::new(3, 1);
        huge_string.u64(u64::MAX - 3);
        assert!(read_metadata(&huge_string.0).is_err());
        let mut huge_array = Builder::new(3, 1);
        huge_array.string("a").u32(9).u32(4).u64(1 << 60);
        assert!(read_metadata(&huge_array.0).unwrap_err().message.contains("exceeds"));
        let mut bad_type = Builder::new(3, 1);
        bad_type.string("a").u32(13).u32(0);
        assert!(read_metadata(&bad_type.0).unwrap_err().message.contains("unknown value type 13"));
        let mut bad_item = Builder::new(3, 1);
        bad_item.string("a").u32(9).u32(99).u64(0);
        assert!(read_metadata(&bad_item.0).unwrap_err().message.contains("item type 99"));
        let mut bad_bool = Builder::new(3, 1);
        bad_bool.string("a").u32(7).raw(&[2]);
        assert!(read_metadata(&bad_bool.0).is_err());
        let mut bad_utf8 = Builder::new(3, 1);
        bad_utf8.u64(2).raw(&[0xC3, 0x28]).u32(0).raw(&[0]);
        assert!(read_metadata(&bad_utf8.0).unwrap_err().message.contains("UTF-8"));
    }

    #[test]
    fn deep_array_nesting_is_refused() {
        let mut b = Builder::new(3, 1);
        b.string("deep").u32(9);
        for _ in 0..10 {
            b.u32(9).u64(1);
        }
        b.u32(0).u64(0);
        assert!(read_metadata(&b.0).unwrap_err().message.contains("nested"));
    }
}
