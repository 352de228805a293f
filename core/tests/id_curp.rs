//! CURP rules, error codes and positions, modes, messages and properties.

use employment_link_core::id::curp::{self, Sex, INCONVENIENT_WORDS, STATES};
use employment_link_core::id::{message, Code, Date, Expected, IdError, Kind, Locale, Options};
use proptest::prelude::*;

const LENIENT: Options = Options {
    strict: false,
    today: None,
};
const STRICT: Options = Options {
    strict: true,
    today: None,
};

fn today(y: u16, m: u8, d: u8) -> Options {
    Options {
        strict: false,
        today: Date::new(y, m, d),
    }
}

/// Independent reference check digit: index in the 37-symbol alphabet, weights 18..2.
fn ref_check_digit(first17: &str) -> char {
    const A: &str = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
    let alphabet: Vec<char> = A.chars().collect();
    let sum: usize = first17
        .chars()
        .enumerate()
        .map(|(i, c)| alphabet.iter().position(|&a| a == c).expect("alphabet") * (18 - i))
        .sum();
    char::from_digit(((10 - sum % 10) % 10) as u32, 10).expect("digit")
}

/// Completes 17 characters with the reference check digit.
fn fix(first17: &str) -> String {
    assert_eq!(first17.chars().count(), 17, "{first17}");
    let mut s = first17.to_string();
    s.push(ref_check_digit(first17));
    s
}

fn err(input: &str, opts: &Options) -> IdError {
    match curp::validate(input, opts) {
        Ok(c) => panic!("{input:?} unexpectedly valid as {}", c.as_str()),
        Err(e) => e,
    }
}

/// (code, position, expected) of the error.
fn cpe(input: &str, opts: &Options) -> (Code, Option<u32>, Expected) {
    let e = err(input, opts);
    (e.code, e.position, e.expected)
}

fn at(code: Code, pos: u32, expected: Expected) -> (Code, Option<u32>, Expected) {
    (code, Some(pos), expected)
}

/// The 14 CURPs python-stdnum's test file lists as found online, plus its module doctest.
const STDNUM: &[&str] = &[
    "AAAA000101HDFCCC09",
    "AAMG890608HDFLJL00",
    "BAAA890317HDFRLL03",
    "BAAD890419HMNRRV07",
    "BEML920313HMCLNS09",
    "HEGG560427MVZRRL04",
    "HEGR891009HMNRRD09",
    "MARR890512HMNRMN09",
    "MESJ890928HMNZNS00",
    "OOMG890727HMNRSR06",
    "PEGL890909MJCRMS08",
    "TOMA880125HMNRRN02",
    "TOMA880125HMNRRNO2",
    "VIAA900930MMNCLL08",
    "BOXW310820HNERXN09",
];

/// Real-world-style CURPs (hypothetical people), check digits from the reference function.
const MORE: &[&str] = &[
    "PEXA850412HJCRRN09",
    "PEXA850412MJCRRN09",
    "BXCA890909MJCRMS07",
    "AAAA000229HDFCCCA6",
    "XEXX010101HNEXXXA4",
    "GOMC960229MDFNRR00",
    "LOPE900101XJCPRR02",
    "SAMR750505HNLNRS06",
    "RUVA031120MSPZLNA7",
    "MOGE820315HMCRNR09",
    "GAXJ780716HVZRRN03",
    "ROLM991231MYNDPR07",
    "CAUL640222HCHSRS01",
    "DIPA051108MTSZRLB7",
    "VEGM370419HGTGRR08",
    "NUOA880808MOCXXN05",
    "EUBL501130HBSSLS04",
    "IIAJ420614MQTBRN00",
    "OEMA210301HCLLNRA0",
    "UURC550724MZSRMR05",
];

#[test]
fn valid_real_world_style() {
    let all: Vec<&str> = STDNUM.iter().chain(MORE).copied().collect();
    assert!(all.len() >= 20);
    for s in all {
        assert_eq!(ref_check_digit(&s[..17]), s.chars().last().unwrap(), "{s}");
        let c = curp::validate(s, &LENIENT).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        assert_eq!(c.as_str(), s);
        assert!(curp::is_valid(s, &STRICT), "{s}");
        assert_eq!(curp::check_prefix(s, &LENIENT), Ok(true), "{s}");
        assert_eq!(
            curp::validate_sandbox(s, &LENIENT).map(|b| b.to_vec()),
            Ok(s.as_bytes().to_vec())
        );
    }
}

#[test]
fn worked_example_and_components() {
    assert_eq!(curp::check_digit(b"PEXA850412HJCRRN0"), Some(b'9'));
    let c = curp::validate("PEXA850412HJCRRN09", &LENIENT).unwrap();
    assert_eq!(c.birth_date(), Date::new(1985, 4, 12).unwrap());
    assert_eq!(c.sex(), Sex::Male);
    assert_eq!(c.sex().as_char(), 'H');
    assert_eq!(c.state(), "JC");
    assert_eq!(c.state_name(), "Jalisco");
    assert!(!c.born_abroad());
    assert_eq!(c.differentiator(), '0');
    assert_eq!(c.check_char(), '9');
    assert_eq!(c.as_bytes(), b"PEXA850412HJCRRN09");

    let c = curp::validate("HEGG560427MVZRRL04", &LENIENT).unwrap();
    assert_eq!(c.sex(), Sex::Female);
    assert_eq!(c.birth_date(), Date::new(1956, 4, 27).unwrap());
    assert_eq!(c.state_name(), "Veracruz");

    let c = curp::validate("XEXX010101HNEXXXA4", &LENIENT).unwrap();
    assert!(c.born_abroad());
    assert_eq!(c.state(), "NE");
    assert_eq!(c.state_name(), "Nacido en el extranjero");
    assert_eq!(c.birth_date(), Date::new(2001, 1, 1).unwrap());

    let c = curp::validate("AAMG890608HDFLJL00", &LENIENT).unwrap();
    assert_eq!(c.state(), "DF");
    assert_eq!(c.state_name(), "Ciudad de México");

    let c = curp::validate("LOPE900101XJCPRR02", &LENIENT).unwrap();
    assert_eq!(c.sex(), Sex::NonBinary);
    assert_eq!(c.sex().as_char(), 'X');
}

