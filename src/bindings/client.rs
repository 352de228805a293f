//! The wasm half of the browser client: plain wasm exports over the sans-IO [`Flow`].
//!
//! `new EmploymentLink(options)` is a small JS class (`src/bindings/js/driver.js`) that runs
//! the flow's actions with the global `fetch`, `setTimeout` and an `AbortController`, so the
//! same code works in windows, workers, Node and workerd. Every decision (option checks,
//! username validation, which request, retries and backoff, pagination, readiness, error
//! classification, what the state and the events look like) is made here, by the core.
//!
//! Only UTF-8 text and numbers cross the boundary, through plain exports (no wasm-bindgen, so
//! no generated glue and no imports, like the identifier exports in [`super::id`]):
//!
//! - JS asks [`elf_in`] for an input buffer, writes one or more strings into it one after the
//!   other (`TextEncoder.encodeInto`) and passes their byte lengths to the call;
//! - a call that answers text writes it to the output buffer and returns its length in bytes;
//!   JS reads it at [`elf_out`] (valid until the next call) and decodes it.
//!
//! Options and parameters arrive as `JSON.stringify` text and are read by the core's [`json`]
//! reader; actions, steps, the state and events leave as JSON text written by its [`ToJson`]
//! writers, for `JSON.parse`. Each client is a handle (a slot number from [`elf_open`]; 0 is
//! never a handle); [`elf_free`] releases it.
//!
//! Nothing here logs. Passwords and tokens only exist in the `send` action that carries the
//! request body to `fetch`; every call zeroes the input it consumed and the previous output.

use alloc::string::String;
use alloc::vec::Vec;

use crate::flow::json::{self, ObjectWriter, RawJson, ToJson};
use crate::flow::{
    Action, Body, ClientOptions, CreateLink, Credentials, Failure, Flow, Misuse, OptionsError,
    Resource, Response, Validated,
};

/// One client's flow and its validated options.
struct Core {
    flow: Flow<RawJson>,
    opts: Validated,
}

/// Everything shared with JS: the clients (slot `h - 1` holds handle `h`) and the two buffers.
struct State {
    cores: Vec<Option<Core>>,
    inp: Vec<u8>,
    /// How many bytes of `inp` JS may have written since the last call ([`elf_in`]).
    written: usize,
    out: String,
}

shared_state!(State = initial());

const fn initial() -> State {
    State {
        cores: Vec::new(),
        inp: Vec::new(),
        written: 0,
        out: String::new(),
    }
}

/// Sets the output to `text`; its length in bytes. The previous output and the input that
/// the call consumed are zeroed first: a password or token that crossed (in a `send` body, in
/// `submitToken`'s input) does not stay readable in linear memory after the call that used it.
fn answer(st: &mut State, text: String) -> u32 {
    let mut old = core::mem::replace(&mut st.out, text).into_bytes();
    old.fill(0);
    forget_input(st);
    u32::try_from(st.out.len()).unwrap_or(0)
}

/// Zeroes what JS wrote into the input buffer since [`elf_in`]; a buffer grown for a large
/// answer (over 1 MiB) is released rather than kept for the page's lifetime.
fn forget_input(st: &mut State) {
    let n = st.written.min(st.inp.len());
    if let Some(used) = st.inp.get_mut(..n) {
        used.fill(0);
    }
    st.written = 0;
    if st.inp.capacity() > 1 << 20 {
        st.inp = Vec::new();
    }
}

/// Splits the input buffer into consecutive strings of the given byte lengths (a negative
/// length: no string, `None`). `None` overall when they do not fit or are not UTF-8.
fn strings<const N: usize>(inp: &[u8], lens: [i32; N]) -> Option<[Option<&str>; N]> {
    let mut at = 0usize;
    let mut out = [None; N];
    for (slot, len) in out.iter_mut().zip(lens) {
        let Ok(n) = usize::try_from(len) else {
            continue;
        };
        let end = at.checked_add(n)?;
        *slot = Some(core::str::from_utf8(inp.get(at..end)?).ok()?);
        at = end;
    }
    Some(out)
}

/// The first string of the input buffer (`len` bytes); `""` when it is unusable.
fn one(inp: &[u8], len: u32) -> &str {
    let len = i32::try_from(len).unwrap_or(-1);
    strings(inp, [len]).and_then(|[s]| s).unwrap_or_default()
}

