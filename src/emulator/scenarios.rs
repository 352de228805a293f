//! The emulator's on-demand scenarios: each is triggered by a documented, *valid* CURP or
//! CPF (so it passes client-side validation) and makes `POST /api/links/` answer a specific
//! way. The same table is published as `emulator/scenarios.json` and served at
//! `GET /__emulator/scenarios` in emulator mode.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use crate::belvo::institution::Country;

/// What a scenario does at link creation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behavior {
    /// Answer this JSON error (Belvo's shape) instead of creating the link.
    Error {
        /// HTTP status.
        status: u16,
        /// Belvo error code.
        code: &'static str,
        /// Exact message.
        message: &'static str,
    },
    /// `400 too_many_sessions` the first time the identifier is used, then proceed normally.
    TooManySessionsOnce,
    /// Belvo's HTML IP rate-limit page (403, `text/html`, openresty).
    HtmlRateLimit,
    /// Proceed normally, but answer only after the configured slow delay.
    Slow,
    /// Create the link (and send its webhooks) but answer `201` with a truncated JSON body.
    MalformedJson,
    /// Proceed normally with many data entries (three pages of 10).
    Many,
    /// INSS: the MFA session expires after 1 second (`expiry: 1`).
    ShortSession,
}

/// One scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Stable name.
    pub name: &'static str,
    /// Which country's institutions it applies to (MX: every MX institution; BR: INSS).
    pub country: Country,
    /// The institution the documentation uses for it.
    pub institution: &'static str,
    /// The identifier that triggers it (a valid CURP or CPF).
    pub identifier: &'static str,
    /// What happens.
    pub behavior: Behavior,
    /// One-line description.
    pub description: &'static str,
}

const IMSS: &str = "imss_mx_employment";
const INSS: &str = "inss_br_employment";

const fn err(status: u16, code: &'static str, message: &'static str) -> Behavior {
    Behavior::Error {
        status,
        code,
        message,
    }
}

/// Message of Belvo's `too_many_sessions`.
pub const TOO_MANY_SESSIONS: &str =
    "Impossible to login, a session is already opened with the institution for these credentials";
/// Message of Belvo's `institution_down`.
pub const INSTITUTION_DOWN: &str = "The financial institution is down, try again later";
/// Message of Belvo's `unexpected_error`.
pub const UNEXPECTED_ERROR: &str = "Belvo is unable to process the request due to an internal system issue or to an unsupported response from an institution";
/// Message of Belvo's `request_timeout`.
pub const REQUEST_TIMEOUT: &str = "The request timed out, you can retry asking for less data.";
/// Message of Belvo's `authentication_failed`.
pub const INVALID_KEYS: &str = "Invalid Secret Keys";
/// Message of Belvo's generic `login_error`.
pub const INVALID_CREDENTIALS: &str = "Invalid credentials provided to login to the institution";

