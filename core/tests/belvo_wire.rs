//! Belvo wire types: the seed payloads, the three 428 shapes, error bodies, pagination,
//! employment data, webhooks, leniency (its rules checked directly, also on generated JSON)
//! and credential redaction.

use employment_link_core::belvo::wire::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

#[test]
fn link_object_from_the_seed() {
    let link: Link = from(json!({
        "id": "74c01cb4-edf1-44d6-8876-b1dc2aebcb14",
        "institution": "planet_mx_employment",
        "access_mode": "single",
        "status": "valid",
        "refresh_rate": null,
        "created_by": "6e9be884-4781-4143-b673-aca02475ee8c",
        "last_accessed_at": "2024-06-26T16:25:54.344113Z",
        "external_id": "COHORT_32",
        "created_at": "2024-06-26T16:25:54.334413Z",
        "institution_user_id": "BidIxnZkKvQx0_F0oSYVx6Jnsh4Zmoat2ot2iOoG018=",
        "credentials_storage": "365d",
        "stale_in": null,
        "fetch_resources": ["EMPLOYMENT_RECORDS", "OWNERS"],
        "a_field_belvo_adds_tomorrow": {"nested": [1, 2]}
    }));
    assert_eq!(link.id, "74c01cb4-edf1-44d6-8876-b1dc2aebcb14");
    assert_eq!(link.status.as_deref(), Some("valid"));
    assert_eq!(link.refresh_rate, None);
    assert_eq!(link.fetch_resources, ["EMPLOYMENT_RECORDS", "OWNERS"]);
    // Serializes back with Belvo's field names.
    let v = serde_json::to_value(&link).unwrap();
    assert_eq!(
        v["institution_user_id"],
        "BidIxnZkKvQx0_F0oSYVx6Jnsh4Zmoat2ot2iOoG018="
    );
}

#[test]
fn link_object_tolerates_odd_types() {
    let link: Link =
        from(json!({"id": 12, "status": null, "fetch_resources": "OWNERS", "access_mode": ["x"]}));
    assert_eq!(link.id, "12");
    assert_eq!(link.status, None);
    assert_eq!(link.fetch_resources, ["OWNERS"]);
    assert_eq!(link.access_mode, None);
    let link: Link = from(json!({}));
    assert!(link.id.is_empty());
}

#[test]
fn the_current_428_shape() {
    let body: ErrorBody = from(json!([{
        "code": "token_required",
        "message": "A MFA token is required by the institution to login",
        "request_id": "8c7b283c6efa449c9c028a16b5c249fa",
        "session": "2675b703b9d4451f8d4861a3eee54449",
        "expiry": 9600,
        "link": "30cb4806-6e00-48a4-91c9-ca55968576c8",
        "token_generation_data": {
            "instructions": "Use this code to generate the token",
            "type": "numeric",
            "value": "12345",
            "expects_user_input": true
        }
    }]));
    let c = body.challenge().unwrap();
    assert_eq!(c.session, "2675b703b9d4451f8d4861a3eee54449");
    assert_eq!(c.expiry, Some(9600));
    assert_eq!(
        c.link.as_deref(),
        Some("30cb4806-6e00-48a4-91c9-ca55968576c8")
    );
    assert_eq!(c.kind(), "numeric");
    assert!(c.expects_user_input());
    assert_eq!(
        c.token_generation_data.as_ref().unwrap().value.as_deref(),
        Some("12345")
    );
    assert!(
        !format!("{c:?}").contains("2675b703"),
        "session must not be printed"
    );
    assert!(!format!("{body:?}").contains("2675b703"));
}

#[test]
fn the_brazil_seed_428_string_expiry_inputless() {
    let body: ErrorBody = from(json!([{
        "code": "token_required",
        "message": "A MFA token is required by the institution to login",
        "session": "be7a15d5f0b84d8ea60f6c12cb2a7b32",
        "expiry": "120",
        "link": "2f8ca7a1-c28f-46f2-bb41-21633099a280",
        "token_generation_data": {
            "instructions": "Use your app or device to generate a token",
            "type": "inputless",
            "value": null,
            "expects_user_input": true
        },
        "request_id": "b7a3a5b3a3a2b6aa28f4cc98d55cf1f1"
    }]));
    let c = body.challenge().unwrap();
    assert_eq!(c.expiry, Some(120));
    assert_eq!(c.kind(), "inputless");
    assert_eq!(c.token_generation_data.unwrap().value, None);
}

