// Shared helpers for the widget's end-to-end tests (node --test + playwright-core + Debian's
// Chromium). Each test file starts the demo server itself (`scripts/demo.sh` on a free port,
// in its own process group), drives www/index.html and stops the server at the end.
//
// E2E_BASE_URL=http://127.0.0.1:8787  reuses an already running demo instead of starting one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { isValidCurp } from "employment-link";
import { launch } from "../support/chromium.mjs";
import { freePort, spawnDemo, stopChild } from "../support/demo.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * Screenshot mode (`make screenshots`, scripts/screenshots.sh): E2E_SCREENSHOTS names the folder
 * for the pictures, and every page is made deterministic: a fixed clock (Date starts at
 * FIXED_TIME on each page, and is frozen while a picture is taken), fixed MFA codes and request
 * ids, fixed CURPs, a fixed time zone and locale, no motion. Otherwise (`make test`) the tests
 * leave the pages alone and write their pictures to tests/out/screenshots (git-ignored), never
 * to a tracked file.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ? path.resolve(ROOT, process.env.E2E_SCREENSHOTS) : null;
export const SHOTS = SCREENSHOTS ?? path.join(ROOT, "tests/out/screenshots");
const FIXED_TIME = Date.UTC(2026, 6, 1, 16, 0, 5); // 1 July 2026, 10:00:05 in Mexico City
const FIXED_REQUEST_ID = "7c9e6679f1b24d0d9a3f5e2b8c1d4a06";
const FIXED_MFA_CODE = "493817";
export const W = "employment-link-widget >> ";
export const CURP = "PEXA850412HJCRRN09"; // id-rules worked example: 1985-04-12, H, Jalisco
export const SANDBOX_CURP = "BLPM951331IONVGR54"; // Belvo's sandbox CURP (month 13: not a valid CURP)
export const CPF = "153.872.046-90";
export const PASSWORD = "correct horse battery";

// Screenshot mode draws the CURPs from a fixed sequence (the demo it starts has a fresh state).
let seed = 0x5eed;
const seeded = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

/**
 * A valid CURP that no earlier test of this run used: the proxy allows 3 IMSS attempts per CURP per 24 h
 * (its attempt guard), and the demo keeps that state between runs.
 */
export function freshCurp() {
  const random = SCREENSHOTS ? seeded : Math.random;
  const pick = (set) => set[Math.floor(random() * set.length)];
  const two = (n) => String(n).padStart(2, "0");
  const C = "BCDFGHJLMNPRSTVZ";
  for (;;) {
    const base = pick("BCDFGLMNPRST") + pick("AEIOU") + pick(C) + pick(C) +
      two(60 + Math.floor(random() * 40)) + two(1 + Math.floor(random() * 12)) + two(1 + Math.floor(random() * 28)) +
      pick("HM") + pick(["JC", "DF", "NL", "PL", "VZ", "YN"]) + pick(C) + pick(C) + pick(C) + "0";
    for (let d = 0; d < 10; d++) if (isValidCurp(base + d)) return base + d;
  }
}

