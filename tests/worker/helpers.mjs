// Shared helpers for the workerd tests: start the real Worker (worker/index.js + the wasm
// package in pkg/worker) in workerd through Miniflare's API, offline, and talk to it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ORIGIN = "https://app.example.com";
export const FOREIGN = "https://evil.example.net";
export const SANDBOX_CURP = "BLPM951331IONVGR54";
export const CURP_A = "PEXA850412HJCRRN09";
export const CPF_A = "15387204690";
export const LINK_KEY = "test-link-key-0123456789abcdef";
export const WEBHOOK_TOKEN = "Bearer test-webhook-token";

let MiniflareClass;
/** A Miniflare instance for the module Worker at `scriptPath` (its modules under `modulesRoot`). */
export async function newMiniflare(scriptPath, modulesRoot, options = {}) {
  const Miniflare = await loadMiniflare();
  return new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-20",
    cf: false,
    host: "127.0.0.1",
    ...options,
  });
}

async function loadMiniflare() {
  if (MiniflareClass) return MiniflareClass;
  // Miniflare comes with wrangler 4.86.0, installed in tools/node (TOOLS_NODE_DIR overrides).
  const dir = process.env.TOOLS_NODE_DIR || path.join(ROOT, "tools/node");
  const require = createRequire(path.join(dir, "package.json"));
  const entry = require.resolve("miniflare");
  MiniflareClass = (await import(pathToFileURL(entry).href)).Miniflare;
  return MiniflareClass;
}

/** Starts the Worker with `bindings` (vars/secrets). Returns helpers; call `stop()` after.
 *  `script`: another entry (under the repository) that wraps worker/index.js. */
export async function startWorker(bindings = {}, { kv = true, script = "worker/index.js" } = {}) {
  const logs = [];
  const mf = await newMiniflare(path.join(ROOT, script), ROOT, {
    kvNamespaces: kv ? ["EMPLOYMENT_LINK_KV"] : [],
    bindings: {
      ALLOWED_ORIGINS: ORIGIN,
      EMULATOR_WEBHOOK_DELAY_MS: "100",
      EMULATOR_SLOW_MS: "300",
      LINK_KEY,
      WEBHOOK_TOKEN,
      ...bindings,
    },
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => logs.push(String(d)));
      stderr.on("data", (d) => logs.push(String(d)));
    },
  });
  const url = await mf.ready;
  const w = {
    mf,
    url,
    logs,
    async fetch(p, init = {}) {
      return mf.dispatchFetch(new URL(p, url), init);
    },
    async json(p, init = {}) {
      const r = await w.fetch(p, init);
      const text = await r.text();
      let body = null;
      try { body = JSON.parse(text); } catch { body = text; }
      return { status: r.status, headers: r.headers, body, text };
    },
    post(p, body, headers = {}) {
      return w.json(p, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    patch(body, cap, headers = {}) {
      const h = { "content-type": "application/json", ...headers };
      if (cap) h["x-link-capability"] = cap;
      return w.json("/api/links/", { method: "PATCH", headers: h, body: typeof body === "string" ? body : JSON.stringify(body) });
    },
    get(p, cap, headers = {}) {
      const h = { ...headers };
      if (cap) h["x-link-capability"] = cap;
      return w.json(p, { headers: h });
    },
    createLink(body, headers) {
      return w.post("/api/links/", body, headers);
    },
    /** Emulator request counter (emulator mode only). */
    async requests() {
      const s = await w.json("/__emulator/stats");
      return s.body.requests;
    },
    async stats() {
      return (await w.json("/__emulator/stats")).body;
    },
    /** Polls the events of a link until `n` arrived (or the time is up). */
    async waitEvents(linkId, cap, n, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const r = await w.get(`/links/${linkId}/events`, cap);
        if (r.status === 200 && r.body.events.length >= n) return r.body.events;
        if (Date.now() > end) return r.body?.events ?? [];
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    stop() {
      return mf.dispose();
    },
  };
  return w;
}

/** Asserts the Belvo error shape and returns the first item. */
export function errorItem(r) {
  if (!Array.isArray(r.body) || typeof r.body[0] !== "object") {
    throw new Error(`not a Belvo error array (${r.status}): ${r.text}`);
  }
  const item = r.body[0];
  for (const k of ["code", "message", "request_id"]) {
    if (typeof item[k] !== "string") throw new Error(`error item lacks ${k}: ${r.text}`);
  }
  return item;
}

/** The scenario table from the repository. */
export function scenarioTable() {
  return JSON.parse(readFileSync(path.join(ROOT, "emulator/scenarios.json"), "utf8"));
}

/** A tiny local "Belvo" whose behaviour each test sets; counts and records requests. */
export async function startFakeBelvo() {
  const state = { mode: "json", status: 200, body: "{}", contentType: "application/json", requests: [] };
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      state.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (state.mode === "hang") return; // never answers
      res.writeHead(state.status, { "content-type": state.contentType });
      res.end(state.body);
    });
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return {
    state,
    url: `http://127.0.0.1:${port}`,
    set(mode, status, contentType, body) {
      Object.assign(state, { mode, status, contentType, body });
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A loopback port with nothing listening. */
export async function closedPort() {
  const server = http.createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}
