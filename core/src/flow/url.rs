//! URL helpers: percent-encoding, following Belvo's `next` links on the proxy, and checking
//! the proxy URL.

use std::fmt::Write;

/// Appends `s` percent-encoded (everything but RFC 3986 unreserved characters).
pub fn push_encoded(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            for nib in [b >> 4, b & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nib)).copied().unwrap_or(b'0'),
                ));
            }
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
    // Writing to a `String` cannot fail.
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
    let sep = u.find("://").ok_or(ProxyUrlError::Malformed)?;
    let (scheme, rest) = (u.get(..sep).unwrap_or(""), u.get(sep + 3..).unwrap_or(""));
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
    // case. (On bytes: only ASCII can spell a Belvo host, so ASCII case-folding decides the
    // same as Unicode lower-casing, and the three full stops are matched as UTF-8.)
    let bytes = host.as_bytes();
    let mut i = 0;
    let mut decoded = Vec::with_capacity(bytes.len());
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            // Exactly two hex digits (no sign, unlike `from_str_radix`).
            let hex = |k: usize| bytes.get(k).and_then(|&c| char::from(c).to_digit(16));
            if let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) {
                decoded.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        decoded.push(b);
        i += 1;
    }
    const STOPS: [&[u8]; 3] = [
        "\u{3002}".as_bytes(),
        "\u{FF0E}".as_bytes(),
        "\u{FF61}".as_bytes(),
    ];
    let mut h = Vec::with_capacity(decoded.len());
    let mut i = 0;
    while let Some(&b) = decoded.get(i) {
        let rest = decoded.get(i..).unwrap_or(&[]);
        if STOPS.iter().any(|s| rest.starts_with(s)) {
            h.push(b'.');
            i += 3;
        } else {
            h.push(b.to_ascii_lowercase());
            i += 1;
        }
    }
    let mut h = &h[..];
    while let Some(rest) = h.strip_suffix(b".") {
        h = rest;
    }
    for belvo in [&b"belvo.com"[..], b"belvo.io"] {
        if h == belvo || h.strip_suffix(belvo).is_some_and(|p| p.ends_with(b".")) {
            return Err(ProxyUrlError::Belvo);
        }
    }
    Ok(())
}
