//! `EmploymentLink`, the link-flow client, as a `#[wasm_bindgen]` class.
//!
//! Every decision (option checks, username validation, which request, retries and backoff,
//! pagination, readiness, error classification, state and events) is the core's
//! [`Flow`]; this class only performs the flow's actions: HTTP with gloo-net (an
//! `AbortController` per request, so `cancel()` and timeouts abort the fetch), sleeps over
//! `setTimeout`, and values in and out with serde-wasm-bindgen. The global `fetch` and
//! `setTimeout` are looked up when called, so one module serves windows, web workers, Node and
//! workerd. Passwords and tokens exist only in the request that carries them; nothing here logs.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use employment_link_core::flow::{
    Action, Body, ClientOptions, CreateLink, Credentials, Failure, Flow, HttpRequest, JsonBody,
    Method as FlowMethod, Misuse, OptionsError, Resource, Response, Step, Validated,
    LINK_CAPABILITY_HEADER,
};
use gloo_net::http::{Method, RequestBuilder};
use js_sys::{Function, Object, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, RequestCredentials};

use crate::js::{coded_error, to_js};

// The client's TypeScript: the shapes (client.d.ts) and the literal unions, emitted from the
// core's enums.
#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = include_str!("client.d.ts");
#[wasm_bindgen(typescript_custom_section)]
const TS_CATEGORY: &str = employment_link_core::belvo::errors::Category::TS;
#[wasm_bindgen(typescript_custom_section)]
const TS_STATUS: &str = employment_link_core::flow::Status::TS;
#[wasm_bindgen(typescript_custom_section)]
const TS_EVENT_TYPE: &str = employment_link_core::flow::EventType::TS;

/// An answer body parsed by the engine (`JSON.parse`), read with serde-wasm-bindgen.
struct JsBody(JsValue);

impl JsonBody for JsBody {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        serde_wasm_bindgen::from_value(self.0.clone()).ok()
    }
}

/// A data item, passed through to JS as the engine parsed it (the flow counts and pages
/// items; it never looks inside them).
#[derive(Serialize, Deserialize)]
struct Item(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);

/// Drives Belvo's employment link flow (create link → MFA → wait for data → fetch) through the
/// integrator's proxy. Never holds a Belvo secret.
#[wasm_bindgen]
pub struct EmploymentLink {
    inner: Rc<Inner>,
}

struct Inner {
    flow: RefCell<Flow<Item>>,
    options: Validated,
    on_event: Option<Function>,
    /// What to wake or abort when `cancel()`/`restart()` is called: the fetch or sleep in flight.
    inflight: RefCell<Option<Inflight>>,
    freed: Cell<bool>,
}

enum Inflight {
    Fetch(AbortController),
    Sleep { timer: JsValue, wake: Function },
}

impl Drop for EmploymentLink {
    // `free()` (or `using`, or garbage collection) settles a call in flight as cancelled; the
    // call's own future keeps the state alive until it has.
    fn drop(&mut self) {
        self.inner.cancel();
        self.inner.freed.set(true);
    }
}

