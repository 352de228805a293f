//! Belvo's JSON shapes (serde), parsed leniently.
//!
//! Every type here implements serde's traits, for `serde_json` (native, proxy, emulator).
//! The browser build links no serde code: the flow reads the shapes it needs with the
//! hand-written readers of [`read`](super::read), which apply the same rules.
//!
//! Leniency rules, applied to every response type:
//! * unknown fields are ignored (no `deny_unknown_fields` anywhere);
//! * missing fields take their default, and `null` is the same as missing;
//! * a string where a number is expected (e.g. the 428 `expiry: "120"`) is parsed; a number
//!   where a string is expected is formatted; a value of the wrong kind becomes `None`.
//!
//! Request types ([`LinkRequest`], [`PatchLinkRequest`]) carry credentials: their `Debug`
//! output redacts the username, password and token, and [`LinkRequest::to_json`] /
//! [`PatchLinkRequest::to_json`] build the body without serde_json.

use core::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// One element of Belvo's error array: `[{code, message, request_id, field?}]`.
///
/// This is the shape Belvo answers with for every JSON error (and the shape the proxy uses for
/// its own errors). `code`/`message` are empty strings when Belvo sends `null` or omits them
/// (its `blank` example answers with `"code": null`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// Machine code, e.g. `login_error`, `token_required`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    /// Human message (may be Spanish/Portuguese when it comes from the institution).
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: String,
    /// Belvo's request id (32 hex), to quote to Belvo support.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub request_id: Option<String>,
    /// The request field at fault, when Belvo names one.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub field: Option<String>,
}

impl ErrorItem {
    /// An error item with a code and message and no request id or field.
    pub fn new(code: &str, message: &str) -> Self {
        ErrorItem {
            code: code.into(),
            message: message.into(),
            request_id: None,
            field: None,
        }
    }
}

/// A raw element of an error answer: the [`ErrorItem`] fields plus every extra key Belvo is
/// known to add (the 428 challenge keys, the legacy `detail`, `institution_user_id` on
/// `duplicated`). Deserialize-only; use [`ErrorEntry::item`] and [`ErrorEntry::challenge`].
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorEntry {
    /// See [`ErrorItem::code`]. `None` when absent or null.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// See [`ErrorItem::message`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// See [`ErrorItem::request_id`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub request_id: Option<String>,
    /// See [`ErrorItem::field`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub field: Option<String>,
    /// Django-REST-framework style message (legacy 428 `{"detail":"Token Required", …}`,
    /// `{"detail":"Not found."}`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub detail: Option<String>,
    /// 428: the MFA session to resume.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub session: Option<String>,
    /// 428: seconds the user has to answer (number or numeric string).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub expiry: Option<u64>,
    /// 428: the link id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub link: Option<String>,
    /// 428: how the token is generated (may be absent).
    #[serde(default)]
    pub token_generation_data: Option<TokenGenerationData>,
    /// `duplicated`: the existing link's institution user id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub institution_user_id: Option<String>,
    /// Seconds until a retry makes sense, when the answer says so (not a Belvo field; the
    /// proxy's attempt guard may add it — the `Retry-After` header is preferred).
    #[serde(
        default,
        alias = "retry_after_seconds",
        deserialize_with = "lenient::opt_u64"
    )]
    pub retry_after: Option<u64>,
}

impl fmt::Debug for ErrorEntry {
    // Session ids are bearer-like: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorEntry")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("field", &self.field)
            .field("detail", &self.detail)
            .field("session", &self.session.as_ref().map(|_| Redacted))
            .field("expiry", &self.expiry)
            .field("link", &self.link)
            .field("token_generation_data", &self.token_generation_data)
            .finish()
    }
}

impl ErrorEntry {
    /// The code, falling back to `""` (absent or null).
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// The message, falling back to `detail`, then `""`.
    pub fn message(&self) -> &str {
        self.message
            .as_deref()
            .or(self.detail.as_deref())
            .unwrap_or("")
    }

