//! A small JSON reader and writer implementing serde's traits, for the browser build.
//!
//! Why not `JSON.parse` + serde-wasm-bindgen: serde's error messages format floats and
//! `Debug`-print strings, which drags float-printing and Unicode tables into the wasm (about
//! 100 KB). This module's [`Error`] is zero-sized and never formats anything, so that code is
//! never linked. It is also pure Rust, so the exact parsing the browser does is tested natively
//! (against serde_json).
//!
//! Reader: RFC 8259 JSON, tolerant of trailing content; nesting is capped at [`MAX_DEPTH`];
//! `deserialize_struct` accepts objects only. Writer: compact JSON; whole floats are written as
//! integers, other finite floats with 15 significant digits, non-finite ones as `null`.
//! [`RawJson`] captures/emits a value verbatim (page items pass through untouched).

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize};
use serde::{forward_to_deserialize_any, Deserialize};

use crate::belvo::wire::{lenient::parse_number, push_json_string};

/// Deepest nesting accepted (objects + arrays).
pub const MAX_DEPTH: u32 = 128;

const RAW: &str = "$employment_link::RawJson";

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

impl ser::Error for Error {
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

impl Serialize for RawJson {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(RAW, &self.0)
    }
}

/// Parses `text` as a `T`.
pub fn from_str<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, Error> {
    T::deserialize(&mut Deserializer::new(text))
}

/// Writes `value` as compact JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(128);
    value.serialize(&mut Writer { out: &mut out })?;
    Ok(out)
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

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

struct Writer<'o> {
    out: &'o mut String,
}

impl Writer<'_> {
    /// Writes `{"variant":`, the opening of an externally tagged enum variant.
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        push_json_string(self.out, variant);
        self.out.push(':');
    }
}

fn push_u64(out: &mut String, mut n: u64) {
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

fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

fn push_f64(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("null");
        return;
    }
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        push_i64(out, v as i64);
        return;
    }
    // 15 significant digits as `{mantissa}e{exponent}`, without the float formatter (large in
    // wasm). Exact for decimals of up to 15 significant digits; otherwise within 1e-15
    // relative. The browser's own results never contain fractional numbers.
    if v < 0.0 {
        out.push('-');
    }
    let mut a = v.abs();
    let mut exp: i64 = 0;
    while a >= 1e15 {
        a /= 10.0;
        exp += 1;
    }
    while a < 1e14 {
        a *= 10.0;
        exp -= 1;
    }
    let mut m = a.round() as u64;
    while m > 0 && m.is_multiple_of(10) {
        m /= 10;
        exp += 1;
    }
    push_u64(out, m);
    if exp != 0 {
        out.push('e');
        push_i64(out, exp);
    }
}

/// Writes the string given to it verbatim (for [`RawJson`]).
struct RawWriter<'o> {
    out: &'o mut String,
}

/// Writes `fn name(self, _: T, …) -> Result<R, Error> { Err(Error) }` for each
/// `name(T, …) -> R;` given (`-> R` may be left out for `()`).
macro_rules! reject {
    ($($f:ident($($t:ty),*) $(-> $r:ty)?;)*) => {$(
        reject!(@one $f($($t),*) ($($r)?));
    )*};
    (@one $f:ident($($t:ty),*) ()) => {
        fn $f(self, $(_: $t),*) -> Result<(), Error> { Err(Error) }
    };
    (@one $f:ident($($t:ty),*) ($r:ty)) => {
        fn $f(self, $(_: $t),*) -> Result<$r, Error> { Err(Error) }
    };
}

/// The body shared by the serializers that accept a string only ([`RawWriter`],
/// [`KeyWriter`]): `Impossible` compounds, and every method but `serialize_str`,
/// `serialize_unit_variant` and `serialize_newtype_struct` failing with [`Error`].
macro_rules! string_only_serializer {
    () => {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = ser::Impossible<(), Error>;
        type SerializeTuple = ser::Impossible<(), Error>;
        type SerializeTupleStruct = ser::Impossible<(), Error>;
        type SerializeTupleVariant = ser::Impossible<(), Error>;
        type SerializeMap = ser::Impossible<(), Error>;
        type SerializeStruct = ser::Impossible<(), Error>;
        type SerializeStructVariant = ser::Impossible<(), Error>;

        reject! {
            serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
            serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
            serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
            serialize_bytes(&[u8]); serialize_none(); serialize_unit();
            serialize_unit_struct(&'static str);
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize)
                -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            serialize_struct(&'static str, usize) -> Self::SerializeStruct;
            serialize_struct_variant(&'static str, u32, &'static str, usize)
                -> Self::SerializeStructVariant;
        }
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
            Err(Error)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Error> {
            Err(Error)
        }
    };
}

impl<'o> ser::Serializer for RawWriter<'o> {
    string_only_serializer!();

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.out.push_str(v);
        Ok(())
    }
    reject! {
        serialize_unit_variant(&'static str, u32, &'static str);
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error)
    }
}

