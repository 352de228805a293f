// A strict TypeScript consumer: compiles only if the package's declarations are precise.
import {
  validateCurp, validateCpf, isValidCpf, checkCurpPrefix, validateUsername,
  type CurpErrorCode, type CpfErrorCode, type CurpSex, type Uf,
} from "employment-link";

const r = validateCurp("PEXA850412HJCRRN09", { locale: "en", today: "2026-01-01" });
if (r.valid) {
  const date: string = r.birthDate;
  const sex: CurpSex = r.sex;
  const abroad: boolean = r.bornAbroad;
  console.log(date, sex, abroad, r.state, r.stateName);
  // @ts-expect-error — a valid result has no error
  console.log(r.error);
} else {
  const code: CurpErrorCode = r.error.code;
  const pos: number | null = r.error.position;
  console.log(code, pos, r.error.message);
  // @ts-expect-error — "repeated" is a CPF code, never a CURP one
  const impossible: typeof code = "repeated";
  console.log(impossible);
}

const c = validateCpf("153.872.046-90");
if (c.valid) {
  const states: readonly Uf[] = c.regionStates;
  const region: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 = c.region;
  console.log(c.formatted, states, region);
} else {
  const code: CpfErrorCode = c.error.code;
  console.log(code);
}

const p = checkCurpPrefix("PEXA85");
console.log(p.ok ? p.complete : p.error.position);

const u = validateUsername("planet_mx_employment", "BLPM951331IONVGR54");
if (u.valid && "birthDate" in u) console.log(u.birthDate);
const ok: boolean = isValidCpf(undefined);
console.log(ok);

// @ts-expect-error — locale is a closed set
validateCurp("x", { locale: "fr" });

// The validator-only entry: the same functions and types, and no link client.
import * as validate from "employment-link/validate";
import {
  validateCurp as vCurp, validateCpf as vCpf, isValidCurpMany, isValidCpfMany, checkCpfPrefix,
  validateUsername as vUsername,
  type CurpResult, type CpfResult, type IdError, type Institution, type ValidateOptions, type Locale,
  type CpfRegion, type PrefixResult, type UsernameResult,
} from "employment-link/validate";
import type * as Main from "employment-link";

const opts: ValidateOptions = { locale: "pt" satisfies Locale, strict: true };
const vr: CurpResult = vCurp("PEXA850412HJCRRN09", opts);
if (!vr.valid) {
  const e: IdError<CurpErrorCode> = vr.error;
  console.log(e.code, e.position);
}
const vc: CpfResult = vCpf("153.872.046-90");
if (vc.valid) {
  const region: CpfRegion = vc.region;
  console.log(region);
}
const vp: PrefixResult<CpfErrorCode> = checkCpfPrefix("153.8");
const many: boolean[] = [...isValidCurpMany(["x", 1]), ...isValidCpfMany([null])];
const inst: Institution = "inss_br_employment";
const vu: UsernameResult = vUsername(inst, "153.872.046-90");
console.log(vp, many, vu);
// The two entries' validators have identical types.
const sameCurp: typeof Main.validateCurp = validate.validateCurp;
const sameCpf: typeof validate.validateCpf = validateCpf;
const sameResult: Main.CurpResult = vr;
console.log(sameCurp, sameCpf, sameResult);
// @ts-expect-error — the validator-only entry has no link client
console.log(validate.EmploymentLink);
// @ts-expect-error — locale is a closed set here too
vCurp("x", { locale: "fr" });

// The flow client: steps are discriminated unions; errors carry a closed category set.
import { EmploymentLink, type LinkStep, type ErrorCategory, type ClientEvent } from "employment-link";
const client = new EmploymentLink({
  proxyUrl: "https://example.test/belvo",
  locale: "es",
  onEvent: (e: ClientEvent) => { if (e.type === "error") console.log(e.error.category); },
});
async function flow(): Promise<void> {
  const step: LinkStep = await client.createLink({ institution: "inss_br_employment", username: "153.872.046-90", password: "x" });
  if (step.status === "token_required") {
    const next = await client.submitToken("111111");
    if (next.status === "error") {
      const cat: ErrorCategory = next.error.category;
      console.log(cat, next.error.retryAfterSeconds);
    }
  } else if (step.status === "linked") {
    console.log(step.link.id);
  } else {
    // @ts-expect-error — "oops" is not a category
    const bad: ErrorCategory = "oops";
    console.log(bad, step.error.message);
  }
  const data = await client.employments();
  if (data.status === "ok") console.log(data.count, data.results.length);
  const gone = await client.deleteLink();
  if (gone.status === "deleted") console.log(gone.linkId);
  else console.log(gone.error.category);
  client.cancel();
}
void flow;
