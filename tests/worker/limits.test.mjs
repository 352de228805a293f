// Body limits (issue 14), in workerd: a request body is read as a stream and only up to one
// byte past the limit (then the stream is cancelled and the answer is 413); a body that
// stalls is answered 408 after BODY_READ_TIMEOUT_MS; a Belvo answer over UPSTREAM_MAX_BYTES
// is cut off and answered 502 upstream_invalid_response.
//
// Two views: (1) a real chunked HTTP upload from this process to workerd, with the workerd
// process's resident memory read from /proc (Linux; skipped elsewhere); (2) a probe Worker
// (fixtures/body-probe-worker.js) that hands the Worker a body from a stream made inside the
// isolate and reports how many bytes the Worker pulled from it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { LINK_KEY, errorItem, startWorker } from "./helpers.mjs";

const MAX_BODY = 16 * 1024;
const MiB = 1024 * 1024;
const HUGE = 64 * MiB;
const capabilityFor = (link) => "v1." + createHmac("sha256", LINK_KEY).update(`link-capability\0${link}`).digest("hex");

/** The workerd processes started by this test process (Linux /proc), for their memory. */
function workerdPids() {
  if (!existsSync("/proc/self/stat")) return [];
  const procs = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const m = readFileSync(`/proc/${d}/stat`, "utf8").match(/^\d+ \((.*)\) \S (\d+)/);
      if (m) procs.push({ pid: Number(d), comm: m[1], ppid: Number(m[2]) });
    } catch { /* gone */ }
  }
  const found = [];
  const walk = (parent) => {
    for (const p of procs) {
      if (p.ppid !== parent) continue;
      if (p.comm.includes("workerd")) found.push(p.pid);
      walk(p.pid);
    }
  };
  walk(process.pid);
  return found;
}

/** Resident memory of `pids`, bytes (null when unknown). */
function rss(pids) {
  if (pids.length === 0) return null;
  let sum = 0;
  for (const pid of pids) {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    if (!m) return null;
    sum += Number(m[1]) * 1024;
  }
  return sum;
}

const mb = (n) => (n / MiB).toFixed(1);

/**
 * POSTs a chunked body of `total` bytes (no Content-Length) to `url`, honouring backpressure,
 * stopping when an answer arrives or the connection fails; after `stallAfter` bytes it sends
 * nothing more (never ends). Resolves { status, text, written, error }.
 */
function postChunked(url, total, { stallAfter = Infinity, headers = {}, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const out = { status: null, text: "", written: 0, error: null };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(out);
    };
    const timer = setTimeout(() => { out.error = "client_timeout"; settle(); }, timeoutMs);
    req.on("response", (res) => {
      out.status = res.statusCode;
      res.setEncoding("utf8");
      res.on("data", (d) => (out.text += d));
      res.on("end", settle);
      res.on("error", settle);
    });
    // workerd closes the connection with the rest of the body unread: the client may see a
    // reset instead of the answer (the Worker's log line has it then).
    req.on("error", (e) => {
      out.error ??= e.code || String(e);
      if (out.status === null) setTimeout(settle, 100);
    });
    const pump = () => {
      while (out.status === null && out.error === null && out.written < total) {
        if (out.written >= stallAfter) return;
        const piece = chunk.subarray(0, Math.min(chunk.length, stallAfter - out.written, total - out.written));
        out.written += piece.length;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      if (out.written >= total) req.end();
    };
    pump();
  });
}