/// An open `{…}` or `[…]`.
struct Compound<'w, 'o> {
    w: &'w mut Writer<'o>,
    first: bool,
    /// `}` or `]`, plus an extra `}` for variants.
    close: &'static str,
}

impl<'w, 'o> Compound<'w, 'o> {
    /// Writes `open` and starts a compound that [`done`](Self::done) closes with `close`.
    fn open(w: &'w mut Writer<'o>, open: char, close: &'static str) -> Self {
        w.out.push(open);
        Compound {
            w,
            first: true,
            close,
        }
    }
    fn sep(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }
    fn key(&mut self, k: &str) {
        self.sep();
        push_json_string(self.w.out, k);
        self.w.out.push(':');
    }
    fn done(self) -> Result<(), Error> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

/// Writes `fn small(self, v: S) -> Result<(), Error> { self.wide(W::from(v)) }` for each
/// `small(S) => wide(W);` given.
macro_rules! widen {
    ($($f:ident($t:ty) => $g:ident($w:ty);)*) => {$(
        fn $f(self, v: $t) -> Result<(), Error> { self.$g(<$w>::from(v)) }
    )*};
}

impl<'w, 'o> ser::Serializer for &'w mut Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'o>;
    type SerializeTuple = Compound<'w, 'o>;
    type SerializeTupleStruct = Compound<'w, 'o>;
    type SerializeTupleVariant = Compound<'w, 'o>;
    type SerializeMap = Compound<'w, 'o>;
    type SerializeStruct = Compound<'w, 'o>;
    type SerializeStructVariant = Compound<'w, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    widen! {
        serialize_i8(i8) => serialize_i64(i64); serialize_i16(i16) => serialize_i64(i64);
        serialize_i32(i32) => serialize_i64(i64); serialize_u8(u8) => serialize_u64(u64);
        serialize_u16(u16) => serialize_u64(u64); serialize_u32(u32) => serialize_u64(u64);
        serialize_f32(f32) => serialize_f64(f64);
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        push_i64(self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        push_u64(self.out, v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        push_f64(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut b = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut b))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_json_string(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.out.push('[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_u64(self.out, u64::from(*b));
        }
        self.out.push(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        if name == RAW {
            return v.serialize(RawWriter { out: self.out });
        }
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant);
        v.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(Compound::open(self, '[', "]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.open_variant(variant);
        Ok(Compound::open(self, '[', "]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(Compound::open(self, '{', "}"))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.open_variant(variant);
        Ok(Compound::open(self, '{', "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.sep();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.done()
    }
}

/// The other sequence-like compounds write exactly as [`ser::SerializeSeq`] does (the
/// variant's `{"name":` was written when it opened).
macro_rules! like_seq {
    ($($tr:ident::$f:ident),*) => {$(
        impl ser::$tr for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $f<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                ser::SerializeSeq::serialize_element(self, v)
            }
            fn end(self) -> Result<(), Error> {
                self.done()
            }
        }
    )*};
}

like_seq!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.sep();
        // Keys are strings in every type of this crate; anything else is refused.
        k.serialize(KeyWriter { out: self.w.out })?;
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.done()
    }
}

/// Struct fields, of a plain struct or of a struct variant (whose `{"name":` was written when
/// it opened): `"key":value`.
macro_rules! struct_fields {
    ($($tr:ident),*) => {$(
        impl ser::$tr for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                k: &'static str,
                v: &T,
            ) -> Result<(), Error> {
                self.key(k);
                v.serialize(&mut *self.w)
            }
            fn end(self) -> Result<(), Error> {
                self.done()
            }
        }
    )*};
}

struct_fields!(SerializeStruct, SerializeStructVariant);

/// Map keys: strings only.
struct KeyWriter<'o> {
    out: &'o mut String,
}

impl<'o> ser::Serializer for KeyWriter<'o> {
    string_only_serializer!();

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_json_string(self.out, v);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
}