    /// The plain [`ErrorItem`] view.
    pub fn item(&self) -> ErrorItem {
        ErrorItem {
            code: self.code().into(),
            message: self.message().into(),
            request_id: self.request_id.clone(),
            field: self.field.clone(),
        }
    }

    /// Whether this entry is an MFA challenge: `code == "token_required"`, or no code but a
    /// `session` (the legacy `{detail, session, expiry, link}` shape).
    pub fn is_token_required(&self) -> bool {
        match self.code.as_deref() {
            Some("token_required") => true,
            Some(c) if !c.is_empty() => false,
            _ => self.session.as_deref().is_some_and(|s| !s.is_empty()),
        }
    }

    /// The MFA challenge, when [`is_token_required`](Self::is_token_required) and a non-empty
    /// `session` is present.
    pub fn challenge(&self) -> Option<TokenChallenge> {
        if !self.is_token_required() {
            return None;
        }
        let session = self.session.clone().filter(|s| !s.is_empty())?;
        Some(TokenChallenge {
            session,
            expiry: self.expiry,
            link: self.link.clone().filter(|l| !l.is_empty()),
            token_generation_data: self.token_generation_data.clone(),
            request_id: self.request_id.clone(),
            message: self.message().into(),
        })
    }
}

/// An error answer: Belvo's array of [`ErrorEntry`], also accepted as a single object (legacy
/// 428, DRF `{"detail": …}`) or a bare string. An empty array stays empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody(pub Vec<ErrorEntry>);

impl ErrorBody {
    /// The first entry (Belvo puts the relevant error first).
    pub fn first(&self) -> Option<&ErrorEntry> {
        self.0.first()
    }

