// employment-link — the JS facade over the wasm module.
//
// It only moves bytes: it copies the input's UTF-16 code units into a buffer in wasm memory,
// calls one exported function that returns a packed u32 (see src/bindings/id.rs), and builds the
// documented result object. Every rule lives in the Rust core. Nothing here throws for any input.
import * as glue from "./web/employment_link.js";

export * from "./client.js";

let wasm = null;
let memBuffer = null;
let IN, IN8, OUT, META, BATCH, BATCH8, BATCH_LENS, BATCH_OUT;
// The hot exports, called directly (the glue wrappers only convert the return value).
let wCurpIsValid = null, wCpfIsValid = null, wCurp = null, wCpf = null, wBatch = null;
let inCap = 0, outCap = 0, batchCap = 0, batchItems = 0;
let ptrs = null;
let states = null; // [[code, name], ...] from the Rust tables
let regions = null; // region (1..10) -> frozen array of UFs

/** @internal Called once by the entry module (browser, node or workerd) after instantiation. */
export function __attach(exports) {
  wasm = exports;
  wCurpIsValid = exports.__el_curp_is_valid;
  wCpfIsValid = exports.__el_cpf_is_valid;
  wCurp = exports.__el_curp;
  wCpf = exports.__el_cpf;
  wBatch = exports.__el_batch;
  views();
  tables();
}

function views() {
  if (ptrs === null) {
    // May allocate (and so grow memory): read the buffer only afterwards.
    ptrs = glue.__el_buffers();
    inCap = ptrs[6]; outCap = ptrs[7]; batchCap = ptrs[8]; batchItems = ptrs[9];
  }
  const buf = wasm.memory.buffer;
  if (buf !== memBuffer) {
    memBuffer = buf;
    IN = new Uint16Array(buf, ptrs[0], inCap);
    IN8 = new Uint8Array(buf, ptrs[10], inCap);
    OUT = new Uint16Array(buf, ptrs[1], outCap);
    META = new Uint16Array(buf, ptrs[2], 32);
    BATCH = new Uint16Array(buf, ptrs[3], batchCap);
    BATCH8 = new Uint8Array(buf, ptrs[11], ptrs[12]); // 3 × batchCap: any run's UTF-8 fits
    BATCH_LENS = new Uint16Array(buf, ptrs[4], batchItems);
    BATCH_OUT = new Uint8Array(buf, ptrs[5], batchItems);
  }
}

function tables() {
  if (states !== null) return;
  const [st, rg] = glue.__el_tables().split("|");
  states = st.split("\n").filter(Boolean).map((l) => {
    const i = l.indexOf("=");
    return [l.slice(0, i), l.slice(i + 1)];
  });
  regions = [null];
  for (const l of rg.split("\n").slice(0, 10)) regions.push(Object.freeze(l.split(",")));
}

// ---- "today": the caller's local date, recomputed when the day changes -------------------
let todayPacked = 0;
let todayValidUntil = 0;
/** The last computed local date (possibly from an earlier day: see `cachedToday`). */
function cachedToday() {
  return todayPacked !== 0 ? todayPacked : localToday();
}
function localToday() {
  const now = Date.now();
  if (now >= todayValidUntil) {
    const d = new Date(now);
    todayPacked = d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
    todayValidUntil = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  }
  return todayPacked;
}
let lastTodayStr = null, lastTodayPacked = 0;
function todayOf(options) {
  const t = options == null ? undefined : options.today;
  if (typeof t !== "string") return localToday();
  if (t !== lastTodayStr) {
    lastTodayStr = t;
    // An unparseable "today" falls back to the real date rather than disabling the rule.
    lastTodayPacked = glue.__el_parse_date(t) || localToday();
  }
  return lastTodayPacked;
}

const LOCALES = { es: 0, pt: 1, en: 2 };
function localeOf(options, dflt) {
  const l = options == null ? undefined : options.locale;
  if (typeof l === "string") {
    const v = LOCALES[l.slice(0, 2).toLowerCase()];
    if (v !== undefined) return v;
  }
  return dflt;
}
function strictOf(options) {
  return options != null && options.strict === true ? 1 : 0;
}

// ---- input copy ----------------------------------------------------------------------------
const ASCII = 0x40000000;
/**
 * Copies `s` into an input buffer and returns the `len` argument for the wasm call: ASCII goes
 * byte-wise into IN8 (flag bit 30), anything else as UTF-16 into IN. -1 when it does not fit.
 */
function put(s) {
  const n = s.length;
  if (n > inCap) return -1;
  if (IN8.byteLength === 0) views(); // detached: memory grew since the views were made
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    acc |= c;
    IN8[i] = c;
  }
  if (acc < 128) return n | ASCII;
  for (let i = 0; i < n; i++) IN[i] = s.charCodeAt(i);
  return n;
}

