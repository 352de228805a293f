//! The proxy's request policy: routes, methods, CORS, every bad-input class, link binding.
//! Each rejection also proves that upstream was not called.

mod proxy_harness;

use employment_link_core::proxy::{BelvoEnv, Config, ConfigError, Decision, Policy, Request};
use proxy_harness::*;

fn assert_no_upstream(h: &Harness) {
    assert_eq!(h.up.requests(), 0, "upstream must not be called");
}

#[test]
fn unknown_paths_are_404_in_belvo_shape() {
    let h = Harness::new();
    for (m, p) in [
        ("GET", "/"),
        ("GET", "/api/links"),
        ("GET", "/api/accounts/"),
        ("DELETE", "/api/links/abc/"),
        (
            "DELETE",
            "/api/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14/x/",
        ),
        ("DELETE", "/api/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14"),
        ("POST", "/api/token/"),
        ("GET", "/links/x/events/extra"),
        ("PUT", "/nothing"),
    ] {
        let r = h.call(&Request::new(m, p, ""));
        assert_eq!(r.response.status, 404, "{m} {p}");
        assert_eq!(err(&r).0, "not_found");
        assert_eq!(r.response.header("content-type"), Some("application/json"));
        assert!(r.response.header("x-request-id").is_some());
    }
    assert_no_upstream(&h);
}

#[test]
fn wrong_methods_are_405_with_allow() {
    let h = Harness::new();
    let cases = [
        ("GET", "/api/links/", "POST, PATCH, OPTIONS"),
        ("PUT", "/api/links/", "POST, PATCH, OPTIONS"),
        ("DELETE", "/api/links/", "POST, PATCH, OPTIONS"),
        (
            "GET",
            "/api/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14/",
            "DELETE, OPTIONS",
        ),
        (
            "PATCH",
            "/api/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14/",
            "DELETE, OPTIONS",
        ),
        ("POST", "/api/employment-records/", "GET, OPTIONS"),
        ("PATCH", "/api/br/employments/", "GET, OPTIONS"),
        ("DELETE", "/api/owners/", "GET, OPTIONS"),
        ("POST", "/api/employment-metrics/", "GET, OPTIONS"),
        (
            "POST",
            "/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14/events",
            "GET, OPTIONS",
        ),
        ("GET", "/webhooks", "POST, OPTIONS"),
        ("HEAD", "/api/owners/", "GET, OPTIONS"),
    ];
    for (m, p, allow) in cases {
        let r = h.call(&Request::new(
            m,
            p,
            "link=74c01cb4-edf1-44d6-8876-b1dc2aebcb14",
        ));
        assert_eq!(r.response.status, 405, "{m} {p}");
        assert_eq!(err(&r).0, "method_not_allowed");
        assert_eq!(r.response.header("allow"), Some(allow));
    }
    assert_no_upstream(&h);
}

#[test]
fn emulator_routes_exist_only_in_emulator_mode() {
    let h = Harness::new();
    assert_eq!(
        h.call(&Request::new("GET", "/__emulator/scenarios", ""))
            .response
            .status,
        200
    );
    assert_eq!(
        h.call(&Request::new("GET", "/__emulator/stats", ""))
            .response
            .status,
        200
    );
    let s = Harness::with_env(&[
        ("BELVO_ENV", "sandbox"),
        ("BELVO_SECRET_ID", "id"),
        ("BELVO_SECRET_PASSWORD", "pw"),
        ("LINK_KEY", "0123456789abcdef0123"),
    ]);
    for p in [
        "/__emulator/scenarios",
        "/__emulator/stats",
        "/__emulator/belvo/api/owners/",
    ] {
        assert_eq!(
            s.call(&Request::new("GET", p, "")).response.status,
            404,
            "{p}"
        );
    }
    assert_eq!(
        s.call(&Request::new("POST", "/__emulator/reset", ""))
            .response
            .status,
        404
    );
}

