//! The URL helpers, checked against their previous `core::fmt`/Unicode-table based
//! implementation (kept here as an oracle).
#![allow(dead_code)]

use employment_link_core::flow::{check_proxy_url, page_path, push_encoded, ProxyUrlError};
use proptest::prelude::*;
use std::fmt::Write;

mod old {
    use super::*;
    pub fn push_encoded(out: &mut String, s: &str) {
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }

    pub const MAX_PAGE_SIZE: u32 = 1000;

    pub fn page_path(
        resource_path: &str,
        link_id: &str,
        page: u32,
        page_size: Option<u32>,
    ) -> String {
        let mut p = String::with_capacity(resource_path.len() + link_id.len() + 32);
        p.push_str(resource_path);
        p.push_str("?link=");
        push_encoded(&mut p, link_id);
        let _ = write!(p, "&page={page}");
        if let Some(n) = page_size {
            let _ = write!(p, "&page_size={}", n.clamp(1, MAX_PAGE_SIZE));
        }
        p
    }

    pub fn check_proxy_url(url: &str) -> Result<String, ProxyUrlError> {
        let u = url.trim();
        if u.is_empty()
            || u.contains(['?', '#'])
            || u.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ProxyUrlError::Malformed);
        }
        if u.starts_with('/') {
            if u.starts_with("//") {
                // Scheme-relative: has a host; check it like a URL.
                check_host(u.get(2..).unwrap_or(""))?;
            }
            return Ok(String::from(u.trim_end_matches('/')));
        }
        let (scheme, rest) = u.split_once("://").ok_or(ProxyUrlError::Malformed)?;
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(ProxyUrlError::Malformed);
        }
        check_host(rest)?;
        Ok(String::from(u.trim_end_matches('/')))
    }

    fn check_host(rest: &str) -> Result<(), ProxyUrlError> {
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            return Err(ProxyUrlError::Credentials);
        }
        let host = if authority.starts_with('[') {
            // IPv6 literal.
            authority.split(']').next().unwrap_or("")
        } else {
            authority.split(':').next().unwrap_or("")
        };
        if host.is_empty() {
            return Err(ProxyUrlError::Malformed);
        }
        // Normalise like a WHATWG URL parser would: percent-decoding, ideographic full stops,
        // ASCII case.
        let mut h = String::with_capacity(host.len());
        let bytes = host.as_bytes();
        let mut i = 0;
        let mut decoded = Vec::with_capacity(bytes.len());
        while let Some(&b) = bytes.get(i) {
            if b == b'%' {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|x| core::str::from_utf8(x).ok());
                if let Some(v) = hex.and_then(|x| u8::from_str_radix(x, 16).ok()) {
                    decoded.push(v);
                    i += 3;
                    continue;
                }
            }
            decoded.push(b);
            i += 1;
        }
        for c in String::from_utf8_lossy(&decoded).chars() {
            match c {
                '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => h.push('.'),
                c => h.extend(c.to_lowercase()),
            }
        }
        let h = h.trim_end_matches('.');
        for belvo in ["belvo.com", "belvo.io"] {
            if h == belvo || h.strip_suffix(belvo).is_some_and(|p| p.ends_with('.')) {
                return Err(ProxyUrlError::Belvo);
            }
        }
        Ok(())
    }
}

fn same(url: &str) {
    assert_eq!(check_proxy_url(url), old::check_proxy_url(url), "{url:?}");
}

#[test]
fn proxy_urls_are_checked_as_before() {
    for u in [
        "https://api.example.com/belvo/",
        "/belvo",
        "//belvo.com/x",
        "http://BELVO.com",
        "https://belvo.io.",
        "https://x.BeLvO.cOm:443/p",
        "https://belvo%2Ecom",
        "https://belvo%2ecom",
        "https://belvo%2+com",
        "https://api.belvo\u{3002}com",
        "https://api.belvo\u{FF0E}com",
        "https://api.belvo\u{FF61}io",
        "https://belvo\u{3002}com\u{3002}",
        "https://%E3%80%82belvo.com",
        "https://a%E3%80belvo.com",
        "https://xbelvo.com",
        "https://belvo.com.evil",
        "https://[::1]:8080/p",
        "https://u:p@x.com",
        "ftp://x.com",
        "https://",
        "https:///x",
        "https://İbelvo.com",
        "https://\u{212A}belvo.com",
        "https://ｂｅｌｖｏ.com",
        "https://%ff%fe.belvo.com",
        "https://%C3%A9.belvo.io",
        "https://x.com?q",
        "https://x.com#f",
        " https://x.com ",
        "https://x .com",
        "",
        "HTTPS://API.EXAMPLE.COM",
        "https:://x",
        "https://x.com//",
    ] {
        same(u);
    }
}

#[test]
fn paths_are_written_as_before() {
    for (id, page, size) in [
        ("a b/&c", 1, None),
        ("é%ü~._-", 42, Some(0)),
        ("", u32::MAX, Some(5000)),
    ] {
        let mut a = String::new();
        let mut b = String::new();
        push_encoded(&mut a, id);
        old::push_encoded(&mut b, id);
        assert_eq!(a, b);
        assert_eq!(
            page_path("/api/owners/", id, page, size),
            old::page_path("/api/owners/", id, page, size)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_proxy_url_is_checked_as_before(
        scheme in prop_oneof![Just("https://"), Just("HTTP://"), Just("//"), Just("/"), Just(""), Just("ftp://")],
        host in "([a-zA-Z.%:@\\[\\]/0-9]|belvo|BELVO|com|io|%2[eE]|%E3%80%82|%EF%BC%8E|\u{3002}|\u{FF0E}|\u{FF61}|\u{130}|\u{212A}){0,8}",
    ) {
        same(&format!("{scheme}{host}"));
    }

    #[test]
    fn any_id_is_encoded_as_before(id in "\\PC{0,16}", page in any::<u32>(), size in proptest::option::of(any::<u32>())) {
        let mut a = String::new();
        let mut b = String::new();
        push_encoded(&mut a, &id);
        old::push_encoded(&mut b, &id);
        prop_assert_eq!(a, b);
        prop_assert_eq!(page_path("/p/", &id, page, size), old::page_path("/p/", &id, page, size));
    }
}
