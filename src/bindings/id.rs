//! Identifier fast path for JS.
//!
//! JS writes the input's UTF-16 code units into a shared buffer in linear memory and calls a
//! function that returns one packed `u32`; the result's components are written to a small
//! shared output area. No allocation, no string marshalling and no JS object creation happens
//! on the wasm side of the hot path. The JS facade (`src/bindings/js/api.js`) turns that into
//! the documented result objects. All rules live in [`crate::id`]; this file only moves bytes.
//!
//! Packed result (`u32`):
//! bit 0 valid · bits 1–4 [`Code`] · bits 5–8 [`Expected`] · bits 9–29 position + 1 (or the
//! found length for `length` errors; 0 = none) · bit 30 the normalised value equals the input ·
//! bit 31 the value did not fit in the output buffer (fetch it with `el_long_value`). For a
//! valid CPF from `__el_cpf`, bit 1 says the input is the formatted form `000.000.000-00`.

use alloc::string::String;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::belvo::institution::{self, Username};
use crate::id::{cpf, curp, Code, Date, Expected, IdError, Kind, Locale, Options};

/// Flag in a `len` argument: the input is ASCII and sits in `input8` (bit 30, so that the JS
/// side passes a small integer).
const ASCII: u32 = 1 << 30;
/// Capacity of the input buffer, in UTF-16 code units. Longer inputs use the `_str` fallbacks.
const IN_CAP: usize = 256;
/// Capacity of the value output buffer, in UTF-16 code units.
const OUT_CAP: usize = 256;
/// Capacity of the batch buffer, in UTF-16 code units.
const BATCH_CAP: usize = 16 * 1024;
/// Capacity of the batch result buffer (one byte per item).
const BATCH_ITEMS: usize = 1024;
/// Capacity of the UTF-8 batch buffer: the UTF-8 of `BATCH_CAP` UTF-16 units always fits.
const BATCH8_CAP: usize = BATCH_CAP * 3;
/// Flag in the `kind` argument of [`batch`]: the items are ASCII bytes in `batch8`.
const BATCH_ASCII: u32 = 2;
/// With [`BATCH_ASCII`]: the items in `batch8` are UTF-8 (their lengths still in UTF-16 units).
const BATCH_UTF8: u32 = 4;

struct Io {
    input: [u16; IN_CAP],
    out: [u16; OUT_CAP],
    /// Components of a valid result: CURP year, month, day, sex char, state index;
    /// CPF region; then the formatted CPF (14 units) from index 8.
    meta: [u16; 32],
    batch: [u16; BATCH_CAP],
    batch_lens: [u16; BATCH_ITEMS],
    batch_out: [u8; BATCH_ITEMS],
    long_value: String,
}

thread_local! {
    /// ASCII input (the common case): one byte per character, written by the facade.
    static INPUT8: RefCell<[u8; IN_CAP]> = const { RefCell::new([0; IN_CAP]) };
    /// ASCII batch items (one byte per character), written by the facade.
    static BATCH8: RefCell<[u8; BATCH8_CAP]> = const { RefCell::new([0; BATCH8_CAP]) };
    /// Scratch UTF-8 copy of the input (kept apart from `IO` so both can be borrowed).
    static SCRATCH: RefCell<[u8; IN_CAP * 3]> = const { RefCell::new([0; IN_CAP * 3]) };
    static IO: RefCell<Io> = const {
        RefCell::new(Io {
            input: [0; IN_CAP],
            out: [0; OUT_CAP],
            meta: [0; 32],
            batch: [0; BATCH_CAP],
            batch_lens: [0; BATCH_ITEMS],
            batch_out: [0; BATCH_ITEMS],
            long_value: String::new(),
        })
    };
}

