//! Validation of the bodies and queries the proxy forwards. Every accepted request is
//! re-serialised from validated values only; messages never echo the rejected value.

use serde_json::{Map, Value};

use super::config::Config;
use super::Reject;
use crate::belvo::institution::{self, UsernameRule};
use crate::belvo::wire::{LinkRequest, PatchLinkRequest};
use crate::id::{Date, Options};

/// A validated `POST /api/links/`.
pub(crate) struct ValidLink {
    /// The institution (from the static table).
    pub institution: &'static str,
    /// The normalised identifier (only used to derive the attempt-guard key).
    pub identifier: String,
    /// The body to forward.
    pub body: Vec<u8>,
}

/// A validated `PATCH /api/links/`.
pub(crate) struct ValidPatch {
    /// The link the session belongs to.
    pub link: String,
    /// The body to forward.
    pub body: Vec<u8>,
}

/// A validated data query.
pub(crate) struct DataQuery {
    /// The link.
    pub link: String,
    /// The query to forward.
    pub query: String,
}

const CREATE_FIELDS: &[&str] = &[
    "institution",
    "username",
    "password",
    "access_mode",
    "credentials_storage",
    "fetch_resources",
    "external_id",
];
const PATCH_FIELDS: &[&str] = &["link", "session", "token"];

/// Belvo's own names for link-request fields (create and resume). A refused field is named in
/// the answer only when it is one of these, and then from this table: any other name came from
/// the caller and may be anything, even an identifier, so it is never echoed.
const BELVO_FIELDS: &[&str] = &[
    "institution",
    "username",
    "username2",
    "username3",
    "username_type",
    "password",
    "password2",
    "token",
    "certificate",
    "private_key",
    "access_mode",
    "credentials_storage",
    "fetch_resources",
    "fetch_historical",
    "stale_in",
    "external_id",
    "link",
    "session",
    "save_data",
];

/// Belvo's query parameters on data lists (same rule as [`BELVO_FIELDS`]).
const BELVO_QUERY_PARAMS: &[&str] = &[
    "link",
    "link__in",
    "page",
    "page_size",
    "fields",
    "omit",
    "id",
    "id__in",
    "created_at",
    "created_at__gt",
    "created_at__gte",
    "created_at__lt",
    "created_at__lte",
    "created_at__range",
    "collected_at",
    "collected_at__gt",
    "collected_at__gte",
    "collected_at__lt",
    "collected_at__lte",
    "collected_at__range",
];

/// A `400 invalid` for a refused `what` (field, query parameter): `field` is the name only
/// when `known` lists it; otherwise there is no `field` and the message does not name it.
fn refused_name(name: &str, known: &[&'static str], what: &str) -> Reject {
    match known.iter().find(|k| **k == name) {
        Some(k) => Reject::field(
            "invalid",
            k,
            format!("This {what} is not accepted by this proxy."),
        ),
        None => Reject::new(
            400,
            "invalid",
            format!("A {what} of this request is not accepted by this proxy."),
        ),
    }
}

/// Parses a JSON object body.
fn object(body: &[u8]) -> Result<Map<String, Value>, Reject> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Reject::new(
            400,
            "invalid",
            "Invalid data. Expected a JSON object.",
        )),
        Err(e) => Err(Reject::new(
            400,
            "parse_error",
            format!(
                "JSON parse error at line {} column {}.",
                e.line(),
                e.column()
            ),
        )),
    }
}

fn only_known(m: &Map<String, Value>, known: &[&str]) -> Result<(), Reject> {
    match m.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(refused_name(k, BELVO_FIELDS, "field")),
        None => Ok(()),
    }
}

/// `Some(value)` unless absent or null.
fn present<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    m.get(k).filter(|v| !v.is_null())
}

fn required_str<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a str, Reject> {
    match present(m, k) {
        None => Err(Reject::field("required", k, "This field is required.")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(Reject::field("blank", k, "This field may not be blank."))
        }
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(Reject::field("invalid", k, "Not a valid string.")),
    }
}

