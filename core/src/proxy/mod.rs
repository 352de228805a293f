//! The proxy's request policy: a pure, sans-IO core that decides what happens to every
//! request before anything reaches Belvo.
//!
//! Two layers:
//! * [`Policy::check`] — synchronous and total: route allowlist, CORS, body size, JSON,
//!   field validation, link capabilities. It returns a [`Decision`].
//! * [`Proxy::handle`] — the orchestration around it (attempt guard, webhook dedupe and
//!   storage, upstream call, failure mapping, capability issuing), generic over a [`Store`]
//!   (Workers KV in the Worker, memory in tests) and an [`Upstream`] (fetch, or the in-process
//!   emulator). It never performs I/O itself.
//!
//! Every answer the proxy produces on its own uses Belvo's error shape
//! `[{"code", "message", "request_id", "field"?}]`.

pub mod body;
pub mod config;
pub mod crypto;
mod service;
pub mod store;
pub mod upstream;
mod validate;
mod webhook;

pub use config::{BelvoEnv, Config, ConfigError};
pub use service::{Context, Handled, LogRecord, Proxy, GENERATION_KEY};
pub use store::{MemoryStore, Store, StoreError};
pub use upstream::{Method, Upstream, UpstreamError, UpstreamRequest, UpstreamResponse};

use crate::belvo::wire::{ErrorItem, WebhookEvent};

/// The response header carrying a link capability (issued on link creation, required on
/// PATCH, data and events requests for that link).
pub const CAPABILITY_HEADER: &str = "x-link-capability";
/// The response header carrying the proxy's request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request headers the policy reads (lower-case). An adapter may copy only these.
pub const RELEVANT_HEADERS: &[&str] = &[
    "origin",
    "authorization",
    "content-type",
    "content-length",
    CAPABILITY_HEADER,
    "access-control-request-method",
    "access-control-request-headers",
];

/// Request headers a browser may send (CORS `Access-Control-Allow-Headers`).
pub const CORS_ALLOW_HEADERS: &str = "Content-Type, X-Link-Capability, X-Request-Id, Authorization";
/// Response headers a browser may read (CORS `Access-Control-Expose-Headers`).
pub const CORS_EXPOSE_HEADERS: &str = "X-Link-Capability, X-Request-Id, Retry-After";

/// An incoming HTTP request, as plain data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// Path without the query, e.g. `/api/links/`.
    pub path: String,
    /// Query string without the `?` (may be empty).
    pub query: String,
    /// Headers with lower-case names (only [`RELEVANT_HEADERS`] matter).
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with no headers or body.
    pub fn new(method: &str, path: &str, query: &str) -> Request {
        Request {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (name lower-cased).
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    /// First header value named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The first value in `headers` named `name` (case-insensitive).
fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An HTTP response, as plain data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers (names as written).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: std::vec![("content-type".into(), "application/json".into())],
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// First header value named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON (`Null` when it is not JSON). For tests and tools.
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A rejection the proxy answers itself, in Belvo's error shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    /// HTTP status.
    pub status: u16,
    /// Belvo-style error code.
    pub code: &'static str,
    /// Human message (never contains the rejected value).
    pub message: String,
    /// The request field at fault.
    pub field: Option<String>,
    /// Seconds after which a retry can succeed (`Retry-After`).
    pub retry_after: Option<u64>,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl Reject {
    /// A rejection without a field.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Reject {
        Reject {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            allow: None,
        }
    }

    /// A 400 naming the field at fault (at most 64 characters of it are echoed).
    pub fn field(code: &'static str, field: &str, message: impl Into<String>) -> Reject {
        let mut f: String = field.chars().take(64).collect();
        if f.is_empty() {
            f.push('?');
        }
        let mut r = Reject::new(400, code, message);
        r.field = Some(f);
        r
    }

    /// The response: `[{"code","message","request_id","field"?}]`, plus `retry_after` in the
    /// item and a `Retry-After` header when known, and `Allow` on a 405.
    pub fn to_response(&self, request_id: &str) -> Response {
        let item = ErrorItem {
            code: self.code.to_owned(),
            message: self.message.clone(),
            request_id: Some(request_id.to_owned()),
            field: self.field.clone(),
        };
        let body = match (serde_json::to_value(&item), self.retry_after) {
            (Ok(serde_json::Value::Object(mut m)), Some(secs)) => {
                m.insert("retry_after".into(), secs.into());
                serde_json::to_vec(&[serde_json::Value::Object(m)])
            }
            _ => serde_json::to_vec(&[item]),
        }
        .unwrap_or_default();
        let mut resp = Response::json(self.status, body);
        if let Some(secs) = self.retry_after {
            resp = resp.with_header("retry-after", &secs.to_string());
        }
        if let Some(allow) = self.allow {
            resp = resp.with_header("allow", allow);
        }
        resp
    }
}

const ALLOW_LINKS: &str = "POST, PATCH, OPTIONS";
const ALLOW_GET: &str = "GET, OPTIONS";
const ALLOW_POST: &str = "POST, OPTIONS";
const ALLOW_ANY: &str = "GET, POST, PATCH, DELETE, OPTIONS";

/// A Belvo data endpoint the proxy forwards (GET only, `link=` required).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataResource {
    /// `/api/employment-records/` (MX).
    EmploymentRecords,
    /// `/api/br/employments/` (BR).
    BrEmployments,
    /// `/api/owners/`.
    Owners,
    /// `/api/employment-metrics/` (MX, IMSS).
    EmploymentMetrics,
}

