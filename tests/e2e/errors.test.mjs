// The error step, driven by the client's error category, against the emulator's scenarios
// (identifiers read from emulator/scenarios.json by scenario name).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  W, assertAccessible, assertAllChanged, assertFits, assertNoPageErrors, assertNoPii, browser, events, heading, openDemo,
  scenario, shot, startDemo, stringsIn, typeInto, view, widgetStrings,
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

/** Opens the demo in `locale`, picks `institution`, types the scenario's identifier, submits. */
async function run(name, { locale = "es", institution } = {}) {
  const s = scenario(name, demo.scenarios);
  const ctx = await openDemo(b, demo.url, { locale });
  const { page } = ctx;
  const inst = institution ?? s.institution;
  await page.locator(W + `#i-${inst}`).check();
  await typeInto(page, "#id", s.identifier);
  if (inst === "inss_br_employment") await page.locator(W + "#pw").fill("any password");
  await page.locator(W + "#go").click();
  return { ...ctx, s };
}

const TOMORROW = { es: "Inténtalo de nuevo mañana", pt: "Tente novamente amanhã", en: "Try again tomorrow" };

for (const [locale, text] of Object.entries(TOMORROW)) {
  test(`forbidden_by_host (IMSS's daily limit) says "${text}" (${locale})`, async () => {
    needApi();
    const ctx = await run("imss_daily_limit", { locale });
    const { page } = ctx;
    await view(page, "error");
    assert.equal(await heading(page), text);
    assert.match(await page.locator(W + "h2 + p").textContent(), /./, "the client's message");
    // …and says when, as a date and time.
    assert.match(await page.locator(W + "h2 ~ p").nth(1).textContent(), /\d{4}|\d{1,2}:\d{2}/);
    await assertAccessible(page, `error retry_later (${locale})`);
    await assertFits(page);
    await shot(page, `08-error-try-tomorrow-${locale}`);
    assertNoPageErrors(ctx);
    await page.close();
  });
}

test("visit_office: which office to go to and what to take", async () => {
  needApi();
  // On Belvo's sandbox institution (IMSS keeps a per-CURP attempt count across runs).
  const ctx = await run("imss_nss_not_found", { institution: "planet_mx_employment" });
  const { page } = ctx;
  await view(page, "error");
  assert.equal(await heading(page), "Necesitas acudir a tu Subdelegación del IMSS");
  assert.deepEqual(await page.locator(W + "h3").allTextContents(), ["Dónde", "Qué llevar"]);
  assert.match(await page.locator(W + "h3 + p").first().textContent(), /imss\.gob\.mx/);
  const items = await page.locator(W + "ul li").allTextContents();
  assert.ok(items.length >= 3 && items.some((t) => /CURP/.test(t)) && items.some((t) => /[Ii]dentificación/.test(t)), items.join(" | "));
  assert.equal(await focused(page), "", "the heading (no id) has the focus");
  await assertAccessible(page, "error visit_office");
  await assertFits(page);
  await shot(page, "09-error-visit-office");
  // Every string follows a locale switch; the client's message (made in Spanish) is left out.
  const en = await stringsIn(page, "en");
  assert.equal(await heading(page), "You need to visit your IMSS Subdelegación (local office)");
  const es = await stringsIn(page, "es");
  assertAllChanged(es.filter((t) => !/IMSS no encontró/.test(t)), en, "es → en (visit_office)");

  // Exit emits the typed error (no identifier in it) and returns to the form.
  await page.locator(W + "#exit").click();
  await view(page, "form");
  const exit = (await events(page)).find((e) => e.type === "exit").detail;
  assert.equal(exit.reason, "error");
  assert.equal(exit.error.category, "visit_office");
  assert.equal(exit.error.reason, "nss_not_found");
  await assertNoPii(page, [ctx.s.identifier]);
  assertNoPageErrors(ctx);
  await page.close();
});

test("fix_input from IMSS: the message goes to the identifier field, which gets the focus", async () => {
  needApi();
  const ctx = await run("imss_curp_incorrect", { locale: "en", institution: "planet_mx_employment" });
  const { page } = ctx;
  await view(page, "form");
  await page.waitForFunction(() => document.querySelector("employment-link-widget").shadowRoot.getElementById("id-fb").textContent.length > 0);
  assert.equal(await focused(page), "id");
  assert.equal(await page.locator(W + "#id").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator(W + "#id").inputValue(), ctx.s.identifier);
  const msg = await page.locator(W + "#id-fb").textContent();
  assert.match(msg, /CURP/);
  await assertAccessible(page, "form (fix_input from the server)");
  await shot(page, "14-error-fix-input");
  // Editing the field clears the server's message and validates as usual again.
  await page.locator(W + "#id").press("End");
  await page.locator(W + "#id").press("Backspace");
  assert.equal(await page.locator(W + "#id-fb").textContent(), "1 character to go");
  assertNoPageErrors(ctx);
  await page.close();
});

test("BR wrong password: fix_input focuses the password field", async () => {
  needApi();
  const ctx = await run("br_invalid_credentials", { locale: "pt" });
  const { page } = ctx;
  await view(page, "form");
  await page.waitForFunction(() => document.querySelector("employment-link-widget").shadowRoot.getElementById("pw-fb").textContent.length > 0);
  assert.equal(await focused(page), "pw");
  assert.equal(await page.locator(W + "#pw").getAttribute("aria-invalid"), "true");
  assertNoPageErrors(ctx);
  await page.close();
});

test("integration errors: a neutral message, the details only in the console", async () => {
  needApi();
  // ISSSTE: the scenario answers for every MX institution, and IMSS has the attempt guard.
  const ctx = await run("bad_keys", { institution: "issste_mx_employment" });
  const { page } = ctx;
  await view(page, "error");
  assert.equal(await heading(page), "Servicio no disponible");
  const shown = (await widgetStrings(page)).join(" ");
  assert.ok(!/authentication|Invalid Secret|401|Belvo/i.test(shown), `no technical detail on screen: ${shown}`);
  assert.ok(ctx.consoleErrors.some((m) => /authentication_failed/.test(m)), "the details are in the console");
  await assertAccessible(page, "error integration");
  await shot(page, "13-error-integration");
  assertNoPageErrors(ctx, [/\[employment-link-widget\] integration error/]);
  await page.close();
});

test("retry_later with a known wait says when (Belvo's rate limit: 30 s)", async () => {
  needApi();
  const ctx = await run("rate_limit_html", { locale: "en", institution: "issste_mx_employment" });
  const { page } = ctx;
  await view(page, "error");
  assert.equal(await heading(page), "Try again in 30 seconds");
  await page.locator(W + "#back").click();
  await view(page, "form");
  assertNoPageErrors(ctx);
  await page.close();
});

test("a failed attempt (500) offers to try again, and trying again sends a new request", async () => {
  needApi();
  const ctx = await run("unexpected_error", { institution: "issste_mx_employment" });
  const { page } = ctx;
  await view(page, "error");
  assert.equal(await heading(page), "No pudimos completar la conexión");
  await assertAccessible(page, "error retry");
  const n = ctx.requests.filter((r) => r === "POST /api/links/").length;
  await page.locator(W + "#again").click();
  await view(page, "error");
  assert.equal(ctx.requests.filter((r) => r === "POST /api/links/").length, n + 1);
  assertNoPageErrors(ctx);
  await page.close();
});
