//! An emulator of Belvo's sandbox for the employment flow: pure, sans-IO, deterministic.
//!
//! [`Emulator::handle`] takes a request and "now" and returns the answer plus what the
//! adapter must do next: wait before answering ([`Reply::delay_ms`], the "slow" scenario) and
//! deliver `historical_update` webhooks after a delay ([`Reply::webhooks`]). State (links,
//! MFA sessions, counters) lives in the [`Emulator`] value; the Worker keeps one per isolate
//! in module-global memory.
//!
//! Behaviour follows `../shared/belvo-api.md`: Basic auth on every request, checked before
//! anything else (missing or wrong keys → `401 authentication_failed` "Invalid Secret Keys",
//! as Belvo answers; good keys at `GET /api/` → 200, the SDKs' login), Belvo's paths and shapes,
//! pagination (see `api`), `planet_mx_employment` / `imss_mx_employment` /
//! `issste_mx_employment` (CURP, 201) and `inss_br_employment` (CPF + password; always 428
//! with the seed's challenge — `expiry: "120"`, `token_generation_data` `inputless` with
//! `expects_user_input: true`; token `111111` links, anything else — e.g. `999999` —
//! answers a new 428; an expired session answers 400 `session_expired`), and the on-demand
//! [`scenarios`] (other token types among them). The rest of Belvo's REST surface the SDKs
//! use — the links list, detail, modification and deletion, data lists without `link`, the
//! retrieve form, institutions, pagination with `page_size` and `next` on the caller's URL —
//! is in `api`.

mod api;
mod data;
pub mod scenarios;
mod time;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::belvo::institution::{self, Country, Institution};
use crate::belvo::wire::{ErrorItem, Link, WebhookData, WebhookEvent};
use crate::crypto::{base64, basic_auth, secret_eq, sha256};
use crate::id::{cpf, curp, Options};
use crate::rng::SplitMix;
use data::LinkData;
use scenarios::{Behavior, Scenario};
use time::iso_timestamp;

/// Page size of a list without `page_size` (Belvo's sandbox answers 10 per page to exercise
/// pagination; its production API 100).
pub const PAGE_SIZE: usize = 10;
/// The largest `page_size`: larger values are clamped to it, as Belvo does.
pub const MAX_PAGE_SIZE: usize = 1000;
/// Seconds an INSS MFA session lives.
pub const SESSION_EXPIRY_SECS: u64 = 120;
/// Links kept before the oldest are forgotten.
pub const MAX_LINKS: usize = 10_000;

/// Belvo's message for an expired MFA session.
pub const SESSION_EXPIRED: &str =
    "The session you are trying to resume has expired, please start again from register/retrieve endpoint";

/// Belvo's IP rate-limit page (served by openresty, not JSON).
pub const RATE_LIMIT_HTML: &str = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n";

/// Emulator settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// Secret key id expected in Basic auth.
    pub secret_id: String,
    /// Secret key password expected in Basic auth.
    pub secret_password: String,
    /// Delay of the `historical_update` webhooks (and of data readiness), milliseconds.
    pub webhook_delay_ms: u64,
    /// Delay of the "slow answer" scenario, milliseconds.
    pub slow_ms: u64,
    /// Where the emulator's API is reached, as an absolute URL without trailing `/` (e.g.
    /// `https://w.example/__emulator/belvo`): the base of `next`/`previous` and of the API
    /// root's links for [`Emulator::handle`]. The Worker passes the URL each request came to
    /// instead ([`Emulator::handle_at`]).
    pub base_url: String,
    /// Seed of the id generator (random per isolate; fixed in tests).
    pub seed: u64,
}

/// The default settings: placeholder credentials (the adapter passes the proxy's own, so the
/// two always agree), `wrangler dev`'s address, seed 1.
impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            secret_id: "emulator-secret-id".to_owned(),
            secret_password: "emulator-secret-password".to_owned(),
            webhook_delay_ms: 1_000,
            slow_ms: 3_000,
            base_url: "http://127.0.0.1:8787/__emulator/belvo".to_owned(),
            seed: 1,
        }
    }
}