#[test]
fn check_digit_function() {
    assert_eq!(curp::check_digit(b"PEXA850412HJCRRN"), None);
    assert_eq!(curp::check_digit(b"PEXA850412HJCRRN09"), None);
    assert_eq!(curp::check_digit(b"PEXA850412HJCRRn0"), None);
    assert_eq!(curp::check_digit(b""), None);
    // O (25) and 0 (0) at weight 2 differ by 50: same check digit.
    assert_eq!(
        curp::check_digit(b"TOMA880125HMNRRN0"),
        curp::check_digit(b"TOMA880125HMNRRNO")
    );
    // The Latin-1 Ñ byte has value 24, between N (23) and O (25).
    let n = curp::check_digit(b"NAAA000101HDFCCC0").unwrap();
    let enye = curp::check_digit(b"\xD1AAA000101HDFCCC0").unwrap();
    let o = curp::check_digit(b"OAAA000101HDFCCC0").unwrap();
    // Weight 18: each step of 1 in value moves the digit by -8 ≡ 2 (mod 10).
    assert_eq!((n as i32 - enye as i32).rem_euclid(10), 8);
    assert_eq!((enye as i32 - o as i32).rem_euclid(10), 8);
    assert_eq!(curp::ALPHABET.chars().count(), 37);
    assert_eq!(curp::ALPHABET.chars().nth(24), Some('Ñ'));
}

#[test]
fn tables() {
    assert_eq!(STATES.len(), 33);
    let mut codes: Vec<&str> = STATES.iter().map(|(c, _)| *c).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 33);
    assert!(codes.contains(&"NE") && codes.contains(&"DF"));
    assert!(!codes.contains(&"CX"));
    assert_eq!(INCONVENIENT_WORDS.len(), 81);
    assert!(
        INCONVENIENT_WORDS.windows(2).all(|w| w[0] < w[1]),
        "sorted, unique"
    );
    assert!(!INCONVENIENT_WORDS.contains(&"MALA") && !INCONVENIENT_WORDS.contains(&"MALO"));
    for w in INCONVENIENT_WORDS {
        assert!(
            matches!(w.as_bytes()[1], b'A' | b'E' | b'I' | b'O' | b'U'),
            "{w}"
        );
    }
}

#[test]
fn lenient_normalisation() {
    for input in [
        " pexa850412hjcrrn09 ",
        "PEXA-850412-HJCRRN-09",
        "pexa_850412_hjc_rrn_09",
        "PEXA 8504 12HJ CRRN 09",
        "\tPEXA850412HJCRRN09\n",
        "PEXA\u{a0}850412HJCRRN09",
    ] {
        let c = curp::validate(input, &LENIENT).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        assert_eq!(c.as_str(), "PEXA850412HJCRRN09");
        // Strict rejects every one of them.
        assert!(!curp::is_valid(input, &STRICT), "{input:?}");
    }
    let compact: String = curp::compact(" pe-xa_ñ ", false).collect();
    assert_eq!(compact, "PEXAÑ");
    let compact: String = curp::compact(" pe-xa ", true).collect();
    assert_eq!(compact, " pe-xa ");
}

#[test]
fn empty() {
    for input in ["", "   ", "-_-", "\n\t "] {
        assert_eq!(
            err(input, &LENIENT),
            IdError::whole(Code::Empty),
            "{input:?}"
        );
    }
    assert_eq!(err("", &STRICT), IdError::whole(Code::Empty));
    assert_eq!(cpe(" ", &STRICT), at(Code::Character, 0, Expected::Letter));
}

#[test]
fn character_classes_by_position() {
    let base = "PEXA850412HJCRRN09";
    let cases: &[(usize, char, Expected)] = &[
        (0, '1', Expected::Letter),
        (1, 'B', Expected::VowelOrX),
        (1, '5', Expected::VowelOrX),
        (2, '3', Expected::Letter),
        (3, '*', Expected::Letter),
        (4, 'A', Expected::Digit),
        (7, 'I', Expected::Digit),
        (9, 'O', Expected::Digit),
        (10, '5', Expected::Sex),
        (11, '1', Expected::Letter),
        (12, '#', Expected::Letter),
        (13, 'A', Expected::ConsonantOrX),
        (14, 'E', Expected::ConsonantOrX),
        (15, 'U', Expected::ConsonantOrX),
        (15, '4', Expected::ConsonantOrX),
        (16, '*', Expected::DigitOrLetter),
        (17, 'A', Expected::Digit),
        (17, 'Ñ', Expected::NotEnye),
        (0, 'é', Expected::Letter),
        (5, '５', Expected::Digit),
    ];
    for &(pos, ch, expected) in cases {
        let input: String = base
            .chars()
            .enumerate()
            .map(|(i, c)| if i == pos { ch } else { c })
            .collect();
        for opts in [LENIENT, STRICT] {
            assert_eq!(
                cpe(&input, &opts),
                at(Code::Character, pos as u32, expected),
                "{input} strict={}",
                opts.strict
            );
        }
    }
    // Leftmost wins.
    assert_eq!(
        cpe("PBXA8504I2HJCRRN09", &LENIENT),
        at(Code::Character, 1, Expected::VowelOrX)
    );
    // Strict: lower case, spaces and separators are characters of the wrong class.
    assert_eq!(
        cpe("pEXA850412HJCRRN09", &STRICT),
        at(Code::Character, 0, Expected::Letter)
    );
    assert_eq!(
        cpe("PEXA850412HJCRRn09", &STRICT),
        at(Code::Character, 15, Expected::ConsonantOrX)
    );
    assert_eq!(
        cpe("PEXA-850412HJCRRN09", &STRICT),
        at(Code::Character, 4, Expected::Digit)
    );
    assert_eq!(
        cpe("PEXA850412HJCRRN09 ", &STRICT),
        at(Code::Character, 18, Expected::Allowed)
    );
    // Positions count normalised characters: separators removed before the index.
    assert_eq!(
        cpe("PE-XA 85/0412HJCRRN09", &LENIENT),
        at(Code::Character, 6, Expected::Digit)
    );
    // Non-ASCII characters count as one position each.
    assert_eq!(
        cpe("😀EXA850412HJCRRN09", &LENIENT),
        at(Code::Character, 0, Expected::Letter)
    );
}

