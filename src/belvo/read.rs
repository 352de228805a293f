//! Hand-written readers of the wire types the flow needs, from a parsed
//! [`json::Value`] (the browser build links no serde
//! deserialization).
//!
//! They follow the leniency rules of [`wire`](super::wire) exactly as its serde derives apply
//! them (checked against serde_json in the tests): unknown fields are ignored, missing and
//! `null` fields take their default, the lenient scalar conversions of
//! [`wire::lenient`](super::wire::lenient) apply, and a nested object of the wrong kind (or a
//! repeated known field) makes the whole answer unreadable (`None`).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::wire::lenient::parse_number;
use super::wire::{
    ErrorBody, ErrorEntry, Link, LinkEvents, Page, TokenGenerationData, WebhookData, WebhookEvent,
};
use crate::flow::json::{self, push_i64, push_u64, Error, Value};

/// The members of an object.
type Obj<'v, 'a> = &'v [(Cow<'a, str>, Value<'a>)];

/// The field `key` of a struct: `Err` when it is repeated (serde's `duplicate field`).
pub fn field<'v, 'a>(o: Obj<'v, 'a>, key: &str) -> Result<Option<&'v Value<'a>>, Error> {
    let mut found = None;
    for (k, v) in o {
        if k == key {
            if found.is_some() {
                return Err(Error);
            }
            found = Some(v);
        }
    }
    Ok(found)
}

/// A field with an alias (`Err` when both, or either twice, are present).
fn field2<'v, 'a>(o: Obj<'v, 'a>, a: &str, b: &str) -> Result<Option<&'v Value<'a>>, Error> {
    match (field(o, a)?, field(o, b)?) {
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
                Num::F(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    push_i64(&mut out, f as i64)
                }
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
    (v.is_finite() && v.abs() < 1.8e19).then(|| (v < 0.0, v.abs().round() as u64))
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
        Some(Value::Arr(items)) => items.iter().filter_map(|i| opt_string(Some(i))).collect(),
        Some(Value::Str(s)) => alloc::vec![String::from(&**s)],
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
        Some(Value::Arr(items)) => items.iter().map(f).collect(),
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
        let s = |k| field(o, k).map(opt_string);
        Ok(Link {
            id: s("id")?.unwrap_or_default(),
            institution: s("institution")?,
            access_mode: s("access_mode")?,
            status: s("status")?,
            refresh_rate: s("refresh_rate")?,
            created_by: s("created_by")?,
            last_accessed_at: s("last_accessed_at")?,
            created_at: s("created_at")?,
            external_id: s("external_id")?,
            institution_user_id: s("institution_user_id")?,
            credentials_storage: s("credentials_storage")?,
            stale_in: s("stale_in")?,
            fetch_resources: string_list(field(o, "fetch_resources")?),
        })
    }
}

impl TokenGenerationData {
    fn read(o: Obj) -> Result<Self, Error> {
        let s = |k| field(o, k).map(opt_string);
        Ok(TokenGenerationData {
            instructions: s("instructions")?,
            kind: s("type")?,
            value: s("value")?,
            expects_user_input: opt_bool(field2(o, "expects_user_input", "expect_user_input")?),
        })
    }
}

impl ErrorEntry {
    fn read(o: Obj) -> Result<Self, Error> {
        let s = |k| field(o, k).map(opt_string);
        let tgd = match nested(field(o, "token_generation_data")?)? {
            Some(t) => Some(TokenGenerationData::read(t)?),
            None => None,
        };
        Ok(ErrorEntry {
            code: s("code")?,
            message: s("message")?,
            request_id: s("request_id")?,
            field: s("field")?,
            detail: s("detail")?,
            session: s("session")?,
            expiry: opt_u64(field(o, "expiry")?),
            link: s("link")?,
            token_generation_data: tgd,
            institution_user_id: s("institution_user_id")?,
            retry_after: opt_u64(field2(o, "retry_after", "retry_after_seconds")?),
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
            Value::Arr(items) => items
                .iter()
                .map(|i| match i {
                    Value::Obj(o) => ErrorEntry::read(o),
                    Value::Str(s) => Ok(ErrorEntry::message_only(s)),
                    _ => Ok(ErrorEntry::default()),
                })
                .collect::<Result<_, Error>>()
                .ok()?,
            Value::Obj(o) => alloc::vec![ErrorEntry::read(o).ok()?],
            Value::Str(s) => alloc::vec![ErrorEntry::message_only(s)],
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
        let o = object(v)?;
        let s = |k| field(o, k).map(opt_string);
        let data = match field(o, "data")? {
            None => WebhookData::default(),
            Some(d) => {
                let d = object(d)?;
                let n = |k| field(d, k).map(opt_u64);
                let s = |k| field(d, k).map(opt_string);
                WebhookData {
                    total_employment_record_profiles: n("total_employment_record_profiles")?,
                    total_employments: n("total_employments")?,
                    total_owners: n("total_owners")?,
                    total_employment_metrics: n("total_employment_metrics")?,
                    error_code: s("error_code")?,
                    error_message: s("error_message")?,
                    status: n("status")?,
                }
            }
        };
        Ok(WebhookEvent {
            webhook_id: s("webhook_id")?.unwrap_or_default(),
            webhook_type: s("webhook_type")?.unwrap_or_default(),
            webhook_code: s("webhook_code")?.unwrap_or_default(),
            process_type: s("process_type")?,
            link_id: s("link_id")?.unwrap_or_default(),
            request_id: s("request_id")?,
            external_id: s("external_id")?,
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
                let link_id = opt_string(field(o, "link_id").ok()?);
                let mut events = list(field(o, "events").ok()?, WebhookEvent::read).ok()?;
                let results = list(field(o, "results").ok()?, WebhookEvent::read).ok()?;
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
    /// Reads a paginated list (objects only) from its text; each item of `results` is built
    /// from its raw JSON text by `item` (any failure fails the page).
    pub fn from_json_text(text: &str, item: impl Fn(&str) -> Option<T>) -> Option<Page<T>> {
        let (members, raw) = json::parse_page(text).ok()?;
        let o = &members[..];
        let results = match raw {
            Some(items) => items.into_iter().map(item).collect::<Option<_>>()?,
            None => list(field(o, "results").ok()?, |_| Err(Error)).ok()?,
        };
        Some(Page {
            count: opt_u64(field(o, "count").ok()?).unwrap_or_default(),
            next: opt_string(field(o, "next").ok()?),
            previous: opt_string(field(o, "previous").ok()?),
            results,
        })
    }
}