    /// The first MFA challenge in the body, if any.
    pub fn challenge(&self) -> Option<TokenChallenge> {
        self.0.iter().find_map(ErrorEntry::challenge)
    }
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorBody;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error array, an error object or a string")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorBody, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = seq.next_element::<LenientEntry>()? {
                    v.push(e.0);
                }
                Ok(ErrorBody(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ErrorBody, A::Error> {
                let e = ErrorEntry::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(ErrorBody(std::vec![e]))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ErrorBody, E> {
                Ok(ErrorBody(std::vec![ErrorEntry {
                    message: Some(s.into()),
                    ..ErrorEntry::default()
                }]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<ErrorBody, E> {
                Ok(ErrorBody::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// An array element that may be an object or a string (anything else is an empty entry).
struct LenientEntry(ErrorEntry);

impl<'de> Deserialize<'de> for LenientEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LenientEntry, A::Error> {
                ErrorEntry::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(LenientEntry)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry {
                    message: Some(s.into()),
                    ..ErrorEntry::default()
                }))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LenientEntry, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_none<E: de::Error>(self) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientEntry, E> {
                Ok(LenientEntry(ErrorEntry::default()))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// MFA challenge (428)
// ---------------------------------------------------------------------------------------------

/// `token_generation_data` of a 428: how the person obtains the token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGenerationData {
    /// Text to show the person.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub instructions: Option<String>,
    /// `inputless`, `numeric`, `qr` or `text` (other values are kept as-is).
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The challenge to display (numeric code, QR payload…), if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    /// Whether the person types a token (absent = `true`). Also read from the
    /// `expect_user_input` spelling.
    #[serde(
        default,
        alias = "expect_user_input",
        deserialize_with = "lenient::opt_bool"
    )]
    pub expects_user_input: Option<bool>,
}

/// A parsed 428 `token_required` answer (current array shape, array without
/// `token_generation_data`, or the legacy `{detail, session, expiry, link}` object).
#[derive(Clone, PartialEq, Eq)]
pub struct TokenChallenge {
    /// MFA session id (32 hex) to send back in the PATCH. Redacted from `Debug`.
    pub session: String,
    /// Seconds the person has to answer, when given.
    pub expiry: Option<u64>,
    /// The link being created, when given.
    pub link: Option<String>,
    /// How the token is generated, when given.
    pub token_generation_data: Option<TokenGenerationData>,
    /// Belvo's request id.
    pub request_id: Option<String>,
    /// Belvo's message (or legacy `detail`).
    pub message: String,
}

impl fmt::Debug for TokenChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenChallenge")
            .field("session", &Redacted)
            .field("expiry", &self.expiry)
            .field("link", &self.link)
            .field("token_generation_data", &self.token_generation_data)
            .field("request_id", &self.request_id)
            .field("message", &self.message)
            .finish()
    }
}

impl TokenChallenge {
    /// `expects_user_input`, defaulting to `true` (Belvo's documented default).
    pub fn expects_user_input(&self) -> bool {
        self.token_generation_data
            .as_ref()
            .and_then(|t| t.expects_user_input)
            .unwrap_or(true)
    }

    /// The challenge type, defaulting to `"numeric"` when Belvo gives none.
    pub fn kind(&self) -> &str {
        self.token_generation_data
            .as_ref()
            .and_then(|t| t.kind.as_deref())
            .unwrap_or("numeric")
    }
}

// ---------------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------------

/// `POST /api/links/` body (the fields this package uses). `Debug` redacts credentials.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequest {
    /// Belvo institution name, e.g. `imss_mx_employment`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub institution: String,
    /// CURP (MX) or CPF (BR), normalised.
    #[serde(default, deserialize_with = "lenient::string")]
    pub username: String,
    /// Password (INSS); never for IMSS/ISSSTE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Second username (MX employment: e-mail), rarely used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username2: Option<String>,
    /// `single` or `recurrent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<String>,
    /// Resources Belvo fetches asynchronously (historical_update webhooks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fetch_resources: Vec<String>,
    /// `store`, `nostore` or `Nd`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_storage: Option<String>,
    /// The integrator's own id (≥ 3 chars of `[A-Za-z0-9_-]`, no PII).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// MFA token at creation (Belvo recommends letting the 428 flow drive it instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl fmt::Debug for LinkRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkRequest")
            .field("institution", &self.institution)
            .field("username", &Redacted)
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field("username2", &self.username2.as_ref().map(|_| Redacted))
            .field("access_mode", &self.access_mode)
            .field("fetch_resources", &self.fetch_resources)
            .field("credentials_storage", &self.credentials_storage)
            .field("external_id", &self.external_id)
            .field("token", &self.token.as_ref().map(|_| Redacted))
            .finish()
    }
}

impl LinkRequest {
    /// The JSON body, written by hand (no serde_json), keys in Belvo's documented order.
    pub fn to_json(&self) -> String {
        let mut w = JsonObject::new();
        w.str("institution", &self.institution);
        w.str("username", &self.username);
        if let Some(p) = &self.password {
            w.str("password", p);
        }
        if let Some(u) = &self.username2 {
            w.str("username2", u);
        }
        if let Some(a) = &self.access_mode {
            w.str("access_mode", a);
        }
        if !self.fetch_resources.is_empty() {
            w.str_array(
                "fetch_resources",
                self.fetch_resources.iter().map(String::as_str),
            );
        }
        if let Some(c) = &self.credentials_storage {
            w.str("credentials_storage", c);
        }
        if let Some(e) = &self.external_id {
            w.str("external_id", e);
        }
        if let Some(t) = &self.token {
            w.str("token", t);
        }
        w.finish()
    }
}

/// `PATCH /api/links/` body: resume an MFA session. `Debug` redacts the session and token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchLinkRequest {
    /// The link id from the 428.
    #[serde(default, deserialize_with = "lenient::string")]
    pub link: String,
    /// The session id from the 428.
    #[serde(default, deserialize_with = "lenient::string")]
    pub session: String,
    /// The MFA token (optional for inputless flows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl fmt::Debug for PatchLinkRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatchLinkRequest")
            .field("link", &self.link)
            .field("session", &Redacted)
            .field("token", &self.token.as_ref().map(|_| Redacted))
            .finish()
    }
}

impl PatchLinkRequest {
    /// The JSON body `{"link":…,"session":…,"token":…}`, written by hand.
    pub fn to_json(&self) -> String {
        let mut w = JsonObject::new();
        w.str("link", &self.link);
        w.str("session", &self.session);
        if let Some(t) = &self.token {
            w.str("token", t);
        }
        w.finish()
    }
}

