// The demo's front door (started by scripts/demo.sh): listens on the demo's port and forwards
// every request, unchanged (same Host, so same Origin rules), to `wrangler dev` on an internal
// port, with at most DEMO_MAX_INFLIGHT (default 64) requests inside wrangler at a time; the
// others wait here, in order. Why (README, "The demo under load"): workerd drops a connection
// whose request it has not read within 15 s of accepting it, and an idle keep-alive connection
// after 5 s. A burst of 1000 flows handed straight to wrangler dev therefore lost requests on
// both of its hops (client → wrangler's proxy, proxy → the Worker), and wrangler's proxy reports
// any such loss of a POST as 503 "Your worker restarted mid-request" (and holds a lost GET until
// another request arrives), although nothing restarted. Queued here, no request waits inside
// workerd, and:
//   - a request that fails on a reused idle connection before any answer (the server had closed
//     it) is sent once more on a new one: the Worker never saw it;
//   - wrangler's proxy answering 503 "restarted mid-request" is retried once (its forward to
//     the Worker failed; after a real reload the Worker may have had the request, and against
//     the emulator a link attempt sent twice is harmless);
//   - a GET/HEAD with no answer after 30 s is sent again (wrangler's proxy held it);
//   - idle connections to wrangler are closed after 2 s, before workerd's 5 s.
//
//   node scripts/demo-gate.mjs <listen port> <wrangler port> [pid to outlive no longer]
import http from "node:http";
import net from "node:net";

const [LISTEN, UPSTREAM, PARENT] = process.argv.slice(2).map(Number);
const HOST = "127.0.0.1";
const MAX_INFLIGHT = Number(process.env.DEMO_MAX_INFLIGHT) || 64;
const IDEMPOTENT_TIMEOUT_MS = 30_000;
const STARTUP_MS = 180_000; // how long a request waits for wrangler to come up
const RESTARTED = /restarted mid-request/;

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_INFLIGHT, timeout: 2000, scheduling: "fifo" });
const stats = { requests: 0, queuedMax: 0, idle: 0, restarted: 0, timeout: 0, failed: 0 };
let inflight = 0;
const waiting = [];
const acquire = () =>
  inflight < MAX_INFLIGHT ? (inflight++, Promise.resolve())
    : new Promise((r) => { waiting.push(r); stats.queuedMax = Math.max(stats.queuedMax, waiting.length); });
const release = () => {
  const next = waiting.shift();
  if (next) next();
  else inflight--;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One attempt: resolves { res, body? } or rejects with { error, reused, sent }. */
function attempt(req, body, { buffer }) {
  return new Promise((resolve, reject) => {
    const idempotent = req.method === "GET" || req.method === "HEAD";
    const up = http.request({
      host: HOST, port: UPSTREAM, method: req.method, path: req.url, headers: req.headers, agent,
    });
    let settled = false;
    const fail = (error) => {
      if (settled) return;
      settled = true;
      reject({ error, reused: up.reusedSocket });
    };
    if (idempotent) up.setTimeout(IDEMPOTENT_TIMEOUT_MS, () => { up.destroy(new Error("no answer in time")); });
    up.on("error", fail);
    up.on("response", (res) => {
      if (buffer && res.statusCode === 503) {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => { settled = true; resolve({ res, body: Buffer.concat(chunks) }); });
        res.on("error", fail);
        return;
      }
      settled = true;
      resolve({ res });
    });
    up.end(body);
  });
}

async function forward(req, res) {
  let gone = false; // the response is finished, or the client went away
  res.on("close", () => { gone = true; });
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  stats.requests++;
  await acquire();
  try {
    const started = Date.now();
    let retried503 = false, retriedIdle = false, retriedTimeout = false;
    for (;;) {
      if (gone) return; // nobody is waiting for this answer any more
      let out;
      try {
        out = await attempt(req, body, { buffer: !retried503 });
      } catch ({ error, reused }) {
        const code = error?.code;
        if (code === "ECONNREFUSED" && Date.now() - started < STARTUP_MS) { await sleep(250); continue; }
        if (reused && !retriedIdle && (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/.test(error?.message))) { retriedIdle = true; stats.idle++; continue; }
        if (/no answer in time/.test(error?.message) && !retriedTimeout) { retriedTimeout = true; stats.timeout++; continue; }
        stats.failed++;
        console.error(`demo gate: ${req.method} ${req.url.split("?")[0]} failed: ${code ?? error?.message}`);
        if (!res.headersSent) {
          res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
          res.end(`demo gate: wrangler dev did not answer (${code ?? error?.message})\n`);
        } else res.destroy();
        return;
      }
      const { res: up, body: buffered } = out;
      if (buffered && RESTARTED.test(buffered.toString("utf8"))) { retried503 = true; stats.restarted++; continue; }
      if (gone) {
        up.destroy();
        return;
      }
      res.writeHead(up.statusCode, up.statusMessage, up.rawHeaders);
      if (buffered) {
        res.end(buffered);
        return;
      }
      // A client that leaves mid-answer: drop the rest (and that connection to wrangler).
      res.once("close", () => { if (!up.complete) up.destroy(); });
      up.pipe(res);
      await new Promise((r) => {
        res.once("close", r);
        up.once("error", r);
      });
      return;
    }
  } finally {
    release();
  }
}

const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 70_000, requestTimeout: 0 }, (req, res) => {
  req.on("error", () => {});
  res.on("error", () => {});
  forward(req, res).catch(() => res.destroy());
});
// A client or wrangler going away mid-stream must not take the demo down with it.
process.on("uncaughtException", (e) => console.error("demo gate:", e));
// WebSockets (live reload, if turned on): a raw pipe, outside the queue.
server.on("upgrade", (req, socket, head) => {
  const up = net.connect(UPSTREAM, HOST, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(lines.join("\r\n") + "\r\n\r\n");
    if (head?.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  up.on("error", () => socket.destroy());
  socket.on("error", () => up.destroy());
});
server.listen(LISTEN, HOST);
// On exit, what the gate did (when it did more than forward).
process.on("exit", () => {
  if (stats.queuedMax || stats.idle || stats.restarted || stats.timeout || stats.failed) {
    console.error(`demo gate: ${stats.requests} requests, up to ${stats.queuedMax} waiting; sent again: ${stats.idle} after an ` +
      `idle connection closed, ${stats.restarted} after 503 "restarted mid-request", ${stats.timeout} after 30 s; ${stats.failed} failed`);
  }
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => process.exit(0));
// Ends with the demo (wrangler, which scripts/demo.sh became).
if (PARENT) {
  setInterval(() => {
    try {
      process.kill(PARENT, 0);
    } catch {
      console.error(`demo gate: wrangler dev (pid ${PARENT}) has ended; stopping`);
      process.exit(0);
    }
  }, 1000);
}
