// `employment-link` for browsers and bundlers (Vite): the wasm is fetched next to the generated
// module (`new URL(…, import.meta.url)`, which bundlers follow).
import init, { institutions } from "./web/employment_link.js";

await init();

export * from "./web/employment_link.js";
/** The Belvo employment institutions this package supports. */
export const INSTITUTIONS = Object.freeze(institutions());