#[wasm_bindgen]
impl EmploymentLink {
    /// `new EmploymentLink(options)`; throws an `Error` with `code: "invalid_options"`,
    /// `category: "integration"` and `field` for a bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EmploymentLinkOptions")] options: JsValue,
    ) -> Result<EmploymentLink, JsValue> {
        let fail = |e: OptionsError| {
            let err = coded_error("invalid_options", e.detail);
            let _ = Reflect::set(&err, &"category".into(), &"integration".into());
            let _ = Reflect::set(&err, &"field".into(), &e.field.into());
            JsValue::from(err)
        };
        let Some(obj) = options.dyn_ref::<Object>().filter(|_| options.is_object()) else {
            return Err(fail(OptionsError::new(
                "options",
                "options must be an object with a proxyUrl",
            )));
        };
        let keys: Vec<String> = Object::keys(obj)
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let parsed: ClientOptions =
            serde_wasm_bindgen::from_value(options.clone()).map_err(|_| {
                fail(OptionsError::new(
                    "options",
                    "an option has the wrong type (see EmploymentLinkOptions)",
                ))
            })?;
        let validated = parsed
            .validate(keys.iter().map(String::as_str))
            .map_err(fail)?;
        for (name, value) in &validated.headers {
            // A header `fetch` would refuse fails here, once, rather than on every request.
            if web_sys::Headers::new()
                .and_then(|h| h.set(name, value))
                .is_err()
            {
                return Err(fail(OptionsError::new(
                    "headers",
                    "a header name or value that fetch refuses",
                )));
            }
        }
        let on_event = match Reflect::get(&options, &"onEvent".into()) {
            Ok(f) if f.is_undefined() || f.is_null() => None,
            Ok(f) => match f.dyn_into::<Function>() {
                Ok(f) => Some(f),
                Err(_) => {
                    return Err(fail(OptionsError::new(
                        "onEvent",
                        "onEvent must be a function",
                    )))
                }
            },
            Err(_) => None,
        };
        let flow = Flow::new(validated.config);
        Ok(EmploymentLink {
            inner: Rc::new(Inner {
                flow: RefCell::new(flow),
                options: validated,
                on_event,
                inflight: RefCell::new(None),
                freed: Cell::new(false),
            }),
        })
    }

    /// `createLink({institution, username, password?, externalId?, fetchResources?})`.
    #[wasm_bindgen(js_name = createLink, unchecked_return_type = "Promise<LinkStep>")]
    pub fn create_link(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateLinkParams")] params: JsValue,
    ) -> Promise {
        let Ok(params) = serde_wasm_bindgen::from_value::<CreateLink>(params) else {
            return rejected(
                "invalid_options",
                "createLink takes {institution, username, password?, externalId?, fetchResources?}",
            );
        };
        self.start(|flow, now| flow.create_link(params, now))
    }

    /// `submitToken(token)`: resumes after `token_required`.
    #[wasm_bindgen(js_name = submitToken, unchecked_return_type = "Promise<LinkStep>")]
    pub fn submit_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Promise {
        let token = match token.as_string() {
            Some(t) => t,
            None if token.is_undefined() || token.is_null() => String::new(),
            None => return rejected("invalid_options", "the token must be a string"),
        };
        self.start(|flow, now| flow.submit_token(&token, now))
    }

    /// `waitForData({timeoutMs?})`: resolves once every requested resource is announced.
    #[wasm_bindgen(
        js_name = waitForData,
        unchecked_return_type = "Promise<ReadyStep | ErrorStep>"
    )]
    pub fn wait_for_data(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ timeoutMs?: number }")] options: JsValue,
    ) -> Promise {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct WaitOptions {
            timeout_ms: Option<f64>,
        }
        let timeout = if options.is_object() {
            match serde_wasm_bindgen::from_value::<WaitOptions>(options) {
                Ok(WaitOptions { timeout_ms: None }) => None,
                Ok(WaitOptions {
                    timeout_ms: Some(t),
                }) if t >= 0.0 && t.is_finite() => Some(t as u64),
                _ => return rejected("invalid_options", "timeoutMs must be a non-negative number"),
            }
        } else {
            None
        };
        self.start(|flow, now| flow.wait_for_data(timeout, now))
    }

    /// MX employment records, every page.
    #[wasm_bindgen(js_name = employmentRecords, unchecked_return_type = "Promise<DataStep>")]
    pub fn employment_records(&self) -> Promise {
        self.fetch(Resource::EmploymentRecords)
    }

    /// BR employments, every page.
    #[wasm_bindgen(unchecked_return_type = "Promise<DataStep>")]
    pub fn employments(&self) -> Promise {
        self.fetch(Resource::Employments)
    }

    /// Owners, every page.
    #[wasm_bindgen(unchecked_return_type = "Promise<DataStep>")]
    pub fn owners(&self) -> Promise {
        self.fetch(Resource::Owners)
    }

    /// MX employment metrics (IMSS).
    #[wasm_bindgen(js_name = employmentMetrics, unchecked_return_type = "Promise<DataStep>")]
    pub fn employment_metrics(&self) -> Promise {
        self.fetch(Resource::EmploymentMetrics)
    }

    /// `deleteLink()`: deletes the current link at Belvo (through the proxy's
    /// `DELETE /api/links/{id}/`) once its data is read, then forgets it: back to `idle`.
    #[wasm_bindgen(js_name = deleteLink, unchecked_return_type = "Promise<DeleteStep>")]
    pub fn delete_link(&self) -> Promise {
        self.start(|flow, now| flow.delete_link(now))
    }

    /// The current state (no secrets, no identifiers).
    #[wasm_bindgen(getter, unchecked_return_type = "ClientState")]
    pub fn state(&self) -> JsValue {
        match self.inner.flow.try_borrow() {
            Ok(flow) => to_js(&flow.snapshot()),
            Err(_) => JsValue::NULL,
        }
    }

    /// Aborts the call in flight (it resolves as `cancelled`); whether there was one.
    pub fn cancel(&self) -> bool {
        self.inner.cancel()
    }

    /// Forgets the link, challenge and capabilities; back to `idle`. A call in flight resolves
    /// as cancelled.
    pub fn restart(&self) {
        if let Ok(mut flow) = self.inner.flow.try_borrow_mut() {
            flow.restart(now_ms());
        }
        self.inner.abort();
        self.inner.emit();
    }
}

