//! The link/MFA flow as a sans-IO state machine.
//!
//! The [`Flow`] never performs I/O. Each user intent ([`Flow::create_link`],
//! [`Flow::submit_token`], [`Flow::wait_for_data`], [`Flow::fetch`], [`Flow::delete_link`])
//! returns an [`Action`];
//! the adapter executes it and feeds the outcome back until it gets [`Action::Done`]:
//!
//! ```text
//! let mut action = flow.create_link(params, now)?;
//! loop {
//!     action = match action {
//!         Action::Send(req)              => match http(&req) {           // keep `req`
//!             Ok(resp)  => flow.on_response(req.ticket, resp, now),
//!             Err(fail) => flow.on_failure(req.ticket, fail, now) },
//!         Action::Retry { ticket, after_ms } => { sleep(after_ms); /* resend the kept req */ … }
//!         Action::Sleep { ticket, ms }   => { sleep(ms); flow.on_wake(ticket, now) }
//!         Action::Done(step)             => return step,
//!     }
//! }
//! ```
//!
//! States: `Idle → CreatingLink → (TokenRequired ⇄ SubmittingToken) → Linked →
//! WaitingForData → Ready`, plus `Error` and `Cancelled`. Resource fetches run from `Linked`
//! or `Ready` without changing the state (the snapshot shows `busy`); a delete runs from there
//! too and, once Belvo no longer has the link, goes back to `Idle`.
//!
//! Retries ([`RetryPolicy`]): only answers of category `retry` (5xx, 408, network failure,
//! timeout, `too_many_sessions`), and only where Belvo documents no side effect:
//! * `GET` (data, events) — always;
//! * `DELETE /api/links/{id}/` — deleting twice deletes once: Belvo answers the second one
//!   `404`, which the flow takes as done when it answers a resend (the first one got through);
//! * `PATCH /api/links/` — it names the link and session, so it can never create a second
//!   link; a resent token at worst earns a new 428 or `session_expired`;
//! * `POST /api/links/` — only on `too_many_sessions` (Belvo refused to log in, so no link
//!   was made). A 5xx, 408, timeout or network failure on a create may have made a link, so
//!   it is surfaced, never resent.
//!
//! Answers come in parsed ([`Body::Json`] of any [`JsonBody`]: `serde_json::Value` natively,
//! the engine's parsed value in the browser) and are read with the serde derives of
//! [`belvo::wire`](crate::belvo::wire); the flow never parses or writes JSON text.
//!
//! Secrets: the password and the MFA token exist only in the [`HttpRequest::body`] being
//! sent; the MFA session and the link capability are kept (they are needed) but never appear
//! in `Debug`, the [`Snapshot`], [`Event`]s or errors.

mod http;
mod options;
mod url;
mod view;

pub use crate::id::date::iso8601;
pub use http::{
    parse_retry_after, Body, Failure, HttpRequest, JsonBody, Method, RequestBody, Response,
    LINK_CAPABILITY_HEADER,
};
pub use options::{
    is_secret_option, ClientOptions, Credentials, Headers, OptionsError, RetryOptions, Validated,
};
pub use url::{
    check_proxy_url, page_path, push_encoded, rewrite_next, ProxyUrlError, MAX_PAGE_SIZE,
};
pub use view::{ChallengeView, Counts, Event, EventKind, EventType, Snapshot};

use core::fmt;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::belvo::errors::{self, classify, Answer, Category, LinkError, Local};
use crate::belvo::institution::{self, Country, Institution, UsernameRule};
use crate::belvo::wire::{
    ErrorBody, Link, LinkEvents, LinkRequest, Object, Page, PatchLinkRequest, TokenChallenge,
};
use crate::id::{Date, Kind, Locale, Options};
use crate::text::str_enum;

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/// Exponential backoff for retried requests: attempt `n` (1-based) waits
/// `min(base_ms · 2^(n-1), max_delay_ms)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3; 0 disables retries).
    pub max: u32,
    /// First delay (default 1000 ms).
    pub base_ms: u64,
    /// Cap on one delay (default 30 s). A `Retry-After` longer than this is not waited for:
    /// the error is surfaced instead.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max: 3,
            base_ms: 1000,
            max_delay_ms: 30_000,
        }
    }
}

impl RetryPolicy {
    /// Delay before retry number `attempt` (1-based).
    pub fn delay_ms(&self, attempt: u32) -> u64 {
        let shift = attempt.saturating_sub(1).min(32);
        self.base_ms
            .saturating_mul(1u64 << shift)
            .min(self.max_delay_ms)
    }
}

/// Flow settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Language of user messages.
    pub locale: Locale,
    /// Retries of side-effect-free requests.
    pub retry: RetryPolicy,
    /// Per-request timeout (default 60 s: Belvo logins are slow).
    pub request_timeout_ms: u64,
    /// Default `waitForData` timeout (default 120 s; Belvo averages 15 s).
    pub wait_timeout_ms: u64,
    /// First readiness-poll delay (default 1 s), doubled per poll up to `poll_max_ms`.
    pub poll_base_ms: u64,
    /// Longest readiness-poll delay (default 8 s).
    pub poll_max_ms: u64,
    /// Most pages fetched per resource (default 50); more is reported as `truncated`.
    pub max_pages: u32,
    /// `page_size` to ask for (default: Belvo's, 100).
    pub page_size: Option<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            locale: Locale::Es,
            retry: RetryPolicy::default(),
            request_timeout_ms: 60_000,
            wait_timeout_ms: 120_000,
            poll_base_ms: 1000,
            poll_max_ms: 8000,
            max_pages: 50,
            page_size: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Intents and their results
// ---------------------------------------------------------------------------------------------

/// `createLink` parameters (JS: `{institution, username, password?, externalId?,
/// fetchResources?}`), read with serde (`serde_wasm_bindgen::from_value` in the browser):
/// unknown keys are ignored, `null` is absent, a key of the wrong type fails the read.
/// `Debug` redacts the username and password.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateLink {
    /// Belvo institution name.
    #[serde(default)]
    pub institution: String,
    /// CURP or CPF, as typed.
    #[serde(default)]
    pub username: String,
    /// Password (INSS only; ignored for IMSS/ISSSTE).
    #[serde(default)]
    pub password: Option<String>,
    /// The integrator's id for this person (≥ 3 chars of `[A-Za-z0-9_-]`, no PII).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Resources to fetch (default: the institution's).
    #[serde(default)]
    pub fetch_resources: Option<Vec<String>>,
}