#[test]
fn cors_preflight_allowed_and_foreign() {
    let h = Harness::new();
    let pre = |origin: &str, method: &str, path: &str| {
        Request::new("OPTIONS", path, "")
            .with_header("origin", origin)
            .with_header("access-control-request-method", method)
            .with_header(
                "access-control-request-headers",
                "content-type, x-link-capability",
            )
    };
    let ok = h.call(&pre(ORIGIN, "POST", "/api/links/"));
    assert_eq!(ok.response.status, 204);
    assert_eq!(
        ok.response.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    assert_eq!(
        ok.response.header("access-control-allow-methods"),
        Some("POST, PATCH, OPTIONS")
    );
    let allow_headers = ok
        .response
        .header("access-control-allow-headers")
        .unwrap_or("");
    assert!(allow_headers.contains("X-Link-Capability"));
    assert_eq!(ok.response.header("vary"), Some("Origin"));

    let foreign = h.call(&pre(FOREIGN, "POST", "/api/links/"));
    assert_eq!(foreign.response.status, 403);
    assert_eq!(err(&foreign).0, "origin_not_allowed");
    assert_eq!(foreign.response.header("access-control-allow-origin"), None);

    // Exact match: scheme, host and port must all agree.
    for near in [
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://APP.example.com",
        "null",
    ] {
        let r = h.call(&pre(near, "GET", "/api/owners/"));
        assert_eq!(r.response.status, 403, "{near}");
    }

    let wrong_method = h.call(&pre(ORIGIN, "DELETE", "/api/links/"));
    assert_eq!(wrong_method.response.status, 405);
    assert_eq!(h.call(&pre(ORIGIN, "GET", "/nope")).response.status, 404);
    assert_no_upstream(&h);
}

#[test]
fn cors_on_actual_requests() {
    let h = Harness::new();
    let body = format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#);
    let foreign = h.call(&post_json("/api/links/", &body).with_header("origin", FOREIGN));
    assert_eq!(foreign.response.status, 403);
    assert_eq!(foreign.response.header("access-control-allow-origin"), None);
    assert_no_upstream(&h);

    let ok = h.call(&post_json("/api/links/", &body).with_header("origin", ORIGIN));
    assert_eq!(ok.response.status, 201);
    assert_eq!(
        ok.response.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    let exposed = ok
        .response
        .header("access-control-expose-headers")
        .unwrap_or("");
    assert!(exposed.contains("X-Link-Capability"));

    // Node callers send no Origin: allowed, no CORS headers.
    let node = h.call(&post_json("/api/links/", &body));
    assert_eq!(node.response.status, 201);
    assert_eq!(node.response.header("access-control-allow-origin"), None);
}

#[test]
fn a_streamed_body_is_kept_only_up_to_one_byte_past_the_limit() {
    use employment_link_core::proxy::body::{declared_over, BodyLimit};
    // Issue 14: a chunked body far over the limit was read whole before the limit was checked.
    let max = 16 * 1024;
    let chunk = [b'x'; 4096];
    let mut b = BodyLimit::new(max);
    let mut kept: Vec<u8> = Vec::new();
    let mut offered = 0usize;
    while offered < 64 * 1024 * 1024 && !b.exceeded() {
        let keep = b.take(chunk.len());
        kept.extend_from_slice(&chunk[..keep]);
        offered += chunk.len();
    }
    assert!(b.exceeded());
    assert_eq!(
        b.held(),
        max + 1,
        "one byte past the limit proves it exceeded"
    );
    assert_eq!(kept.len(), max + 1);
    assert_eq!(
        offered,
        max + 4096,
        "reading stopped at the chunk that crossed the limit"
    );
    assert_eq!((b.wanted(), b.take(100)), (0, 0), "nothing more is taken");
    assert_eq!(b.held(), max + 1);
    // What was kept makes the policy answer 413, like a declared Content-Length would.
    let h = Harness::new();
    let r = h.call(&post_json("/api/links/", "").with_body(kept.clone()));
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (413, "request_too_large")
    );
    let r = h.call(&post_json("/webhooks", "").with_body(kept));
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (413, "request_too_large")
    );
    assert_no_upstream(&h);

    // Exactly the limit, in uneven chunks: all kept, reading goes on until the end.
    let mut b = BodyLimit::new(10);
    assert_eq!([b.take(3), b.take(0), b.take(7)], [3, 0, 7]);
    assert!(!b.exceeded());
    assert_eq!(b.wanted(), 1);
    assert_eq!(b.take(2), 1);
    assert!(b.exceeded());
    assert_eq!(b.held(), 11);
    let mut b = BodyLimit::new(0);
    assert_eq!(b.take(0), 0);
    assert!(!b.exceeded());
    assert_eq!(b.take(5), 1);
    assert!(b.exceeded());
    let mut b = BodyLimit::new(usize::MAX);
    assert_eq!(b.take(usize::MAX), usize::MAX);
    assert!(!b.exceeded());
    // A declared length decides without reading.
    assert!(declared_over(Some(" 16385 "), max));
    assert!(!declared_over(Some("16384"), max));
    assert!(!declared_over(Some("-1"), max));
    assert!(!declared_over(Some("lots"), max));
    assert!(!declared_over(None, max));
}

