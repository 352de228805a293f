// Shared wasm-bindgen-test cases for the browser flow client (`EmploymentLink`) against the
// real Worker proxy + embedded emulator (included by web_flow.rs and wasm_node_flow.rs, so the
// same flows run in headless Chromium and in Node).
//
// The Worker is started by scripts/test-wasm.sh (tests/support/start-worker.mjs) in emulator
// mode on a loopback port; its URL comes in at compile time as `EL_PROXY_URL`. Scenario
// identifiers: worker/README.md "Scenarios". Everything goes through the class's JS API: the
// exported constructor, then its methods (returning Promises) called by their JS names.
use employment_link_core::id::{cpf, curp};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// The Worker under test (scripts/test-wasm.sh sets `EL_PROXY_URL`).
const PROXY_URL: &str = match option_env!("EL_PROXY_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:38787",
};

const SANDBOX_CURP: &str = "BLPM951331IONVGR54";
const CURP_VISIT_OFFICE: &str = "EXMU900102HDFRRN00"; // imss_nss_not_found
const CURP_DAILY_LIMIT: &str = "EXMU900110HDFRRN08"; // imss_daily_limit: 403 forbidden_by_host
const CURP_TOO_MANY_ONCE: &str = "EXMU900112HDFRRN00"; // too_many_sessions once, then 201
const CURP_500: &str = "EXMU900113HDFRRN01"; // 500 unexpected_error
const CURP_SLOW: &str = "EXMU900117HDFRRN05"; // 201 after EMULATOR_SLOW_MS (2500 ms here)
const CPF_TOO_MANY_ONCE: &str = "10000001252"; // too_many_sessions once, then 428
const CPF_SHORT_SESSION: &str = "10000002062"; // 428 with expiry 1 s
const PASSWORD: &str = "s3cret-Passw0rd";

/// Calls `globalThis[name](a, b)` (through Reflect: an `extern` import of `fetch` or
/// `setTimeout` here would clash with the crate's own imports at link time).
fn call_global(name: &str, a: &JsValue, b: &JsValue) -> JsValue {
    let f: Function = Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .unwrap_or_else(|| panic!("globalThis.{name} is not a function"));
    f.call2(&JsValue::UNDEFINED, a, b)
        .unwrap_or_else(|e| panic!("{name} threw: {}", dump(&e)))
}

// --- the client under test --------------------------------------------------------------------

/// The exported `EmploymentLink` class, seen as JS sees it: constructed through the
/// `#[wasm_bindgen]` constructor, then driven through its JS methods and getter by name.
struct EmploymentLink(JsValue);

impl EmploymentLink {
    fn new(options: JsValue) -> Result<EmploymentLink, JsValue> {
        employment_link::client::EmploymentLink::new(options).map(|c| EmploymentLink(c.into()))
    }

    fn call(&self, name: &str, args: &[&JsValue]) -> JsValue {
        let f: Function = Reflect::get(&self.0, &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .unwrap_or_else(|| panic!("EmploymentLink.{name} is not a method"));
        let args: Array = args.iter().copied().collect();
        f.apply(&self.0, &args)
            .unwrap_or_else(|e| panic!("EmploymentLink.{name} threw: {}", dump(&e)))
    }

    fn create_link(&self, params: JsValue) -> Promise {
        self.call("createLink", &[&params]).unchecked_into()
    }
    fn submit_token(&self, token: JsValue) -> Promise {
        self.call("submitToken", &[&token]).unchecked_into()
    }
    fn wait_for_data(&self, options: JsValue) -> Promise {
        self.call("waitForData", &[&options]).unchecked_into()
    }
    fn employment_records(&self) -> Promise {
        self.call("employmentRecords", &[]).unchecked_into()
    }
    fn employments(&self) -> Promise {
        self.call("employments", &[]).unchecked_into()
    }
    fn owners(&self) -> Promise {
        self.call("owners", &[]).unchecked_into()
    }
    fn employment_metrics(&self) -> Promise {
        self.call("employmentMetrics", &[]).unchecked_into()
    }
    fn delete_link(&self) -> Promise {
        self.call("deleteLink", &[]).unchecked_into()
    }
    fn state(&self) -> JsValue {
        Reflect::get(&self.0, &"state".into()).expect("state")
    }
    fn cancel(&self) -> bool {
        self.call("cancel", &[]) == JsValue::TRUE
    }
    fn restart(&self) {
        self.call("restart", &[]);
    }
}

// --- helpers ---------------------------------------------------------------------------------

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set a property");
    }
    o.into()
}

