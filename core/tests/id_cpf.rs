//! CPF rules, error codes and positions, modes, messages and properties.

use employment_link_core::id::cpf;
use employment_link_core::id::{message, Code, Expected, IdError, Kind, Locale, Options};
use proptest::prelude::*;

const LENIENT: Options = Options {
    strict: false,
    today: None,
};
const STRICT: Options = Options {
    strict: true,
    today: None,
};

/// Independent reference: the Receita's "other way round" formulation (id-rules 2.2):
/// d10 = (1·b1 + … + 9·b9) mod 11, d11 = (1·b2 + … + 8·b9 + 9·d10) mod 11, 10 → 0.
fn ref_valid_digits(d: &[u8]) -> bool {
    if d.len() != 11 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v: Vec<u32> = d.iter().map(|&b| u32::from(b - b'0')).collect();
    let d10 = (1..=9).map(|i| i as u32 * v[i - 1]).sum::<u32>() % 11 % 10;
    let d11 = ((1..=8).map(|i| i as u32 * v[i]).sum::<u32>() + 9 * d10) % 11 % 10;
    d10 == v[9] && d11 == v[10]
}

fn err(input: &str, opts: &Options) -> IdError {
    match cpf::validate(input, opts) {
        Ok(c) => panic!("{input:?} unexpectedly valid as {}", c.as_str()),
        Err(e) => e,
    }
}

fn cpe(input: &str, opts: &Options) -> (Code, Option<u32>, Expected) {
    let e = err(input, opts);
    (e.code, e.position, e.expected)
}

fn at(code: Code, pos: u32, expected: Expected) -> (Code, Option<u32>, Expected) {
    (code, Some(pos), expected)
}

/// Real-world-style valid CPFs (check digits by the reference formula).
const VALID: &[&str] = &[
    "153.872.046-90",
    "280.012.389-38",
    "123.456.789-09",
    "390.533.447-05",
    "012.345.678-90",
    "526.018.159-06",
    "083.016.613-05",
    "186.091.390-34",
    "996.030.824-30",
    "628.194.821-12",
    "993.518.190-19",
    "937.865.797-41",
    "543.231.948-97",
    "757.491.186-06",
    "252.760.189-87",
    "555.979.711-15",
    "471.049.746-01",
    "507.529.170-80",
    "342.366.712-55",
    "768.426.846-50",
    "563.212.233-60",
    "079.244.026-91",
    "859.952.890-47",
    "786.666.176-67",
    "031.372.159-94",
];

#[test]
fn valid_examples() {
    assert!(VALID.len() >= 20);
    for s in VALID {
        let plain: String = s.chars().filter(char::is_ascii_digit).collect();
        assert!(ref_valid_digits(plain.as_bytes()), "{s}");
        for (input, opts) in [
            (*s, LENIENT),
            (*s, STRICT),
            (&plain[..], LENIENT),
            (&plain[..], STRICT),
        ] {
            let c = cpf::validate(input, &opts).unwrap_or_else(|e| panic!("{input}: {e:?}"));
            assert_eq!(c.as_str(), plain);
            assert_eq!(&c.formatted(), s.as_bytes());
            assert_eq!(c.formatted_string(), *s);
            assert_eq!(cpf::check_prefix(input, &opts), Ok(true), "{input}");
        }
    }
}