/// Belvo's link object (201 of `POST /api/links/`, 200 of `PATCH`, `GET /api/links/{id}/`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Link id (uuid). Empty when Belvo omitted it (the flow treats that as unparseable).
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
    /// Institution name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub institution: Option<String>,
    /// `single` or `recurrent`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub access_mode: Option<String>,
    /// `valid`, `invalid`, `unconfirmed`, `token_required`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// Refresh rate (`null` for single links).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub refresh_rate: Option<String>,
    /// Belvo user that created the link.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_by: Option<String>,
    /// Last successful access (ISO-8601).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub last_accessed_at: Option<String>,
    /// Creation time (ISO-8601).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    /// The integrator's id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    /// Stable id of the person at the institution (44 chars).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub institution_user_id: Option<String>,
    /// `store`, `nostore`, `Nd`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub credentials_storage: Option<String>,
    /// Data retention.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub stale_in: Option<String>,
    /// Resources fetched asynchronously.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub fetch_resources: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// A paginated list: `{count, next, previous, results}`. `next`/`previous` are absolute
/// Belvo URLs or `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// Total number of matches (all pages).
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub count: u64,
    /// URL of the next page.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub next: Option<String>,
    /// URL of the previous page.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub previous: Option<String>,
    /// This page's items: an array is required (a page without one is no page, rather than
    /// "no data").
    pub results: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            count: 0,
            next: None,
            previous: None,
            results: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Employment data
// ---------------------------------------------------------------------------------------------

/// MX employment record (`/api/employment-records/`): one per person and institution.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmploymentRecord {
    /// Record id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// Link id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub link: Option<String>,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    /// Collection time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub collected_at: Option<String>,
    /// Report date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub report_date: Option<String>,
    /// The CURP for IMSS/ISSSTE.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub internal_identification: Option<String>,
    /// Personal data.
    #[serde(default)]
    pub personal_data: Option<PersonalData>,
    /// Weeks summary (null for ISSSTE).
    #[serde(default)]
    pub social_security_summary: Option<SocialSecuritySummary>,
    /// One entry per employment.
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub employment_records: Vec<EmploymentEntry>,
    /// IMSS employment scores.
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub employment_scores: Vec<EmploymentScore>,
    /// Attached files (e.g. the weeks report PDF).
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub files: Vec<EmploymentFile>,
}

/// `personal_data` of an [`EmploymentRecord`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    /// Full official name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub official_name: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub last_name: Option<String>,
    /// Birth date (YYYY-MM-DD).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub birth_date: Option<String>,
    /// E-mail.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Social-security entitlements.
    #[serde(default)]
    pub entitlements: Option<Entitlements>,
    /// Identity documents (NSS, CURP, RFC).
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub document_ids: Vec<DocumentId>,
}

/// Social-security entitlements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlements {
    /// Entitled to health insurance.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub entitled_to_health_insurance: Option<bool>,
    /// Entitled to company benefits.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub entitled_to_company_benefits: Option<bool>,
    /// Valid until (null = currently working).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub valid_until: Option<String>,
    /// `EMPLOYED`, `UNEMPLOYED`, `RETIRED`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
}

/// An identity document (`document_type` + `document_number`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentId {
    /// `NSS`, `CURP`, `RFC`, `CPF`, `CNPJ`, …
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub document_type: Option<String>,
    /// The number.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub document_number: Option<String>,
}

/// IMSS weeks summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialSecuritySummary {
    /// Weeks redeemed.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub weeks_redeemed: Option<i64>,
    /// Weeks reinstated.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub weeks_reinstated: Option<i64>,
    /// Weeks contributed.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub weeks_contributed: Option<i64>,
}

