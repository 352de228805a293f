// Imports both entries: the main one (validators + link client) and the validator-only one.
import { validateCurp, validateCpf, isValidCurpMany } from "employment-link";
import * as v from "employment-link/validate";

const a = validateCurp("PEXA850412HJCRRN09");
const b = validateCpf("153.872.046-90");
const inputs = ["PEXA850412HJCRRN09", "PEXA850412HJCRRN08", "153.872.046-90", "", null, "pexa850412hjcrrn09"];
const same = inputs.every((x) => JSON.stringify([validateCurp(x), validateCpf(x)]) === JSON.stringify([v.validateCurp(x), v.validateCpf(x)]))
  && JSON.stringify(isValidCurpMany(inputs)) === JSON.stringify(v.isValidCurpMany(inputs));
document.getElementById("out").textContent = `${a.valid}:${a.stateName}|${b.valid}:${b.formatted}|same:${same}`;
document.body.dataset.ready = "1";
