// Shared wasm-bindgen-test cases for the validator exports (included by web_id.rs and
// wasm_node_id.rs, so the same assertions run in headless Chromium and in Node). They call the
// exported functions with JS values and inspect the plain objects they return.
use employment_link::validate::{
    check_cpf_prefix, check_curp_prefix, institutions, is_valid_cpf, is_valid_cpf_many,
    is_valid_curp, is_valid_curp_many, validate_cpf, validate_curp, validate_username,
};
use js_sys::{Array, Function, Object, Proxy, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const CURP: &str = "PEXA850412HJCRRN09";
const CPF: &str = "153.872.046-90";

fn js(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &js(key)).expect("a plain object's field reads")
}

fn text(o: &JsValue, key: &str) -> String {
    get(o, key).as_string().unwrap_or_else(|| panic!("{key} is a string"))
}

fn flag(o: &JsValue, key: &str) -> bool {
    get(o, key).as_bool().unwrap_or_else(|| panic!("{key} is a boolean"))
}

fn keys(o: &JsValue) -> Vec<String> {
    Object::keys(o.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
}

/// A plain object, as `Object.prototype` makes them (not a Map, not a class instance).
fn assert_plain(o: &JsValue) {
    assert!(o.is_object(), "{o:?}");
    assert_eq!(
        Object::get_prototype_of(o),
        Object::get_prototype_of(&Object::new()),
        "{o:?}"
    );
}

/// `{ key: value, … }`.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &js(k), v).expect("settable");
    }
    o.into()
}

fn options(fields: &[(&str, JsValue)]) -> Option<JsValue> {
    Some(object(fields))
}

fn thrower(what: &str) -> Function {
    Function::new_no_args(&format!("throw new Error('{what}')"))
}

/// The `error` of an invalid result: its code and position.
fn error_of(r: &JsValue) -> (String, Option<f64>) {
    assert!(!flag(r, "valid"), "{r:?}");
    let e = get(r, "error");
    assert_plain(&e);
    assert_eq!(keys(&e), ["code", "position", "message"]);
    assert!(!text(&e, "message").is_empty());
    let pos = get(&e, "position");
    assert!(pos.is_null() || pos.as_f64().is_some(), "{pos:?}");
    (text(&e, "code"), pos.as_f64())
}

#[wasm_bindgen_test]
fn valid_curp_is_a_plain_object_with_its_components() {
    let r = validate_curp(js(" pexa-850412-hjcrrn09 "), None);
    assert_plain(&r);
    assert_eq!(
        keys(&r),
        ["valid", "value", "birthDate", "sex", "state", "stateName", "bornAbroad"]
    );
    assert!(flag(&r, "valid"));
    assert_eq!(text(&r, "value"), CURP);
    assert_eq!(text(&r, "birthDate"), "1985-04-12");
    assert_eq!(text(&r, "sex"), "H");
    assert_eq!(text(&r, "state"), "JC");
    assert_eq!(text(&r, "stateName"), "Jalisco");
    assert!(!flag(&r, "bornAbroad"));
    assert!(is_valid_curp(js(CURP)));
    assert!(is_valid_curp(js(&CURP.to_lowercase())));
}

#[wasm_bindgen_test]
fn invalid_curp_has_code_position_and_a_message_without_the_identifier() {
    let r = validate_curp(
        js("PEXA850412FJCRRN09"),
        options(&[("locale", js("en"))]),
    );
    assert_plain(&r);
    assert_eq!(keys(&r), ["valid", "value", "error"]);
    assert_eq!(text(&r, "value"), "PEXA850412FJCRRN09");
    assert_eq!(error_of(&r), ("sex".into(), Some(10.0)));
    let msg = text(&get(&r, "error"), "message");
    assert!(msg.contains("11") && msg.contains("H, M or X"), "{msg}");
    assert!(!msg.contains("PEXA"), "{msg}");

    let len = validate_curp(js("PEXA850412HJCRRN0"), None);
    assert_eq!(error_of(&len), ("length".into(), None), "length: position null");
    let check = validate_curp(js("PEXA850412HJCRRN08"), None);
    assert_eq!(error_of(&check), ("check_digit".into(), Some(17.0)));
    assert!(!is_valid_curp(js("PEXA850412HJCRRN08")));
    // Strict mode neither upper-cases nor removes.
    let strict = validate_curp(
        js("pexa850412hjcrrn09"),
        options(&[("strict", JsValue::TRUE)]),
    );
    assert_eq!(error_of(&strict), ("character".into(), Some(0.0)));
    assert_eq!(text(&strict, "value"), "pexa850412hjcrrn09");
}

