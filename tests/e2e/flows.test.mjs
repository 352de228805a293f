// Whole flows through the demo (the Worker proxy with its embedded Belvo emulator), in
// Chromium at 360 px: IMSS, the sandbox institution, INSS with MFA, an expired MFA session,
// a slow answer with readable progress and cancel.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  W, CPF, PASSWORD, freshCurp, SANDBOX_CURP, assertAccessible, assertFits, assertNoPageErrors, assertNoPii,
  browser, events, heading, openDemo, scenario, shot, startDemo, typeInto, view, widgetStrings,
} from "./harness.mjs";

let demo, b;
before(async () => {
  demo = await startDemo();
  b = await browser();
});
after(async () => {
  await b?.close();
  await demo?.stop();
});

function needApi() {
  assert.ok(demo.api, "the demo has no API (GET /__emulator/scenarios failed): scripts/demo.sh must run the Worker in emulator mode");
}

const focused = (page) => page.evaluate(() => document.querySelector("employment-link-widget").shadowRoot.activeElement?.id ?? null);
const posts = (ctx) => ctx.requests.filter((r) => r === "POST /api/links/").length;
const jobRows = (page) => page.locator(W + "table.jobs > tbody > tr");

test("MX through IMSS: typo highlighted before submitting, fixed, submitted once, data in the results table", async () => {
  needApi();
  const curp = freshCurp();
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await typeInto(page, "#id", "PEXA85041");
  await typeInto(page, "#id", "PEXA8504129");
  assert.equal(await page.locator(W + ".mirror mark").textContent(), "9", "the impossible sex letter is highlighted");
  assert.match(await page.locator(W + "#id-fb").textContent(), /carácter 11/);
  assert.equal(posts(ctx), 0, "nothing sent before submitting");
  await typeInto(page, "#id", curp);
  // Two clicks in the same task: one link attempt only.
  await page.evaluate(() => {
    const go = document.querySelector("employment-link-widget").shadowRoot.getElementById("go");
    go.click();
    go.click();
  });
  await view(page, "results");
  assert.equal(posts(ctx), 1, "exactly one POST /api/links/");
  assert.equal(await heading(page), "Tu historial laboral");
  const rows = await jobRows(page).count();
  assert.ok(rows >= 3, `${rows} employment rows`);
  const first = jobRows(page).first().locator(":scope > td");
  assert.ok((await first.nth(0).textContent()).length > 3, "employer");
  assert.match(await first.nth(1).textContent(), /\d{4}/, "start date");
  assert.match(await first.nth(3).textContent(), /\$\d/, "base salary");
  assert.equal(await first.nth(4).textContent(), "MXN");
  assert.deepEqual(await page.locator(W + "thead th").allTextContents(), ["Empleador", "Inicio", "Fin", "Salario base diario", "Moneda"]);
  assert.match(await page.locator(W + ".weeks").textContent(), /\d+Cotizadas/);
  assert.ok((await page.locator(W + "dl dd").first().textContent()).length > 3, "the owner's name");
  await assertAccessible(page, "results (IMSS)");
  await assertFits(page);
  await shot(page, "04-results-imss");

  const ev = await events(page);
  const success = ev.filter((e) => e.type === "success");
  assert.equal(success.length, 1);
  assert.equal(success[0].detail.institution, "imss_mx_employment");
  assert.match(success[0].detail.link.id, /^[0-9a-f-]{36}$/);
  assert.ok(!("institution_user_id" in success[0].detail.link), "no pseudonymous user id in the success payload");
  const types = new Set(ev.filter((e) => e.type === "event").map((e) => e.detail.type));
  for (const t of ["state", "request", "response", "linked", "data_ready"]) assert.ok(types.has(t), `event ${t}`);
  assert.ok(ev.every((e) => e.type !== "event" || typeof e.detail.at === "number"), "events carry a timestamp");
  await assertNoPii(page, [curp]);
  assertNoPageErrors(ctx);
  await page.close();
});

