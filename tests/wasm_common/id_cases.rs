// Shared wasm-bindgen-test cases for the identifier exports (included by web_id.rs and
// wasm_node_id.rs, so the same assertions run in headless Chromium and in Node). They drive
// the plain `el_*` exports the JS facade calls, through the same buffers.
use employment_link::bindings::id::{
    el_cpf, el_cpf_prefix, el_curp, el_curp_is_valid, el_curp_prefix, el_message, el_check_date,
    el_tables, el_username, msg_text, put_input, put_institution, value_of,
};
use wasm_bindgen_test::wasm_bindgen_test;

const VALID: u32 = 1;
const TODAY: u32 = 20260101;
fn code(packed: u32) -> u32 {
    (packed >> 1) & 15
}
fn position(packed: u32) -> Option<u32> {
    ((packed >> 9) & 0x1F_FFFF).checked_sub(1)
}
fn input(s: &str) -> u32 {
    put_input(s).expect("the input fits in memory")
}
fn username(inst: &str, s: &str) -> u32 {
    let n = put_institution(inst);
    el_username(n, input(s), 0, TODAY)
}

#[wasm_bindgen_test]
fn curp_through_the_export() {
    let r = el_curp(input("PEXA850412HJCRRN09"), 0, TODAY);
    assert_eq!(r & VALID, 1);
    assert_ne!(r & (1 << 30), 0, "value equals input");
    assert_eq!(el_curp_is_valid(input("PEXA850412HJCRRN09"), TODAY), 1);
    let bad = el_curp(input("PEXA850412HJCRRN08"), 0, TODAY);
    assert_eq!(bad & VALID, 0);
    assert_eq!(code(bad), 9);
    assert_eq!(position(bad), Some(17));
    assert_eq!(el_curp_is_valid(input("PEXA850412HJCRRN08"), TODAY), 0);
}

#[wasm_bindgen_test]
fn lenient_value_is_normalised_including_non_ascii() {
    let s = " pexa-850412hjc rrn0ñ";
    let r = el_curp(input(s), 0, TODAY);
    assert_eq!(r & VALID, 0);
    assert_eq!(value_of(s, r), "PEXA850412HJCRRN0Ñ");
    assert_eq!(code(r), 2, "Ñ is not a digit");
    assert_eq!(position(r), Some(17));
}

#[wasm_bindgen_test]
fn cpf_and_prefix_through_the_export() {
    assert_eq!(el_cpf(input("153.872.046-90"), 0, 0) & VALID, 1);
    let strict = el_cpf(input("153 872 046 90"), 1, 0);
    assert_eq!(strict & VALID, 0);
    assert_eq!(code(strict), 2);
    assert_eq!(position(strict), Some(3));
    assert_eq!(el_cpf_prefix(input("153.87"), 0, 0) & VALID, 1);
    assert_eq!(el_curp_prefix(input("P1"), 0, TODAY) & VALID, 0);
}

#[wasm_bindgen_test]
fn messages_are_localised() {
    let bad = el_curp(input("PEXA850412FJCRRN09"), 0, TODAY);
    let es = msg_text(el_message(0, bad, 0));
    let pt = msg_text(el_message(0, bad, 1));
    let en = msg_text(el_message(0, bad, 2));
    assert!(en.contains("11"), "{en}");
    assert!(es != pt && pt != en && es != en);
}

#[wasm_bindgen_test]
fn junk_never_traps() {
    let long = "😴".repeat(10_000);
    for s in ["", " ", "\0", "١٢٣", "１２３４５６７８９０１", long.as_str()] {
        let n = input(s);
        for f in [el_curp, el_cpf] {
            assert_eq!(f(n, 0, TODAY) & VALID, 0, "{s:?}");
            assert_eq!(f(n, 1, 0) & VALID, 0, "{s:?}");
        }
        // Nothing typed yet is a prefix that can still become valid; junk is not.
        let blank = s.trim().is_empty();
        for f in [el_curp_prefix, el_cpf_prefix] {
            assert_eq!(f(n, 0, TODAY) & VALID == 1, blank, "{s:?}");
        }
        assert_eq!(username("imss_mx_employment", s) & VALID, 0);
    }
    assert_eq!(code(username("nope", "PEXA850412HJCRRN09")), 12);
    assert_eq!(username("planet_mx_employment", "BLPM951331IONVGR54") & VALID, 1);
    assert_eq!(el_check_date(20240229), 20240229);
    assert_eq!(el_check_date(20230229), 0);
    assert_eq!(el_check_date(20241301), 0);
    assert_eq!(el_check_date(19000229), 0);
    assert!(msg_text(el_tables()).contains("JC=Jalisco"));
}
