//! The error catalogue: every answer (Belvo's, the proxy's, or a local failure) becomes a
//! [`LinkError`] with a [`Category`] (what the person or integrator can do about it), a stable
//! `code`, an optional `reason` (which of the known institution messages it was), and a
//! localised, PII-free user message.
//!
//! Sources: belvo-api.md §3.2 (codes), §3.3 (retry policy) and the IMSS error table of the
//! "Extract Employment Information in Mexico" guide ([`IMSS_ERRORS`]).

use core::fmt;
use std::borrow::Cow;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::belvo::wire::ErrorItem;
use crate::id::{IdError, Kind, Locale};
use crate::text::{str_enum, tr};

str_enum! {
    /// What can be done about an error.
    pub enum Category as "ErrorCategory" {
        /// The person can correct what they typed (CURP, CPF, password, token).
        FixInput => "fix_input",
        /// Only the institution (IMSS/INSS/ISSSTE), in person, can fix it.
        VisitOffice => "visit_office",
        /// Try again later (see [`LinkError::retry_after_seconds`]).
        RetryLater => "retry_later",
        /// Transient: retried automatically; surfaced only when retries are exhausted.
        Retry => "retry",
        /// Start the flow again from the beginning (expired MFA session, invalid link, cancel).
        Restart => "restart",
        /// The integrator must fix something (keys, proxy, request shape).
        Integration => "integration",
    }
}

/// Seconds in a day: `forbidden_by_host` ("solicitudes permitidas por día", a rolling 24 h).
pub const ONE_DAY_SECONDS: u64 = 86_400;
/// Belvo's IP rate limit window (80 requests / 30 s, HTML 403).
pub const RATE_LIMIT_WINDOW_SECONDS: u64 = 30;
/// Belvo's advice for `too_many_sessions` (the previous session may still be scraping).
pub const TOO_MANY_SESSIONS_SECONDS: u64 = 120;

/// A classified error. `Debug`, `Display` and `Serialize` never contain a CURP, CPF,
/// password, token or MFA session: `detail` is scrubbed with [`scrub_pii`].
///
/// Serialized (for JS) as `{category, code, reason?, status, message, detail, requestId,
/// field?, retryAfterSeconds?}`.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkError {
    /// What can be done.
    pub category: Category,
    /// Belvo's code (`login_error`, …), the proxy's, or a local one (`network_error`,
    /// `timeout`, `cancelled`, `invalid`, `required`, `not_json`, …).
    pub code: String,
    /// Which known message this was (IMSS table and Belvo's `login_error` variants), e.g.
    /// `nss_not_found`; for a locally rejected username, the validation code (`check_digit`…).
    pub reason: Option<&'static str>,
    /// HTTP status (0 when nothing was answered: network failure, timeout, local checks).
    pub status: u16,
    /// Localised message for the person.
    pub message: Cow<'static, str>,
    /// Developer detail: Belvo's message (PII-scrubbed) or a description of the local failure.
    pub detail: String,
    /// Belvo's request id, to quote to support.
    pub request_id: Option<String>,
    /// The field at fault, when known (`username`, `password`, `token`, …).
    pub field: Option<String>,
    /// Seconds until trying again makes sense, when known.
    pub retry_after_seconds: Option<u64>,
}

impl Clone for LinkError {
    // Out of line: the flow clones errors in many places (wasm size).
    #[inline(never)]
    fn clone(&self) -> Self {
        LinkError {
            category: self.category,
            code: self.code.clone(),
            reason: self.reason,
            status: self.status,
            message: self.message.clone(),
            detail: self.detail.clone(),
            request_id: self.request_id.clone(),
            field: self.field.clone(),
            retry_after_seconds: self.retry_after_seconds,
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            self.category.as_str(),
            self.detail
        )
    }
}

impl Serialize for LinkError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = 7
            + usize::from(self.reason.is_some())
            + usize::from(self.field.is_some())
            + usize::from(self.retry_after_seconds.is_some());
        let mut st = s.serialize_struct("LinkError", n)?;
        st.serialize_field("category", &self.category)?;
        st.serialize_field("code", &self.code)?;
        if let Some(r) = self.reason {
            st.serialize_field("reason", r)?;
        }
        st.serialize_field("status", &self.status)?;
        st.serialize_field("message", &*self.message)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("requestId", &self.request_id)?;
        if let Some(fld) = &self.field {
            st.serialize_field("field", fld)?;
        }
        if let Some(r) = self.retry_after_seconds {
            st.serialize_field("retryAfterSeconds", &r)?;
        }
        st.end()
    }
}