/// A request to the emulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    /// Method.
    pub method: &'a str,
    /// Belvo path, e.g. `/api/links/`.
    pub path: &'a str,
    /// Query without `?`.
    pub query: &'a str,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// Body.
    pub body: &'a [u8],
}

/// A webhook the adapter must deliver to the proxy's `POST /webhooks` after `delay_ms`, unless
/// its link is gone by then ([`Emulator::webhook_due`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledWebhook {
    /// Delay from now, milliseconds.
    pub delay_ms: u64,
    /// The link it is about.
    pub link_id: String,
    /// The JSON payload.
    pub body: Vec<u8>,
}

/// The emulator's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
    /// How long to wait before answering (the "slow" scenario), milliseconds.
    pub delay_ms: u64,
    /// Webhooks to deliver later.
    pub webhooks: Vec<ScheduledWebhook>,
}

impl Reply {
    fn json(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body,
            delay_ms: 0,
            webhooks: Vec::new(),
        }
    }

    /// The body parsed as JSON (`Null` when it is not JSON). For tests and tools.
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Clone, Debug)]
struct LinkState {
    institution: &'static Institution,
    identifier: String,
    scenario: Option<&'static Scenario>,
    link: Link,
    valid: bool,
    ready_ms: u64,
    /// The `data_error_once` scenario: the next data request answers 500.
    data_error_pending: bool,
}

#[derive(Clone, Debug)]
struct Session {
    link_id: String,
    expires_ms: u64,
}

/// Counters (served at `GET /__emulator/stats`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every request [`Emulator::handle`] saw.
    pub requests: u64,
    /// Per route (`METHOD /path`, or `other`).
    pub by_route: BTreeMap<String, u64>,
    /// Links created.
    pub links_created: u64,
    /// Webhooks scheduled.
    pub webhooks_scheduled: u64,
    /// Webhooks the proxy accepted (reported by the adapter).
    pub webhooks_delivered: u64,
    /// Webhooks the proxy refused or that failed (reported by the adapter).
    pub webhooks_failed: u64,
}

/// The emulator state.
#[derive(Clone, Debug)]
pub struct Emulator {
    cfg: EmulatorConfig,
    rng: SplitMix,
    links: BTreeMap<String, LinkState>,
    order: VecDeque<String>,
    sessions: BTreeMap<String, Session>,
    too_many_seen: BTreeSet<[u8; 32]>,
    clock_offset_ms: u64,
    stats: Stats,
}

fn error_body(code: &str, message: &str, request_id: &str, field: Option<&str>) -> Vec<u8> {
    let item = ErrorItem {
        code: code.to_owned(),
        message: message.to_owned(),
        request_id: Some(request_id.to_owned()),
        field: field.map(str::to_owned),
    };
    serde_json::to_vec(&[item]).unwrap_or_default()
}

/// A `400` with one error item in Belvo's shape.
fn bad_request(rid: &str, code: &str, message: &str, field: Option<&str>) -> Reply {
    Reply::json(400, error_body(code, message, rid, field))
}

/// Parses a request body that must be a JSON object; anything else is answered as Belvo
/// does (`400 invalid` for other JSON, `400 parse_error` for no JSON).
fn object_body(body: &[u8], rid: &str) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad_request(
            rid,
            "invalid",
            "Invalid data. Expected a dictionary.",
            None,
        )),
        Err(_) => Err(bad_request(rid, "parse_error", "JSON parse error.", None)),
    }
}

/// A (non-null) `fetch_resources` value checked against what `inst` supports, as Belvo checks
/// it at link creation and modification.
fn fetch_resources_of(inst: &Institution, v: &Value, rid: &str) -> Result<Vec<String>, Reply> {
    let Value::Array(a) = v else {
        return Err(bad_request(
            rid,
            "not_a_list",
            "Expected a list of items.",
            Some("fetch_resources"),
        ));
    };
    let mut out = Vec::with_capacity(a.len());
    for v in a {
        match v.as_str() {
            Some(s) if inst.supported_resources.contains(&s) => out.push(s.to_owned()),
            _ => {
                let msg = format!(
                    "The institution only supports the following resources: {}",
                    inst.supported_resources.join(", ")
                );
                return Err(bad_request(rid, "invalid", &msg, Some("resources")));
            }
        }
    }
    Ok(out)
}