/// Options text (`JSON.stringify(options)`) and own keys (`JSON.stringify(Object.keys(…))`)
/// → validated options.
fn validated(options_json: &str, keys_json: &str) -> Result<Validated, OptionsError> {
    let wrong = OptionsError {
        field: "options",
        detail: "options have the wrong types (see EmploymentLinkOptions)",
        category: crate::belvo::errors::Category::Integration,
    };
    let parsed = json::parse(options_json)
        .ok()
        .as_ref()
        .and_then(ClientOptions::from_json)
        .ok_or(wrong)?;
    let keys = json::parse(keys_json).ok();
    let names: Vec<&str> = match keys.as_ref() {
        Some(json::Value::Arr(items)) => {
            let mut names = Vec::with_capacity(items.len());
            for i in items {
                if let Some(n) = i.as_str() {
                    names.push(n);
                }
            }
            names
        }
        _ => Vec::new(),
    };
    parsed.validate(names)
}

/// The options and keys texts of [`elf_open`] / [`elf_problem`], validated.
fn validated_input(inp: &[u8], options_len: u32, keys_len: u32) -> Result<Validated, OptionsError> {
    let lens = [options_len, keys_len].map(|n| i32::try_from(n).unwrap_or(-1));
    let [o, k] = strings(inp, lens).unwrap_or([None, None]);
    validated(o.unwrap_or_default(), k.unwrap_or_default())
}

/// A Unix-millisecond instant from JS (`Date.now()`); 0 for anything unusable.
fn ms(t: f64) -> u64 {
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

/// The flow's answer to a call: its first action, or the misuse to throw
/// (`{"misuse":{code, message}}`).
fn started(r: Result<Action<RawJson>, Misuse>) -> String {
    match r {
        Ok(a) => json::to_string(&a),
        Err(m) => misuse(m.code(), m.message()),
    }
}

fn misuse(code: &str, message: &str) -> String {
    let mut out = String::new();
    let mut w = ObjectWriter::new(&mut out);
    let mut m = ObjectWriter::new(w.key("misuse"));
    m.str("code", code).str("message", message);
    m.end();
    w.end();
    out
}

/// The slot of handle `h` (slot `h - 1`); `None` for 0 and handles never given out.
fn slot(cores: &mut [Option<Core>], h: u32) -> Option<&mut Option<Core>> {
    let i = usize::try_from(h).ok()?.checked_sub(1)?;
    cores.get_mut(i)
}

/// Runs `f` on the client `h` with the input buffer and answers its text; `gone` (a
/// constant) when `h` is not an open client.
fn on_core(h: u32, gone: &str, f: impl FnOnce(&mut Core, &[u8]) -> String) -> u32 {
    with_state(0, |st| {
        let text = match slot(&mut st.cores, h).and_then(Option::as_mut) {
            Some(core) => f(core, &st.inp),
            None => String::from(gone),
        };
        answer(st, text)
    })
}

/// What an action call on a freed client answers.
const FREED: &str = r#"{"misuse":{"code":"invalid_state","message":"this client was freed"}}"#;

/// Makes the input buffer hold at least `bytes` bytes; its address (valid until the next call
/// of any export), or 0 when memory cannot grow that far.
#[no_mangle]
pub extern "C" fn elf_in(bytes: u32) -> u32 {
    with_state(0, |st| {
        let want = usize::try_from(bytes).unwrap_or(usize::MAX);
        let more = want.saturating_sub(st.inp.len());
        if st.inp.try_reserve_exact(more).is_err() {
            return 0;
        }
        st.inp.resize(want.max(st.inp.len()), 0);
        st.written = want;
        // A non-zero address even for an empty buffer (JS treats 0 as "no memory").
        st.inp.as_ptr() as u32
    })
}

/// Address of the output buffer (the text the last call answered; valid until the next call).
#[no_mangle]
pub extern "C" fn elf_out() -> u32 {
    with_state(0, |st| st.out.as_ptr() as u32)
}

/// Why the options are refused: `""` when they are fine, else `{"field","detail"}`. The
/// options and keys texts are in the input buffer, one after the other.
#[no_mangle]
pub extern "C" fn elf_problem(options_len: u32, keys_len: u32) -> u32 {
    with_state(0, |st| {
        let text = match validated_input(&st.inp, options_len, keys_len) {
            Ok(_) => String::new(),
            Err(e) => {
                let mut out = String::new();
                let mut w = ObjectWriter::new(&mut out);
                w.str("field", e.field).str("detail", e.detail);
                w.end();
                out
            }
        };
        answer(st, text)
    })
}

/// A client for valid options: its handle, or 0 (then ask [`elf_problem`]).
#[no_mangle]
pub extern "C" fn elf_open(options_len: u32, keys_len: u32) -> u32 {
    with_state(0, |st| {
        let opts = validated_input(&st.inp, options_len, keys_len);
        forget_input(st);
        let Ok(opts) = opts else {
            return 0;
        };
        let core = Core {
            flow: Flow::new(opts.config),
            opts,
        };
        let i = match st.cores.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                st.cores.push(None);
                st.cores.len() - 1
            }
        };
        match st.cores.get_mut(i) {
            Some(slot) => {
                *slot = Some(core);
                u32::try_from(i + 1).unwrap_or(0)
            }
            None => 0,
        }
    })
}

