//! wasm-bindgen adapters. The only part of the crate that imports wasm-bindgen: it moves
//! bytes between JS and the pure core, and decides nothing.
//!
//! Feature `wasm-id` builds the identifier fast path alone (the `employment-link/validate`
//! entry); feature `wasm` adds the link-flow client.

#[cfg(feature = "wasm")]
pub mod client;
pub mod id;
#[cfg(feature = "worker")]
pub mod worker;

#[cfg(feature = "wasm")]
use wasm_bindgen::JsValue;

/// Builds a real JS `Error` with a stable `code` property (thrown only for programmer misuse).
#[cfg(feature = "wasm")]
pub fn coded_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("EmploymentLinkError");
    // Reflect::set on a fresh Error object cannot fail; ignore the Result rather than unwrap.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}
