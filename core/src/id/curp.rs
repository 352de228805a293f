//! Mexican CURP (Clave Única de Registro de Población), 18 characters.
//!
//! Implements the policy in `shared/id-rules.md` ("The policy this project follows").
//!
//! # Normalisation
//!
//! * **Lenient** (default): every whitespace character (`char::is_whitespace`), `-` and `_`
//!   is removed wherever it stands; ASCII letters are upper-cased and `ñ` becomes `Ñ`.
//!   Nothing else is changed: any other character stays and is reported as an error.
//! * **Strict** (`Options::strict`): the input is taken unchanged; it must be exactly 18
//!   upper-case ASCII letters and digits.
//!
//! [`compact`] yields the normalised value. Every error position is a 0-based *character*
//! index into that value (positions below are 0-based; the messages say `position + 1`).
//!
//! # Character classes (0-based positions)
//!
//! | pos | class | `Expected` |
//! |---|---|---|
//! | 0 | letter A–Z | `Letter` |
//! | 1 | A, E, I, O, U or X | `VowelOrX` |
//! | 2–3 | letter | `Letter` |
//! | 4–9 | digit (YYMMDD) | `Digit` |
//! | 10 | a letter (H, M or X, see `Sex` below) | `Sex` |
//! | 11–12 | letter (state, see `State` below) | `Letter` |
//! | 13–15 | consonant (a letter other than A, E, I, O, U) or X | `ConsonantOrX` |
//! | 16 | digit (born ≤ 1999) or letter (born ≥ 2000) | `DigitOrLetter` |
//! | 17 | digit | `Digit` |
//!
//! # Errors of [`validate`], in precedence order
//!
//! 1. [`Code::Empty`]: nothing left after normalisation (strict: the empty string).
//! 2. [`Code::Character`] at the **leftmost** offending character:
//!    * `Ñ`/`ñ` anywhere → `Expected::NotEnye` (RENAPO writes X instead of Ñ);
//!    * within the first 18 characters, a character that is not of its position's class
//!      (including any non-ASCII character, punctuation, and in strict mode lower case and
//!      whitespace) → that position's class from the table above;
//!    * beyond the 18th character, only a character that can never appear in a CURP
//!      (anything but `A–Z`/`0–9`) → `Expected::Allowed`. Legal extra characters fall
//!      through to `Length`.
//! 3. [`Code::Length`]: not 18 characters; `position` is `None`, `found_len` the count.
//! 4. The semantic rules, in the order of the character at which the value stops being the
//!    beginning of any valid CURP (exactly the order [`check_prefix`] meets them):
//!    * [`Code::InconvenientWord`] at **1**: positions 0–3 spell one of the 81
//!      [`INCONVENIENT_WORDS`]; position 1 is the letter RENAPO would have replaced by X.
//!    * [`Code::Date`] at the first date digit that makes the date impossible:
//!      **6** (`Expected::Month`) for a month tens digit above 1; **7** (`Month`) for month
//!      00 or 13–19; **8** (`Day`) for a day tens digit the month cannot have (4–9, or 3 in
//!      February); **9** (`Day`) for day 00, a day past the month's end, or February 29 of a
//!      year that is a leap year in neither century; **16** (`Day`) when the century chosen
//!      by position 16 removes the date (February 29 with `YY = 00` and a digit: 1900 was
//!      not a leap year).
//!    * [`Code::Sex`] at **10** (`Expected::Sex`): a letter other than H, M or X. (A digit
//!      or other character there is a `Character` error.)
//!    * [`Code::State`] at **11** when no state code starts with that letter, else at
//!      **12** when the pair is not one of the 33 [`STATES`]. (Digits there: `Character`.)
//!    * [`Code::FutureDate`] at **16** (only when `Options::today` is `Some`): the birth
//!      date is after `today`. With a `today` in 2000 or later this can only be a letter in
//!      position 16 putting the birth in 20YY, so position 16 (the digit `0` typed as the
//!      letter `O`, typically) is where the date became impossible. With an earlier
//!      `today` the error sits at the first date digit that makes every reading future.
//!    * [`Code::CheckDigit`] at **17**.
//!
//! Because the semantic order is the prefix order, [`validate`] and [`check_prefix`]
//! report the same error for any 18-character input whose characters all fit their
//! classes.

use crate::id::date::days_in_month;
use crate::id::{Code, Date, Expected, IdError, Options};
use crate::rng::SplitMix;

/// Number of characters in a CURP.
pub const LEN: usize = 18;

/// Defines [`STATES`], [`STATE_TEXT`] and [`TS_CURP_STATE`] from one list.
macro_rules! states {
    ($(($code:literal, $name:literal),)*) => {
        /// The 33 state codes (positions 12–13, 1-based) and their names, `NE` last.
        pub const STATES: &[(&str, &str)] = &[$(($code, $name)),*];
        /// [`STATES`] as text, a `CODE=Name` line each (what the JS facade reads: one string
        /// in the wasm data instead of a table of pointers).
        pub const STATE_TEXT: &str = concat!($($code, "=", $name, "\n"),*);
        /// TypeScript declaration of the state codes (`CurpState`), emitted into the
        /// bindings' `.d.ts`.
        pub const TS_CURP_STATE: &str = concat!(
            "/** The 32 state codes plus NE (born abroad). */\nexport type CurpState =",
            $(" | \"", $code, "\"",)*
            ";"
        );
    };
}

