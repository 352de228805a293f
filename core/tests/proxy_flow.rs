//! Whole flows through the proxy and the in-process emulator (as the Worker runs them).

mod proxy_harness;

use employment_link_core::crypto::basic_auth;
use employment_link_core::proxy::Request;
use proxy_harness::*;

#[test]
fn mx_flow_with_webhooks_events_and_pages() {
    let h = Harness::new();
    let r = h.create(r#"{"institution":"imss_mx_employment","username":"EXMU900119HDFRRN07","external_id":"user_42"}"#);
    assert_eq!(r.response.status, 201);
    let id = r.response.json_body()["id"].as_str().unwrap().to_owned();
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    let ev = h.call(&get(&format!("/links/{id}/events"), "", Some(&cap)));
    assert_eq!(ev.response.json_body()["events"], serde_json::json!([]));
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    let ev = h
        .call(&get(&format!("/links/{id}/events"), "", Some(&cap)))
        .response
        .json_body();
    let events = ev["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["webhook_type"], "EMPLOYMENT_RECORDS");
    assert_eq!(events[0]["data"]["total_employment_record_profiles"], 1);
    assert_eq!(events[1]["webhook_type"], "OWNERS");
    assert_eq!(events[0]["external_id"], "user_42");
    // One profile (Belvo: one per link) holding every employment, through the proxy.
    let r = h.call(&get(
        "/api/employment-records/",
        &format!("link={id}&page=1"),
        Some(&cap),
    ));
    assert_eq!(r.response.status, 200);
    let page = r.response.json_body();
    assert_eq!(page["count"], 1);
    assert_eq!(
        page["results"][0]["employment_records"]
            .as_array()
            .unwrap()
            .len(),
        26
    );
    let r = h.call(&get(
        "/api/employment-records/",
        &format!("link={id}&page=2"),
        Some(&cap),
    ));
    assert_eq!(r.response.status, 404, "Belvo's JSON 404 passes through");
    let stats = h.up.emu.borrow().stats().clone();
    assert_eq!(stats.webhooks_delivered, 2);
}

#[test]
fn br_flow_wrong_token_then_right() {
    let h = Harness::new();
    let r = h.create(&format!(
        r#"{{"institution":"inss_br_employment","username":"{CPF_A}","password":"senha"}}"#
    ));
    assert_eq!(r.response.status, 428);
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    let ch = r.response.json_body();
    let link = ch[0]["link"].as_str().unwrap().to_owned();
    let session = ch[0]["session"].as_str().unwrap().to_owned();
    let r = h.call(&patch_json(
        &format!(r#"{{"link":"{link}","session":"{session}","token":"999999"}}"#),
        Some(&cap),
    ));
    assert_eq!(r.response.status, 428);
    assert_eq!(r.response.header("x-link-capability"), Some(cap.as_str()));
    let session = r.response.json_body()[0]["session"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = h.call(&patch_json(
        &format!(r#"{{"link":"{link}","session":"{session}","token":"111111"}}"#),
        Some(&cap),
    ));
    assert_eq!(r.response.status, 200);
    assert_eq!(r.response.json_body()["status"], "valid");
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    let r = h.call(&get(
        "/api/br/employments/",
        &format!("link={link}"),
        Some(&cap),
    ));
    let n = r.response.json_body()["count"].as_u64().unwrap();
    assert!((3..=6).contains(&n));
    let ev = h
        .call(&get(&format!("/links/{link}/events"), "", Some(&cap)))
        .response
        .json_body();
    assert_eq!(ev["events"][0]["data"]["total_employments"], n);
}

#[test]
fn br_expired_session_through_the_proxy() {
    let h = Harness::new();
    let r = h.create(&format!(
        r#"{{"institution":"inss_br_employment","username":"{CPF_A}","password":"senha"}}"#
    ));
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    let ch = r.response.json_body();
    let (link, session) = (
        ch[0]["link"].as_str().unwrap().to_owned(),
        ch[0]["session"].as_str().unwrap().to_owned(),
    );
    let adv = h.call(&Request::new("POST", "/__emulator/clock", "advance=121"));
    assert_eq!(adv.response.status, 200);
    let r = h.call(&patch_json(
        &format!(r#"{{"link":"{link}","session":"{session}","token":"111111"}}"#),
        Some(&cap),
    ));
    assert_eq!(
        (r.response.status, err(&r).0.as_str()),
        (400, "session_expired")
    );
}

#[test]
fn scenarios_through_the_proxy() {
    let h = Harness::with_env(&[
        ("ALLOWED_ORIGINS", ORIGIN),
        ("EMULATOR_SLOW_MS", "70000"),
        ("UPSTREAM_TIMEOUT_MS", "60000"),
    ]);
    let cases = [
        ("EXMU900110HDFRRN08", 403, "forbidden_by_host"),
        ("EXMU900111HDFRRN09", 400, "institution_down"),
        ("EXMU900113HDFRRN01", 500, "unexpected_error"),
        ("EXMU900114HDFRRN02", 408, "request_timeout"),
        ("EXMU900115HDFRRN03", 401, "authentication_failed"),
        ("EXMU900116HDFRRN04", 403, "rate_limited"),
        ("EXMU900117HDFRRN05", 504, "request_timeout"),
        ("EXMU900118HDFRRN06", 502, "upstream_invalid_response"),
    ];
    for (curp, status, code) in cases {
        let r = h.create(&format!(
            r#"{{"institution":"imss_mx_employment","username":"{curp}"}}"#
        ));
        assert_eq!(
            (r.response.status, err(&r).0.as_str()),
            (status, code),
            "{curp}"
        );
    }
    let tms = r#"{"institution":"imss_mx_employment","username":"EXMU900112HDFRRN00"}"#;
    assert_eq!(err(&h.create(tms)).0, "too_many_sessions");
    assert_eq!(h.create(tms).response.status, 201);
}

#[test]
fn emulator_admin_and_direct_routes() {
    let h = Harness::new();
    let r = h.call(&Request::new("GET", "/__emulator/scenarios", ""));
    assert_eq!(r.response.status, 200);
    assert_eq!(
        r.response.body,
        employment_link_core::emulator::scenarios_json().as_bytes()
    );
    let _ = h.create(&format!(
        r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#
    ));
    let s = h
        .call(&Request::new("GET", "/__emulator/stats", ""))
        .response
        .json_body();
    assert_eq!(s["requests"], 1, "admin routes are not counted");
    // The emulator's own handler, without the policy (benchmark baseline).
    let d = h.call(
        &post_json(
            "/__emulator/belvo/api/links/",
            &format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#),
        )
        .with_header("authorization", &test_keys()),
    );
    assert_eq!(d.response.status, 201);
    assert!(d.response.header("x-link-capability").is_none());
    let s = h
        .call(&Request::new("GET", "/__emulator/stats", ""))
        .response
        .json_body();
    assert_eq!(s["requests"], 2);
    assert_eq!(
        h.call(&Request::new("POST", "/__emulator/reset", ""))
            .response
            .status,
        200
    );
    let s = h
        .call(&Request::new("GET", "/__emulator/stats", ""))
        .response
        .json_body();
    assert_eq!(s["requests"], 0);
    let bad = h.call(&Request::new("POST", "/__emulator/clock", "advance=abc"));
    assert_eq!(bad.response.status, 400);
}

#[test]
fn data_error_once_passes_the_500_through_then_serves_the_data() {
    // Scenario `data_error_once`: the link is created; the first data request answers Belvo's
    // 500 `unexpected_error` (relayed as is: the client retries GETs), the next one the data.
    let h = Harness::new();
    let r = h.create(r#"{"institution":"imss_mx_employment","username":"EXMU900131HDFRRN09"}"#);
    assert_eq!(r.response.status, 201);
    let id = r.response.json_body()["id"].as_str().unwrap().to_owned();
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    let q = format!("link={id}");
    let first = h.call(&get("/api/employment-records/", &q, Some(&cap)));
    assert_eq!(first.response.status, 500);
    let (code, _, _) = err(&first);
    assert_eq!(code, "unexpected_error");
    assert!(h
        .logs
        .borrow()
        .last()
        .unwrap()
        .contains(r#""upstream_status":500"#));
    let again = h.call(&get("/api/employment-records/", &q, Some(&cap)));
    assert_eq!(again.response.status, 200);
    assert_eq!(again.response.json_body()["count"], 1);
    let owners = h.call(&get("/api/owners/", &q, Some(&cap)));
    assert_eq!(owners.response.status, 200);
    assert_eq!(h.up.requests(), 4, "create + 500 + records + owners");
}

/// Basic auth with the emulator's documented test keys.
fn test_keys() -> String {
    basic_auth("emulator-secret-id", "emulator-secret-password")
}

#[test]
fn direct_emulator_calls_need_the_emulator_keys() {
    // Issue 14, item 5: `/__emulator/belvo/api/...` skips the link capability, so the
    // emulator's own Basic auth is the only gate there; the proxy must not add its keys.
    let h = Harness::new();
    let r = h.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{CURP_A}"}}"#
    ));
    assert_eq!(r.response.status, 201);
    let id = r.response.json_body()["id"].as_str().unwrap().to_owned();
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    let owners = |auth: Option<&str>| {
        let req = get("/__emulator/belvo/api/owners/", &format!("link={id}"), None);
        h.call(&match auth {
            Some(a) => req.with_header("authorization", a),
            None => req,
        })
    };
    let wrong = basic_auth("emulator-secret-id", "guess");
    for auth in [None, Some(""), Some(wrong.as_str()), Some("Bearer x")] {
        let r = owners(auth);
        assert_eq!(r.response.status, 401, "{auth:?}");
        let v = r.response.json_body();
        assert_eq!(v[0]["code"], "authentication_failed");
        assert_eq!(v[0]["message"], "Invalid Secret Keys");
        assert!(v[0]["request_id"].is_string());
        let text = String::from_utf8_lossy(&r.response.body).to_string();
        assert!(!text.contains(CURP_A), "{text}");
    }
    let ok = owners(Some(&test_keys()));
    assert_eq!(ok.response.status, 200);
    assert_eq!(ok.response.json_body()["count"], 1);
    // The SDKs' login: `GET /api/` answers 200 for good keys only.
    let root = |auth: &str| {
        h.call(&get("/__emulator/belvo/api/", "", None).with_header("authorization", auth))
            .response
            .status
    };
    assert_eq!(root(&test_keys()), 200);
    assert_eq!(root(&wrong), 401);
    // The proxy's own calls still carry the keys (the flow above worked), and the `bad_keys`
    // scenario still answers 401 with good keys.
    let bad = h.create(r#"{"institution":"imss_mx_employment","username":"EXMU900115HDFRRN03"}"#);
    assert_eq!(
        (bad.response.status, err(&bad).0.as_str()),
        (401, "authentication_failed")
    );
}

#[test]
fn direct_emulator_calls_use_the_configured_keys_when_set() {
    // With BELVO_SECRET_ID/PASSWORD set in emulator mode, the emulator expects those: the
    // public test keys no longer open it.
    let h = Harness::with_env(&[
        ("BELVO_ENV", "emulator"),
        ("BELVO_SECRET_ID", "private-id"),
        ("BELVO_SECRET_PASSWORD", "private-password"),
    ]);
    let root = |auth: &str| {
        h.call(&get("/__emulator/belvo/api/", "", None).with_header("authorization", auth))
            .response
            .status
    };
    assert_eq!(root(&test_keys()), 401);
    assert_eq!(root(&basic_auth("private-id", "private-password")), 200);
    let r = h.create(&format!(
        r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#
    ));
    assert_eq!(r.response.status, 201);
}
