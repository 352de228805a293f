// Entry for browsers (ES module, no bundler needed) and bundlers such as Vite: the wasm is
// fetched next to this file (plain exports, no imports: no generated glue).
import { __attach } from "./id.js";
import { __attachCore } from "./client.js";

const url = new URL("./web/employment_link.wasm", import.meta.url);
const { instance } = await WebAssembly.instantiate(await (await fetch(url)).arrayBuffer(), {});
__attach(instance.exports);
__attachCore(instance.exports);

export * from "./api.js";
