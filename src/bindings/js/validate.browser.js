// `employment-link/validate` for browsers (ES module, no bundler needed) and bundlers such as
// Vite: the validator-only wasm (no imports, no wasm-bindgen glue), fetched next to this file.
import { __attach } from "./id.js";

const url = new URL("./id/employment_link_id.wasm", import.meta.url);
const { instance } = await WebAssembly.instantiate(await (await fetch(url)).arrayBuffer(), {});
__attach(instance.exports);

export * from "./id.js";