#[test]
fn worked_examples_and_components() {
    assert_eq!(&cpf::check_digits(b"153872046"), b"90");
    assert_eq!(&cpf::check_digits(b"280012389"), b"38");
    assert_eq!(&cpf::check_digits(b"123456789"), b"09");
    // python-stdnum: 39053344705 valid, 23100299900 not.
    assert!(cpf::is_valid("39053344705", &LENIENT));
    assert_eq!(
        cpe("23100299900", &LENIENT),
        at(Code::CheckDigit, 9, Expected::Nothing)
    );
    // Leading zero kept.
    let c = cpf::validate("012.345.678-90", &LENIENT).unwrap();
    assert_eq!(c.as_str(), "01234567890");
    assert_eq!(c.as_bytes(), b"01234567890");
    assert_eq!(c.region(), 8);
    assert_eq!(c.region_states(), &["SP"]);
    // Dropping the zero is a length error.
    let e = err("1234567890", &LENIENT);
    assert_eq!((e.code, e.found_len), (Code::Length, 10));
    // Regions from the 9th digit; 0 is region 10 (RS).
    let c = cpf::validate("153.872.046-90", &LENIENT).unwrap();
    assert_eq!(c.region(), 6);
    assert_eq!(c.region_states(), &["MG"]);
    let c = cpf::validate("186.091.390-34", &LENIENT).unwrap();
    assert_eq!(c.region(), 10);
    assert_eq!(c.region_states(), &["RS"]);
    assert_eq!(cpf::region_states_of(1), &["DF", "GO", "MS", "MT", "TO"]);
    assert_eq!(cpf::region_states_of(0), &[] as &[&str]);
    assert_eq!(cpf::region_states_of(11), &[] as &[&str]);
    let mut all: Vec<&str> = (1..=10).flat_map(cpf::region_states_of).copied().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 27, "26 states + DF");
}

#[test]
fn repeated_numbers() {
    for d in 0..=9 {
        let s: String = std::iter::repeat_n(char::from(b'0' + d), 11).collect();
        assert!(ref_valid_digits(s.as_bytes()), "checksum-valid");
        assert_eq!(err(&s, &LENIENT), IdError::whole(Code::Repeated), "{s}");
        let masked = format!("{}.{}.{}-{}", &s[..3], &s[3..6], &s[6..9], &s[9..]);
        assert_eq!(err(&masked, &STRICT), IdError::whole(Code::Repeated));
        assert_eq!(
            cpf::check_prefix(&s, &LENIENT),
            Err(IdError::whole(Code::Repeated))
        );
        assert_eq!(cpf::check_prefix(&s[..10], &LENIENT), Ok(false));
    }
    // 123.456.789-09 is valid.
    assert!(cpf::is_valid("123.456.789-09", &LENIENT));
}

#[test]
fn empty() {
    for input in ["", " ", "...", "-.-", " \t\n"] {
        assert_eq!(
            err(input, &LENIENT),
            IdError::whole(Code::Empty),
            "{input:?}"
        );
    }
    assert_eq!(err("", &STRICT), IdError::whole(Code::Empty));
    assert_eq!(cpe(" ", &STRICT), at(Code::Character, 0, Expected::Digit));
}

#[test]
fn lenient_separators_anywhere() {
    for input in [
        "15387204690",
        " 153.872.046-90 ",
        "153 872 046 90",
        "1.5.3-8 7 2.046-.90",
        "153872046-90",
        "153.872.04690",
        "\u{a0}15387204690\t",
    ] {
        assert_eq!(
            cpf::validate(input, &LENIENT).map(|c| c.as_str().to_string()),
            Ok("15387204690".into()),
            "{input:?}"
        );
    }
    let compact: String = cpf::compact(" 1.2-3 ", false).collect();
    assert_eq!(compact, "123");
    let compact: String = cpf::compact(" 1.2-3 ", true).collect();
    assert_eq!(compact, " 1.2-3 ");
}

#[test]
fn illegal_characters() {
    // python-stdnum's '390.533.447=0'.
    assert_eq!(
        cpe("390.533.447=0", &LENIENT),
        at(Code::Character, 9, Expected::Digit)
    );
    assert_eq!(
        cpe("153/872/046-90", &LENIENT),
        at(Code::Character, 3, Expected::Digit)
    );
    assert_eq!(
        cpe("153,872,046-90", &LENIENT),
        at(Code::Character, 3, Expected::Digit)
    );
    assert_eq!(
        cpe("153_872_046-90", &LENIENT),
        at(Code::Character, 3, Expected::Digit)
    );
    assert_eq!(
        cpe("153+872+046-90", &LENIENT),
        at(Code::Character, 3, Expected::Digit)
    );
    assert_eq!(
        cpe("abc39053344705", &LENIENT),
        at(Code::Character, 0, Expected::Digit)
    );
    assert_eq!(
        cpe("3905334470A", &LENIENT),
        at(Code::Character, 10, Expected::Digit)
    );
    assert_eq!(
        cpe("390533447０5", &LENIENT),
        at(Code::Character, 9, Expected::Digit)
    );
    // Beyond the 11th digit only illegal characters are Character errors.
    assert_eq!(
        cpe("39053344705x", &LENIENT),
        at(Code::Character, 11, Expected::Allowed)
    );
    assert_eq!(
        cpe("390533447051x", &LENIENT),
        at(Code::Character, 12, Expected::Allowed)
    );
    let e = err("390533447051", &LENIENT);
    assert_eq!((e.code, e.position, e.found_len), (Code::Length, None, 12));
    // Character precedes Length.
    assert_eq!(
        cpe("39x", &LENIENT),
        at(Code::Character, 2, Expected::Digit)
    );
}

