//! The browser's JSON path (`flow::json`), checked against serde_json: parsing, writing,
//! raw pass-through, limits, every wire type, and whole flows driven through it exactly as the
//! wasm adapter drives them.

use employment_link::belvo::wire::{
    lenient::parse_number, EmploymentRecord, ErrorBody, Link, LinkEvents, Page, WebhookEvent,
};
use employment_link::flow::json::{self, RawJson};
use employment_link::flow::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const NOW: u64 = 1_780_000_000_000;
const LINK: &str = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";

fn same_as_serde_json(doc: &str) {
    let mine: Value = json::from_str(doc).unwrap_or_else(|_| panic!("rejected {doc}"));
    let theirs: Value = serde_json::from_str(doc).unwrap();
    assert_eq!(mine, theirs, "{doc}");
}

#[test]
fn reads_like_serde_json() {
    for doc in [
        r#"{}"#,
        r#"[]"#,
        r#"  {"a" : [1, -2, 3.5, 1e3, -1.25E-2, 18446744073709551615, -9223372036854775808], "b": {"c": null}} "#,
        r#"{"s": "plain", "e": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00", "u": "ñandú 😀"}"#,
        r#"[true, false, null, "", 0, 0.5, [[[]]], {"x": {}}]"#,
        r#""just a string""#,
        r#"42"#,
        r#"{"dup": 1, "dup": 2}"#,
    ] {
        same_as_serde_json(doc);
    }
}

#[test]
fn rejects_malformed_json() {
    for doc in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "tru",
        "\"abc",
        "{1:2}",
        "[1 2]",
        "\"\\x\"",
        "nul",
        "-",
        "--1",
        "1.2.3",
        "{\"a\":}",
    ] {
        assert!(json::from_str::<Value>(doc).is_err(), "accepted {doc:?}");
    }
    // Lone surrogates become U+FFFD (serde_json refuses them; we prefer not to fail a whole
    // answer over one bad character).
    let v: Value = json::from_str(r#""a\ud800b""#).unwrap();
    assert_eq!(v, json!("a\u{FFFD}b"));
    // Trailing content is ignored by from_str; the reader can tell.
    let mut d = json::Deserializer::new("{} x");
    let _: Value = serde::Deserialize::deserialize(&mut d).unwrap();
    assert!(!d.at_end());
}

#[test]
fn nesting_is_capped() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(json::from_str::<Value>(&deep(100)).is_ok());
    assert!(json::from_str::<Value>(&deep(json::MAX_DEPTH as usize + 1)).is_err());
    // Skipped (unknown) fields are capped too, without recursion.
    let doc = format!(r#"{{"id": "x", "junk": {}}}"#, deep(100_000));
    assert!(json::from_str::<Link>(&doc).is_err());
    let doc = format!(r#"{{"id": "x", "junk": {}}}"#, deep(50));
    assert_eq!(json::from_str::<Link>(&doc).unwrap().id, "x");
}

#[test]
fn structs_come_from_objects_only() {
    assert!(json::from_str::<Link>(r#"["x"]"#).is_err());
    assert!(json::from_str::<Page<Value>>("[1, 2]").is_err());
    assert!(json::from_str::<Link>("null").is_err());
}

/// Numbers compared as JS sees them (`27594.0` and `27594` are the same number).
fn js_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| js_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| js_eq(p, q)))
        }
        _ => a == b,
    }
}

#[test]
fn writes_valid_json() {
    let v = json!({"a": [1, -2, 3.25, 1e20, -1.5e-7, 15370.2, 0.1, 123456789.123, null, true],
                   "s": "q\"\\\n\u{1}\u{2028}é😀", "o": {}, "e": []});
    let text = json::to_string(&v).unwrap();
    let back: Value = serde_json::from_str(&text).unwrap();
    assert!(js_eq(&back, &v), "{text}");
    assert_eq!(json::to_string(&f64::NAN).unwrap(), "null");
    assert_eq!(json::to_string(&0.1f64).unwrap(), "1e-1");
    assert_eq!(json::to_string(&-2.5f64).unwrap(), "-25e-1");
    assert_eq!(json::to_string(&1e20f64).unwrap(), "1e20");
    assert_eq!(json::to_string(&u64::MAX).unwrap(), "18446744073709551615");
    assert_eq!(json::to_string(&i64::MIN).unwrap(), "-9223372036854775808");
    assert_eq!(json::to_string(&Some("x")).unwrap(), "\"x\"");
    assert_eq!(json::to_string(&Option::<u8>::None).unwrap(), "null");
}