async function answers(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/**
 * Starts `scripts/demo.sh` with PORT=<free port> and waits until it serves the demo page.
 * Returns { url, api, scenarios, logs, stop }; `api` tells whether the Worker (emulator) answers.
 */
export async function startDemo() {
  let url = process.env.E2E_BASE_URL?.replace(/\/$/, "");
  // Fixed CURPs need a demo with no attempts counted yet.
  if (SCREENSHOTS && url) throw new Error("screenshot mode (E2E_SCREENSHOTS) starts its own demo: unset E2E_BASE_URL");
  let child = null, state = null;
  const logs = [];
  if (!url) {
    state = mkdtempSync(path.join(tmpdir(), "el-e2e-state-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Its own process group (stop() ends wrangler/workerd too), with a fresh KV state.
    child = spawnDemo(ROOT, path.join(ROOT, "scripts/demo.sh"), port, state, logs);
    const deadline = Date.now() + 180_000;
    while ((await answers(url + "/")) !== 200) {
      if (child.exitCode !== null) throw new Error(`scripts/demo.sh exited (${child.exitCode}):\n${logs.join("")}`);
      if (Date.now() > deadline) {
        stopChild(child);
        throw new Error(`the demo did not answer at ${url} (does scripts/demo.sh honour PORT?):\n${logs.join("")}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  let scenarios = null;
  try {
    const r = await fetch(url + "/__emulator/scenarios");
    if (r.ok) scenarios = await r.json();
  } catch {}
  return {
    url,
    api: scenarios !== null,
    scenarios,
    logs,
    stop: async () => {
      if (child) await stopChild(child);
      if (child) {
        // The demo server's output, for when something failed (tests/out is git-ignored).
        mkdirSync(path.join(ROOT, "tests/out"), { recursive: true });
        writeFileSync(path.join(ROOT, "tests/out", `e2e-demo-${path.basename(process.argv[1] ?? "run")}.log`), logs.join(""));
      }
      if (state) rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The emulator's scenario table from the repo (emulator/scenarios.json), by scenario name. */
export function scenario(name, served) {
  const table = served ?? JSON.parse(readFileSync(path.join(ROOT, "emulator/scenarios.json"), "utf8"));
  const s = table.scenarios.find((x) => x.name === name);
  assert.ok(s, `scenario ${name} is not in emulator/scenarios.json`);
  return s;
}

export async function browser() {
  return launch();
}

/**
 * A 360 px wide page on the demo, with the widget's form shown. Collects page errors,
 * console errors and the widget's DOM events.
 */
export async function openDemo(b, url, { locale, width = 360, height = 800 } = {}) {
  const page = await b.newPage({
    viewport: { width, height }, deviceScaleFactor: 1,
    ...(SCREENSHOTS && { locale: "es-MX", timezoneId: "America/Mexico_City", reducedMotion: "reduce", colorScheme: "light" }),
  });
  const out = { page, errors: [], consoleErrors: [], requests: [], hold: () => () => {} };
  if (SCREENSHOTS) await deterministic(page, out);
  const pending = new Set();
  page.on("pageerror", (e) => out.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && out.consoleErrors.push(m.text()));
  page.on("request", (r) => {
    out.requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    pending.add(r);
  });
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.delete(r));
  await page.addInitScript(() => {
    window.__events = [];
    addEventListener("DOMContentLoaded", () => {
      const w = document.querySelector("employment-link-widget");
      for (const t of ["success", "exit", "event", "deleted"]) w.addEventListener(t, (e) => window.__events.push({ type: t, detail: e.detail }));
    });
  });
  await page.goto(url + "/");
  try {
    await view(page, "form", 20_000);
  } catch (e) {
    // The page did not come up (CI once saw this: 1 run in many). Say what was stuck, then load
    // it once more; a second failure fails the test with the same report.
    const report = await stalled(page, pending, out);
    console.log(`# openDemo: the form did not show within 20 s; reloading once.\n${report}`);
    pending.clear();
    await page.reload();
    try {
      await view(page, "form", 30_000);
    } catch {
      throw new Error(`the demo's form did not show (twice)\n${await stalled(page, pending, out)}`, { cause: e });
    }
  }
  if (locale) await page.selectOption(W + "#lang", locale);
  return out;
}

/** What a page that did not come up was waiting for: requests in flight and the widget's state. */
async function stalled(page, pending, out) {
  const widget = await page
    .evaluate(() => {
      const w = document.querySelector("employment-link-widget");
      const section = w?.shadowRoot?.querySelector("section.w");
      return JSON.stringify({
        defined: !!customElements.get("employment-link-widget"),
        view: w?.s?.view ?? null,
        hidden: section ? section.hidden : null,
        readyState: document.readyState,
      });
    })
    .catch((e) => `(evaluate failed: ${e.message})`);
  const inFlight = [...pending].map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
  return [
    `#   widget: ${widget}`,
    `#   requests in flight: ${inFlight.join(", ") || "none"}`,
    `#   page errors: ${out.errors.join(" | ") || "none"}; console errors: ${out.consoleErrors.join(" | ") || "none"}`,
  ].join("\n");
}

/** Waits until the widget shows `name` (loading | form | progress | mfa | expired | error | results). */
export function view(page, name, timeout = 30_000) {
  return page.waitForSelector(W + `section[data-view="${name}"]`, { timeout });
}

export function events(page) {
  return page.evaluate(() => window.__events);
}

/** Types `text` one key at a time (so the widget validates as the person types). */
export async function typeInto(page, selector, text) {
  const el = page.locator(W + selector);
  await el.fill("");
  await el.pressSequentially(text, { delay: 5 });
}

/** Runs axe-core in the page; fails on any serious or critical violation. */
export async function assertAccessible(page, step) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: path.join(ROOT, "tools/node/node_modules/axe-core/axe.min.js") });
  }
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe: serious/critical violations on step "${step}":\n${JSON.stringify(bad, null, 2)}`);
  return violations;
}

/**
 * Screenshot mode, for one page: Date starts at FIXED_TIME and runs (timers stay real, so the
 * flows keep their timing); `window.__clock.freeze(t)` stops it at t while a picture is taken.
 * The proxy's answers get a fixed MFA code and fixed request ids. `ctx.hold()` keeps the next
 * answers of /api/ back until the function it returns is called (to take a picture of a
 * progress step before the answer arrives).
 */
async function deterministic(page, ctx) {
  await page.addInitScript((start) => {
    const Real = Date;
    const t0 = Real.now();
    let offset = start - t0, frozen = null;
    const now = () => frozen ?? Real.now() + offset;
    function FakeDate(...args) {
      if (!new.target) return new Real(now()).toString();
      return args.length ? new Real(...args) : new Real(now());
    }
    FakeDate.prototype = Real.prototype;
    FakeDate.now = now;
    FakeDate.parse = Real.parse;
    FakeDate.UTC = Real.UTC;
    Object.defineProperty(FakeDate.prototype, "constructor", { value: FakeDate });
    globalThis.Date = FakeDate;
    globalThis.__clock = {
      freeze: (t) => { frozen = t; },
      thaw: () => { if (frozen !== null) { offset = frozen - Real.now(); frozen = null; } },
    };
  }, FIXED_TIME);
  let held = null;
  ctx.hold = () => {
    let release;
    held = new Promise((r) => (release = r));
    return () => { held = null; release(); };
  };
  await page.route(/\/(api|links)\//, async (route) => {
    if (held) await held;
    let r;
    try {
      r = await route.fetch();
    } catch {
      return route.abort().catch(() => {}); // the page went away, or cancelled the request
    }
    const headers = { ...r.headers() };
    delete headers["content-length"];
    delete headers["content-encoding"];
    if (headers["x-request-id"]) headers["x-request-id"] = FIXED_REQUEST_ID;
    const body = (await r.text())
      .replace(/("request_id"\s*:\s*")[^"]*"/g, `$1${FIXED_REQUEST_ID}"`)
      .replace(/("token_generation_data"\s*:\s*\{[^}]*"value"\s*:\s*")[^"]*"/g, `$1${FIXED_MFA_CODE}"`);
    await route.fulfill({ status: r.status(), headers, body }).catch(() => {});
  });
}

/**
 * The widget as a picture: tests/out/screenshots/<name>.png, or in screenshot mode
 * E2E_SCREENSHOTS/<name>.png with the clock stopped: a progress step 7 s after it began, an MFA
 * code with 1:45 left, anything else at the moment it is taken.
 */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.activeElement?.blur?.());
  if (SCREENSHOTS) {
    const wait = await page.evaluate(() => {
      const w = document.querySelector("employment-link-widget");
      const s = w.s;
      if (s.view === "progress" && s.started) {
        window.__clock.freeze(s.started + 7000);
        return "elapsed";
      }
      if (s.view === "mfa" && s.deadline != null) {
        window.__clock.freeze(s.deadline - 105_000);
        return "timer";
      }
      window.__clock.freeze(Date.now());
      return null;
    });
    // The widget redraws its running time once a second.
    if (wait === "elapsed") await page.waitForFunction(() => /\b7\b/.test(document.querySelector("employment-link-widget").$elapsed?.textContent));
    if (wait === "timer") await page.waitForFunction(() => /1:45/.test(document.querySelector("employment-link-widget").$timer?.textContent));
    // Paint the widget afresh in one piece: pixels kept from earlier partial repaints can differ
    // in the last bit of anti-aliasing (seen on a rounded corner) from run to run.
    await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const w = document.querySelector("employment-link-widget");
      w.style.visibility = "hidden";
      await frame();
      w.style.visibility = "";
      await frame();
    });
  }
  await page.locator("employment-link-widget").screenshot({ path: path.join(SHOTS, name + ".png"), animations: "disabled", caret: "hide" });
  if (SCREENSHOTS) await page.evaluate(() => window.__clock.thaw());
}

/** No horizontal scrolling at the current (phone) width. */
export async function assertFits(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(scroll <= width, `the page scrolls horizontally: ${scroll} px > ${width} px`);
}

/**
 * Every string a person can see or hear in the widget: visible text nodes, and the
 * aria-label / placeholder / title / alt attributes. Each with where it is.
 */
export function widgetStrings(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = (root) => {
      const tw = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = tw.currentNode; n; n = tw.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
          const t = n.textContent.trim();
          const el = n.parentElement;
          if (t && el && el.checkVisibility({ visibilityProperty: true }) && el.tagName !== "OPTION") out.push(t);
        } else if (n.nodeType === Node.ELEMENT_NODE) {
          for (const a of ["aria-label", "placeholder", "title", "alt"]) if (n.getAttribute(a)) out.push(n.getAttribute(a));
          if (n.shadowRoot) walk(n.shadowRoot);
        }
      }
    };
    walk(document.querySelector("employment-link-widget").shadowRoot);
    return out;
  });
}

/** The text of the widget's step heading. */
export function heading(page) {
  return page.locator(W + "h2").first().textContent();
}

/** Fails when any page error happened, or any console error other than the browser's own
 * "Failed to load resource" lines for the HTTP errors the scenarios provoke on purpose. */
export function assertNoPageErrors(ctx, allowConsole = []) {
  assert.deepEqual(ctx.errors, [], "page errors");
  const unexpected = ctx.consoleErrors.filter((m) => !/Failed to load resource/.test(m) && !allowConsole.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], "console errors");
}

/** No identifier, password or token in any DOM event the widget dispatched. */
export async function assertNoPii(page, secrets) {
  const json = JSON.stringify(await events(page));
  for (const s of secrets) {
    if (!s) continue;
    const variants = [s, s.replace(/[.\-\s]/g, "")].filter((v) => v.length >= 6);
    for (const v of variants) assert.ok(!json.includes(v), `a DOM event carries "${v}"`);
  }
}

/** The widget's strings in `locale` (after switching to it), minus those without letters or
 * that are part of what the person typed (`typed`). */
export async function stringsIn(page, locale, typed = []) {
  await page.selectOption(W + "#lang", locale);
  assert.equal(await page.locator(W + "section").getAttribute("lang"), locale);
  assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
  return (await widgetStrings(page)).filter((s) => /\p{L}/u.test(s) && !typed.some((t) => t.includes(s)));
}

/** Every string of `from` is gone in `to` (but the words in `allowed`), and as many are shown. */
export function assertAllChanged(from, to, names, allowed = new Set()) {
  const same = from.filter((s) => to.includes(s) && !allowed.has(s));
  assert.deepEqual(same, [], `strings unchanged from ${names}`);
  assert.equal(to.length, from.length, `same number of strings in ${names}`);
}