#[test]
fn a_428_without_token_generation_data() {
    let body: ErrorBody = from(json!([{
        "code": "token_required",
        "message": "A MFA token is required by the institution to login",
        "session": "abc",
        "expiry": "720",
        "link": "L"
    }]));
    let c = body.challenge().unwrap();
    assert_eq!(c.token_generation_data, None);
    assert_eq!(c.kind(), "numeric");
    assert!(c.expects_user_input());
    assert_eq!(c.expiry, Some(720));
}

#[test]
fn the_legacy_428_object() {
    let body: ErrorBody = from(json!({
        "detail": "Token Required",
        "session": "2675b703b9d4451f8d4861a3eee54449",
        "expiry": 9600,
        "link": "30cb4806-6e00-48a4-91c9-ca55968576c8"
    }));
    let c = body.challenge().unwrap();
    assert_eq!(c.message, "Token Required");
    assert_eq!(c.expiry, Some(9600));
    assert_eq!(body.first().unwrap().message(), "Token Required");
}

#[test]
fn expects_user_input_spellings_and_odd_expiry() {
    let body: ErrorBody = from(json!([{
        "code": "token_required", "session": "s", "expiry": "soon",
        "token_generation_data": {"type": "qr", "value": 123456, "expect_user_input": "false"}
    }]));
    let c = body.challenge().unwrap();
    assert_eq!(c.expiry, None);
    assert!(!c.expects_user_input());
    assert_eq!(
        c.token_generation_data.unwrap().value.as_deref(),
        Some("123456")
    );
    let body: ErrorBody =
        from(json!([{"code": "token_required", "session": "s", "expiry": 120.0}]));
    assert_eq!(body.challenge().unwrap().expiry, Some(120));
    let body: ErrorBody = from(json!([{"code": "token_required", "session": "s", "expiry": -5}]));
    assert_eq!(body.challenge().unwrap().expiry, None);
}

#[test]
fn not_a_challenge() {
    // No session → no challenge (e.g. 428 activation_required).
    let body: ErrorBody =
        from(json!([{"code": "activation_required", "message": "no web access"}]));
    assert!(body.challenge().is_none());
    let body: ErrorBody = from(json!([{"code": "token_required", "message": "m"}]));
    assert!(body.challenge().is_none());
    // A session on a non-token error is not a challenge either.
    let body: ErrorBody = from(json!([{"code": "session_expired", "session": "s"}]));
    assert!(body.challenge().is_none());
}

#[test]
fn error_bodies_in_every_shape() {
    let arr: ErrorBody = from(json!([{
        "request_id": "a6e1c493d7a29d91aed4338e6fcf077d",
        "message": "This field is required.",
        "code": "required",
        "field": "link",
        "unknown": {"deep": true}
    }]));
    let item = arr.first().unwrap().item();
    assert_eq!(
        item,
        ErrorItem {
            code: "required".into(),
            message: "This field is required.".into(),
            request_id: Some("a6e1c493d7a29d91aed4338e6fcf077d".into()),
            field: Some("link".into()),
        }
    );
    let obj: ErrorBody = from(json!({"code": "not_found", "message": "Not found."}));
    assert_eq!(obj.first().unwrap().code(), "not_found");
    let drf: ErrorBody = from(json!({"detail": "Not found."}));
    assert_eq!(drf.first().unwrap().message(), "Not found.");
    let s: ErrorBody = from(json!("Bad gateway"));
    assert_eq!(s.first().unwrap().message(), "Bad gateway");
    let empty: ErrorBody = from(json!([]));
    assert!(empty.first().is_none());
    let null: ErrorBody = from(json!(null));
    assert!(null.first().is_none());
    // `code: null` (Belvo's `blank` example) and nested messages.
    let odd: ErrorBody = from(json!([{"code": null, "message": {"es": "x"}}, "second", 42]));
    assert_eq!(odd.0.len(), 3);
    assert_eq!(odd.first().unwrap().code(), "");
    assert_eq!(odd.first().unwrap().message(), "");
    assert_eq!(odd.0[1].message(), "second");
    // A number is not an error body.
    assert!(serde_json::from_value::<ErrorBody>(json!(42)).is_err());
}

