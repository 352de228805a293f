//! `EmploymentLink`, the link-flow client, as a `#[wasm_bindgen]` class (being written).
