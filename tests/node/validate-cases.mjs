// The validator suite, run against each package entry that exports the validators:
// "employment-link" (main.test.mjs) and "employment-link/validate" (validate.test.mjs).
import nodeTest from "node:test";
import assert from "node:assert/strict";

/** Registers every validator test against `mod` (a module namespace); `label` prefixes the names. */
export function validatorSuite(mod, label) {
  const {
    validateCurp, validateCpf, isValidCurp, isValidCpf, isValidCurpMany, isValidCpfMany,
    checkCurpPrefix, checkCpfPrefix, validateUsername,
  } = mod;
  const test = (name, fn) => nodeTest(`${label}: ${name}`, fn);

  const CURP = "PEXA850412HJCRRN09"; // id-rules §1.4 worked example
  const CPF = "153.872.046-90"; // id-rules §2.2 worked example

  test("a valid CURP yields its components", () => {
    assert.deepEqual(validateCurp(CURP), {
      valid: true, value: CURP, birthDate: "1985-04-12", sex: "H", state: "JC",
      stateName: "Jalisco", bornAbroad: false,
    });
  });

  test("lenient CURP input is normalised; strict refuses it", () => {
    const r = validateCurp("  pexa-850412_hjc rrn09 ");
    assert.equal(r.valid, true);
    assert.equal(r.value, CURP);
    const s = validateCurp("pexa850412hjcrrn09", { strict: true });
    assert.equal(s.valid, false);
    assert.equal(s.error.code, "character");
    assert.equal(s.error.position, 0);
  });

  test("CURP errors carry code, 0-based position and a message naming the 1-based character", () => {
    const sex = validateCurp("PEXA850412FJCRRN09", { locale: "en" });
    assert.equal(sex.valid, false);
    assert.equal(sex.error.position, 10);
    assert.match(sex.error.message, /11/);
    assert.match(sex.error.message, /H, M or X/);
    const len = validateCurp("PEXA850412HJCRRN0");
    assert.equal(len.error.code, "length");
    assert.equal(len.error.position, null);
    const check = validateCurp("PEXA850412HJCRRN08");
    assert.equal(check.error.code, "check_digit");
    assert.equal(check.error.position, 17);
    const enye = validateCurp("PEÑA850412HJCRRN09", { locale: "es" });
    assert.equal(enye.error.code, "character");
    assert.equal(enye.error.position, 2);
    assert.match(enye.error.message, /X/);
  });

  test("non-ASCII values come back intact (1- to 4-byte UTF-8, short and long)", () => {
    const cases = [
      ["pe-ña 8504", "PEÑA8504", "peña8504"],
      ["ñode561231hdfrrn09", "ÑODE561231HDFRRN09", "ñode561231hdfrrn09"],
      ["ＡＢＣＤ850412", "ＡＢＣＤ850412", "ＡＢＣＤ850412"],
      ["ḀḁḂ", "ḀḁḂ", "ḀḁḂ"],
      // Separators removed, so the value is Rust's output, not the input handed back.
      ["ж ω-߿ a", "жω߿A", "жω߿a"],
      ["Ａ-ｱ b", "ＡｱB", "Ａｱb"],
      ["😀abc", "😀ABC", "😀abc"],
      ["abc😀", "ABC😀", "abc😀"],
      ["123.456.789-0ä", "123.456.7890ä", "1234567890ä"],
      ["é".repeat(40), "é".repeat(40), "é".repeat(40)],
    ];
    for (const [input, curpValue, cpfValue] of cases) {
      assert.equal(validateCurp(input).value, curpValue, input);
      assert.equal(validateCpf(input).value, cpfValue, input);
    }
  });

  test("messages are localised and never contain the identifier", () => {
    const bad = "PEXA850412HJCRRN08";
    const msgs = ["es", "pt", "en"].map((locale) => validateCurp(bad, { locale }).error.message);
    assert.equal(new Set(msgs).size, 3);
    for (const m of msgs) assert.ok(!m.includes(bad) && !m.includes("PEXA"), m);
    // CPF defaults to Portuguese, CURP to Spanish.
    assert.equal(validateCpf("153.872.046-91").error.message, validateCpf("153.872.046-91", { locale: "pt" }).error.message);
    assert.equal(validateCurp(bad).error.message, msgs[0]);
  });

  test("future birth dates use the injected today", () => {
    // 17th char a letter → 20YY. Born 2025-04-12 is in the future on 2020-01-01, fine on 2026-01-01.
    const body = "PEXA250412HJCRRNA";
    let curp = null;
    for (const d of "0123456789") {
      if (validateCurp(body + d, { today: "2026-01-01" }).valid) curp = body + d;
    }
    assert.ok(curp, "one check digit validates");
    const r = validateCurp(curp, { today: "2020-01-01" });
    assert.equal(r.valid, false);
    assert.equal(r.error.code, "future_date");
    assert.equal(validateCurp(curp, { today: "2026-01-01" }).birthDate, "2025-04-12");
    // A "today" that is not a real YYYY-MM-DD falls back to the real date (after 2025-04-12).
    for (const today of ["2020-02-30", "2020-1-01", "2020-01-01 ", "２０２０-01-01", "2020/01/01"]) {
      assert.equal(validateCurp(curp, { today }).valid, true, today);
    }
    assert.equal(validateCurp(curp, { today: "2024-02-29" }).error.code, "future_date");
  });

  test("a valid CPF yields formatted value and fiscal region", () => {
    assert.deepEqual(validateCpf(CPF), {
      valid: true, value: "15387204690", formatted: CPF, region: 6, regionStates: ["MG"],
    });
    const r = validateCpf("280.012.389-38");
    assert.equal(r.region, 9);
    assert.deepEqual([...r.regionStates], ["PR", "SC"]);
    assert.equal(validateCpf("012.345.678-90").valid, true, "leading zero kept");
    assert.equal(validateCpf("012.345.678-90").value, "01234567890");
  });

  test("every state and every fiscal region has its name/UFs (the tables the facade reads)", () => {
    // RENAPO's state codes (id-rules §1.3) and the Receita's fiscal regions (id-rules §2.3).
    const STATES = {
      AS: "Aguascalientes", BC: "Baja California", BS: "Baja California Sur", CC: "Campeche",
      CL: "Coahuila", CM: "Colima", CS: "Chiapas", CH: "Chihuahua", DF: "Ciudad de México",
      DG: "Durango", GT: "Guanajuato", GR: "Guerrero", HG: "Hidalgo", JC: "Jalisco",
      MC: "Estado de México", MN: "Michoacán", MS: "Morelos", NT: "Nayarit", NL: "Nuevo León",
      OC: "Oaxaca", PL: "Puebla", QT: "Querétaro", QR: "Quintana Roo", SP: "San Luis Potosí",
      SL: "Sinaloa", SR: "Sonora", TC: "Tabasco", TS: "Tamaulipas", TL: "Tlaxcala",
      VZ: "Veracruz", YN: "Yucatán", ZS: "Zacatecas", NE: "Nacido en el extranjero",
    };
    const ALPHA = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
    for (const [code, name] of Object.entries(STATES)) {
      const body = `PEXA850412H${code}RRN0`;
      let s = 0;
      for (let i = 0; i < 17; i++) s += ALPHA.indexOf(body[i]) * (18 - i);
      const r = validateCurp(body + ((10 - (s % 10)) % 10));
      assert.equal(r.valid, true, code);
      assert.deepEqual([r.state, r.stateName, r.bornAbroad], [code, name, code === "NE"]);
    }
    const REGIONS = [["RS"], ["DF", "GO", "MS", "MT", "TO"], ["AC", "AM", "AP", "PA", "RO", "RR"],
      ["CE", "MA", "PI"], ["AL", "PB", "PE", "RN"], ["BA", "SE"], ["MG"], ["ES", "RJ"], ["SP"],
      ["PR", "SC"]]; // index = the 9th digit (0 is region 10)
    for (let d = 0; d < 10; d++) {
      const body = [1, 2, 3, 4, 5, 6, 7, 8, d];
      const dv = (w0) => { const r = body.reduce((a, x, i) => a + x * (w0 - i), 0) % 11; return r < 2 ? 0 : 11 - r; };
      const d10 = dv(10);
      const d11 = (() => { const r = (body.reduce((a, x, i) => a + x * (11 - i), 0) + d10 * 2) % 11; return r < 2 ? 0 : 11 - r; })();
      const r = validateCpf(body.join("") + d10 + d11);
      assert.equal(r.valid, true, String(d));
      assert.equal(r.region, d === 0 ? 10 : d);
      assert.deepEqual([...r.regionStates], REGIONS[d]);
    }
  });

  test("CPF errors", () => {
    assert.equal(validateCpf("111.111.111-11").error.code, "repeated");
    assert.equal(validateCpf("111.111.111-11").error.position, null);
    const dv = validateCpf("153.872.046-91");
    assert.equal(dv.error.code, "check_digit");
    assert.equal(dv.error.position, 10);
    const slash = validateCpf("153.872.046/90");
    assert.equal(slash.error.code, "character");
    assert.equal(slash.value[slash.error.position], "/");
    assert.equal(validateCpf("").error.code, "empty");
    assert.equal(validateCpf("1538720469").error.code, "length");
    assert.equal(validateCpf("123.456.789-09").valid, true, "no official rule excludes it");
  });

  test("nothing throws for any input; junk is invalid", () => {
    const junk = [null, undefined, 0, 42, NaN, {}, [], () => 1, Symbol("s"), 10n, true, "", " ",
      "😴😴😴", "١٢٣٤٥٦٧٨٩٠١", "１２３４５６７８９０１", "\u0000".repeat(18), "x".repeat(1 << 20),
      " ".repeat(300) + "153.872.046-9", "\ud800".repeat(11)];
    for (const j of junk) {
      assert.equal(isValidCurp(j), false);
      assert.equal(isValidCpf(j), false);
      assert.equal(validateCurp(j).valid, false);
      assert.equal(validateCpf(j).valid, false);
      assert.equal(checkCurpPrefix(j).ok, typeof j === "string" && j.trim() === "");
      assert.equal(validateUsername("imss_mx_employment", j).valid, false);
    }
    assert.equal(validateCurp(null).error.code, "type");
    assert.equal(validateCpf(12345678909).error.code, "type");
  });

  test("inputs longer than the shared buffer take the fallback path", () => {
    const padded = " ".repeat(500) + CPF + " ".repeat(500);
    assert.equal(isValidCpf(padded), true);
    assert.equal(validateCpf(padded).value, "15387204690");
    const long = validateCurp("A".repeat(100000));
    assert.equal(long.valid, false);
    assert.equal(long.value.length, 100000);
  });

  test("batch forms agree with the single forms", () => {
    const cpfs = [CPF, "153.872.046-91", null, "111.111.111-11", "28001238938", "", 7, " ".repeat(5000)];
    assert.deepEqual(isValidCpfMany(cpfs), cpfs.map(isValidCpf));
    const curps = [CURP, "PEXA850412HJCRRN08", undefined, "BLPM951331IONVGR54", CURP.toLowerCase()];
    assert.deepEqual(isValidCurpMany(curps), curps.map(isValidCurp));
    const big = Array.from({ length: 3000 }, (_, i) => (i % 3 ? CPF : "000.000.000-00"));
    assert.deepEqual(isValidCpfMany(big), big.map(isValidCpf));
    // All-ASCII runs (lengths are byte counts) and runs with multi-byte characters (lengths in
    // UTF-16 units) must split the same way: valid items right after non-ASCII ones.
    const mixed = [CURP, "PEÑA850412HJCRRN09", CURP, "😀", CURP, "ñ", " " + CURP + " ", "é".repeat(17), CURP];
    assert.deepEqual(isValidCurpMany(mixed), mixed.map(isValidCurp));
    assert.deepEqual(isValidCurpMany(mixed).filter(Boolean).length, 5);
    const cpfMixed = ["153.872.046-90", "１５３.872.046-90", "153.872.046-90", "€", "15387204690"];
    assert.deepEqual(isValidCpfMany(cpfMixed), [true, false, true, false, true]);
  });

  test("as-you-type checks", () => {
    for (let i = 0; i <= CURP.length; i++) {
      const r = checkCurpPrefix(CURP.slice(0, i));
      assert.equal(r.ok, true, CURP.slice(0, i));
      assert.equal(r.complete, i === CURP.length);
    }
    const month = checkCurpPrefix("PEXA8513");
    assert.equal(month.ok, false);
    assert.equal(month.error.code, "date");
    const cls = checkCurpPrefix("PEXA8");
    assert.equal(cls.ok, true);
    const digitAt2 = checkCurpPrefix("P1");
    assert.equal(digitAt2.ok, false);
    assert.equal(digitAt2.error.position, 1);
    assert.deepEqual(checkCpfPrefix("153.872"), { ok: true, complete: false });
    assert.equal(checkCpfPrefix("153a").error.position, 3);
    assert.deepEqual(checkCpfPrefix(CPF), { ok: true, complete: true });
  });

  test("validateUsername applies each institution's rule", () => {
    const sandbox = "BLPM951331IONVGR54"; // Belvo's documented sandbox CURP: month 13, not a CURP
    assert.deepEqual(validateUsername("planet_mx_employment", sandbox), { valid: true, value: sandbox });
    // Not a CURP: position 2 (L) is not a vowel, and the month is 13.
    assert.equal(validateUsername("imss_mx_employment", sandbox).error.position, 1);
    assert.equal(validateUsername("issste_mx_employment", CURP).valid, true);
    assert.equal(validateUsername("issste_mx_employment", CURP).state, "JC");
    assert.equal(validateUsername("inss_br_employment", CPF).formatted, CPF);
    assert.equal(validateUsername("inss_br_employment", CURP).valid, false);
    const unknown = validateUsername("bank_mx_retail", CURP);
    assert.equal(unknown.valid, false);
    assert.equal(unknown.error.code, "institution");
    assert.equal(validateUsername(undefined, CURP).error.code, "institution");
    assert.equal(validateUsername("planet_mx_employment", "BLPM951331IONVGR5").error.code, "length");
  });
}
