//! Validation of Belvo's webhook payloads (`POST /webhooks`).

use serde_json::{Map, Value};

use super::validate::is_uuid;
use super::Reject;
use crate::belvo::wire::WebhookEvent;

fn token_like(s: &str, max: usize, extra: &[u8]) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || extra.contains(&c))
}

fn str_field<'a>(m: &'a Map<String, Value>, k: &str) -> Result<Option<&'a str>, Reject> {
    match m.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(Reject::field("invalid", k, "Not a valid string.")),
    }
}

fn required<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a str, Reject> {
    str_field(m, k)?.ok_or_else(|| Reject::field("required", k, "This field is required."))
}

/// Validates a webhook body and returns the normalised event (only the documented fields
/// are kept; `data` keeps only the documented keys).
pub(crate) fn validate(body: &[u8]) -> Result<WebhookEvent, Reject> {
    let m = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(Reject::new(
                400,
                "invalid",
                "Invalid data. Expected a JSON object.",
            ))
        }
        Err(e) => {
            return Err(Reject::new(
                400,
                "parse_error",
                std::format!(
                    "JSON parse error at line {} column {}.",
                    e.line(),
                    e.column()
                ),
            ))
        }
    };
    let id = required(&m, "webhook_id")?;
    if !token_like(id, 128, b"-") {
        return Err(Reject::field(
            "invalid",
            "webhook_id",
            "Not a valid webhook id.",
        ));
    }
    let kind = required(&m, "webhook_type")?;
    if !token_like(kind, 64, b"") {
        return Err(Reject::field(
            "invalid",
            "webhook_type",
            "Not a valid webhook type.",
        ));
    }
    let code = required(&m, "webhook_code")?;
    if !token_like(code, 64, b"") {
        return Err(Reject::field(
            "invalid",
            "webhook_code",
            "Not a valid webhook code.",
        ));
    }
    let link = required(&m, "link_id")?;
    if !is_uuid(link) {
        return Err(Reject::field("invalid", "link_id", "Must be a valid UUID."));
    }
    if let Some(p) = str_field(&m, "process_type")? {
        if !token_like(p, 64, b"") {
            return Err(Reject::field(
                "invalid",
                "process_type",
                "Not a valid process type.",
            ));
        }
    }
    if let Some(r) = str_field(&m, "request_id")? {
        if !token_like(r, 64, b"-") {
            return Err(Reject::field(
                "invalid",
                "request_id",
                "Not a valid request id.",
            ));
        }
    }
    if let Some(e) = str_field(&m, "external_id")? {
        if e.len() > 200 {
            return Err(Reject::field("invalid", "external_id", "Too long."));
        }
    }
    match m.get("data") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err(Reject::field("invalid", "data", "Expected a JSON object.")),
    }
    let mut ev: WebhookEvent = serde_json::from_value(Value::Object(m))
        .map_err(|_| Reject::new(400, "invalid", "Invalid webhook payload."))?;
    ev.link_id.make_ascii_lowercase();
    Ok(ev)
}