impl fmt::Debug for CreateLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateLink")
            .field("institution", &self.institution)
            .field("username", &"<redacted>")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("external_id", &self.external_id)
            .field("fetch_resources", &self.fetch_resources)
            .finish()
    }
}

/// A Belvo data resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// MX employment records.
    EmploymentRecords,
    /// BR employments.
    Employments,
    /// Owners.
    Owners,
    /// MX employment metrics (IMSS).
    EmploymentMetrics,
}

impl Resource {
    /// Every resource.
    pub const ALL: [Resource; 4] = [
        Resource::EmploymentRecords,
        Resource::Employments,
        Resource::Owners,
        Resource::EmploymentMetrics,
    ];

    /// Belvo's name (`fetch_resources`, `webhook_type`), e.g. `EMPLOYMENT_RECORDS`.
    pub fn name(self) -> &'static str {
        match self {
            Resource::EmploymentRecords => "EMPLOYMENT_RECORDS",
            Resource::Employments => "EMPLOYMENTS",
            Resource::Owners => "OWNERS",
            Resource::EmploymentMetrics => "EMPLOYMENT_METRICS",
        }
    }

    /// Belvo's list path, e.g. `/api/employment-records/`.
    pub fn path(self) -> &'static str {
        match self {
            Resource::EmploymentRecords => "/api/employment-records/",
            Resource::Employments => "/api/br/employments/",
            Resource::Owners => "/api/owners/",
            Resource::EmploymentMetrics => "/api/employment-metrics/",
        }
    }

    /// By Belvo name (also Belvo's `EMPLOYMENT` typo for `EMPLOYMENTS`).
    pub fn from_name(s: &str) -> Option<Resource> {
        match s {
            "EMPLOYMENT_RECORDS" => Some(Resource::EmploymentRecords),
            "EMPLOYMENTS" | "EMPLOYMENT" => Some(Resource::Employments),
            "OWNERS" => Some(Resource::Owners),
            "EMPLOYMENT_METRICS" => Some(Resource::EmploymentMetrics),
            _ => None,
        }
    }
}

/// The result of an operation (what a JS promise resolves to).
#[derive(Clone, Debug, PartialEq)]
pub enum Step<T> {
    /// The link exists (`{status:"linked", link}`).
    Linked {
        /// Belvo's link object.
        link: Link,
    },
    /// Belvo wants an MFA token (`{status:"token_required", challenge}`).
    TokenRequired {
        /// What to show the person.
        challenge: ChallengeView,
    },
    /// Every requested resource was announced (`{status:"ready", EMPLOYMENT_RECORDS: n, …}`).
    Ready {
        /// Count per resource.
        counts: Counts,
    },
    /// A resource, every page (`{status:"ok", resource, count, results, truncated}`).
    Data {
        /// Which resource.
        resource: Resource,
        /// Belvo's total `count`.
        count: u64,
        /// The items of every page fetched.
        results: Vec<T>,
        /// `true` when pages were left (page cap, or an unfollowable `next`).
        truncated: bool,
    },
    /// The link was deleted at Belvo and the flow forgot it (`{status:"deleted", linkId}`).
    Deleted {
        /// The deleted link.
        link_id: String,
    },
    /// An expected failure (`{status:"error", error}`).
    Error {
        /// The classified error.
        error: LinkError,
    },
}

impl<T> Step<T> {
    /// The error, if this is [`Step::Error`].
    pub fn error(&self) -> Option<&LinkError> {
        match self {
            Step::Error { error } => Some(error),
            _ => None,
        }
    }
}

/// What the adapter must do next.
#[allow(clippy::large_enum_variant)] // short-lived; boxing would cost an allocation per step
#[derive(Clone, Debug, PartialEq)]
pub enum Action<T> {
    /// Send this request, then call [`Flow::on_response`] or [`Flow::on_failure`]. Keep the
    /// request until the next `Send`/`Done`: [`Action::Retry`] resends it.
    Send(HttpRequest),
    /// Wait `after_ms`, resend the last request unchanged, then call [`Flow::on_response`] or
    /// [`Flow::on_failure`] with `ticket`.
    Retry {
        /// The operation's ticket.
        ticket: u64,
        /// Backoff delay.
        after_ms: u64,
    },
    /// Wait `ms`, then call [`Flow::on_wake`] with `ticket`.
    Sleep {
        /// The operation's ticket.
        ticket: u64,
        /// Delay.
        ms: u64,
    },
    /// The operation is over; resolve the caller's promise with this step.
    Done(Step<T>),
}

/// Programmer misuse (thrown in JS as an `Error` with `code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misuse {
    /// An operation is already in flight.
    Busy,
    /// The call makes no sense in the current state (e.g. `submitToken` with no challenge).
    InvalidState,
}

impl Misuse {
    /// `"busy"` or `"invalid_state"`.
    pub fn code(self) -> &'static str {
        match self {
            Misuse::Busy => "busy",
            Misuse::InvalidState => "invalid_state",
        }
    }

    /// A developer message.
    pub fn message(self) -> &'static str {
        match self {
            Misuse::Busy => "another operation is in flight; await it or call cancel()",
            Misuse::InvalidState => {
                "this call is not valid in the current state (see client.state)"
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// A pending MFA challenge. The session is private and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge {
    session: String,
    link_id: String,
    view: ChallengeView,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("link_id", &self.link_id)
            .field("view", &self.view)
            .finish()
    }
}

impl Challenge {
    fn new(tc: &TokenChallenge, link_id: String, now_ms: u64) -> Self {
        let tgd = tc.token_generation_data.as_ref();
        let expires_at = tc
            .expiry
            .map(|s| iso8601(now_ms.saturating_add(s.saturating_mul(1000))));
        Challenge {
            session: tc.session.clone(),
            view: ChallengeView {
                kind: String::from(tc.kind()),
                instructions: tgd.and_then(|t| t.instructions.clone()),
                value: tgd.and_then(|t| t.value.clone()),
                expects_user_input: tc.expects_user_input(),
                expires_at,
                expires_in_seconds: tc.expiry,
                link_id: link_id.clone(),
            },
            link_id,
        }
    }

    /// What the person sees.
    pub fn view(&self) -> &ChallengeView {
        &self.view
    }

    /// The link being created.
    pub fn link_id(&self) -> &str {
        &self.link_id
    }
}

