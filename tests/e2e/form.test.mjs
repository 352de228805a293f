// The widget's first step, in Chromium at 360 px: as-you-type validation, the fields per
// institution, locale switching, accessibility and the size budget. Needs only the demo's
// static files (no Worker API), so it runs even before the Worker exists.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import {
  ROOT, W, CURP, CPF, SANDBOX_CURP, assertAccessible, assertAllChanged, assertFits, assertNoPageErrors, browser,
  openDemo, shot, startDemo, stringsIn, typeInto,
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

const fb = (page, id = "id") => page.locator(W + `#${id}-fb`).textContent();
const focused = (page) => page.evaluate(() => document.querySelector("employment-link-widget").shadowRoot.activeElement?.id ?? null);
const apiCalls = (ctx) => ctx.requests.filter((r) => r.includes("/api/"));

test("IMSS: a CURP typo is highlighted and explained while typing, before any submit", async () => {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await assertAccessible(page, "form (empty)");
  await typeInto(page, "#id", "pexa8513");
  // The 8th character makes the birth month impossible (13): highlighted and explained.
  assert.equal(await page.locator(W + ".mirror mark").textContent(), "3");
  assert.match(await fb(page), /carácter 8/);
  assert.equal(await page.locator(W + "#id").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator(W + "#id-fb").getAttribute("class"), /bad/);
  await shot(page, "01-form-typo");
  await assertAccessible(page, "form (typo)");

  await typeInto(page, "#id", CURP);
  assert.equal(await page.locator(W + ".mirror mark").count(), 0);
  assert.equal(await page.locator(W + "#id").getAttribute("aria-invalid"), "false");
  assert.equal(await fb(page), "✓ Nacimiento: 12 de abril de 1985 · hombre · Jalisco");
  await shot(page, "02-form-valid");
  await assertAccessible(page, "form (valid)");
  await assertFits(page);
  assert.deepEqual(apiCalls(ctx), [], "nothing is sent while typing");
  assertNoPageErrors(ctx);
  await page.close();
});

test("an incomplete CURP is not submitted: the field gets the message and the focus", async () => {
  const ctx = await openDemo(b, demo.url, { locale: "en" });
  const { page } = ctx;
  await typeInto(page, "#id", CURP.slice(0, 17));
  assert.equal(await fb(page), "1 character to go");
  await page.locator(W + "#go").click();
  assert.equal(await focused(page), "id");
  assert.match(await fb(page), /18/);
  assert.equal(await page.locator(W + "#id").getAttribute("aria-invalid"), "true");
  assert.deepEqual(apiCalls(ctx), []);
  assertNoPageErrors(ctx);
  await page.close();
});

test("the password field exists only for INSS; the CPF is validated and described as typed", async () => {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  for (const inst of ["imss_mx_employment", "issste_mx_employment", "planet_mx_employment"]) {
    await page.locator(W + `#i-${inst}`).check();
    assert.equal(await page.locator(W + "#pw").count(), 0, `no password for ${inst}`);
  }
  await page.locator(W + "#i-inss_br_employment").check();
  assert.equal(await page.locator(W + "label[for=id]").textContent(), "Tu CPF");
  assert.equal(await page.locator(W + "#pw").getAttribute("type"), "password");
  assert.equal(await page.locator(W + "#pw").getAttribute("autocomplete"), "current-password");
  assert.equal(await page.locator(W + "#id").getAttribute("inputmode"), "numeric");

  await typeInto(page, "#id", "153.872.04x");
  assert.equal(await page.locator(W + ".mirror mark").textContent(), "x");
  assert.match(await fb(page), /carácter 9/);
  await typeInto(page, "#id", "111.111.111-11");
  assert.match(await page.locator(W + "#id-fb").getAttribute("class"), /bad/);
  await typeInto(page, "#id", CPF);
  assert.equal(await fb(page), "✓ 153.872.046-90 · región fiscal 6 (MG)");

  await page.locator(W + "#go").click();
  assert.equal(await focused(page), "pw");
  assert.equal(await fb(page, "pw"), "Escribe tu contraseña.");
  assert.equal(await page.locator(W + "#pw").getAttribute("aria-invalid"), "true");
  await assertAccessible(page, "form (INSS)");
  await assertFits(page);
  assert.deepEqual(apiCalls(ctx), []);
  assertNoPageErrors(ctx);
  await page.close();
});

