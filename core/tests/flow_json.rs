//! The browser's JSON path (`flow::json` + `belvo::read`), checked against serde_json and
//! against the previous serde-based browser reader (`common/old_json.rs`): parsing, writing,
//! raw pass-through, limits, every wire shape the flow reads, and whole flows driven through
//! it exactly as the wasm adapter drives them.

#[path = "common/old_json.rs"]
mod old_json;

use employment_link_core::belvo::wire::{
    lenient::parse_number, EmploymentRecord, ErrorBody, Link, LinkEvents, Object, Page,
    WebhookEvent,
};
use employment_link_core::flow::json::{self, RawJson};
use employment_link_core::flow::*;
use proptest::prelude::*;
use serde::de::IgnoredAny;
use serde_json::{json, Value};

const NOW: u64 = 1_780_000_000_000;
const LINK: &str = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";

/// The reader's tree as a serde_json value (numbers through serde_json, from their text).
fn to_serde(v: &json::Value) -> Value {
    match v {
        json::Value::Null => Value::Null,
        json::Value::Bool(b) => Value::Bool(*b),
        json::Value::Num(t) => serde_json::from_str(t).unwrap(),
        json::Value::Str(s) => Value::String(s.to_string()),
        json::Value::Arr(items) => Value::Array(items.iter().map(to_serde).collect()),
        json::Value::Obj(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m {
                o.insert(k.to_string(), to_serde(v));
            }
            Value::Object(o)
        }
    }
}

fn same_as_serde_json(doc: &str) {
    let mine = to_serde(&json::parse(doc).unwrap_or_else(|_| panic!("rejected {doc}")));
    let theirs: Value = serde_json::from_str(doc).unwrap();
    assert_eq!(mine, theirs, "{doc}");
}

fn raw_item(raw: &str) -> Option<RawJson> {
    Some(RawJson(raw.to_string()))
}

