// The link-flow client (`EmploymentLink`, the #[wasm_bindgen] class in src/client.rs) from the
// built package, against a stubbed global `fetch`: what only the adapter can get wrong (misuse
// errors, options errors, cancel before the request leaves, timeouts, headers `fetch` refuses,
// what reaches `fetch`). The full flows against the real Worker + emulator are the
// wasm-bindgen tests (tests/wasm_common/flow_cases.rs) and the Playwright suite.
import test from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { EmploymentLink } from "employment-link";

const SANDBOX_CURP = "BLPM951331IONVGR54";
const LINK = {
  id: "0d3ffb69-f83b-456e-ad8e-208d0998d71d", institution: "planet_mx_employment",
  access_mode: "single", status: "valid", created_at: "2026-11-23T10:00:00.000Z",
  external_id: null, institution_user_id: "abc", credentials_storage: "store",
  fetch_resources: ["EMPLOYMENT_RECORDS", "OWNERS"], refresh_rate: null, created_by: "x",
  last_accessed_at: null, stale_in: null,
};

/** Replaces `globalThis.fetch` for one test; records every call as `{url, init}` (the client
 * hands `fetch` a `Request`: its method, headers, signal, credentials and body text are read
 * back into `init`), and answers with `answer(url, init)`. */
function stubFetch(t, answer) {
  const calls = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, options) => {
    const req = input instanceof Request ? input : new Request(input, options);
    const text = req.body === null ? undefined : await req.clone().text();
    const init = { method: req.method, headers: req.headers, signal: req.signal, credentials: req.credentials, body: text };
    calls.push({ url: req.url, init });
    return answer(req.url, init);
  };
  t.after(() => { globalThis.fetch = original; });
  return calls;
}

const json = (status, body, headers = {}) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } }));

/** A fetch that never answers, but rejects when its signal aborts (as real `fetch` does). */
const hanging = (_url, init) => new Promise((_resolve, reject) => {
  if (init.signal.aborted) reject(init.signal.reason);
  init.signal.addEventListener("abort", () => reject(init.signal.reason));
});

/** A `createLink` whose request has reached a `fetch` that never answers. */
async function createLinkInFlight(t) {
  const calls = stubFetch(t, hanging);
  const { el } = client();
  const pending = el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  while (calls.length === 0) await new Promise((r) => setTimeout(r, 1));
  return { calls, el, pending };
}

function client(extra = {}) {
  const events = [];
  const el = new EmploymentLink({
    proxyUrl: "https://onboarding.example/belvo-proxy", locale: "en",
    retry: { max: 0, baseMs: 1 }, onEvent: (e) => events.push(e), ...extra,
  });
  return { el, events };
}

function throwsCoded(fn, code, field) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, "an Error object");
    assert.equal(e.code, code);
    assert.equal(e.category, "integration");
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

test("bad options throw a coded Error naming the option", () => {
  throwsCoded(() => new EmploymentLink(), "invalid_options", "options");
  throwsCoded(() => new EmploymentLink("https://x.example"), "invalid_options", "options");
  throwsCoded(() => new EmploymentLink({}), "invalid_options", "proxyUrl");
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://api.belvo.com" }), "invalid_options", "proxyUrl");
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://p.example", secretPassword: "x" }), "invalid_options", "options");
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://p.example", timeoutMs: "60" }), "invalid_options", "options");
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://p.example", timeoutMs: 0 }), "invalid_options", "timeoutMs");
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://p.example", onEvent: 42 }), "invalid_options", "onEvent");
  // JSON.stringify cannot write a BigInt: refused as wrong types, not a TypeError.
  throwsCoded(() => new EmploymentLink({ proxyUrl: "https://p.example", timeoutMs: 10n }), "invalid_options", "options");
});

