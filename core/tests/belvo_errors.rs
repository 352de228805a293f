//! The error catalogue, table-driven: every IMSS message of the seed table, every Belvo code
//! of belvo-api.md §3.2, the status fallbacks, local failures, localisation and PII scrubbing.

use std::collections::HashSet;

use employment_link_core::belvo::errors::{
    classify, known_codes, local, normalise, scrub_pii, Answer, Category, LinkError, Local,
    IMSS_ERRORS, ONE_DAY_SECONDS,
};
use employment_link_core::id::{Code, IdError, Kind, Locale};

use Category::*;

fn answer<'a>(status: u16, code: &'a str, message: &'a str) -> Answer<'a> {
    Answer {
        status,
        code,
        message,
        ..Answer::default()
    }
}

fn cls(status: u16, code: &str, message: &str) -> LinkError {
    classify(
        &answer(status, code, message),
        Some("imss_mx_employment"),
        Locale::Es,
    )
}

/// The IMSS table of the seed guide, copied verbatim: (status, code, message, category).
const SEED_IMSS: &[(u16, &str, &str, Category)] = &[
    (400, "invalid_credentials", "El NSS capturado no coincide con la CURP", VisitOffice),
    (400, "login_error", "El NSS no fue localizado en el IMSS", VisitOffice),
    (400, "login_error", "El CURP proporcionado no fue localizado en la entidad externa RENAPO", FixInput),
    (400, "login_error", "CURP es incorrecto", FixInput),
    (400, "login_error", "Por favor, ingresa un CURP válido. Debe contener 18 caracteres", FixInput),
    (400, "login_error", "La persona no cuenta con NSS", VisitOffice),
    (
        400,
        "login_error",
        "Los datos registrados en el IMSS asociados a la CURP, presentan alguna inconsistencia, por favor acude a tu Subdelegación para obtener tu Número de Seguridad Social.",
        VisitOffice,
    ),
    (
        400,
        "login_error",
        "Es necesario que acudas a la subdelegación más cercana a tu domicilio a presentar tu trámite",
        VisitOffice,
    ),
    (400, "login_error", "El correo ya está registrado con otro CURP", FixInput),
    (403, "forbidden_by_host", "Has agotado el número de solicitudes permitidas por día.", RetryLater),
];

#[test]
fn every_seed_imss_message_has_a_distinct_reason_and_the_right_category() {
    let mut reasons = HashSet::new();
    for &(status, code, message, category) in SEED_IMSS {
        let e = cls(status, code, message);
        assert_eq!(e.category, category, "{message}");
        assert_eq!(e.code, code);
        assert_eq!(e.status, status);
        let reason = e
            .reason
            .unwrap_or_else(|| panic!("no reason for {message}"));
        assert!(reasons.insert(reason), "duplicate reason {reason}");
        assert!(!e.message.is_empty());
    }
    assert_eq!(reasons.len(), 10);
}

#[test]
fn the_issue_examples() {
    assert_eq!(
        cls(400, "login_error", "El NSS no fue localizado en el IMSS").category,
        VisitOffice
    );
    assert_eq!(
        cls(400, "login_error", "La persona no cuenta con NSS").category,
        VisitOffice
    );
    assert_eq!(
        cls(400, "login_error", "CURP es incorrecto").category,
        FixInput
    );
    let e = cls(
        403,
        "forbidden_by_host",
        "Has agotado el número de solicitudes permitidas por día.",
    );
    assert_eq!(e.category, RetryLater);
    assert_eq!(e.retry_after_seconds, Some(ONE_DAY_SECONDS));
    assert_eq!(e.reason, Some("daily_limit_reached"));
}

#[test]
fn the_exported_imss_table_matches_the_seed() {
    assert_eq!(IMSS_ERRORS.len(), SEED_IMSS.len());
    for (row, &(status, code, message, category)) in IMSS_ERRORS.iter().zip(SEED_IMSS) {
        assert_eq!(
            (row.status, row.code, row.message, row.category),
            (status, code, message, category)
        );
        // Each row's own message classifies back to its own reason.
        assert_eq!(
            cls(row.status, row.code, row.message).reason,
            Some(row.reason)
        );
    }
}

