//! Belvo's JSON shapes (serde), read leniently.
//!
//! serde's derives are the one codec of every type here: natively over `serde_json`, in the
//! browser over the value the engine parsed (`serde_wasm_bindgen`). Response types are
//! declared with [`wire_struct!`](super::lenient), which reads every field with the rules of
//! [`lenient`](super::lenient): unknown fields are ignored, missing and `null` fields take their
//! default, numbers and numeric strings stand in for each other, a scalar of the wrong kind is
//! `None`.
//!
//! Request types ([`LinkRequest`], [`PatchLinkRequest`]) carry credentials: their `Debug`
//! output redacts the username, password and token.

use core::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::lenient::{wire_struct, Lenient};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

wire_struct! {
    /// One element of Belvo's error array: `[{code, message, request_id, field?}]`.
    ///
    /// This is the shape Belvo answers with for every JSON error (and the shape the proxy uses for
    /// its own errors). `code`/`message` are empty strings when Belvo sends `null` or omits them
    /// (its `blank` example answers with `"code": null`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ErrorItem {
        /// Machine code, e.g. `login_error`, `token_required`.
        pub code: String,
        /// Human message (may be Spanish/Portuguese when it comes from the institution).
        pub message: String,
        /// Belvo's request id (32 hex), to quote to Belvo support.
        pub request_id: Option<String>,
        /// The request field at fault, when Belvo names one.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub field: Option<String>,
    }
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

wire_struct! {
    /// A raw element of an error answer: the [`ErrorItem`] fields plus every extra key Belvo is
    /// known to add (the 428 challenge keys, the legacy `detail`, `institution_user_id` on
    /// `duplicated`). Deserialize-only; use [`ErrorEntry::item`] and [`ErrorEntry::challenge`].
    #[derive(Clone, Default, PartialEq, Eq, Deserialize)]
    pub struct ErrorEntry {
        /// See [`ErrorItem::code`]. `None` when absent or null.
        pub code: Option<String>,
        /// See [`ErrorItem::message`].
        pub message: Option<String>,
        /// See [`ErrorItem::request_id`].
        pub request_id: Option<String>,
        /// See [`ErrorItem::field`].
        pub field: Option<String>,
        /// Django-REST-framework style message (legacy 428 `{"detail":"Token Required", …}`,
        /// `{"detail":"Not found."}`).
        pub detail: Option<String>,
        /// 428: the MFA session to resume.
        pub session: Option<String>,
        /// 428: seconds the user has to answer (number or numeric string).
        pub expiry: Option<u64>,
        /// 428: the link id.
        pub link: Option<String>,
        /// 428: how the token is generated (may be absent).
        pub token_generation_data: Option<TokenGenerationData>,
        /// `duplicated`: the existing link's institution user id.
        pub institution_user_id: Option<String>,
        /// Seconds until a retry makes sense, when the answer says so (not a Belvo field; the
        /// proxy's attempt guard may add it — the `Retry-After` header is preferred).
        #[serde(alias = "retry_after_seconds")]
        pub retry_after: Option<u64>,
    }
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

wire_struct! {
    /// `token_generation_data` of a 428: how the person obtains the token.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct TokenGenerationData {
        /// Text to show the person.
        pub instructions: Option<String>,
        /// `inputless`, `numeric`, `qr` or `text` (other values are kept as-is).
        #[serde(rename = "type")]
        pub kind: Option<String>,
        /// The challenge to display (numeric code, QR payload…), if any.
        pub value: Option<String>,
        /// Whether the person types a token (absent = `true`). Also read from the
        /// `expect_user_input` spelling.
        #[serde(alias = "expect_user_input")]
        pub expects_user_input: Option<bool>,
    }
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
    pub institution: String,
    /// CURP (MX) or CPF (BR), normalised.
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

/// `PATCH /api/links/` body: resume an MFA session. `Debug` redacts the session and token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchLinkRequest {
    /// The link id from the 428.
    pub link: String,
    /// The session id from the 428.
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

wire_struct! {
    /// Belvo's link object (201 of `POST /api/links/`, 200 of `PATCH`, `GET /api/links/{id}/`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Link {
        /// Link id (uuid). Empty when Belvo omitted it (the flow treats that as unparseable).
        pub id: String,
        /// Institution name.
        pub institution: Option<String>,
        /// `single` or `recurrent`.
        pub access_mode: Option<String>,
        /// `valid`, `invalid`, `unconfirmed`, `token_required`.
        pub status: Option<String>,
        /// Refresh rate (`null` for single links).
        pub refresh_rate: Option<String>,
        /// Belvo user that created the link.
        pub created_by: Option<String>,
        /// Last successful access (ISO-8601).
        pub last_accessed_at: Option<String>,
        /// Creation time (ISO-8601).
        pub created_at: Option<String>,
        /// The integrator's id.
        pub external_id: Option<String>,
        /// Stable id of the person at the institution (44 chars).
        pub institution_user_id: Option<String>,
        /// `store`, `nostore`, `Nd`.
        pub credentials_storage: Option<String>,
        /// Data retention.
        pub stale_in: Option<String>,
        /// Resources fetched asynchronously.
        pub fetch_resources: Vec<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// A paginated list: `{count, next, previous, results}`. `next`/`previous` are absolute
/// Belvo URLs or `null`.
///
/// `count`, `next` and `previous` are read leniently; `results` must be an array (a page
/// without one is no page: reading it fails, rather than showing "no data").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// Total number of matches (all pages).
    #[serde(default, deserialize_with = "Lenient::read")]
    pub count: u64,
    /// URL of the next page.
    #[serde(default, deserialize_with = "Lenient::read")]
    pub next: Option<String>,
    /// URL of the previous page.
    #[serde(default, deserialize_with = "Lenient::read")]
    pub previous: Option<String>,
    /// This page's items.
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

wire_struct! {
    /// MX employment record (`/api/employment-records/`): one per person and institution.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct EmploymentRecord {
        /// Record id.
        pub id: Option<String>,
        /// Link id.
        pub link: Option<String>,
        /// Creation time.
        pub created_at: Option<String>,
        /// Collection time.
        pub collected_at: Option<String>,
        /// Report date (YYYY-MM-DD).
        pub report_date: Option<String>,
        /// The CURP for IMSS/ISSSTE.
        pub internal_identification: Option<String>,
        /// Personal data.
        pub personal_data: Option<PersonalData>,
        /// Weeks summary (null for ISSSTE).
        pub social_security_summary: Option<SocialSecuritySummary>,
        /// One entry per employment.
        pub employment_records: Vec<EmploymentEntry>,
        /// IMSS employment scores.
        pub employment_scores: Vec<EmploymentScore>,
        /// Attached files (e.g. the weeks report PDF).
        pub files: Vec<EmploymentFile>,
    }
}

wire_struct! {
    /// `personal_data` of an [`EmploymentRecord`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct PersonalData {
        /// Full official name.
        pub official_name: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Birth date (YYYY-MM-DD).
        pub birth_date: Option<String>,
        /// E-mail.
        pub email: Option<String>,
        /// Social-security entitlements.
        pub entitlements: Option<Entitlements>,
        /// Identity documents (NSS, CURP, RFC).
        pub document_ids: Vec<DocumentId>,
    }
}

