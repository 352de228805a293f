//! Identifier fast path for JS: plain wasm exports (no wasm-bindgen, no allocation).
//!
//! JS writes the input's UTF-8 into a buffer in linear memory (byte by byte when it is ASCII,
//! with `TextEncoder.encodeInto` otherwise) and calls an exported function that returns one
//! packed `u32`; a result's other components are written to small areas of linear memory. No
//! string marshalling, allocation or JS object creation happens on the wasm side. The JS
//! facade (`src/bindings/js/id.js`) builds the documented result objects; it reads the
//! buffers' addresses from [`el_buffers`]. All rules live in [`crate::id`]; this file only
//! moves bytes.
//!
//! Because nothing here allocates, formats or panics, the validator-only build (feature
//! `wasm-id`, the `employment-link/validate` entry) is the identifier core and these exports,
//! with no imports at all. The full build (feature `wasm`) exports the same functions next to
//! its wasm-bindgen ones.
//!
//! Packed result (`u32`):
//! bit 0 valid · bits 1–4 [`Code`] · bits 5–8 [`Expected`] · bits 9–29 position + 1 (or the
//! found length + 1 for `length` errors; 0 = none) · bit 30 the normalised value equals the
//! input (else its UTF-8 is in `out`, its length in bytes in `meta[31]`). For a valid CPF from
//! [`el_cpf`], bit 1 says the input is the formatted form `000.000.000-00`; for a valid prefix,
//! bit 9 says it is complete.

use crate::belvo::institution::{self, UsernameRule};
use crate::id::{cpf, curp, Code, Date, Expected, IdError, Kind, Locale, Options, Sink, SliceSink};

/// Initial capacity of the input and output buffers, in bytes ([`el_grow`] enlarges them).
const CAP: usize = 1024;
/// Capacity of the message buffer (UTF-8 bytes): every message and the tables text fit.
const MSG_CAP: usize = crate::id::MESSAGE_CAP;
/// Capacity of the batch buffer, in bytes.
const BATCH_CAP: usize = 48 * 1024;
/// Capacity of the batch result buffer (one byte per item).
const BATCH_ITEMS: usize = 1024;
/// Bit 30 of a packed result: the normalised value equals the input.
const SAME: u32 = 1 << 30;

/// Everything shared with JS.
struct State {
    inp: [u8; CAP],
    out: [u8; CAP],
    /// A region of linear memory that [`el_grow`] reserved for `inp` and `out`: base address
    /// and capacity of each in bytes (capacity 0 = none; the arrays above are in use).
    big: (usize, usize),
    /// Components of a result: CPF region at 0; CURP sex char at 3, state index at 4;
    /// the institution's identifier kind at 5; the birth date (10 bytes) or the formatted CPF
    /// (14 bytes) from index 8; the value's length at 31.
    meta: [u32; 32],
    msg: [u8; MSG_CAP],
    batch: [u8; BATCH_CAP],
    batch_lens: [u16; BATCH_ITEMS],
    batch_out: [u8; BATCH_ITEMS],
    /// What [`el_buffers`] hands to JS.
    table: [u32; 12],
}

shared_state!(State = initial());

const fn initial() -> State {
    State {
        inp: [0; CAP],
        out: [0; CAP],
        big: (0, 0),
        meta: [0; 32],
        msg: [0; MSG_CAP],
        batch: [0; BATCH_CAP],
        batch_lens: [0; BATCH_ITEMS],
        batch_out: [0; BATCH_ITEMS],
        table: [0; 12],
    }
}

/// The input and output buffers in use, and the result components.
struct Io<'a> {
    inp: &'a mut [u8],
    dst: Dst<'a>,
}

/// Where a result's value and components go.
struct Dst<'a> {
    out: &'a mut [u8],
    meta: &'a mut [u32; 32],
}

impl State {
    fn io(&mut self) -> Io<'_> {
        let (base, cap) = self.big;
        if cap == 0 {
            return Io {
                inp: &mut self.inp,
                dst: Dst {
                    out: &mut self.out,
                    meta: &mut self.meta,
                },
            };
        }
        // SAFETY: `el_grow` reserved `2 * cap` bytes at `base` for these two buffers alone,
        // and nothing else in the program knows the region. The slices live as long as the
        // borrow of the state, which `with_state` holds exclusively: they are the only
        // references to the region.
        unsafe {
            let p = base as *mut u8;
            Io {
                inp: core::slice::from_raw_parts_mut(p, cap),
                dst: Dst {
                    out: core::slice::from_raw_parts_mut(p.add(cap), cap),
                    meta: &mut self.meta,
                },
            }
        }
    }
}