#[test]
fn imss_messages_survive_case_accent_and_punctuation_drift() {
    let drifted = [
        ("EL NSS NO FUE LOCALIZADO EN EL IMSS", "nss_not_found"),
        (
            "el curp proporcionado no fue localizado en la entidad externa renapo.",
            "curp_not_in_renapo",
        ),
        (
            "Por favor ingresa un CURP valido, debe contener 18 caracteres.",
            "curp_length",
        ),
        ("  La persona  no cuenta con NSS!", "no_nss"),
        (
            "El correo ya esta registrado con otro CURP",
            "email_registered_other_curp",
        ),
        (
            "Has agotado el numero de solicitudes permitidas por dia",
            "daily_limit_reached",
        ),
        ("curp es incorrecta", "curp_incorrect"),
    ];
    for (m, reason) in drifted {
        let code = if reason == "daily_limit_reached" {
            "forbidden_by_host"
        } else {
            "login_error"
        };
        let status = if reason == "daily_limit_reached" {
            403
        } else {
            400
        };
        assert_eq!(cls(status, code, m).reason, Some(reason), "{m}");
    }
    assert_eq!(
        normalise("Subdelegación,  MÁS cercana!"),
        "subdelegacion mas cercana"
    );
}

#[test]
fn belvo_login_error_variants_have_distinct_reasons() {
    let table = [
        ("Invalid credentials provided to login to the institution", "invalid_credentials", FixInput),
        ("A MFA token is required by the institution, but it's not supported yet by Belvo.", "mfa_unsupported", Integration),
        ("Impossible to login, something unexpected happened while logging into the institution. Try again later.", "login_unexpected", RetryLater),
        ("Login not attempted due to invalid credentials", "login_not_attempted", FixInput),
        ("Missing credentials to login to the institution", "missing_credentials", FixInput),
        ("The user account access was forbidden by the institution", "account_forbidden", VisitOffice),
        ("The user account is locked, user needs to contact the institution to unlock it", "account_locked", VisitOffice),
    ];
    let mut seen = HashSet::new();
    for (m, reason, cat) in table {
        let e = classify(
            &answer(400, "login_error", m),
            Some("inss_br_employment"),
            Locale::Pt,
        );
        assert_eq!((e.reason, e.category), (Some(reason), cat), "{m}");
        assert!(seen.insert(reason));
    }
    // An unknown login_error message: the person most likely typed something wrong.
    let e = cls(400, "login_error", "Algo nuevo que no conocemos");
    assert_eq!((e.category, e.reason), (FixInput, None));
    // invalid_credentials outside IMSS = wrong password.
    assert_eq!(
        cls(400, "invalid_credentials", "Wrong password").category,
        FixInput
    );
}

/// Every code of belvo-api.md §3.2 with its status and expected category (field-dependent
/// codes are tested without a field here: integration).
const SECTION_3_2: &[(u16, &str, Category)] = &[
    (400, "activation_failed", VisitOffice),
    (400, "blank", Integration),
    (400, "does_not_exist", Integration),
    (400, "duplicated", Integration),
    (400, "null", Integration),
    (400, "required", Integration),
    (400, "invalid", Integration),
    (400, "invalid_choice", Integration),
    (400, "invalid_credentials_storage", Integration),
    (400, "invalid_fetch_resources", Integration),
    (400, "invalid_access_mode_switch", Integration),
    (400, "invalid_link", Restart),
    (400, "invalid_period", Integration),
    (400, "login_error", FixInput),
    (400, "invalid_credentials", FixInput),
    (400, "institution_down", RetryLater),
    (400, "institution_unavailable", RetryLater),
    (400, "institution_inactive", RetryLater),
    (400, "too_many_sessions", Retry),
    (400, "session_expired", Restart),
    (400, "session_expired_ob", Restart),
    (400, "unavailable_data", RetryLater),
    (400, "unconfirmed_link", Restart),
    (400, "unsupported_operation", Integration),
    (400, "validation_error", FixInput),
    (400, "not_a_list", Integration),
    (400, "parse_error", Integration),
    (400, "operational_limits_reached", RetryLater),
    (401, "authentication_failed", Integration),
    (401, "consent_without_accounts", Integration),
    (403, "access_to_production_denied", Integration),
    (403, "access_to_resource_denied", Integration),
    (403, "forbidden_by_host", RetryLater),
    (403, "permission_denied", RetryLater),
    (403, "quota_limit_reached", Integration),
    (404, "not_found", Integration),
    (404, "expired_credentials", Restart),
    (405, "method_not_allowed", Integration),
    (408, "request_timeout", Retry),
    (428, "token_required", Restart),
    (428, "activation_required", VisitOffice),
    (500, "unexpected_error", Retry),
    (500, "service_unavailable", Retry),
];

#[test]
fn every_section_3_2_code_is_catalogued_and_classified() {
    let known: HashSet<&str> = known_codes().collect();
    for &(status, code, cat) in SECTION_3_2 {
        assert!(known.contains(code), "{code} not in the catalogue");
        let e = classify(&answer(status, code, "x"), None, Locale::En);
        assert_eq!(e.category, cat, "{status} {code}");
        assert_eq!(e.code, code);
        assert_eq!(e.status, status);
        assert!(!e.message.is_empty());
    }
}