/// One employment inside an [`EmploymentRecord`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmploymentEntry {
    /// Collection time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub collected_at: Option<String>,
    /// Employer name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub employer: Option<String>,
    /// IMSS registro patronal (null for ISSSTE).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub employer_id: Option<String>,
    /// Start date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub start_date: Option<String>,
    /// End date (null = current job).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// Weeks employed.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub weeks_employed: Option<i64>,
    /// Mexican state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// Most recent base salary (IMSS: daily).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub most_recent_base_salary: Option<f64>,
    /// Monthly salary.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub monthly_salary: Option<f64>,
    /// Currency (`MXN`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Hires, dismissals, salary modifications.
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub employment_status_updates: Vec<EmploymentStatusUpdate>,
}

/// A salary/status event of an [`EmploymentEntry`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmploymentStatusUpdate {
    /// `HIRED`, `SALARY_MODIFICATION`, `DISMISSED_RESIGNED`, …
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub event: Option<String>,
    /// Base salary after the event.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub base_salary: Option<f64>,
    /// Date of the event.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub update_date: Option<String>,
}

/// IMSS employment score.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentScore {
    /// 300–900.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub score: Option<i64>,
    /// Months (3, 6, 12).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub period: Option<i64>,
    /// Model version.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub version: Option<String>,
}

/// A file attached to an [`EmploymentRecord`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentFile {
    /// File type, e.g. `ReporteSemanasCotizadas_190123`.
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// Content (PDF as string; null in sandbox).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
}

/// MX employment metrics (`/api/employment-metrics/`, IMSS only).
#[allow(missing_docs)] // field names are Belvo's; see belvo-api.md §4.2
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmploymentMetrics {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub link: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub collected_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub updated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub reference_date: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub age: Option<i64>,
    /// `EMPLOYED`, `RETIRED`, `UNEMPLOYED`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub current_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub current_employer_count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub base_salary_last: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub weeks_employed_last_job: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub weeks_since_last_job: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub weeks_employed_total: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub weeks_with_multiple_employers: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub employer_count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub unique_employer_count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub employers_per_year: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub weeks_between_jobs: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub max_weeks_between_jobs: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_last_job: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_last_job: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_after_change: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_after_change: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_overall: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_overall: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_1y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_3y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub increases_5y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_1y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_3y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub decreases_5y: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub yearly_change_1y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub yearly_change_3y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub yearly_change_5y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub min_monthly_salary_1y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub min_monthly_salary_3y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub min_monthly_salary_5y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub average_monthly_salary_1y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub average_monthly_salary_3y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub average_monthly_salary_5y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub max_monthly_salary_1y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub max_monthly_salary_3y: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub max_monthly_salary_5y: Option<f64>,
}

/// BR employment (`/api/br/employments/`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Employment {
    /// Employment id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// Link id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub link: Option<String>,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    /// Collection time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub collected_at: Option<String>,
    /// Start date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub start_date: Option<String>,
    /// End date (null = still employed).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// Employer.
    #[serde(default)]
    pub employer_data: Option<EmployerData>,
    /// Occupations held.
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub occupations: Vec<Occupation>,
    /// Monthly salaries.
    #[serde(default, deserialize_with = "lenient::nullable_vec")]
    pub salaries: Vec<Salary>,
}

/// Employer of a BR [`Employment`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerData {
    /// Employer name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The institution's code for the employer (presumably the CNPJ).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// CNAE code.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub economic_activity: Option<String>,
}

/// An occupation of a BR [`Employment`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupation {
    /// Start date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub start_date: Option<String>,
    /// End date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// CBO description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// `Urbana` or `Rural`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub locale: Option<String>,
}

/// A monthly salary of a BR [`Employment`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    /// Gross amount.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub base_amount: Option<f64>,
    /// INSS deduction.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub retained_amount: Option<f64>,
    /// `YYYY-MM`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub month: Option<String>,
    /// ISO-4217 currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
}

