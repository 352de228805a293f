// The Belvo link-flow client (Rust, wasm-bindgen class). Re-exported by api.js.
export { EmploymentLink } from "./web/employment_link.js";