#[test]
fn duplicated_keeps_the_institution_user_id() {
    let b: ErrorBody = from(
        json!([{"code": "duplicated", "message": "Link already exists", "institution_user_id": "abc="}]),
    );
    assert_eq!(
        b.first().unwrap().institution_user_id.as_deref(),
        Some("abc=")
    );
}

#[test]
fn error_item_serializes_in_belvo_shape() {
    let mut item = ErrorItem::new("not_found", "Not found.");
    item.request_id = Some("r".into());
    let v = serde_json::to_value(&item).unwrap();
    assert_eq!(
        v,
        json!({"code": "not_found", "message": "Not found.", "request_id": "r"})
    );
    item.field = Some("link".into());
    assert_eq!(serde_json::to_value(&item).unwrap()["field"], "link");
    let back: ErrorItem = serde_json::from_value(v).unwrap();
    assert_eq!(back.code, "not_found");
}

fn mx_record() -> Value {
    json!({
        "id": "0d3ffb69-f83b-456e-ad8e-208d0998d71d",
        "link": "2f5d361d-dad6-45d4-a0bf-26d479766067",
        "created_at": "2022-02-09T08:45:50.406032Z",
        "collected_at": "2022-02-09T08:45:50.406032Z",
        "report_date": "2022-02-09",
        "internal_identification": "BLPM951331IONVGR54",
        "personal_data": {
            "official_name": "Pepe Mujica", "first_name": "Pepe", "last_name": "Mujica",
            "birth_date": "1995-13-31", "email": null,
            "entitlements": {"entitled_to_health_insurance": true, "entitled_to_company_benefits": false,
                             "valid_until": null, "status": "RETIRED"},
            "document_ids": [{"document_type": "NSS", "document_number": "12345678901"},
                             {"document_type": "CURP", "document_number": "BLPM951331IONVGR54"}]
        },
        "social_security_summary": {"weeks_redeemed": 0, "weeks_reinstated": "3", "weeks_contributed": 520.0},
        "employment_records": [{
            "collected_at": "2022-02-09T08:45:50.406032Z", "employer": "ACME SA DE CV",
            "employer_id": "Y1234567890", "start_date": "2015-01-01", "end_date": null,
            "weeks_employed": 360, "state": "CIUDAD DE MEXICO",
            "most_recent_base_salary": 512.34, "monthly_salary": "15370.2", "currency": "MXN",
            "employment_status_updates": [
                {"event": "HIRED", "base_salary": 300, "update_date": "2015-01-01"},
                {"event": "SALARY_MODIFICATION", "base_salary": 512.34, "update_date": "2020-01-01"}
            ],
            "new_thing": 1
        }],
        "employment_scores": [{"score": 712, "period": 12, "version": "1.0"}],
        "files": [{"type": "ReporteSemanasCotizadas_190123", "value": null}],
        "future_field": "ignored"
    })
}

