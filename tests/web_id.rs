//! The identifier exports in headless Chromium (wasm-bindgen-test).
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
include!("wasm_common/id_cases.rs");
