//! The sans-IO flow: every state transition, retry/backoff decisions, pagination rewriting,
//! readiness (events and fallback polling), cancel/restart, odd bodies, and no PII anywhere
//! but the request body being sent.

use employment_link_core::belvo::errors::Category;
use employment_link_core::flow::*;
use employment_link_core::id::{cpf, curp, Locale};
use serde_json::{json, Value};

type F = Flow<Value>;
type A = Action<Value>;
/// Answers as a native adapter feeds them: parsed by serde_json.
type R = Response<Value>;

const NOW: u64 = 1_780_000_000_000; // 2026-05-28
const LINK: &str = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
const SESSION: &str = "2675b703b9d4451f8d4861a3eee54449";
const CAP: &str = "cap-v1.secret-capability";
const PASSWORD: &str = "S3nh@-secreta";
const TOKEN: &str = "937164";

fn flow() -> F {
    Flow::new(Config::default())
}

fn curp_str() -> String {
    curp::generate(7).as_str().to_string()
}

fn cpf_str() -> String {
    cpf::generate(7).as_str().to_string()
}

/// A JSON answer.
fn j(status: u16, v: Value) -> R {
    R::new(status, Body::Json(v))
}

fn send(a: A) -> HttpRequest {
    match a {
        Action::Send(r) => r,
        other => panic!("expected Send, got {other:?}"),
    }
}

/// What JS sees of `v` (steps, snapshots, events): a JSON object.
fn js_shape<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    let v = serde_json::to_value(v).unwrap();
    assert!(v.is_object(), "{v}");
    v
}

fn done(a: A) -> Step<Value> {
    match a {
        Action::Done(s) => {
            js_shape(&s);
            s
        }
        other => panic!("expected Done, got {other:?}"),
    }
}

fn err(a: A) -> employment_link_core::belvo::errors::LinkError {
    match done(a) {
        Step::Error { error } => error,
        other => panic!("expected an error step, got {other:?}"),
    }
}

/// The request body, as the adapter sends it.
fn body(r: &HttpRequest) -> Value {
    serde_json::to_value(r.body.as_ref().expect("a body")).unwrap()
}

fn link_json(institution: &str) -> Value {
    json!({"id": LINK, "institution": institution, "access_mode": "single", "status": "valid",
           "refresh_rate": null, "fetch_resources": ["EMPLOYMENT_RECORDS", "OWNERS"], "unknown": [1]})
}

fn challenge_json(session: &str, expiry: Value) -> Value {
    json!([{"code": "token_required", "message": "A MFA token is required by the institution to login",
            "request_id": "b7a3a5b3a3a2b6aa28f4cc98d55cf1f1", "session": session, "expiry": expiry,
            "link": LINK,
            "token_generation_data": {"instructions": "Use your app", "type": "numeric", "value": "1234",
                                      "expects_user_input": true}}])
}

fn mx_params(username: &str) -> CreateLink {
    CreateLink {
        institution: "imss_mx_employment".into(),
        username: username.into(),
        ..CreateLink::default()
    }
}

fn br_params(password: Option<&str>) -> CreateLink {
    CreateLink {
        institution: "inss_br_employment".into(),
        username: cpf_str(),
        password: password.map(String::from),
        ..CreateLink::default()
    }
}

/// A flow in `Linked` for IMSS, with a capability.
fn linked_mx() -> F {
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let s = done(f.on_response(
        r.ticket,
        j(201, link_json("imss_mx_employment")).with_capability(CAP),
        NOW,
    ));
    assert!(matches!(s, Step::Linked { .. }));
    f
}

fn linked_br() -> F {
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let s = done(f.on_response(
        r.ticket,
        j(201, link_json("inss_br_employment")).with_capability(CAP),
        NOW,
    ));
    assert!(matches!(s, Step::Linked { .. }));
    f
}

fn event_types(f: &mut F) -> Vec<&'static str> {
    js_shape(&f.snapshot());
    let events = f.take_events();
    for e in &events {
        js_shape(e);
    }
    events.iter().map(|e| e.kind.name()).collect()
}

// --- create_link ---------------------------------------------------------------------------

#[test]
fn mx_create_link_sends_the_documented_body() {
    let mut f = flow();
    let typed = format!(" {} ", curp_str().to_lowercase());
    let params = CreateLink {
        password: Some("ignored".into()),
        external_id: Some("COHORT_32".into()),
        ..mx_params(&typed)
    };
    let r = send(f.create_link(params, NOW).unwrap());
    assert_eq!(
        (r.method, r.path_and_query.as_str()),
        (Method::Post, "/api/links/")
    );
    assert!(!r.idempotent);
    assert_eq!(r.link_capability, None);
    assert_eq!(r.timeout_ms, 60_000);
    assert_eq!(
        body(&r),
        json!({"institution": "imss_mx_employment", "username": curp_str(), "access_mode": "single",
               "fetch_resources": ["EMPLOYMENT_RECORDS", "OWNERS"], "external_id": "COHORT_32"})
    );
    assert_eq!(f.state().status(), "creating_link");
    assert!(f.is_busy());
    assert_eq!(event_types(&mut f), ["state", "request"]);

    let s = done(f.on_response(
        r.ticket,
        j(201, link_json("imss_mx_employment")).with_capability(CAP),
        NOW + 5,
    ));
    let Step::Linked { link } = s else { panic!() };
    assert_eq!(link.id, LINK);
    assert_eq!(f.state().status(), "linked");
    assert!(!f.is_busy());
    assert_eq!(f.capability(LINK), Some(CAP));
    assert_eq!(event_types(&mut f), ["response", "linked", "state"]);
}

#[test]
fn br_defaults_and_sandbox_username() {
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let b = body(&r);
    assert_eq!(b["fetch_resources"], json!(["EMPLOYMENTS", "OWNERS"]));
    assert_eq!(b["password"], PASSWORD);

    let mut f = flow();
    let p = CreateLink {
        institution: "planet_mx_employment".into(),
        username: "BLPM951331IONVGR54".into(),
        ..Default::default()
    };
    let r = send(f.create_link(p, NOW).unwrap());
    assert_eq!(body(&r)["username"], "BLPM951331IONVGR54");

    let mut f = flow();
    let p = CreateLink {
        fetch_resources: Some(vec![
            "EMPLOYMENT_METRICS".into(),
            "EMPLOYMENT_RECORDS".into(),
        ]),
        ..mx_params(&curp_str())
    };
    let r = send(f.create_link(p, NOW).unwrap());
    assert_eq!(
        body(&r)["fetch_resources"],
        json!(["EMPLOYMENT_METRICS", "EMPLOYMENT_RECORDS"])
    );
}

#[test]
fn invalid_input_sends_nothing() {
    let bad_curp = {
        let mut c = curp_str();
        let last = c.pop().unwrap();
        c.push(if last == '0' { '1' } else { '0' });
        c
    };
    let cases: Vec<(CreateLink, Category, &str, Option<&str>)> = vec![
        (
            mx_params(&bad_curp),
            Category::FixInput,
            "invalid",
            Some("username"),
        ),
        (
            mx_params(""),
            Category::FixInput,
            "invalid",
            Some("username"),
        ),
        (
            br_params(None),
            Category::FixInput,
            "required",
            Some("password"),
        ),
        (
            br_params(Some("")),
            Category::FixInput,
            "required",
            Some("password"),
        ),
        (
            CreateLink {
                institution: "narnia_mx_employment".into(),
                ..mx_params(&curp_str())
            },
            Category::Integration,
            "invalid_option",
            Some("institution"),
        ),
        (
            CreateLink {
                external_id: Some("a b".into()),
                ..mx_params(&curp_str())
            },
            Category::Integration,
            "invalid_option",
            Some("external_id"),
        ),
        (
            CreateLink {
                external_id: Some("ab".into()),
                ..mx_params(&curp_str())
            },
            Category::Integration,
            "invalid_option",
            Some("external_id"),
        ),
        (
            CreateLink {
                fetch_resources: Some(vec!["EMPLOYMENTS".into()]),
                ..mx_params(&curp_str())
            },
            Category::Integration,
            "invalid_option",
            Some("fetch_resources"),
        ),
        (
            CreateLink {
                fetch_resources: Some(vec!["ACCOUNTS".into()]),
                ..mx_params(&curp_str())
            },
            Category::Integration,
            "invalid_option",
            Some("fetch_resources"),
        ),
    ];
    for (params, cat, code, field) in cases {
        let mut f = flow();
        let dbg = format!("{params:?}");
        let e = err(f.create_link(params, NOW).unwrap());
        assert_eq!(
            (e.category, e.code.as_str(), e.field.as_deref()),
            (cat, code, field),
            "{dbg}"
        );
        assert_eq!(f.state().status(), "error");
        assert!(!f.is_busy());
        assert!(
            !f.take_events().iter().any(|e| e.kind.name() == "request"),
            "nothing is sent"
        );
    }
    // The CURP error carries the validation code as reason and a precise message.
    let mut f = flow();
    let e = err(f.create_link(mx_params(&bad_curp), NOW).unwrap());
    assert_eq!(e.reason, Some("check_digit"));
    assert!(!e.message.contains(&bad_curp));
    // A fix_input error does not block a new attempt.
    assert!(matches!(
        f.create_link(mx_params(&curp_str()), NOW).unwrap(),
        Action::Send(_)
    ));
}