test("linked: the request reaches fetch with the proxy URL, method, body and headers; no PII in events or state", async (t) => {
  const calls = stubFetch(t, () => json(201, LINK, { "X-Link-Capability": "cap-123" }));
  const { el, events } = client({ headers: { "X-Session": "s1" }, credentials: "include" });
  const step = await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "pw-Secret1" });
  assert.equal(step.status, "linked", JSON.stringify(step));
  assert.equal(step.link.id, LINK.id);
  assert.equal(calls.length, 1);
  const { url, init } = calls[0];
  assert.equal(url, "https://onboarding.example/belvo-proxy/api/links/");
  assert.equal(init.method, "POST");
  assert.equal(init.credentials, "include");
  assert.equal(init.headers.get("X-Session"), "s1");
  assert.equal(init.headers.get("Content-Type"), "application/json");
  const body = JSON.parse(init.body);
  assert.equal(body.username, SANDBOX_CURP);
  // The sandbox MX institution takes no password: it is not sent.
  assert.equal(body.password, undefined);
  assert.equal(body.access_mode, "single");
  assert.equal(el.state.status, "linked");
  assert.deepEqual(events.map((e) => e.type).filter((x) => x !== "state"), ["request", "response", "linked"]);
  const seen = JSON.stringify([events, el.state]);
  for (const secret of [SANDBOX_CURP, "pw-Secret1", "cap-123"]) assert.ok(!seen.includes(secret), secret);

  // The capability the proxy issued goes back on the next request about that link.
  calls.length = 0;
  globalThis.fetch = (r) => { calls.push({ url: r.url, init: { method: r.method, headers: r.headers, body: r.body ?? undefined } }); return json(200, { count: 0, next: null, previous: null, results: [] }); };
  const owners = await el.owners();
  assert.equal(owners.status, "ok");
  assert.equal(calls[0].init.method, "GET");
  assert.match(calls[0].url, /^https:\/\/onboarding\.example\/belvo-proxy\/api\/owners\/\?link=0d3ffb69/);
  assert.equal(calls[0].init.headers.get("X-Link-Capability"), "cap-123");
  assert.equal(calls[0].init.body, undefined);
});

test("an invalid username is a fix_input error and nothing is sent", async (t) => {
  const calls = stubFetch(t, () => json(201, LINK));
  const { el } = client();
  const step = await el.createLink({ institution: "imss_mx_employment", username: "BLPM951331IONVGR54" });
  assert.equal(step.status, "error");
  assert.equal(step.error.category, "fix_input");
  assert.equal(calls.length, 0);
});

test("misuse rejects with a coded Error: bad params, no challenge, busy, bad token and timeout types", async (t) => {
  stubFetch(t, hanging);
  const { el } = client();
  const rejectsWith = (p, code) => assert.rejects(p, (e) => e instanceof Error && e.code === code);
  await rejectsWith(el.createLink(), "invalid_options");
  await rejectsWith(el.createLink({ institution: 5 }), "invalid_options");
  await rejectsWith(el.submitToken("123456"), "invalid_state");
  await rejectsWith(el.submitToken(123456), "invalid_options");
  await rejectsWith(el.waitForData({ timeoutMs: -1 }), "invalid_options");
  await rejectsWith(el.employmentRecords(), "invalid_state");
  const first = el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  await rejectsWith(el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" }), "busy");
  assert.equal(el.cancel(), true);
  assert.equal((await first).error.code, "cancelled");
});

test("cancel() right after createLink() settles as cancelled and sends nothing", async (t) => {
  const calls = stubFetch(t, hanging);
  const { el, events } = client();
  const pending = el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  assert.equal(el.state.busy, true);
  assert.equal(el.cancel(), true);
  const step = await pending;
  assert.equal(step.status, "error");
  assert.equal(step.error.code, "cancelled");
  assert.equal(calls.length, 0, "the request must not leave");
  assert.ok(events.some((e) => e.type === "cancelled"));
  assert.equal(el.cancel(), false, "nothing left to cancel");
});

test("cancel() aborts the fetch in flight", async (t) => {
  const { calls, el, pending } = await createLinkInFlight(t);
  el.cancel();
  assert.equal(calls[0].init.signal.aborted, true);
  assert.equal((await pending).error.code, "cancelled");
});

test("a request that outlives timeoutMs is a timeout (category retry), and its fetch is aborted", async (t) => {
  const calls = stubFetch(t, hanging);
  const { el } = client({ timeoutMs: 30 });
  const step = await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  assert.equal(step.status, "error");
  assert.equal(step.error.code, "timeout");
  assert.equal(step.error.category, "retry");
  assert.equal(calls[0].init.signal.aborted, true);
});

test("a header fetch would refuse is an options error; a rejected fetch and an HTML answer resolve to errors", async (t) => {
  stubFetch(t, () => json(201, LINK));
  throwsCoded(() => client({ headers: { "X-Bad": "line\nbreak" } }), "invalid_options", "headers");

  globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
  const s2 = await client().el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  assert.equal(s2.error.code, "network_error");
  assert.equal(s2.error.category, "retry");

  globalThis.fetch = () => Promise.resolve(new Response("<html><body>Forbidden</body></html>", { status: 403 }));
  const s3 = await client().el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  assert.equal(s3.status, "error");
  assert.equal(s3.error.status, 403);
});

test("an onEvent handler that throws does not break the flow", async (t) => {
  stubFetch(t, () => json(201, LINK));
  const el = new EmploymentLink({ proxyUrl: "https://p.example", onEvent: () => { throw new Error("boom"); } });
  const step = await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  assert.equal(step.status, "linked");
});

test("restart() goes back to idle; free() releases the client", async (t) => {
  stubFetch(t, () => json(201, LINK));
  const { el } = client();
  await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP, password: "x" });
  el.restart();
  assert.equal(el.state.status, "idle");
  assert.equal(el.state.linkId, undefined);
  el.free();
  // Freed: the object is unusable, and says so with an Error (never a silent no-op).
  assert.throws(() => el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP }), Error);
  assert.throws(() => el.state, Error);
});

