//! employment-link's browser bindings (to be rewritten with `#[wasm_bindgen]`).
pub use employment_link_core as core_;