#[test]
fn misuse_is_refused() {
    let mut f = flow();
    assert_eq!(f.submit_token("1", NOW).unwrap_err(), Misuse::InvalidState);
    assert_eq!(
        f.wait_for_data(None, NOW).unwrap_err(),
        Misuse::InvalidState
    );
    assert_eq!(
        f.fetch(Resource::Owners, NOW).unwrap_err(),
        Misuse::InvalidState
    );
    let _ = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    assert_eq!(
        f.create_link(mx_params(&curp_str()), NOW).unwrap_err(),
        Misuse::Busy
    );
    assert_eq!(f.submit_token("1", NOW).unwrap_err(), Misuse::Busy);
    assert_eq!(f.fetch(Resource::Owners, NOW).unwrap_err(), Misuse::Busy);
    assert_eq!(Misuse::Busy.code(), "busy");
    assert_eq!(Misuse::InvalidState.code(), "invalid_state");

    let mut f = linked_mx();
    assert_eq!(
        f.create_link(mx_params(&curp_str()), NOW).unwrap_err(),
        Misuse::InvalidState
    );
    assert_eq!(f.submit_token("1", NOW).unwrap_err(), Misuse::InvalidState);
}

// --- MFA -----------------------------------------------------------------------------------

#[test]
fn br_flow_with_a_wrong_token_then_the_right_one() {
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let s = done(f.on_response(
        r.ticket,
        j(428, challenge_json(SESSION, json!("120"))).with_capability(CAP),
        NOW,
    ));
    let Step::TokenRequired { challenge } = s else {
        panic!()
    };
    assert_eq!(challenge.kind, "numeric");
    assert_eq!(challenge.value.as_deref(), Some("1234"));
    assert!(challenge.expects_user_input);
    assert_eq!(challenge.expires_in_seconds, Some(120));
    assert_eq!(
        challenge.expires_at.as_deref(),
        Some(iso8601(NOW + 120_000).as_str())
    );
    assert_eq!(challenge.link_id, LINK);
    assert_eq!(f.state().status(), "token_required");
    assert_eq!(f.capability(LINK), Some(CAP));

    // Empty token: refused locally, challenge kept.
    let e = err(f.submit_token("  ", NOW).unwrap());
    assert_eq!(
        (e.category, e.code.as_str(), e.field.as_deref()),
        (Category::FixInput, "required", Some("token"))
    );
    assert_eq!(f.state().status(), "token_required");

    // Wrong token → a new 428 with a new session.
    let r = send(f.submit_token("999999", NOW).unwrap());
    assert_eq!(
        (r.method, r.path_and_query.as_str(), r.idempotent),
        (Method::Patch, "/api/links/", true)
    );
    assert_eq!(r.link_capability.as_deref(), Some(CAP));
    assert_eq!(
        body(&r),
        json!({"link": LINK, "session": SESSION, "token": "999999"})
    );
    assert_eq!(f.state().status(), "submitting_token");
    let s = done(f.on_response(
        r.ticket,
        j(
            428,
            challenge_json("newsession0000000000000000000000", json!(120)),
        ),
        NOW,
    ));
    assert!(matches!(s, Step::TokenRequired { .. }));

    // Right token → linked; the PATCH uses the new session.
    let r = send(f.submit_token(TOKEN, NOW).unwrap());
    assert_eq!(body(&r)["session"], "newsession0000000000000000000000");
    let s = done(f.on_response(r.ticket, j(200, link_json("inss_br_employment")), NOW));
    assert!(matches!(s, Step::Linked { .. }));
    assert_eq!(f.state().status(), "linked");
    assert_eq!(
        f.capability(LINK),
        Some(CAP),
        "capability from the 428 is kept"
    );
}

#[test]
fn the_legacy_428_and_inputless_challenges() {
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let legacy =
        json!({"detail": "Token Required", "session": SESSION, "expiry": 9600, "link": LINK});
    let Step::TokenRequired { challenge } = done(f.on_response(r.ticket, j(428, legacy), NOW))
    else {
        panic!()
    };
    assert_eq!(
        (challenge.kind.as_str(), challenge.expects_user_input),
        ("numeric", true)
    );

    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let inputless = json!([{"code": "token_required", "session": SESSION, "link": LINK,
        "token_generation_data": {"type": "inputless", "value": null, "expects_user_input": false}}]);
    let Step::TokenRequired { challenge } = done(f.on_response(r.ticket, j(428, inputless), NOW))
    else {
        panic!()
    };
    assert!(!challenge.expects_user_input);
    assert_eq!(challenge.expires_at, None);
    // No token needed: the PATCH goes without one.
    let r = send(f.submit_token("", NOW).unwrap());
    assert_eq!(body(&r), json!({"link": LINK, "session": SESSION}));
}

#[test]
fn odd_428s() {
    // 428 without a session = not a challenge (activation_required): visit_office.
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(428, json!([{"code": "activation_required", "message": "This user doesn't have web access activated yet."}])), NOW));
    assert_eq!(e.category, Category::VisitOffice);
    assert_eq!(f.state().status(), "error");
    // 428 challenge without a link id on creation: cannot be resumed.
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let e = err(f.on_response(
        r.ticket,
        j(428, json!({"detail": "Token Required", "session": SESSION})),
        NOW,
    ));
    assert_eq!(
        (e.category, e.code.as_str()),
        (Category::Integration, "unparseable")
    );
    // HTML 428.
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let e = err(f.on_response(r.ticket, R::new(428, Body::NotJson), NOW));
    assert_eq!(e.category, Category::Integration);
}

fn token_required_br() -> (F, HttpRequest) {
    let mut f = flow();
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    done(f.on_response(
        r.ticket,
        j(428, challenge_json(SESSION, json!(120))).with_capability(CAP),
        NOW,
    ));
    let r = send(f.submit_token(TOKEN, NOW).unwrap());
    (f, r)
}

