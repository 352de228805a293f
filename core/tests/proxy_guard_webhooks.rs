//! Attempt guard, webhooks (auth, validation, dedupe, storage), upstream failure mapping, logs.

mod proxy_harness;

use employment_link_core::proxy::{Request, UpstreamError};
use proxy_harness::*;

fn imss(curp: &str) -> String {
    format!(r#"{{"institution":"imss_mx_employment","username":"{curp}"}}"#)
}

#[test]
fn attempt_guard_three_per_curp_per_day() {
    let h = Harness::new();
    for i in 0..3 {
        let r = h.create(&imss(CURP_A));
        assert_eq!(r.response.status, 201, "attempt {i}");
        h.advance_ms(60_000);
    }
    assert_eq!(h.up.requests(), 3);
    // The 4th is answered locally, shaped like IMSS's own answer, with a retry time.
    let r = h.create(&imss(CURP_A));
    assert_eq!(r.response.status, 403);
    let (code, message, _) = err(&r);
    assert_eq!(code, "forbidden_by_host");
    assert_eq!(
        message,
        "Has agotado el número de solicitudes permitidas por día."
    );
    let retry = r.response.json_body()[0]["retry_after"].as_u64().unwrap();
    assert_eq!(retry, 86_400 - 3 * 60, "first attempt was 3 minutes ago");
    assert_eq!(
        r.response.header("retry-after"),
        Some(retry.to_string().as_str())
    );
    assert_eq!(h.up.requests(), 3, "the 4th attempt never reaches Belvo");
    // Lenient spellings of the same CURP count as the same person.
    let r = h.create(&imss("pexa 850412 hjcrrn09"));
    assert_eq!(r.response.status, 403);
    // Another CURP, and other institutions, are not affected.
    assert_eq!(h.create(&imss("EXMU900119HDFRRN07")).response.status, 201);
    let planet = format!(r#"{{"institution":"planet_mx_employment","username":"{CURP_A}"}}"#);
    for _ in 0..4 {
        assert_eq!(h.create(&planet).response.status, 201);
    }
    // No raw identifier is stored: keys and values are HMACs and timestamps.
    for kv in h.store.keys().iter().chain(h.store.values().iter()) {
        assert!(
            !kv.contains("PEXA") && !kv.to_uppercase().contains("EXMU"),
            "{kv}"
        );
    }
    // A sliding window: after the oldest attempt is 24 h old, one more is allowed.
    h.advance_ms(86_400_000 - 3 * 60_000 + 1_000);
    assert_eq!(h.create(&imss(CURP_A)).response.status, 201);
    assert_eq!(h.create(&imss(CURP_A)).response.status, 403);
}

#[test]
fn attempt_guard_counts_failed_attempts_and_is_configurable() {
    let h = Harness::with_env(&[("ATTEMPT_LIMIT", "1")]);
    // An IMSS error still counts as an attempt (IMSS counted it too).
    let r = h.create(&imss("EXMU900102HDFRRN00"));
    assert_eq!(r.response.status, 400);
    let r = h.create(&imss("EXMU900102HDFRRN00"));
    assert_eq!(r.response.status, 403);
    assert_eq!(h.up.requests(), 1);
}

#[test]
fn attempt_guard_fails_closed_when_the_store_fails() {
    let h = Harness::new();
    h.store.set_failing(true);
    let r = h.create(&imss(CURP_A));
    assert_eq!(r.response.status, 503);
    assert_eq!(err(&r).0, "store_unavailable");
    assert_eq!(h.up.requests(), 0);
}

const WH_LINK: &str = "16f68516-bcbc-4cf7-b815-c500d4204e28";

fn webhook(id: &str) -> String {
    format!(
        r#"{{"webhook_id":"{id}","webhook_type":"OWNERS","process_type":"historical_update","webhook_code":"historical_update","link_id":"{WH_LINK}","request_id":"4363b08b-51eb-4350-9c74-5df5ac92a7f6","external_id":"your_external_id","data":{{"total_owners":2,"unknown":"dropped"}}}}"#
    )
}

fn post_webhook(
    h: &Harness,
    auth: Option<&str>,
    body: &str,
) -> employment_link_core::proxy::Handled {
    let mut r = post_json("/webhooks", body);
    if let Some(a) = auth {
        r = r.with_header("authorization", a);
    }
    h.call(&r)
}

#[test]
fn webhook_auth() {
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer s3cret-token")]);
    for auth in [
        None,
        Some(""),
        Some("Bearer s3cret-tokeN"),
        Some("s3cret-token"),
        Some("Bearer s3cret-token "),
        Some("Basic czNjcmV0"),
    ] {
        let r = post_webhook(&h, auth, &webhook("aadf41a1fc8e4f79a49f7f04027ac999"));
        assert_eq!(r.response.status, 401, "{auth:?}");
        assert_eq!(err(&r).0, "authentication_failed");
    }
    assert!(h.store.is_empty());
    let r = post_webhook(
        &h,
        Some("Bearer s3cret-token"),
        &webhook("aadf41a1fc8e4f79a49f7f04027ac999"),
    );
    assert_eq!(r.response.status, 200);
    // Outside emulator mode, no WEBHOOK_TOKEN means every webhook is refused (the source
    // check is off here: this is about the token).
    let s = Harness::with_env(&[
        ("BELVO_SECRET_ID", "i"),
        ("BELVO_SECRET_PASSWORD", "p"),
        ("LINK_KEY", "0123456789abcdef"),
        ("WEBHOOK_ALLOWED_IPS", "*"),
    ]);
    assert_eq!(
        post_webhook(&s, Some(""), &webhook("a1")).response.status,
        401
    );
    assert_eq!(
        post_webhook(&s, Some("Bearer x"), &webhook("a1"))
            .response
            .status,
        401
    );
}

#[test]
fn webhook_validation() {
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer t")]);
    let auth = Some("Bearer t");
    assert_eq!(err(&post_webhook(&h, auth, "nope")).0, "parse_error");
    assert_eq!(err(&post_webhook(&h, auth, "[]")).0, "invalid");
    let good: serde_json::Value = serde_json::from_str(&webhook("abc123")).unwrap();
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        ("webhook_id", serde_json::Value::Null, "required"),
        ("webhook_id", "".into(), "invalid"),
        ("webhook_id", "a b".into(), "invalid"),
        ("webhook_id", 5.into(), "invalid"),
        ("webhook_type", serde_json::Value::Null, "required"),
        ("webhook_type", "OWN ERS".into(), "invalid"),
        ("webhook_code", serde_json::Value::Null, "required"),
        ("link_id", serde_json::Value::Null, "required"),
        ("link_id", "not-a-uuid".into(), "invalid"),
        ("request_id", "<script>".into(), "invalid"),
        ("process_type", "a.b".into(), "invalid"),
        ("data", "x".into(), "invalid"),
        ("data", serde_json::json!([1]), "invalid"),
    ];
    for (field, value, code) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let r = post_webhook(&h, auth, &body.to_string());
        assert_eq!(r.response.status, 400, "{field}={value}");
        let (c, _, f) = err(&r);
        assert_eq!(
            (c.as_str(), f.as_deref()),
            (code, Some(field)),
            "{field}={value}"
        );
    }
    assert!(h.store.is_empty(), "nothing stored for invalid payloads");
    // Older payloads without process_type/request_id/external_id/data are accepted.
    let minimal = format!(
        r#"{{"webhook_id":"m1","webhook_type":"EMPLOYMENT_RECORDS","webhook_code":"historical_update","link_id":"{WH_LINK}"}}"#
    );
    assert_eq!(post_webhook(&h, auth, &minimal).response.status, 200);
}

