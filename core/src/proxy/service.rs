//! [`Proxy::handle`]: the orchestration around [`Policy::check`]. Generic over the store and
//! the upstream, so the same code runs in the Worker (KV + fetch/emulator) and in native tests.

use core::cell::RefCell;
use core::fmt::Write;
use std::borrow::Cow;
use std::collections::BTreeSet;

use super::upstream::{classify, Classified};
use super::validate::is_uuid;
use super::{
    config::BelvoEnv, config::Config, route_label, Decision, EmulatorRoute, Forward, Policy,
    Reject, Response, Store, StoreError, Upstream, UpstreamResponse, CAPABILITY_HEADER,
    REQUEST_ID_HEADER,
};
use crate::belvo::wire::{ErrorBody, Link, LinkEvents, WebhookEvent};
use crate::crypto::{hex, sha256};

/// The message IMSS itself answers after three attempts in 24 h; the attempt guard answers
/// with the same code and message so clients need one rule.
pub const GUARD_MESSAGE: &str = "Has agotado el número de solicitudes permitidas por día.";

/// Per-request context supplied by the adapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The proxy's id for this request (32 hex), echoed in `X-Request-Id` and error bodies.
    pub request_id: String,
    /// Now, Unix milliseconds.
    pub now_ms: u64,
}

/// One structured log line per request. Holds no identifier, credential or body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogRecord {
    /// The proxy's request id.
    pub request_id: String,
    /// `GET`, `POST`, … or `OTHER`.
    pub method: &'static str,
    /// Route label (a constant, e.g. `POST /api/links/`, or `unmatched`).
    pub route: &'static str,
    /// Status answered.
    pub status: u16,
    /// What happened: `forwarded`, `rejected`, `guard_blocked`, `upstream_failure`, …
    pub outcome: &'static str,
    /// Error code answered, if any (Belvo's or the proxy's).
    pub code: Option<String>,
    /// Belvo's status, when it was called.
    pub upstream_status: Option<u16>,
    /// The link concerned, when known (a Belvo UUID: not personal data).
    pub link_id: Option<String>,
}

impl LogRecord {
    /// The record as one JSON line (`duration_ms` is added by the adapter when known).
    pub fn to_json_line(&self, duration_ms: Option<u64>) -> String {
        let mut v = serde_json::Map::new();
        let level = if self.status >= 500 { "warn" } else { "info" };
        v.insert("level".into(), level.into());
        v.insert("msg".into(), "request".into());
        v.insert("request_id".into(), self.request_id.clone().into());
        v.insert("method".into(), self.method.into());
        v.insert("route".into(), self.route.into());
        v.insert("status".into(), self.status.into());
        v.insert("outcome".into(), self.outcome.into());
        if let Some(c) = &self.code {
            v.insert("code".into(), c.clone().into());
        }
        if let Some(s) = self.upstream_status {
            v.insert("upstream_status".into(), s.into());
        }
        if let Some(l) = &self.link_id {
            v.insert("link_id".into(), l.clone().into());
        }
        if let Some(d) = duration_ms {
            v.insert("duration_ms".into(), d.into());
        }
        serde_json::Value::Object(v).to_string()
    }
}

/// A finished request: the response and its log record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled {
    /// What to answer.
    pub response: Response,
    /// What to log.
    pub log: LogRecord,
}

/// The proxy: configuration plus the orchestration of one request.
#[derive(Clone, Debug)]
pub struct Proxy {
    /// The configuration.
    pub config: Config,
}

fn known_method(m: &str) -> &'static str {
    match m {
        "GET" => "GET",
        "POST" => "POST",
        "PATCH" => "PATCH",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "HEAD" => "HEAD",
        _ => "OTHER",
    }
}

fn log_for(req: &super::Request, cx: &Context) -> LogRecord {
    LogRecord {
        request_id: cx.request_id.clone(),
        method: known_method(&req.method),
        route: route_label(&req.method, &req.path),
        ..LogRecord::default()
    }
}

/// Events are stored one key per webhook — `evt:{link}:{age}:{webhook_id}` — so that
/// concurrent deliveries never overwrite each other (no read-modify-write). `age` is
/// `u64::MAX − arrival ms`, zero-padded: keys list newest first, so one bounded `list` (KV
/// lists in ascending key order only) returns the newest events however many are stored.
fn events_prefix(link_id: &str) -> String {
    format!("evt:{link_id}:")
}