states! {
    ("AS", "Aguascalientes"),
    ("BC", "Baja California"),
    ("BS", "Baja California Sur"),
    ("CC", "Campeche"),
    ("CL", "Coahuila"),
    ("CM", "Colima"),
    ("CS", "Chiapas"),
    ("CH", "Chihuahua"),
    ("DF", "Ciudad de México"),
    ("DG", "Durango"),
    ("GT", "Guanajuato"),
    ("GR", "Guerrero"),
    ("HG", "Hidalgo"),
    ("JC", "Jalisco"),
    ("MC", "Estado de México"),
    ("MN", "Michoacán"),
    ("MS", "Morelos"),
    ("NT", "Nayarit"),
    ("NL", "Nuevo León"),
    ("OC", "Oaxaca"),
    ("PL", "Puebla"),
    ("QT", "Querétaro"),
    ("QR", "Quintana Roo"),
    ("SP", "San Luis Potosí"),
    ("SL", "Sinaloa"),
    ("SR", "Sonora"),
    ("TC", "Tabasco"),
    ("TS", "Tamaulipas"),
    ("TL", "Tlaxcala"),
    ("VZ", "Veracruz"),
    ("YN", "Yucatán"),
    ("ZS", "Zacatecas"),
    ("NE", "Nacido en el extranjero"),
}

/// The state codes alone, in [`STATES`] order.
const STATE_CODES: [[u8; 2]; 33] = {
    let mut codes = [[0u8; 2]; 33];
    let mut i = 0;
    while i < codes.len() {
        let c = STATES[i].0.as_bytes();
        codes[i] = [c[0], c[1]];
        i += 1;
    }
    codes
};

/// The 81 "palabras inconvenientes" RENAPO never issues as positions 1–4 (sorted).
/// MALA and MALO are deliberately not included (see `id-rules.md` §1.5).
pub const INCONVENIENT_WORDS: [&str; 81] = [
    "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COGI",
    "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA", "GUEI", "GUEY", "JETA",
    "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI", "KOJA", "KOJE", "KOJI",
    "KOJO", "KOLA", "KULO", "LILO", "LOCA", "LOCO", "LOKA", "LOKO", "MAME", "MAMO", "MEAR", "MEAS",
    "MEON", "MIAR", "MION", "MOCO", "MOKO", "MULA", "MULO", "NACA", "NACO", "PEDA", "PEDO", "PENE",
    "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO", "RATA", "ROBA", "ROBE", "ROBO", "RUIN", "SENO",
    "TETA", "VACA", "VAGA", "VAGO", "VAKA", "VUEI", "VUEY", "WUEI", "WUEY",
];

/// The check-digit alphabet: a character's value is its index (`Ñ` = 24, `O` = 25).
pub const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/// Sex / gender in position 11 (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `H` (hombre).
    Male,
    /// `M` (mujer).
    Female,
    /// `X` (no binario, issued since about 2022).
    NonBinary,
}

impl Sex {
    /// The CURP letter: `'H'`, `'M'` or `'X'`.
    pub const fn as_char(self) -> char {
        match self {
            Sex::Male => 'H',
            Sex::Female => 'M',
            Sex::NonBinary => 'X',
        }
    }
}

/// A valid CURP (18 upper-case ASCII characters). Only [`validate`] and [`generate`] make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Curp([u8; LEN]);

impl Curp {
    /// The CURP as 18 upper-case characters.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        super::utf8(&self.0).unwrap_or("")
    }

    /// The CURP as 18 ASCII bytes.
    pub const fn as_bytes(&self) -> &[u8; LEN] {
        &self.0
    }

    /// The birth date (century from position 17, 1-based: digit → 19YY, letter → 20YY).
    pub fn birth_date(&self) -> Date {
        let b = &self.0;
        let year = century(b[16]) + u16::from(two_digits(b[4], b[5]));
        Date {
            year,
            month: two_digits(b[6], b[7]),
            day: two_digits(b[8], b[9]),
        }
    }

    /// The sex / gender letter as an enum.
    pub const fn sex(&self) -> Sex {
        match self.0[10] {
            b'H' => Sex::Male,
            b'M' => Sex::Female,
            _ => Sex::NonBinary,
        }
    }

    /// The two-letter state code, e.g. `"JC"`, `"DF"`, `"NE"`.
    pub fn state(&self) -> &'static str {
        state_entry(self.0[11], self.0[12]).map_or("", |(code, _)| code)
    }

    /// The state's index in [`STATES`].
    pub fn state_index(&self) -> usize {
        state_position(self.0[11], self.0[12]).unwrap_or(0)
    }

    /// The state's name, e.g. `"Jalisco"`, `"Ciudad de México"`, `"Nacido en el extranjero"`.
    pub fn state_name(&self) -> &'static str {
        state_entry(self.0[11], self.0[12]).map_or("", |(_, name)| name)
    }

    /// Whether the state code is `NE` (born abroad).
    pub const fn born_abroad(&self) -> bool {
        self.0[11] == b'N' && self.0[12] == b'E'
    }

    /// The homonymy differentiator (position 17, 1-based).
    pub const fn differentiator(&self) -> char {
        self.0[16] as char
    }

    /// The check digit (position 18, 1-based).
    pub const fn check_char(&self) -> char {
        self.0[17] as char
    }
}

/// Whether `c` is removed by lenient normalisation.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == '_'
}

/// The ASCII characters [`is_separator`] removes (`char::is_whitespace` on ASCII is
/// space and U+0009–U+000D).
const fn is_ascii_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | b'-' | b'_')
}

/// Lenient normalisation of one ASCII byte (what [`compact`] makes of it): `None` when it is
/// removed, else the byte upper-cased.
#[inline(always)]
pub const fn normalise_ascii(b: u8) -> Option<u8> {
    if is_ascii_separator(b) {
        None
    } else {
        Some(b.to_ascii_uppercase())
    }
}

/// Lenient normalisation of one character (what [`compact`] makes of it): `None` when it is
/// removed, else the character upper-cased (ASCII letters; `ñ` → `Ñ`).
pub fn normalise_char(c: char) -> Option<char> {
    if is_separator(c) {
        None
    } else if c == 'ñ' {
        Some('Ñ')
    } else {
        Some(c.to_ascii_uppercase())
    }
}

/// The normalised value: lenient removes whitespace, `-` and `_` and upper-cases ASCII
/// letters (and `ñ` → `Ñ`); strict yields the input unchanged. Error positions index into
/// this sequence.
pub fn compact(input: &str, strict: bool) -> impl Iterator<Item = char> + Clone + '_ {
    input
        .chars()
        .filter_map(move |c| if strict { Some(c) } else { normalise_char(c) })
}