/// Address of the buffer table (12 × u32): `[inp, out, capacity (bytes), meta, msg, msg
/// capacity, batch, batch capacity (bytes), batch_lens, batch_out, batch items, 0]`. Read it
/// again after [`el_grow`].
#[no_mangle]
pub extern "C" fn el_buffers() -> u32 {
    with_state(0, |st| {
        let cap = if st.big.1 == 0 { CAP } else { st.big.1 };
        let io = st.io();
        let (inp, out) = (io.inp.as_ptr() as u32, io.dst.out.as_ptr() as u32);
        st.table = [
            inp,
            out,
            cap as u32,
            st.meta.as_ptr() as u32,
            st.msg.as_ptr() as u32,
            MSG_CAP as u32,
            st.batch.as_ptr() as u32,
            BATCH_CAP as u32,
            st.batch_lens.as_ptr() as u32,
            st.batch_out.as_ptr() as u32,
            BATCH_ITEMS as u32,
            0,
        ];
        st.table.as_ptr() as u32
    })
}

/// Makes the input and output buffers hold at least `bytes` bytes (memory grows; the buffers
/// move: JS reads [`el_buffers`] again). 1 on success, 0 when memory cannot grow that far.
#[no_mangle]
pub extern "C" fn el_grow(bytes: u32) -> u32 {
    with_state(0, |st| {
        let have = if st.big.1 == 0 { CAP } else { st.big.1 };
        let want = bytes as usize;
        if want <= have {
            return 1;
        }
        // Grow geometrically so that a run of ever longer inputs stays cheap.
        let cap = want.max(have.saturating_mul(2));
        match reserve(cap.saturating_mul(2)) {
            Some(base) => {
                st.big = (base, cap);
                1
            }
            None => 0,
        }
    })
}

/// A fresh region of `bytes` bytes of linear memory (page-aligned), never freed.
#[cfg(target_arch = "wasm32")]
fn reserve(bytes: usize) -> Option<usize> {
    const PAGE: usize = 65_536;
    let pages = bytes.checked_add(PAGE - 1)? / PAGE;
    let old = core::arch::wasm32::memory_grow(0, pages);
    if old == usize::MAX {
        return None;
    }
    old.checked_mul(PAGE)
}

/// Off wasm (native builds of the bindings): a leaked heap block.
#[cfg(not(target_arch = "wasm32"))]
fn reserve(bytes: usize) -> Option<usize> {
    let block: &'static mut [u8] = alloc::vec![0u8; bytes].leak();
    Some(block.as_mut_ptr() as usize)
}

/// Runs `f` on the input's bytes (the first `len` of the input buffer).
fn with_bytes(len: u32, f: impl FnOnce(&[u8]) -> u32) -> u32 {
    with_state(0, |st| f(st.io().inp.get(..len as usize).unwrap_or(&[])))
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
    let n = if e.code == Code::Length {
        Some(e.found_len)
    } else {
        e.position
    };
    let n = n.map_or(0, |p| p.saturating_add(1));
    ((e.code as u32) << 1) | ((e.expected as u32) << 5) | (n.min((1 << 21) - 1) << 9)
}

/// Writes the normalised value of `input` (its characters through `norm`; `None` drops one)
/// to the output buffer as UTF-8; returns [`SAME`] when it equals the input.
fn put_value(io: &mut Dst<'_>, input: &str, norm: &dyn Fn(char) -> Option<char>) -> u32 {
    let inp = input.as_bytes();
    let mut n = 0;
    let mut same = true;
    for c in input.chars().filter_map(norm) {
        let mut tmp = [0u8; 4];
        for &b in c.encode_utf8(&mut tmp).as_bytes() {
            same &= inp.get(n) == Some(&b);
            // The value is never longer than the input, so it fits (else it is cut short).
            if let Some(slot) = io.out.get_mut(n) {
                *slot = b;
                n += 1;
            }
        }
    }
    if same && n == inp.len() {
        return SAME;
    }
    io.meta[31] = n as u32;
    0
}

/// The value of a valid identifier: its canonical ASCII form.
fn put_ascii(io: &mut Dst<'_>, input: &str, value: &[u8]) -> u32 {
    if value == input.as_bytes() {
        return SAME;
    }
    for (slot, &b) in io.out.iter_mut().zip(value) {
        *slot = b;
    }
    io.meta[31] = value.len() as u32;
    0
}

