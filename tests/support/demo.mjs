// Starting and stopping `scripts/demo.sh` from a test or a load run: a free loopback port, the
// demo in its own process group (so stopping it ends wrangler and workerd too), its output kept.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `script` (the demo) on `port` with `state` as its KV state dir; its output goes to `logs`. */
export function spawnDemo(root, script, port, state, logs) {
  const child = spawn(script, [], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), DEMO_STATE_DIR: state, NO_COLOR: "1", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => logs.push(String(d)));
  child.stderr.on("data", (d) => logs.push(String(d)));
  return child;
}

/** Stops a demo started by `spawnDemo`: SIGINT to its group, SIGKILL after 8 s. */
export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {}
    };
    const t = setTimeout(() => kill("SIGKILL"), 8000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    kill("SIGINT");
  });
}
