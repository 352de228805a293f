// make bench: our validators against the npm peers, same process, same 4096-input sets.
// Reports ops/s (best of ROUNDS), the median, and our ratio to the fastest peer per set.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
// The validator-only entry (`employment-link/validate`); the main entry runs the same facade.
import * as el from "../pkg/validate.node.js";

const require = createRequire(new URL("../tools/node/package.json", import.meta.url));
const { cpf: ccv } = require("cpf-cnpj-validator");
const validator = require("validator");
const bu = require("@brazilian-utils/brazilian-utils");
const curpPkg = require("curp");
const validateCurpPeer = require("validate-curp");
const { stdnum } = require("stdnum");

const N = 4096;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 250);

// ---- deterministic input sets (data generation only; the rules under test are in the peers and in Rust)
let seed = 0x9e3779b9;
const rnd = (n) => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed % n; };
const pick = (s) => s[rnd(s.length)];
function cpfDigits(body) {
  const d = [...body].map(Number);
  let s = 0; for (let i = 0; i < 9; i++) s += d[i] * (10 - i);
  const r1 = s % 11; const d1 = r1 < 2 ? 0 : 11 - r1;
  s = 0; for (let i = 0; i < 9; i++) s += d[i] * (11 - i); s += d1 * 2;
  const r2 = s % 11; const d2 = r2 < 2 ? 0 : 11 - r2;
  return `${d1}${d2}`;
}
function genCpf() {
  for (;;) {
    let b = ""; for (let i = 0; i < 9; i++) b += rnd(10);
    if (/^(\d)\1+$/.test(b)) continue;
    const c = b + cpfDigits(b);
    if (c === "12345678909") continue;
    return c;
  }
}
const fmt = (c) => `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}`;
const ALPHA = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
const STATES = "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE".split(" ");
const BAD = new Set("BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY".split(" "));
const L = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", V = "AEIOU", C = "BCDFGHJKLMNPQRSTVWXYZ";
function genCurp() {
  for (;;) {
    const head = pick(L) + pick(V) + pick(L) + pick(L);
    if (BAD.has(head)) continue;
    const y = 1930 + rnd(90), m = 1 + rnd(12), d = 1 + rnd(28);
    const p2 = (n) => String(n).padStart(2, "0");
    const body = head + p2(y % 100) + p2(m) + p2(d) + pick("HM") + pick(STATES) + pick(C) + pick(C) + pick(C) + (y >= 2000 ? pick(L) : rnd(10));
    let s = 0; for (let i = 0; i < 17; i++) s += ALPHA.indexOf(body[i]) * (18 - i);
    return body + ((10 - (s % 10)) % 10);
  }
}
const mutate = (s, i, c) => s.slice(0, i) + c + s.slice(i + 1);
const sets = {
  cpf_valid: Array.from({ length: N }, genCpf),
};
sets.cpf_valid_fmt = sets.cpf_valid.map(fmt);
sets.cpf_bad_check = sets.cpf_valid.map((c) => mutate(c, 10, String((Number(c[10]) + 1) % 10)));
sets.cpf_invalid_mix = sets.cpf_valid.map((c, i) => [
  () => c.slice(0, 10), () => mutate(c, 3, "a"), () => "1".repeat(11), () => c + "0",
  () => mutate(c, 9, String((Number(c[9]) + 3) % 10)), () => "", () => fmt(c).replace("-", "/"),
  () => mutate(c, 0, String((Number(c[0]) + 1) % 10)),
][i % 8]());
sets.curp_valid = Array.from({ length: N }, genCurp);
sets.curp_bad_check = sets.curp_valid.map((c) => mutate(c, 17, String((Number(c[17]) + 1) % 10)));
sets.curp_invalid_mix = sets.curp_valid.map((c, i) => [
  () => c.slice(0, 17), () => mutate(c, 10, "F"), () => mutate(c, 6, "1") .slice(0, 7) + "3" + c.slice(8),
  () => mutate(c, 11, "Q"), () => "BACA" + c.slice(4), () => mutate(c, 4, "A"), () => c.toLowerCase().replace(/^./, "ñ"),
  () => mutate(c, 8, "3").slice(0, 9) + "9" + c.slice(10),
][i % 8]());