test("free() during a call settles it as cancelled, then releases the client", async (t) => {
  const { calls, el, pending } = await createLinkInFlight(t);
  el.free();
  const step = await pending;
  assert.equal(step.status, "error");
  assert.equal(step.error.code, "cancelled");
  assert.equal(calls[0].init.signal.aborted, true);
  assert.throws(() => el.owners(), Error);
});

test("INSS: the password goes in the create request only; the MFA token in the PATCH only", async (t) => {
  const CPF = "15387204690";
  const challenge = {
    request_id: "r1", code: "token_required", session: "sess-1", link: LINK.id,
    expiry: 600, message: "A MFA token is required", token_generation_data: { instructions: "Type the code", type: "numeric", value: null, expects_user_input: true },
  };
  const calls = stubFetch(t, (_u, init) => init.method === "POST"
    ? json(428, [challenge], { "X-Link-Capability": "cap-br" })
    : json(200, { ...LINK, institution: "inss_br_employment", fetch_resources: ["EMPLOYMENTS", "OWNERS"] }));
  const { el, events } = client();
  const s1 = await el.createLink({ institution: "inss_br_employment", username: CPF, password: "pw-Secret1" });
  assert.equal(s1.status, "token_required", JSON.stringify(s1));
  assert.equal(s1.challenge.expectsUserInput, true);
  const s2 = await el.submitToken("987654");
  assert.equal(s2.status, "linked", JSON.stringify(s2));
  assert.equal(calls.length, 2);
  const post = JSON.parse(calls[0].init.body), patch = JSON.parse(calls[1].init.body);
  assert.equal(post.password, "pw-Secret1");
  assert.equal(post.token, undefined);
  assert.equal(calls[1].init.method, "PATCH");
  assert.deepEqual([patch.token, patch.session, patch.link], ["987654", "sess-1", LINK.id]);
  assert.equal(patch.password, undefined);
  assert.equal(calls[1].init.headers.get("X-Link-Capability"), "cap-br");
  const seen = JSON.stringify([events, el.state, s1, s2]);
  for (const secret of [CPF, "pw-Secret1", "987654", "sess-1", "cap-br"]) assert.ok(!seen.includes(secret), secret);
});

