// `employment-link/worker`: the Cloudflare Worker proxy (+ embedded Belvo sandbox emulator).
//
//   import { fetch } from "employment-link/worker";
//   export default { fetch };
//
// Configuration comes from the Worker env (BELVO_ENV, BELVO_SECRET_ID, BELVO_SECRET_PASSWORD,
// WEBHOOK_TOKEN, LINK_KEY, ALLOWED_ORIGINS, KV binding EMPLOYMENT_LINK_KV); see the README.
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