/// The readers the flow uses, each compared with the previous browser reader (serde derives
/// through `old_json`) on the same text: same acceptance, same result.
fn read_all_like_before(doc: &str) {
    let parsed = json::parse(doc).ok();
    let mine = parsed.as_ref().and_then(Link::from_json);
    let before = old_json::from_str::<Object<Link>>(doc).ok().map(|o| o.0);
    assert_eq!(mine, before, "Link {doc}");
    let mine = parsed.as_ref().and_then(ErrorBody::from_json);
    let before = old_json::from_str::<ErrorBody>(doc).ok();
    assert_eq!(mine, before, "ErrorBody {doc}");
    let mine = parsed.as_ref().and_then(LinkEvents::from_json);
    let before = old_json::from_str::<LinkEvents>(doc).ok();
    assert_eq!(mine, before, "LinkEvents {doc}");
    let mine = Page::from_json_text(doc, raw_item).map(|p| {
        let items: Vec<String> = p.results.into_iter().map(|r| r.0).collect();
        (p.count, p.next, p.previous, items)
    });
    let before = old_json::from_str::<Object<Page<old_json::RawJson>>>(doc)
        .ok()
        .map(|Object(p)| {
            let items: Vec<String> = p.results.into_iter().map(|r| r.0).collect();
            (p.count, p.next, p.previous, items)
        });
    assert_eq!(mine, before, "Page {doc}");
    let before = old_json::from_str::<Object<Page<IgnoredAny>>>(doc)
        .ok()
        .map(|Object(p)| (p.count, p.results.len()));
    let mine = Page::from_json_text(doc, raw_item).map(|p| (p.count, p.results.len()));
    assert_eq!(mine, before, "count Page {doc}");
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
        "\"\\u12g4\"",
        "nul",
        "-",
        "--1",
        "1.2.3",
        "{\"a\":}",
        "{\"a\":1 \"b\":2}",
        "[1}",
    ] {
        assert!(json::parse(doc).is_err(), "accepted {doc:?}");
    }
    // Lone surrogates become U+FFFD (serde_json refuses them; we prefer not to fail a whole
    // answer over one bad character).
    let v = json::parse(r#""a\ud800b""#).unwrap();
    assert_eq!(v.as_str(), Some("a\u{FFFD}b"));
    let v = json::parse(r#""\ud83d\u0041""#).unwrap();
    assert_eq!(v.as_str(), Some("\u{FFFD}A"));
    // Trailing content is ignored.
    assert_eq!(json::parse("{} x"), Ok(json::Value::Obj(vec![])));
}

#[test]
fn nesting_is_capped() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(json::parse(&deep(100)).is_ok());
    assert!(json::parse(&deep(json::MAX_DEPTH as usize)).is_ok());
    assert!(json::parse(&deep(json::MAX_DEPTH as usize + 1)).is_err());
    // Unknown fields are capped too.
    let doc = format!(r#"{{"id": "x", "junk": {}}}"#, deep(100_000));
    assert!(json::parse(&doc).is_err());
    assert!(Page::from_json_text(&doc, raw_item).is_none());
    let doc = format!(r#"{{"id": "x", "junk": {}}}"#, deep(50));
    assert_eq!(
        Link::from_json(&json::parse(&doc).unwrap()).unwrap().id,
        "x"
    );
    let doc = format!(r#"{{"results": [{}]}}"#, deep(200));
    assert!(Page::from_json_text(&doc, raw_item).is_none());
}

/// The one intended difference from the old reader: it skipped unknown values (and page
/// items) without checking them, and capped their nesting relative to where they started;
/// now the whole answer must be JSON, nested at most `MAX_DEPTH` deep.
#[test]
fn unknown_values_must_be_json_now() {
    let doc = r#"{"id":"x","junk":[1 2]}"#;
    assert_eq!(
        old_json::from_str::<Object<Link>>(doc).map(|o| o.0.id),
        Ok("x".into())
    );
    assert!(json::parse(doc).is_err());
    let doc = r#"{"count":1,"results":[{"a" 1}]}"#;
    assert!(old_json::from_str::<Object<Page<old_json::RawJson>>>(doc).is_ok());
    assert!(Page::from_json_text(doc, raw_item).is_none());
}

#[test]
fn structs_come_from_objects_only() {
    assert!(Link::from_json(&json::parse(r#"["x"]"#).unwrap()).is_none());
    assert!(Page::from_json_text("[1, 2]", raw_item).is_none());
    assert!(Link::from_json(&json::parse("null").unwrap()).is_none());
    // Nested structs too (serde_json would read an array positionally; the browser never did).
    let doc =
        r#"[{"code":"token_required","session":"s","token_generation_data":["i","qr",null,true]}]"#;
    assert!(ErrorBody::from_json(&json::parse(doc).unwrap()).is_none());
    read_all_like_before(doc);
}

#[test]
fn writes_valid_json() {
    for s in [
        "",
        "plain",
        "q\"\\\n\r\t\u{1}\u{1f}\u{7f}\u{2028}\u{2029}é😀/",
    ] {
        let text = json::to_string(s);
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s, "{text}");
    }
    assert_eq!(json::to_string(&u64::MAX), "18446744073709551615");
    assert_eq!(json::to_string(&0u64), "0");
    assert_eq!(json::to_string(&Some(String::from("x"))), "\"x\"");
    assert_eq!(json::to_string(&Option::<u64>::None), "null");
    assert_eq!(json::to_string(&vec![true, false]), "[true,false]");
    assert_eq!(json::to_string(&Vec::<u64>::new()), "[]");
    assert_eq!(
        json::to_string(&RawJson(" [1, 2.50] ".into())),
        " [1, 2.50] "
    );
    let mut out = String::new();
    let mut w = json::ObjectWriter::new(&mut out);
    w.str("a", "b")
        .u64("n", 7)
        .field("o", &Option::<String>::None);
    w.end();
    assert_eq!(out, r#"{"a":"b","n":7,"o":null}"#);
    assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601(NOW + 7_005), "2026-05-28T20:26:47.005Z");
    assert_eq!(iso8601(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
}

#[test]
fn raw_json_passes_through_verbatim() {
    let doc = r#"{"count": 2, "next": null, "previous": null,
                 "results": [ {"id": "a", "x": [1, 2.50, "é\u00e9"]} , 7 ]}"#;
    let page = Page::from_json_text(doc, raw_item).unwrap();
    assert_eq!(
        page.results[0].0,
        r#"{"id": "a", "x": [1, 2.50, "é\u00e9"]}"#
    );
    assert_eq!(page.results[1].0, "7");
    let step: Step<RawJson> = Step::Data {
        resource: Resource::Owners,
        count: page.count,
        results: page.results,
        truncated: false,
    };
    let v: Value = serde_json::from_str(&json::to_string(&step)).unwrap();
    assert_eq!(v["results"], json!([{"id": "a", "x": [1, 2.5, "éé"]}, 7]));
    read_all_like_before(doc);
}

const FIXTURES: &[&str] = &[
    r#"[{"code":"token_required","message":"m","request_id":"r","session":"s","expiry":"120","link":"L",
        "token_generation_data":{"instructions":"i","type":"inputless","value":null,"expects_user_input":true}}]"#,
    r#"[{"code":"token_required","message":"m","request_id":"r","session":"s","expiry":720,"link":"L"}]"#,
    r#"[{"code":"token_required","session":"s","expiry":-5,"link":7,"token_generation_data":null}]"#,
    r#"[{"code":"token_required","session":"s","expiry":1.6,"token_generation_data":{"expect_user_input":"false","type":5}}]"#,
    r#"[{"code":"token_required","session":"s","token_generation_data":{"expect_user_input":0,"expects_user_input":1}}]"#,
    r#"[{"code":"token_required","session":"s","token_generation_data":"qr"}]"#,
    r#"{"detail":"Token Required","session":"s","expiry":9600,"link":"L"}"#,
    r#"[{"code":"login_error","message":"El NSS no fue localizado en el IMSS","request_id":"r","extra":{"a":[1]}}]"#,
    r#"[{"code":null,"message":null,"request_id":null,"field":"username","retry_after":"30"}]"#,
    r#"[{"code":"too_many_sessions","retry_after_seconds":120}]"#,
    r#"[{"code":"x","retry_after":1,"retry_after_seconds":2}]"#,
    r#"[{"code":"a","code":"b"}]"#,
    r#"[{"code":true,"message":12.0,"request_id":-3,"field":1.5}]"#,
    r#"["plain", 5, null, [1], true, {"detail":"Not found."}]"#,
    r#""plain string error""#,
    r#"[]"#,
    r#"null"#,
    r#"42"#,
    r#"true"#,
    r#"{"id":"74c01cb4","institution":"planet_mx_employment","access_mode":"single","status":"valid",
        "refresh_rate":null,"created_by":"x","last_accessed_at":"2024-06-26T16:25:54.344113Z","external_id":"C",
        "created_at":"2024-06-26T16:25:54.334413Z","institution_user_id":"B=","credentials_storage":"365d",
        "stale_in":null,"fetch_resources":["EMPLOYMENT_RECORDS","OWNERS"],"new":{"deep":[true]}}"#,
    r#"{"id":12,"fetch_resources":"OWNERS"}"#,
    r#"{"id":"x","fetch_resources":["A",1,null,{"b":2},"C"]}"#,
    r#"{"id":"x","fetch_resources":{"a":1}}"#,
    r#"{"id":"x","id":"y"}"#,
    r#"{"link_id":"L","events":[{"webhook_id":"w","webhook_type":"OWNERS","webhook_code":"historical_update",
        "link_id":"L","request_id":"r","external_id":null,"data":{"total_owners":2}}]}"#,
    r#"{"link_id":"L","events":[],"results":[{"webhook_type":"OWNERS","data":{"total_owners":"3"}}]}"#,
    r#"{"events":null,"results":null}"#,
    r#"{"events":"x"}"#,
    r#"{"events":[1]}"#,
    r#"[{"webhook_type":"LINK","data":null}]"#,
    r#"[{"webhook_type":"LINK","data":{"error_code":"login_error","error_message":"m","status":"401"}}]"#,
    r#"[{"webhook_type":"LINK","data":[1]}]"#,
    r#"[]"#,
    r#"{"count":"1","next":null,"previous":null,"results":[{"id":"r"}]}"#,
    r#"{"count":3,"next":"https://x/?page=2","results":null}"#,
    r#"{"count":-3,"next":5,"previous":true}"#,
    r#"{"count":2.6,"results":"x"}"#,
    r#"{"count":1,"results":{"a":1}}"#,
    r#"{"count":1,"count":2}"#,
    r#"{"results":[]}"#,
    r#"{"results":[1],"results":[2]}"#,
    r#"{"results":[1],"results":null}"#,
    r#"{"results":null,"results":[1]}"#,
    r#"[1, 2]"#,
];