#[test]
fn an_unread_body_is_answered_like_any_rejection() {
    use employment_link_core::proxy::body::{read_timeout, unreadable};
    let h = Harness::with_env(&[("ALLOWED_ORIGINS", ORIGIN), ("BODY_READ_TIMEOUT_MS", "250")]);
    assert_eq!(h.proxy.config.body_read_timeout_ms, 250);
    assert_eq!(config(&[]).body_read_timeout_ms, 10_000, "default");
    let req = post_json("/webhooks", "").with_header("origin", ORIGIN);
    let r = h.proxy.refuse(&req, &h.cx(), &read_timeout());
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (408, "request_timeout")
    );
    assert_eq!(r.response.header("cache-control"), Some("no-store"));
    assert_eq!(
        r.response.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    let rid = r.response.header("x-request-id").unwrap();
    assert_eq!(r.response.json_body()[0]["request_id"], rid);
    assert_eq!(
        (
            r.log.status,
            r.log.route,
            r.log.outcome,
            r.log.code.as_deref()
        ),
        (408, "POST /webhooks", "rejected", Some("request_timeout"))
    );
    let r = h.proxy.refuse(&req, &h.cx(), &unreadable());
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (400, "parse_error")
    );
    assert_no_upstream(&h);
}

#[test]
fn upstream_answer_limit_is_configurable() {
    assert_eq!(config(&[]).upstream_max_bytes, 8 * 1024 * 1024, "default");
    let c = config(&[("UPSTREAM_MAX_BYTES", "65536")]);
    assert_eq!(c.upstream_max_bytes, 65_536);
    let c = config(&[("UPSTREAM_MAX_BYTES", "999999999999")]);
    assert_eq!(
        c.upstream_max_bytes,
        64 * 1024 * 1024,
        "at most half an isolate"
    );
    let c = config(&[("EVENTS_MAX_PER_LINK", "0")]);
    assert_eq!(c.max_events_per_link, 1);
}

#[test]
fn body_limits_and_json_only() {
    let h = Harness::new();
    let big = format!(
        r#"{{"institution":"planet_mx_employment","username":"{}"}}"#,
        "A".repeat(16 * 1024)
    );
    let r = h.create(&big);
    assert_eq!(r.response.status, 413);
    assert_eq!(err(&r).0, "request_too_large");
    // Exactly 16 KiB is fine as far as size goes (it then fails validation).
    let pad = 16 * 1024 - r#"{"institution":"planet_mx_employment","username":""}"#.len();
    let exact = format!(
        r#"{{"institution":"planet_mx_employment","username":"{}"}}"#,
        "A".repeat(pad)
    );
    assert_eq!(exact.len(), 16 * 1024);
    assert_eq!(h.create(&exact).response.status, 400);
    // A declared Content-Length over the limit is refused before the body is looked at.
    let declared = post_json("/api/links/", "{}").with_header("content-length", "999999");
    assert_eq!(h.call(&declared).response.status, 413);
    let wh = post_json("/webhooks", "{}").with_header("content-length", "20000");
    assert_eq!(h.call(&wh).response.status, 413);

    for bad in ["", "not json", "{\"institution\":", "\u{0}", "{'a':1}"] {
        let r = h.create(bad);
        assert_eq!(r.response.status, 400, "{bad:?}");
        assert_eq!(err(&r).0, "parse_error");
    }
    let arr = h.create("[1,2]");
    assert_eq!(
        (arr.response.status, err(&arr).0.as_str()),
        (400, "invalid")
    );
    let text = Request::new("POST", "/api/links/", "")
        .with_header("content-type", "text/plain")
        .with_body(format!(
            r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#
        ));
    let r = h.call(&text);
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (400, "parse_error")
    );
    let none = Request::new("POST", "/api/links/", "").with_body("{}");
    assert_eq!(h.call(&none).response.status, 400);
    let with_charset = post_json("/api/links/", "{}")
        .with_header("content-type", "application/json; charset=utf-8");
    assert_eq!(err(&h.call(&with_charset)).0, "required");
    assert_no_upstream(&h);
}

