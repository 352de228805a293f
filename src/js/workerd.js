// `employment-link` for Cloudflare Workers: workerd compiles no wasm from bytes at run time, so the
// .wasm is imported as a compiled module.
import wasmModule from "./web/employment_link_bg.wasm";
import { initSync, institutions } from "./web/employment_link.js";

initSync({ module: wasmModule });

export * from "./web/employment_link.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