#[test]
fn enye_hint() {
    for input in [
        "PEÑA850412HJCRRN09",
        "peña850412hjcrrn09",
        "XEXA850412HJCRRÑ09",
    ] {
        let e = err(input, &LENIENT);
        assert_eq!(e.code, Code::Character);
        assert_eq!(e.expected, Expected::NotEnye);
    }
    assert_eq!(cpe("PEÑA850412HJCRRN09", &LENIENT).1, Some(2));
    assert_eq!(
        cpe("peña850412hjcrrn09", &STRICT),
        at(Code::Character, 0, Expected::Letter)
    );
    assert_eq!(
        cpe("PEÑA850412HJCRRN09", &STRICT),
        at(Code::Character, 2, Expected::NotEnye)
    );
    // Beyond the 18th character too.
    assert_eq!(
        cpe("PEXA850412HJCRRN09Ñ", &LENIENT),
        at(Code::Character, 18, Expected::NotEnye)
    );
    // Ñ is an error, never silently turned into X.
    let m = message(Kind::Curp, &err("PEÑA850412HJCRRN09", &LENIENT), Locale::Es);
    assert!(
        m.contains("RENAPO") && m.contains('X') && m.contains('3'),
        "{m}"
    );
}

#[test]
fn length() {
    let e = err("PEXA850412HJCRRN0", &LENIENT);
    assert_eq!(
        e,
        IdError {
            found_len: 17,
            ..IdError::whole(Code::Length)
        }
    );
    let e = err("PEXA850412HJCRRN091", &LENIENT);
    assert_eq!((e.code, e.position, e.found_len), (Code::Length, None, 19));
    let e = err("PEXA850412HJCRRN09PEXA850412HJCRRN09", &STRICT);
    assert_eq!((e.code, e.found_len), (Code::Length, 36));
    // python-stdnum's '1230' is a class error here (position 0 must be a letter).
    assert_eq!(
        cpe("1230", &LENIENT),
        at(Code::Character, 0, Expected::Letter)
    );
    assert_eq!(err("PEX", &LENIENT).found_len, 3);
    // Illegal extra characters are Character errors (they precede Length).
    assert_eq!(
        cpe("PEXA850412HJCRRN09/", &LENIENT),
        at(Code::Character, 18, Expected::Allowed)
    );
    assert_eq!(
        cpe("PEXA850412HJCRRN09AB.", &LENIENT),
        at(Code::Character, 20, Expected::Allowed)
    );
    // A class error in a short input precedes Length.
    assert_eq!(
        cpe("PEXA85O", &LENIENT),
        at(Code::Character, 6, Expected::Digit)
    );
}

#[test]
fn dates() {
    let date = |s17: &str| cpe(&fix(s17), &LENIENT);
    // python-stdnum's invalid-date example.
    assert_eq!(
        cpe("PEGL891313MJCRMS06", &LENIENT),
        at(Code::Date, 7, Expected::Month)
    );
    assert_eq!(
        date("PEGL892013MJCRMS0"),
        at(Code::Date, 6, Expected::Month)
    );
    assert_eq!(
        date("PEGL890013MJCRMS0"),
        at(Code::Date, 7, Expected::Month)
    );
    assert_eq!(date("PEGL890132MJCRMS0"), at(Code::Date, 9, Expected::Day));
    assert_eq!(date("PEGL890140MJCRMS0"), at(Code::Date, 8, Expected::Day));
    assert_eq!(date("PEGL890100MJCRMS0"), at(Code::Date, 9, Expected::Day));
    assert_eq!(date("PEGL890230MJCRMS0"), at(Code::Date, 8, Expected::Day));
    assert_eq!(date("PEGL890431MJCRMS0"), at(Code::Date, 9, Expected::Day));
    assert_eq!(date("PEGL891131MJCRMS0"), at(Code::Date, 9, Expected::Day));
    // Feb 29: 1997 and 2097 are not leap years.
    assert_eq!(
        cpe("AAAA970229HJCRRN08", &LENIENT),
        at(Code::Date, 9, Expected::Day)
    );
    // 1996 is a leap year.
    assert!(curp::is_valid("GOMC960229MDFNRR00", &LENIENT));
    // YY = 00: a digit in position 17 means 1900 (not leap), a letter 2000 (leap).
    assert_eq!(
        cpe("AAAA000229HDFCCC06", &LENIENT),
        at(Code::Date, 16, Expected::Day)
    );
    let c = curp::validate("AAAA000229HDFCCCA6", &LENIENT).unwrap();
    assert_eq!(c.birth_date(), Date::new(2000, 2, 29).unwrap());
    assert_eq!(Date::new(1900, 2, 29), None);
}

#[test]
fn valid_dates_at_month_ends() {
    for s17 in [
        "PEGL891231MJCRMS0",
        "PEGL890131MJCRMS0",
        "PEGL890228MJCRMS0",
        "PEGL890430MJCRMS0",
    ] {
        assert!(curp::is_valid(&fix(s17), &LENIENT), "{s17}");
    }
}

