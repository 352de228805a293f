//! The sans-IO boundary: requests the flow asks for, and answers the adapter feeds back.

use core::fmt;

/// HTTP method of a [`HttpRequest`]: Belvo's [`Method`](crate::belvo::http::Method), which
/// the proxy sends upstream too.
pub use crate::belvo::http::Method;

/// Name of the link-binding capability header: the proxy sets it on the answer that creates a
/// link (201 or 428); the client sends it back on every request about that link.
pub const LINK_CAPABILITY_HEADER: &str = "X-Link-Capability";

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
    /// JSON body (`Content-Type: application/json`), for POST/PATCH. Holds credentials for
    /// link creation and token submission: send it, then drop it.
    pub body_json: Option<String>,
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
            .field(
                "body_json",
                &self.body_json.as_ref().map(|b| BodyLen(b.len())),
            )
            .field("idempotent", &self.idempotent)
            .field(
                "link_capability",
                &self.link_capability.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

struct BodyLen(usize);

impl fmt::Debug for BodyLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// An answer body, as the adapter found it. `Debug` prints only the length of the text (an
/// answer may hold personal data).
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// Text that looks like JSON (the flow reads it with [`json`](super::json); text that
    /// turns out not to parse is reported as `unparseable`).
    Json(String),
    /// A body that is not JSON (e.g. Belvo's HTML 403 rate-limit page).
    NotJson,
    /// No body at all.
    Empty,
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(t) => f.debug_tuple("Json").field(&BodyLen(t.len())).finish(),
            Body::NotJson => f.write_str("NotJson"),
            Body::Empty => f.write_str("Empty"),
        }
    }
}

impl Body {
    /// Classifies an answer's text: empty (or blank) is [`Body::Empty`]; text starting like a
    /// JSON value is [`Body::Json`]; anything else (`<html>…`, `Bad Gateway`) is
    /// [`Body::NotJson`].
    pub fn from_text(text: String) -> Body {
        match text.trim_start().bytes().next() {
            None => Body::Empty,
            Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => Body::Json(text),
            Some(_) => Body::NotJson,
        }
    }
}

/// An HTTP answer fed to [`Flow::on_response`](super::Flow::on_response).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: Body,
    /// The [`LINK_CAPABILITY_HEADER`] response header, if present.
    pub link_capability: Option<String>,
    /// The `Retry-After` response header, if present (only delta-seconds are honoured).
    pub retry_after: Option<String>,
}

impl Response {
    /// An answer with no interesting headers.
    pub fn new(status: u16, body: Body) -> Self {
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
