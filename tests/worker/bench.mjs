// Throughput of the full proxy path (policy, binding, forwarding to the in-process emulator)
// vs. the emulator's own handler alone (/__emulator/belvo/...), same run, same workerd.
// Not a test (no .test.): run `node tests/worker/bench.mjs [seconds]` after scripts/build.sh worker.
// Prints one JSON line; exits 1 if the ratio is below 0.8.
import http from "node:http";
import { startWorker } from "./helpers.mjs";

const seconds = Number(process.argv[2] || 3);
const concurrency = 8;
const w = await startWorker({ EMULATOR_WEBHOOK_DELAY_MS: "0" });
const base = new URL(w.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function request(path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end();
  });
}

async function run(path, headers, ms) {
  let n = 0;
  const end = Date.now() + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) {
      const status = await request(path, headers);
      if (status !== 200) throw new Error(`${path}: ${status}`);
      n++;
    }
  }));
  return (n * 1000) / ms;
}

const created = await w.createLink({ institution: "imss_mx_employment", username: "PEXA850412HJCRRN09" });
const link = created.body.id;
const cap = created.headers.get("x-link-capability");
await w.waitEvents(link, cap, 2);
const auth = "Basic " + Buffer.from("emulator-secret-id:emulator-secret-password").toString("base64");
const cases = {
  owners: [`/api/owners/?link=${link}`, `/__emulator/belvo/api/owners/?link=${link}`],
  employment_records: [`/api/employment-records/?link=${link}`, `/__emulator/belvo/api/employment-records/?link=${link}`],
};
await run(cases.owners[0], { "x-link-capability": cap }, 500); // warm-up
const result = { seconds, concurrency };
let worst = Infinity;
const rounds = 8;
const slice = (seconds * 1000) / rounds / 2;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, [proxied, direct]] of Object.entries(cases)) {
  // Short interleaved rounds (alternating which goes first) and the median ratio: robust to
  // drift and to other processes on a small machine.
  const ratios = [];
  let p = 0;
  let d = 0;
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0;
    const a = first ? await run(proxied, { "x-link-capability": cap }, slice) : null;
    const b = await run(direct, { authorization: auth }, slice);
    const c = first ? a : await run(proxied, { "x-link-capability": cap }, slice);
    p += c;
    d += b;
    ratios.push(c / b);
  }
  const ratio = median(ratios);
  worst = Math.min(worst, ratio);
  result[name] = { proxy_rps: Math.round(p / rounds), emulator_rps: Math.round(d / rounds), ratio: Number(ratio.toFixed(3)) };
}
result.min_ratio = Number(worst.toFixed(3));
result.ok = worst >= 0.8;
console.log(JSON.stringify(result));
agent.destroy();
await w.stop();
process.exit(result.ok ? 0 : 1);
