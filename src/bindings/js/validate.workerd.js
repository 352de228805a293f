// `employment-link/validate` for Cloudflare Workers (workerd): the .wasm is imported as a
// compiled module, because workerd forbids compiling wasm from bytes at run time.
import wasmModule from "./id/employment_link_id.wasm";
import { __attach } from "./id.js";

__attach(new WebAssembly.Instance(wasmModule, {}).exports);

export * from "./id.js";