impl LinkError {
    /// Whether the flow retries this automatically (category [`Category::Retry`]).
    pub fn is_transient(&self) -> bool {
        self.category == Category::Retry
    }
}

// ---------------------------------------------------------------------------------------------
// The IMSS table
// ---------------------------------------------------------------------------------------------

/// One row of the IMSS error table (EMPMX guide): exact status, code and Spanish message, and
/// how this package classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImssError {
    /// HTTP status Belvo answers with.
    pub status: u16,
    /// Belvo code.
    pub code: &'static str,
    /// The exact message, as in the guide (empty in the browser modules: they never read it).
    pub message: &'static str,
    /// The stable `reason`.
    pub reason: &'static str,
    /// The category.
    pub category: Category,
    /// Normalised phrases that identify the message (all must occur; see [`normalise`]).
    pub needles: &'static [&'static str],
    /// Localised user message key.
    msg: Msg,
}

/// A seed message's exact wording (kept next to its needles, so the table reads as the seed).
macro_rules! seed_text {
    ($s:literal) => {
        $s
    };
}

/// The ten IMSS messages of the seed table, each with a distinct reason.
pub const IMSS_ERRORS: &[ImssError] = &[
    ImssError {
        status: 400,
        code: "invalid_credentials",
        message: seed_text!("El NSS capturado no coincide con la CURP"),
        reason: "nss_curp_mismatch",
        category: Category::VisitOffice,
        needles: &["nss", "no coincide", "curp"],
        msg: Msg::NssCurpMismatch,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("El NSS no fue localizado en el IMSS"),
        reason: "nss_not_found",
        category: Category::VisitOffice,
        needles: &["nss no fue localizado"],
        msg: Msg::NssNotFound,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("El CURP proporcionado no fue localizado en la entidad externa RENAPO"),
        reason: "curp_not_in_renapo",
        category: Category::FixInput,
        needles: &["renapo"],
        msg: Msg::CurpNotInRenapo,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("CURP es incorrecto"),
        reason: "curp_incorrect",
        category: Category::FixInput,
        needles: &["curp es incorrect"],
        msg: Msg::CurpIncorrect,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("Por favor, ingresa un CURP válido. Debe contener 18 caracteres"),
        reason: "curp_length",
        category: Category::FixInput,
        needles: &["18 caracteres"],
        msg: Msg::CurpLength,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("La persona no cuenta con NSS"),
        reason: "no_nss",
        category: Category::VisitOffice,
        needles: &["no cuenta con nss"],
        msg: Msg::NoNss,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("Los datos registrados en el IMSS asociados a la CURP, presentan alguna inconsistencia, por favor acude a tu Subdelegación para obtener tu Número de Seguridad Social."),
        reason: "imss_data_inconsistency",
        category: Category::VisitOffice,
        needles: &["inconsistencia"],
        msg: Msg::DataInconsistency,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("Es necesario que acudas a la subdelegación más cercana a tu domicilio a presentar tu trámite"),
        reason: "imss_paperwork_required",
        category: Category::VisitOffice,
        needles: &["necesario que acudas"],
        msg: Msg::PaperworkRequired,
    },
    ImssError {
        status: 400,
        code: "login_error",
        message: seed_text!("El correo ya está registrado con otro CURP"),
        reason: "email_registered_other_curp",
        category: Category::FixInput,
        needles: &["correo ya esta registrado"],
        msg: Msg::EmailOtherCurp,
    },
    ImssError {
        status: 403,
        code: "forbidden_by_host",
        message: seed_text!("Has agotado el número de solicitudes permitidas por día."),
        reason: "daily_limit_reached",
        category: Category::RetryLater,
        needles: &["agotado el numero de solicitudes"],
        msg: Msg::DailyLimit,
    },
];

/// Belvo's generic `login_error` messages (ERR), each with its own reason.
const LOGIN_MESSAGES: &[(&[&str], &str, Category, Msg)] = &[
    (
        &["invalid credentials provided"],
        "invalid_credentials",
        Category::FixInput,
        Msg::BadCredentials,
    ),
    (
        &["not supported yet by belvo"],
        "mfa_unsupported",
        Category::Integration,
        Msg::Integration,
    ),
    (
        &["something unexpected happened"],
        "login_unexpected",
        Category::RetryLater,
        Msg::LoginUnexpected,
    ),
    (
        &["login not attempted"],
        "login_not_attempted",
        Category::FixInput,
        Msg::BadCredentials,
    ),
    (
        &["missing credentials"],
        "missing_credentials",
        Category::FixInput,
        Msg::MissingCredentials,
    ),
    (
        &["access was forbidden"],
        "account_forbidden",
        Category::VisitOffice,
        Msg::AccountForbidden,
    ),
    (
        &["account is locked"],
        "account_locked",
        Category::VisitOffice,
        Msg::AccountLocked,
    ),
];