// ---- results ---------------------------------------------------------------------------------
const VALID = 1, SAME = 1 << 30, LONG = 0x80000000, FUTURE_DATE = 5;
const CODES = [null, "empty", "character", "length", "date", "future_date", "sex", "state",
  "inconvenient_word", "check_digit", "repeated", "type", "institution"];
const messageCache = new Map();

function message(kind, packed, locale) {
  const key = ((packed & 0x3fffffff) * 8 + kind * 4 + locale);
  let m = messageCache.get(key);
  if (m === undefined) {
    m = glue.__el_message(kind, packed & 0x3fffffff, locale);
    if (messageCache.size > 4096) messageCache.clear();
    messageCache.set(key, m);
  }
  return m;
}

function errorOf(kind, packed, locale) {
  const code = CODES[(packed >>> 1) & 15];
  const n = (packed >>> 9) & 0x1fffff;
  return {
    code,
    position: code === "length" || n === 0 ? null : n - 1,
    message: message(kind, packed, locale),
  };
}

/** Re-creates the typed-array views if a wasm call grew (and so detached) the memory. */
function sync() {
  if (META.byteLength === 0) views();
}

const fromCharCode = String.fromCharCode;
function valueOf(input, packed) {
  if (packed & SAME) return input;
  if (packed & LONG) return glue.__el_long_value();
  sync();
  const n = META[31];
  const o = OUT;
  if (n === 11) return fromCharCode(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10]);
  if (n === 18) {
    return fromCharCode(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], o[11], o[12],
      o[13], o[14], o[15], o[16], o[17]);
  }
  let s = "";
  for (let i = 0; i < n; i++) s += fromCharCode(o[i]);
  return s;
}

function curpValid(value) {
  tables();
  sync();
  const M = META;
  const st = states[M[4]];
  return {
    valid: true,
    value,
    // YYYY-MM-DD, written by Rust.
    birthDate: fromCharCode(M[8], M[9], M[10], M[11], M[12], M[13], M[14], M[15], M[16], M[17]),
    sex: fromCharCode(M[3]),
    state: st[0],
    stateName: st[1],
    bornAbroad: st[0] === "NE",
  };
}

const FORMATTED = 2;
function cpfValid(value, input, packed) {
  tables();
  sync();
  const M = META;
  const formatted = packed & FORMATTED ? input : fromCharCode(M[8], M[9], M[10], M[11], M[12], M[13], M[14],
    M[15], M[16], M[17], M[18], M[19], M[20], M[21]);
  const region = M[0];
  return { valid: true, value, formatted, region, regionStates: regions[region] };
}

function typeError(kind, locale) {
  return { valid: false, value: "", error: { code: "type", position: null, message: message(kind, 11 << 1, locale) } };
}

function notInitialised() {
  const e = new Error("employment-link: the wasm module is not initialised yet");
  e.code = "not_initialised";
  throw e;
}
function ensure() {
  if (wasm === null) notInitialised();
}

// ---- public API --------------------------------------------------------------------------------

/** Validates a Mexican CURP. Never throws. */
export function validateCurp(input, options) {
  ensure();
  const locale = localeOf(options, 0);
  if (typeof input !== "string") return typeError(0, locale);
  const flags = strictOf(options);
  const own = options == null || typeof options.today !== "string";
  // The cached date can only be behind the real one, and only a future_date result depends on
  // it being current: refresh and retry then.
  let today = own ? cachedToday() : todayOf(options);
  const n = put(input);
  let r = n >= 0 ? wCurp(n, flags, today) : glue.__el_str(0, input, flags, today);
  if (own && ((r >>> 1) & 15) === FUTURE_DATE && (r & VALID) === 0 && today !== localToday()) {
    today = localToday();
    r = n >= 0 ? wCurp(n, flags, today) : glue.__el_str(0, input, flags, today);
  }
  const value = valueOf(input, r);
  return r & VALID ? curpValid(value) : { valid: false, value, error: errorOf(0, r, locale) };
}

/** Validates a Brazilian CPF. Never throws. */
export function validateCpf(input, options) {
  ensure();
  const locale = localeOf(options, 1);
  if (typeof input !== "string") return typeError(1, locale);
  const flags = strictOf(options);
  const n = put(input);
  const r = n >= 0 ? wCpf(n, flags, 0) : glue.__el_str(1, input, flags, 0);
  const value = valueOf(input, r);
  return r & VALID ? cpfValid(value, input, r) : { valid: false, value, error: errorOf(1, r, locale) };
}

/** Fast boolean CURP check (lenient, today = the local date). */
export function isValidCurp(input) {
  if (wasm === null) notInitialised();
  if (typeof input !== "string") return false;
  const n = put(input);
  if (n < 0) return (glue.__el_str(0, input, 0, localToday()) & VALID) === 1;
  const cached = cachedToday();
  const r = wCurpIsValid(n, cached);
  if (r !== 2) return r === 1;
  // Valid except that the birth date is after the cached date (which can only be behind the
  // real one): decide with the current local date.
  const today = localToday();
  return today !== cached && wCurpIsValid(n, today) === 1;
}

