//! What the flow shows the outside world: steps, the state snapshot, events. Every type here
//! serializes to the exact JS shapes of the `EmploymentLink` API and never carries a
//! password, token, MFA session, capability, CURP or CPF.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::json::{ObjectWriter, ToJson};
use super::{Action, HttpRequest, Method, State, Step};
use crate::belvo::errors::{Category, LinkError};
use crate::belvo::wire::Link;

/// The challenge as shown to the person (JS: `{type, instructions, value,
/// expectsUserInput, expiresAt, expiresInSeconds, linkId}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    /// `numeric`, `text`, `qr`, `inputless`, … (default `numeric`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Instructions from the institution.
    pub instructions: Option<String>,
    /// The value to display (code, QR payload), if any.
    pub value: Option<String>,
    /// Whether the person must type a token.
    pub expects_user_input: bool,
    /// When the MFA session expires (ISO-8601, UTC), if Belvo said.
    pub expires_at: Option<String>,
    /// Seconds the person had when the challenge arrived, if Belvo said.
    pub expires_in_seconds: Option<u64>,
    /// The link being created.
    pub link_id: String,
}

/// Count per resource name, in announcement order (JS: an object
/// `{EMPLOYMENT_RECORDS: 1, OWNERS: 1}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, u64)>);

impl Counts {
    /// Sets (or replaces) a count.
    pub fn set(&mut self, name: &str, n: u64) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = n,
            None => self.0.push((String::from(name), n)),
        }
    }

    /// A count.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, n)| *n)
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<T: Serialize> Serialize for Step<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Step::Linked { link } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("status", "linked")?;
                m.serialize_entry("link", link)?;
                m.end()
            }
            Step::TokenRequired { challenge } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("status", "token_required")?;
                m.serialize_entry("challenge", challenge)?;
                m.end()
            }
            Step::Ready { counts } => {
                let mut m = s.serialize_map(Some(counts.0.len() + 1))?;
                m.serialize_entry("status", "ready")?;
                for (k, v) in &counts.0 {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Step::Data {
                resource,
                count,
                results,
                truncated,
            } => {
                let mut m = s.serialize_map(Some(5))?;
                m.serialize_entry("status", "ok")?;
                m.serialize_entry("resource", resource.name())?;
                m.serialize_entry("count", count)?;
                m.serialize_entry("results", results)?;
                m.serialize_entry("truncated", truncated)?;
                m.end()
            }
            Step::Error { error } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("status", "error")?;
                m.serialize_entry("error", error)?;
                m.end()
            }
        }
    }
}

/// The JS `state` getter: `{status, busy, institution?, linkId?, challenge?, counts?,
/// error?}`.
#[derive(Clone, Copy, Debug)]
pub struct Snapshot<'a> {
    /// The state.
    pub state: &'a State,
    /// Whether an operation is in flight.
    pub busy: bool,
    /// The institution of the current link attempt.
    pub institution: Option<&'static str>,
}

impl Serialize for Snapshot<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("status", self.state.status())?;
        m.serialize_entry("busy", &self.busy)?;
        if let Some(i) = self.institution {
            m.serialize_entry("institution", i)?;
        }
        match self.state {
            State::TokenRequired { challenge } | State::SubmittingToken { challenge } => {
                m.serialize_entry("linkId", challenge.link_id())?;
                m.serialize_entry("challenge", challenge.view())?;
            }
            State::Linked { link } | State::WaitingForData { link } => {
                m.serialize_entry("linkId", &link.id)?;
            }
            State::Ready { link, counts } => {
                m.serialize_entry("linkId", &link.id)?;
                m.serialize_entry("counts", counts)?;
            }
            State::Error { error } => m.serialize_entry("error", error)?,
            State::Idle | State::CreatingLink { .. } | State::Cancelled => {}
        }
        m.end()
    }
}

/// A flow event (JS `onEvent(e)`: `{type, at, …}`, `at` in Unix milliseconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// When (Unix ms, as given to the flow).
    pub at_ms: u64,
    /// What.
    pub kind: EventKind,
}