#[test]
fn webhook_dedupe_and_events() {
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer t")]);
    let auth = Some("Bearer t");
    let r = post_webhook(&h, auth, &webhook("aadf41a1fc8e4f79a49f7f04027ac999"));
    assert_eq!(
        (r.response.status, r.response.json_body()["status"].as_str()),
        (200, Some("stored"))
    );
    let r = post_webhook(&h, auth, &webhook("aadf41a1fc8e4f79a49f7f04027ac999"));
    assert_eq!(
        (r.response.status, r.response.json_body()["status"].as_str()),
        (200, Some("duplicate"))
    );
    let r = post_webhook(&h, auth, &webhook("bbbb41a1fc8e4f79a49f7f04027ac999"));
    assert_eq!(r.response.json_body()["status"], "stored");
    let cap = h.proxy.policy().capability(WH_LINK);
    let ev = h.call(&get(&format!("/links/{WH_LINK}/events"), "", Some(&cap)));
    assert_eq!(ev.response.status, 200);
    let v = ev.response.json_body();
    assert_eq!(v["link_id"], WH_LINK);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "deduplicated on webhook_id");
    assert_eq!(events[0]["webhook_type"], "OWNERS");
    assert_eq!(events[0]["data"]["total_owners"], 2);
    assert!(
        events[0]["data"].get("unknown").is_none(),
        "only documented data keys are kept"
    );
    // Parsed by the client's wire type.
    let parsed: employment_link_core::belvo::wire::LinkEvents =
        serde_json::from_slice(&ev.response.body).unwrap();
    assert_eq!(parsed.events.len(), 2);
    // A link with no events yet answers an empty list (not 404).
    let other = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let cap = h.proxy.policy().capability(other);
    let ev = h.call(&get(&format!("/links/{other}/events"), "", Some(&cap)));
    assert_eq!(ev.response.json_body()["events"], serde_json::json!([]));
    // Events expire with EVENTS_TTL_SECONDS (default 7 days).
    h.advance_ms(7 * 86_400_000 + 1);
    let cap = h.proxy.policy().capability(WH_LINK);
    let ev = h.call(&get(&format!("/links/{WH_LINK}/events"), "", Some(&cap)));
    assert_eq!(ev.response.json_body()["events"], serde_json::json!([]));
}

