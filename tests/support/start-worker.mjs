// Starts the real Worker (worker/index.js + pkg/worker) in emulator mode in workerd, through
// tests/worker/helpers.mjs startWorker(), and makes it reachable on a fixed loopback port for
// the wasm-bindgen-test flow suites (tests/web_flow.rs, tests/wasm_node_flow.rs).
//
//   node tests/support/start-worker.mjs [--port 38787] [--origin http://127.0.0.1:38788]...
//
// Miniflare picks a random port; a plain TCP relay on `--port` forwards every connection to it
// byte for byte (HTTP is untouched: the Worker sees exactly what the browser or Node sent).
// `--port 0` takes any free port. When ready it prints one line `EL_PROXY_URL=http://…` on
// stdout. It stops (disposing workerd) on SIGTERM/SIGINT/SIGHUP, or when the process given by
// `--parent PID` is gone.
import net from "node:net";
import { startWorker } from "../worker/helpers.mjs";

const args = process.argv.slice(2);
let port = 38787;
let parent = 0;
const origins = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--port") port = Number(args[++i]);
  else if (a === "--origin") origins.push(args[++i]);
  else if (a === "--parent") parent = Number(args[++i]);
  else {
    console.error(`start-worker: unknown argument ${a}`);
    process.exit(2);
  }
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("start-worker: --port must be 0..65535");
  process.exit(2);
}

const w = await startWorker({
  // The test page's origin (WASM_BINDGEN_TEST_ADDRESS) must be allowed for CORS; Node sends no
  // Origin at all.
  ALLOWED_ORIGINS: ["https://app.example.com", ...origins].join(","),
  // The suites run twice (Chromium, Node) against one Worker, and reuse scenario CURPs.
  ATTEMPT_LIMIT: "1000",
  // Long enough to cancel the slow-answer scenario while it is in flight.
  EMULATOR_SLOW_MS: "2500",
  EMULATOR_WEBHOOK_DELAY_MS: "100",
});
const upstream = new URL(w.url);
const sockets = new Set();
const relay = net.createServer((client) => {
  const up = net.connect(Number(upstream.port), upstream.hostname);
  for (const s of [client, up]) {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {
      client.destroy();
      up.destroy();
    });
  }
  client.pipe(up);
  up.pipe(client);
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  relay.close();
  for (const s of sockets) s.destroy();
  try {
    await w.stop();
  } catch {
    /* already gone */
  }
  process.exit(code);
}
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => stop(0));

relay.on("error", (e) => {
  console.error(`start-worker: cannot listen on 127.0.0.1:${port}: ${e.message}`);
  stop(1);
});
relay.listen(port, "127.0.0.1", () => {
  const actual = relay.address().port;
  process.stdout.write(`EL_PROXY_URL=http://127.0.0.1:${actual}\n`);
});

// Never outlive the test script.
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      stop(0);
    }
  }, 1000).unref();
}