/** Fast boolean CPF check (lenient). */
export function isValidCpf(input) {
  if (wasm === null) notInitialised();
  if (typeof input !== "string") return false;
  const n = put(input);
  return n >= 0 ? wCpfIsValid(n) !== 0 : (glue.__el_str(1, input, 0, 0) & VALID) === 1;
}

const encoder = new TextEncoder();
const ArrayProto = Array.prototype;

function many(kind, inputs) {
  ensure();
  const len = inputs.length;
  const out = new Array(len);
  const today = localToday();
  // `join`/`slice` are only used on plain arrays (no overridden methods, no species).
  const plain = Object.getPrototypeOf(inputs) === ArrayProto;
  let i = 0;
  while (i < len) {
    sync();
    let at = 0, count = 0;
    const start = i;
    // The common case: a run of strings copied in one go by `encodeInto` (UTF-8).
    while (plain && i < len && count < batchItems) {
      const s = inputs[i];
      if (typeof s !== "string") break;
      const n = s.length;
      if (at + n > batchCap) break;
      BATCH_LENS[count++] = n;
      at += n;
      i++;
    }
    if (count > 0) {
      const joined = count === len ? inputs.join("") : inputs.slice(start, i).join("");
      const r = encoder.encodeInto(joined, BATCH8);
      // All read: ASCII (one byte per unit), or UTF-8 that Rust splits by the UTF-16 lengths.
      if (r.read === at && wBatch(kind | (r.written === at ? 2 : 6), count, today) === 0) {
        sync();
        for (let k = 0; k < count; k++) out[start + k] = BATCH_OUT[k] === 1;
        continue;
      }
      // Did not fit as UTF-8, or could not be split: this run goes as UTF-16 units below.
      i = start;
      at = 0;
      count = 0;
    }
    while (i < len && count < batchItems) {
      const s = inputs[i];
      if (typeof s !== "string" || s.length > 4096) break;
      const n = s.length;
      if (at + n > batchCap) break;
      for (let k = 0; k < n; k++) BATCH[at + k] = s.charCodeAt(k);
      BATCH_LENS[count++] = n;
      at += n;
      i++;
    }
    if (count > 0) {
      wBatch(kind, count, today);
      sync();
      for (let k = 0; k < count; k++) out[start + k] = BATCH_OUT[k] === 1;
    } else {
      // A non-string or a very long item: the single-item path handles it.
      out[i] = kind === 0 ? isValidCurp(inputs[i]) : isValidCpf(inputs[i]);
      i++;
    }
  }
  return out;
}

/** Boolean CURP check of many inputs at once (one wasm call per 1024 items). */
export function isValidCurpMany(inputs) {
  return Array.isArray(inputs) ? many(0, inputs) : [];
}

/** Boolean CPF check of many inputs at once. */
export function isValidCpfMany(inputs) {
  return Array.isArray(inputs) ? many(1, inputs) : [];
}

function prefix(kind, input, options, dflt) {
  ensure();
  const locale = localeOf(options, dflt);
  if (typeof input !== "string") return { ok: false, error: typeError(kind, locale).error };
  const flags = strictOf(options), today = todayOf(options);
  const n = put(input);
  const r = n >= 0
    ? (kind === 0 ? glue.__el_curp_prefix(n, flags, today) : glue.__el_cpf_prefix(n, flags, today))
    : glue.__el_str(kind + 2, input, flags, today);
  return r & VALID ? { ok: true, complete: ((r >>> 9) & 1) === 1 } : { ok: false, error: errorOf(kind, r, locale) };
}

/** As-you-type CURP check: ok while the prefix can still become a valid CURP. */
export function checkCurpPrefix(input, options) {
  return prefix(0, input, options, 0);
}

/** As-you-type CPF check. */
export function checkCpfPrefix(input, options) {
  return prefix(1, input, options, 1);
}

/** Validates `input` as the username of a Belvo institution. Never throws. */
export function validateUsername(institution, input, options) {
  ensure();
  const inst = typeof institution === "string" ? institution : "";
  const isString = typeof input === "string";
  const s = isString ? input : "";
  const flags = strictOf(options), today = todayOf(options);
  const n = put(s);
  const r = n >= 0 ? glue.__el_username(inst, "", n, flags, today) : glue.__el_username(inst, s, 0, flags, today);
  sync();
  const kind = META[5]; // 0 CURP, 1 CPF, 2 sandbox (decided by the Rust institution table)
  const msgKind = kind === 1 ? 1 : 0;
  const locale = localeOf(options, msgKind);
  const code = (r >>> 1) & 15;
  if (code === 12) return { valid: false, value: s, error: errorOf(msgKind, r, locale) };
  if (!isString) return typeError(msgKind, locale);
  const value = valueOf(s, r);
  if (!(r & VALID)) return { valid: false, value, error: errorOf(msgKind, r, locale) };
  if (kind === 2) return { valid: true, value };
  return kind === 1 ? cpfValid(value, s, 0) : curpValid(value);
}
