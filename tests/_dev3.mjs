import { launch } from "./support/chromium.mjs";
const b = await launch();
const p = await b.newPage({ viewport: { width: 360, height: 900 } });
await p.goto("http://127.0.0.1:8790/");
await p.waitForSelector("employment-link-widget >> section[data-view=form]");
console.log(await p.evaluate(() => { const s = document.querySelector("employment-link-widget").shadowRoot.querySelector("section"); const c = getComputedStyle(s); return [c.borderTopWidth, c.borderTopColor, c.borderRadius, c.padding, s.getBoundingClientRect().width, document.querySelector("employment-link-widget").getBoundingClientRect().width]; }));
await b.close();