/// Releases the client `h`; unknown handles are ignored.
#[no_mangle]
pub extern "C" fn elf_free(h: u32) {
    with_state((), |st| {
        if let Some(slot) = slot(&mut st.cores, h) {
            *slot = None;
        }
        forget_input(st);
    });
}

/// Where and how to send: `{"url": proxyUrl, "headers": [[name, value], …],
/// "credentials": "omit" | "same-origin" | "include" | null}`.
#[no_mangle]
pub extern "C" fn elf_base(h: u32) -> u32 {
    on_core(h, "null", |c, _| {
        let mut out = String::new();
        let mut w = ObjectWriter::new(&mut out);
        w.str("url", &c.opts.proxy_url);
        let hs = w.key("headers");
        hs.push('[');
        for (i, (k, v)) in c.opts.headers.iter().enumerate() {
            if i > 0 {
                hs.push(',');
            }
            hs.push('[');
            k.write_json(hs);
            hs.push(',');
            v.write_json(hs);
            hs.push(']');
        }
        hs.push(']');
        let creds = c.opts.credentials.map(|c| match c {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        });
        creds.map(String::from).write_json(w.key("credentials"));
        w.end();
        out
    })
}

/// `createLink(params)` (the params' JSON in the input buffer): the first action, or a misuse.
#[no_mangle]
pub extern "C" fn elf_create_link(h: u32, params_len: u32, now: f64) -> u32 {
    on_core(h, FREED, |c, inp| {
        let params = json::parse(one(inp, params_len))
            .ok()
            .as_ref()
            .and_then(CreateLink::from_json);
        match params {
            Some(p) => started(c.flow.create_link(p, ms(now))),
            None => misuse(
                "invalid_options",
                "createLink expects {institution, username, password?, externalId?, fetchResources?}",
            ),
        }
    })
}

/// `submitToken(token)` (the token in the input buffer): the first action, or a misuse.
#[no_mangle]
pub extern "C" fn elf_submit_token(h: u32, token_len: u32, now: f64) -> u32 {
    on_core(h, FREED, |c, inp| {
        started(c.flow.submit_token(one(inp, token_len), ms(now)))
    })
}

/// `waitForData({timeoutMs})` (a negative `timeout_ms`: the configured default).
#[no_mangle]
pub extern "C" fn elf_wait_for_data(h: u32, timeout_ms: f64, now: f64) -> u32 {
    on_core(h, FREED, |c, _| {
        let t = (timeout_ms >= 0.0).then(|| ms(timeout_ms));
        started(c.flow.wait_for_data(t, ms(now)))
    })
}

/// Fetches every page of a resource (`EMPLOYMENT_RECORDS`, `EMPLOYMENTS`, `OWNERS`,
/// `EMPLOYMENT_METRICS`; the name in the input buffer).
#[no_mangle]
pub extern "C" fn elf_fetch(h: u32, resource_len: u32, now: f64) -> u32 {
    on_core(h, FREED, |c, inp| {
        match Resource::from_name(one(inp, resource_len)) {
            Some(r) => started(c.flow.fetch(r, ms(now))),
            None => misuse("invalid_options", "unknown resource"),
        }
    })
}