test("the sandbox institution accepts Belvo's test CURP that IMSS rejects", async () => {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-planet_mx_employment").check();
  await typeInto(page, "#id", SANDBOX_CURP);
  assert.equal(await fb(page), "✓ Usuario de prueba aceptado");
  assert.equal(await page.locator(W + ".mirror mark").count(), 0);
  await page.locator(W + "#i-imss_mx_employment").check();
  assert.equal(await page.locator(W + "#id").inputValue(), SANDBOX_CURP, "a CURP stays when switching between MX institutions");
  // IMSS needs a real CURP: the 2nd character must be a vowel or X.
  assert.equal(await page.locator(W + ".mirror mark").textContent(), "L");
  assert.match(await fb(page), /carácter 2/);
  assertNoPageErrors(ctx);
  await page.close();
});

const typed = [CURP, "PEXA8513", CPF, "15387204x", "153.872.04x"];
// Genuinely identical words in Spanish and Portuguese.
const COGNATES = new Set(["Idioma", "Cancelar"]);

test("switching the locale changes every visible string of the widget and the page", async () => {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  for (const setup of [
    async () => typeInto(page, "#id", "PEXA8513"), // IMSS, with a typo being explained
    async () => {
      await page.locator(W + "#i-inss_br_employment").check();
      await typeInto(page, "#id", CPF);
      await page.locator(W + "#go").click(); // password missing: its message is shown
    },
  ]) {
    await page.selectOption(W + "#lang", "es");
    await setup();
    const es = await stringsIn(page, "es", typed);
    const en = await stringsIn(page, "en", typed);
    await shot(page, "11-form-en");
    const pt = await stringsIn(page, "pt", typed);
    await shot(page, "11-form-pt");
    assert.ok(es.length > 10, "the widget shows text");
    assertAllChanged(es, en, "es → en");
    assertAllChanged(en, pt, "en → pt");
    assertAllChanged(pt, es, "pt → es", COGNATES);
    // The page around the widget follows the widget's locale too.
    const pageText = () => page.locator("main > p, main summary").allTextContents();
    await page.selectOption(W + "#lang", "es");
    const pageEs = await pageText();
    await page.selectOption(W + "#lang", "en");
    const pageEn = await pageText();
    assert.ok(pageEs.every((s, i) => s !== pageEn[i]), "the demo page's text changes");
    for (const l of ["es", "pt", "en"]) {
      await page.selectOption(W + "#lang", l);
      await assertAccessible(page, `form (${l})`);
      await assertFits(page);
    }
  }
  assertNoPageErrors(ctx);
  await page.close();
});

test("keyboard only: the institution, the identifier and the submit button are reachable in order", async () => {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#lang").focus();
  const order = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    order.push(await focused(page));
  }
  assert.deepEqual(order, ["i-imss_mx_employment", "id", "go"]);
  // Arrow keys move between institutions (a radio group); the form follows.
  await page.locator(W + "#i-imss_mx_employment").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(page), "i-inss_br_employment");
  assert.equal(await page.locator(W + "#pw").count(), 1);
  assertNoPageErrors(ctx);
  await page.close();
});

test("a stylesheet that never arrives does not hide the form for good", async () => {
  const page = await b.newPage({ viewport: { width: 360, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The sheet's request stays pending forever (a stalled connection): neither load nor error.
  await page.route("**/widget.css", () => {});
  // (The pending sheet also holds back the page's load event: wait for the DOM only.)
  await page.goto(demo.url + "/", { waitUntil: "domcontentloaded" });
  const form = page.locator(W + 'section[data-view="form"]');
  await form.waitFor({ state: "attached", timeout: 30_000 });
  assert.equal(await form.isVisible(), false, "hidden while the sheet may still arrive");
  await form.waitFor({ state: "visible", timeout: 15_000 });
  await page.locator(W + "#id").fill(CURP);
  assert.equal(await page.locator(W + "#go").isEnabled(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test("widget JS stays within 15 KB gzip (without the package)", () => {
  const gz = (f) => gzipSync(readFileSync(path.join(ROOT, f)), { level: 9 }).length;
  const js = ["www/widget.js", "www/i18n.js"].map((f) => [f, gz(f)]);
  const total = js.reduce((a, [, n]) => a + n, 0);
  const css = gz("www/widget.css");
  console.log(`widget gzip -9: ${js.map(([f, n]) => `${f} ${n} B`).join(" + ")} = ${total} B JS; www/widget.css ${css} B`);
  assert.ok(total <= 15 * 1024, `widget JS is ${total} B gzip (> 15 KB)`);
});