fn event_key(link_id: &str, t_ms: u64, webhook_id: &str) -> String {
    format!("evt:{link_id}:{:020}:{webhook_id}", u64::MAX - t_ms)
}

/// How many keys to list to see every kept event of a link: twice the cap, so that events
/// stored beyond it (concurrent deliveries, a failed delete) are seen and dropped too.
fn events_scan(max_per_link: usize) -> usize {
    max_per_link.max(1).saturating_mul(2).min(1000)
}

/// Emulator mode only: the store key naming the current *generation* of the proxy's state.
///
/// `POST /__emulator/reset` starts a new generation, and every other key is read and written
/// under `g{generation}:`, so nothing an earlier generation stored — webhook events, dedupe
/// markers, attempt-guard counters — is seen any more. (Workers KV cannot be emptied in one
/// call; the old keys simply expire.) Until the first reset there is no generation and keys
/// are unprefixed. Outside emulator mode this key is never read or written.
pub const GENERATION_KEY: &str = "emu:generation";

/// The generation value: at most this many ASCII letters/digits (anything else is ignored).
const GENERATION_MAX: usize = 64;

/// The request's view of the store: in emulator mode, every key under the current
/// generation (read at most once per request); otherwise the store itself.
struct Generational<'a, S> {
    inner: &'a S,
    active: bool,
    prefix: RefCell<Option<String>>,
}

impl<'a, S: Store> Generational<'a, S> {
    fn new(inner: &'a S, active: bool) -> Self {
        Generational {
            inner,
            active,
            prefix: RefCell::new(None),
        }
    }

    /// The current generation, if a reset started one.
    async fn current(&self) -> Result<Option<String>, StoreError> {
        Ok(self.inner.get(GENERATION_KEY).await?.filter(|g| {
            !g.is_empty()
                && g.len() <= GENERATION_MAX
                && g.bytes().all(|b| b.is_ascii_alphanumeric())
        }))
    }

    async fn key<'k>(&self, key: &'k str) -> Result<Cow<'k, str>, StoreError> {
        if !self.active {
            return Ok(Cow::Borrowed(key));
        }
        let known = self.prefix.borrow().clone();
        let prefix = match known {
            Some(p) => p,
            None => {
                let p = self
                    .current()
                    .await?
                    .map(|g| format!("g{g}:"))
                    .unwrap_or_default();
                *self.prefix.borrow_mut() = Some(p.clone());
                p
            }
        };
        Ok(if prefix.is_empty() {
            Cow::Borrowed(key)
        } else {
            Cow::Owned(format!("{prefix}{key}"))
        })
    }

    /// Starts a new generation (emulator reset): derived from the previous one and the
    /// request, so it differs from every earlier one. Lives longer than any other key.
    async fn advance(&self, cfg: &Config, cx: &Context) -> Result<(), StoreError> {
        let old = self.current().await?.unwrap_or_default();
        let seed = format!("{old}\u{0}{}\u{0}{}", cx.request_id, cx.now_ms);
        let digest = sha256(seed.as_bytes());
        let next = hex(digest.get(..16).unwrap_or(&digest));
        let ttl = cfg
            .events_ttl_secs
            .max(cfg.attempt_window_secs)
            .saturating_add(86_400);
        self.inner.put(GENERATION_KEY, &next, ttl).await?;
        *self.prefix.borrow_mut() = None;
        Ok(())
    }
}

impl<S: Store> Store for Generational<'_, S> {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let k = self.key(key).await?;
        self.inner.get(&k).await
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> Result<(), StoreError> {
        let k = self.key(key).await?;
        self.inner.put(&k, value, ttl_secs).await
    }

    async fn list(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let p = self.key(prefix).await?;
        self.inner.list(&p, limit).await
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let k = self.key(key).await?;
        self.inner.delete(&k).await
    }
}

/// A stored event: arrival time (for ordering) and the normalised payload.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredEvent {
    t: u64,
    e: WebhookEvent,
}

fn error_code_of(body: &[u8]) -> Option<String> {
    let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
    let code = parsed.first()?.code();
    (!code.is_empty()).then(|| code.chars().take(64).collect())
}