#[test]
fn submit_token_outcomes() {
    // Expired session → restart, state error.
    let (mut f, r) = token_required_br();
    let e = err(f.on_response(r.ticket, j(400, json!([{"code": "session_expired", "message": "The session you are trying to resume has expired, please start again from register/retrieve endpoint"}])), NOW));
    assert_eq!(e.category, Category::Restart);
    assert_eq!(f.state().status(), "error");
    assert_eq!(
        f.submit_token(TOKEN, NOW).unwrap_err(),
        Misuse::InvalidState
    );
    assert!(matches!(
        f.create_link(br_params(Some(PASSWORD)), NOW),
        Ok(Action::Send(_))
    ));

    // Invalid token format → fix_input, the challenge stays.
    let (mut f, r) = token_required_br();
    let e = err(f.on_response(
        r.ticket,
        j(
            400,
            json!([{"code": "invalid", "message": "bad token", "field": "token"}]),
        ),
        NOW,
    ));
    assert_eq!(e.category, Category::FixInput);
    assert_eq!(f.state().status(), "token_required");
    assert!(matches!(f.submit_token("111111", NOW), Ok(Action::Send(_))));

    // Transient failures of the PATCH are retried (it cannot create a second link).
    let (mut f, r) = token_required_br();
    assert_eq!(
        f.on_response(
            r.ticket,
            j(503, json!([{"code": "service_unavailable"}])),
            NOW
        ),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 1000
        }
    );
    assert_eq!(
        f.on_failure(r.ticket, Failure::Network, NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 2000
        }
    );
    assert_eq!(
        f.on_failure(r.ticket, Failure::Timeout, NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 4000
        }
    );
    let e = err(f.on_failure(r.ticket, Failure::Timeout, NOW));
    assert_eq!((e.category, e.code.as_str()), (Category::Retry, "timeout"));
    assert_eq!(
        f.state().status(),
        "token_required",
        "retries exhausted: the person may submit again"
    );

    // Integration error (binding refused by the proxy) → error state.
    let (mut f, r) = token_required_br();
    let e = err(f.on_response(
        r.ticket,
        j(404, json!([{"code": "not_found", "message": "Not found."}])),
        NOW,
    ));
    assert_eq!(e.category, Category::Integration);
    assert_eq!(f.state().status(), "error");
}

// --- retries -------------------------------------------------------------------------------

#[test]
fn create_is_never_blind_retried() {
    for (resp, code) in [
        (
            j(500, json!([{"code": "unexpected_error", "message": "x"}])),
            "unexpected_error",
        ),
        (
            j(408, json!([{"code": "request_timeout", "message": "x"}])),
            "request_timeout",
        ),
        (
            j(
                502,
                json!([{"code": "upstream_unreachable", "message": "x"}]),
            ),
            "upstream_unreachable",
        ),
        (R::new(503, Body::NotJson), "unexpected_error"),
    ] {
        let mut f = flow();
        let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
        let e = err(f.on_response(r.ticket, resp, NOW));
        assert_eq!((e.category, e.code.as_str()), (Category::Retry, code));
        assert_eq!(f.state().status(), "error");
    }
    for failure in [Failure::Network, Failure::Timeout] {
        let mut f = flow();
        let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
        let e = err(f.on_failure(r.ticket, failure, NOW));
        assert_eq!(e.category, Category::Retry);
    }
}

#[test]
fn create_retries_too_many_sessions_only() {
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let tms = || {
        j(
            400,
            json!([{"code": "too_many_sessions", "message": "Impossible to login, a session is already opened with the institution for these credentials"}]),
        )
    };
    assert_eq!(
        f.on_response(r.ticket, tms(), NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 1000
        }
    );
    let retry = f
        .take_events()
        .into_iter()
        .find(|e| e.kind.name() == "retry")
        .unwrap();
    assert_eq!(
        retry.kind,
        EventKind::Retry {
            attempt: 1,
            delay_ms: 1000,
            code: "too_many_sessions".into()
        }
    );
    assert_eq!(f.state().status(), "creating_link");
    let s = done(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), NOW));
    assert!(matches!(s, Step::Linked { .. }));

    // Exhausted: surfaced as `retry`.
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    for ms in [1000, 2000, 4000] {
        assert_eq!(
            f.on_response(r.ticket, tms(), NOW),
            Action::Retry {
                ticket: r.ticket,
                after_ms: ms
            }
        );
    }
    let e = err(f.on_response(r.ticket, tms(), NOW));
    assert_eq!(
        (e.category, e.code.as_str(), e.retry_after_seconds),
        (Category::Retry, "too_many_sessions", Some(120))
    );
}

#[test]
fn get_backoff_policy_and_retry_after() {
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert!(r.idempotent);
    assert_eq!(
        f.on_response(r.ticket, j(500, json!([{"code": "unexpected_error"}])), NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 1000
        }
    );
    assert_eq!(
        f.on_response(r.ticket, R::new(502, Body::Empty), NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 2000
        }
    );
    // Retry-After (seconds) stretches the backoff.
    assert_eq!(
        f.on_response(r.ticket, j(503, json!([])).with_retry_after("9"), NOW),
        Action::Retry {
            ticket: r.ticket,
            after_ms: 9000
        }
    );
    let e = err(f.on_response(r.ticket, j(500, json!([])), NOW));
    assert_eq!(e.category, Category::Retry);
    assert_eq!(
        f.state().status(),
        "linked",
        "a failed fetch keeps the link"
    );

    // A Retry-After beyond the cap is surfaced, not waited for.
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(503, json!([])).with_retry_after("600"), NOW));
    assert_eq!(e.retry_after_seconds, Some(600));

    // Non-transient errors are not retried.
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let e = err(f.on_response(
        r.ticket,
        j(
            401,
            json!([{"code": "authentication_failed", "message": "Invalid Secret Keys"}]),
        ),
        NOW,
    ));
    assert_eq!(e.category, Category::Integration);

    // max = 0 disables retries.
    let mut f: F = Flow::new(Config {
        retry: RetryPolicy {
            max: 0,
            base_ms: 10,
            max_delay_ms: 100,
        },
        ..Config::default()
    });
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    done(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), NOW));
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert!(matches!(
        f.on_response(r.ticket, j(500, json!([])), NOW),
        Action::Done(Step::Error { .. })
    ));
}

#[test]
fn retry_policy_delays() {
    let p = RetryPolicy {
        max: 10,
        base_ms: 3000,
        max_delay_ms: 30_000,
    };
    let d: Vec<u64> = (1..=6).map(|a| p.delay_ms(a)).collect();
    assert_eq!(d, [3000, 6000, 12_000, 24_000, 30_000, 30_000]);
    assert_eq!(p.delay_ms(u32::MAX), 30_000);
    assert_eq!(
        RetryPolicy::default(),
        RetryPolicy {
            max: 3,
            base_ms: 1000,
            max_delay_ms: 30_000
        }
    );
}

// --- odd bodies ----------------------------------------------------------------------------

#[test]
fn html_empty_and_unparseable_answers() {
    let cases: Vec<(R, Category, &str)> = vec![
        (
            R::new(403, Body::NotJson),
            Category::RetryLater,
            "rate_limited",
        ),
        (
            R::new(201, Body::Empty),
            Category::Integration,
            "empty_body",
        ),
        (
            R::new(200, Body::NotJson),
            Category::Integration,
            "not_json",
        ),
        (j(201, json!("ok")), Category::Integration, "unparseable"),
        (
            j(201, json!({"no_id": true})),
            Category::Integration,
            "unparseable",
        ),
        (
            R::new(404, Body::NotJson),
            Category::Integration,
            "not_json",
        ),
        (
            j(404, json!({"detail": "Not found."})),
            Category::Integration,
            "not_found",
        ),
        (
            j(405, json!([{"code": "method_not_allowed", "message": "x"}])),
            Category::Integration,
            "method_not_allowed",
        ),
        (
            j(
                401,
                json!([{"code": "authentication_failed", "message": "Invalid Secret Keys"}]),
            ),
            Category::Integration,
            "authentication_failed",
        ),
        (
            j(
                400,
                json!([{"code": "login_error", "message": "El NSS no fue localizado en el IMSS"}]),
            ),
            Category::VisitOffice,
            "login_error",
        ),
        (
            j(
                403,
                json!([{"code": "forbidden_by_host", "message": "Has agotado el número de solicitudes permitidas por día."}]),
            ),
            Category::RetryLater,
            "forbidden_by_host",
        ),
        (
            j(
                400,
                json!([{"code": "institution_down", "message": "The financial institution is down, try again later"}]),
            ),
            Category::RetryLater,
            "institution_down",
        ),
    ];
    for (resp, cat, code) in cases {
        let mut f = flow();
        let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
        let e = err(f.on_response(r.ticket, resp, NOW));
        assert_eq!((e.category, e.code.as_str()), (cat, code));
    }
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let e = err(f.on_response(r.ticket, R::new(403, Body::NotJson), NOW));
    assert_eq!(e.retry_after_seconds, Some(30));
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let e = err(f.on_response(
        r.ticket,
        j(403, json!([{"code": "forbidden_by_host", "message": "x"}])).with_retry_after("3600"),
        NOW,
    ));
    assert_eq!(
        e.retry_after_seconds,
        Some(3600),
        "the proxy's attempt guard can say when"
    );
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(400, json!([{"code": "login_error", "message": "La persona no cuenta con NSS", "request_id": "abc"}])), NOW));
    assert_eq!(
        (e.reason, e.request_id.as_deref()),
        (Some("no_nss"), Some("abc"))
    );
}

