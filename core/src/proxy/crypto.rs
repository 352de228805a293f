//! Keyed hashing for the proxy: link capabilities and attempt-guard keys, on the shared
//! primitives of [`crate::crypto`]. No key material is ever logged or returned.

use crate::crypto::{ct_eq, hex, hmac_sha256, unhex};

/// Prefix of every capability token: lets the format change later without ambiguity.
pub const CAPABILITY_PREFIX: &str = "v1.";

/// The capability for `link_id`: `v1.` + hex(HMAC(LINK_KEY, "link", lower(link_id))).
pub fn link_capability(key: &[u8], link_id: &str) -> String {
    let id = link_id.to_ascii_lowercase();
    let mac = hmac_sha256(key, &[b"link-capability", id.as_bytes()]);
    let mut s = String::with_capacity(CAPABILITY_PREFIX.len() + 64);
    s.push_str(CAPABILITY_PREFIX);
    s.push_str(&hex(&mac));
    s
}

/// Whether `presented` is the capability for `link_id` (constant-time on the MAC).
pub fn verify_link_capability(key: &[u8], link_id: &str, presented: &str) -> bool {
    let Some(rest) = presented.trim().strip_prefix(CAPABILITY_PREFIX) else {
        return false;
    };
    let Some(got) = unhex(rest) else {
        return false;
    };
    let id = link_id.to_ascii_lowercase();
    let want = hmac_sha256(key, &[b"link-capability", id.as_bytes()]);
    ct_eq(&got, &want)
}

/// The storage key under which link attempts for one identifier are counted:
/// `guard:` + hex(HMAC(LINK_KEY, "attempt-guard", institution, identifier)). The raw
/// identifier never leaves this function.
pub fn guard_key(key: &[u8], institution: &str, identifier: &str) -> String {
    let mac = hmac_sha256(
        key,
        &[
            b"attempt-guard",
            institution.as_bytes(),
            identifier.as_bytes(),
        ],
    );
    let mut s = String::from("guard:");
    s.push_str(&hex(&mac));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_round_trip() {
        let k = b"0123456789abcdef0123456789abcdef";
        let id = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
        let cap = link_capability(k, id);
        assert!(verify_link_capability(k, id, &cap));
        assert!(verify_link_capability(k, &id.to_ascii_uppercase(), &cap));
        assert!(!verify_link_capability(
            k,
            "74c01cb4-edf1-44d6-8876-b1dc2aebcb15",
            &cap
        ));
        assert!(!verify_link_capability(b"other key", id, &cap));
        assert!(!verify_link_capability(k, id, "v1.zz"));
        assert!(!verify_link_capability(k, id, ""));
    }
}
