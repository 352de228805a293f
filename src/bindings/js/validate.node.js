// `employment-link/validate` for Node >= 18 (ESM): the validator-only wasm, read from disk.
import { readFileSync } from "node:fs";
import { __attach } from "./id.js";

const bytes = readFileSync(new URL("./id/employment_link_id.wasm", import.meta.url));
__attach(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports);

export * from "./id.js";