#[test]
fn only_utf8_json_is_read() {
    // Issue 14, item 7: a body declared in another charset would be misread as UTF-8.
    let h = Harness::new();
    let body = format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#);
    let with = |ct: &str| {
        Request::new("POST", "/api/links/", "")
            .with_header("content-type", ct)
            .with_body(body.as_bytes().to_vec())
    };
    for ct in [
        "application/json; charset=utf-16",
        "application/json;charset=UTF-16LE",
        "application/json; charset=\"utf-16\"",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-8; charset=utf-16",
        "application/json; charset=",
        "application/json; charset=utf8",
    ] {
        let r = h.call(&with(ct));
        assert_eq!(
            (r.response.status, err(&r).0.as_str()),
            (400, "parse_error"),
            "{ct}"
        );
        assert!(err(&r).1.contains("UTF-8"), "{ct}");
    }
    let utf16 = Request::new("POST", "/webhooks", "")
        .with_header("authorization", "Bearer emulator-webhook-token")
        .with_header("content-type", "application/json; charset=utf-16")
        .with_body("{}");
    assert_eq!(err(&h.call(&utf16)).0, "parse_error");
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let cap = h.proxy.policy().capability(link);
    let patch = Request::new("PATCH", "/api/links/", "")
        .with_header("content-type", "application/json; charset=utf-16")
        .with_header("x-link-capability", &cap)
        .with_body(format!(r#"{{"link":"{link}","session":"abc"}}"#));
    assert_eq!(err(&h.call(&patch)).0, "parse_error");
    assert_no_upstream(&h);
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON; Charset=\"UTF-8\"",
        "application/json; boundary=x",
    ] {
        assert_eq!(h.call(&with(ct)).response.status, 201, "{ct}");
    }
}

fn expect_field_error(h: &Harness, body: &str, code: &str, field: &str) {
    let r = h.create(body);
    assert_eq!(r.response.status, 400, "{body}");
    let (c, _, f) = err(&r);
    assert_eq!((c.as_str(), f.as_deref()), (code, Some(field)), "{body}");
}

#[test]
fn link_body_validation() {
    let h = Harness::new();
    let c = CURP_A;
    expect_field_error(&h, "{}", "required", "institution");
    expect_field_error(
        &h,
        r#"{"institution":null,"username":"x"}"#,
        "required",
        "institution",
    );
    expect_field_error(
        &h,
        r#"{"institution":5,"username":"x"}"#,
        "invalid",
        "institution",
    );
    expect_field_error(
        &h,
        r#"{"institution":"erebor_mx_retail","username":"x"}"#,
        "invalid_choice",
        "institution",
    );
    expect_field_error(
        &h,
        r#"{"institution":"IMSS_MX_EMPLOYMENT","username":"x"}"#,
        "invalid_choice",
        "institution",
    );
    expect_field_error(
        &h,
        r#"{"institution":"imss_mx_employment"}"#,
        "required",
        "username",
    );
    expect_field_error(
        &h,
        r#"{"institution":"imss_mx_employment","username":"  "}"#,
        "blank",
        "username",
    );
    expect_field_error(
        &h,
        r#"{"institution":"imss_mx_employment","username":["x"]}"#,
        "invalid",
        "username",
    );
    // Bad CURPs: check digit, length, date, characters.
    for u in [
        "PEXA850412HJCRRN08",
        "PEXA850412HJCRRN0",
        "PEXA851312HJCRRN09",
        "PEXA85041?HJCRRN09",
    ] {
        expect_field_error(
            &h,
            &format!(r#"{{"institution":"imss_mx_employment","username":"{u}"}}"#),
            "invalid",
            "username",
        );
    }
    // The sandbox CURP is valid only at planet.
    expect_field_error(
        &h,
        &format!(r#"{{"institution":"imss_mx_employment","username":"{SANDBOX_CURP}"}}"#),
        "invalid",
        "username",
    );
    // CPF rules at INSS.
    for u in ["15387204691", "11111111111", "1538720469", "abc"] {
        expect_field_error(
            &h,
            &format!(r#"{{"institution":"inss_br_employment","username":"{u}","password":"p"}}"#),
            "invalid",
            "username",
        );
    }
    expect_field_error(
        &h,
        &format!(r#"{{"institution":"inss_br_employment","username":"{CPF_A}"}}"#),
        "required",
        "password",
    );
    expect_field_error(
        &h,
        &format!(r#"{{"institution":"inss_br_employment","username":"{CPF_A}","password":""}}"#),
        "blank",
        "password",
    );
    expect_field_error(
        &h,
        &format!(r#"{{"institution":"imss_mx_employment","username":"{c}","password":"p"}}"#),
        "invalid",
        "password",
    );
    let base = format!(r#""institution":"imss_mx_employment","username":"{c}""#);
    expect_field_error(
        &h,
        &format!("{{{base},\"access_mode\":\"recurrent\"}}"),
        "invalid_choice",
        "access_mode",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"access_mode\":1}}"),
        "invalid",
        "access_mode",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"credentials_storage\":\"store\"}}"),
        "invalid_choice",
        "credentials_storage",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"credentials_storage\":\"0d\"}}"),
        "invalid_choice",
        "credentials_storage",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"credentials_storage\":\"366d\"}}"),
        "invalid_choice",
        "credentials_storage",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":\"OWNERS\"}}"),
        "not_a_list",
        "fetch_resources",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":[]}}"),
        "invalid",
        "fetch_resources",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":[\"ACCOUNTS\"]}}"),
        "invalid",
        "fetch_resources",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":[\"EMPLOYMENTS\"]}}"),
        "invalid",
        "fetch_resources",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":[\"OWNERS\",\"OWNERS\"]}}"),
        "invalid",
        "fetch_resources",
    );
    expect_field_error(
        &h,
        &format!("{{{base},\"fetch_resources\":[1]}}"),
        "invalid",
        "fetch_resources",
    );
    for ext in ["ab", "", "a b c", "émile", "x;drop", "abc/def"] {
        expect_field_error(
            &h,
            &format!("{{{base},\"external_id\":\"{ext}\"}}"),
            "invalid",
            "external_id",
        );
    }
    expect_field_error(
        &h,
        &format!("{{{base},\"external_id\":\"{}\"}}", "a".repeat(101)),
        "invalid",
        "external_id",
    );
    for unknown in [
        "token",
        "username2",
        "certificate",
        "stale_in",
        "fetch_historical",
        "link",
    ] {
        expect_field_error(
            &h,
            &format!("{{{base},\"{unknown}\":\"x\"}}"),
            "invalid",
            unknown,
        );
    }
    assert_no_upstream(&h);
}