#[test]
fn webhook_store_failure_asks_belvo_to_retry() {
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer t")]);
    h.store.set_failing(true);
    let r = post_webhook(&h, Some("Bearer t"), &webhook("x1"));
    assert_eq!(r.response.status, 500);
    h.store.set_failing(false);
    assert_eq!(
        post_webhook(&h, Some("Bearer t"), &webhook("x1"))
            .response
            .json_body()["status"],
        "stored"
    );
}

fn webhook_ids(h: &Harness, link: &str) -> Vec<String> {
    let cap = h.proxy.policy().capability(link);
    let ev = h.call(&get(&format!("/links/{link}/events"), "", Some(&cap)));
    assert_eq!(ev.response.status, 200);
    ev.response.json_body()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["webhook_id"].as_str().unwrap().to_owned())
        .collect()
}

fn event_keys(h: &Harness, link: &str) -> usize {
    h.store.keys().iter().filter(|k| k.contains(link)).count()
}

#[test]
fn events_are_capped_per_link_oldest_dropped() {
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer t"), ("EVENTS_MAX_PER_LINK", "3")]);
    let auth = Some("Bearer t");
    // Ids in reverse order of arrival: the order of the keys must not come from them.
    for id in ["e9", "e8", "e7"] {
        assert_eq!(
            post_webhook(&h, auth, &webhook(id)).response.json_body()["status"],
            "stored"
        );
        h.advance_ms(1_000);
    }
    assert_eq!(
        webhook_ids(&h, WH_LINK),
        ["e9", "e8", "e7"],
        "N events: all, oldest first"
    );
    assert_eq!(event_keys(&h, WH_LINK), 3);
    assert_eq!(
        post_webhook(&h, auth, &webhook("e6")).response.json_body()["status"],
        "stored"
    );
    assert_eq!(
        webhook_ids(&h, WH_LINK),
        ["e8", "e7", "e6"],
        "N + 1: the oldest dropped"
    );
    assert_eq!(
        event_keys(&h, WH_LINK),
        3,
        "dropped from the store, not only from the answer"
    );
    // A redelivery of a kept event is still a duplicate; the cap is per link.
    assert_eq!(
        post_webhook(&h, auth, &webhook("e6")).response.json_body()["status"],
        "duplicate"
    );
    let other = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let body = webhook("o1").replace(WH_LINK, other);
    assert_eq!(
        post_webhook(&h, auth, &body).response.json_body()["status"],
        "stored"
    );
    assert_eq!(webhook_ids(&h, other), ["o1"]);
    assert_eq!(webhook_ids(&h, WH_LINK), ["e8", "e7", "e6"]);
    assert_eq!(config(&[]).max_events_per_link, 50, "default cap");
}

