// `employment-link/validate`: the declarations wasm-bindgen generated from the Rust bindings.
export * from "./id/employment_link_id.js";
import type { InstitutionInfo } from "./id/employment_link_id.js";
/** The Belvo employment institutions this package supports. */
export declare const INSTITUTIONS: readonly InstitutionInfo[];