impl DataResource {
    /// Belvo's path.
    pub fn path(self) -> &'static str {
        match self {
            DataResource::EmploymentRecords => "/api/employment-records/",
            DataResource::BrEmployments => "/api/br/employments/",
            DataResource::Owners => "/api/owners/",
            DataResource::EmploymentMetrics => "/api/employment-metrics/",
        }
    }

    /// Every data resource.
    pub const ALL: [DataResource; 4] = [
        DataResource::EmploymentRecords,
        DataResource::BrEmployments,
        DataResource::Owners,
        DataResource::EmploymentMetrics,
    ];
}

/// An emulator-only route (`/__emulator/...`), answered only when `BELVO_ENV=emulator`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmulatorRoute {
    /// `GET /__emulator/scenarios`: the scenario table.
    Scenarios,
    /// `GET /__emulator/stats`: request counters (proof that upstream was or was not called).
    Stats,
    /// `POST /__emulator/reset`: forget links, sessions and counters, and (a new
    /// [`GENERATION_KEY`]) everything the proxy stored: events, dedupe markers, guard counters.
    Reset,
    /// `POST /__emulator/clock?advance=SECONDS`: move the emulator's clock forward.
    Clock {
        /// Seconds to advance.
        advance_secs: u64,
    },
}

/// The allowlisted routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `POST /api/links/`.
    CreateLink,
    /// `PATCH /api/links/`.
    PatchLink,
    /// `GET` of a data endpoint.
    Data(DataResource),
    /// `GET /links/{id}/events`.
    Events(String),
    /// `POST /webhooks`.
    Webhook,
    /// An emulator admin route.
    Emulator(EmulatorRoute),
    /// `* /__emulator/belvo/{belvo path}`: the emulator as Belvo's sandbox API, called
    /// directly with the caller's own Basic auth (SDKs, benchmarks).
    EmulatorDirect,
}

impl Route {
    /// A stable label for logs (never contains request data).
    pub fn label(&self) -> &'static str {
        match self {
            Route::CreateLink => "POST /api/links/",
            Route::PatchLink => "PATCH /api/links/",
            Route::Data(DataResource::EmploymentRecords) => "GET /api/employment-records/",
            Route::Data(DataResource::BrEmployments) => "GET /api/br/employments/",
            Route::Data(DataResource::Owners) => "GET /api/owners/",
            Route::Data(DataResource::EmploymentMetrics) => "GET /api/employment-metrics/",
            Route::Events(_) => "GET /links/{id}/events",
            Route::Webhook => "POST /webhooks",
            Route::Emulator(EmulatorRoute::Scenarios) => "GET /__emulator/scenarios",
            Route::Emulator(EmulatorRoute::Stats) => "GET /__emulator/stats",
            Route::Emulator(EmulatorRoute::Reset) => "POST /__emulator/reset",
            Route::Emulator(EmulatorRoute::Clock { .. }) => "POST /__emulator/clock",
            Route::EmulatorDirect => "/__emulator/belvo/*",
        }
    }
}

/// Path kinds, before the method is looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PathKind {
    Links,
    Data(DataResource),
    Events(String),
    Webhooks,
    EmuScenarios,
    EmuStats,
    EmuReset,
    EmuClock,
    EmuDirect,
}