/// The value of an invalid input: its normalised form under the identifier's rule (ASCII
/// input byte by byte, the common case).
fn put_invalid(io: &mut Dst<'_>, input: &str, strict: bool, cpf_kind: bool) -> u32 {
    match (strict, input.is_ascii(), cpf_kind) {
        (true, _, _) => SAME,
        (false, true, true) => put_ascii_normalised(io, input.as_bytes(), cpf::normalise_ascii),
        (false, true, false) => put_ascii_normalised(io, input.as_bytes(), curp::normalise_ascii),
        (false, false, true) => put_value(io, input, &cpf::normalise_char),
        (false, false, false) => put_value(io, input, &curp::normalise_char),
    }
}

/// [`put_value`] for ASCII input, with the rule's byte normaliser inlined (generic on purpose:
/// this is the hot part of an invalid result; a function pointer saves 60 B gzip but makes a
/// rich CPF result on invalid input 2× slower).
#[inline(never)]
fn put_ascii_normalised(io: &mut Dst<'_>, input: &[u8], norm: impl Fn(u8) -> Option<u8>) -> u32 {
    // Most input is already in normal form: nothing to write then.
    let Some(first) = input.iter().position(|&b| norm(b) != Some(b)) else {
        return SAME;
    };
    // (Loops, not `split_at`/`copy_from_slice`: their panic paths would link `core::fmt`.)
    for (slot, &b) in io.out.iter_mut().zip(input.iter().take(first)) {
        *slot = b;
    }
    let mut n = first;
    for c in input.iter().skip(first).filter_map(|&b| norm(b)) {
        // The value is never longer than the input, so it fits.
        if let Some(slot) = io.out.get_mut(n) {
            *slot = c;
            n += 1;
        }
    }
    io.meta[31] = n as u32;
    0
}

/// The components of a valid CURP: sex char at 3, state index (into [`curp::STATES`]) at 4;
/// the birth date as `YYYY-MM-DD` from index 8.
fn curp_meta(m: &mut [u32; 32], c: &curp::Curp) {
    m[3] = c.sex().as_char() as u32;
    m[4] = c.state_index() as u32;
    for (slot, &b) in m[8..18].iter_mut().zip(c.birth_date().to_iso().iter()) {
        *slot = u32::from(b);
    }
}

/// The components of a valid CPF: region; the formatted CPF from index 8.
fn cpf_meta(m: &mut [u32; 32], c: &cpf::Cpf) {
    m[0] = u32::from(c.region());
    for (slot, &b) in m[8..22].iter_mut().zip(c.formatted().iter()) {
        *slot = u32::from(b);
    }
}

/// Which function to run on an input.
#[derive(Clone, Copy)]
enum Op {
    Curp,
    Cpf,
    CurpPrefix,
    CpfPrefix,
    /// Belvo's sandbox username rule ([`curp::validate_sandbox`]).
    Sandbox,
}

/// Runs `op` on the input (the first `len` bytes of the input buffer, UTF-8).
fn run(op: Op, len: u32, flags: u32, today: u32) -> u32 {
    let opts = &options(flags, today);
    // Fallback: an `empty` error (the state cannot be busy: see `with_state`).
    with_state((Code::Empty as u32) << 1, |st| {
        let Io { inp, dst: mut io } = st.io();
        let bytes = inp.get(..len as usize).unwrap_or(&[]);
        // The facade writes ASCII or `encodeInto`'s UTF-8, so this always succeeds.
        let Some(s) = crate::id::utf8(bytes) else {
            return (Code::Empty as u32) << 1;
        };
        match op {
            Op::Curp => match curp::validate(s, opts) {
                Ok(c) => {
                    curp_meta(io.meta, &c);
                    1 | put_ascii(&mut io, s, c.as_bytes())
                }
                Err(e) => pack_error(&e) | put_invalid(&mut io, s, opts.strict, false),
            },
            Op::Cpf => match cpf::validate(s, opts) {
                Ok(c) => {
                    cpf_meta(io.meta, &c);
                    // Bit 1 of a valid CPF result: the input is already the formatted form.
                    let formatted = (c.formatted()[..] == *s.as_bytes()) as u32;
                    1 | (formatted << 1) | put_ascii(&mut io, s, c.as_bytes())
                }
                Err(e) => pack_error(&e) | put_invalid(&mut io, s, opts.strict, true),
            },
            Op::Sandbox => match curp::validate_sandbox(s, opts) {
                Ok(b) => 1 | put_ascii(&mut io, s, &b),
                Err(e) => pack_error(&e) | put_invalid(&mut io, s, opts.strict, false),
            },
            Op::CurpPrefix => prefix(curp::check_prefix(s, opts)),
            Op::CpfPrefix => prefix(cpf::check_prefix(s, opts)),
        }
    })
}

