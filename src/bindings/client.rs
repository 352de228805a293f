//! The wasm half of the browser client: [`FlowCore`], a handle on the sans-IO [`Flow`].
//!
//! `new EmploymentLink(options)` is a small JS class (`src/bindings/js/driver.js`) that runs
//! the flow's actions with the global `fetch`, `setTimeout` and an `AbortController`, so the
//! same code works in windows, workers, Node and workerd. Every decision (option checks,
//! username validation, which request, retries and backoff, pagination, readiness, error
//! classification, what the state and the events look like) is made here, by the core.
//!
//! Only strings and numbers cross the boundary: options and parameters arrive as
//! `JSON.stringify` text and are read by the core's [`json`] reader; actions, steps, the state
//! and events leave as JSON text written by its [`ToJson`] writers, for `JSON.parse`. So the
//! module has no futures, closures or JS object handles (measured: about 9 KB gzip less in all
//! than driving `fetch` from Rust).
//!
//! Nothing here logs. Passwords and tokens only exist in the `send` action that carries the
//! request body to `fetch`.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use crate::flow::json::{self, ObjectWriter, RawJson, ToJson};
use crate::flow::{
    Action, Body, ClientOptions, CreateLink, Credentials, Failure, Flow, Misuse, OptionsError,
    Resource, Response, Validated,
};

/// The driver's handle on one client's flow (not part of the public API: `EmploymentLink`
/// wraps it).
#[wasm_bindgen]
pub struct FlowCore {
    flow: Flow<RawJson>,
    opts: Validated,
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
        Some(json::Value::Arr(items)) => items.iter().filter_map(json::Value::as_str).collect(),
        _ => Vec::new(),
    };
    parsed.validate(names)
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

#[wasm_bindgen]
impl FlowCore {
    /// Why the options are refused: `""` when they are fine, else `{"field","detail"}`.
    pub fn problem(options_json: &str, keys_json: &str) -> String {
        match validated(options_json, keys_json) {
            Ok(_) => String::new(),
            Err(e) => {
                let mut out = String::new();
                let mut w = ObjectWriter::new(&mut out);
                w.str("field", e.field).str("detail", e.detail);
                w.end();
                out
            }
        }
    }

    /// A flow for valid options; `undefined` otherwise (then ask [`FlowCore::problem`]).
    pub fn open(options_json: &str, keys_json: &str) -> Option<FlowCore> {
        let opts = validated(options_json, keys_json).ok()?;
        Some(FlowCore {
            flow: Flow::new(opts.config),
            opts,
        })
    }

    /// Where and how to send: `{"url": proxyUrl, "headers": [[name, value], …],
    /// "credentials": "omit" | "same-origin" | "include" | null}`.
    pub fn base(&self) -> String {
        let mut out = String::new();
        let mut w = ObjectWriter::new(&mut out);
        w.str("url", &self.opts.proxy_url);
        let h = w.key("headers");
        h.push('[');
        for (i, (k, v)) in self.opts.headers.iter().enumerate() {
            if i > 0 {
                h.push(',');
            }
            h.push('[');
            k.write_json(h);
            h.push(',');
            v.write_json(h);
            h.push(']');
        }
        h.push(']');
        let creds = self.opts.credentials.map(|c| match c {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        });
        creds.map(String::from).write_json(w.key("credentials"));
        w.end();
        out
    }

    /// `createLink(params)`: the first action, or a misuse.
    #[wasm_bindgen(js_name = createLink)]
    pub fn create_link(&mut self, params_json: &str, now: f64) -> String {
        let params = json::parse(params_json)
            .ok()
            .as_ref()
            .and_then(CreateLink::from_json);
        match params {
            Some(p) => started(self.flow.create_link(p, ms(now))),
            None => misuse(
                "invalid_options",
                "createLink expects {institution, username, password?, externalId?, fetchResources?}",
            ),
        }
    }

    /// `submitToken(token)`: the first action, or a misuse.
    #[wasm_bindgen(js_name = submitToken)]
    pub fn submit_token(&mut self, token: &str, now: f64) -> String {
        started(self.flow.submit_token(token, ms(now)))
    }

    /// `waitForData({timeoutMs})` (a negative `timeout_ms`: the configured default).
    #[wasm_bindgen(js_name = waitForData)]
    pub fn wait_for_data(&mut self, timeout_ms: f64, now: f64) -> String {
        let t = (timeout_ms >= 0.0).then(|| ms(timeout_ms));
        started(self.flow.wait_for_data(t, ms(now)))
    }

    /// Fetches every page of a resource (`EMPLOYMENT_RECORDS`, `EMPLOYMENTS`, `OWNERS`,
    /// `EMPLOYMENT_METRICS`).
    pub fn fetch(&mut self, resource: &str, now: f64) -> String {
        match Resource::from_name(resource) {
            Some(r) => started(self.flow.fetch(r, ms(now))),
            None => misuse("invalid_options", "unknown resource"),
        }
    }

    /// An answer to the `send` of `ticket`: the next action.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(
        &mut self,
        ticket: f64,
        status: u16,
        text: String,
        capability: Option<String>,
        retry_after: Option<String>,
        now: f64,
    ) -> String {
        let resp = Response {
            status,
            // `<html>…`, `Bad Gateway`, …: not JSON at all.
            body: Body::from_text(text),
            link_capability: capability,
            retry_after,
        };
        json::to_string(&self.flow.on_response(ms(ticket), resp, ms(now)))
    }

    /// The `send` of `ticket` got no answer: `0` network error, `1` timeout, `2` aborted.
    #[wasm_bindgen(js_name = onFailure)]
    pub fn on_failure(&mut self, ticket: f64, failure: u8, now: f64) -> String {
        let f = match failure {
            1 => Failure::Timeout,
            2 => Failure::Aborted,
            _ => Failure::Network,
        };
        json::to_string(&self.flow.on_failure(ms(ticket), f, ms(now)))
    }

    /// The `sleep` of `ticket` is over.
    #[wasm_bindgen(js_name = onWake)]
    pub fn on_wake(&mut self, ticket: f64, now: f64) -> String {
        json::to_string(&self.flow.on_wake(ms(ticket), ms(now)))
    }

    /// Whether `ticket`'s operation is still the one in flight (not cancelled or restarted).
    #[wasm_bindgen(js_name = isLive)]
    pub fn is_live(&self, ticket: f64) -> bool {
        self.flow.is_live(ms(ticket))
    }

    /// The events since the last call, as a JSON array (for `onEvent`).
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> String {
        json::to_string(&self.flow.take_events())
    }

    /// The state snapshot (no secrets, no identifiers).
    pub fn state(&self) -> String {
        json::to_string(&self.flow.snapshot())
    }

    /// Cancels the operation in flight; whether there was one.
    pub fn cancel(&mut self, now: f64) -> bool {
        self.flow.cancel(ms(now)).is_some()
    }

    /// Back to `idle`; forgets the link, challenge and capabilities.
    pub fn restart(&mut self, now: f64) {
        self.flow.restart(ms(now));
    }
}
