//! The emulator's data as Belvo's: the INSS 428 of the seed, one employment-record profile
//! per MX link, consecutive salary months, addresses of the owner's country, codes with
//! their descriptions, `reference_date` null, dates relative to the emulator's clock.

mod emulator_harness;

use employment_link_core::belvo::wire::{
    Employment, EmploymentMetrics, EmploymentRecord, ErrorBody, Owner, Page,
};
use employment_link_core::emulator::scenarios::SCENARIOS;
use employment_link_core::emulator::Reply;
use employment_link_core::id::date::{civil_from_days, days_from_civil, days_of_unix_ms};
use employment_link_core::id::{cpf, curp, Options};
use emulator_harness::E;

/// 2026-03-20T12:00:00Z: a year of salaries back from here crosses a year boundary and
/// holds a February.
const MARCH: u64 = 1_774_008_000_000;
const DAY_MS: u64 = 86_400_000;
const CURP: &str = "PEXA850412HJCRRN09";
const CPF: &str = "15387204690";

/// The seed's 428 (`../shared/seeds/003_…`, "POST Register a new link", INSS), comments
/// removed, keys in its order.
const SEED_428: &str = r#"[{"code":"token_required","message":"A MFA token is required by the institution to login","session":"be7a15d5f0b84d8ea60f6c12cb2a7b32","expiry":"120","link":"2f8ca7a1-c28f-46f2-bb41-21633099a280","token_generation_data":{"instructions":"Use your app or device to generate a token","type":"inputless","value":null,"expects_user_input":true},"request_id":"b7a3a5b3a3a2b6aa28f4cc98d55cf1f1"}]"#;

impl E {
    fn new(now: u64) -> E {
        E::with(5, now, None)
    }

