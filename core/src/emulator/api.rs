//! The emulator's REST surface as Belvo's SDKs see it: routing, Belvo's pagination, the links
//! list / detail / modification / deletion, data lists and the retrieve form (`POST` with
//! `{link, …}`), and the institutions.
//!
//! Belvo's API is a Django REST Framework service (its messages — "Invalid page.", "This field
//! is required.", "Expected a list of items." — are DRF's), so where `../shared/belvo-api.md`
//! is silent the emulator answers as DRF does: `page` must be a whole number ≥ 1 or `last`
//! (else `404 not_found` "Invalid page."), `page_size` above [`MAX_PAGE_SIZE`] is clamped to
//! it and one that is not a positive whole number falls back to [`PAGE_SIZE`], filters with an
//! empty value are ignored, and `next`/`previous` repeat the caller's query with only `page`
//! replaced (parameters sorted by name; `previous` of page 2 has no `page`).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::data::{self, LinkData};
use super::{
    bad_request, error_body, fetch_resources_of, object_body, Emulator, Reply, Request,
    MAX_PAGE_SIZE, PAGE_SIZE,
};
use crate::belvo::institution::{self, Country, Institution, UsernameRule};
use crate::belvo::is_uuid;
use crate::belvo::wire::Page;

/// A data resource: its path and Belvo's name for it (`fetch_resources`, `webhook_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resource {
    EmploymentRecords,
    BrEmployments,
    Owners,
    EmploymentMetrics,
}

impl Resource {
    const ALL: [Resource; 4] = [
        Resource::EmploymentRecords,
        Resource::BrEmployments,
        Resource::Owners,
        Resource::EmploymentMetrics,
    ];

    fn path(self) -> &'static str {
        match self {
            Resource::EmploymentRecords => "/api/employment-records/",
            Resource::BrEmployments => "/api/br/employments/",
            Resource::Owners => "/api/owners/",
            Resource::EmploymentMetrics => "/api/employment-metrics/",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Resource::EmploymentRecords => "EMPLOYMENT_RECORDS",
            Resource::BrEmployments => "EMPLOYMENTS",
            Resource::Owners => "OWNERS",
            Resource::EmploymentMetrics => "EMPLOYMENT_METRICS",
        }
    }

    /// Whether `inst` has this resource (an MX link has no BR employments, ISSSTE no metrics).
    fn served_by(self, inst: &Institution) -> bool {
        inst.supported_resources.contains(&self.name())
    }

    /// Its items for one link.
    fn items(self, d: &LinkData<'_>) -> Vec<Value> {
        match self {
            Resource::EmploymentRecords => values(data::mx_records(d)),
            Resource::BrEmployments => values(data::br_employments(d)),
            Resource::Owners => values(data::owners(d)),
            Resource::EmploymentMetrics => values(data::metrics(d)),
        }
    }

    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Resource::EmploymentRecords => (
                "GET /api/employment-records/",
                "POST /api/employment-records/",
            ),
            Resource::BrEmployments => ("GET /api/br/employments/", "POST /api/br/employments/"),
            Resource::Owners => ("GET /api/owners/", "POST /api/owners/"),
            Resource::EmploymentMetrics => (
                "GET /api/employment-metrics/",
                "POST /api/employment-metrics/",
            ),
        }
    }
}

fn values<T: Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .filter_map(|x| serde_json::to_value(x).ok())
        .collect()
}

