//! `new EmploymentLink(options)` validation (core side): proxy URL policy, secrets refused,
//! bounds, headers, credentials, locale — and the serde reading of the options and of the
//! `createLink` parameters (the browser reads the JS objects with the same derives).

use employment_link_core::belvo::errors::Category;
use employment_link_core::flow::*;
use employment_link_core::id::Locale;
use serde_json::{json, Value};

/// The options as their serde derive reads them.
fn read_options(doc: &str) -> Option<ClientOptions> {
    serde_json::from_str(doc).ok()
}

/// `createLink` parameters as their serde derive reads them.
fn read_params(doc: &str) -> Option<CreateLink> {
    serde_json::from_str(doc).ok()
}

fn validate(doc: &str) -> Result<Validated, OptionsError> {
    let opts: ClientOptions = read_options(doc).expect("options JSON");
    let v: serde_json::Value = serde_json::from_str(doc).unwrap();
    let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    opts.validate(keys.iter().map(String::as_str))
}

#[test]
fn defaults() {
    let v = validate(r#"{"proxyUrl": "https://api.example.com/belvo/"}"#).unwrap();
    assert_eq!(v.proxy_url, "https://api.example.com/belvo");
    assert_eq!(v.config, Config::default());
    assert_eq!(v.config.locale, Locale::Es);
    assert_eq!(v.config.request_timeout_ms, 60_000);
    assert_eq!(
        v.config.retry,
        RetryPolicy {
            max: 3,
            base_ms: 1000,
            max_delay_ms: 30_000
        }
    );
    assert!(v.headers.is_empty() && v.credentials.is_none());
}

#[test]
fn every_option() {
    let v = validate(
        r#"{"proxyUrl": "/belvo", "headers": {"X-App": "demo", "Authorization": "Bearer app-session"},
            "credentials": "include", "locale": "pt-BR", "timeoutMs": 30000, "retry": {"max": 5, "baseMs": 250},
            "waitTimeoutMs": 90000, "maxPages": 10, "pageSize": 100, "onEvent": null, "unknown": 1}"#,
    )
    .unwrap();
    assert_eq!(v.proxy_url, "/belvo");
    assert_eq!(
        v.headers,
        vec![
            ("X-App".into(), "demo".into()),
            ("Authorization".into(), "Bearer app-session".into())
        ]
    );
    assert_eq!(v.credentials, Some(Credentials::Include));
    assert_eq!(v.config.locale, Locale::Pt);
    assert_eq!(v.config.request_timeout_ms, 30_000);
    assert_eq!(
        v.config.retry,
        RetryPolicy {
            max: 5,
            base_ms: 250,
            max_delay_ms: 30_000
        }
    );
    assert_eq!(
        (
            v.config.wait_timeout_ms,
            v.config.max_pages,
            v.config.page_size
        ),
        (90_000, 10, Some(100))
    );
    assert!(
        !format!("{v:?}").contains("app-session"),
        "header values are not printed"
    );
    let v = validate(r#"{"proxyUrl": "http://localhost:8787", "retry": {"max": 0}}"#).unwrap();
    assert_eq!(v.config.retry.max, 0);
    assert_eq!(v.config.retry.base_ms, 1000);
}

#[test]
fn refused() {
    let cases = [
        (r#"{}"#, "proxyUrl"),
        (r#"{"proxyUrl": "https://api.belvo.com"}"#, "proxyUrl"),
        (
            r#"{"proxyUrl": "https://sandbox.belvo.com/api/"}"#,
            "proxyUrl",
        ),
        (r#"{"proxyUrl": "https://x.belvo.io"}"#, "proxyUrl"),
        (r#"{"proxyUrl": "https://u:p@proxy.example"}"#, "proxyUrl"),
        (r#"{"proxyUrl": "ftp://proxy.example"}"#, "proxyUrl"),
        (r#"{"proxyUrl": "/p", "secretId": "x"}"#, "options"),
        (r#"{"proxyUrl": "/p", "secretPassword": "x"}"#, "options"),
        (r#"{"proxyUrl": "/p", "apiKey": "x"}"#, "options"),
        (r#"{"proxyUrl": "/p", "locale": "fr"}"#, "locale"),
        (r#"{"proxyUrl": "/p", "timeoutMs": 0}"#, "timeoutMs"),
        (r#"{"proxyUrl": "/p", "timeoutMs": 1.5}"#, "timeoutMs"),
        (r#"{"proxyUrl": "/p", "retry": {"max": 11}}"#, "retry.max"),
        (r#"{"proxyUrl": "/p", "retry": {"max": -1}}"#, "retry.max"),
        (
            r#"{"proxyUrl": "/p", "retry": {"baseMs": 600000}}"#,
            "retry.baseMs",
        ),
        (
            r#"{"proxyUrl": "/p", "credentials": "always"}"#,
            "credentials",
        ),
        (
            r#"{"proxyUrl": "/p", "headers": {"Bad Name": "x"}}"#,
            "headers",
        ),
        (
            r#"{"proxyUrl": "/p", "headers": {"X": "a\r\nInjected: 1"}}"#,
            "headers",
        ),
        (
            r#"{"proxyUrl": "/p", "headers": {"x-link-capability": "forged"}}"#,
            "headers",
        ),
        (r#"{"proxyUrl": "/p", "maxPages": 0}"#, "maxPages"),
        (r#"{"proxyUrl": "/p", "pageSize": 5000}"#, "pageSize"),
    ];
    for (doc, field) in cases {
        let e = validate(doc).unwrap_err();
        assert_eq!(e.field, field, "{doc}");
        assert_eq!(e.category, Category::Integration);
        assert!(!e.detail.is_empty());
    }
    // Wrong types do not even parse.
    for doc in [
        r#"{"proxyUrl": 5}"#,
        r#"{"proxyUrl": "/p", "headers": {"X": 1}}"#,
        r#"{"proxyUrl": "/p", "headers": ["X"]}"#,
        r#"{"proxyUrl": "/p", "retry": 3}"#,
        r#"{"proxyUrl": "/p", "retry": {"max": "3"}}"#,
        r#"{"proxyUrl": "/p", "timeoutMs": "10"}"#,
        r#"{"proxyUrl": "/p", "locale": true}"#,
        // (An array is no options object either; serde_json would read it by position, while
        // the browser reads a JS value's keys by name and finds none: `proxyUrl is required`.)
        r#""/p""#,
        "null",
    ] {
        assert!(read_options(doc).is_none(), "{doc}");
    }
    // `null` is the same as absent; numbers may be written any JSON way.
    let o = read_options(
        r#"{"proxyUrl": "/p", "headers": null, "retry": {"max": null, "baseMs": 2.5e2}, "timeoutMs": 1E3}"#,
    )
    .unwrap();
    assert_eq!(
        (o.timeout_ms, o.retry.unwrap().base_ms),
        (Some(1000.0), Some(250.0))
    );
}

#[test]
fn secret_option_names() {
    for k in [
        "secretId",
        "secret_password",
        "SECRET",
        "password",
        "apiKey",
        "api_key",
        "key",
    ] {
        assert!(is_secret_option(k), "{k}");
    }
    for k in [
        "proxyUrl", "headers", "locale", "onEvent", "keyboard", "retry",
    ] {
        assert!(!is_secret_option(k), "{k}");
    }
}

#[test]
fn create_link_params_read_from_js_shape() {
    let p: CreateLink = read_params(
        r#"{"institution": "inss_br_employment", "username": "529.982.247-25", "password": "pw",
            "externalId": "u_1", "fetchResources": ["EMPLOYMENTS"], "somethingElse": true}"#,
    )
    .unwrap();
    assert_eq!(p.external_id.as_deref(), Some("u_1"));
    assert_eq!(p.fetch_resources, Some(vec!["EMPLOYMENTS".to_string()]));
    let d = format!("{p:?}");
    assert!(!d.contains("529") && !d.contains("pw\""), "{d}");
    let p: CreateLink =
        read_params(r#"{"institution": "imss_mx_employment", "username": "X", "password": null}"#)
            .unwrap();
    assert_eq!(p.password, None);
    assert_eq!(read_params("{}"), Some(CreateLink::default()));
    for doc in [
        r#"{"institution": null, "username": "X"}"#,
        r#"{"institution": "i", "username": 5}"#,
        r#"{"institution": "i", "username": "X", "password": 1}"#,
        r#"{"institution": "i", "username": "X", "fetchResources": "OWNERS"}"#,
        r#"{"institution": "i", "username": "X", "fetchResources": ["OWNERS", 1]}"#,
        r#""x""#,
    ] {
        assert!(read_params(doc).is_none(), "{doc}");
    }
}

/// `onEvent` is a function in JS: whatever it holds, the options still read (the adapter
/// takes the callback off the object itself).
#[test]
fn on_event_never_breaks_the_options() {
    for on_event in [
        json!(null),
        json!("function"),
        json!(7.5),
        json!({"handleEvent": [1, {"x": true}]}),
        json!([null]),
    ] {
        let doc = json!({"proxyUrl": "/p", "maxPages": 3.0, "onEvent": on_event});
        let o: ClientOptions =
            serde_json::from_value(doc.clone()).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let v = o.validate(["proxyUrl", "maxPages", "onEvent"]).unwrap();
        assert_eq!(v.config.max_pages, 3, "whole f64 numbers are accepted");
    }
    // A JS number is an f64: fractions are refused by `validate`, not by the read.
    let o: ClientOptions =
        serde_json::from_value(json!({"proxyUrl": "/p", "pageSize": 10.5})).unwrap();
    assert_eq!(
        o.validate(["proxyUrl", "pageSize"]).unwrap_err().field,
        "pageSize"
    );
    // The secret-looking key rule is fed the keys the adapter saw.
    let o: ClientOptions = serde_json::from_value(json!({"proxyUrl": "/p"})).unwrap();
    assert_eq!(
        o.validate(["proxyUrl", "secretId"]).unwrap_err().field,
        "options"
    );
    let v: Value = json!({"proxyUrl": "/p", "apiKey": "k"});
    let o: ClientOptions = serde_json::from_value(v.clone()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(o.validate(keys).unwrap_err().field, "options");
}