wire_struct! {
    /// Social-security entitlements.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Entitlements {
        /// Entitled to health insurance.
        pub entitled_to_health_insurance: Option<bool>,
        /// Entitled to company benefits.
        pub entitled_to_company_benefits: Option<bool>,
        /// Valid until (null = currently working).
        pub valid_until: Option<String>,
        /// `EMPLOYED`, `UNEMPLOYED`, `RETIRED`.
        pub status: Option<String>,
    }
}

wire_struct! {
    /// An identity document (`document_type` + `document_number`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct DocumentId {
        /// `NSS`, `CURP`, `RFC`, `CPF`, `CNPJ`, …
        pub document_type: Option<String>,
        /// The number.
        pub document_number: Option<String>,
    }
}

wire_struct! {
    /// IMSS weeks summary.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SocialSecuritySummary {
        /// Weeks redeemed.
        pub weeks_redeemed: Option<i64>,
        /// Weeks reinstated.
        pub weeks_reinstated: Option<i64>,
        /// Weeks contributed.
        pub weeks_contributed: Option<i64>,
    }
}

wire_struct! {
    /// One employment inside an [`EmploymentRecord`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct EmploymentEntry {
        /// Collection time.
        pub collected_at: Option<String>,
        /// Employer name.
        pub employer: Option<String>,
        /// IMSS registro patronal (null for ISSSTE).
        pub employer_id: Option<String>,
        /// Start date.
        pub start_date: Option<String>,
        /// End date (null = current job).
        pub end_date: Option<String>,
        /// Weeks employed.
        pub weeks_employed: Option<i64>,
        /// Mexican state.
        pub state: Option<String>,
        /// Most recent base salary (IMSS: daily).
        pub most_recent_base_salary: Option<f64>,
        /// Monthly salary.
        pub monthly_salary: Option<f64>,
        /// Currency (`MXN`).
        pub currency: Option<String>,
        /// Hires, dismissals, salary modifications.
        pub employment_status_updates: Vec<EmploymentStatusUpdate>,
    }
}

