// Upstream failures (sandbox mode against a local fake Belvo), Basic auth, pass-through.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CURP_A, LINK_KEY, SANDBOX_CURP, closedPort, errorItem, startFakeBelvo, startWorker } from "./helpers.mjs";

const HTML_403 = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n";
const CREATE = { institution: "planet_mx_employment", username: SANDBOX_CURP };

describe("upstream (sandbox mode, local fake Belvo)", () => {
  let belvo;
  let w;
  before(async () => {
    belvo = await startFakeBelvo();
    w = await startWorker({
      BELVO_ENV: "sandbox", BELVO_SECRET_ID: "my-id", BELVO_SECRET_PASSWORD: "my-pw",
      BELVO_BASE_URL: belvo.url, UPSTREAM_TIMEOUT_MS: "700", LINK_KEY,
    });
  });
  after(async () => { await w?.stop(); await belvo?.stop(); });

  it("adds Basic auth and forwards only validated, normalised values", async () => {
    belvo.set("json", 400, "application/json", JSON.stringify([{ code: "institution_down", message: "The financial institution is down, try again later", request_id: "a6e1c493d7a29d91aed4338e6fcf077d" }]));
    const n = belvo.state.requests.length;
    const r = await w.createLink({ institution: "imss_mx_employment", username: "pexa850412hjcrrn09", external_id: "abc" });
    assert.equal(r.status, 400, "Belvo's JSON error passes through with its status");
    assert.equal(errorItem(r).code, "institution_down");
    assert.equal(errorItem(r).request_id, "a6e1c493d7a29d91aed4338e6fcf077d");
    const sent = belvo.state.requests[n];
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, "/api/links/");
    assert.equal(sent.headers.authorization, "Basic " + Buffer.from("my-id:my-pw").toString("base64"));
    assert.equal(sent.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(sent.body), {
      institution: "imss_mx_employment", username: CURP_A, access_mode: "single",
      fetch_resources: ["EMPLOYMENT_RECORDS", "OWNERS"], external_id: "abc",
    });
  });

  it("Belvo's HTML 403 (IP rate limit) → 403 rate_limited JSON", async () => {
    belvo.set("json", 403, "text/html", HTML_403);
    const r = await w.createLink(CREATE);
    assert.equal(r.status, 403);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.equal(errorItem(r).code, "rate_limited");
    assert.equal(r.headers.get("retry-after"), "30");
  });

  it("other non-JSON answers → 502 upstream_invalid_response", async () => {
    belvo.set("json", 502, "text/html", "<html>Bad gateway</html>");
    let r = await w.createLink(CREATE);
    assert.equal(r.status, 502);
    assert.equal(errorItem(r).code, "upstream_invalid_response");
    belvo.set("json", 201, "application/json", '{"id":"74c01cb4-edf1-44d6-');
    r = await w.createLink(CREATE);
    assert.equal(r.status, 502);
    assert.equal(errorItem(r).code, "upstream_invalid_response");
    assert.equal(r.headers.get("x-link-capability"), null);
  });

  it("timeout → 504 request_timeout", async () => {
    belvo.set("hang", 200, "application/json", "");
    const t0 = Date.now();
    const r = await w.createLink(CREATE);
    const elapsed = Date.now() - t0;
    assert.equal(r.status, 504);
    assert.equal(errorItem(r).code, "request_timeout");
    assert.ok(elapsed >= 600 && elapsed < 5000, `${elapsed} ms`);
  });

  it("428 and 201 carry the link capability; data pages pass through", async () => {
    const link = "30cb4806-6e00-48a4-91c9-ca55968576c8";
    belvo.set("json", 428, "application/json", JSON.stringify([{ code: "token_required", message: "A MFA token is required by the institution to login", request_id: "8c7b283c6efa449c9c028a16b5c249fa", session: "2675b703b9d4451f8d4861a3eee54449", expiry: "720", link }]));
    const r = await w.createLink({ institution: "inss_br_employment", username: "15387204690", password: "p" });
    assert.equal(r.status, 428);
    const cap = r.headers.get("x-link-capability");
    assert.match(cap, /^v1\./);
    const page = { count: 11, next: `https://sandbox.belvo.com/api/br/employments/?link=${link}&page=2`, previous: null, results: [] };
    belvo.set("json", 200, "application/json", JSON.stringify(page));
    const n = belvo.state.requests.length;
    const d = await w.get(`/api/br/employments/?link=${link}&page=1`, cap);
    assert.equal(d.status, 200);
    assert.deepEqual(d.body, page);
    assert.equal(belvo.state.requests[n].url, `/api/br/employments/?link=${link}&page=1`);
    // Unbound: 404, and the fake Belvo sees nothing.
    const m = belvo.state.requests.length;
    assert.equal((await w.get(`/api/br/employments/?link=${link}`)).status, 404);
    assert.equal(belvo.state.requests.length, m);
  });
});

describe("upstream refused", () => {
  let w;
  before(async () => {
    const port = await closedPort();
    w = await startWorker({
      BELVO_ENV: "production", BELVO_SECRET_ID: "id", BELVO_SECRET_PASSWORD: "pw",
      BELVO_BASE_URL: `http://127.0.0.1:${port}`, LINK_KEY,
    });
  });
  after(async () => { await w?.stop(); });

  it("connection failure → 502 upstream_unreachable", async () => {
    const r = await w.createLink(CREATE);
    assert.equal(r.status, 502);
    assert.equal(errorItem(r).code, "upstream_unreachable");
  });
});
