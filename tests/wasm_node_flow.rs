//! The browser flow client against the real Worker proxy + emulator, in Node
//! (wasm-bindgen-test). Needs the Worker: run through scripts/test-wasm.sh.
#![cfg(all(target_arch = "wasm32", feature = "client"))]
include!("wasm_common/flow_cases.rs");
include!("wasm_common/flow_retry_cases.rs");
