// Entry for Cloudflare Workers (workerd): the .wasm is imported as a compiled module, because
// workerd forbids compiling wasm from bytes at run time.
import wasmModule from "./web/employment_link.wasm";
import { __attach } from "./id.js";
import { __attachCore } from "./client.js";

const { exports } = new WebAssembly.Instance(wasmModule, {});
__attach(exports);
__attachCore(exports);

export * from "./api.js";