#[wasm_bindgen_test]
fn values_keep_non_ascii_characters() {
    for (input, curp, cpf) in [
        ("pe-ña 8504", "PEÑA8504", "peña8504"),
        ("😀abc", "😀ABC", "😀abc"),
        ("ж ω-߿ a", "жω߿A", "жω߿a"),
    ] {
        assert_eq!(text(&validate_curp(js(input), None), "value"), curp);
        assert_eq!(text(&validate_cpf(js(input), None), "value"), cpf);
    }
    let enye = validate_curp(js("PEÑA850412HJCRRN09"), options(&[("locale", js("es"))]));
    assert_eq!(error_of(&enye), ("character".into(), Some(2.0)));
}

#[wasm_bindgen_test]
fn cpf_results() {
    let r = validate_cpf(js(CPF), None);
    assert_plain(&r);
    assert_eq!(
        keys(&r),
        ["valid", "value", "formatted", "region", "regionStates"]
    );
    assert_eq!(text(&r, "value"), "15387204690");
    assert_eq!(text(&r, "formatted"), CPF);
    assert_eq!(get(&r, "region").as_f64(), Some(6.0), "a number");
    let states = get(&r, "regionStates");
    assert!(Array::is_array(&states));
    assert_eq!(
        Array::from(&states).iter().filter_map(|s| s.as_string()).collect::<Vec<_>>(),
        ["MG"]
    );
    assert!(is_valid_cpf(js(CPF)));
    let repeated = validate_cpf(js("111.111.111-11"), None);
    assert_eq!(error_of(&repeated), ("repeated".into(), None));
    let dv = validate_cpf(js("153.872.046-91"), None);
    assert_eq!(error_of(&dv), ("check_digit".into(), Some(10.0)));
    // CPF messages default to Portuguese, CURP ones to Spanish.
    let pt = validate_cpf(js("153.872.046-91"), options(&[("locale", js("pt"))]));
    assert_eq!(
        text(&get(&dv, "error"), "message"),
        text(&get(&pt, "error"), "message")
    );
    let strict = validate_cpf(js("153 872 046 90"), options(&[("strict", JsValue::TRUE)]));
    assert_eq!(error_of(&strict), ("character".into(), Some(3.0)));
}