/// An empty `204`, as Belvo answers a `DELETE`.
fn no_content() -> Response {
    Response {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn relay(u: UpstreamResponse) -> Response {
    let ct = u
        .content_type
        .unwrap_or_else(|| "application/json".to_owned());
    Response {
        status: u.status,
        headers: std::vec![("content-type".into(), ct)],
        body: u.body,
    }
}

/// Link id in a link answer: `id` of a 2xx link object, `link` of a 428 challenge.
fn link_id_of(status: u16, body: &[u8]) -> Option<String> {
    let id = if status == 428 {
        serde_json::from_slice::<ErrorBody>(body)
            .ok()?
            .challenge()?
            .link?
    } else if (200..300).contains(&status) {
        serde_json::from_slice::<Link>(body).ok()?.id
    } else {
        return None;
    };
    is_uuid(&id).then(|| id.to_ascii_lowercase())
}

impl Proxy {
    /// A proxy over `config`.
    pub fn new(config: Config) -> Proxy {
        Proxy { config }
    }

    /// The policy.
    pub fn policy(&self) -> Policy<'_> {
        Policy::new(&self.config)
    }

    /// Handles one request end to end. Never panics; every failure becomes a JSON answer.
    pub async fn handle<S: Store, U: Upstream>(
        &self,
        req: &super::Request,
        cx: &Context,
        store: &S,
        upstream: &U,
    ) -> Handled {
        let policy = self.policy();
        let store = &Generational::new(store, self.config.env == BelvoEnv::Emulator);
        let mut log = log_for(req, cx);
        let decision = policy.check(req, cx.now_ms, &cx.request_id);
        let response = match decision {
            Decision::Respond(r) => {
                log.outcome = if req.method == "OPTIONS" && r.status == 204 {
                    "preflight"
                } else {
                    "rejected"
                };
                if r.status >= 400 {
                    log.code = error_code_of(&r.body);
                }
                r
            }
            Decision::Forward(f) => self.forward(f, cx, store, upstream, &mut log).await,
            Decision::ServeEvents { link_id } => {
                log.link_id = Some(link_id.clone());
                self.serve_events(&link_id, cx, store, &mut log).await
            }
            Decision::AcceptWebhook(ev) => self.accept_webhook(ev, cx, store, &mut log).await,
            Decision::Emulator(route) => match upstream.emulator_admin(&route).await {
                Some(_)
                    if route == EmulatorRoute::Reset
                        && store.advance(&self.config, cx).await.is_err() =>
                {
                    log.outcome = "store_failure";
                    Reject::new(503, "store_unavailable", "Try again in a moment.")
                        .to_response(&cx.request_id)
                }
                Some(u) => {
                    log.outcome = "emulator_admin";
                    relay(u)
                }
                None => {
                    log.outcome = "rejected";
                    Reject::new(404, "not_found", "Not found.").to_response(&cx.request_id)
                }
            },
            Decision::EmulatorDirect {
                request,
                authorization,
            } => {
                log.outcome = "emulator_direct";
                match upstream
                    .emulator_direct(&request, authorization.as_deref())
                    .await
                {
                    Some(Ok(r)) => {
                        log.upstream_status = Some(r.status);
                        relay(r)
                    }
                    Some(Err(e)) => match classify(Err(e), true) {
                        Classified::Failure(rej) => rej.to_response(&cx.request_id),
                        Classified::Json(r) => relay(r),
                        Classified::NoContent => no_content(),
                    },
                    None => {
                        log.outcome = "rejected";
                        Reject::new(404, "not_found", "Not found.").to_response(&cx.request_id)
                    }
                }
            }
        };
        self.finish(req, cx, response, log)
    }

    /// Answers `reject` to a request the adapter could not read whole (its body stalled or
    /// broke), so no policy ran: with the same headers and log record as any other answer.
    pub fn refuse(&self, req: &super::Request, cx: &Context, reject: &Reject) -> Handled {
        let mut log = log_for(req, cx);
        log.outcome = "rejected";
        log.code = Some(reject.code.to_owned());
        self.finish(req, cx, reject.to_response(&cx.request_id), log)
    }

    /// Adds the headers every answer carries, and the status to the log record.
    fn finish(
        &self,
        req: &super::Request,
        cx: &Context,
        mut response: Response,
        mut log: LogRecord,
    ) -> Handled {
        log.status = response.status;
        response
            .headers
            .push((REQUEST_ID_HEADER.into(), cx.request_id.clone()));
        response
            .headers
            .push(("cache-control".into(), "no-store".into()));
        response
            .headers
            .extend(self.policy().cors_headers(req.header("origin")));
        Handled { response, log }
    }

    async fn forward<S: Store, U: Upstream>(
        &self,
        f: Forward,
        cx: &Context,
        store: &S,
        upstream: &U,
        log: &mut LogRecord,
    ) -> Response {
        if let Some(key) = &f.guard_key {
            if let Err(rej) = self.guard(key, cx, store).await {
                log.outcome = if rej.status == 403 {
                    "guard_blocked"
                } else {
                    "store_failure"
                };
                log.code = Some(rej.code.to_owned());
                return rej.to_response(&cx.request_id);
            }
        }
        let result = upstream.send(&f.upstream).await;
        if let Ok(r) = &result {
            log.upstream_status = Some(r.status);
        }
        // Data pages are relayed untouched: a structural check suffices (see `classify`).
        let full_parse = !matches!(f.route, super::Route::Data(_));
        let classified = classify(result, full_parse);
        if let super::Route::DeleteLink(link_id) = &f.route {
            return self.deleted(link_id, classified, cx, store, log).await;
        }
        match classified {
            Classified::Failure(rej) => {
                log.outcome = "upstream_failure";
                log.code = Some(rej.code.to_owned());
                rej.to_response(&cx.request_id)
            }
            Classified::NoContent => {
                log.outcome = "forwarded";
                no_content()
            }
            Classified::Json(u) => {
                log.outcome = "forwarded";
                if u.status >= 400 && u.status != 428 {
                    log.code = error_code_of(&u.body);
                }
                let link = if f.issue_capability {
                    link_id_of(u.status, &u.body)
                } else {
                    None
                };
                let mut resp = relay(u);
                if let Some(id) = link {
                    resp.headers
                        .push((CAPABILITY_HEADER.into(), self.policy().capability(&id)));
                    log.link_id = Some(id);
                }
                resp
            }
        }
    }

    /// Belvo's answer to `DELETE /api/links/{id}/`, passed through. Once Belvo no longer has
    /// the link — `204`, or `404` (it was already gone: e.g. a resent DELETE) — its stored
    /// webhook events are dropped too. A failed drop does not fail the answer: Belvo's copy is
    /// gone either way, and the events expire with `EVENTS_TTL_SECONDS`.
    async fn deleted<S: Store>(
        &self,
        link_id: &str,
        classified: Classified,
        cx: &Context,
        store: &S,
        log: &mut LogRecord,
    ) -> Response {
        log.link_id = Some(link_id.to_owned());
        let (response, gone) = match classified {
            Classified::Failure(rej) => {
                log.outcome = "upstream_failure";
                log.code = Some(rej.code.to_owned());
                return rej.to_response(&cx.request_id);
            }
            Classified::NoContent => (no_content(), true),
            Classified::Json(u) => {
                if u.status >= 400 {
                    log.code = error_code_of(&u.body);
                }
                let gone = (200..300).contains(&u.status) || u.status == 404;
                (relay(u), gone)
            }
        };
        log.outcome = "forwarded";
        if gone && self.drop_events(link_id, store).await.is_err() {
            log.outcome = "store_failure";
        }
        response
    }

    /// Deletes every stored webhook event of `link_id` (one bounded list: the cap keeps a
    /// link's events within it; see [`events_scan`]).
    async fn drop_events<S: Store>(&self, link_id: &str, store: &S) -> Result<(), StoreError> {
        let mut result = Ok(());
        for old in self.stored_events(link_id, store).await? {
            let key = event_key(link_id, old.t, &old.e.webhook_id);
            if store.delete(&key).await.is_err() {
                result = Err(StoreError);
            }
        }
        result
    }

    /// Counts one attempt under `key`, or refuses with the retry time.
    async fn guard<S: Store>(&self, key: &str, cx: &Context, store: &S) -> Result<(), Reject> {
        let cfg = &self.config;
        let now = cx.now_ms / 1000;
        let window = cfg.attempt_window_secs;
        let unavailable = || Reject::new(503, "store_unavailable", "Try again in a moment.");
        let stored = store.get(key).await.map_err(|_| unavailable())?;
        let mut times: Vec<u64> = stored
            .and_then(|s| serde_json::from_str::<Vec<u64>>(&s).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.saturating_add(window) > now)
            .collect();
        if times.len() >= cfg.attempt_limit as usize {
            let oldest = times.iter().copied().min().unwrap_or(now);
            let mut rej = Reject::new(403, "forbidden_by_host", GUARD_MESSAGE);
            rej.retry_after = Some(oldest.saturating_add(window).saturating_sub(now).max(1));
            return Err(rej);
        }
        times.push(now);
        let mut value = String::from("[");
        for (i, t) in times.iter().enumerate() {
            if i > 0 {
                value.push(',');
            }
            let _ = write!(value, "{t}");
        }
        value.push(']');
        store
            .put(key, &value, window)
            .await
            .map_err(|_| unavailable())
    }

    /// The link's stored events, newest first (key order; see [`event_key`]).
    async fn stored_events<S: Store>(
        &self,
        link_id: &str,
        store: &S,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let scan = events_scan(self.config.max_events_per_link);
        let values = store.list(&events_prefix(link_id), scan).await?;
        Ok(values
            .iter()
            .filter_map(|v| serde_json::from_str(v).ok())
            .collect())
    }

    async fn serve_events<S: Store>(
        &self,
        link_id: &str,
        cx: &Context,
        store: &S,
        log: &mut LogRecord,
    ) -> Response {
        match self.stored_events(link_id, store).await {
            Err(_) => {
                log.outcome = "store_failure";
                Reject::new(503, "store_unavailable", "Try again in a moment.")
                    .to_response(&cx.request_id)
            }
            Ok(mut stored) => {
                log.outcome = "events";
                stored.reverse();
                stored.sort_by_key(|s| s.t);
                // Two copies of one webhook that raced past the dedupe: the first one counts.
                let mut seen = BTreeSet::new();
                let mut events: Vec<WebhookEvent> = stored
                    .into_iter()
                    .filter(|s| seen.insert(s.e.webhook_id.clone()))
                    .map(|s| s.e)
                    .collect();
                let excess = events.len().saturating_sub(self.config.max_events_per_link);
                events.drain(..excess);
                let body = LinkEvents {
                    link_id: Some(link_id.to_owned()),
                    events,
                };
                Response::json(200, serde_json::to_vec(&body).unwrap_or_default())
            }
        }
    }

    async fn accept_webhook<S: Store>(
        &self,
        ev: WebhookEvent,
        cx: &Context,
        store: &S,
        log: &mut LogRecord,
    ) -> Response {
        let cfg = &self.config;
        log.link_id = Some(ev.link_id.clone());
        let failed = |log: &mut LogRecord| {
            log.outcome = "store_failure";
            // 500 so that Belvo retries the delivery.
            Reject::new(
                500,
                "store_unavailable",
                "Could not store the event; retry.",
            )
            .to_response(&cx.request_id)
        };
        let existing = match self.stored_events(&ev.link_id, store).await {
            Err(_) => return failed(log),
            Ok(e) => e,
        };
        if existing.iter().any(|s| s.e.webhook_id == ev.webhook_id) {
            log.outcome = "webhook_duplicate";
            return Response::json(200, br#"{"status":"duplicate"}"#.to_vec());
        }
        let link_id = ev.link_id.clone();
        let key = event_key(&link_id, cx.now_ms, &ev.webhook_id);
        let value = serde_json::to_string(&StoredEvent {
            t: cx.now_ms,
            e: ev,
        })
        .unwrap_or_default();
        if store.put(&key, &value, cfg.events_ttl_secs).await.is_err() {
            return failed(log);
        }
        // Kept: this event and the newest N − 1 before it. A failed delete does not fail the
        // delivery: the next one drops that event again, and reads take the newest N anyway.
        let keep = cfg.max_events_per_link.saturating_sub(1);
        for old in existing.iter().skip(keep) {
            let _ = store
                .delete(&event_key(&link_id, old.t, &old.e.webhook_id))
                .await;
        }
        log.outcome = "webhook_stored";
        Response::json(200, br#"{"status":"stored"}"#.to_vec())
    }
}