    /// An MX link at `institution`, its data ready.
    fn mx(&mut self, institution: &str, curp: &str) -> String {
        let r = self.req(
            "POST",
            "/api/links/",
            "",
            &format!(r#"{{"institution":"{institution}","username":"{curp}"}}"#),
        );
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        self.now += 1_000;
        r.json_body()["id"].as_str().unwrap().to_owned()
    }

    fn inss(&mut self, cpf: &str) -> Reply {
        let body = format!(
            r#"{{"institution":"inss_br_employment","username":"{cpf}","password":"senha"}}"#
        );
        self.req("POST", "/api/links/", "", &body)
    }

    fn patch(&mut self, link: &str, session: &str, token: Option<&str>) -> Reply {
        let body = match token {
            Some(t) => format!(r#"{{"link":"{link}","session":"{session}","token":"{t}"}}"#),
            None => format!(r#"{{"link":"{link}","session":"{session}"}}"#),
        };
        self.req("PATCH", "/api/links/", "", &body)
    }

    /// A BR link through MFA, its data ready.
    fn br(&mut self, cpf: &str) -> String {
        let r = self.inss(cpf);
        assert_eq!(r.status, 428);
        let v = r.json_body();
        let (link, session) = (
            v[0]["link"].as_str().unwrap(),
            v[0]["session"].as_str().unwrap(),
        );
        let ok = self.patch(link, session, Some("111111"));
        assert_eq!(ok.status, 200);
        self.now += 1_000;
        link.to_owned()
    }

    fn page<T: serde::de::DeserializeOwned>(&mut self, path: &str, link: &str) -> Page<T> {
        let r = self.req("GET", path, &format!("link={link}"), "");
        assert_eq!(r.status, 200);
        serde_json::from_slice(&r.body).unwrap()
    }

    /// Every BR employment of a link (all pages).
    fn employments(&mut self, link: &str) -> Vec<Employment> {
        let mut out = Vec::new();
        for page in 1.. {
            let r = self.req(
                "GET",
                "/api/br/employments/",
                &format!("link={link}&page={page}"),
                "",
            );
            let p: Page<Employment> = serde_json::from_slice(&r.body).unwrap();
            out.extend(p.results);
            if p.next.is_none() {
                break;
            }
        }
        out
    }
}

/// `YYYY-MM` as a month index (year × 12 + month − 1).
fn month_index(s: &str) -> i64 {
    let (y, m) = s.split_once('-').unwrap();
    y.parse::<i64>().unwrap() * 12 + m.parse::<i64>().unwrap() - 1
}

fn day_of(iso: &str) -> i64 {
    let d = employment_link_core::id::date::Date::parse(iso).unwrap();
    days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// Replaces the three ids of a 428 body with the seed's.
fn with_seed_ids(body: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let mut s = String::from_utf8(body.to_vec()).unwrap();
    for (key, seed) in [
        ("session", "be7a15d5f0b84d8ea60f6c12cb2a7b32"),
        ("link", "2f8ca7a1-c28f-46f2-bb41-21633099a280"),
        ("request_id", "b7a3a5b3a3a2b6aa28f4cc98d55cf1f1"),
    ] {
        let id = v[0][key].as_str().unwrap();
        s = s.replace(id, seed);
    }
    s
}

#[test]
fn inss_428_is_the_seed_body() {
    let mut e = E::new(MARCH);
    let r = e.inss(CPF);
    assert_eq!((r.status, r.content_type), (428, "application/json"));
    let v = r.json_body();
    // The ids have the seed's shapes: 32 hex, a UUID, 32 hex.
    let hex32 =
        |s: &str| s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    assert!(hex32(v[0]["session"].as_str().unwrap()));
    assert!(hex32(v[0]["request_id"].as_str().unwrap()));
    assert_eq!(v[0]["link"].as_str().map(str::len), Some(36));
    // Byte for byte the seed's body (same keys, order, types and texts) once the ids match.
    assert_eq!(with_seed_ids(&r.body), SEED_428);
    // A wrong token answers a new 428 of the same shape; so does a retried link creation.
    let (link, session) = (
        v[0]["link"].as_str().unwrap(),
        v[0]["session"].as_str().unwrap(),
    );
    let again = e.patch(link, session, Some("999999"));
    assert_eq!(again.status, 428);
    assert_eq!(with_seed_ids(&again.body), SEED_428);
    let again = e.inss(CPF);
    assert_eq!(with_seed_ids(&again.body), SEED_428);
    // The package reads it: 120 s, inputless, the person types the token.
    let ch = serde_json::from_slice::<ErrorBody>(&again.body)
        .unwrap()
        .challenge()
        .unwrap();
    assert_eq!(
        (ch.expiry, ch.kind(), ch.expects_user_input()),
        (Some(120), "inputless", true)
    );
}

#[test]
fn numeric_challenge_is_a_scenario() {
    let s = SCENARIOS
        .iter()
        .find(|s| s.name == "br_numeric_challenge")
        .unwrap();
    assert!(cpf::is_valid(s.identifier, &Options::default()));
    let mut e = E::new(MARCH);
    let r = e.inss(s.identifier);
    assert_eq!(r.status, 428);
    let v = r.json_body();
    let tgd = &v[0]["token_generation_data"];
    assert_eq!(tgd["type"], "numeric");
    assert_eq!(tgd["instructions"], "Use this code to generate the token");
    assert_eq!(tgd["expects_user_input"], true);
    let code = tgd["value"].as_str().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(v[0]["expiry"], "120");
    // Everything but the challenge is the seed's.
    let mut seedlike = v.clone();
    seedlike[0]["token_generation_data"] = serde_json::from_str::<serde_json::Value>(SEED_428)
        .unwrap()[0]["token_generation_data"]
        .clone();
    let body = serde_json::to_vec(&seedlike).unwrap();
    let seed: serde_json::Value = serde_json::from_str(SEED_428).unwrap();
    let ours: serde_json::Value = serde_json::from_str(&with_seed_ids(&body)).unwrap();
    assert_eq!(ours, seed);
    // Tokens as usual: a wrong one asks again (a new code), 111111 links.
    let (link, session) = (
        v[0]["link"].as_str().unwrap(),
        v[0]["session"].as_str().unwrap(),
    );
    let again = e.patch(link, session, Some("999999"));
    assert_eq!(
        again.json_body()[0]["token_generation_data"]["type"],
        "numeric"
    );
    let session = again.json_body()[0]["session"].as_str().unwrap().to_owned();
    assert_eq!(
        e.patch(link, &session, None).status,
        428,
        "a token is needed"
    );
}

#[test]
fn device_approval_links_without_a_token() {
    let s = SCENARIOS
        .iter()
        .find(|s| s.name == "br_device_approval")
        .unwrap();
    assert!(cpf::is_valid(s.identifier, &Options::default()));
    let mut e = E::new(MARCH);
    let r = e.inss(s.identifier);
    let v = r.json_body();
    let tgd = &v[0]["token_generation_data"];
    assert_eq!(
        (&tgd["type"], &tgd["value"], &tgd["expects_user_input"]),
        (&"inputless".into(), &serde_json::Value::Null, &false.into())
    );
    let link = v[0]["link"].as_str().unwrap().to_owned();
    // A wrong token asks again; no token (the person approved on the device) links.
    let again = e.patch(&link, v[0]["session"].as_str().unwrap(), Some("999999"));
    assert_eq!(again.status, 428);
    let session = again.json_body()[0]["session"].as_str().unwrap().to_owned();
    let ok = e.patch(&link, &session, None);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json_body()["status"], "valid");
    assert_eq!(ok.webhooks.len(), 2);
    // The default challenge still needs a token.
    let r = e.inss(CPF);
    let v = r.json_body();
    let none = e.patch(
        v[0]["link"].as_str().unwrap(),
        v[0]["session"].as_str().unwrap(),
        None,
    );
    assert_eq!(none.status, 428);
}

#[test]
fn one_profile_per_mx_link() {
    for inst in [
        "imss_mx_employment",
        "issste_mx_employment",
        "planet_mx_employment",
    ] {
        let mut e = E::new(MARCH);
        for curp in [CURP, "EXMU900119HDFRRN07", "EXMU900120HDFRRN08"] {
            let link = e.mx(inst, curp);
            let p: Page<EmploymentRecord> = e.page("/api/employment-records/", &link);
            assert_eq!((p.count, p.results.len()), (1, 1), "{inst} {curp}");
            let n = p.results[0].employment_records.len();
            if curp == "EXMU900119HDFRRN07" {
                assert!(n >= 25, "many_records: {n}");
            } else {
                assert!((3..=6).contains(&n), "{n}");
            }
        }
    }
}

#[test]
fn br_salary_months_are_consecutive_calendar_months() {
    // Many CPFs (every fiscal region), collected on 2026-03-20: every employment's salaries
    // are consecutive months, newest first, never repeated, none after the month before the
    // collection (ongoing) or after the end month; a year of them crosses 2025→2026 and holds
    // February 2026.
    let mut e = E::new(MARCH);
    let mut with_february = 0;
    let cpfs: Vec<String> = (0..12u64)
        .map(|i| cpf::generate(1000 + i).as_str().to_owned())
        .chain([CPF.to_owned(), "10000001929".to_owned()])
        .collect();
    for id in &cpfs {
        let link = e.br(id);
        for emp in e.employments(&link) {
            let months: Vec<i64> = emp
                .salaries
                .iter()
                .map(|s| month_index(s.month.as_deref().unwrap()))
                .collect();
            assert!(!months.is_empty() && months.len() <= 12);
            assert!(
                months.windows(2).all(|w| w[0] == w[1] + 1),
                "{id}: {:?}",
                emp.salaries
                    .iter()
                    .map(|s| s.month.clone())
                    .collect::<Vec<_>>()
            );
            let start = month_index(&emp.start_date.clone().unwrap()[..7]);
            let last = match &emp.end_date {
                Some(end) => month_index(&end[..7]),
                None => month_index("2026-02"),
            };
            assert_eq!(months[0], last.max(start), "{id}: the last paid month");
            assert!(*months.last().unwrap() >= start);
            if emp.end_date.is_none() && start <= month_index("2025-03") {
                assert_eq!(months.len(), 12);
                assert_eq!(emp.salaries[1].month.as_deref(), Some("2026-01"));
                assert_eq!(emp.salaries[2].month.as_deref(), Some("2025-12"));
            }
            if emp
                .salaries
                .iter()
                .any(|s| s.month.as_deref() == Some("2026-02"))
            {
                with_february += 1;
            }
            for s in &emp.salaries {
                assert_eq!(s.currency.as_deref(), Some("BRL"));
                assert!(s.base_amount.unwrap() > 0.0);
                assert!(s.retained_amount.unwrap() < s.base_amount.unwrap());
            }
        }
    }
    assert!(
        with_february > 0,
        "some ongoing employment was paid in February"
    );
}

#[test]
fn br_codes_come_with_their_descriptions() {
    let mut e = E::new(MARCH);
    let link = e.br("10000001929");
    let emps = e.employments(&link);
    assert_eq!(emps.len(), 27);
    for emp in &emps {
        // CNAE class and description, as Belvo's "6421-2 - BANCOS COMERCIAIS".
        let data = emp.employer_data.as_ref().unwrap();
        let activity = data.economic_activity.as_deref().unwrap();
        let (code, description) = activity.split_once(" - ").unwrap();
        assert!(
            code.len() == 6
                && code.as_bytes()[4] == b'-'
                && code.bytes().filter(u8::is_ascii_digit).count() == 5,
            "{activity}"
        );
        assert!(description.len() > 5 && description == description.to_uppercase());
        assert_eq!(data.code.as_deref().map(str::len), Some(14), "CNPJ");
        // CBO title as the description; the position with its CBO code as the name, as
        // Belvo's "ANALISTA DE PRODUTOS BANCARIOS" / "… - 2525-40".
        for o in &emp.occupations {
            let title = o.description.as_deref().unwrap();
            let name = o.name.as_deref().unwrap();
            let cbo = name.strip_prefix(title).and_then(|r| r.strip_prefix(" - "));
            let cbo = cbo.unwrap_or_else(|| panic!("{name} / {title}"));
            assert!(
                cbo.len() == 7
                    && cbo.as_bytes()[4] == b'-'
                    && cbo.bytes().filter(u8::is_ascii_digit).count() == 6,
                "{cbo}"
            );
            assert!(matches!(o.locale.as_deref(), Some("Urbana" | "Rural")));
        }
    }
    // The same employer always has the same activity.
    for a in &emps {
        for b in &emps {
            let (a, b) = (
                a.employer_data.as_ref().unwrap(),
                b.employer_data.as_ref().unwrap(),
            );
            if a.name == b.name {
                assert_eq!(a.economic_activity, b.economic_activity);
            }
        }
    }
}

#[test]
fn owners_live_in_their_country() {
    let mut e = E::new(MARCH);
    // BR: a state of the CPF's fiscal region, a CEP, a Brazilian phone.
    for id in [CPF, "10000001929", cpf::generate(77).as_str()] {
        let link = e.br(id);
        let p: Page<Owner> = e.page("/api/owners/", &link);
        let o = &p.results[0];
        let address = o.address.as_deref().unwrap();
        assert!(address.starts_with("RUA "), "{address}");
        let (rest, cep) = address.rsplit_once(", ").unwrap();
        assert!(
            cep.len() == 9 && cep.as_bytes()[5] == b'-',
            "CEP in {address}"
        );
        let uf = rest.rsplit_once(" - ").unwrap().1;
        let region = cpf::validate(id, &Options::default())
            .unwrap()
            .region_states();
        assert!(region.contains(&uf), "{uf} for {id}: {address}");
        assert!(!address.contains("C.P.") && !address.contains("MEXICO"));
        assert!(o.phone_number.as_deref().unwrap().starts_with("+55 "));
        assert_eq!(
            o.document_id
                .as_ref()
                .and_then(|d| d.document_type.as_deref()),
            Some("CPF")
        );
    }
    // MX: the CURP's state (JC = Jalisco), a C.P., a Mexican phone.
    let link = e.mx("imss_mx_employment", CURP);
    let p: Page<Owner> = e.page("/api/owners/", &link);
    let address = p.results[0].address.clone().unwrap();
    assert!(
        address.starts_with("CALLE ") && address.ends_with(", JALISCO"),
        "{address}"
    );
    let cp = address.split("C.P. ").nth(1).unwrap();
    assert!(cp.starts_with("4") && cp.as_bytes()[5] == b',', "{address}");
    assert!(p.results[0]
        .phone_number
        .as_deref()
        .unwrap()
        .starts_with("+52 "));
    // IMSS writes the state without accents, as the CURP says.
    let first17 = b"PEXA850412MNLRRN0";
    let digit = curp::check_digit(first17).unwrap();
    let nl = format!(
        "{}{}",
        std::str::from_utf8(first17).unwrap(),
        char::from(digit)
    );
    assert!(curp::is_valid(&nl, &Options::default()), "{nl}");
    let link = e.mx("imss_mx_employment", &nl);
    let p: Page<Owner> = e.page("/api/owners/", &link);
    assert!(p.results[0]
        .address
        .as_deref()
        .unwrap()
        .ends_with(", NUEVO LEON"));
    let r: Page<EmploymentRecord> = e.page("/api/employment-records/", &link);
    // Job states as IMSS writes them: upper case, no accents.
    for j in &r.results[0].employment_records {
        let state = j.state.as_deref().unwrap();
        assert!(
            state.bytes().all(|b| b.is_ascii_uppercase() || b == b' '),
            "{state}"
        );
    }
}

#[test]
fn reference_date_is_null_unless_requested() {
    let mut e = E::new(MARCH);
    let link = e.mx("imss_mx_employment", CURP);
    let p: Page<EmploymentMetrics> = e.page("/api/employment-metrics/", &link);
    let m = &p.results[0];
    assert_eq!(m.reference_date, None);
    let raw = e.req(
        "GET",
        "/api/employment-metrics/",
        &format!("link={link}"),
        "",
    );
    let v = raw.json_body();
    assert!(v["results"][0]["reference_date"].is_null(), "present, null");
    // Age as of the collection day (born 1985-04-12, collected 2026-03-20).
    assert_eq!(m.age, Some(41));
}

#[test]
fn dates_follow_the_emulator_clock() {
    // The same identifiers a year and a half apart: the same history, shifted by exactly
    // the days between the two collections; nothing after the collection day.
    let later = MARCH + 600 * DAY_MS;
    let mut a = E::new(MARCH);
    let mut b = E::new(later);
    let shift = 600;
    let (la, lb) = (
        a.mx("imss_mx_employment", CURP),
        b.mx("imss_mx_employment", CURP),
    );
    let ra: Page<EmploymentRecord> = a.page("/api/employment-records/", &la);
    let rb: Page<EmploymentRecord> = b.page("/api/employment-records/", &lb);
    let (ra, rb) = (&ra.results[0], &rb.results[0]);
    assert_eq!(ra.report_date.as_deref(), Some("2026-03-20"));
    let (y, m, d) = civil_from_days(days_of_unix_ms(later));
    assert_eq!(rb.report_date, Some(format!("{y:04}-{m:02}-{d:02}")));
    assert_eq!(ra.employment_records.len(), rb.employment_records.len());
    for (ja, jb) in ra.employment_records.iter().zip(&rb.employment_records) {
        assert_eq!(ja.employer, jb.employer);
        assert_eq!(ja.most_recent_base_salary, jb.most_recent_base_salary);
        let (sa, sb) = (
            ja.start_date.as_deref().unwrap(),
            jb.start_date.as_deref().unwrap(),
        );
        assert_eq!(day_of(sb) - day_of(sa), shift);
        assert!(day_of(sb) <= days_of_unix_ms(later));
        if let (Some(ea), Some(eb)) = (&ja.end_date, &jb.end_date) {
            assert_eq!(day_of(eb) - day_of(ea), shift);
        }
        for u in &jb.employment_status_updates {
            assert!(day_of(u.update_date.as_deref().unwrap()) <= days_of_unix_ms(later));
        }
    }
    // Birth date from the CURP, not shifted.
    assert_eq!(
        rb.personal_data.as_ref().unwrap().birth_date.as_deref(),
        Some("1985-04-12")
    );
    // BR: the salaries end in the month before the collection month for an ongoing job.
    let la = a.br(CPF);
    let lb = b.br(CPF);
    let (ea, eb) = (a.employments(&la), b.employments(&lb));
    assert_eq!(ea.len(), eb.len());
    for (x, y) in ea.iter().zip(&eb) {
        assert_eq!(
            x.employer_data.as_ref().unwrap().name,
            y.employer_data.as_ref().unwrap().name
        );
        if y.end_date.is_none() {
            let (cy, cm, _) = civil_from_days(days_of_unix_ms(b.now));
            let prev = if cm == 1 {
                format!("{:04}-12", cy - 1)
            } else {
                format!("{cy:04}-{:02}", cm - 1)
            };
            assert_eq!(y.salaries[0].month.as_deref(), Some(prev.as_str()));
        }
    }
    // The clock can be moved: an advanced clock is "today" for the data collected after it.
    let mut c = E::new(MARCH);
    c.emu.advance_clock(600 * 86_400);
    let lc = c.mx("imss_mx_employment", CURP);
    let rc: Page<EmploymentRecord> = c.page("/api/employment-records/", &lc);
    assert_eq!(rc.results[0].report_date, rb.report_date);
    assert_eq!(
        rc.results[0].employment_records[0].start_date,
        rb.employment_records[0].start_date
    );
}