impl EmploymentLink {
    fn fetch(&self, resource: Resource) -> Promise {
        self.start(|flow, now| flow.fetch(resource, now))
    }

    /// Runs an intent on the flow, then drives its actions in a Promise.
    fn start(
        &self,
        intent: impl FnOnce(&mut Flow<Item>, u64) -> Result<Action<Item>, Misuse>,
    ) -> Promise {
        let first = match self.inner.flow.try_borrow_mut() {
            Ok(mut flow) => intent(&mut flow, now_ms()),
            Err(_) => Err(Misuse::Busy),
        };
        match first {
            Ok(action) => {
                let inner = Rc::clone(&self.inner);
                future_to_promise(inner.drive(action))
            }
            Err(m) => {
                self.inner.emit();
                rejected(m.code(), m.message())
            }
        }
    }
}

impl Inner {
    fn cancel(&self) -> bool {
        let cancelled = match self.flow.try_borrow_mut() {
            Ok(mut flow) => flow.cancel(now_ms()).is_some(),
            Err(_) => false,
        };
        self.abort();
        self.emit();
        cancelled
    }

    /// Aborts the fetch in flight, or wakes the sleep in flight early.
    fn abort(&self) {
        let taken = self
            .inflight
            .try_borrow_mut()
            .ok()
            .and_then(|mut i| i.take());
        match taken {
            Some(Inflight::Fetch(ctrl)) => ctrl.abort(),
            Some(Inflight::Sleep { timer, wake }) => {
                let _ = call_global("clearTimeout", &timer, &JsValue::UNDEFINED);
                let _ = wake.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
            }
            None => {}
        }
    }

    /// Hands the flow's pending events to `onEvent` (what it throws is ignored: the
    /// integrator's handler must not break the flow).
    fn emit(&self) {
        let events = match self.flow.try_borrow_mut() {
            Ok(mut flow) => flow.take_events(),
            Err(_) => return,
        };
        if let Some(cb) = &self.on_event {
            for e in &events {
                let _ = cb.call1(&JsValue::UNDEFINED, &to_js(e));
            }
        }
    }

    fn with_flow(
        &self,
        f: impl FnOnce(&mut Flow<Item>, u64) -> Action<Item>,
    ) -> Option<Action<Item>> {
        let mut flow = self.flow.try_borrow_mut().ok()?;
        Some(f(&mut flow, now_ms()))
    }