fn strs(items: &[&str]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect::<Array>()
        .into()
}

fn dump(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{v:?}"))
}

/// `v.a.b.c` (undefined when a step is missing).
fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |cur, k| {
        if cur.is_object() {
            Reflect::get(&cur, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    })
}

fn text(v: &JsValue, path: &str) -> String {
    get(v, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string in {}", dump(v)))
}

fn num(v: &JsValue, path: &str) -> f64 {
    get(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number in {}", dump(v)))
}

fn len(v: &JsValue, path: &str) -> u32 {
    let a = get(v, path);
    assert!(Array::is_array(&a), "{path} is not an array in {}", dump(v));
    Array::from(&a).length()
}

/// Awaits a promise that must resolve (a rejection is client misuse here: a test bug).
async fn settle(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!(
            "promise rejected: code={:?} message={:?}",
            get(&e, "code").as_string(),
            get(&e, "message").as_string()
        ),
    }
}

/// Asserts `step.status == want` (with a hint when the Worker is not reachable).
fn expect_status(step: &JsValue, want: &str) {
    let got = get(step, "status").as_string().unwrap_or_default();
    if got != want {
        let hint = if get(step, "error.code").as_string().as_deref() == Some("network_error") {
            format!(" — is the Worker running at {PROXY_URL}? scripts/test-wasm.sh starts it")
        } else {
            String::new()
        };
        panic!("expected status {want:?}, got {}{hint}", dump(step));
    }
}

fn expect_error(step: &JsValue, category: &str, code: &str) {
    expect_status(step, "error");
    assert_eq!(text(step, "error.category"), category, "{}", dump(step));
    assert_eq!(text(step, "error.code"), code, "{}", dump(step));
    assert!(!text(step, "error.message").is_empty(), "{}", dump(step));
}

async fn sleep(ms: u32) {
    let p = Promise::new(&mut |resolve: Function, _reject: Function| {
        call_global("setTimeout", &resolve, &JsValue::from(ms));
    });
    let _ = JsFuture::from(p).await;
}

/// `{method} {proxy}{path}` on an emulator admin route; asserts 200, returns the JSON body.
async fn admin(method: &str, path: &str) -> JsValue {
    let url = format!("{PROXY_URL}{path}");
    let init = obj(&[("method", JsValue::from_str(method))]);
    let fetched: Promise = call_global("fetch", &JsValue::from_str(&url), &init).unchecked_into();
    let resp = JsFuture::from(fetched).await.unwrap_or_else(|e| {
        panic!(
            "{method} {url} failed ({}): is the Worker running?",
            dump(&e)
        )
    });
    assert_eq!(num(&resp, "status"), 200.0, "{method} {url}");
    let json: Promise = Reflect::get(&resp, &"json".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&resp).ok())
        .expect("response.json()")
        .unchecked_into();
    JsFuture::from(json).await.expect("admin answer is JSON")
}

async fn admin_post(path: &str) {
    admin("POST", path).await;
}