// ---- candidates
const batch = (fn) => ({ batch: true, fn });
const candidates = {
  cpf: {
    peers: {
      "cpf-cnpj-validator cpf.isValid": (s) => ccv.isValid(s),
      "validator isTaxID(pt-BR)": (s) => validator.isTaxID(s, "pt-BR"),
      "@brazilian-utils isValidCpf": (s) => bu.isValidCpf(s),
      "stdnum BR.cpf.validate": (s) => stdnum.BR.cpf.validate(s).isValid,
    },
    ours: {
      isValidCpf: el.isValidCpf,
      validateCpf: (s) => el.validateCpf(s).valid,
      "isValidCpfMany (per item)": batch(el.isValidCpfMany),
    },
  },
  curp: {
    peers: {
      "curp validar": (s) => curpPkg.validar(s) === true,
      "validate-curp": (s) => validateCurpPeer(s).isValid,
      "stdnum MX.curp.validate": (s) => stdnum.MX.curp.validate(s).isValid,
    },
    ours: {
      isValidCurp: el.isValidCurp,
      validateCurp: (s) => el.validateCurp(s).valid,
      "isValidCurpMany (per item)": batch(el.isValidCurpMany),
    },
  },
};

let sink = 0;
function measure(c, inputs) {
  const fn = c.batch ? c.fn : c;
  const once = c.batch
    ? () => { const r = fn(inputs); for (let i = 0; i < r.length; i++) sink += r[i] ? 1 : 0; }
    : () => { for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i]) ? 1 : 0; };
  for (let i = 0; i < 5; i++) once(); // warm-up
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    let passes = 0; const t0 = performance.now(); let t = t0;
    while (t - t0 < MIN_MS) { once(); passes++; t = performance.now(); }
    rates.push((passes * inputs.length) / ((t - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { best: rates[rates.length - 1], median: rates[rates.length >> 1] };
}
const accepted = (c, inputs) => (c.batch ? c.fn(inputs) : inputs.map(c)).filter(Boolean).length;
const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);

console.log(`node ${process.version}; ${N} inputs per set; best of ${ROUNDS} rounds of ≥ ${MIN_MS} ms (median in parentheses)\n`);
const summary = [];
const fastestPeerRate = {}; // set -> the fastest peer's ops/s
for (const [kind, { peers, ours }] of Object.entries(candidates)) {
  for (const set of Object.keys(sets).filter((k) => k.startsWith(kind))) {
    const inputs = sets[set];
    console.log(`## ${set}`);
    let fastestPeer = 0, fastestName = "";
    for (const [name, c] of Object.entries(peers)) {
      const m = measure(c, inputs);
      if (m.best > fastestPeer) { fastestPeer = m.best; fastestName = name; }
      console.log(`  ${name.padEnd(34)} ${fmtRate(m.best).padStart(9)}/s (${fmtRate(m.median)})  accepted ${accepted(c, inputs)}/${N}`);
    }
    fastestPeerRate[set] = fastestPeer;
    for (const [name, c] of Object.entries(ours)) {
      const m = measure(c, inputs);
      const ratio = m.best / fastestPeer;
      summary.push({ set, name, ratio, rate: m.best });
      console.log(`  ${("» " + name).padEnd(34)} ${fmtRate(m.best).padStart(9)}/s (${fmtRate(m.median)})  accepted ${accepted(c, inputs)}/${N}  ×${ratio.toFixed(2)} vs ${fastestName}`);
    }
    console.log();
  }
}

// ---- the floor of any per-call wasm check, measured the same way
// What every call into wasm pays before a rule runs: the facade's length test, the copy of the
// input's UTF-16 units into wasm memory (src/bindings/js/id.js, put) and one call of the
// cheapest export (el_check_date). The best ratio a per-call wasm check can reach on a set is
// this rate over the fastest peer's.
const floorWasm = await WebAssembly.instantiate(readFileSync(new URL("../pkg/id/employment_link_id.wasm", import.meta.url)), {});
const FX = floorWasm.instance.exports;
const fTable = new Uint32Array(FX.memory.buffer, FX.el_buffers(), 12);
const FIN = new Uint8Array(FX.memory.buffer, fTable[0], fTable[2]);
const floorOf = (min) => (s) => {
  if (typeof s !== "string" || s.length < min) return false;
  const n = s.length;
  if (n * 3 > FIN.length) return false;
  for (let i = 0; i < n; i++) FIN[i] = s.charCodeAt(i);
  return FX.el_check_date(20000101) !== 0;
};
// The batch form's floor: the same for runs of items (the facade's `many`: lengths, one
// `join` + `encodeInto` per run, one call, the booleans read back), still with no rule.
const FBATCH = new Uint8Array(FX.memory.buffer, fTable[6], fTable[7]);
const FLENS = new Uint16Array(FX.memory.buffer, fTable[8], fTable[10]);
const FOUT = new Uint8Array(FX.memory.buffer, fTable[9], fTable[10]);
const fEncoder = new TextEncoder();
const floorMany = (inputs) => {
  const out = new Array(inputs.length);
  const maxUnits = Math.floor(FBATCH.length / 3);
  for (let i = 0; i < inputs.length;) {
    const start = i;
    let at = 0;
    while (i < inputs.length && i - start < FLENS.length && at + inputs[i].length <= maxUnits) {
      FLENS[i - start] = inputs[i].length;
      at += inputs[i++].length;
    }
    fEncoder.encodeInto(inputs.slice(start, i).join(""), FBATCH);
    FX.el_check_date(20000101);
    for (let k = start; k < i; k++) out[k] = FOUT[k - start] === 1;
  }
  return out;
};
console.log("floor: input copy + one wasm call (no rule), and the best ratio it leaves per call / batched");
for (const set of Object.keys(sets)) {
  const m = measure(floorOf(set.startsWith("cpf") ? 11 : 18), sets[set]);
  const peer = fastestPeerRate[set];
  const mb = measure(batch(floorMany), sets[set]);
  const ns = (r) => (1e9 / r).toFixed(0).padStart(4);
  console.log(`  ${set.padEnd(18)} fastest peer ${ns(peer)} ns/op; floor ${ns(m.best)} ns/op: ratio at most ×${(m.best / peer).toFixed(2)}; batched floor ${ns(mb.best)} ns/item: at most ×${(mb.best / peer).toFixed(2)}`);
}
console.log();

// Invalid inputs must be no slower than valid ones.
for (const name of ["isValidCpf", "validateCpf", "isValidCurp", "validateCurp"]) {
  const kind = name.toLowerCase().includes("cpf") ? "cpf" : "curp";
  const valid = summary.find((s) => s.set === `${kind}_valid` && s.name === name).rate;
  const mix = summary.find((s) => s.set === `${kind}_invalid_mix` && s.name === name).rate;
  console.log(`invalid/valid speed ${name}: ×${(mix / valid).toFixed(2)}`);
}

// ---- sizes
const gz = (p) => gzipSync(readFileSync(new URL(p, import.meta.url)), { level: 9 }).length;
const raw = (p) => readFileSync(new URL(p, import.meta.url)).length;
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
// The issues' budgets say "KB": checked against the stricter reading, 1 KB = 1000 B.
const within = (b, kb) => (b <= kb * 1000 ? `within the ${kb} KB budget` : `OVER the ${kb} KB budget by ${b - kb * 1000} B`);
const idWasm = gz("../pkg/id/employment_link_id.wasm");
// Each entry is one bundled module (scripts/build.sh): the JS a page loads is that file.
const idJs = gz("../pkg/validate.browser.js");
console.log(`\nsize: employment-link/validate (validators only): wasm ${raw("../pkg/id/employment_link_id.wasm")} B raw, ${idWasm} B gzip; JS facade ${idJs} B gzip; total ${idWasm + idJs} B gzip (${kib(idWasm + idJs)}; ${within(idWasm + idJs, 15)})`);
const webWasm = gz("../pkg/web/employment_link.wasm");
const glue = gz("../pkg/browser.js");
console.log(`size: employment-link (validators + link-flow client): wasm ${raw("../pkg/web/employment_link.wasm")} B raw, ${webWasm} B gzip; JS glue + facade ${glue} B gzip; total ${webWasm + glue} B gzip (${kib(webWasm + glue)}; ${within(webWasm + glue, 40)})`);
// The main module's code and data sections, each gzipped on its own: what the 40 KB budget is
// up against (the code with the JS, before any text or table).
{
  const b = readFileSync(new URL("../pkg/web/employment_link.wasm", import.meta.url));
  const sec = {};
  let p = 8;
  const leb = () => { let r = 0, sh = 0, x; do { x = b[p++]; r |= (x & 127) << sh; sh += 7; } while (x & 128); return r >>> 0; };
  while (p < b.length) { const id = b[p++]; const n = leb(); sec[id] = b.subarray(p, p + n); p += n; }
  const g = (id) => (sec[id] ? gzipSync(sec[id], { level: 9 }).length : 0);
  console.log(`size: employment-link wasm sections, each gzipped alone: code ${g(10)} B, data ${g(11)} B; code + JS ${g(10) + glue} B`);
}
try {
  const w = gz("../pkg/worker/employment_link_bg.wasm") + gz("../pkg/worker/employment_link.js");
  console.log(`size: worker wasm + glue ${w} B gzip (${(w / 1024).toFixed(1)} KiB)`);
} catch { /* worker build absent */ }
if (sink === -1) console.log(sink);
