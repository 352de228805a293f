// employment-link — the JS facade of the identifier validators.
//
// It only moves bytes: it copies the input's UTF-8 into a buffer in wasm linear memory (byte by
// byte when the input is ASCII, with `encodeInto` otherwise), calls one plain wasm export that
// returns a packed u32 (see src/bindings/id.rs for the layout), and builds the documented result
// object. Every rule lives in the Rust core. Nothing here throws for any input.
//
// The same facade serves the validator-only module (`employment-link/validate`, no wasm-bindgen)
// and the full module (`employment-link`), which exports the same `el_*` functions.

// The wasm instance's exports. Every entry module attaches them (top-level await) before it
// re-exports this facade, so no exported function can run before that.
let X = null;
let memBuffer = null;
let tablePtr = 0;
let IN, OUT, META, MSG, BATCH, BATCH_LENS, BATCH_OUT;
let cap = 0, batchCap = 0, batchItems = 0;
// The hot exports, held directly.
let xCurpIsValid, xCpfIsValid, xCurp, xCpf, xBatch;
let states = null; // [[code, name], ...] from the Rust tables
let regions = null; // region (1..10) -> frozen array of UFs

/** @internal Called once by the entry module with the instantiated module's exports. */
export function __attach(exports) {
  X = exports;
  xCurpIsValid = X.el_curp_is_valid;
  xCpfIsValid = X.el_cpf_is_valid;
  xCurp = X.el_curp;
  xCpf = X.el_cpf;
  xBatch = X.el_batch;
  relocate();
  tables();
}

/** Reads the buffer table again (after `el_grow` moved the per-input buffers). */
function relocate() {
  tablePtr = X.el_buffers();
  memBuffer = null;
  views();
}

/** (Re)creates the typed-array views: at start, after a move, or after memory grew. */
function views() {
  const buf = X.memory.buffer;
  if (buf === memBuffer) return;
  memBuffer = buf;
  // [inp, out, capacity, meta, msg, msg capacity, batch, batch capacity, batch_lens,
  //  batch_out, batch items] (src/bindings/id.rs, el_buffers)
  const t = new Uint32Array(buf, tablePtr, 12);
  cap = t[2];
  batchCap = t[7];
  batchItems = t[10];
  IN = new Uint8Array(buf, t[0], cap);
  OUT = new Uint8Array(buf, t[1], cap);
  META = new Uint32Array(buf, t[3], 32);
  MSG = new Uint8Array(buf, t[4], t[5]);
  BATCH = new Uint8Array(buf, t[6], batchCap);
  BATCH_LENS = new Uint16Array(buf, t[8], batchItems);
  BATCH_OUT = new Uint8Array(buf, t[9], batchItems);
}

/** Re-creates the views if memory grew (which detaches them) since they were made. */
function sync() {
  if (META.byteLength === 0) views();
}

const decoder = new TextDecoder();
/** The first `n` bytes of the message buffer as text. */
function msgText(n) {
  sync();
  return decoder.decode(MSG.subarray(0, n));
}

function tables() {
  if (states !== null) return;
  const [st, rg] = msgText(X.el_tables()).split("|");
  states = st.split("\n").filter(Boolean).map((l) => {
    const i = l.indexOf("=");
    return [l.slice(0, i), l.slice(i + 1)];
  });
  regions = [null];
  for (const l of rg.split("\n").slice(0, 10)) regions.push(Object.freeze(l.slice(1).split(",")));
}

// ---- "today": the caller's local date, recomputed when the day changes -------------------
let todayPacked = 0;
let todayValidUntil = 0;
/** The last computed local date (possibly from an earlier day: see `localToday`). */
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
    // YYYY-MM-DD (ASCII digits); whether that date exists is Rust's call. An unparseable or
    // unreal "today" falls back to the real date rather than disabling the rule.
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(t);
    lastTodayPacked = m === null ? 0 : X.el_check_date(m[1] * 10000 + m[2] * 100 + +m[3]);
    lastTodayStr = t;
  }
  return lastTodayPacked || localToday();
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
const encoder = new TextEncoder();
/**
 * Copies the UTF-8 of `s` into the input buffer and returns its length in bytes (the `len`
 * argument of the wasm calls); -1 when memory cannot hold it.
 */
function put(s) {
  const n = s.length;
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (n * 3 > cap) {
    if (X.el_grow(n * 3) === 0) return -1;
    relocate();
  } else if (IN.byteLength === 0) views();
  const b = IN;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    acc |= c;
    b[i] = c;
  }
  return acc < 128 ? n : encoder.encodeInto(s, b).written;
}

