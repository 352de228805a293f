//! A small JSON reader and writer for the flow, with no serde.
//!
//! Why not serde (or `JSON.parse` + serde-wasm-bindgen): serde's derived visitors are
//! monomorphised per wire type and its error messages format floats and `Debug`-print strings,
//! which costs tens of KB of wasm. Here the answer text is read once into a [`Value`] tree,
//! and the wire types are extracted from it by hand-written functions
//! ([`crate::belvo::read`]); steps, snapshots and events are written by [`ToJson`] impls. It
//! is pure Rust, so the exact parsing the browser does is tested natively (against
//! serde_json).
//!
//! Reader: RFC 8259 JSON, tolerant of trailing content; nesting is capped at [`MAX_DEPTH`];
//! lone surrogate escapes become U+FFFD. Numbers are kept as their text ([`Value::Num`]).
//! Writer: compact JSON. [`RawJson`] captures/emits a value verbatim (page items pass through
//! untouched).

use core::fmt;
use std::borrow::Cow;

use crate::belvo::wire::{lenient::parse_number, push_json_string};

/// Deepest nesting accepted (objects + arrays).
pub const MAX_DEPTH: u32 = 128;

/// The one error: the text is not JSON. Carries no message on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid JSON")
    }
}

/// The members of a JSON object, in document order (duplicates kept).
pub type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// A parsed JSON value. Strings borrow from the text when they hold no escapes.
///
/// `Debug` never prints the content (answers may hold personal data), only the kind.
#[derive(Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, exactly as written (already checked to be a finite number).
    Num(&'a str),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Arr(Vec<Value<'a>>),
    /// An object.
    Obj(Members<'a>),
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Value::Null => "Null",
            Value::Bool(_) => "Bool",
            Value::Num(_) => "Num",
            Value::Str(_) => "Str",
            Value::Arr(_) => "Arr",
            Value::Obj(_) => "Obj",
        })
    }
}

impl<'a> Value<'a> {
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Value<'a>)]> {
        match self {
            Value::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// The member `key` of an object (the last one, if repeated); `None` otherwise.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// A JSON value kept as text: captured verbatim from a page, written verbatim by
/// [`ToJson`]. (With serde formats it is just a string.)
#[derive(Clone, PartialEq, Eq)]
pub struct RawJson(pub String);

/// Page items are personal data (names, NSS, salaries): `Debug` shows only their size.
impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson(<{} bytes>)", self.0.len())
    }
}

impl serde::Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Parses `text` (trailing content after the first value is ignored).
pub fn parse(text: &str) -> Result<Value<'_>, Error> {
    Parser::new(text).value()
}