#[test]
fn future_dates() {
    let t = today(2025, 6, 15);
    // A letter in position 17 with YY = 50 means 2050.
    assert_eq!(
        cpe("AAAA500101HJCRRNA8", &t),
        at(Code::FutureDate, 16, Expected::Nothing)
    );
    // Without an injected today the rule is off.
    assert!(curp::is_valid("AAAA500101HJCRRNA8", &LENIENT));
    // The boundary: today itself is fine, tomorrow is not.
    assert!(curp::is_valid("AAAA250615HJCRRNA4", &t));
    assert_eq!(
        cpe("AAAA250616HJCRRNA5", &t),
        at(Code::FutureDate, 16, Expected::Nothing)
    );
    // python-stdnum accepts TOMA880125HMNRRNO2 (2088); with a clock it is a future date at
    // the letter O, while the digit-0 twin (1988) is fine.
    assert_eq!(
        cpe("TOMA880125HMNRRNO2", &t),
        at(Code::FutureDate, 16, Expected::Nothing)
    );
    assert!(curp::is_valid("TOMA880125HMNRRN02", &t));
    // Every STDNUM/MORE example except the O one is in the past.
    for s in STDNUM.iter().chain(MORE) {
        assert_eq!(curp::is_valid(s, &t), *s != "TOMA880125HMNRRNO2", "{s}");
    }
    // A 'today' before 2000: every reading of YY = 99 is in the future, found at position 5.
    let old = today(1990, 1, 1);
    assert_eq!(
        cpe("MAXX991231HJCRRN02", &old),
        at(Code::FutureDate, 5, Expected::Nothing)
    );
    assert!(curp::is_valid("MAXX991231HJCRRN02", &LENIENT));
    // An impossible date is a Date error even with a clock.
    assert_eq!(cpe("PEGL891313MJCRMS06", &t).0, Code::Date);
}

#[test]
fn sex() {
    assert_eq!(
        cpe("PEGL890909QJCRMS08", &LENIENT),
        at(Code::Sex, 10, Expected::Sex)
    );
    assert_eq!(
        cpe(&fix("PEGL890909FJCRMS0"), &STRICT),
        at(Code::Sex, 10, Expected::Sex)
    );
    assert_eq!(
        cpe(&fix("PEGL8909091JCRMS0"), &LENIENT),
        at(Code::Character, 10, Expected::Sex)
    );
    for s in ["H", "M", "X"] {
        let input = fix(&format!("PEGL890909{s}JCRMS0"));
        assert!(curp::is_valid(&input, &LENIENT), "{input}");
    }
    // H and M are checksum-identical (weight 8, difference 5).
    assert!(curp::is_valid("PEXA850412HJCRRN09", &LENIENT));
    assert!(curp::is_valid("PEXA850412MJCRRN09", &LENIENT));
}

#[test]
fn state() {
    // python-stdnum's invalid-state example: Q starts QT/QR, so the second Q is at fault.
    assert_eq!(
        cpe("PEGL890909MQQRMS02", &LENIENT),
        at(Code::State, 12, Expected::Nothing)
    );
    assert_eq!(
        cpe(&fix("PEGL890909MWXRMS0"), &LENIENT),
        at(Code::State, 11, Expected::Nothing)
    );
    assert_eq!(
        cpe(&fix("PEGL890909MXXRMS0"), &LENIENT),
        at(Code::State, 11, Expected::Nothing)
    );
    assert_eq!(
        cpe(&fix("PEGL890909MCXRMS0"), &LENIENT),
        at(Code::State, 12, Expected::Nothing)
    );
    assert_eq!(
        cpe(&fix("PEGL890909MDXRMS0"), &LENIENT),
        at(Code::State, 12, Expected::Nothing)
    );
    assert_eq!(
        cpe(&fix("PEGL890909MJ1RMS0"), &LENIENT),
        at(Code::Character, 12, Expected::Letter)
    );
    for (code, _) in STATES {
        let input = fix(&format!("PEGL890909M{code}RMS0"));
        let c = curp::validate(&input, &LENIENT).unwrap();
        assert_eq!(c.state(), *code);
        assert_eq!(c.born_abroad(), *code == "NE");
    }
}

#[test]
fn inconvenient_words() {
    // python-stdnum's bad-word example, and RENAPO's replacement.
    assert_eq!(
        cpe("BACA890909MJCRMS05", &LENIENT),
        at(Code::InconvenientWord, 1, Expected::Nothing)
    );
    assert!(curp::is_valid("BXCA890909MJCRMS07", &LENIENT));
    for w in INCONVENIENT_WORDS {
        let input = fix(&format!("{w}890909MJCRMS0"));
        assert_eq!(
            cpe(&input, &LENIENT),
            at(Code::InconvenientWord, 1, Expected::Nothing)
        );
        let replaced = fix(&format!("{}X{}890909MJCRMS0", &w[..1], &w[2..]));
        assert!(curp::is_valid(&replaced, &LENIENT), "{replaced}");
    }
    for w in ["MALA", "MALO"] {
        assert!(curp::is_valid(&fix(&format!("{w}890909MJCRMS0")), &LENIENT));
    }
}

#[test]
fn check_digit_error() {
    assert_eq!(
        cpe("PEGL890909MJCRMS09", &LENIENT),
        at(Code::CheckDigit, 17, Expected::Nothing)
    );
    // Position 9 has weight 10: the tens digit of the day is never caught by the check digit
    // (id-rules 1.6), but the date rule still applies.
    assert!(curp::is_valid("PEXA850402HJCRRN09", &LENIENT));
}

#[test]
fn o_versus_zero() {
    // O at position 10 (a digit position) is a class error with its position.
    assert_eq!(
        cpe("PEXA85O412HJCRRN09", &LENIENT),
        at(Code::Character, 6, Expected::Digit)
    );
    // 0 at position 2 (a vowel position) likewise.
    assert_eq!(
        cpe("P0XA850412HJCRRN09", &LENIENT),
        at(Code::Character, 1, Expected::VowelOrX)
    );
    // Position 17: both forms are well-formed; O means 20YY.
    assert_eq!(
        curp::validate("TOMA880125HMNRRNO2", &LENIENT)
            .unwrap()
            .birth_date(),
        Date::new(2088, 1, 25).unwrap()
    );
    assert_eq!(
        curp::validate("TOMA880125HMNRRN02", &LENIENT)
            .unwrap()
            .birth_date(),
        Date::new(1988, 1, 25).unwrap()
    );
}

