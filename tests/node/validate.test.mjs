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
  // Besides the validators: the institution list, and the generated module's `initSync` (the
  // entry module has already called it).
  assert.deepEqual(publicNames.sort(), [...VALIDATORS, "INSTITUTIONS", "initSync", "institutions"].sort());
  assert.ok(Object.isFrozen(mod.INSTITUTIONS));
  assert.deepEqual(mod.INSTITUTIONS.map((i) => i.name).sort(), ["imss_mx_employment", "inss_br_employment", "issste_mx_employment", "planet_mx_employment"]);
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

test("both entries imported in one module graph work side by side (a page that validates with one and links with the other)", async () => {
  const main = await import("employment-link");
  const curp = "GODE561231HDFRRN04";
  const long = "A".repeat(300_000) + curp; // grows the validator module's buffers
  const fromValidate = mod.validateCurp(long);
  assert.equal(fromValidate.valid, false);
  assert.deepEqual(main.validateCurp(curp), mod.validateCurp(curp));
  assert.deepEqual(main.validateCpf("529.982.247-25"), mod.validateCpf("529.982.247-25"));
  assert.deepEqual(main.validateCurp(long), fromValidate);
  assert.deepEqual(mod.isValidCurpMany([curp, "x", curp]), main.isValidCurpMany([curp, "x", curp]));
  assert.equal(typeof main.EmploymentLink, "function");
});