impl Emulator {
    /// A fresh emulator.
    pub fn new(cfg: EmulatorConfig) -> Emulator {
        let rng = SplitMix::new(cfg.seed);
        Emulator {
            cfg,
            rng,
            links: BTreeMap::new(),
            order: VecDeque::new(),
            sessions: BTreeMap::new(),
            too_many_seen: BTreeSet::new(),
            clock_offset_ms: 0,
            stats: Stats::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &EmulatorConfig {
        &self.cfg
    }

    /// Forgets links, sessions, scenario memory, counters and the clock offset.
    ///
    /// The id generator is *not* rewound: it carries on from where it was (in effect reseeded
    /// with its current state), so link ids, session ids and request ids handed out after a
    /// reset never repeat those handed out before it — the proxy may still hold events, dedupe
    /// markers and capabilities under the old ids.
    pub fn reset(&mut self) {
        let rng = self.rng.clone();
        *self = Emulator::new(self.cfg.clone());
        self.rng = rng;
    }

    /// Moves the emulator's clock forward (e.g. to expire MFA sessions in tests).
    pub fn advance_clock(&mut self, secs: u64) {
        self.clock_offset_ms = self
            .clock_offset_ms
            .saturating_add(secs.saturating_mul(1000));
    }

    /// Records the outcome of a webhook delivery.
    pub fn note_webhook_delivery(&mut self, accepted: bool) {
        if accepted {
            self.stats.webhooks_delivered += 1;
        } else {
            self.stats.webhooks_failed += 1;
        }
    }

    /// The counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The counters as JSON (plus live link and session counts).
    pub fn stats_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_value(&self.stats).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("links".into(), self.links.len().into());
            m.insert("sessions".into(), self.sessions.len().into());
            m.insert(
                "clock_offset_secs".into(),
                (self.clock_offset_ms / 1000).into(),
            );
        }
        serde_json::to_vec(&v).unwrap_or_default()
    }

    fn request_id(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!("{a:016x}{b:016x}")
    }

    fn new_uuid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    /// Handles one request at `now_ms` (Unix milliseconds), with `next`/`previous` and the API
    /// root's links on the configured [`EmulatorConfig::base_url`]. Total: never panics.
    pub fn handle(&mut self, req: &Request<'_>, now_ms: u64) -> Reply {
        let base = self.cfg.base_url.clone();
        self.handle_at(req, &base, now_ms)
    }

    /// Handles one request at `now_ms` (Unix milliseconds) that reached the emulator's API at
    /// `base_url` (absolute, without trailing `/`, e.g. `https://w.example/__emulator/belvo`):
    /// page links point there, so a client following `next` stays on the emulator, as a
    /// client of Belvo stays on Belvo. Total: never panics.
    pub fn handle_at(&mut self, req: &Request<'_>, base_url: &str, now_ms: u64) -> Reply {
        let now = now_ms.saturating_add(self.clock_offset_ms);
        self.stats.requests += 1;
        let label = api::route_label(req.method, req.path);
        *self.stats.by_route.entry(label.to_owned()).or_insert(0) += 1;
        let rid = self.request_id();
        let expected = basic_auth(&self.cfg.secret_id, &self.cfg.secret_password);
        let presented = req.authorization.unwrap_or("");
        if !secret_eq(b"emulator", presented, &expected) {
            return Reply::json(
                401,
                error_body("authentication_failed", scenarios::INVALID_KEYS, &rid, None),
            );
        }
        let base_url = base_url.trim_end_matches('/');
        self.dispatch(req, base_url, now, &rid)
    }

    /// Whether a scheduled webhook is still to be delivered: not when its link was deleted in
    /// the meantime (Belvo forgets a deleted link's pending events with it).
    pub fn webhook_due(&self, w: &ScheduledWebhook) -> bool {
        self.links.contains_key(&w.link_id)
    }

