//! The browser flow client against the real Worker proxy + emulator, in headless Chromium
//! (wasm-bindgen-test). Needs the Worker: run through scripts/test-wasm.sh.
#![cfg(all(target_arch = "wasm32", feature = "client"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
include!("wasm_common/flow_cases.rs");
include!("wasm_common/flow_retry_cases.rs");
