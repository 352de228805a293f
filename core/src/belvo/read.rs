//! Hand-written readers of the wire types the flow needs, from a parsed
//! [`json::Value`] (the browser build links no serde
//! deserialization).
//!
//! They follow the leniency rules of [`wire`](super::wire) exactly as its serde derives apply
//! them (checked against serde_json in the tests): unknown fields are ignored, missing and
//! `null` fields take their default, the lenient scalar conversions of
//! [`wire::lenient`](super::wire::lenient) apply, and a nested object of the wrong kind (or a
//! repeated known field) makes the whole answer unreadable (`None`).

use std::borrow::Cow;

use super::wire::lenient::parse_number;
use super::wire::{
    ErrorBody, ErrorEntry, Link, LinkEvents, Page, TokenGenerationData, WebhookData, WebhookEvent,
};
use crate::flow::json::{self, push_i64, push_u64, Error, Value};

/// The members of an object.
type Obj<'v, 'a> = &'v [(Cow<'a, str>, Value<'a>)];

/// The fields `keys` of a struct, in one pass (unknown members are ignored): `Err` when one
/// is repeated (serde's `duplicate field`).
#[inline]
pub fn fields<'v, 'a, const N: usize>(
    o: Obj<'v, 'a>,
    keys: &[&str; N],
) -> Result<[Option<&'v Value<'a>>; N], Error> {
    let mut out = [None; N];
    fill(o, keys, &mut out)?;
    Ok(out)
}

fn fill<'v, 'a>(
    o: Obj<'v, 'a>,
    keys: &[&str],
    out: &mut [Option<&'v Value<'a>>],
) -> Result<(), Error> {
    for (k, v) in o {
        if let Some(slot) = keys.iter().zip(out.iter_mut()).find(|(key, _)| **key == k) {
            if slot.1.replace(v).is_some() {
                return Err(Error);
            }
        }
    }
    Ok(())
}

/// A field and its alias (`Err` when both are present, like serde's `alias`).
fn either<'v, 'a>(
    a: Option<&'v Value<'a>>,
    b: Option<&'v Value<'a>>,
) -> Result<Option<&'v Value<'a>>, Error> {
    match (a, b) {
        (Some(_), Some(_)) => Err(Error),
        (x, y) => Ok(x.or(y)),
    }
}

enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// A number as serde would have seen it (unsigned, negative integer, or float).
fn num(text: &str) -> Option<Num> {
    let n = parse_number(text)?;
    let is_int = !text.contains(['.', 'e', 'E']);
    Some(match n.whole {
        Some((false, m)) if is_int => Num::U(m),
        Some((true, m)) if is_int => match 0i64.checked_sub_unsigned(m) {
            Some(i) => Num::I(i),
            None => Num::F(n.value),
        },
        _ => Num::F(n.value),
    })
}

/// [`lenient::opt_string`](super::wire::lenient::opt_string).
pub fn opt_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Str(s) => Some(String::from(&**s)),
        Value::Bool(b) => Some(String::from(if *b { "true" } else { "false" })),
        Value::Num(t) => {
            let mut out = String::new();
            match num(t)? {
                Num::U(n) => push_u64(&mut out, n),
                Num::I(n) => push_i64(&mut out, n),
                Num::F(f) if crate::float::is_small_whole(f) => push_i64(&mut out, f as i64),
                Num::F(_) => return None,
            }
            Some(out)
        }
        _ => None,
    }
}

/// [`lenient::string`](super::wire::lenient::string).
pub fn string(v: Option<&Value>) -> String {
    opt_string(v).unwrap_or_default()
}

fn from_f64(v: f64) -> Option<(bool, u64)> {
    (v.is_finite() && v.abs() < 1.8e19).then(|| (v < 0.0, crate::float::round_to_u64(v.abs())))
}

/// `(negative, magnitude)` of an integer-ish value (serde's lenient `IntV`).
fn int(v: Option<&Value>) -> Option<(bool, u64)> {
    match v? {
        Value::Num(t) => match num(t)? {
            Num::U(n) => Some((false, n)),
            Num::I(n) => Some((n < 0, n.unsigned_abs())),
            Num::F(f) => from_f64(f),
        },
        Value::Str(s) => parse_number(s).and_then(|n| n.whole.or_else(|| from_f64(n.value))),
        _ => None,
    }
}

/// [`lenient::opt_u64`](super::wire::lenient::opt_u64).
pub fn opt_u64(v: Option<&Value>) -> Option<u64> {
    int(v).and_then(|(neg, m)| (!neg || m == 0).then_some(m))
}