/// An answer to the `send` of `ticket`: the next action. The body text, the capability
/// header and the `Retry-After` header are in the input buffer, one after the other (a
/// negative length: the header is absent).
#[no_mangle]
pub extern "C" fn elf_on_response(
    h: u32,
    ticket: f64,
    status: u32,
    text_len: u32,
    capability_len: i32,
    retry_after_len: i32,
    now: f64,
) -> u32 {
    on_core(h, FREED, |c, inp| {
        let text_len = i32::try_from(text_len).unwrap_or(-1);
        let [text, cap, retry] =
            strings(inp, [text_len, capability_len, retry_after_len]).unwrap_or([None; 3]);
        let resp = Response {
            status: u16::try_from(status).unwrap_or(0),
            // `<html>…`, `Bad Gateway`, …: not JSON at all.
            body: Body::from_text(String::from(text.unwrap_or_default())),
            link_capability: cap.map(String::from),
            retry_after: retry.map(String::from),
        };
        json::to_string(&c.flow.on_response(ms(ticket), resp, ms(now)))
    })
}

/// The `send` of `ticket` got no answer: `0` network error, `1` timeout, `2` aborted.
#[no_mangle]
pub extern "C" fn elf_on_failure(h: u32, ticket: f64, failure: u32, now: f64) -> u32 {
    on_core(h, FREED, |c, _| {
        let f = match failure {
            1 => Failure::Timeout,
            2 => Failure::Aborted,
            _ => Failure::Network,
        };
        json::to_string(&c.flow.on_failure(ms(ticket), f, ms(now)))
    })
}

/// The `sleep` of `ticket` is over.
#[no_mangle]
pub extern "C" fn elf_on_wake(h: u32, ticket: f64, now: f64) -> u32 {
    on_core(h, FREED, |c, _| {
        json::to_string(&c.flow.on_wake(ms(ticket), ms(now)))
    })
}

/// The events since the last call, as a JSON array (for `onEvent`).
#[no_mangle]
pub extern "C" fn elf_take_events(h: u32) -> u32 {
    on_core(h, "[]", |c, _| json::to_string(&c.flow.take_events()))
}

/// The state snapshot (no secrets, no identifiers).
#[no_mangle]
pub extern "C" fn elf_state(h: u32) -> u32 {
    on_core(h, "null", |c, _| json::to_string(&c.flow.snapshot()))
}

/// Runs `f` on the client `h`; `fallback` when `h` is not an open client.
fn with_core<R>(h: u32, fallback: R, f: impl FnOnce(&mut Core) -> R) -> R {
    with_state(None, |st| {
        slot(&mut st.cores, h).and_then(Option::as_mut).map(f)
    })
    .unwrap_or(fallback)
}

/// 1 when `ticket`'s operation is still the one in flight (not cancelled or restarted).
#[no_mangle]
pub extern "C" fn elf_is_live(h: u32, ticket: f64) -> u32 {
    with_core(h, 0, |c| u32::from(c.flow.is_live(ms(ticket))))
}

/// Cancels the operation in flight; 1 when there was one.
#[no_mangle]
pub extern "C" fn elf_cancel(h: u32, now: f64) -> u32 {
    with_core(h, 0, |c| u32::from(c.flow.cancel(ms(now)).is_some()))
}