// ---------------------------------------------------------------------------------------------
// The code catalogue
// ---------------------------------------------------------------------------------------------

/// How a code is classified when its message is not one of the known ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Fixed category.
    Fixed(Category, Msg),
    /// A request-shape error: `fix_input` when the field is one the person typed, else
    /// `integration`.
    ByField,
    /// `login_error`/`invalid_credentials`: by message, else `fix_input`.
    ByMessage,
}

/// One catalogue entry: a code, the status it usually comes with, its rule and default
/// retry-after.
#[derive(Clone, Copy, Debug)]
struct Entry {
    code: &'static str,
    rule: Rule,
    retry_after: Option<u64>,
}

impl Entry {
    /// An entry with no default retry-after.
    const fn new(code: &'static str, rule: Rule) -> Entry {
        Entry {
            code,
            rule,
            retry_after: None,
        }
    }

    /// The same entry, with a default retry-after of `seconds`.
    const fn retry_after(self, seconds: u64) -> Entry {
        Entry {
            retry_after: Some(seconds),
            ..self
        }
    }
}

const fn fixed(code: &'static str, c: Category, m: Msg) -> Entry {
    Entry::new(code, Rule::Fixed(c, m))
}

const fn by_field(code: &'static str) -> Entry {
    Entry::new(code, Rule::ByField)
}

const fn by_message(code: &'static str) -> Entry {
    Entry::new(code, Rule::ByMessage)
}

use Category::{FixInput, Integration, Restart, Retry, RetryLater, VisitOffice};

/// Every code of belvo-api.md §3.2, plus the proxy's own codes (issue 4).
const CATALOGUE: &[Entry] = &[
    // 400
    fixed("activation_failed", VisitOffice, Msg::ActivationRequired),
    by_field("blank"),
    fixed("does_not_exist", Integration, Msg::Integration),
    fixed("duplicated", Integration, Msg::Integration),
    by_field("null"),
    by_field("required"),
    by_field("invalid"),
    by_field("invalid_choice"),
    fixed("invalid_credentials_storage", Integration, Msg::Integration),
    fixed("invalid_fetch_resources", Integration, Msg::Integration),
    fixed("invalid_access_mode_switch", Integration, Msg::Integration),
    fixed("invalid_link", Restart, Msg::LinkInvalid),
    fixed("invalid_period", Integration, Msg::Integration),
    by_message("login_error"),
    by_message("invalid_credentials"),
    fixed("institution_down", RetryLater, Msg::InstitutionDown),
    fixed("institution_unavailable", RetryLater, Msg::InstitutionDown),
    fixed("institution_inactive", RetryLater, Msg::InstitutionInactive),
    fixed("too_many_sessions", Retry, Msg::TooManySessions).retry_after(TOO_MANY_SESSIONS_SECONDS),
    fixed("session_expired", Restart, Msg::SessionExpired),
    fixed("session_expired_ob", Restart, Msg::SessionExpired),
    fixed("unavailable_data", RetryLater, Msg::UnavailableData),
    fixed("unconfirmed_link", Restart, Msg::LinkInvalid),
    fixed("unsupported_operation", Integration, Msg::Integration),
    fixed("validation_error", FixInput, Msg::BadCredentials),
    by_field("not_a_list"),
    by_field("parse_error"),
    fixed("operational_limits_reached", RetryLater, Msg::LimitsReached),
    // 401
    fixed("authentication_failed", Integration, Msg::Integration),
    fixed("consent_without_accounts", Integration, Msg::Integration),
    // 403
    fixed("access_to_production_denied", Integration, Msg::Integration),
    fixed("access_to_resource_denied", Integration, Msg::Integration),
    fixed("forbidden_by_host", RetryLater, Msg::DailyLimit).retry_after(ONE_DAY_SECONDS),
    fixed("permission_denied", RetryLater, Msg::PermissionDenied),
    fixed("quota_limit_reached", Integration, Msg::Integration),
    fixed("rate_limited", RetryLater, Msg::RateLimited).retry_after(RATE_LIMIT_WINDOW_SECONDS),
    // 404 / 405
    fixed("not_found", Integration, Msg::Integration),
    fixed("expired_credentials", Restart, Msg::LinkInvalid),
    fixed("method_not_allowed", Integration, Msg::Integration),
    // 408
    fixed("request_timeout", Retry, Msg::Timeout),
    // 428
    fixed("token_required", Restart, Msg::SessionExpired),
    fixed("activation_required", VisitOffice, Msg::ActivationRequired),
    // 5xx
    fixed("unexpected_error", Retry, Msg::Transient),
    fixed("service_unavailable", Retry, Msg::Transient),
    // The proxy's own codes (issue 4).
    fixed("upstream_unreachable", Retry, Msg::Network),
    fixed("payload_too_large", Integration, Msg::Integration),
];