/// The class each of the 18 positions must fit.
const CLASSES: [Expected; LEN] = [
    Expected::Letter,
    Expected::VowelOrX,
    Expected::Letter,
    Expected::Letter,
    Expected::Digit,
    Expected::Digit,
    Expected::Digit,
    Expected::Digit,
    Expected::Digit,
    Expected::Digit,
    Expected::Sex,
    Expected::Letter,
    Expected::Letter,
    Expected::ConsonantOrX,
    Expected::ConsonantOrX,
    Expected::ConsonantOrX,
    Expected::DigitOrLetter,
    Expected::Digit,
];

const fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Whether the (upper-case ASCII) byte fits the class.
const fn fits(class: Expected, b: u8) -> bool {
    match class {
        Expected::Letter | Expected::Sex => b.is_ascii_uppercase(),
        Expected::VowelOrX => is_vowel(b) || b == b'X',
        Expected::Digit => b.is_ascii_digit(),
        Expected::ConsonantOrX => b.is_ascii_uppercase() && !is_vowel(b),
        Expected::DigitOrLetter => b.is_ascii_uppercase() || b.is_ascii_digit(),
        _ => false,
    }
}

/// `c` as a byte if it is an upper-case ASCII letter or an ASCII digit.
fn alnum_byte(c: char) -> Option<u8> {
    if c.is_ascii_uppercase() || c.is_ascii_digit() {
        u8::try_from(c).ok()
    } else {
        None
    }
}

/// Checks one normalised character at position `i`: `Ok(Some(byte))` when it fits the
/// position, `Ok(None)` for a legal character beyond the 18th, `Err(expected)` otherwise.
fn check_char(c: char, i: usize) -> Result<Option<u8>, Expected> {
    if c.is_ascii() {
        // One bit test in the byte table. `c` is already normalised, so the strict entry is
        // the right one in either mode (it has no fit for lower-case letters or separators).
        let b = u8::try_from(c).unwrap_or(0);
        let e = byte_entry(b, true);
        return match CLASSES.get(i) {
            Some(_) if (e >> i) & 1 == 1 => Ok(Some(b)),
            Some(&class) => Err(class),
            None if e & LEGAL != 0 => Ok(None),
            None => Err(Expected::Allowed),
        };
    }
    if c == 'Ñ' || c == 'ñ' {
        return Err(Expected::NotEnye);
    }
    Err(CLASSES.get(i).copied().unwrap_or(Expected::Allowed))
}

/// The sandbox rule: any ASCII letter or digit in each of the 18 positions.
fn check_sandbox_char(c: char, i: usize) -> Result<Option<u8>, Expected> {
    if c == 'Ñ' || c == 'ñ' {
        return Err(Expected::NotEnye);
    }
    match (alnum_byte(c), i < LEN) {
        (Some(b), true) => Ok(Some(b)),
        (Some(_), false) => Ok(None),
        (None, true) => Err(Expected::DigitOrLetter),
        (None, false) => Err(Expected::Allowed),
    }
}

/// A position as `u32` (saturating; inputs over 4 GiB characters report `u32::MAX`).
fn pos32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A per-position character rule ([`check_char`], [`check_sandbox_char`]). A function
/// pointer rather than a generic: one copy of [`collect`] serves both rules.
type CharCheck = fn(char, usize) -> Result<Option<u8>, Expected>;

/// Normalises into a fixed buffer: `Empty`, then the leftmost `Character`, then `Length`.
///
/// (Validation's ASCII input never comes here: [`scan`] decides it. Only non-ASCII input and
/// the sandbox rule do, so this path is written for size, not speed.)
fn collect(input: &str, strict: bool, check: CharCheck) -> Result<[u8; LEN], IdError> {
    let mut buf = [0u8; LEN];
    let mut n: usize = 0;
    compact(input, strict).try_for_each(|c| {
        match check(c, n) {
            Ok(Some(b)) => {
                if let Some(slot) = buf.get_mut(n) {
                    *slot = b;
                }
            }
            Ok(None) => {}
            Err(expected) => return Err(IdError::at(Code::Character, pos32(n), expected)),
        }
        n = n.saturating_add(1);
        Ok(())
    })?;
    if n == 0 {
        return Err(IdError::whole(Code::Empty));
    }
    if n != LEN {
        return Err(IdError {
            found_len: pos32(n),
            ..IdError::whole(Code::Length)
        });
    }
    Ok(buf)
}

/// Validates a CURP. See the module documentation for the rules and error positions.
pub fn validate(input: &str, opts: &Options) -> Result<Curp, IdError> {
    // Filled in place (no move of the array: see `Scan::Canonical`).
    let mut buf = [0u8; LEN];
    match scan(input.as_bytes(), opts.strict, false, &mut buf) {
        Scan::Canonical => {}
        Scan::Error(e) => return Err(e),
        Scan::General => buf = collect(input, opts.strict, check_char)?,
    }
    if rules_hold(&buf).is_some_and(|d| opts.today.is_none_or(|t| d <= t)) {
        return Ok(Curp(buf));
    }
    // Locate the error in prefix order. The date steps 4–9 leave the century open: when the
    // YYMMDD is a real date not after today in either century they all pass, otherwise
    // [`first_yymmdd_error`] finds the failing one. Step 16 (the century) passes when the
    // full date is real and not after today.
    let date_ok = date_valid(&buf, opts);
    let digits_ok = date_ok || yymmdd_valid(&buf, opts);
    for i in RULE_STEPS {
        if i == 4 && !digits_ok {
            first_yymmdd_error(&buf, opts.today)?;
        }
        if !(is_date_step(i) && (date_ok || i != 16)) {
            step(&buf, i, opts)?;
        }
    }
    // Unreachable: the checks above and the steps test the same rules (tested); kept as a
    // non-panicking fallback.
    Err(IdError::at(Code::CheckDigit, 17, Expected::Nothing))
}

