// Entry for browsers (ES module, no bundler needed) and bundlers such as Vite.
import init from "./web/employment_link.js";
import { __attach } from "./id.js";

__attach(await init({ module_or_path: new URL("./web/employment_link_bg.wasm", import.meta.url) }));

export * from "./api.js";
