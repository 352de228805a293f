// make bench: our validators against the npm peers, same process, same 4096-input sets.
// Reports ops/s (best of ROUNDS), the median, and per set our ratio to the fastest *correct* peer
// of the same kind (one that accepts exactly the inputs the official rules accept there; our
// validators are the reference) against issue 15's floors, and, for information, to the fastest
// peer of any kind. Then the package sizes (gzip -9 and Brotli) against their ceilings.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants as zc, gzipSync } from "node:zlib";
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
// A peer that answers a result object (compared with our validate*); the others answer a boolean.
const rich = (fn) => Object.assign(fn, { rich: true });
// Issue 15's floors: ratio to the fastest correct peer of the matching kind.
const FLOOR = { isValid: 1.5, validate: 2, many: 3 };
const kindOf = (name) => (name.includes("Many") ? "many" : name.startsWith("validate") ? "validate" : "isValid");
const candidates = {
  cpf: {
    peers: {
      "cpf-cnpj-validator cpf.isValid": (s) => ccv.isValid(s),
      "validator isTaxID(pt-BR)": (s) => validator.isTaxID(s, "pt-BR"),
      "@brazilian-utils isValidCpf": (s) => bu.isValidCpf(s),
      "stdnum BR.cpf.validate": rich((s) => stdnum.BR.cpf.validate(s).isValid),
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
      "validate-curp": rich((s) => validateCurpPeer(s).isValid),
      "stdnum MX.curp.validate": rich((s) => stdnum.MX.curp.validate(s).isValid),
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
const answers = (c, inputs) => (c.batch ? c.fn(inputs) : inputs.map(c)).map(Boolean);
const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);

console.log(`node ${process.version}; ${N} inputs per set; best of ${ROUNDS} rounds of ≥ ${MIN_MS} ms (median in parentheses)\n`);
const summary = [];
const missed = [];
for (const [kind, { peers, ours }] of Object.entries(candidates)) {
  for (const set of Object.keys(sets).filter((k) => k.startsWith(kind))) {
    const inputs = sets[set];
    // The reference: what the official rules accept (our lenient boolean path).
    const truth = answers(ours[`isValid${kind === "cpf" ? "Cpf" : "Curp"}`], inputs);
    console.log(`## ${set}`);
    let anyPeer = { rate: 0, name: "" };
    const correct = { boolean: { rate: 0, name: "none" }, rich: { rate: 0, name: "none" } };
    for (const [name, c] of Object.entries(peers)) {
      const m = measure(c, inputs);
      const got = answers(c, inputs);
      const ok = got.every((v, i) => v === truth[i]);
      if (m.best > anyPeer.rate) anyPeer = { rate: m.best, name };
      // A result-object peer also answers a boolean: it competes with the boolean paths too.
      for (const k of c.rich ? ["boolean", "rich"] : ["boolean"]) {
        if (ok && m.best > correct[k].rate) correct[k] = { rate: m.best, name };
      }
      console.log(`  ${name.padEnd(34)} ${fmtRate(m.best).padStart(9)}/s (${fmtRate(m.median)})  accepted ${got.filter(Boolean).length}/${N}${ok ? "  correct" : ""}`);
    }
    for (const [name, c] of Object.entries(ours)) {
      const m = measure(c, inputs);
      const k = kindOf(name);
      const ref = correct[k === "validate" ? "rich" : "boolean"];
      summary.push({ set, name, rate: m.best });
      let verdict;
      if (ref.rate) {
        const ratio = m.best / ref.rate;
        const meets = ratio >= FLOOR[k];
        if (!meets) missed.push(`${set} ${name} ×${ratio.toFixed(2)} < ×${FLOOR[k]}`);
        verdict = `×${ratio.toFixed(2)} vs ${ref.name} (floor ×${FLOOR[k]}: ${meets ? "met" : "MISSED"})`;
      } else {
        verdict = `no correct peer of this kind on this set (floor ×${FLOOR[k]}: n/a)`;
      }
      console.log(`  ${("» " + name).padEnd(34)} ${fmtRate(m.best).padStart(9)}/s (${fmtRate(m.median)})  accepted ${answers(c, inputs).filter(Boolean).length}/${N}  ${verdict}; ×${(m.best / anyPeer.rate).toFixed(2)} vs the fastest of any kind (${anyPeer.name})`);
    }
    console.log();
  }
}
console.log(missed.length ? `speed floors missed (${missed.length}):\n  ${missed.join("\n  ")}\n` : "speed floors: all met\n");

// Invalid inputs must be no slower than valid ones.
for (const name of ["isValidCpf", "validateCpf", "isValidCurp", "validateCurp"]) {
  const kind = name.toLowerCase().includes("cpf") ? "cpf" : "curp";
  const valid = summary.find((s) => s.set === `${kind}_valid` && s.name === name).rate;
  const mix = summary.find((s) => s.set === `${kind}_invalid_mix` && s.name === name).rate;
  console.log(`invalid/valid speed ${name}: ×${(mix / valid).toFixed(2)}`);
}

// ---- sizes: what a page downloads per entry (entry module + generated JS + wasm)
const bytes = (p) => readFileSync(new URL(`../pkg/${p}`, import.meta.url));
const gz = (...ps) => ps.reduce((n, p) => n + gzipSync(bytes(p), { level: 9 }).length, 0);
const br = (...ps) => ps.reduce((n, p) => n + brotliCompressSync(bytes(p), { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
// The issues' budgets say "KB": checked against the stricter reading, 1 KB = 1000 B.
const within = (b, kb) => (b <= kb * 1000 ? `within the ${kb} KB ceiling` : `OVER the ${kb} KB ceiling by ${b - kb * 1000} B`);
const entries = [
  ["employment-link/validate (validators only)", ["validate.browser.js", "id/employment_link_id.js", "id/employment_link_id_bg.wasm"], 20],
  ["employment-link (validators + link-flow client)", ["browser.js", "web/employment_link.js", "web/employment_link_bg.wasm"], 80],
  ["employment-link/worker (proxy + emulator)", ["worker.js", "worker/employment_link.js", "worker/employment_link_bg.wasm"], 400],
];
for (const [name, files, kb] of entries) {
  const wasm = files[2];
  const total = gz(...files);
  console.log(`size: ${name}: wasm ${bytes(wasm).length} B raw, ${gz(wasm)} B gzip; JS ${gz(files[0], files[1])} B gzip; total ${total} B gzip (${within(total, kb)}), ${br(...files)} B brotli`);
}
if (sink === -1) console.log(sink);
