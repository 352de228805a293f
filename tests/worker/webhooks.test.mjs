// POST /webhooks: auth (constant-time compare with WEBHOOK_TOKEN), validation, dedupe, storage
// per link, and the emulator's own historical_update deliveries — in workerd.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { LINK_KEY, SANDBOX_CURP, WEBHOOK_TOKEN, errorItem, startWorker } from "./helpers.mjs";

// The documented capability format: "v1." + hex(HMAC-SHA256(LINK_KEY, "link-capability\0" + link id)).
const capabilityFor = (link) => "v1." + createHmac("sha256", LINK_KEY).update(`link-capability\0${link}`).digest("hex");

const LINK = "16f68516-bcbc-4cf7-b815-c500d4204e28";
const payload = (id, extra = {}) => ({
  webhook_id: id, webhook_type: "OWNERS", process_type: "historical_update", webhook_code: "historical_update",
  link_id: LINK, request_id: "4363b08b-51eb-4350-9c74-5df5ac92a7f6", external_id: "your_external_id",
  data: { total_owners: 2 }, ...extra,
});

describe("webhooks", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  it("401 without the exact WEBHOOK_TOKEN", async () => {
    for (const auth of [undefined, "", "Bearer wrong", WEBHOOK_TOKEN + "x", WEBHOOK_TOKEN.toLowerCase(), "test-webhook-token"]) {
      const headers = auth === undefined ? {} : { authorization: auth };
      const r = await w.post("/webhooks", payload("a1"), headers);
      assert.equal(r.status, 401, String(auth));
      assert.equal(errorItem(r).code, "authentication_failed");
    }
  });

  it("400 for invalid payloads; nothing stored", async () => {
    const auth = { authorization: WEBHOOK_TOKEN };
    assert.equal(errorItem(await w.post("/webhooks", "nope", auth)).code, "parse_error");
    const cases = [
      [{ webhook_id: undefined }, "required", "webhook_id"],
      [{ webhook_id: "has space" }, "invalid", "webhook_id"],
      [{ webhook_type: undefined }, "required", "webhook_type"],
      [{ webhook_code: 3 }, "invalid", "webhook_code"],
      [{ link_id: "x" }, "invalid", "link_id"],
      [{ data: [1] }, "invalid", "data"],
    ];
    for (const [extra, code, field] of cases) {
      const r = await w.post("/webhooks", payload("bad1", extra), auth);
      assert.equal(r.status, 400, JSON.stringify(extra));
      assert.equal(errorItem(r).code, code);
      assert.equal(errorItem(r).field, field);
    }
    const kv = await w.mf.getKVNamespace("EMPLOYMENT_LINK_KV");
    assert.equal((await kv.list()).keys.length, 0);
  });

  it("deduplicates on webhook_id and serves events to the bound caller only", async () => {
    const auth = { authorization: WEBHOOK_TOKEN };
    assert.equal((await w.post("/webhooks", payload("w1"), auth)).body.status, "stored");
    assert.equal((await w.post("/webhooks", payload("w1"), auth)).body.status, "duplicate");
    // Concurrent deliveries of different events are all kept.
    const ids = ["w2", "w3", "w4", "w5"];
    const rs = await Promise.all(ids.map((id) => w.post("/webhooks", payload(id, { webhook_type: "EMPLOYMENT_RECORDS", data: { total_employment_record_profiles: 1 } }), auth)));
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200]);
    // Without the capability, or with a forged one: 404.
    assert.equal((await w.get(`/links/${LINK}/events`)).status, 404);
    assert.equal((await w.get(`/links/${LINK}/events`, "v1." + "a".repeat(64))).status, 404);
    // With it: the five distinct events, in arrival order, first one first.
    const ev = await w.get(`/links/${LINK}/events`, capabilityFor(LINK));
    assert.equal(ev.status, 200);
    assert.equal(ev.body.link_id, LINK);
    assert.deepEqual(ev.body.events.map((e) => e.webhook_id).sort(), ["w1", "w2", "w3", "w4", "w5"]);
    assert.equal(ev.body.events[0].webhook_id, "w1");
    assert.equal(ev.body.events[0].data.total_owners, 2);
  });

  it("emulator webhooks arrive at /webhooks after the delay, with counts", async () => {
    const r = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, fetch_resources: ["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"], external_id: "ext_1" });
    const cap = r.headers.get("x-link-capability");
    const first = await w.get(`/links/${r.body.id}/events`, cap);
    assert.deepEqual(first.body.events, [], "nothing before the delay");
    const events = await w.waitEvents(r.body.id, cap, 3);
    assert.deepEqual(events.map((e) => e.webhook_type).sort(), ["EMPLOYMENT_METRICS", "EMPLOYMENT_RECORDS", "OWNERS"]);
    for (const e of events) {
      assert.equal(e.webhook_code, "historical_update");
      assert.equal(e.link_id, r.body.id);
      assert.equal(e.external_id, "ext_1");
    }
    assert.equal(events.find((e) => e.webhook_type === "EMPLOYMENT_RECORDS").data.total_employment_record_profiles, 1);
    assert.equal(events.find((e) => e.webhook_type === "OWNERS").data.total_owners, 1);
    const stats = await w.stats();
    assert.ok(stats.webhooks_delivered >= 3);
    assert.equal(stats.webhooks_failed, 0);
  });
});