wire_struct! {
    /// A salary/status event of an [`EmploymentEntry`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct EmploymentStatusUpdate {
        /// `HIRED`, `SALARY_MODIFICATION`, `DISMISSED_RESIGNED`, …
        pub event: Option<String>,
        /// Base salary after the event.
        pub base_salary: Option<f64>,
        /// Date of the event.
        pub update_date: Option<String>,
    }
}

wire_struct! {
    /// IMSS employment score.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct EmploymentScore {
        /// 300–900.
        pub score: Option<i64>,
        /// Months (3, 6, 12).
        pub period: Option<i64>,
        /// Model version.
        pub version: Option<String>,
    }
}

wire_struct! {
    /// A file attached to an [`EmploymentRecord`].
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct EmploymentFile {
        /// File type, e.g. `ReporteSemanasCotizadas_190123`.
        #[serde(rename = "type")]
        pub kind: Option<String>,
        /// Content (PDF as string; null in sandbox).
        pub value: Option<String>,
    }
}

wire_struct! {
    /// MX employment metrics (`/api/employment-metrics/`, IMSS only).
    #[allow(missing_docs)] // field names are Belvo's; see belvo-api.md §4.2
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct EmploymentMetrics {
        pub id: Option<String>,
        pub link: Option<String>,
        pub collected_at: Option<String>,
        pub created_at: Option<String>,
        pub updated_at: Option<String>,
        pub reference_date: Option<String>,
        pub age: Option<i64>,
        /// `EMPLOYED`, `RETIRED`, `UNEMPLOYED`.
        pub current_status: Option<String>,
        pub current_employer_count: Option<i64>,
        pub base_salary_last: Option<f64>,
        pub weeks_employed_last_job: Option<f64>,
        pub weeks_since_last_job: Option<f64>,
        pub weeks_employed_total: Option<f64>,
        pub weeks_with_multiple_employers: Option<f64>,
        pub employer_count: Option<i64>,
        pub unique_employer_count: Option<i64>,
        pub employers_per_year: Option<f64>,
        pub weeks_between_jobs: Option<f64>,
        pub max_weeks_between_jobs: Option<f64>,
        pub increases_last_job: Option<i64>,
        pub decreases_last_job: Option<i64>,
        pub increases_after_change: Option<i64>,
        pub decreases_after_change: Option<i64>,
        pub increases_overall: Option<i64>,
        pub decreases_overall: Option<i64>,
        pub increases_1y: Option<i64>,
        pub increases_3y: Option<i64>,
        pub increases_5y: Option<i64>,
        pub decreases_1y: Option<i64>,
        pub decreases_3y: Option<i64>,
        pub decreases_5y: Option<i64>,
        pub yearly_change_1y: Option<f64>,
        pub yearly_change_3y: Option<f64>,
        pub yearly_change_5y: Option<f64>,
        pub min_monthly_salary_1y: Option<f64>,
        pub min_monthly_salary_3y: Option<f64>,
        pub min_monthly_salary_5y: Option<f64>,
        pub average_monthly_salary_1y: Option<f64>,
        pub average_monthly_salary_3y: Option<f64>,
        pub average_monthly_salary_5y: Option<f64>,
        pub max_monthly_salary_1y: Option<f64>,
        pub max_monthly_salary_3y: Option<f64>,
        pub max_monthly_salary_5y: Option<f64>,
    }
}

wire_struct! {
    /// BR employment (`/api/br/employments/`).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Employment {
        /// Employment id.
        pub id: Option<String>,
        /// Link id.
        pub link: Option<String>,
        /// Creation time.
        pub created_at: Option<String>,
        /// Collection time.
        pub collected_at: Option<String>,
        /// Start date.
        pub start_date: Option<String>,
        /// End date (null = still employed).
        pub end_date: Option<String>,
        /// Employer.
        pub employer_data: Option<EmployerData>,
        /// Occupations held.
        pub occupations: Vec<Occupation>,
        /// Monthly salaries.
        pub salaries: Vec<Salary>,
    }
}