    fn is_live(&self, ticket: u64) -> bool {
        self.flow.try_borrow().is_ok_and(|f| f.is_live(ticket))
    }

    fn aborted(&self, ticket: u64) -> Option<Action<Item>> {
        self.with_flow(|f, now| f.on_failure(ticket, Failure::Aborted, now))
    }

    /// Performs the flow's actions until it is done; the step as a JS value.
    async fn drive(self: Rc<Self>, mut action: Action<Item>) -> Result<JsValue, JsValue> {
        // One microtask first: a `cancel()` made synchronously after the call stops the
        // request before it leaves.
        let _ = JsFuture::from(Promise::resolve(&JsValue::UNDEFINED)).await;
        let mut last: Option<HttpRequest> = None;
        loop {
            self.emit();
            let next = match action {
                Action::Done(step) => return Ok(self.done(step)),
                Action::Send(req) => {
                    let next = if self.is_live(req.ticket) {
                        self.exchange(&req).await
                    } else {
                        self.aborted(req.ticket)
                    };
                    last = Some(req);
                    next
                }
                Action::Retry { ticket, after_ms } => {
                    let woke = self.sleep(after_ms).await;
                    match &last {
                        Some(req) if woke && self.is_live(ticket) => self.exchange(req).await,
                        _ => self.aborted(ticket),
                    }
                }
                Action::Sleep { ticket, ms } => {
                    if self.sleep(ms).await {
                        self.with_flow(|f, now| f.on_wake(ticket, now))
                    } else {
                        self.aborted(ticket)
                    }
                }
            };
            match next {
                Some(a) => action = a,
                // The flow was borrowed: cannot happen (nothing holds it across an await), but
                // if it did, the call settles rather than hangs.
                None => {
                    let m = Misuse::Busy;
                    return Err(coded_error(m.code(), m.message()).into());
                }
            }
        }
    }

    fn done(&self, step: Step<Item>) -> JsValue {
        self.emit();
        to_js(&step)
    }

    /// Waits `ms`; `false` when woken early by `cancel()`/`restart()`.
    async fn sleep(&self, ms: u64) -> bool {
        let mut slot = None;
        let promise = Promise::new(&mut |resolve, _reject| {
            let timer = call_global(
                "setTimeout",
                &resolve.bind1(&JsValue::UNDEFINED, &JsValue::TRUE),
                &JsValue::from_f64(ms as f64),
            )
            .unwrap_or(JsValue::UNDEFINED);
            slot = Some(Inflight::Sleep {
                timer,
                wake: resolve,
            });
        });
        if let Ok(mut i) = self.inflight.try_borrow_mut() {
            *i = slot;
        }
        let woke = JsFuture::from(promise).await.ok() == Some(JsValue::TRUE);
        if let Ok(mut i) = self.inflight.try_borrow_mut() {
            if matches!(*i, Some(Inflight::Sleep { .. })) && woke {
                *i = None;
            }
        }
        woke
    }