// --- pagination ----------------------------------------------------------------------------

fn page(count: u64, next: Option<&str>, items: &[&str]) -> Value {
    json!({"count": count, "next": next, "previous": null,
           "results": items.iter().map(|i| json!({"id": i})).collect::<Vec<_>>()})
}

#[test]
fn fetch_follows_next_on_the_proxy() {
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::EmploymentRecords, NOW).unwrap());
    assert_eq!(
        r.path_and_query,
        format!("/api/employment-records/?link={LINK}&page=1")
    );
    assert_eq!(r.link_capability.as_deref(), Some(CAP));
    assert_eq!(r.method, Method::Get);
    let next2 = format!(
        "https://sandbox.belvo.com/api/employment-records/?link={LINK}&page=2&omit=files&fields=id"
    );
    let r2 = send(f.on_response(r.ticket, j(200, page(3, Some(&next2), &["a"])), NOW));
    assert_eq!(
        r2.path_and_query,
        format!("/api/employment-records/?link={LINK}&page=2")
    );
    assert_eq!(r2.link_capability.as_deref(), Some(CAP));
    assert_eq!(r2.ticket, r.ticket);
    let next3 =
        "https://api.belvo.com/api/employment-records/?page=3&page_size=10&link=someone-else";
    let r3 = send(f.on_response(r2.ticket, j(200, page(3, Some(next3), &["b"])), NOW));
    assert_eq!(
        r3.path_and_query,
        format!("/api/employment-records/?link={LINK}&page=3&page_size=10")
    );
    // A transient error mid-way is retried, and the retry resends page 3.
    assert_eq!(
        f.on_response(r3.ticket, j(500, json!([])), NOW),
        Action::Retry {
            ticket: r3.ticket,
            after_ms: 1000
        }
    );
    let s = done(f.on_response(r3.ticket, j(200, page(3, None, &["c"])), NOW));
    let Step::Data {
        resource,
        count,
        results,
        truncated,
    } = s
    else {
        panic!()
    };
    assert_eq!(
        (resource, count, truncated),
        (Resource::EmploymentRecords, 3, false)
    );
    assert_eq!(
        results,
        vec![json!({"id": "a"}), json!({"id": "b"}), json!({"id": "c"})]
    );
    assert_eq!(f.state().status(), "linked");
    assert!(!f.is_busy());
}

#[test]
fn pagination_is_capped_and_guarded() {
    // Cap.
    let mut f: F = Flow::new(Config {
        max_pages: 2,
        ..Config::default()
    });
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    done(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), NOW));
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let r = send(f.on_response(
        r.ticket,
        j(
            200,
            page(
                30,
                Some("https://sandbox.belvo.com/api/owners/?page=2"),
                &["1"],
            ),
        ),
        NOW,
    ));
    let s = done(f.on_response(
        r.ticket,
        j(
            200,
            page(
                30,
                Some("https://sandbox.belvo.com/api/owners/?page=3"),
                &["2"],
            ),
        ),
        NOW,
    ));
    assert!(matches!(s, Step::Data { truncated: true, ref results, .. } if results.len() == 2));

    // `next` without a page, or going backwards: stop, truncated.
    for next in [
        "https://sandbox.belvo.com/api/owners/?cursor=abc",
        "https://sandbox.belvo.com/api/owners/?page=1",
        "no-query",
        "?page=0",
        "?page=-2",
        "?page=x",
    ] {
        let mut f = linked_mx();
        let r = send(f.fetch(Resource::Owners, NOW).unwrap());
        let s = done(f.on_response(r.ticket, j(200, page(5, Some(next), &["1"])), NOW));
        assert!(
            matches!(
                s,
                Step::Data {
                    truncated: true,
                    ..
                }
            ),
            "{next}"
        );
    }
    // An empty `next` is the end.
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert!(matches!(
        done(f.on_response(r.ticket, j(200, page(1, Some(""), &["1"])), NOW)),
        Step::Data {
            truncated: false,
            ..
        }
    ));
}

#[test]
fn rewrite_next_cases() {
    let cases = [
        (
            "https://sandbox.belvo.com/api/owners/?page=2",
            Some((2, "/api/owners/?link=L&page=2")),
        ),
        (
            "https://api.belvo.com/api/owners/?link=X&page=12&page_size=5000#frag",
            Some((12, "/api/owners/?link=L&page=12&page_size=1000")),
        ),
        (
            "/api/owners/?page_size=10&page=4&evil=%2F..%2F",
            Some((4, "/api/owners/?link=L&page=4&page_size=10")),
        ),
        (
            "https://sandbox.belvo.com/api/owners/?page=99999999999",
            None,
        ),
        ("https://sandbox.belvo.com/api/owners/", None),
    ];
    for (next, want) in cases {
        let got = rewrite_next(next, "/api/owners/", "L");
        assert_eq!(got.as_ref().map(|(n, p)| (*n, p.as_str())), want, "{next}");
    }
    assert_eq!(
        page_path("/api/owners/", "a b/&c", 1, None),
        "/api/owners/?link=a%20b%2F%26c&page=1"
    );
}

#[test]
fn page_size_config_and_unsupported_resources() {
    let mut f: F = Flow::new(Config {
        page_size: Some(25),
        ..Config::default()
    });
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    done(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), NOW));
    let r = send(f.fetch(Resource::EmploymentMetrics, NOW).unwrap());
    assert_eq!(
        r.path_and_query,
        format!("/api/employment-metrics/?link={LINK}&page=1&page_size=25")
    );

    let mut f = linked_mx();
    let e = err(f.fetch(Resource::Employments, NOW).unwrap());
    assert_eq!(
        (e.category, e.code.as_str()),
        (Category::Integration, "unsupported_operation")
    );
    let mut f = linked_br();
    let r = send(f.fetch(Resource::Employments, NOW).unwrap());
    assert_eq!(
        r.path_and_query,
        format!("/api/br/employments/?link={LINK}&page=1")
    );
    let mut f = linked_br();
    assert!(matches!(
        f.fetch(Resource::EmploymentRecords, NOW).unwrap(),
        Action::Done(Step::Error { .. })
    ));
    assert!(matches!(
        f.fetch(Resource::EmploymentMetrics, NOW).unwrap(),
        Action::Done(Step::Error { .. })
    ));
}

#[test]
fn fetch_odd_pages() {
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(200, json!([1, 2])), NOW));
    assert_eq!(e.code, "unparseable");
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = done(f.on_response(
        r.ticket,
        j(
            200,
            json!({"count": "1", "results": [{"id": 1, "x": {"y": null}}], "extra": true}),
        ),
        NOW,
    ));
    assert!(matches!(s, Step::Data { count: 1, .. }));
    // Link gone (expired credentials) → restart.
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(404, json!([{"code": "expired_credentials", "message": "The credentials of this link have expired"}])), NOW));
    assert_eq!(e.category, Category::Restart);
    assert_eq!(f.state().status(), "error");
}

// --- readiness -----------------------------------------------------------------------------

fn wh(kind: &str, data: Value) -> Value {
    json!({"webhook_id": format!("w-{kind}"), "webhook_type": kind, "webhook_code": "historical_update",
           "process_type": "historical_update", "link_id": LINK, "request_id": "r", "external_id": null, "data": data})
}

