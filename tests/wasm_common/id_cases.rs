// Shared wasm-bindgen-test cases for the identifier exports (included by web_id.rs and
// wasm_node_id.rs, so the same assertions run in headless Chromium and in Node).
use employment_link::bindings::id::{message, parse_date, tables, username, validate_str};
use wasm_bindgen_test::wasm_bindgen_test;

const VALID: u32 = 1;
fn code(packed: u32) -> u32 {
    (packed >> 1) & 15
}
fn position(packed: u32) -> Option<u32> {
    ((packed >> 9) & 0x1F_FFFF).checked_sub(1)
}

#[wasm_bindgen_test]
fn curp_through_the_export() {
    let r = validate_str(0, "PEXA850412HJCRRN09", 0, 20260101);
    assert_eq!(r & VALID, 1);
    assert_ne!(r & (1 << 30), 0, "value equals input");
    let bad = validate_str(0, "PEXA850412HJCRRN08", 0, 20260101);
    assert_eq!(bad & VALID, 0);
    assert_eq!(code(bad), 9);
    assert_eq!(position(bad), Some(17));
}

#[wasm_bindgen_test]
fn cpf_and_prefix_through_the_export() {
    assert_eq!(validate_str(1, "153.872.046-90", 0, 0) & VALID, 1);
    let strict = validate_str(1, "153 872 046 90", 1, 0);
    assert_eq!(strict & VALID, 0);
    assert_eq!(code(strict), 2);
    assert_eq!(position(strict), Some(3));
    assert_eq!(validate_str(3, "153.87", 0, 0) & VALID, 1);
    assert_eq!(validate_str(2, "P1", 0, 20260101) & VALID, 0);
}

#[wasm_bindgen_test]
fn messages_are_localised() {
    let bad = validate_str(0, "PEXA850412FJCRRN09", 0, 20260101);
    let es = message(0, bad, 0);
    let pt = message(0, bad, 1);
    let en = message(0, bad, 2);
    assert!(en.contains("11"), "{en}");
    assert!(es != pt && pt != en && es != en);
}

#[wasm_bindgen_test]
fn junk_never_traps() {
    let long = "😴".repeat(10_000);
    for s in ["", " ", "\0", "١٢٣", "１２３４５６７８９０１", long.as_str()] {
        for op in 0..4 {
            let _ = validate_str(op, s, 0, 20260101);
            let _ = validate_str(op, s, 1, 0);
        }
        assert_eq!(username("imss_mx_employment", s, 0, 0, 0) & VALID, 0);
    }
    assert_eq!(code(username("nope", "PEXA850412HJCRRN09", 0, 0, 0)), 12);
    assert_eq!(parse_date("2024-02-29"), 20240229);
    assert_eq!(parse_date("2023-02-29"), 0);
    assert!(tables().contains("JC=Jalisco"));
}
