// employment-link/validate — type declarations of the identifier validators (also re-exported by
// the main entry, "employment-link").
/** Message language. Default: `es` for CURP, `pt` for CPF. */
export type Locale = "es" | "pt" | "en";

/** Options shared by every validator. */
export interface ValidateOptions {
  /** Message language. */
  locale?: Locale;
  /** Strict mode: canonical input only (CURP: 18 upper-case characters; CPF: 11 digits or `000.000.000-00`). */
  strict?: boolean;
  /** "Today" for the future-birth-date rule, `YYYY-MM-DD`. Default: the local date. */
  today?: string;
}

/** Error codes of a CURP. */
export type CurpErrorCode =
  | "type" | "empty" | "character" | "length" | "date" | "future_date" | "sex" | "state"
  | "inconvenient_word" | "check_digit";
/** Error codes of a CPF. */
export type CpfErrorCode = "type" | "empty" | "character" | "length" | "repeated" | "check_digit";
/** Every validation error code. */
export type IdErrorCode = CurpErrorCode | CpfErrorCode | "institution";

/** Why an identifier is invalid. */
export interface IdError<C extends IdErrorCode = IdErrorCode> {
  /** Stable machine code. */
  code: C;
  /** 0-based index into `value` of the offending character; `null` when no single character is at fault. */
  position: number | null;
  /** Localised, human message naming the (1-based) character and what was expected. Never contains the identifier. */
  message: string;
}

/** Sex / gender letter of a CURP: H (hombre), M (mujer), X (non-binary). */
export type CurpSex = "H" | "M" | "X";
/** The 32 state codes plus NE (born abroad). */
export type CurpState =
  | "AS" | "BC" | "BS" | "CC" | "CL" | "CM" | "CS" | "CH" | "DF" | "DG" | "GT" | "GR" | "HG"
  | "JC" | "MC" | "MN" | "MS" | "NT" | "NL" | "OC" | "PL" | "QT" | "QR" | "SP" | "SL" | "SR"
  | "TC" | "TS" | "TL" | "VZ" | "YN" | "ZS" | "NE";
/** Brazilian state (UF). */
export type Uf =
  | "AC" | "AL" | "AM" | "AP" | "BA" | "CE" | "DF" | "ES" | "GO" | "MA" | "MG" | "MS" | "MT"
  | "PA" | "PB" | "PE" | "PI" | "PR" | "RJ" | "RN" | "RO" | "RR" | "RS" | "SC" | "SE" | "SP" | "TO";

/** A valid CURP. */
export interface CurpValid {
  valid: true;
  /** The normalised CURP (18 upper-case characters). */
  value: string;
  /** `YYYY-MM-DD`, century from the 17th character. */
  birthDate: string;
  sex: CurpSex;
  state: CurpState;
  /** e.g. "Jalisco". */
  stateName: string;
  bornAbroad: boolean;
}
/** An invalid input. `value` is the normalised input. */
export interface Invalid<C extends IdErrorCode = IdErrorCode> {
  valid: false;
  value: string;
  error: IdError<C>;
}
/** Result of {@link validateCurp}. */
export type CurpResult = CurpValid | Invalid<CurpErrorCode>;

/** Fiscal region of a CPF (its 9th digit; 0 is region 10). */
export type CpfRegion = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
/** A valid CPF. */
export interface CpfValid {
  valid: true;
  /** 11 digits. */
  value: string;
  /** `000.000.000-00`. */
  formatted: string;
  region: CpfRegion;
  /** The states of that fiscal region, e.g. `["SP"]`. Information only, never a reason to reject. */
  regionStates: readonly Uf[];
}
/** Result of {@link validateCpf}. */
export type CpfResult = CpfValid | Invalid<CpfErrorCode>;

/** Result of an as-you-type check. */
export type PrefixResult<C extends IdErrorCode = IdErrorCode> =
  | { ok: true; complete: boolean }
  | { ok: false; error: IdError<C> };

/** Belvo employment institutions supported. */
export type Institution =
  | "imss_mx_employment" | "issste_mx_employment" | "planet_mx_employment" | "inss_br_employment";

/** A username accepted by Belvo's sandbox institution (any 18 letters/digits). */
export interface SandboxValid {
  valid: true;
  value: string;
}
/** Result of {@link validateUsername}. */
export type UsernameResult = CurpValid | CpfValid | SandboxValid | Invalid<IdErrorCode>;

/** Validates a Mexican CURP. Never throws, whatever the input. */
export function validateCurp(input: unknown, options?: ValidateOptions): CurpResult;
/** Validates a Brazilian CPF. Never throws, whatever the input. */
export function validateCpf(input: unknown, options?: ValidateOptions): CpfResult;
/** Fast boolean CURP check (lenient mode, today = the local date). */
export function isValidCurp(input: unknown): boolean;
/** Fast boolean CPF check (lenient mode). */
export function isValidCpf(input: unknown): boolean;
/** Boolean CURP check of many inputs in one call. */
export function isValidCurpMany(inputs: readonly unknown[]): boolean[];
/** Boolean CPF check of many inputs in one call. */
export function isValidCpfMany(inputs: readonly unknown[]): boolean[];
/** As-you-type CURP check: ok while the prefix can still become a valid CURP. */
export function checkCurpPrefix(input: unknown, options?: ValidateOptions): PrefixResult<CurpErrorCode>;
/** As-you-type CPF check: ok while the prefix can still become a valid CPF. */
export function checkCpfPrefix(input: unknown, options?: ValidateOptions): PrefixResult<CpfErrorCode>;
/** Validates `input` with the username rule of a Belvo institution; unknown institution → code `institution`. */
export function validateUsername(institution: Institution | (string & {}), input: unknown, options?: ValidateOptions): UsernameResult;