#[test]
fn strict_forms() {
    assert!(cpf::is_valid("15387204690", &STRICT));
    assert!(cpf::is_valid("153.872.046-90", &STRICT));
    // Spaces, separators elsewhere, partial masks.
    assert_eq!(
        cpe(" 15387204690", &STRICT),
        at(Code::Character, 0, Expected::Digit)
    );
    assert_eq!(
        cpe("15387204690 ", &STRICT),
        at(Code::Character, 11, Expected::Allowed)
    );
    assert_eq!(
        cpe("153872046-90", &STRICT),
        at(Code::Character, 9, Expected::Digit)
    );
    assert_eq!(
        cpe("153.87204690", &STRICT),
        at(Code::Character, 7, Expected::Format)
    );
    assert_eq!(
        cpe("153.872.046.90", &STRICT),
        at(Code::Character, 11, Expected::Format)
    );
    assert_eq!(
        cpe("153.872-046-90", &STRICT),
        at(Code::Character, 7, Expected::Format)
    );
    assert_eq!(
        cpe("153.8.2.046-90", &STRICT),
        at(Code::Character, 5, Expected::Digit)
    );
    assert_eq!(
        cpe("153.872.046-90.", &STRICT),
        at(Code::Character, 14, Expected::Allowed)
    );
    let e = err("153.872.046-901", &STRICT);
    assert_eq!((e.code, e.found_len), (Code::Length, 12));
    let e = err("153.872.046", &STRICT);
    assert_eq!((e.code, e.found_len), (Code::Length, 9));
    // Check-digit positions index the raw input in strict mode.
    assert_eq!(
        cpe("153.872.046-80", &STRICT),
        at(Code::CheckDigit, 12, Expected::Nothing)
    );
    assert_eq!(
        cpe("153.872.046-91", &STRICT),
        at(Code::CheckDigit, 13, Expected::Nothing)
    );
    assert_eq!(
        cpe("15387204680", &STRICT),
        at(Code::CheckDigit, 9, Expected::Nothing)
    );
    assert_eq!(
        cpe("15387204691", &STRICT),
        at(Code::CheckDigit, 10, Expected::Nothing)
    );
    // Lenient positions index the normalised digits.
    assert_eq!(
        cpe("153.872.046-80", &LENIENT),
        at(Code::CheckDigit, 9, Expected::Nothing)
    );
    assert_eq!(
        cpe("153.872.046-91", &LENIENT),
        at(Code::CheckDigit, 10, Expected::Nothing)
    );
}

