//! The identifier exports in Node (wasm-bindgen-test).
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]
include!("wasm_common/id_cases.rs");
