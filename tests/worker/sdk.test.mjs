// Issue 16: Belvo's official Node SDK (npm `belvo`, pinned in tools/node) drives the emulator
// in workerd through its PUBLIC API only, with nothing changed but the base URL and the keys:
// login, register (MX; BR with the 428 and the resume), link detail and modification,
// employment records and owners (retrieve and list), pagination through the SDK's own `next`
// following, an out-of-range page_size, the seed's IMSS errors, delete, bad keys.
// The emulator's request counters (`GET /__emulator/stats`) show which calls the SDK made.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { CPF_A, CURP_A, ROOT, SANDBOX_CURP, scenarioTable, startWorker } from "./helpers.mjs";

// The SDK is CommonJS (Babel output): its client is the `default` export.
const requireTools = createRequire(path.join(process.env.TOOLS_NODE_DIR || path.join(ROOT, "tools/node"), "package.json"));
const belvo = requireTools("belvo");
const Client = belvo.default ?? belvo;
const SDK_VERSION = requireTools("belvo/package.json").version;

const ID = "emulator-secret-id";
const PASSWORD = "emulator-secret-password";

/** The RequestError the SDK throws for a non-2xx answer (statusCode, detail = Belvo's body). */
async function sdkError(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("the SDK call succeeded; an error was expected");
}