impl PathKind {
    fn allow(&self) -> &'static str {
        match self {
            PathKind::Links => ALLOW_LINKS,
            PathKind::Data(_)
            | PathKind::Events(_)
            | PathKind::EmuScenarios
            | PathKind::EmuStats => ALLOW_GET,
            PathKind::Webhooks | PathKind::EmuReset | PathKind::EmuClock => ALLOW_POST,
            PathKind::EmuDirect => ALLOW_ANY,
        }
    }

    fn methods(&self) -> &'static [&'static str] {
        match self {
            PathKind::Links => &["POST", "PATCH"],
            PathKind::Data(_)
            | PathKind::Events(_)
            | PathKind::EmuScenarios
            | PathKind::EmuStats => &["GET"],
            PathKind::Webhooks | PathKind::EmuReset | PathKind::EmuClock => &["POST"],
            PathKind::EmuDirect => &["GET", "POST", "PATCH", "DELETE"],
        }
    }

    fn is_emulator(&self) -> bool {
        matches!(
            self,
            PathKind::EmuScenarios
                | PathKind::EmuStats
                | PathKind::EmuReset
                | PathKind::EmuClock
                | PathKind::EmuDirect
        )
    }
}

/// Prefix of the emulator's direct handler.
pub const EMULATOR_DIRECT_PREFIX: &str = "/__emulator/belvo";

fn path_kind(path: &str) -> Option<PathKind> {
    match path {
        "/api/links/" => return Some(PathKind::Links),
        "/webhooks" => return Some(PathKind::Webhooks),
        "/__emulator/scenarios" => return Some(PathKind::EmuScenarios),
        "/__emulator/stats" => return Some(PathKind::EmuStats),
        "/__emulator/reset" => return Some(PathKind::EmuReset),
        "/__emulator/clock" => return Some(PathKind::EmuClock),
        _ => {}
    }
    if let Some(r) = DataResource::ALL.iter().find(|r| r.path() == path) {
        return Some(PathKind::Data(*r));
    }
    if let Some(rest) = path.strip_prefix("/links/") {
        let id = rest.strip_suffix("/events")?;
        return Some(PathKind::Events(id.to_owned()));
    }
    if let Some(rest) = path.strip_prefix(EMULATOR_DIRECT_PREFIX) {
        if rest.starts_with("/api/") {
            return Some(PathKind::EmuDirect);
        }
    }
    None
}

/// The log label of a request's route (a constant; `unmatched` for anything else).
pub fn route_label(method: &str, path: &str) -> &'static str {
    let Some(kind) = path_kind(path) else {
        return "unmatched";
    };
    if method == "OPTIONS" {
        return "OPTIONS (preflight)";
    }
    if !kind.methods().contains(&method) {
        return "method_not_allowed";
    }
    let route = match kind {
        PathKind::Links if method == "PATCH" => Route::PatchLink,
        PathKind::Links => Route::CreateLink,
        PathKind::Data(r) => Route::Data(r),
        PathKind::Events(_) => Route::Events(String::new()),
        PathKind::Webhooks => Route::Webhook,
        PathKind::EmuScenarios => Route::Emulator(EmulatorRoute::Scenarios),
        PathKind::EmuStats => Route::Emulator(EmulatorRoute::Stats),
        PathKind::EmuReset => Route::Emulator(EmulatorRoute::Reset),
        PathKind::EmuClock => Route::Emulator(EmulatorRoute::Clock { advance_secs: 0 }),
        PathKind::EmuDirect => Route::EmulatorDirect,
    };
    route.label()
}

/// What to do with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Answer now (rejections, preflights). Upstream is not called.
    Respond(Response),
    /// Call Belvo.
    Forward(Forward),
    /// Answer with the stored webhook events of a (bound) link.
    ServeEvents {
        /// The link.
        link_id: String,
    },
    /// Store a validated webhook (after dedupe).
    AcceptWebhook(WebhookEvent),
    /// An emulator admin route (emulator mode only).
    Emulator(EmulatorRoute),
    /// Hand the request to the emulator without any policy (emulator mode only), with the
    /// caller's `Authorization`: the emulator checks it as Belvo does, and the proxy's own keys
    /// are never added (this route bypasses link capabilities, so the keys are the only gate).
    EmulatorDirect {
        /// The Belvo request (path without the `/__emulator/belvo` prefix).
        request: UpstreamRequest,
        /// The caller's `Authorization` header, as sent.
        authorization: Option<String>,
    },
}

/// A request the policy allows to reach Belvo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    /// The route.
    pub route: Route,
    /// What to send (path, query and body rebuilt from validated values only).
    pub upstream: UpstreamRequest,
    /// Attempt-guard storage key (HMAC of the identifier), for `imss_mx_employment` links.
    pub guard_key: Option<String>,
    /// Whether the answer carries a link id to issue a capability for.
    pub issue_capability: bool,
}

