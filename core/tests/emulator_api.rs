//! The emulator as Belvo's REST API for the SDKs: routing, DRF pagination and `next` on the
//! caller's origin, the links list / detail / modification / deletion, data lists without
//! `link`, the retrieve form, institutions — each with Basic auth.

mod emulator_harness;

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{self, Reply, Request};
use emulator_harness::E;
use serde_json::{json, Value};

const NOW: u64 = 1_768_478_400_000;
const BASE: &str = "https://w.example/__emulator/belvo";
const CURP: &str = "PEXA850412HJCRRN09";
const CURP2: &str = "TOMA880125HMNRRN02";
const CPF: &str = "15387204690";
const UNKNOWN: &str = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";

impl E {
    fn new() -> E {
        E::with(7, NOW, Some(BASE))
    }

    fn get(&mut self, path_and_query: &str) -> Reply {
        let (p, q) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        self.req("GET", p, q, "")
    }

    /// Follows an absolute page URL: it must be on [`BASE`].
    fn follow(&mut self, url: &str) -> Reply {
        let rest = url
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{url} is not on {BASE}"));
        self.get(rest)
    }

    fn create(&mut self, body: Value) -> Reply {
        self.req("POST", "/api/links/", "", &body.to_string())
    }

    fn mx(&mut self, institution: &str, curp: &str, extra: Value) -> String {
        let mut body = json!({"institution": institution, "username": curp});
        if let (Some(b), Value::Object(x)) = (body.as_object_mut(), extra) {
            b.extend(x);
        }
        let r = self.create(body);
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        r.json_body()["id"].as_str().unwrap().to_owned()
    }

    /// A BR link completed with the good token; returns its id.
    fn br(&mut self, cpf: &str) -> String {
        let r = self
            .create(json!({"institution": "inss_br_employment", "username": cpf, "password": "x"}));
        assert_eq!(r.status, 428);
        let v = r.json_body();
        let (link, session) = (
            v[0]["link"].as_str().unwrap().to_owned(),
            v[0]["session"].as_str().unwrap().to_owned(),
        );
        let body = json!({"link": link, "session": session, "token": "111111"}).to_string();
        assert_eq!(self.req("PATCH", "/api/links/", "", &body).status, 200);
        link
    }

    /// Past the webhook delay: the data lists serve what was fetched.
    fn later(&mut self) {
        self.now += 5_000;
    }
}

