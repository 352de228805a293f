//! Answer bodies at the adapter boundary: how text is classified ([`Body::from_text`],
//! [`Body::from_serde_json`]), whole flows fed the way adapters feed them (text parsed by serde_json;
//! a body type of the adapter's own, as the browser's), typed page items, and the JS shapes of
//! what the flow hands back.

use employment_link_core::belvo::wire::{EmploymentRecord, Owner};
use employment_link_core::flow::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

const NOW: u64 = 1_780_000_000_000;
const LINK: &str = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";

#[test]
fn text_is_classified_once_for_every_adapter() {
    let kind = |b: &Body<Value>| format!("{b:?}");
    for (text, want) in [
        ("", "Empty"),
        ("  \n\t", "Empty"),
        ("{\"id\": \"x\"}", "Json(..)"),
        (" [1, 2] ", "Json(..)"),
        ("\"plain\"", "Json(..)"),
        ("42", "Json(..)"),
        ("null", "Json(..)"),
        ("{\"id\": ", "Unparseable"),
        ("[1,]", "Unparseable"),
        ("tru", "Unparseable"),
        ("nonsense", "Unparseable"),
        ("-", "Unparseable"),
        // Trailing content: the engine's `JSON.parse` refuses it too.
        ("{} x", "Unparseable"),
        ("<html><body>403 Forbidden</body></html>", "NotJson"),
        ("Bad Gateway", "NotJson"),
    ] {
        assert_eq!(kind(&Body::from_serde_json(text)), want, "{text:?}");
    }
    assert_eq!(
        Body::from_serde_json("{\"a\": [1, {\"b\": null}]}"),
        Body::Json(json!({"a": [1, {"b": null}]}))
    );
    // Any parser: the adapter's (the browser's is `JSON.parse`).
    let never = |_: &str| -> Option<u8> { None };
    assert!(matches!(Body::from_text("{}", never), Body::Unparseable));
    assert!(matches!(Body::from_text("<p>", never), Body::NotJson));
    assert!(matches!(Body::from_text(" ", never), Body::Empty));
    assert!(matches!(Body::from_text("x", |_| Some(7u8)), Body::Json(7)));
    // `Debug` never shows the content (answers hold personal data).
    let b = Body::from_serde_json(r#"{"name":"Juana Pérez","nss":"12345678901"}"#);
    let shown = format!("{:?}", R::new(200, b));
    assert!(
        !shown.contains("Juana") && !shown.contains("12345678901"),
        "{shown}"
    );
}

type R = Response<Value>;

fn send<T>(a: Action<T>) -> HttpRequest {
    match a {
        Action::Send(r) => r,
        _ => panic!("expected Send"),
    }
}

fn step_json<T: serde::Serialize + std::fmt::Debug>(a: Action<T>) -> Value {
    match a {
        Action::Done(s) => serde_json::to_value(&s).unwrap(),
        other => panic!("expected Done, got {other:?}"),
    }
}

/// A native adapter: the answer's text, classified and parsed by serde_json.
fn respond<T: DeserializeOwned>(
    f: &mut Flow<T>,
    ticket: u64,
    status: u16,
    text: &str,
) -> Action<T> {
    f.on_response(ticket, R::new(status, Body::from_serde_json(text)), NOW)
}

fn create_planet_link<T: DeserializeOwned>(f: &mut Flow<T>) -> HttpRequest {
    let p = CreateLink {
        institution: "planet_mx_employment".into(),
        username: "BLPM951331IONVGR54".into(),
        ..Default::default()
    };
    send(f.create_link(p, NOW).unwrap())
}

#[test]
fn mx_flow_from_answer_text() {
    let mut f: Flow<Value> = Flow::new(Config::default());
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
fn br_mfa_and_odd_answer_text() {
    let mut f: Flow<Value> = Flow::new(Config {
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
        (201, "{\"id\": \"x\"} trailing", "unparseable"),
        (500, "{\"broken\": ", "unexpected_error"),
    ] {
        let mut f: Flow<Value> = Flow::new(Config::default());
        let r = create_planet_link(&mut f);
        let s = step_json(respond(&mut f, r.ticket, status, text));
        assert_eq!(s["error"]["code"], code, "{status} {text}");
    }
}

/// A body type of the adapter's own, as the browser's (a parsed JS value read with
/// serde_wasm_bindgen): here, text kept as it came and read with serde_json on each decode.
struct Parsed(String);

impl JsonBody for Parsed {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.0).ok()
    }
}

#[test]
fn any_json_body_type_drives_the_flow() {
    let answer = |status: u16, v: Value| Response::new(status, Body::Json(Parsed(v.to_string())));
    let mut f: Flow<Value> = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    let s = f.on_response(
        r.ticket,
        answer(201, json!({"id": LINK})).with_capability("cap"),
        NOW,
    );
    assert_eq!(step_json(s)["status"], "linked");
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    assert_eq!(r.link_capability.as_deref(), Some("cap"));
    let s = f.on_response(
        r.ticket,
        answer(200, json!({"count": 1, "results": [{"id": "o"}]})),
        NOW,
    );
    assert_eq!(step_json(s)["results"], json!([{"id": "o"}]));
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = f.on_response(r.ticket, answer(200, json!({"count": 1})), NOW);
    assert_eq!(step_json(s)["error"]["code"], "unparseable");
}

/// Page items can be typed records: each item is read with its serde derive (leniently), and
/// an item that is no record fails the page.
#[test]
fn typed_page_items() {
    let mut f: Flow<EmploymentRecord> = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    respond(&mut f, r.ticket, 201, &format!(r#"{{"id":"{LINK}"}}"#));
    let r = send(f.fetch(Resource::EmploymentRecords, NOW).unwrap());
    let a = respond(
        &mut f,
        r.ticket,
        200,
        r#"{"count":"1","results":[{"id":"r","social_security_summary":{"weeks_contributed":"520"},
            "employment_records":[{"employer":"E","monthly_salary":"15370.2","employment_status_updates":null}]}]}"#,
    );
    let Action::Done(Step::Data { results, count, .. }) = a else {
        panic!("{a:?}")
    };
    assert_eq!(count, 1);
    assert_eq!(
        results[0]
            .social_security_summary
            .as_ref()
            .unwrap()
            .weeks_contributed,
        Some(520)
    );
    assert_eq!(
        results[0].employment_records[0].monthly_salary,
        Some(15370.2)
    );

    let mut f: Flow<Owner> = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    respond(&mut f, r.ticket, 201, &format!(r#"{{"id":"{LINK}"}}"#));
    let r = send(f.fetch(Resource::Owners, NOW).unwrap());
    let s = step_json(respond(
        &mut f,
        r.ticket,
        200,
        r#"{"count":1,"results":["not an owner"]}"#,
    ));
    assert_eq!(s["error"]["code"], "unparseable");
}

/// Everything JS sees, in its documented shape (`client.d.ts`).
#[test]
fn js_shapes() {
    let mut f: Flow<Value> = Flow::new(Config::default());
    let r = create_planet_link(&mut f);
    assert_eq!(
        serde_json::to_value(f.snapshot()).unwrap(),
        json!({"status": "creating_link", "busy": true, "institution": "planet_mx_employment"})
    );
    let s = step_json(respond(&mut f, r.ticket, 500, "[]"));
    assert_eq!(
        s["error"],
        json!({"category": "retry", "code": "unexpected_error", "status": 500,
               "message": s["error"]["message"], "detail": s["error"]["detail"], "requestId": null})
    );
    let events: Vec<Value> = f
        .take_events()
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(
        events[..3],
        [
            json!({"type": "state", "at": NOW, "state": "creating_link"}),
            json!({"type": "request", "at": NOW, "method": "POST", "path": "/api/links/"}),
            json!({"type": "response", "at": NOW, "httpStatus": 500}),
        ]
    );
    assert_eq!(events[3]["type"], "state");
    assert_eq!(events[4]["type"], "error");
    assert_eq!(Misuse::Busy.code(), "busy");
    assert_eq!(Misuse::InvalidState.code(), "invalid_state");
}