/// Where the flow is.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Nothing started (or after `restart`).
    Idle,
    /// `POST /api/links/` in flight.
    CreatingLink {
        /// Institution name.
        institution: &'static str,
    },
    /// Waiting for the person's MFA token.
    TokenRequired {
        /// The challenge.
        challenge: Challenge,
    },
    /// `PATCH /api/links/` in flight.
    SubmittingToken {
        /// The challenge being answered.
        challenge: Challenge,
    },
    /// The link exists.
    Linked {
        /// Belvo's link object.
        link: Link,
    },
    /// Waiting for the `historical_update` webhooks (or polling).
    WaitingForData {
        /// The link.
        link: Link,
    },
    /// Every requested resource was announced.
    Ready {
        /// The link.
        link: Link,
        /// Count per resource.
        counts: Counts,
    },
    /// The flow stopped on an error (`restart` or `createLink` again).
    Error {
        /// The error.
        error: LinkError,
    },
    /// Cancelled by the caller.
    Cancelled,
}

str_enum! {
    /// A [`State`]'s stable status string (JS `state.status`).
    pub enum Status as "ClientStatus" {
        /// [`State::Idle`].
        Idle => "idle",
        /// [`State::CreatingLink`].
        CreatingLink => "creating_link",
        /// [`State::TokenRequired`].
        TokenRequired => "token_required",
        /// [`State::SubmittingToken`].
        SubmittingToken => "submitting_token",
        /// [`State::Linked`].
        Linked => "linked",
        /// [`State::WaitingForData`].
        WaitingForData => "waiting_for_data",
        /// [`State::Ready`].
        Ready => "ready",
        /// [`State::Error`].
        Error => "error",
        /// [`State::Cancelled`].
        Cancelled => "cancelled",
    }
}

