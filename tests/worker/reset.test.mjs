// POST /__emulator/reset in workerd, with the KV binding (as `make demo` runs): the emulator
// starts afresh, link ids never repeat those handed out before, and nothing the proxy kept in
// KV (attempt-guard counters, webhook events, dedupe markers) is seen any more.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CURP_A, errorItem, startWorker } from "./helpers.mjs";

const IMSS = { institution: "imss_mx_employment", username: CURP_A };

for (const kv of [true, false]) {
  describe(`POST /__emulator/reset (${kv ? "Workers KV" : "isolate memory"})`, () => {
    let w;
    before(async () => { w = await startWorker({}, { kv }); });
    after(async () => { await w?.stop(); });

    it("forgets the attempt guard and the events; never reuses a link id", async () => {
      const ids = [];
      let first = null;
      for (let i = 0; i < 3; i++) {
        const r = await w.createLink(IMSS);
        assert.equal(r.status, 201, r.text);
        ids.push(r.body.id);
        first ??= { id: r.body.id, cap: r.headers.get("x-link-capability") };
      }
      assert.equal((await w.waitEvents(first.id, first.cap, 2)).length, 2);
      const blocked = await w.createLink(IMSS);
      assert.equal(blocked.status, 403);
      assert.equal(errorItem(blocked).code, "forbidden_by_host");

      const r = await w.post("/__emulator/reset", "");
      assert.equal(r.status, 200, r.text);
      assert.equal(await w.requests(), 0);
      const old = await w.get(`/links/${first.id}/events`, first.cap);
      assert.equal(old.status, 200);
      assert.deepEqual(old.body.events, [], "events from before the reset are gone");

      for (let i = 0; i < 3; i++) {
        const again = await w.createLink(IMSS);
        assert.equal(again.status, 201, `attempt ${i + 1} after the reset: ${again.text}`);
        assert.ok(!ids.includes(again.body.id), `link id ${again.body.id} reused after the reset`);
        ids.push(again.body.id);
        const cap = again.headers.get("x-link-capability");
        assert.equal((await w.waitEvents(again.body.id, cap, 2)).length, 2, "webhooks stored, not taken for duplicates");
      }
      assert.equal((await w.createLink(IMSS)).status, 403, "the guard counts again");
    });
  });
}