// ---- results ---------------------------------------------------------------------------------
const VALID = 1, SAME = 1 << 30, FUTURE_DATE = 5, LENGTH = 3, INSTITUTION = 12;
const CODES = [null, "empty", "character", "length", "date", "future_date", "sex", "state",
  "inconvenient_word", "check_digit", "repeated", "type", "institution"];
/** The packed `length` error for an input too long for memory (never seen in practice). */
const tooLong = (s) => (LENGTH << 1) | (Math.min(s.length + 1, 0x1fffff) << 9);
const messageCache = new Map();

function message(kind, packed, locale) {
  const p = packed & 0x3fffffff;
  // Small integer keys (code, expected, position < 2^16): V8 hashes them fastest.
  if (p >= 0x2000000) return msgText(X.el_message(kind, p, locale));
  const key = p * 8 + kind * 4 + locale;
  let m = messageCache.get(key);
  if (m === undefined) {
    m = msgText(X.el_message(kind, p, locale));
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

const fromCharCode = String.fromCharCode;
function valueOf(input, packed) {
  if (packed & SAME) return input;
  sync();
  const n = META[31];
  const o = OUT;
  let acc = 0;
  for (let i = 0; i < n; i++) acc |= o[i];
  if (n > 64) return decoder.decode(o.subarray(0, n));
  if (acc >= 128) return shortUtf8(o, n) ?? decoder.decode(o.subarray(0, n));
  if (n === 18) {
    return fromCharCode(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], o[11], o[12],
      o[13], o[14], o[15], o[16], o[17]);
  }
  if (n === 11) return fromCharCode(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10]);
  // Four bytes a call: `apply` over a typed array is several times slower.
  let s = "", i = 0;
  for (; i + 4 <= n; i += 4) s += fromCharCode(o[i], o[i + 1], o[i + 2], o[i + 3]);
  for (; i < n; i++) s += fromCharCode(o[i]);
  return s;
}

/** A short UTF-8 value (valid UTF-8: Rust wrote it) as a string, for characters up to U+FFFF;
 * `null` for a 4-byte sequence. For a typed value with an accent this is about twice as fast as
 * `TextDecoder`, whose per-call cost dominates at this length. */
function shortUtf8(o, n) {
  let s = "";
  for (let i = 0; i < n;) {
    const c = o[i];
    if (c < 0x80) {
      s += fromCharCode(c);
      i += 1;
    } else if (c < 0xe0) {
      s += fromCharCode(((c & 0x1f) << 6) | (o[i + 1] & 0x3f));
      i += 2;
    } else if (c < 0xf0) {
      s += fromCharCode(((c & 0x0f) << 12) | ((o[i + 1] & 0x3f) << 6) | (o[i + 2] & 0x3f));
      i += 3;
    } else return null;
  }
  return s;
}

