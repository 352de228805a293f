//! URL helpers: percent-encoding, following Belvo's `next` links on the proxy, and checking
//! the proxy URL.

use alloc::string::String;
use core::fmt::Write;

/// Appends `s` percent-encoded (everything but RFC 3986 unreserved characters).
pub fn push_encoded(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The largest `page_size` Belvo accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The first page of `resource_path` for `link_id`: `{path}?link=…&page=1[&page_size=…]`.
pub fn page_path(resource_path: &str, link_id: &str, page: u32, page_size: Option<u32>) -> String {
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

/// Rewrites a paginated answer's `next` URL (Belvo returns absolute `https://*.belvo.com/…`
/// URLs) onto the proxy: only the `page` and `page_size` query parameters are kept, the
/// path is `resource_path` and the link is always `link_id` (a `link` parameter in `next` is
/// ignored). Returns the page number and the path, or `None` when `next` has no usable
/// `page` parameter.
pub fn rewrite_next(next: &str, resource_path: &str, link_id: &str) -> Option<(u32, String)> {
    let query = next.split_once('?').map(|(_, q)| q)?;
    let query = query.split('#').next().unwrap_or("");
    let mut page = None;
    let mut page_size = None;
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "page" => page = parse_positive(v),
            "page_size" => page_size = parse_positive(v),
            _ => {}
        }
    }
    let page = page?;
    Some((page, page_path(resource_path, link_id, page, page_size)))
}

fn parse_positive(v: &str) -> Option<u32> {
    if v.is_empty() || v.len() > 9 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().filter(|n| *n > 0)
}

/// Why a proxy URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyUrlError {
    /// Empty, not `http(s)://…` nor an absolute path, or has a query/fragment.
    Malformed,
    /// Contains `user:password@`.
    Credentials,
    /// Points at Belvo itself (`belvo.com`, `belvo.io` or a subdomain): the browser would
    /// need the Belvo secret.
    Belvo,
}

impl ProxyUrlError {
    /// A developer-facing description.
    pub fn detail(self) -> &'static str {
        match self {
            ProxyUrlError::Malformed => {
                "proxyUrl must be an http(s) URL or an absolute path, without query or fragment"
            }
            ProxyUrlError::Credentials => "proxyUrl must not contain credentials",
            ProxyUrlError::Belvo => {
                "proxyUrl points at Belvo: the browser must call your own backend, which holds the Belvo secret"
            }
        }
    }
}

/// Checks the proxy URL and returns it without trailing `/`. Accepted: `http://` and
/// `https://` URLs, or a same-origin absolute path (`/belvo`). Refused: Belvo's own hosts
/// (`belvo.com`, `belvo.io` and subdomains), userinfo, query strings and fragments.
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
    let mut decoded = alloc::vec::Vec::with_capacity(bytes.len());
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