#[test]
fn precedence() {
    // Character beats everything, Length beats the semantic rules.
    assert_eq!(cpe("BACA891313QQQ", &LENIENT).0, Code::Length);
    assert_eq!(
        cpe("BACA891313QQQRMS0*", &LENIENT),
        at(Code::Character, 17, Expected::Digit)
    );
    // Semantic rules in prefix order.
    assert_eq!(
        cpe("BACA891313QQQRMS00", &LENIENT).0,
        Code::InconvenientWord
    );
    assert_eq!(cpe("BXCA891313QQQRMS00", &LENIENT).0, Code::Date);
    assert_eq!(cpe("BXCA891212QQQRMS00", &LENIENT).0, Code::Sex);
    assert_eq!(cpe("BXCA891212HQQRMS00", &LENIENT).0, Code::State);
    assert_eq!(cpe("BXCA000229HQTRMS00", &LENIENT).0, Code::Date);
    assert_eq!(
        cpe("BXCA480229HQTRMSA0", &today(2025, 1, 1)).0,
        Code::FutureDate
    );
    assert_eq!(cpe("BXCA891212HQTRMS00", &LENIENT).0, Code::CheckDigit);
}

#[test]
fn sandbox() {
    let ok = curp::validate_sandbox("BLPM951331IONVGR54", &LENIENT).unwrap();
    assert_eq!(&ok, b"BLPM951331IONVGR54");
    assert!(!curp::is_valid("BLPM951331IONVGR54", &LENIENT));
    assert_eq!(
        &curp::validate_sandbox(" blpm-951331ionvgr54 ", &LENIENT).unwrap(),
        b"BLPM951331IONVGR54"
    );
    assert_eq!(
        &curp::validate_sandbox("123456789012345678", &STRICT).unwrap(),
        b"123456789012345678"
    );
    let e = curp::validate_sandbox("blpm951331ionvgr54", &STRICT).unwrap_err();
    assert_eq!(
        (e.code, e.position, e.expected),
        at(Code::Character, 0, Expected::DigitOrLetter)
    );
    let e = curp::validate_sandbox("BLPM95133", &LENIENT).unwrap_err();
    assert_eq!((e.code, e.found_len), (Code::Length, 9));
    let e = curp::validate_sandbox("BLPM9513*1IONVGR54", &LENIENT).unwrap_err();
    assert_eq!(
        (e.code, e.position, e.expected),
        at(Code::Character, 8, Expected::DigitOrLetter)
    );
    let e = curp::validate_sandbox("BLPÑ951331IONVGR54", &LENIENT).unwrap_err();
    assert_eq!(
        (e.code, e.position, e.expected),
        at(Code::Character, 3, Expected::NotEnye)
    );
    let e = curp::validate_sandbox("BLPM951331IONVGR54/", &LENIENT).unwrap_err();
    assert_eq!(
        (e.code, e.position, e.expected),
        at(Code::Character, 18, Expected::Allowed)
    );
    assert_eq!(
        curp::validate_sandbox("", &LENIENT).unwrap_err(),
        IdError::whole(Code::Empty)
    );
}

#[test]
fn check_prefix_examples() {
    let p = |s: &str| curp::check_prefix(s, &LENIENT);
    let perr = |s: &str| {
        let e = p(s).unwrap_err();
        (e.code, e.position, e.expected)
    };
    assert_eq!(p(""), Ok(false));
    assert_eq!(p("pexa"), Ok(false));
    assert_eq!(p("PEXA850412HJCRRN0"), Ok(false));
    assert_eq!(p("PEXA850412HJCRRN09"), Ok(true));
    assert_eq!(perr("1"), at(Code::Character, 0, Expected::Letter));
    assert_eq!(perr("PB"), at(Code::Character, 1, Expected::VowelOrX));
    assert_eq!(
        perr("BACA"),
        at(Code::InconvenientWord, 1, Expected::Nothing)
    );
    assert_eq!(p("BAC"), Ok(false));
    // Month: "1" then "3".
    assert_eq!(p("PEXA851"), Ok(false));
    assert_eq!(perr("PEXA8513"), at(Code::Date, 7, Expected::Month));
    assert_eq!(perr("PEXA852"), at(Code::Date, 6, Expected::Month));
    assert_eq!(perr("PEXA8500"), at(Code::Date, 7, Expected::Month));
    // Day: "3" then "2"; "4" at once; 31 in a 30-day month; Feb 30.
    assert_eq!(p("PEXA85013"), Ok(false));
    assert_eq!(perr("PEXA850132"), at(Code::Date, 9, Expected::Day));
    assert_eq!(perr("PEXA85014"), at(Code::Date, 8, Expected::Day));
    assert_eq!(perr("PEXA850431"), at(Code::Date, 9, Expected::Day));
    assert_eq!(perr("PEXA85023"), at(Code::Date, 8, Expected::Day));
    assert_eq!(perr("PEXA850229"), at(Code::Date, 9, Expected::Day));
    assert_eq!(perr("PEXA850200"), at(Code::Date, 9, Expected::Day));
    // Feb 29 of YY = 00 stays possible until position 17 picks the century.
    assert_eq!(p("PEXA000229HJCRRN"), Ok(false));
    assert_eq!(perr("PEXA000229HJCRRN0"), at(Code::Date, 16, Expected::Day));
    assert_eq!(p("PEXA000229HJCRRNA"), Ok(false));
    // Sex and state.
    assert_eq!(perr("PEXA850412Q"), at(Code::Sex, 10, Expected::Sex));
    assert_eq!(perr("PEXA8504121"), at(Code::Character, 10, Expected::Sex));
    assert_eq!(p("PEXA850412HQ"), Ok(false));
    assert_eq!(
        perr("PEXA850412HQX"),
        at(Code::State, 12, Expected::Nothing)
    );
    assert_eq!(perr("PEXA850412HW"), at(Code::State, 11, Expected::Nothing));
    // Future date once determinable.
    let t = today(2025, 6, 15);
    assert_eq!(curp::check_prefix("AAAA500101HJCRRN", &t), Ok(false));
    let e = curp::check_prefix("AAAA500101HJCRRNA", &t).unwrap_err();
    assert_eq!((e.code, e.position), (Code::FutureDate, Some(16)));
    assert_eq!(curp::check_prefix("AAAA500101HJCRRN0", &t), Ok(false));
    let e = curp::check_prefix("MAXX99", &today(1990, 1, 1)).unwrap_err();
    assert_eq!((e.code, e.position), (Code::FutureDate, Some(5)));
    // Check digit and length.
    assert_eq!(
        perr("PEXA850412HJCRRN08"),
        at(Code::CheckDigit, 17, Expected::Nothing)
    );
    let e = p("PEXA850412HJCRRN091234").unwrap_err();
    assert_eq!(
        (e.code, e.position, e.found_len),
        (Code::Length, Some(18), 22)
    );
    assert_eq!(
        perr("PEXA850412HJCRRN09!"),
        at(Code::Character, 18, Expected::Allowed)
    );
    // The leftmost impossibility wins over later ones.
    assert_eq!(
        perr("BACA8513"),
        at(Code::InconvenientWord, 1, Expected::Nothing)
    );
    assert_eq!(perr("PEÑ"), at(Code::Character, 2, Expected::NotEnye));
    // Strict mode indexes into the raw input.
    assert_eq!(curp::check_prefix("PEXA", &STRICT), Ok(false));
    let e = curp::check_prefix("PEXA 85", &STRICT).unwrap_err();
    assert_eq!((e.code, e.position), (Code::Character, Some(4)));
    let e = curp::check_prefix("pe", &STRICT).unwrap_err();
    assert_eq!((e.code, e.position), (Code::Character, Some(0)));
}

