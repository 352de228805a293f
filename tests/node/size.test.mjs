// What a page downloads for each entry, gzip -9 as Node's zlib writes it (the figure `make bench`
// reports), against issue 15's ceilings (1 KB = 1000 B): the entry module, the module
// wasm-bindgen generated and its wasm.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const gz = (...files) =>
  files.reduce((n, p) => n + gzipSync(readFileSync(new URL(`../../pkg/${p}`, import.meta.url)), { level: 9 }).length, 0);

test("employment-link: wasm + JS within 80 KB gzip", () => {
  const total = gz("browser.js", "web/employment_link.js", "web/employment_link_bg.wasm");
  assert.ok(total <= 80_000, `${total} B`);
});

test("employment-link/validate: wasm + JS within 20 KB gzip", () => {
  const total = gz("validate.browser.js", "id/employment_link_id.js", "id/employment_link_id_bg.wasm");
  assert.ok(total <= 20_000, `${total} B`);
});

test("employment-link/worker: wasm + JS within 400 KB gzip", () => {
  const total = gz("worker.js", "worker/employment_link.js", "worker/employment_link_bg.wasm");
  assert.ok(total <= 400_000, `${total} B`);
});

test("the validator-only module carries no link client", () => {
  const js = readFileSync(new URL("../../pkg/id/employment_link_id.js", import.meta.url), "utf8");
  assert.doesNotMatch(js, /EmploymentLink/);
});
