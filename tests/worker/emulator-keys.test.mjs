// Emulator mode hardening (issue 14, item 5), in workerd: the emulator's direct API
// (`/__emulator/belvo/api/...`, no link capability) needs Belvo Basic auth with the emulator's
// keys, and without LINK_KEY each isolate draws its own random link key.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { CURP_A, errorItem, startWorker } from "./helpers.mjs";

const basic = (id, pw) => "Basic " + Buffer.from(`${id}:${pw}`).toString("base64");
const TEST_KEYS = basic("emulator-secret-id", "emulator-secret-password");

describe("the emulator's direct API needs the emulator's keys", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  it("reads another caller's link only with the keys", async () => {
    const made = await w.createLink({ institution: "imss_mx_employment", username: CURP_A });
    assert.equal(made.status, 201);
    const id = made.body.id;
    await w.waitEvents(id, made.headers.get("x-link-capability"), 2);
    const path = `/__emulator/belvo/api/owners/?link=${id}`;
    for (const auth of [undefined, "", basic("emulator-secret-id", "guess"), "Bearer x"]) {
      const r = await w.json(path, { headers: auth === undefined ? {} : { authorization: auth } });
      assert.equal(r.status, 401, String(auth));
      const item = errorItem(r);
      assert.deepEqual(Object.keys(item).sort(), ["code", "message", "request_id"]);
      assert.equal(item.code, "authentication_failed");
      assert.equal(item.message, "Invalid Secret Keys");
      assert.match(item.request_id, /^[0-9a-f]{32}$/);
      assert.ok(!r.text.includes(CURP_A), r.text);
    }
    const ok = await w.json(path, { headers: { authorization: TEST_KEYS } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.count, 1);
  });

  it("GET /__emulator/belvo/api/ is the SDKs' login check", async () => {
    const good = await w.json("/__emulator/belvo/api/", { headers: { authorization: TEST_KEYS } });
    assert.equal(good.status, 200);
    const bad = await w.json("/__emulator/belvo/api/", { headers: { authorization: basic("x", "y") } });
    assert.equal(bad.status, 401);
    assert.equal(errorItem(bad).code, "authentication_failed");
  });

  it("the proxy's own calls still authenticate, and bad_keys still answers 401", async () => {
    const r = await w.createLink({ institution: "imss_mx_employment", username: "EXMU900115HDFRRN03" });
    assert.equal(r.status, 401);
    assert.equal(errorItem(r).code, "authentication_failed");
  });
});

describe("emulator mode without LINK_KEY", () => {
  let a;
  let b;
  before(async () => {
    [a, b] = await Promise.all([startWorker({ LINK_KEY: "" }), startWorker({ LINK_KEY: "" })]);
  });
  after(async () => { await Promise.all([a?.stop(), b?.stop()]); });

  it("each isolate has its own random key: a capability works only where it was issued", async () => {
    const made = await a.createLink({ institution: "imss_mx_employment", username: CURP_A });
    assert.equal(made.status, 201);
    const id = made.body.id;
    const cap = made.headers.get("x-link-capability");
    assert.equal((await a.get(`/links/${id}/events`, cap)).status, 200);
    // The same link id and capability at another isolate: its key differs, so 404.
    assert.equal((await b.get(`/links/${id}/events`, cap)).status, 404);
    // Not the public constant the emulator used before.
    const key = "employment-link emulator-only link key (not secret)";
    const old = "v1." + createHmac("sha256", key).update(`link-capability\0${id}`).digest("hex");
    assert.notEqual(cap, old);
    const warn = a.logs.join("").split("\n").filter((l) => l.includes("LINK_KEY not set"));
    assert.equal(warn.length, 1, a.logs.join(""));
  });
});