    fn create_link(&mut self, body: &[u8], now: u64, rid: &str) -> Reply {
        let bad = |code: &str, msg: &str, field: Option<&str>| bad_request(rid, code, msg, field);
        let m = match object_body(body, rid) {
            Ok(m) => m,
            Err(reply) => return reply,
        };
        let get_str = |k: &str| m.get(k).and_then(Value::as_str);
        let Some(inst_name) = get_str("institution") else {
            return bad("required", "This field is required.", Some("institution"));
        };
        let Some(inst) = institution::find(inst_name) else {
            return bad(
                "does_not_exist",
                "Object with name does not exist.",
                Some("institution"),
            );
        };
        let raw = match get_str("username") {
            None => return bad("required", "This field is required.", Some("username")),
            Some(s) if s.trim().is_empty() => {
                return bad("blank", "This field may not be blank.", Some("username"))
            }
            Some(s) => s,
        };
        let opts = Options::default();
        let identifier = match inst.username {
            institution::UsernameRule::Curp => match curp::validate(raw, &opts) {
                Ok(c) => c.as_str().to_owned(),
                Err(_) => {
                    let n = curp::compact(raw, false).count();
                    let msg = if n == 18 {
                        "CURP es incorrecto"
                    } else {
                        "Por favor, ingresa un CURP válido. Debe contener 18 caracteres"
                    };
                    return bad("login_error", msg, None);
                }
            },
            institution::UsernameRule::SandboxCurp => match curp::validate_sandbox(raw, &opts) {
                Ok(b) => b.iter().map(|c| char::from(*c)).collect(),
                Err(_) => return bad("login_error", scenarios::INVALID_CREDENTIALS, None),
            },
            institution::UsernameRule::Cpf => match cpf::validate(raw, &opts) {
                Ok(c) => c.as_str().to_owned(),
                Err(_) => return bad("login_error", scenarios::INVALID_CREDENTIALS, None),
            },
        };
        if inst.needs_password && get_str("password").is_none_or(str::is_empty) {
            return bad("required", "This field is required.", Some("password"));
        }
        let access_mode = match m.get("access_mode") {
            None | Some(Value::Null) => "recurrent",
            Some(Value::String(s)) if s == "single" => "single",
            Some(Value::String(s)) if s == "recurrent" => "recurrent",
            Some(_) => return bad("invalid_choice", "Not a valid choice.", Some("access_mode")),
        };
        let fetch_resources: Vec<String> = match m.get("fetch_resources") {
            None | Some(Value::Null) => inst
                .default_resources
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            Some(v) => match fetch_resources_of(inst, v, rid) {
                Ok(list) => list,
                Err(reply) => return reply,
            },
        };
        let storage = match get_str("credentials_storage") {
            Some(s) => s.to_owned(),
            None if access_mode == "single" => "365d".to_owned(),
            None => "store".to_owned(),
        };
        if access_mode == "recurrent" && storage != "store" {
            return bad(
                "invalid_credentials_storage",
                "Recurrent links must store the credentials",
                None,
            );
        }
        if storage == "nostore" && fetch_resources.is_empty() {
            return bad(
                "invalid_fetch_resources",
                "Single links without stored credentials must fetch resources",
                None,
            );
        }
        let external_id = get_str("external_id").map(str::to_owned);

        let scenario = scenarios::find(inst.country, &identifier);
        let mut delay_ms = 0;
        let mut malformed = false;
        if let Some(s) = scenario {
            match s.behavior {
                Behavior::Error {
                    status,
                    code,
                    message,
                } => {
                    return Reply::json(status, error_body(code, message, rid, None));
                }
                Behavior::TooManySessionsOnce => {
                    let h = sha256(format!("{}\u{0}{}", inst.name, identifier).as_bytes());
                    if self.too_many_seen.insert(h) {
                        return bad("too_many_sessions", scenarios::TOO_MANY_SESSIONS, None);
                    }
                }
                Behavior::HtmlRateLimit => {
                    return Reply {
                        status: 403,
                        content_type: "text/html",
                        body: RATE_LIMIT_HTML.as_bytes().to_vec(),
                        delay_ms: 0,
                        webhooks: Vec::new(),
                    };
                }
                Behavior::Slow => delay_ms = self.cfg.slow_ms,
                Behavior::MalformedJson => malformed = true,
                Behavior::Many
                | Behavior::ShortSession
                | Behavior::DataErrorOnce
                | Behavior::NumericChallenge
                | Behavior::DeviceApproval => {}
            }
        }

        let link_id = self.new_uuid();
        let iuid = {
            let h = sha256(format!("iuid\u{0}{}\u{0}{}", inst.name, identifier).as_bytes());
            base64(&h).replace('+', "-").replace('/', "_")
        };
        let mfa = inst.country == Country::Br && !malformed;
        let link = Link {
            id: link_id.clone(),
            institution: Some(inst.name.to_owned()),
            access_mode: Some(access_mode.to_owned()),
            status: Some(if mfa { "token_required" } else { "valid" }.to_owned()),
            refresh_rate: (access_mode == "recurrent").then(|| "7d".to_owned()),
            created_by: Some("6e9be884-4781-4143-b673-aca02475ee8c".to_owned()),
            last_accessed_at: (!mfa).then(|| iso_timestamp(now)),
            created_at: Some(iso_timestamp(now)),
            external_id,
            institution_user_id: Some(iuid),
            credentials_storage: Some(storage),
            stale_in: None,
            fetch_resources,
        };
        let state = LinkState {
            institution: inst,
            identifier,
            scenario,
            link,
            valid: !mfa,
            ready_ms: now.saturating_add(self.cfg.webhook_delay_ms),
            data_error_pending: scenario.is_some_and(|s| s.behavior == Behavior::DataErrorOnce),
        };
        self.stats.links_created += 1;
        self.insert_link(link_id.clone(), state);
        let mut reply = if mfa {
            self.challenge(&link_id, now, rid)
        } else {
            let webhooks = self.webhooks_for(&link_id);
            let body = self.link_json(&link_id);
            Reply {
                status: 201,
                content_type: "application/json",
                body,
                delay_ms: 0,
                webhooks,
            }
        };
        if malformed {
            let keep = reply.body.len() / 2;
            reply.body.truncate(keep);
        }
        reply.delay_ms = delay_ms;
        reply
    }

