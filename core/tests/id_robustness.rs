//! Junk input never panics and is never accepted, in either mode.

use employment_link_core::id::{cpf, curp, message, Code, Date, IdError, Kind, Locale, Options};
use proptest::prelude::*;

fn all_options() -> [Options; 4] {
    let today = Date::new(2025, 6, 15);
    [
        Options {
            strict: false,
            today: None,
        },
        Options {
            strict: true,
            today: None,
        },
        Options {
            strict: false,
            today,
        },
        Options {
            strict: true,
            today,
        },
    ]
}

fn junk() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "\t\n\r ",
        "\u{a0}\u{2003}\u{3000}",
        "😀",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "😀😀😀😀😀😀😀😀😀😀😀",
        "٠١٢٣٤٥٦٧٨٩٠",
        "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧",
        "１２３４５６７８９０１",
        "１２３",
        "ＰＥＸＡ８５０４１２ＨＪＣＲＲＮ０９",
        "\0",
        "\0\0\0\0\0\0\0\0\0\0\0",
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        "\u{301}",
        "\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
        "P\u{301}EXA850412HJCRRN09",
        "PEXA850412HJCRRN0\u{301}9",
        "1\u{301}5387204690",
        "\u{200b}15387204690",
        "15387204690\u{200b}",
        "PEXA850412HJCRRN09\u{feff}",
        "\u{feff}",
        "\u{fffd}\u{fffd}\u{fffd}",
        "##################",
        "###########",
        "..................",
        "-----------",
        "...........",
        "___________________",
        "ÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑ",
        "ñññññññññññ",
        "ßßßßßßßßßßßßßßßßßß",
        "İİİİİİİİİİİİİİİİİİ",
        "ǅǅǅǅǅǅǅǅǅǅǅ",
        "\u{1F1F2}\u{1F1FD}",
        "undefined",
        "<script>",
        "'; DROP TABLE--",
        "000.000.000-00",
        "00000000000",
        "99999999999",
        "000000000000000000",
        "AAAAAAAAAAAAAAAAAA",
        "ZZZZZZZZZZZZZZZZZZ",
        "123ZZZZZZZZZZZZZ90",
        "\u{7f}\u{1b}[31m",
        "\u{10ffff}",
        "\u{d7ff}\u{e000}",
        "abc39053344705",
        "39053344705\u{0}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("A".repeat(100_000));
    v.push("1".repeat(100_000));
    v.push(" ".repeat(100_000));
    v.push("😀".repeat(100_000));
    v.push(format!("{}{}", " ".repeat(50_000), "PEXA850412HJCRRN09X"));
    v.push(format!("PEXA850412HJCRRN09{}", "\u{301}".repeat(100_000)));
    v.push(format!("153.872.046-90{}", "0".repeat(100_000)));
    v
}

/// Whether the normalised value is empty (then an as-you-type check is `Ok(false)`).
fn empty_after_normalisation(kind: Kind, s: &str, strict: bool) -> bool {
    match kind {
        Kind::Curp => curp::compact(s, strict).next().is_none(),
        Kind::Cpf => cpf::compact(s, strict).next().is_none(),
    }
}

fn assert_rejected(s: &str) {
    for opts in all_options() {
        let show = || {
            format!(
                "{:?} strict={}",
                s.chars().take(40).collect::<String>(),
                opts.strict
            )
        };
        let e = curp::validate(s, &opts).expect_err(&show());
        assert!(!curp::is_valid(s, &opts), "{}", show());
        // The sandbox rule accepts exactly 18 ASCII letters/digits (e.g. 18 zeros).
        let sandbox_like = curp::compact(s, opts.strict).count() == 18
            && curp::compact(s, opts.strict).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        assert_eq!(
            curp::validate_sandbox(s, &opts).is_ok(),
            sandbox_like,
            "{}",
            show()
        );
        let p = curp::check_prefix(s, &opts);
        if empty_after_normalisation(Kind::Curp, s, opts.strict) {
            assert_eq!(p, Ok(false), "{}", show());
            assert_eq!(e, IdError::whole(Code::Empty));
        } else {
            assert!(p.is_err(), "{} {p:?}", show());
        }
        let e2 = cpf::validate(s, &opts).expect_err(&show());
        assert!(!cpf::is_valid(s, &opts), "{}", show());
        let p = cpf::check_prefix(s, &opts);
        if empty_after_normalisation(Kind::Cpf, s, opts.strict) {
            assert_eq!(p, Ok(false), "{}", show());
            assert_eq!(e2, IdError::whole(Code::Empty));
        } else {
            assert!(p.is_err(), "{} {p:?}", show());
        }
        for l in [Locale::Es, Locale::Pt, Locale::En] {
            assert!(!message(Kind::Curp, &e, l).is_empty());
            assert!(!message(Kind::Cpf, &e2, l).is_empty());
        }
    }
}