#[test]
fn rejection_messages_never_echo_identifiers() {
    let h = Harness::new();
    let bad = "PEXA850412HJCRRN08";
    let r = h.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{bad}"}}"#
    ));
    let text = String::from_utf8_lossy(&r.response.body).to_string();
    assert!(!text.contains(bad), "{text}");
    assert!(text.contains("check_digit"), "{text}");
}

#[test]
fn unknown_names_are_never_echoed() {
    // Issue 14, item 6: a refused field or query parameter is named only when it is one of
    // Belvo's own names; any other name (e.g. a CURP used as a key) is not echoed anywhere.
    let h = Harness::new();
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let cap = h.proxy.policy().capability(link);
    let check = |r: &employment_link_core::proxy::Handled, name: &str, what: &str| {
        assert_eq!(r.response.status, 400, "{what}");
        let (code, message, field) = err(r);
        assert_eq!((code.as_str(), field), ("invalid", None), "{what}");
        assert!(message.contains("not accepted"), "{message}");
        assert!(r.response.json_body()[0]["field"].is_null());
        let text = String::from_utf8_lossy(&r.response.body).to_string();
        assert!(!text.contains(name), "{what}: {text}");
    };
    for name in [
        CURP_A,
        CPF_A,
        "153.872.046-90",
        "hunter2",
        "Token",
        "username ",
    ] {
        let key = serde_json::to_string(name).unwrap();
        let body =
            format!(r#"{{"institution":"imss_mx_employment","username":"{CURP_A}",{key}:1}}"#);
        check(&h.create(&body), name, "create");
        let body = format!(r#"{{"link":"{link}","session":"abc",{key}:1}}"#);
        check(&h.call(&patch_json(&body, Some(&cap))), name, "patch");
        let q = format!("link={link}&{name}=1");
        check(&h.call(&get("/api/owners/", &q, Some(&cap))), name, "query");
    }
    assert_no_upstream(&h);
}

#[test]
fn accepted_link_bodies_are_normalised() {
    let h = Harness::new();
    let policy = Policy::new(&h.proxy.config);
    let req = post_json(
        "/api/links/",
        r#"{"institution":"imss_mx_employment","username":" pexa-850412-hjcrrn09 ","external_id":"COHORT_32_User-1","credentials_storage":"30d","access_mode":null,"fetch_resources":["OWNERS","EMPLOYMENT_RECORDS","EMPLOYMENT_METRICS"]}"#,
    );
    let Decision::Forward(f) = policy.check(&req, T0, "r") else {
        panic!("not forwarded")
    };
    let sent: serde_json::Value =
        serde_json::from_slice(f.upstream.body.as_deref().unwrap_or_default()).unwrap();
    assert_eq!(sent["username"], CURP_A);
    assert_eq!(sent["access_mode"], "single");
    assert_eq!(sent["credentials_storage"], "30d");
    assert_eq!(sent["external_id"], "COHORT_32_User-1");
    assert_eq!(
        sent["fetch_resources"],
        serde_json::json!(["OWNERS", "EMPLOYMENT_RECORDS", "EMPLOYMENT_METRICS"])
    );
    assert!(f
        .guard_key
        .as_deref()
        .is_some_and(|k| k.starts_with("guard:") && !k.contains("PEXA")));

    let req = post_json(
        "/api/links/",
        r#"{"institution":"inss_br_employment","username":"153.872.046-90","password":"s3cret"}"#,
    );
    let Decision::Forward(f) = policy.check(&req, T0, "r") else {
        panic!("not forwarded")
    };
    let sent: serde_json::Value =
        serde_json::from_slice(f.upstream.body.as_deref().unwrap_or_default()).unwrap();
    assert_eq!(sent["username"], CPF_A);
    assert_eq!(sent["password"], "s3cret");
    assert_eq!(
        sent["fetch_resources"],
        serde_json::json!(["EMPLOYMENTS", "OWNERS"])
    );
    assert_eq!(f.guard_key, None, "the attempt guard is for IMSS only");
}

#[test]
fn allowed_institutions_can_be_restricted() {
    let h = Harness::with_env(&[(
        "ALLOWED_INSTITUTIONS",
        "imss_mx_employment, inss_br_employment",
    )]);
    expect_field_error(
        &h,
        &format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#),
        "invalid_choice",
        "institution",
    );
    assert_eq!(
        h.create(&format!(
            r#"{{"institution":"imss_mx_employment","username":"{CURP_A}"}}"#
        ))
        .response
        .status,
        201
    );
}

#[test]
fn patch_validation() {
    let h = Harness::new();
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let cap = h.proxy.policy().capability(link);
    let cases = [
        ("{}", "required", "link"),
        (r#"{"link":"nope","session":"abc"}"#, "invalid", "link"),
        (
            &format!(r#"{{"link":"{link}"}}"#) as &str,
            "required",
            "session",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"a-b"}}"#),
            "invalid",
            "session",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"{}"}}"#, "a".repeat(65)),
            "invalid",
            "session",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"abc","token":"1 2"}}"#),
            "invalid",
            "token",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"abc","token":""}}"#),
            "invalid",
            "token",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"abc","token":7}}"#),
            "invalid",
            "token",
        ),
        (
            &format!(r#"{{"link":"{link}","session":"abc","save_data":true}}"#),
            "invalid",
            "save_data",
        ),
    ];
    for (body, code, field) in cases {
        let r = h.call(&patch_json(body, Some(&cap)));
        assert_eq!(r.response.status, 400, "{body}");
        let (c, _, f) = err(&r);
        assert_eq!((c.as_str(), f.as_deref()), (code, Some(field)), "{body}");
    }
    let r = h.call(&patch_json("nope", Some(&cap)));
    assert_eq!(err(&r).0, "parse_error");
    assert_no_upstream(&h);
}

