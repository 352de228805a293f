// `employment-link/validate` for browsers and bundlers (Vite): the wasm is fetched next to the generated
// module (`new URL(…, import.meta.url)`, which bundlers follow).
import init, { institutions } from "./id/employment_link_id.js";

await init();

export * from "./id/employment_link_id.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
