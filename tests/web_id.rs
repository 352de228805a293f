//! The validator exports in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
include!("wasm_common/id_cases.rs");