/// Every code the catalogue knows (Belvo's §3.2 plus the proxy's), for tests and docs.
pub fn known_codes() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|e| e.code)
}

/// Fields whose value the person typed.
const PERSON_FIELDS: &[&str] = &["username", "password", "token", "username2", "password2"];

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

/// A JSON error answer to classify.
#[derive(Clone, Copy, Debug, Default)]
pub struct Answer<'a> {
    /// HTTP status.
    pub status: u16,
    /// Belvo/proxy code (`""` when absent).
    pub code: &'a str,
    /// Message (`""` when absent).
    pub message: &'a str,
    /// Field at fault.
    pub field: Option<&'a str>,
    /// Request id.
    pub request_id: Option<&'a str>,
    /// `Retry-After` (seconds) from the response header or body, if any.
    pub retry_after: Option<u64>,
}

impl<'a> Answer<'a> {
    /// An answer from an [`ErrorItem`].
    pub fn from_item(status: u16, item: &'a ErrorItem) -> Self {
        Answer {
            status,
            code: &item.code,
            message: &item.message,
            field: item.field.as_deref(),
            request_id: item.request_id.as_deref(),
            retry_after: None,
        }
    }
}

/// Classifies a JSON error answer. `institution` (Belvo name) is accepted for context; the
/// IMSS messages are recognised by their text whatever the institution.
pub fn classify(answer: &Answer<'_>, institution: Option<&str>, locale: Locale) -> LinkError {
    let _ = institution;
    let norm = normalise(answer.message);
    let entry = CATALOGUE.iter().find(|e| e.code == answer.code);

    // Known institution messages first: they decide the reason and may override the code's
    // default (e.g. IMSS's `invalid_credentials` is not a typo).
    let imss = IMSS_ERRORS.iter().find(|e| matches_all(&norm, e.needles));
    let (category, msg, reason, mut retry_after) = match (entry, imss) {
        (_, Some(i))
            if answer.code == i.code || entry.is_none_or(|e| e.rule == Rule::ByMessage) =>
        {
            let ra = (i.code == "forbidden_by_host").then_some(ONE_DAY_SECONDS);
            (i.category, i.msg, Some(i.reason), ra)
        }
        (Some(e), _) => match e.rule {
            Rule::Fixed(c, m) => (c, m, None, e.retry_after),
            Rule::ByField => by_field_category(answer.field),
            Rule::ByMessage => match LOGIN_MESSAGES.iter().find(|l| matches_all(&norm, l.0)) {
                Some(&(_, reason, c, m)) => (c, m, Some(reason), None),
                None => (FixInput, Msg::BadCredentials, None, None),
            },
        },
        (None, _) => by_status(answer.status, answer.field),
    };
    // A 5xx is transient whatever its code says.
    let (category, msg) = if answer.status >= 500 && category != Retry {
        (Retry, Msg::Transient)
    } else {
        (category, msg)
    };
    if answer.retry_after.is_some() {
        retry_after = answer.retry_after;
    }
    let code = if answer.code.is_empty() {
        fallback_code(answer.status)
    } else {
        answer.code
    };
    LinkError {
        category,
        code: code.into(),
        reason,
        status: answer.status,
        message: Cow::Borrowed(msg.text(locale)),
        detail: scrub_pii(answer.message),
        request_id: answer.request_id.map(String::from),
        field: answer.field.map(String::from),
        retry_after_seconds: retry_after,
    }
}

fn by_field_category(field: Option<&str>) -> (Category, Msg, Option<&'static str>, Option<u64>) {
    match field {
        Some(f) if PERSON_FIELDS.contains(&f) => (FixInput, Msg::InvalidInput, None, None),
        _ => (Integration, Msg::Integration, None, None),
    }
}

