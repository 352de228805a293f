//! The browser's previous serde-based JSON reader (`flow::json` before the serde-free rewrite),
//! kept only as a test oracle: the hand-written readers must accept and produce exactly what
//! the derived serde impls did through it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{forward_to_deserialize_any, Deserialize};

use employment_link_core::belvo::wire::lenient::parse_number;

/// Deepest nesting accepted (objects + arrays).
pub const MAX_DEPTH: u32 = 128;

const RAW: &str = "$employment_link_core::RawJson";

/// The one error: the text is not the expected JSON. Carries no message on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid JSON")
    }
}

impl de::StdError for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Error
    }
}

/// A JSON value kept as text: deserialized verbatim by [`Deserializer`], written verbatim by
/// [`to_string`]. (With other serde formats it is just a string.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawJson(pub String);

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawJson;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("raw JSON")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawJson, E> {
                Ok(RawJson(v.into()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawJson, E> {
                Ok(RawJson(v))
            }
        }
        d.deserialize_newtype_struct(RAW, V)
    }
}

/// Parses `text` as a `T`.
pub fn from_str<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, Error> {
    T::deserialize(&mut Deserializer::new(text))
}

// ---------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------

/// A JSON reader over a string (`&mut Deserializer` is a `serde::Deserializer`).
pub struct Deserializer<'a> {
    src: &'a str,
    pos: usize,
    depth: u32,
}

impl fmt::Debug for Deserializer<'_> {
    // Never print the text: it may be a request or answer with personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deserializer")
            .field("len", &self.src.len())
            .field("pos", &self.pos)
            .finish()
    }
}

enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// One JSON token: a scalar, or the opening of an object/array (already entered).
enum Token<'a> {
    Object,
    Array,
    Str(Cow<'a, str>),
    Bool(bool),
    Null,
    Num(Num),
}

impl<'a> Deserializer<'a> {
    /// A reader at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        Deserializer {
            src,
            pos: 0,
            depth: 0,
        }
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
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

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error);
        }
        self.pos += 1;
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let h = self.src.get(self.pos..self.pos + 4).ok_or(Error)?;
        let v = u32::from_str_radix(h, 16).map_err(|_| Error)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error);
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
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
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
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(Error),
                    }
                }
                Some(_) => {
                    // Copy one UTF-8 character (the source is a &str).
                    let rest = self.src.get(self.pos..).ok_or(Error)?;
                    let c = rest.chars().next().ok_or(Error)?;
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self) -> Result<Num, Error> {
        let start = self.pos;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.byte() {
            self.pos += 1;
        }
        let text = self.src.get(start..self.pos).ok_or(Error)?;
        let n = parse_number(text).ok_or(Error)?;
        let is_int = !text.contains(['.', 'e', 'E']);
        Ok(match n.whole {
            Some((false, m)) if is_int => Num::U(m),
            Some((true, m)) if is_int => match 0i64.checked_sub_unsigned(m) {
                Some(i) => Num::I(i),
                None => Num::F(n.value),
            },
            _ => Num::F(n.value),
        })
    }

    /// Reads the next token; an object or array is entered (see [`Self::close`]).
    #[inline(never)]
    fn token(&mut self) -> Result<Token<'a>, Error> {
        Ok(match self.peek().ok_or(Error)? {
            b'{' => {
                self.enter()?;
                Token::Object
            }
            b'[' => {
                self.enter()?;
                Token::Array
            }
            b'"' => Token::Str(self.string()?),
            b't' => {
                self.literal("true")?;
                Token::Bool(true)
            }
            b'f' => {
                self.literal("false")?;
                Token::Bool(false)
            }
            b'n' => {
                self.literal("null")?;
                Token::Null
            }
            _ => Token::Num(self.number()?),
        })
    }

    /// Leaves the object or array entered by [`Self::token`] at its closing byte.
    #[inline(never)]
    fn close(&mut self, b: u8) -> Result<(), Error> {
        self.eat(b)?;
        self.depth -= 1;
        Ok(())
    }

    /// Skips one value.
    fn skip(&mut self) -> Result<(), Error> {
        match self.peek().ok_or(Error)? {
            b'{' | b'[' => {
                let mut depth = 0u32;
                loop {
                    match self.peek().ok_or(Error)? {
                        b'{' | b'[' => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return Err(Error);
                            }
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            self.pos += 1;
                            depth -= 1;
                            if depth == 0 {
                                return Ok(());
                            }
                        }
                        b'"' => {
                            self.string()?;
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => self.number().map(|_| ()),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        // The token is read by one non-generic function: every monomorphisation of this
        // method is only the dispatch to its visitor (keeps the wasm small).
        match self.token()? {
            Token::Object => {
                let value = v.visit_map(Access {
                    de: &mut *self,
                    first: true,
                })?;
                self.close(b'}')?;
                Ok(value)
            }
            Token::Array => {
                let value = v.visit_seq(Access {
                    de: &mut *self,
                    first: true,
                })?;
                self.close(b']')?;
                Ok(value)
            }
            Token::Str(Cow::Borrowed(s)) => v.visit_borrowed_str(s),
            Token::Str(Cow::Owned(s)) => v.visit_string(s),
            Token::Bool(b) => v.visit_bool(b),
            Token::Null => v.visit_unit(),
            Token::Num(Num::U(n)) => v.visit_u64(n),
            Token::Num(Num::I(n)) => v.visit_i64(n),
            Token::Num(Num::F(n)) => v.visit_f64(n),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        if name == RAW {
            self.peek();
            let start = self.pos;
            self.skip()?;
            let raw = self.src.get(start..self.pos).ok_or(Error)?;
            return v.visit_borrowed_str(raw);
        }
        v.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        // Objects only (serde's derive would otherwise read an array positionally).
        if self.peek() != Some(b'{') {
            return Err(Error);
        }
        self.deserialize_any(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.skip()?;
        v.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        // Unit variants as strings only (nothing in this crate needs more).
        match self.peek() {
            Some(b'"') => {
                let s = self.string()?;
                v.visit_enum(s.into_owned().into_deserializer())
            }
            _ => Err(Error),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Access<'r, 'de> {
    de: &'r mut Deserializer<'de>,
    first: bool,
}

impl Access<'_, '_> {
    /// Before an element: `Some(())` if there is one (consumes the `,`), `None` at `close`.
    fn more(&mut self, close: u8) -> Result<bool, Error> {
        let b = self.de.peek().ok_or(Error)?;
        if b == close {
            return Ok(false);
        }
        if !self.first {
            if b != b',' {
                return Err(Error);
            }
            self.de.pos += 1;
        }
        self.first = false;
        Ok(true)
    }
}

impl<'de> SeqAccess<'de> for Access<'_, 'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.more(b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

impl<'de> MapAccess<'de> for Access<'_, 'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.more(b'}')? {
            return Ok(None);
        }
        if self.de.peek() != Some(b'"') {
            return Err(Error);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.de.eat(b':')?;
        seed.deserialize(&mut *self.de)
    }
}
