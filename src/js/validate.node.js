// `employment-link/validate` for Node >= 18: the wasm bytes are read from disk next to the generated module.
import { readFileSync } from "node:fs";
import { initSync, institutions } from "./id/employment_link_id.js";

initSync({ module: readFileSync(new URL("./id/employment_link_id_bg.wasm", import.meta.url)) });

export * from "./id/employment_link_id.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