describe("the event log keeps the newest EVENTS_MAX_PER_LINK (default 50) per link", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  // Ids that sort against arrival order: the order of keys must come from time, not from them.
  const id = (i) => `h${String(9999 - i).padStart(4, "0")}`;
  const auth = { authorization: WEBHOOK_TOKEN };
  const served = async () => (await w.get(`/links/${LINK}/events`, capabilityFor(LINK))).body.events.map((e) => e.webhook_id);
  const kvKeys = async () => {
    const kv = await w.mf.getKVNamespace("EMPLOYMENT_LINK_KV");
    return (await kv.list()).keys.filter((k) => k.name.includes(LINK)).length;
  };

  it("N events: all served, oldest first; N + 1: the oldest dropped, the newest served", async () => {
    for (let i = 0; i < 50; i++) {
      const r = await w.post("/webhooks", payload(id(i)), auth);
      assert.equal(r.body.status, "stored", id(i));
    }
    assert.deepEqual(await served(), Array.from({ length: 50 }, (_, i) => id(i)));
    assert.equal(await kvKeys(), 50);
    assert.equal((await w.post("/webhooks", payload(id(50)), auth)).body.status, "stored");
    const after51 = await served();
    assert.equal(after51.length, 50);
    assert.equal(after51.at(-1), id(50), "the newest is served");
    assert.equal(after51[0], id(1), "the oldest was dropped");
    assert.equal(await kvKeys(), 50, "and removed from KV");
    // Redelivery of a kept event: still a duplicate.
    assert.equal((await w.post("/webhooks", payload(id(50)), auth)).body.status, "duplicate");
  });
});

describe("webhooks with the default delay (1 s) and no KV binding (isolate memory)", () => {
  let w;
  before(async () => { w = await startWorker({ EMULATOR_WEBHOOK_DELAY_MS: "" }, { kv: false }); });
  after(async () => { await w?.stop(); });

  it("delivers after about a second", async () => {
    const t0 = Date.now();
    const r = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
    const cap = r.headers.get("x-link-capability");
    const events = await w.waitEvents(r.body.id, cap, 2, 5000);
    assert.equal(events.length, 2);
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 900, `webhooks arrived after ${elapsed} ms`);
  });
});

// Issue 16: outside emulator mode, webhooks are accepted only from Belvo's addresses
// (CF-Connecting-IP), on top of the token. Sandbox mode; upstream is never called here.
describe("webhook source (sandbox mode)", () => {
  const BELVO_IPS = ["3.130.254.46", "18.220.61.186", "18.223.45.212"];
  const FOREIGN_IP = "203.0.113.9";
  const auth = (ip) => ({ authorization: WEBHOOK_TOKEN, ...(ip ? { "cf-connecting-ip": ip } : {}) });
  const sandbox = (extra = {}) => startWorker({
    BELVO_ENV: "sandbox", BELVO_SECRET_ID: "id", BELVO_SECRET_PASSWORD: "pw",
    BELVO_BASE_URL: "http://127.0.0.1:9", LINK_KEY, ...extra,
  });
  const kvKeys = async (w) => (await (await w.mf.getKVNamespace("EMPLOYMENT_LINK_KV")).list()).keys.length;
  const workers = [];
  after(async () => { await Promise.all(workers.map((w) => w.stop())); });

  it("by default only Belvo's three addresses; a foreign source is 403 and nothing is stored", async () => {
    const w = await sandbox();
    workers.push(w);
    // Miniflare sets CF-Connecting-IP to the loopback address when the request has none.
    for (const ip of [FOREIGN_IP, undefined, "3.130.254.4"]) {
      const r = await w.post("/webhooks", payload("f1"), auth(ip));
      assert.equal(r.status, 403, String(ip));
      assert.equal(errorItem(r).code, "source_not_allowed");
    }
    const bad = await w.post("/webhooks", payload("f2"), { authorization: "Bearer wrong", "cf-connecting-ip": FOREIGN_IP });
    assert.equal(bad.status, 403, "the source is checked before the token");
    assert.equal(await kvKeys(w), 0, "nothing stored");
    for (const [i, ip] of BELVO_IPS.entries()) {
      const r = await w.post("/webhooks", payload(`b${i}`), auth(ip));
      assert.equal(r.status, 200, ip);
      assert.equal(r.body.status, "stored");
    }
    const wrongToken = await w.post("/webhooks", payload("b9"), { authorization: "Bearer wrong", "cf-connecting-ip": BELVO_IPS[0] });
    assert.equal(wrongToken.status, 401);
    const ev = await w.get(`/links/${LINK}/events`, capabilityFor(LINK));
    assert.deepEqual(ev.body.events.map((e) => e.webhook_id).sort(), ["b0", "b1", "b2"]);
    const logs = w.logs.join("");
    assert.match(logs, /"code":"source_not_allowed"/);
    for (const ip of [FOREIGN_IP, ...BELVO_IPS]) assert.ok(!logs.includes(ip), `log contains ${ip}`);
  });

  it("WEBHOOK_ALLOWED_IPS replaces the list; * turns the check off", async () => {
    const w = await sandbox({ WEBHOOK_ALLOWED_IPS: `${FOREIGN_IP}, 2001:db8::1` });
    workers.push(w);
    assert.equal((await w.post("/webhooks", payload("o1"), auth(FOREIGN_IP))).status, 200);
    assert.equal((await w.post("/webhooks", payload("o2"), auth("2001:DB8:0::1"))).status, 200);
    assert.equal((await w.post("/webhooks", payload("o3"), auth(BELVO_IPS[0]))).status, 403);
    const off = await sandbox({ WEBHOOK_ALLOWED_IPS: "*" });
    workers.push(off);
    assert.equal((await off.post("/webhooks", payload("s1"), auth(FOREIGN_IP))).status, 200);
    assert.equal((await off.post("/webhooks", payload("s2"), auth())).status, 200);
    assert.equal((await off.post("/webhooks", payload("s3"), { authorization: "Bearer wrong" })).status, 401);
  });
});