#[test]
fn check_prefix_examples() {
    let p = |s: &str| cpf::check_prefix(s, &LENIENT);
    assert_eq!(p(""), Ok(false));
    assert_eq!(p("153.872"), Ok(false));
    assert_eq!(p("153.872.046-9"), Ok(false));
    assert_eq!(p("153.872.046-90"), Ok(true));
    assert_eq!(
        p("153.872.046-8"),
        Err(IdError::at(Code::CheckDigit, 9, Expected::Nothing))
    );
    assert_eq!(
        p("153.872.046-91"),
        Err(IdError::at(Code::CheckDigit, 10, Expected::Nothing))
    );
    assert_eq!(
        p("153a"),
        Err(IdError::at(Code::Character, 3, Expected::Digit))
    );
    let e = p("153.872.046-901").unwrap_err();
    assert_eq!(
        (e.code, e.position, e.found_len),
        (Code::Length, Some(11), 12)
    );
    let e = p("153.872.046-90 1 2 3").unwrap_err();
    assert_eq!(
        (e.code, e.position, e.found_len),
        (Code::Length, Some(11), 14)
    );
    assert_eq!(
        p("153.872.046-90/"),
        Err(IdError::at(Code::Character, 11, Expected::Allowed))
    );
    // Strict: plain and mask.
    let s = |x: &str| cpf::check_prefix(x, &STRICT);
    assert_eq!(s("153"), Ok(false));
    assert_eq!(s("153."), Ok(false));
    assert_eq!(s("153.872.046-90"), Ok(true));
    assert_eq!(
        s("153.872.046-8"),
        Err(IdError::at(Code::CheckDigit, 12, Expected::Nothing))
    );
    assert_eq!(
        s("153.8720"),
        Err(IdError::at(Code::Character, 7, Expected::Format))
    );
    assert_eq!(
        s("153-"),
        Err(IdError::at(Code::Character, 3, Expected::Digit))
    );
    assert_eq!(
        s("153 "),
        Err(IdError::at(Code::Character, 3, Expected::Digit))
    );
    let e = s("153.872.046-900").unwrap_err();
    assert_eq!((e.code, e.position), (Code::Length, Some(14)));
    let e = s("153872046900").unwrap_err();
    assert_eq!((e.code, e.position), (Code::Length, Some(11)));
}

#[test]
fn generator() {
    let mut regions = std::collections::HashSet::new();
    for seed in 0..2000u64 {
        let c = cpf::generate(seed);
        assert_eq!(c, cpf::generate(seed));
        assert!(cpf::is_valid(c.as_str(), &STRICT));
        assert!(ref_valid_digits(c.as_bytes()));
        assert!(!c.as_bytes().iter().all(|&d| d == c.as_bytes()[0]));
        regions.insert(c.region());
    }
    assert_eq!(regions.len(), 10);
}

fn sample_errors() -> Vec<IdError> {
    [
        ("", LENIENT),
        ("153/872", LENIENT),
        ("39053344705x", LENIENT),
        ("153.87204690", STRICT),
        ("153.872.046.90", STRICT),
        ("1234", LENIENT),
        ("11111111111", LENIENT),
        ("153.872.046-80", LENIENT),
        ("153.872.046-91", STRICT),
    ]
    .iter()
    .map(|(s, o)| err(s, o))
    .collect()
}