#[test]
fn raw_json_passes_through_verbatim() {
    let doc = r#"{"count": 2, "next": null, "previous": null,
                 "results": [ {"id": "a", "x": [1, 2.50, "é\u00e9"]} , 7 ]}"#;
    let page: Page<RawJson> = json::from_str(doc).unwrap();
    assert_eq!(
        page.results[0].0,
        r#"{"id": "a", "x": [1, 2.50, "é\u00e9"]}"#
    );
    assert_eq!(page.results[1].0, "7");
    let out = json::to_string(&page).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"], json!([{"id": "a", "x": [1, 2.5, "éé"]}, 7]));
}

const FIXTURES: &[&str] = &[
    r#"[{"code":"token_required","message":"m","request_id":"r","session":"s","expiry":"120","link":"L",
        "token_generation_data":{"instructions":"i","type":"inputless","value":null,"expects_user_input":true}}]"#,
    r#"{"detail":"Token Required","session":"s","expiry":9600,"link":"L"}"#,
    r#"[{"code":"login_error","message":"El NSS no fue localizado en el IMSS","request_id":"r","extra":{"a":[1]}}]"#,
    r#""plain string error""#,
    r#"[]"#,
];

#[test]
fn wire_types_read_identically() {
    for doc in FIXTURES {
        let a: ErrorBody = json::from_str(doc).unwrap();
        let b: ErrorBody = serde_json::from_str(doc).unwrap();
        assert_eq!(a, b, "{doc}");
    }
    let link = r#"{"id":"74c01cb4","institution":"planet_mx_employment","access_mode":"single","status":"valid",
        "refresh_rate":null,"created_by":"x","last_accessed_at":"2024-06-26T16:25:54.344113Z","external_id":"C",
        "created_at":"2024-06-26T16:25:54.334413Z","institution_user_id":"B=","credentials_storage":"365d",
        "stale_in":null,"fetch_resources":["EMPLOYMENT_RECORDS","OWNERS"],"new":{"deep":[true]}}"#;
    assert_eq!(
        json::from_str::<Link>(link).unwrap(),
        serde_json::from_str::<Link>(link).unwrap()
    );
    let record = r#"{"count":"1","next":null,"previous":null,"results":[{"id":"r","personal_data":{"official_name":"X",
        "entitlements":{"status":"EMPLOYED","entitled_to_health_insurance":"true"},"document_ids":[{"document_type":"CURP","document_number":"Y"}]},
        "social_security_summary":{"weeks_redeemed":"3","weeks_contributed":520.0},
        "employment_records":[{"employer":"E","monthly_salary":"15370.2","weeks_employed":12,"employment_status_updates":null}],
        "files":[{"type":"T","value":null}]}]}"#;
    let a: Page<EmploymentRecord> = json::from_str(record).unwrap();
    let b: Page<EmploymentRecord> = serde_json::from_str(record).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.results[0].employment_records[0].monthly_salary,
        Some(15370.2)
    );
    let events = r#"{"link_id":"L","events":[{"webhook_id":"w","webhook_type":"OWNERS","webhook_code":"historical_update",
        "link_id":"L","request_id":"r","external_id":null,"data":{"total_owners":2}}]}"#;
    assert_eq!(
        json::from_str::<LinkEvents>(events).unwrap(),
        serde_json::from_str::<LinkEvents>(events).unwrap()
    );
    let wh = r#"{"webhook_id":"w","webhook_type":"LINK","webhook_code":"invalid_credentials","link_id":"L",
        "data":{"error_code":"login_error","error_message":"m","status":400}}"#;
    assert_eq!(
        json::from_str::<WebhookEvent>(wh).unwrap(),
        serde_json::from_str::<WebhookEvent>(wh).unwrap()
    );
}