/// Parses a paginated-list object, keeping the elements of its `results` array as raw text:
/// returns the other members, and the raw elements when `results` is an array (a `results`
/// of another kind stays among the members). Not an object, or `results` given twice: `Err`.
#[allow(clippy::type_complexity)]
pub fn parse_page(text: &str) -> Result<(Members<'_>, Option<Vec<&str>>), Error> {
    let mut p = Parser::new(text);
    if p.peek() != Some(b'{') {
        return Err(Error);
    }
    let mut raw = None;
    let mut results = false;
    let mut members = Vec::new();
    p.object(|p, k| {
        if k == "results" {
            if results {
                return Err(Error);
            }
            results = true;
        }
        if k == "results" && p.peek() == Some(b'[') {
            raw = Some(p.raw_elements()?);
        } else {
            members.push((k, p.value()?));
        }
        Ok(())
    })?;
    Ok((members, raw))
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            depth: 0,
        }
    }

    fn byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.byte() {
            self.pos += 1;
        }
        self.byte()
    }

    fn eat(&mut self, b: u8) -> Result<(), Error> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Error)
        }
    }

    fn literal(&mut self, lit: &str) -> Result<(), Error> {
        let end = self.pos + lit.len();
        if self.src.get(self.pos..end) == Some(lit) {
            self.pos = end;
            Ok(())
        } else {
            Err(Error)
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let h = self
            .src
            .as_bytes()
            .get(self.pos..self.pos + 4)
            .ok_or(Error)?;
        let mut v = 0;
        for &b in h {
            let d = char::from(b).to_digit(16).ok_or(Error)?;
            v = v * 16 + d;
        }
        self.pos += 4;
        Ok(v)
    }

    /// Reads a string; `self.pos` is at the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes → borrow.
        loop {
            match self.byte() {
                None => return Err(Error),
                Some(b'"') => {
                    let s = self.src.get(start..self.pos).ok_or(Error)?;
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.src.get(start..self.pos).ok_or(Error)?);
        loop {
            match self.byte() {
                None => return Err(Error),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let e = self.byte().ok_or(Error)?;
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.src.get(self.pos..self.pos + 2) == Some("\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            c.unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(Error),
                    };
                    out.push(c);
                }
                Some(_) => {
                    // Copy one UTF-8 character (the source is a &str).
                    let c = self
                        .src
                        .get(self.pos..)
                        .and_then(|r| r.chars().next())
                        .ok_or(Error)?;
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self) -> Result<&'a str, Error> {
        let start = self.pos;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.byte() {
            self.pos += 1;
        }
        let text = self.src.get(start..self.pos).ok_or(Error)?;
        parse_number(text).ok_or(Error)?;
        Ok(text)
    }

    /// Reads `[ … ]` or `{ … }` (at the opening byte), calling `item` before each element
    /// (after its key, for objects).
    fn compound(
        &mut self,
        close: u8,
        item: &mut dyn FnMut(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error);
        }
        self.pos += 1;
        if self.peek() == Some(close) {
            self.pos += 1;
        } else {
            loop {
                item(self)?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b) if b == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Error),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.compound(b'}', &mut |p| {
            if p.peek() != Some(b'"') {
                return Err(Error);
            }
            let k = p.string()?;
            p.eat(b':')?;
            member(p, k)
        })
    }

    /// The elements of an array (at `[`), each as its raw text.
    fn raw_elements(&mut self) -> Result<Vec<&'a str>, Error> {
        let mut v = Vec::new();
        self.compound(b']', &mut |p| {
            p.peek();
            let start = p.pos;
            p.value()?;
            v.push(p.src.get(start..p.pos).ok_or(Error)?);
            Ok(())
        })?;
        Ok(v)
    }

    fn value(&mut self) -> Result<Value<'a>, Error> {
        Ok(match self.peek().ok_or(Error)? {
            b'{' => {
                let mut m = Vec::new();
                self.object(|p, k| {
                    m.push((k, p.value()?));
                    Ok(())
                })?;
                Value::Obj(m)
            }
            b'[' => {
                let mut v = Vec::new();
                self.compound(b']', &mut |p| {
                    v.push(p.value()?);
                    Ok(())
                })?;
                Value::Arr(v)
            }
            b'"' => Value::Str(self.string()?),
            b't' => {
                self.literal("true")?;
                Value::Bool(true)
            }
            b'f' => {
                self.literal("false")?;
                Value::Bool(false)
            }
            b'n' => {
                self.literal("null")?;
                Value::Null
            }
            _ => Value::Num(self.number()?),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

/// Hand-written JSON output (compact). Implemented by everything the flow hands to JS.
pub trait ToJson {
    /// Appends this value as JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// Writes `value` as compact JSON.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(128);
    value.write_json(&mut out);
    out
}

/// Appends the decimal digits of `n`.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(b));
    }
}

/// Appends `n` in decimal, with a `-` when negative.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

impl ToJson for RawJson {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        push_json_string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        push_json_string(out, self);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        push_u64(out, *self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// Writes the members of one object: `{"k":v,…}`.
#[derive(Debug)]
pub struct ObjectWriter<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> ObjectWriter<'o> {
    /// Starts `{`.
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    /// Writes `"k":` (with the separating comma) and returns the output for the value.
    pub fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        push_json_string(self.out, k);
        self.out.push(':');
        self.out
    }

    /// Writes `"k":v`.
    pub fn field<T: ToJson + ?Sized>(&mut self, k: &str, v: &T) -> &mut Self {
        v.write_json(self.key(k));
        self
    }

    /// Writes `"k":"v"`.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        push_json_string(self.key(k), v);
        self
    }

    /// Writes `"k":n`.
    pub fn u64(&mut self, k: &str, n: u64) -> &mut Self {
        push_u64(self.key(k), n);
        self
    }

    /// Closes `}`.
    pub fn end(self) {
        self.out.push('}');
    }
}
