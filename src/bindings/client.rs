//! The browser client: `new EmploymentLink(options)`.
//!
//! This file only moves bytes. Every decision (validation, which request, retries, backoff,
//! pagination, readiness, error classification, what the state looks like) is made by the
//! sans-IO [`Flow`]; here we run its [`Action`]s with the global `fetch` (called as a global,
//! so the same wasm works in windows, workers, Node and workerd), `setTimeout` and an
//! `AbortController`. Values cross the boundary as JSON text: answers and options are read by
//! the core's [`json`] reader, results are written by its [`ToJson`] writers and handed to
//! `JSON.parse` (no serde code, and so no float printing, in the wasm).
//!
//! Nothing here logs. Passwords and tokens only exist in the request body handed to `fetch`.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal, RequestCredentials, RequestInit};

use super::coded_error;
use crate::flow::json::{self, RawJson, ToJson};
use crate::flow::{
    Action, Body, ClientOptions, CreateLink, Credentials, Failure, Flow, HttpRequest, Resource,
    Response, Validated, LINK_CAPABILITY_HEADER,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export type ErrorCategory = "fix_input" | "visit_office" | "retry_later" | "retry" | "restart" | "integration";
export interface LinkError {
  category: ErrorCategory;
  /** Belvo's code (`login_error`, …), the proxy's, or local: `network_error`, `timeout`, `cancelled`, `invalid`, `required`, `not_json`, `unparseable`, `data_timeout`, … */
  code: string;
  /** Which known institution message it was (e.g. `nss_not_found`), or the validation code of a rejected username. */
  reason?: string;
  /** HTTP status; 0 when nothing was answered. */
  status: number;
  /** Localised message for the person (es/pt/en). */
  message: string;
  /** Developer detail (PII-scrubbed). */
  detail: string;
  requestId: string | null;
  field?: string;
  retryAfterSeconds?: number;
}
export interface TokenChallenge {
  type: "numeric" | "text" | "qr" | "inputless" | string;
  instructions: string | null;
  value: string | null;
  expectsUserInput: boolean;
  /** ISO-8601 UTC, when Belvo gave an expiry. */
  expiresAt: string | null;
  expiresInSeconds: number | null;
  linkId: string;
}
/** Belvo's link object, field names as Belvo sends them. */
export interface BelvoLink {
  id: string; institution: string | null; access_mode: string | null; status: string | null;
  refresh_rate: string | null; created_by: string | null; last_accessed_at: string | null;
  created_at: string | null; external_id: string | null; institution_user_id: string | null;
  credentials_storage: string | null; stale_in: string | null; fetch_resources: string[];
}
export type ErrorStep = { status: "error"; error: LinkError };
export type LinkStep =
  | { status: "linked"; link: BelvoLink }
  | { status: "token_required"; challenge: TokenChallenge }
  | ErrorStep;
export type ReadyStep = { status: "ready" } & { [resource: string]: number | "ready" };
export type DataStep<T = Record<string, unknown>> =
  | { status: "ok"; resource: string; count: number; results: T[]; truncated: boolean }
  | ErrorStep;
export interface ClientState {
  status: "idle" | "creating_link" | "token_required" | "submitting_token" | "linked" | "waiting_for_data" | "ready" | "error" | "cancelled";
  busy: boolean;
  institution?: string;
  linkId?: string;
  challenge?: TokenChallenge;
  counts?: { [resource: string]: number };
  error?: LinkError;
}
export type ClientEvent = { at: number } & (
  | { type: "state"; state: ClientState["status"] }
  | { type: "request"; method: "GET" | "POST" | "PATCH"; path: string }
  | { type: "response"; httpStatus: number }
  | { type: "retry"; attempt: number; delayMs: number; code: string }
  | { type: "token_required"; linkId: string }
  | { type: "linked"; linkId: string }
  | { type: "data_ready"; counts: { [resource: string]: number } }
  | { type: "error"; error: LinkError }
  | { type: "cancelled" }
);
export interface EmploymentLinkOptions {
  /** Your backend (never Belvo itself). */
  proxyUrl: string;
  headers?: Record<string, string>;
  credentials?: "omit" | "same-origin" | "include";
  locale?: "es" | "pt" | "en" | string;
  /** Per-request timeout, default 60000. */
  timeoutMs?: number;
  retry?: { max?: number; baseMs?: number };
  waitTimeoutMs?: number;
  maxPages?: number;
  pageSize?: number;
  onEvent?: (e: ClientEvent) => void;
}
export interface CreateLinkParams {
  institution: "imss_mx_employment" | "issste_mx_employment" | "planet_mx_employment" | "inss_br_employment" | string;
  username: string;
  password?: string;
  externalId?: string;
  fetchResources?: string[];
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_request(request: &web_sys::Request) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// What aborts the I/O in flight.
enum InFlight {
    Fetch(AbortController),
    Sleep { resolve: Function, timer: JsValue },
}

struct Inner {
    flow: RefCell<Flow<RawJson>>,
    opts: Validated,
    on_event: Option<Function>,
    inflight: RefCell<Option<InFlight>>,
}

/// Fetches and reads the whole answer: `(status, text, capability, retry-after)`. Never
/// panics; every rejection is `Err(())` (the caller tells timeout/abort/network apart).
async fn fetch_text(
    req: &web_sys::Request,
) -> Result<(u16, String, Option<String>, Option<String>), ()> {
    let resp: web_sys::Response = JsFuture::from(fetch_with_request(req))
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let h = resp.headers();
    let cap = h.get(LINK_CAPABILITY_HEADER).ok().flatten();
    let retry_after = h.get("Retry-After").ok().flatten();
    let text = JsFuture::from(resp.text().map_err(|_| ())?)
        .await
        .map_err(|_| ())?;
    Ok((
        resp.status(),
        text.as_string().unwrap_or_default(),
        cap,
        retry_after,
    ))
}

/// Abort message used by the per-request timer.
const TIMEOUT: &str = "employment-link:timeout";

fn now() -> u64 {
    let t = js_sys::Date::now();
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

/// Core value → JS value, through JSON text.
fn to_js<T: ToJson + ?Sized>(v: &T) -> JsValue {
    js_sys::JSON::parse(&json::to_string(v)).unwrap_or(JsValue::NULL)
}

/// JS value → core value, through `JSON.stringify` (functions and `undefined` vanish) and
/// the core's reader `read`.
fn from_js<T>(v: &JsValue, read: fn(&json::Value) -> Option<T>) -> Option<T> {
    let text: String = js_sys::JSON::stringify(v).ok()?.into();
    read(&json::parse(&text).ok()?)
}

fn reject(code: &str, message: &str) -> Promise {
    Promise::reject(&coded_error(code, message))
}

impl Inner {
    /// Hands the flow's pending events to `onEvent` (errors thrown by it are ignored).
    fn emit(&self) {
        let events = self.flow.borrow_mut().take_events();
        if let Some(cb) = &self.on_event {
            for e in &events {
                let _ = cb.call1(&JsValue::NULL, &to_js(e));
            }
        }
    }

    fn abort_inflight(&self) {
        let taken = self.inflight.borrow_mut().take();
        match taken {
            Some(InFlight::Fetch(c)) => c.abort(),
            Some(InFlight::Sleep { resolve, timer }) => {
                clear_timeout(&timer);
                let _ = resolve.call1(&JsValue::NULL, &JsValue::TRUE);
            }
            None => {}
        }
    }

    /// Sleeps `ms`; `false` when woken early by cancel/restart.
    async fn sleep(&self, ms: u64) -> bool {
        let mut slot: Option<(Function, JsValue)> = None;
        let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
            let timer = set_timeout(&resolve, ms as f64);
            slot = Some((resolve, timer));
        });
        if let Some((resolve, timer)) = slot {
            *self.inflight.borrow_mut() = Some(InFlight::Sleep { resolve, timer });
        }
        let woke = JsFuture::from(promise).await;
        self.inflight.borrow_mut().take();
        // The timer resolves with `undefined`; an abort resolves with `true`.
        matches!(woke, Ok(v) if v.is_undefined())
    }

    /// Sends one request and feeds the outcome to the flow.
    async fn exchange(&self, req: &HttpRequest) -> Action<RawJson> {
        let ctrl = match AbortController::new() {
            Ok(c) => c,
            Err(_) => {
                return self
                    .flow
                    .borrow_mut()
                    .on_failure(req.ticket, Failure::Network, now())
            }
        };
        // The timer calls `ctrl.abort("timeout")` (a bound function: no Rust closure); the
        // abort reason then tells a timeout from a cancel.
        let reason: JsValue = js_sys::Error::new(TIMEOUT).into();
        let timer = Reflect::get(&ctrl, &"abort".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|abort| {
                let bound: Function = abort.bind1(&ctrl, &reason).unchecked_into();
                set_timeout(&bound, req.timeout_ms as f64)
            });
        *self.inflight.borrow_mut() = Some(InFlight::Fetch(ctrl.clone()));

        let signal = ctrl.signal();
        // Sent with our own `fetch` binding and read with web-sys (no panicking wrapper: a
        // promise may reject with a non-`Error` value, e.g. a custom abort reason or a
        // user-land fetch polyfill).
        let result = match self.build_request(req, &signal) {
            Ok(r) => fetch_text(&r).await,
            Err(_) => Err(()),
        };
        if let Some(t) = &timer {
            clear_timeout(t);
        }
        self.inflight.borrow_mut().take();

        let t = now();
        match result {
            Ok((status, text, cap, retry_after)) => {
                let resp = Response {
                    status,
                    // `<html>…`, `Bad Gateway`, …: not JSON at all.
                    body: Body::from_text(text),
                    link_capability: cap,
                    retry_after,
                };
                self.flow.borrow_mut().on_response(req.ticket, resp, t)
            }
            Err(()) => {
                let failure = if signal.aborted() && signal.reason() == reason {
                    Failure::Timeout
                } else if signal.aborted() {
                    Failure::Aborted
                } else {
                    Failure::Network
                };
                self.flow.borrow_mut().on_failure(req.ticket, failure, t)
            }
        }
    }

    /// The `fetch` request for `req`: `{proxyUrl}{path}`, method, the integrator's headers,
    /// credentials mode, capability header, JSON body and abort signal.
    fn build_request(
        &self,
        req: &HttpRequest,
        signal: &AbortSignal,
    ) -> Result<web_sys::Request, JsValue> {
        let mut url = self.opts.proxy_url.clone();
        url.push_str(&req.path_and_query);
        let init = RequestInit::new();
        init.set_method(req.method.as_str());
        init.set_signal(Some(signal));
        let headers = web_sys::Headers::new()?;
        for (k, v) in &self.opts.headers {
            headers.set(k, v)?;
        }
        if let Some(c) = self.opts.credentials {
            init.set_credentials(match c {
                Credentials::Omit => RequestCredentials::Omit,
                Credentials::SameOrigin => RequestCredentials::SameOrigin,
                Credentials::Include => RequestCredentials::Include,
            });
        }
        if let Some(cap) = &req.link_capability {
            headers.set(LINK_CAPABILITY_HEADER, cap)?;
        }
        if let Some(body) = &req.body_json {
            headers.set("Content-Type", "application/json")?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        web_sys::Request::new_with_str_and_init(&url, &init)
    }

    /// Runs the flow's actions until it is done; resolves with the step.
    async fn run(self: Rc<Self>, mut action: Action<RawJson>) -> JsValue {
        let mut last: Option<HttpRequest> = None;
        loop {
            self.emit();
            action = match action {
                // The future starts on a later microtask: a `cancel()` made in between
                // (synchronously after the call) must stop the request before it leaves.
                Action::Send(req) if !self.flow.borrow().is_live(req.ticket) => self
                    .flow
                    .borrow_mut()
                    .on_failure(req.ticket, Failure::Aborted, now()),
                Action::Send(req) => {
                    let next = self.exchange(&req).await;
                    last = Some(req);
                    next
                }
                Action::Retry { ticket, after_ms } => {
                    let woke = self.sleep(after_ms).await;
                    let live = self.flow.borrow().is_live(ticket);
                    match &last {
                        Some(req) if woke && live => self.exchange(req).await,
                        _ => self
                            .flow
                            .borrow_mut()
                            .on_failure(ticket, Failure::Aborted, now()),
                    }
                }
                Action::Sleep { ticket, ms } => {
                    if self.sleep(ms).await {
                        self.flow.borrow_mut().on_wake(ticket, now())
                    } else {
                        self.flow
                            .borrow_mut()
                            .on_failure(ticket, Failure::Aborted, now())
                    }
                }
                Action::Done(step) => {
                    drop(last);
                    self.emit();
                    return to_js(&step);
                }
            };
        }
    }
}

/// Drives Belvo's employment link flow (create link → MFA → wait for data → fetch) through
/// the integrator's proxy. Never holds a Belvo secret.
#[wasm_bindgen]
pub struct EmploymentLink {
    inner: Rc<Inner>,
}

fn drive(inner: &Rc<Inner>, started: Result<Action<RawJson>, crate::flow::Misuse>) -> Promise {
    match started {
        Ok(action) => {
            let inner = inner.clone();
            future_to_promise(async move { Ok(inner.run(action).await) })
        }
        Err(m) => {
            inner.emit();
            reject(m.code(), m.message())
        }
    }
}

#[wasm_bindgen]
impl EmploymentLink {
    /// `new EmploymentLink({ proxyUrl, headers?, credentials?, locale?, timeoutMs?,
    /// retry?: {max, baseMs}, onEvent? })`. Throws `code: "invalid_options"` (category
    /// `integration`) for a bad option, a Belvo host as `proxyUrl`, or a secret-looking key.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EmploymentLinkOptions")] options: JsValue,
    ) -> Result<EmploymentLink, JsValue> {
        let fail = |field: &str, detail: &str| {
            let e = coded_error("invalid_options", detail);
            let _ = Reflect::set(&e, &"category".into(), &"integration".into());
            let _ = Reflect::set(&e, &"field".into(), &field.into());
            e
        };
        if !options.is_object() {
            return Err(fail("options", "options must be an object with a proxyUrl"));
        }
        let keys: Vec<String> = js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let parsed = from_js(&options, ClientOptions::from_json).ok_or_else(|| {
            fail(
                "options",
                "options have the wrong types (see EmploymentLinkOptions)",
            )
        })?;
        let opts = parsed
            .validate(keys.iter().map(String::as_str))
            .map_err(|e| fail(e.field, e.detail))?;
        let on_event = match Reflect::get(&options, &"onEvent".into()) {
            Ok(v) if v.is_function() => Some(v.unchecked_into::<Function>()),
            Ok(v) if v.is_undefined() || v.is_null() => None,
            _ => return Err(fail("onEvent", "onEvent must be a function")),
        };
        let flow = Flow::new(opts.config);
        Ok(EmploymentLink {
            inner: Rc::new(Inner {
                flow: RefCell::new(flow),
                opts,
                on_event,
                inflight: RefCell::new(None),
            }),
        })
    }

    /// `createLink({institution, username, password?, externalId?, fetchResources?})` →
    /// `Promise<LinkStep>`. Rejects (`busy`, `invalid_state`, `invalid_options`) only on misuse.
    #[wasm_bindgen(js_name = createLink, unchecked_return_type = "Promise<LinkStep>")]
    pub fn create_link(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateLinkParams")] params: JsValue,
    ) -> Promise {
        let Some(p) = from_js(&params, CreateLink::from_json) else {
            return reject("invalid_options", "createLink expects {institution, username, password?, externalId?, fetchResources?}");
        };
        let started = self.inner.flow.borrow_mut().create_link(p, now());
        drive(&self.inner, started)
    }

    /// `submitToken(token)` → `Promise<LinkStep>`. Rejects with `invalid_state` when no
    /// challenge is pending, `busy` while another call is in flight.
    #[wasm_bindgen(js_name = submitToken, unchecked_return_type = "Promise<LinkStep>")]
    pub fn submit_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Promise {
        let token = match token.as_string() {
            Some(t) => t,
            None if token.is_undefined() || token.is_null() => String::new(),
            None => return reject("invalid_options", "the token must be a string"),
        };
        let started = self.inner.flow.borrow_mut().submit_token(&token, now());
        drive(&self.inner, started)
    }

    /// `waitForData({timeoutMs?})` → `Promise<ReadyStep | ErrorStep>`
    /// (`{status: "ready", EMPLOYMENT_RECORDS: n, OWNERS: n, …}`).
    #[wasm_bindgen(js_name = waitForData, unchecked_return_type = "Promise<ReadyStep | ErrorStep>")]
    pub fn wait_for_data(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ timeoutMs?: number }")] options: JsValue,
    ) -> Promise {
        let timeout = if options.is_object() {
            match Reflect::get(&options, &"timeoutMs".into())
                .map(|v| (v.as_f64(), v.is_undefined()))
            {
                Ok((Some(t), _)) if t.is_finite() && t >= 0.0 => Some(t as u64),
                Ok((None, true)) => None,
                _ => return reject("invalid_options", "timeoutMs must be a non-negative number"),
            }
        } else {
            None
        };
        let started = self.inner.flow.borrow_mut().wait_for_data(timeout, now());
        drive(&self.inner, started)
    }

    /// MX employment records, every page → `Promise<DataStep>`.
    #[wasm_bindgen(js_name = employmentRecords, unchecked_return_type = "Promise<DataStep>")]
    pub fn employment_records(&self) -> Promise {
        self.fetch(Resource::EmploymentRecords)
    }

    /// BR employments, every page → `Promise<DataStep>`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DataStep>")]
    pub fn employments(&self) -> Promise {
        self.fetch(Resource::Employments)
    }

    /// Owners, every page → `Promise<DataStep>`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DataStep>")]
    pub fn owners(&self) -> Promise {
        self.fetch(Resource::Owners)
    }

    /// MX employment metrics (IMSS) → `Promise<DataStep>`.
    #[wasm_bindgen(js_name = employmentMetrics, unchecked_return_type = "Promise<DataStep>")]
    pub fn employment_metrics(&self) -> Promise {
        self.fetch(Resource::EmploymentMetrics)
    }

    /// The current state (no secrets, no identifiers).
    #[wasm_bindgen(getter, unchecked_return_type = "ClientState")]
    pub fn state(&self) -> JsValue {
        to_js(&self.inner.flow.borrow().snapshot())
    }

    /// Aborts the call in flight; its promise resolves with
    /// `{status: "error", error: {code: "cancelled", …}}`. Returns whether anything was
    /// cancelled.
    pub fn cancel(&self) -> bool {
        let step = self.inner.flow.borrow_mut().cancel(now());
        self.inner.abort_inflight();
        self.inner.emit();
        step.is_some()
    }

    /// Forgets the link, challenge and capabilities; back to `idle`. A call in flight
    /// resolves as cancelled.
    pub fn restart(&self) {
        self.inner.flow.borrow_mut().restart(now());
        self.inner.abort_inflight();
        self.inner.emit();
    }
}

impl EmploymentLink {
    fn fetch(&self, r: Resource) -> Promise {
        let started = self.inner.flow.borrow_mut().fetch(r, now());
        drive(&self.inner, started)
    }
}