#[test]
fn numeric_strings() {
    let cases = [
        ("15370.2", 15370.2, None),
        ("1e3", 1000.0, None),
        ("12.0", 12.0, Some((false, 12))),
        (" 42 ", 42.0, Some((false, 42))),
        ("+7", 7.0, Some((false, 7))),
        ("-3", -3.0, Some((true, 3))),
        ("0.000001", 0.000001, None),
        (
            "18446744073709551615",
            18446744073709551615.0,
            Some((false, u64::MAX)),
        ),
    ];
    for (s, value, whole) in cases {
        let n = parse_number(s).unwrap();
        assert_eq!((n.value, n.whole), (value, whole), "{s}");
    }
    for bad in [
        "", "abc", "1.5e400", "1e", "--1", "1.2.3", ".", "e5", "0x10", "1 2",
    ] {
        assert!(parse_number(bad).is_none(), "{bad}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decimals_parse_like_std(int in 0u64..1_000_000_000, frac in 0u64..1_000_000, digits in 0usize..7, neg: bool) {
        let mut s = String::new();
        if neg { s.push('-'); }
        s.push_str(&int.to_string());
        if digits > 0 {
            let f = format!("{:0width$}", frac % 10u64.pow(digits as u32), width = digits);
            s.push('.');
            s.push_str(&f);
        }
        let mine = parse_number(&s).unwrap().value;
        let std: f64 = s.parse().unwrap();
        prop_assert_eq!(mine, std, "{}", s);
    }

    #[test]
    fn any_json_round_trips(v in arb_json()) {
        let text = serde_json::to_string(&v).unwrap();
        let mine: Value = json::from_str(&text).unwrap();
        prop_assert_eq!(&mine, &v);
        let written = json::to_string(&v).unwrap();
        let back: Value = serde_json::from_str(&written).unwrap();
        prop_assert!(js_eq(&back, &v), "{} vs {}", written, text);
    }

    #[test]
    fn never_panics_on_garbage(s in "\\PC{0,64}") {
        let _ = json::from_str::<Value>(&s);
        let _ = json::from_str::<ErrorBody>(&s);
        let _ = json::from_str::<Page<RawJson>>(&s);
        let _ = json::from_str::<LinkEvents>(&s);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-1_000_000i64..1_000_000, 1u32..4)
            .prop_map(|(n, d)| json!(n as f64 / 10f64.powi(d as i32))),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// --- flows through the browser's reader -----------------------------------------------------

type F = Flow<RawJson>;

fn respond(f: &mut F, ticket: u64, status: u16, text: &str) -> Action<RawJson> {
    let mut reader = json::Deserializer::new(text);
    let body = match text.trim_start().bytes().next() {
        None => Body::Empty,
        Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
            Body::Json(&mut reader)
        }
        Some(_) => Body::NotJson,
    };
    f.on_response(ticket, Response::new(status, body), NOW)
}

fn send(a: Action<RawJson>) -> HttpRequest {
    match a {
        Action::Send(r) => r,
        other => panic!("expected Send, got {other:?}"),
    }
}

/// Starts a link at `planet_mx_employment` with its sandbox CURP; the POST to answer.
fn create_planet_link(f: &mut F) -> HttpRequest {
    let p = CreateLink {
        institution: "planet_mx_employment".into(),
        username: "BLPM951331IONVGR54".into(),
        ..Default::default()
    };
    send(f.create_link(p, NOW).unwrap())
}

fn step_json(a: Action<RawJson>) -> Value {
    match a {
        Action::Done(s) => serde_json::from_str(&json::to_string(&s).unwrap()).unwrap(),
        other => panic!("expected Done, got {other:?}"),
    }
}

#[test]
fn mx_flow_through_the_browser_reader() {
    let mut f: F = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    let s = step_json(respond(
        &mut f,
        r.ticket,
        201,
        &format!(
            r#"{{"id":"{LINK}","status":"valid","fetch_resources":["EMPLOYMENT_RECORDS","OWNERS"]}}"#
        ),
    ));
    assert_eq!(s["status"], "linked");
    assert_eq!(s["link"]["id"], LINK);
    assert_eq!(s["link"]["refresh_rate"], Value::Null);

    let r = send(f.wait_for_data(None, NOW).unwrap());
    let ev = format!(
        r#"[{{"webhook_id":"a","webhook_type":"EMPLOYMENT_RECORDS","webhook_code":"historical_update","link_id":"{LINK}","data":{{"total_employment_record_profiles":1}}}},
            {{"webhook_id":"b","webhook_type":"OWNERS","webhook_code":"historical_update","link_id":"{LINK}","data":{{"total_owners":1}}}}]"#
    );
    assert_eq!(
        step_json(respond(&mut f, r.ticket, 200, &ev)),
        json!({"status": "ready", "EMPLOYMENT_RECORDS": 1, "OWNERS": 1})
    );

    let r = send(f.fetch(Resource::EmploymentRecords, NOW).unwrap());
    let r = send(respond(
        &mut f,
        r.ticket,
        200,
        r#"{"count":2,"next":"https://sandbox.belvo.com/api/employment-records/?page=2","previous":null,"results":[{"id":"a","salary":1.25}]}"#,
    ));
    assert_eq!(
        r.path_and_query,
        format!("/api/employment-records/?link={LINK}&page=2")
    );
    let s = step_json(respond(
        &mut f,
        r.ticket,
        200,
        r#"{"count":2,"next":null,"previous":"x","results":[{"id":"b","nested":{"deep":[1,{"k":"é"}]}}]}"#,
    ));
    assert_eq!(
        s,
        json!({"status": "ok", "resource": "EMPLOYMENT_RECORDS", "count": 2, "truncated": false,
        "results": [{"id": "a", "salary": 1.25}, {"id": "b", "nested": {"deep": [1, {"k": "é"}]}}]})
    );
}

