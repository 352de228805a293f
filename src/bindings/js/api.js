// employment-link — the JS facade over the wasm module.
//
// It only moves bytes: it copies the input's UTF-16 code units into a buffer in wasm memory,
// calls one exported function that returns a packed u32 (see src/bindings/id.rs), and builds the
// documented result object. Every rule lives in the Rust core. Nothing here throws for any input.
import * as glue from "./web/employment_link.js";

export * from "./client.js";

let wasm = null;
let memBuffer = null;
let IN, IN8, OUT, META, BATCH, BATCH_LENS, BATCH_OUT;
let inCap = 0, outCap = 0, batchCap = 0, batchItems = 0;
let ptrs = null;
let states = null; // [[code, name], ...] from the Rust tables
let regions = null; // region (1..10) -> frozen array of UFs

/** @internal Called once by the entry module (browser, node or workerd) after instantiation. */
export function __attach(exports) {
  wasm = exports;
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
const ASCII = 0x80000000;
/**
 * Copies `s` into an input buffer and returns the `len` argument for the wasm call: ASCII goes
 * byte-wise into IN8 (flag bit 31), anything else as UTF-16 into IN. -1 when it does not fit.
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
  if (acc < 128) return (n | ASCII) >>> 0;
  for (let i = 0; i < n; i++) IN[i] = s.charCodeAt(i);
  return n;
}

// ---- results ---------------------------------------------------------------------------------
const VALID = 1, SAME = 1 << 30, LONG = 0x80000000;
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

function valueOf(input, packed) {
  if (packed & SAME) return input;
  if (packed & LONG) return glue.__el_long_value();
  sync();
  const n = META[31];
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(OUT[i]);
  return s;
}

function curpValid(value) {
  tables();
  sync();
  const y = META[0], m = META[1], d = META[2];
  const st = states[META[4]];
  return {
    valid: true,
    value,
    birthDate: y + (m < 10 ? "-0" : "-") + m + (d < 10 ? "-0" : "-") + d,
    sex: String.fromCharCode(META[3]),
    state: st[0],
    stateName: st[1],
    bornAbroad: st[0] === "NE",
  };
}

function cpfValid(value) {
  tables();
  sync();
  let formatted = "";
  for (let i = 8; i < 22; i++) formatted += String.fromCharCode(META[i]);
  const region = META[0];
  return { valid: true, value, formatted, region, regionStates: regions[region] };
}

function typeError(kind, locale) {
  return { valid: false, value: "", error: { code: "type", position: null, message: message(kind, 11 << 1, locale) } };
}

function ensure() {
  if (wasm === null) {
    const e = new Error("employment-link: the wasm module is not initialised yet");
    e.code = "not_initialised";
    throw e;
  }
  if (IN8 === undefined || IN8.byteLength === 0) views();
}

// ---- public API --------------------------------------------------------------------------------

/** Validates a Mexican CURP. Never throws. */
export function validateCurp(input, options) {
  ensure();
  const locale = localeOf(options, 0);
  if (typeof input !== "string") return typeError(0, locale);
  const flags = strictOf(options), today = todayOf(options);
  const n = put(input);
  const r = n >= 0 ? glue.__el_curp(n, flags, today) : glue.__el_str(0, input, flags, today);
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
  const r = n >= 0 ? glue.__el_cpf(n, flags, 0) : glue.__el_str(1, input, flags, 0);
  const value = valueOf(input, r);
  return r & VALID ? cpfValid(value) : { valid: false, value, error: errorOf(1, r, locale) };
}

/** Fast boolean CURP check (lenient, today = the local date). */
export function isValidCurp(input) {
  ensure();
  if (typeof input !== "string") return false;
  const n = put(input);
  return n >= 0 ? glue.__el_curp_is_valid(n, localToday()) : (glue.__el_str(0, input, 0, localToday()) & VALID) === 1;
}

/** Fast boolean CPF check (lenient). */
export function isValidCpf(input) {
  ensure();
  if (typeof input !== "string") return false;
  const n = put(input);
  return n >= 0 ? glue.__el_cpf_is_valid(n) : (glue.__el_str(1, input, 0, 0) & VALID) === 1;
}

function many(kind, inputs) {
  ensure();
  const out = new Array(inputs.length);
  const today = localToday();
  let i = 0;
  while (i < inputs.length) {
    sync();
    let at = 0, count = 0;
    const start = i;
    while (i < inputs.length && count < batchItems) {
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
      glue.__el_batch(kind, count, today);
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
  return kind === 1 ? cpfValid(value) : curpValid(value);
}