/// The error of the first failing date step of 4–9, for a YYMMDD that is no real date not
/// after `today` in either century (so step 9 fails). Found by bisection: a longer prefix
/// matches fewer dates, so the steps pass up to some position and fail from there on.
fn first_yymmdd_error(b: &[u8; LEN], today: Option<Date>) -> Result<(), IdError> {
    let (mut lo, mut hi) = (4, 9);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if date_step(b, mid, None, today).is_ok() {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    date_step(b, lo, None, today)
}

/// Whether `input` is a valid CURP (no allocation, no error details).
pub fn is_valid(input: &str, opts: &Options) -> bool {
    is_valid_bytes(input.as_bytes(), opts)
}

/// [`is_valid`] on the UTF-8 bytes of the input (bytes that are not UTF-8 are invalid).
pub(crate) fn is_valid_bytes(input: &[u8], opts: &Options) -> bool {
    valid_ignoring_today(input, opts.strict).is_some_and(|d| opts.today.is_none_or(|t| d <= t))
}

/// The birth date when `input` (UTF-8 bytes) satisfies every rule except "not after
/// today", else `None`. `is_valid` with a `today` is this and `date <= today`.
pub(crate) fn valid_ignoring_today(input: &[u8], strict: bool) -> Option<Date> {
    // Fewer than 18 bytes are fewer than 18 characters, before any removal.
    if input.len() < LEN {
        return None;
    }
    let mut buf = [0u8; LEN];
    match scan(input, strict, true, &mut buf) {
        Scan::Canonical => rules_hold(&buf),
        Scan::Error(_) => None,
        Scan::General => {
            let s = super::utf8(input)?;
            let opts = Options {
                strict,
                today: None,
            };
            validate(s, &opts).ok().map(|c| c.birth_date())
        }
    }
}

/// Every semantic rule except "not after today" on a class-checked value: the birth date
/// when they all hold.
fn rules_hold(b: &[u8; LEN]) -> Option<Date> {
    if !is_sex(b[10]) || !is_state(b[11], b[12]) || is_inconvenient(b) || !check_digit_holds(b) {
        return None;
    }
    date_at(b, century(b[16]))
}

/// Whether the letter is a sex code: H, M or X.
const fn is_sex(b: u8) -> bool {
    matches!(b, b'H' | b'M' | b'X')
}

/// Whether position 17 holds the check digit of positions 0–16 (class-checked: letters and
/// digits).
#[inline(always)]
fn check_digit_holds(b: &[u8; LEN]) -> bool {
    b.first_chunk().map(check_digit17) == Some(b[17])
}

/// The outcome of the byte-level scan of [`validate`]'s first stage.
enum Scan {
    /// 18 normalised characters, each of its position's class, are in the caller's buffer.
    /// (An out-parameter rather than a payload: copying a byte-wise written buffer into the
    /// result stalls store-to-load forwarding, which cost about 40% of a valid check.)
    Canonical,
    /// The precise `Empty` / `Character` / `Length` error.
    Error(IdError),
    /// A non-ASCII byte before any error: the general (char-level) path decides.
    General,
}

/// Table entry bit: a lenient separator (removed).
const SEP: u32 = 1 << 18;
/// Table entry bit: a letter or digit after normalisation (legal beyond the 18th character).
const LEGAL: u32 = 1 << 19;
/// Table entry bit: a non-ASCII byte.
const WIDE: u32 = 1 << 20;

/// Per ASCII byte (lenient mode): bits 0–17 the positions whose class the normalised byte
/// fits, plus [`SEP`] and [`LEGAL`]; bits 24–31 the normalised byte. Strict mode and
/// non-ASCII bytes are derived in [`byte_entry`].
const fn byte_table() -> [u32; 128] {
    let mut t = [0u32; 128];
    let mut c = 0usize;
    while c < 128 {
        let b = c as u8;
        let n = b.to_ascii_uppercase();
        let mut e = (n as u32) << 24;
        if is_ascii_separator(b) {
            e |= SEP;
        } else {
            if n.is_ascii_uppercase() || n.is_ascii_digit() {
                e |= LEGAL;
            }
            let mut i = 0;
            while i < LEN {
                if fits(CLASSES[i], n) {
                    e |= 1 << i;
                }
                i += 1;
            }
        }
        t[c] = e;
        c += 1;
    }
    t
}

static BYTES: [u32; 128] = byte_table();

/// The ASCII bytes whose strict entry differs from the lenient one (lower-case letters and
/// separators: strict mode neither upper-cases nor removes them, so they fit nothing).
const STRICT_PLAIN: u128 = {
    let mut m = 0u128;
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_lowercase() || is_ascii_separator(b) {
            m |= 1 << b;
        }
        b += 1;
    }
    m
};

/// The table entry of one input byte.
#[inline(always)]
fn byte_entry(b: u8, strict: bool) -> u32 {
    match BYTES.get(usize::from(b)) {
        Some(_) if strict && (STRICT_PLAIN >> b) & 1 != 0 => u32::from(b) << 24,
        Some(&e) => e,
        None => WIDE | u32::from(b) << 24,
    }
}

/// Bit 0 set when each of the 18 bytes fits its position's class; their normalised bytes go
/// to `buf`. Branch-free.
#[inline(always)]
fn fit18(bytes: &[u8; LEN], strict: bool, buf: &mut [u8; LEN]) -> u32 {
    let mut fit = 1u32;
    for (i, (&b, slot)) in bytes.iter().zip(buf.iter_mut()).enumerate() {
        let e = byte_entry(b, strict);
        fit &= e >> i;
        *slot = (e >> 24) as u8;
    }
    fit
}