    fn insert_link(&mut self, id: String, state: LinkState) {
        self.order.push_back(id.clone());
        self.links.insert(id, state);
        while self.order.len() > MAX_LINKS {
            if let Some(old) = self.order.pop_front() {
                self.links.remove(&old);
                self.sessions.retain(|_, s| s.link_id != old);
            }
        }
    }

    /// Forgets a link with its MFA sessions (and so its data and pending webhooks).
    fn remove_link(&mut self, id: &str) -> bool {
        if self.links.remove(id).is_none() {
            return false;
        }
        self.order.retain(|x| x != id);
        self.sessions.retain(|_, s| s.link_id != id);
        true
    }

    fn link_json(&self, id: &str) -> Vec<u8> {
        self.links
            .get(id)
            .and_then(|l| serde_json::to_vec(&l.link).ok())
            .unwrap_or_default()
    }

    /// A new MFA session for `link_id` and its 428 answer.
    fn challenge(&mut self, link_id: &str, now: u64, rid: &str) -> Reply {
        let scenario = self.links.get(link_id).and_then(|l| l.scenario);
        let short = scenario.is_some_and(|s| s.behavior == Behavior::ShortSession);
        let expiry = if short { 1 } else { SESSION_EXPIRY_SECS };
        let session = self.request_id();
        let code = format!("{:06}", self.rng.below(1_000_000));
        self.sessions.retain(|_, s| s.link_id != link_id);
        self.sessions.insert(
            session.clone(),
            Session {
                link_id: link_id.to_owned(),
                expires_ms: now.saturating_add(expiry * 1000),
            },
        );
        if self.sessions.len() > MAX_LINKS {
            self.sessions.retain(|_, s| s.expires_ms > now);
        }
        let body = scenarios::token_required_body(scenario, &session, expiry, link_id, rid, &code);
        Reply::json(428, body)
    }