test("the sandbox CURP on planet_mx_employment links and shows data; the results follow the locale", async () => {
  needApi();
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-planet_mx_employment").check();
  await typeInto(page, "#id", SANDBOX_CURP);
  await page.locator(W + "#go").click();
  await view(page, "results");
  assert.ok((await jobRows(page).count()) >= 3);
  assert.match(await page.locator(W + ".hint").first().textContent(), /Planet/);
  await shot(page, "12-results-sandbox");
  await assertAccessible(page, "results (sandbox)");

  // The widget's own strings on the results step change with the locale (the data does not).
  const ui = () => page.locator(W + "h2, " + W + "h3, " + W + "th, " + W + "button, " + W + ".weeks div").allTextContents();
  const es = await ui();
  await page.selectOption(W + "#lang", "en");
  const en = await ui();
  assert.equal(en.length, es.length);
  assert.deepEqual(es.filter((s, i) => s === en[i]), [], "every heading, column and button changed");
  assert.match(await page.locator(W + "table.jobs td").nth(1).textContent(), /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/, "dates formatted for en");
  await page.selectOption(W + "#lang", "pt");
  await shot(page, "12-results-sandbox-pt");
  await assertAccessible(page, "results (sandbox, pt)");
  await assertNoPii(page, [SANDBOX_CURP]);
  assertNoPageErrors(ctx);
  await page.close();
});

test("delete-link: after the results are shown, the widget deletes the link at Belvo", async () => {
  needApi();
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.evaluate(() => document.querySelector("employment-link-widget").setAttribute("delete-link", ""));
  await page.locator(W + "#i-planet_mx_employment").check();
  await typeInto(page, "#id", SANDBOX_CURP);
  await page.locator(W + "#go").click();
  await view(page, "results");
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deleted"), null, { timeout: 15_000 });
  const ev = await events(page);
  const linkId = ev.find((e) => e.type === "success").detail.link.id;
  const deleted = ev.filter((e) => e.type === "deleted");
  assert.deepEqual(deleted.map((e) => e.detail), [{ institution: "planet_mx_employment", linkId }]);
  assert.ok(ctx.requests.includes(`DELETE /api/links/${linkId}/`), ctx.requests.join(", "));
  assert.ok(ev.findIndex((e) => e.type === "deleted") > ev.findIndex((e) => e.type === "success"));
  // The results stay on screen.
  assert.ok((await jobRows(page).count()) >= 3);
  assertNoPageErrors(ctx);
  await page.close();
});

test("BR: CPF + password → MFA → wrong token → message → right token → employments with salaries", async () => {
  needApi();
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-inss_br_employment").check();
  await typeInto(page, "#id", CPF);
  await page.locator(W + "#pw").fill(PASSWORD);
  await page.locator(W + "#go").click();
  await view(page, "mfa");
  assert.equal(await heading(page), "Código de verificación");
  assert.equal(await page.evaluate(() => document.querySelector("employment-link-widget").shadowRoot.activeElement?.tagName), "H2");
  const tok = page.locator(W + "#tok");
  assert.equal(await tok.getAttribute("inputmode"), "numeric");
  assert.equal(await tok.getAttribute("autocomplete"), "one-time-code");
  assert.match(await page.locator(W + "#timer").textContent(), /^El código vence en [12]:\d\d$/);
  assert.ok((await page.locator(W + ".box").count()) >= 1, "the institution's instructions or value are shown");
  await assertAccessible(page, "mfa");
  await assertFits(page);
  await shot(page, "05-mfa");

  // Submitting nothing: a message, no request.
  const before = ctx.requests.length;
  await page.locator(W + "#verify").click();
  assert.equal(await page.locator(W + "#tok-fb").textContent(), "Escribe el código.");
  assert.equal(ctx.requests.length, before);

  await tok.fill("999999");
  await page.locator(W + "#verify").click();
  await page.waitForFunction(() => {
    const r = document.querySelector("employment-link-widget").shadowRoot;
    return r.querySelector("section[data-view=mfa]") && /no es correcto/.test(r.getElementById("tok-fb")?.textContent);
  });
  assert.match(await page.locator(W + "#tok-fb").textContent(), /Ese código no es correcto/);
  assert.equal(await page.locator(W + "#tok").getAttribute("aria-invalid"), "true");
  assert.equal(await focused(page), "tok", "the token field has the focus again");
  await assertAccessible(page, "mfa (wrong token)");
  await shot(page, "06-mfa-wrong-token");

  await page.locator(W + "#tok").fill("111111");
  // A locale switch keeps what was typed; the countdown and the messages follow it.
  await page.selectOption(W + "#lang", "en");
  assert.equal(await page.locator(W + "#tok").inputValue(), "111111");
  assert.match(await page.locator(W + "#tok-fb").textContent(), /^That code is not correct/);
  assert.match(await page.locator(W + "#timer").textContent(), /^The code expires in \d:\d\d$/);
  await page.selectOption(W + "#lang", "es");
  await page.locator(W + "#verify").click();
  await view(page, "results");
  const rows = await jobRows(page).count();
  assert.ok(rows >= 3, `${rows} employments`);
  assert.match(await jobRows(page).first().locator(":scope > td").nth(3).textContent(), /BRL|R\$/);
  const details = page.locator(W + "table.jobs details").first();
  assert.match(await details.locator("summary").textContent(), /Ver \d+ salarios mensuales/);
  await details.locator("summary").click();
  assert.ok((await details.locator("tbody tr").count()) >= 2, "monthly salaries");
  assert.ok((await page.locator(W + "dl dd").first().textContent()).length > 3, "the owner's name");
  await assertAccessible(page, "results (INSS)");
  await assertFits(page);
  await shot(page, "07-results-inss");

  await assertNoPii(page, [CPF, PASSWORD]);
  const json = JSON.stringify(await events(page));
  assert.ok(!json.includes('"999999"') && !json.includes('"111111"'), "no token in any DOM event");
  assertNoPageErrors(ctx);
  await page.close();
});