/// Normalises and class-checks ASCII input in one pass (the same result as [`collect`] with
/// [`check_char`], whose ASCII path it mirrors). Stops at the first error. `quick`: the
/// caller only needs valid-or-not, so an invalid 18-byte input may report a placeholder error.
fn scan(input: &[u8], strict: bool, quick: bool, buf: &mut [u8; LEN]) -> Scan {
    // The common case first: exactly 18 bytes, each fitting its position (a separator or a
    // non-ASCII byte fits none), checked without a branch per byte.
    if let Ok(bytes) = <&[u8; LEN]>::try_from(input) {
        // One copy of the loop per mode, so neither tests `strict` per byte.
        let fit = if strict {
            fit18(bytes, true, buf)
        } else {
            fit18(bytes, false, buf)
        };
        if fit & 1 != 0 {
            return Scan::Canonical;
        }
        if quick {
            // 18 bytes with one that fits no class, a separator or a non-ASCII byte: invalid
            // either way (a removed or multi-byte character leaves fewer than 18). Only the
            // error's details need the walk below.
            return Scan::Error(IdError::whole(Code::Character));
        }
    }
    let mut n: usize = 0;
    for &b in input {
        let e = byte_entry(b, strict);
        if e & (SEP | WIDE) != 0 {
            if e & WIDE != 0 {
                return Scan::General;
            }
            continue;
        }
        match buf.get_mut(n) {
            Some(slot) if (e >> n) & 1 != 0 => *slot = (e >> 24) as u8,
            Some(_) => {
                let expected = CLASSES.get(n).copied().unwrap_or(Expected::Allowed);
                return Scan::Error(IdError::at(Code::Character, pos32(n), expected));
            }
            None if e & LEGAL != 0 => {}
            None => return Scan::Error(IdError::at(Code::Character, pos32(n), Expected::Allowed)),
        }
        n += 1;
    }
    if n == 0 {
        return Scan::Error(IdError::whole(Code::Empty));
    }
    if n != LEN {
        return Scan::Error(IdError {
            found_len: pos32(n),
            ..IdError::whole(Code::Length)
        });
    }
    Scan::Canonical
}

/// Belvo's sandbox username rule: the same normalisation as [`validate`], then any 18 ASCII
/// letters/digits. Only `Empty`, `Character` (`Expected::DigitOrLetter`, `NotEnye`, or
/// `Allowed` beyond the 18th) and `Length` errors. Accepts Belvo's `BLPM951331IONVGR54`.
pub fn validate_sandbox(input: &str, opts: &Options) -> Result<[u8; LEN], IdError> {
    collect(input, opts.strict, check_sandbox_char)
}

/// As-you-type check. `Ok(complete)` when the normalised prefix can still become a valid
/// CURP (`complete` is `true` when it already is one: then [`validate`] succeeds);
/// otherwise the error of the first character that makes completion impossible.
///
/// An empty prefix is `Ok(false)`. Past 18 characters the 19th character fails: `Length`
/// (`position: Some(18)`, `found_len` = total count) if it is a letter or digit, otherwise
/// `Character` (`Allowed` / `NotEnye`). Other errors are those of [`validate`] (module doc).
pub fn check_prefix(input: &str, opts: &Options) -> Result<bool, IdError> {
    let mut buf = [0u8; LEN];
    let mut n: usize = 0;
    let mut chars = compact(input, opts.strict);
    while let Some(c) = chars.next() {
        match check_char(c, n) {
            Ok(Some(b)) => {
                if let Some(slot) = buf.get_mut(n) {
                    *slot = b;
                }
                step(&buf, n, opts)?;
            }
            Ok(None) => {
                let total = n.saturating_add(1).saturating_add(chars.count());
                return Err(IdError {
                    code: Code::Length,
                    position: Some(pos32(n)),
                    expected: Expected::Nothing,
                    found_len: pos32(total),
                });
            }
            Err(expected) => return Err(IdError::at(Code::Character, pos32(n), expected)),
        }
        n = n.saturating_add(1);
    }
    Ok(n == LEN)
}

/// The check digit (ASCII `'0'`–`'9'`) for the first 17 characters, or `None` unless
/// `first17` is exactly 17 bytes from the alphabet (`0-9`, `A-Z`; the byte `0xD1`, Latin-1
/// `Ñ`, counts as `Ñ` = 24 for completeness, although RENAPO never writes `Ñ`).
pub fn check_digit(first17: &[u8]) -> Option<u8> {
    let first17: &[u8; LEN - 1] = first17.try_into().ok()?;
    let alphabet = first17.iter().all(|&c| VALUES[usize::from(c)] != NONE);
    alphabet.then(|| check_digit17(first17))
}

/// The check-digit rule, written once: weights 18 down to 2 over the values of 17 characters
/// of the alphabet, and the digit that brings the sum to a multiple of 10 (any other byte
/// gives a meaningless digit; validation only asks after the class checks).
#[inline(always)]
fn check_digit17(first17: &[u8; LEN - 1]) -> u8 {
    let (mut sum, mut weight) = (0u32, 18u32);
    for &c in first17 {
        sum += u32::from(VALUES[usize::from(c)]) * weight;
        weight -= 1;
    }
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// Marks a byte outside the alphabet in [`VALUES`].
const NONE: u8 = 0xFF;

/// Value of each byte in [`ALPHABET`] (`0xD1`, Latin-1 `Ñ`, is 24), [`NONE`] elsewhere.
const VALUES: [u8; 256] = {
    let mut v = [NONE; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        v[c] = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'N' => b - b'A' + 10,
            0xD1 => 24,
            b'O'..=b'Z' => b - b'O' + 25,
            _ => NONE,
        };
        c += 1;
    }
    v
};

/// The inconvenient words as big-endian `u32` keys (sorted like the words).
const WORD_KEYS: [u32; 81] = {
    let mut keys = [0u32; 81];
    let mut i = 0;
    while i < keys.len() {
        let w = INCONVENIENT_WORDS[i].as_bytes();
        keys[i] = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
        i += 1;
    }
    keys
};