/// The request policy (borrowing the configuration).
#[derive(Clone, Copy, Debug)]
pub struct Policy<'a> {
    /// The configuration.
    pub config: &'a Config,
}

impl<'a> Policy<'a> {
    /// A policy over `config`.
    pub fn new(config: &'a Config) -> Policy<'a> {
        Policy { config }
    }

    /// CORS response headers for a request from `origin` (empty for none/foreign origins).
    pub fn cors_headers(&self, origin: Option<&str>) -> Vec<(String, String)> {
        let mut h = Vec::new();
        if !self.config.allowed_origins.is_empty() {
            h.push(("vary".to_owned(), "Origin".to_owned()));
        }
        if let Some(o) = origin {
            if self.config.origin_allowed(o) {
                h.push(("access-control-allow-origin".to_owned(), o.to_owned()));
                h.push((
                    "access-control-expose-headers".to_owned(),
                    CORS_EXPOSE_HEADERS.to_owned(),
                ));
            }
        }
        h
    }

    /// Decides what happens to `req`. Total: never panics, whatever the input.
    pub fn check(&self, req: &Request, now_ms: u64, request_id: &str) -> Decision {
        match self.check_inner(req, now_ms) {
            Ok(d) => d,
            Err(r) => Decision::Respond(r.to_response(request_id)),
        }
    }

    fn check_inner(&self, req: &Request, now_ms: u64) -> Result<Decision, Reject> {
        let cfg = self.config;
        let emulator = cfg.env == BelvoEnv::Emulator;
        let kind = match path_kind(&req.path) {
            Some(k) if k.is_emulator() && !emulator => None,
            k => k,
        };
        let origin = req.header("origin");
        if req.method == "OPTIONS" {
            return self.preflight(kind.as_ref(), origin, req);
        }
        let kind = kind.ok_or_else(|| Reject::new(404, "not_found", "Not found."))?;
        if !kind.methods().contains(&req.method.as_str()) {
            return Err(method_not_allowed(&req.method, kind.allow()));
        }
        if let Some(o) = origin {
            if !cfg.origin_allowed(o) {
                return Err(origin_rejected());
            }
        }
        let has_body = matches!(req.method.as_str(), "POST" | "PATCH");
        if has_body {
            // The adapter keeps at most one byte past the limit of a longer body (body.rs).
            let too_big = body::declared_over(req.header("content-length"), cfg.max_body_bytes)
                || req.body.len() > cfg.max_body_bytes;
            if too_big {
                return Err(Reject::new(
                    413,
                    "request_too_large",
                    format!("The request body exceeds {} bytes.", cfg.max_body_bytes),
                ));
            }
        }
        match kind {
            PathKind::Links if req.method == "POST" => {
                require_json(req)?;
                let today = crate::id::Date::from_unix_ms(now_ms);
                let v = validate::create_link(cfg, &req.body, today)?;
                let guard_key = (v.institution == "imss_mx_employment")
                    .then(|| crypto::guard_key(&cfg.link_key, v.institution, &v.identifier));
                Ok(Decision::Forward(Forward {
                    route: Route::CreateLink,
                    upstream: UpstreamRequest::new(Method::Post, "/api/links/", "", Some(v.body)),
                    guard_key,
                    issue_capability: true,
                }))
            }
            PathKind::Links => {
                require_json(req)?;
                let v = validate::patch_link(&req.body)?;
                self.require_capability(req, &v.link)?;
                Ok(Decision::Forward(Forward {
                    route: Route::PatchLink,
                    upstream: UpstreamRequest::new(Method::Patch, "/api/links/", "", Some(v.body)),
                    guard_key: None,
                    issue_capability: true,
                }))
            }
            PathKind::Data(res) => {
                let q = validate::data_query(&req.query)?;
                self.require_capability(req, &q.link)?;
                Ok(Decision::Forward(Forward {
                    route: Route::Data(res),
                    upstream: UpstreamRequest::new(Method::Get, res.path(), &q.query, None),
                    guard_key: None,
                    issue_capability: false,
                }))
            }
            PathKind::Events(id) => {
                if !validate::is_uuid(&id) {
                    return Err(Reject::new(404, "not_found", "Not found."));
                }
                self.require_capability(req, &id)?;
                Ok(Decision::ServeEvents {
                    link_id: id.to_ascii_lowercase(),
                })
            }
            PathKind::Webhooks => {
                let presented = req.header("authorization").unwrap_or("");
                let ok = match &cfg.webhook_token {
                    Some(t) => crate::crypto::secret_eq(&cfg.link_key, presented, t),
                    None => false,
                };
                if !ok {
                    return Err(Reject::new(
                        401,
                        "authentication_failed",
                        "Invalid or missing webhook Authorization.",
                    ));
                }
                require_json(req)?;
                Ok(Decision::AcceptWebhook(webhook::validate(&req.body)?))
            }
            PathKind::EmuScenarios => Ok(Decision::Emulator(EmulatorRoute::Scenarios)),
            PathKind::EmuStats => Ok(Decision::Emulator(EmulatorRoute::Stats)),
            PathKind::EmuReset => Ok(Decision::Emulator(EmulatorRoute::Reset)),
            PathKind::EmuClock => {
                let secs = req
                    .query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("advance="))
                    .and_then(|v| v.parse::<u64>().ok())
                    .filter(|n| *n <= 366 * 86_400)
                    .ok_or_else(|| {
                        Reject::field("invalid", "advance", "advance must be a number of seconds.")
                    })?;
                Ok(Decision::Emulator(EmulatorRoute::Clock {
                    advance_secs: secs,
                }))
            }
            PathKind::EmuDirect => {
                let path = req.path.get(EMULATOR_DIRECT_PREFIX.len()..).unwrap_or("/");
                let method = Method::parse(&req.method).unwrap_or(Method::Get);
                let body = has_body.then(|| req.body.clone());
                Ok(Decision::EmulatorDirect {
                    request: UpstreamRequest::new(method, path, &req.query, body),
                    authorization: req.header("authorization").map(str::to_owned),
                })
            }
        }
    }