#[test]
fn proxy_codes_are_classified() {
    assert_eq!(cls(502, "upstream_unreachable", "").category, Retry);
    assert_eq!(cls(504, "request_timeout", "").category, Retry);
    let e = cls(403, "rate_limited", "");
    assert_eq!((e.category, e.retry_after_seconds), (RetryLater, Some(30)));
    assert_eq!(cls(413, "payload_too_large", "").category, Integration);
}

#[test]
fn too_many_sessions_and_timeouts_are_retry() {
    let e = cls(
        400,
        "too_many_sessions",
        "Impossible to login, a session is already opened",
    );
    assert_eq!(e.category, Retry);
    assert!(e.is_transient());
    assert_eq!(e.retry_after_seconds, Some(120));
}

#[test]
fn request_shape_errors_depend_on_the_field() {
    for field in ["username", "password", "token"] {
        let a = Answer {
            field: Some(field),
            ..answer(400, "invalid", "bad")
        };
        let e = classify(&a, None, Locale::Es);
        assert_eq!(e.category, FixInput, "{field}");
        assert_eq!(e.field.as_deref(), Some(field));
    }
    for field in ["institution", "link", "fetch_resources", "external_id"] {
        let a = Answer {
            field: Some(field),
            ..answer(400, "invalid", "bad")
        };
        assert_eq!(
            classify(&a, None, Locale::Es).category,
            Integration,
            "{field}"
        );
    }
    let a = Answer {
        field: Some("username"),
        ..answer(400, "required", "This field is required.")
    };
    assert_eq!(classify(&a, None, Locale::Es).category, FixInput);
}

#[test]
fn status_fallbacks_for_unknown_codes() {
    let table = [
        (400, Integration),
        (401, Integration),
        (403, Integration),
        (404, Integration),
        (405, Integration),
        (408, Retry),
        (409, Integration),
        (413, Integration),
        (429, RetryLater),
        (500, Retry),
        (502, Retry),
        (503, Retry),
        (504, Retry),
    ];
    for (status, cat) in table {
        let e = cls(status, "", "");
        assert_eq!(e.category, cat, "{status}");
        assert!(!e.code.is_empty());
        let e = cls(status, "brand_new_code", "");
        assert_eq!(e.category, cat, "{status}");
        assert_eq!(e.code, "brand_new_code");
    }
    // A 5xx is transient whatever its code.
    assert_eq!(cls(500, "login_error", "x").category, Retry);
}

#[test]
fn retry_after_from_the_answer_wins() {
    let a = Answer {
        retry_after: Some(3600),
        ..answer(403, "forbidden_by_host", "")
    };
    assert_eq!(
        classify(&a, None, Locale::Es).retry_after_seconds,
        Some(3600)
    );
    let a = Answer {
        retry_after: Some(7),
        ..answer(429, "", "")
    };
    assert_eq!(classify(&a, None, Locale::Es).retry_after_seconds, Some(7));
}

#[test]
fn local_failures() {
    let table: &[(Local, Category, &str, u16)] = &[
        (Local::Network, Retry, "network_error", 0),
        (Local::Timeout, Retry, "timeout", 0),
        (Local::Cancelled, Restart, "cancelled", 0),
        (
            Local::NotJson { status: 403 },
            RetryLater,
            "rate_limited",
            403,
        ),
        (
            Local::NotJson { status: 502 },
            Retry,
            "unexpected_error",
            502,
        ),
        (Local::NotJson { status: 200 }, Integration, "not_json", 200),
        (Local::NotJson { status: 404 }, Integration, "not_json", 404),
        (Local::Empty { status: 201 }, Integration, "empty_body", 201),
        (Local::Empty { status: 503 }, Retry, "unexpected_error", 503),
        (
            Local::Unparseable { status: 200 },
            Integration,
            "unparseable",
            200,
        ),
        (
            Local::Required { field: "password" },
            FixInput,
            "required",
            0,
        ),
        (Local::Required { field: "token" }, FixInput, "required", 0),
        (
            Local::InvalidOption {
                field: "proxyUrl",
                detail: "x",
            },
            Integration,
            "invalid_option",
            0,
        ),
        (
            Local::UnsupportedResource {
                resource: "EMPLOYMENTS",
            },
            Integration,
            "unsupported_operation",
            0,
        ),
        (Local::DataTimeout, RetryLater, "data_timeout", 0),
        (Local::Pagination, Integration, "pagination", 0),
    ];
    for &(l, cat, code, status) in table {
        // Each locale gets exactly its own text (the catalogue stores the three as one string).
        let texts = [Locale::Es, Locale::Pt, Locale::En].map(|loc| local(l, loc).message);
        for t in &texts {
            assert!(!t.is_empty() && !t.contains('\u{1f}'), "{l:?}: {t:?}");
        }
        assert!(
            texts[0] != texts[1] && texts[1] != texts[2] && texts[0] != texts[2],
            "{l:?}"
        );
        let e = local(l, Locale::En);
        assert_eq!(
            (e.category, e.code.as_str(), e.status),
            (cat, code, status),
            "{l:?}"
        );
    }
    assert_eq!(
        local(Local::NotJson { status: 403 }, Locale::Es).retry_after_seconds,
        Some(30)
    );
    let e = local(
        Local::InvalidUsername {
            kind: Kind::Curp,
            error: IdError::whole(Code::CheckDigit),
        },
        Locale::Es,
    );
    assert_eq!(
        (e.category, e.code.as_str(), e.reason),
        (FixInput, "invalid", Some("check_digit"))
    );
    assert_eq!(e.field.as_deref(), Some("username"));
}