#[test]
fn mx_employment_record_page() {
    let page: Page<EmploymentRecord> = from(json!({
        "count": 12,
        "next": "https://sandbox.belvo.com/api/employment-records/?link=x&page=2",
        "previous": null,
        "results": [mx_record()]
    }));
    assert_eq!(page.count, 12);
    assert!(page.next.is_some() && page.previous.is_none());
    let r = &page.results[0];
    let pd = r.personal_data.as_ref().unwrap();
    assert_eq!(
        pd.entitlements.as_ref().unwrap().status.as_deref(),
        Some("RETIRED")
    );
    assert_eq!(pd.document_ids.len(), 2);
    let sss = r.social_security_summary.as_ref().unwrap();
    assert_eq!(
        (
            sss.weeks_redeemed,
            sss.weeks_reinstated,
            sss.weeks_contributed
        ),
        (Some(0), Some(3), Some(520))
    );
    let job = &r.employment_records[0];
    assert_eq!(job.monthly_salary, Some(15370.2));
    assert_eq!(job.end_date, None);
    assert_eq!(job.employment_status_updates.len(), 2);
    assert_eq!(r.employment_scores[0].score, Some(712));
    assert_eq!(
        r.files[0].kind.as_deref(),
        Some("ReporteSemanasCotizadas_190123")
    );
    // Round trip keeps Belvo's names.
    let v = serde_json::to_value(r).unwrap();
    assert_eq!(v["files"][0]["type"], "ReporteSemanasCotizadas_190123");
    let again: EmploymentRecord = from(v);
    assert_eq!(&again, r);
}

#[test]
fn nulls_where_lists_and_objects_are_expected() {
    let r: EmploymentRecord =
        from(json!({"personal_data": null, "employment_records": null, "files": null}));
    assert!(r.personal_data.is_none() && r.employment_records.is_empty() && r.files.is_empty());
    let p: Page<Owner> = from(json!({"count": "3", "next": 5, "results": []}));
    assert_eq!((p.count, p.next.as_deref()), (3, Some("5")));
    assert!(p.results.is_empty());
    let p: Page<Owner> = from(json!({"results": []}));
    assert_eq!(p, Page::default());
    // A page is a page only with an array `results` (issue 14: no silent "no data").
    for doc in [
        json!({}),
        json!({"count": 3, "results": null}),
        json!({"count": 3, "results": "x"}),
        json!({"count": 1, "results": {"id": "a"}}),
        json!({"unexpected": [1]}),
    ] {
        assert!(
            serde_json::from_value::<Page<Owner>>(doc.clone()).is_err(),
            "{doc}"
        );
        assert!(
            serde_json::from_value::<Object<Page<Value>>>(doc.clone()).is_err(),
            "{doc}"
        );
    }
    // Objects only, through `Object` (serde_json would read an array by position).
    assert!(serde_json::from_value::<Object<Page<Value>>>(json!([3, null, null, []])).is_err());
    assert!(serde_json::from_value::<Object<Link>>(json!(["x"])).is_err());
}

#[test]
fn metrics_employments_owners() {
    let m: Page<EmploymentMetrics> = from(
        json!({"count": 1, "next": null, "previous": null, "results": [{
            "id": "m1", "link": "l", "reference_date": "2024-01-01", "age": 29, "current_status": "EMPLOYED",
            "current_employer_count": 1, "base_salary_last": 512.3, "weeks_employed_total": 520,
            "employers_per_year": 0.8, "increases_1y": 1, "yearly_change_3y": null,
            "max_monthly_salary_5y": 20000.5, "brand_new_metric": 7
        }]}),
    );
    let x = &m.results[0];
    assert_eq!(
        (x.age, x.current_status.as_deref(), x.weeks_employed_total),
        (Some(29), Some("EMPLOYED"), Some(520.0))
    );
    assert_eq!(x.yearly_change_3y, None);

    let e: Page<Employment> = from(
        json!({"count": 1, "next": null, "previous": null, "results": [{
            "id": "e1", "link": "l", "start_date": "2019-02-01", "end_date": null,
            "employer_data": {"name": "EMPRESA LTDA", "code": "12345678000199", "economic_activity": "6201-5/01"},
            "occupations": [{"start_date": "2019-02-01", "end_date": null, "description": "2124-05", "name": "Analista", "locale": "Urbana"}],
            "salaries": [{"base_amount": 5000.0, "retained_amount": 550.0, "month": "2024-01", "currency": "BRL"}]
        }]}),
    );
    let x = &e.results[0];
    assert_eq!(
        x.employer_data.as_ref().unwrap().code.as_deref(),
        Some("12345678000199")
    );
    assert_eq!(x.salaries[0].retained_amount, Some(550.0));
    assert_eq!(x.occupations[0].locale.as_deref(), Some("Urbana"));

    let o: Page<Owner> = from(
        json!({"count": 1, "next": null, "previous": null, "results": [{
            "id": "o1", "link": "l", "display_name": "Pepe", "document_id": {"document_type": "CURP", "document_number": "X"},
            "first_name": null
        }]}),
    );
    assert_eq!(
        o.results[0]
            .document_id
            .as_ref()
            .unwrap()
            .document_type
            .as_deref(),
        Some("CURP")
    );
}