describe(`Belvo's Node SDK (belvo@${SDK_VERSION}) against the emulator`, () => {
  let w;
  let base;
  let client;
  /** Emulator calls per route since the last `calls()`. */
  let seen = {};
  async function calls() {
    const now = (await w.stats()).by_route;
    const delta = {};
    for (const [k, v] of Object.entries(now)) if (v !== (seen[k] ?? 0)) delta[k] = v - (seen[k] ?? 0);
    seen = now;
    return delta;
  }

  before(async () => {
    w = await startWorker();
    base = new URL("/__emulator/belvo", w.url).href;
    client = new Client(ID, PASSWORD, base);
    await client.connect();
    await calls();
  });
  after(async () => { await w?.stop(); });

  it("connect(): GET /api/ with Basic auth; wrong keys → the SDK's 'Login failed.'", async () => {
    const bad = new Client(ID, "not-the-password", base);
    // The SDK prints the failed login's axios error; keep the test output clean.
    const log = console.log;
    console.log = () => {};
    try {
      await assert.rejects(bad.connect(), { message: "Login failed." });
    } finally {
      console.log = log;
    }
    assert.deepEqual(await calls(), { "GET /api/": 1 });
    const good = new Client(ID, PASSWORD, base);
    await good.connect();
    assert.deepEqual(await calls(), { "GET /api/": 1 });
  });

  it("institutions.list(): the four employment institutions", async () => {
    const all = await client.institutions.list();
    assert.deepEqual(all.map((i) => i.name).sort(), [
      "imss_mx_employment", "inss_br_employment", "issste_mx_employment", "planet_mx_employment",
    ]);
    const inss = all.find((i) => i.name === "inss_br_employment");
    assert.equal(inss.country_code, "BR");
    assert.deepEqual(inss.resources, ["EMPLOYMENTS", "OWNERS"]);
    assert.equal(inss.features[0].name, "token_required");
    assert.equal(all.find((i) => i.name === "imss_mx_employment").country_code, "MX");
    assert.deepEqual(await calls(), { "GET /api/institutions/": 1 });
  });

  let mx;
  it("links.register() MX (default scenario) → the link; links.detail(); links.patch()", async () => {
    mx = await client.links.register("imss_mx_employment", CURP_A, undefined, {
      accessMode: "single",
      externalId: "sdk-mx-1",
    });
    assert.equal(mx.status, "valid");
    assert.equal(mx.institution, "imss_mx_employment");
    assert.equal(mx.external_id, "sdk-mx-1");
    assert.equal(Object.keys(mx).length, 13);
    assert.deepEqual(await client.links.detail(mx.id), mx);
    const patched = await client.links.patch(mx.id, { accessMode: "recurrent" });
    assert.equal(patched.access_mode, "recurrent");
    assert.equal(patched.refresh_rate, "7d");
    assert.deepEqual(await calls(), {
      "POST /api/links/": 1,
      "GET /api/links/{id}/": 1,
      "PATCH /api/links/{id}/": 1,
    });
  });

  it("employmentRecords.retrieve() / list() and owners.retrieve() / list()", async () => {
    const records = await client.employmentRecords.retrieve(mx.id);
    assert.equal(records.length, 1);
    assert.equal(records[0].link, mx.id);
    assert.equal(records[0].internal_identification, CURP_A);
    assert.ok(records[0].employment_records.length >= 1);
    const listed = await client.employmentRecords.list({ filters: { link: mx.id } });
    assert.deepEqual(listed.map((r) => r.id), records.map((r) => r.id));
    const owners = await client.owners.retrieve(mx.id);
    assert.equal(owners.length, 1);
    assert.equal(owners[0].document_id.document_type, "CURP");
    const ownersListed = await client.owners.list({ filters: { link: mx.id } });
    assert.deepEqual(ownersListed.map((o) => o.id), owners.map((o) => o.id));
    assert.deepEqual(await calls(), {
      "POST /api/employment-records/": 1,
      "GET /api/employment-records/": 1,
      "POST /api/owners/": 1,
      "GET /api/owners/": 1,
    });
  });

  it("links.register() BR → RequestError 428 token_required; resume() with a wrong then the right token", async () => {
    const e = await sdkError(client.links.register("inss_br_employment", CPF_A, "any-password", { accessMode: "single" }));
    assert.equal(e.statusCode, 428);
    const [challenge] = e.detail;
    assert.equal(challenge.code, "token_required");
    assert.match(challenge.session, /^[0-9a-f]{32}$/);
    assert.ok(challenge.token_generation_data);
    const wrong = await sdkError(client.links.resume(challenge.session, "999999", challenge.link));
    assert.equal(wrong.statusCode, 428);
    const again = wrong.detail[0];
    assert.notEqual(again.session, challenge.session);
    assert.equal(again.link, challenge.link);
    const stale = await sdkError(client.links.resume(challenge.session, "111111", challenge.link));
    assert.equal(stale.statusCode, 400);
    assert.equal(stale.detail[0].code, "session_expired");
    const link = await client.links.resume(again.session, "111111", again.link);
    assert.equal(link.status, "valid");
    assert.equal(link.id, challenge.link);
    const owners = await client.owners.retrieve(link.id);
    assert.equal(owners[0].document_id.document_type, "CPF");
    // The Node SDK has no BR employments resource; the records endpoint refuses a BR link.
    const unsupported = await sdkError(client.employmentRecords.retrieve(link.id));
    assert.equal(unsupported.statusCode, 400);
    assert.equal(unsupported.detail[0].code, "unsupported_operation");
    assert.deepEqual(await calls(), {
      "POST /api/links/": 1,
      "PATCH /api/links/": 3,
      "POST /api/owners/": 1,
      "POST /api/employment-records/": 1,
    });
  });

  it("the seed's IMSS errors reach the SDK as RequestError with Belvo's status, code and message", async () => {
    const table = scenarioTable().scenarios;
    for (const name of ["imss_nss_mismatch", "imss_daily_limit"]) {
      const s = table.find((x) => x.name === name);
      const e = await sdkError(client.links.register(s.institution, s.identifier, undefined));
      assert.equal(e.statusCode, s.status, name);
      assert.equal(e.detail[0].code, s.code, name);
      assert.equal(e.detail[0].message, s.message, name);
    }
  });

  it("links.list(): page_size honoured, `next` followed by the SDK on the emulator's origin", async () => {
    const made = [];
    for (let i = 0; i < 12; i++) {
      made.push((await client.links.register("planet_mx_employment", SANDBOX_CURP, undefined, { externalId: `sdk-page-${i}` })).id);
    }
    await calls();
    const filters = { institution: "planet_mx_employment" };
    // limit 100 (the default): the SDK sends our page_size and follows `next` to the end.
    const all = await client.links.list({ filters: { ...filters, page_size: 5 } });
    assert.deepEqual(all.map((l) => l.id), made);
    assert.deepEqual(await calls(), { "GET /api/links/": 3 });
    // The page links are absolute URLs on the origin the SDK called.
    const page = await w.json(`/__emulator/belvo/api/links/?institution=planet_mx_employment&page_size=5`, {
      headers: { authorization: "Basic " + Buffer.from(`${ID}:${PASSWORD}`).toString("base64") },
    });
    assert.equal(page.body.next, `${base}/api/links/?institution=planet_mx_employment&page=2&page_size=5`);
    await calls();
    // Another limit: the SDK asks for page_size = limit and stops there.
    const three = await client.links.list({ limit: 3, filters });
    assert.deepEqual(three.map((l) => l.id), made.slice(0, 3));
    assert.deepEqual(await calls(), { "GET /api/links/": 1 });
    // Out of range: above 1000 is clamped (one page holds all 12); not a positive number
    // falls back to the sandbox's 10 (two pages).
    assert.equal((await client.links.list({ filters: { ...filters, page_size: 5000 } })).length, 12);
    assert.deepEqual(await calls(), { "GET /api/links/": 1 });
    assert.equal((await client.links.list({ filters: { ...filters, page_size: 0 } })).length, 12);
    assert.deepEqual(await calls(), { "GET /api/links/": 2 });
    // Other filters.
    const one = await client.links.list({ filters: { external_id: "sdk-page-7" } });
    assert.deepEqual(one.map((l) => l.id), [made[7]]);
  });

  it("links.delete(): true, then the link and its data are gone (404 → RequestError; false)", async () => {
    assert.equal(await client.links.delete(mx.id), true);
    const e = await sdkError(client.links.detail(mx.id));
    assert.equal(e.statusCode, 404);
    assert.equal(e.detail[0].code, "not_found");
    assert.deepEqual(await client.employmentRecords.list({ filters: { link: mx.id } }), []);
    assert.deepEqual(await client.owners.list({ filters: { link: mx.id } }), []);
    assert.equal(await client.links.delete(mx.id), false);
    const gone = await sdkError(client.owners.retrieve(mx.id));
    assert.equal(gone.statusCode, 400);
    assert.equal(gone.detail[0].code, "does_not_exist");
    await calls();
  });
});