fn optional_str<'a>(m: &'a Map<String, Value>, k: &str) -> Result<Option<&'a str>, Reject> {
    match present(m, k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(Reject::field("invalid", k, "Not a valid string.")),
    }
}

pub(crate) use crate::belvo::is_uuid;

/// `external_id`: at least 3 (at most 100) characters of `[A-Za-z0-9_-]`.
pub(crate) fn is_external_id(s: &str) -> bool {
    (3..=100).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// `credentials_storage`: `nostore` or `1d`…`365d` (never `store`: a single link must not
/// leave credentials with Belvo indefinitely).
fn is_safe_storage(s: &str) -> bool {
    if s == "nostore" {
        return true;
    }
    match s.strip_suffix('d') {
        Some(n) if (1..=3).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_digit()) => {
            n.parse::<u16>().is_ok_and(|d| (1..=365).contains(&d))
        }
        _ => false,
    }
}

/// Validates a link creation body against the configuration and the identifier rules.
pub(crate) fn create_link(
    cfg: &Config,
    body: &[u8],
    today: Option<Date>,
) -> Result<ValidLink, Reject> {
    let m = object(body)?;
    only_known(&m, CREATE_FIELDS)?;
    let inst_name = required_str(&m, "institution")?;
    let inst = institution::find(inst_name)
        .filter(|i| cfg.allowed_institutions.iter().any(|a| a == i.name))
        .ok_or_else(|| {
            Reject::field(
                "invalid_choice",
                "institution",
                "This institution is not allowed.",
            )
        })?;
    let raw_username = required_str(&m, "username")?;
    let opts = Options {
        strict: false,
        today,
    };
    let username = institution::validate_username(inst.name, raw_username, &opts).map_err(|e| {
        let what = match inst.username {
            UsernameRule::Curp => "a valid CURP",
            UsernameRule::Cpf => "a valid CPF",
            UsernameRule::SandboxCurp => "18 letters or digits",
        };
        Reject::field(
            "invalid",
            "username",
            format!("The username must be {what} ({}).", e.code.as_str()),
        )
    })?;
    let password = if inst.needs_password {
        let p = required_str(&m, "password")?;
        if p.len() > 256 {
            return Err(Reject::field(
                "invalid",
                "password",
                "Ensure this field has no more than 256 characters.",
            ));
        }
        Some(p.to_owned())
    } else {
        if present(&m, "password").is_some() {
            return Err(Reject::field(
                "invalid",
                "password",
                "This institution does not take a password.",
            ));
        }
        None
    };
    match optional_str(&m, "access_mode")? {
        None | Some("single") => {}
        Some(_) => {
            return Err(Reject::field(
                "invalid_choice",
                "access_mode",
                "Only single links are allowed by this proxy.",
            ))
        }
    }
    let credentials_storage = match optional_str(&m, "credentials_storage")? {
        None => None,
        Some(s) if is_safe_storage(s) => Some(s.to_owned()),
        Some(_) => {
            return Err(Reject::field(
                "invalid_choice",
                "credentials_storage",
                "Allowed values: nostore, or 1d to 365d.",
            ))
        }
    };
    let fetch_resources: Vec<String> = match present(&m, "fetch_resources") {
        None => inst
            .default_resources
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        Some(Value::Array(items)) => {
            let mut out: Vec<String> = Vec::with_capacity(items.len());
            for it in items {
                let s = it
                    .as_str()
                    .filter(|s| inst.supported_resources.contains(s))
                    .ok_or_else(|| {
                        Reject::field(
                            "invalid",
                            "fetch_resources",
                            format!(
                                "The institution only supports the following resources: {}.",
                                inst.supported_resources.join(", ")
                            ),
                        )
                    })?;
                if out.iter().any(|o| o == s) {
                    return Err(Reject::field(
                        "invalid",
                        "fetch_resources",
                        "Duplicated resource.",
                    ));
                }
                out.push(s.to_owned());
            }
            if out.is_empty() {
                return Err(Reject::field(
                    "invalid",
                    "fetch_resources",
                    "At least one resource is required.",
                ));
            }
            out
        }
        Some(_) => {
            return Err(Reject::field(
                "not_a_list",
                "fetch_resources",
                "Expected a list of items.",
            ))
        }
    };
    let external_id = match optional_str(&m, "external_id")? {
        None => None,
        Some(s) if is_external_id(s) => Some(s.to_owned()),
        Some(_) => {
            return Err(Reject::field(
                "invalid",
                "external_id",
                "Use at least 3 characters of A-Z, a-z, 0-9, _ and -.",
            ))
        }
    };
    let identifier = username.as_str().to_owned();
    let req = LinkRequest {
        institution: inst.name.to_owned(),
        username: identifier.clone(),
        password,
        username2: None,
        access_mode: Some("single".to_owned()),
        fetch_resources,
        credentials_storage,
        external_id,
        token: None,
    };
    Ok(ValidLink {
        institution: inst.name,
        identifier,
        body: serde_json::to_vec(&req).unwrap_or_default(),
    })
}

