// Cloudflare Worker entry for employment-link: the proxy (policy, link binding, attempt guard,
// webhooks) and, until Belvo secrets are configured, the embedded Belvo sandbox emulator.
//
// All logic is in Rust (src/proxy, src/emulator, src/bindings/worker.rs); this file only loads
// the wasm module. workerd refuses to compile wasm from bytes, so the .wasm is imported as a
// compiled module (wrangler's default rule for *.wasm) and handed to `initSync`.
//
// Build the pkg first: scripts/build-worker.sh  (cargo + wasm-bindgen --target web).
import wasmModule from "../pkg/worker/employment_link_bg.wasm";
import { initSync, workerFetch, workerScenarios } from "../pkg/worker/employment_link.js";

initSync({ module: wasmModule });

/** Handles one request (use as the Worker's `fetch`, or call it from your own). */
export function fetch(request, env, ctx) {
  return workerFetch(request, env, ctx);
}

/** The emulator's scenario table (JSON text), as served at GET /__emulator/scenarios. */
export function scenarios() {
  return JSON.parse(workerScenarios());
}

export default { fetch };
