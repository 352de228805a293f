//! Brazilian CPF (Cadastro de Pessoas Físicas), 11 digits.
//!
//! Implements the policy in `shared/id-rules.md` ("The policy this project follows").
//!
//! # Normalisation
//!
//! * **Lenient** (default): every whitespace character, `.` and `-` is removed wherever it
//!   stands. Any other character stays and is an error.
//! * **Strict** (`Options::strict`): the input unchanged, either exactly 11 ASCII digits or
//!   exactly the mask `000.000.000-00`. The mask form is chosen when the 4th character of
//!   the input is `.`; otherwise every character must be a digit.
//!
//! [`compact`] yields the normalised value; every error position is a 0-based character
//! index into it (in strict mode, into the input itself).
//!
//! # Errors of [`validate`], in precedence order
//!
//! 1. [`Code::Empty`]: nothing left after normalisation (strict: the empty string).
//! 2. [`Code::Character`] at the leftmost offending character: a non-digit where a digit
//!    belongs → `Expected::Digit`; in the strict mask, anything but the separator at 3/7
//!    (`.`) or 11 (`-`) → `Expected::Format`; beyond the 11th digit (mask: 14th character)
//!    only non-digits count → `Expected::Allowed`.
//! 3. [`Code::Length`]: not 11 digits; `position` `None`, `found_len` = the number of
//!    **digits** found (in lenient and plain strict input that is the character count).
//! 4. [`Code::Repeated`] (position `None`): all eleven digits equal.
//! 5. [`Code::CheckDigit`] at the 10th digit (position 9; mask 12) when the first check
//!    digit is wrong, else at the 11th (position 10; mask 13).
//!
//! The fiscal region (9th digit) is information only, never a reason to reject.

use crate::id::{Code, Expected, IdError, Options};
use crate::rng::SplitMix;

/// Number of digits in a CPF.
pub const LEN: usize = 11;

/// The strict display mask (`d` = digit).
const MASK: &[u8; 14] = b"ddd.ddd.ddd-dd";

/// Defines [`REGIONS`] and [`REGION_TEXT`] from one list.
macro_rules! regions {
    ($([$($uf:literal),*],)*) => {
        /// States of each fiscal region; index `region - 1` (region 10 is the 9th digit `0`).
        pub const REGIONS: [&[&str]; 10] = [$(&[$($uf),*]),*];
        /// [`REGIONS`] as text, a line per region, each UF after a comma (`,DF,GO,…`): what
        /// the JS facade reads.
        pub const REGION_TEXT: &str = concat!($($(",", $uf,)* "\n",)*);
    };
}

regions! {
    ["DF", "GO", "MS", "MT", "TO"],
    ["AC", "AM", "AP", "PA", "RO", "RR"],
    ["CE", "MA", "PI"],
    ["AL", "PB", "PE", "RN"],
    ["BA", "SE"],
    ["MG"],
    ["ES", "RJ"],
    ["SP"],
    ["PR", "SC"],
    ["RS"],
}

/// The states (UF codes) of fiscal region `region` (1–10); empty for any other number.
pub fn region_states_of(region: u8) -> &'static [&'static str] {
    usize::from(region)
        .checked_sub(1)
        .and_then(|i| REGIONS.get(i))
        .copied()
        .unwrap_or(&[])
}

/// A valid CPF (11 ASCII digits). Only [`validate`] and [`generate`] make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpf([u8; LEN]);