/// How many requests reached the emulator (Belvo) so far. Tests run one at a time (suites
/// too), so a difference around one call counts exactly that call's upstream requests.
async fn upstream_requests() -> f64 {
    num(&admin("GET", "/__emulator/stats").await, "requests")
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// An `EmploymentLink` on the Worker, English messages, fast retries, every event recorded.
struct Client {
    el: EmploymentLink,
    events: Array,
}

impl Client {
    fn new() -> Client {
        let events = Array::new();
        let sink = events.clone();
        let on_event = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            sink.push(&e);
        });
        let options = obj(&[
            ("proxyUrl", PROXY_URL.into()),
            ("locale", "en".into()),
            ("timeoutMs", 20_000.into()),
            ("retry", obj(&[("max", 3.into()), ("baseMs", 50.into())])),
            ("onEvent", on_event.into_js_value()),
        ]);
        let el = EmploymentLink::new(options)
            .unwrap_or_else(|e| panic!("new EmploymentLink threw: {}", dump(&e)));
        Client { el, events }
    }

    async fn create(&self, institution: &str, username: &str, password: Option<&str>) -> JsValue {
        let mut p = vec![
            ("institution", JsValue::from_str(institution)),
            ("username", JsValue::from_str(username)),
        ];
        if let Some(pw) = password {
            p.push(("password", JsValue::from_str(pw)));
        }
        settle(self.el.create_link(obj(&p))).await
    }

    async fn token(&self, token: &str) -> JsValue {
        settle(self.el.submit_token(JsValue::from_str(token))).await
    }

    async fn wait_for_data(&self) -> JsValue {
        settle(self.el.wait_for_data(obj(&[("timeoutMs", 20_000.into())]))).await
    }

    fn status(&self) -> String {
        text(&self.el.state(), "status")
    }

    fn events_of(&self, ty: &str) -> Vec<JsValue> {
        self.events
            .iter()
            .filter(|e| get(e, "type").as_string().as_deref() == Some(ty))
            .collect()
    }

    fn requests(&self, method: &str) -> usize {
        self.events_of("request")
            .iter()
            .filter(|e| get(e, "method").as_string().as_deref() == Some(method))
            .count()
    }

    /// The HTTP statuses answered, in order (a retried request emits `retry`, then its
    /// `response`, but no second `request` event).
    fn responses(&self) -> Vec<f64> {
        self.events_of("response")
            .iter()
            .map(|e| num(e, "httpStatus"))
            .collect()
    }

    /// Nothing the person typed shows up in the events or the state.
    fn assert_no_pii(&self, secrets: &[&str]) {
        let all = format!(
            "{}{}",
            dump(&self.events.clone().into()),
            dump(&self.el.state())
        );
        for s in secrets {
            assert!(!all.contains(s), "{s:?} leaked into events/state: {all}");
        }
    }
}

/// A valid CURP that is no emulator scenario (default: 201 + data).
fn default_curp(seed: u64) -> String {
    let c = curp::generate(seed);
    let s = c.as_str();
    assert!(!s.starts_with("EXMU"), "{s} collides with a scenario");
    String::from(s)
}

/// A valid CPF that is no emulator scenario (default: 428 + token rules).
fn default_cpf(seed: u64) -> String {
    let c = cpf::generate(seed);
    let s = c.as_str();
    assert!(!s.starts_with("1000000"), "{s} collides with a scenario");
    String::from(s)
}

fn assert_linked(step: &JsValue, institution: &str) -> String {
    expect_status(step, "linked");
    assert_eq!(
        text(step, "link.institution"),
        institution,
        "{}",
        dump(step)
    );
    let id = text(step, "link.id");
    assert!(!id.is_empty());
    id
}

fn assert_ready(step: &JsValue, resources: &[&str]) {
    expect_status(step, "ready");
    for r in resources {
        assert!(num(step, r) >= 1.0, "{r} count in {}", dump(step));
    }
}

fn assert_data(step: &JsValue, resource: &str) -> u32 {
    expect_status(step, "ok");
    assert_eq!(text(step, "resource"), resource, "{}", dump(step));
    let n = len(step, "results");
    assert!(n >= 1, "no {resource} in {}", dump(step));
    assert_eq!(num(step, "count"), f64::from(n), "count vs results");
    assert_eq!(get(step, "truncated"), JsValue::FALSE);
    n
}

