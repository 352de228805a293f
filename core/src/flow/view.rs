//! What the flow shows the outside world: steps, the state snapshot, events. Every type here
//! serializes to the exact JS shapes of the `EmploymentLink` API and never carries a
//! password, token, MFA session, capability, CURP or CPF.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{Method, State, Step};
use crate::belvo::errors::LinkError;
use crate::text::str_enum;

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
            Step::Deleted { link_id } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("status", "deleted")?;
                m.serialize_entry("linkId", link_id)?;
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

str_enum! {
    /// An [`EventKind`]'s stable `type` string.
    pub enum EventType as "ClientEventType" {
        /// [`EventKind::State`].
        State => "state",
        /// [`EventKind::Request`].
        Request => "request",
        /// [`EventKind::Response`].
        Response => "response",
        /// [`EventKind::Retry`].
        Retry => "retry",
        /// [`EventKind::TokenRequired`].
        TokenRequired => "token_required",
        /// [`EventKind::Linked`].
        Linked => "linked",
        /// [`EventKind::DataReady`].
        DataReady => "data_ready",
        /// [`EventKind::Error`].
        Error => "error",
        /// [`EventKind::Cancelled`].
        Cancelled => "cancelled",
    }
}

impl EventKind {
    /// The stable `type` string (see [`EventType`]).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::State { .. } => EventType::State,
            EventKind::Request { .. } => EventType::Request,
            EventKind::Response { .. } => EventType::Response,
            EventKind::Retry { .. } => EventType::Retry,
            EventKind::TokenRequired { .. } => EventType::TokenRequired,
            EventKind::Linked { .. } => EventType::Linked,
            EventKind::DataReady { .. } => EventType::DataReady,
            EventKind::Error { .. } => EventType::Error,
            EventKind::Cancelled => EventType::Cancelled,
        }
        .as_str()
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