#[test]
fn wait_for_data_with_events() {
    let mut f = linked_mx();
    f.take_events();
    let r = send(f.wait_for_data(Some(60_000), NOW).unwrap());
    assert_eq!(r.path_and_query, format!("/links/{LINK}/events"));
    assert_eq!(r.link_capability.as_deref(), Some(CAP));
    assert_eq!(f.state().status(), "waiting_for_data");
    // Nothing yet → sleep 1 s.
    let a = f.on_response(
        r.ticket,
        j(200, json!({"link_id": LINK, "events": []})),
        NOW,
    );
    assert_eq!(
        a,
        Action::Sleep {
            ticket: r.ticket,
            ms: 1000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 1000));
    assert_eq!(r.path_and_query, format!("/links/{LINK}/events"));
    // One of two → sleep 2 s (backoff).
    let a = f.on_response(
        r.ticket,
        j(
            200,
            json!({"events": [wh("OWNERS", json!({"total_owners": 2}))]}),
        ),
        NOW + 1100,
    );
    assert_eq!(
        a,
        Action::Sleep {
            ticket: r.ticket,
            ms: 2000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 3100));
    // Both (plus events of another link and of an unrequested type) → ready.
    let evs = json!([
        wh("OWNERS", json!({"total_owners": 2})),
        wh("EMPLOYMENT_RECORDS", json!({"total_employment_record_profiles": 1})),
        wh("EMPLOYMENT_METRICS", json!({"total_employment_metrics": 1})),
        {"webhook_id": "x", "webhook_type": "EMPLOYMENT_RECORDS", "webhook_code": "historical_update", "link_id": "other", "data": {"total_employment_record_profiles": 9}}
    ]);
    let s = done(f.on_response(r.ticket, j(200, evs), NOW + 3200));
    let Step::Ready { counts } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(counts.get("EMPLOYMENT_RECORDS"), Some(1));
    assert_eq!(counts.get("OWNERS"), Some(2));
    assert_eq!(counts.get("EMPLOYMENT_METRICS"), None);
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"status": "ready", "OWNERS": 2, "EMPLOYMENT_RECORDS": 1})
    );
    assert_eq!(f.state().status(), "ready");
    let types = event_types(&mut f);
    assert!(
        types.ends_with(&["response", "data_ready", "state"]),
        "{types:?}"
    );
    // Data can be fetched from Ready, and waiting again is allowed.
    assert!(matches!(
        f.fetch(Resource::Owners, NOW),
        Ok(Action::Send(_))
    ));
}

#[test]
fn wait_for_data_falls_back_to_polling_on_404() {
    let mut f = linked_br();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let r = send(f.on_response(
        r.ticket,
        j(404, json!([{"code": "not_found", "message": "Not found."}])),
        NOW,
    ));
    assert_eq!(
        r.path_and_query,
        format!("/api/br/employments/?link={LINK}&page=1&page_size=1")
    );
    assert_eq!(r.link_capability.as_deref(), Some(CAP));
    // Not there yet → sleep; 5xx while polling is "not yet" too.
    assert_eq!(
        f.on_response(r.ticket, j(200, page(0, None, &[])), NOW),
        Action::Sleep {
            ticket: r.ticket,
            ms: 1000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 1000));
    assert_eq!(
        f.on_response(r.ticket, j(500, json!([])), NOW + 1000),
        Action::Sleep {
            ticket: r.ticket,
            ms: 2000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 3000));
    assert_eq!(
        f.on_failure(r.ticket, Failure::Network, NOW + 3000),
        Action::Sleep {
            ticket: r.ticket,
            ms: 4000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 7000));
    assert_eq!(
        r.path_and_query,
        format!("/api/br/employments/?link={LINK}&page=1&page_size=1")
    );
    // Primary present → count the others, then ready.
    let r = send(f.on_response(
        r.ticket,
        j(200, page(14, Some("https://x/?page=2"), &["e"])),
        NOW + 7000,
    ));
    assert_eq!(
        r.path_and_query,
        format!("/api/owners/?link={LINK}&page=1&page_size=1")
    );
    let s = done(f.on_response(r.ticket, j(200, page(1, None, &["o"])), NOW + 7100));
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"status": "ready", "EMPLOYMENTS": 14, "OWNERS": 1})
    );
}

#[test]
fn wait_for_data_times_out_and_keeps_the_link() {
    let mut f = linked_mx();
    let r = send(f.wait_for_data(Some(1500), NOW).unwrap());
    assert_eq!(
        f.on_response(r.ticket, j(200, json!([])), NOW),
        Action::Sleep {
            ticket: r.ticket,
            ms: 1000
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 1000));
    // Only 500 ms left: the sleep is shortened to the deadline.
    assert_eq!(
        f.on_response(r.ticket, j(200, json!([])), NOW + 1000),
        Action::Sleep {
            ticket: r.ticket,
            ms: 500
        }
    );
    let r = send(f.on_wake(r.ticket, NOW + 1500));
    let e = err(f.on_response(r.ticket, j(200, json!([])), NOW + 1500));
    assert_eq!(
        (e.category, e.code.as_str()),
        (Category::RetryLater, "data_timeout")
    );
    assert_eq!(f.state().status(), "linked");
    assert!(matches!(f.wait_for_data(None, NOW), Ok(Action::Send(_))));
}

#[test]
fn wait_for_data_link_error_event_and_hard_errors() {
    let mut f = linked_br();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let ev = json!([{"webhook_id": "l1", "webhook_type": "LINK", "webhook_code": "invalid_credentials", "link_id": LINK,
        "data": {"error_code": "login_error", "error_message": "Invalid credentials provided to login to the institution", "status": 400}}]);
    let e = err(f.on_response(r.ticket, j(200, ev), NOW));
    assert_eq!(
        (e.category, e.reason),
        (Category::FixInput, Some("invalid_credentials"))
    );
    // A proxy refusing the binding on the data endpoint too → integration, state back to linked.
    let mut f = linked_mx();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let r = send(f.on_response(r.ticket, j(404, json!([])), NOW));
    let e = err(f.on_response(
        r.ticket,
        j(404, json!([{"code": "not_found", "message": "Not found."}])),
        NOW,
    ));
    assert_eq!(e.category, Category::Integration);
    assert_eq!(f.state().status(), "linked");
    // Unparseable events body.
    let mut f = linked_mx();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(200, json!("nope")), NOW));
    assert_eq!(e.code, "unparseable");
}

// --- cancel / restart ----------------------------------------------------------------------

#[test]
fn cancel_settles_the_pending_operation() {
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let step = f.cancel(NOW).unwrap();
    assert_eq!(step.error().unwrap().code, "cancelled");
    assert_eq!(f.state().status(), "cancelled");
    assert!(!f.is_busy());
    // The aborted fetch reports back (or even a late answer): stale, resolves cancelled,
    // and does not touch the state.
    assert_eq!(
        err(f.on_failure(r.ticket, Failure::Aborted, NOW)).code,
        "cancelled"
    );
    assert_eq!(
        err(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), NOW)).code,
        "cancelled"
    );
    assert_eq!(f.state().status(), "cancelled");
    assert!(event_types(&mut f).contains(&"cancelled"));
    // Nothing in flight: cancel is a no-op.
    assert!(f.cancel(NOW).is_none());
    // A new attempt works, and the old ticket cannot hijack it.
    let r2 = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    assert_ne!(r2.ticket, r.ticket);
    assert_eq!(
        err(f.on_response(r.ticket, j(201, link_json("x")), NOW)).code,
        "cancelled"
    );
    assert_eq!(f.state().status(), "creating_link");
    assert!(matches!(
        done(f.on_response(r2.ticket, j(201, link_json("imss_mx_employment")), NOW)),
        Step::Linked { .. }
    ));
}

#[test]
fn cancel_during_sleep_and_challenge() {
    let mut f = linked_mx();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let Action::Sleep { ticket, .. } = f.on_response(r.ticket, j(200, json!([])), NOW) else {
        panic!()
    };
    assert!(f.cancel(NOW).is_some());
    assert_eq!(err(f.on_wake(ticket, NOW)).code, "cancelled");

    let (mut f, r) = token_required_br();
    done(f.on_response(r.ticket, j(428, challenge_json(SESSION, json!(120))), NOW));
    assert_eq!(f.state().status(), "token_required");
    assert!(
        f.cancel(NOW).is_some(),
        "abandoning a challenge is a cancel"
    );
    assert_eq!(
        f.submit_token(TOKEN, NOW).unwrap_err(),
        Misuse::InvalidState
    );
}