fn code(r: &Reply) -> String {
    r.json_body()[0]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn count(r: &Reply) -> u64 {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json_body()["count"].as_u64().unwrap()
}

fn ids(r: &Reply) -> Vec<String> {
    r.json_body()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_new_route_needs_the_keys_and_changes_nothing_without_them() {
    let mut e = E::new();
    let id = e.mx("imss_mx_employment", CURP, json!({}));
    let link_path = format!("/api/links/{id}/");
    let body = format!(r#"{{"link":"{id}"}}"#);
    for (method, path, body) in [
        ("GET", "/api/links/", ""),
        ("GET", link_path.as_str(), ""),
        (
            "PATCH",
            link_path.as_str(),
            r#"{"access_mode":"recurrent"}"#,
        ),
        ("DELETE", link_path.as_str(), ""),
        ("PUT", link_path.as_str(), "{}"),
        ("POST", "/api/employment-records/", body.as_str()),
        ("POST", "/api/owners/", body.as_str()),
        ("POST", "/api/employment-metrics/", body.as_str()),
        ("POST", "/api/br/employments/", body.as_str()),
        ("GET", "/api/institutions/", ""),
        ("GET", "/api/institutions/1/", ""),
    ] {
        for auth in [None, Some(basic_auth("emulator-secret-id", "wrong"))] {
            let r = e.emu.handle_at(
                &Request {
                    method,
                    path,
                    query: "",
                    authorization: auth.as_deref(),
                    body: body.as_bytes(),
                },
                BASE,
                NOW,
            );
            assert_eq!(r.status, 401, "{method} {path}");
            assert_eq!(
                r.json_body(),
                json!([{"code": "authentication_failed", "message": "Invalid Secret Keys",
                        "request_id": r.json_body()[0]["request_id"]}])
            );
        }
    }
    // Still there, unchanged.
    let l = e.get(&link_path).json_body();
    assert_eq!(
        (l["access_mode"].as_str(), l["status"].as_str()),
        (Some("recurrent"), Some("valid"))
    );
}

#[test]
fn routes_and_methods() {
    let mut e = E::new();
    let id = e.mx("imss_mx_employment", CURP, json!({}));
    let cases = [
        ("PUT", format!("/api/links/{id}/"), 405),
        ("POST", format!("/api/links/{id}/"), 405),
        ("DELETE", "/api/links/".to_owned(), 405),
        ("DELETE", "/api/owners/".to_owned(), 405),
        ("POST", "/api/institutions/".to_owned(), 405),
        ("GET", format!("/api/links/{id}"), 404),
        ("GET", format!("/api/links/{id}/x/"), 404),
        ("GET", "/api/links//".to_owned(), 404),
        ("GET", "/api/accounts/".to_owned(), 404),
        ("GET", "/api/institutions/99/".to_owned(), 404),
        (
            "GET",
            "/api/institutions/imss_mx_employment/".to_owned(),
            404,
        ),
    ];
    for (m, p, want) in cases {
        let r = e.req(m, &p, "", "{}");
        assert_eq!(r.status, want, "{m} {p}");
        let c = if want == 405 {
            "method_not_allowed"
        } else {
            "not_found"
        };
        assert_eq!(code(&r), c, "{m} {p}");
    }
    let r = e.req("PUT", &format!("/api/links/{id}/"), "", "{}");
    assert_eq!(r.json_body()[0]["message"], "Method \"PUT\" not allowed.");
}

#[test]
fn page_links_are_on_the_callers_base_url() {
    let mut e = E::new();
    for _ in 0..3 {
        e.mx("planet_mx_employment", "BLPM951331IONVGR54", json!({}));
    }
    // A trailing slash on the base is not doubled; the root lists the API on it too.
    let a = e.auth.clone();
    let req = Request {
        method: "GET",
        path: "/api/links/",
        query: "page_size=1&page=2",
        authorization: Some(&a),
        body: b"",
    };
    let r = e
        .emu
        .handle_at(&req, "http://127.0.0.1:38999/__emulator/belvo/", NOW);
    let v = r.json_body();
    assert_eq!(
        v["next"],
        "http://127.0.0.1:38999/__emulator/belvo/api/links/?page=3&page_size=1"
    );
    assert_eq!(
        v["previous"],
        "http://127.0.0.1:38999/__emulator/belvo/api/links/?page_size=1"
    );
    let root = e.get("/api/").json_body();
    assert_eq!(root["links"], format!("{BASE}/api/links/"));
    assert_eq!(root["institutions"], format!("{BASE}/api/institutions/"));
    assert!(!root.to_string().contains("belvo.com"));
    // Without a base, the configured one (never Belvo's host).
    let r = e.emu.handle(&req, NOW).json_body();
    assert_eq!(
        r["next"],
        "http://127.0.0.1:8787/__emulator/belvo/api/links/?page=3&page_size=1"
    );
}

#[test]
fn drf_pagination_rules() {
    let mut e = E::new();
    for _ in 0..23 {
        e.mx("planet_mx_employment", "BLPM951331IONVGR54", json!({}));
    }
    // Default: 10 per page (the sandbox's), next keeps the query sorted, previous of page 2
    // has no page.
    let p1 = e.get("/api/links/?institution=planet_mx_employment");
    let v = p1.json_body();
    assert_eq!(
        (v["count"].as_u64(), v["results"].as_array().unwrap().len()),
        (Some(23), 10)
    );
    assert_eq!(v["previous"], Value::Null);
    assert_eq!(
        v["next"],
        format!("{BASE}/api/links/?institution=planet_mx_employment&page=2")
    );
    let p2 = e.follow(v["next"].as_str().unwrap()).json_body();
    assert_eq!(
        p2["previous"],
        format!("{BASE}/api/links/?institution=planet_mx_employment")
    );
    let p3 = e.follow(p2["next"].as_str().unwrap()).json_body();
    assert_eq!(
        (p3["results"].as_array().unwrap().len(), &p3["next"]),
        (3, &Value::Null)
    );
    assert_eq!(
        p3["previous"],
        format!("{BASE}/api/links/?institution=planet_mx_employment&page=2")
    );
    // page_size is honoured and kept in the links.
    let r = e.get("/api/links/?page_size=7&page=2").json_body();
    assert_eq!(r["results"].as_array().unwrap().len(), 7);
    assert_eq!(r["next"], format!("{BASE}/api/links/?page=3&page_size=7"));
    // Not a positive whole number: the default size (DRF); `last`: the last page.
    for bad in ["0", "-5", "abc", "", "1.5"] {
        let r = e.get(&format!("/api/links/?page_size={bad}")).json_body();
        assert_eq!(
            r["results"].as_array().unwrap().len(),
            10,
            "page_size={bad}"
        );
    }
    let r = e.get("/api/links/?page=last&page_size=10").json_body();
    assert_eq!(r["results"].as_array().unwrap().len(), 3);
    // Pages that are no page: 404 "Invalid page.".
    for bad in ["0", "-1", "x", "4", "1.0", ""] {
        let r = e.get(&format!("/api/links/?page={bad}"));
        assert_eq!(
            (r.status, r.json_body()[0]["message"].as_str()),
            (404, Some("Invalid page.")),
            "page={bad}"
        );
    }
    // Encoded values are decoded and re-encoded as DRF does (quote_plus).
    let r = e
        .get("/api/links/?external_id=a%20b&page_size=1")
        .json_body();
    assert_eq!(r["count"], 0);
    let r = e.get("/api/links/?z=%C3%A9+x&page_size=1").json_body();
    assert_eq!(
        r["next"],
        format!("{BASE}/api/links/?page=2&page_size=1&z=%C3%A9+x")
    );
}

#[test]
fn page_size_above_1000_is_clamped() {
    let mut e = E::new();
    for _ in 0..1001 {
        e.mx("planet_mx_employment", "BLPM951331IONVGR54", json!({}));
    }
    let v = e.get("/api/links/?page_size=5000").json_body();
    assert_eq!(
        (v["count"].as_u64(), v["results"].as_array().unwrap().len()),
        (Some(1001), 1000)
    );
    assert_eq!(
        v["next"],
        format!("{BASE}/api/links/?page=2&page_size=5000")
    );
    let v = e.follow(v["next"].as_str().unwrap()).json_body();
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    let v = e.get("/api/links/?page_size=1000").json_body();
    assert_eq!(v["results"].as_array().unwrap().len(), 1000);
}

#[test]
fn links_list_filters() {
    let mut e = E::new();
    let a = e.mx(
        "imss_mx_employment",
        CURP,
        json!({"external_id": "user-a", "access_mode": "single"}),
    );
    let b = e.mx(
        "issste_mx_employment",
        CURP2,
        json!({"external_id": "user-b"}),
    );
    let r =
        e.create(json!({"institution": "inss_br_employment", "username": CPF, "password": "x"}));
    let c = r.json_body()[0]["link"].as_str().unwrap().to_owned();
    // Oldest first, every link (the BR one waits for its token).
    assert_eq!(
        ids(&e.get("/api/links/")),
        [a.clone(), b.clone(), c.clone()]
    );
    let cases: [(&str, Vec<&String>); 11] = [
        ("institution=imss_mx_employment", vec![&a]),
        (
            "institution__in=imss_mx_employment,inss_br_employment",
            vec![&a, &c],
        ),
        ("external_id=user-b", vec![&b]),
        ("external_id__in=user-a,user-b", vec![&a, &b]),
        ("access_mode=single", vec![&a]),
        ("access_mode=recurrent", vec![&b, &c]),
        ("status=token_required", vec![&c]),
        ("status__in=valid", vec![&a, &b]),
        ("institution=", vec![&a, &b, &c]),
        ("institution=imss_mx_employment&external_id=user-b", vec![]),
        ("refresh_rate=7d", vec![&b, &c]),
    ];
    for (q, want) in cases {
        let got = ids(&e.get(&format!("/api/links/?{q}")));
        let want: Vec<String> = want.into_iter().cloned().collect();
        assert_eq!(got, want, "{q}");
    }
    let upper = a.to_ascii_uppercase();
    assert_eq!(ids(&e.get(&format!("/api/links/?id={upper}"))), [a]);
    assert_eq!(
        ids(&e.get(&format!("/api/links/?id__in={b},{UNKNOWN}"))),
        [b]
    );
}

#[test]
fn link_detail() {
    let mut e = E::new();
    let made = e.create(
        json!({"institution": "imss_mx_employment", "username": CURP, "external_id": "x-1"}),
    );
    let id = made.json_body()["id"].as_str().unwrap().to_owned();
    let r = e.get(&format!("/api/links/{id}/"));
    assert_eq!(r.status, 200);
    assert_eq!(r.json_body(), made.json_body());
    assert_eq!(r.json_body().as_object().unwrap().len(), 13);
    let r = e.get(&format!("/api/links/{}/", id.to_ascii_uppercase()));
    assert_eq!(r.json_body()["id"], id.as_str());
    for missing in [UNKNOWN, "not-a-uuid"] {
        let r = e.get(&format!("/api/links/{missing}/"));
        assert_eq!(r.status, 404);
        assert_eq!(
            r.json_body(),
            json!([{"code": "not_found", "message": "Not found.", "request_id": r.json_body()[0]["request_id"]}])
        );
    }
}

#[test]
fn delete_takes_the_links_data_sessions_and_pending_webhooks_with_it() {
    let mut e = E::new();
    let made = e.create(json!({"institution": "imss_mx_employment", "username": CURP}));
    let id = made.json_body()["id"].as_str().unwrap().to_owned();
    assert!(!made.webhooks.is_empty());
    assert!(made
        .webhooks
        .iter()
        .all(|w| w.link_id == id && e.emu.webhook_due(w)));
    let keep = e.mx("imss_mx_employment", CURP2, json!({}));
    e.later();
    assert_eq!(count(&e.get(&format!("/api/owners/?link={id}"))), 1);
    let r = e.req(
        "DELETE",
        &format!("/api/links/{}/", id.to_ascii_uppercase()),
        "",
        "",
    );
    assert_eq!(
        (r.status, r.body.is_empty(), r.content_type),
        (204, true, "")
    );
    assert!(made.webhooks.iter().all(|w| !e.emu.webhook_due(w)));
    assert_eq!(e.get(&format!("/api/links/{id}/")).status, 404);
    assert_eq!(count(&e.get(&format!("/api/owners/?link={id}"))), 0);
    assert_eq!(count(&e.get("/api/owners/")), 1);
    assert_eq!(ids(&e.get("/api/links/")), [keep]);
    let r = e.req("POST", "/api/owners/", "", &format!(r#"{{"link":"{id}"}}"#));
    assert_eq!((r.status, code(&r).as_str()), (400, "does_not_exist"));
    // Deleting again, or an unknown link: 404.
    let r = e.req("DELETE", &format!("/api/links/{id}/"), "", "");
    assert_eq!((r.status, code(&r).as_str()), (404, "not_found"));
    // A BR link deleted while waiting for its token: its MFA session goes with it.
    let r =
        e.create(json!({"institution": "inss_br_employment", "username": CPF, "password": "x"}));
    let v = r.json_body();
    let (link, session) = (
        v[0]["link"].as_str().unwrap(),
        v[0]["session"].as_str().unwrap(),
    );
    assert_eq!(
        e.req("DELETE", &format!("/api/links/{link}/"), "", "")
            .status,
        204
    );
    let body = json!({"link": link, "session": session, "token": "111111"}).to_string();
    let r = e.req("PATCH", "/api/links/", "", &body);
    assert_eq!((r.status, code(&r).as_str()), (400, "session_expired"));
    let stats: Value = serde_json::from_slice(&e.emu.stats_json()).unwrap();
    assert_eq!(
        (stats["links"].as_u64(), stats["sessions"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn patch_link_changes_access_mode_and_fetch_resources() {
    let mut e = E::new();
    let id = e.mx("imss_mx_employment", CURP, json!({"access_mode": "single"}));
    let path = format!("/api/links/{id}/");
    let before = e.get(&path).json_body();
    assert_eq!(
        (
            before["refresh_rate"].clone(),
            before["credentials_storage"].clone()
        ),
        (Value::Null, json!("365d"))
    );
    // Nothing asked: unchanged (the Python SDK sends access_mode null).
    for body in ["{}", r#"{"access_mode":null}"#] {
        let r = e.req("PATCH", &path, "", body);
        assert_eq!((r.status, r.json_body()), (200, before.clone()));
    }
    let r = e.req("PATCH", &path, "", r#"{"access_mode":"recurrent"}"#);
    assert_eq!(r.status, 200);
    let v = r.json_body();
    assert_eq!(
        (
            v["access_mode"].as_str(),
            v["refresh_rate"].as_str(),
            v["credentials_storage"].as_str()
        ),
        (Some("recurrent"), Some("7d"), Some("store"))
    );
    assert_eq!(e.get(&path).json_body(), v);
    let r = e.req(
        "PATCH",
        &path,
        "",
        r#"{"access_mode":"single","fetch_resources":["OWNERS","EMPLOYMENT_METRICS"]}"#,
    );
    let v = r.json_body();
    assert_eq!(
        (v["access_mode"].as_str(), &v["refresh_rate"]),
        (Some("single"), &Value::Null)
    );
    assert_eq!(
        v["fetch_resources"],
        json!(["OWNERS", "EMPLOYMENT_METRICS"])
    );
    // Belvo's validation.
    for (body, status, c) in [
        (r#"{"access_mode":"sometimes"}"#, 400, "invalid_choice"),
        (r#"{"fetch_resources":"OWNERS"}"#, 400, "not_a_list"),
        (r#"{"fetch_resources":["EMPLOYMENTS"]}"#, 400, "invalid"),
        ("[]", 400, "invalid"),
        ("nope", 400, "parse_error"),
    ] {
        let r = e.req("PATCH", &path, "", body);
        assert_eq!((r.status, code(&r).as_str()), (status, c), "{body}");
    }
    let r = e.req("PATCH", &format!("/api/links/{UNKNOWN}/"), "", "{}");
    assert_eq!((r.status, code(&r).as_str()), (404, "not_found"));
    // Credentials not stored: no switch to recurrent.
    let nostore = e.mx(
        "imss_mx_employment",
        CURP2,
        json!({"access_mode": "single", "credentials_storage": "nostore", "fetch_resources": ["OWNERS"]}),
    );
    let r = e.req(
        "PATCH",
        &format!("/api/links/{nostore}/"),
        "",
        r#"{"access_mode":"recurrent"}"#,
    );
    assert_eq!(
        (r.status, code(&r).as_str()),
        (400, "invalid_access_mode_switch")
    );
    // A link waiting for its MFA token.
    let r =
        e.create(json!({"institution": "inss_br_employment", "username": CPF, "password": "x"}));
    let br = r.json_body()[0]["link"].as_str().unwrap().to_owned();
    let r = e.req(
        "PATCH",
        &format!("/api/links/{br}/"),
        "",
        r#"{"access_mode":"single"}"#,
    );
    assert_eq!((r.status, code(&r).as_str()), (400, "unconfirmed_link"));
}

#[test]
fn data_lists_take_link_as_an_optional_filter() {
    let mut e = E::new();
    let a = e.mx("imss_mx_employment", CURP, json!({}));
    let b = e.mx("issste_mx_employment", CURP2, json!({}));
    let c = e.br(CPF);
    e.later();
    let links_of = |r: &Reply| -> Vec<String> {
        r.json_body()["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["link"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        links_of(&e.get("/api/owners/")),
        [a.clone(), b.clone(), c.clone()]
    );
    assert_eq!(
        links_of(&e.get("/api/employment-records/")),
        [a.clone(), b.clone()]
    );
    // ISSSTE has no metrics.
    assert_eq!(
        links_of(&e.get("/api/employment-metrics/")),
        std::slice::from_ref(&a)
    );
    let n = count(&e.get(&format!("/api/br/employments/?link={c}")));
    assert_eq!(count(&e.get("/api/br/employments/")), n);
    assert_eq!(
        links_of(&e.get(&format!("/api/owners/?link__in={a},{c}"))),
        [a.clone(), c]
    );
    assert_eq!(
        links_of(&e.get(&format!("/api/owners/?link={}", b.to_ascii_uppercase()))),
        [b]
    );
    assert_eq!(count(&e.get(&format!("/api/owners/?link={UNKNOWN}"))), 0);
    assert_eq!(count(&e.get("/api/owners/?link=not-a-uuid")), 0);
}

#[test]
fn data_pages_follow_page_size_across_links() {
    let mut e = E::new();
    // Three BR links; the many-employments one spans pages on its own.
    let many = e.br("10000001929");
    let x = e.br(CPF);
    let y = e.br("52998224725");
    e.later();
    let per_link: Vec<u64> = [&many, &x, &y]
        .iter()
        .map(|l| count(&e.get(&format!("/api/br/employments/?link={l}"))))
        .collect();
    let total: u64 = per_link.iter().sum();
    for size in [1usize, 4, 7, 10, 1000] {
        let mut url = format!("{BASE}/api/br/employments/?page_size={size}");
        let mut seen = Vec::new();
        loop {
            let v = e.follow(&url).json_body();
            assert_eq!(v["count"].as_u64(), Some(total));
            let page = v["results"].as_array().unwrap();
            assert!(page.len() <= size);
            seen.extend(page.iter().map(|x| {
                (
                    x["link"].as_str().unwrap().to_owned(),
                    x["id"].as_str().unwrap().to_owned(),
                )
            }));
            match v["next"].as_str() {
                Some(n) => url = n.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len() as u64, total, "page_size={size}");
        let unique: std::collections::BTreeSet<_> = seen.iter().map(|s| &s.1).collect();
        assert_eq!(unique.len(), seen.len());
        // Oldest link first, each link's items in its own order.
        let order: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
        let mut expected = Vec::new();
        for (l, n) in [&many, &x, &y].iter().zip(&per_link) {
            expected.extend(std::iter::repeat_n(l.as_str(), *n as usize));
        }
        assert_eq!(order, expected);
    }
    // One link, 5 per page: exact page links.
    let v = e
        .get(&format!(
            "/api/br/employments/?link={many}&page_size=5&page=2"
        ))
        .json_body();
    assert_eq!(
        v["next"],
        format!("{BASE}/api/br/employments/?link={many}&page=3&page_size=5")
    );
    assert_eq!(
        v["previous"],
        format!("{BASE}/api/br/employments/?link={many}&page_size=5")
    );
}

#[test]
fn list_counts_match_the_items_for_every_scenario() {
    // The lists count links they do not materialise: each count must be the real length.
    let mut e = E::new();
    let mut links = Vec::new();
    links.push(e.mx("planet_mx_employment", "BLPM951331IONVGR54", json!({})));
    links.push(e.mx("issste_mx_employment", CURP2, json!({})));
    for s in emulator::scenarios::SCENARIOS {
        let r = match s.country {
            employment_link_core::belvo::institution::Country::Mx => {
                e.create(json!({"institution": s.institution, "username": s.identifier}))
            }
            employment_link_core::belvo::institution::Country::Br => e.create(
                json!({"institution": s.institution, "username": s.identifier, "password": "x"}),
            ),
        };
        let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        if r.status == 201 && v["id"].is_string() {
            links.push(v["id"].as_str().unwrap().to_owned());
        } else if r.status == 428 {
            let (l, sess) = (
                v[0]["link"].as_str().unwrap(),
                v[0]["session"].as_str().unwrap(),
            );
            let body = json!({"link": l, "session": sess, "token": "111111"}).to_string();
            if e.req("PATCH", "/api/links/", "", &body).status == 200 {
                links.push(l.to_owned());
            }
        }
    }
    e.later();
    for path in [
        "/api/employment-records/",
        "/api/br/employments/",
        "/api/owners/",
        "/api/employment-metrics/",
    ] {
        for l in &links {
            // The data_error_once link answers 500 once.
            let mut r = e.get(&format!("{path}?link={l}&page_size=1000"));
            if r.status == 500 {
                r = e.get(&format!("{path}?link={l}&page_size=1000"));
            }
            let v = r.json_body();
            assert_eq!(
                v["count"].as_u64(),
                Some(v["results"].as_array().unwrap().len() as u64),
                "{path} {l}"
            );
        }
        let v = e.get(&format!("{path}?page_size=1000")).json_body();
        assert_eq!(
            v["count"].as_u64(),
            Some(v["results"].as_array().unwrap().len() as u64),
            "{path}"
        );
    }
}

#[test]
fn retrieve_form_answers_what_belvo_answers() {
    let mut e = E::new();
    let mx = e.mx("imss_mx_employment", CURP, json!({}));
    let post = |e: &mut E, path: &str, body: Value| e.req("POST", path, "", &body.to_string());
    // Before the webhook delay the lists are empty, but a retrieval fetches now.
    assert_eq!(
        count(&e.get(&format!("/api/employment-records/?link={mx}"))),
        0
    );
    let r = post(&mut e, "/api/employment-records/", json!({"link": mx}));
    assert_eq!(r.status, 201);
    let recs = r.json_body();
    assert_eq!(recs.as_array().unwrap().len(), 1);
    assert_eq!(recs[0]["link"], mx.as_str());
    assert_eq!(recs[0]["internal_identification"], CURP);
    // Saved: the list serves the same items from now on.
    let listed = e
        .get(&format!("/api/employment-records/?link={mx}"))
        .json_body();
    assert_eq!(listed["results"][0]["id"], recs[0]["id"]);
    let r = post(
        &mut e,
        "/api/owners/",
        json!({"link": mx.to_ascii_uppercase(), "token": null}),
    );
    assert_eq!(
        (r.status, r.json_body()[0]["link"].as_str()),
        (201, Some(mx.as_str()))
    );
    // save_data false: 200.
    let r = post(
        &mut e,
        "/api/owners/",
        json!({"link": mx, "save_data": false}),
    );
    assert_eq!(r.status, 200);
    assert!(r.json_body().is_array());
    // Metrics: one object; reference_date only when asked for.
    let r = post(&mut e, "/api/employment-metrics/", json!({"link": mx}));
    assert_eq!(r.status, 201);
    assert!(r.json_body().is_object() && r.json_body()["link"] == mx.as_str());
    let r = post(
        &mut e,
        "/api/employment-metrics/",
        json!({"link": mx, "reference_date": "2025-12-31"}),
    );
    assert_eq!(r.json_body()["reference_date"], "2025-12-31");
    let r = post(
        &mut e,
        "/api/employment-metrics/",
        json!({"link": mx, "reference_date": "31/12/2025"}),
    );
    assert_eq!(
        (r.status, r.json_body()[0]["field"].as_str()),
        (400, Some("reference_date"))
    );
    // BR employments of a BR link.
    let br = e.br(CPF);
    let r = post(
        &mut e,
        "/api/br/employments/",
        json!({"link": br, "date_from": "2020-01-01"}),
    );
    assert_eq!(r.status, 201);
    let emps = r.json_body();
    assert!(!emps.as_array().unwrap().is_empty());
    assert!(emps
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["link"] == br.as_str()));
    // Errors, in Belvo's shape.
    let issste = e.mx("issste_mx_employment", CURP2, json!({}));
    let cases = [
        ("/api/owners/", json!({}), 400, "required", Some("link")),
        (
            "/api/owners/",
            json!({"link": null}),
            400,
            "null",
            Some("link"),
        ),
        (
            "/api/owners/",
            json!({"link": "abc"}),
            400,
            "invalid",
            Some("link"),
        ),
        (
            "/api/owners/",
            json!({"link": 5}),
            400,
            "invalid",
            Some("link"),
        ),
        (
            "/api/owners/",
            json!({"link": UNKNOWN}),
            400,
            "does_not_exist",
            Some("link"),
        ),
        (
            "/api/br/employments/",
            json!({"link": mx}),
            400,
            "unsupported_operation",
            None,
        ),
        (
            "/api/employment-records/",
            json!({"link": br}),
            400,
            "unsupported_operation",
            None,
        ),
        (
            "/api/employment-metrics/",
            json!({"link": issste}),
            400,
            "unsupported_operation",
            None,
        ),
        ("/api/owners/", json!([mx]), 400, "invalid", None),
    ];
    for (path, body, status, c, field) in cases {
        let r = post(&mut e, path, body.clone());
        assert_eq!((r.status, code(&r).as_str()), (status, c), "{path} {body}");
        assert_eq!(r.json_body()[0]["field"].as_str(), field, "{path} {body}");
    }
    let r = post(&mut e, "/api/owners/", json!({"link": UNKNOWN}));
    assert_eq!(
        r.json_body()[0]["message"],
        format!("Invalid pk \"{UNKNOWN}\" - object does not exist.")
    );
    let r = e.create(
        json!({"institution": "inss_br_employment", "username": "52998224725", "password": "x"}),
    );
    let waiting = r.json_body()[0]["link"].as_str().unwrap().to_owned();
    let r = post(&mut e, "/api/owners/", json!({"link": waiting}));
    assert_eq!((r.status, code(&r).as_str()), (400, "unconfirmed_link"));
    // The data_error_once scenario: the first retrieval answers 500, the next one the data.
    let flaky = e.mx("imss_mx_employment", "EXMU900131HDFRRN09", json!({}));
    let r = post(&mut e, "/api/employment-records/", json!({"link": flaky}));
    assert_eq!((r.status, code(&r).as_str()), (500, "unexpected_error"));
    assert_eq!(
        post(&mut e, "/api/employment-records/", json!({"link": flaky})).status,
        201
    );
}

#[test]
fn institutions() {
    let mut e = E::new();
    let r = e.get("/api/institutions/");
    assert_eq!(r.status, 200);
    let v = r.json_body();
    assert_eq!((v["count"].as_u64(), &v["next"]), (Some(4), &Value::Null));
    let all = v["results"].as_array().unwrap();
    let names: Vec<&str> = all.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "imss_mx_employment",
            "issste_mx_employment",
            "inss_br_employment",
            "planet_mx_employment"
        ]
    );
    for i in all {
        for k in [
            "id",
            "name",
            "type",
            "code",
            "website",
            "display_name",
            "country_code",
            "country_codes",
            "primary_color",
            "logo",
            "icon_logo",
            "text_logo",
            "form_fields",
            "features",
            "resources",
            "integration_type",
            "status",
        ] {
            assert!(i.get(k).is_some(), "{} lacks {k}", i["name"]);
        }
        assert_eq!(i["type"], "employment");
        assert_eq!(i["form_fields"][0]["name"], "username");
        let detail = e
            .get(&format!("/api/institutions/{}/", i["id"]))
            .json_body();
        assert_eq!(&detail, i);
    }
    let inss = &all[2];
    assert_eq!(
        (
            inss["country_code"].as_str(),
            inss["features"][0]["name"].as_str()
        ),
        (Some("BR"), Some("token_required"))
    );
    assert_eq!(inss["resources"], json!(["EMPLOYMENTS", "OWNERS"]));
    assert_eq!(inss["form_fields"][1]["type"], "password");
    assert_eq!(
        all[0]["resources"],
        json!(["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"])
    );
    assert_eq!(all[0]["features"], json!([]));
    let mx = e.get("/api/institutions/?country_code=MX").json_body();
    assert_eq!(mx["count"], 3);
    let one = e
        .get("/api/institutions/?name=inss_br_employment")
        .json_body();
    assert_eq!(one["results"][0]["id"], inss["id"]);
    let two = e.get("/api/institutions/?page_size=2").json_body();
    assert_eq!(
        two["next"],
        format!("{BASE}/api/institutions/?page=2&page_size=2")
    );
}

#[test]
fn stats_count_each_route() {
    let mut e = E::new();
    let id = e.mx("imss_mx_employment", CURP, json!({}));
    let _ = e.get("/api/links/");
    let _ = e.get(&format!("/api/links/{id}/"));
    let _ = e.req("PATCH", &format!("/api/links/{id}/"), "", "{}");
    let _ = e.req("POST", "/api/owners/", "", &format!(r#"{{"link":"{id}"}}"#));
    let _ = e.get("/api/institutions/");
    let _ = e.get("/api/institutions/1/");
    let _ = e.req("DELETE", &format!("/api/links/{id}/"), "", "");
    let _ = e.req("PUT", &format!("/api/links/{id}/"), "", "");
    let v: Value = serde_json::from_slice(&e.emu.stats_json()).unwrap();
    for label in [
        "POST /api/links/",
        "GET /api/links/",
        "GET /api/links/{id}/",
        "PATCH /api/links/{id}/",
        "POST /api/owners/",
        "GET /api/institutions/",
        "GET /api/institutions/{id}/",
        "DELETE /api/links/{id}/",
        "other",
    ] {
        assert_eq!(v["by_route"][label], 1, "{label}: {v}");
    }
    // No label carries request data.
    assert!(!v.to_string().contains(&id));
}

mod proxy_harness;

#[test]
fn through_the_worker_route_delete_reaches_the_emulator_and_pages_stay_rewritable() {
    use employment_link_core::flow::rewrite_next;
    use employment_link_core::proxy::Request as ProxyRequest;
    use proxy_harness::{get, patch_json, Harness};

    let h = Harness::new();
    let keys = basic_auth("emulator-secret-id", "emulator-secret-password");
    let direct = |method: &str, path: &str, query: &str, auth: &str| {
        h.call(
            &ProxyRequest::new(method, &format!("/__emulator/belvo{path}"), query)
                .with_header("authorization", auth),
        )
    };
    // A BR link through the proxy (428, then the token).
    let r = h.create(&format!(
        r#"{{"institution":"inss_br_employment","username":"{CPF}","password":"x"}}"#
    ));
    let v = r.response.json_body();
    let (id, session) = (
        v[0]["link"].as_str().unwrap().to_owned(),
        v[0]["session"].as_str().unwrap().to_owned(),
    );
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    let body = format!(r#"{{"link":"{id}","session":"{session}","token":"111111"}}"#);
    assert_eq!(h.call(&patch_json(&body, Some(&cap))).response.status, 200);
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    let wrong = basic_auth("emulator-secret-id", "guess");
    assert_eq!(
        direct("DELETE", &format!("/api/links/{id}/"), "", &wrong)
            .response
            .status,
        401
    );
    // The proxy's own data page: `next` on the emulator (never Belvo's host), and the client
    // keeps only its page parameters.
    let page = h.call(&get(
        "/api/br/employments/",
        &format!("link={id}&page=1&page_size=1"),
        Some(&cap),
    ));
    let next = page.response.json_body()["next"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        next,
        format!("http://127.0.0.1:8787/__emulator/belvo/api/br/employments/?link={id}&page=2&page_size=1")
    );
    assert_eq!(
        rewrite_next(&next, "/api/br/employments/", &id),
        Some((
            2,
            format!("/api/br/employments/?link={id}&page=2&page_size=1")
        ))
    );
    // DELETE through the Worker's direct route: 204, then the link is gone for the proxy too.
    let gone = direct("DELETE", &format!("/api/links/{id}/"), "", &keys);
    assert_eq!(
        (gone.response.status, gone.response.body.is_empty()),
        (204, true)
    );
    assert_eq!(
        direct("GET", &format!("/api/links/{id}/"), "", &keys)
            .response
            .status,
        404
    );
    let after = h.call(&get(
        "/api/br/employments/",
        &format!("link={id}"),
        Some(&cap),
    ));
    assert_eq!(after.response.json_body()["count"], 0);
    // Webhooks of a link deleted before they were due are not delivered.
    let r = h.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{CURP2}"}}"#
    ));
    let id2 = r.response.json_body()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        direct("DELETE", &format!("/api/links/{id2}/"), "", &keys)
            .response
            .status,
        204
    );
    assert_eq!(h.deliver_webhooks(), Vec::<u16>::new());
}
