//! The emulator core: auth, paths, shapes, MFA, pagination, webhooks, deterministic data.

use employment_link_core::belvo::wire::{
    Employment, EmploymentMetrics, EmploymentRecord, ErrorBody, Link, Owner, Page, WebhookEvent,
};
mod emulator_harness;

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{Emulator, EmulatorConfig, Reply, Request};
use emulator_harness::E;

const NOW: u64 = 1_768_478_400_000;
const SANDBOX_CURP: &str = "BLPM951331IONVGR54";
const CURP: &str = "PEXA850412HJCRRN09";
const CPF: &str = "15387204690";

impl E {
    fn new() -> E {
        E::with(99, NOW, None)
    }

    fn create(&mut self, body: &str) -> Reply {
        self.req("POST", "/api/links/", "", body)
    }

    /// Creates a link from `body` and returns its id.
    fn create_link(&mut self, body: &str) -> String {
        self.create(body).json_body()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn list(&mut self, path: &str, link: &str, page: u32) -> Reply {
        self.req("GET", path, &format!("link={link}&page={page}"), "")
    }
}

fn code(r: &Reply) -> String {
    r.json_body()[0]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn basic_auth_is_checked() {
    let mut e = E::new();
    for auth in [None, Some(""), Some("Basic Zm9vOmJhcg=="), Some("Bearer x")] {
        let r = e.emu.handle(
            &Request {
                method: "GET",
                path: "/api/owners/",
                query: "",
                authorization: auth,
                body: b"",
            },
            NOW,
        );
        assert_eq!(
            (r.status, code(&r).as_str()),
            (401, "authentication_failed")
        );
        assert_eq!(r.json_body()[0]["message"], "Invalid Secret Keys");
    }
    assert_eq!(e.emu.stats().requests, 4, "every request is counted");
}

#[test]
fn every_path_and_method_needs_the_keys() {
    // Belvo checks the keys before anything else: known, unknown and malformed requests alike
    // answer 401 without them, in Belvo's shape (code, message, a 32-hex request id, no field).
    let mut e = E::new();
    for (method, path, query) in [
        ("GET", "/api/", ""),
        (
            "GET",
            "/api/owners/",
            "link=74c01cb4-edf1-44d6-8876-b1dc2aebcb14",
        ),
        ("GET", "/api/employment-records/", ""),
        ("GET", "/api/br/employments/", ""),
        ("GET", "/api/employment-metrics/", ""),
        ("POST", "/api/links/", ""),
        ("PATCH", "/api/links/", ""),
        ("DELETE", "/api/links/", ""),
        ("GET", "/api/accounts/", ""),
        ("GET", "/nothing", ""),
    ] {
        for auth in [None, Some(basic_auth("emulator-secret-id", "nope"))] {
            let r = e.emu.handle(
                &Request {
                    method,
                    path,
                    query,
                    authorization: auth.as_deref(),
                    body: b"{}",
                },
                NOW,
            );
            assert_eq!(r.status, 401, "{method} {path}");
            let v = r.json_body();
            let item = v[0].as_object().unwrap();
            let mut keys: Vec<&str> = item.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["code", "message", "request_id"], "{v}");
            assert_eq!(item["code"], "authentication_failed");
            assert_eq!(item["message"], "Invalid Secret Keys");
            let rid = item["request_id"].as_str().unwrap();
            assert!(rid.len() == 32 && rid.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
    assert_eq!(e.emu.stats().links_created, 0);
}

#[test]
fn api_root_is_the_sdk_login_check() {
    // The official SDKs "log in" with `GET /api/` and treat any 2xx as good keys.
    let mut e = E::new();
    let r = e.req("GET", "/api/", "", "");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json_body()["links"],
        "http://127.0.0.1:8787/__emulator/belvo/api/links/"
    );
    let r = e.req("POST", "/api/", "", "{}");
    assert_eq!((r.status, code(&r).as_str()), (405, "method_not_allowed"));
    let r = e.emu.handle(
        &Request {
            method: "GET",
            path: "/api/",
            query: "",
            authorization: Some("Basic ZW11bGF0b3Itc2VjcmV0LWlkOg=="),
            body: b"",
        },
        NOW,
    );
    assert_eq!(
        (r.status, code(&r).as_str()),
        (401, "authentication_failed")
    );
}

#[test]
fn unknown_paths_and_methods() {
    let mut e = E::new();
    let r = e.req("GET", "/api/accounts/", "", "");
    assert_eq!((r.status, code(&r).as_str()), (404, "not_found"));
    let r = e.req("DELETE", "/api/links/", "", "");
    assert_eq!((r.status, code(&r).as_str()), (405, "method_not_allowed"));
    let r = e.req("PUT", "/api/owners/", "", "{}");
    assert_eq!(r.status, 405);
    let stats: serde_json::Value = serde_json::from_slice(&e.emu.stats_json()).unwrap();
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["by_route"]["other"], 3);
}

#[test]
fn belvo_style_validation() {
    let mut e = E::new();
    let cases = [
        ("nope", 400, "parse_error"),
        ("[]", 400, "invalid"),
        ("{}", 400, "required"),
        (
            r#"{"institution":"narnia_mx_retail","username":"x"}"#,
            400,
            "does_not_exist",
        ),
        (r#"{"institution":"imss_mx_employment"}"#, 400, "required"),
        (
            r#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN08"}"#,
            400,
            "login_error",
        ),
        (
            r#"{"institution":"imss_mx_employment","username":"PEXA8504"}"#,
            400,
            "login_error",
        ),
        (
            r#"{"institution":"inss_br_employment","username":"15387204690"}"#,
            400,
            "required",
        ),
        (
            r#"{"institution":"inss_br_employment","username":"15387204691","password":"x"}"#,
            400,
            "login_error",
        ),
        (
            r#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN09","fetch_resources":"OWNERS"}"#,
            400,
            "not_a_list",
        ),
        (
            r#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN09","fetch_resources":["ACCOUNTS"]}"#,
            400,
            "invalid",
        ),
        (
            r#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN09","access_mode":"recurrent","credentials_storage":"30d"}"#,
            400,
            "invalid_credentials_storage",
        ),
    ];
    for (body, status, c) in cases {
        let r = e.create(body);
        assert_eq!((r.status, code(&r).as_str()), (status, c), "{body}");
    }
    let r = e.create(r#"{"institution":"imss_mx_employment","username":"PEXA8504"}"#);
    assert_eq!(
        r.json_body()[0]["message"],
        "Por favor, ingresa un CURP válido. Debe contener 18 caracteres"
    );
    let r = e.create(r#"{"institution":"imss_mx_employment","username":"PEXA850412HJCRRN08"}"#);
    assert_eq!(r.json_body()[0]["message"], "CURP es incorrecto");
    assert_eq!(e.emu.stats().links_created, 0);
}

#[test]
fn mx_link_webhooks_and_data() {
    let mut e = E::new();
    let r = e.create(&format!(
        r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}","fetch_resources":["EMPLOYMENT_RECORDS","OWNERS","EMPLOYMENT_METRICS"],"access_mode":"single","external_id":"COHORT_32_User_6790023X5"}}"#
    ));
    assert_eq!(r.status, 201);
    let raw = r.json_body();
    for key in [
        "id",
        "institution",
        "access_mode",
        "status",
        "refresh_rate",
        "created_by",
        "last_accessed_at",
        "created_at",
        "external_id",
        "institution_user_id",
        "credentials_storage",
        "stale_in",
        "fetch_resources",
    ] {
        assert!(raw.get(key).is_some(), "link object lacks {key}");
    }
    let link: Link = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(link.status.as_deref(), Some("valid"));
    assert_eq!(link.access_mode.as_deref(), Some("single"));
    assert_eq!(link.refresh_rate, None);
    assert_eq!(link.credentials_storage.as_deref(), Some("365d"));
    assert_eq!(
        link.external_id.as_deref(),
        Some("COHORT_32_User_6790023X5")
    );
    assert_eq!(link.institution_user_id.as_deref().map(str::len), Some(44));
    assert_eq!(link.id.len(), 36);
    assert_eq!(
        link.created_at.as_deref(),
        Some("2026-01-15T12:00:00.000000Z")
    );
    // One historical_update webhook per resource, 1 s later.
    assert_eq!(r.webhooks.len(), 3);
    let events: Vec<WebhookEvent> = r
        .webhooks
        .iter()
        .map(|w| serde_json::from_slice(&w.body).unwrap())
        .collect();
    for (i, (w, ev)) in r.webhooks.iter().zip(&events).enumerate() {
        assert_eq!(w.delay_ms, 1_000 + 50 * i as u64, "1 s, staggered by 50 ms");
        assert_eq!(ev.webhook_code, "historical_update");
        assert_eq!(ev.process_type.as_deref(), Some("historical_update"));
        assert_eq!(ev.link_id, link.id);
        assert_eq!(ev.webhook_id.len(), 32);
        assert_eq!(ev.external_id.as_deref(), Some("COHORT_32_User_6790023X5"));
        assert_eq!(ev.total(), Some(1));
    }
    let types: Vec<&str> = events.iter().map(|e| e.webhook_type.as_str()).collect();
    assert_eq!(
        types,
        ["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"]
    );
    // Before the webhooks: empty pages. After: the data.
    let r = e.list("/api/employment-records/", &link.id, 1);
    let page: Page<EmploymentRecord> = serde_json::from_slice(&r.body).unwrap();
    assert_eq!((r.status, page.count), (200, 0));
    e.now += 1_000;
    let r = e.list("/api/employment-records/", &link.id, 1);
    let page: Page<EmploymentRecord> = serde_json::from_slice(&r.body).unwrap();
    assert_eq!((page.count, page.next, page.previous), (1, None, None));
    let rec = &page.results[0];
    assert_eq!(rec.internal_identification.as_deref(), Some(SANDBOX_CURP));
    assert_eq!(rec.link.as_deref(), Some(link.id.as_str()));
    assert!(
        (3..=6).contains(&rec.employment_records.len()),
        "several employers"
    );
    assert!(rec
        .employment_records
        .iter()
        .all(|j| !j.employment_status_updates.is_empty()));
    assert!(rec.employment_records.iter().any(|j| j
        .employment_status_updates
        .iter()
        .any(|u| u.event.as_deref() == Some("SALARY_MODIFICATION"))));
    let weeks: i64 = rec
        .employment_records
        .iter()
        .filter_map(|j| j.weeks_employed)
        .sum();
    assert_eq!(
        rec.social_security_summary
            .as_ref()
            .and_then(|s| s.weeks_contributed),
        Some(weeks)
    );
    assert_eq!(rec.files[0].value, None, "files are null in sandbox");
    let docs = &rec.personal_data.as_ref().unwrap().document_ids;
    assert!(docs
        .iter()
        .any(|d| d.document_type.as_deref() == Some("NSS")
            && d.document_number.as_deref().map(str::len) == Some(11)));
    // Chronology: every job starts before it ends.
    for j in &rec.employment_records {
        if let (Some(s), Some(end)) = (&j.start_date, &j.end_date) {
            assert!(s < end, "{s} < {end}");
        }
    }
    let owners: Page<Owner> =
        serde_json::from_slice(&e.list("/api/owners/", &link.id, 1).body).unwrap();
    assert_eq!(owners.count, 1);
    assert_eq!(
        owners.results[0]
            .document_id
            .as_ref()
            .and_then(|d| d.document_type.as_deref()),
        Some("CURP")
    );
    let metrics: Page<EmploymentMetrics> =
        serde_json::from_slice(&e.list("/api/employment-metrics/", &link.id, 1).body).unwrap();
    assert_eq!(metrics.count, 1);
    assert_eq!(
        metrics.results[0].employer_count,
        Some(rec.employment_records.len() as i64)
    );
    // BR employments for an MX link: an empty page.
    let br: Page<Employment> =
        serde_json::from_slice(&e.list("/api/br/employments/", &link.id, 1).body).unwrap();
    assert_eq!(br.count, 0);
    // Unknown link: empty page; no link filter: every link's; page past the end: 404.
    let r = e.list("/api/owners/", "74c01cb4-edf1-44d6-8876-b1dc2aebcb14", 1);
    assert_eq!((r.status, r.json_body()["count"].as_u64()), (200, Some(0)));
    let r = e.req("GET", "/api/owners/", "", "");
    assert_eq!((r.status, r.json_body()["count"].as_u64()), (200, Some(1)));
    let r = e.list("/api/owners/", &link.id, 2);
    assert_eq!(
        (r.status, r.json_body()[0]["message"].as_str()),
        (404, Some("Invalid page."))
    );
}

#[test]
fn data_is_deterministic_per_identifier() {
    let strip = |mut v: serde_json::Value| {
        for r in v["results"].as_array_mut().unwrap() {
            for k in ["id", "link", "created_at", "collected_at", "report_date"] {
                r[k] = serde_json::Value::Null;
            }
            for j in r["employment_records"].as_array_mut().unwrap() {
                j["collected_at"] = serde_json::Value::Null;
            }
        }
        v
    };
    let mut a = E::new();
    let mut b = Emulator::new(EmulatorConfig {
        seed: 12345,
        ..EmulatorConfig::default()
    });
    let la = a.create_link(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{CURP}"}}"#
    ));
    let auth = a.auth.clone();
    let rb = b.handle(
        &Request {
            method: "POST",
            path: "/api/links/",
            query: "",
            authorization: Some(&auth),
            body: format!(r#"{{"institution":"imss_mx_employment","username":"{CURP}"}}"#)
                .as_bytes(),
        },
        NOW + 5_000_000,
    );
    let lb = rb.json_body()["id"].as_str().unwrap().to_owned();
    assert_ne!(la, lb);
    a.now += 10_000;
    let pa = strip(a.list("/api/employment-records/", &la, 1).json_body());
    let q = format!("link={lb}");
    let pb = strip(
        b.handle(
            &Request {
                method: "GET",
                path: "/api/employment-records/",
                query: &q,
                authorization: Some(&auth),
                body: b"",
            },
            NOW + 6_000_000,
        )
        .json_body(),
    );
    assert_eq!(pa, pb, "same identifier, same history");
    assert_eq!(
        pa["results"][0]["personal_data"]["birth_date"], "1985-04-12",
        "birth date from the CURP"
    );
    // A different identifier gives a different history.
    let lc =
        a.create_link(r#"{"institution":"imss_mx_employment","username":"EXMU900120HDFRRN08"}"#);
    a.now += 10_000;
    let pc = strip(a.list("/api/employment-records/", &lc, 1).json_body());
    assert_ne!(
        pa["results"][0]["employment_records"],
        pc["results"][0]["employment_records"]
    );
}

#[test]
fn many_records_is_one_profile_with_many_employments() {
    // Belvo returns one employment-record profile per link, with every employment inside.
    let mut e = E::new();
    let r = e.create(r#"{"institution":"imss_mx_employment","username":"EXMU900119HDFRRN07"}"#);
    let id = r.json_body()["id"].as_str().unwrap().to_owned();
    let totals: Vec<Option<u64>> = r
        .webhooks
        .iter()
        .map(|w| {
            serde_json::from_slice::<WebhookEvent>(&w.body)
                .unwrap()
                .total()
        })
        .collect();
    assert_eq!(totals, [Some(1), Some(1)], "one profile, one owner");
    e.now += 1_000;
    let r = e.list("/api/employment-records/", &id, 1);
    assert_eq!(r.status, 200);
    let p: Page<EmploymentRecord> = serde_json::from_slice(&r.body).unwrap();
    assert_eq!((p.count, p.next, p.previous), (1, None, None));
    let rec = &p.results[0];
    assert_eq!(rec.employment_records.len(), 26);
    assert!(rec.employment_records.len() >= 25);
    // Newest first, every one a distinct employment.
    let starts: Vec<&str> = rec
        .employment_records
        .iter()
        .map(|j| j.start_date.as_deref().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] > w[1]), "{starts:?}");
    let weeks: i64 = rec
        .employment_records
        .iter()
        .filter_map(|j| j.weeks_employed)
        .sum();
    assert_eq!(
        rec.social_security_summary
            .as_ref()
            .and_then(|s| s.weeks_contributed),
        Some(weeks)
    );
    assert_eq!(e.list("/api/employment-records/", &id, 2).status, 404);
    let metrics: Page<EmploymentMetrics> =
        serde_json::from_slice(&e.list("/api/employment-metrics/", &id, 1).body).unwrap();
    assert_eq!(metrics.results[0].employer_count, Some(26));
}

fn inss(e: &mut E, cpf: &str) -> Reply {
    e.create(&format!(r#"{{"institution":"inss_br_employment","username":"{cpf}","password":"senha","access_mode":"single","fetch_resources":["EMPLOYMENTS","OWNERS"]}}"#))
}

fn patch(e: &mut E, link: &str, session: &str, token: &str) -> Reply {
    e.req(
        "PATCH",
        "/api/links/",
        "",
        &format!(r#"{{"link":"{link}","session":"{session}","token":"{token}"}}"#),
    )
}

#[test]
fn inss_mfa_flow() {
    let mut e = E::new();
    let r = inss(&mut e, CPF);
    assert_eq!(r.status, 428);
    assert!(r.webhooks.is_empty());
    let ch = ErrorBody::deserialize_slice(&r.body).challenge().unwrap();
    // The seed's challenge (emulator_data.rs compares the whole body).
    assert_eq!(r.json_body()[0]["expiry"], "120");
    assert_eq!(ch.expiry, Some(120));
    assert_eq!(ch.kind(), "inputless");
    assert!(ch.expects_user_input());
    assert_eq!(ch.token_generation_data.as_ref().unwrap().value, None);
    assert_eq!(ch.session.len(), 32);
    let link = ch.link.clone().unwrap();
    // No data while the link waits for its token.
    e.now += 5_000;
    assert_eq!(
        e.list("/api/br/employments/", &link, 1).json_body()["count"],
        0
    );
    // 999999: a new 428 with a new session; the old session is gone.
    let again = patch(&mut e, &link, &ch.session, "999999");
    assert_eq!(again.status, 428);
    let ch2 = ErrorBody::deserialize_slice(&again.body)
        .challenge()
        .unwrap();
    assert_ne!(ch2.session, ch.session);
    assert_eq!(ch2.link.as_deref(), Some(link.as_str()));
    let stale = patch(&mut e, &link, &ch.session, "111111");
    assert_eq!(
        (stale.status, code(&stale).as_str()),
        (400, "session_expired")
    );
    // Any other wrong token also asks again.
    let again = patch(&mut e, &link, &ch2.session, "123456");
    assert_eq!(again.status, 428);
    let ch3 = ErrorBody::deserialize_slice(&again.body)
        .challenge()
        .unwrap();
    // 111111 links (200, status valid) and schedules the webhooks.
    let ok = patch(&mut e, &link, &ch3.session, "111111");
    assert_eq!(ok.status, 200);
    let l: Link = serde_json::from_slice(&ok.body).unwrap();
    assert_eq!(
        (l.id.as_str(), l.status.as_deref()),
        (link.as_str(), Some("valid"))
    );
    let kinds: Vec<String> = ok
        .webhooks
        .iter()
        .map(|w| {
            serde_json::from_slice::<WebhookEvent>(&w.body)
                .unwrap()
                .webhook_type
        })
        .collect();
    assert_eq!(kinds, ["EMPLOYMENTS", "OWNERS"]);
    // The session is single-use.
    assert_eq!(patch(&mut e, &link, &ch3.session, "111111").status, 400);
    e.now += 1_000;
    let p: Page<Employment> =
        serde_json::from_slice(&e.list("/api/br/employments/", &link, 1).body).unwrap();
    assert!((3..=6).contains(&p.results.len()));
    let total = serde_json::from_slice::<WebhookEvent>(&ok.webhooks[0].body)
        .unwrap()
        .total();
    assert_eq!(total, Some(p.count));
    for emp in &p.results {
        assert!(!emp.salaries.is_empty());
        assert!(emp
            .salaries
            .iter()
            .all(|s| s.currency.as_deref() == Some("BRL")
                && s.month.as_deref().map(str::len) == Some(7)));
        let code = emp
            .employer_data
            .as_ref()
            .and_then(|d| d.code.clone())
            .unwrap();
        assert_eq!(code.len(), 14, "CNPJ");
    }
    let owners: Page<Owner> =
        serde_json::from_slice(&e.list("/api/owners/", &link, 1).body).unwrap();
    assert_eq!(
        owners.results[0]
            .document_id
            .as_ref()
            .and_then(|d| d.document_number.as_deref()),
        Some(CPF)
    );
    // MX-only endpoints are empty for a BR link.
    assert_eq!(
        e.list("/api/employment-records/", &link, 1).json_body()["count"],
        0
    );
    assert_eq!(
        e.list("/api/employment-metrics/", &link, 1).json_body()["count"],
        0
    );
}

#[test]
fn expired_sessions() {
    let mut e = E::new();
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, CPF).body)
        .challenge()
        .unwrap();
    let link = ch.link.unwrap();
    e.now += 120_000;
    assert_eq!(
        patch(&mut e, &link, &ch.session, "999999").status,
        428,
        "still valid at exactly 120 s"
    );
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, CPF).body)
        .challenge()
        .unwrap();
    e.now += 120_001;
    let r = patch(&mut e, ch.link.as_deref().unwrap(), &ch.session, "111111");
    assert_eq!((r.status, code(&r).as_str()), (400, "session_expired"));
    assert_eq!(r.json_body()[0]["message"], "The session you are trying to resume has expired, please start again from register/retrieve endpoint");
    // The clock can be advanced instead of waiting (GET/POST /__emulator/clock).
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, CPF).body)
        .challenge()
        .unwrap();
    e.emu.advance_clock(121);
    assert_eq!(
        patch(&mut e, ch.link.as_deref().unwrap(), &ch.session, "111111").status,
        400
    );
    // The short-session scenario says expiry 1 and means it.
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, "10000002062").body)
        .challenge()
        .unwrap();
    assert_eq!(ch.expiry, Some(1));
    e.now += 1_001;
    assert_eq!(
        code(&patch(
            &mut e,
            ch.link.as_deref().unwrap(),
            &ch.session,
            "111111"
        )),
        "session_expired"
    );
    // A session of another link, or an unknown one.
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, CPF).body)
        .challenge()
        .unwrap();
    assert_eq!(
        patch(
            &mut e,
            "74c01cb4-edf1-44d6-8876-b1dc2aebcb14",
            &ch.session,
            "111111"
        )
        .status,
        400
    );
    assert_eq!(
        patch(&mut e, ch.link.as_deref().unwrap(), "0000", "111111").status,
        400
    );
}

