//! Totality: the policy, the whole proxy and the emulator answer every input without
//! panicking, and every answer the proxy makes itself is Belvo's JSON error shape.

mod proxy_harness;

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{Emulator, EmulatorConfig, Request as EmuRequest};
use employment_link_core::proxy::Request;
use proptest::prelude::*;
use proxy_harness::*;

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GET".to_owned()),
        Just("POST".to_owned()),
        Just("PATCH".to_owned()),
        Just("OPTIONS".to_owned()),
        Just("DELETE".to_owned()),
        "[A-Za-z]{0,8}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/api/links/".to_owned()),
        Just("/api/owners/".to_owned()),
        Just("/api/employment-records/".to_owned()),
        Just("/webhooks".to_owned()),
        Just("/links/74c01cb4-edf1-44d6-8876-b1dc2aebcb14/events".to_owned()),
        Just("/__emulator/belvo/api/links/".to_owned()),
        Just("/__emulator/clock".to_owned()),
        "/[ -~]{0,40}",
        "\\PC{0,20}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(br#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN09"}"#.to_vec()),
        Just(br#"{"institution":"inss_br_employment","username":"15387204690","password":"p"}"#.to_vec()),
        Just(br#"{"link":"74c01cb4-edf1-44d6-8876-b1dc2aebcb14","session":"abc","token":"111111"}"#.to_vec()),
        Just(br#"{"webhook_id":"a","webhook_type":"OWNERS","webhook_code":"x","link_id":"74c01cb4-edf1-44d6-8876-b1dc2aebcb14"}"#.to_vec()),
        "\\PC{0,200}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..300),
        // JSON objects with arbitrary keys and values of every kind.
        proptest::collection::btree_map(
            prop_oneof![
                Just("institution".to_owned()),
                Just("username".to_owned()),
                Just("password".to_owned()),
                Just("fetch_resources".to_owned()),
                Just("external_id".to_owned()),
                Just("access_mode".to_owned()),
                Just("credentials_storage".to_owned()),
                Just("link".to_owned()),
                Just("session".to_owned()),
                Just("token".to_owned()),
                "[a-z_]{1,12}",
            ],
            prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                "\\PC{0,30}".prop_map(serde_json::Value::from),
                Just(serde_json::json!(["OWNERS", 1, null])),
                Just(serde_json::json!({"a": [1, {"b": "c"}]})),
            ],
            0..6,
        )
        .prop_map(|m| serde_json::to_vec(&m).unwrap_or_default()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn proxy_is_total(m in method(), p in path(), q in "[ -~]{0,60}", b in body(), origin in proptest::option::of(prop_oneof![Just(ORIGIN.to_owned()), "[ -~]{0,30}"]), cap in proptest::option::of("[ -~]{0,70}"), ct in proptest::option::of(prop_oneof![Just("application/json".to_owned()), "[ -~]{0,30}"])) {
        let h = Harness::new();
        let mut req = Request::new(&m, &p, &q).with_body(b);
        if let Some(o) = origin { req = req.with_header("origin", &o); }
        if let Some(c) = cap { req = req.with_header("x-link-capability", &c); }
        if let Some(c) = ct { req = req.with_header("content-type", &c); }
        let r = h.call(&req);
        prop_assert!((200..600).contains(&r.response.status));
        prop_assert!(r.response.header("x-request-id").is_some());
        if r.response.status >= 400 && r.log.upstream_status.is_none() && r.log.outcome != "emulator_direct" {
            let v = r.response.json_body();
            prop_assert!(v[0]["code"].is_string() && v[0]["message"].is_string() && v[0]["request_id"].is_string(), "{}", v);
        }
    }

    #[test]
    fn emulator_is_total(m in method(), p in path(), q in "[ -~]{0,60}", b in body(), good_auth in any::<bool>()) {
        let cfg = EmulatorConfig::default();
        let auth = basic_auth(&cfg.secret_id, &cfg.secret_password);
        let mut e = Emulator::new(cfg);
        let path = p.strip_prefix("/__emulator/belvo").unwrap_or(&p).to_owned();
        let r = e.handle(&EmuRequest { method: &m, path: &path, query: &q, authorization: good_auth.then_some(auth.as_str()), body: &b }, 1_768_478_400_000);
        prop_assert!((200..600).contains(&r.status));
        if r.content_type == "application/json" && r.status != 201 {
            prop_assert!(!r.json_body().is_null());
        }
    }
}
