/// <reference lib="esnext.disposable" />
// `employment-link`: the declarations wasm-bindgen generated from the Rust bindings.
export * from "./web/employment_link.js";
import type { InstitutionInfo } from "./web/employment_link.js";
/** The Belvo employment institutions this package supports. */
export declare const INSTITUTIONS: readonly InstitutionInfo[];