#[test]
fn restart_forgets_everything() {
    let mut f = linked_mx();
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    f.restart(NOW);
    assert_eq!(f.state().status(), "idle");
    assert!(!f.is_busy());
    assert_eq!(f.capability(LINK), None);
    assert_eq!(
        err(f.on_response(r.ticket, j(200, page(0, None, &[])), NOW)).code,
        "cancelled"
    );
    assert!(matches!(
        f.create_link(mx_params(&curp_str()), NOW),
        Ok(Action::Send(_))
    ));
}

#[test]
fn on_failure_aborted_on_the_live_ticket_is_a_cancel() {
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    assert_eq!(
        err(f.on_failure(r.ticket, Failure::Aborted, NOW)).code,
        "cancelled"
    );
    assert_eq!(f.state().status(), "cancelled");
}

// --- views and PII -------------------------------------------------------------------------

#[test]
fn step_and_snapshot_shapes() {
    let mut f = flow();
    assert_eq!(
        serde_json::to_value(f.snapshot()).unwrap(),
        json!({"status": "idle", "busy": false})
    );
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    assert_eq!(
        serde_json::to_value(f.snapshot()).unwrap(),
        json!({"status": "creating_link", "busy": true, "institution": "inss_br_employment"})
    );
    let s = done(f.on_response(r.ticket, j(428, challenge_json(SESSION, json!(120))), NOW));
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"status": "token_required", "challenge": {
            "type": "numeric", "instructions": "Use your app", "value": "1234", "expectsUserInput": true,
            "expiresAt": iso8601(NOW + 120_000), "expiresInSeconds": 120, "linkId": LINK}})
    );
    let snap = serde_json::to_value(f.snapshot()).unwrap();
    assert_eq!(snap["status"], "token_required");
    assert_eq!(snap["linkId"], LINK);
    assert_eq!(snap["challenge"]["type"], "numeric");
    let r = send(f.submit_token(TOKEN, NOW).unwrap());
    let s = done(f.on_response(r.ticket, j(200, link_json("inss_br_employment")), NOW));
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["status"], "linked");
    assert_eq!(v["link"]["id"], LINK);
    assert_eq!(serde_json::to_value(f.snapshot()).unwrap()["linkId"], LINK);
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = done(f.on_response(r.ticket, j(200, page(1, None, &["o"])), NOW));
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"status": "ok", "resource": "OWNERS", "count": 1, "results": [{"id": "o"}], "truncated": false})
    );
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = done(f.on_response(r.ticket, j(401, json!([{"code": "authentication_failed", "message": "Invalid Secret Keys", "request_id": "rq"}])), NOW));
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["status"], "error");
    assert_eq!(v["error"]["category"], "integration");
    assert_eq!(v["error"]["requestId"], "rq");
}

#[test]
fn events_have_stable_types_and_timestamps() {
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), 111).unwrap());
    done(f.on_response(r.ticket, j(201, link_json("imss_mx_employment")), 222));
    let evs = f.take_events();
    let v: Vec<Value> = evs
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(
        v[0],
        json!({"type": "state", "at": 111, "state": "creating_link"})
    );
    assert_eq!(
        v[1],
        json!({"type": "request", "at": 111, "method": "POST", "path": "/api/links/"})
    );
    assert_eq!(
        v[2],
        json!({"type": "response", "at": 222, "httpStatus": 201})
    );
    assert_eq!(v[3], json!({"type": "linked", "at": 222, "linkId": LINK}));
    assert_eq!(v[4], json!({"type": "state", "at": 222, "state": "linked"}));
    assert!(f.take_events().is_empty());
}

/// Runs the whole BR and MX flows, including errors, and checks that no secret or
/// identifier ever leaves through Debug, the snapshot, events or errors.
#[test]
fn no_pii_outside_the_request_body() {
    let curp = curp_str();
    let cpf = cpf_str();
    let secrets = [curp.as_str(), cpf.as_str(), PASSWORD, TOKEN, SESSION, CAP];
    let mut outputs: Vec<String> = Vec::new();
    let mut check = |f: &mut F, extra: &dyn std::fmt::Debug| {
        outputs.push(format!("{f:?}"));
        outputs.push(format!("{extra:?}"));
        outputs.push(serde_json::to_string(&f.snapshot()).unwrap());
        for e in f.take_events() {
            outputs.push(format!("{e:?}"));
            outputs.push(serde_json::to_string(&e).unwrap());
        }
    };

    // BR with MFA.
    let mut f = flow();
    let p = CreateLink {
        username: cpf.clone(),
        ..br_params(Some(PASSWORD))
    };
    check(&mut f, &p);
    let a = f.create_link(p, NOW).unwrap();
    check(&mut f, &a);
    let r = send(a);
    assert!(
        serde_json::to_string(&r.body).unwrap().contains(PASSWORD),
        "the body itself does carry the password"
    );
    let a = f.on_response(
        r.ticket,
        j(428, challenge_json(SESSION, json!(120))).with_capability(CAP),
        NOW,
    );
    check(&mut f, &a);
    let a = f.submit_token(TOKEN, NOW).unwrap();
    check(&mut f, &a);
    let r = send(a);
    let a = f.on_response(r.ticket, j(400, json!([{"code": "invalid", "field": "token", "message": format!("token {TOKEN} for {cpf} invalid")}])), NOW);
    check(&mut f, &a);
    let r = send(f.submit_token(TOKEN, NOW).unwrap());
    let a = f.on_response(r.ticket, j(200, link_json("inss_br_employment")), NOW);
    check(&mut f, &a);

    // MX with an IMSS error echoing the CURP, then success and data.
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp), NOW).unwrap());
    let a = f.on_response(r.ticket, j(400, json!([{"code": "login_error", "message": format!("El CURP {curp} no fue localizado en la entidad externa RENAPO")}])), NOW);
    check(&mut f, &a);
    let a = f.create_link(mx_params(&format!("{curp}X")), NOW).unwrap();
    check(&mut f, &a);
    let r = send(f.create_link(mx_params(&curp), NOW).unwrap());
    let a = f.on_response(
        r.ticket,
        j(201, link_json("imss_mx_employment")).with_capability(CAP),
        NOW,
    );
    check(&mut f, &a);
    let a = f.wait_for_data(None, NOW).unwrap();
    check(&mut f, &a);

    for o in &outputs {
        for s in secrets {
            assert!(!o.contains(s), "leak of {s:?} in {o}");
        }
    }
    assert!(outputs.len() > 20);
}

#[test]
fn proxy_url_checks() {
    let ok = [
        (
            "https://api.example.com/belvo/",
            "https://api.example.com/belvo",
        ),
        ("http://localhost:8787", "http://localhost:8787"),
        ("/belvo", "/belvo"),
        ("https://notbelvo.com", "https://notbelvo.com"),
        (
            "https://belvo.com.example.org/x",
            "https://belvo.com.example.org/x",
        ),
    ];
    for (u, want) in ok {
        assert_eq!(check_proxy_url(u).as_deref(), Ok(want), "{u}");
    }
    let bad = [
        ("https://api.belvo.com", ProxyUrlError::Belvo),
        ("https://sandbox.belvo.com/", ProxyUrlError::Belvo),
        ("https://BELVO.IO", ProxyUrlError::Belvo),
        ("https://belvo.com.:443/api", ProxyUrlError::Belvo),
        ("https://widget.belvo.io", ProxyUrlError::Belvo),
        ("https://belvo%2Ecom", ProxyUrlError::Belvo),
        ("https://api.belvo\u{3002}com", ProxyUrlError::Belvo),
        ("//sandbox.belvo.com/x", ProxyUrlError::Belvo),
        ("https://user:pw@proxy.example", ProxyUrlError::Credentials),
        ("ftp://proxy.example", ProxyUrlError::Malformed),
        ("proxy.example", ProxyUrlError::Malformed),
        ("", ProxyUrlError::Malformed),
        ("https://proxy.example/?x=1", ProxyUrlError::Malformed),
        ("https://", ProxyUrlError::Malformed),
    ];
    for (u, want) in bad {
        assert_eq!(check_proxy_url(u), Err(want), "{u}");
        assert!(!want.detail().is_empty());
    }
}