/// Every scenario. Identifiers: CURPs `EXMU9001DDHDFRRN0?` (DD = scenario number, valid check
/// digit) and CPFs `1000000NN??` (NN = scenario number, valid check digits).
pub const SCENARIOS: &[Scenario] = &[
    // --- The ten IMSS errors of the seed table (exact status, code and message). ---
    Scenario { name: "imss_nss_mismatch", country: Country::Mx, institution: IMSS, identifier: "EXMU900101HDFRRN09",
        behavior: err(400, "invalid_credentials", "El NSS capturado no coincide con la CURP"),
        description: "The NSS associated with the CURP does not match." },
    Scenario { name: "imss_nss_not_found", country: Country::Mx, institution: IMSS, identifier: "EXMU900102HDFRRN00",
        behavior: err(400, "login_error", "El NSS no fue localizado en el IMSS"),
        description: "The NSS is not present in the IMSS system." },
    Scenario { name: "imss_curp_not_in_renapo", country: Country::Mx, institution: IMSS, identifier: "EXMU900103HDFRRN01",
        behavior: err(400, "login_error", "El CURP proporcionado no fue localizado en la entidad externa RENAPO"),
        description: "The CURP was not found in RENAPO." },
    Scenario { name: "imss_curp_incorrect", country: Country::Mx, institution: IMSS, identifier: "EXMU900104HDFRRN02",
        behavior: err(400, "login_error", "CURP es incorrecto"),
        description: "IMSS says the CURP is incorrect." },
    Scenario { name: "imss_curp_length", country: Country::Mx, institution: IMSS, identifier: "EXMU900105HDFRRN03",
        behavior: err(400, "login_error", "Por favor, ingresa un CURP válido. Debe contener 18 caracteres"),
        description: "IMSS says the CURP must have 18 characters." },
    Scenario { name: "imss_no_nss", country: Country::Mx, institution: IMSS, identifier: "EXMU900106HDFRRN04",
        behavior: err(400, "login_error", "La persona no cuenta con NSS"),
        description: "The person has no NSS." },
    Scenario { name: "imss_data_inconsistency", country: Country::Mx, institution: IMSS, identifier: "EXMU900107HDFRRN05",
        behavior: err(400, "login_error", "Los datos registrados en el IMSS asociados a la CURP, presentan alguna inconsistencia, por favor acude a tu Subdelegación para obtener tu Número de Seguridad Social."),
        description: "IMSS data is inconsistent; the person must visit a Subdelegación." },
    Scenario { name: "imss_visit_subdelegation", country: Country::Mx, institution: IMSS, identifier: "EXMU900108HDFRRN06",
        behavior: err(400, "login_error", "Es necesario que acudas a la subdelegación más cercana a tu domicilio a presentar tu trámite"),
        description: "The person must file paperwork at the nearest IMSS office." },
    Scenario { name: "imss_email_registered", country: Country::Mx, institution: IMSS, identifier: "EXMU900109HDFRRN07",
        behavior: err(400, "login_error", "El correo ya está registrado con otro CURP"),
        description: "The e-mail is registered with another CURP." },
    Scenario { name: "imss_daily_limit", country: Country::Mx, institution: IMSS, identifier: "EXMU900110HDFRRN08",
        behavior: err(403, "forbidden_by_host", "Has agotado el número de solicitudes permitidas por día."),
        description: "IMSS's own limit: the CURP was used more than three times in 24 h." },
    // --- Generic Belvo behaviours (MX). ---
    Scenario { name: "institution_down", country: Country::Mx, institution: IMSS, identifier: "EXMU900111HDFRRN09",
        behavior: err(400, "institution_down", INSTITUTION_DOWN),
        description: "The institution is down." },
    Scenario { name: "too_many_sessions_once", country: Country::Mx, institution: IMSS, identifier: "EXMU900112HDFRRN00",
        behavior: Behavior::TooManySessionsOnce,
        description: "400 too_many_sessions on the first attempt, then the link is created." },
    Scenario { name: "unexpected_error", country: Country::Mx, institution: IMSS, identifier: "EXMU900113HDFRRN01",
        behavior: err(500, "unexpected_error", UNEXPECTED_ERROR),
        description: "Belvo's 500." },
    Scenario { name: "request_timeout", country: Country::Mx, institution: IMSS, identifier: "EXMU900114HDFRRN02",
        behavior: err(408, "request_timeout", REQUEST_TIMEOUT),
        description: "Belvo's own 408 (its 5-minute login limit)." },
    Scenario { name: "bad_keys", country: Country::Mx, institution: IMSS, identifier: "EXMU900115HDFRRN03",
        behavior: err(401, "authentication_failed", INVALID_KEYS),
        description: "Belvo answers as if the proxy's secret keys were wrong." },
    Scenario { name: "rate_limit_html", country: Country::Mx, institution: IMSS, identifier: "EXMU900116HDFRRN04",
        behavior: Behavior::HtmlRateLimit,
        description: "Belvo's HTML 403 IP rate-limit page (the proxy turns it into 403 rate_limited JSON)." },
    Scenario { name: "slow_answer", country: Country::Mx, institution: IMSS, identifier: "EXMU900117HDFRRN05",
        behavior: Behavior::Slow,
        description: "The link is created, but the answer comes after EMULATOR_SLOW_MS (default 3000 ms)." },
    Scenario { name: "malformed_json", country: Country::Mx, institution: IMSS, identifier: "EXMU900118HDFRRN06",
        behavior: Behavior::MalformedJson,
        description: "The link is created (webhooks follow) but the 201 body is truncated JSON (the proxy answers 502)." },
    Scenario { name: "many_records", country: Country::Mx, institution: IMSS, identifier: "EXMU900119HDFRRN07",
        behavior: Behavior::Many,
        description: "26 employment-record profiles of one employment each: 3 pages of 10." },
    // --- Brazil (INSS: CPF + any password). ---
    Scenario { name: "br_institution_down", country: Country::Br, institution: INSS, identifier: "10000001171",
        behavior: err(400, "institution_down", INSTITUTION_DOWN),
        description: "The institution is down (answered to the POST, before any MFA)." },
    Scenario { name: "br_too_many_sessions_once", country: Country::Br, institution: INSS, identifier: "10000001252",
        behavior: Behavior::TooManySessionsOnce,
        description: "400 too_many_sessions on the first attempt, then the usual 428." },
    Scenario { name: "br_unexpected_error", country: Country::Br, institution: INSS, identifier: "10000001333",
        behavior: err(500, "unexpected_error", UNEXPECTED_ERROR),
        description: "Belvo's 500." },
    Scenario { name: "br_request_timeout", country: Country::Br, institution: INSS, identifier: "10000001414",
        behavior: err(408, "request_timeout", REQUEST_TIMEOUT),
        description: "Belvo's own 408." },
    Scenario { name: "br_bad_keys", country: Country::Br, institution: INSS, identifier: "10000001503",
        behavior: err(401, "authentication_failed", INVALID_KEYS),
        description: "Belvo answers as if the proxy's secret keys were wrong." },
    Scenario { name: "br_rate_limit_html", country: Country::Br, institution: INSS, identifier: "10000001686",
        behavior: Behavior::HtmlRateLimit,
        description: "Belvo's HTML 403 IP rate-limit page." },
    Scenario { name: "br_slow_answer", country: Country::Br, institution: INSS, identifier: "10000001767",
        behavior: Behavior::Slow,
        description: "The usual 428, answered after EMULATOR_SLOW_MS." },
    Scenario { name: "br_malformed_json", country: Country::Br, institution: INSS, identifier: "10000001848",
        behavior: Behavior::MalformedJson,
        description: "Truncated JSON with status 201 (no MFA; the link is created and webhooks follow)." },
    Scenario { name: "br_many_employments", country: Country::Br, institution: INSS, identifier: "10000001929",
        behavior: Behavior::Many,
        description: "27 employments after MFA: 3 pages of 10." },
    Scenario { name: "br_short_session", country: Country::Br, institution: INSS, identifier: "10000002062",
        behavior: Behavior::ShortSession,
        description: "The 428 says expiry 1: a PATCH after one second answers 400 session_expired." },
    Scenario { name: "br_invalid_credentials", country: Country::Br, institution: INSS, identifier: "10000002143",
        behavior: err(400, "login_error", INVALID_CREDENTIALS),
        description: "Wrong CPF/password at INSS." },
];