#[test]
fn junk_is_rejected_without_panicking() {
    for s in junk() {
        assert_rejected(&s);
    }
}

#[test]
fn words_that_happen_to_be_curp_prefixes() {
    // "null" and "NaN" upper-case to NULL / NAN, which can still begin a CURP.
    for s in ["null", "NaN"] {
        let lenient = Options::default();
        assert!(!curp::is_valid(s, &lenient));
        assert_eq!(curp::check_prefix(s, &lenient), Ok(false));
        assert!(curp::check_prefix(
            s,
            &Options {
                strict: true,
                today: None
            }
        )
        .is_err());
        assert!(cpf::check_prefix(s, &lenient).is_err());
    }
}

#[test]
fn positions_fit_the_normalised_value() {
    for s in junk() {
        for opts in all_options() {
            if let Err(e) = curp::validate(&s, &opts) {
                if let Some(p) = e.position {
                    assert!((p as usize) < curp::compact(&s, opts.strict).count());
                }
            }
            if let Err(e) = cpf::validate(&s, &opts) {
                if let Some(p) = e.position {
                    assert!((p as usize) < cpf::compact(&s, opts.strict).count());
                }
            }
        }
    }
}

#[test]
fn huge_inputs_report_counts() {
    let e = curp::validate(&"A".repeat(100_000), &Options::default()).unwrap_err();
    // Position 4 must be a digit: the class error comes first.
    assert_eq!((e.code, e.position), (Code::Character, Some(4)));
    let e = cpf::validate(&"1".repeat(100_000), &Options::default()).unwrap_err();
    assert_eq!((e.code, e.found_len), (Code::Length, 100_000));
    let e = cpf::check_prefix(&"1".repeat(100_000), &Options::default()).unwrap_err();
    // The first 11 ones already form a repeated-digit number.
    assert_eq!(e, IdError::whole(Code::Repeated));
    let e = curp::validate_sandbox(&"A".repeat(100_000), &Options::default()).unwrap_err();
    assert_eq!((e.code, e.found_len), (Code::Length, 100_000));
}

#[test]
fn helpers_are_total() {
    assert_eq!(curp::check_digit(&[0xff; 17]), None);
    assert_eq!(curp::check_digit(&[]), None);
    let _ = cpf::check_digits(&[0xff; 9]);
    let _ = cpf::check_digits(&[0; 9]);
    assert_eq!(cpf::region_states_of(255), &[] as &[&str]);
    for code in 0..=255u8 {
        if let Some(c) = Code::from_u8(code) {
            for kind in [Kind::Curp, Kind::Cpf] {
                for pos in [None, Some(0), Some(17), Some(u32::MAX)] {
                    for ex in 0..=255u8 {
                        if let Some(expected) = employment_link_core::id::Expected::from_u8(ex) {
                            let e = IdError {
                                code: c,
                                position: pos,
                                expected,
                                found_len: u32::MAX,
                            };
                            for l in [Locale::Es, Locale::Pt, Locale::En] {
                                assert!(!message(kind, &e, l).is_empty());
                            }
                        }
                    }
                }
            }
        }
    }
    for s in [
        "",
        "2025-13-01",
        "2025-02-29",
        "9999-12-31x",
        "+025-01-01",
        "２０２５-01-01",
    ] {
        assert_eq!(Date::parse(s), None, "{s}");
    }
    assert_eq!(Date::new(u16::MAX, 1, 1), None);
    assert_eq!(Date::new(2000, 0, 1), None);
    assert_eq!(Date::new(2000, 1, 0), None);
    assert_eq!(Date::new(2000, 255, 255), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,64}", strict in any::<bool>()) {
        let opts = Options { strict, today: Date::new(2025, 1, 1) };
        let _ = curp::validate(&s, &opts);
        let _ = curp::check_prefix(&s, &opts);
        let _ = curp::validate_sandbox(&s, &opts);
        let _ = cpf::validate(&s, &opts);
        let _ = cpf::check_prefix(&s, &opts);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..40)) {
        let s = String::from_utf8_lossy(&b);
        for opts in all_options() {
            let _ = curp::validate(&s, &opts);
            let _ = curp::check_prefix(&s, &opts);
            let _ = cpf::validate(&s, &opts);
            let _ = cpf::check_prefix(&s, &opts);
        }
        let _ = curp::check_digit(&b);
    }

    #[test]
    fn junk_of_identifier_length_is_rejected(s in "[^A-Za-z0-9 \\-_.ñÑ]{11}|[^A-Za-z0-9 \\-_.ñÑ]{18}") {
        prop_assume!(!s.chars().all(char::is_whitespace));
        assert_rejected(&s);
    }
}

