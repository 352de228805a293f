// The validator-only entry, imported by name from plain Node ESM (node --test): the same suite as
// the main entry, plus what sets the two entries apart.
import test from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import * as mod from "employment-link/validate";
import { validatorSuite } from "./validate-cases.mjs";

validatorSuite(mod, "employment-link/validate");

const VALIDATORS = [
  "checkCpfPrefix", "checkCurpPrefix", "isValidCpf", "isValidCpfMany", "isValidCurp",
  "isValidCurpMany", "validateCpf", "validateCurp", "validateUsername",
];

test("employment-link/validate exports the validators and no link client", () => {
  assert.equal("EmploymentLink" in mod, false);
  for (const name of VALIDATORS) assert.equal(typeof mod[name], "function", name);
  const publicNames = Object.keys(mod).filter((k) => !k.startsWith("__"));
  assert.deepEqual(publicNames.sort(), [...VALIDATORS].sort());
});

// Each entry is loaded in its own worker thread (its own module graph and wasm instance), so the
// comparison below is between the two modules, not two views of one.
function resultsOf(entry) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./entry-results.mjs", import.meta.url), { workerData: entry });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => { if (code !== 0) reject(new Error(`${entry}: worker exit ${code}`)); });
  });
}

test("both entries give identical results on the same inputs", async () => {
  const [main, validate] = await Promise.all([resultsOf("employment-link"), resultsOf("employment-link/validate")]);
  assert.equal(main.entry, "employment-link");
  assert.equal(validate.entry, "employment-link/validate");
  assert.equal(main.hasClient, true);
  assert.equal(validate.hasClient, false);
  assert.ok(main.results.length > 1000, `${main.results.length} results`);
  assert.equal(validate.results.length, main.results.length);
  for (let i = 0; i < main.results.length; i++) {
    if (validate.results[i] !== main.results[i]) {
      assert.fail(`result ${i} differs:\n  main:     ${main.results[i]}\n  validate: ${validate.results[i]}`);
    }
  }
});
