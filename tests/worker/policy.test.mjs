// Every bad-input class, link binding across two callers and the attempt guard, in workerd.
// Each rejection proves upstream was not called (the emulator's request counter).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CPF_A, CURP_A, SANDBOX_CURP, errorItem, startWorker } from "./helpers.mjs";

describe("request policy", () => {
  let w;
  before(async () => { w = await startWorker(); });
  after(async () => { await w?.stop(); });

  async function rejected(r, status, code, field) {
    assert.equal(r.status, status, r.text);
    const item = errorItem(r);
    assert.equal(item.code, code, r.text);
    if (field !== undefined) assert.equal(item.field, field, r.text);
  }

  it("body over 16 KiB → 413, declared or actual", async () => {
    const n = await w.requests();
    const big = JSON.stringify({ institution: "planet_mx_employment", username: "A".repeat(16 * 1024) });
    await rejected(await w.createLink(big), 413, "request_too_large");
    await rejected(await w.post("/webhooks", big, { authorization: "x" }), 413, "request_too_large");
    const link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    await rejected(await w.patch(JSON.stringify({ link, session: "a".repeat(17000) }), "v1.x"), 413, "request_too_large");
    assert.equal(await w.requests(), n);
  });

  it("non-JSON → 400 parse_error", async () => {
    const n = await w.requests();
    for (const body of ["", "not json", "{\"institution\":", "{'a':1}"]) {
      await rejected(await w.createLink(body), 400, "parse_error");
    }
    const text = await w.json("/api/links/", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ institution: "planet_mx_employment", username: SANDBOX_CURP }) });
    await rejected(text, 400, "parse_error");
    const form = await w.json("/api/links/", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "institution=planet_mx_employment" });
    await rejected(form, 400, "parse_error");
    await rejected(await w.createLink("[1]"), 400, "invalid");
    assert.equal(await w.requests(), n);
  });

  it("institution not allowed → 400 invalid_choice (institution)", async () => {
    const n = await w.requests();
    for (const institution of ["erebor_mx_retail", "IMSS_MX_EMPLOYMENT", "gringotts_br_retail", ""]) {
      const r = await w.createLink({ institution, username: CURP_A });
      assert.equal(r.status, 400);
      assert.ok(["invalid_choice", "blank"].includes(errorItem(r).code));
      assert.equal(errorItem(r).field, "institution");
    }
    await rejected(await w.createLink({ username: CURP_A }), 400, "required", "institution");
    assert.equal(await w.requests(), n);
  });

  it("username invalid for the institution → 400 invalid (username)", async () => {
    const n = await w.requests();
    const cases = [
      ["imss_mx_employment", "PEXA850412HJCRRN08"], ["imss_mx_employment", "PEXA850412HJCRRN0"],
      ["issste_mx_employment", "PEXA851312HJCRRN09"], ["imss_mx_employment", SANDBOX_CURP],
      ["planet_mx_employment", "BLPM951331IONVGR5?"], ["inss_br_employment", "15387204691"],
      ["inss_br_employment", "11111111111"],
    ];
    for (const [institution, username] of cases) {
      const r = await w.createLink({ institution, username, password: institution.startsWith("inss") ? "x" : undefined });
      await rejected(r, 400, "invalid", "username");
      assert.ok(!r.text.includes(username), "the value is not echoed");
    }
    await rejected(await w.createLink({ institution: "imss_mx_employment" }), 400, "required", "username");
    assert.equal(await w.requests(), n);
  });

  it("access_mode, credentials_storage, fetch_resources, external_id, unknown fields", async () => {
    const n = await w.requests();
    const base = { institution: "imss_mx_employment", username: CURP_A };
    const cases = [
      [{ access_mode: "recurrent" }, "invalid_choice", "access_mode"],
      [{ credentials_storage: "store" }, "invalid_choice", "credentials_storage"],
      [{ credentials_storage: "400d" }, "invalid_choice", "credentials_storage"],
      [{ fetch_resources: "OWNERS" }, "not_a_list", "fetch_resources"],
      [{ fetch_resources: [] }, "invalid", "fetch_resources"],
      [{ fetch_resources: ["ACCOUNTS"] }, "invalid", "fetch_resources"],
      [{ fetch_resources: ["EMPLOYMENTS"] }, "invalid", "fetch_resources"],
      [{ external_id: "ab" }, "invalid", "external_id"],
      [{ external_id: "has space" }, "invalid", "external_id"],
      [{ external_id: "a@b.com" }, "invalid", "external_id"],
      [{ password: "nope" }, "invalid", "password"],
      [{ token: "123456" }, "invalid", "token"],
      [{ certificate: "AAAA" }, "invalid", "certificate"],
    ];
    for (const [extra, code, field] of cases) {
      await rejected(await w.createLink({ ...base, ...extra }), 400, code, field);
    }
    await rejected(await w.createLink({ institution: "inss_br_employment", username: CPF_A }), 400, "required", "password");
    assert.equal(await w.requests(), n);
  });

  it("PATCH and data queries are validated", async () => {
    const n = await w.requests();
    const link = "74c01cb4-edf1-44d6-8876-b1dc2aebcb14";
    await rejected(await w.patch({ session: "abc" }, "v1.x"), 400, "required", "link");
    await rejected(await w.patch({ link: "nope", session: "abc" }, "v1.x"), 400, "invalid", "link");
    await rejected(await w.patch({ link, session: "a-b" }, "v1.x"), 400, "invalid", "session");
    await rejected(await w.patch({ link, session: "abc", token: "12 34" }, "v1.x"), 400, "invalid", "token");
    await rejected(await w.get("/api/owners/", "v1.x"), 400, "required", "link");
    await rejected(await w.get("/api/owners/?link=abc", "v1.x"), 400, "invalid", "link");
    await rejected(await w.get(`/api/owners/?link__in=${link}`, "v1.x"), 400, "invalid", "link__in");
    await rejected(await w.get(`/api/owners/?link=${link}&page=0`, "v1.x"), 400, "invalid", "page");
    assert.equal(await w.requests(), n);
  });

  it("link binding across two callers", async () => {
    const a = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
    const b = await w.createLink({ institution: "inss_br_employment", username: CPF_A, password: "senha" });
    assert.equal(a.status, 201);
    assert.equal(b.status, 428);
    const capA = a.headers.get("x-link-capability");
    const capB = b.headers.get("x-link-capability");
    const idA = a.body.id;
    const idB = b.body[0].link;
    assert.notEqual(capA, capB);
    const n = await w.requests();
    // B cannot read, poll or complete A's link; A cannot complete B's MFA.
    for (const cap of [capB, undefined, "v1." + "0".repeat(64), capA.slice(0, -1) + (capA.endsWith("0") ? "1" : "0")]) {
      for (const p of ["/api/employment-records/", "/api/br/employments/", "/api/owners/", "/api/employment-metrics/"]) {
        await rejected(await w.get(`${p}?link=${idA}`, cap), 404, "not_found");
      }
      await rejected(await w.get(`/links/${idA}/events`, cap), 404, "not_found");
    }
    await rejected(await w.patch({ link: idB, session: b.body[0].session, token: "111111" }, capA), 404, "not_found");
    await rejected(await w.patch({ link: idB, session: b.body[0].session, token: "111111" }), 404, "not_found");
    assert.equal(await w.requests(), n, "no upstream call for a link the caller did not create");
    // Each caller with its own capability gets through.
    assert.equal((await w.get(`/api/owners/?link=${idA}`, capA)).status, 200);
    const done = await w.patch({ link: idB, session: b.body[0].session, token: "111111" }, capB);
    assert.equal(done.status, 200);
  });

  it("attempt guard: 3 link attempts per CURP per 24 h at IMSS, the 4th is 403 with a retry time", async () => {
    const curp = "EXMU900121HDFRRN09";
    for (let i = 0; i < 3; i++) {
      assert.equal((await w.createLink({ institution: "imss_mx_employment", username: curp })).status, 201);
    }
    const n = await w.requests();
    const r = await w.createLink({ institution: "imss_mx_employment", username: curp.toLowerCase() });
    assert.equal(r.status, 403);
    const item = errorItem(r);
    assert.equal(item.code, "forbidden_by_host");
    assert.equal(item.message, "Has agotado el número de solicitudes permitidas por día.");
    assert.ok(item.retry_after > 86000 && item.retry_after <= 86400, String(item.retry_after));
    assert.equal(r.headers.get("retry-after"), String(item.retry_after));
    assert.equal(await w.requests(), n, "the 4th attempt never reaches upstream");
    // Other CURPs and other institutions are not affected.
    assert.equal((await w.createLink({ institution: "planet_mx_employment", username: curp })).status, 201);
    // No raw identifier in KV.
    const kv = await w.mf.getKVNamespace("EMPLOYMENT_LINK_KV");
    const { keys } = await kv.list();
    for (const k of keys) {
      assert.ok(!k.name.includes("EXMU") && !k.name.includes("exmu"), k.name);
      const v = await kv.get(k.name);
      assert.ok(!String(v).includes("EXMU"), v);
    }
    assert.ok(keys.some((k) => k.name.startsWith("guard:")));
  });
});