/// A path of Belvo's API the emulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ApiPath<'a> {
    /// `/api/`.
    Root,
    /// `/api/links/`.
    Links,
    /// `/api/links/{id}/`.
    Link(&'a str),
    /// A data resource's collection.
    Data(Resource),
    /// `/api/institutions/`.
    Institutions,
    /// `/api/institutions/{id}/`.
    Institution(&'a str),
}

impl<'a> ApiPath<'a> {
    fn parse(path: &'a str) -> Option<ApiPath<'a>> {
        match path {
            "/api/" => return Some(ApiPath::Root),
            "/api/links/" => return Some(ApiPath::Links),
            "/api/institutions/" => return Some(ApiPath::Institutions),
            _ => {}
        }
        if let Some(r) = Resource::ALL.iter().find(|r| r.path() == path) {
            return Some(ApiPath::Data(*r));
        }
        if let Some(id) = path.strip_prefix("/api/links/").and_then(item_id) {
            return Some(ApiPath::Link(id));
        }
        path.strip_prefix("/api/institutions/")
            .and_then(item_id)
            .map(ApiPath::Institution)
    }
}

/// `{id}/` → `id` (one non-empty segment).
fn item_id(rest: &str) -> Option<&str> {
    let id = rest.strip_suffix('/')?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// The stats label of a request (a constant; `other` for anything the emulator does not serve).
pub(super) fn route_label(method: &str, path: &str) -> &'static str {
    let Some(p) = ApiPath::parse(path) else {
        return "other";
    };
    match (method, p) {
        ("GET", ApiPath::Root) => "GET /api/",
        ("GET", ApiPath::Links) => "GET /api/links/",
        ("POST", ApiPath::Links) => "POST /api/links/",
        ("PATCH", ApiPath::Links) => "PATCH /api/links/",
        ("GET", ApiPath::Link(_)) => "GET /api/links/{id}/",
        ("PATCH", ApiPath::Link(_)) => "PATCH /api/links/{id}/",
        ("DELETE", ApiPath::Link(_)) => "DELETE /api/links/{id}/",
        ("GET", ApiPath::Data(r)) => r.labels().0,
        ("POST", ApiPath::Data(r)) => r.labels().1,
        ("GET", ApiPath::Institutions) => "GET /api/institutions/",
        ("GET", ApiPath::Institution(_)) => "GET /api/institutions/{id}/",
        _ => "other",
    }
}

fn not_found(rid: &str) -> Reply {
    Reply::json(404, error_body("not_found", "Not found.", rid, None))
}

fn invalid_page(rid: &str) -> Reply {
    Reply::json(404, error_body("not_found", "Invalid page.", rid, None))
}

fn method_not_allowed(method: &str, rid: &str) -> Reply {
    let shown: String = method
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(10)
        .collect();
    let msg = format!("Method \"{shown}\" not allowed.");
    Reply::json(405, error_body("method_not_allowed", &msg, rid, None))
}

/// Belvo's message for a resource the link's institution does not have.
const UNSUPPORTED: &str = "The institution does not support the requested operation";
/// Belvo's message for a link whose creation (MFA) is not complete.
const UNCONFIRMED: &str = "The link creation has not been completed yet";

// ------------------------------------------------------------------------------------------
// Query strings and pagination
// ------------------------------------------------------------------------------------------

/// A query string, decoded (`+` and `%XX`), in order.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Query {
        Query(
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .filter(|(k, _)| !k.is_empty())
                .collect(),
        )
    }

    /// The last value of `key` (as Django's `QueryDict.get`).
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `value` passes the filters `field` (exact) and `field__in` (comma list); an
    /// absent or empty filter lets everything pass. Ids compare case-insensitively.
    fn allows(&self, field: &str, value: Option<&str>, ci: bool) -> bool {
        let eq = |a: &str, b: &str| {
            if ci {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        if let Some(want) = self.get(field).filter(|w| !w.is_empty()) {
            if !value.is_some_and(|v| eq(v, want)) {
                return false;
            }
        }
        let key = format!("{field}__in");
        if let Some(list) = self.get(&key).filter(|w| !w.is_empty()) {
            if !value.is_some_and(|v| list.split(',').any(|w| eq(v, w.trim()))) {
                return false;
            }
        }
        true
    }

    /// `base + path` with this query, `page` replaced by `page` (or removed for `None`), the
    /// parameters sorted by name: DRF's `replace_query_param` / `remove_query_param`.
    fn page_url(&self, base: &str, path: &str, page: Option<usize>) -> String {
        let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in &self.0 {
            if k != "page" {
                grouped.entry(k.as_str()).or_default().push(v.as_str());
            }
        }
        let page_text = page.map(|n| n.to_string());
        if let Some(p) = &page_text {
            grouped.insert("page", std::vec![p.as_str()]);
        }
        let mut url = String::with_capacity(base.len() + path.len() + 64);
        url.push_str(base);
        url.push_str(path);
        let mut sep = '?';
        for (k, vs) in grouped {
            for v in vs {
                url.push(sep);
                sep = '&';
                push_form_encoded(&mut url, k);
                url.push('=');
                push_form_encoded(&mut url, v);
            }
        }
        url
    }
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space; a bad escape stays as is).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |j: usize| b.get(j).and_then(|h| char::from(*h).to_digit(16));
        match c {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    // Two hex digits make a byte.
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Appends `s` as Python's `quote_plus` does (what DRF's page links use).
fn push_form_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            for nib in [b >> 4, b & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nib)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

/// Which page: a number, or DRF's `last`.
enum PageNo {
    Number(usize),
    Last,
}

/// The page asked for and its size; `None` for a `page` that is no page ("Invalid page.").
fn page_spec(q: &Query) -> Option<(PageNo, usize)> {
    let size = q
        .get("page_size")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| *n >= 1)
        .map_or(PAGE_SIZE, |n| {
            usize::try_from(n).map_or(MAX_PAGE_SIZE, |n| n.min(MAX_PAGE_SIZE))
        });
    let page = match q.get("page").map(str::trim) {
        None => PageNo::Number(1),
        Some("last") => PageNo::Last,
        Some(v) => PageNo::Number(v.parse::<usize>().ok().filter(|n| *n >= 1)?),
    };
    Some((page, size))
}

/// One page of `count` items (their slice made by `fill`), with DRF's `next`/`previous` on
/// `base + path`.
fn page_reply(
    rid: &str,
    base: &str,
    path: &str,
    q: &Query,
    count: usize,
    fill: impl FnOnce(Range<usize>) -> Vec<Value>,
) -> Reply {
    let Some((page, size)) = page_spec(q) else {
        return invalid_page(rid);
    };
    let pages = count.div_ceil(size).max(1);
    let page = match page {
        PageNo::Number(n) => n,
        PageNo::Last => pages,
    };
    if page > pages {
        return invalid_page(rid);
    }
    let start = (page - 1).saturating_mul(size).min(count);
    let end = start.saturating_add(size).min(count);
    let body = Page {
        count: count as u64,
        next: (page < pages).then(|| q.page_url(base, path, Some(page + 1))),
        previous: (page > 1).then(|| q.page_url(base, path, (page > 2).then(|| page - 1))),
        results: fill(start..end),
    };
    Reply::json(200, serde_json::to_vec(&body).unwrap_or_default())
}

// ------------------------------------------------------------------------------------------
// Institutions
// ------------------------------------------------------------------------------------------

/// Belvo's institution object for `inst` (the fields of `../shared/belvo-api.md` §5).
fn institution_json(inst: &Institution) -> Value {
    let (id, display_name, website, color) = match inst.name {
        "imss_mx_employment" => (1, "IMSS", Some("https://www.imss.gob.mx"), "#13322B"),
        "issste_mx_employment" => (2, "ISSSTE", Some("https://www.gob.mx/issste"), "#9D2449"),
        "inss_br_employment" => (3, "INSS", Some("https://meu.inss.gov.br"), "#1351B4"),
        "planet_mx_employment" => (4, "Planet Employment (sandbox)", None, "#056DAE"),
        _ => (0, inst.name, None, "#000000"),
    };
    let country = match inst.country {
        Country::Mx => "MX",
        Country::Br => "BR",
    };
    let username = match inst.username {
        UsernameRule::Curp => json!({
            "name": "username", "type": "text", "label": "CURP",
            "validation": "^[A-Z]{4}\\d{6}[HMX][A-Z]{5}[A-Z\\d]\\d$",
            "placeholder": "ABCD000000HDFXXX00",
            "validation_message": "Invalid CURP",
        }),
        UsernameRule::SandboxCurp => json!({
            "name": "username", "type": "text", "label": "CURP",
            "validation": "^[A-Za-z0-9]{18}$",
            "placeholder": "BLPM951331IONVGR54",
            "validation_message": "Invalid CURP",
        }),
        UsernameRule::Cpf => json!({
            "name": "username", "type": "text", "label": "CPF",
            "validation": "^\\d{11}$",
            "placeholder": "00000000000",
            "validation_message": "Invalid CPF",
        }),
    };
    let mut form_fields = std::vec![username];
    if inst.needs_password {
        form_fields.push(json!({
            "name": "password", "type": "password", "label": "Senha",
            "validation": "^.{1,}$", "placeholder": "",
            "validation_message": "Invalid password",
        }));
    }
    let features = if inst.country == Country::Br {
        json!([{
            "name": "token_required",
            "description": "A MFA token is required by the institution to login",
        }])
    } else {
        json!([])
    };
    json!({
        "id": id,
        "name": inst.name,
        "type": "employment",
        "code": null,
        "website": website,
        "display_name": display_name,
        "country_code": country,
        "country_codes": [country],
        "primary_color": color,
        "logo": null,
        "icon_logo": null,
        "text_logo": null,
        "form_fields": form_fields,
        "features": features,
        "resources": inst.supported_resources,
        "integration_type": "credentials",
        "status": "healthy",
        "openbanking_information": null,
    })
}

/// Every institution, by id.
fn institutions() -> Vec<Value> {
    let mut all: Vec<Value> = institution::INSTITUTIONS
        .iter()
        .map(institution_json)
        .collect();
    all.sort_by_key(|v| v["id"].as_u64().unwrap_or(0));
    all
}

// ------------------------------------------------------------------------------------------
// Handlers
// ------------------------------------------------------------------------------------------

impl Emulator {
    /// Routes an authenticated request. `base` is where the API was reached (no trailing `/`).
    pub(super) fn dispatch(&mut self, req: &Request<'_>, base: &str, now: u64, rid: &str) -> Reply {
        let Some(path) = ApiPath::parse(req.path) else {
            return not_found(rid);
        };
        match (req.method, path) {
            ("GET", ApiPath::Root) => api_root(base),
            ("POST", ApiPath::Links) => self.create_link(req.body, now, rid),
            ("PATCH", ApiPath::Links) => self.patch_link(req.body, now, rid),
            ("GET", ApiPath::Links) => self.list_links(req.query, base, rid),
            ("GET", ApiPath::Link(id)) => match self.links.get(&id.to_ascii_lowercase()) {
                Some(l) => Reply::json(200, serde_json::to_vec(&l.link).unwrap_or_default()),
                None => not_found(rid),
            },
            ("PATCH", ApiPath::Link(id)) => self.modify_link(id, req.body, rid),
            ("DELETE", ApiPath::Link(id)) => {
                if self.remove_link(&id.to_ascii_lowercase()) {
                    // DRF sends a 204 without body and without Content-Type.
                    Reply {
                        status: 204,
                        content_type: "",
                        body: Vec::new(),
                        delay_ms: 0,
                        webhooks: Vec::new(),
                    }
                } else {
                    not_found(rid)
                }
            }
            ("GET", ApiPath::Data(r)) => self.list_data(r, req.query, base, now, rid),
            ("POST", ApiPath::Data(r)) => self.retrieve(r, req.body, now, rid),
            ("GET", ApiPath::Institutions) => {
                let q = Query::parse(req.query);
                let all: Vec<Value> = institutions()
                    .into_iter()
                    .filter(|v| {
                        let s = |k: &str| v[k].as_str();
                        ["name", "country_code", "type", "status", "display_name"]
                            .iter()
                            .all(|k| q.allows(k, s(k), false))
                    })
                    .collect();
                let n = all.len();
                page_reply(rid, base, "/api/institutions/", &q, n, |r| {
                    all.get(r).map(<[Value]>::to_vec).unwrap_or_default()
                })
            }
            ("GET", ApiPath::Institution(id)) => institutions()
                .into_iter()
                .find(|v| v["id"].as_u64().is_some_and(|n| n.to_string() == id))
                .map_or_else(
                    || not_found(rid),
                    |v| Reply::json(200, serde_json::to_vec(&v).unwrap_or_default()),
                ),
            (m, _) => method_not_allowed(m, rid),
        }
    }

    /// `GET /api/links/`: every link (oldest first), filtered as Belvo documents.
    fn list_links(&self, query: &str, base: &str, rid: &str) -> Reply {
        let q = Query::parse(query);
        let found: Vec<Value> = self
            .order
            .iter()
            .filter_map(|id| self.links.get(id))
            .map(|l| &l.link)
            .filter(|l| {
                q.allows("id", Some(&l.id), true)
                    && q.allows("institution", l.institution.as_deref(), false)
                    && q.allows("external_id", l.external_id.as_deref(), false)
                    && q.allows("access_mode", l.access_mode.as_deref(), false)
                    && q.allows("status", l.status.as_deref(), false)
                    && q.allows("refresh_rate", l.refresh_rate.as_deref(), false)
                    && q.allows(
                        "institution_user_id",
                        l.institution_user_id.as_deref(),
                        false,
                    )
            })
            .filter_map(|l| serde_json::to_value(l).ok())
            .collect();
        page_reply(rid, base, "/api/links/", &q, found.len(), |r| {
            found.get(r).map(<[Value]>::to_vec).unwrap_or_default()
        })
    }

    /// `PATCH /api/links/{id}/`: changes `access_mode` and/or `fetch_resources`.
    fn modify_link(&mut self, id: &str, body: &[u8], rid: &str) -> Reply {
        let id = id.to_ascii_lowercase();
        let Some(l) = self.links.get(&id) else {
            return not_found(rid);
        };
        let m = match object_body(body, rid) {
            Ok(m) => m,
            Err(reply) => return reply,
        };
        let access_mode = match m.get("access_mode") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s == "single" || s == "recurrent" => Some(s.clone()),
            Some(_) => {
                return bad_request(
                    rid,
                    "invalid_choice",
                    "Not a valid choice.",
                    Some("access_mode"),
                )
            }
        };
        let fetch = match m.get("fetch_resources") {
            None | Some(Value::Null) => None,
            Some(v) => match fetch_resources_of(l.institution, v, rid) {
                Ok(list) => Some(list),
                Err(reply) => return reply,
            },
        };
        if !l.valid {
            return bad_request(rid, "unconfirmed_link", UNCONFIRMED, None);
        }
        let to_recurrent = access_mode.as_deref() == Some("recurrent")
            && l.link.access_mode.as_deref() != Some("recurrent");
        if to_recurrent && l.link.credentials_storage.as_deref() == Some("nostore") {
            return bad_request(
                rid,
                "invalid_access_mode_switch",
                "The access mode cannot be changed: the link's credentials are not stored",
                None,
            );
        }
        let Some(l) = self.links.get_mut(&id) else {
            return not_found(rid);
        };
        if let Some(mode) = access_mode {
            if mode == "recurrent" {
                l.link.refresh_rate = Some("7d".to_owned());
                // Recurrent links must store the credentials.
                l.link.credentials_storage = Some("store".to_owned());
            } else {
                l.link.refresh_rate = None;
            }
            l.link.access_mode = Some(mode);
        }
        if let Some(list) = fetch {
            l.link.fetch_resources = list;
        }
        Reply::json(200, serde_json::to_vec(&l.link).unwrap_or_default())
    }

    /// `GET` of a data resource: every ready item of the links the `link` / `link__in` filters
    /// select (all links without them), oldest link first. Only the links on the page asked
    /// for are materialised; the others are counted.
    fn list_data(&mut self, res: Resource, query: &str, base: &str, now: u64, rid: &str) -> Reply {
        let q = Query::parse(query);
        if let Some(l) = q
            .get("link")
            .and_then(|id| self.links.get_mut(&id.to_ascii_lowercase()))
        {
            if core::mem::take(&mut l.data_error_pending) {
                let body = error_body(
                    "unexpected_error",
                    super::scenarios::UNEXPECTED_ERROR,
                    rid,
                    None,
                );
                return Reply::json(500, body);
            }
        }
        let spans: Vec<(&str, usize)> = self
            .order
            .iter()
            .filter(|id| q.allows("link", Some(id), true))
            .filter_map(|id| {
                let l = self.links.get(id)?;
                if !(l.valid && now >= l.ready_ms && res.served_by(l.institution)) {
                    return None;
                }
                let n = data::count(res.name(), &Self::link_data(l, id));
                Some((id.as_str(), usize::try_from(n).unwrap_or(0)))
            })
            .collect();
        let count = spans.iter().map(|(_, n)| n).sum();
        page_reply(rid, base, res.path(), &q, count, |range| {
            let mut out = Vec::with_capacity(range.len());
            let mut lo = 0usize;
            for (id, n) in &spans {
                let hi = lo.saturating_add(*n);
                if hi > range.start && lo < range.end {
                    if let Some(l) = self.links.get(*id) {
                        let from = range.start.saturating_sub(lo);
                        let to = range.end.saturating_sub(lo).min(*n);
                        let items = res.items(&Self::link_data(l, id));
                        out.extend(items.into_iter().skip(from).take(to.saturating_sub(from)));
                    }
                }
                lo = hi;
            }
            out
        })
    }

    /// `POST` of a data resource (the retrieve form): `{link, save_data?, …}` → the link's items
    /// now, `201` (`200` with `save_data: false`); employment metrics answer one object.
    fn retrieve(&mut self, res: Resource, body: &[u8], now: u64, rid: &str) -> Reply {
        let m = match object_body(body, rid) {
            Ok(m) => m,
            Err(reply) => return reply,
        };
        let id = match m.get("link") {
            None => return bad_request(rid, "required", "This field is required.", Some("link")),
            Some(Value::Null) => {
                return bad_request(rid, "null", "This field may not be null.", Some("link"))
            }
            Some(Value::String(s)) if is_uuid(s) => s.to_ascii_lowercase(),
            Some(_) => return bad_request(rid, "invalid", "Must be a valid UUID.", Some("link")),
        };
        let save_data = m.get("save_data").and_then(Value::as_bool).unwrap_or(true);
        let reference_date = match m.get("reference_date") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if res == Resource::EmploymentMetrics && is_date(s) => {
                Some(s.clone())
            }
            Some(_) if res != Resource::EmploymentMetrics => None,
            Some(_) => {
                return bad_request(
                    rid,
                    "invalid",
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                    Some("reference_date"),
                )
            }
        };
        let Some(l) = self.links.get_mut(&id) else {
            let msg = format!("Invalid pk \"{id}\" - object does not exist.");
            return bad_request(rid, "does_not_exist", &msg, Some("link"));
        };
        if !l.valid {
            return bad_request(rid, "unconfirmed_link", UNCONFIRMED, None);
        }
        if !res.served_by(l.institution) {
            return bad_request(rid, "unsupported_operation", UNSUPPORTED, None);
        }
        if core::mem::take(&mut l.data_error_pending) {
            let msg = super::scenarios::UNEXPECTED_ERROR;
            return Reply::json(500, error_body("unexpected_error", msg, rid, None));
        }
        // Retrieved now; saved data is what the lists serve from now on.
        if save_data {
            l.ready_ms = l.ready_ms.min(now);
        }
        let mut d = Self::link_data(l, &id);
        d.collected_ms = now;
        let mut items = res.items(&d);
        let status = if save_data { 201 } else { 200 };
        if res == Resource::EmploymentMetrics {
            let mut one = items.drain(..).next().unwrap_or(Value::Null);
            if let (Some(date), Value::Object(o)) = (reference_date, &mut one) {
                o.insert("reference_date".into(), date.into());
            }
            return Reply::json(status, serde_json::to_vec(&one).unwrap_or_default());
        }
        Reply::json(status, serde_json::to_vec(&items).unwrap_or_default())
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && num(0..4).is_some()
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|d| (1..=31).contains(&d))
}

/// `GET /api/`: the endpoints, as absolute URLs on `base` (the shape of DRF's API root);
/// reached only with good keys, which is all the SDKs' login looks at.
fn api_root(base: &str) -> Reply {
    let mut m = Map::new();
    for (name, path) in [
        ("links", "/api/links/"),
        ("institutions", "/api/institutions/"),
        ("employment-records", "/api/employment-records/"),
        ("br/employments", "/api/br/employments/"),
        ("owners", "/api/owners/"),
        ("employment-metrics", "/api/employment-metrics/"),
    ] {
        m.insert(name.into(), format!("{base}{path}").into());
    }
    Reply::json(200, serde_json::to_vec(&m).unwrap_or_default())
}