#[test]
fn generator_coverage() {
    let mut states = std::collections::HashSet::new();
    let (mut h, mut m, mut x, mut c19, mut c20) = (0, 0, 0, 0, 0);
    let max = Date::new(2025, 12, 31).unwrap();
    for seed in 0..5000u64 {
        let c = curp::generate(seed);
        assert_eq!(c, curp::generate(seed), "deterministic");
        let s = c.as_str();
        assert!(curp::is_valid(s, &STRICT), "{s}");
        assert!(
            curp::is_valid(
                s,
                &Options {
                    strict: false,
                    today: Some(max)
                }
            ),
            "{s}"
        );
        assert!(!INCONVENIENT_WORDS.contains(&&s[..4]), "{s}");
        assert!(c.birth_date() <= max);
        states.insert(c.state());
        match c.sex() {
            Sex::Male => h += 1,
            Sex::Female => m += 1,
            Sex::NonBinary => x += 1,
        }
        if c.birth_date().year < 2000 {
            c19 += 1
        } else {
            c20 += 1
        }
    }
    assert_eq!(states.len(), 33);
    assert!(h > 0 && m > 0 && x > 0 && c19 > 0 && c20 > 0);
    assert_ne!(curp::generate(1), curp::generate(2));
}

/// Every error a CURP can produce, for the message tests.
fn sample_errors() -> Vec<(IdError, u32)> {
    let inputs: &[(&str, Options)] = &[
        ("", LENIENT),
        ("PEXA850412HJCRRN0", LENIENT),
        ("P1XA850412HJCRRN09", LENIENT),
        ("PEÑA850412HJCRRN09", LENIENT),
        ("PEXA850412HJCRRN09/", LENIENT),
        ("PEXA8504I2HJCRRN09", LENIENT),
        ("PEXA850412HJCARN09", LENIENT),
        ("PEXA850412HJCRRN*9", LENIENT),
        ("PEGL891313MJCRMS06", LENIENT),
        ("PEGL890132MJCRMS06", LENIENT),
        ("AAAA000229HDFCCC06", LENIENT),
        ("AAAA500101HJCRRNA8", today(2025, 6, 15)),
        ("MAXX991231HJCRRN02", today(1990, 1, 1)),
        ("PEGL890909QJCRMS08", LENIENT),
        ("PEXA8504121JCRRN09", LENIENT),
        ("PEGL890909MQQRMS02", LENIENT),
        ("BACA890909MJCRMS05", LENIENT),
        ("PEGL890909MJCRMS09", LENIENT),
    ];
    inputs
        .iter()
        .map(|(s, o)| {
            let e = err(s, o);
            (e, e.position.map_or(0, |p| p + 1))
        })
        .collect()
}