#[test]
fn the_newest_event_is_served_after_more_than_a_thousand() {
    // Issue 14: events were listed 1000 keys at a time in webhook-id order, so the newest
    // one was lost once a link had about a thousand; and every event was kept.
    let h = Harness::with_env(&[("WEBHOOK_TOKEN", "Bearer t")]);
    let auth = Some("Bearer t");
    for i in 0..1100 {
        let r = post_webhook(&h, auth, &webhook(&format!("w{i:04}")));
        assert_eq!(r.response.json_body()["status"], "stored", "w{i:04}");
        h.advance_ms(1);
    }
    let ids = webhook_ids(&h, WH_LINK);
    assert_eq!(
        ids.last().map(String::as_str),
        Some("w1099"),
        "the newest is served"
    );
    assert_eq!(ids.len(), 50);
    assert_eq!(ids.first().map(String::as_str), Some("w1050"));
    assert_eq!(event_keys(&h, WH_LINK), 50, "at most N events are kept");
}

fn create_through(h: &Harness, up: &Scripted) -> employment_link_core::proxy::Handled {
    h.call_with(
        &post_json(
            "/api/links/",
            &format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#),
        ),
        up,
    )
}

#[test]
fn upstream_failure_mapping() {
    let h = Harness::new();
    let cases: Vec<(Scripted, u16, &str)> = vec![
        (
            Scripted::new(Err(UpstreamError::Timeout)),
            504,
            "request_timeout",
        ),
        (
            Scripted::new(Err(UpstreamError::Unreachable)),
            502,
            "upstream_unreachable",
        ),
        (
            Scripted::answering(
                403,
                "text/html",
                employment_link_core::emulator::RATE_LIMIT_HTML,
            ),
            403,
            "rate_limited",
        ),
        (
            Scripted::answering(403, "application/json", "<html>not json</html>"),
            403,
            "rate_limited",
        ),
        (
            Scripted::answering(502, "text/html", "<html>Bad Gateway</html>"),
            502,
            "upstream_invalid_response",
        ),
        (
            Scripted::answering(200, "text/plain", "{}"),
            502,
            "upstream_invalid_response",
        ),
        (
            Scripted::answering(201, "application/json", r#"{"id":"74c01cb4-edf1-44d6-"#),
            502,
            "upstream_invalid_response",
        ),
        (
            Scripted::answering(500, "application/json", ""),
            502,
            "upstream_invalid_response",
        ),
        // Cut off by the adapter at UPSTREAM_MAX_BYTES (issue 14).
        (
            Scripted::new(Err(UpstreamError::TooLarge)),
            502,
            "upstream_invalid_response",
        ),
    ];
    for (up, status, code) in cases {
        let r = create_through(&h, &up);
        assert_eq!(up.calls.get(), 1);
        assert_eq!(r.response.status, status, "{code}");
        assert_eq!(err(&r).0, code);
        assert_eq!(r.response.header("content-type"), Some("application/json"));
        if code == "rate_limited" {
            assert_eq!(r.response.header("retry-after"), Some("30"));
        }
        assert!(r.response.header("x-link-capability").is_none());
    }
}

#[test]
fn belvo_json_passes_through_with_status() {
    let h = Harness::new();
    let belvo_err = r#"[{"code":"institution_down","message":"The financial institution is down, try again later","request_id":"a6e1c493d7a29d91aed4338e6fcf077d"}]"#;
    for status in [400u16, 401, 404, 408, 500] {
        let up = Scripted::answering(status, "application/json; charset=utf-8", belvo_err);
        let r = create_through(&h, &up);
        assert_eq!(r.response.status, status);
        assert_eq!(r.response.body, belvo_err.as_bytes());
        assert_eq!(r.log.code.as_deref(), Some("institution_down"));
        assert_eq!(r.log.upstream_status, Some(status));
    }
    // A 428 carries a capability for the link being created; so does a 201.
    let challenge = r#"[{"code":"token_required","message":"A MFA token is required by the institution to login","request_id":"8c7b283c6efa449c9c028a16b5c249fa","session":"2675b703b9d4451f8d4861a3eee54449","expiry":9600,"link":"30cb4806-6e00-48a4-91c9-ca55968576c8"}]"#;
    let r = create_through(&h, &Scripted::answering(428, "application/json", challenge));
    assert_eq!(r.response.status, 428);
    let cap = h
        .proxy
        .policy()
        .capability("30cb4806-6e00-48a4-91c9-ca55968576c8");
    assert_eq!(r.response.header("x-link-capability"), Some(cap.as_str()));
    let legacy = r#"{"detail":"Token Required","session":"2675b703b9d4451f8d4861a3eee54449","expiry":"720","link":"30cb4806-6e00-48a4-91c9-ca55968576c8"}"#;
    let r = create_through(&h, &Scripted::answering(428, "application/json", legacy));
    assert_eq!(r.response.header("x-link-capability"), Some(cap.as_str()));
    // The data endpoints relay JSON pages untouched, including Belvo's absolute next URLs.
    let page = r#"{"count":11,"next":"https://sandbox.belvo.com/api/owners/?link=30cb4806-6e00-48a4-91c9-ca55968576c8&page=2","previous":null,"results":[]}"#;
    let up = Scripted::answering(200, "application/json", page);
    let r = h.call_with(
        &get(
            "/api/owners/",
            "link=30cb4806-6e00-48a4-91c9-ca55968576c8",
            Some(&cap),
        ),
        &up,
    );
    assert_eq!(
        (r.response.status, r.response.body.as_slice()),
        (200, page.as_bytes())
    );
    let sent = up.last.borrow().clone().unwrap();
    assert_eq!(
        sent.url("https://sandbox.belvo.com"),
        "https://sandbox.belvo.com/api/owners/?link=30cb4806-6e00-48a4-91c9-ca55968576c8"
    );
}

#[test]
fn responses_are_not_cacheable_and_carry_request_ids() {
    let h = Harness::new();
    let r = h.call(&Request::new("GET", "/nope", ""));
    assert_eq!(r.response.header("cache-control"), Some("no-store"));
    let rid = r.response.header("x-request-id").unwrap().to_owned();
    assert_eq!(r.response.json_body()[0]["request_id"], rid.as_str());
    assert_eq!(r.log.request_id, rid);
}

#[test]
fn logs_never_contain_identifiers_or_secrets() {
    let h = Harness::with_env(&[
        ("WEBHOOK_TOKEN", "Bearer sup3r-secret"),
        ("ALLOWED_ORIGINS", ORIGIN),
    ]);
    let created = h.create(&imss(CURP_A));
    let _ = h.create(&imss("PEXA850412HJCRRN08"));
    let _ = h.create(&format!(
        r#"{{"institution":"inss_br_employment","username":"{CPF_A}","password":"hunter2-pw"}}"#
    ));
    let br = h.create(&format!(
        r#"{{"institution":"inss_br_employment","username":"{CPF_A}","password":"hunter2-pw"}}"#
    ));
    let ch = br.response.json_body();
    let link = ch[0]["link"].as_str().unwrap();
    let session = ch[0]["session"].as_str().unwrap();
    let cap = br.response.header("x-link-capability").unwrap();
    let _ = h.call(&patch_json(
        &format!(r#"{{"link":"{link}","session":"{session}","token":"111111"}}"#),
        Some(cap),
    ));
    let _ = h.call(&Request::new(
        "GET",
        &format!("/{CURP_A}"),
        &format!("curp={CURP_A}"),
    ));
    let _ = post_webhook(&h, Some("Bearer wrong"), "{}");
    h.deliver_webhooks();
    assert_eq!(created.response.status, 201);
    let logs = h.logs.borrow().join("\n");
    for secret in [
        CURP_A,
        "PEXA850412HJCRRN08",
        CPF_A,
        "153.872",
        "hunter2-pw",
        "111111",
        session,
        "sup3r-secret",
        "emulator-secret",
        cap,
    ] {
        assert!(!logs.contains(secret), "log contains {secret}: {logs}");
    }
    assert!(logs.contains("\"route\":\"POST /api/links/\""));
    assert!(logs.contains("\"outcome\":\"webhook_stored\""));
    assert!(logs.contains("\"route\":\"unmatched\""));
    for line in h.logs.borrow().iter() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["request_id"].as_str().map(str::len), Some(32));
    }
}