/// Validates a `PATCH /api/links/` body (`link`, `session`, optional `token`).
pub(crate) fn patch_link(body: &[u8]) -> Result<ValidPatch, Reject> {
    let m = object(body)?;
    only_known(&m, PATCH_FIELDS)?;
    let link = required_str(&m, "link")?;
    if !is_uuid(link) {
        return Err(Reject::field("invalid", "link", "Must be a valid UUID."));
    }
    let session = required_str(&m, "session")?;
    if session.len() > 64 || !session.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Reject::field(
            "invalid",
            "session",
            "Not a valid session id.",
        ));
    }
    let token = match optional_str(&m, "token")? {
        None => None,
        Some(t) if !t.is_empty() && t.len() <= 64 && t.bytes().all(|c| c.is_ascii_graphic()) => {
            Some(t.to_owned())
        }
        Some(_) => return Err(Reject::field("invalid", "token", "Not a valid token.")),
    };
    let req = PatchLinkRequest {
        link: link.to_owned(),
        session: session.to_owned(),
        token,
    };
    Ok(ValidPatch {
        link: link.to_owned(),
        body: serde_json::to_vec(&req).unwrap_or_default(),
    })
}

/// Validates a data query: `link` (required UUID), optional `page` and `page_size`.
pub(crate) fn data_query(query: &str) -> Result<DataQuery, Reject> {
    let (mut link, mut page, mut page_size) = (None, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match k {
            "link" => &mut link,
            "page" => &mut page,
            "page_size" => &mut page_size,
            _ => return Err(refused_name(k, BELVO_QUERY_PARAMS, "query parameter")),
        };
        if slot.replace(v).is_some() {
            return Err(Reject::field(
                "invalid",
                k,
                "This query parameter is repeated.",
            ));
        }
    }
    let link =
        link.ok_or_else(|| Reject::field("required", "link", "This query parameter is required."))?;
    if !is_uuid(link) {
        return Err(Reject::field("invalid", "link", "Must be a valid UUID."));
    }
    let number = |k: &str, v: &str, max: u32| -> Result<u32, Reject> {
        v.parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n) && v.bytes().all(|c| c.is_ascii_digit()))
            .ok_or_else(|| Reject::field("invalid", k, format!("A whole number from 1 to {max}.")))
    };
    let mut q = format!("link={link}");
    if let Some(p) = page {
        q.push_str(&format!("&page={}", number("page", p, 100_000)?));
    }
    if let Some(s) = page_size {
        q.push_str(&format!("&page_size={}", number("page_size", s, 1000)?));
    }
    Ok(DataQuery {
        link: link.to_owned(),
        query: q,
    })
}