/// The stable set of event types.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// `state`: the state changed (`{state}`).
    State {
        /// New status.
        status: &'static str,
    },
    /// `request`: a request is being sent (`{method, path}`; never the body).
    Request {
        /// Method.
        method: Method,
        /// Path and query (link ids and page numbers only).
        path: String,
    },
    /// `response`: an answer arrived (`{httpStatus}`).
    Response {
        /// HTTP status.
        status: u16,
    },
    /// `retry`: a request will be resent (`{attempt, delayMs, code}`).
    Retry {
        /// Retry number (1-based).
        attempt: u32,
        /// Backoff.
        delay_ms: u64,
        /// The error code that caused it.
        code: String,
    },
    /// `token_required`: an MFA challenge arrived (`{linkId}`).
    TokenRequired {
        /// The link being created.
        link_id: String,
    },
    /// `linked`: the link exists (`{linkId}`).
    Linked {
        /// The link.
        link_id: String,
    },
    /// `data_ready`: every requested resource was announced (`{counts}`).
    DataReady {
        /// Count per resource.
        counts: Counts,
    },
    /// `error`: an operation ended with an error (`{error}`).
    Error {
        /// The error.
        error: LinkError,
    },
    /// `cancelled`: the caller cancelled.
    Cancelled,
}

impl EventKind {
    /// The stable `type` string.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::State { .. } => "state",
            EventKind::Request { .. } => "request",
            EventKind::Response { .. } => "response",
            EventKind::Retry { .. } => "retry",
            EventKind::TokenRequired { .. } => "token_required",
            EventKind::Linked { .. } => "linked",
            EventKind::DataReady { .. } => "data_ready",
            EventKind::Error { .. } => "error",
            EventKind::Cancelled => "cancelled",
        }
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", self.kind.name())?;
        m.serialize_entry("at", &self.at_ms)?;
        match &self.kind {
            EventKind::State { status } => m.serialize_entry("state", status)?,
            EventKind::Request { method, path } => {
                m.serialize_entry("method", method)?;
                m.serialize_entry("path", path)?;
            }
            EventKind::Response { status } => m.serialize_entry("httpStatus", status)?,
            EventKind::Retry {
                attempt,
                delay_ms,
                code,
            } => {
                m.serialize_entry("attempt", attempt)?;
                m.serialize_entry("delayMs", delay_ms)?;
                m.serialize_entry("code", code)?;
            }
            EventKind::TokenRequired { link_id } | EventKind::Linked { link_id } => {
                m.serialize_entry("linkId", link_id)?;
            }
            EventKind::DataReady { counts } => m.serialize_entry("counts", counts)?,
            EventKind::Error { error } => m.serialize_entry("error", error)?,
            EventKind::Cancelled => {}
        }
        m.end()
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written JSON (the browser build): the same shapes as the `Serialize` impls above.
// ---------------------------------------------------------------------------------------------

impl ToJson for Method {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for Category {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for LinkError {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.field("category", &self.category).str("code", &self.code);
        if let Some(r) = self.reason {
            w.str("reason", r);
        }
        w.u64("status", u64::from(self.status))
            .str("message", &self.message)
            .str("detail", &self.detail)
            .field("requestId", &self.request_id);
        if let Some(f) = &self.field {
            w.str("field", f);
        }
        if let Some(r) = self.retry_after_seconds {
            w.u64("retryAfterSeconds", r);
        }
        w.end();
    }
}

impl ToJson for Link {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.str("id", &self.id)
            .field("institution", &self.institution)
            .field("access_mode", &self.access_mode)
            .field("status", &self.status)
            .field("refresh_rate", &self.refresh_rate)
            .field("created_by", &self.created_by)
            .field("last_accessed_at", &self.last_accessed_at)
            .field("created_at", &self.created_at)
            .field("external_id", &self.external_id)
            .field("institution_user_id", &self.institution_user_id)
            .field("credentials_storage", &self.credentials_storage)
            .field("stale_in", &self.stale_in)
            .field("fetch_resources", &self.fetch_resources);
        w.end();
    }
}

impl ToJson for ChallengeView {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.str("type", &self.kind)
            .field("instructions", &self.instructions)
            .field("value", &self.value)
            .field("expectsUserInput", &self.expects_user_input)
            .field("expiresAt", &self.expires_at)
            .field("expiresInSeconds", &self.expires_in_seconds)
            .str("linkId", &self.link_id);
        w.end();
    }
}