/// Addresses of the shared buffers, for the JS facade: `[input (UTF-16), out, meta, batch,
/// batch_lens, batch_out, capacities ×4, input8 (ASCII), batch8 (UTF-8), its capacity in bytes]`
/// (byte offsets into linear memory).
///
/// The `len` argument of the buffered functions says which input buffer holds the input:
/// `len | ASCII` for `input8`, plain `len` for the UTF-16 `input`.
#[wasm_bindgen(js_name = "__el_buffers")]
pub fn el_buffers() -> Vec<u32> {
    IO.with(|io| {
        let io = io.borrow();
        alloc::vec![
            io.input.as_ptr() as u32,
            io.out.as_ptr() as u32,
            io.meta.as_ptr() as u32,
            io.batch.as_ptr() as u32,
            io.batch_lens.as_ptr() as u32,
            io.batch_out.as_ptr() as u32,
            IN_CAP as u32,
            OUT_CAP as u32,
            BATCH_CAP as u32,
            BATCH_ITEMS as u32,
            INPUT8.with(|b| b.borrow().as_ptr() as u32),
            BATCH8.with(|b| b.borrow().as_ptr() as u32),
            BATCH8_CAP as u32,
        ]
    })
}

/// Decodes UTF-16 units into UTF-8 in `buf`; lone surrogates become U+FFFD (still an error).
fn utf16_to_str<'a>(units: &[u16], buf: &'a mut [u8]) -> &'a str {
    let mut n = 0;
    for ch in char::decode_utf16(units.iter().copied()) {
        let ch = ch.unwrap_or(char::REPLACEMENT_CHARACTER);
        let need = ch.len_utf8();
        let Some(dst) = buf.get_mut(n..n + need) else {
            break;
        };
        ch.encode_utf8(dst);
        n += need;
    }
    match buf.get(..n).map(core::str::from_utf8) {
        Some(Ok(s)) => s,
        _ => "",
    }
}

/// Runs `f` on the input the facade wrote: ASCII bytes straight from `input8`, or UTF-16 units
/// decoded into the scratch buffer.
fn with_input<R>(len: u32, f: impl FnOnce(&mut Io, &str) -> R) -> R {
    IO.with(|io| {
        let mut io = io.borrow_mut();
        let io = &mut *io;
        if len & ASCII != 0 {
            let n = ((len & !ASCII) as usize).min(IN_CAP);
            return INPUT8.with(|bytes| {
                let bytes = bytes.borrow();
                let s = match bytes.get(..n).map(core::str::from_utf8) {
                    Some(Ok(s)) => s,
                    _ => "",
                };
                f(io, s)
            });
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let n = (len as usize).min(IN_CAP);
            let n = utf16_to_str(io.input.get(..n).unwrap_or(&[]), &mut scratch[..]).len();
            let s = match scratch.get(..n).map(core::str::from_utf8) {
                Some(Ok(s)) => s,
                _ => "",
            };
            f(io, s)
        })
    })
}

/// Runs `f` on the input's UTF-8 bytes: ASCII straight from `input8` (no copy, no check),
/// otherwise the decoded UTF-16 input.
fn with_bytes<R>(len: u32, f: impl FnOnce(&[u8]) -> R) -> R {
    if len & ASCII != 0 {
        let n = ((len & !ASCII) as usize).min(IN_CAP);
        return INPUT8.with(|bytes| f(bytes.borrow().get(..n).unwrap_or(&[])));
    }
    with_input(len, |_, s| f(s.as_bytes()))
}

/// A CURP boolean for the fast paths: 1 valid, 2 valid except that the birth date is after
/// `today` (the facade may retry with a fresher date), 0 invalid.
fn curp_verdict(bytes: &[u8], today: Option<Date>) -> u32 {
    match curp::valid_ignoring_today(bytes, false) {
        Some(d) if today.is_none_or(|t| d <= t) => 1,
        Some(_) => 2,
        None => 0,
    }
}

fn options(flags: u32, today: u32) -> Options {
    Options {
        strict: flags & 1 != 0,
        today: unpack_date(today),
    }
}

