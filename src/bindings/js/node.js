// Entry for Node >= 18 (ESM): the wasm bytes are read from disk next to this file.
import { readFileSync } from "node:fs";
import { initSync } from "./web/employment_link.js";
import { __attach } from "./id.js";

__attach(initSync({ module: readFileSync(new URL("./web/employment_link_bg.wasm", import.meta.url)) }));

export * from "./api.js";