/// [`lenient::opt_bool`](super::wire::lenient::opt_bool).
pub fn opt_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Str(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") {
                Some(true)
            } else if t.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            }
        }
        Value::Num(t) => match num(t)? {
            Num::U(0) | Num::I(0) => Some(false),
            Num::U(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// [`lenient::string_list`](super::wire::lenient::string_list).
pub fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Arr(items)) => {
            let mut out = Vec::new();
            for i in items {
                if let Some(s) = opt_string(Some(i)) {
                    out.push(s);
                }
            }
            out
        }
        Some(Value::Str(s)) => std::vec![String::from(&**s)],
        _ => Vec::new(),
    }
}

/// A nested struct field: absent/`null` → `None`, an object → its members, else `Err`.
fn nested<'v, 'a>(v: Option<&'v Value<'a>>) -> Result<Option<Obj<'v, 'a>>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Obj(m)) => Ok(Some(m)),
        Some(_) => Err(Error),
    }
}

/// [`lenient::nullable_vec`](super::wire::lenient::nullable_vec): absent/`null` → empty, an
/// array → each element read by `f` (any failure fails all), else `Err`.
fn list<'v, 'a, T>(
    v: Option<&'v Value<'a>>,
    f: impl Fn(&'v Value<'a>) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Arr(items)) => {
            // A loop, not `map(f).collect()`: one small instance per item type instead of
            // the iterator adapters' (measured in the browser module's size).
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(f(i)?);
            }
            Ok(out)
        }
        Some(_) => Err(Error),
    }
}

/// The members of a derived struct: objects only.
fn object<'v, 'a>(v: &'v Value<'a>) -> Result<Obj<'v, 'a>, Error> {
    v.as_object().ok_or(Error)
}

impl Link {
    /// Reads a link object (objects only; `None` when unreadable).
    pub fn from_json(v: &Value) -> Option<Link> {
        Self::read(object(v).ok()?).ok()
    }

    fn read(o: Obj) -> Result<Link, Error> {
        let [id, institution, access_mode, status, refresh_rate, created_by, last_accessed_at, created_at, external_id, institution_user_id, credentials_storage, stale_in, fetch_resources] =
            fields(
                o,
                &[
                    "id",
                    "institution",
                    "access_mode",
                    "status",
                    "refresh_rate",
                    "created_by",
                    "last_accessed_at",
                    "created_at",
                    "external_id",
                    "institution_user_id",
                    "credentials_storage",
                    "stale_in",
                    "fetch_resources",
                ],
            )?;
        Ok(Link {
            id: string(id),
            institution: opt_string(institution),
            access_mode: opt_string(access_mode),
            status: opt_string(status),
            refresh_rate: opt_string(refresh_rate),
            created_by: opt_string(created_by),
            last_accessed_at: opt_string(last_accessed_at),
            created_at: opt_string(created_at),
            external_id: opt_string(external_id),
            institution_user_id: opt_string(institution_user_id),
            credentials_storage: opt_string(credentials_storage),
            stale_in: opt_string(stale_in),
            fetch_resources: string_list(fetch_resources),
        })
    }
}

impl TokenGenerationData {
    fn read(o: Obj) -> Result<Self, Error> {
        let [instructions, kind, value, expects, expect] = fields(
            o,
            &[
                "instructions",
                "type",
                "value",
                "expects_user_input",
                "expect_user_input",
            ],
        )?;
        Ok(TokenGenerationData {
            instructions: opt_string(instructions),
            kind: opt_string(kind),
            value: opt_string(value),
            expects_user_input: opt_bool(either(expects, expect)?),
        })
    }
}

impl ErrorEntry {
    fn read(o: Obj) -> Result<Self, Error> {
        let [code, message, request_id, field, detail, session, expiry, link, tgd, institution_user_id, retry_after, retry_after_seconds] =
            fields(
                o,
                &[
                    "code",
                    "message",
                    "request_id",
                    "field",
                    "detail",
                    "session",
                    "expiry",
                    "link",
                    "token_generation_data",
                    "institution_user_id",
                    "retry_after",
                    "retry_after_seconds",
                ],
            )?;
        let tgd = match nested(tgd)? {
            Some(t) => Some(TokenGenerationData::read(t)?),
            None => None,
        };
        Ok(ErrorEntry {
            code: opt_string(code),
            message: opt_string(message),
            request_id: opt_string(request_id),
            field: opt_string(field),
            detail: opt_string(detail),
            session: opt_string(session),
            expiry: opt_u64(expiry),
            link: opt_string(link),
            token_generation_data: tgd,
            institution_user_id: opt_string(institution_user_id),
            retry_after: opt_u64(either(retry_after, retry_after_seconds)?),
        })
    }

