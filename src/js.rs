//! The two ways values leave the bindings: plain JS values made by serde-wasm-bindgen, and
//! coded `Error` objects for programmer misuse.

use serde::Serialize;
use wasm_bindgen::JsValue;

/// `value` as a plain JS value: objects (not `Map`s), numbers (not `BigInt`s), `null` for
/// `None` where the type serializes one.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// An `Error` named `EmploymentLinkError` with a stable `code` (thrown only for misuse).
#[cfg(feature = "client")]
pub(crate) fn coded_error(code: &str, message: &str) -> js_sys::Error {
    let e = js_sys::Error::new(message);
    e.set_name("EmploymentLinkError");
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e
}
