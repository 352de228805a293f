// `employment-link` for Node >= 18: the wasm bytes are read from disk next to the generated module.
import { readFileSync } from "node:fs";
import { initSync, institutions } from "./web/employment_link.js";

initSync({ module: readFileSync(new URL("./web/employment_link_bg.wasm", import.meta.url)) });

export * from "./web/employment_link.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
