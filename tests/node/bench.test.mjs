// `make bench` must keep working: one very short run (one round of ≥ 1 ms per candidate) of
// bench/bench.mjs against the built package and the npm peers. It checks the report's shape and
// what our candidates accept on each set, not speed (a benchmark, not a timed test).
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../bench/bench.mjs", import.meta.url));
const SETS = ["cpf_valid", "cpf_valid_fmt", "cpf_bad_check", "cpf_invalid_mix", "curp_valid", "curp_bad_check", "curp_invalid_mix"];

test("make bench: every set, our candidates' ratios against the floors and acceptances, the sizes", () => {
  const r = spawnSync(process.execPath, [script], {
    env: { ...process.env, BENCH_ROUNDS: "1", BENCH_MIN_MS: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const sections = new Map(out.split("\n## ").slice(1).map((s) => [s.slice(0, s.indexOf("\n")), s]));
  for (const set of SETS) {
    const s = sections.get(set);
    assert.ok(s, `no section for ${set}`);
    const kind = set.startsWith("cpf") ? "Cpf" : "Curp";
    // Valid sets are accepted whole, bad check digits never; the invalid mixes hold a few
    // inputs that are valid after normalisation, so only "not all" is checked there.
    for (const name of [`isValid${kind}`, `validate${kind}`, `isValid${kind}Many (per item)`]) {
      const line = s.split("\n").find((l) => l.includes(`» ${name} `));
      assert.ok(line, `${set}: no line for ${name}`);
      assert.match(line, /(×\d+\.\d\d vs .* \(floor ×[\d.]+: (met|MISSED)\)|no correct peer of this kind on this set \(floor ×[\d.]+: n\/a\)); ×\d+\.\d\d vs the fastest of any kind/, `${set}: ${name} has no ratios`);
      const accepted = Number(/accepted (\d+)\/4096/.exec(line)?.[1]);
      if (set.includes("valid") && !set.includes("invalid")) assert.equal(accepted, 4096, `${set}: ${name}`);
      else if (set.includes("bad_check")) assert.equal(accepted, 0, `${set}: ${name}`);
      else assert.ok(accepted < 4096 / 8, `${set}: ${name} accepted ${accepted}`);
    }
  }
  for (const name of ["isValidCpf", "validateCpf", "isValidCurp", "validateCurp"]) {
    assert.match(out, new RegExp(`invalid/valid speed ${name}: ×\\d+\\.\\d\\d`));
  }
  assert.match(out, /speed floors (missed \(\d+\)|: all met)/);
  for (const entry of ["employment-link/validate", "employment-link \\(validators", "employment-link/worker"]) {
    assert.match(out, new RegExp(`size: ${entry}.* total \\d+ B gzip \\((within the \\d+ KB ceiling|OVER the \\d+ KB ceiling by \\d+ B)\\), \\d+ B brotli`));
  }
});