#[test]
fn data_pages_are_checked_structurally() {
    let h = Harness::new();
    let link = "30cb4806-6e00-48a4-91c9-ca55968576c8";
    let cap = h.proxy.policy().capability(link);
    let req = get("/api/owners/", &format!("link={link}"), Some(&cap));
    for (status, ct, body, want, code) in [
        (
            200,
            "application/json",
            r#"{"count":0,"next":null,"previous":null,"results":[]}"#,
            200,
            None,
        ),
        (200, "application/json", "  [1]\n", 200, None),
        (
            200,
            "application/json",
            r#"{"count":1,"results":["#,
            502,
            Some("upstream_invalid_response"),
        ),
        (
            200,
            "application/json",
            "",
            502,
            Some("upstream_invalid_response"),
        ),
        (
            200,
            "text/html",
            "<html></html>",
            502,
            Some("upstream_invalid_response"),
        ),
        (
            403,
            "text/html",
            "<html>403</html>",
            403,
            Some("rate_limited"),
        ),
    ] {
        let r = h.call_with(&req, &Scripted::answering(status, ct, body));
        assert_eq!(r.response.status, want, "{body}");
        if let Some(c) = code {
            assert_eq!(err(&r).0, c);
        } else {
            assert_eq!(r.response.body, body.as_bytes());
        }
    }
}

