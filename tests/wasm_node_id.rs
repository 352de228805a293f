//! The validator exports in Node (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]
include!("wasm_common/id_cases.rs");