#[test]
fn iso8601_and_retry_after() {
    assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
    assert_eq!(iso8601(1_780_000_000_000), "2026-05-28T20:26:40.000Z");
    assert_eq!(parse_retry_after(" 120 "), Some(120));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    assert_eq!(parse_retry_after("-1"), None);
}

#[test]
fn request_debug_hides_body_and_capability() {
    let (_, r) = token_required_br();
    let d = format!("{r:?}");
    assert!(
        !d.contains(TOKEN) && !d.contains(SESSION) && !d.contains(CAP),
        "{d}"
    );
    assert!(d.contains("PatchLink(<redacted>)"), "{d}");
}

#[test]
fn locale_is_applied() {
    let mut f: F = Flow::new(Config {
        locale: Locale::Pt,
        ..Config::default()
    });
    let r = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let e = err(f.on_response(
        r.ticket,
        j(
            400,
            json!([{"code": "institution_down", "message": "down"}]),
        ),
        NOW,
    ));
    assert!(e.message.contains("indisponível"), "{}", e.message);
}

/// The request bodies serialize to exactly the JSON Belvo documents (and that was sent
/// before they became serde types): Belvo's key order, absent options omitted.
#[test]
fn request_bodies_serialize_to_belvo_json() {
    let mut f = flow();
    let cpf = cpf_str();
    let r = send(
        f.create_link(
            CreateLink {
                username: cpf.clone(),
                external_id: Some("user_42".into()),
                ..br_params(Some(PASSWORD))
            },
            NOW,
        )
        .unwrap(),
    );
    assert_eq!(
        serde_json::to_string(&r.body).unwrap(),
        format!(
            r#"{{"institution":"inss_br_employment","username":"{cpf}","password":"{PASSWORD}","access_mode":"single","fetch_resources":["EMPLOYMENTS","OWNERS"],"external_id":"user_42"}}"#
        )
    );
    assert!(matches!(r.body, Some(RequestBody::CreateLink(_))));
    let mut f = flow();
    let curp = curp_str();
    let r = send(f.create_link(mx_params(&curp), NOW).unwrap());
    assert_eq!(
        serde_json::to_string(&r.body).unwrap(),
        format!(
            r#"{{"institution":"imss_mx_employment","username":"{curp}","access_mode":"single","fetch_resources":["EMPLOYMENT_RECORDS","OWNERS"]}}"#
        )
    );
    let (_, r) = token_required_br();
    assert_eq!(
        serde_json::to_string(&r.body).unwrap(),
        format!(r#"{{"link":"{LINK}","session":"{SESSION}","token":"{TOKEN}"}}"#)
    );
    assert_eq!(r.link_capability.as_deref(), Some(CAP));
    assert!(r.idempotent && r.method == Method::Patch);
    // Inputless: no token key at all.
    let mut f = flow();
    let q = send(f.create_link(br_params(Some(PASSWORD)), NOW).unwrap());
    let mut c = challenge_json(SESSION, json!(120));
    c[0]["token_generation_data"]["expects_user_input"] = json!(false);
    done(f.on_response(q.ticket, j(428, c), NOW));
    let r = send(f.submit_token("", NOW).unwrap());
    assert_eq!(
        serde_json::to_string(&r.body).unwrap(),
        format!(r#"{{"link":"{LINK}","session":"{SESSION}"}}"#)
    );
}

// --- issue 14: pages and link answers are read strictly --------------------------------------

/// Issue 14 item 2: a 200 data page without an array `results` is not "no data".
#[test]
fn issue14_data_page_without_results_is_unparseable() {
    let bodies = [
        json!({}),
        json!({"unexpected": [{"id": "a"}]}),
        json!({"count": 3}),
        json!({"count": 0, "next": null, "results": null}),
        json!({"count": 1, "results": {"id": "a"}}),
    ];
    for b in &bodies {
        for r in [
            Resource::EmploymentRecords,
            Resource::Owners,
            Resource::EmploymentMetrics,
        ] {
            let mut f = linked_mx();
            let q = send(f.fetch(r, NOW).unwrap());
            let e = err(f.on_response(q.ticket, j(200, b.clone()), NOW));
            assert_eq!(
                (e.category, e.code.as_str()),
                (Category::Integration, "unparseable"),
                "{r:?} {b}"
            );
            assert_eq!(f.state().status(), "linked", "the link is kept");
        }
        let mut f = linked_br();
        let q = send(f.fetch(Resource::Employments, NOW).unwrap());
        let e = err(f.on_response(q.ticket, j(200, b.clone()), NOW));
        assert_eq!(e.code, "unparseable", "{b}");
    }
}

/// Issue 14 item 2: `count` and the items across all pages must agree.
#[test]
fn issue14_page_count_must_match_the_items() {
    // One page: more, or fewer, items than announced.
    for b in [
        json!({"count": 3, "results": []}),
        json!({"count": 3, "next": null, "results": [{"id": "a"}]}),
        json!({"count": 0, "results": [{"id": "a"}]}),
        json!({"count": 1, "results": [{"id": "a"}, {"id": "b"}]}),
    ] {
        let mut f = linked_mx();
        let q = send(f.fetch(Resource::EmploymentRecords, NOW).unwrap());
        let e = err(f.on_response(q.ticket, j(200, b.clone()), NOW));
        assert_eq!(
            (e.category, e.code.as_str()),
            (Category::Integration, "unparseable"),
            "{b}"
        );
    }
    // Two pages that add up to less than the count.
    let mut f = linked_mx();
    let q = send(f.fetch(Resource::Owners, NOW).unwrap());
    let next = "https://sandbox.belvo.com/api/owners/?page=2";
    let q = send(f.on_response(q.ticket, j(200, page(3, Some(next), &["a"])), NOW));
    let e = err(f.on_response(q.ticket, j(200, page(3, None, &["b"])), NOW));
    assert_eq!(e.code, "unparseable");
    // Pages that add up to more than the count fail as soon as they do.
    let mut f = linked_mx();
    let q = send(f.fetch(Resource::Owners, NOW).unwrap());
    let q = send(f.on_response(q.ticket, j(200, page(2, Some(next), &["a"])), NOW));
    let e = err(f.on_response(
        q.ticket,
        j(
            200,
            page(
                2,
                Some("https://sandbox.belvo.com/api/owners/?page=3"),
                &["b", "c"],
            ),
        ),
        NOW,
    ));
    assert_eq!(e.code, "unparseable");
    // What pagination allows: an empty resource, and a truncated read with fewer items.
    let mut f = linked_mx();
    let q = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert_eq!(
        serde_json::to_value(done(f.on_response(
            q.ticket,
            j(200, page(0, None, &[])),
            NOW
        )))
        .unwrap(),
        json!({"status": "ok", "resource": "OWNERS", "count": 0, "results": [], "truncated": false})
    );
    let mut f: F = Flow::new(Config {
        max_pages: 1,
        ..Config::default()
    });
    let q = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    done(f.on_response(q.ticket, j(201, link_json("imss_mx_employment")), NOW));
    let q = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = done(f.on_response(q.ticket, j(200, page(30, Some(next), &["a"])), NOW));
    assert!(
        matches!(s, Step::Data { count: 30, truncated: true, ref results, .. } if results.len() == 1)
    );
}

/// Issue 14 item 3: a 200 to the MFA PATCH must be a link object, as for the POST.
#[test]
fn issue14_mfa_patch_200_without_a_link_is_unparseable() {
    for b in [
        json!({}),
        json!({"status": "valid"}),
        json!({"id": ""}),
        json!({"id": null, "institution": "inss_br_employment"}),
        json!("ok"),
        json!([]),
        json!(null),
    ] {
        let (mut f, r) = token_required_br();
        let e = err(f.on_response(r.ticket, j(200, b.clone()), NOW));
        assert_eq!(
            (e.category, e.code.as_str()),
            (Category::Integration, "unparseable"),
            "{b}"
        );
        assert_eq!(f.state().status(), "error", "{b}");
        assert!(f.state().link().is_none());
    }
    // A link object is read as before.
    let (mut f, r) = token_required_br();
    let s = done(f.on_response(r.ticket, j(200, link_json("inss_br_employment")), NOW));
    assert!(matches!(s, Step::Linked { ref link } if link.id == LINK));
}

/// The POST reads its 2xx the same way (already so before issue 14).
#[test]
fn create_link_2xx_without_a_link_is_unparseable() {
    for b in [
        json!({}),
        json!({"status": "valid"}),
        json!({"id": ""}),
        json!("ok"),
        json!([LINK]),
        json!(null),
    ] {
        let mut f = flow();
        let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
        let e = err(f.on_response(r.ticket, j(201, b.clone()), NOW));
        assert_eq!(e.code, "unparseable", "{b}");
        assert_eq!(f.state().status(), "error");
    }
}

// --- delete_link (issue 16) ------------------------------------------------------------------

/// A flow in `Ready` for IMSS (events announced both resources).
fn ready_mx() -> F {
    let mut f = linked_mx();
    let r = send(f.wait_for_data(None, NOW).unwrap());
    let evs = json!({"events": [
        wh("EMPLOYMENT_RECORDS", json!({"total_employment_record_profiles": 1})),
        wh("OWNERS", json!({"total_owners": 1})),
    ]});
    assert!(matches!(
        done(f.on_response(r.ticket, j(200, evs), NOW)),
        Step::Ready { .. }
    ));
    f.take_events();
    f
}

#[test]
fn delete_link_sends_delete_with_the_capability_then_forgets_the_link() {
    for mut f in [linked_mx(), ready_mx()] {
        let before = f.state().status();
        f.take_events();
        let r = send(f.delete_link(NOW).unwrap());
        assert_eq!(
            (r.method, r.path_and_query.as_str()),
            (Method::Delete, format!("/api/links/{LINK}/").as_str())
        );
        assert_eq!(r.link_capability.as_deref(), Some(CAP));
        assert!(r.body.is_none());
        assert!(r.idempotent);
        assert_eq!(
            f.state().status(),
            before,
            "the state holds while in flight"
        );
        assert!(f.is_busy());
        assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::Busy);
        assert_eq!(event_types(&mut f), ["request"]);
        assert_eq!(serde_json::to_value(f.snapshot()).unwrap()["busy"], true);

        let s = done(f.on_response(r.ticket, R::new(204, Body::Empty), NOW + 5));
        assert_eq!(
            s,
            Step::Deleted {
                link_id: LINK.into()
            }
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({"status": "deleted", "linkId": LINK})
        );
        assert_eq!(f.state().status(), "idle");
        assert!(!f.is_busy());
        assert_eq!(f.capability(LINK), None, "the capability is forgotten");
        assert_eq!(
            serde_json::to_value(f.snapshot()).unwrap(),
            json!({"status": "idle", "busy": false})
        );
        assert_eq!(event_types(&mut f), ["response", "state"]);
        // Nothing left to delete or fetch; a new link can start.
        assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::InvalidState);
        assert_eq!(
            f.fetch(Resource::Owners, NOW).unwrap_err(),
            Misuse::InvalidState
        );
        assert!(matches!(
            f.create_link(mx_params(&curp_str()), NOW),
            Ok(Action::Send(_))
        ));
    }
    // Any 2xx is a delete (a proxy may answer 200 with a body).
    let mut f = linked_mx();
    let r = send(f.delete_link(NOW).unwrap());
    let s = done(f.on_response(r.ticket, j(200, json!({"deleted": true})), NOW));
    assert!(matches!(s, Step::Deleted { .. }));
}