#[wasm_bindgen_test]
fn prefix_results() {
    for i in 0..=CURP.len() {
        let r = check_curp_prefix(js(&CURP[..i]), None);
        assert_plain(&r);
        assert_eq!(keys(&r), ["ok", "complete"]);
        assert!(flag(&r, "ok"));
        assert_eq!(flag(&r, "complete"), i == CURP.len());
    }
    let month = check_curp_prefix(js("PEXA8513"), None);
    assert_eq!(keys(&month), ["ok", "error"]);
    assert!(!flag(&month, "ok"));
    let e = get(&month, "error");
    assert_eq!(text(&e, "code"), "date");
    assert_eq!(get(&e, "position").as_f64(), Some(7.0));
    assert!(flag(&check_cpf_prefix(js("153.872"), None), "ok"));
    assert!(flag(&check_cpf_prefix(js(CPF), None), "complete"));
    let bad = check_cpf_prefix(js("153a"), None);
    assert_eq!(get(&get(&bad, "error"), "position").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
fn usernames_follow_each_institutions_rule() {
    let sandbox = "BLPM951331IONVGR54";
    let r = validate_username(js("planet_mx_employment"), js(sandbox), None);
    assert_eq!(keys(&r), ["valid", "value"]);
    assert!(flag(&r, "valid"));
    assert_eq!(text(&r, "value"), sandbox);
    let imss = validate_username(js("imss_mx_employment"), js(sandbox), None);
    assert_eq!(error_of(&imss).1, Some(1.0));
    let issste = validate_username(js("issste_mx_employment"), js(CURP), None);
    assert_eq!(text(&issste, "state"), "JC");
    let inss = validate_username(js("inss_br_employment"), js(CPF), None);
    assert_eq!(text(&inss, "formatted"), CPF);
    let proxy = non_strings().pop().expect("a Proxy");
    for inst in [js("bank_mx_retail"), JsValue::UNDEFINED, JsValue::from(7), proxy] {
        let r = validate_username(inst, js(CURP), None);
        assert_eq!(error_of(&r), ("institution".into(), None));
    }
    let short = validate_username(js("planet_mx_employment"), js(&sandbox[..17]), None);
    assert_eq!(error_of(&short).0, "length");
}

#[wasm_bindgen_test]
fn institutions_list_names_rules_and_passwords() {
    let list = institutions();
    assert!(Array::is_array(&list));
    let list = Array::from(&list);
    assert_eq!(list.length(), 4);
    let mut seen = Vec::new();
    for inst in list.iter() {
        assert_plain(&inst);
        assert_eq!(keys(&inst), ["name", "country", "username", "needsPassword"]);
        seen.push((
            text(&inst, "name"),
            text(&inst, "country"),
            text(&inst, "username"),
            flag(&inst, "needsPassword"),
        ));
    }
    let row = |n: &str, c: &str, u: &str, p: bool| (n.to_owned(), c.to_owned(), u.to_owned(), p);
    assert!(seen.contains(&row("planet_mx_employment", "MX", "sandbox", false)));
    assert!(seen.contains(&row("inss_br_employment", "BR", "cpf", true)));
    assert!(seen.contains(&row("imss_mx_employment", "MX", "curp", false)));
}

/// Every kind of value that is not a string.
fn non_strings() -> Vec<JsValue> {
    vec![
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from(0),
        JsValue::from(42),
        JsValue::from_f64(f64::NAN),
        Object::new().into(),
        Array::new().into(),
        Function::new_no_args("return 1").into(),
        js_sys::Symbol::for_("s").into(),
        js_sys::BigInt::from(10u64).into(),
        JsValue::TRUE,
        // `new String(…)` is an object, not a string.
        js_sys::eval("new String('PEXA850412HJCRRN09')").expect("eval"),
        // A Proxy whose every trap throws.
        js_sys::eval(
            "new Proxy({}, new Proxy({}, { get() { return () => { throw new Error('trap'); }; } }))",
        )
        .expect("eval"),
    ]
}

#[wasm_bindgen_test]
fn non_strings_are_the_type_error_and_never_throw() {
    for v in non_strings() {
        for r in [
            validate_curp(v.clone(), None),
            validate_cpf(v.clone(), None),
            validate_username(js("imss_mx_employment"), v.clone(), None),
            validate_username(js("inss_br_employment"), v.clone(), None),
        ] {
            assert_eq!(error_of(&r), ("type".into(), None), "{v:?}");
            assert_eq!(text(&r, "value"), "");
        }
        for r in [check_curp_prefix(v.clone(), None), check_cpf_prefix(v.clone(), None)] {
            assert!(!flag(&r, "ok"));
            assert_eq!(text(&get(&r, "error"), "code"), "type");
        }
        assert!(!is_valid_curp(v.clone()));
        assert!(!is_valid_cpf(v.clone()));
    }
    // The type error's message follows the identifier's default locale.
    let curp = text(&get(&validate_curp(JsValue::NULL, None), "error"), "message");
    let cpf = text(&get(&validate_cpf(JsValue::NULL, None), "error"), "message");
    assert_ne!(curp, cpf);
}

#[wasm_bindgen_test]
fn junk_strings_are_invalid() {
    let mib = "x".repeat(1 << 20);
    let padded = format!("{}153.872.046-9", " ".repeat(300));
    for s in [
        "",
        " ",
        "😴😴😴",
        "١٢٣٤٥٦٧٨٩٠١",
        "１２３４５６７８９０１",
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        mib.as_str(),
        padded.as_str(),
    ] {
        assert!(!is_valid_curp(js(s)));
        assert!(!is_valid_cpf(js(s)));
        assert!(!flag(&validate_curp(js(s), None), "valid"));
        assert!(!flag(&validate_cpf(js(s), None), "valid"));
        let blank = s.trim().is_empty();
        assert_eq!(flag(&check_curp_prefix(js(s), None), "ok"), blank, "{s:.20}");
    }
    // A lone surrogate reaches Rust as U+FFFD: invalid, no throw.
    let lone = js_sys::JsString::from_char_code1(0xD800);
    assert!(!is_valid_cpf(lone.clone().into()));
    assert!(!flag(&validate_curp(lone.into(), None), "valid"));
}

/// Issue 14 item 7: the old layer clamped positions at 2,097,150.
#[wasm_bindgen_test]
fn positions_past_two_million_are_exact() {
    let n = 3_000_000;
    let curp = format!("{CURP}{}!", "A".repeat(n));
    let r = validate_curp(js(&curp), None);
    assert_eq!(error_of(&r), ("character".into(), Some((18 + n) as f64)));
    assert_eq!(get(&r, "value").unchecked_into::<js_sys::JsString>().length() as usize, 19 + n);
    let cpf = format!("{}/", "1".repeat(n));
    let r = validate_cpf(js(&cpf), None);
    assert_eq!(error_of(&r), ("character".into(), Some(n as f64)));
    let sandbox = validate_username(js("planet_mx_employment"), js(&curp), None);
    assert_eq!(
        error_of(&sandbox),
        ("character".into(), Some((18 + n) as f64))
    );
}

/// Issue 14 item 7: options whose reads throw count as absent.
#[wasm_bindgen_test]
fn options_that_throw_or_lie_are_read_defensively() {
    let getters = Object::new();
    for key in ["locale", "strict", "today"] {
        let d = object(&[("get", thrower(key).into())]);
        Object::define_property(&getters, &js(key), d.unchecked_ref());
    }
    let handler = object(&[("get", Function::new_with_args("t, k", "throw new Error(k)").into())]);
    let proxy: JsValue = Proxy::new(&Object::new(), handler.unchecked_ref()).into();
    for o in [
        getters.into(),
        proxy,
        js("en"),
        JsValue::from(5),
        JsValue::TRUE,
        Function::new_no_args("return 1").into(),
    ] {
        let r = validate_curp(js(" pexa850412hjcrrn09 "), Some(o.clone()));
        assert!(flag(&r, "valid"), "{o:?}: lenient, today = now");
        let bad = validate_cpf(js("153.872.046-91"), Some(o.clone()));
        let msg = text(&get(&bad, "error"), "message");
        assert!(msg.contains("dígito verificador"), "{o:?}: default locale: {msg}");
        assert!(flag(&check_curp_prefix(js("pexa85"), Some(o.clone())), "ok"));
        assert!(flag(&validate_username(js("inss_br_employment"), js(CPF), Some(o)), "valid"));
    }
    // Only `true` is strict; an unknown locale is the default; `es-MX` is Spanish.
    let truthy = validate_curp(js("pexa850412hjcrrn09"), options(&[("strict", js("yes"))]));
    assert!(flag(&truthy, "valid"));
    let fr = validate_cpf(js("153.872.046-91"), options(&[("locale", js("fr"))]));
    let en_us = validate_cpf(js("153.872.046-91"), options(&[("locale", js("en-US"))]));
    assert_ne!(
        text(&get(&fr, "error"), "message"),
        text(&get(&en_us, "error"), "message")
    );
    assert!(text(&get(&en_us, "error"), "message").starts_with("The check digit"));
}

#[wasm_bindgen_test]
fn today_option_drives_the_future_date_rule() {
    // 17th character a letter: born in 20YY. Find the check digit that validates.
    let body = "PEXA250412HJCRRNA";
    let later = options(&[("today", js("2026-01-01"))]);
    let curp = (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|c| flag(&validate_curp(js(c), later.clone()), "valid"))
        .expect("one check digit validates");
    let early = validate_curp(js(&curp), options(&[("today", js("2020-01-01"))]));
    assert_eq!(error_of(&early).0, "future_date");
    assert_eq!(text(&validate_curp(js(&curp), later), "birthDate"), "2025-04-12");
    // An unreal or malformed `today` is the local date (after 2025-04-12).
    for today in ["2020-02-30", "2020-1-01", "2020-01-01 ", "2020/01/01"] {
        let r = validate_curp(js(&curp), options(&[("today", js(today))]));
        assert!(flag(&r, "valid"), "{today}");
    }
    assert!(is_valid_curp(js(&curp)));
}

fn bools(v: Vec<JsValue>) -> Vec<bool> {
    v.into_iter()
        .map(|b| b.as_bool().expect("booleans"))
        .collect()
}

fn array(items: &[JsValue]) -> Array {
    items.iter().collect()
}

#[wasm_bindgen_test]
fn many_reads_the_items() {
    let lower = CURP.to_lowercase();
    let curps = array(&[js(CURP), js("PEXA850412HJCRRN08"), JsValue::NULL, JsValue::from(7), js(&lower)]);
    let want = [true, false, false, false, true];
    assert_eq!(bools(is_valid_curp_many(curps.clone().into())), want);
    let cpfs = array(&[js(CPF), js("153.872.046-91"), JsValue::UNDEFINED, js("€")]);
    assert_eq!(bools(is_valid_cpf_many(cpfs.clone().into())), [true, false, false, false]);

    // Issue 14 item 7: an own `join` that throws or lies changes nothing.
    let throws = curps.clone();
    Reflect::set(&throws, &js("join"), &thrower("join")).expect("settable");
    assert_eq!(bools(is_valid_curp_many(throws.into())), want);
    let lies = curps;
    let all_valid = format!("return '{}'", CURP.repeat(5));
    Reflect::set(&lies, &js("join"), &Function::new_no_args(&all_valid)).expect("settable");
    assert_eq!(bools(is_valid_curp_many(lies.into())), want);

    // An item whose read throws is invalid; so is a hole.
    let getter = array(&[js(CPF), js(CPF), js(CPF)]);
    let d = object(&[("get", thrower("item").into())]);
    Object::define_property(&getter, &JsValue::from(1), d.unchecked_ref());
    assert_eq!(bools(is_valid_cpf_many(getter.into())), [true, false, true]);
    let holes = Array::new_with_length(3);
    holes.set(2, js(CPF));
    assert_eq!(bools(is_valid_cpf_many(holes.into())), [false, false, true]);

    // A Proxy over an array: whatever its traps do, the call returns.
    let inner = array(&[js(CPF), js(CPF)]);
    let all = object(&[("get", Function::new_with_args("t, k", "throw new Error(k)").into())]);
    let p: JsValue = Proxy::new(&inner, all.unchecked_ref()).into();
    assert!(bools(is_valid_cpf_many(p)).is_empty());
    let one = object(&[(
        "get",
        Function::new_with_args("t, k", "if (k === '0') throw new Error(k); return t[k];").into(),
    )]);
    let p: JsValue = Proxy::new(&inner, one.unchecked_ref()).into();
    assert_eq!(bools(is_valid_cpf_many(p)), [false, true]);
    let liar = object(&[(
        "get",
        Function::new_with_args("t, k", "return k === 'length' ? {} : t[k];").into(),
    )]);
    let p: JsValue = Proxy::new(&inner, liar.unchecked_ref()).into();
    assert!(bools(is_valid_cpf_many(p)).is_empty());
}

#[wasm_bindgen_test]
fn many_of_a_non_array_is_empty() {
    let array_like = object(&[("length", JsValue::from(1)), ("0", js(CPF))]);
    for v in [JsValue::NULL, JsValue::UNDEFINED, js(CPF), JsValue::from(3), array_like] {
        assert!(is_valid_cpf_many(v.clone()).is_empty(), "{v:?}");
        assert!(is_valid_curp_many(v).is_empty());
    }
}

#[wasm_bindgen_test]
fn many_agrees_with_one_by_one() {
    let mixed = [
        CURP.to_owned(),
        "PEÑA850412HJCRRN09".to_owned(),
        "😀".to_owned(),
        format!(" {CURP} "),
        "é".repeat(17),
        "BLPM951331IONVGR54".to_owned(),
    ];
    let items: Vec<JsValue> = mixed.iter().map(|s| js(s)).collect();
    let one: Vec<bool> = items.iter().map(|v| is_valid_curp(v.clone())).collect();
    assert_eq!(bools(is_valid_curp_many(array(&items).into())), one);
    assert_eq!(one, [true, false, false, true, false, false]);
    let big: Vec<JsValue> = (0..3000)
        .map(|i| js(if i % 3 == 0 { "000.000.000-00" } else { CPF }))
        .collect();
    let got = bools(is_valid_cpf_many(array(&big).into()));
    assert_eq!(got.len(), 3000);
    assert!(got.iter().enumerate().all(|(i, &b)| b == (i % 3 != 0)));
}
