//! The upstream side: what the proxy sends to Belvo, what comes back, and how failures map
//! to JSON answers in Belvo's error shape.

use super::{EmulatorRoute, Reject};

/// Methods the proxy ever sends upstream: Belvo's [`Method`].
pub use crate::belvo::http::Method;

/// A request to Belvo, built from validated values only. The adapter adds the base URL and
/// the Basic `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpstreamRequest {
    /// Method.
    pub method: Method,
    /// Belvo path, e.g. `/api/links/`.
    pub path: String,
    /// Query without `?` (may be empty).
    pub query: String,
    /// JSON body, for POST/PATCH (none for GET and DELETE).
    pub body: Option<Vec<u8>>,
}

impl UpstreamRequest {
    /// A request.
    pub fn new(method: Method, path: &str, query: &str, body: Option<Vec<u8>>) -> Self {
        UpstreamRequest {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            body,
        }
    }

    /// The full URL under `base` (no trailing slash).
    pub fn url(&self, base: &str) -> String {
        let mut u = String::with_capacity(base.len() + self.path.len() + self.query.len() + 1);
        u.push_str(base);
        u.push_str(&self.path);
        if !self.query.is_empty() {
            u.push('?');
            u.push_str(&self.query);
        }
        u
    }
}

/// What Belvo answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpstreamResponse {
    /// Status code.
    pub status: u16,
    /// `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Why no answer came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamError {
    /// No answer within the configured timeout.
    Timeout,
    /// The connection failed (DNS, refused, reset, TLS…).
    Unreachable,
    /// The answer was larger than `UPSTREAM_MAX_BYTES` (it was cut off, not read whole).
    TooLarge,
}

/// Calls Belvo (over fetch, or the in-process emulator).
///
/// `async fn` in a public trait: futures are deliberately not `Send` (wasm is
/// single-threaded and JS promises are not `Send`).
#[allow(async_fn_in_trait)]
pub trait Upstream {
    /// Sends `req` and waits for the answer, within the configured timeout.
    async fn send(&self, req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError>;

    /// Emulator mode: hands `req` to the emulator with the *caller's* `authorization`
    /// instead of the configured keys, so that the emulator checks it as Belvo would.
    /// `None` when there is no emulator (→ 404).
    async fn emulator_direct(
        &self,
        req: &UpstreamRequest,
        authorization: Option<&str>,
    ) -> Option<Result<UpstreamResponse, UpstreamError>> {
        let _ = (req, authorization);
        None
    }

    /// Answers an emulator admin route; `None` when there is no emulator (→ 404).
    async fn emulator_admin(&self, route: &EmulatorRoute) -> Option<UpstreamResponse> {
        let _ = route;
        None
    }
}

/// How an upstream result is classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Classified {
    /// A JSON answer, passed through with its status.
    Json(UpstreamResponse),
    /// `204 No Content` with no body (Belvo's answer to a `DELETE`), passed through as such.
    NoContent,
    /// A failure the proxy answers itself.
    Failure(Reject),
}

/// The classification of §4 of the contract:
/// timeout → 504 `request_timeout`; connection failure → 502 `upstream_unreachable`;
/// an answer over `UPSTREAM_MAX_BYTES` → 502 `upstream_invalid_response`;
/// a non-JSON 403 (Belvo's openresty IP rate-limit page) → 403 `rate_limited`;
/// any other non-JSON answer (including malformed JSON) → 502 `upstream_invalid_response`;
/// JSON answers (a JSON content type and a JSON body) pass through, and so does a `204` with
/// no body (whatever its content type).
///
/// `full_parse`: validate the whole body as JSON (link answers, which the proxy reads anyway);
/// otherwise a structural check — a JSON content type and a body that starts with `{`/`[` and
/// ends with the matching `}`/`]`, which catches HTML pages, empty and truncated bodies —
/// keeps large data pages on the fast path (they are relayed, not read).
pub fn classify(result: Result<UpstreamResponse, UpstreamError>, full_parse: bool) -> Classified {
    let resp = match result {
        Ok(r) => r,
        Err(UpstreamError::Timeout) => {
            return Classified::Failure(Reject::new(
                504,
                "request_timeout",
                "Belvo did not answer in time. Try again.",
            ))
        }
        Err(UpstreamError::Unreachable) => {
            return Classified::Failure(Reject::new(
                502,
                "upstream_unreachable",
                "Belvo could not be reached. Try again.",
            ))
        }
        Err(UpstreamError::TooLarge) => {
            return Classified::Failure(Reject::new(
                502,
                "upstream_invalid_response",
                "Belvo's answer is larger than the proxy accepts.",
            ))
        }
    };
    if resp.status == 204 && resp.body.trim_ascii().is_empty() {
        return Classified::NoContent;
    }
    let json_type = resp.content_type.as_deref().is_some_and(|ct| {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        mime == "application/json" || mime.ends_with("+json")
    });
    let is_json = json_type && looks_like_json(&resp.body, full_parse);
    if is_json {
        return Classified::Json(resp);
    }
    if resp.status == 403 {
        let mut r = Reject::new(
            403,
            "rate_limited",
            "Belvo refused the request (IP rate limit). Wait a moment and try again.",
        );
        r.retry_after = Some(30);
        return Classified::Failure(r);
    }
    Classified::Failure(Reject::new(
        502,
        "upstream_invalid_response",
        "Belvo answered with something that is not JSON.",
    ))
}

fn looks_like_json(body: &[u8], full_parse: bool) -> bool {
    if full_parse {
        return serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
    }
    let trimmed = body.trim_ascii();
    matches!(
        (trimmed.first(), trimmed.last()),
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
    )
}
