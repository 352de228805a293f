//! Identifier validation: one module per identifier, one interface (python-stdnum is the model).
//!
//! Every validator is total: any `&str` yields `Ok` or an [`IdError`]; nothing panics or
//! allocates on the hot path. Messages are localised separately ([`message`]).

pub mod cpf;
pub mod curp;
pub mod date;
mod messages;

pub use date::Date;
pub use messages::{message, write_message, Sink};

/// `bytes` as `&str` if they are well-formed UTF-8.
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    core::str::from_utf8(bytes).ok()
}

/// Message language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Spanish (Mexico).
    Es,
    /// Portuguese (Brazil).
    Pt,
    /// English.
    En,
}

impl Locale {
    /// Parses `"es"`, `"pt"`, `"en"` (also `"es-MX"`, `"pt-BR"`, …: the language part decides).
    pub fn parse(s: &str) -> Option<Locale> {
        let lang = s.split(['-', '_']).next().unwrap_or("");
        if lang.eq_ignore_ascii_case("es") {
            Some(Locale::Es)
        } else if lang.eq_ignore_ascii_case("pt") {
            Some(Locale::Pt)
        } else if lang.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The two-letter code.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Es => "es",
            Locale::Pt => "pt",
            Locale::En => "en",
        }
    }
}

/// Validation options shared by every identifier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Strict mode: canonical input only, nothing removed or upper-cased.
    pub strict: bool,
    /// "Today" for the future-birth-date rule. `None` disables that rule (the JS adapter
    /// always injects the caller's local date).
    pub today: Option<Date>,
}

/// Which identifier an error belongs to (messages differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Mexican CURP.
    Curp,
    /// Brazilian CPF.
    Cpf,
}

/// Stable machine code of a validation error. `as_str()` is the JS-visible code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Code {
    /// Nothing left after normalisation.
    Empty = 1,
    /// An illegal character, or one of the wrong class for its position.
    Character = 2,
    /// Wrong number of characters.
    Length = 3,
    /// Not a real calendar date (CURP).
    Date = 4,
    /// A birth date after "today" (CURP).
    FutureDate = 5,
    /// Sex not H, M or X (CURP).
    Sex = 6,
    /// Unknown state code (CURP).
    State = 7,
    /// Positions 1–4 spell a word RENAPO never issues (CURP).
    InconvenientWord = 8,
    /// Wrong check digit(s).
    CheckDigit = 9,
    /// All eleven digits equal (CPF).
    Repeated = 10,
    /// The input was not a string (JS adapter only).
    Type = 11,
    /// Unknown Belvo institution (`validateUsername`).
    Institution = 12,
}

/// One `|`-led TypeScript union member for a code an identifier can yield (`yes`), or nothing.
macro_rules! ts_member {
    (yes, $s:literal) => {
        concat!(" | \"", $s, "\"")
    };
    (no, $s:literal) => {
        ""
    };
}

/// Defines [`Code::as_str`] and the TypeScript unions of the codes from one table: each code's
/// JS string and whether a CURP / a CPF validation can yield it. The `match` is exhaustive, so
/// a new code cannot be left out of the unions.
macro_rules! code_table {
    ($($code:ident => $s:literal, curp: $curp:ident, cpf: $cpf:ident;)*) => {
        impl Code {
            /// The stable string code used in the JS API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => $s,)*
                }
            }
        }

        /// TypeScript declarations of the code unions (`CurpErrorCode`, `CpfErrorCode`,
        /// `IdErrorCode`), emitted into the bindings' `.d.ts`.
        pub const TS_ERROR_CODES: &str = concat!(
            "/** Error codes of a CURP. */\nexport type CurpErrorCode =",
            $(ts_member!($curp, $s),)*
            ";\n/** Error codes of a CPF. */\nexport type CpfErrorCode =",
            $(ts_member!($cpf, $s),)*
            ";\n/** Every validation error code. */\nexport type IdErrorCode =",
            $(" | \"", $s, "\"",)*
            ";"
        );
    };
}

code_table! {
    Type => "type", curp: yes, cpf: yes;
    Empty => "empty", curp: yes, cpf: yes;
    Character => "character", curp: yes, cpf: yes;
    Length => "length", curp: yes, cpf: yes;
    Date => "date", curp: yes, cpf: no;
    FutureDate => "future_date", curp: yes, cpf: no;
    Sex => "sex", curp: yes, cpf: no;
    State => "state", curp: yes, cpf: no;
    InconvenientWord => "inconvenient_word", curp: yes, cpf: no;
    Repeated => "repeated", curp: no, cpf: yes;
    CheckDigit => "check_digit", curp: yes, cpf: yes;
    Institution => "institution", curp: no, cpf: no;
}

impl Code {
    /// Inverse of `self as u8`.
    pub fn from_u8(v: u8) -> Option<Code> {
        Some(match v {
            1 => Code::Empty,
            2 => Code::Character,
            3 => Code::Length,
            4 => Code::Date,
            5 => Code::FutureDate,
            6 => Code::Sex,
            7 => Code::State,
            8 => Code::InconvenientWord,
            9 => Code::CheckDigit,
            10 => Code::Repeated,
            11 => Code::Type,
            12 => Code::Institution,
            _ => return None,
        })
    }
}

/// What was expected at a position (drives the message for [`Code::Character`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Expected {
    /// No specific class (e.g. a code that is not `Character`).
    Nothing = 0,
    /// A letter A–Z.
    Letter = 1,
    /// A vowel A, E, I, O, U or X.
    VowelOrX = 2,
    /// A digit 0–9.
    Digit = 3,
    /// H, M or X.
    Sex = 4,
    /// A consonant or X.
    ConsonantOrX = 5,
    /// A digit or a letter.
    DigitOrLetter = 6,
    /// `Ñ` typed: RENAPO writes X instead.
    NotEnye = 7,
    /// A character that may never appear (e.g. `/` in a CPF, emoji).
    Allowed = 8,
    /// A month 01–12 (date errors).
    Month = 9,
    /// A day that exists in that month (date errors).
    Day = 10,
    /// The separator the strict CPF mask `000.000.000-00` has at this position (`.` at
    /// 0-based positions 3 and 7, `-` at 11).
    Format = 11,
}

impl Expected {
    /// Inverse of `self as u8` (unknown values give `None`).
    pub fn from_u8(v: u8) -> Option<Expected> {
        Some(match v {
            0 => Expected::Nothing,
            1 => Expected::Letter,
            2 => Expected::VowelOrX,
            3 => Expected::Digit,
            4 => Expected::Sex,
            5 => Expected::ConsonantOrX,
            6 => Expected::DigitOrLetter,
            7 => Expected::NotEnye,
            8 => Expected::Allowed,
            9 => Expected::Month,
            10 => Expected::Day,
            11 => Expected::Format,
            _ => return None,
        })
    }
}

/// A validation error: code, 0-based position into the normalised value (None when no single
/// character is at fault), and what was expected there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdError {
    /// Machine code.
    pub code: Code,
    /// 0-based index into the normalised value, in characters.
    pub position: Option<u32>,
    /// What the position expected.
    pub expected: Expected,
    /// For `Length`: how many characters were found.
    pub found_len: u32,
}

impl IdError {
    /// An error at a position.
    pub const fn at(code: Code, position: u32, expected: Expected) -> Self {
        IdError {
            code,
            position: Some(position),
            expected,
            found_len: 0,
        }
    }

    /// An error not tied to one character.
    pub const fn whole(code: Code) -> Self {
        IdError {
            code,
            position: None,
            expected: Expected::Nothing,
            found_len: 0,
        }
    }
}
