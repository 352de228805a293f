// Shared helpers for the widget's end-to-end tests (node --test + playwright-core + Debian's
// Chromium). Each test file starts the demo server itself (`scripts/demo.sh` on a free port,
// in its own process group), drives www/index.html and stops the server at the end.
//
// E2E_BASE_URL=http://127.0.0.1:8787  reuses an already running demo instead of starting one.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { isValidCurp } from "employment-link";
import { launch } from "../support/chromium.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Tests write their pictures under the ignored tests/out/; `make screenshots` points
// SCREENSHOTS_DIR at docs/screenshots to refresh the README's, with the page clock fixed.
export const SHOTS = process.env.SCREENSHOTS_DIR
  ? path.resolve(ROOT, process.env.SCREENSHOTS_DIR)
  : path.join(ROOT, "tests/out/screenshots");
/** The page's fixed clock when refreshing the README's screenshots (`make screenshots`). */
const FIXED_TIME = process.env.SCREENSHOTS_DIR ? new Date("2026-11-23T15:04:05-06:00") : null;
export const W = "employment-link-widget >> ";
export const CURP = "PEXA850412HJCRRN09"; // id-rules worked example: 1985-04-12, H, Jalisco
export const SANDBOX_CURP = "BLPM951331IONVGR54"; // Belvo's sandbox CURP (month 13: not a valid CURP)
export const CPF = "153.872.046-90";
export const PASSWORD = "correct horse battery";

// Seeded (mulberry32), so a run's identifiers, and so its screenshots, are the same every time;
// each run starts the demo with fresh state (DEMO_STATE_DIR), so no earlier run's count matters.
let seed = Number(process.env.E2E_SEED ?? 20261123) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * A valid CURP that no earlier test of this run used: the proxy allows 3 IMSS attempts per CURP per 24 h
 * (its attempt guard), and the demo keeps that state between runs.
 */
export function freshCurp() {
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

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
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
  let child = null, state = null;
  const logs = [];
  if (!url) {
    state = mkdtempSync(path.join(tmpdir(), "el-e2e-state-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(path.join(ROOT, "scripts/demo.sh"), [], {
      cwd: ROOT,
      detached: true, // its own process group: stop() ends wrangler/workerd too
      // DEMO_STATE_DIR: a fresh wrangler state (KV) for this run, where demo.sh supports it.
      env: { ...process.env, PORT: String(port), DEMO_STATE_DIR: state, NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d) => logs.push(String(d)));
    child.stderr.on("data", (d) => logs.push(String(d)));
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

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {}
    };
    const t = setTimeout(() => kill("SIGKILL"), 8000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    kill("SIGINT");
  });
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
  const page = await b.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  if (FIXED_TIME) await page.clock.setFixedTime(FIXED_TIME);
  const out = { page, errors: [], consoleErrors: [], requests: [] };
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

/** Writes <SHOTS>/<name>.png (the widget only). */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.locator("employment-link-widget").screenshot({ path: path.join(SHOTS, name + ".png"), animations: "disabled" });
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