test("deleteLink: the DELETE reaches fetch with the capability; {status:\"deleted\", linkId}; back to idle", async (t) => {
  const calls = stubFetch(t, (_u, init) => init.method === "POST"
    ? json(201, LINK, { "X-Link-Capability": "cap-del" })
    : Promise.resolve(new Response(null, { status: 204 })));
  const { el, events } = client();
  await assert.rejects(el.deleteLink(), (e) => e instanceof Error && e.code === "invalid_state");
  assert.equal((await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP })).status, "linked");
  events.length = 0;
  const pending = el.deleteLink();
  assert.equal(el.state.busy, true);
  await assert.rejects(el.deleteLink(), (e) => e instanceof Error && e.code === "busy");
  const step = await pending;
  assert.deepEqual(step, { status: "deleted", linkId: LINK.id });
  assert.equal(calls.length, 2);
  const { url, init } = calls[1];
  assert.equal(url, `https://onboarding.example/belvo-proxy/api/links/${LINK.id}/`);
  assert.equal(init.method, "DELETE");
  assert.equal(init.headers.get("X-Link-Capability"), "cap-del");
  assert.equal(init.headers.get("Content-Type"), null);
  assert.equal(init.body, undefined);
  assert.deepEqual(el.state, { status: "idle", busy: false });
  assert.deepEqual(events.map((e) => e.type), ["request", "response", "state"]);
  assert.equal(events[0].method, "DELETE");
  assert.equal(events[1].httpStatus, 204);
  assert.equal(events[2].state, "idle");
  assert.ok(!JSON.stringify([events, el.state]).includes("cap-del"));
  // The link is forgotten: nothing to delete or fetch any more.
  await assert.rejects(el.deleteLink(), (e) => e instanceof Error && e.code === "invalid_state");
  await assert.rejects(el.owners(), (e) => e instanceof Error && e.code === "invalid_state");
});

test("deleteLink: a 404 to a resend is done; a 404 to the first DELETE is an integration error", async (t) => {
  let deletes = 0;
  const gone = [{ code: "not_found", message: "Not found.", request_id: "r1" }];
  stubFetch(t, (_u, init) => {
    if (init.method === "POST") return json(201, LINK);
    deletes += 1;
    return deletes === 1 ? json(503, [{ code: "unexpected_error", message: "x", request_id: "r0" }]) : json(404, gone);
  });
  const { el } = client({ retry: { max: 2, baseMs: 1 } });
  await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
  assert.equal((await el.deleteLink()).status, "deleted");
  assert.equal(deletes, 2);

  deletes = 1; // every DELETE now answers 404
  await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
  const step = await el.deleteLink();
  assert.equal(step.status, "error");
  assert.equal(step.error.code, "not_found");
  assert.equal(step.error.category, "integration");
  assert.equal(el.state.status, "linked", "the link is kept");
  assert.equal(el.state.linkId, LINK.id);
});

test("a large, non-ASCII answer crosses into the core and back intact", async (t) => {
  // 1 M UTF-16 units that are 2 M bytes of UTF-8 (in a field the link keeps), characters
  // outside the BMP, and an unknown field of another 2 MB (ignored).
  const big = {
    ...LINK, institution_user_id: "ñandú 🙂 ação", created_by: "é".repeat(1_000_000), notes: "ü".repeat(1_000_000),
  };
  const calls = stubFetch(t, () => json(201, big));
  const { el } = client();
  const step = await el.createLink({ institution: "planet_mx_employment", username: SANDBOX_CURP });
  assert.equal(step.status, "linked", JSON.stringify(step).slice(0, 300));
  assert.equal(step.link.institution_user_id, "ñandú 🙂 ação");
  assert.ok(step.link.created_by === big.created_by, `created_by: ${step.link.created_by?.length} units`);
  assert.equal(step.link.notes, undefined);
  // The buffers shrink back to ordinary use: the next answer is read as itself.
  stubFetch(t, () => json(200, { count: 1, next: null, previous: null, results: [{ id: "o1", display_name: "Zoë" }] }));
  const owners = await el.owners();
  assert.equal(owners.status, "ok", JSON.stringify(owners));
  assert.equal(calls.length, 1);
});

test("a client dropped without free() is collected; a freed client throws on use", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  let collected = false;
  const registry = new FinalizationRegistry(() => { collected = true; });
  (() => { registry.register(new EmploymentLink({ proxyUrl: "https://p.example" }), "x"); })();
  for (let i = 0; i < 50 && !collected; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(collected, "the dropped client was collected");
  const kept = new EmploymentLink({ proxyUrl: "https://p.example" });
  kept.free();
  assert.throws(() => kept.cancel(), Error);
});