fn prefix(r: Result<bool, IdError>) -> u32 {
    match r {
        Ok(complete) => 1 | ((complete as u32) << 9),
        Err(e) => pack_error(&e),
    }
}

/// Fast boolean CURP check of the input: 1 valid, 0 invalid, 2 valid except that the birth
/// date is after `today` (the facade retries with a fresh date only then).
#[no_mangle]
pub extern "C" fn el_curp_is_valid(len: u32, today: u32) -> u32 {
    with_bytes(len, |b| curp_verdict(b, unpack_date(today)))
}

/// Fast boolean CPF check of the input: 1 valid, 0 invalid.
#[no_mangle]
pub extern "C" fn el_cpf_is_valid(len: u32) -> u32 {
    with_bytes(len, |b| cpf::is_valid_bytes(b, &Options::default()) as u32)
}

/// Batch boolean check: `count` inputs laid out back to back in the batch buffer as UTF-8 (as
/// `TextEncoder.encodeInto` writes them), their lengths in UTF-16 units in `batch_lens`;
/// writes 1/0 per item to `batch_out`. `kind`: bit 0 = CPF (else CURP); bit 1 = every item is
/// ASCII (`encodeInto` wrote one byte per unit), so the lengths are byte counts. Returns 1 when
/// the items cannot be split by their lengths (a surrogate pair formed across two items): the
/// facade then checks them one by one.
#[no_mangle]
pub extern "C" fn el_batch(kind: u32, count: u32, today: u32) -> u32 {
    let cpf_kind = kind & 1 == 1;
    let ascii = kind & 2 == 2;
    let today = unpack_date(today);
    with_state(1, |st| {
        let count = (count as usize).min(BATCH_ITEMS);
        let mut at = 0usize;
        for (len, out) in st
            .batch_lens
            .iter()
            .take(count)
            .zip(st.batch_out.iter_mut())
        {
            let end = if ascii {
                at + usize::from(*len)
            } else {
                let Some(end) = utf8_end(&st.batch, at, usize::from(*len)) else {
                    return 1;
                };
                end
            };
            let bytes = st.batch.get(at..end).unwrap_or(&[]);
            *out = if cpf_kind {
                cpf::is_valid_bytes(bytes, &Options::default()) as u8
            } else {
                (curp_verdict(bytes, today) == 1) as u8
            };
            at = end;
        }
        0
    })
}