    fn patch_link(&mut self, body: &[u8], now: u64, rid: &str) -> Reply {
        let bad = |code: &str, msg: &str, field: Option<&str>| bad_request(rid, code, msg, field);
        let m = match object_body(body, rid) {
            Ok(m) => m,
            Err(reply) => return reply,
        };
        let Some(link_id) = m.get("link").and_then(Value::as_str) else {
            return bad("required", "This field is required.", Some("link"));
        };
        let Some(session_id) = m.get("session").and_then(Value::as_str) else {
            return bad("required", "This field is required.", Some("session"));
        };
        let token = m.get("token").and_then(Value::as_str).unwrap_or("");
        let link_id = link_id.to_ascii_lowercase();
        let live = match self.sessions.get(session_id) {
            Some(s) if s.link_id == link_id => s.expires_ms >= now,
            _ => return bad("session_expired", SESSION_EXPIRED, None),
        };
        self.sessions.remove(session_id);
        if !live || !self.links.contains_key(&link_id) {
            return bad("session_expired", SESSION_EXPIRED, None);
        }
        let scenario = self.links.get(&link_id).and_then(|l| l.scenario);
        if !scenarios::token_accepted(scenario, token) {
            return self.challenge(&link_id, now, rid);
        }
        let delay = self.cfg.webhook_delay_ms;
        if let Some(l) = self.links.get_mut(&link_id) {
            l.valid = true;
            l.ready_ms = now.saturating_add(delay);
            l.link.status = Some("valid".to_owned());
            l.link.last_accessed_at = Some(iso_timestamp(now));
        }
        let webhooks = self.webhooks_for(&link_id);
        Reply {
            status: 200,
            content_type: "application/json",
            body: self.link_json(&link_id),
            delay_ms: 0,
            webhooks,
        }
    }

    fn link_data<'a>(l: &'a LinkState, link_id: &'a str) -> LinkData<'a> {
        let many = l
            .scenario
            .filter(|s| s.behavior == Behavior::Many)
            .map(|_| match l.institution.country {
                Country::Mx => scenarios::MANY_MX,
                Country::Br => scenarios::MANY_BR,
            });
        LinkData {
            link_id,
            institution: l.institution.name,
            country: l.institution.country,
            identifier: &l.identifier,
            collected_ms: l.ready_ms,
            many,
            reference_date: None,
        }
    }

    fn webhooks_for(&mut self, link_id: &str) -> Vec<ScheduledWebhook> {
        let Some(l) = self.links.get(link_id) else {
            return Vec::new();
        };
        let d = Self::link_data(l, link_id);
        let plan: Vec<(String, u64)> = l
            .link
            .fetch_resources
            .iter()
            .map(|r| (r.clone(), data::count(r, &d)))
            .collect();
        let external_id = l.link.external_id.clone();
        let delay = self.cfg.webhook_delay_ms;
        let mut out = Vec::with_capacity(plan.len());
        for (resource, total) in plan {
            let mut data = WebhookData::default();
            match resource.as_str() {
                "EMPLOYMENT_RECORDS" => data.total_employment_record_profiles = Some(total),
                "EMPLOYMENTS" => data.total_employments = Some(total),
                "OWNERS" => data.total_owners = Some(total),
                "EMPLOYMENT_METRICS" => data.total_employment_metrics = Some(total),
                _ => continue,
            }
            let ev = WebhookEvent {
                webhook_id: self.request_id(),
                webhook_type: resource,
                webhook_code: "historical_update".to_owned(),
                process_type: Some("historical_update".to_owned()),
                link_id: link_id.to_owned(),
                request_id: Some(self.new_uuid()),
                external_id: external_id.clone(),
                data,
            };
            if let Ok(body) = serde_json::to_vec(&ev) {
                // Staggered by 50 ms so that they arrive in a stable order, as separate events.
                let delay_ms = delay.saturating_add(50 * out.len() as u64);
                out.push(ScheduledWebhook {
                    delay_ms,
                    link_id: link_id.to_owned(),
                    body,
                });
            }
        }
        self.stats.webhooks_scheduled += out.len() as u64;
        out
    }
}

/// The scenario table as pretty JSON (the content of `emulator/scenarios.json`).
pub fn scenarios_json() -> String {
    scenarios::table_json_string()
}