test("BR: when the MFA session expires the widget says so and gets a new code", async () => {
  needApi();
  const s = scenario("br_short_session", demo.scenarios);
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-inss_br_employment").check();
  await typeInto(page, "#id", s.identifier);
  await page.locator(W + "#pw").fill(PASSWORD);
  await page.locator(W + "#go").click();
  await view(page, "expired", 15_000);
  assert.equal(await heading(page), "El código venció");
  await assertAccessible(page, "mfa expired");
  await shot(page, "10-mfa-expired");
  const postsBefore = posts(ctx);
  await page.locator(W + "#again").click();
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === "event" && e.detail.type === "token_required").length >= n, 2);
  assert.equal(posts(ctx), postsBefore + 1, "a new link attempt");
  assertNoPageErrors(ctx);
  await page.close();
});

test("a slow answer shows readable progress; cancel returns to the form and emits exit", async () => {
  needApi();
  const s = scenario("slow_answer", demo.scenarios);
  const ctx = await openDemo(b, demo.url, { locale: "en" });
  const { page } = ctx;
  // ISSSTE: the scenario answers for every MX institution, and IMSS has the attempt guard.
  await page.locator(W + "#i-issste_mx_employment").check();
  await typeInto(page, "#id", s.identifier);
  // Screenshot mode keeps the answer back until the picture of this step is taken.
  const release = ctx.hold();
  await page.locator(W + "#go").click();
  await view(page, "progress");
  assert.equal(await heading(page), "One moment, please");
  assert.equal(await page.locator(W + ".status").textContent(), "Connecting to ISSSTE…");
  assert.deepEqual(await page.locator(W + "ol.steps li").allTextContents(),
    ["Connection to ISSSTE (in progress)", "ISSSTE prepares your data", "Data download"]);
  // The live region announces the step.
  await page.waitForFunction(() => document.querySelector("employment-link-widget").shadowRoot.querySelector("[role=status]").textContent === "Connecting to ISSSTE…");
  await page.waitForFunction(() => /Time elapsed: [1-9]/.test(document.querySelector("employment-link-widget").shadowRoot.textContent));
  await assertAccessible(page, "progress");
  await assertFits(page);
  await shot(page, "03-progress");
  release();

  await page.locator(W + "#cancel").click();
  await view(page, "form");
  assert.equal(await page.locator(W + "#id").inputValue(), s.identifier, "what the person typed is kept");
  const exits = (await events(page)).filter((e) => e.type === "exit");
  assert.deepEqual(exits.map((e) => e.detail), [{ reason: "cancelled", step: "progress", institution: "issste_mx_employment" }]);
  const strings = await widgetStrings(page);
  assert.ok(!strings.some((t) => /error|cancel/i.test(t)), "no error shown after a cancel");
  assertNoPageErrors(ctx);
  await page.close();
});

