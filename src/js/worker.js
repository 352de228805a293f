// `employment-link/worker`: the Cloudflare Worker proxy (+ embedded Belvo sandbox emulator).
//
//   export { default } from "employment-link/worker";
//
// Configuration comes from the Worker env (see worker/README.md). workerd compiles no wasm from
// bytes at run time, so the .wasm is imported as a compiled module.
import wasmModule from "./worker/employment_link_bg.wasm";
import { initSync, workerFetch, workerScenarios } from "./worker/employment_link.js";

initSync({ module: wasmModule });

/** Handles one request: use it as the Worker's `fetch`, or call it from your own handler. */
export function fetch(request, env, ctx) {
  return workerFetch(request, env, ctx);
}

/** The emulator's scenario table, as served at GET /__emulator/scenarios. */
export function scenarios() {
  return JSON.parse(workerScenarios());
}

export default { fetch };