/// Owner (`/api/owners/`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Owner id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// Link id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub link: Option<String>,
    /// Institution's identifier for the person.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub internal_identification: Option<String>,
    /// Collection time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub collected_at: Option<String>,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    /// E-mail.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone_number: Option<String>,
    /// Address.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub address: Option<String>,
    /// Identity document.
    #[serde(default)]
    pub document_id: Option<DocumentId>,
    /// Deprecated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub first_name: Option<String>,
    /// Deprecated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub last_name: Option<String>,
    /// Deprecated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub second_last_name: Option<String>,
    /// Deprecated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub business_name: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/// A Belvo aggregation webhook (`historical_update` etc.).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// Unique id (dedupe on it).
    #[serde(default, deserialize_with = "lenient::string")]
    pub webhook_id: String,
    /// `EMPLOYMENT_RECORDS`, `EMPLOYMENTS`, `OWNERS`, `EMPLOYMENT_METRICS`, `LINK`, …
    #[serde(default, deserialize_with = "lenient::string")]
    pub webhook_type: String,
    /// `historical_update`, `new_owners_available`, `invalid_credentials`, …
    #[serde(default, deserialize_with = "lenient::string")]
    pub webhook_code: String,
    /// `historical_update` or `recurrent_update` (absent in older payloads).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub process_type: Option<String>,
    /// Link id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub link_id: String,
    /// Request id (dashed uuid here).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub request_id: Option<String>,
    /// The integrator's external id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    /// Payload.
    #[serde(default)]
    pub data: WebhookData,
}

impl WebhookEvent {
    /// The resource count this event announces, if it is a count-carrying event: the
    /// `total_*` field matching `webhook_type` (or any `total_*` field).
    pub fn total(&self) -> Option<u64> {
        let d = &self.data;
        match self.webhook_type.as_str() {
            "EMPLOYMENT_RECORDS" => d.total_employment_record_profiles,
            "EMPLOYMENTS" => d.total_employments,
            "OWNERS" => d.total_owners,
            "EMPLOYMENT_METRICS" => d.total_employment_metrics,
            _ => None,
        }
        .or(d.total_employment_record_profiles)
        .or(d.total_employments)
        .or(d.total_owners)
        .or(d.total_employment_metrics)
    }
}

/// `data` of a [`WebhookEvent`]: the union of the documented keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookData {
    /// `EMPLOYMENT_RECORDS` count.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_employment_record_profiles: Option<u64>,
    /// `EMPLOYMENTS` count.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_employments: Option<u64>,
    /// `OWNERS` count.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_owners: Option<u64>,
    /// `EMPLOYMENT_METRICS` count.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_employment_metrics: Option<u64>,
    /// `LINK` events: error code.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<String>,
    /// `LINK` events: error message.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_message: Option<String>,
    /// `LINK` events: HTTP status.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<u64>,
}

/// The proxy's answer to `GET /links/{id}/events`: `{"link_id": …, "events": [WebhookEvent…]}`.
/// Also accepted: a bare array of events, or `{"results": […]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LinkEvents {
    /// The link.
    pub link_id: Option<String>,
    /// Events received so far, oldest first.
    pub events: Vec<WebhookEvent>,
}