impl Counts {
    fn write_members(&self, w: &mut ObjectWriter<'_>) {
        for (k, v) in &self.0 {
            w.u64(k, *v);
        }
    }
}

impl ToJson for Counts {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        self.write_members(&mut w);
        w.end();
    }
}

impl<T: ToJson> ToJson for Step<T> {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        match self {
            Step::Linked { link } => {
                w.str("status", "linked").field("link", link);
            }
            Step::TokenRequired { challenge } => {
                w.str("status", "token_required")
                    .field("challenge", challenge);
            }
            Step::Ready { counts } => {
                w.str("status", "ready");
                counts.write_members(&mut w);
            }
            Step::Data {
                resource,
                count,
                results,
                truncated,
            } => {
                w.str("status", "ok")
                    .str("resource", resource.name())
                    .u64("count", *count)
                    .field("results", results)
                    .field("truncated", truncated);
            }
            Step::Error { error } => {
                w.str("status", "error").field("error", error);
            }
        }
        w.end();
    }
}

impl ToJson for Snapshot<'_> {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.str("status", self.state.status())
            .field("busy", &self.busy);
        if let Some(i) = self.institution {
            w.str("institution", i);
        }
        match self.state {
            State::TokenRequired { challenge } | State::SubmittingToken { challenge } => {
                w.str("linkId", challenge.link_id())
                    .field("challenge", challenge.view());
            }
            State::Linked { link } | State::WaitingForData { link } => {
                w.str("linkId", &link.id);
            }
            State::Ready { link, counts } => {
                w.str("linkId", &link.id).field("counts", counts);
            }
            State::Error { error } => {
                w.field("error", error);
            }
            State::Idle | State::CreatingLink { .. } | State::Cancelled => {}
        }
        w.end();
    }
}

impl ToJson for Event {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.str("type", self.kind.name()).u64("at", self.at_ms);
        match &self.kind {
            EventKind::State { status } => {
                w.str("state", status);
            }
            EventKind::Request { method, path } => {
                w.field("method", method).str("path", path);
            }
            EventKind::Response { status } => {
                w.u64("httpStatus", u64::from(*status));
            }
            EventKind::Retry {
                attempt,
                delay_ms,
                code,
            } => {
                w.u64("attempt", u64::from(*attempt))
                    .u64("delayMs", *delay_ms)
                    .str("code", code);
            }
            EventKind::TokenRequired { link_id } | EventKind::Linked { link_id } => {
                w.str("linkId", link_id);
            }
            EventKind::DataReady { counts } => {
                w.field("counts", counts);
            }
            EventKind::Error { error } => {
                w.field("error", error);
            }
            EventKind::Cancelled => {}
        }
        w.end();
    }
}

/// The adapter's next instruction, for a JS driver: `{"send":{ticket, method, path, body,
/// capability, timeoutMs}}`, `{"retry":{ticket, afterMs}}`, `{"sleep":{ticket, ms}}` or
/// `{"done":step}`. `send.body` is the JSON body as a string (it may hold the password or MFA
/// token of the one request that carries it: the driver hands it to `fetch` and drops it).
impl<T: ToJson> ToJson for Action<T> {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        match self {
            Action::Send(req) => {
                req.write_json(w.key("send"));
            }
            Action::Retry { ticket, after_ms } => {
                let mut r = ObjectWriter::new(w.key("retry"));
                r.u64("ticket", *ticket).u64("afterMs", *after_ms);
                r.end();
            }
            Action::Sleep { ticket, ms } => {
                let mut r = ObjectWriter::new(w.key("sleep"));
                r.u64("ticket", *ticket).u64("ms", *ms);
                r.end();
            }
            Action::Done(step) => {
                w.field("done", step);
            }
        }
        w.end();
    }
}

impl ToJson for HttpRequest {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjectWriter::new(out);
        w.u64("ticket", self.ticket)
            .field("method", &self.method)
            .str("path", &self.path_and_query)
            .field("body", &self.body_json)
            .field("capability", &self.link_capability)
            .u64("timeoutMs", self.timeout_ms);
        w.end();
    }
}
