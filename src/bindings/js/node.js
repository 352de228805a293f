// Entry for Node >= 18 (ESM): the wasm bytes are read from disk next to this file.
import { readFileSync } from "node:fs";
import { __attach } from "./id.js";
import { __attachCore } from "./client.js";

const bytes = readFileSync(new URL("./web/employment_link.wasm", import.meta.url));
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
__attach(exports);
__attachCore(exports);

export * from "./api.js";