    fn preflight(
        &self,
        kind: Option<&PathKind>,
        origin: Option<&str>,
        req: &Request,
    ) -> Result<Decision, Reject> {
        let kind = kind.ok_or_else(|| Reject::new(404, "not_found", "Not found."))?;
        let Some(origin) = origin else {
            // Not a CORS preflight: describe the route.
            let resp = Response {
                status: 204,
                headers: Vec::new(),
                body: Vec::new(),
            }
            .with_header("allow", kind.allow());
            return Ok(Decision::Respond(resp));
        };
        if !self.config.origin_allowed(origin) {
            return Err(origin_rejected());
        }
        let wanted = req
            .header("access-control-request-method")
            .unwrap_or("")
            .trim();
        if !wanted.is_empty() && !kind.methods().contains(&wanted) {
            return Err(method_not_allowed(wanted, kind.allow()));
        }
        let mut resp = Response {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        };
        resp.headers
            .push(("access-control-allow-methods".into(), kind.allow().into()));
        resp.headers.push((
            "access-control-allow-headers".into(),
            CORS_ALLOW_HEADERS.into(),
        ));
        resp.headers
            .push(("access-control-max-age".into(), "600".into()));
        Ok(Decision::Respond(resp))
    }

    fn require_capability(&self, req: &Request, link_id: &str) -> Result<(), Reject> {
        let presented = req.header(CAPABILITY_HEADER).unwrap_or("");
        if crypto::verify_link_capability(&self.config.link_key, link_id, presented) {
            Ok(())
        } else {
            // Same answer as for a link that does not exist: nothing to learn by probing.
            Err(Reject::new(404, "not_found", "Not found."))
        }
    }

    /// The capability the proxy issues for `link_id`.
    pub fn capability(&self, link_id: &str) -> String {
        crypto::link_capability(&self.config.link_key, link_id)
    }
}

fn origin_rejected() -> Reject {
    Reject::new(
        403,
        "origin_not_allowed",
        "This origin is not allowed to use this proxy.",
    )
}

fn method_not_allowed(method: &str, allow: &'static str) -> Reject {
    let shown: String = method
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(10)
        .collect();
    let mut r = Reject::new(
        405,
        "method_not_allowed",
        format!("Method \"{shown}\" not allowed."),
    );
    r.allow = Some(allow);
    r
}

fn require_json(req: &Request) -> Result<(), Reject> {
    let ct = req.header("content-type").unwrap_or("");
    let mut parts = ct.split(';');
    let mime = parts.next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(Reject::new(
            400,
            "parse_error",
            "Unsupported media type: send application/json.",
        ));
    }
    // The body is read as UTF-8 (JSON's only interchange encoding): a body declared in any
    // other charset would be misread, so it is refused rather than guessed at.
    let foreign_charset = parts.any(|p| {
        let (name, value) = p.split_once('=').unwrap_or((p, ""));
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8")
    });
    if foreign_charset {
        return Err(Reject::new(
            400,
            "parse_error",
            "Unsupported charset: send UTF-8 JSON (charset=utf-8, or none).",
        ));
    }
    Ok(())
}
