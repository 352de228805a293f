// The Worker entry wrangler runs from this directory (wrangler.toml, wrangler.demo.toml): the
// package's own `employment-link/worker` entry, from the built pkg/ (scripts/build.sh).
export * from "../pkg/worker.js";
export { default } from "../pkg/worker.js";