/// [`WORD_KEYS`] padded to 128 with `u32::MAX`, for a branchless search.
const WORD_TABLE: [u32; 128] = {
    let mut t = [u32::MAX; 128];
    let mut i = 0;
    while i < WORD_KEYS.len() {
        t[i] = WORD_KEYS[i];
        i += 1;
    }
    t
};

/// For each first letter A–Z, a bit per third letter of an inconvenient word starting with
/// it: most names are rejected by this one test, before any search. (The third letter, not
/// the second: a CURP's second letter is a vowel, as in most of the words, so it filters
/// little; the third is the initial of the second surname. Measured: about 6% of random
/// CURPs reach the search, against 27% with the second letter.)
const WORD_THIRDS: [u32; 26] = {
    let mut bits = [0u32; 26];
    let mut i = 0;
    while i < INCONVENIENT_WORDS.len() {
        let w = INCONVENIENT_WORDS[i].as_bytes();
        bits[(w[0] - b'A') as usize] |= 1 << (w[2] - b'A');
        i += 1;
    }
    bits
};

/// Whether positions 0–3 spell an inconvenient word.
fn is_inconvenient(b: &[u8; LEN]) -> bool {
    let third = b[2]
        .checked_sub(b'A')
        .and_then(|i| 1u32.checked_shl(u32::from(i)));
    let first = b[0]
        .checked_sub(b'A')
        .and_then(|i| WORD_THIRDS.get(usize::from(i)));
    if !matches!((first, third), (Some(m), Some(bit)) if m & bit != 0) {
        return false;
    }
    let key = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    // Lower bound over the sorted, padded table.
    let mut base = 0usize;
    let mut half = 64usize;
    while half > 0 {
        let probe = WORD_TABLE[(base + half - 1) & 127];
        base += usize::from(probe < key) * half;
        half /= 2;
    }
    WORD_TABLE[base & 127] == key
}

/// For each first letter A–Z, a bit per second letter that completes a state code.
const STATE_BITS: [u32; 26] = {
    let mut bits = [0u32; 26];
    let mut i = 0;
    while i < STATES.len() {
        let code = STATES[i].0.as_bytes();
        bits[(code[0] - b'A') as usize] |= 1 << (code[1] - b'A');
        i += 1;
    }
    bits
};

/// The state bits of a first letter (0 for anything that is not A–Z).
fn state_bits(a: u8) -> u32 {
    a.checked_sub(b'A')
        .and_then(|i| STATE_BITS.get(usize::from(i)))
        .copied()
        .unwrap_or(0)
}

/// Whether the two letters are one of the 33 state codes.
fn is_state(a: u8, b: u8) -> bool {
    b.checked_sub(b'A')
        .and_then(|i| 1u32.checked_shl(u32::from(i)))
        .is_some_and(|bit| state_bits(a) & bit != 0)
}

fn state_position(a: u8, b: u8) -> Option<usize> {
    STATE_CODES.iter().position(|code| *code == [a, b])
}

fn state_entry(a: u8, b: u8) -> Option<&'static (&'static str, &'static str)> {
    STATES.get(state_position(a, b)?)
}

fn some_state_starts_with(a: u8) -> bool {
    state_bits(a) != 0
}

/// 1900 for a digit in position 16 (0-based), else 2000.
const fn century(b: u8) -> u16 {
    if b.is_ascii_digit() {
        1900
    } else {
        2000
    }
}

/// Two ASCII digits as a number (garbage-in gives garbage-out, never a panic).
const fn two_digits(a: u8, b: u8) -> u8 {
    a.wrapping_sub(b'0')
        .wrapping_mul(10)
        .wrapping_add(b.wrapping_sub(b'0'))
}

/// Whether the full date (century from position 16) is real and not after `today`.
fn date_valid(b: &[u8; LEN], opts: &Options) -> bool {
    date_in(b, century(b[16]), opts)
}

/// Whether YYMMDD is a real date not after `today` in the 1900s or the 2000s.
fn yymmdd_valid(b: &[u8; LEN], opts: &Options) -> bool {
    date_in(b, 1900, opts) || date_in(b, 2000, opts)
}

/// Whether YYMMDD in the century `base` is a real date and not after `today`. (Kept out of
/// line: one copy for its three call sites is what keeps the validator module in budget.)
#[inline(never)]
fn date_in(b: &[u8; LEN], base: u16, opts: &Options) -> bool {
    date_at(b, base).is_some_and(|d| opts.today.is_none_or(|t| d <= t))
}

/// The date YYMMDD in the century `base`, if it is a real one (the calendar's date rule).
#[inline(always)]
fn date_at(b: &[u8; LEN], base: u16) -> Option<Date> {
    let year = base + u16::from(two_digits(b[4], b[5]));
    Date::new(year, two_digits(b[6], b[7]), two_digits(b[8], b[9]))
}

/// The positions at which [`step`] checks a rule (at every other one it is `Ok`), in order.
const RULE_STEPS: [usize; 12] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17];

/// Positions whose arrival runs a date check.
const fn is_date_step(i: usize) -> bool {
    matches!(i, 4..=9 | 16)
}

/// The semantic rules that become decidable when the character at `i` arrives
/// (`b[..=i]` is filled and class-checked).
fn step(b: &[u8; LEN], i: usize, opts: &Options) -> Result<(), IdError> {
    match i {
        3 if is_inconvenient(b) => Err(IdError::at(Code::InconvenientWord, 1, Expected::Nothing)),
        4..=9 => date_step(b, i, None, opts.today),
        10 if !is_sex(b[10]) => Err(IdError::at(Code::Sex, 10, Expected::Sex)),
        11 if !some_state_starts_with(b[11]) => {
            Err(IdError::at(Code::State, 11, Expected::Nothing))
        }
        12 if !is_state(b[11], b[12]) => Err(IdError::at(Code::State, 12, Expected::Nothing)),
        16 => date_step(b, i, Some(century(b[16])), opts.today),
        17 if !check_digit_holds(b) => Err(IdError::at(Code::CheckDigit, 17, Expected::Nothing)),
        _ => Ok(()),
    }
}