    /// Sends one request and feeds the outcome to the flow.
    async fn exchange(&self, req: &HttpRequest) -> Option<Action<Item>> {
        let ctrl = match AbortController::new() {
            Ok(c) => c,
            Err(_) => {
                return self.with_flow(|f, now| f.on_failure(req.ticket, Failure::Network, now))
            }
        };
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let ctrl = ctrl.clone();
            let timed_out = Rc::clone(&timed_out);
            Closure::once_into_js(move || {
                timed_out.set(true);
                ctrl.abort();
            })
        };
        let timer = call_global(
            "setTimeout",
            &on_timeout,
            &JsValue::from_f64(req.timeout_ms as f64),
        )
        .unwrap_or(JsValue::UNDEFINED);
        if let Ok(mut i) = self.inflight.try_borrow_mut() {
            *i = Some(Inflight::Fetch(ctrl.clone()));
        }
        let answer = self.send(req, &ctrl).await;
        let _ = call_global("clearTimeout", &timer, &JsValue::UNDEFINED);
        if let Ok(mut i) = self.inflight.try_borrow_mut() {
            if matches!(&*i, Some(Inflight::Fetch(c)) if c == &ctrl) {
                *i = None;
            }
        }
        match answer {
            Some(resp) => self.with_flow(|f, now| f.on_response(req.ticket, resp, now)),
            None => {
                let failure = if !ctrl.signal().aborted() {
                    Failure::Network
                } else if timed_out.get() {
                    Failure::Timeout
                } else {
                    Failure::Aborted
                };
                self.with_flow(|f, now| f.on_failure(req.ticket, failure, now))
            }
        }
    }

    /// The HTTP exchange itself; `None` when no answer came (network, CORS, abort).
    async fn send(&self, req: &HttpRequest, ctrl: &AbortController) -> Option<Response<JsBody>> {
        let o = &self.options;
        let url = format!("{}{}", o.proxy_url, req.path_and_query);
        let method = match req.method {
            FlowMethod::Get => Method::GET,
            FlowMethod::Post => Method::POST,
            FlowMethod::Patch => Method::PATCH,
            FlowMethod::Delete => Method::DELETE,
        };
        let signal = ctrl.signal();
        let mut b = RequestBuilder::new(&url)
            .method(method)
            .abort_signal(Some(&signal));
        for (name, value) in &o.headers {
            b = b.header(name, value);
        }
        if let Some(cap) = &req.link_capability {
            b = b.header(LINK_CAPABILITY_HEADER, cap);
        }
        if let Some(c) = o.credentials {
            b = b.credentials(match c {
                Credentials::Omit => RequestCredentials::Omit,
                Credentials::SameOrigin => RequestCredentials::SameOrigin,
                Credentials::Include => RequestCredentials::Include,
            });
        }
        let request = match &req.body {
            Some(body) => {
                let text = js_sys::JSON::stringify(&to_js(body)).ok()?.as_string()?;
                b.header("Content-Type", "application/json")
                    .body(text)
                    .ok()?
            }
            None => b.build().ok()?,
        };
        let resp = request.send().await.ok()?;
        let headers = resp.headers();
        let text = resp.text().await.ok()?;
        Some(Response {
            status: resp.status(),
            body: Body::from_text(text, |t| js_sys::JSON::parse(t).ok().map(JsBody)),
            link_capability: headers.get(LINK_CAPABILITY_HEADER),
            retry_after: headers.get("Retry-After"),
        })
    }
}

fn now_ms() -> u64 {
    let t = js_sys::Date::now();
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

/// Calls `globalThis[name](a, b)`, looked up at call time (windows, workers, Node, workerd).
fn call_global(name: &str, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(&js_sys::global(), &JsValue::from_str(name))?.dyn_into()?;
    f.call2(&JsValue::UNDEFINED, a, b)
}

fn rejected(code: &str, message: &str) -> Promise {
    Promise::reject(&coded_error(code, message).into())
}

#[cfg(test)]
mod tests {
    use employment_link_core::flow::EventType;

    /// `ClientEvent` in client.d.ts spells one member per event type; they must be the core's.
    #[test]
    fn client_event_members_are_the_core_event_types() {
        let ts = include_str!("client.d.ts");
        let decl = &ts[ts.find("export type ClientEvent").unwrap_or(0)..];
        let decl = &decl[..decl.find(");").unwrap_or(decl.len())];
        let mut written: Vec<&str> = decl
            .split("type: \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let mut core: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        written.sort_unstable();
        core.sort_unstable();
        assert_eq!(written, core);
        // The unions the declarations use are the generated ones.
        assert!(ts.contains("category: ErrorCategory;"));
        assert!(ts.contains("status: ClientStatus;"));
        assert!(ts.contains("institution: Institution | (string & {});"));
    }
}
