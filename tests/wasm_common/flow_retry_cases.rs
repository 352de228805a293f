// A retried GET, end to end: the emulator's `data_error_once` scenario answers the first data
// request of a link with Belvo's 500 `unexpected_error`, once. Included right after
// flow_cases.rs (same module: it uses that file's helpers) by web_flow.rs and
// wasm_node_flow.rs, so it runs in headless Chromium and in Node against the real Worker.

const CURP_DATA_500_ONCE: &str = "EXMU900131HDFRRN09"; // data_error_once

#[wasm_bindgen_test]
async fn first_data_get_500_is_retried_and_returns_the_data() {
    let c = Client::new();
    let step = c
        .create("imss_mx_employment", CURP_DATA_500_ONCE, None)
        .await;
    assert_linked(&step, "imss_mx_employment");
    // Readiness comes from the proxy's events (the webhooks): no data request yet.
    let ready = c.wait_for_data().await;
    assert_ready(&ready, &["EMPLOYMENT_RECORDS", "OWNERS"]);
    assert!(
        c.events_of("retry").is_empty(),
        "a retry before any data request"
    );

    let answered = c.responses().len();
    let sent = c.requests("GET");
    let before = upstream_requests().await;
    let records = settle(c.el.employment_records()).await;
    let n = assert_data(&records, "EMPLOYMENT_RECORDS");
    assert_eq!(f64::from(n), num(&ready, "EMPLOYMENT_RECORDS"));

    // The 500 was retried (a GET has no side effect), and the retry got the data.
    let retries = c.events_of("retry");
    assert_eq!(retries.len(), 1, "{}", dump(&c.events.clone().into()));
    assert_eq!(text(&retries[0], "code"), "unexpected_error");
    assert_eq!(num(&retries[0], "attempt"), 1.0);
    assert!(num(&retries[0], "delayMs") >= 50.0, "{}", dump(&retries[0]));
    assert_eq!(c.responses().get(answered..), Some(&[500.0, 200.0][..]));
    assert_eq!(c.requests("GET") - sent, 1, "one request, resent once");
    assert_eq!(
        upstream_requests().await - before,
        2.0,
        "the GET reached the emulator twice"
    );
    assert!(
        c.events_of("error").is_empty(),
        "the 500 surfaced as an error"
    );
    assert_eq!(c.status(), "ready");

    // Only the first data request fails: the next one is answered at once.
    assert_data(&settle(c.el.owners()).await, "OWNERS");
    assert_eq!(c.events_of("retry").len(), 1);
    c.assert_no_pii(&[CURP_DATA_500_ONCE]);
}