fn unpack_date(v: u32) -> Option<Date> {
    if v == 0 {
        return None;
    }
    Date::new(
        (v / 10_000) as u16,
        ((v / 100) % 100) as u8,
        (v % 100) as u8,
    )
}

fn pack_error(e: &IdError) -> u32 {
    let pos = if e.code == Code::Length {
        e.found_len.saturating_add(1)
    } else {
        e.position.map_or(0, |p| p.saturating_add(1))
    };
    ((e.code as u32) << 1) | ((e.expected as u32) << 5) | (pos.min((1 << 21) - 1) << 9)
}

/// Writes a valid (ASCII) value to the output buffer; returns the flag bits (30).
fn write_ascii_value(io: &mut Io, input: &str, value: &[u8]) -> u32 {
    if value == input.as_bytes() {
        return 1 << 30;
    }
    for (slot, &b) in io.out.iter_mut().zip(value) {
        *slot = u16::from(b);
    }
    io.meta[31] = value.len() as u16;
    0
}

/// [`write_value`] of an identifier's `compact(input, strict)`, with fast paths: strict input is
/// its own value, and ASCII input is normalised byte by byte with `normalise` (the core's
/// lenient rule for one ASCII byte).
fn write_compact<I>(
    io: &mut Io,
    input: &str,
    strict: bool,
    normalise: fn(u8) -> Option<u8>,
    value: I,
) -> u32
where
    I: Iterator<Item = char> + Clone,
{
    if strict {
        return 1 << 30;
    }
    if !input.is_ascii() || input.len() > OUT_CAP {
        return write_value(io, input, value);
    }
    let mut n = 0;
    let mut same = true;
    for &b in input.as_bytes() {
        match normalise(b) {
            Some(c) => {
                same &= c == b;
                if let Some(slot) = io.out.get_mut(n) {
                    *slot = u16::from(c);
                }
                n += 1;
            }
            None => same = false,
        }
    }
    if same {
        return 1 << 30;
    }
    io.meta[31] = n as u16;
    0
}

/// Writes the normalised value to the output buffer; returns the flag bits (30/31).
fn write_value(io: &mut Io, input: &str, value: impl Iterator<Item = char> + Clone) -> u32 {
    if value.clone().eq(input.chars()) {
        return 1 << 30;
    }
    let mut n = 0;
    let mut units = [0u16; 2];
    for ch in value.clone() {
        for u in ch.encode_utf16(&mut units).iter() {
            match io.out.get_mut(n) {
                Some(slot) => *slot = *u,
                None => {
                    io.long_value = value.collect();
                    return 1 << 31;
                }
            }
            n += 1;
        }
    }
    io.meta[31] = n as u16;
    0
}

