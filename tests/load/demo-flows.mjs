// N concurrent link flows against `make demo`'s server (scripts/demo.sh: wrangler dev, the
// Worker in emulator mode). Not part of `make test` (it loads the machine for a minute).
//
//   node tests/load/demo-flows.mjs                 # starts scripts/demo.sh on a free port, 1000 flows
//   node tests/load/demo-flows.mjs --flows 200     # fewer
//   node tests/load/demo-flows.mjs --url http://127.0.0.1:8787   # against a running `make demo`
//   node tests/load/demo-flows.mjs --state DIR     # the demo's KV state dir (default: a fresh temp dir)
//   node tests/load/demo-flows.mjs --url U --origin O   # the Origin header to send (default: the URL's)
//   node tests/load/demo-flows.mjs --demo path/to/other-demo.sh   # another demo script (same PORT/DEMO_STATE_DIR contract)
//
// A flow is what the widget does for one person on IMSS, as a browser would send it (with the
// demo's Origin): POST /api/links/ with a valid CURP no other flow uses (the attempt guard
// allows 3 per CURP), then GET /links/{id}/events until the webhooks arrived, then every page
// of /api/employment-records/ and /api/owners/, each with the link's X-Link-Capability. All
// flows start together. A flow fails on any network error or any answer other than the
// expected one; the failures are counted by request and status (with the 503 "Your worker
// restarted mid-request" of wrangler's dev proxy counted separately).
// Exit status 0 when every flow succeeded.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isValidCurp } from "employment-link";
import { freePort, spawnDemo, stopChild } from "../support/demo.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf("--" + name);
  return i >= 0 ? args[i + 1] : dflt;
};
const FLOWS = Number(opt("flows", 1000));
const EVENTS_TIMEOUT_MS = Number(opt("events-timeout", 120_000));

/** `n` distinct valid CURPs (a seeded generator, so runs are comparable). */
function curps(n, seed = 1) {
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = (s) => s[Math.floor(rnd() * s.length)];
  const two = (v) => String(v).padStart(2, "0");
  const C = "BCDFGHJLMNPRSTVZ";
  const out = new Set();
  while (out.size < n) {
    const base = pick("BCDFGLMNPRST") + pick("AEIOU") + pick(C) + pick(C) +
      two(50 + Math.floor(rnd() * 50)) + two(1 + Math.floor(rnd() * 12)) + two(1 + Math.floor(rnd() * 28)) +
      pick("HM") + pick(["JC", "DF", "NL", "PL", "VZ", "YN", "SL", "GT"]) + pick(C) + pick(C) + pick(C) + "0";
    for (let d = 0; d < 10; d++) if (isValidCurp(base + d)) { out.add(base + d); break; }
  }
  return [...out];
}

/** fetch with a timeout that holds its AbortController (AbortSignal.timeout's timer does not). */
async function fetchWithin(ms, url, init = {}) {
  const ctrl = new AbortController();
  const t = setTimeout(() => ctrl.abort(new DOMException("timed out", "TimeoutError")), ms);
  try {
    const r = await fetch(url, { ...init, signal: ctrl.signal });
    const text = await r.text();
    return { r, text };
  } finally {
    clearTimeout(t);
  }
}

