// The package's workerd entries in workerd: a consumer Worker importing "employment-link/validate"
// (and, for comparison, "employment-link") is bundled by wrangler exactly as `wrangler deploy`
// would (export conditions "workerd"/"worker"; the .wasm becomes a CompiledWasm module), then run
// through Miniflare. Needs the full package in pkg/ (scripts/build.sh); skipped when it is absent.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { newMiniflare, ROOT } from "./helpers.mjs";

const TOOLS = process.env.TOOLS_NODE_DIR || path.join(ROOT, "tools/node");
const BUILT = existsSync(path.join(ROOT, "pkg/validate.workerd.js")) && existsSync(path.join(ROOT, "pkg/workerd.js"));
const FIXTURE = readFileSync(path.join(ROOT, "tests/worker/fixtures/validate-worker.js"), "utf8");

/** Bundles the fixture Worker for `entry` with wrangler (dry run, offline); returns its outdir. */
function bundle(entry) {
  // Under tests/ so that "employment-link" resolves through tests/node_modules (→ pkg/).
  const dir = path.join(ROOT, "tests/out/worker-entry", entry.replace(/\W+/g, "_"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.js"), FIXTURE.replace('"ENTRY"', JSON.stringify(entry)));
  writeFileSync(path.join(dir, "wrangler.toml"), 'name = "entry-test"\nmain = "index.js"\ncompatibility_date = "2026-04-20"\n');
  execFileSync(path.join(TOOLS, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", "out"], {
    cwd: dir,
    stdio: "pipe",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true", XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME || path.join(ROOT, ".tools/xdg"),
    },
  });
  return path.join(dir, "out");
}

/** Runs the bundled Worker in workerd; returns the wasm module names it carries and its JSON answer. */
async function run(outdir) {
  const mf = await newMiniflare(path.join(outdir, "index.js"), outdir);
  try {
    const url = await mf.ready;
    const r = await mf.dispatchFetch(url);
    const text = await r.text();
    assert.equal(r.status, 200, text);
    return { wasm: readdirSync(outdir).filter((f) => f.endsWith(".wasm")), body: JSON.parse(text) };
  } finally {
    await mf.dispose();
  }
}

test("employment-link/validate loads and validates in workerd, like the main entry", { skip: !BUILT && "pkg/ not built (scripts/build.sh)" }, async () => {
  const validate = await run(bundle("employment-link/validate"));
  const main = await run(bundle("employment-link"));
  // The validator-only Worker carries only the small id wasm; the main entry the full one.
  assert.equal(validate.wasm.length, 1, validate.wasm.join());
  assert.match(validate.wasm[0], /employment_link_id_bg\.wasm$/);
  assert.ok(main.wasm.some((f) => /employment_link_bg\.wasm$/.test(f)), main.wasm.join());
  assert.equal(validate.body.hasClient, false);
  assert.equal(main.body.hasClient, true);
  const [curp, cpf] = validate.body.results[0];
  assert.equal(curp.valid, true);
  assert.equal(curp.stateName, "Jalisco");
  assert.equal(validate.body.results[3][1].formatted, "153.872.046-90");
  assert.equal(cpf.valid, false);
  assert.deepEqual(validate.body.results, main.body.results);
});
