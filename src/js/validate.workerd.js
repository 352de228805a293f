// `employment-link/validate` for Cloudflare Workers: workerd compiles no wasm from bytes at run time, so the
// .wasm is imported as a compiled module.
import wasmModule from "./id/employment_link_id_bg.wasm";
import { initSync, institutions } from "./id/employment_link_id.js";

initSync({ module: wasmModule });

export * from "./id/employment_link_id.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
