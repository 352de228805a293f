import { validateCurp, validateCpf } from "employment-link";
const a = validateCurp("PEXA850412HJCRRN09");
const b = validateCpf("153.872.046-90");
document.getElementById("out").textContent = `${a.valid}:${a.stateName}|${b.valid}:${b.formatted}`;
document.body.dataset.ready = "1";