// --- webhook source (issue 16) ---------------------------------------------------------------

const BELVO_IPS: [&str; 3] = ["3.130.254.46", "18.220.61.186", "18.223.45.212"];
const FOREIGN_IP: &str = "203.0.113.9";

/// A proxy outside emulator mode (Belvo's sandbox) with a webhook token, plus `extra` vars.
fn sandbox(extra: &[(&str, &str)]) -> Harness {
    let mut vars = vec![
        ("BELVO_ENV", "sandbox"),
        ("BELVO_SECRET_ID", "i"),
        ("BELVO_SECRET_PASSWORD", "p"),
        ("LINK_KEY", "0123456789abcdef"),
        ("WEBHOOK_TOKEN", "Bearer t"),
    ];
    vars.extend_from_slice(extra);
    Harness::with_env(&vars)
}

/// A webhook from `ip` (`None`: no `CF-Connecting-IP` header).
fn webhook_from(
    h: &Harness,
    ip: Option<&str>,
    auth: &str,
    body: &str,
) -> employment_link_core::proxy::Handled {
    let mut r = post_json("/webhooks", body).with_header("authorization", auth);
    if let Some(ip) = ip {
        r = r.with_header("CF-Connecting-IP", ip);
    }
    h.call(&r)
}

#[test]
fn webhooks_only_from_belvo_addresses_outside_emulator_mode() {
    let h = sandbox(&[]);
    let refused: [(Option<&str>, &str); 7] = [
        (Some(FOREIGN_IP), "Bearer t"),
        (Some(FOREIGN_IP), "Bearer wrong"),
        (None, "Bearer t"),
        (Some(""), "Bearer t"),
        (Some("3.130.254.46, 203.0.113.9"), "Bearer t"),
        (Some("3.130.254.4"), "Bearer t"),
        (Some("not an address"), "Bearer t"),
    ];
    for (ip, auth) in refused {
        let r = webhook_from(&h, ip, auth, &webhook("f1"));
        assert_eq!(r.response.status, 403, "{ip:?}");
        let (code, message, _) = err(&r);
        assert_eq!(code, "source_not_allowed");
        assert!(!message.contains("203.0.113"), "{message}");
        assert_eq!(r.log.outcome, "rejected");
    }
    // Checked before the body: a foreign sender learns nothing about the payload rules either.
    let r = webhook_from(&h, Some(FOREIGN_IP), "Bearer t", "nope");
    assert_eq!(r.response.status, 403);
    assert!(h.store.is_empty(), "nothing stored for a foreign source");
    // Belvo's three addresses (also as IPv4-mapped IPv6), with the token.
    for (i, ip) in BELVO_IPS.iter().enumerate() {
        let r = webhook_from(&h, Some(ip), "Bearer t", &webhook(&format!("b{i}")));
        assert_eq!(r.response.status, 200, "{ip}");
        assert_eq!(r.response.json_body()["status"], "stored");
        h.advance_ms(1_000);
    }
    let r = webhook_from(&h, Some("::ffff:3.130.254.46"), "Bearer t", &webhook("b9"));
    assert_eq!(r.response.status, 200);
    // The token still counts: a Belvo address with a wrong one is 401.
    let r = webhook_from(&h, Some(BELVO_IPS[0]), "Bearer wrong", &webhook("b8"));
    assert_eq!(r.response.status, 401);
    assert_eq!(webhook_ids(&h, WH_LINK), ["b0", "b1", "b2", "b9"]);
    // No address in any log line.
    let logs = h.logs.borrow().join("\n");
    for ip in [FOREIGN_IP, BELVO_IPS[0], BELVO_IPS[1], BELVO_IPS[2]] {
        assert!(!logs.contains(ip), "log contains {ip}: {logs}");
    }
    assert!(logs.contains("\"code\":\"source_not_allowed\""));
}

