//! The Cloudflare Worker adapter: moves bytes between workerd and the pure proxy core
//! ([`employment_link_core::proxy`]) and emulator ([`employment_link_core::emulator`]). It decides nothing.
//!
//! * Configuration: read from the Worker `env` on every request (vars and secrets; see the
//!   README), cached while it does not change.
//! * Store: the KV namespace bound as `EMPLOYMENT_LINK_KV`; without that binding, module-global
//!   memory (one isolate; fine for `wrangler dev` and tests, not for production).
//! * Upstream: `fetch` through gloo-net with Basic auth and a timeout (AbortController), or —
//!   when `BELVO_ENV=emulator` (the default without secrets) — the in-process emulator, whose
//!   state lives in module-global memory of the isolate.
//! * Emulator webhooks: after the configured delay (a `setTimeout` promise kept alive with
//!   `ctx.waitUntil`), each `historical_update` payload goes through the proxy's own
//!   `POST /webhooks` handling in-process, with `WEBHOOK_TOKEN` as `Authorization` — the same
//!   code path as a webhook from Belvo, without a network round trip.
//! * Logs: one JSON line per request ([`employment_link_core::proxy::LogRecord`]): request id, route label,
//!   status, codes — never an identifier, password, token or secret.
#![warn(missing_docs)]

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{self, Emulator, EmulatorConfig};
use employment_link_core::proxy::body::{self, BodyLimit};
use employment_link_core::proxy::{
    BelvoEnv, Config, Context, EmulatorRoute, MemoryStore, Proxy, Reject, Request, Response, Store,
    StoreError, Upstream, UpstreamError, UpstreamRequest, UpstreamResponse, EMULATOR_DIRECT_PREFIX,
    RELEVANT_HEADERS,
};

/// The KV binding name the Worker uses for events, dedupe markers and attempt counters.
pub const KV_BINDING: &str = "EMPLOYMENT_LINK_KV";

/// Every env key the configuration reads.
const ENV_KEYS: &[&str] = &[
    "BELVO_ENV",
    "BELVO_SECRET_ID",
    "BELVO_SECRET_PASSWORD",
    "WEBHOOK_TOKEN",
    "WEBHOOK_ALLOWED_IPS",
    "LINK_KEY",
    "ALLOWED_ORIGINS",
    "ALLOWED_INSTITUTIONS",
    "BELVO_BASE_URL",
    "ATTEMPT_LIMIT",
    "EVENTS_TTL_SECONDS",
    "EVENTS_MAX_PER_LINK",
    "UPSTREAM_TIMEOUT_MS",
    "UPSTREAM_MAX_BYTES",
    "BODY_READ_TIMEOUT_MS",
    "EMULATOR_WEBHOOK_DELAY_MS",
    "EMULATOR_SLOW_MS",
];

/// Per-isolate state.
struct Shared {
    env_values: Vec<Option<String>>,
    proxy: Result<Rc<Proxy>, &'static str>,
    emulator: Option<Rc<RefCell<Emulator>>>,
}

thread_local! {
    static SHARED: RefCell<Option<Shared>> = const { RefCell::new(None) };
    static MEMORY: Rc<MemoryStore> = Rc::new(MemoryStore::new());
    static SEQ: Cell<u64> = const { Cell::new(0) };
    /// The link key of emulator mode without `LINK_KEY`: drawn once per isolate.
    static RANDOM_LINK_KEY: OnceCell<Option<[u8; 32]>> = const { OnceCell::new() };
}

fn log_line(line: &str) {
    web_sys::console::log_1(&JsValue::from_str(line));
}

fn now_ms() -> u64 {
    let t = js_sys::Date::now();
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

fn random_u64() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) | lo
}

/// 32 bytes from `crypto.getRandomValues` (the runtime's CSPRNG); `None` if it is missing.
fn secure_random_32() -> Option<[u8; 32]> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    let get_random = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let buf = Uint8Array::new_with_length(32);
    get_random.call1(&crypto, &buf).ok()?;
    let mut out = [0u8; 32];
    buf.copy_to(&mut out);
    Some(out)
}

/// This isolate's random link key (the same for every configuration it loads).
fn random_link_key() -> Option<[u8; 32]> {
    RANDOM_LINK_KEY.with(|k| *k.get_or_init(secure_random_32))
}