// --- MX ---------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn mx_sandbox_curp_links_and_fetches_employment_records() {
    let c = Client::new();
    let step = c.create("planet_mx_employment", SANDBOX_CURP, None).await;
    let link_id = assert_linked(&step, "planet_mx_employment");
    assert_eq!(c.status(), "linked");
    assert_eq!(c.events_of("linked").len(), 1);

    let ready = c.wait_for_data().await;
    assert_ready(&ready, &["EMPLOYMENT_RECORDS", "OWNERS"]);
    assert_eq!(c.status(), "ready");
    assert_eq!(text(&c.el.state(), "linkId"), link_id);
    assert_eq!(c.events_of("data_ready").len(), 1);

    let records = settle(c.el.employment_records()).await;
    let n = assert_data(&records, "EMPLOYMENT_RECORDS");
    assert_eq!(f64::from(n), num(&ready, "EMPLOYMENT_RECORDS"));
    let first = get(&records, "results.0");
    assert!(first.is_object(), "{}", dump(&records));
    let owners = settle(c.el.owners()).await;
    assert_data(&owners, "OWNERS");
    // BR employments are not offered by an MX institution: integration error, nothing sent.
    let br = settle(c.el.employments()).await;
    expect_status(&br, "error");
    assert_eq!(text(&br, "error.category"), "integration");
    c.assert_no_pii(&[SANDBOX_CURP]);
}

#[wasm_bindgen_test]
async fn delete_link_after_reading_the_data() {
    // Through the real Worker: the browser's CORS preflight for DELETE, the capability, the
    // emulator forgetting the link, and the client back to idle.
    let c = Client::new();
    let step = c.create("planet_mx_employment", SANDBOX_CURP, None).await;
    let link_id = assert_linked(&step, "planet_mx_employment");
    assert_ready(&c.wait_for_data().await, &["EMPLOYMENT_RECORDS", "OWNERS"]);
    assert_data(&settle(c.el.owners()).await, "OWNERS");
    let before = admin("GET", "/__emulator/stats").await;

    let gone = settle(c.el.delete_link()).await;
    expect_status(&gone, "deleted");
    assert_eq!(text(&gone, "linkId"), link_id);
    assert_eq!(c.status(), "idle");
    assert!(get(&c.el.state(), "linkId").is_undefined());
    assert_eq!(c.requests("DELETE"), 1);
    assert_eq!(c.responses().last(), Some(&204.0));
    let after = admin("GET", "/__emulator/stats").await;
    assert_eq!(num(&after, "requests") - num(&before, "requests"), 1.0);
    assert_eq!(
        num(&after, "links"),
        num(&before, "links") - 1.0,
        "the emulator still has the link"
    );
    // Nothing is left to delete: misuse, thrown as a coded Error.
    let again = JsFuture::from(c.el.delete_link()).await;
    let e = again.expect_err("a second deleteLink resolved");
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("invalid_state"));
    c.assert_no_pii(&[SANDBOX_CURP]);
}

#[wasm_bindgen_test]
async fn mx_imss_default_curp_links_and_fetches_everything() {
    let curp = default_curp(20_261_123);
    let c = Client::new();
    let params = obj(&[
        ("institution", "imss_mx_employment".into()),
        ("username", JsValue::from_str(&curp)),
        (
            "fetchResources",
            strs(&["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"]),
        ),
    ]);
    let step = settle(c.el.create_link(params)).await;
    assert_linked(&step, "imss_mx_employment");
    let ready = c.wait_for_data().await;
    assert_ready(
        &ready,
        &["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"],
    );
    assert_data(
        &settle(c.el.employment_records()).await,
        "EMPLOYMENT_RECORDS",
    );
    assert_data(&settle(c.el.owners()).await, "OWNERS");
    assert_data(
        &settle(c.el.employment_metrics()).await,
        "EMPLOYMENT_METRICS",
    );
    assert_eq!(c.status(), "ready");
    c.assert_no_pii(&[&curp]);
}