#[test]
fn webhook_allowed_ips_overrides_the_list_and_star_turns_the_check_off() {
    let h = sandbox(&[("WEBHOOK_ALLOWED_IPS", "203.0.113.9, 2001:db8::1")]);
    assert_eq!(
        webhook_from(&h, Some(FOREIGN_IP), "Bearer t", &webhook("o1"))
            .response
            .status,
        200
    );
    assert_eq!(
        webhook_from(&h, Some("2001:DB8:0:0::1"), "Bearer t", &webhook("o2"))
            .response
            .status,
        200,
        "IPv6 compared as addresses, not text"
    );
    let r = webhook_from(&h, Some(BELVO_IPS[0]), "Bearer t", &webhook("o3"));
    assert_eq!(r.response.status, 403, "the override replaces Belvo's list");

    let off = sandbox(&[("WEBHOOK_ALLOWED_IPS", "*")]);
    for ip in [Some(FOREIGN_IP), None] {
        let r = webhook_from(&off, ip, "Bearer t", &webhook("s1"));
        assert_eq!(r.response.status, 200, "{ip:?}");
    }
    assert_eq!(
        webhook_from(&off, None, "Bearer x", &webhook("s2"))
            .response
            .status,
        401,
        "the token is still required"
    );

    // Nothing usable in the list: every source refused, and the configuration says so.
    let none = sandbox(&[("WEBHOOK_ALLOWED_IPS", "belvo.com, 3.130.254")]);
    assert_eq!(none.proxy.config.webhook_allowed_ips, Some(vec![]));
    assert!(none
        .proxy
        .config
        .warnings
        .iter()
        .any(|w| w.contains("WEBHOOK_ALLOWED_IPS")));
    assert_eq!(
        webhook_from(&none, Some(BELVO_IPS[0]), "Bearer t", &webhook("n1"))
            .response
            .status,
        403
    );

    // The defaults: Belvo's addresses outside emulator mode; no check in emulator mode, where
    // the emulator's own deliveries come from inside the Worker (whatever the variable says).
    let defaults = sandbox(&[]).proxy.config.webhook_allowed_ips.unwrap();
    let want: Vec<std::net::IpAddr> = BELVO_IPS.iter().map(|s| s.parse().unwrap()).collect();
    assert_eq!(defaults, want);
    let emu = Harness::with_env(&[("WEBHOOK_ALLOWED_IPS", "203.0.113.9")]);
    assert_eq!(emu.proxy.config.webhook_allowed_ips, None);
    let token = emu.proxy.config.webhook_token.clone().unwrap();
    assert_eq!(
        webhook_from(&emu, None, &token, &webhook("e1"))
            .response
            .status,
        200
    );
}
