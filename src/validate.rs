//! The identifier validators as `#[wasm_bindgen]` functions (being written).