#[wasm_bindgen_test]
async fn mx_imss_visit_office() {
    let c = Client::new();
    let step = c
        .create("imss_mx_employment", CURP_VISIT_OFFICE, None)
        .await;
    expect_error(&step, "visit_office", "login_error");
    assert_eq!(text(&step, "error.reason"), "nss_not_found");
    assert_eq!(num(&step, "error.status"), 400.0);
    assert!(get(&step, "error.requestId").is_string(), "{}", dump(&step));
    assert_eq!(c.status(), "error");
    assert_eq!(c.responses(), [400.0], "not resent");
}

#[wasm_bindgen_test]
async fn mx_imss_forbidden_by_host_is_retry_later_tomorrow() {
    let c = Client::new();
    let step = c.create("imss_mx_employment", CURP_DAILY_LIMIT, None).await;
    expect_error(&step, "retry_later", "forbidden_by_host");
    assert_eq!(num(&step, "error.status"), 403.0);
    assert_eq!(text(&step, "error.reason"), "daily_limit_reached");
    assert_eq!(num(&step, "error.retryAfterSeconds"), 86_400.0);
    assert_eq!(c.responses(), [403.0], "not resent");
}

// --- BR ---------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn br_wrong_token_then_right_one() {
    let cpf = default_cpf(20_261_123);
    let c = Client::new();
    let step = c.create("inss_br_employment", &cpf, Some(PASSWORD)).await;
    expect_status(&step, "token_required");
    // The seed's INSS challenge: inputless, the person types what their app generates.
    assert_eq!(text(&step, "challenge.type"), "inputless");
    assert_eq!(get(&step, "challenge.expectsUserInput"), JsValue::TRUE);
    assert_eq!(num(&step, "challenge.expiresInSeconds"), 120.0);
    assert!(
        get(&step, "challenge.expiresAt").is_string(),
        "{}",
        dump(&step)
    );
    let link_id = text(&step, "challenge.linkId");
    assert_eq!(c.status(), "token_required");

    // The emulator answers any token but 111111 with a new challenge (new session).
    let again = c.token("999999").await;
    expect_status(&again, "token_required");
    assert_eq!(text(&again, "challenge.linkId"), link_id);
    assert_eq!(c.status(), "token_required");
    assert_eq!(c.events_of("token_required").len(), 2);

    let linked = c.token("111111").await;
    assert_eq!(assert_linked(&linked, "inss_br_employment"), link_id);
    assert_eq!(c.requests("PATCH"), 2);

    let ready = c.wait_for_data().await;
    assert_ready(&ready, &["EMPLOYMENTS", "OWNERS"]);
    assert_data(&settle(c.el.employments()).await, "EMPLOYMENTS");
    assert_data(&settle(c.el.owners()).await, "OWNERS");
    c.assert_no_pii(&[&cpf, PASSWORD, "999999", "111111"]);
}

#[wasm_bindgen_test]
async fn br_short_session_expires_and_asks_for_a_restart() {
    let c = Client::new();
    let step = c
        .create("inss_br_employment", CPF_SHORT_SESSION, Some(PASSWORD))
        .await;
    expect_status(&step, "token_required");
    assert_eq!(num(&step, "challenge.expiresInSeconds"), 1.0);
    sleep(1_500).await;
    let late = c.token("111111").await;
    expect_error(&late, "restart", "session_expired");
    assert_eq!(num(&late, "error.status"), 400.0);
    assert_eq!(c.status(), "error");
    // A restart brings the client back to idle, ready for a new attempt.
    c.el.restart();
    assert_eq!(c.status(), "idle");
}

#[wasm_bindgen_test]
async fn br_session_expired_by_the_emulator_clock() {
    let c = Client::new();
    let step = c
        .create("inss_br_employment", &default_cpf(42), Some(PASSWORD))
        .await;
    expect_status(&step, "token_required");
    admin_post("/__emulator/clock?advance=121").await;
    let late = c.token("111111").await;
    expect_error(&late, "restart", "session_expired");
    assert_eq!(c.status(), "error");
}