/// Which function to run on an input.
#[derive(Clone, Copy)]
enum Op {
    Curp,
    Cpf,
    CurpPrefix,
    CpfPrefix,
    Username(&'static institution::Institution),
}

fn run(io: &mut Io, op: Op, s: &str, opts: &Options) -> u32 {
    match op {
        Op::Curp => match curp::validate(s, opts) {
            Ok(c) => {
                curp_meta(io, &c);
                1 | write_ascii_value(io, s, c.as_bytes())
            }
            Err(e) => {
                let value = curp::compact(s, opts.strict);
                pack_error(&e) | write_compact(io, s, opts.strict, curp::normalise_ascii, value)
            }
        },
        Op::Cpf => match cpf::validate(s, opts) {
            Ok(c) => {
                cpf_meta(io, &c);
                // Bit 1 of a valid CPF result: the input is already the formatted form.
                let formatted = (c.formatted()[..] == *s.as_bytes()) as u32;
                1 | (formatted << 1) | write_ascii_value(io, s, c.as_bytes())
            }
            Err(e) => {
                let value = cpf::compact(s, opts.strict);
                pack_error(&e) | write_compact(io, s, opts.strict, cpf::normalise_ascii, value)
            }
        },
        Op::CurpPrefix => match curp::check_prefix(s, opts) {
            Ok(complete) => 1 | ((complete as u32) << 9),
            Err(e) => pack_error(&e),
        },
        Op::CpfPrefix => match cpf::check_prefix(s, opts) {
            Ok(complete) => 1 | ((complete as u32) << 9),
            Err(e) => pack_error(&e),
        },
        Op::Username(inst) => {
            io.meta[5] = match inst.username {
                institution::UsernameRule::Curp => 0,
                institution::UsernameRule::Cpf => 1,
                institution::UsernameRule::SandboxCurp => 2,
            };
            username_of(io, inst, s, opts)
        }
    }
}

fn username_of(
    io: &mut Io,
    inst: &'static institution::Institution,
    s: &str,
    opts: &Options,
) -> u32 {
    match institution::validate_username(inst.name, s, opts) {
        Ok(u) => {
            let flags = match &u {
                Username::Curp(c) => {
                    curp_meta(io, c);
                    1
                }
                Username::Cpf(c) => {
                    cpf_meta(io, c);
                    1
                }
                Username::Sandbox(_) => 1,
            };
            flags | write_value(io, s, u.as_str().chars())
        }
        Err(e) => {
            let value = match inst.username {
                institution::UsernameRule::Cpf => write_value(io, s, cpf::compact(s, opts.strict)),
                _ => write_value(io, s, curp::compact(s, opts.strict)),
            };
            pack_error(&e) | value
        }
    }
}

/// The components of a valid CURP: year, month, day, sex char, state index; the birth date as
/// `YYYY-MM-DD` from index 8.
fn curp_meta(io: &mut Io, c: &curp::Curp) {
    let d = c.birth_date();
    io.meta[0] = d.year;
    io.meta[1] = d.month as u16;
    io.meta[2] = d.day as u16;
    io.meta[3] = c.sex().as_char() as u16;
    io.meta[4] = state_index(c);
    for (slot, &b) in io.meta[8..18].iter_mut().zip(d.to_iso().iter()) {
        *slot = u16::from(b);
    }
}

/// The components of a valid CPF: region; the formatted CPF from index 8.
fn cpf_meta(io: &mut Io, c: &cpf::Cpf) {
    io.meta[0] = c.region() as u16;
    for (slot, &b) in io.meta[8..22].iter_mut().zip(c.formatted().iter()) {
        *slot = u16::from(b);
    }
}

fn state_index(c: &curp::Curp) -> u16 {
    let b = c.as_bytes();
    let code = [b[11], b[12]];
    curp::STATES
        .iter()
        .position(|(s, _)| s.as_bytes() == code)
        .map_or(0, |i| i as u16)
}

fn run_buffered(op: Op, len: u32, flags: u32, today: u32) -> u32 {
    with_input(len, |io, s| run(io, op, s, &options(flags, today)))
}

fn run_str(op: Op, s: &str, flags: u32, today: u32) -> u32 {
    IO.with(|io| run(&mut io.borrow_mut(), op, s, &options(flags, today)))
}

/// Fast boolean CURP check of the input buffer: 1 valid, 0 invalid, 2 valid except that the
/// birth date is after `today` (the facade retries with a fresh date only then).
#[wasm_bindgen(js_name = "__el_curp_is_valid")]
pub fn curp_is_valid(len: u32, today: u32) -> u32 {
    with_bytes(len, |b| curp_verdict(b, unpack_date(today)))
}

/// Fast boolean CPF check of the input buffer.
#[wasm_bindgen(js_name = "__el_cpf_is_valid")]
pub fn cpf_is_valid(len: u32) -> bool {
    with_bytes(len, |b| cpf::is_valid_bytes(b, &Options::default()))
}

/// Batch boolean check: `count` inputs laid out back to back in the batch buffer, their lengths
/// (in UTF-16 units) in `batch_lens`; writes 1/0 per item to `batch_out`. `kind` bit 0: 0 = CURP,
/// 1 = CPF; bit 1 ([`BATCH_ASCII`]): the items are ASCII bytes in `batch8` instead of UTF-16
/// units in `batch`; bit 2 ([`BATCH_UTF8`]): those bytes are UTF-8 (as `TextEncoder` writes
/// them). Returns 1 when UTF-8 items cannot be split by their lengths (a surrogate pair formed
/// across two items): the facade then resends them as UTF-16.
#[wasm_bindgen(js_name = "__el_batch")]
pub fn batch(kind: u32, count: u32, today: u32) -> u32 {
    let cpf_kind = kind & 1 == 1;
    let today = unpack_date(today);
    let check = |bytes: &[u8]| {
        if cpf_kind {
            cpf::is_valid_bytes(bytes, &Options::default())
        } else {
            curp_verdict(bytes, today) == 1
        }
    };
    IO.with(|io| {
        let mut io = io.borrow_mut();
        let io = &mut *io;
        let count = (count as usize).min(BATCH_ITEMS);
        if kind & BATCH_ASCII != 0 {
            let utf8 = kind & BATCH_UTF8 != 0;
            return BATCH8.with(|bytes| {
                let bytes = &bytes.borrow()[..];
                let mut at = 0usize;
                for (len, out) in io
                    .batch_lens
                    .iter()
                    .zip(io.batch_out.iter_mut())
                    .take(count)
                {
                    let len = usize::from(*len);
                    let end = if utf8 {
                        // On failure the facade resends the whole batch: partial results
                        // written so far are overwritten.
                        match utf8_end(bytes, at, len) {
                            Some(end) => end,
                            None => return 1,
                        }
                    } else {
                        at + len
                    };
                    *out = check(bytes.get(at..end).unwrap_or(&[])) as u8;
                    at = end;
                }
                0
            });
        }
        let mut at = 0usize;
        let mut utf8 = [0u8; 64 * 3];
        for i in 0..count {
            let len = io.batch_lens.get(i).copied().unwrap_or(0) as usize;
            let units = io.batch.get(at..at + len).unwrap_or(&[]);
            at += len;
            let ok = if len > 64 {
                // Long items (whitespace-padded): decode on the heap, still no trap.
                let s: String = char::decode_utf16(units.iter().copied())
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect();
                check(s.as_bytes())
            } else {
                check(utf16_to_str(units, &mut utf8).as_bytes())
            };
            if let Some(slot) = io.batch_out.get_mut(i) {
                *slot = ok as u8;
            }
        }
        0
    })
}

/// The end of the item that starts at byte `at` of the UTF-8 `bytes` and is `units` UTF-16
/// units long; `None` when a character straddles its end (or the bytes run out).
fn utf8_end(bytes: &[u8], mut at: usize, units: usize) -> Option<usize> {
    let mut left = units;
    while left > 0 {
        let b = *bytes.get(at)?;
        if b < 0x80 {
            at += 1;
            left -= 1;
            continue;
        }
        let (n, u) = match b {
            0xC0..=0xDF => (2, 1),
            0xE0..=0xEF => (3, 1),
            0xF0..=0xF7 => (4, 2),
            _ => return None,
        };
        left = left.checked_sub(u)?;
        at += n;
    }
    Some(at)
}

/// Rich CURP validation of the input buffer (see the module doc for the packed result).
#[wasm_bindgen(js_name = "__el_curp")]
pub fn curp_validate(len: u32, flags: u32, today: u32) -> u32 {
    run_buffered(Op::Curp, len, flags, today)
}

/// Rich CPF validation of the input buffer.
#[wasm_bindgen(js_name = "__el_cpf")]
pub fn cpf_validate(len: u32, flags: u32, today: u32) -> u32 {
    run_buffered(Op::Cpf, len, flags, today)
}

/// As-you-type CURP check of the input buffer; bit 9 = complete when valid.
#[wasm_bindgen(js_name = "__el_curp_prefix")]
pub fn curp_prefix(len: u32, flags: u32, today: u32) -> u32 {
    run_buffered(Op::CurpPrefix, len, flags, today)
}

/// As-you-type CPF check of the input buffer.
#[wasm_bindgen(js_name = "__el_cpf_prefix")]
pub fn cpf_prefix(len: u32, flags: u32, today: u32) -> u32 {
    run_buffered(Op::CpfPrefix, len, flags, today)
}

/// Same as the buffered functions, for inputs longer than the input buffer.
/// `op`: 0 CURP, 1 CPF, 2 CURP prefix, 3 CPF prefix.
#[wasm_bindgen(js_name = "__el_str")]
pub fn validate_str(op: u32, s: &str, flags: u32, today: u32) -> u32 {
    let op = match op {
        0 => Op::Curp,
        1 => Op::Cpf,
        2 => Op::CurpPrefix,
        _ => Op::CpfPrefix,
    };
    run_str(op, s, flags, today)
}

/// Username validation for a Belvo institution. Returns the packed result; an unknown
/// institution gives code `institution`. Long inputs are passed in `s` (else `s` is empty and
/// the input buffer holds `len` units). The identifier kind (0 CURP, 1 CPF, 2 sandbox) is
/// written to `meta[5]`.
#[wasm_bindgen(js_name = "__el_username")]
pub fn username(institution: &str, s: &str, len: u32, flags: u32, today: u32) -> u32 {
    let Some(inst) = institution::find(institution) else {
        IO.with(|io| io.borrow_mut().meta[5] = 0);
        return pack_error(&IdError::whole(Code::Institution));
    };
    if s.is_empty() && len > 0 {
        run_buffered(Op::Username(inst), len, flags, today)
    } else {
        run_str(Op::Username(inst), s, flags, today)
    }
}

/// The normalised value of the last call when it did not fit in the output buffer.
#[wasm_bindgen(js_name = "__el_long_value")]
pub fn long_value() -> String {
    IO.with(|io| core::mem::take(&mut io.borrow_mut().long_value))
}

/// The localised message for a packed error. `kind` 0 = CURP, 1 = CPF; `locale` 0 es, 1 pt, 2 en.
#[wasm_bindgen(js_name = "__el_message")]
pub fn message(kind: u32, packed: u32, locale: u32) -> String {
    let code = Code::from_u8(((packed >> 1) & 0xF) as u8).unwrap_or(Code::Type);
    let expected = Expected::from_u8(((packed >> 5) & 0xF) as u8).unwrap_or(Expected::Nothing);
    let n = (packed >> 9) & ((1 << 21) - 1);
    let err = if code == Code::Length {
        IdError {
            code,
            position: None,
            expected,
            found_len: n.saturating_sub(1),
        }
    } else {
        IdError {
            code,
            position: n.checked_sub(1),
            expected,
            found_len: 0,
        }
    };
    let kind = if kind == 1 { Kind::Cpf } else { Kind::Curp };
    let locale = match locale {
        1 => Locale::Pt,
        2 => Locale::En,
        _ => Locale::Es,
    };
    crate::id::message(kind, &err, locale)
}

/// `YYYY-MM-DD` → packed `YYYYMMDD`, 0 when not a real date.
#[wasm_bindgen(js_name = "__el_parse_date")]
pub fn parse_date(s: &str) -> u32 {
    Date::parse(s).map_or(0, |d| {
        d.year as u32 * 10_000 + d.month as u32 * 100 + d.day as u32
    })
}

/// The CURP state table as `CODE=Name` lines, and the CPF fiscal regions as `N=UF,UF` lines
/// (read once by the facade).
#[wasm_bindgen(js_name = "__el_tables")]
pub fn tables() -> String {
    let mut s = String::new();
    for (code, name) in curp::STATES {
        s.push_str(code);
        s.push('=');
        s.push_str(name);
        s.push('\n');
    }
    s.push('|');
    for region in 1..=10u8 {
        let states = cpf::region_states_of(region);
        s.push_str(&states.join(","));
        s.push('\n');
    }
    s
}
