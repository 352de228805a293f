//! The emulator's on-demand scenarios: each is triggered by a documented, *valid* CURP or
//! CPF (so it passes client-side validation) and makes `POST /api/links/` answer a specific
//! way. The same table is published as `emulator/scenarios.json` and served at
//! `GET /__emulator/scenarios` in emulator mode.

use serde::Serialize;
use serde_json::{json, Value};

use crate::belvo::institution::Country::{self, Br, Mx};
use crate::belvo::wire::TokenGenerationData;

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
    /// Proceed normally with many data entries: one MX employment-record profile with
    /// [`MANY_MX`] employments; [`MANY_BR`] BR employments (three pages of 10).
    Many,
    /// INSS: the MFA session expires after 1 second (`expiry: "1"`).
    ShortSession,
    /// INSS: the 428 shows a code (`type: numeric`, a 6-digit `value`) instead of the
    /// seed's `inputless` challenge; the tokens work as usual.
    NumericChallenge,
    /// INSS: the person approves the login on their app or device (`type: inputless`,
    /// `expects_user_input: false`): a `PATCH` without a token (or with `111111`) links.
    DeviceApproval,
    /// Proceed normally, but the first data request for the link (any data endpoint) answers
    /// `500 unexpected_error`; every later one answers normally.
    DataErrorOnce,
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