#[test]
fn messages_in_three_locales() {
    let mut seen_codes = std::collections::HashSet::new();
    for (e, human_pos) in sample_errors() {
        seen_codes.insert(e.code);
        let es = message(Kind::Curp, &e, Locale::Es);
        let pt = message(Kind::Curp, &e, Locale::Pt);
        let en = message(Kind::Curp, &e, Locale::En);
        assert!(
            es != pt && pt != en && es != en,
            "{e:?}: {es} | {pt} | {en}"
        );
        for m in [&es, &pt, &en] {
            assert!(!m.is_empty());
            assert!(
                !m.contains("PEXA") && !m.contains("PEGL") && !m.contains("BACA"),
                "{m}"
            );
            if e.code == Code::Length {
                assert!(
                    m.contains("18") && m.contains(&e.found_len.to_string()),
                    "{m}"
                );
            } else if human_pos > 0 {
                assert!(m.contains(&human_pos.to_string()), "{e:?}: {m}");
            }
        }
    }
    for code in [
        Code::Empty,
        Code::Character,
        Code::Length,
        Code::Date,
        Code::FutureDate,
        Code::Sex,
        Code::State,
        Code::InconvenientWord,
        Code::CheckDigit,
    ] {
        assert!(seen_codes.contains(&code), "{code:?}");
    }
    let sex = IdError::at(Code::Character, 10, Expected::Sex);
    assert!(message(Kind::Curp, &sex, Locale::En).contains("Character 11 must be H, M or X"));
    assert!(message(Kind::Curp, &sex, Locale::Es).contains("El carácter 11 debe ser H, M o X"));
    assert!(message(Kind::Curp, &sex, Locale::Pt).contains("O caractere 11 deve ser H, M ou X"));
    let len = err("PEX", &LENIENT);
    assert_eq!(
        message(Kind::Curp, &len, Locale::Es),
        "La CURP debe tener 18 caracteres; tiene 3."
    );
    let enye = err("PEÑA850412HJCRRN09", &LENIENT);
    for l in [Locale::Es, Locale::Pt, Locale::En] {
        let m = message(Kind::Curp, &enye, l);
        assert!(
            m.contains("RENAPO") && m.contains(" X ") && m.contains('3'),
            "{m}"
        );
    }
    for code in [Code::Type, Code::Institution] {
        let ms: Vec<String> = [Locale::Es, Locale::Pt, Locale::En]
            .iter()
            .map(|&l| message(Kind::Curp, &IdError::whole(code), l))
            .collect();
        assert!(ms[0] != ms[1] && ms[1] != ms[2]);
    }
}

// ---------------------------------------------------------------------------------------
// Properties

/// Independent reference for "can this prefix still become a valid CURP?": checks each
/// rule directly and enumerates every calendar date 1900-01-01..=2099-12-31.
fn ref_prefix_ok(p: &[u8], today: Option<Date>) -> bool {
    let vowel = |b: u8| b"AEIOU".contains(&b);
    for (i, &b) in p.iter().enumerate() {
        let ok = match i {
            0 | 2 | 3 | 11 | 12 => b.is_ascii_uppercase(),
            1 => vowel(b) || b == b'X',
            4..=9 | 17 => b.is_ascii_digit(),
            10 => b"HMX".contains(&b),
            13..=15 => b.is_ascii_uppercase() && !vowel(b),
            16 => b.is_ascii_alphanumeric() && !b.is_ascii_lowercase(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    if p.len() >= 4 && INCONVENIENT_WORDS.iter().any(|w| w.as_bytes() == &p[..4]) {
        return false;
    }
    if p.len() >= 12 && !STATES.iter().any(|(c, _)| c.as_bytes()[0] == p[11]) {
        return false;
    }
    if p.len() >= 13 && !STATES.iter().any(|(c, _)| c.as_bytes() == &p[11..13]) {
        return false;
    }
    if p.len() > 4 {
        let known = &p[4..p.len().min(10)];
        let century = p
            .get(16)
            .map_or(0, |b| if b.is_ascii_digit() { 1900 } else { 2000 });
        if !date_patterns().contains(&(today.is_some(), century, known.to_vec())) {
            return false;
        }
    }
    if p.len() >= 18 {
        let s = std::str::from_utf8(&p[..17]).unwrap();
        if ref_check_digit(s) as u8 != p[17] || p.len() > 18 {
            return false;
        }
    }
    true
}

/// The fixed "today" of the property tests.
const PROP_TODAY: (u16, u8, u8) = (2011, 3, 5);

/// Every (with today, century or 0, prefix of YYMMDD) that some real date 1900–2099 has,
/// computed with an independent leap-year rule.
fn date_patterns() -> &'static std::collections::HashSet<(bool, u16, Vec<u8>)> {
    static SET: std::sync::OnceLock<std::collections::HashSet<(bool, u16, Vec<u8>)>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set = std::collections::HashSet::new();
        for year in 1900u16..=2099 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let lengths = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            for (m, &len) in lengths.iter().enumerate() {
                let month = m as u8 + 1;
                for day in 1..=len {
                    let enc = format!("{:02}{:02}{:02}", year % 100, month, day).into_bytes();
                    for with_today in [false, true] {
                        if with_today && (year, month, day) > PROP_TODAY {
                            continue;
                        }
                        for k in 1..=6 {
                            set.insert((with_today, 0, enc[..k].to_vec()));
                            set.insert((with_today, year / 100 * 100, enc[..k].to_vec()));
                        }
                    }
                }
            }
        }
        set
    })
}

