//! The byte-level cryptography the server side shares (feature `server`): HMAC-SHA256,
//! SHA-256, hex, base64, HTTP Basic credentials and constant-time comparison. The proxy builds
//! its link capabilities and guard keys on these; the emulator checks Basic auth and derives
//! its deterministic ids with them. No key material is ever logged or returned.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `parts` (joined with a NUL separator, so `("a","bc")` ≠ `("ab","c")`).
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; fall back to an
    // all-zero MAC rather than panic if a future version ever changes that.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return [0u8; 32];
    };
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            mac.update(&[0u8]);
        }
        mac.update(p);
    }
    let out = mac.finalize().into_bytes();
    let mut arr = [0u8; 32];
    arr.copy_from_slice(&out);
    arr
}

/// Plain SHA-256.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let out = Sha256::digest(data);
    let mut arr = [0u8; 32];
    arr.copy_from_slice(&out);
    arr
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 0x0f), 16).unwrap_or('0'));
    }
    s
}

/// Decodes lower- or upper-case hex; `None` on odd length or a non-hex character.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    let val = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    b.chunks_exact(2)
        .map(|p| match p {
            [hi, lo] => Some((val(*hi)? << 4) | val(*lo)?),
            _ => None,
        })
        .collect()
}

/// Constant-time equality of two byte strings of equal length (the length itself is not
/// secret here: callers compare fixed-size MACs).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    diff == 0
}

/// Compares a presented secret with the expected one without leaking where they differ or
/// their lengths: both are MAC'd under a per-call key first, then compared in constant time.
pub fn secret_eq(key: &[u8], presented: &str, expected: &str) -> bool {
    let a = hmac_sha256(key, &[b"secret-compare", presented.as_bytes()]);
    let b = hmac_sha256(key, &[b"secret-compare", expected.as_bytes()]);
    ct_eq(&a, &b)
}

/// Standard base64 (with padding), for HTTP Basic credentials.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let idx =
            |shift: u32| char::from(T.get(((n >> shift) & 63) as usize).copied().unwrap_or(b'A'));
        out.push(idx(18));
        out.push(idx(12));
        out.push(if chunk.len() > 1 { idx(6) } else { '=' });
        out.push(if chunk.len() > 2 { idx(0) } else { '=' });
    }
    out
}

/// The `Authorization` value for HTTP Basic auth with Belvo's secret key id and password.
pub fn basic_auth(id: &str, password: &str) -> String {
    let mut raw = Vec::with_capacity(id.len() + password.len() + 1);
    raw.extend_from_slice(id.as_bytes());
    raw.push(b':');
    raw.extend_from_slice(password.as_bytes());
    let mut s = String::from("Basic ");
    s.push_str(&base64(&raw));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want for nothing?"]);
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn base64_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(
            basic_auth("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex(&[0, 10, 255]), "000aff");
        assert!(unhex("0g").is_none());
        assert!(unhex("abc").is_none());
        assert_eq!(unhex("0aFF"), Some(std::vec![10, 255]));
    }

    #[test]
    fn secret_compare() {
        assert!(secret_eq(b"k", "Bearer abc", "Bearer abc"));
        assert!(!secret_eq(b"k", "Bearer abd", "Bearer abc"));
        assert!(!secret_eq(b"k", "", "Bearer abc"));
    }
}