/** Waits for the Worker's log line of a request to `route` answered `status`, after index `from`. */
async function logLine(w, from, route, status, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lines = w.logs.join("").split("\n").slice(from);
    for (const l of lines) {
      if (!l.startsWith("{")) continue;
      try {
        const v = JSON.parse(l);
        if (v.msg === "request" && v.route === route && v.status === status) return v;
      } catch { /* partial line */ }
    }
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const logCount = (w) => w.logs.join("").split("\n").length - 1;

describe("request body limit over real HTTP (chunked, no Content-Length)", () => {
  let w;
  let pids;
  before(async () => {
    w = await startWorker({ BODY_READ_TIMEOUT_MS: "400" });
    pids = workerdPids();
    // Warm up both routes, so that the measure below sees only the big bodies.
    await w.post("/webhooks", "{}");
    await w.createLink("{}");
  });
  after(async () => { await w?.stop(); });

  for (const route of ["/webhooks", "/api/links/"]) {
    it(`a 64 MiB body to ${route} → 413 after reading a few KiB; the isolate does not grow`, async (t) => {
      const before = rss(pids);
      const from = logCount(w);
      const r = await postChunked(new URL(route, w.url), HUGE);
      const line = await logLine(w, from, `POST ${route}`, 413);
      const grown = before === null ? null : rss(pids) - before;
      t.diagnostic(`client: status ${r.status} error ${r.error}; sent ${mb(r.written)} MiB before the answer; workerd RSS grew ${grown === null ? "?" : mb(grown)} MiB`);
      assert.ok(line, `the Worker answered 413 (log line); client saw ${r.status ?? r.error}`);
      assert.equal(line.code, "request_too_large");
      if (r.status !== null) {
        assert.equal(r.status, 413);
        assert.equal(JSON.parse(r.text)[0].code, "request_too_large");
      } else {
        assert.match(String(r.error), /ECONNRESET|EPIPE/);
      }
      // What this side could push is socket buffers plus what workerd read: far from all of it.
      assert.ok(r.written < 16 * MiB, `${r.written} bytes were taken`);
      if (grown === null) {
        t.diagnostic("workerd's memory cannot be read here (no /proc): memory not checked");
      } else {
        assert.ok(grown < 8 * MiB, `workerd grew by ${mb(grown)} MiB`);
      }
    });
  }

  it("a body that stalls → 408 after BODY_READ_TIMEOUT_MS", { timeout: 10_000 }, async () => {
    const t0 = Date.now();
    const r = await postChunked(new URL("/webhooks", w.url), 4096, { stallAfter: 1000, timeoutMs: 5000 });
    const elapsed = Date.now() - t0;
    assert.equal(r.status, 408, `client saw ${r.status ?? r.error}`);
    const item = JSON.parse(r.text)[0];
    assert.equal(item.code, "request_timeout");
    assert.ok(elapsed >= 350 && elapsed < 3000, `${elapsed} ms`);
  });
});

describe("request body limit, counted inside the isolate (probe Worker)", () => {
  let w;
  before(async () => {
    w = await startWorker({ BODY_READ_TIMEOUT_MS: "300" }, { script: "tests/worker/fixtures/body-probe-worker.js" });
  });
  after(async () => { await w?.stop(); });

  const probe = (route, headers) => w.json(route, { method: "POST", headers: { "content-type": "application/json", ...headers } });

  for (const route of ["/webhooks", "/api/links/"]) {
    it(`${route}: of a 64 MiB body, no more than the limit + 1 byte (rounded up to a chunk) is pulled`, { timeout: 60_000 }, async (t) => {
      for (const chunk of [4096, 65536]) {
        const r = await probe(route, { "x-probe-size": String(HUGE), "x-probe-chunk": String(chunk) });
        const delivered = Number(r.headers.get("x-probe-delivered"));
        t.diagnostic(`chunks of ${chunk}: ${delivered} bytes pulled`);
        assert.equal(r.status, 413, r.text);
        assert.equal(errorItem(r).code, "request_too_large");
        assert.ok(delivered >= MAX_BODY + 1, `${delivered}`);
        assert.ok(delivered <= MAX_BODY + chunk, `${delivered} bytes pulled`);
        assert.equal(r.headers.get("x-probe-cancelled"), "true", "the stream was cancelled");
      }
    });
  }

  it("a body of exactly the limit is read whole and judged (not 413)", async () => {
    const r = await probe("/api/links/", { "x-probe-size": String(MAX_BODY), "x-probe-chunk": "1000" });
    assert.equal(r.status, 400, r.text);
    assert.equal(errorItem(r).code, "parse_error");
    assert.equal(r.headers.get("x-probe-delivered"), String(MAX_BODY));
    assert.equal(r.headers.get("x-probe-cancelled"), "false");
  });

  it("a body that stalls → 408 request_timeout, and the stream is cancelled", { timeout: 10_000 }, async () => {
    const t0 = Date.now();
    const r = await probe("/webhooks", { "x-probe-size": "4000", "x-probe-chunk": "100", "x-probe-stall-after": "500" });
    const elapsed = Date.now() - t0;
    assert.equal(r.status, 408, r.text);
    assert.equal(errorItem(r).code, "request_timeout");
    assert.equal(r.headers.get("x-request-id"), errorItem(r).request_id);
    assert.equal(r.headers.get("x-probe-cancelled"), "true");
    assert.ok(elapsed >= 250 && elapsed < 3000, `${elapsed} ms`);
    const line = await logLine(w, 0, "POST /webhooks", 408);
    assert.equal(line?.code, "request_timeout");
  });
});

/** A stand-in Belvo whose data pages are `size` bytes of JSON, streamed with backpressure. */
async function startBigBelvo() {
  const state = { size: 0, declare: false, written: 0, finished: false, closedEarly: false };
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    state.written = 0;
    state.finished = false;
    state.closedEarly = false;
    const size = state.size;
    const head = '{"count":1,"next":null,"previous":null,"results":[{"pad":"';
    const tail = '"}]}';
    const padding = size - head.length - tail.length;
    const headers = { "content-type": "application/json" };
    if (state.declare) headers["content-length"] = String(size);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    res.on("close", () => { if (!state.finished) state.closedEarly = true; });
    const pump = () => {
      while (sent < padding) {
        if (res.destroyed) return;
        const piece = chunk.subarray(0, Math.min(chunk.length, padding - sent));
        sent += piece.length;
        state.written += piece.length;
        if (!res.write(piece)) {
          res.once("drain", pump);
          return;
        }
      }
      state.written += tail.length;
      state.finished = true;
      res.end(tail);
    };
    res.write(head);
    state.written = head.length;
    pump();
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    state,
    url: `http://127.0.0.1:${server.address().port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const LINK = "30cb4806-6e00-48a4-91c9-ca55968576c8";
const owners = (w) => w.get(`/api/owners/?link=${LINK}`, capabilityFor(LINK));

describe("upstream answer limit (sandbox mode, a stand-in Belvo)", () => {
  let belvo;
  let w;
  let pids;
  before(async () => {
    belvo = await startBigBelvo();
    w = await startWorker({
      BELVO_ENV: "sandbox", BELVO_SECRET_ID: "id", BELVO_SECRET_PASSWORD: "pw",
      BELVO_BASE_URL: belvo.url, LINK_KEY, UPSTREAM_TIMEOUT_MS: "20000",
    });
    pids = workerdPids();
    belvo.state.size = 1000;
    assert.equal((await owners(w)).status, 200);
  });
  after(async () => { await w?.stop(); await belvo?.stop(); });

  it("a 64 MiB page (default limit 8 MiB) → 502 upstream_invalid_response, not read whole", async (t) => {
    belvo.state.size = HUGE;
    belvo.state.declare = false;
    const before = rss(pids);
    const r = await owners(w);
    const grown = before === null ? null : rss(pids) - before;
    await new Promise((res) => setTimeout(res, 100));
    t.diagnostic(`Belvo wrote ${mb(belvo.state.written)} MiB of ${mb(HUGE)} before the proxy hung up; workerd RSS grew ${grown === null ? "?" : mb(grown)} MiB`);
    assert.equal(r.status, 502, r.text.slice(0, 200));
    assert.equal(errorItem(r).code, "upstream_invalid_response");
    assert.equal(belvo.state.finished, false, "the page was not read to its end");
    assert.ok(belvo.state.written < 32 * MiB, `${belvo.state.written} bytes taken`);
    if (grown !== null) assert.ok(grown < 48 * MiB, `workerd grew by ${mb(grown)} MiB`);
  });

  it("a declared Content-Length over the limit → 502 at once", async () => {
    belvo.state.size = HUGE;
    belvo.state.declare = true;
    const r = await owners(w);
    assert.equal(r.status, 502);
    assert.equal(errorItem(r).code, "upstream_invalid_response");
    assert.equal(belvo.state.finished, false);
    belvo.state.declare = false;
  });

  it("a page under the limit still passes through", async () => {
    belvo.state.size = 2 * MiB;
    const r = await owners(w);
    assert.equal(r.status, 200);
    assert.equal(r.text.length, 2 * MiB);
  });
});

describe("upstream answer limit is configurable (UPSTREAM_MAX_BYTES)", () => {
  let belvo;
  let w;
  let pids;
  before(async () => {
    belvo = await startBigBelvo();
    w = await startWorker({
      BELVO_ENV: "sandbox", BELVO_SECRET_ID: "id", BELVO_SECRET_PASSWORD: "pw",
      BELVO_BASE_URL: belvo.url, LINK_KEY, UPSTREAM_MAX_BYTES: "65536",
    });
    pids = workerdPids();
    belvo.state.size = 1000;
    assert.equal((await owners(w)).status, 200);
  });
  after(async () => { await w?.stop(); await belvo?.stop(); });

  it("65536: a 64 MiB page → 502; the isolate does not grow", async (t) => {
    belvo.state.size = HUGE;
    const before = rss(pids);
    const r = await owners(w);
    const grown = before === null ? null : rss(pids) - before;
    t.diagnostic(`Belvo wrote ${mb(belvo.state.written)} MiB of ${mb(HUGE)}; workerd RSS grew ${grown === null ? "?" : mb(grown)} MiB`);
    assert.equal(r.status, 502, r.text.slice(0, 200));
    assert.equal(errorItem(r).code, "upstream_invalid_response");
    assert.equal(belvo.state.finished, false, "the page was not read to its end");
    if (grown !== null) assert.ok(grown < 8 * MiB, `workerd grew by ${mb(grown)} MiB`);
  });

  it("65536: a page of that size passes, one byte more is 502", async () => {
    belvo.state.size = 65536;
    assert.equal((await owners(w)).status, 200);
    belvo.state.size = 65537;
    const r = await owners(w);
    assert.equal(r.status, 502, r.text.slice(0, 200));
    assert.equal(errorItem(r).code, "upstream_invalid_response");
  });
});
