// DELETE /api/links/{id}/ through the Worker (issue 16): bound to the caller's capability,
// forwarded to Belvo (the emulator, or a stand-in for Belvo's sandbox), 204 passed through,
// and the link's stored webhook events dropped with it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { LINK_KEY, ORIGIN, SANDBOX_CURP, errorItem, startFakeBelvo, startWorker } from "./helpers.mjs";

describe("DELETE /api/links/{id}/ (emulator mode)", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  const del = (id, cap, headers = {}) =>
    w.json(`/api/links/${id}/`, { method: "DELETE", headers: { ...(cap ? { "x-link-capability": cap } : {}), ...headers } });
  const kvKeys = async (id) => {
    const kv = await w.mf.getKVNamespace("EMPLOYMENT_LINK_KV");
    return (await kv.list()).keys.filter((k) => k.name.includes(id)).length;
  };
  const link = async () => {
    const r = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
    assert.equal(r.status, 201);
    const cap = r.headers.get("x-link-capability");
    assert.equal((await w.waitEvents(r.body.id, cap, 2)).length, 2);
    return { id: r.body.id, cap };
  };

  it("the caller's own link: 204, Belvo forgets it, the proxy drops its events", async () => {
    const a = await link();
    const b = await link();
    const before = await w.stats();
    // Not the caller's: 404, and upstream is not called.
    for (const cap of [undefined, b.cap, "v1." + "0".repeat(64)]) {
      const r = await del(a.id, cap);
      assert.equal(r.status, 404);
      assert.equal(errorItem(r).code, "not_found");
    }
    assert.equal((await w.stats()).requests, before.requests);
    const r = await del(a.id, a.cap, { origin: ORIGIN });
    assert.equal(r.status, 204);
    assert.equal(r.text, "");
    assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(r.headers.get("x-request-id"), /^[0-9a-f]{32}$/);
    const after = await w.stats();
    assert.equal(after.links, before.links - 1, "the emulator forgot the link");
    assert.equal(after.requests, before.requests + 1);
    assert.equal(await kvKeys(a.id), 0, "its events are gone from KV");
    assert.deepEqual((await w.get(`/links/${a.id}/events`, a.cap)).body.events, []);
    assert.equal((await w.get(`/links/${b.id}/events`, b.cap)).body.events.length, 2, "other links keep theirs");
    // Again: Belvo's 404, passed through.
    const again = await del(a.id, a.cap);
    assert.equal(again.status, 404);
    assert.equal(errorItem(again).code, "not_found");
    const logs = w.logs.join("");
    const lines = logs.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const deleted = lines.find((l) => l.route === "DELETE /api/links/{id}/" && l.status === 204);
    assert.equal(deleted?.outcome, "forwarded");
    assert.equal(deleted?.link_id, a.id);
    assert.ok(!logs.includes(a.cap), "no capability in the logs");
  });

  it("CORS: the preflight allows DELETE on a link's path (with the capability header)", async () => {
    const r = await w.fetch(`/api/links/${"74c01cb4-edf1-44d6-8876-b1dc2aebcb14"}/`, {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "DELETE", "access-control-request-headers": "x-link-capability" },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("access-control-allow-methods"), "DELETE, OPTIONS");
    assert.match(r.headers.get("access-control-allow-headers"), /X-Link-Capability/);
    assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  });
});

describe("DELETE /api/links/{id}/ (sandbox mode, stand-in Belvo)", () => {
  let belvo;
  let w;
  before(async () => {
    belvo = await startFakeBelvo();
    w = await startWorker({
      BELVO_ENV: "sandbox", BELVO_SECRET_ID: "my-id", BELVO_SECRET_PASSWORD: "my-pw", BELVO_BASE_URL: belvo.url, LINK_KEY,
    });
  });
  after(async () => { await w?.stop(); await belvo?.stop(); });

  it("is sent to Belvo with Basic auth, and Belvo's 204 comes back as is", async () => {
    const id = "30cb4806-6e00-48a4-91c9-ca55968576c8";
    belvo.set("json", 201, "application/json", JSON.stringify({ id, institution: "planet_mx_employment", access_mode: "single", status: "valid" }));
    const created = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
    const cap = created.headers.get("x-link-capability");
    belvo.set("json", 204, "application/json", "");
    const n = belvo.state.requests.length;
    const r = await w.json(`/api/links/${id.toUpperCase()}/`, { method: "DELETE", headers: { "x-link-capability": cap } });
    assert.equal(r.status, 204);
    assert.equal(r.text, "");
    const sent = belvo.state.requests[n];
    assert.equal(sent.method, "DELETE");
    assert.equal(sent.url, `/api/links/${id}/`);
    assert.equal(sent.headers.authorization, "Basic " + Buffer.from("my-id:my-pw").toString("base64"));
    assert.equal(sent.body, "");
    // Belvo's HTML error page is no 204: mapped as any upstream failure.
    belvo.set("json", 502, "text/html", "<html>Bad gateway</html>");
    const bad = await w.json(`/api/links/${id}/`, { method: "DELETE", headers: { "x-link-capability": cap } });
    assert.equal(bad.status, 502);
    assert.equal(errorItem(bad).code, "upstream_invalid_response");
  });
});