impl Cpf {
    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        super::utf8(&self.0).unwrap_or("")
    }

    /// The 11 digits as ASCII bytes.
    pub const fn as_bytes(&self) -> &[u8; LEN] {
        &self.0
    }

    /// The display form `000.000.000-00` as ASCII bytes.
    pub fn formatted(&self) -> [u8; 14] {
        let d = &self.0;
        [
            d[0], d[1], d[2], b'.', d[3], d[4], d[5], b'.', d[6], d[7], d[8], b'-', d[9], d[10],
        ]
    }

    /// The display form `000.000.000-00` as a `String` (allocates).
    pub fn formatted_string(&self) -> String {
        self.formatted().iter().map(|&b| char::from(b)).collect()
    }

    /// The fiscal region of first registration, 1–10 (the 9th digit; `0` means region 10).
    pub const fn region(&self) -> u8 {
        match self.0[8].wrapping_sub(b'0') {
            0 => 10,
            d => d,
        }
    }

    /// The states (UF codes) of [`Cpf::region`].
    pub fn region_states(&self) -> &'static [&'static str] {
        region_states_of(self.region())
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '.' || c == '-'
}

/// The ASCII characters [`is_separator`] removes.
const fn is_ascii_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | b'.' | b'-')
}

/// Lenient normalisation of one ASCII byte (what [`compact`] makes of it): `None` when it is
/// removed, else the byte itself.
#[inline(always)]
pub(crate) const fn normalise_ascii(b: u8) -> Option<u8> {
    if is_ascii_separator(b) {
        None
    } else {
        Some(b)
    }
}

/// Feeds the normalised characters (the sequence [`compact`] yields) to `f`, with a fast
/// path for ASCII input.
fn for_each_normalised<F>(input: &str, strict: bool, mut f: F) -> Result<(), IdError>
where
    F: FnMut(char) -> Result<(), IdError>,
{
    if !input.is_ascii() {
        return compact(input, strict).try_for_each(f);
    }
    for &b in input.as_bytes() {
        if let Some(c) = if strict { Some(b) } else { normalise_ascii(b) } {
            f(char::from(c))?;
        }
    }
    Ok(())
}

/// Lenient normalisation of one character (what [`compact`] makes of it): `None` when it is
/// removed, else the character itself.
pub fn normalise_char(c: char) -> Option<char> {
    if is_separator(c) {
        None
    } else {
        Some(c)
    }
}

/// The normalised value: lenient removes whitespace, `.` and `-` anywhere; strict yields the
/// input unchanged. Error positions index into this sequence.
pub fn compact(input: &str, strict: bool) -> impl Iterator<Item = char> + Clone + '_ {
    input
        .chars()
        .filter_map(move |c| if strict { Some(c) } else { normalise_char(c) })
}

/// Whether strict input uses the mask (its 4th character is `.`). Read as the 4th byte: when
/// one of the first three characters is not ASCII it is not a digit either, so the error is
/// at that character whatever the mask says.
fn is_mask(input: &str) -> bool {
    input.as_bytes().get(3) == Some(&b'.')
}

/// Checks the character at position `i`: `Ok(Some(digit))` for a digit (in a digit slot or
/// beyond the end), `Ok(None)` for the mask separator of that slot, `Err(expected)` otherwise.
fn check_char(c: char, i: usize, mask: bool) -> Result<Option<u8>, Expected> {
    let digit = if c.is_ascii_digit() {
        u8::try_from(c).ok()
    } else {
        None
    };
    let slot = if mask {
        MASK.get(i).copied()
    } else if i < LEN {
        Some(b'd')
    } else {
        None
    };
    match (slot, digit) {
        (Some(b'd') | None, Some(d)) => Ok(Some(d)),
        (Some(b'd'), None) => Err(Expected::Digit),
        (Some(sep), _) => {
            if u32::from(c) == u32::from(sep) {
                Ok(None)
            } else {
                Err(Expected::Format)
            }
        }
        (None, None) => Err(Expected::Allowed),
    }
}

/// Position of digit `k` (0-based) in the value: `k` itself, or its index in the mask.
const fn digit_position(k: u32, mask: bool) -> u32 {
    if mask {
        k + (k >= 3) as u32 + (k >= 6) as u32 + (k >= 9) as u32
    } else {
        k
    }
}

