import { startDemo, browser, openDemo, W, view, typeInto, events } from "./harness.mjs";
const demo = await startDemo();
const b = await browser();
let fails = 0;
try {
for (let i = 0; i < 30; i++) {
  const ctx = await openDemo(b, demo.url);
  const { page } = ctx;
  await page.locator(W + "#i-inss_br_employment").check();
  await typeInto(page, "#id", "153.872.046-90");
  await page.locator(W + "#pw").fill("x");
  await page.locator(W + "#go").click();
  await view(page, "mfa");
  await page.locator(W + "#tok").fill("111111");
  await page.locator(W + "#verify").click();
  try { await view(page, "results", 40000); } catch (e) {
    fails++;
    console.log("STUCK view=", await page.locator(W + "section").getAttribute("data-view"), await page.locator(W + "h2").textContent());
    console.log(JSON.stringify((await events(page)).filter(e => e.type === "event").map(e => e.detail)));
    await page.close(); continue;
  }
  const n = await page.locator(W + "table.jobs > tbody > tr").count();
  if (n === 0) { fails++; console.log("EMPTY", JSON.stringify((await events(page)).filter(e => e.type === "event").map(e => e.detail), null, 0)); }
  await page.close();
}
} finally { console.log("fails", fails); await b.close(); await demo.stop(); }