#[test]
fn messages_in_three_locales() {
    let mut codes = std::collections::HashSet::new();
    for e in sample_errors() {
        codes.insert(e.code);
        let ms: Vec<String> = [Locale::Es, Locale::Pt, Locale::En]
            .iter()
            .map(|&l| message(Kind::Cpf, &e, l))
            .collect();
        assert!(ms[0] != ms[1] && ms[1] != ms[2] && ms[0] != ms[2], "{ms:?}");
        for m in &ms {
            assert!(!m.contains("153") && !m.contains("390533"), "{m}");
            if e.code == Code::Length {
                assert!(
                    m.contains("11") && m.contains(&e.found_len.to_string()),
                    "{m}"
                );
            }
            if let Some(p) = e.position {
                assert!(m.contains(&(p + 1).to_string()), "{m}");
            }
        }
    }
    for c in [
        Code::Empty,
        Code::Character,
        Code::Length,
        Code::Repeated,
        Code::CheckDigit,
    ] {
        assert!(codes.contains(&c), "{c:?}");
    }
    let e = IdError::at(Code::Character, 7, Expected::Format);
    assert!(message(Kind::Cpf, &e, Locale::Pt).contains("O caractere 8 deve ser um ponto"));
    let e = IdError::at(Code::Character, 11, Expected::Format);
    assert!(message(Kind::Cpf, &e, Locale::En).contains("Character 12 must be a hyphen"));
    let e = err("1234", &LENIENT);
    assert_eq!(
        message(Kind::Cpf, &e, Locale::Pt),
        "O CPF deve ter 11 dígitos; tem 4."
    );
    let e = IdError::whole(Code::Repeated);
    assert_eq!(
        message(Kind::Cpf, &e, Locale::Pt),
        "O CPF não pode ter os 11 dígitos iguais."
    );
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_cpfs_validate(seed in any::<u64>()) {
        let c = cpf::generate(seed);
        prop_assert!(cpf::is_valid(c.as_str(), &LENIENT));
        let f = c.formatted_string();
        prop_assert!(cpf::is_valid(&f, &STRICT));
        prop_assert_eq!(cpf::validate(&f, &LENIENT), Ok(c));
        for n in 0..=11 {
            prop_assert_eq!(cpf::check_prefix(&c.as_str()[..n], &LENIENT), Ok(n == 11));
        }
        for n in 0..=14 {
            prop_assert_eq!(cpf::check_prefix(&f[..n], &STRICT), Ok(n == 14));
            prop_assert_eq!(cpf::check_prefix(&f[..n], &LENIENT), Ok(n == 14));
        }
    }

    #[test]
    fn check_digits_match_reference(body in "[0-9]{9}") {
        let dv = cpf::check_digits(body.as_bytes().try_into().unwrap());
        let full = format!("{body}{}{}", dv[0] as char, dv[1] as char);
        prop_assert!(ref_valid_digits(full.as_bytes()));
        let repeated = full.bytes().all(|b| b == full.as_bytes()[0]);
        prop_assert_eq!(cpf::is_valid(&full, &LENIENT), !repeated);
    }

    /// Any non-digit substitution is rejected; a digit substitution is accepted only when the
    /// independent reference accepts it too.
    #[test]
    fn single_substitutions(seed in any::<u64>(), pos in 0usize..11, ch in any::<char>()) {
        let c = cpf::generate(seed);
        let mut chars: Vec<char> = c.as_str().chars().collect();
        prop_assume!(chars[pos] != ch);
        chars[pos] = ch;
        let s: String = chars.iter().collect();
        let accepted = cpf::is_valid(&s, &STRICT);
        if !ch.is_ascii_digit() {
            prop_assert!(!accepted, "{:?}", s);
        } else if accepted {
            prop_assert!(ref_valid_digits(s.as_bytes()), "{}", s);
        }
    }

    #[test]
    fn any_string_is_total(s in ".{0,30}", strict in any::<bool>()) {
        let opts = Options { strict, today: None };
        let v = cpf::validate(&s, &opts);
        prop_assert_eq!(v.is_ok(), cpf::is_valid(&s, &opts));
        prop_assert_eq!(v.is_ok(), cpf::check_prefix(&s, &opts) == Ok(true));
        if let Err(e) = v {
            let _ = message(Kind::Cpf, &e, Locale::Pt);
        }
    }

    #[test]
    fn digit_strings_agree_with_reference(s in "[0-9]{11}") {
        let repeated = s.bytes().all(|b| b == s.as_bytes()[0]);
        prop_assert_eq!(cpf::is_valid(&s, &LENIENT), ref_valid_digits(s.as_bytes()) && !repeated);
    }
}

/// Exhaustive single-digit substitutions over many generated CPFs: every detected change is
/// rejected, undetected ones are exactly the reference's collisions, and the detection rate is
/// above 99.5 % (id-rules 2.6: 99.82 %).
#[test]
fn substitution_detection_rate() {
    let (mut total, mut detected) = (0u32, 0u32);
    for seed in 0..3000u64 {
        let c = cpf::generate(seed);
        for pos in 0..11 {
            for d in b'0'..=b'9' {
                let mut b = *c.as_bytes();
                if b[pos] == d {
                    continue;
                }
                b[pos] = d;
                let s = std::str::from_utf8(&b).unwrap();
                total += 1;
                let accepted = cpf::is_valid(s, &LENIENT);
                if accepted {
                    assert!(ref_valid_digits(&b), "{s}");
                } else {
                    detected += 1;
                    // A rejection is never a false alarm from the checksum's point of view,
                    // except for the repeated-digit numbers.
                    let repeated = b.iter().all(|&x| x == b[0]);
                    assert!(!ref_valid_digits(&b) || repeated, "{s}");
                }
            }
        }
    }
    let rate = f64::from(detected) / f64::from(total);
    assert!(rate > 0.995, "detection rate {rate}");
    assert!(rate < 1.0, "the d10 = 0 collision (r = 0 or 1) must exist");
}