/// Date feasibility once position `i` (4..=9 or 16) is known.
fn date_step(
    b: &[u8; LEN],
    i: usize,
    century: Option<u16>,
    today: Option<Date>,
) -> Result<(), IdError> {
    let mut known = [None; 6];
    for (k, slot) in known.iter_mut().enumerate() {
        let pos = 4 + k;
        if pos <= i {
            *slot = b
                .get(pos)
                .and_then(|c| c.checked_sub(b'0'))
                .filter(|d| *d < 10);
        }
    }
    if date_feasible(&known, century, today) {
        return Ok(());
    }
    let pos = pos32(i);
    if today.is_some() && date_feasible(&known, century, None) {
        return Err(IdError::at(Code::FutureDate, pos, Expected::Nothing));
    }
    let expected = match i {
        6 | 7 => Expected::Month,
        8 | 9 | 16 => Expected::Day,
        _ => Expected::Nothing,
    };
    Err(IdError::at(Code::Date, pos, expected))
}

/// Whether some date matches the known digits of YYMMDD (`None` = not typed yet) in the
/// given century (`None` = either), is a real date and is not after `today`.
///
/// Closed form rather than a search: the matching dates have a least element, and one not
/// after `today` exists exactly when that least date is not after it. Only February 29 makes
/// a month/day depend on the year, so the least date is the least allowed year with the least
/// month/day that year allows (checked against a brute-force search in the tests).
fn date_feasible(known: &[Option<u8>; 6], century: Option<u16>, today: Option<Date>) -> bool {
    let [y1, y0, m1, m0, d1, d0] = *known;
    // The least month/day in any year, and whether February 29 (leap years only) comes
    // before it.
    let mut any_year: Option<(u8, u8)> = None;
    let mut leap_feb29 = false;
    // Only the months the known tens digit allows (all twelve, or the one both digits name).
    let (mut month, last) = match (m1, m0) {
        (Some(t), Some(u)) => ((t * 10 + u).max(1), t * 10 + u),
        (Some(0), None) => (1, 9),
        (Some(1), None) => (10, 12),
        (Some(_), None) => return false,
        (None, _) => (1, 12),
    };
    while month <= last.min(12) && any_year.is_none() {
        if digit_fits(m1, month / 10) && digit_fits(m0, month % 10) {
            if month == 2 {
                match least_day(28, d1, d0) {
                    Some(d) => any_year = Some((2, d)),
                    None => leap_feb29 = least_day(29, d1, d0).is_some(),
                }
            } else if let Some(d) = least_day(days_in_month(2001, month), d1, d0) {
                any_year = Some((month, d));
            }
        }
        month += 1;
    }
    if any_year.is_none() && !leap_feb29 {
        return false;
    }
    // The allowed years, ascending: the first one with a matching month/day.
    for base in [1900u16, 2000] {
        if century.is_some_and(|c| c != base) {
            continue;
        }
        let mut tens = y1.unwrap_or(0);
        while tens <= y1.unwrap_or(9) {
            let mut units = y0.unwrap_or(0);
            while units <= y0.unwrap_or(9) {
                let year = base + u16::from(tens) * 10 + u16::from(units);
                let least = if leap_feb29 && crate::id::date::is_leap_year(year) {
                    Some((2, 29))
                } else {
                    any_year
                };
                if let Some((m, d)) = least {
                    return today.is_none_or(|t| (year, m, d) <= (t.year, t.month, t.day));
                }
                units += 1;
            }
            tens += 1;
        }
    }
    false
}

/// Whether a known digit (`None`: any) is `v`.
fn digit_fits(known: Option<u8>, v: u8) -> bool {
    known.is_none_or(|k| k == v)
}

