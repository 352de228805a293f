// Whole flows through the Worker in emulator mode, every scenario of the table, and the logs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CPF_A, CURP_A, SANDBOX_CURP, WEBHOOK_TOKEN, LINK_KEY, errorItem, scenarioTable, startWorker } from "./helpers.mjs";

/** What a scenario looks like through the proxy: [status, code] of the POST /api/links/. */
function expected(s) {
  if (s.via_proxy) return [s.via_proxy.status, s.via_proxy.code];
  switch (s.behavior) {
    case "error": return [s.status, s.code];
    case "too_many_sessions_once": return [400, "too_many_sessions"];
    default: return [s.status, null];
  }
}

describe("flows (emulator mode)", () => {
  let w;
  before(async () => { w = await startWorker({ ATTEMPT_LIMIT: "10" }); });
  after(async () => { await w?.stop(); });

  it("MX: create → webhooks → one employment-record profile with every employment, owners, metrics", async () => {
    const r = await w.createLink({ institution: "imss_mx_employment", username: "EXMU900119HDFRRN07", external_id: "mx_flow" });
    assert.equal(r.status, 201);
    const cap = r.headers.get("x-link-capability");
    const id = r.body.id;
    const events = await w.waitEvents(id, cap, 2);
    const records = events.find((e) => e.webhook_type === "EMPLOYMENT_RECORDS");
    // Belvo returns one profile per link, with the employments inside.
    assert.equal(records.data.total_employment_record_profiles, 1);
    const p = await w.get(`/api/employment-records/?link=${id}`, cap);
    assert.equal(p.status, 200);
    assert.equal(p.body.count, 1);
    assert.equal(p.body.next, null);
    assert.equal(p.body.results[0].employment_records.length, 26);
    assert.equal((await w.get(`/api/owners/?link=${id}`, cap)).body.count, 1);
    const m = await w.get(`/api/employment-metrics/?link=${id}`, cap);
    assert.equal(m.body.count, 1);
    assert.equal(m.body.results[0].reference_date, null);
  });

  it("BR many employments: every page, salaries in consecutive months, codes with descriptions", async () => {
    const r = await w.createLink({ institution: "inss_br_employment", username: "10000001929", password: "x" });
    assert.equal(r.status, 428);
    const cap = r.headers.get("x-link-capability");
    const ch = r.body[0];
    assert.equal((await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap)).status, 200);
    const events = await w.waitEvents(ch.link, cap, 2);
    assert.equal(events.find((e) => e.webhook_type === "EMPLOYMENTS").data.total_employments, 27);
    const all = [];
    let page = 1;
    for (;;) {
      const p = await w.get(`/api/br/employments/?link=${ch.link}&page=${page}`, cap);
      assert.equal(p.status, 200);
      assert.equal(p.body.count, 27);
      all.push(...p.body.results);
      if (!p.body.next) break;
      // Keep only the page parameters and stay on the proxy.
      page = Number(new URL(p.body.next).searchParams.get("page"));
    }
    assert.equal(page, 3);
    assert.equal(all.length, 27);
    const index = (m) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
    for (const e of all) {
      const months = e.salaries.map((s) => index(s.month));
      assert.ok(months.length > 0);
      assert.ok(months.every((m, i) => i === 0 || months[i - 1] === m + 1), JSON.stringify(e.salaries));
      assert.match(e.employer_data.economic_activity, /^\d{4}-\d - [A-Z]/);
      assert.match(e.occupations[0].name, / - \d{4}-\d{2}$/);
    }
    const owner = (await w.get(`/api/owners/?link=${ch.link}`, cap)).body.results[0];
    assert.match(owner.address, /^RUA .* - [A-Z]{2}, \d{5}-\d{3}$/);
  });

  it("MX sandbox CURP at planet", async () => {
    const r = await w.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, fetch_resources: ["EMPLOYMENT_RECORDS", "OWNERS"], access_mode: "single", external_id: "COHORT_32_User_6790023X5" });
    assert.equal(r.status, 201);
    const cap = r.headers.get("x-link-capability");
    await w.waitEvents(r.body.id, cap, 2);
    const rec = await w.get(`/api/employment-records/?link=${r.body.id}`, cap);
    assert.equal(rec.body.results[0].internal_identification, SANDBOX_CURP);
    assert.ok(rec.body.results[0].employment_records.length >= 3);
  });

  it("BR: 428 → wrong token (new 428) → 111111 → webhooks → employments", async () => {
    const r = await w.createLink({ institution: "inss_br_employment", username: CPF_A, password: "senha-secreta" });
    assert.equal(r.status, 428);
    const cap = r.headers.get("x-link-capability");
    let ch = r.body[0];
    // The seed's challenge: the person types the token their app or device generates.
    assert.equal(ch.expiry, "120");
    assert.deepEqual(ch.token_generation_data, { instructions: "Use your app or device to generate a token", type: "inputless", value: null, expects_user_input: true });
    const again = await w.patch({ link: ch.link, session: ch.session, token: "999999" }, cap);
    assert.equal(again.status, 428);
    assert.notEqual(again.body[0].session, ch.session);
    ch = again.body[0];
    const ok = await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap);
    assert.equal(ok.status, 200);
    const events = await w.waitEvents(ch.link, cap, 2);
    const n = events.find((e) => e.webhook_type === "EMPLOYMENTS").data.total_employments;
    const emp = await w.get(`/api/br/employments/?link=${ch.link}`, cap);
    assert.equal(emp.body.count, n);
    assert.ok(emp.body.results.every((e) => e.salaries.length > 0));
  });

  it("BR token types as scenarios: a numeric code to show; approval on a device (PATCH without a token)", async () => {
    let r = await w.createLink({ institution: "inss_br_employment", username: "10000002224", password: "x" });
    assert.equal(r.status, 428);
    let cap = r.headers.get("x-link-capability");
    let ch = r.body[0];
    assert.equal(ch.token_generation_data.type, "numeric");
    assert.match(ch.token_generation_data.value, /^\d{6}$/);
    assert.equal((await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap)).status, 200);
    r = await w.createLink({ institution: "inss_br_employment", username: "10000002305", password: "x" });
    assert.equal(r.status, 428);
    cap = r.headers.get("x-link-capability");
    ch = r.body[0];
    assert.equal(ch.token_generation_data.expects_user_input, false);
    const ok = await w.patch({ link: ch.link, session: ch.session }, cap);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, "valid");
  });

  it("BR: an expired session answers 400 session_expired (clock advanced, and the 1-second scenario)", async () => {
    let r = await w.createLink({ institution: "inss_br_employment", username: CPF_A, password: "x" });
    let cap = r.headers.get("x-link-capability");
    let ch = r.body[0];
    assert.equal((await w.post("/__emulator/clock?advance=121", "")).status, 200);
    let p = await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap);
    assert.equal(p.status, 400);
    assert.equal(errorItem(p).code, "session_expired");
    r = await w.createLink({ institution: "inss_br_employment", username: "10000002062", password: "x" });
    cap = r.headers.get("x-link-capability");
    ch = r.body[0];
    assert.equal(ch.expiry, "1");
    await new Promise((res) => setTimeout(res, 1100));
    p = await w.patch({ link: ch.link, session: ch.session, token: "111111" }, cap);
    assert.equal(errorItem(p).code, "session_expired");
  });

  it("data_error_once: the first data request answers 500 unexpected_error, the retry the data", async () => {
    const r = await w.createLink({ institution: "imss_mx_employment", username: "EXMU900131HDFRRN09" });
    assert.equal(r.status, 201, r.text);
    const cap = r.headers.get("x-link-capability");
    const id = r.body.id;
    assert.equal((await w.waitEvents(id, cap, 2)).length, 2);
    const before = await w.requests();
    const first = await w.get(`/api/employment-records/?link=${id}`, cap);
    assert.equal(first.status, 500, first.text);
    assert.equal(errorItem(first).code, "unexpected_error");
    const again = await w.get(`/api/employment-records/?link=${id}`, cap);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.count, 1);
    assert.equal((await w.get(`/api/owners/?link=${id}`, cap)).status, 200);
    assert.equal(await w.requests(), before + 3, "each GET reached the emulator once");
  });

  it("every scenario of the table, through the proxy", async () => {
    const table = scenarioTable();
    for (const s of table.scenarios) {
      const body = { institution: s.institution, username: s.identifier };
      if (s.country === "BR") body.password = "any";
      const t0 = Date.now();
      const r = await w.createLink(body);
      const [status, code] = expected(s);
      assert.equal(r.status, status, `${s.name}: ${r.text}`);
      if (code) assert.equal(errorItem(r).code, code, s.name);
      if (s.behavior === "error") assert.equal(errorItem(r).message, s.message, s.name);
      if (s.behavior === "slow") assert.ok(Date.now() - t0 >= 250, `${s.name} was not slow`);
      if (s.behavior === "too_many_sessions_once") {
        const again = await w.createLink(body);
        assert.equal(again.status, s.then.startsWith("428") ? 428 : 201, s.name);
      }
    }
  });

  it("logs: structured, with request ids, never an identifier, password, token or secret", async () => {
    await new Promise((res) => setTimeout(res, 300));
    const text = w.logs.join("");
    const lines = text.split("\n").filter((l) => l.startsWith("{"));
    assert.ok(lines.length > 20);
    for (const l of lines) {
      const v = JSON.parse(l);
      assert.ok(v.level && v.msg, l);
      if (v.msg === "request") assert.match(v.request_id, /^[0-9a-f]{32}$/);
    }
    const secrets = [CURP_A, "EXMU9001", CPF_A, "10000002062", "10000002224", "10000002305", "10000001929", "senha-secreta", "111111", "999999", WEBHOOK_TOKEN, "test-webhook-token", LINK_KEY, "emulator-secret", SANDBOX_CURP];
    for (const s of secrets) assert.ok(!text.includes(s), `log contains ${s}`);
  });
});