/// Back to `idle`; forgets the link, challenge and capabilities.
#[no_mangle]
pub extern "C" fn elf_restart(h: u32, now: f64) {
    with_core(h, (), |c| c.flow.restart(ms(now)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Puts the strings into the input buffer as JS does; their byte lengths.
    fn put(parts: &[Option<&str>]) -> Vec<i32> {
        let total: usize = parts.iter().flatten().map(|s| s.len()).sum();
        elf_in(total as u32);
        with_state(Vec::new(), |st| {
            let mut at = 0;
            parts
                .iter()
                .map(|p| match p {
                    Some(s) => {
                        st.inp[at..at + s.len()].copy_from_slice(s.as_bytes());
                        at += s.len();
                        s.len() as i32
                    }
                    None => -1,
                })
                .collect()
        })
    }

    fn out(len: u32) -> String {
        with_state(String::new(), |st| {
            assert_eq!(st.out.len(), len as usize);
            st.out.clone()
        })
    }

    fn open(options: &str, keys: &str) -> u32 {
        let l = put(&[Some(options), Some(keys)]);
        elf_open(l[0] as u32, l[1] as u32)
    }

    #[test]
    fn options_are_checked_and_handles_are_reused() {
        let l = put(&[
            Some(r#"{"proxyUrl":"https://api.belvo.com"}"#),
            Some(r#"["proxyUrl"]"#),
        ]);
        assert_eq!(elf_open(l[0] as u32, l[1] as u32), 0);
        // Each call consumes its input: `problem` gets the texts again.
        let l = put(&[
            Some(r#"{"proxyUrl":"https://api.belvo.com"}"#),
            Some(r#"["proxyUrl"]"#),
        ]);
        let p = out(elf_problem(l[0] as u32, l[1] as u32));
        assert!(p.contains(r#""field":"proxyUrl""#), "{p}");

        let a = open(
            r#"{"proxyUrl":"https://example.test/belvo"}"#,
            r#"["proxyUrl"]"#,
        );
        let b = open(
            r#"{"proxyUrl":"https://example.test/b"}"#,
            r#"["proxyUrl"]"#,
        );
        assert!(a != 0 && b != 0 && a != b);
        assert!(out(elf_base(b)).contains(r#""url":"https://example.test/b""#));
        elf_free(a);
        assert_eq!(out(elf_base(a)), "null");
        assert_eq!(out(elf_state(a)), "null");
        assert_eq!(out(elf_take_events(a)), "[]");
        assert_eq!(out(elf_on_wake(a, 1.0, 1.0)), FREED);
        assert_eq!(elf_cancel(a, 1.0), 0);
        // The freed slot is the next client's.
        let c = open(
            r#"{"proxyUrl":"https://example.test/c"}"#,
            r#"["proxyUrl"]"#,
        );
        assert_eq!(c, a);
        assert!(out(elf_base(c)).contains("/c"));
        assert!(out(elf_base(b)).contains("/b"));
        for h in [0, 99, u32::MAX] {
            assert_eq!(out(elf_state(h)), "null");
        }
    }

    #[test]
    fn a_create_link_round_trip_through_the_buffers() {
        let h = open(r#"{"proxyUrl":"https://example.test"}"#, r#"["proxyUrl"]"#);
        let params = r#"{"institution":"planet_mx_employment","username":"BLPM951331IONVGR54"}"#;
        let l = put(&[Some(params)]);
        let send = out(elf_create_link(h, l[0] as u32, 1_000.0));
        assert!(send.starts_with(r#"{"send":{"ticket":"#), "{send}");
        assert!(send.contains(r#""method":"POST""#) && send.contains("/api/links/"));
        let ticket: f64 = send
            .split(r#""ticket":"#)
            .nth(1)
            .and_then(|t| t.split(',').next())
            .and_then(|t| t.parse().ok())
            .expect("a ticket");
        assert_eq!(elf_is_live(h, ticket), 1);
        // A 201 with the link (no capability header, no Retry-After).
        let body = r#"{"id":"0d3ffb69-f83b-456e-ad8e-208d0998d71d","institution":"planet_mx_employment","status":"valid","access_mode":"single"}"#;
        let l = put(&[Some(body), None, None]);
        let done = out(elf_on_response(
            h,
            ticket,
            201,
            l[0] as u32,
            l[1],
            l[2],
            1_500.0,
        ));
        assert!(done.starts_with(r#"{"done":{"status":"linked""#), "{done}");
        assert!(!out(elf_state(h)).contains("BLPM951331IONVGR54"));
        // Bytes that are not UTF-8 are an unusable parameter, not a crash.
        elf_in(2);
        with_state((), |st| st.inp[..2].copy_from_slice(&[0xff, 0xfe]));
        let m = out(elf_create_link(h, 2, 2_000.0));
        assert!(m.contains("invalid_options"), "{m}");
        // A length past the buffer, likewise.
        let m = out(elf_create_link(h, 1 << 30, 2_000.0));
        assert!(m.contains("invalid_options"), "{m}");
        elf_free(h);
    }

    #[test]
    fn a_password_does_not_stay_in_the_buffers() {
        let h = open(r#"{"proxyUrl":"https://example.test"}"#, r#"["proxyUrl"]"#);
        let params = r#"{"institution":"inss_br_employment","username":"15387204690","password":"hunter2-secret"}"#;
        let l = put(&[Some(params)]);
        let send = out(elf_create_link(h, l[0] as u32, 1_000.0));
        assert!(
            send.contains("hunter2-secret"),
            "the POST body carries it: {send}"
        );
        let inp = with_state(Vec::new(), |st| st.inp.clone());
        assert!(inp.iter().all(|b| *b == 0), "input zeroed after the call");
        let _ = out(elf_state(h));
        assert!(!with_state(String::new(), |st| st.out.clone()).contains("hunter2"));
        elf_free(h);
    }
}