impl<'de> Deserialize<'de> for LinkEvents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Obj {
            #[serde(default, deserialize_with = "lenient::opt_string")]
            link_id: Option<String>,
            #[serde(default, deserialize_with = "lenient::nullable_vec")]
            events: Vec<WebhookEvent>,
            #[serde(default, deserialize_with = "lenient::nullable_vec")]
            results: Vec<WebhookEvent>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LinkEvents;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an events object or array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<LinkEvents, A::Error> {
                let events =
                    Vec::<WebhookEvent>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(LinkEvents {
                    link_id: None,
                    events,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LinkEvents, A::Error> {
                let mut o = Obj::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if o.events.is_empty() {
                    o.events = o.results;
                }
                Ok(LinkEvents {
                    link_id: o.link_id,
                    events: o.events,
                })
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Deserializes `T` only from a JSON object (serde's derived structs also accept arrays,
/// which would turn `[1, 2]` into a "page").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(V(core::marker::PhantomData))
    }
}

/// Placeholder printed by the redacting `Debug` impls.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A minimal JSON object writer (strings and string arrays only), so request bodies need no
/// serde_json in the browser build.
#[derive(Debug, Default)]
pub struct JsonObject {
    buf: String,
}

impl JsonObject {
    /// Starts `{`.
    pub fn new() -> Self {
        let mut buf = String::with_capacity(128);
        buf.push('{');
        JsonObject { buf }
    }

    fn key(&mut self, k: &str) {
        if self.buf.len() > 1 {
            self.buf.push(',');
        }
        push_json_string(&mut self.buf, k);
        self.buf.push(':');
    }

    /// Adds `"k":"v"`.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        push_json_string(&mut self.buf, v);
        self
    }

    /// Adds `"k":["a","b"]`.
    pub fn str_array<'a>(&mut self, k: &str, vs: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.key(k);
        self.buf.push('[');
        for (i, v) in vs.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            push_json_string(&mut self.buf, v);
        }
        self.buf.push(']');
        self
    }

    /// Adds `"k":n`.
    pub fn uint(&mut self, k: &str, n: u64) -> &mut Self {
        use core::fmt::Write;
        self.key(k);
        let _ = write!(self.buf, "{n}");
        self
    }

    /// Adds `"k":true|false`.
    pub fn bool(&mut self, k: &str, b: bool) -> &mut Self {
        self.key(k);
        self.buf.push_str(if b { "true" } else { "false" });
        self
    }

    /// Closes the object and returns the text.
    pub fn finish(mut self) -> String {
        self.buf.push('}');
        self.buf
    }
}

/// Appends `s` as a JSON string literal (RFC 8259 escaping).
pub fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12u32, 8, 4, 0] {
                    let nib = ((n >> shift) & 0xf) as usize;
                    out.push(char::from(HEX.get(nib).copied().unwrap_or(b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Lenient field deserializers (see the module docs). Public so the proxy/emulator can reuse
/// them in their own types.
pub mod lenient {
    use core::fmt;
    use std::string::{String, ToString};
    use std::vec::Vec;

    use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    struct StrV;

    impl<'de> Visitor<'de> for StrV {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.into()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(if v { "true" } else { "false" }.into()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // Whole numbers only: formatting arbitrary floats would pull float-printing code
            // into the browser build for a case Belvo never produces.
            Ok(crate::float::is_small_whole(v).then(|| (v as i64).to_string()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    /// Number-ish visitor: numbers, numeric strings; anything else is `None`.
    struct NumV;

    impl<'de> Visitor<'de> for NumV {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(v.is_finite().then_some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(parse_number(v).map(|n| n.value))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    /// A number read from a string without the standard float parser (which is large in
    /// wasm): `[+-]digits[.digits][(e|E)[+-]digits]`.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Number {
        /// The value (correctly rounded when digits and power of ten are exact in `f64`).
        pub value: f64,
        /// `(negative, magnitude)` when the text is a whole number that fits `u64`.
        pub whole: Option<(bool, u64)>,
    }

    /// Parses `text` (trimmed) as a number; `None` when it is not one.
    pub fn parse_number(text: &str) -> Option<Number> {
        let t = text.trim().as_bytes();
        let (neg, t) = match t.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            _ => (false, t),
        };
        let mut mant: u64 = 0;
        let mut exact = true;
        let mut value = 0.0f64;
        let mut digits = 0usize;
        let mut frac = 0i32;
        let mut i = 0;
        let mut seen_dot = false;
        while let Some(&b) = t.get(i) {
            match b {
                b'0'..=b'9' => {
                    let d = u64::from(b - b'0');
                    digits += 1;
                    value = value * 10.0 + d as f64;
                    match mant.checked_mul(10).and_then(|m| m.checked_add(d)) {
                        Some(m) => mant = m,
                        None => exact = false,
                    }
                    if seen_dot {
                        frac = frac.saturating_add(1);
                        if d != 0 {
                            exact = false;
                        }
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => break,
            }
            i += 1;
        }
        if digits == 0 {
            return None;
        }
        let mut exp = 0i32;
        if let Some(b'e' | b'E') = t.get(i) {
            i += 1;
            let (eneg, mut j) = match t.get(i) {
                Some(b'-') => (true, i + 1),
                Some(b'+') => (false, i + 1),
                _ => (false, i),
            };
            let start = j;
            while let Some(&b) = t.get(j) {
                if !b.is_ascii_digit() {
                    break;
                }
                exp = exp.saturating_mul(10).saturating_add(i32::from(b - b'0'));
                j += 1;
            }
            if j == start {
                return None;
            }
            if eneg {
                exp = -exp;
            }
            exact = false;
            i = j;
        }
        if i != t.len() {
            return None;
        }
        // value holds all digits as an integer; scale by the fraction and exponent. When both
        // the digits and the power of ten are exact in f64 this is correctly rounded.
        let scale = exp.saturating_sub(frac);
        let p = crate::float::pow10(scale.unsigned_abs().min(400));
        let mut v = if scale < 0 { value / p } else { value * p };
        if neg {
            v = -v;
        }
        if !v.is_finite() {
            return None;
        }
        // A whole number with a fraction of zeros ("12.0") is still whole.
        let whole = if exact {
            Some((
                neg,
                if frac > 0 {
                    mant / 10u64.pow(frac.unsigned_abs().min(19))
                } else {
                    mant
                },
            ))
        } else {
            None
        };
        Some(Number { value: v, whole })
    }

    /// Integer visitor: `(negative, magnitude)`, exact for integers and numeric strings;
    /// floats are rounded.
    struct IntV;

    fn from_f64(v: f64) -> Option<(bool, u64)> {
        (v.is_finite() && v.abs() < 1.8e19).then(|| (v < 0.0, crate::float::round_to_u64(v.abs())))
    }

    impl<'de> Visitor<'de> for IntV {
        type Value = Option<(bool, u64)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some((v < 0, v.unsigned_abs())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some((false, v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(from_f64(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(parse_number(v).and_then(|n| n.whole.or_else(|| from_f64(n.value))))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            NumV.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            NumV.visit_map(map).map(|_| None)
        }
    }

    struct BoolV;

    impl<'de> Visitor<'de> for BoolV {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            Ok(if t.eq_ignore_ascii_case("true") {
                Some(true)
            } else if t.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            })
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(match v {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(match v {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            NumV.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            NumV.visit_map(map).map(|_| None)
        }
    }

    /// `Option<String>`: strings; numbers/bools formatted; null/absent/objects/arrays → `None`.
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(StrV)
    }

    /// `String` like [`opt_string`], `None` → `""`.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        opt_string(d).map(Option::unwrap_or_default)
    }

    /// `Option<f64>`: numbers and numeric strings.
    pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_any(NumV)
    }

    /// `Option<i64>`: integers, numeric strings, floats rounded; out of range → `None`.
    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(d.deserialize_any(IntV)?.and_then(|(neg, m)| {
            if neg {
                0i64.checked_sub_unsigned(m)
            } else {
                i64::try_from(m).ok()
            }
        }))
    }

    /// `Option<u64>`: like [`opt_i64`], negatives → `None` (e.g. 428 `expiry`: `9600` or `"720"`).
    pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(d.deserialize_any(IntV)?
            .and_then(|(neg, m)| (!neg || m == 0).then_some(m)))
    }

    /// `u64` like [`opt_u64`], `None` → 0.
    pub fn u64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        opt_u64(d).map(Option::unwrap_or_default)
    }

    /// `Option<bool>`: booleans, `"true"`/`"false"`, 0/1.
    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(BoolV)
    }

    /// `Vec<T>` where `null` means empty.
    pub fn nullable_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
    }

    /// `Vec<String>`: an array (non-string items dropped), a single string, or null.
    pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                struct Item(Option<String>);
                impl<'de> Deserialize<'de> for Item {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        opt_string(d).map(Item)
                    }
                }
                let mut v = Vec::new();
                while let Some(Item(s)) = seq.next_element::<Item>()? {
                    if let Some(s) = s {
                        v.push(s);
                    }
                }
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
                Ok(std::vec![String::from(v)])
            }
            fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
                NumV.visit_map(map).map(|_| Vec::new())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(V)
    }
}