#[test]
fn data_query_validation() {
    let h = Harness::new();
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let cap = h.proxy.policy().capability(link);
    for path in [
        "/api/employment-records/",
        "/api/br/employments/",
        "/api/owners/",
        "/api/employment-metrics/",
    ] {
        let cases = [
            ("", "required", "link"),
            ("page=2", "required", "link"),
            ("link=", "invalid", "link"),
            ("link=abc", "invalid", "link"),
            (
                &format!("link={link}&link={link}") as &str,
                "invalid",
                "link",
            ),
            (&format!("link__in={link}"), "invalid", "link__in"),
            (&format!("link={link}&fields=id"), "invalid", "fields"),
            (&format!("link={link}&page=0"), "invalid", "page"),
            (&format!("link={link}&page=-1"), "invalid", "page"),
            (&format!("link={link}&page=+2"), "invalid", "page"),
            (
                &format!("link={link}&page_size=1001"),
                "invalid",
                "page_size",
            ),
        ];
        for (q, code, field) in cases {
            let r = h.call(&get(path, q, Some(&cap)));
            assert_eq!(r.response.status, 400, "{path}?{q}");
            let (c, _, f) = err(&r);
            assert_eq!(
                (c.as_str(), f.as_deref()),
                (code, Some(field)),
                "{path}?{q}"
            );
        }
    }
    assert_no_upstream(&h);
    // A valid query is rebuilt from validated values only.
    let policy = Policy::new(&h.proxy.config);
    let req = get(
        "/api/employment-records/",
        &format!("page=2&link={link}&page_size=10"),
        Some(&cap),
    );
    let Decision::Forward(f) = policy.check(&req, T0, "r") else {
        panic!("not forwarded")
    };
    assert_eq!(f.upstream.query, format!("link={link}&page=2&page_size=10"));
    assert_eq!(f.upstream.path, "/api/employment-records/");
}

