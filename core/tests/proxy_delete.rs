//! `DELETE /api/links/{id}/` through the proxy: bound to the caller's capability, forwarded to
//! Belvo, `204` passed through, and the link's stored webhook events dropped with it.

mod proxy_harness;

use employment_link_core::proxy::{Method, Request, UpstreamError};
use proxy_harness::*;

fn delete(id: &str, cap: Option<&str>) -> Request {
    let r = Request::new("DELETE", &format!("/api/links/{id}/"), "");
    match cap {
        Some(c) => r.with_header("x-link-capability", c),
        None => r,
    }
}

fn events(h: &Harness, id: &str, cap: &str) -> usize {
    let ev = h.call(&get(&format!("/links/{id}/events"), "", Some(cap)));
    assert_eq!(ev.response.status, 200);
    ev.response.json_body()["events"].as_array().unwrap().len()
}

fn event_keys(h: &Harness, id: &str) -> usize {
    h.store
        .keys()
        .iter()
        .filter(|k| k.starts_with(&format!("evt:{id}:")))
        .count()
}

/// A default MX link through the proxy, with its webhooks delivered: (id, capability).
fn linked(h: &Harness, curp: &str) -> (String, String) {
    let r = h.create(&format!(
        r#"{{"institution":"imss_mx_employment","username":"{curp}"}}"#
    ));
    assert_eq!(r.response.status, 201);
    let id = r.response.json_body()["id"].as_str().unwrap().to_owned();
    let cap = r.response.header("x-link-capability").unwrap().to_owned();
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    (id, cap)
}

#[test]
fn delete_own_link_forwards_passes_204_and_drops_its_events() {
    let h = Harness::new();
    let (id, cap) = linked(&h, CURP_A);
    let second = employment_link_core::id::curp::generate(11);
    let (other, other_cap) = linked(&h, second.as_str());
    assert_eq!(events(&h, &id, &cap), 2);
    assert_eq!(event_keys(&h, &id), 2);
    let links_before = h.up.emu.borrow().stats_json();

    // Not the caller's link: 404 as for a link that does not exist, and Belvo is not called.
    let before = h.up.requests();
    for req in [
        delete(&id, None),
        delete(&id, Some("v1.00")),
        delete(&id, Some(&other_cap)),
        delete("not-a-uuid", Some(&cap)),
    ] {
        let r = h.call(&req);
        assert_eq!(r.response.status, 404);
        assert_eq!(err(&r).0, "not_found");
    }
    assert_eq!(h.up.requests(), before);
    assert_eq!(h.up.emu.borrow().stats_json(), links_before);

    // Upper-case in the path is the same link; Belvo gets the canonical id.
    let r = h.call(&delete(&id.to_ascii_uppercase(), Some(&cap)));
    assert_eq!(r.response.status, 204);
    assert!(r.response.body.is_empty());
    assert_eq!(r.response.header("content-type"), None);
    assert!(r.response.header("x-request-id").is_some());
    assert!(r.response.header("x-link-capability").is_none());
    assert_eq!(h.up.requests(), before + 1);
    assert_eq!(r.log.route, "DELETE /api/links/{id}/");
    assert_eq!(r.log.outcome, "forwarded");
    assert_eq!(r.log.upstream_status, Some(204));
    assert_eq!(r.log.link_id.as_deref(), Some(id.as_str()));

    // The proxy's copy goes too; another link's events stay.
    assert_eq!(event_keys(&h, &id), 0);
    assert_eq!(events(&h, &id, &cap), 0);
    assert_eq!(events(&h, &other, &other_cap), 2);
    // Belvo (the emulator) no longer has it: a second DELETE is Belvo's 404, passed through.
    let again = h.call(&delete(&id, Some(&cap)));
    assert_eq!(again.response.status, 404);
    assert_eq!(err(&again).0, "not_found");
    assert_eq!(again.log.upstream_status, Some(404));
    // The capability says nothing about the log: no capability in any line.
    let logs = h.logs.borrow().join("\n");
    assert!(!logs.contains(&cap) && !logs.contains(CURP_A), "{logs}");
}