#[test]
fn webhook_payloads_from_the_seeds() {
    let mx: WebhookEvent = from(json!({
        "webhook_id": "03d1ca0d62db4f769488265d141047b7",
        "webhook_type": "EMPLOYMENT_RECORDS",
        "process_type": "historical_update",
        "webhook_code": "historical_update",
        "link_id": "2f5d361d-dad6-45d4-a0bf-26d479766067",
        "request_id": "4363b08b-51eb-4350-9c74-5df5ac92a7f6",
        "external_id": "your_external_id",
        "data": {"total_employment_record_profiles": 1}
    }));
    assert_eq!(mx.total(), Some(1));
    let owners: WebhookEvent = from(
        json!({"webhook_id": "a", "webhook_type": "OWNERS", "webhook_code": "historical_update",
        "link_id": "l", "data": {"total_owners": 2}}),
    );
    assert_eq!(owners.total(), Some(2));
    let br: WebhookEvent = from(
        json!({"webhook_id": "b", "webhook_type": "EMPLOYMENTS", "webhook_code": "historical_update",
        "link_id": "l", "data": {"total_employments": "3"}}),
    );
    assert_eq!(br.total(), Some(3));
    let link: WebhookEvent = from(
        json!({"webhook_id": "c", "webhook_type": "LINK", "webhook_code": "invalid_credentials",
        "link_id": "l", "data": {"error_code": "login_error", "error_message": "Invalid credentials provided to login to the institution", "status": 400}}),
    );
    assert_eq!(link.total(), None);
    assert_eq!(link.data.error_code.as_deref(), Some("login_error"));
    // Older payloads without process_type / request_id / external_id / data.
    let old: WebhookEvent = from(
        json!({"webhook_id": "d", "webhook_type": "OWNERS", "webhook_code": "historical_update", "link_id": "l"}),
    );
    assert_eq!(old.process_type, None);
    assert_eq!(old.total(), None);
    // Serializes back without the absent optional data keys.
    let v = serde_json::to_value(&mx).unwrap();
    assert_eq!(v["data"], json!({"total_employment_record_profiles": 1}));
}

#[test]
fn link_events_in_every_shape() {
    let ev = json!({"webhook_id": "w", "webhook_type": "OWNERS", "webhook_code": "historical_update", "link_id": "l", "data": {"total_owners": 2}});
    let a: LinkEvents = from(json!([ev.clone()]));
    let b: LinkEvents = from(json!({"link_id": "l", "events": [ev.clone()]}));
    let c: LinkEvents = from(json!({"results": [ev]}));
    for e in [&a, &b, &c] {
        assert_eq!(e.events.len(), 1);
        assert_eq!(e.events[0].total(), Some(2));
    }
    assert_eq!(b.link_id.as_deref(), Some("l"));
    let empty: LinkEvents = from(json!({"events": null}));
    assert!(empty.events.is_empty());
}