#[test]
fn link_binding_across_two_callers() {
    let h = Harness::new();
    let a = h.create(&format!(
        r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#
    ));
    let b = h.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{CURP_A}"}}"#
    ));
    assert_eq!((a.response.status, b.response.status), (201, 201));
    let a_id = a.response.json_body()["id"].as_str().unwrap().to_owned();
    let b_id = b.response.json_body()["id"].as_str().unwrap().to_owned();
    let a_cap = a.response.header("x-link-capability").unwrap().to_owned();
    let b_cap = b.response.header("x-link-capability").unwrap().to_owned();
    assert_ne!(a_cap, b_cap);
    assert!(a_cap.starts_with("v1.") && a_cap.len() == 67);
    h.advance_ms(1_500);
    let before = h.up.requests();
    // Each caller reaches its own link.
    for (id, cap) in [(&a_id, &a_cap), (&b_id, &b_cap)] {
        let r = h.call(&get("/api/owners/", &format!("link={id}"), Some(cap)));
        assert_eq!(r.response.status, 200);
        let ev = h.call(&get(&format!("/links/{id}/events"), "", Some(cap)));
        assert_eq!(ev.response.status, 200);
    }
    assert_eq!(h.up.requests(), before + 2);
    // Caller B cannot use A's link, with its own capability, a forged one, or none.
    let forged = format!("v1.{}", "0".repeat(64));
    for cap in [
        Some(b_cap.as_str()),
        Some(forged.as_str()),
        Some(""),
        Some("v1."),
        None,
    ] {
        for path in [
            "/api/employment-records/",
            "/api/br/employments/",
            "/api/owners/",
            "/api/employment-metrics/",
        ] {
            let r = h.call(&get(path, &format!("link={a_id}"), cap));
            assert_eq!(r.response.status, 404, "{path} {cap:?}");
            assert_eq!(err(&r).0, "not_found");
        }
        let r = h.call(&get(&format!("/links/{a_id}/events"), "", cap));
        assert_eq!(r.response.status, 404);
        let r = h.call(&patch_json(
            &format!(r#"{{"link":"{a_id}","session":"abc","token":"111111"}}"#),
            cap,
        ));
        assert_eq!(r.response.status, 404);
    }
    assert_eq!(
        h.up.requests(),
        before + 2,
        "no upstream call for unbound links"
    );
    // The capability is case-insensitive on the link id (Belvo ids are lower-case).
    let r = h.call(&get(
        "/api/owners/",
        &format!("link={}", a_id.to_uppercase()),
        Some(&a_cap),
    ));
    assert_eq!(r.response.status, 200);
    // A different LINK_KEY (another deployment) does not accept these capabilities.
    let other = Harness::with_env(&[("LINK_KEY", "another-key-of-32-bytes-xxxxxxxxx")]);
    let r = other.call(&get("/api/owners/", &format!("link={a_id}"), Some(&a_cap)));
    assert_eq!(r.response.status, 404);
}

#[test]
fn events_path_must_be_a_uuid() {
    let h = Harness::new();
    for p in [
        "/links//events",
        "/links/abc/events",
        "/links/../events",
        "/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb1/events",
    ] {
        assert_eq!(
            h.call(&get(p, "", Some("v1.00"))).response.status,
            404,
            "{p}"
        );
    }
}