#[test]
fn delete_link_only_with_a_link() {
    let mut f = flow();
    assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::InvalidState);
    let (mut f, r) = token_required_br();
    done(f.on_response(r.ticket, j(428, challenge_json(SESSION, json!(120))), NOW));
    assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::InvalidState);
    let mut f = linked_mx();
    let _ = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::Busy);
    let mut f = linked_mx();
    let _ = send(f.wait_for_data(None, NOW).unwrap());
    assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::Busy);
    let mut f = flow();
    let r = send(f.create_link(mx_params(&curp_str()), NOW).unwrap());
    let _ = err(f.on_response(r.ticket, R::new(400, Body::NotJson), NOW));
    assert_eq!(f.state().status(), "error");
    assert_eq!(f.delete_link(NOW).unwrap_err(), Misuse::InvalidState);
}

#[test]
fn delete_link_retries_transient_failures_and_a_404_to_a_resend_is_done() {
    // 503, then the resend finds the link gone (the first DELETE got through): deleted.
    let mut f = linked_mx();
    let r = send(f.delete_link(NOW).unwrap());
    let a = f.on_response(
        r.ticket,
        j(503, json!([{"code": "unexpected_error", "message": "x"}])),
        NOW,
    );
    assert_eq!(
        a,
        Action::Retry {
            ticket: r.ticket,
            after_ms: 1000
        }
    );
    let gone = json!([{"code": "not_found", "message": "Not found.", "request_id": "r"}]);
    let s = done(f.on_response(r.ticket, j(404, gone.clone()), NOW + 1000));
    assert!(matches!(s, Step::Deleted { .. }), "{s:?}");
    assert_eq!(f.state().status(), "idle");

    // A timeout, then 204.
    let mut f = ready_mx();
    let r = send(f.delete_link(NOW).unwrap());
    assert!(matches!(
        f.on_failure(r.ticket, Failure::Timeout, NOW),
        Action::Retry { .. }
    ));
    let s = done(f.on_response(r.ticket, R::new(204, Body::Empty), NOW));
    assert!(matches!(s, Step::Deleted { .. }));

    // A 404 to the first DELETE is not "deleted": the proxy has no such route, or the link is
    // not the caller's. An integration error; the link and its capability are kept.
    let mut f = ready_mx();
    let r = send(f.delete_link(NOW).unwrap());
    let e = err(f.on_response(r.ticket, j(404, gone), NOW));
    assert_eq!(
        (e.code.as_str(), e.category, e.status),
        ("not_found", Category::Integration, 404)
    );
    assert_eq!(f.state().status(), "ready");
    assert_eq!(f.capability(LINK), Some(CAP));
    assert!(!f.is_busy());
    // So it can be tried again (here: a proxy without the route answers 405).
    let r = send(f.delete_link(NOW).unwrap());
    let e = err(f.on_response(r.ticket, R::new(405, Body::Empty), NOW));
    assert_eq!(e.category, Category::Integration);
    assert_eq!(f.state().status(), "ready");

    // Retries run out: the last error surfaces, the link stays.
    let mut f = linked_mx();
    let r = send(f.delete_link(NOW).unwrap());
    let mut a = f.on_failure(r.ticket, Failure::Network, NOW);
    for _ in 0..3 {
        assert!(matches!(a, Action::Retry { .. }), "{a:?}");
        a = f.on_failure(r.ticket, Failure::Network, NOW);
    }
    let e = err(a);
    assert_eq!(
        (e.code.as_str(), e.category),
        ("network_error", Category::Retry)
    );
    assert_eq!(f.state().status(), "linked");
    assert_eq!(f.capability(LINK), Some(CAP));

    // Cancel settles it; a late answer changes nothing.
    let mut f = linked_mx();
    let r = send(f.delete_link(NOW).unwrap());
    assert_eq!(f.cancel(NOW).unwrap().error().unwrap().code, "cancelled");
    assert_eq!(
        err(f.on_response(r.ticket, R::new(204, Body::Empty), NOW)).code,
        "cancelled"
    );
    assert_eq!(f.state().status(), "cancelled");
}