wire_struct! {
    /// Employer of a BR [`Employment`].
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct EmployerData {
        /// Employer name.
        pub name: Option<String>,
        /// The institution's code for the employer (presumably the CNPJ).
        pub code: Option<String>,
        /// CNAE code.
        pub economic_activity: Option<String>,
    }
}

wire_struct! {
    /// An occupation of a BR [`Employment`].
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Occupation {
        /// Start date.
        pub start_date: Option<String>,
        /// End date.
        pub end_date: Option<String>,
        /// CBO description.
        pub description: Option<String>,
        /// Name.
        pub name: Option<String>,
        /// `Urbana` or `Rural`.
        pub locale: Option<String>,
    }
}

wire_struct! {
    /// A monthly salary of a BR [`Employment`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Salary {
        /// Gross amount.
        pub base_amount: Option<f64>,
        /// INSS deduction.
        pub retained_amount: Option<f64>,
        /// `YYYY-MM`.
        pub month: Option<String>,
        /// ISO-4217 currency.
        pub currency: Option<String>,
    }
}

wire_struct! {
    /// Owner (`/api/owners/`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Owner {
        /// Owner id.
        pub id: Option<String>,
        /// Link id.
        pub link: Option<String>,
        /// Institution's identifier for the person.
        pub internal_identification: Option<String>,
        /// Collection time.
        pub collected_at: Option<String>,
        /// Creation time.
        pub created_at: Option<String>,
        /// Display name.
        pub display_name: Option<String>,
        /// E-mail.
        pub email: Option<String>,
        /// Phone.
        pub phone_number: Option<String>,
        /// Address.
        pub address: Option<String>,
        /// Identity document.
        pub document_id: Option<DocumentId>,
        /// Deprecated.
        pub first_name: Option<String>,
        /// Deprecated.
        pub last_name: Option<String>,
        /// Deprecated.
        pub second_last_name: Option<String>,
        /// Deprecated.
        pub business_name: Option<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

wire_struct! {
    /// A Belvo aggregation webhook (`historical_update` etc.).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct WebhookEvent {
        /// Unique id (dedupe on it).
        pub webhook_id: String,
        /// `EMPLOYMENT_RECORDS`, `EMPLOYMENTS`, `OWNERS`, `EMPLOYMENT_METRICS`, `LINK`, …
        pub webhook_type: String,
        /// `historical_update`, `new_owners_available`, `invalid_credentials`, …
        pub webhook_code: String,
        /// `historical_update` or `recurrent_update` (absent in older payloads).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub process_type: Option<String>,
        /// Link id.
        pub link_id: String,
        /// Request id (dashed uuid here).
        pub request_id: Option<String>,
        /// The integrator's external id.
        pub external_id: Option<String>,
        /// Payload.
        pub data: WebhookData,
    }
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

wire_struct! {
    /// `data` of a [`WebhookEvent`]: the union of the documented keys.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct WebhookData {
        /// `EMPLOYMENT_RECORDS` count.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub total_employment_record_profiles: Option<u64>,
        /// `EMPLOYMENTS` count.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub total_employments: Option<u64>,
        /// `OWNERS` count.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub total_owners: Option<u64>,
        /// `EMPLOYMENT_METRICS` count.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub total_employment_metrics: Option<u64>,
        /// `LINK` events: error code.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_code: Option<String>,
        /// `LINK` events: error message.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_message: Option<String>,
        /// `LINK` events: HTTP status.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<u64>,
    }
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
        wire_struct! {
            #[derive(Default, Deserialize)]
            struct Obj {
                link_id: Option<String>,
                events: Vec<WebhookEvent>,
                results: Vec<WebhookEvent>,
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LinkEvents;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an events object or array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<LinkEvents, A::Error> {
                let events = Vec::<Object<WebhookEvent>>::deserialize(
                    de::value::SeqAccessDeserializer::new(seq),
                )?;
                Ok(LinkEvents {
                    link_id: None,
                    events: events.into_iter().map(|o| o.0).collect(),
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
/// which would turn `[1, 2]` into a "page"). It asks for any value and takes only a map:
/// `deserialize_map` would let serde_wasm_bindgen read an array as a list of entries.
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
        d.deserialize_any(V(core::marker::PhantomData))
    }
}

/// Placeholder printed by the redacting `Debug` impls.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
