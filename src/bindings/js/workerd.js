// Entry for Cloudflare Workers (workerd): the .wasm is imported as a compiled module, because
// workerd forbids compiling wasm from bytes at run time.
import wasmModule from "./web/employment_link_bg.wasm";
import { initSync } from "./web/employment_link.js";
import { __attach } from "./id.js";

__attach(initSync({ module: wasmModule }));

export * from "./api.js";
