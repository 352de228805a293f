//! `POST /__emulator/reset` through the proxy: a fresh start for the emulator *and* for what the
//! proxy stored in emulator mode (attempt-guard counters, webhook events, dedupe markers), with
//! a store that cannot be emptied — as Workers KV — and link ids that never repeat.

mod proxy_harness;

use employment_link_core::proxy::{Handled, Request, GENERATION_KEY};
use proxy_harness::*;

fn imss(curp: &str) -> String {
    format!(r#"{{"institution":"imss_mx_employment","username":"{curp}"}}"#)
}

fn reset(h: &Harness) -> Handled {
    h.call(&Request::new("POST", "/__emulator/reset", ""))
}

fn link_of(r: &Handled) -> (String, String) {
    assert_eq!(r.response.status, 201, "{:?}", r.response.json_body());
    (
        r.response.json_body()["id"].as_str().unwrap().to_owned(),
        r.response.header("x-link-capability").unwrap().to_owned(),
    )
}

fn events(h: &Harness, id: &str, cap: &str) -> usize {
    let r = h.call(&get(&format!("/links/{id}/events"), "", Some(cap)));
    assert_eq!(r.response.status, 200);
    r.response.json_body()["events"].as_array().unwrap().len()
}

#[test]
fn reset_clears_the_guard_and_events_and_never_reuses_link_ids() {
    let h = Harness::new();
    let mut ids = Vec::new();
    let mut first = None;
    for _ in 0..3 {
        let (id, cap) = link_of(&h.create(&imss(CURP_A)));
        assert_eq!(h.deliver_webhooks(), [200, 200]);
        first.get_or_insert((id.clone(), cap));
        ids.push(id);
    }
    let (old_id, old_cap) = first.unwrap();
    assert_eq!(events(&h, &old_id, &old_cap), 2);
    assert_eq!(
        h.create(&imss(CURP_A)).response.status,
        403,
        "the attempt guard"
    );

    let r = reset(&h);
    assert_eq!(r.response.status, 200);
    assert_eq!(r.response.json_body()["status"], "reset");
    assert!(
        !h.store.is_empty(),
        "the store is not emptied (KV cannot be)…"
    );
    assert_eq!(events(&h, &old_id, &old_cap), 0, "…yet nothing old is seen");
    assert_eq!(h.up.requests(), 0, "the emulator was reset");

    // The guard starts over: three more attempts, then the 4th is refused again.
    for i in 0..3 {
        let (id, cap) = link_of(&h.create(&imss(CURP_A)));
        assert!(!ids.contains(&id), "link id {id} reused after the reset");
        assert_eq!(
            h.deliver_webhooks(),
            [200, 200],
            "attempt {i}: not duplicates"
        );
        assert_eq!(events(&h, &id, &cap), 2);
        ids.push(id);
    }
    assert_eq!(h.create(&imss(CURP_A)).response.status, 403);

    // Again: each reset starts a new generation.
    assert_eq!(reset(&h).response.status, 200);
    let (id, _) = link_of(&h.create(&imss(CURP_A)));
    assert!(
        !ids.contains(&id),
        "link id {id} reused after the second reset"
    );
    // Nothing personal in the keys (the generation is a hash, not request data).
    for k in h.store.keys() {
        assert!(!k.contains("PEXA"), "{k}");
    }
}

#[test]
fn a_webhook_redelivered_after_a_reset_is_stored_again() {
    let h = Harness::new();
    let (id, cap) = link_of(&h.create(&imss(CURP_A)));
    let pending: Vec<_> = h.up.pending.borrow().clone();
    assert_eq!(h.deliver_webhooks(), [200, 200]);
    assert_eq!(reset(&h).response.status, 200);
    // Belvo redelivers them (the reset emulator no longer knows the link: nothing to check).
    assert_eq!(h.post_webhooks(pending), [200, 200]);
    let logs = h.logs.borrow();
    let outcomes: Vec<&str> = logs
        .iter()
        .rev()
        .take(2)
        .map(|l| {
            if l.contains(r#""outcome":"webhook_stored""#) {
                "stored"
            } else {
                l
            }
        })
        .collect();
    assert_eq!(outcomes, ["stored", "stored"], "not taken for duplicates");
    drop(logs);
    assert_eq!(events(&h, &id, &cap), 2);
}

#[test]
fn reset_fails_closed_when_the_store_fails() {
    let h = Harness::new();
    h.store.set_failing(true);
    let r = reset(&h);
    assert_eq!(r.response.status, 503);
    assert_eq!(err(&r).0, "store_unavailable");
    h.store.set_failing(false);
    assert_eq!(reset(&h).response.status, 200);
}

#[test]
fn outside_emulator_mode_the_generation_is_never_touched() {
    let h = Harness::with_env(&[
        ("ALLOWED_ORIGINS", ORIGIN),
        ("BELVO_ENV", "sandbox"),
        ("BELVO_SECRET_ID", "id"),
        ("BELVO_SECRET_PASSWORD", "pw"),
        ("LINK_KEY", "test-link-key-0123456789abcdef"),
    ]);
    // A stray generation key (say, left in a KV namespace shared with a dev setup) is ignored.
    block_on(employment_link_core::proxy::Store::put(
        &h.store,
        GENERATION_KEY,
        "abc",
        600,
    ))
    .unwrap();
    let up = Scripted::answering(
        201,
        "application/json",
        r#"{"id":"0b9a3c2e-2d43-4c4e-9d59-3d9c1b2a7f10","institution":"imss_mx_employment"}"#,
    );
    for _ in 0..3 {
        assert_eq!(
            h.call_with(&post_json("/api/links/", &imss(CURP_A)), &up)
                .response
                .status,
            201
        );
    }
    assert_eq!(reset(&h).response.status, 404, "no emulator routes");
    let keys = h.store.keys();
    assert!(
        keys.iter()
            .all(|k| k == GENERATION_KEY || k.starts_with("guard:")),
        "{keys:?}"
    );
    assert_eq!(keys.len(), 2, "the generation key and one guard counter");
}