#[test]
fn wire_shapes_read_like_before() {
    for doc in FIXTURES {
        read_all_like_before(doc);
    }
}

#[test]
fn wire_types_read_like_serde_json() {
    for doc in FIXTURES.iter().take(8) {
        let a = ErrorBody::from_json(&json::parse(doc).unwrap());
        let b: Option<ErrorBody> = serde_json::from_str(doc).ok();
        assert_eq!(a, b, "{doc}");
    }
    let link = FIXTURES[19];
    assert_eq!(
        Link::from_json(&json::parse(link).unwrap()),
        serde_json::from_str::<Link>(link).ok()
    );
    let record = r#"{"count":"1","next":null,"previous":null,"results":[{"id":"r","personal_data":{"official_name":"X",
        "entitlements":{"status":"EMPLOYED","entitled_to_health_insurance":"true"},"document_ids":[{"document_type":"CURP","document_number":"Y"}]},
        "social_security_summary":{"weeks_redeemed":"3","weeks_contributed":520.0},
        "employment_records":[{"employer":"E","monthly_salary":"15370.2","weeks_employed":12,"employment_status_updates":null}],
        "files":[{"type":"T","value":null}]}]}"#;
    let a = Page::from_json_text(record, |raw| {
        serde_json::from_str::<EmploymentRecord>(raw).ok()
    })
    .unwrap();
    let b: Page<EmploymentRecord> = serde_json::from_str(record).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.results[0].employment_records[0].monthly_salary,
        Some(15370.2)
    );
    let events = FIXTURES[24];
    assert_eq!(
        LinkEvents::from_json(&json::parse(events).unwrap()),
        serde_json::from_str::<LinkEvents>(events).ok()
    );
    let wh = r#"{"webhook_id":"w","webhook_type":"LINK","webhook_code":"invalid_credentials","link_id":"L",
        "data":{"error_code":"login_error","error_message":"m","status":400}}"#;
    assert_eq!(
        WebhookEvent::from_json(&json::parse(wh).unwrap()),
        serde_json::from_str::<WebhookEvent>(wh).ok()
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
        let mine = to_serde(&json::parse(&text).unwrap());
        prop_assert_eq!(&mine, &v);
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        prop_assert_eq!(to_serde(&json::parse(&pretty).unwrap()), v);
    }

    #[test]
    fn strings_write_like_serde_json(s in "\\PC{0,24}|[\\x00-\\x1f\"\\\\\u{2028}\u{2029}]{0,8}") {
        let text = json::to_string(s.as_str());
        prop_assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s);
    }

    #[test]
    fn wire_shapes_read_like_before_on_any_json(v in arb_wire()) {
        read_all_like_before(&serde_json::to_string(&v).unwrap());
    }

    #[test]
    fn never_panics_on_garbage(s in "\\PC{0,64}") {
        let parsed = json::parse(&s).ok();
        if let Some(v) = &parsed {
            let _ = ErrorBody::from_json(v);
            let _ = LinkEvents::from_json(v);
            let _ = Link::from_json(v);
        }
        let _ = Page::from_json_text(&s, raw_item);
    }

    #[test]
    fn garbage_is_read_like_before(s in "[\\[\\]{}\",:0-9a-z .\\-\\\\]{0,24}") {
        // Only JSON the new reader accepts: the old one skipped unknown values without
        // checking them (see `unknown_values_must_be_json_now`).
        if json::parse(&s).is_ok() {
            read_all_like_before(&s);
        }
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

/// JSON built from the wire types' own keys and awkward scalars, to hit every lenient rule.
fn arb_wire() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-100_000i64..100_000, 0u32..3).prop_map(|(n, d)| json!(n as f64 / 10f64.powi(d as i32))),
        prop_oneof![
            Just("true"),
            Just("FALSE"),
            Just("0"),
            Just("1"),
            Just(" 42 "),
            Just("1.5"),
            Just("-7"),
            Just("1e3"),
            Just("x"),
            Just(""),
            Just("token_required"),
            Just("LINK"),
            Just("OWNERS"),
            Just("EMPLOYMENT_RECORDS"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("institution"),
        Just("status"),
        Just("refresh_rate"),
        Just("fetch_resources"),
        Just("code"),
        Just("message"),
        Just("request_id"),
        Just("field"),
        Just("detail"),
        Just("session"),
        Just("expiry"),
        Just("link"),
        Just("token_generation_data"),
        Just("instructions"),
        Just("type"),
        Just("value"),
        Just("expects_user_input"),
        Just("expect_user_input"),
        Just("retry_after"),
        Just("retry_after_seconds"),
        Just("institution_user_id"),
        Just("link_id"),
        Just("events"),
        Just("results"),
        Just("webhook_type"),
        Just("webhook_id"),
        Just("data"),
        Just("total_owners"),
        Just("error_code"),
        Just("count"),
        Just("next"),
        Just("previous"),
        Just("other"),
    ];
    leaf.prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

// --- flows through the browser's reader -----------------------------------------------------

type F = Flow<RawJson>;

fn respond(f: &mut F, ticket: u64, status: u16, text: &str) -> Action<RawJson> {
    let body = Body::from_text(text.to_string());
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
        Action::Done(s) => serde_json::from_str(&json::to_string(&s)).unwrap(),
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
        locale: employment_link_core::id::Locale::En,
        ..Config::default()
    });
    let cpf = employment_link_core::id::cpf::generate(3)
        .as_str()
        .to_string();
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
    let a = json::to_string(&f.snapshot());
    let b = serde_json::to_string(&f.snapshot()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&a).unwrap(),
        serde_json::from_str::<Value>(&b).unwrap()
    );
    respond(&mut f, r.ticket, 500, "[]");
    for e in f.take_events() {
        let a: Value = serde_json::from_str(&json::to_string(&e)).unwrap();
        assert_eq!(a, serde_json::to_value(&e).unwrap());
    }
}

/// A page item's `Debug` never shows its content (employment records are personal data).
#[test]
fn raw_json_debug_is_redacted() {
    let item = employment_link_core::flow::json::RawJson(
        r#"{"name":"Juana Pérez","nss":"12345678901"}"#.into(),
    );
    let shown = format!("{item:?}");
    assert!(
        !shown.contains("Juana") && !shown.contains("12345678901"),
        "{shown}"
    );
    assert!(shown.contains("bytes"), "{shown}");
}
