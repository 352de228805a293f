//! The sans-IO boundary: requests the flow asks for, and answers the adapter feeds back.

use core::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::belvo::wire::{LinkRequest, PatchLinkRequest};

/// HTTP method of a [`HttpRequest`]: Belvo's [`Method`](crate::belvo::http::Method), which
/// the proxy sends upstream too.
pub use crate::belvo::http::Method;

/// Name of the link-binding capability header: the proxy sets it on the answer that creates a
/// link (201 or 428); the client sends it back on every request about that link.
pub const LINK_CAPABILITY_HEADER: &str = "X-Link-Capability";

/// The JSON body of a [`HttpRequest`]: Belvo's create-link or MFA body. The adapter serializes
/// it (`serde_json` natively; `serde_wasm_bindgen` + `JSON.stringify` in the browser) and sends
/// it with `Content-Type: application/json`.
///
/// It holds the password or the MFA token: send it, then drop it. `Debug` prints only which
/// body it is.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RequestBody {
    /// `POST /api/links/`.
    CreateLink(LinkRequest),
    /// `PATCH /api/links/`.
    PatchLink(PatchLinkRequest),
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RequestBody::CreateLink(_) => "CreateLink(<redacted>)",
            RequestBody::PatchLink(_) => "PatchLink(<redacted>)",
        })
    }
}

/// A request the adapter must send to `{proxyUrl}{path_and_query}`.
///
/// `Debug` never prints the body (it may hold a password or MFA token) nor the capability.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Echo this back in [`Flow::on_response`](super::Flow::on_response) /
    /// [`Flow::on_failure`](super::Flow::on_failure).
    pub ticket: u64,
    /// Method.
    pub method: Method,
    /// Path and query relative to the proxy URL, always starting with `/`.
    pub path_and_query: String,
    /// JSON body, for POST/PATCH. Holds credentials for link creation and token submission:
    /// send it, then drop it.
    pub body: Option<RequestBody>,
    /// Whether the request is free of side effects (safe to resend). Informational: the flow
    /// itself decides retries.
    pub idempotent: bool,
    /// Value for the [`LINK_CAPABILITY_HEADER`] request header, if the proxy issued one.
    pub link_capability: Option<String>,
    /// Abort the request after this many milliseconds and report [`Failure::Timeout`].
    pub timeout_ms: u64,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("ticket", &self.ticket)
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("body", &self.body)
            .field("idempotent", &self.idempotent)
            .field(
                "link_capability",
                &self.link_capability.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// A parsed answer body that serde can read: `serde_json::Value` natively, the engine's
/// parsed value in the browser (read with `serde_wasm_bindgen`). The flow never parses text.
pub trait JsonBody {
    /// The body read as `T`; `None` when it does not have that shape.
    fn decode<T: DeserializeOwned>(&self) -> Option<T>;
}

impl JsonBody for serde_json::Value {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(self).ok()
    }
}

/// An answer body, as the adapter found it. `Debug` never prints the content (an answer may
/// hold personal data).
///
/// Make it from the answer's text with [`Body::from_text`] (natively
/// [`Body::from_serde_json`]), so that every adapter draws the same lines between the four
/// cases.
#[derive(Clone, PartialEq, Eq)]
pub enum Body<J> {
    /// A parsed JSON value.
    Json(J),
    /// Text that starts like JSON but does not parse (e.g. a truncated answer): reported as
    /// `unparseable`.
    Unparseable,
    /// A body that is not JSON (e.g. Belvo's HTML 403 rate-limit page, `Bad Gateway`).
    NotJson,
    /// No body at all (or only whitespace).
    Empty,
}

impl<J> fmt::Debug for Body<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Body::Json(_) => "Json(..)",
            Body::Unparseable => "Unparseable",
            Body::NotJson => "NotJson",
            Body::Empty => "Empty",
        })
    }
}

impl<J> Body<J> {
    /// Classifies an answer's text, parsing it with `parse` (the engine's `JSON.parse` in the
    /// browser): blank is [`Body::Empty`]; text that parses is [`Body::Json`]; text that does
    /// not parse is [`Body::Unparseable`] when it starts like a JSON value (`{ [ " - 0-9 t f
    /// n`), else [`Body::NotJson`] (`<html>…`, `Bad Gateway`).
    pub fn from_text(text: impl AsRef<str>, parse: impl FnOnce(&str) -> Option<J>) -> Body<J> {
        let text = text.as_ref();
        let Some(first) = text.trim_start().bytes().next() else {
            return Body::Empty;
        };
        if let Some(v) = parse(text) {
            return Body::Json(v);
        }
        match first {
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => Body::Unparseable,
            _ => Body::NotJson,
        }
    }
}

impl Body<serde_json::Value> {
    /// [`Body::from_text`] with `serde_json` (native adapters and tests).
    pub fn from_serde_json(text: impl AsRef<str>) -> Body<serde_json::Value> {
        Body::from_text(text, |t| serde_json::from_str(t).ok())
    }
}

/// An HTTP answer fed to [`Flow::on_response`](super::Flow::on_response).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<J> {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: Body<J>,
    /// The [`LINK_CAPABILITY_HEADER`] response header, if present.
    pub link_capability: Option<String>,
    /// The `Retry-After` response header, if present (only delta-seconds are honoured).
    pub retry_after: Option<String>,
}

impl<J> Response<J> {
    /// An answer with no interesting headers.
    pub fn new(status: u16, body: Body<J>) -> Self {
        Response {
            status,
            body,
            link_capability: None,
            retry_after: None,
        }
    }

    /// Adds the capability header.
    pub fn with_capability(mut self, cap: &str) -> Self {
        self.link_capability = Some(cap.into());
        self
    }

    /// Adds the `Retry-After` header.
    pub fn with_retry_after(mut self, v: &str) -> Self {
        self.retry_after = Some(v.into());
        self
    }
}

/// A request that got no HTTP answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `fetch` rejected (connection, DNS, CORS…).
    Network,
    /// [`HttpRequest::timeout_ms`] elapsed.
    Timeout,
    /// The adapter aborted it (after [`Flow::cancel`](super::Flow::cancel) or
    /// [`Flow::restart`](super::Flow::restart)).
    Aborted,
}

/// Parses a `Retry-After` value given in delta-seconds (HTTP-dates are ignored).
pub fn parse_retry_after(v: &str) -> Option<u64> {
    let t = v.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}
