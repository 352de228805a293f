// The package, its link client and the demo widget under the strict policy an integrator's
// onboarding page would send (strict.csp.html): `script-src 'self' 'wasm-unsafe-eval'` plus the
// import map's hash, `style-src 'self'`, `connect-src 'self'`. Nothing may need more.
const violations = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
const failures = [];
const check = (name, cond) => { if (!cond) failures.push(name); };
const tick = () => new Promise((r) => setTimeout(r, 50));

// The policy is really in force: eval is refused (and reported, as the one expected violation).
let evalRefused = false;
try {
  (0, eval)("1");
} catch {
  evalRefused = true;
}
check("the policy is in force", evalRefused);

try {
  const { validateCurp, isValidCpf, EmploymentLink } = await import("employment-link");
  await import("/www/widget.js");
  check("curp", validateCurp("PEXA850412HJCRRN09").stateName === "Jalisco");
  check("cpf", isValidCpf("153.872.046-90"));
  // The client's fetch goes to the page's own origin (a stub proxy that answers Belvo's 201).
  const el = new EmploymentLink({ proxyUrl: location.origin + "/stub-proxy", locale: "en" });
  const step = await el.createLink({ institution: "planet_mx_employment", username: "BLPM951331IONVGR54" });
  check(`client: linked (${step.status} ${step.error?.code ?? ""})`, step.status === "linked" && step.link.status === "valid");
  // The widget: shown, and styled by its own stylesheet (a <link>, no inline styles).
  const w = document.querySelector("employment-link-widget");
  const form = () => w.shadowRoot?.querySelector('section[data-view="form"]');
  for (let i = 0; i < 200 && !form(); i++) await tick();
  check("widget form", !!form());
  const section = w.shadowRoot?.querySelector("section.w");
  for (let i = 0; i < 200 && section?.hidden; i++) await tick();
  check("widget visible", !!section && !section.hidden);
  check("widget styled", !!section && getComputedStyle(section).borderTopStyle !== "none");
} catch (e) {
  failures.push(`threw: ${e}`);
}
await tick(); // violation reports are queued as tasks
const unexpected = violations.filter((v) => !/ eval$/.test(v));
check(`no other violations: ${unexpected.join(" | ")}`, unexpected.length === 0);
check("eval reported", violations.length - unexpected.length === 1);
document.getElementById("out").textContent = failures.length ? "FAIL " + failures.join(", ") : "ok";
document.body.dataset.ready = "1";
