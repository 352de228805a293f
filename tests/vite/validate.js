// Imports only the validator-only entry: the page must fetch the small id wasm, never the full one.
import { validateCurp, validateCpf, checkCpfPrefix } from "employment-link/validate";
import * as v from "employment-link/validate";

const a = validateCurp("PEXA850412HJCRRN09");
const b = validateCpf("153.872.046-90");
const prefix = checkCpfPrefix("153.8").ok && !checkCpfPrefix("153x").ok;
const wasm = performance.getEntriesByType("resource").map((e) => e.name).filter((u) => u.endsWith(".wasm"));
const onlyId = wasm.length === 1 && /\/employment_link_id_bg-[^/]*\.wasm$/.test(wasm[0]);
document.getElementById("out").textContent =
  `${a.valid}:${a.stateName}|${b.valid}:${b.formatted}|${prefix}|client:${"EmploymentLink" in v}|onlyId:${onlyId}`;
document.body.dataset.ready = "1";
