// Usage: node run-page.mjs <dir> <expected #out text> [page path]
// Serves <dir>, opens the page in headless Chromium, waits for body[data-ready], compares #out.
import { serve } from "../support/static-server.mjs";
import { launch } from "../support/chromium.mjs";

const [dir, expected, page = "/"] = process.argv.slice(2);
const server = await serve(dir);
const browser = await launch();
let failed = false;
try {
  const p = await browser.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await p.goto(server.url + page);
  await p.waitForSelector("body[data-ready='1']", { timeout: 20000 });
  const got = await p.textContent("#out");
  if (got !== expected || errors.length) {
    failed = true;
    console.error(`FAIL ${dir}${page}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`, errors);
  } else {
    console.log(`ok ${dir}${page}: ${got}`);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