test("a login refused because a session is open is retried, the progress says so, and it links", async () => {
  needApi();
  const s = scenario("too_many_sessions_once", demo.scenarios);
  const ctx = await openDemo(b, demo.url, { locale: "pt" });
  const { page } = ctx;
  await page.locator(W + "#i-issste_mx_employment").check();
  await typeInto(page, "#id", s.identifier);
  await page.locator(W + "#go").click();
  await page.waitForFunction(() => /Tentando de novo \(1 de 3\)/.test(document.querySelector("employment-link-widget").shadowRoot.querySelector(".status")?.textContent));
  await view(page, "results");
  assert.equal(posts(ctx), 2);
  assert.ok((await events(page)).some((e) => e.type === "event" && e.detail.type === "retry" && e.detail.code === "too_many_sessions"));
  assertNoPageErrors(ctx);
  await page.close();
});

test("a long history: one IMSS profile with every employment; every page of INSS employments", async () => {
  needApi();
  // MX: one employment-record profile per link (as Belvo), all its employments in the table.
  const s = scenario("many_records", demo.scenarios);
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-issste_mx_employment").check();
  await typeInto(page, "#id", s.identifier);
  await page.locator(W + "#go").click();
  await view(page, "results");
  assert.equal(s.profiles, 1);
  assert.equal(await jobRows(page).count(), s.entries);
  assert.equal(ctx.requests.filter((r) => r === "GET /api/employment-records/").length, s.pages);
  await assertFits(page);
  assertNoPageErrors(ctx);
  await page.close();

  // BR: the employments come in pages; the widget follows every one.
  const br = scenario("br_many_employments", demo.scenarios);
  const ctx2 = await openDemo(b, demo.url);
  const p2 = ctx2.page;
  await p2.locator(W + "#i-inss_br_employment").check();
  await typeInto(p2, "#id", br.identifier);
  await p2.locator(W + "#pw").fill(PASSWORD);
  await p2.locator(W + "#go").click();
  await view(p2, "mfa");
  await p2.locator(W + "#tok").fill("111111");
  await p2.locator(W + "#verify").click();
  await view(p2, "results");
  assert.equal(await jobRows(p2).count(), br.entries);
  assert.equal(ctx2.requests.filter((r) => r === "GET /api/br/employments/").length, br.pages);
  assertNoPageErrors(ctx2);
  await p2.close();
});

test("INSS token types: a code to show (numeric); approval on a device (no token to type)", async () => {
  needApi();
  const numeric = scenario("br_numeric_challenge", demo.scenarios);
  let ctx = await openDemo(b, demo.url);
  let { page } = ctx;
  await page.locator(W + "#i-inss_br_employment").check();
  await typeInto(page, "#id", numeric.identifier);
  await page.locator(W + "#pw").fill(PASSWORD);
  await page.locator(W + "#go").click();
  await view(page, "mfa");
  assert.match(await page.locator(W + ".code").textContent(), /^\d{6}$/, "the code to show");
  await page.locator(W + "#tok").fill("111111");
  await page.locator(W + "#verify").click();
  await view(page, "results");
  assertNoPageErrors(ctx);
  await page.close();

  const device = scenario("br_device_approval", demo.scenarios);
  ctx = await openDemo(b, demo.url);
  ({ page } = ctx);
  await page.locator(W + "#i-inss_br_employment").check();
  await typeInto(page, "#id", device.identifier);
  await page.locator(W + "#pw").fill(PASSWORD);
  await page.locator(W + "#go").click();
  await view(page, "mfa");
  assert.equal(await page.locator(W + "#tok").count(), 0, "nothing to type");
  assert.equal(await page.locator(W + "#verify").textContent(), "Continuar");
  await assertAccessible(page, "mfa (approve on a device)");
  await page.locator(W + "#verify").click();
  await view(page, "results");
  assert.ok((await jobRows(page).count()) >= 3);
  assertNoPageErrors(ctx);
  await page.close();
});