/// The end of the item that starts at byte `at` of the UTF-8 `bytes` and is `units` UTF-16
/// units long; `None` when a character straddles its end (or the bytes run out).
fn utf8_end(bytes: &[u8], mut at: usize, units: usize) -> Option<usize> {
    let mut left = units;
    while left > 0 {
        let (n, u) = match *bytes.get(at)? {
            0..=0x7F => (1, 1),
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

/// Rich CURP validation of the input (see the module doc for the packed result).
#[no_mangle]
pub extern "C" fn el_curp(len: u32, flags: u32, today: u32) -> u32 {
    run(Op::Curp, len, flags, today)
}

/// Rich CPF validation of the input.
#[no_mangle]
pub extern "C" fn el_cpf(len: u32, flags: u32, today: u32) -> u32 {
    run(Op::Cpf, len, flags, today)
}

/// As-you-type CURP check of the input; bit 9 = complete when valid.
#[no_mangle]
pub extern "C" fn el_curp_prefix(len: u32, flags: u32, today: u32) -> u32 {
    run(Op::CurpPrefix, len, flags, today)
}

/// As-you-type CPF check of the input.
#[no_mangle]
pub extern "C" fn el_cpf_prefix(len: u32, flags: u32, today: u32) -> u32 {
    run(Op::CpfPrefix, len, flags, today)
}

/// Username validation for a Belvo institution: the institution's name is in the batch buffer
/// (UTF-8, `inst_len` bytes), the input in the input buffer. Returns the packed result; an
/// unknown institution gives code `institution`. The identifier kind (0 CURP, 1 CPF, 2
/// sandbox) is written to `meta[5]`.
#[no_mangle]
pub extern "C" fn el_username(inst_len: u32, len: u32, flags: u32, today: u32) -> u32 {
    // The institution's rule (as `institution::validate_username` applies it) picks the op.
    let op = with_state(None, |st| {
        let rule = crate::id::utf8(st.batch.get(..inst_len as usize)?)
            .and_then(institution::username_rule);
        let (kind, op) = match rule? {
            UsernameRule::Curp => (0, Op::Curp),
            UsernameRule::Cpf => (1, Op::Cpf),
            UsernameRule::SandboxCurp => (2, Op::Sandbox),
        };
        st.meta[5] = kind;
        Some(op)
    });
    match op {
        Some(op) => run(op, len, flags, today),
        None => {
            with_state((), |st| st.meta[5] = 0);
            pack_error(&IdError::whole(Code::Institution))
        }
    }
}

/// Runs `f` with a [`SliceSink`] over the message buffer; returns the length written, in bytes.
fn with_msg(f: impl FnOnce(&mut SliceSink<'_>)) -> u32 {
    with_state(0, |st| {
        let mut w = SliceSink::new(&mut st.msg);
        f(&mut w);
        w.written() as u32
    })
}

/// Writes the localised message for a packed error into `msg` (UTF-8) and returns its length
/// in bytes. `kind` 0 = CURP, 1 = CPF; `locale` 0 es, 1 pt, 2 en.
#[no_mangle]
pub extern "C" fn el_message(kind: u32, packed: u32, locale: u32) -> u32 {
    let code = Code::from_u8(((packed >> 1) & 0xF) as u8).unwrap_or(Code::Type);
    let expected = Expected::from_u8(((packed >> 5) & 0xF) as u8).unwrap_or(Expected::Nothing);
    let n = ((packed >> 9) & ((1 << 21) - 1)).checked_sub(1);
    let length = code == Code::Length;
    let err = IdError {
        code,
        position: if length { None } else { n },
        expected,
        found_len: if length { n.unwrap_or(0) } else { 0 },
    };
    let kind = if kind == 1 { Kind::Cpf } else { Kind::Curp };
    let locale = match locale {
        1 => Locale::Pt,
        2 => Locale::En,
        _ => Locale::Es,
    };
    with_msg(|w| crate::id::write_message(kind, &err, locale, w))
}

/// `packed` (`YYYYMMDD`, as the facade reads the `today` option's `YYYY-MM-DD`) if it is a
/// real date (year 0000–9999, leap years included), else 0: the calendar stays in Rust.
#[no_mangle]
pub extern "C" fn el_check_date(packed: u32) -> u32 {
    unpack_date(packed).map_or(0, |_| packed)
}

/// Writes the CURP state table as `CODE=Name` lines, `|`, then the CPF fiscal regions as
/// `,UF,UF` lines (regions 1–10) into `msg` (UTF-8); returns the length in bytes (read once by
/// the facade).
#[no_mangle]
pub extern "C" fn el_tables() -> u32 {
    with_msg(|w| {
        w.push_str(curp::STATE_TEXT);
        w.push_str("|");
        w.push_str(cpf::REGION_TEXT);
    })
}

// ---- Rust-side helpers (tests and Rust callers of the exports; not exported) --------------

/// Writes `s` into the input buffer (growing it when needed) and returns the `len` argument
/// for the exports; `None` when memory cannot grow that far.
pub fn put_input(s: &str) -> Option<u32> {
    if el_grow(s.len() as u32) == 0 {
        return None;
    }
    with_state(None, |st| {
        st.io()
            .inp
            .get_mut(..s.len())?
            .copy_from_slice(s.as_bytes());
        Some(s.len() as u32)
    })
}

/// Writes an institution's name into the batch buffer, for [`el_username`]; returns its
/// length in bytes (0 when it does not fit).
pub fn put_institution(s: &str) -> u32 {
    with_state(0, |st| match st.batch.get_mut(..s.len()) {
        Some(dst) => {
            dst.copy_from_slice(s.as_bytes());
            s.len() as u32
        }
        None => 0,
    })
}

/// The first `len` bytes of the message buffer (after [`el_message`] or [`el_tables`]).
pub fn msg_text(len: u32) -> alloc::string::String {
    with_state(alloc::string::String::new(), |st| {
        let bytes = st.msg.get(..len as usize).unwrap_or(&[]);
        alloc::string::String::from_utf8_lossy(bytes).into_owned()
    })
}

/// The normalised value of the last result `packed` for `input` (the output buffer, or the
/// input itself when bit 30 says so).
pub fn value_of(input: &str, packed: u32) -> alloc::string::String {
    if packed & SAME != 0 {
        return input.into();
    }
    with_state(alloc::string::String::new(), |st| {
        let n = st.meta[31] as usize;
        let bytes = st.io().dst.out.get(..n).unwrap_or(&[]);
        alloc::string::String::from_utf8_lossy(bytes).into_owned()
    })
}
