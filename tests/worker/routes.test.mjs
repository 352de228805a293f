// Every route and method of the Worker, in workerd (emulator mode unless stated).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CPF_A, CURP_A, FOREIGN, ORIGIN, SANDBOX_CURP, WEBHOOK_TOKEN, errorItem, scenarioTable, startWorker,
} from "./helpers.mjs";

const LINK = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
const DATA = ["/api/employment-records/", "/api/br/employments/", "/api/owners/", "/api/employment-metrics/"];

describe("routes (emulator mode)", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  it("announces emulator mode once, with one clear line", async () => {
    await w.json("/__emulator/stats");
    await w.json("/__emulator/stats");
    const lines = w.logs.join("").split("\n").filter((l) => l.includes("EMULATOR mode"));
    assert.equal(lines.length, 1, w.logs.join(""));
  });

  it("POST /api/links/ creates a link and returns its capability", async () => {
    const r = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
    assert.equal(r.status, 201);
    assert.match(r.headers.get("x-link-capability"), /^v1\.[0-9a-f]{64}$/);
    assert.match(r.headers.get("x-request-id"), /^[0-9a-f]{32}$/);
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.equal(r.body.status, "valid");
  });

  it("PATCH /api/links/ completes an INSS link", async () => {
    const r = await w.createLink({ institution: "inss_br_employment", username: CPF_A, password: "senha" });
    assert.equal(r.status, 428);
    const cap = r.headers.get("x-link-capability");
    const ch = r.body[0];
    assert.equal(ch.expiry, "120");
    assert.equal(ch.token_generation_data.type, "inputless");
    const ok = await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, "valid");
  });

  it("GET of every data endpoint and the events, with the capability", async () => {
    const r = await w.createLink({ institution: "imss_mx_employment", username: "EXMU900120HDFRRN08" });
    const cap = r.headers.get("x-link-capability");
    const id = r.body.id;
    await w.waitEvents(id, cap, 2);
    for (const p of DATA) {
      const d = await w.get(`${p}?link=${id}`, cap);
      assert.equal(d.status, 200, p);
      assert.equal(typeof d.body.count, "number");
      assert.ok(Array.isArray(d.body.results));
    }
    const rec = await w.get(`/api/employment-records/?link=${id}&page=1&page_size=10`, cap);
    assert.equal(rec.body.count, 1);
    const ev = await w.get(`/links/${id}/events`, cap);
    assert.equal(ev.status, 200);
    assert.equal(ev.body.link_id, id);
  });

  it("POST /webhooks accepts Belvo's payload", async () => {
    const r = await w.post("/webhooks", {
      webhook_id: "aadf41a1fc8e4f79a49f7f04027ac999", webhook_type: "OWNERS", webhook_code: "historical_update",
      link_id: LINK, data: { total_owners: 1 },
    }, { authorization: WEBHOOK_TOKEN });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, "stored");
  });

  it("anything else is 404 or 405 in Belvo's error shape, and never reaches upstream", async () => {
    const before = await w.requests();
    const notFound = [
      ["GET", "/"], ["GET", "/api/links"], ["GET", "/api/accounts/"], ["POST", "/api/token/"],
      ["DELETE", `/api/links/${LINK}/`], ["DELETE", "/api/links/abc/"], ["GET", "/links/x/events/more"],
      ["GET", `/${CURP_A}`], ["POST", "/webhook"], ["GET", "/__emulator/belvo/nope"],
    ];
    for (const [method, p] of notFound) {
      const r = await w.json(p, { method });
      assert.equal(r.status, 404, `${method} ${p}`);
      assert.equal(errorItem(r).code, "not_found");
    }
    const wrong = [
      ["GET", "/api/links/", "POST, PATCH, OPTIONS"], ["PUT", "/api/links/", "POST, PATCH, OPTIONS"],
      ["DELETE", "/api/links/", "POST, PATCH, OPTIONS"],
      ["GET", `/api/links/${LINK}/`, "DELETE, OPTIONS"], ["PATCH", `/api/links/${LINK}/`, "DELETE, OPTIONS"],
      ...DATA.flatMap((p) => [["POST", p, "GET, OPTIONS"], ["PATCH", p, "GET, OPTIONS"], ["DELETE", p, "GET, OPTIONS"]]),
      ["POST", `/links/${LINK}/events`, "GET, OPTIONS"], ["GET", "/webhooks", "POST, OPTIONS"],
      ["PUT", "/webhooks", "POST, OPTIONS"], ["POST", "/__emulator/stats", "GET, OPTIONS"],
    ];
    for (const [method, p, allow] of wrong) {
      const r = await w.json(`${p}?link=${LINK}`, { method, headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
      assert.equal(r.status, 405, `${method} ${p}`);
      assert.equal(errorItem(r).code, "method_not_allowed");
      assert.equal(r.headers.get("allow"), allow);
    }
    assert.equal(await w.requests(), before);
  });

  it("CORS preflight: allowed origin vs foreign origin", async () => {
    const pre = (origin, method, p = "/api/links/") => w.fetch(p, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": "content-type,x-link-capability" },
    });
    const ok = await pre(ORIGIN, "POST");
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(ok.headers.get("access-control-allow-methods"), "POST, PATCH, OPTIONS");
    assert.match(ok.headers.get("access-control-allow-headers"), /X-Link-Capability/);
    const dataPre = await pre(ORIGIN, "GET", "/api/owners/");
    assert.equal(dataPre.headers.get("access-control-allow-methods"), "GET, OPTIONS");
    const bad = await pre(FOREIGN, "POST");
    assert.equal(bad.status, 403);
    assert.equal(bad.headers.get("access-control-allow-origin"), null);
    assert.equal((await pre("http://app.example.com", "POST")).status, 403, "exact match only");
    assert.equal((await pre(ORIGIN, "DELETE")).status, 405);
    assert.equal((await pre(ORIGIN, "GET", "/nope")).status, 404);
  });

  it("CORS on actual requests", async () => {
    const before = await w.requests();
    const foreign = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP }, { origin: FOREIGN });
    assert.equal(foreign.status, 403);
    assert.equal(errorItem(foreign).code, "origin_not_allowed");
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
    assert.equal(await w.requests(), before, "foreign origins never reach upstream");
    const ok = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP }, { origin: ORIGIN });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(ok.headers.get("access-control-expose-headers"), /X-Link-Capability/);
  });

  it("GET /__emulator/scenarios serves the table in the repository", async () => {
    const r = await w.json("/__emulator/scenarios");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, scenarioTable());
    assert.ok(r.body.scenarios.length >= 29);
  });

  it("GET /__emulator/stats counts emulator requests; reset clears them", async () => {
    const s = await w.stats();
    assert.ok(s.requests > 0);
    assert.equal(typeof s.by_route, "object");
    const r = await w.post("/__emulator/reset", "");
    assert.equal(r.status, 200);
    assert.equal(await w.requests(), 0);
  });
});

describe("routes (sandbox mode)", () => {
  let w;
  before(async () => {
    w = await startWorker({ BELVO_ENV: "sandbox", BELVO_SECRET_ID: "id", BELVO_SECRET_PASSWORD: "pw", BELVO_BASE_URL: "http://127.0.0.1:9" });
  });
  after(async () => { await w?.stop(); });

  it("has no emulator routes", async () => {
    for (const p of ["/__emulator/scenarios", "/__emulator/stats", "/__emulator/belvo/api/owners/"]) {
      const r = await w.json(p);
      assert.equal(r.status, 404, p);
    }
    assert.equal((await w.post("/__emulator/reset", "")).status, 404);
    assert.ok(!w.logs.join("").includes("EMULATOR mode"));
  });
});

describe("misconfiguration", () => {
  let w;
  before(async () => { w = await startWorker({ BELVO_ENV: "production", LINK_KEY: "" }); });
  after(async () => { await w?.stop(); });

  it("answers 500 proxy_misconfigured without naming any value", async () => {
    const r = await w.createLink({ institution: "imss_mx_employment", username: CURP_A });
    assert.equal(r.status, 500);
    assert.equal(errorItem(r).code, "proxy_misconfigured");
  });
});