impl State {
    /// The stable status string (see [`Status`]).
    pub fn status(&self) -> &'static str {
        match self {
            State::Idle => Status::Idle,
            State::CreatingLink { .. } => Status::CreatingLink,
            State::TokenRequired { .. } => Status::TokenRequired,
            State::SubmittingToken { .. } => Status::SubmittingToken,
            State::Linked { .. } => Status::Linked,
            State::WaitingForData { .. } => Status::WaitingForData,
            State::Ready { .. } => Status::Ready,
            State::Error { .. } => Status::Error,
            State::Cancelled => Status::Cancelled,
        }
        .as_str()
    }

    /// The link, when one exists in this state.
    pub fn link(&self) -> Option<&Link> {
        match self {
            State::Linked { link } | State::WaitingForData { link } | State::Ready { link, .. } => {
                Some(link)
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RetryWhen {
    /// POST /api/links/: only answers that prove no link was made.
    NoLinkCreated,
    /// GET, PATCH /api/links/, DELETE /api/links/{id}/: any transient failure.
    Transient,
}

enum WaitStage {
    /// `GET /links/{id}/events`.
    Events,
    /// Fallback: polling the primary resource until its count is > 0.
    Poll { primary: Resource },
    /// Fallback: one count request per remaining resource.
    Count {
        current: Resource,
        remaining: Vec<Resource>,
    },
}

enum OpKind<T> {
    Create,
    Submit {
        challenge: Challenge,
    },
    Wait {
        link: Link,
        prev: Box<State>,
        deadline_ms: u64,
        polls: u32,
        stage: WaitStage,
        counts: Counts,
    },
    Fetch {
        link_id: String,
        resource: Resource,
        page: u32,
        pages: u32,
        count: u64,
        results: Vec<T>,
    },
    Delete {
        link_id: String,
    },
}

struct Op<T> {
    kind: OpKind<T>,
    attempt: u32,
    retry: RetryWhen,
}

/// The flow. `T` is the item type of fetched pages, read from each item of `results` with
/// serde: in the browser a JS value kept as it is (`serde_wasm_bindgen::preserve`), natively
/// `serde_json::Value` or a typed record such as
/// [`EmploymentRecord`](crate::belvo::wire::EmploymentRecord).
pub struct Flow<T> {
    config: Config,
    state: State,
    op: Option<Op<T>>,
    ticket: u64,
    caps: Vec<(String, String)>,
    events: Vec<Event>,
    institution: Option<&'static Institution>,
    resources: Vec<Resource>,
}

impl<T> fmt::Debug for Flow<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field("state", &self.state)
            .field("busy", &self.op.is_some())
            .field("ticket", &self.ticket)
            .field("capabilities", &self.caps.len())
            .field("institution", &self.institution.map(|i| i.name))
            .field("resources", &self.resources)
            .finish()
    }
}

/// Why a body could not be read.
#[derive(Clone, Copy)]
enum BodyProblem {
    NotJson,
    Empty,
    Unparseable,
}

/// Reads the answer as `X`.
fn decode<X: DeserializeOwned, J: JsonBody>(body: &Body<J>) -> Result<X, BodyProblem> {
    match body {
        Body::Json(v) => v.decode().ok_or(BodyProblem::Unparseable),
        Body::Unparseable => Err(BodyProblem::Unparseable),
        Body::NotJson => Err(BodyProblem::NotJson),
        Body::Empty => Err(BodyProblem::Empty),
    }
}

/// Reads a JSON object as `X` (serde's derived structs would also read an array, by
/// position).
fn decode_object<X: DeserializeOwned, J: JsonBody>(body: &Body<J>) -> Result<X, BodyProblem> {
    decode::<Object<X>, J>(body).map(|o| o.0)
}

/// Reads a link object: at least a non-empty `id` (a 2xx to the POST or the PATCH without one
/// is no link).
fn decode_link<J: JsonBody>(body: &Body<J>) -> Result<Link, BodyProblem> {
    decode_object::<Link, J>(body).and_then(|l| {
        if l.id.is_empty() {
            Err(BodyProblem::Unparseable)
        } else {
            Ok(l)
        }
    })
}

fn is_valid_external_id(s: &str) -> bool {
    (3..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// UTC date of a Unix-millisecond instant.
fn date_of(now_ms: u64) -> Option<Date> {
    Date::from_unix_ms(now_ms)
}

impl<T: DeserializeOwned> Flow<T> {
    /// A new flow in [`State::Idle`].
    pub fn new(config: Config) -> Self {
        Flow {
            config,
            state: State::Idle,
            op: None,
            ticket: 0,
            caps: Vec::new(),
            events: Vec::new(),
            institution: None,
            resources: Vec::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Whether an operation is in flight.
    pub fn is_busy(&self) -> bool {
        self.op.is_some()
    }

    /// A serializable, PII-free view of the state (the JS `state` getter).
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            state: &self.state,
            busy: self.op.is_some(),
            institution: self.institution.map(|i| i.name),
        }
    }

    /// Takes the events emitted since the last call (oldest first).
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// Whether `ticket` is the operation in flight (an adapter about to resend after an
    /// [`Action::Retry`] delay checks this; a dead ticket means cancel/restart happened).
    pub fn is_live(&self, ticket: u64) -> bool {
        self.op.is_some() && ticket == self.ticket
    }

    /// The capability the proxy issued for `link_id`, if any.
    pub fn capability(&self, link_id: &str) -> Option<&str> {
        self.caps
            .iter()
            .find(|(l, _)| l == link_id)
            .map(|(_, c)| c.as_str())
    }

    // --- intents -------------------------------------------------------------------------

    /// Starts a link: validates locally (institution, username via
    /// [`institution::validate_username`], password presence, `externalId`,
    /// `fetchResources`) and, if valid, asks for `POST /api/links/` with
    /// `access_mode: "single"`. Invalid input ends at once with an error step and sends
    /// nothing.
    pub fn create_link(&mut self, params: CreateLink, now_ms: u64) -> Result<Action<T>, Misuse> {
        if self.op.is_some() {
            return Err(Misuse::Busy);
        }
        if !matches!(
            self.state,
            State::Idle | State::Error { .. } | State::Cancelled
        ) {
            return Err(Misuse::InvalidState);
        }
        let locale = self.config.locale;
        let Some(inst) = institution::find(params.institution.trim()) else {
            let e = errors::local(
                Local::InvalidOption {
                    field: "institution",
                    detail: "unknown or unsupported institution",
                },
                locale,
            );
            return Ok(self.reject(e, now_ms));
        };
        let opts = Options {
            strict: false,
            today: date_of(now_ms),
        };
        let username = match institution::validate_username(inst.name, &params.username, &opts) {
            Ok(u) => u,
            Err(error) => {
                let kind = match inst.username {
                    UsernameRule::Cpf => Kind::Cpf,
                    UsernameRule::Curp | UsernameRule::SandboxCurp => Kind::Curp,
                };
                let e = errors::local(Local::InvalidUsername { kind, error }, locale);
                return Ok(self.reject(e, now_ms));
            }
        };
        let password = if inst.needs_password {
            match params.password {
                Some(p) if !p.is_empty() => Some(p),
                _ => {
                    return Ok(self.reject(
                        errors::local(Local::Required { field: "password" }, locale),
                        now_ms,
                    ))
                }
            }
        } else {
            None
        };
        let external_id = match params.external_id {
            Some(e) if !is_valid_external_id(&e) => {
                let detail = "externalId must be 3-256 characters of A-Z, a-z, 0-9, '-' or '_' (and no personal data)";
                return Ok(self.reject(
                    errors::local(
                        Local::InvalidOption {
                            field: "external_id",
                            detail,
                        },
                        locale,
                    ),
                    now_ms,
                ));
            }
            other => other,
        };
        let mut resources = Vec::new();
        match params.fetch_resources.as_deref() {
            Some(list) if !list.is_empty() => {
                for name in list {
                    match Resource::from_name(name) {
                        Some(r) if inst.supported_resources.contains(&r.name()) => {
                            if !resources.contains(&r) {
                                resources.push(r);
                            }
                        }
                        _ => {
                            let detail =
                                "fetchResources has a resource this institution does not offer";
                            return Ok(self.reject(
                                errors::local(
                                    Local::InvalidOption {
                                        field: "fetch_resources",
                                        detail,
                                    },
                                    locale,
                                ),
                                now_ms,
                            ));
                        }
                    }
                }
            }
            _ => {
                for n in inst.default_resources {
                    if let Some(r) = Resource::from_name(n) {
                        resources.push(r);
                    }
                }
            }
        }
        let mut names = Vec::with_capacity(resources.len());
        for r in &resources {
            names.push(String::from(r.name()));
        }
        let body = RequestBody::CreateLink(LinkRequest {
            institution: String::from(inst.name),
            username: String::from(username.as_str()),
            password,
            access_mode: Some(String::from("single")),
            fetch_resources: names,
            external_id,
            ..LinkRequest::default()
        });
        self.institution = Some(inst);
        self.resources = resources;
        self.set_state(
            State::CreatingLink {
                institution: inst.name,
            },
            now_ms,
        );
        Ok(self.begin(
            OpKind::Create,
            RetryWhen::NoLinkCreated,
            Method::Post,
            String::from("/api/links/"),
            Some(body),
            None,
            now_ms,
        ))
    }

    /// Answers the pending MFA challenge with `PATCH /api/links/ {link, session, token}`.
    /// An empty token is refused locally (error step, nothing sent) unless the challenge
    /// expects no user input.
    pub fn submit_token(&mut self, token: &str, now_ms: u64) -> Result<Action<T>, Misuse> {
        if self.op.is_some() {
            return Err(Misuse::Busy);
        }
        let State::TokenRequired { challenge } = &self.state else {
            return Err(Misuse::InvalidState);
        };
        let challenge = challenge.clone();
        let token = token.trim();
        if token.is_empty() && challenge.view.expects_user_input {
            let e = errors::local(Local::Required { field: "token" }, self.config.locale);
            self.push(now_ms, EventKind::Error { error: e.clone() });
            return Ok(Action::Done(Step::Error { error: e }));
        }
        let body = RequestBody::PatchLink(PatchLinkRequest {
            link: challenge.link_id.clone(),
            session: challenge.session.clone(),
            token: (!token.is_empty()).then(|| String::from(token)),
        });
        let cap = self.capability(&challenge.link_id).map(String::from);
        self.set_state(
            State::SubmittingToken {
                challenge: challenge.clone(),
            },
            now_ms,
        );
        Ok(self.begin(
            OpKind::Submit { challenge },
            RetryWhen::Transient,
            Method::Patch,
            String::from("/api/links/"),
            Some(body),
            cap,
            now_ms,
        ))
    }

    /// Waits until every requested resource is announced: polls `GET /links/{id}/events`
    /// (the proxy's webhook store); if the proxy answers 404 (no events extension), polls
    /// the data endpoints instead. `timeout_ms` defaults to [`Config::wait_timeout_ms`].
    pub fn wait_for_data(
        &mut self,
        timeout_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Action<T>, Misuse> {
        if self.op.is_some() {
            return Err(Misuse::Busy);
        }
        let link = match &self.state {
            State::Linked { link } | State::Ready { link, .. } => link.clone(),
            _ => return Err(Misuse::InvalidState),
        };
        let prev = self.state.clone();
        let deadline_ms = now_ms.saturating_add(timeout_ms.unwrap_or(self.config.wait_timeout_ms));
        let (path, cap) = self.events_request(&link.id);
        self.set_state(State::WaitingForData { link: link.clone() }, now_ms);
        let kind = OpKind::Wait {
            link,
            prev: Box::new(prev),
            deadline_ms,
            polls: 0,
            stage: WaitStage::Events,
            counts: Counts::default(),
        };
        Ok(self.begin_get(kind, path, cap, now_ms))
    }

    /// Fetches every page of `resource` for the current link (from `Linked` or `Ready`),
    /// following `next` on the proxy, up to [`Config::max_pages`]. A resource the
    /// institution does not offer ends at once with an `integration` error.
    pub fn fetch(&mut self, resource: Resource, now_ms: u64) -> Result<Action<T>, Misuse> {
        if self.op.is_some() {
            return Err(Misuse::Busy);
        }
        let Some(link) = (match &self.state {
            State::Linked { link } | State::Ready { link, .. } => Some(link),
            _ => None,
        }) else {
            return Err(Misuse::InvalidState);
        };
        let link_id = link.id.clone();
        if let Some(inst) = self.institution {
            if !inst.supported_resources.contains(&resource.name()) {
                let e = errors::local(
                    Local::UnsupportedResource {
                        resource: resource.name(),
                    },
                    self.config.locale,
                );
                self.push(now_ms, EventKind::Error { error: e.clone() });
                return Ok(Action::Done(Step::Error { error: e }));
            }
        }
        let path = page_path(resource.path(), &link_id, 1, self.config.page_size);
        let cap = self.capability(&link_id).map(String::from);
        let kind = OpKind::Fetch {
            link_id,
            resource,
            page: 1,
            pages: 1,
            count: 0,
            results: Vec::new(),
        };
        Ok(self.begin_get(kind, path, cap, now_ms))
    }

    /// Deletes the current link (from `Linked` or `Ready`) with `DELETE /api/links/{id}/`, so
    /// that Belvo drops it and its data. Belvo's `204` ends with [`Step::Deleted`], and the
    /// flow forgets the link, its capability and institution: back to `Idle`, as after
    /// [`Flow::restart`]. Transient failures are retried (see the module docs); a `404` to a
    /// resend counts as deleted. Any other error leaves the state as it was (a `restart`
    /// error moves it to `Error`, as for a fetch).
    pub fn delete_link(&mut self, now_ms: u64) -> Result<Action<T>, Misuse> {
        if self.op.is_some() {
            return Err(Misuse::Busy);
        }
        let Some(link) = (match &self.state {
            State::Linked { link } | State::Ready { link, .. } => Some(link),
            _ => None,
        }) else {
            return Err(Misuse::InvalidState);
        };
        let link_id = link.id.clone();
        let mut path = String::from("/api/links/");
        push_encoded(&mut path, &link_id);
        path.push('/');
        let cap = self.capability(&link_id).map(String::from);
        Ok(self.begin(
            OpKind::Delete { link_id },
            RetryWhen::Transient,
            Method::Delete,
            path,
            None,
            cap,
            now_ms,
        ))
    }

    /// Cancels the operation in flight (the adapter aborts its fetch/timer). Returns the
    /// step the pending promise resolves with (`{status:"error", error:{code:"cancelled"}}`),
    /// or `None` when nothing was in flight. A pending MFA challenge is abandoned too.
    pub fn cancel(&mut self, now_ms: u64) -> Option<Step<T>> {
        let had_op = self.op.take().is_some();
        let had_challenge = matches!(self.state, State::TokenRequired { .. });
        if !had_op && !had_challenge {
            return None;
        }
        self.ticket = self.ticket.wrapping_add(1);
        self.set_state(State::Cancelled, now_ms);
        self.push(now_ms, EventKind::Cancelled);
        Some(Step::Error {
            error: errors::local(Local::Cancelled, self.config.locale),
        })
    }

    /// Forgets everything (link, challenge, capabilities) and returns to `Idle`. An
    /// operation in flight resolves as cancelled.
    pub fn restart(&mut self, now_ms: u64) {
        if self.op.take().is_some() {
            self.push(now_ms, EventKind::Cancelled);
        }
        self.ticket = self.ticket.wrapping_add(1);
        self.caps.clear();
        self.institution = None;
        self.resources.clear();
        self.set_state(State::Idle, now_ms);
    }

    // --- inputs ----------------------------------------------------------------------------

    /// Feeds the answer to the request with `ticket`.
    pub fn on_response<J: JsonBody>(
        &mut self,
        ticket: u64,
        resp: Response<J>,
        now_ms: u64,
    ) -> Action<T> {
        let Some(op) = self.take_op(ticket) else {
            return self.stale();
        };
        let status = resp.status;
        self.push(now_ms, EventKind::Response { status });
        let retry_after = resp.retry_after.as_deref().and_then(parse_retry_after);
        let cap = resp.link_capability;
        let ok = (200..300).contains(&status);
        match op.kind {
            OpKind::Create | OpKind::Submit { .. } if ok => match decode_link(&resp.body) {
                Ok(link) => {
                    self.remember_cap(&link.id, cap);
                    self.push(
                        now_ms,
                        EventKind::Linked {
                            link_id: link.id.clone(),
                        },
                    );
                    self.set_state(State::Linked { link: link.clone() }, now_ms);
                    Action::Done(Step::Linked { link })
                }
                Err(p) => {
                    let e = self.problem(p, status);
                    self.fail(op, e, now_ms)
                }
            },
            OpKind::Create | OpKind::Submit { .. } if status == 428 => {
                let body = match decode::<ErrorBody, J>(&resp.body) {
                    Ok(b) => b,
                    Err(p) => {
                        let e = self.problem(p, status);
                        return self.fail(op, e, now_ms);
                    }
                };
                let Some(tc) = body.challenge() else {
                    // A 428 that is not a token challenge (`activation_required`).
                    let e = self.classify_body(status, &body, retry_after);
                    return self.retry_or_fail(op, e, retry_after, now_ms);
                };
                let prev_link = match &op.kind {
                    OpKind::Submit { challenge } => Some(challenge.link_id.clone()),
                    _ => None,
                };
                let Some(link_id) = tc.link.clone().or(prev_link) else {
                    return self.fail(
                        op,
                        errors::local(Local::Unparseable { status }, self.config.locale),
                        now_ms,
                    );
                };
                self.remember_cap(&link_id, cap);
                let challenge = Challenge::new(&tc, link_id, now_ms);
                let view = challenge.view.clone();
                self.push(
                    now_ms,
                    EventKind::TokenRequired {
                        link_id: challenge.link_id.clone(),
                    },
                );
                self.set_state(State::TokenRequired { challenge }, now_ms);
                Action::Done(Step::TokenRequired { challenge: view })
            }
            OpKind::Wait { .. } => {
                self.on_wait_response(op, status, &resp.body, retry_after, now_ms)
            }
            OpKind::Fetch { .. } if ok => self.on_page(op, status, &resp.body, now_ms),
            // A 404 to a resend: the first DELETE went through, only its answer was lost.
            OpKind::Delete { .. } if ok || (status == 404 && op.attempt > 0) => {
                self.forget(op, now_ms)
            }
            _ => {
                let e = self.error_of(status, &resp.body, retry_after);
                self.retry_or_fail(op, e, retry_after, now_ms)
            }
        }
    }

    /// Reports that the request with `ticket` got no answer.
    pub fn on_failure(&mut self, ticket: u64, failure: Failure, now_ms: u64) -> Action<T> {
        let Some(op) = self.take_op(ticket) else {
            return self.stale();
        };
        let local = match failure {
            Failure::Network => Local::Network,
            Failure::Timeout => Local::Timeout,
            Failure::Aborted => {
                // Aborted by someone other than cancel(): treat as a cancel.
                self.op = Some(op);
                return match self.cancel(now_ms) {
                    Some(step) => Action::Done(step),
                    None => self.stale(),
                };
            }
        };
        let e = errors::local(local, self.config.locale);
        if matches!(
            op.kind,
            OpKind::Wait {
                stage: WaitStage::Events | WaitStage::Poll { .. },
                ..
            }
        ) {
            // Readiness polling: a transient failure is "not yet".
            return self.poll_later(op, now_ms);
        }
        self.retry_or_fail(op, e, None, now_ms)
    }

    /// Continues after an [`Action::Sleep`].
    pub fn on_wake(&mut self, ticket: u64, now_ms: u64) -> Action<T> {
        let Some(op) = self.take_op(ticket) else {
            return self.stale();
        };
        let OpKind::Wait { link, stage, .. } = &op.kind else {
            // Only waits sleep; anything else is an adapter bug. Keep the op and say so.
            self.op = Some(op);
            let e = errors::local(
                Local::InvalidOption {
                    field: "ticket",
                    detail: "on_wake without a pending sleep",
                },
                self.config.locale,
            );
            return Action::Done(Step::Error { error: e });
        };
        let (path, cap) = match stage {
            WaitStage::Events => self.events_request(&link.id),
            WaitStage::Poll { primary } => self.count_request(*primary, &link.id),
            WaitStage::Count { current, .. } => self.count_request(*current, &link.id),
        };
        self.resend(op, path, cap, now_ms)
    }

    // --- internals -------------------------------------------------------------------------

    fn take_op(&mut self, ticket: u64) -> Option<Op<T>> {
        if ticket != self.ticket {
            return None;
        }
        self.op.take()
    }

    /// The answer for a superseded ticket: the operation was cancelled or restarted.
    #[inline(never)]
    fn stale(&self) -> Action<T> {
        Action::Done(Step::Error {
            error: errors::local(Local::Cancelled, self.config.locale),
        })
    }

    #[inline(never)]
    fn push(&mut self, at_ms: u64, kind: EventKind) {
        self.events.push(Event { at_ms, kind });
    }

    #[inline(never)]
    fn set_state(&mut self, s: State, now_ms: u64) {
        let changed = s.status() != self.state.status();
        self.state = s;
        if changed {
            self.push(
                now_ms,
                EventKind::State {
                    status: self.state.status(),
                },
            );
        }
    }

    /// Ends a not-yet-started operation with a local error (nothing sent).
    fn reject(&mut self, e: LinkError, now_ms: u64) -> Action<T> {
        self.push(now_ms, EventKind::Error { error: e.clone() });
        self.set_state(State::Error { error: e.clone() }, now_ms);
        Action::Done(Step::Error { error: e })
    }

    fn remember_cap(&mut self, link_id: &str, cap: Option<String>) {
        let Some(cap) = cap.filter(|c| !c.is_empty()) else {
            return;
        };
        match self.caps.iter_mut().find(|(l, _)| l == link_id) {
            Some(slot) => slot.1 = cap,
            None => self.caps.push((String::from(link_id), cap)),
        }
    }

    fn events_request(&self, link_id: &str) -> (String, Option<String>) {
        let mut p = String::from("/links/");
        push_encoded(&mut p, link_id);
        p.push_str("/events");
        (p, self.capability(link_id).map(String::from))
    }

    fn count_request(&self, r: Resource, link_id: &str) -> (String, Option<String>) {
        (
            page_path(r.path(), link_id, 1, Some(1)),
            self.capability(link_id).map(String::from),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn begin(
        &mut self,
        kind: OpKind<T>,
        retry: RetryWhen,
        method: Method,
        path: String,
        body: Option<RequestBody>,
        cap: Option<String>,
        now_ms: u64,
    ) -> Action<T> {
        self.ticket = self.ticket.wrapping_add(1);
        self.op = Some(Op {
            kind,
            attempt: 0,
            retry,
        });
        self.request(method, path, body, cap, now_ms)
    }

    /// Starts a read-only operation: a `GET`, retried on transient failures.
    fn begin_get(
        &mut self,
        kind: OpKind<T>,
        path: String,
        cap: Option<String>,
        now_ms: u64,
    ) -> Action<T> {
        self.begin(
            kind,
            RetryWhen::Transient,
            Method::Get,
            path,
            None,
            cap,
            now_ms,
        )
    }

    /// Sends a follow-up request of the current operation (new page, next poll).
    fn resend(
        &mut self,
        mut op: Op<T>,
        path: String,
        cap: Option<String>,
        now_ms: u64,
    ) -> Action<T> {
        op.attempt = 0;
        self.op = Some(op);
        self.request(Method::Get, path, None, cap, now_ms)
    }

    fn request(
        &mut self,
        method: Method,
        path: String,
        body: Option<RequestBody>,
        cap: Option<String>,
        now_ms: u64,
    ) -> Action<T> {
        self.push(
            now_ms,
            EventKind::Request {
                method,
                path: path.clone(),
            },
        );
        Action::Send(HttpRequest {
            ticket: self.ticket,
            method,
            idempotent: method != Method::Post,
            path_and_query: path,
            body,
            link_capability: cap,
            timeout_ms: self.config.request_timeout_ms,
        })
    }

    #[inline(never)]
    fn problem(&self, p: BodyProblem, status: u16) -> LinkError {
        let l = match p {
            BodyProblem::NotJson => Local::NotJson { status },
            BodyProblem::Empty => Local::Empty { status },
            BodyProblem::Unparseable => Local::Unparseable { status },
        };
        errors::local(l, self.config.locale)
    }

    fn classify_body(&self, status: u16, body: &ErrorBody, retry_after: Option<u64>) -> LinkError {
        let entry = body.first();
        let item = entry.map(|e| e.item()).unwrap_or_default();
        let mut answer = Answer::from_item(status, &item);
        answer.retry_after = retry_after.or(entry.and_then(|e| e.retry_after));
        classify(
            &answer,
            self.institution.map(|i| i.name),
            self.config.locale,
        )
    }

    fn error_of<J: JsonBody>(
        &self,
        status: u16,
        body: &Body<J>,
        retry_after: Option<u64>,
    ) -> LinkError {
        match decode::<ErrorBody, J>(body) {
            Ok(b) => self.classify_body(status, &b, retry_after),
            Err(p) => {
                let mut e = self.problem(p, status);
                if retry_after.is_some() {
                    e.retry_after_seconds = retry_after;
                }
                e
            }
        }
    }

    fn retry_or_fail(
        &mut self,
        mut op: Op<T>,
        e: LinkError,
        retry_after: Option<u64>,
        now_ms: u64,
    ) -> Action<T> {
        let allowed = match op.retry {
            RetryWhen::NoLinkCreated => {
                e.code == "too_many_sessions" && e.category == Category::Retry
            }
            RetryWhen::Transient => e.category == Category::Retry,
        };
        let policy = self.config.retry;
        if !allowed || op.attempt >= policy.max {
            return self.fail(op, e, now_ms);
        }
        let mut delay = policy.delay_ms(op.attempt.saturating_add(1));
        if let Some(ra) = retry_after {
            let ra_ms = ra.saturating_mul(1000);
            if ra_ms > policy.max_delay_ms {
                return self.fail(op, e, now_ms);
            }
            delay = delay.max(ra_ms);
        }
        op.attempt = op.attempt.saturating_add(1);
        self.push(
            now_ms,
            EventKind::Retry {
                attempt: op.attempt,
                delay_ms: delay,
                code: e.code.clone(),
            },
        );
        self.op = Some(op);
        Action::Retry {
            ticket: self.ticket,
            after_ms: delay,
        }
    }

    /// Ends the operation with an error and settles the state.
    fn fail(&mut self, op: Op<T>, e: LinkError, now_ms: u64) -> Action<T> {
        let restart = e.category == Category::Restart;
        // The state to settle in: `None` = the error state, `Some(s)` = `s`, and a fetch that
        // need not restart keeps the state it ran in.
        let next = match op.kind {
            OpKind::Create => Some(None),
            OpKind::Submit { challenge } => {
                // The person may retype the token after a typo or a transient failure.
                let keep = matches!(
                    e.category,
                    Category::FixInput | Category::Retry | Category::RetryLater
                );
                Some(keep.then_some(State::TokenRequired { challenge }))
            }
            OpKind::Wait { prev, .. } => Some((!restart).then_some(*prev)),
            OpKind::Fetch { .. } | OpKind::Delete { .. } => restart.then_some(None),
        };
        if let Some(s) = next {
            let s = s.unwrap_or_else(|| State::Error { error: e.clone() });
            self.set_state(s, now_ms);
        }
        self.push(now_ms, EventKind::Error { error: e.clone() });
        Action::Done(Step::Error { error: e })
    }

    /// The link is gone at Belvo: forget it (and every capability), back to `Idle`.
    fn forget(&mut self, op: Op<T>, now_ms: u64) -> Action<T> {
        let OpKind::Delete { link_id } = op.kind else {
            return self.stale();
        };
        self.caps.clear();
        self.institution = None;
        self.resources.clear();
        self.set_state(State::Idle, now_ms);
        Action::Done(Step::Deleted { link_id })
    }

    /// One page of a fetch: must be a page (an array `results`), and its items must agree
    /// with `count`: never more items than announced, and, once there is no next page, as
    /// many. A read stopped early (page cap, a `next` we may not follow) is `truncated`.
    fn on_page<J: JsonBody>(
        &mut self,
        mut op: Op<T>,
        status: u16,
        body: &Body<J>,
        now_ms: u64,
    ) -> Action<T> {
        let page = match decode_object::<Page<T>, J>(body) {
            Ok(p) => p,
            Err(p) => {
                let e = self.problem(p, status);
                return self.fail(op, e, now_ms);
            }
        };
        let OpKind::Fetch {
            link_id,
            resource,
            page: current,
            pages,
            count,
            results,
        } = &mut op.kind
        else {
            return self.stale();
        };
        *count = page.count;
        results.extend(page.results);
        let seen = u64::try_from(results.len()).unwrap_or(u64::MAX);
        let next = page.next.as_deref().filter(|n| !n.is_empty());
        let follow = next.map(|n| rewrite_next(n, resource.path(), link_id));
        let (resource, count) = (*resource, *count);
        if seen > count || (follow.is_none() && seen != count) {
            let e = self.problem(BodyProblem::Unparseable, status);
            return self.fail(op, e, now_ms);
        }
        let truncated = match follow {
            None => false,
            Some(Some((n, path))) if n > *current && *pages < self.config.max_pages => {
                *current = n;
                *pages = pages.saturating_add(1);
                let cap = self.capability(link_id).map(String::from);
                return self.resend(op, path, cap, now_ms);
            }
            // A `next` we cannot or may not follow: stop, and say so.
            Some(_) => true,
        };
        let OpKind::Fetch { results, .. } = op.kind else {
            return self.stale();
        };
        Action::Done(Step::Data {
            resource,
            count,
            results,
            truncated,
        })
    }

    fn expected(&self) -> Vec<Resource> {
        if !self.resources.is_empty() {
            return self.resources.clone();
        }
        match self.institution.map(|i| i.country) {
            Some(Country::Br) => std::vec![Resource::Employments, Resource::Owners],
            _ => std::vec![Resource::EmploymentRecords, Resource::Owners],
        }
    }

    fn ready(&mut self, op: Op<T>, counts: Counts, now_ms: u64) -> Action<T> {
        let OpKind::Wait { link, .. } = op.kind else {
            return self.stale();
        };
        self.push(
            now_ms,
            EventKind::DataReady {
                counts: counts.clone(),
            },
        );
        self.set_state(
            State::Ready {
                link,
                counts: counts.clone(),
            },
            now_ms,
        );
        Action::Done(Step::Ready { counts })
    }

    /// Schedules the next readiness poll, or times out.
    fn poll_later(&mut self, mut op: Op<T>, now_ms: u64) -> Action<T> {
        let (base, max) = (self.config.poll_base_ms, self.config.poll_max_ms);
        let OpKind::Wait {
            deadline_ms, polls, ..
        } = &mut op.kind
        else {
            return self.stale();
        };
        if now_ms >= *deadline_ms {
            let e = errors::local(Local::DataTimeout, self.config.locale);
            return self.fail(op, e, now_ms);
        }
        let shift = (*polls).min(16);
        let delay = base
            .saturating_mul(1u64 << shift)
            .min(max)
            .min(*deadline_ms - now_ms)
            .max(1);
        *polls = polls.saturating_add(1);
        self.op = Some(op);
        Action::Sleep {
            ticket: self.ticket,
            ms: delay,
        }
    }

    fn on_wait_response<J: JsonBody>(
        &mut self,
        mut op: Op<T>,
        status: u16,
        body: &Body<J>,
        retry_after: Option<u64>,
        now_ms: u64,
    ) -> Action<T> {
        let expected = self.expected();
        let ok = (200..300).contains(&status);
        let locale = self.config.locale;
        let inst = self.institution.map(|i| i.name);
        let OpKind::Wait {
            link,
            stage,
            counts,
            ..
        } = &mut op.kind
        else {
            return self.stale();
        };
        let link_id = link.id.clone();
        match stage {
            WaitStage::Events if ok => {
                let events = match decode::<LinkEvents, J>(body) {
                    Ok(ev) => ev,
                    Err(p) => {
                        let e = self.problem(p, status);
                        return self.fail(op, e, now_ms);
                    }
                };
                for ev in events
                    .events
                    .iter()
                    .filter(|e| e.link_id.is_empty() || e.link_id == link_id)
                {
                    if ev.webhook_type == "LINK" {
                        if let Some(code) = ev.data.error_code.as_deref() {
                            let answer = Answer {
                                status: ev
                                    .data
                                    .status
                                    .and_then(|s| u16::try_from(s).ok())
                                    .unwrap_or(400),
                                code,
                                message: ev.data.error_message.as_deref().unwrap_or(""),
                                field: None,
                                request_id: ev.request_id.as_deref(),
                                retry_after: None,
                            };
                            let e = classify(&answer, inst, locale);
                            return self.fail(op, e, now_ms);
                        }
                        continue;
                    }
                    if let (Some(r), Some(n)) = (Resource::from_name(&ev.webhook_type), ev.total())
                    {
                        if expected.contains(&r) {
                            counts.set(r.name(), n);
                        }
                    }
                }
                if expected.iter().all(|r| counts.get(r.name()).is_some()) {
                    let c = counts.clone();
                    return self.ready(op, c, now_ms);
                }
                self.poll_later(op, now_ms)
            }
            WaitStage::Events if matches!(status, 404 | 405 | 501) => {
                // No events extension on this proxy: poll the data endpoints.
                let primary = [Resource::EmploymentRecords, Resource::Employments]
                    .into_iter()
                    .find(|r| expected.contains(r))
                    .or_else(|| expected.first().copied())
                    .unwrap_or(Resource::Owners);
                *stage = WaitStage::Poll { primary };
                let (path, cap) = self.count_request(primary, &link_id);
                self.resend(op, path, cap, now_ms)
            }
            WaitStage::Poll { primary } if ok => {
                let primary = *primary;
                let n = match decode_object::<Page<IgnoredAny>, J>(body) {
                    Ok(p) => p.count.max(p.results.len() as u64),
                    Err(p) => {
                        let e = self.problem(p, status);
                        return self.fail(op, e, now_ms);
                    }
                };
                if n == 0 {
                    return self.poll_later(op, now_ms);
                }
                counts.set(primary.name(), n);
                // Kept reversed so `pop` yields them in order.
                let mut remaining = expected;
                remaining.retain(|r| *r != primary);
                remaining.reverse();
                let Some(current) = remaining.pop() else {
                    let c = counts.clone();
                    return self.ready(op, c, now_ms);
                };
                *stage = WaitStage::Count { current, remaining };
                let (path, cap) = self.count_request(current, &link_id);
                self.resend(op, path, cap, now_ms)
            }
            WaitStage::Count { current, remaining } if ok => {
                let n = match decode_object::<Page<IgnoredAny>, J>(body) {
                    Ok(p) => p.count.max(p.results.len() as u64),
                    Err(p) => {
                        let e = self.problem(p, status);
                        return self.fail(op, e, now_ms);
                    }
                };
                counts.set(current.name(), n);
                let Some(next) = remaining.pop() else {
                    let c = counts.clone();
                    return self.ready(op, c, now_ms);
                };
                *current = next;
                let (path, cap) = self.count_request(*current, &link_id);
                self.resend(op, path, cap, now_ms)
            }
            WaitStage::Events | WaitStage::Poll { .. } => {
                let e = self.error_of(status, body, retry_after);
                if e.category == Category::Retry {
                    // Transient while polling: "not yet".
                    return self.poll_later(op, now_ms);
                }
                self.fail(op, e, now_ms)
            }
            WaitStage::Count { .. } => {
                let e = self.error_of(status, body, retry_after);
                self.retry_or_fail(op, e, retry_after, now_ms)
            }
        }
    }
}