#[test]
fn request_bodies_serialize_in_belvo_shape_and_are_redacted_in_debug() {
    let r = LinkRequest {
        institution: "inss_br_employment".into(),
        username: "12345678909".into(),
        password: Some("p\"a\\s\ns\u{1}wörd\u{2028}".into()),
        access_mode: Some("single".into()),
        fetch_resources: vec!["EMPLOYMENTS".into(), "OWNERS".into()],
        external_id: Some("user_42".into()),
        ..LinkRequest::default()
    };
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(
        text,
        "{\"institution\":\"inss_br_employment\",\"username\":\"12345678909\",\"password\":\"p\\\"a\\\\s\\ns\\u0001wörd\u{2028}\",\"access_mode\":\"single\",\"fetch_resources\":[\"EMPLOYMENTS\",\"OWNERS\"],\"external_id\":\"user_42\"}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["password"], "p\"a\\s\ns\u{1}wörd\u{2028}");
    let dbg = format!("{r:?}");
    assert!(
        !dbg.contains("12345678909") && !dbg.contains("wörd"),
        "{dbg}"
    );
    let back: LinkRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    // Absent options are omitted, not `null`.
    let bare = LinkRequest {
        institution: "i".into(),
        username: "u".into(),
        ..LinkRequest::default()
    };
    assert_eq!(
        serde_json::to_string(&bare).unwrap(),
        r#"{"institution":"i","username":"u"}"#
    );

    let p = PatchLinkRequest {
        link: "L".into(),
        session: "S3SS10N".into(),
        token: Some("123456".into()),
    };
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"link":"L","session":"S3SS10N","token":"123456"}"#
    );
    let dbg = format!("{p:?}");
    assert!(!dbg.contains("123456") && !dbg.contains("S3SS10N"));
    let inputless = PatchLinkRequest { token: None, ..p };
    assert_eq!(
        serde_json::to_string(&inputless).unwrap(),
        r#"{"link":"L","session":"S3SS10N"}"#
    );
}

// --- leniency ------------------------------------------------------------------------------

/// Odd answers seen (or feared) from Belvo and proxies, and what each reads as.
#[test]
fn odd_error_bodies() {
    let read = |v: Value| serde_json::from_value::<ErrorBody>(v).ok();
    // Legacy 428 object, string expiry, number where a string belongs.
    let b = read(
        json!([{"code":"token_required","session":"s","expiry":1.6,"link":7,
        "token_generation_data":{"expect_user_input":"false","type":5}}]),
    )
    .unwrap();
    let c = b.challenge().unwrap();
    assert_eq!(
        (c.expiry, c.link.as_deref(), c.kind()),
        (Some(2), Some("7"), "5")
    );
    assert!(!c.expects_user_input());
    // Both spellings at once: a duplicate field, so no body.
    assert!(read(json!([{"code":"token_required","session":"s",
        "token_generation_data":{"expect_user_input":0,"expects_user_input":1}}]))
    .is_none());
    assert!(read(json!([{"code":"x","retry_after":1,"retry_after_seconds":2}])).is_none());
    // A nested object of the wrong kind fails the answer.
    assert!(
        read(json!([{"code":"token_required","session":"s","token_generation_data":"qr"}]))
            .is_none()
    );
    // Scalars of the wrong kind are `None`; whole floats are formatted, fractions are not.
    let b =
        read(json!([{"code":true,"message":12.0,"request_id":-3,"field":1.5,"retry_after":"30"}]))
            .unwrap();
    let e = b.first().unwrap();
    assert_eq!(
        (
            e.code(),
            e.message(),
            e.request_id.as_deref(),
            e.field.as_deref(),
            e.retry_after
        ),
        ("true", "12", Some("-3"), None, Some(30))
    );
    let b = read(json!([{"code":"too_many_sessions","retry_after_seconds":120}])).unwrap();
    assert_eq!(b.first().unwrap().retry_after, Some(120));
    for v in [json!(42), json!(true)] {
        assert!(read(v).is_none());
    }
}