#[test]
fn messages_are_localised() {
    let codes: Vec<(u16, &str, &str)> = SEED_IMSS
        .iter()
        .map(|&(s, c, m, _)| (s, c, m))
        .chain(SECTION_3_2.iter().map(|&(s, c, _)| (s, c, "")))
        .collect();
    for (status, code, message) in codes {
        let es = classify(&answer(status, code, message), None, Locale::Es).message;
        let pt = classify(&answer(status, code, message), None, Locale::Pt).message;
        let en = classify(&answer(status, code, message), None, Locale::En).message;
        for t in [&es, &pt, &en] {
            assert!(!t.is_empty() && !t.contains('\u{1f}'), "{code}: {t:?}");
        }
        assert!(
            es != en && pt != en && es != pt,
            "{code}: {es} / {pt} / {en}"
        );
    }
}

#[test]
fn pii_is_scrubbed_from_details() {
    let curp = "GODE561231HDFRRN04";
    let cases = [
        format!("El CURP {curp} no fue localizado"),
        "CPF 123.456.789-09 inválido".to_string(),
        "CPF 12345678909 inválido".to_string(),
        "NSS 12345678901 no coincide".to_string(),
        format!("curp={}", curp.to_lowercase()),
    ];
    for c in &cases {
        let s = scrub_pii(c);
        assert!(s.contains("***"), "{s}");
        for secret in [
            curp,
            "123.456.789-09",
            "12345678909",
            "12345678901",
            &curp.to_lowercase(),
        ] {
            assert!(!s.contains(secret), "{s}");
        }
        let e = cls(400, "login_error", c);
        assert!(!e.detail.contains(curp) && !e.detail.contains("12345678909"));
        assert!(!format!("{e:?}").contains(curp));
    }
    // Ordinary text survives.
    for keep in [
        "Object with name=narnia does not exist.",
        "Has agotado el número de solicitudes permitidas por día.",
        "The request timed out after 300 seconds",
        "Por favor, ingresa un CURP válido. Debe contener 18 caracteres",
    ] {
        assert_eq!(scrub_pii(keep), keep);
    }
}

#[test]
fn link_error_serializes_to_the_js_shape() {
    let e = cls(
        403,
        "forbidden_by_host",
        "Has agotado el número de solicitudes permitidas por día.",
    );
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["category"], "retry_later");
    assert_eq!(v["code"], "forbidden_by_host");
    assert_eq!(v["reason"], "daily_limit_reached");
    assert_eq!(v["status"], 403);
    assert_eq!(v["retryAfterSeconds"], 86400);
    assert!(v["requestId"].is_null());
    assert!(v.get("field").is_none());
    assert!(v["message"].as_str().unwrap().contains("mañana"));
    assert!(v["detail"].as_str().unwrap().contains("agotado"));

    let e = local(Local::Network, Locale::En);
    let v = serde_json::to_value(&e).unwrap();
    assert!(v.get("reason").is_none() && v.get("retryAfterSeconds").is_none());
    assert_eq!(v["category"], "retry");
    assert_eq!(
        e.to_string(),
        "network_error (retry): the request failed before any answer"
    );
}

#[test]
fn category_strings_are_stable() {
    let all = [
        FixInput,
        VisitOffice,
        RetryLater,
        Retry,
        Restart,
        Integration,
    ];
    let names: Vec<&str> = all.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "fix_input",
            "visit_office",
            "retry_later",
            "retry",
            "restart",
            "integration"
        ]
    );
}