#[test]
fn br_mfa_and_odd_bodies_through_the_browser_reader() {
    let mut f: F = Flow::new(Config {
        locale: employment_link::id::Locale::En,
        ..Config::default()
    });
    let cpf = employment_link::id::cpf::generate(3).as_str().to_string();
    let p = CreateLink {
        institution: "inss_br_employment".into(),
        username: cpf,
        password: Some("pw".into()),
        ..Default::default()
    };
    let r = send(f.create_link(p, NOW).unwrap());
    let s = step_json(respond(
        &mut f,
        r.ticket,
        428,
        &format!(r#"{{"detail":"Token Required","session":"s1","expiry":"120","link":"{LINK}"}}"#),
    ));
    assert_eq!(s["status"], "token_required");
    assert_eq!(s["challenge"]["expiresInSeconds"], 120);
    assert_eq!(s["challenge"]["instructions"], Value::Null);
    let r = send(f.submit_token("123456", NOW).unwrap());
    let s = step_json(respond(
        &mut f,
        r.ticket,
        400,
        r#"[{"code":"session_expired","message":"expired","request_id":"rq"}]"#,
    ));
    assert_eq!(s["error"]["category"], "restart");
    assert_eq!(s["error"]["requestId"], "rq");

    for (status, text, code) in [
        (
            403,
            "<html><body><h1>403 Forbidden</h1></body></html>",
            "rate_limited",
        ),
        (502, "Bad Gateway", "unexpected_error"),
        (201, "", "empty_body"),
        (201, "{\"id\": ", "unparseable"),
        (500, "{\"broken\": ", "unexpected_error"),
    ] {
        let mut f: F = Flow::new(Config::default());
        let r = create_planet_link(&mut f);
        let s = step_json(respond(&mut f, r.ticket, status, text));
        assert_eq!(s["error"]["code"], code, "{status} {text}");
    }
}

#[test]
fn snapshots_and_events_write_through_the_browser_writer() {
    let mut f: F = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    let a = json::to_string(&f.snapshot()).unwrap();
    let b = serde_json::to_string(&f.snapshot()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&a).unwrap(),
        serde_json::from_str::<Value>(&b).unwrap()
    );
    respond(&mut f, r.ticket, 500, "[]");
    for e in f.take_events() {
        let a: Value = serde_json::from_str(&json::to_string(&e).unwrap()).unwrap();
        assert_eq!(a, serde_json::to_value(&e).unwrap());
    }
}