/// The crate's small UTF-8 check agrees with `core::str::from_utf8` on every edge of the
/// RFC 3629 table and on arbitrary bytes.
#[test]
fn utf8_matches_core_on_edges() {
    let edges: &[&[u8]] = &[
        b"",
        b"ABC",
        &[0xC2, 0x80],
        &[0xC1, 0xBF],
        &[0xDF, 0xBF],
        &[0xE0, 0x9F, 0x80],
        &[0xE0, 0xA0, 0x80],
        &[0xED, 0x9F, 0xBF],
        &[0xED, 0xA0, 0x80],
        &[0xEF, 0xBF, 0xBF],
        &[0xF0, 0x8F, 0xBF, 0xBF],
        &[0xF0, 0x90, 0x80, 0x80],
        &[0xF4, 0x8F, 0xBF, 0xBF],
        &[0xF4, 0x90, 0x80, 0x80],
        &[0xF5, 0x80, 0x80, 0x80],
        &[0xE2, 0x82],
        &[0xE2, 0x82, 0xAC, 0x41],
        &[0x80],
        &[0xFF],
        "Ñ😀é".as_bytes(),
    ];
    for &b in edges {
        assert_eq!(
            employment_link_core::id::utf8(b),
            core::str::from_utf8(b).ok(),
            "{b:x?}"
        );
    }
}

proptest! {
    #[test]
    fn utf8_matches_core(b in proptest::collection::vec(any::<u8>(), 0..24)) {
        prop_assert_eq!(employment_link_core::id::utf8(&b), core::str::from_utf8(&b).ok());
    }

    #[test]
    fn utf8_accepts_every_string(s in "\\PC{0,12}") {
        prop_assert_eq!(employment_link_core::id::utf8(s.as_bytes()), Some(s.as_str()));
    }
}

/// Every message is one locale's text, the same through `message` and `write_message`.
#[test]
fn every_message_is_one_locale_text() {
    use employment_link_core::id::{write_message, Expected};
    let mut longest = 0;
    for code in 0..=15u8 {
        let Some(code) = Code::from_u8(code) else {
            continue;
        };
        for expected in 0..=15u8 {
            let Some(expected) = Expected::from_u8(expected) else {
                continue;
            };
            for position in [None, Some(0), Some(17), Some(u32::MAX - 1)] {
                let err = IdError {
                    code,
                    position,
                    expected,
                    found_len: u32::MAX,
                };
                for kind in [Kind::Curp, Kind::Cpf] {
                    for locale in [Locale::Es, Locale::Pt, Locale::En] {
                        let mut full = String::new();
                        write_message(kind, &err, locale, &mut full);
                        assert_eq!(message(kind, &err, locale), full);
                        // Only this locale's text (the tables hold the three in one string).
                        assert!(!full.contains('\u{1f}'), "{full:?}");
                        longest = longest.max(full.len());
                    }
                }
            }
        }
    }
    assert!(longest > 100, "{longest}");
}