/// A row of the table. MX rows apply to every MX institution (documented at IMSS) and are
/// triggered by a CURP; BR rows apply to INSS and are triggered by a CPF (with any password).
const fn row(
    country: Country,
    name: &'static str,
    identifier: &'static str,
    behavior: Behavior,
    description: &'static str,
) -> Scenario {
    Scenario {
        name,
        country,
        institution: match country {
            Country::Mx => IMSS,
            Country::Br => INSS,
        },
        identifier,
        behavior,
        description,
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
/// digit) and CPFs `1000000NN??` (NN = scenario number, valid check digits). One row per
/// scenario: MX rows apply to every MX institution (documented at IMSS), BR rows to INSS.
#[rustfmt::skip]
pub const SCENARIOS: &[Scenario] = &[
    // --- The ten IMSS errors of the seed table (exact status, code and message). ---
    row(Mx, "imss_nss_mismatch", "EXMU900101HDFRRN09", err(400, "invalid_credentials", "El NSS capturado no coincide con la CURP"), "The NSS associated with the CURP does not match."),
    row(Mx, "imss_nss_not_found", "EXMU900102HDFRRN00", err(400, "login_error", "El NSS no fue localizado en el IMSS"), "The NSS is not present in the IMSS system."),
    row(Mx, "imss_curp_not_in_renapo", "EXMU900103HDFRRN01", err(400, "login_error", "El CURP proporcionado no fue localizado en la entidad externa RENAPO"), "The CURP was not found in RENAPO."),
    row(Mx, "imss_curp_incorrect", "EXMU900104HDFRRN02", err(400, "login_error", "CURP es incorrecto"), "IMSS says the CURP is incorrect."),
    row(Mx, "imss_curp_length", "EXMU900105HDFRRN03", err(400, "login_error", "Por favor, ingresa un CURP válido. Debe contener 18 caracteres"), "IMSS says the CURP must have 18 characters."),
    row(Mx, "imss_no_nss", "EXMU900106HDFRRN04", err(400, "login_error", "La persona no cuenta con NSS"), "The person has no NSS."),
    row(Mx, "imss_data_inconsistency", "EXMU900107HDFRRN05", err(400, "login_error", "Los datos registrados en el IMSS asociados a la CURP, presentan alguna inconsistencia, por favor acude a tu Subdelegación para obtener tu Número de Seguridad Social."), "IMSS data is inconsistent; the person must visit a Subdelegación."),
    row(Mx, "imss_visit_subdelegation", "EXMU900108HDFRRN06", err(400, "login_error", "Es necesario que acudas a la subdelegación más cercana a tu domicilio a presentar tu trámite"), "The person must file paperwork at the nearest IMSS office."),
    row(Mx, "imss_email_registered", "EXMU900109HDFRRN07", err(400, "login_error", "El correo ya está registrado con otro CURP"), "The e-mail is registered with another CURP."),
    row(Mx, "imss_daily_limit", "EXMU900110HDFRRN08", err(403, "forbidden_by_host", "Has agotado el número de solicitudes permitidas por día."), "IMSS's own limit: the CURP was used more than three times in 24 h."),
    // --- Generic Belvo behaviours (MX). ---
    row(Mx, "institution_down", "EXMU900111HDFRRN09", err(400, "institution_down", INSTITUTION_DOWN), "The institution is down."),
    row(Mx, "too_many_sessions_once", "EXMU900112HDFRRN00", Behavior::TooManySessionsOnce, "400 too_many_sessions on the first attempt, then the link is created."),
    row(Mx, "unexpected_error", "EXMU900113HDFRRN01", err(500, "unexpected_error", UNEXPECTED_ERROR), "Belvo's 500."),
    row(Mx, "request_timeout", "EXMU900114HDFRRN02", err(408, "request_timeout", REQUEST_TIMEOUT), "Belvo's own 408 (its 5-minute login limit)."),
    row(Mx, "bad_keys", "EXMU900115HDFRRN03", err(401, "authentication_failed", INVALID_KEYS), "Belvo answers as if the proxy's secret keys were wrong."),
    row(Mx, "rate_limit_html", "EXMU900116HDFRRN04", Behavior::HtmlRateLimit, "Belvo's HTML 403 IP rate-limit page (the proxy turns it into 403 rate_limited JSON)."),
    row(Mx, "slow_answer", "EXMU900117HDFRRN05", Behavior::Slow, "The link is created, but the answer comes after EMULATOR_SLOW_MS (default 3000 ms)."),
    row(Mx, "malformed_json", "EXMU900118HDFRRN06", Behavior::MalformedJson, "The link is created (webhooks follow) but the 201 body is truncated JSON (the proxy answers 502)."),
    row(Mx, "many_records", "EXMU900119HDFRRN07", Behavior::Many, "One employment-record profile (Belvo returns one per link) holding 26 employments."),
    // --- Brazil (INSS: CPF + any password). ---
    row(Br, "br_institution_down", "10000001171", err(400, "institution_down", INSTITUTION_DOWN), "The institution is down (answered to the POST, before any MFA)."),
    row(Br, "br_too_many_sessions_once", "10000001252", Behavior::TooManySessionsOnce, "400 too_many_sessions on the first attempt, then the usual 428."),
    row(Br, "br_unexpected_error", "10000001333", err(500, "unexpected_error", UNEXPECTED_ERROR), "Belvo's 500."),
    row(Br, "br_request_timeout", "10000001414", err(408, "request_timeout", REQUEST_TIMEOUT), "Belvo's own 408."),
    row(Br, "br_bad_keys", "10000001503", err(401, "authentication_failed", INVALID_KEYS), "Belvo answers as if the proxy's secret keys were wrong."),
    row(Br, "br_rate_limit_html", "10000001686", Behavior::HtmlRateLimit, "Belvo's HTML 403 IP rate-limit page."),
    row(Br, "br_slow_answer", "10000001767", Behavior::Slow, "The usual 428, answered after EMULATOR_SLOW_MS."),
    row(Br, "br_malformed_json", "10000001848", Behavior::MalformedJson, "Truncated JSON with status 201 (no MFA; the link is created and webhooks follow)."),
    row(Br, "br_many_employments", "10000001929", Behavior::Many, "27 employments after MFA: 3 pages of 10."),
    row(Br, "br_short_session", "10000002062", Behavior::ShortSession, "The 428 says expiry \"1\": a PATCH after one second answers 400 session_expired."),
    row(Br, "br_invalid_credentials", "10000002143", err(400, "login_error", INVALID_CREDENTIALS), "Wrong CPF/password at INSS."),
    // --- Later additions (MX). ---
    row(Mx, "data_error_once", "EXMU900131HDFRRN09", Behavior::DataErrorOnce, "The link is created (201); the first data request for it answers 500 unexpected_error once, then the data is served (a client retry succeeds)."),
    // --- Other INSS token types (the default is the seed's inputless challenge). ---
    row(Br, "br_numeric_challenge", "10000002224", Behavior::NumericChallenge, "The 428 asks for a numeric challenge: a 6-digit code to show (token_generation_data.value); tokens as usual."),
    row(Br, "br_device_approval", "10000002305", Behavior::DeviceApproval, "The 428 asks the person to approve on their app or device (inputless, expects_user_input false): a PATCH without a token links."),
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
        Country::Mx => std::vec![
            "imss_mx_employment",
            "issste_mx_employment",
            "planet_mx_employment"
        ],
        Country::Br => std::vec!["inss_br_employment"],
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
    // The status of a link creation that proceeds normally: 428 (MFA) at INSS, else 201.
    let proceeds = if s.country == Country::Br { 428 } else { 201 };
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
            "behavior": "slow", "status": proceeds,
            "delay": "EMULATOR_SLOW_MS (default 3000)",
        }),
        Behavior::MalformedJson => json!({
            "behavior": "malformed_json", "status": 201,
            "via_proxy": {"status": 502, "code": "upstream_invalid_response"},
        }),
        // `entries`: the rows a client shows; `pages`: the GETs it takes at the default page
        // size (MX: one profile, so one page).
        Behavior::Many if s.country == Country::Br => json!({
            "behavior": "many", "status": proceeds, "entries": MANY_BR, "pages": 3,
        }),
        Behavior::Many => json!({
            "behavior": "many", "status": proceeds, "profiles": 1, "entries": MANY_MX, "pages": 1,
        }),
        Behavior::ShortSession => json!({
            "behavior": "short_session", "status": 428, "expiry": "1",
            "then": {"status": 400, "code": "session_expired"},
        }),
        Behavior::NumericChallenge | Behavior::DeviceApproval => json!({
            "behavior": if s.behavior == Behavior::NumericChallenge { "numeric_challenge" } else { "device_approval" },
            "status": 428,
            "token_generation_data": token_generation_data(Some(s), "<6 random digits, new with each 428>"),
            "tokens": if s.behavior == Behavior::NumericChallenge {
                json!({"111111": "200 link", "anything else": "new 428 (new session)"})
            } else {
                json!({"none (PATCH without token)": "200 link", "111111": "200 link", "anything else": "new 428 (new session)"})
            },
        }),
        Behavior::DataErrorOnce => json!({
            "behavior": "data_error_once", "status": proceeds,
            "first_data_request": {"status": 500, "code": "unexpected_error", "message": UNEXPECTED_ERROR},
            "then": "200, the data as usual",
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
/// Seconds an INSS MFA session lives, as the seed's 428 writes it (a string).
pub const SESSION_EXPIRY: &str = "120";
/// Belvo's message of a 428 `token_required`.
pub const TOKEN_REQUIRED: &str = "A MFA token is required by the institution to login";
/// The seed's INSS challenge instructions (`type: inputless`, the person types a token).
pub const INSTRUCTIONS_INPUTLESS: &str = "Use your app or device to generate a token";
/// The instructions of the `numeric` challenge (Belvo's documented example).
pub const INSTRUCTIONS_NUMERIC: &str = "Use this code to generate the token";
/// The instructions of the device-approval challenge.
pub const INSTRUCTIONS_APPROVE: &str = "Approve the login in your app or device";

/// The `token_generation_data` of the 428 for a link with `scenario`: the seed's
/// (`inputless`, no value, the person types the token their app or device generates) unless
/// the scenario asks for another token type. `code` is the numeric challenge's value.
pub(crate) fn token_generation_data(
    scenario: Option<&Scenario>,
    code: &str,
) -> TokenGenerationData {
    let (instructions, kind, value, input) = match scenario.map(|s| s.behavior) {
        Some(Behavior::NumericChallenge) => {
            (INSTRUCTIONS_NUMERIC, "numeric", Some(code.to_owned()), true)
        }
        Some(Behavior::DeviceApproval) => (INSTRUCTIONS_APPROVE, "inputless", None, false),
        _ => (INSTRUCTIONS_INPUTLESS, "inputless", None, true),
    };
    TokenGenerationData {
        instructions: Some(instructions.to_owned()),
        kind: Some(kind.to_owned()),
        value,
        expects_user_input: Some(input),
    }
}

/// Whether `token` (empty when the PATCH has none) completes the MFA of a link with
/// `scenario`: [`TOKEN_OK`], or no token at all when the person approves on a device.
pub(crate) fn token_accepted(scenario: Option<&Scenario>, token: &str) -> bool {
    token == TOKEN_OK
        || (token.is_empty() && scenario.is_some_and(|s| s.behavior == Behavior::DeviceApproval))
}

/// A 428 `token_required` item, with the keys in the order of the seed's body.
#[derive(Serialize)]
struct TokenRequired<'a> {
    code: &'a str,
    message: &'a str,
    session: &'a str,
    expiry: String,
    link: &'a str,
    token_generation_data: TokenGenerationData,
    request_id: &'a str,
}

/// The body of the 428 that asks for a token: exactly the seed's shape (`expiry` as a
/// string of seconds), with the challenge of `scenario` ([`token_generation_data`]).
pub(crate) fn token_required_body(
    scenario: Option<&Scenario>,
    session: &str,
    expiry_secs: u64,
    link: &str,
    request_id: &str,
    code: &str,
) -> Vec<u8> {
    let item = TokenRequired {
        code: "token_required",
        message: TOKEN_REQUIRED,
        session,
        expiry: expiry_secs.to_string(),
        link,
        token_generation_data: token_generation_data(scenario, code),
        request_id,
    };
    serde_json::to_vec(&[item]).unwrap_or_default()
}

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
                "data": "1 employment-record profile (one per link, as Belvo) with 3-6 employments, salary updates and social-security weeks; 1 owner with a Mexican address; 1 employment-metrics object (IMSS/planet; reference_date null unless a retrieval asks for one)",
            },
            "br": {
                "identifier": "any other valid CPF (e.g. 15387204690) and any non-empty password",
                "status": 428,
                "challenge": {
                    "expiry": SESSION_EXPIRY,
                    "token_generation_data": token_generation_data(None, ""),
                },
                "tokens": {
                    "111111": "200 link (status valid)",
                    "999999": "new 428 (new session)",
                    "anything else": "new 428 (new session)",
                },
                "expired_session": "400 session_expired",
                "data": "3-6 employments, each with its employer's CNAE activity (code - description), its CBO occupation and up to 12 monthly salaries in consecutive calendar months; 1 owner with a Brazilian address",
            },
            "dates": "relative to the emulator's clock (the day the link's data is collected; POST /__emulator/clock moves it) and deterministic per identifier: the same CURP or CPF is the same history, ending today",
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