#[test]
fn odd_links_and_events() {
    let link = |v: Value| serde_json::from_value::<Link>(v).ok();
    assert_eq!(
        link(json!({"id":"x","fetch_resources":["A",1,null,{"b":2},"C"]}))
            .unwrap()
            .fetch_resources,
        ["A", "1", "C"]
    );
    assert!(link(json!({"id":"x","fetch_resources":{"a":1}}))
        .unwrap()
        .fetch_resources
        .is_empty());
    let ev = |v: Value| serde_json::from_value::<LinkEvents>(v).ok();
    let e = ev(json!({"link_id":"L","events":[],"results":[{"webhook_type":"OWNERS","data":{"total_owners":"3"}}]}))
        .unwrap();
    assert_eq!(e.events[0].total(), Some(3));
    assert!(ev(json!({"events":null,"results":null}))
        .unwrap()
        .events
        .is_empty());
    assert!(ev(json!({"events":"x"})).is_none());
    assert!(ev(json!({"events":[1]})).is_none());
    // `data: null` is the same as absent.
    let e = ev(json!([{"webhook_type":"LINK","data":null}])).unwrap();
    assert_eq!(e.events[0].data, WebhookData::default());
    // Nested structs come from objects only (serde_json alone would read an array by position).
    assert!(ev(json!([{"webhook_type":"LINK","data":[1]}])).is_none());
    assert!(ev(json!([["w", "OWNERS"]])).is_none());
    assert!(ev(json!({"events": [["w", "OWNERS"]]})).is_none());
    assert!(
        serde_json::from_value::<ErrorBody>(json!([{"code":"token_required","session":"s",
        "token_generation_data":["i","qr",null,true]}]))
        .is_err()
    );
    let e = ev(json!([{"webhook_type":"LINK","data":{"error_code":"login_error","status":"401"}}]))
        .unwrap();
    assert_eq!(e.events[0].data.status, Some(401));
}

#[test]
fn numbers_and_numeric_strings() {
    #[derive(serde::Deserialize)]
    struct N {
        #[serde(
            default,
            deserialize_with = "employment_link_core::belvo::lenient::Lenient::read"
        )]
        f: Option<f64>,
        #[serde(
            default,
            deserialize_with = "employment_link_core::belvo::lenient::Lenient::read"
        )]
        u: Option<u64>,
        #[serde(
            default,
            deserialize_with = "employment_link_core::belvo::lenient::Lenient::read"
        )]
        i: Option<i64>,
    }
    let read = |v: Value| -> (Option<f64>, Option<u64>, Option<i64>) {
        let n: N = serde_json::from_value(json!({"f": v, "u": v, "i": v})).unwrap();
        (n.f, n.u, n.i)
    };
    for (v, want) in [
        (json!("15370.2"), (Some(15370.2), Some(15370), Some(15370))),
        (json!("1e3"), (Some(1000.0), Some(1000), Some(1000))),
        (json!("12.0"), (Some(12.0), Some(12), Some(12))),
        (json!(" 42 "), (Some(42.0), Some(42), Some(42))),
        (json!("+7"), (Some(7.0), Some(7), Some(7))),
        (json!("-3"), (Some(-3.0), None, Some(-3))),
        (json!(-2.5), (Some(-2.5), None, Some(-3))),
        (json!(2.5), (Some(2.5), Some(3), Some(3))),
        (
            json!("18446744073709551615"),
            (Some(18446744073709551615.0), Some(u64::MAX), None),
        ),
        (
            json!(u64::MAX),
            (Some(18446744073709551615.0), Some(u64::MAX), None),
        ),
        (json!(1e300), (Some(1e300), None, None)),
        (json!("-0"), (Some(-0.0), Some(0), Some(0))),
    ] {
        assert_eq!(read(v.clone()), want, "{v}");
    }
    for bad in [
        "", "abc", "1.5e400", "1e", "--1", "1.2.3", ".", "e5", "0x10", "1 2", "inf", "NaN",
    ] {
        assert_eq!(read(json!(bad)), (None, None, None), "{bad}");
    }
    for odd in [json!(true), json!(null), json!([1]), json!({"a": 1})] {
        assert_eq!(read(odd.clone()), (None, None, None), "{odd}");
    }
}

/// The reading of one scalar where a string belongs, by the rules.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Value::Number(n) => {
            let f = n.as_f64().unwrap();
            (f.fract() == 0.0 && f.abs() < 9e15).then(|| (f as i64).to_string())
        }
        _ => None,
    }
}

