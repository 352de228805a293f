//! # employment-link — browser bindings
//!
//! The `#[wasm_bindgen]` surface of the npm package: the identifier validators
//! ([`validate`]) and, with feature `client` (default), the link-flow client `EmploymentLink`
//! ([`client`]). Values cross with serde-wasm-bindgen; every rule lives in
//! [`employment_link_core`], these modules only move values between JS and it.
#![warn(missing_docs)]

mod js;
pub mod validate;

#[cfg(feature = "client")]
pub mod client;
