//! The lenient reading of Belvo's answers, written once: the [`Lenient`] trait says how each
//! field type is read, and the crate's `wire_struct!` macro applies it to every field of a
//! wire struct.
//!
//! Rules:
//! * unknown fields are ignored (no `deny_unknown_fields` anywhere);
//! * missing fields take their default, and `null` is the same as missing;
//! * a string where a number is expected (e.g. the 428 `expiry: "120"`) is parsed; a whole
//!   number where a string is expected is formatted; a scalar of the wrong kind becomes `None`;
//! * a nested struct must be an object: anything else there (a string or an array where
//!   `token_generation_data` belongs) makes the whole answer unreadable.
//!
//! They hold for any self-describing serde format: `serde_json` natively, and in the browser
//! `serde_wasm_bindgen` over the value `JSON.parse` made.

use core::fmt;
use std::string::{String, ToString};
use std::vec::Vec;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A field type with a lenient reading (see the module docs). Implemented for the scalar field
/// types of the wire structs, and by `wire_struct!` for each wire struct `S` (as `S`,
/// `Option<S>` and `Vec<S>`).
pub trait Lenient: Sized {
    /// Reads a value of this type, leniently.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Declares a wire struct whose every field is read with [`Lenient::read`] (and defaults when
/// absent), and makes the struct itself a lenient field type: `null` or absent is its default
/// (`Option<S>`: `None`, `Vec<S>`: empty), and it is read from objects only
/// ([`Object`](super::wire::Object): serde_json would read a struct from an array, by
/// position).
macro_rules! wire_struct {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fattr:meta])* $fvis:vis $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $(
                $(#[$fattr])*
                #[serde(default, deserialize_with = "crate::belvo::lenient::Lenient::read")]
                $fvis $field: $ty,
            )*
        }

        impl crate::belvo::lenient::Lenient for $name {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <Option<$name> as crate::belvo::lenient::Lenient>::read(d)
                    .map(Option::unwrap_or_default)
            }
        }

        impl crate::belvo::lenient::Lenient for Option<$name> {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <Option<crate::belvo::wire::Object<$name>> as serde::Deserialize>::deserialize(d)
                    .map(|o| o.map(|o| o.0))
            }
        }

        impl crate::belvo::lenient::Lenient for std::vec::Vec<$name> {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                type Objects = Option<std::vec::Vec<crate::belvo::wire::Object<$name>>>;
                let v = <Objects as serde::Deserialize>::deserialize(d)?;
                Ok(v.unwrap_or_default().into_iter().map(|o| o.0).collect())
            }
        }
    };
}
pub(crate) use wire_struct;

/// Drains a compound value of the wrong kind (it reads as `None`).
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The visits every lenient scalar shares: `null`/absent and compound values are `None`.
macro_rules! none_for_the_rest {
    () => {
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq).map(|()| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| None)
        }
    };
}

/// Whether `v` is a whole number that `i64` holds exactly.
fn is_small_whole(v: f64) -> bool {
    v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15
}

/// A string: strings; whole numbers and booleans formatted.
struct StrV;

impl<'de> Visitor<'de> for StrV {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.into()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(if v { "true" } else { "false" }.into()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Whole numbers only (an id or code that went through a float); a fraction is no text.
        Ok(is_small_whole(v).then(|| (v as i64).to_string()))
    }
    none_for_the_rest!();
}

/// A number: numbers and numeric strings (trimmed, finite).
struct NumV;

impl<'de> Visitor<'de> for NumV {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.is_finite().then_some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    none_for_the_rest!();
}

/// An integer: integers exactly, numeric strings, other numbers rounded half away from zero.
struct IntV;

impl<'de> Visitor<'de> for IntV {
    type Value = Option<i128>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(i128::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(i128::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `as` saturates: anything beyond `i64`/`u64` is refused by the caller's `try_from`.
        Ok(v.is_finite().then(|| v.round() as i128))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        match t.parse::<i128>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => NumV.visit_str(t).and_then(|n| match n {
                Some(f) => self.visit_f64(f),
                None => Ok(None),
            }),
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    none_for_the_rest!();
}

/// A boolean: booleans, `"true"`/`"false"` (any case), `0`/`1`.
struct BoolV;

impl<'de> Visitor<'de> for BoolV {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        Ok(if t.eq_ignore_ascii_case("true") {
            Some(true)
        } else if t.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    none_for_the_rest!();
}

/// `Option<String>`: strings; whole numbers and booleans formatted; anything else `None`.
impl Lenient for Option<String> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrV)
    }
}

/// `String`: like `Option<String>`, `None` → `""`.
impl Lenient for String {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<String>::read(d).map(Option::unwrap_or_default)
    }
}

/// `Option<f64>`: numbers and numeric strings.
impl Lenient for Option<f64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumV)
    }
}

/// `Option<i64>`: integers, numeric strings, other numbers rounded; out of range → `None`.
impl Lenient for Option<i64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(d.deserialize_any(IntV)?.and_then(|n| i64::try_from(n).ok()))
    }
}

/// `Option<u64>`: like `Option<i64>`, negatives → `None` (e.g. 428 `expiry`: `9600` or `"720"`).
impl Lenient for Option<u64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(d.deserialize_any(IntV)?.and_then(|n| u64::try_from(n).ok()))
    }
}

/// `u64`: like `Option<u64>`, `None` → 0.
impl Lenient for u64 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<u64>::read(d).map(Option::unwrap_or_default)
    }
}

/// `Option<bool>`: booleans, `"true"`/`"false"`, 0/1.
impl Lenient for Option<bool> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolV)
    }
}

/// `Vec<String>`: an array (items that read as no string dropped), a single string, or
/// empty.
impl Lenient for Vec<String> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Item(Option<String>);
        impl<'de> Deserialize<'de> for Item {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Option::<String>::read(d).map(Item)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                let mut v = Vec::new();
                while let Some(Item(s)) = seq.next_element::<Item>()? {
                    v.extend(s);
                }
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
                Ok(std::vec![String::from(v)])
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
                skip_map(map).map(|()| Vec::new())
            }
            // Anything else (null, numbers, booleans) is an empty list.
            fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(V)
    }
}