/// The scenario triggered by `identifier` (normalised) at an institution of `country`.
pub fn find(country: Country, identifier: &str) -> Option<&'static Scenario> {
    SCENARIOS
        .iter()
        .find(|s| s.country == country && s.identifier == identifier)
}

fn country_str(c: Country) -> &'static str {
    match c {
        Country::Mx => "MX",
        Country::Br => "BR",
    }
}

fn institutions_of(c: Country) -> Vec<&'static str> {
    match c {
        Country::Mx => alloc::vec![
            "imss_mx_employment",
            "issste_mx_employment",
            "planet_mx_employment"
        ],
        Country::Br => alloc::vec!["inss_br_employment"],
    }
}

fn scenario_json(s: &Scenario) -> Value {
    let mut v = json!({
        "name": s.name,
        "country": country_str(s.country),
        "institution": s.institution,
        "institutions": institutions_of(s.country),
        "identifier": s.identifier,
        "description": s.description,
    });
    let extra = match s.behavior {
        Behavior::Error {
            status,
            code,
            message,
        } => json!({
            "behavior": "error", "status": status, "code": code, "message": message,
        }),
        Behavior::TooManySessionsOnce => json!({
            "behavior": "too_many_sessions_once", "status": 400, "code": "too_many_sessions",
            "message": TOO_MANY_SESSIONS,
            "then": if s.country == Country::Br { "428 token_required" } else { "201 link" },
        }),
        Behavior::HtmlRateLimit => json!({
            "behavior": "html_rate_limit", "status": 403, "content_type": "text/html",
            "via_proxy": {"status": 403, "code": "rate_limited"},
        }),
        Behavior::Slow => json!({
            "behavior": "slow", "status": if s.country == Country::Br { 428 } else { 201 },
            "delay": "EMULATOR_SLOW_MS (default 3000)",
        }),
        Behavior::MalformedJson => json!({
            "behavior": "malformed_json", "status": 201,
            "via_proxy": {"status": 502, "code": "upstream_invalid_response"},
        }),
        Behavior::Many => json!({
            "behavior": "many", "status": if s.country == Country::Br { 428 } else { 201 },
            "entries": if s.country == Country::Br { MANY_BR } else { MANY_MX },
            "pages": 3,
        }),
        Behavior::ShortSession => json!({
            "behavior": "short_session", "status": 428, "expiry": 1,
            "then": {"status": 400, "code": "session_expired"},
        }),
    };
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    if s.country == Country::Br {
        if let Value::Object(m) = &mut v {
            m.insert("password".into(), "any non-empty password".into());
        }
    }
    v
}