/// A character likely to matter at position `i` (mostly of the right class).
fn mutation() -> impl Strategy<Value = (usize, u8)> {
    (
        0usize..18,
        prop::sample::select(b"0123456789AEHMOQSXZJCN".to_vec()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_curps_validate(seed in any::<u64>()) {
        let c = curp::generate(seed);
        prop_assert!(curp::is_valid(c.as_str(), &LENIENT));
        prop_assert!(curp::is_valid(c.as_str(), &STRICT));
        prop_assert_eq!(curp::validate(c.as_str(), &today(2025, 12, 31)), Ok(c));
        prop_assert_eq!(curp::check_digit(&c.as_bytes()[..17]), Some(c.as_bytes()[17]));
        prop_assert_eq!(ref_check_digit(&c.as_str()[..17]) as u8, c.as_bytes()[17]);
    }

    #[test]
    fn every_prefix_of_a_valid_curp_is_ok(seed in any::<u64>()) {
        let c = curp::generate(seed);
        let s = c.as_str();
        let t = today(2025, 12, 31);
        for n in 0..=18 {
            let expect_complete = n == 18;
            prop_assert_eq!(curp::check_prefix(&s[..n], &LENIENT), Ok(expect_complete), "{}", &s[..n]);
            prop_assert_eq!(curp::check_prefix(&s[..n], &STRICT), Ok(expect_complete));
            prop_assert_eq!(curp::check_prefix(&s[..n], &t), Ok(expect_complete));
            prop_assert_eq!(curp::check_prefix(&s[..n].to_lowercase(), &LENIENT), Ok(expect_complete));
        }
    }

    /// validate and check_prefix agree on every class-valid 18-character string, and
    /// check_prefix agrees with the independent reference on every prefix.
    #[test]
    fn validate_matches_prefix_scan(seed in any::<u64>(), muts in prop::collection::vec(mutation(), 1..4), future in any::<bool>()) {
        let mut b = *curp::generate(seed).as_bytes();
        for (i, ch) in muts {
            b[i] = ch;
        }
        let s = std::str::from_utf8(&b).unwrap();
        let opts = if future { today(PROP_TODAY.0, PROP_TODAY.1, PROP_TODAY.2) } else { LENIENT };
        let v = curp::validate(s, &opts);
        let p = curp::check_prefix(s, &opts);
        match (&v, &p) {
            (Ok(_), Ok(true)) => {}
            // validate reports the leftmost class error first; the prefix scan may meet a
            // semantic error earlier, but never a different class error.
            (Err(ve), Err(pe)) if ve.code == Code::Character => {
                if pe.code == Code::Character {
                    prop_assert_eq!(ve, pe);
                }
            }
            (Err(ve), Err(pe)) => prop_assert_eq!(ve, pe),
            _ => prop_assert!(false, "{} validate {:?} vs prefix {:?}", s, v, p),
        }
        for n in 0..=18 {
            let ok = curp::check_prefix(&s[..n], &opts).is_ok();
            prop_assert_eq!(ok, ref_prefix_ok(&b[..n], opts.today), "{}", &s[..n]);
        }
    }

    #[test]
    fn prefix_errors_are_final(seed in any::<u64>(), (i, ch) in mutation(), extra in "[A-Z0-9]{0,4}") {
        // Once a prefix fails, every extension fails with the same error (except Length).
        let mut b = *curp::generate(seed).as_bytes();
        b[i] = ch;
        let s = std::str::from_utf8(&b).unwrap();
        for n in 0..=18 {
            if let Err(e) = curp::check_prefix(&s[..n], &LENIENT) {
                for m in n..=18 {
                    prop_assert_eq!(curp::check_prefix(&s[..m], &LENIENT), Err(e));
                }
                let longer = format!("{}{}", &s[..n], extra);
                prop_assert_eq!(curp::check_prefix(&longer, &LENIENT).unwrap_err().position, e.position);
                break;
            }
        }
    }

    #[test]
    fn check_digit_matches_reference(s in "[A-Z0-9]{17}") {
        prop_assert_eq!(curp::check_digit(s.as_bytes()), Some(ref_check_digit(&s) as u8));
    }

    /// The boolean fast path's shortcuts (fewer than 18 bytes; 18 bytes that do not all fit)
    /// agree with `validate` on near-CURPs: one character replaced by a separator, a
    /// lower-case letter, an `ñ` or another class, inserted or removed.
    #[test]
    fn boolean_path_agrees_near_valid(
        seed in any::<u64>(),
        at in 0usize..19,
        c in prop::sample::select(vec![" ", "-", "_", "ñ", "Ñ", "a", "z", "0", "9", "X", "\u{a0}", "é"]),
        op in 0u8..3,
        strict in any::<bool>(),
    ) {
        let valid = curp::generate(seed).as_str().to_string();
        let mut chars: Vec<String> = valid.chars().map(String::from).collect();
        let at = at.min(chars.len() - 1);
        match op {
            0 => chars[at] = c.to_string(),
            1 => chars.insert(at, c.to_string()),
            _ => { chars.remove(at); }
        }
        let s: String = chars.concat();
        let opts = Options { strict, today: None };
        prop_assert_eq!(curp::validate(&s, &opts).is_ok(), curp::is_valid(&s, &opts), "{:?}", s);
    }

    #[test]
    fn any_string_is_total(s in ".{0,40}", strict in any::<bool>()) {
        let opts = Options { strict, today: None };
        let v = curp::validate(&s, &opts);
        prop_assert_eq!(v.is_ok(), curp::is_valid(&s, &opts));
        prop_assert_eq!(v.is_ok(), curp::check_prefix(&s, &opts) == Ok(true));
        if let Err(e) = v {
            let _ = message(Kind::Curp, &e, Locale::En);
            if let Some(p) = e.position {
                prop_assert!((p as usize) < curp::compact(&s, strict).count());
            }
        }
        let _ = curp::validate_sandbox(&s, &opts);
    }
}

/// Exhaustive over the month/day digits: check_prefix agrees with the independent date
/// reference for every prefix length that adds a date digit or the century character, with
/// and without a clock. Also makes sure the reference is not vacuous.
#[test]
fn date_digits_exhaustive_against_reference() {
    let (mut ok, mut bad) = (0u32, 0u32);
    for yy in ["00", "85", "96", "11", "12"] {
        // Month tens 0–2 and day tens 0–4 cover every boundary (month 20+ and day 40+
        // behave like 20 and 40).
        for mmdd in (0..3000u32).filter(|v| v % 100 < 50) {
            let mmdd = format!("{mmdd:04}");
            for century in ['0', 'A'] {
                let s = format!("PEXA{yy}{mmdd}HJCRRN{century}");
                let b = s.as_bytes();
                for with_today in [false, true] {
                    let opts = if with_today {
                        today(PROP_TODAY.0, PROP_TODAY.1, PROP_TODAY.2)
                    } else {
                        LENIENT
                    };
                    for n in [7, 8, 9, 10, 17] {
                        let got = curp::check_prefix(&s[..n], &opts).is_ok();
                        assert_eq!(
                            got,
                            ref_prefix_ok(&b[..n], opts.today),
                            "{} {with_today}",
                            &s[..n]
                        );
                        if got {
                            ok += 1
                        } else {
                            bad += 1
                        }
                    }
                }
            }
        }
    }
    assert!(ok > 5_000 && bad > 5_000, "{ok} {bad}");
}