    fn message_only(s: &str) -> Self {
        ErrorEntry {
            message: Some(String::from(s)),
            ..ErrorEntry::default()
        }
    }
}

impl ErrorBody {
    /// Reads an error answer: an array of entries (objects; strings become messages; other
    /// elements empty entries), one object, a string, or `null` (empty). `None` otherwise.
    pub fn from_json(v: &Value) -> Option<ErrorBody> {
        let entries = match v {
            Value::Arr(_) => list(Some(v), |i| match i {
                Value::Obj(o) => ErrorEntry::read(o),
                Value::Str(s) => Ok(ErrorEntry::message_only(s)),
                _ => Ok(ErrorEntry::default()),
            })
            .ok()?,
            Value::Obj(o) => std::vec![ErrorEntry::read(o).ok()?],
            Value::Str(s) => std::vec![ErrorEntry::message_only(s)],
            Value::Null => Vec::new(),
            _ => return None,
        };
        Some(ErrorBody(entries))
    }
}

impl WebhookEvent {
    /// Reads one webhook event (objects only).
    pub fn from_json(v: &Value) -> Option<WebhookEvent> {
        Self::read(v).ok()
    }

    fn read(v: &Value) -> Result<Self, Error> {
        let [webhook_id, webhook_type, webhook_code, process_type, link_id, request_id, external_id, data] =
            fields(
                object(v)?,
                &[
                    "webhook_id",
                    "webhook_type",
                    "webhook_code",
                    "process_type",
                    "link_id",
                    "request_id",
                    "external_id",
                    "data",
                ],
            )?;
        let data = match data {
            None => WebhookData::default(),
            Some(d) => {
                let [records, employments, owners, metrics, error_code, error_message, status] =
                    fields(
                        object(d)?,
                        &[
                            "total_employment_record_profiles",
                            "total_employments",
                            "total_owners",
                            "total_employment_metrics",
                            "error_code",
                            "error_message",
                            "status",
                        ],
                    )?;
                WebhookData {
                    total_employment_record_profiles: opt_u64(records),
                    total_employments: opt_u64(employments),
                    total_owners: opt_u64(owners),
                    total_employment_metrics: opt_u64(metrics),
                    error_code: opt_string(error_code),
                    error_message: opt_string(error_message),
                    status: opt_u64(status),
                }
            }
        };
        Ok(WebhookEvent {
            webhook_id: string(webhook_id),
            webhook_type: string(webhook_type),
            webhook_code: string(webhook_code),
            process_type: opt_string(process_type),
            link_id: string(link_id),
            request_id: opt_string(request_id),
            external_id: opt_string(external_id),
            data,
        })
    }
}

impl LinkEvents {
    /// Reads the proxy's events answer: `{link_id, events}` (or `{results}`), or a bare array
    /// of events.
    pub fn from_json(v: &Value) -> Option<LinkEvents> {
        match v {
            Value::Arr(_) => Some(LinkEvents {
                link_id: None,
                events: list(Some(v), WebhookEvent::read).ok()?,
            }),
            Value::Obj(o) => {
                let [link_id, events, results] =
                    fields(o, &["link_id", "events", "results"]).ok()?;
                let link_id = opt_string(link_id);
                let mut events = list(events, WebhookEvent::read).ok()?;
                let results = list(results, WebhookEvent::read).ok()?;
                if events.is_empty() {
                    events = results;
                }
                Some(LinkEvents { link_id, events })
            }
            _ => None,
        }
    }
}

impl<T> Page<T> {
    /// Reads a paginated list (objects only, with an array `results`) from its text; each item
    /// of `results` is built from its raw JSON text by `item` (any failure fails the page).
    pub fn from_json_text(text: &str, item: impl Fn(&str) -> Option<T>) -> Option<Page<T>> {
        let (members, raw) = json::parse_page(text).ok()?;
        let [count, next, previous] = fields(&members, &["count", "next", "previous"]).ok()?;
        let results = match raw {
            Some(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(item(i)?);
                }
                out
            }
            // No array `results`: no page (not "no data").
            None => return None,
        };
        Some(Page {
            count: opt_u64(count).unwrap_or_default(),
            next: opt_string(next),
            previous: opt_string(previous),
            results,
        })
    }
}