/// The reading of one scalar where a count belongs, by the rules.
fn as_count(v: &Value) -> Option<u64> {
    let f = match v {
        Value::Number(n) if n.is_u64() => return n.as_u64(),
        Value::Number(n) if n.is_i64() => return None,
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => match s.trim().parse::<u64>() {
            Ok(n) => return Some(n),
            Err(_) => s.trim().parse::<f64>().ok()?,
        },
        _ => return None,
    };
    let r = f.round();
    (f.is_finite() && (0.0..1.8e19).contains(&r)).then_some(r as u64)
}

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-100_000i64..100_000, 0u32..3).prop_map(|(n, d)| json!(n as f64 / 10f64.powi(d as i32))),
        "-?[0-9]{1,6}(\\.[0-9]{1,3})?".prop_map(Value::String),
        prop_oneof![
            Just("true"),
            Just("FALSE"),
            Just(" 42 "),
            Just("1e3"),
            Just("x"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.into())),
        Just(json!([1, "a"])),
        Just(json!({"k": null})),
    ]
}

/// JSON built from the wire types' own keys and awkward values, to hit every lenient rule.
fn arb_wire() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id"),
        Just("institution"),
        Just("status"),
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
        Just("type"),
        Just("value"),
        Just("expects_user_input"),
        Just("retry_after"),
        Just("link_id"),
        Just("events"),
        Just("results"),
        Just("webhook_type"),
        Just("data"),
        Just("total_owners"),
        Just("count"),
        Just("next"),
        Just("other"),
    ];
    arb_scalar().prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// A scalar where a string belongs never fails the object; it reads by the rules.
    #[test]
    fn strings_read_by_the_rules(v in arb_scalar()) {
        let link: Link = serde_json::from_value(json!({"id": "x", "status": v, "institution": v})).unwrap();
        prop_assert_eq!(&link.status, &as_text(&v));
        prop_assert_eq!(&link.institution, &as_text(&v));
        let item: ErrorItem = serde_json::from_value(json!({"code": v})).unwrap();
        prop_assert_eq!(item.code, as_text(&v).unwrap_or_default());
    }

    /// A scalar where a count belongs never fails the object; it reads by the rules, and a
    /// number reads the same as its text.
    #[test]
    fn counts_read_by_the_rules(v in arb_scalar(), n in any::<u32>()) {
        let d: WebhookData = serde_json::from_value(json!({"total_owners": v, "status": v})).unwrap();
        prop_assert_eq!(d.total_owners, as_count(&v));
        prop_assert_eq!(d.status, as_count(&v));
        let e: ErrorBody = serde_json::from_value(json!([{"expiry": n}, {"expiry": n.to_string()}])).unwrap();
        prop_assert_eq!(e.0[0].expiry, Some(u64::from(n)));
        prop_assert_eq!(e.0[1].expiry, Some(u64::from(n)));
    }

    /// Booleans: `true`/`false`, their text in any case, 0 and 1; anything else is absent.
    #[test]
    fn booleans_read_by_the_rules(v in arb_scalar()) {
        let t: TokenGenerationData = serde_json::from_value(json!({"expects_user_input": v})).unwrap();
        let want = match &v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            Value::Number(n) if n.as_u64() == Some(0) || n.as_i64() == Some(0) => Some(false),
            Value::Number(n) if n.as_u64() == Some(1) => Some(true),
            _ => None,
        };
        prop_assert_eq!(t.expects_user_input, want);
    }

    /// Any JSON built from the wire keys: reading never panics, and an object whose known
    /// struct-valued keys hold objects always reads as a link (scalars never fail it).
    #[test]
    fn wire_shapes_never_panic(v in arb_wire()) {
        let _ = serde_json::from_value::<ErrorBody>(v.clone());
        let _ = serde_json::from_value::<LinkEvents>(v.clone());
        let _ = serde_json::from_value::<Object<Page<Value>>>(v.clone());
        let link = serde_json::from_value::<Object<Link>>(v.clone());
        prop_assert_eq!(link.is_ok(), v.is_object());
    }
}