fn request_id() -> String {
    let n = SEQ.with(|s| {
        let v = s.get().wrapping_add(1);
        s.set(v);
        v
    });
    let a = random_u64();
    let b = random_u64() ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!("{a:016x}{b:016x}")
}

fn env_string(env: &JsValue, key: &str) -> Option<String> {
    let v = Reflect::get(env, &JsValue::from_str(key)).ok()?;
    v.as_string()
}

/// The proxy (or why the configuration is unusable) and the isolate's emulator, if any.
type Loaded = (
    Result<Rc<Proxy>, &'static str>,
    Option<Rc<RefCell<Emulator>>>,
);

/// Reads the configuration (and the isolate's emulator), announcing emulator mode once.
fn shared(env: &JsValue) -> Loaded {
    let values: Vec<Option<String>> = ENV_KEYS.iter().map(|k| env_string(env, k)).collect();
    SHARED.with(|cell| {
        let mut slot = cell.borrow_mut();
        if let Some(s) = slot.as_ref() {
            if s.env_values == values {
                return (s.proxy.clone(), s.emulator.clone());
            }
        }
        let random_key = random_link_key();
        let cfg = Config::from_env(
            |k| ENV_KEYS.iter().position(|x| *x == k).and_then(|i| values.get(i).cloned().flatten()),
            random_key.as_ref(),
        );
        let (proxy, emulator) = match cfg {
            Ok(cfg) => {
                for w in &cfg.warnings {
                    log_line(&format!(r#"{{"level":"warn","msg":"configuration","detail":"{w}"}}"#));
                }
                let emulator = (cfg.env == BelvoEnv::Emulator).then(|| {
                    // Keep the emulator's links across configuration reloads when possible.
                    let kept = slot.as_ref().and_then(|s| s.emulator.clone());
                    let ecfg = emulator_config(&cfg, random_u64());
                    match kept {
                        Some(e) if same_emulator(&e.borrow(), &ecfg) => e,
                        _ => Rc::new(RefCell::new(Emulator::new(ecfg))),
                    }
                });
                if emulator.is_some() {
                    log_line(
                        r#"{"level":"warn","msg":"employment-link is in EMULATOR mode: Belvo is not called; every answer comes from the embedded sandbox emulator. Set BELVO_SECRET_ID and BELVO_SECRET_PASSWORD (and BELVO_ENV=sandbox|production) to use Belvo."}"#,
                    );
                } else {
                    log_line(&format!(
                        r#"{{"level":"info","msg":"employment-link proxy to Belvo","belvo_env":"{}"}}"#,
                        cfg.env.as_str()
                    ));
                }
                (Ok(Rc::new(Proxy::new(cfg))), emulator)
            }
            Err(e) => {
                log_line(&format!(
                    r#"{{"level":"error","msg":"configuration error","detail":"{}"}}"#,
                    e.as_str()
                ));
                (Err(e.as_str()), None)
            }
        };
        *slot = Some(Shared { env_values: values, proxy: proxy.clone(), emulator: emulator.clone() });
        (proxy, emulator)
    })
}

/// The emulator settings that match the proxy's configuration: the emulator expects the
/// credentials the proxy sends.
fn emulator_config(cfg: &Config, seed: u64) -> EmulatorConfig {
    EmulatorConfig {
        secret_id: cfg.secret_id.clone(),
        secret_password: cfg.secret_password.clone(),
        webhook_delay_ms: cfg.emulator_webhook_delay_ms,
        slow_ms: cfg.emulator_slow_ms,
        seed,
        ..EmulatorConfig::default()
    }
}

fn same_emulator(e: &Emulator, c: &EmulatorConfig) -> bool {
    let a = e.config();
    a.secret_id == c.secret_id
        && a.secret_password == c.secret_password
        && a.webhook_delay_ms == c.webhook_delay_ms
        && a.slow_ms == c.slow_ms
}

// ------------------------------------------------------------------------------------------
// JS helpers: timers, promises
// ------------------------------------------------------------------------------------------

fn global_fn(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

/// A promise that resolves after `ms` milliseconds.
fn sleep(ms: u64) -> JsFuture {
    let promise = Promise::new(&mut |resolve, _reject| {
        if let Some(set_timeout) = global_fn("setTimeout") {
            let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from_f64(ms as f64));
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    JsFuture::from(promise)
}

fn wait_until(ctx: &JsValue, promise: &Promise) {
    let f = Reflect::get(ctx, &JsValue::from_str("waitUntil"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(f) = f {
        let _ = f.call1(ctx, promise);
    }
}

/// Calls `obj[name]()`.
fn call_method(obj: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(obj, &JsValue::from_str(name))?
        .dyn_into::<Function>()?
        .call0(obj)
}

/// Cancels a stream or reader without waiting; a rejection is swallowed (not unhandled).
fn cancel(stream_or_reader: &JsValue) {
    if let Ok(p) = call_method(stream_or_reader, "cancel").and_then(|p| p.dyn_into::<Promise>()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(p).await;
        });
    }
}

/// A promise resolving to `undefined` after `ms` milliseconds; its timer is cleared on drop.
struct Deadline {
    promise: Promise,
    timer: Option<JsValue>,
}

impl Deadline {
    fn start(ms: u64) -> Deadline {
        let mut timer = None;
        let promise = Promise::new(&mut |resolve, _reject| {
            timer = global_fn("setTimeout").and_then(|f| {
                f.call2(&JsValue::NULL, &resolve, &JsValue::from_f64(ms as f64))
                    .ok()
            });
        });
        Deadline { promise, timer }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(t), Some(clear)) = (self.timer.take(), global_fn("clearTimeout")) {
            let _ = clear.call1(&JsValue::NULL, &t);
        }
    }
}

/// Why a streamed body could not be read.
enum ReadError {
    /// The deadline passed first.
    Timeout,
    /// The stream failed (client gone, upstream aborted) or delivered something not bytes.
    Broken,
}

/// What [`read_limited`] kept of a body: views of its chunks (still in JS memory) and the
/// count.
struct Kept {
    chunks: Vec<Uint8Array>,
    limit: BodyLimit,
}

impl Kept {
    /// The kept bytes in one vector of exactly their size: one allocation in wasm memory
    /// (which never shrinks), not a vector doubling its way up. `None` if that memory
    /// cannot be had.
    fn into_bytes(self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        out.try_reserve_exact(self.limit.held()).ok()?;
        for chunk in &self.chunks {
            let start = out.len();
            out.resize(start.saturating_add(chunk.length() as usize), 0);
            chunk.copy_to(out.get_mut(start..)?);
        }
        Some(out)
    }
}

/// Reads the `ReadableStream` `stream`, keeping what a [`BodyLimit`] of `max` bytes wants of
/// each chunk, and cancels it as soon as the limit is exceeded (or the deadline passes): an
/// oversized body is never read whole, and nothing of it reaches wasm memory until the
/// caller asks ([`Kept::into_bytes`]).
async fn read_limited(
    stream: &JsValue,
    max: usize,
    timeout_ms: Option<u64>,
) -> Result<Kept, ReadError> {
    let mut kept = Kept {
        chunks: Vec::new(),
        limit: BodyLimit::new(max),
    };
    let reader = call_method(stream, "getReader").map_err(|_| ReadError::Broken)?;
    let read = Reflect::get(&reader, &JsValue::from_str("read"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(ReadError::Broken)?;
    let deadline = timeout_ms.map(Deadline::start);
    let outcome = loop {
        let next = match read.call0(&reader).and_then(|p| p.dyn_into::<Promise>()) {
            Ok(p) => p,
            Err(_) => break Err(ReadError::Broken),
        };
        let next = match &deadline {
            Some(d) => Promise::race(&js_sys::Array::of2(&next, &d.promise)),
            None => next,
        };
        let result = match JsFuture::from(next).await {
            Ok(r) => r,
            Err(_) => break Err(ReadError::Broken),
        };
        // `read()` always resolves to an object; only the deadline resolves to undefined.
        if result.is_undefined() {
            break Err(ReadError::Timeout);
        }
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(kept);
        }
        let chunk = match Reflect::get(&result, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        {
            Some(c) => c,
            None => break Err(ReadError::Broken),
        };
        let keep = kept.limit.take(chunk.length() as usize) as u32;
        if keep > 0 {
            kept.chunks.push(chunk.subarray(0, keep));
        }
        if kept.limit.exceeded() {
            break Ok(());
        }
    };
    // Stop the sender: the rest of the body is not wanted.
    cancel(&reader);
    outcome.map(|()| kept)
}

// ------------------------------------------------------------------------------------------
// Store: Workers KV, or isolate memory
// ------------------------------------------------------------------------------------------

/// The store the proxy uses in the Worker.
#[derive(Clone)]
enum WorkerStore {
    Kv(JsValue),
    Memory(Rc<MemoryStore>),
}

impl WorkerStore {
    fn from_env(env: &JsValue) -> WorkerStore {
        match Reflect::get(env, &JsValue::from_str(KV_BINDING)) {
            Ok(kv) if kv.is_object() => WorkerStore::Kv(kv),
            _ => WorkerStore::Memory(MEMORY.with(Rc::clone)),
        }
    }

    async fn kv_call(
        kv: &JsValue,
        method: &str,
        args: &js_sys::Array,
    ) -> Result<JsValue, StoreError> {
        let f = Reflect::get(kv, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or(StoreError)?;
        let p = f.apply(kv, args).map_err(|_| StoreError)?;
        let p: Promise = p.dyn_into().map_err(|_| StoreError)?;
        JsFuture::from(p).await.map_err(|_| StoreError)
    }
}

impl Store for WorkerStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            WorkerStore::Memory(m) => {
                m.set_now(now_ms());
                m.get(key).await
            }
            WorkerStore::Kv(kv) => {
                let args = js_sys::Array::of1(&JsValue::from_str(key));
                Ok(Self::kv_call(kv, "get", &args).await?.as_string())
            }
        }
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> Result<(), StoreError> {
        match self {
            WorkerStore::Memory(m) => {
                m.set_now(now_ms());
                m.put(key, value, ttl_secs).await
            }
            WorkerStore::Kv(kv) => {
                let opts = Object::new();
                let ttl = JsValue::from_f64(ttl_secs.max(60) as f64);
                Reflect::set(&opts, &JsValue::from_str("expirationTtl"), &ttl)
                    .map_err(|_| StoreError)?;
                // Small values also travel as metadata, so that `list` returns them in one call.
                if value.len() <= METADATA_MAX {
                    let meta = Object::new();
                    Reflect::set(&meta, &JsValue::from_str("v"), &JsValue::from_str(value))
                        .map_err(|_| StoreError)?;
                    Reflect::set(&opts, &JsValue::from_str("metadata"), &meta)
                        .map_err(|_| StoreError)?;
                }
                let args =
                    js_sys::Array::of3(&JsValue::from_str(key), &JsValue::from_str(value), &opts);
                Self::kv_call(kv, "put", &args).await.map(|_| ())
            }
        }
    }

    async fn list(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        match self {
            WorkerStore::Memory(m) => {
                m.set_now(now_ms());
                m.list(prefix, limit).await
            }
            WorkerStore::Kv(kv) => {
                let opts = Object::new();
                Reflect::set(
                    &opts,
                    &JsValue::from_str("prefix"),
                    &JsValue::from_str(prefix),
                )
                .map_err(|_| StoreError)?;
                let lim = JsValue::from_f64(limit.clamp(1, 1000) as f64);
                Reflect::set(&opts, &JsValue::from_str("limit"), &lim).map_err(|_| StoreError)?;
                let listed = Self::kv_call(kv, "list", &js_sys::Array::of1(&opts)).await?;
                let keys =
                    Reflect::get(&listed, &JsValue::from_str("keys")).map_err(|_| StoreError)?;
                let keys: js_sys::Array = keys.dyn_into().map_err(|_| StoreError)?;
                let mut out = Vec::with_capacity(keys.length() as usize);
                for k in keys.iter() {
                    let meta = Reflect::get(&k, &JsValue::from_str("metadata")).ok();
                    let v = meta
                        .and_then(|m| Reflect::get(&m, &JsValue::from_str("v")).ok())
                        .and_then(|v| v.as_string());
                    match v {
                        Some(v) => out.push(v),
                        None => {
                            let name = Reflect::get(&k, &JsValue::from_str("name"))
                                .ok()
                                .and_then(|n| n.as_string());
                            if let Some(name) = name {
                                if let Some(v) = self.get(&name).await? {
                                    out.push(v);
                                }
                            }
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self {
            WorkerStore::Memory(m) => {
                m.set_now(now_ms());
                m.delete(key).await
            }
            WorkerStore::Kv(kv) => {
                let args = js_sys::Array::of1(&JsValue::from_str(key));
                Self::kv_call(kv, "delete", &args).await.map(|_| ())
            }
        }
    }
}

/// Largest value also stored as KV metadata (KV allows 1024 bytes of serialised metadata).
const METADATA_MAX: usize = 960;

// ------------------------------------------------------------------------------------------
// Upstreams: fetch, or the in-process emulator
// ------------------------------------------------------------------------------------------

/// Belvo over `fetch`.
struct FetchUpstream {
    base_url: String,
    authorization: String,
    timeout_ms: u64,
    max_bytes: usize,
}

impl Upstream for FetchUpstream {
    async fn send(&self, req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        let url = req.url(&self.base_url);
        let controller = web_sys::AbortController::new().map_err(|_| UpstreamError::Unreachable)?;
        let signal = controller.signal();
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let flag = timed_out.clone();
            let on_timeout = Closure::once_into_js(move || {
                flag.set(true);
                controller.abort();
            });
            global_fn("setTimeout").and_then(|f| {
                f.call2(
                    &JsValue::NULL,
                    &on_timeout,
                    &JsValue::from_f64(self.timeout_ms as f64),
                )
                .ok()
            })
        };
        let builder = match req.method {
            employment_link_core::proxy::Method::Get => gloo_net::http::Request::get(&url),
            employment_link_core::proxy::Method::Post => gloo_net::http::Request::post(&url),
            employment_link_core::proxy::Method::Patch => gloo_net::http::Request::patch(&url),
            employment_link_core::proxy::Method::Delete => gloo_net::http::Request::delete(&url),
        }
        .header("Authorization", &self.authorization)
        .header("Accept", "application/json")
        .abort_signal(Some(&signal));
        let result = async {
            let resp = match &req.body {
                Some(b) => {
                    let bytes = Uint8Array::from(b.as_slice());
                    builder
                        .header("Content-Type", "application/json")
                        .body(bytes)
                        .map_err(|_| UpstreamError::Unreachable)?
                        .send()
                        .await
                }
                None => builder.send().await,
            }
            .map_err(|_| UpstreamError::Unreachable)?;
            let status = resp.status();
            let headers = resp.headers();
            let content_type = headers.get("content-type");
            // Read up to the limit only (the timeout still runs): never a whole oversized page.
            let body = match resp.body() {
                None => Vec::new(),
                Some(stream) => {
                    if body::declared_over(headers.get("content-length").as_deref(), self.max_bytes)
                    {
                        cancel(&stream);
                        return Err(UpstreamError::TooLarge);
                    }
                    let kept = read_limited(&stream, self.max_bytes, None)
                        .await
                        .map_err(|_| UpstreamError::Unreachable)?;
                    if kept.limit.exceeded() {
                        return Err(UpstreamError::TooLarge);
                    }
                    kept.into_bytes().ok_or(UpstreamError::TooLarge)?
                }
            };
            Ok(UpstreamResponse {
                status,
                content_type,
                body,
            })
        }
        .await;
        if let (Some(t), Some(clear)) = (timer, global_fn("clearTimeout")) {
            let _ = clear.call1(&JsValue::NULL, &t);
        }
        result.map_err(|e| match e {
            UpstreamError::Unreachable if timed_out.get() => UpstreamError::Timeout,
            e => e,
        })
    }
}

/// The embedded emulator, with real delays and webhook delivery.
struct EmulatorUpstream {
    emulator: Rc<RefCell<Emulator>>,
    /// Where this request reached the emulator's API (`{origin}/__emulator/belvo`): the
    /// emulator's page links point there.
    base_url: String,
    authorization: String,
    timeout_ms: u64,
    proxy: Rc<Proxy>,
    store: WorkerStore,
    ctx: JsValue,
}

impl EmulatorUpstream {
    /// One emulator call with `authorization` as the `Authorization` header.
    async fn call(
        &self,
        req: &UpstreamRequest,
        authorization: Option<&str>,
    ) -> Result<UpstreamResponse, UpstreamError> {
        let body = req.body.clone().unwrap_or_default();
        let ereq = emulator::Request {
            method: req.method.as_str(),
            path: &req.path,
            query: &req.query,
            authorization,
            body: &body,
        };
        // The borrow ends before any await.
        let reply = self
            .emulator
            .borrow_mut()
            .handle_at(&ereq, &self.base_url, now_ms());
        for w in reply.webhooks {
            self.schedule_webhook(w);
        }
        if reply.delay_ms > 0 {
            if reply.delay_ms > self.timeout_ms {
                let _ = sleep(self.timeout_ms).await;
                return Err(UpstreamError::Timeout);
            }
            let _ = sleep(reply.delay_ms).await;
        }
        Ok(UpstreamResponse {
            status: reply.status,
            // Empty: an answer without Content-Type (a 204).
            content_type: (!reply.content_type.is_empty()).then(|| reply.content_type.to_string()),
            body: reply.body,
        })
    }
}

impl Upstream for EmulatorUpstream {
    async fn send(&self, req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        // The proxy's own calls carry its configured keys, as a call to Belvo would.
        self.call(req, Some(&self.authorization)).await
    }

    async fn emulator_direct(
        &self,
        req: &UpstreamRequest,
        authorization: Option<&str>,
    ) -> Option<Result<UpstreamResponse, UpstreamError>> {
        Some(self.call(req, authorization).await)
    }

    async fn emulator_admin(&self, route: &EmulatorRoute) -> Option<UpstreamResponse> {
        let body = {
            let mut emu = self.emulator.borrow_mut();
            match route {
                EmulatorRoute::Scenarios => emulator::scenarios_json().into_bytes(),
                EmulatorRoute::Stats => emu.stats_json(),
                EmulatorRoute::Reset => {
                    emu.reset();
                    if let WorkerStore::Memory(m) = &self.store {
                        m.clear();
                    }
                    br#"{"status":"reset"}"#.to_vec()
                }
                EmulatorRoute::Clock { advance_secs } => {
                    emu.advance_clock(*advance_secs);
                    format!(r#"{{"status":"advanced","advance_secs":{advance_secs}}}"#).into_bytes()
                }
            }
        };
        Some(UpstreamResponse {
            status: 200,
            content_type: Some("application/json".into()),
            body,
        })
    }
}

/// POST /webhooks never calls upstream; this stands in for it during in-process delivery.
struct NoUpstream;

impl Upstream for NoUpstream {
    async fn send(&self, _req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        Err(UpstreamError::Unreachable)
    }
}

impl EmulatorUpstream {
    fn schedule_webhook(&self, w: emulator::ScheduledWebhook) {
        let proxy = self.proxy.clone();
        let store = self.store.clone();
        let emulator = self.emulator.clone();
        let fut = async move {
            let _ = sleep(w.delay_ms).await;
            // A link deleted meanwhile takes its pending webhooks with it.
            if !emulator.borrow().webhook_due(&w) {
                return Ok(JsValue::UNDEFINED);
            }
            let token = proxy.config.webhook_token.clone().unwrap_or_default();
            let req = Request::new("POST", "/webhooks", "")
                .with_header("authorization", &token)
                .with_header("content-type", "application/json")
                .with_body(w.body);
            let cx = Context {
                request_id: request_id(),
                now_ms: now_ms(),
            };
            let handled = proxy.handle(&req, &cx, &store, &NoUpstream).await;
            emulator
                .borrow_mut()
                .note_webhook_delivery(handled.response.status < 300);
            log_line(&handled.log.to_json_line(None));
            Ok(JsValue::UNDEFINED)
        };
        let promise = wasm_bindgen_futures::future_to_promise(fut);
        wait_until(&self.ctx, &promise);
    }
}

// ------------------------------------------------------------------------------------------
// Request / response conversion
// ------------------------------------------------------------------------------------------

/// The request as plain data, its body read up to one byte past `max_body` within
/// `timeout_ms`; or, with it, why the body could not be read.
async fn read_request(
    request: &web_sys::Request,
    max_body: usize,
    timeout_ms: u64,
) -> (Request, Option<Reject>) {
    let url = request.url();
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path_and_query = after_scheme
        .find('/')
        .map_or("/", |i| after_scheme.get(i..).unwrap_or("/"));
    let without_fragment = path_and_query.split('#').next().unwrap_or("/");
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let method = request.method().to_ascii_uppercase();
    let mut req = Request::new(&method, path, query);
    let headers = request.headers();
    for name in RELEVANT_HEADERS {
        if let Ok(Some(v)) = headers.get(name) {
            req.headers.push(((*name).to_string(), v));
        }
    }
    let declared_too_big = body::declared_over(req.header("content-length"), max_body);
    if matches!(method.as_str(), "POST" | "PATCH" | "PUT") && !declared_too_big {
        let stream = Reflect::get(request, &JsValue::from_str("body")).unwrap_or(JsValue::NULL);
        if stream.is_object() {
            match read_limited(&stream, max_body, Some(timeout_ms)).await {
                // Over the limit, the bytes kept (limit + 1) make the policy answer 413.
                Ok(kept) => match kept.into_bytes() {
                    Some(bytes) => req.body = bytes,
                    None => return (req, Some(body::unreadable())),
                },
                Err(ReadError::Timeout) => return (req, Some(body::read_timeout())),
                Err(ReadError::Broken) => return (req, Some(body::unreadable())),
            }
        }
    }
    (req, None)
}

/// `scheme://host[:port]` of the absolute URL `url` (everything before its path).
fn origin_of(url: &str) -> &str {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return "";
    };
    let end = url
        .get(start..)
        .and_then(|rest| rest.find(['/', '?', '#']))
        .map_or(url.len(), |i| start + i);
    url.get(..end).unwrap_or("")
}

fn to_web_response(resp: Response) -> Result<web_sys::Response, JsValue> {
    let headers = web_sys::Headers::new()?;
    for (k, v) in &resp.headers {
        headers.append(k, v)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(resp.status);
    init.set_headers(&headers);
    let mut body = resp.body;
    let null_body = matches!(resp.status, 101 | 204 | 205 | 304) || body.is_empty();
    web_sys::Response::new_with_opt_u8_array_and_init(
        if null_body { None } else { Some(&mut body) },
        &init,
    )
}

/// Handles one Worker request: `export default { fetch: (req, env, ctx) => workerFetch(req, env, ctx) }`.
///
/// Never rejects for a bad request: every failure is a JSON answer in Belvo's error shape.
#[wasm_bindgen(js_name = "workerFetch")]
pub async fn worker_fetch(
    request: web_sys::Request,
    env: JsValue,
    ctx: JsValue,
) -> Result<web_sys::Response, JsValue> {
    let started = now_ms();
    let cx = Context {
        request_id: request_id(),
        now_ms: started,
    };
    let (proxy, emulator) = shared(&env);
    let proxy = match proxy {
        Ok(p) => p,
        Err(detail) => {
            let resp = Reject::new(500, "proxy_misconfigured", detail)
                .to_response(&cx.request_id)
                .with_header("x-request-id", &cx.request_id);
            return to_web_response(resp);
        }
    };
    let (req, unread) = read_request(
        &request,
        proxy.config.max_body_bytes,
        proxy.config.body_read_timeout_ms,
    )
    .await;
    if let Some(reject) = unread {
        let handled = proxy.refuse(&req, &cx, &reject);
        log_line(
            &handled
                .log
                .to_json_line(Some(now_ms().saturating_sub(started))),
        );
        return to_web_response(handled.response);
    }
    let store = WorkerStore::from_env(&env);
    let handled = match emulator {
        Some(emulator) => {
            let up = EmulatorUpstream {
                emulator,
                base_url: format!("{}{EMULATOR_DIRECT_PREFIX}", origin_of(&request.url())),
                authorization: basic_auth(&proxy.config.secret_id, &proxy.config.secret_password),
                timeout_ms: proxy.config.upstream_timeout_ms,
                proxy: proxy.clone(),
                store: store.clone(),
                ctx,
            };
            proxy.handle(&req, &cx, &store, &up).await
        }
        None => {
            let up = FetchUpstream {
                base_url: proxy.config.base_url.clone(),
                authorization: basic_auth(&proxy.config.secret_id, &proxy.config.secret_password),
                timeout_ms: proxy.config.upstream_timeout_ms,
                max_bytes: proxy.config.upstream_max_bytes,
            };
            proxy.handle(&req, &cx, &store, &up).await
        }
    };
    log_line(
        &handled
            .log
            .to_json_line(Some(now_ms().saturating_sub(started))),
    );
    to_web_response(handled.response)
}

/// The emulator's scenario table as JSON text (the content of `emulator/scenarios.json`).
#[wasm_bindgen(js_name = "workerScenarios")]
pub fn worker_scenarios() -> String {
    emulator::scenarios_json()
}