async function startDemo() {
  const given = opt("url");
  if (given) return { url: given.replace(/\/$/, ""), stop: async () => {}, logs: [] };
  const fresh = !opt("state");
  const state = opt("state") ?? mkdtempSync(path.join(tmpdir(), "el-load-state-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logs = [];
  const child = spawnDemo(ROOT, path.resolve(ROOT, opt("demo", "scripts/demo.sh")), port, state, logs);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const { r } = await fetchWithin(2000, url + "/__emulator/scenarios");
      if (r.ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`scripts/demo.sh exited (${child.exitCode}):\n${logs.join("")}`);
    if (Date.now() > deadline) throw new Error(`the demo did not answer at ${url}:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const stop = async () => {
    await stopChild(child);
    if (fresh) rmSync(state, { recursive: true, force: true });
  };
  return { url, stop, logs };
}

class FlowError extends Error {
  constructor(step, status, body) {
    super(`${step}: ${status}`);
    this.step = step;
    this.status = status;
    this.body = body;
  }
}

async function flow(url, curp, stats) {
  const origin = opt("origin", url);
  const call = async (step, method, p, { body, cap, ok = [200] } = {}) => {
    const headers = { Origin: origin, Accept: "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (cap) headers["X-Link-Capability"] = cap;
    let r, text;
    try {
      ({ r, text } = await fetchWithin(180_000, url + p, { method, headers, body: body && JSON.stringify(body) }));
    } catch (e) {
      throw new FlowError(step, `network (${e.cause?.code ?? e.name})`);
    }
    stats.requests++;
    if (!ok.includes(r.status)) throw new FlowError(step, r.status, text.slice(0, 200));
    return { r, text };
  };
  const { r, text } = await call("POST /api/links/", "POST", "/api/links/", {
    body: { institution: "imss_mx_employment", username: curp, access_mode: "single" },
    ok: [201],
  });
  const link = JSON.parse(text).id;
  const cap = r.headers.get("x-link-capability");
  if (!link || !cap) throw new FlowError("POST /api/links/", "no link id or capability");
  // The webhooks (historical_update for EMPLOYMENT_RECORDS and OWNERS) say the data is ready.
  const until = Date.now() + EVENTS_TIMEOUT_MS;
  for (let wait = 500; ; wait = Math.min(wait * 1.5, 4000)) {
    const { text } = await call("GET /links/{id}/events", "GET", `/links/${link}/events`, { cap });
    const got = new Set(JSON.parse(text).events.map((e) => e.webhook_type));
    if (got.has("EMPLOYMENT_RECORDS") && got.has("OWNERS")) break;
    if (Date.now() > until) throw new FlowError("GET /links/{id}/events", "no webhooks in time");
    await new Promise((res) => setTimeout(res, wait));
  }
  let records = 0;
  for (let page = 1; page; ) {
    const { text } = await call("GET /api/employment-records/", "GET", `/api/employment-records/?link=${link}&page=${page}`, { cap });
    const j = JSON.parse(text);
    records += j.results.length;
    page = j.next ? page + 1 : 0;
  }
  if (records < 1) throw new FlowError("GET /api/employment-records/", "no records");
  const { text: owners } = await call("GET /api/owners/", "GET", `/api/owners/?link=${link}`, { cap });
  if (JSON.parse(owners).results.length !== 1) throw new FlowError("GET /api/owners/", "no owner");
}

const demo = await startDemo();
let exit = 1;
try {
  const ids = curps(FLOWS, Number(opt("seed", 1)));
  const stats = { requests: 0 };
  const failures = new Map();
  let restarted = 0;
  console.log(`load: ${FLOWS} concurrent flows against ${demo.url}`);
  const t0 = performance.now();
  const results = await Promise.allSettled(ids.map((c) => flow(demo.url, c, stats)));
  const secs = (performance.now() - t0) / 1000;
  for (const r of results) {
    if (r.status === "fulfilled") continue;
    const e = r.reason;
    const key = e instanceof FlowError ? `${e.step} → ${e.status}` : `exception ${e?.message}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
    if (e?.status === 503 && /restarted mid-request/.test(e.body ?? "")) restarted++;
  }
  const failed = results.filter((r) => r.status === "rejected").length;
  console.log(`load: ${FLOWS - failed} of ${FLOWS} flows succeeded, ${failed} failed ` +
    `(${restarted} with 503 "Your worker restarted mid-request"); ${stats.requests} answers in ${secs.toFixed(1)} s`);
  for (const [k, n] of [...failures].sort((a, b) => b[1] - a[1])) console.log(`load:   ${String(n).padStart(5)} × ${k}`);
  const sample = results.find((r) => r.status === "rejected")?.reason;
  if (sample?.body) console.log(`load: first failure's body: ${sample.body}`);
  exit = failed ? 1 : 0;
} finally {
  await demo.stop();
  const gate = demo.logs.join("").match(/demo gate: .*/);
  if (gate) console.log(`load: ${gate[0]}`);
  if (process.env.LOAD_LOG) writeFileSync(process.env.LOAD_LOG, demo.logs.join(""));
}
process.exit(exit);