// --- retries ------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn post_500_surfaces_as_retry_and_is_never_resent() {
    // A 5xx on POST /api/links/ may have created a link, so the client must not resend it:
    // the error surfaces at once with category "retry" (the person may try again).
    let c = Client::new();
    let before = upstream_requests().await;
    let step = c.create("imss_mx_employment", CURP_500, None).await;
    expect_error(&step, "retry", "unexpected_error");
    assert_eq!(num(&step, "error.status"), 500.0);
    assert_eq!(
        upstream_requests().await - before,
        1.0,
        "POST resent after a 500"
    );
    assert_eq!(c.requests("POST"), 1);
    assert_eq!(c.responses(), [500.0]);
    assert!(c.events_of("retry").is_empty());
    assert_eq!(c.status(), "error");
}

#[wasm_bindgen_test]
async fn too_many_sessions_is_retried_then_links() {
    // The scenario answers too_many_sessions once per (institution, identifier) and emulator
    // lifetime: scripts/test-wasm.sh gives each suite (Node, Chromium) a fresh Worker. (No
    // `POST /__emulator/reset` here: after a reset the emulator repeats its link ids, which
    // collide with links of earlier tests still in the proxy's KV event store.)
    let c = Client::new();
    let before = upstream_requests().await;
    let step = c
        .create("imss_mx_employment", CURP_TOO_MANY_ONCE, None)
        .await;
    assert_linked(&step, "imss_mx_employment");
    assert_eq!(upstream_requests().await - before, 2.0);
    assert_eq!(c.responses(), [400.0, 201.0]);
    let retries = c.events_of("retry");
    assert_eq!(retries.len(), 1, "{}", dump(&c.events.clone().into()));
    assert_eq!(text(&retries[0], "code"), "too_many_sessions");
    assert_eq!(num(&retries[0], "attempt"), 1.0);

    let b = Client::new();
    let step = b
        .create("inss_br_employment", CPF_TOO_MANY_ONCE, Some(PASSWORD))
        .await;
    expect_status(&step, "token_required");
    assert_eq!(b.responses(), [400.0, 428.0]);
    assert_eq!(b.events_of("retry").len(), 1);
}

// --- cancel -----------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn cancel_aborts_the_request_in_flight() {
    let c = Client::new();
    let started = now_ms();
    let pending = c.el.create_link(obj(&[
        ("institution", "imss_mx_employment".into()),
        ("username", CURP_SLOW.into()),
    ]));
    sleep(300).await;
    assert_eq!(c.status(), "creating_link");
    assert_eq!(get(&c.el.state(), "busy"), JsValue::TRUE);
    assert!(c.el.cancel(), "nothing was cancelled");
    let step = settle(pending).await;
    let elapsed = now_ms() - started;
    expect_error(&step, "restart", "cancelled");
    assert_eq!(num(&step, "error.status"), 0.0);
    assert!(
        elapsed < 2_000.0,
        "settled after {elapsed} ms: the slow answer (2500 ms) was awaited, not aborted"
    );
    assert_eq!(c.status(), "cancelled");
    assert_eq!(c.events_of("cancelled").len(), 1);
    assert!(!c.el.cancel(), "a second cancel has nothing to cancel");

    // The same client links afterwards.
    c.el.restart();
    let step = c.create("planet_mx_employment", SANDBOX_CURP, None).await;
    assert_linked(&step, "planet_mx_employment");
}

#[wasm_bindgen_test]
async fn cancel_right_after_create_link_sends_nothing() {
    let c = Client::new();
    let started = now_ms();
    let pending = c.el.create_link(obj(&[
        ("institution", "imss_mx_employment".into()),
        ("username", CURP_SLOW.into()),
    ]));
    // Same task as the call: the request has not left yet, so it must never leave.
    assert!(c.el.cancel(), "nothing was cancelled");
    let step = settle(pending).await;
    let elapsed = now_ms() - started;
    expect_error(&step, "restart", "cancelled");
    assert!(
        elapsed < 1_000.0,
        "settled after {elapsed} ms: the create was sent (and its slow answer awaited) after cancel()"
    );
    assert_eq!(c.events_of("response").len(), 0, "the create was answered");
    assert_eq!(c.status(), "cancelled");
}