fn by_status(
    status: u16,
    field: Option<&str>,
) -> (Category, Msg, Option<&'static str>, Option<u64>) {
    match status {
        400 | 422 => by_field_category(field),
        408 => (Retry, Msg::Timeout, None, None),
        429 => (
            RetryLater,
            Msg::RateLimited,
            None,
            Some(RATE_LIMIT_WINDOW_SECONDS),
        ),
        s if s >= 500 => (Retry, Msg::Transient, None, None),
        _ => (Integration, Msg::Integration, None, None),
    }
}

fn fallback_code(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "authentication_failed",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        429 => "rate_limited",
        s if s >= 500 => "unexpected_error",
        _ => "unexpected_status",
    }
}

fn matches_all(norm: &str, needles: &[&str]) -> bool {
    !needles.is_empty() && needles.iter().all(|n| norm.contains(n))
}

/// Lower-cases, folds Spanish/Portuguese accents to ASCII, and turns every other
/// non-alphanumeric run into one space — so messages match despite accents, case and
/// punctuation drift.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c => c,
    }
}

/// Replaces anything that looks like a CURP (18 letters/digits mixing both), an NSS/CPF (11
/// digits, possibly formatted `000.000.000-00`), an MFA token (≥ 6 digits) or any other long
/// digit/alnum run with `***`.
/// Used on every message that ends up in [`LinkError::detail`].
pub fn scrub_pii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if looks_like_identifier(run) {
            out.push_str("***");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        // Keep `.`/`-` inside a run only when it continues a digit group (formatted CPF).
        let joins = (c == '.' || c == '-' || c == '/')
            && run.chars().last().is_some_and(|p| p.is_ascii_digit());
        if c.is_ascii_alphanumeric() || joins {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn looks_like_identifier(run: &str) -> bool {
    let digits = run.bytes().filter(u8::is_ascii_digit).count();
    let letters = run.bytes().filter(u8::is_ascii_alphabetic).count();
    // CPF/NSS/MFA-token-like: ≥ 6 digits. CURP/RFC-like: ≥ 10 alnum mixing letters and
    // ≥ 4 digits. (Dates and ids in messages are collateral; Belvo's `request_id` is kept in
    // its own field.)
    digits >= 6 || (letters > 0 && digits >= 4 && letters + digits >= 10)
}

// ---------------------------------------------------------------------------------------------
// Local failures
// ---------------------------------------------------------------------------------------------

/// A failure detected without (or instead of) a JSON error answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Local<'a> {
    /// `fetch` rejected (DNS, connection refused, CORS…).
    Network,
    /// The per-request timeout fired.
    Timeout,
    /// The caller cancelled.
    Cancelled,
    /// A non-JSON body (e.g. Belvo's HTML 403 rate-limit page) with this status.
    NotJson {
        /// HTTP status.
        status: u16,
    },
    /// An empty body where one was expected.
    Empty {
        /// HTTP status.
        status: u16,
    },
    /// JSON that does not have the expected shape.
    Unparseable {
        /// HTTP status.
        status: u16,
    },
    /// The username failed local validation (nothing was sent).
    InvalidUsername {
        /// CURP or CPF.
        kind: Kind,
        /// The validation error.
        error: IdError,
    },
    /// A field the person must fill is empty (`password`, `token`).
    Required {
        /// The field.
        field: &'static str,
    },
    /// An option the integrator passed is invalid (`institution`, `external_id`,
    /// `fetch_resources`, `proxyUrl`…).
    InvalidOption {
        /// The option.
        field: &'static str,
        /// Why.
        detail: &'a str,
    },
    /// The resource is not offered by the link's institution.
    UnsupportedResource {
        /// e.g. `EMPLOYMENTS`.
        resource: &'static str,
    },
    /// `waitForData` timed out before every resource was announced.
    DataTimeout,
    /// A pagination `next` URL could not be followed.
    Pagination,
}

/// Builds the [`LinkError`] of a local failure.
pub fn local(l: Local<'_>, locale: Locale) -> LinkError {
    // One out-of-line constructor rather than a closure inlined into every arm (wasm size).
    #[inline(never)]
    fn make(
        category: Category,
        code: &str,
        msg: Msg,
        status: u16,
        detail: &str,
        locale: Locale,
    ) -> LinkError {
        LinkError {
            category,
            code: code.into(),
            reason: None,
            status,
            message: Cow::Borrowed(msg.text(locale)),
            detail: scrub_pii(detail),
            request_id: None,
            field: None,
            retry_after_seconds: None,
        }
    }
    let e = |category: Category, code: &str, msg: Msg, status: u16, detail: &str| {
        make(category, code, msg, status, detail, locale)
    };
    match l {
        Local::Network => e(
            Retry,
            "network_error",
            Msg::Network,
            0,
            "the request failed before any answer",
        ),
        Local::Timeout => e(
            Retry,
            "timeout",
            Msg::Timeout,
            0,
            "no answer within the request timeout",
        ),
        Local::Cancelled => e(
            Restart,
            "cancelled",
            Msg::Cancelled,
            0,
            "cancelled by the caller",
        ),
        Local::NotJson { status } => match status {
            403 | 429 => LinkError {
                retry_after_seconds: Some(RATE_LIMIT_WINDOW_SECONDS),
                ..e(
                    RetryLater,
                    "rate_limited",
                    Msg::RateLimited,
                    status,
                    "non-JSON answer: Belvo's IP rate limit page",
                )
            },
            408 => e(
                Retry,
                "request_timeout",
                Msg::Timeout,
                status,
                "non-JSON 408 answer",
            ),
            s if s >= 500 => e(
                Retry,
                "unexpected_error",
                Msg::Transient,
                s,
                "non-JSON 5xx answer",
            ),
            s => e(
                Integration,
                "not_json",
                Msg::Integration,
                s,
                "the answer is not JSON (is proxyUrl right?)",
            ),
        },
        Local::Empty { status } => match status {
            408 => e(
                Retry,
                "request_timeout",
                Msg::Timeout,
                status,
                "empty 408 answer",
            ),
            s if s >= 500 => e(
                Retry,
                "unexpected_error",
                Msg::Transient,
                s,
                "empty 5xx answer",
            ),
            s => e(
                Integration,
                "empty_body",
                Msg::Integration,
                s,
                "the answer has no body",
            ),
        },
        Local::Unparseable { status } => match status {
            s if s >= 500 => e(
                Retry,
                "unexpected_error",
                Msg::Transient,
                s,
                "unparseable 5xx answer",
            ),
            s => e(
                Integration,
                "unparseable",
                Msg::Integration,
                s,
                "the answer does not have the expected shape",
            ),
        },
        Local::InvalidUsername { kind, error } => {
            let detail = match kind {
                Kind::Curp => "the CURP is not valid",
                Kind::Cpf => "the CPF is not valid",
            };
            LinkError {
                reason: Some(error.code.as_str()),
                field: Some("username".into()),
                message: Cow::Owned(crate::id::message(kind, &error, locale)),
                ..e(FixInput, "invalid", Msg::InvalidInput, 0, detail)
            }
        }
        Local::Required { field } => {
            let msg = if field == "token" {
                Msg::TokenRequired
            } else {
                Msg::MissingCredentials
            };
            LinkError {
                field: Some(field.into()),
                ..e(FixInput, "required", msg, 0, "a required field is empty")
            }
        }
        Local::InvalidOption { field, detail } => LinkError {
            field: Some(field.into()),
            ..e(Integration, "invalid_option", Msg::Integration, 0, detail)
        },
        Local::UnsupportedResource { resource } => e(
            Integration,
            "unsupported_operation",
            Msg::Integration,
            0,
            resource,
        ),
        Local::DataTimeout => e(
            RetryLater,
            "data_timeout",
            Msg::DataTimeout,
            0,
            "the data was not announced before the timeout",
        ),
        Local::Pagination => e(
            Integration,
            "pagination",
            Msg::Integration,
            0,
            "a `next` page URL could not be followed",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Localised messages
// ---------------------------------------------------------------------------------------------

/// User-message keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Msg {
    NssCurpMismatch,
    NssNotFound,
    CurpNotInRenapo,
    CurpIncorrect,
    CurpLength,
    NoNss,
    DataInconsistency,
    PaperworkRequired,
    EmailOtherCurp,
    DailyLimit,
    BadCredentials,
    MissingCredentials,
    TokenRequired,
    InvalidInput,
    LoginUnexpected,
    AccountForbidden,
    AccountLocked,
    ActivationRequired,
    InstitutionDown,
    InstitutionInactive,
    UnavailableData,
    LimitsReached,
    PermissionDenied,
    RateLimited,
    TooManySessions,
    Transient,
    Timeout,
    Network,
    SessionExpired,
    LinkInvalid,
    Cancelled,
    DataTimeout,
    Integration,
}

impl Msg {
    /// `es`, `pt` and `en`, in that order, separated by U+001F (one string per message
    /// rather than three: a smaller table in the wasm).
    fn texts(self) -> &'static str {
        match self {
            Msg::NssCurpMismatch => tr!(
                "El IMSS tiene registrado otro NSS para esta CURP. Acude a tu subdelegación del IMSS para corregirlo.",
                "O IMSS tem outro NSS registrado para esta CURP. A pessoa precisa ir a uma subdelegação do IMSS.",
                "IMSS has a different NSS on file for this CURP. Please visit your IMSS office to correct it.",
            ),
            Msg::NssNotFound => tr!(
                "El IMSS no encontró tu Número de Seguridad Social. Acude a tu subdelegación del IMSS.",
                "O IMSS não encontrou o Número de Seguridade Social. É preciso ir a uma subdelegação do IMSS.",
                "IMSS could not find your social security number (NSS). Please visit your IMSS office.",
            ),
            Msg::CurpNotInRenapo => tr!(
                "Tu CURP no aparece en RENAPO. Revisa que la hayas escrito bien.",
                "A CURP não foi encontrada no RENAPO. Verifique se foi digitada corretamente.",
                "Your CURP was not found in RENAPO. Please check that you typed it correctly.",
            ),
            Msg::CurpIncorrect => tr!(
                "La CURP es incorrecta. Revísala e inténtalo de nuevo.",
                "A CURP está incorreta. Verifique e tente novamente.",
                "The CURP is incorrect. Please check it and try again.",
            ),
            Msg::CurpLength => tr!(
                "La CURP debe tener 18 caracteres.",
                "A CURP deve ter 18 caracteres.",
                "The CURP must be 18 characters long.",
            ),
            Msg::NoNss => tr!(
                "No tienes Número de Seguridad Social asignado. Acude a tu subdelegación del IMSS para obtenerlo.",
                "A pessoa não tem Número de Seguridade Social. É preciso ir a uma subdelegação do IMSS.",
                "You do not have a social security number (NSS) yet. Please visit your IMSS office to get one.",
            ),
            Msg::DataInconsistency => tr!(
                "Tus datos en el IMSS tienen una inconsistencia. Acude a tu subdelegación del IMSS para obtener tu NSS.",
                "Os dados no IMSS apresentam uma inconsistência. É preciso ir a uma subdelegação do IMSS.",
                "Your IMSS records are inconsistent. Please visit your IMSS office to get your NSS.",
            ),
            Msg::PaperworkRequired => tr!(
                "Debes acudir a la subdelegación del IMSS más cercana a tu domicilio para presentar un trámite.",
                "É preciso ir à subdelegação do IMSS mais próxima para apresentar um trâmite.",
                "You need to visit the IMSS office nearest to your home to complete some paperwork.",
            ),
            Msg::EmailOtherCurp => tr!(
                "Tu correo está registrado en el IMSS con otra CURP. Revisa que la CURP sea la tuya.",
                "O e-mail está registrado no IMSS com outra CURP. Verifique se a CURP está correta.",
                "Your e-mail is registered at IMSS with a different CURP. Please check that the CURP is yours.",
            ),
            Msg::DailyLimit => tr!(
                "Se agotaron los intentos permitidos por día para esta CURP. Inténtalo de nuevo mañana.",
                "As tentativas diárias para este documento se esgotaram. Tente novamente amanhã.",
                "The daily number of attempts for this ID has been used up. Please try again tomorrow.",
            ),
            Msg::BadCredentials => tr!(
                "Los datos de acceso no son correctos. Revísalos e inténtalo de nuevo.",
                "Os dados de acesso estão incorretos. Verifique e tente novamente.",
                "The login details are not correct. Please check them and try again.",
            ),
            Msg::MissingCredentials => tr!(
                "Falta la contraseña.",
                "Informe a senha.",
                "The password is missing.",
            ),
            Msg::TokenRequired => tr!(
                "Escribe el código de verificación.",
                "Digite o código de verificação.",
                "Please enter the verification code.",
            ),
            Msg::InvalidInput => tr!(
                "Uno de los datos no es válido. Revísalo e inténtalo de nuevo.",
                "Um dos dados não é válido. Verifique e tente novamente.",
                "One of the values is not valid. Please check it and try again.",
            ),
            Msg::LoginUnexpected => tr!(
                "La institución no respondió como se esperaba. Inténtalo de nuevo más tarde.",
                "A instituição não respondeu como esperado. Tente novamente mais tarde.",
                "The institution did not respond as expected. Please try again later.",
            ),
            Msg::AccountForbidden => tr!(
                "La institución bloqueó el acceso a tu cuenta. Acude a la institución para resolverlo.",
                "A instituição bloqueou o acesso à conta. É preciso procurar a instituição.",
                "The institution has blocked access to your account. Please contact the institution in person.",
            ),
            Msg::AccountLocked => tr!(
                "Tu cuenta está bloqueada en la institución. Acude a la institución para desbloquearla.",
                "A conta está bloqueada na instituição. É preciso procurar a instituição para desbloqueá-la.",
                "Your account is locked at the institution. Please contact the institution to unlock it.",
            ),
            Msg::ActivationRequired => tr!(
                "Tu acceso en línea con la institución no está activado. Actívalo con la institución y vuelve a intentarlo.",
                "O acesso online na instituição não está ativado. Ative-o junto à instituição e tente novamente.",
                "Your online access with the institution is not activated. Activate it with the institution and try again.",
            ),
            Msg::InstitutionDown => tr!(
                "La institución no está disponible en este momento. Inténtalo de nuevo más tarde.",
                "A instituição está indisponível no momento. Tente novamente mais tarde.",
                "The institution is unavailable right now. Please try again later.",
            ),
            Msg::InstitutionInactive => tr!(
                "La conexión con la institución está desactivada temporalmente. Inténtalo de nuevo más tarde.",
                "A conexão com a instituição está temporariamente desativada. Tente novamente mais tarde.",
                "The connection to this institution is temporarily disabled. Please try again later.",
            ),
            Msg::UnavailableData => tr!(
                "La institución no devolvió datos. Inténtalo de nuevo más tarde.",
                "A instituição não retornou dados. Tente novamente mais tarde.",
                "The institution returned no data. Please try again later.",
            ),
            Msg::LimitsReached => tr!(
                "Se alcanzó el límite de consultas. Inténtalo de nuevo más tarde.",
                "O limite de consultas foi atingido. Tente novamente mais tarde.",
                "The request limit has been reached. Please try again later.",
            ),
            Msg::PermissionDenied => tr!(
                "La institución rechazó la consulta. Inténtalo de nuevo más tarde.",
                "A instituição recusou a consulta. Tente novamente mais tarde.",
                "The institution refused the request. Please try again later.",
            ),
            Msg::RateLimited => tr!(
                "Hay demasiadas solicitudes en este momento. Espera un momento e inténtalo de nuevo.",
                "Há muitas solicitações no momento. Aguarde um pouco e tente novamente.",
                "Too many requests right now. Please wait a moment and try again.",
            ),
            Msg::TooManySessions => tr!(
                "Ya hay una sesión abierta con la institución. Espera unos minutos e inténtalo de nuevo.",
                "Já existe uma sessão aberta com a instituição. Aguarde alguns minutos e tente novamente.",
                "A session with the institution is already open. Please wait a few minutes and try again.",
            ),
            Msg::Transient => tr!(
                "Ocurrió un problema temporal. Inténtalo de nuevo.",
                "Ocorreu um problema temporário. Tente novamente.",
                "A temporary problem occurred. Please try again.",
            ),
            Msg::Timeout => tr!(
                "La institución tardó demasiado en responder. Inténtalo de nuevo.",
                "A instituição demorou demais para responder. Tente novamente.",
                "The institution took too long to respond. Please try again.",
            ),
            Msg::Network => tr!(
                "No hay conexión con el servicio. Revisa tu conexión e inténtalo de nuevo.",
                "Não foi possível conectar ao serviço. Verifique a conexão e tente novamente.",
                "Could not reach the service. Please check your connection and try again.",
            ),
            Msg::SessionExpired => tr!(
                "La sesión expiró. Vuelve a empezar.",
                "A sessão expirou. Comece novamente.",
                "The session has expired. Please start again.",
            ),
            Msg::LinkInvalid => tr!(
                "La conexión ya no es válida. Vuelve a empezar.",
                "A conexão não é mais válida. Comece novamente.",
                "The connection is no longer valid. Please start again.",
            ),
            Msg::Cancelled => tr!(
                "Se canceló la operación.",
                "A operação foi cancelada.",
                "The operation was cancelled.",
            ),
            Msg::DataTimeout => tr!(
                "Tus datos todavía no están listos. Inténtalo de nuevo en unos minutos.",
                "Os dados ainda não estão prontos. Tente novamente em alguns minutos.",
                "Your data is not ready yet. Please try again in a few minutes.",
            ),
            Msg::Integration => tr!(
                "El servicio no está configurado correctamente. Inténtalo más tarde o contacta a soporte.",
                "O serviço não está configurado corretamente. Tente mais tarde ou contate o suporte.",
                "The service is not configured correctly. Please try later or contact support.",
            ),
        }
    }

    fn text(self, locale: Locale) -> &'static str {
        crate::text::part(self.texts(), locale as usize)
    }
}