#[test]
fn emulator_link_key_is_random_per_process_unless_set() {
    // Issue 14, item 5: without LINK_KEY, emulator mode used a public constant, so anyone
    // could compute any link's capability. Now it is the adapter's random per-process key.
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let with = |vars: &[(&str, &str)], random: Option<&[u8; 32]>| {
        Config::from_env(
            |k| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            },
            random,
        )
    };
    let cap = |c: &Config| Policy::new(c).capability(link);
    let a = with(&[], Some(&[1; 32])).unwrap();
    let b = with(&[], Some(&[2; 32])).unwrap();
    assert_eq!(a.link_key, [1; 32]);
    assert_ne!(
        cap(&a),
        cap(&b),
        "two processes issue different capabilities"
    );
    assert_eq!(cap(&a), cap(&with(&[], Some(&[1; 32])).unwrap()));
    // The key the proxy used before this fix is public: it must not be the default any more.
    let public = employment_link_core::proxy::crypto::link_capability(
        b"employment-link emulator-only link key (not secret)",
        link,
    );
    assert_ne!(cap(&config(&[])), public);
    assert!(a.warnings.iter().any(|w| w.contains("LINK_KEY")));
    // No secure random source: emulator mode without LINK_KEY refuses to run.
    assert_eq!(with(&[], None).err(), Some(ConfigError::NoRandomLinkKey));
    // A configured LINK_KEY wins, in every mode; outside emulator mode it stays required.
    let set = [("LINK_KEY", "0123456789abcdef0123")];
    let x = with(&set, Some(&[1; 32])).unwrap();
    let y = with(&set, Some(&[2; 32])).unwrap();
    assert_eq!(x.link_key, b"0123456789abcdef0123");
    assert_eq!(cap(&x), cap(&y));
    assert_eq!(with(&set, None).unwrap().link_key, b"0123456789abcdef0123");
    let sandbox = [("BELVO_SECRET_ID", "i"), ("BELVO_SECRET_PASSWORD", "p")];
    assert_eq!(
        with(&sandbox, Some(&[1; 32])).err(),
        Some(ConfigError::MissingLinkKey)
    );
    let d = Config::emulator_defaults(&[ORIGIN], &[3; 32]);
    assert_eq!(d.link_key, [3; 32]);
}

#[test]
fn configuration() {
    let c = config(&[]);
    assert_eq!(c.env, BelvoEnv::Emulator);
    assert_eq!(c.secret_id, "emulator-secret-id");
    assert!(c.webhook_token.is_some());
    let c = config(&[
        ("BELVO_SECRET_ID", "i"),
        ("BELVO_SECRET_PASSWORD", "p"),
        ("LINK_KEY", "0123456789abcdef"),
    ]);
    assert_eq!(c.env, BelvoEnv::Sandbox);
    assert_eq!(c.base_url, "https://sandbox.belvo.com");
    assert_eq!(c.webhook_token, None);
    let c = config(&[
        ("BELVO_ENV", "production"),
        ("BELVO_SECRET_ID", "i"),
        ("BELVO_SECRET_PASSWORD", "p"),
        ("LINK_KEY", "0123456789abcdef"),
        ("ALLOWED_ORIGINS", "https://a.example, https://b.example/"),
        ("UPSTREAM_TIMEOUT_MS", "1500"),
    ]);
    assert_eq!(c.base_url, "https://api.belvo.com");
    assert_eq!(
        c.allowed_origins,
        vec!["https://a.example", "https://b.example"]
    );
    assert_eq!(c.upstream_timeout_ms, 1500);
    let e = |vars: &[(&str, &str)]| {
        Config::from_env(
            |k| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            },
            Some(&TEST_RANDOM_KEY),
        )
        .err()
    };
    assert_eq!(
        e(&[("BELVO_ENV", "staging")]),
        Some(ConfigError::UnknownEnv)
    );
    assert_eq!(
        e(&[("BELVO_ENV", "sandbox")]),
        Some(ConfigError::MissingSecret)
    );
    assert_eq!(
        e(&[
            ("BELVO_ENV", "production"),
            ("BELVO_SECRET_ID", "i"),
            ("BELVO_SECRET_PASSWORD", "p")
        ]),
        Some(ConfigError::MissingLinkKey)
    );
    assert_eq!(
        e(&[
            ("BELVO_SECRET_ID", "i"),
            ("BELVO_SECRET_PASSWORD", "p"),
            ("LINK_KEY", "short")
        ]),
        Some(ConfigError::MissingLinkKey)
    );
    assert_eq!(
        e(&[("BELVO_BASE_URL", "ftp://x")]),
        Some(ConfigError::BadBaseUrl)
    );
    // The Debug output never shows secrets.
    let dbg = format!(
        "{:?}",
        config(&[
            ("BELVO_SECRET_PASSWORD", "p4ss"),
            ("BELVO_SECRET_ID", "id"),
            ("LINK_KEY", "k3y-k3y-k3y-k3y-k3y")
        ])
    );
    assert!(!dbg.contains("p4ss") && !dbg.contains("k3y"), "{dbg}");
}
