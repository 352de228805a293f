//! The URL helpers: the proxy URL policy (Belvo's own hosts refused however they are spelled),
//! percent-encoding and page paths.

use employment_link_core::flow::{check_proxy_url, page_path, push_encoded, ProxyUrlError};
use proptest::prelude::*;

use ProxyUrlError::{Belvo, Credentials, Malformed};

#[test]
fn proxy_urls() {
    let cases: &[(&str, Result<&str, ProxyUrlError>)] = &[
        (
            "https://api.example.com/belvo/",
            Ok("https://api.example.com/belvo"),
        ),
        ("/belvo", Ok("/belvo")),
        (" https://x.com ", Ok("https://x.com")),
        ("https://x.com//", Ok("https://x.com")),
        ("HTTPS://API.EXAMPLE.COM", Ok("HTTPS://API.EXAMPLE.COM")),
        ("https://[::1]:8080/p", Ok("https://[::1]:8080/p")),
        // Near misses are someone else's hosts.
        ("https://xbelvo.com", Ok("https://xbelvo.com")),
        ("https://belvo.com.evil", Ok("https://belvo.com.evil")),
        ("https://belvo%2+com", Ok("https://belvo%2+com")),
        ("https://a%E3%80belvo.com", Ok("https://a%E3%80belvo.com")),
        ("https://İbelvo.com", Ok("https://İbelvo.com")),
        ("https://\u{212A}belvo.com", Ok("https://\u{212A}belvo.com")),
        // Belvo, in any case, with trailing dots, ports, percent-encoded or ideographic dots.
        ("//belvo.com/x", Err(Belvo)),
        ("http://BELVO.com", Err(Belvo)),
        ("https://belvo.io.", Err(Belvo)),
        ("https://x.BeLvO.cOm:443/p", Err(Belvo)),
        ("https://belvo%2Ecom", Err(Belvo)),
        ("https://belvo%2ecom", Err(Belvo)),
        ("https://api.belvo\u{3002}com", Err(Belvo)),
        ("https://api.belvo\u{FF0E}com", Err(Belvo)),
        ("https://api.belvo\u{FF61}io", Err(Belvo)),
        ("https://belvo\u{3002}com\u{3002}", Err(Belvo)),
        ("https://%E3%80%82belvo.com", Err(Belvo)),
        ("https://%ff%fe.belvo.com", Err(Belvo)),
        ("https://%C3%A9.belvo.io", Err(Belvo)),
        // Credentials and malformed URLs.
        ("https://u:p@x.com", Err(Credentials)),
        ("ftp://x.com", Err(Malformed)),
        ("https://", Err(Malformed)),
        ("https:///x", Err(Malformed)),
        ("https://x.com?q", Err(Malformed)),
        ("https://x.com#f", Err(Malformed)),
        ("https://x .com", Err(Malformed)),
        ("", Err(Malformed)),
        ("https:://x", Err(Malformed)),
    ];
    for (url, want) in cases {
        assert_eq!(check_proxy_url(url), want.map(String::from), "{url:?}");
    }
}

#[test]
fn paths() {
    for (id, page, size, enc, path) in [
        (
            "a b/&c",
            1,
            None,
            "a%20b%2F%26c",
            "/api/owners/?link=a%20b%2F%26c&page=1",
        ),
        (
            "é%ü~._-",
            42,
            Some(0),
            "%C3%A9%25%C3%BC~._-",
            "/api/owners/?link=%C3%A9%25%C3%BC~._-&page=42&page_size=1",
        ),
        (
            "",
            u32::MAX,
            Some(5000),
            "",
            "/api/owners/?link=&page=4294967295&page_size=1000",
        ),
    ] {
        let mut a = String::new();
        push_encoded(&mut a, id);
        assert_eq!(a, enc);
        assert_eq!(page_path("/api/owners/", id, page, size), path);
    }
}

/// Percent-decodes `s` (only `%XX` escapes).
fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Every spelling of a Belvo host is refused: any case, any of the dot spellings a URL
    /// parser folds to `.`, subdomains, trailing dots, a port and a path.
    #[test]
    fn belvo_hosts_are_refused_however_spelled(
        scheme in prop_oneof![Just("https://"), Just("HTTP://"), Just("//")],
        sub in proptest::option::of("[a-z0-9]{1,6}"),
        name in "[bB][eE][lL][vV][oO]",
        tld in prop_oneof![Just("com"), Just("COM"), Just("io"), Just("Io")],
        dots in proptest::collection::vec(
            prop_oneof![Just("."), Just("%2e"), Just("%2E"), Just("\u{3002}"), Just("\u{FF0E}"), Just("\u{FF61}"), Just("%E3%80%82")],
            3,
        ),
        trailing in 0usize..3,
        port in proptest::option::of(1u16..),
        path in "(/[a-z]{0,4}){0,2}",
    ) {
        let mut host = String::new();
        if let Some(s) = sub {
            host.push_str(&s);
            host.push_str(dots[0]);
        }
        host.push_str(&name);
        host.push_str(dots[1]);
        host.push_str(tld);
        host.push_str(&dots[2].repeat(trailing));
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let url = format!("{scheme}{host}{port}{path}");
        prop_assert_eq!(check_proxy_url(&url), Err(Belvo), "{}", url);
    }

    /// Other hosts are accepted, trimmed of surrounding space and trailing `/`.
    #[test]
    fn other_hosts_are_accepted(
        labels in proptest::collection::vec("[a-z0-9]{1,8}", 1..4),
        tld in prop_oneof![Just("com"), Just("example"), Just("mx"), Just("com.br")],
        path in "(/[a-zA-Z0-9_-]{0,6}){0,3}",
    ) {
        let host = format!("{}.{tld}", labels.join("."));
        prop_assume!(!(host == "belvo.com" || host.ends_with(".belvo.com") || host.ends_with("belvo.com.br")));
        let url = format!(" https://{host}{path}/ ");
        let got = check_proxy_url(&url).unwrap();
        prop_assert_eq!(got.trim_end_matches('/'), got.as_str());
        let want = format!("https://{host}{path}");
        prop_assert_eq!(got.as_str(), want.trim_end_matches('/'));
    }

    /// Never a panic, and an accepted URL has no query, fragment or trailing `/`.
    #[test]
    fn any_text_is_checked_without_panic(s in "\\PC{0,24}") {
        if let Ok(u) = check_proxy_url(&s) {
            prop_assert!(!u.contains(['?', '#']) && !u.ends_with('/'), "{}", u);
        }
    }

    /// Encoding keeps the unreserved characters, escapes every other byte, and decodes back.
    #[test]
    fn any_id_is_encoded_and_decodes_back(id in "\\PC{0,16}", page in any::<u32>(), size in proptest::option::of(any::<u32>())) {
        let mut enc = String::new();
        push_encoded(&mut enc, &id);
        prop_assert!(enc.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        prop_assert_eq!(decode(&enc), id.as_bytes());
        let mut want = format!("/p/?link={enc}&page={page}");
        if let Some(n) = size {
            want.push_str(&format!("&page_size={}", n.clamp(1, 1000)));
        }
        prop_assert_eq!(page_path("/p/", &id, page, size), want);
    }
}
