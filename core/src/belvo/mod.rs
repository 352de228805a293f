//! Belvo's API as data: institutions, wire types and the error catalogue. No I/O.

pub mod errors;
pub mod http;
pub mod institution;
pub mod lenient;
pub mod wire;

/// Whether `s` is a UUID (8-4-4-4-12 hex digits, either case): the format of Belvo's link,
/// record and user ids.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
