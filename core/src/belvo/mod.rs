//! Belvo's API as data: institutions, wire types and the error catalogue. No I/O.

pub mod errors;
pub mod http;
pub mod institution;
pub mod lenient;
pub mod wire;