/// MX `many_records` profile count.
pub const MANY_MX: usize = 26;
/// BR `br_many_employments` count.
pub const MANY_BR: usize = 27;
/// The token that completes an INSS link.
pub const TOKEN_OK: &str = "111111";
/// The token that answers a new 428 (any other token does too).
pub const TOKEN_AGAIN: &str = "999999";
/// The sandbox CURP Belvo documents for `planet_mx_employment`.
pub const SANDBOX_CURP: &str = "BLPM951331IONVGR54";

/// The whole table as JSON (the content of `emulator/scenarios.json`).
pub fn table_json() -> Value {
    let list: Vec<Value> = SCENARIOS.iter().map(scenario_json).collect();
    json!({
        "version": 1,
        "about": "Belvo sandbox emulator scenarios. POST /api/links/ with `identifier` as username at `institution` (any MX institution for CURPs; inss_br_employment with any password for CPFs).",
        "page_size": 10,
        "defaults": {
            "mx": {
                "identifier": "any other valid CURP (e.g. PEXA850412HJCRRN09); planet_mx_employment also accepts any 18 letters/digits, e.g. BLPM951331IONVGR54",
                "status": 201,
                "data": "1 employment-record profile with 3-6 employers, salary updates and social-security weeks; 1 owner; 1 employment-metrics object (IMSS/planet)",
            },
            "br": {
                "identifier": "any other valid CPF (e.g. 15387204690) and any non-empty password",
                "status": 428,
                "challenge": {"type": "numeric", "expiry": 120},
                "tokens": {
                    "111111": "200 link (status valid)",
                    "999999": "new 428 (new session)",
                    "anything else": "new 428 (new session)",
                },
                "expired_session": "400 session_expired",
                "data": "3-6 employments with monthly salaries; 1 owner",
            },
            "webhooks": "historical_update for each fetch_resource (EMPLOYMENT_RECORDS or EMPLOYMENTS, OWNERS, EMPLOYMENT_METRICS) with counts, delivered to POST /webhooks with WEBHOOK_TOKEN after EMULATOR_WEBHOOK_DELAY_MS (default 1000); data endpoints answer empty pages until then",
        },
        "scenarios": list,
    })
}

/// The table as pretty JSON text with a trailing newline (byte-identical to the file).
pub fn table_json_string() -> String {
    let mut s = serde_json::to_string_pretty(&table_json()).unwrap_or_default();
    s.push('\n');
    s
}
