// Worker thread for validate.test.mjs: imports the entry named by workerData, runs every validator
// over a fixed, deterministic set of inputs and options, and posts the results (JSON strings).
import { parentPort, workerData } from "node:worker_threads";

const entry = workerData;
const m = await import(entry);

const CURPS = ["PEXA850412HJCRRN09", "BLPM951331IONVGR54", "GODE561231MNEMRL03", "PEXA250412HJCRRNA0"];
const CPFS = ["153.872.046-90", "15387204690", "280.012.389-38", "012.345.678-90", "111.111.111-11"];
const ALPHABET = "AEIOUXZÑ019 -./ñé😴";
const JUNK = [null, undefined, 0, 42, NaN, {}, [], true, 10n, "", " ", "\u0000".repeat(18),
  "１２３４５６７８９０１", "\ud800".repeat(11), "x".repeat(3000), " ".repeat(600) + CPFS[0]];

const inputs = [...JUNK];
for (const base of [...CURPS, ...CPFS]) {
  inputs.push(base, base.toLowerCase(), ` ${base} `);
  for (let i = 0; i <= base.length; i++) {
    inputs.push(base.slice(0, i));
    for (const ch of ALPHABET) inputs.push(base.slice(0, i) + ch + base.slice(i + 1));
  }
}
const OPTIONS = [undefined, { locale: "en" }, { locale: "pt", strict: true }, { locale: "es", today: "2020-01-01" }];
const INSTITUTIONS = ["imss_mx_employment", "issste_mx_employment", "planet_mx_employment", "inss_br_employment", "bank_mx_retail"];

const results = [];
const put = (v) => results.push(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x)));
for (const input of inputs) {
  put([m.isValidCurp(input), m.isValidCpf(input)]);
  for (const o of OPTIONS) {
    put([m.validateCurp(input, o), m.validateCpf(input, o), m.checkCurpPrefix(input, o), m.checkCpfPrefix(input, o)]);
  }
  for (const inst of INSTITUTIONS) put(m.validateUsername(inst, input));
}
put(m.isValidCurpMany(inputs));
put(m.isValidCpfMany(inputs));

parentPort.postMessage({ entry, hasClient: "EmploymentLink" in m, results });