/// The least day in `1..=last` whose tens digit is `d1` and units digit `d0` (`None`: any).
fn least_day(last: u8, d1: Option<u8>, d0: Option<u8>) -> Option<u8> {
    // (Digits are below 10: no overflow.)
    let day = match (d1, d0) {
        (Some(t), Some(u)) => t * 10 + u,
        (Some(t), None) => (t * 10).max(1),
        (None, Some(0)) => 10,
        (None, Some(u)) => u,
        (None, None) => 1,
    };
    (1..=last).contains(&day).then_some(day)
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const VOWELS_X: &[u8] = b"AEIOUX";
const CONSONANTS_X: &[u8] = b"BCDFGHJKLMNPQRSTVWXYZ";

/// A deterministic valid CURP from a seed (for tests and demos; not a real person's).
///
/// Covers both centuries (1900–1999 and 2000–2025, so never after 2025-12-31), sexes H, M and
/// X, all 33 state codes; an inconvenient word in positions 1–4 is replaced the way RENAPO
/// does it (X in position 2).
pub fn generate(seed: u64) -> Curp {
    let mut rng = SplitMix::new(seed);
    let mut b = [b'X'; LEN];
    b[0] = rng.pick(LETTERS);
    b[1] = rng.pick(VOWELS_X);
    b[2] = rng.pick(LETTERS);
    b[3] = rng.pick(LETTERS);
    if is_inconvenient(&b) {
        b[1] = b'X';
    }
    let modern = rng.below(4) == 0;
    let yy = if modern {
        rng.below(26)
    } else {
        rng.below(100)
    };
    let yy = u8::try_from(yy).unwrap_or(0);
    let year = if modern { 2000 } else { 1900 } + u16::from(yy);
    let month = 1 + u8::try_from(rng.below(12)).unwrap_or(0);
    let day = 1 + u8::try_from(rng.below(u64::from(days_in_month(year, month)))).unwrap_or(0);
    for (pair, v) in b[4..10].chunks_exact_mut(2).zip([yy, month, day]) {
        for (slot, d) in pair.iter_mut().zip([v / 10, v % 10]) {
            *slot = b'0' + d;
        }
    }
    b[10] = match rng.below(10) {
        0 => b'X',
        1..=5 => b'H',
        _ => b'M',
    };
    let state = usize::try_from(rng.below(STATES.len() as u64)).unwrap_or(0);
    let code = STATES
        .get(state)
        .map_or(b"JC".as_slice(), |(c, _)| c.as_bytes());
    b[11] = code.first().copied().unwrap_or(b'J');
    b[12] = code.get(1).copied().unwrap_or(b'C');
    b[13] = rng.pick(CONSONANTS_X);
    b[14] = rng.pick(CONSONANTS_X);
    b[15] = rng.pick(CONSONANTS_X);
    b[16] = rng.pick(if modern { LETTERS } else { DIGITS });
    b[17] = check_digit(&b[..LEN - 1]).unwrap_or(b'0');
    Curp(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_separators_match_compact() {
        for b in 0u8..128 {
            assert_eq!(is_ascii_separator(b), is_separator(char::from(b)), "{b}");
        }
    }

    /// The original brute-force `date_feasible`: the reference for the fast one.
    fn date_feasible_reference(
        known: &[Option<u8>; 6],
        century: Option<u16>,
        today: Option<Date>,
    ) -> bool {
        let fits = |k: usize, v: u8| known.get(k).copied().flatten().is_none_or(|x| x == v);
        for base in [1900u16, 2000] {
            if century.is_some_and(|c| c != base) {
                continue;
            }
            for yy in 0..100u8 {
                if !fits(0, yy / 10) || !fits(1, yy % 10) {
                    continue;
                }
                let year = base + u16::from(yy);
                if today.is_some_and(|t| year > t.year) {
                    break;
                }
                for month in 1..=12u8 {
                    if !fits(2, month / 10) || !fits(3, month % 10) {
                        continue;
                    }
                    let mut last = days_in_month(year, month);
                    if let Some(t) = today {
                        if (year, month) > (t.year, t.month) {
                            break;
                        }
                        if (year, month) == (t.year, t.month) {
                            last = last.min(t.day);
                        }
                    }
                    if (1..=last).any(|day| fits(4, day / 10) && fits(5, day % 10)) {
                        return true;
                    }
                }
            }
        }
        false
    }

    #[test]
    fn date_feasible_matches_reference() {
        let todays = [
            None,
            Date::new(2011, 3, 5),
            Date::new(2000, 2, 29),
            Date::new(2024, 12, 31),
            Date::new(1950, 1, 1),
            Date::new(1899, 12, 31),
        ];
        let years: [u8; 7] = [0, 4, 11, 24, 25, 96, 99];
        let mut patterns: Vec<[Option<u8>; 6]> = Vec::new();
        // Every prefix of up to 4 digits (YYMM), exhaustively.
        for len in 0..=4usize {
            for v in 0..10u32.pow(len as u32) {
                let mut k = [None; 6];
                let mut x = v;
                for slot in k[..len].iter_mut().rev() {
                    *slot = Some((x % 10) as u8);
                    x /= 10;
                }
                patterns.push(k);
            }
        }
        // 5 and 6 digits: selected years, every month/day digit.
        for &yy in &years {
            for mm in 0..100u8 {
                for d1 in 0..10u8 {
                    let base = [Some(yy / 10), Some(yy % 10), Some(mm / 10), Some(mm % 10)];
                    let mut k = [base[0], base[1], base[2], base[3], Some(d1), None];
                    patterns.push(k);
                    for d0 in 0..10u8 {
                        k[5] = Some(d0);
                        patterns.push(k);
                    }
                }
            }
        }
        for k in &patterns {
            for century in [None, Some(1900), Some(2000)] {
                for today in todays {
                    assert_eq!(
                        date_feasible(k, century, today),
                        date_feasible_reference(k, century, today),
                        "{k:?} {century:?} {today:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn fast_paths_match_general_path() {
        let mut rng = SplitMix::new(7);
        let noise = b"AEIOUXBHMQZ09 -_a\tz.\xc3";
        for seed in 0..20_000u64 {
            let c = generate(seed);
            let mut b = c.as_bytes().to_vec();
            for _ in 0..rng.below(4) {
                let i = usize::try_from(rng.below(b.len() as u64 + 1)).unwrap_or(0);
                let ch = rng.pick(noise);
                match rng.below(3) {
                    0 if i < b.len() => b[i] = ch,
                    1 => b.insert(i, ch),
                    _ if i < b.len() => {
                        b.remove(i);
                    }
                    _ => {}
                }
            }
            if rng.below(3) == 0 {
                b.make_ascii_lowercase();
            }
            let s = std::string::String::from_utf8_lossy(&b).into_owned();
            for strict in [false, true] {
                for today in [None, Date::new(2011, 3, 5), Date::new(2024, 6, 1)] {
                    let opts = Options { strict, today };
                    let general = collect(&s, strict, check_char).and_then(|buf| {
                        for i in 0..LEN {
                            step(&buf, i, &opts)?;
                        }
                        Ok(Curp(buf))
                    });
                    assert_eq!(validate(&s, &opts), general, "{s:?} {opts:?}");
                    assert_eq!(is_valid(&s, &opts), general.is_ok(), "{s:?} {opts:?}");
                }
            }
        }
    }

    #[test]
    fn lookup_tables() {
        for (code, _) in STATES {
            let b = code.as_bytes();
            assert!(is_state(b[0], b[1]));
            assert!(some_state_starts_with(b[0]));
        }
        let count = (b'A'..=b'Z')
            .flat_map(|a| (b'A'..=b'Z').map(move |b| (a, b)))
            .filter(|&(a, b)| is_state(a, b))
            .count();
        assert_eq!(count, 33);
        assert!(!is_state(b'0', b'A') && !is_state(b'A', 0) && !is_state(0xff, 0xff));
        assert!(!some_state_starts_with(b'X') && !some_state_starts_with(b'W'));
        assert!(WORD_KEYS.windows(2).all(|w| w[0] < w[1]));
    }
}