fn pos32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Validates a CPF. See the module documentation for the rules and error positions.
pub fn validate(input: &str, opts: &Options) -> Result<Cpf, IdError> {
    match scan(input.as_bytes(), opts.strict) {
        Scan::Digits(p) => finish(p, false),
        Scan::Error(e) => Err(e),
        Scan::General => validate_general(input, opts),
    }
}

/// `Repeated`, then `CheckDigit`, on eleven packed digits.
fn finish(p: u64, mask: bool) -> Result<Cpf, IdError> {
    if is_repeated(p) {
        return Err(IdError::whole(Code::Repeated));
    }
    let [d10, d11] = packed_check_digits(p);
    if nibble(p, 9) != d10 {
        return Err(IdError::at(
            Code::CheckDigit,
            digit_position(9, mask),
            Expected::Nothing,
        ));
    }
    if nibble(p, 10) != d11 {
        return Err(IdError::at(
            Code::CheckDigit,
            digit_position(10, mask),
            Expected::Nothing,
        ));
    }
    let mut out = [0u8; LEN];
    let mut q = p;
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (q & 15) as u8;
        q >>= 4;
    }
    Ok(Cpf(out))
}

/// The char-level path of [`validate`] (non-ASCII input, the strict mask).
fn validate_general(input: &str, opts: &Options) -> Result<Cpf, IdError> {
    let mask = opts.strict && is_mask(input);
    let mut packed: u64 = 0;
    let mut digits: usize = 0;
    let mut n: usize = 0;
    for_each_normalised(input, opts.strict, |c| {
        match check_char(c, n, mask) {
            Ok(Some(d)) => {
                packed = packed << 4 | u64::from(d.wrapping_sub(b'0') & 15);
                digits = digits.saturating_add(1);
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
    if digits != LEN {
        return Err(IdError {
            found_len: pos32(digits),
            ..IdError::whole(Code::Length)
        });
    }
    finish(packed, mask)
}

/// The outcome of the byte-level first stage of [`validate`].
enum Scan {
    /// Exactly eleven digits, packed 4 bits each (the first digit highest); nothing else but
    /// removed separators.
    Digits(u64),
    /// The precise `Empty` / `Character` / `Length` error.
    Error(IdError),
    /// Non-ASCII input or the strict mask: the char-level path decides.
    General,
}

/// One pass over ASCII input: lenient removes separators and needs digits only; strict
/// handles plain `\d{11}` here (the mask and everything else go the general way).
fn scan(input: &[u8], strict: bool) -> Scan {
    let mut packed: u64 = 0;
    let mut n: usize = 0;
    if strict {
        if input.len() != LEN {
            return Scan::General;
        }
        for &b in input {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return Scan::General;
            }
            packed = packed << 4 | u64::from(d);
        }
        return Scan::Digits(packed);
    }
    for &b in input {
        let d = b.wrapping_sub(b'0');
        if d <= 9 {
            // Digits past the 11th shift out: the count decides (a `Length` error).
            packed = packed << 4 | u64::from(d);
            n += 1;
        } else if !is_ascii_separator(b) {
            if b >= 0x80 {
                return Scan::General;
            }
            let expected = if n < LEN {
                Expected::Digit
            } else {
                Expected::Allowed
            };
            return Scan::Error(IdError::at(Code::Character, pos32(n), expected));
        }
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
    Scan::Digits(packed)
}

/// Digit `k` (0 = the first of eleven) of a packed CPF.
const fn nibble(p: u64, k: u32) -> u32 {
    (p >> (4 * (10 - k)) & 15) as u32
}

/// Whether all eleven packed digits are equal.
const fn is_repeated(p: u64) -> bool {
    p == (p & 15) * 0x111_1111_1111
}

/// The two check digits (values 0–9) of a packed CPF's first nine digits.
const fn packed_check_digits(p: u64) -> [u32; 2] {
    // The first nine digits, last first (constant shifts): weights 2 to 10.
    let mut q = p >> 8;
    let (mut s1, mut sum, mut weight) = (0, 0, 2);
    while weight <= 10 {
        let d = (q & 15) as u32;
        s1 += d * weight;
        sum += d;
        q >>= 4;
        weight += 1;
    }
    let d10 = dv(s1) as u32;
    // Weights 11..3 are weights 10..2 plus one: s2 = s1 + the digit sum + 2 × d10.
    [d10, dv(s1 + sum + 2 * d10) as u32]
}

/// The verdict for the commonest input, exactly eleven ASCII digits (valid in both modes when
/// its check digits match and it is not a repeated number); `None` for anything else. The
/// same rule as [`scan`] + [`packed_check_digits`], without packing: a third of the time.
#[inline]
fn plain_digits(input: &[u8]) -> Option<bool> {
    let b: &[u8; LEN] = input.try_into().ok()?;
    let digit = |c: u8| {
        let v = u32::from(c.wrapping_sub(b'0'));
        (v <= 9).then_some(v)
    };
    let (mut s1, mut sum, mut weight) = (0, 0, 10);
    for &c in &b[..9] {
        let v = digit(c)?;
        s1 += weight * v;
        sum += v;
        weight -= 1;
    }
    let (d9, d10) = (digit(b[9])?, digit(b[10])?);
    let c1 = u32::from(dv(s1));
    let repeated = b.iter().all(|&c| c == b[0]);
    Some(!repeated && c1 == d9 && u32::from(dv(s1 + sum + 2 * c1)) == d10)
}

/// Whether `input` is a valid CPF (no allocation, no error details).
pub fn is_valid(input: &str, opts: &Options) -> bool {
    is_valid_bytes(input.as_bytes(), opts)
}

/// [`is_valid`] on the UTF-8 bytes of the input (bytes that are not UTF-8 are invalid).
pub(crate) fn is_valid_bytes(input: &[u8], opts: &Options) -> bool {
    if let Some(valid) = plain_digits(input) {
        return valid;
    }
    match scan(input, opts.strict) {
        Scan::Digits(p) => {
            !is_repeated(p) && packed_check_digits(p) == [nibble(p, 9), nibble(p, 10)]
        }
        Scan::Error(_) => false,
        Scan::General => super::utf8(input).is_some_and(|s| validate_general(s, opts).is_ok()),
    }
}

/// As-you-type check. `Ok(complete)` when the normalised prefix can still become a valid
/// CPF (`complete`: it already is one, and [`validate`] succeeds); otherwise the error of
/// the first character that makes completion impossible:
///
/// * a character that is not allowed where it stands → `Character` (as in [`validate`]);
/// * a 12th digit → `Length` with `position: Some(its index)` and `found_len` the total
///   number of digits;
/// * a wrong 10th or 11th digit → `CheckDigit` at that digit;
/// * an 11th digit making all eleven equal → `Repeated` (position `None`).
///
/// An empty prefix is `Ok(false)`.
pub fn check_prefix(input: &str, opts: &Options) -> Result<bool, IdError> {
    let mask = opts.strict && is_mask(input);
    let mut buf = [0u8; LEN];
    let mut digits: usize = 0;
    let mut chars = compact(input, opts.strict).enumerate();
    while let Some((n, c)) = chars.next() {
        match check_char(c, n, mask) {
            Ok(Some(d)) => {
                let Some(slot) = buf.get_mut(digits) else {
                    let rest = chars.filter(|(_, c)| c.is_ascii_digit()).count();
                    return Err(IdError {
                        code: Code::Length,
                        position: Some(pos32(n)),
                        expected: Expected::Nothing,
                        found_len: pos32(digits.saturating_add(1).saturating_add(rest)),
                    });
                };
                *slot = d;
                digits += 1;
                let dv = || dvs_of(&buf);
                if (digits == 10 && buf[9] != dv()[0]) || (digits == LEN && buf[10] != dv()[1]) {
                    return Err(IdError::at(Code::CheckDigit, pos32(n), Expected::Nothing));
                }
                if digits == LEN && is_repeated_bytes(&buf) {
                    return Err(IdError::whole(Code::Repeated));
                }
            }
            Ok(None) => {}
            Err(expected) => return Err(IdError::at(Code::Character, pos32(n), expected)),
        }
    }
    Ok(digits == LEN)
}

fn is_repeated_bytes(buf: &[u8; LEN]) -> bool {
    let first = buf[0];
    let mut same = true;
    for &d in buf {
        same &= d == first;
    }
    same
}

fn dvs_of(buf: &[u8; LEN]) -> [u8; 2] {
    buf.first_chunk::<9>().map_or([0, 0], check_digits)
}

/// Maps a mod-11 remainder to a check digit: 0 or 1 → 0, otherwise 11 − r.
const fn dv(sum: u32) -> u8 {
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        (11 - r) as u8
    }
}

/// The two check digits (ASCII) of a 9-digit body (ASCII digits; other bytes give a
/// meaningless result, never a panic).
///
/// d10 from weights 10..2 over the body, d11 from weights 11..3 over the body and 2 × d10;
/// each is 0 when the remainder mod 11 is below 2, else 11 − remainder.
pub fn check_digits(body: &[u8; 9]) -> [u8; 2] {
    // The packed form (two empty nibbles for the check digits) shares the one implementation.
    let mut p: u64 = 0;
    for &b in body {
        p = p << 4 | u64::from(b.wrapping_sub(b'0') & 15);
    }
    packed_check_digits(p << 8).map(|d| b'0' + d as u8)
}

/// A deterministic valid CPF from a seed (for tests and demos). Never one of the ten
/// repeated-digit numbers; all ten fiscal regions occur.
pub fn generate(seed: u64) -> Cpf {
    let mut rng = SplitMix::new(seed ^ 0xC0FF_EE00_5EED_0001);
    let mut body = [b'0'; 9];
    for slot in body.iter_mut() {
        *slot = rng.pick(b"0123456789");
    }
    if body.iter().all(|&d| d == body[0]) {
        body[8] = if body[8] == b'9' { b'0' } else { body[8] + 1 };
    }
    let dv = check_digits(&body);
    let mut out = [0u8; LEN];
    out[..9].copy_from_slice(&body);
    out[9] = dv[0];
    out[10] = dv[1];
    Cpf(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path_matches_compact() {
        for b in 0u8..128 {
            assert_eq!(is_ascii_separator(b), is_separator(char::from(b)), "{b}");
        }
    }

    #[test]
    fn formatted_matches_mask() {
        let c = generate(3);
        let mut out = *MASK;
        let mut digits = c.0.iter();
        for slot in out.iter_mut().filter(|b| **b == b'd') {
            *slot = *digits.next().unwrap();
        }
        assert_eq!(c.formatted(), out);
    }

    #[test]
    fn fast_paths_match_general_path() {
        let mut rng = SplitMix::new(11);
        let noise = b"0123456789 .-/a\t\xc3";
        for seed in 0..20_000u64 {
            let c = generate(seed);
            let mut b = if rng.below(2) == 0 {
                c.as_bytes().to_vec()
            } else {
                c.formatted().to_vec()
            };
            if rng.below(7) == 0 {
                b = std::vec![rng.pick(b"0123456789"); 11];
            }
            for _ in 0..rng.below(3) {
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
            let s = std::string::String::from_utf8_lossy(&b).into_owned();
            for strict in [false, true] {
                let opts = Options {
                    strict,
                    today: None,
                };
                let general = validate_general(&s, &opts);
                assert_eq!(validate(&s, &opts), general, "{s:?} {strict}");
                assert_eq!(is_valid(&s, &opts), general.is_ok(), "{s:?} {strict}");
            }
        }
    }
}