function curpValid(value) {
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

// ---- public API --------------------------------------------------------------------------------

/** Validates a Mexican CURP. Never throws. */
export function validateCurp(input, options) {
  const locale = localeOf(options, 0);
  if (typeof input !== "string") return typeError(0, locale);
  const flags = strictOf(options);
  const own = options == null || typeof options.today !== "string";
  // The cached date can only be behind the real one, and only a future_date result depends on
  // it being current: refresh and retry then.
  let today = own ? cachedToday() : todayOf(options);
  const n = put(input);
  if (n < 0) return { valid: false, value: input, error: errorOf(0, tooLong(input), locale) };
  let r = xCurp(n, flags, today);
  if (own && ((r >>> 1) & 15) === FUTURE_DATE && (r & VALID) === 0 && today !== localToday()) {
    today = localToday();
    r = xCurp(n, flags, today);
  }
  const value = valueOf(input, r);
  return r & VALID ? curpValid(value) : { valid: false, value, error: errorOf(0, r, locale) };
}

/** Validates a Brazilian CPF. Never throws. */
export function validateCpf(input, options) {
  const locale = localeOf(options, 1);
  if (typeof input !== "string") return typeError(1, locale);
  const n = put(input);
  if (n < 0) return { valid: false, value: input, error: errorOf(1, tooLong(input), locale) };
  const r = xCpf(n, strictOf(options), 0);
  const value = valueOf(input, r);
  return r & VALID ? cpfValid(value, input, r) : { valid: false, value, error: errorOf(1, r, locale) };
}

/** Fast boolean CURP check (lenient, today = the local date). */
// Normalising only removes characters (separators, whitespace) or maps one to one (case), so an
// input with fewer UTF-16 units than a CURP (18) or a CPF (11) has digits cannot be valid: the
// boolean checks answer without copying it into wasm memory.
export function isValidCurp(input) {
  if (typeof input !== "string" || input.length < 18) return false;
  const n = put(input);
  if (n < 0) return false;
  const cached = cachedToday();
  const r = xCurpIsValid(n, cached);
  if (r !== 2) return r === 1;
  // Valid except that the birth date is after the cached date (which can only be behind the
  // real one): decide with the current local date.
  const today = localToday();
  return today !== cached && xCurpIsValid(n, today) === 1;
}

/** Fast boolean CPF check (lenient). */
export function isValidCpf(input) {
  if (typeof input !== "string" || input.length < 11) return false;
  const n = put(input);
  return n >= 0 && xCpfIsValid(n) !== 0;
}

const ArrayProto = Array.prototype;

function many(kind, inputs) {
  const len = inputs.length;
  const out = new Array(len);
  const today = localToday();
  const one = kind === 0 ? isValidCurp : isValidCpf;
  // `join`/`slice` are only used on plain arrays (no overridden methods, no species).
  const plain = Object.getPrototypeOf(inputs) === ArrayProto;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a run of this many units always fits.
  const maxUnits = Math.floor(batchCap / 3);
  let i = 0;
  while (i < len) {
    sync();
    let at = 0, count = 0;
    const start = i;
    // A run of strings copied in one go by `encodeInto`.
    while (plain && i < len && count < batchItems) {
      const s = inputs[i];
      if (typeof s !== "string") break;
      const n = s.length;
      if (at + n > maxUnits) break;
      BATCH_LENS[count++] = n;
      at += n;
      i++;
    }
    if (count > 0) {
      const w = encoder.encodeInto(count === len ? inputs.join("") : inputs.slice(start, i).join(""), BATCH);
      // One byte per UTF-16 unit: all ASCII, so the lengths are byte counts (bit 1).
      if (xBatch(kind | (w.written === w.read ? 2 : 0), count, today) === 0) {
        sync();
        for (let k = 0; k < count; k++) out[start + k] = BATCH_OUT[k] === 1;
        continue;
      }
      // Could not be split back into items (a surrogate pair formed across two): one by one.
      for (let k = start; k < i; k++) out[k] = one(inputs[k]);
    } else {
      // A non-string, a very long item or an array-like: the single-item path handles it.
      out[i] = one(inputs[i]);
      i++;
    }
  }
  return out;
}

/** Boolean CURP check of many inputs at once (one wasm call per run of up to 1024 items). */
export function isValidCurpMany(inputs) {
  return Array.isArray(inputs) ? many(0, inputs) : [];
}

/** Boolean CPF check of many inputs at once. */
export function isValidCpfMany(inputs) {
  return Array.isArray(inputs) ? many(1, inputs) : [];
}

function prefix(kind, input, options, dflt) {
  const locale = localeOf(options, dflt);
  if (typeof input !== "string") return { ok: false, error: typeError(kind, locale).error };
  const flags = strictOf(options), today = todayOf(options);
  const n = put(input);
  const r = n < 0 ? tooLong(input) : kind === 0 ? X.el_curp_prefix(n, flags, today) : X.el_cpf_prefix(n, flags, today);
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
  const isString = typeof input === "string";
  const s = isString ? input : "";
  const flags = strictOf(options), today = todayOf(options);
  const n = put(s);
  // The institution's name goes into the batch buffer (names are short: longer is unknown).
  sync();
  let instLen = 0;
  if (typeof institution === "string" && institution.length <= 64) {
    // Institution names are ASCII: anything else stays unknown (length 0).
    let acc = 0;
    for (let i = 0; i < institution.length; i++) acc |= BATCH[i] = institution.charCodeAt(i) & 0xffff;
    instLen = acc < 128 ? institution.length : 0;
  }
  const r = n < 0 ? tooLong(s) : X.el_username(instLen, n, flags, today);
  sync();
  const kind = n < 0 ? 0 : META[5]; // 0 CURP, 1 CPF, 2 sandbox (decided by the Rust institution table)
  const msgKind = kind === 1 ? 1 : 0;
  const locale = localeOf(options, msgKind);
  if (((r >>> 1) & 15) === INSTITUTION) return { valid: false, value: s, error: errorOf(msgKind, r, locale) };
  if (!isString) return typeError(msgKind, locale);
  const value = n < 0 ? s : valueOf(s, r);
  if (!(r & VALID)) return { valid: false, value, error: errorOf(msgKind, r, locale) };
  if (kind === 2) return { valid: true, value };
  return kind === 1 ? cpfValid(value, s, 0) : curpValid(value);
}