#[test]
fn many_br_employments() {
    let mut e = E::new();
    let ch = ErrorBody::deserialize_slice(&inss(&mut e, "10000001929").body)
        .challenge()
        .unwrap();
    let link = ch.link.unwrap();
    let ok = patch(&mut e, &link, &ch.session, "111111");
    assert_eq!(
        serde_json::from_slice::<WebhookEvent>(&ok.webhooks[0].body)
            .unwrap()
            .total(),
        Some(27)
    );
    e.now += 1_000;
    let counts: Vec<usize> = (1..=3)
        .map(|p| {
            e.list("/api/br/employments/", &link, p).json_body()["results"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(counts, [10, 10, 7]);
}

#[test]
fn issste_shape() {
    let mut e = E::new();
    let id = e.create_link(&format!(
        r#"{{"institution":"issste_mx_employment","username":"{CURP}"}}"#
    ));
    e.now += 1_000;
    let p: Page<EmploymentRecord> =
        serde_json::from_slice(&e.list("/api/employment-records/", &id, 1).body).unwrap();
    let rec = &p.results[0];
    assert!(rec.social_security_summary.is_none());
    assert!(rec
        .employment_records
        .iter()
        .all(|j| j.employer_id.is_none() && j.state.is_none()));
    assert!(rec
        .employment_records
        .iter()
        .all(|j| j.employer.as_deref().is_some_and(|n| n.contains(';'))));
    assert_eq!(
        e.list("/api/employment-metrics/", &id, 1).json_body()["count"],
        0,
        "metrics are IMSS only"
    );
}

#[test]
fn reset_and_stats() {
    let mut e = E::new();
    let _ = e.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{CURP}"}}"#
    ));
    let v: serde_json::Value = serde_json::from_slice(&e.emu.stats_json()).unwrap();
    assert_eq!(
        (
            v["requests"].as_u64(),
            v["links"].as_u64(),
            v["links_created"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(v["by_route"]["POST /api/links/"], 1);
    assert_eq!(v["webhooks_scheduled"], 2);
    e.emu.note_webhook_delivery(true);
    e.emu.note_webhook_delivery(false);
    assert_eq!(
        (
            e.emu.stats().webhooks_delivered,
            e.emu.stats().webhooks_failed
        ),
        (1, 1)
    );
    e.emu.reset();
    let v: serde_json::Value = serde_json::from_slice(&e.emu.stats_json()).unwrap();
    assert_eq!(
        (v["requests"].as_u64(), v["links"].as_u64()),
        (Some(0), Some(0))
    );
}

trait Slice {
    fn deserialize_slice(b: &[u8]) -> ErrorBody;
}

impl Slice for ErrorBody {
    fn deserialize_slice(b: &[u8]) -> ErrorBody {
        serde_json::from_slice(b).unwrap()
    }
}

#[test]
fn reset_never_repeats_ids() {
    // Link ids (and request/session ids) after POST /__emulator/reset must differ from those
    // handed out before it: the proxy may still hold events and capabilities for the old ones.
    let mut e = E::new();
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..3 {
        for body in [
            format!(r#"{{"institution":"imss_mx_employment","username":"{CURP}"}}"#),
            format!(r#"{{"institution":"planet_mx_employment","username":"{SANDBOX_CURP}"}}"#),
        ] {
            let r = e.create(&body);
            assert_eq!(r.status, 201);
            let id = r.json_body()["id"].as_str().unwrap().to_owned();
            assert!(
                seen.insert(id.clone()),
                "link id {id} repeated in round {round}"
            );
            let rid = e.req("GET", "/api/nope/", "", "").json_body()[0]["request_id"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(seen.insert(rid), "request id repeated in round {round}");
        }
        let r = inss(&mut e, CPF);
        assert_eq!(r.status, 428);
        let session = r.json_body()[0]["session"].as_str().unwrap().to_owned();
        assert!(
            seen.insert(session),
            "MFA session repeated in round {round}"
        );
        e.emu.reset();
        assert_eq!(e.emu.stats().links_created, 0, "reset forgets");
    }
}
