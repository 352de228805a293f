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

/// Defines [`REGIONS`], [`REGION_TEXT`] and [`TS_UF`] from one list.
macro_rules! regions {
    ($([$($uf:literal),*],)*) => {
        /// States of each fiscal region; index `region - 1` (region 10 is the 9th digit `0`).
        pub const REGIONS: [&[&str]; 10] = [$(&[$($uf),*]),*];
        /// [`REGIONS`] as text, a line per region, each UF after a comma (`,DF,GO,…`): what
        /// the JS facade reads.
        pub const REGION_TEXT: &str = concat!($($(",", $uf,)* "\n",)*);
        /// TypeScript declaration of the states (`Uf`: every UF of every region), emitted into
        /// the bindings' `.d.ts`.
        pub const TS_UF: &str = concat!(
            "/** Brazilian state (UF). */\nexport type Uf =",
            $($(" | \"", $uf, "\"",)*)*
            ";"
        );
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
    // Filled in place, as in the CURP scan (no move of a byte-wise written array).
    let mut digits = [0u8; LEN];
    match scan(input.as_bytes(), opts.strict, &mut digits) {
        Scan::Digits => finish(digits, false),
        Scan::Error(e) => Err(e),
        Scan::General => validate_general(input, opts),
    }
}

/// `Repeated`, then `CheckDigit`, on eleven ASCII digits.
fn finish(digits: [u8; LEN], mask: bool) -> Result<Cpf, IdError> {
    let wrong = match judge(&digits) {
        Some(Verdict::Valid) => return Ok(Cpf(digits)),
        Some(Verdict::WrongCheckDigit(k)) => k,
        Some(Verdict::Repeated) => return Err(IdError::whole(Code::Repeated)),
        // Unreachable: the callers pass digits only.
        None => return Err(IdError::whole(Code::Length)),
    };
    Err(IdError::at(
        Code::CheckDigit,
        digit_position(wrong, mask),
        Expected::Nothing,
    ))
}

/// The char-level path of [`validate`] (non-ASCII input, the strict mask).
fn validate_general(input: &str, opts: &Options) -> Result<Cpf, IdError> {
    let mask = opts.strict && is_mask(input);
    let mut buf = [0u8; LEN];
    let mut digits: usize = 0;
    let mut n: usize = 0;
    for_each_normalised(input, opts.strict, |c| {
        match check_char(c, n, mask) {
            Ok(Some(d)) => {
                if let Some(slot) = buf.get_mut(digits) {
                    *slot = d;
                }
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
    finish(buf, mask)
}

/// The outcome of the byte-level first stage of [`validate`].
enum Scan {
    /// Exactly eleven digits, in the caller's buffer; nothing else but removed separators.
    Digits,
    /// The precise `Empty` / `Character` / `Length` error.
    Error(IdError),
    /// Non-ASCII input or the strict mask: the char-level path decides.
    General,
}

/// One pass over ASCII input: lenient removes separators and needs digits only; strict
/// handles plain `\d{11}` here (the mask and everything else go the general way).
fn scan(input: &[u8], strict: bool, digits: &mut [u8; LEN]) -> Scan {
    if strict {
        return match <&[u8; LEN]>::try_from(input) {
            Ok(b) if b.iter().all(u8::is_ascii_digit) => {
                *digits = *b;
                Scan::Digits
            }
            _ => Scan::General,
        };
    }
    let mut n: usize = 0;
    for &b in input {
        if b.is_ascii_digit() {
            // Digits past the 11th are only counted: the count decides (a `Length` error).
            if let Some(slot) = digits.get_mut(n) {
                *slot = b;
            }
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
    Scan::Digits
}

/// What the rules say about eleven ASCII digits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A valid CPF.
    Valid,
    /// All eleven digits are equal.
    Repeated,
    /// The check digit at this index (9 or 10) is wrong (the first wrong one).
    WrongCheckDigit(u32),
}

/// The rules on eleven characters, in precedence order: `Repeated`, then the check digits.
/// `None` unless all eleven are ASCII digits. The one place validation applies them.
#[inline(always)]
fn judge(b: &[u8; LEN]) -> Option<Verdict> {
    let [c10, c11] = check_values(b.first_chunk()?)?;
    let (d10, d11) = (digit(b[9])?, digit(b[10])?);
    Some(if is_repeated(b) {
        Verdict::Repeated
    } else if d10 != c10 {
        Verdict::WrongCheckDigit(9)
    } else if d11 != c11 {
        Verdict::WrongCheckDigit(10)
    } else {
        Verdict::Valid
    })
}

/// The repeated-digit rule: whether all eleven characters are equal.
fn is_repeated(b: &[u8; LEN]) -> bool {
    b.iter().all(|&c| c == b[0])
}

/// The check-digit rule, written once ([`check_digits`] says it): the two check digits
/// (values 0–9) of nine ASCII digits; `None` for any other byte. The digit test rides along
/// in the one pass, so the commonest input is read once.
#[inline(always)]
fn check_values(body: &[u8; 9]) -> Option<[u32; 2]> {
    let (mut s1, mut sum, mut weight) = (0, 0, 10);
    for &c in body {
        let v = digit(c)?;
        s1 += weight * v;
        sum += v;
        weight -= 1;
    }
    let d10 = u32::from(dv(s1));
    // Weights 11..3 are weights 10..2 plus one: s2 = s1 + the digit sum + 2 × d10.
    Some([d10, u32::from(dv(s1 + sum + 2 * d10))])
}

/// The value of an ASCII digit.
#[inline(always)]
fn digit(c: u8) -> Option<u32> {
    let v = c.wrapping_sub(b'0');
    (v <= 9).then_some(u32::from(v))
}

/// Whether `input` is a valid CPF (no allocation, no error details).
pub fn is_valid(input: &str, opts: &Options) -> bool {
    is_valid_bytes(input.as_bytes(), opts)
}

/// [`is_valid`] on the UTF-8 bytes of the input (bytes that are not UTF-8 are invalid).
pub(crate) fn is_valid_bytes(input: &[u8], opts: &Options) -> bool {
    // The commonest input, eleven ASCII digits, is valid or not in both modes as it stands.
    if let Some(verdict) = <&[u8; LEN]>::try_from(input).ok().and_then(judge) {
        return verdict == Verdict::Valid;
    }
    let mut digits = [0u8; LEN];
    match scan(input, opts.strict, &mut digits) {
        Scan::Digits => judge(&digits) == Some(Verdict::Valid),
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
                // The 10th digit is decidable alone; the 11th with every rule.
                let wrong = match digits {
                    10 => {
                        buf.first_chunk().and_then(check_values).map(|[c10, _]| c10)
                            != digit(buf[9])
                    }
                    LEN => match judge(&buf) {
                        Some(Verdict::Repeated) => return Err(IdError::whole(Code::Repeated)),
                        verdict => verdict != Some(Verdict::Valid),
                    },
                    _ => false,
                };
                if wrong {
                    return Err(IdError::at(Code::CheckDigit, pos32(n), Expected::Nothing));
                }
            }
            Ok(None) => {}
            Err(expected) => return Err(IdError::at(Code::Character, pos32(n), expected)),
        }
    }
    Ok(digits == LEN)
}

/// The Receita Federal's mod-11 check digit of a weighted sum: 0 when the remainder is 0 or
/// 1, otherwise 11 − remainder (the CPF's, and the CNPJ's the emulator writes).
pub(crate) const fn dv(sum: u32) -> u8 {
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        (11 - r) as u8
    }
}

/// The two check digits (ASCII) of a 9-digit body (ASCII digits; any other byte gives the
/// meaningless `00`, never a panic): d10 from weights 10..2 over the body, d11 from
/// weights 11..3 over the body and 2 × d10; each is 0 when the remainder mod 11 is below 2,
/// else 11 − remainder.
pub fn check_digits(body: &[u8; 9]) -> [u8; 2] {
    check_values(body)
        .unwrap_or_default()
        .map(|d| b'0' + d as u8)
}

/// The eleven digits of a body and its check digits.
fn with_check_digits(body: &[u8; 9]) -> [u8; LEN] {
    let dv = check_digits(body);
    let mut out = [0u8; LEN];
    out[..9].copy_from_slice(body);
    out[9] = dv[0];
    out[10] = dv[1];
    out
}

/// A deterministic valid CPF from a seed (for tests and demos). Never one of the ten
/// repeated-digit numbers; all ten fiscal regions occur.
pub fn generate(seed: u64) -> Cpf {
    let mut rng = SplitMix::new(seed ^ 0xC0FF_EE00_5EED_0001);
    let mut body = [b'0'; 9];
    for slot in body.iter_mut() {
        *slot = rng.pick(b"0123456789");
    }
    let mut out = with_check_digits(&body);
    // A repeated body has check digits equal to its digit: change one digit.
    if is_repeated(&out) {
        body[8] = if body[8] == b'9' { b'0' } else { body[8] + 1 };
        out = with_check_digits(&body);
    }
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