#[test]
fn delete_is_allowed_by_cors_on_the_link_path_only() {
    let h = Harness::new();
    let link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    let pre = |path: &str| {
        h.call(
            &Request::new("OPTIONS", path, "")
                .with_header("origin", ORIGIN)
                .with_header("access-control-request-method", "DELETE")
                .with_header("access-control-request-headers", "x-link-capability"),
        )
    };
    let ok = pre(&format!("/api/links/{link}/"));
    assert_eq!(ok.response.status, 204);
    assert_eq!(
        ok.response.header("access-control-allow-methods"),
        Some("DELETE, OPTIONS")
    );
    assert!(ok
        .response
        .header("access-control-allow-headers")
        .unwrap_or("")
        .contains("X-Link-Capability"));
    assert_eq!(
        ok.response.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    assert_eq!(pre("/api/links/").response.status, 405);
    // A foreign origin is refused before the capability is looked at.
    let cap = h.proxy.policy().capability(link);
    let r = h.call(&delete(link, Some(&cap)).with_header("origin", FOREIGN));
    assert_eq!(r.response.status, 403);
    assert_eq!(err(&r).0, "origin_not_allowed");
    assert_eq!(h.up.requests(), 0);
}

#[test]
fn delete_answers_from_belvo() {
    let h = Harness::new();
    let link = "30cb4806-6e00-48a4-91c9-ca55968576c8";
    let cap = h.proxy.policy().capability(link);
    let token = h.proxy.config.webhook_token.clone().unwrap();
    let store_event = |id: &str| {
        let body = format!(
            r#"{{"webhook_id":"{id}","webhook_type":"OWNERS","webhook_code":"historical_update","link_id":"{link}","data":{{"total_owners":1}}}}"#
        );
        let r = h.call(&post_json("/webhooks", &body).with_header("authorization", &token));
        assert_eq!(r.response.json_body()["status"], "stored");
    };
    store_event("w1");
    // The request Belvo gets: DELETE of the link, no query, no body.
    let up = Scripted::answering(204, "application/json", "");
    let r = h.call_with(&delete(link, Some(&cap)), &up);
    assert_eq!(r.response.status, 204);
    let sent = up.last.borrow().clone().unwrap();
    assert_eq!(sent.method, Method::Delete);
    assert_eq!(
        sent.url("https://sandbox.belvo.com"),
        format!("https://sandbox.belvo.com/api/links/{link}/")
    );
    assert_eq!(sent.body, None);
    assert_eq!(event_keys(&h, link), 0);

    // Failures keep the events (the link may still exist at Belvo).
    store_event("w2");
    for (up, status, code) in [
        (
            Scripted::answering(500, "text/html", "<html>oops</html>"),
            502,
            "upstream_invalid_response",
        ),
        (
            Scripted::new(Err(UpstreamError::Timeout)),
            504,
            "request_timeout",
        ),
        (
            Scripted::answering(
                401,
                "application/json",
                r#"[{"code":"authentication_failed","message":"Invalid Secret Keys","request_id":"r"}]"#,
            ),
            401,
            "authentication_failed",
        ),
    ] {
        let r = h.call_with(&delete(link, Some(&cap)), &up);
        assert_eq!((r.response.status, err(&r).0.as_str()), (status, code));
        assert_eq!(event_keys(&h, link), 1, "{code}: events kept");
    }
    // Belvo's 404 (already gone, e.g. a resent DELETE) passes through and drops them.
    let gone = r#"[{"code":"not_found","message":"Not found.","request_id":"r"}]"#;
    let r = h.call_with(
        &delete(link, Some(&cap)),
        &Scripted::answering(404, "application/json", gone),
    );
    assert_eq!(r.response.status, 404);
    assert_eq!(r.response.body, gone.as_bytes());
    assert_eq!(event_keys(&h, link), 0);

    // A store failure does not turn Belvo's 204 into an error: it shows in the log only.
    store_event("w3");
    h.store.set_failing(true);
    let r = h.call_with(&delete(link, Some(&cap)), &Scripted::answering(204, "", ""));
    assert_eq!(r.response.status, 204);
    assert_eq!(r.log.outcome, "store_failure");
    h.store.set_failing(false);
}
