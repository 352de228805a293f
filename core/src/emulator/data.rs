//! Deterministic synthetic data: the same identifier always yields the same person, career
//! and salaries (only ids and timestamps depend on the link).

use super::time::{iso_date, iso_month, iso_timestamp};
use crate::belvo::institution::Country;
use crate::belvo::wire::{
    DocumentId, EmployerData, Employment, EmploymentEntry, EmploymentFile, EmploymentMetrics,
    EmploymentRecord, EmploymentScore, EmploymentStatusUpdate, Entitlements, Occupation, Owner,
    PersonalData, Salary, SocialSecuritySummary,
};
use crate::crypto::{hex, sha256};
use crate::id::date::{civil_from_days, days_from_civil, days_of_unix_ms};
use crate::id::{cpf, curp, Options};
use crate::rng::SplitMix;

/// FNV-1a of `s`: the per-identifier seed.
pub(crate) fn seed_of(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A UUID (v4 layout) derived from `parts`.
pub(crate) fn derived_uuid(parts: &[&str]) -> String {
    let mut buf = String::new();
    for p in parts {
        buf.push_str(p);
        buf.push('\u{0}');
    }
    let mut h = sha256(buf.as_bytes());
    h[6] = (h[6] & 0x0f) | 0x40;
    h[8] = (h[8] & 0x3f) | 0x80;
    let x = hex(h.get(..16).unwrap_or_default());
    let part = |r: core::ops::Range<usize>| x.get(r).unwrap_or_default();
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}

/// The day the synthetic careers are anchored to (fixed, so data never changes).
pub(crate) fn reference_day() -> i64 {
    days_from_civil(2026, 6, 30)
}

const FIRST_M: &[&str] = &[
    "JUAN", "CARLOS", "LUIS", "JOSE", "MIGUEL", "JORGE", "RICARDO", "FERNANDO",
];
const FIRST_F: &[&str] = &[
    "MARIA",
    "GUADALUPE",
    "ANA",
    "SOFIA",
    "LAURA",
    "PATRICIA",
    "DANIELA",
    "ELENA",
];
const SURNAMES_MX: &[&str] = &[
    "HERNANDEZ",
    "GARCIA",
    "MARTINEZ",
    "LOPEZ",
    "GONZALEZ",
    "PEREZ",
    "RODRIGUEZ",
    "SANCHEZ",
    "RAMIREZ",
    "CRUZ",
    "FLORES",
    "GOMEZ",
];
const FIRST_BR: &[&str] = &[
    "JOAO", "ANA", "PEDRO", "MARIANA", "LUCAS", "JULIANA", "RAFAEL", "BEATRIZ",
];
const SURNAMES_BR: &[&str] = &[
    "SILVA",
    "SANTOS",
    "OLIVEIRA",
    "SOUZA",
    "RODRIGUES",
    "FERREIRA",
    "ALVES",
    "PEREIRA",
    "LIMA",
    "GOMES",
];
const EMPLOYERS_MX: &[&str] = &[
    "COMERCIALIZADORA DEL BAJIO SA DE CV",
    "SERVICIOS INTEGRALES DE OCCIDENTE SA DE CV",
    "ALIMENTOS LA PROVIDENCIA SA DE CV",
    "TRANSPORTES DEL NORTE SA DE CV",
    "CONSTRUCTORA HORIZONTE SA DE CV",
    "TIENDAS EL FARO SA DE CV",
    "MANUFACTURAS ATLAS SA DE CV",
    "LOGISTICA PACIFICO SA DE CV",
    "GRUPO TEXTIL MONTERREY SA DE CV",
    "CALL CENTER SOLUCIONES SC",
];
const ENTITIES_ISSSTE: &[&str] = &[
    "SECRETARIA DE EDUCACION PUBLICA;ISSSTE",
    "SECRETARIA DE SALUD;ISSSTE",
    "COMISION FEDERAL DE ELECTRICIDAD;ISSSTE",
    "INSTITUTO NACIONAL ELECTORAL;ISSSTE",
];
const STATES_MX: &[&str] = &[
    "CIUDAD DE MEXICO",
    "JALISCO",
    "NUEVO LEON",
    "ESTADO DE MEXICO",
    "PUEBLA",
    "GUANAJUATO",
    "QUERETARO",
    "YUCATAN",
];
const EMPLOYERS_BR: &[&str] = &[
    "COMERCIAL PAULISTA LTDA",
    "SUPERMERCADOS BOA VISTA LTDA",
    "TRANSPORTADORA RIO GRANDE LTDA",
    "CONSTRUTORA HORIZONTE SA",
    "INDUSTRIA TEXTIL MINEIRA SA",
    "SERVICOS DE LIMPEZA ESTRELA LTDA",
    "HOSPITAL SANTA CLARA",
    "CALL CENTER NORDESTE LTDA",
];
const CNAE: &[&str] = &[
    "4711-3/02",
    "4930-2/02",
    "4120-4/00",
    "1340-5/99",
    "8121-4/00",
    "8610-1/01",
    "8220-2/00",
];
const OCCUPATIONS_BR: &[(&str, &str)] = &[
    ("4110-10", "ASSISTENTE ADMINISTRATIVO"),
    ("5211-10", "VENDEDOR DE COMERCIO VAREJISTA"),
    ("7825-10", "MOTORISTA DE CAMINHAO"),
    ("4223-10", "OPERADOR DE TELEMARKETING ATIVO"),
    ("5143-20", "FAXINEIRO"),
    ("3222-05", "TECNICO DE ENFERMAGEM"),
];

/// The person behind an identifier.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub first_name: String,
    pub last_name: String,
    pub second_last_name: String,
    pub birth_day: i64,
    pub email: String,
    pub phone: String,
    pub state: String,
}

impl Person {
    pub(crate) fn full_name(&self) -> String {
        format!(
            "{} {} {}",
            self.first_name, self.last_name, self.second_last_name
        )
    }
}

pub(crate) fn person(country: Country, identifier: &str) -> Person {
    let mut rng = SplitMix::new(seed_of(identifier) ^ 0x5045_5253_4f4e);
    let parsed = match country {
        Country::Mx => curp::validate(identifier, &Options::default()).ok(),
        Country::Br => None,
    };
    let female = match &parsed {
        Some(c) => c.sex() == curp::Sex::Female,
        None => rng.below(2) == 0,
    };
    let (first, surnames) = match (country, female) {
        (Country::Mx, false) => (FIRST_M, SURNAMES_MX),
        (Country::Mx, true) => (FIRST_F, SURNAMES_MX),
        (Country::Br, _) => (FIRST_BR, SURNAMES_BR),
    };
    let first_name = rng.pick(first).to_owned();
    let last_name = rng.pick(surnames).to_owned();
    let second_last_name = rng.pick(surnames).to_owned();
    let birth_day = match &parsed {
        Some(c) => {
            let d = c.birth_date();
            days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        None => days_from_civil(
            rng.range(1960, 2000),
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32,
        ),
    };
    let state = match &parsed {
        Some(c) if !c.state_name().is_empty() => c.state_name().to_ascii_uppercase(),
        _ => rng.pick(STATES_MX).to_owned(),
    };
    let email = format!(
        "{}.{}{}@example.com",
        first_name.to_ascii_lowercase(),
        last_name.to_ascii_lowercase(),
        rng.range(1, 99)
    );
    let phone = match country {
        Country::Mx => format!(
            "+52 55 {:04} {:04}",
            rng.range(1000, 9999),
            rng.range(0, 9999)
        ),
        Country::Br => format!(
            "+55 11 9{:04}-{:04}",
            rng.range(1000, 9999),
            rng.range(0, 9999)
        ),
    };
    Person {
        first_name,
        last_name,
        second_last_name,
        birth_day,
        email,
        phone,
        state,
    }
}

/// One synthetic job.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub employer: String,
    pub employer_code: String,
    pub start: i64,
    pub end: Option<i64>,
    pub state: String,
    /// `(day, event, daily base salary)`.
    pub updates: Vec<(i64, &'static str, f64)>,
    pub activity: &'static str,
    pub occupation: (&'static str, &'static str),
}

impl Job {
    pub(crate) fn last_salary(&self) -> f64 {
        self.updates.last().map(|u| u.2).unwrap_or(0.0)
    }

    pub(crate) fn weeks(&self) -> i64 {
        (self.end.unwrap_or_else(reference_day) - self.start).max(0) / 7
    }

    /// Daily salary in force on `day`.
    pub(crate) fn salary_on(&self, day: i64) -> f64 {
        let mut s = self.updates.first().map(|u| u.2).unwrap_or(0.0);
        for u in &self.updates {
            if u.0 <= day && u.1 != "DISMISSED_RESIGNED" {
                s = u.2;
            }
        }
        s
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// How many jobs an identifier has by default (3–6), or `many` for the many-entries
/// scenarios.
pub(crate) fn job_count(identifier: &str, many: Option<usize>) -> usize {
    many.unwrap_or(3 + (seed_of(identifier) >> 11) as usize % 4)
}

/// A deterministic career of `n` jobs for `identifier`.
pub(crate) fn career(country: Country, identifier: &str, n: usize, p: &Person) -> Vec<Job> {
    let mut rng = SplitMix::new(seed_of(identifier) ^ 0x4341_5245_4552);
    let reference = reference_day();
    let n = n.max(1);
    let (by, _, _) = civil_from_days(p.birth_day);
    let earliest = days_from_civil(by + 18, 1, 1) + rng.range(0, 3 * 365);
    let latest_start = reference - (n as i64) * 60 - 365;
    let start = earliest.clamp(
        days_from_civil(1985, 1, 1),
        latest_start.max(days_from_civil(1985, 1, 1)),
    );
    let span = (reference - start).max((n as i64) * 60);
    let seg = span / n as i64;
    let employed_now = rng.below(3) != 0;
    let mut base = match country {
        Country::Mx => 180.0 + rng.range(0, 250) as f64,
        Country::Br => 55.0 + rng.range(0, 60) as f64,
    };
    let mut jobs = Vec::with_capacity(n);
    for i in 0..n as i64 {
        let s = start + i * seg + rng.range(0, seg / 8);
        let natural_end = start + (i + 1) * seg - rng.range(7, (seg / 6).max(8));
        let last = i == n as i64 - 1;
        let end = if last && employed_now {
            None
        } else {
            Some(natural_end.max(s + 30).min(reference))
        };
        base = round2(base * (1.0 + rng.range(2, 15) as f64 / 100.0));
        let mut updates = std::vec![(s, "HIRED", base)];
        let stop = end.unwrap_or(reference);
        let mut d = s + rng.range(200, 420);
        while d < stop {
            base = round2(base * (1.0 + rng.range(3, 9) as f64 / 100.0));
            updates.push((d, "SALARY_MODIFICATION", base));
            d += rng.range(300, 480);
        }
        if let Some(e) = end {
            updates.push((e, "DISMISSED_RESIGNED", base));
        }
        let (employer, code) = match country {
            Country::Mx => (
                rng.pick(EMPLOYERS_MX).to_owned(),
                format!(
                    "{}{:010}",
                    char::from(b'A' + rng.below(26) as u8),
                    rng.below(10_000_000_000)
                ),
            ),
            Country::Br => (rng.pick(EMPLOYERS_BR).to_owned(), cnpj(&mut rng)),
        };
        let occ = OCCUPATIONS_BR
            .get(rng.below(OCCUPATIONS_BR.len() as u64) as usize)
            .copied()
            .unwrap_or(("", ""));
        jobs.push(Job {
            employer,
            employer_code: code,
            start: s,
            end,
            state: if rng.below(3) == 0 {
                rng.pick(STATES_MX).to_owned()
            } else {
                p.state.clone()
            },
            updates,
            activity: rng.pick(CNAE),
            occupation: occ,
        });
    }
    jobs
}

/// A CNPJ with valid check digits (14 digits).
fn cnpj(rng: &mut SplitMix) -> String {
    let mut d: Vec<u32> = (0..8).map(|_| rng.below(10) as u32).collect();
    d.extend_from_slice(&[0, 0, 0, 1]);
    for weights in [
        &[5u32, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
        &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
    ] {
        let s: u32 = d.iter().zip(weights.iter()).map(|(a, b)| a * b).sum();
        d.push(u32::from(cpf::dv(s)));
    }
    d.iter()
        .map(|x| char::from(b'0' + (*x % 10) as u8))
        .collect()
}

/// A synthetic NSS: 10 digits + Luhn check digit.
fn nss(rng: &mut SplitMix, birth_year: i64) -> String {
    let mut digits: Vec<u32> = Vec::with_capacity(11);
    let sub = rng.below(100) as u32;
    let reg = rng.below(100) as u32;
    let by = (birth_year % 100) as u32;
    for v in [sub / 10, sub % 10, reg / 10, reg % 10, by / 10, by % 10] {
        digits.push(v);
    }
    for _ in 0..4 {
        digits.push(rng.below(10) as u32);
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

/// What the generators need to know about a link.
#[derive(Clone, Debug)]
pub(crate) struct LinkData<'a> {
    pub link_id: &'a str,
    pub institution: &'a str,
    pub country: Country,
    pub identifier: &'a str,
    pub collected_ms: u64,
    pub many: Option<usize>,
}

fn entry_mx(job: &Job, issste: bool, collected: &str) -> EmploymentEntry {
    let salary = job.last_salary();
    EmploymentEntry {
        collected_at: Some(collected.to_owned()),
        employer: Some(if issste {
            let i = (seed_of(&job.employer) % ENTITIES_ISSSTE.len() as u64) as usize;
            ENTITIES_ISSSTE
                .get(i)
                .copied()
                .unwrap_or("ISSSTE")
                .to_owned()
        } else {
            job.employer.clone()
        }),
        employer_id: (!issste).then(|| job.employer_code.clone()),
        start_date: Some(iso_date(job.start)),
        end_date: job.end.map(iso_date),
        weeks_employed: Some(job.weeks()),
        state: (!issste).then(|| job.state.clone()),
        most_recent_base_salary: Some(salary),
        monthly_salary: Some(round2(salary * 30.4)),
        currency: Some("MXN".to_owned()),
        employment_status_updates: job
            .updates
            .iter()
            .rev()
            .map(|(d, ev, s)| EmploymentStatusUpdate {
                event: Some(if issste { "NORMAL" } else { ev }.to_owned()),
                base_salary: Some(*s),
                update_date: Some(iso_date(*d)),
            })
            .collect(),
    }
}

/// The person behind `l`'s identifier as seen in `country`, and their default (or `many`)
/// career.
fn person_and_career(country: Country, l: &LinkData<'_>) -> (Person, Vec<Job>) {
    let p = person(country, l.identifier);
    let jobs = career(country, l.identifier, job_count(l.identifier, l.many), &p);
    (p, jobs)
}

/// MX employment-record profiles (one, or `many` with one employment each).
pub(crate) fn mx_records(l: &LinkData<'_>) -> Vec<EmploymentRecord> {
    let (p, jobs) = person_and_career(Country::Mx, l);
    let issste = l.institution == "issste_mx_employment";
    let collected = iso_timestamp(l.collected_ms);
    let mut rng = SplitMix::new(seed_of(l.identifier) ^ 0x5245_434f_5244);
    let (by, _, _) = civil_from_days(p.birth_day);
    let nss = nss(&mut rng, by);
    let current = jobs.iter().any(|j| j.end.is_none());
    let last_end = jobs.iter().filter_map(|j| j.end).max();
    let entitlements = Entitlements {
        entitled_to_health_insurance: Some(current),
        entitled_to_company_benefits: Some(current),
        valid_until: if current {
            None
        } else {
            last_end.map(|e| iso_date(e + 56))
        },
        status: Some(if current { "EMPLOYED" } else { "UNEMPLOYED" }.to_owned()),
    };
    let personal = PersonalData {
        official_name: Some(p.full_name()),
        first_name: Some(p.first_name.clone()),
        last_name: Some(format!("{} {}", p.last_name, p.second_last_name)),
        birth_date: Some(iso_date(p.birth_day)),
        email: Some(p.email.clone()),
        entitlements: Some(entitlements),
        document_ids: std::vec![
            DocumentId {
                document_type: Some("CURP".into()),
                document_number: Some(l.identifier.to_owned())
            },
            DocumentId {
                document_type: Some("NSS".into()),
                document_number: Some(nss)
            },
        ],
    };
    let weeks_total: i64 = jobs.iter().map(Job::weeks).sum();
    let summary = (!issste).then(|| SocialSecuritySummary {
        weeks_redeemed: Some(0),
        weeks_reinstated: Some(rng.range(0, 20)),
        weeks_contributed: Some(weeks_total),
    });
    let scores: Vec<EmploymentScore> = if issste {
        Vec::new()
    } else {
        [3, 6, 12]
            .iter()
            .map(|m| EmploymentScore {
                score: Some(rng.range(420, 880)),
                period: Some(*m),
                version: Some("1.0".into()),
            })
            .collect()
    };
    let files = std::vec![EmploymentFile {
        kind: Some("ReporteSemanasCotizadas_190123".into()),
        value: None
    }];
    let report_day = days_of_unix_ms(l.collected_ms);
    let groups: Vec<Vec<&Job>> = if l.many.is_some() {
        jobs.iter().rev().map(|j| std::vec![j]).collect()
    } else {
        std::vec![jobs.iter().rev().collect()]
    };
    groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| EmploymentRecord {
            id: Some(derived_uuid(&[
                l.link_id,
                "employment_record",
                &format!("{i}"),
            ])),
            link: Some(l.link_id.to_owned()),
            created_at: Some(collected.clone()),
            collected_at: Some(collected.clone()),
            report_date: Some(iso_date(report_day - 30 * i as i64)),
            internal_identification: Some(l.identifier.to_owned()),
            personal_data: Some(personal.clone()),
            social_security_summary: summary.clone(),
            employment_records: g.iter().map(|j| entry_mx(j, issste, &collected)).collect(),
            employment_scores: scores.clone(),
            files: files.clone(),
        })
        .collect()
}

/// BR employments (newest first).
pub(crate) fn br_employments(l: &LinkData<'_>) -> Vec<Employment> {
    let (_, jobs) = person_and_career(Country::Br, l);
    let collected = iso_timestamp(l.collected_ms);
    jobs.iter()
        .rev()
        .enumerate()
        .map(|(i, j)| {
            let last = j.end.unwrap_or_else(reference_day);
            let months: Vec<Salary> = (0..12)
                .map(|k| last - 30 * k)
                .filter(|d| *d >= j.start)
                .map(|d| {
                    let monthly = round2(j.salary_on(d) * 30.0);
                    Salary {
                        base_amount: Some(monthly),
                        retained_amount: Some(round2(
                            monthly * if monthly > 4000.0 { 0.12 } else { 0.09 },
                        )),
                        month: Some(iso_month(d)),
                        currency: Some("BRL".into()),
                    }
                })
                .collect();
            Employment {
                id: Some(derived_uuid(&[l.link_id, "employment", &format!("{i}")])),
                link: Some(l.link_id.to_owned()),
                created_at: Some(collected.clone()),
                collected_at: Some(collected.clone()),
                start_date: Some(iso_date(j.start)),
                end_date: j.end.map(iso_date),
                employer_data: Some(EmployerData {
                    name: Some(j.employer.clone()),
                    code: Some(j.employer_code.clone()),
                    economic_activity: Some(j.activity.to_owned()),
                }),
                occupations: std::vec![Occupation {
                    start_date: Some(iso_date(j.start)),
                    end_date: j.end.map(iso_date),
                    description: Some(j.occupation.1.to_owned()),
                    name: Some(j.occupation.0.to_owned()),
                    locale: Some("Urbana".into()),
                }],
                salaries: months,
            }
        })
        .collect()
}

/// The owner of the link (one).
pub(crate) fn owners(l: &LinkData<'_>) -> Vec<Owner> {
    let p = person(l.country, l.identifier);
    let collected = iso_timestamp(l.collected_ms);
    let doc = match l.country {
        Country::Mx => "CURP",
        Country::Br => "CPF",
    };
    std::vec![Owner {
        id: Some(derived_uuid(&[l.link_id, "owner"])),
        link: Some(l.link_id.to_owned()),
        internal_identification: Some(l.identifier.to_owned()),
        collected_at: Some(collected.clone()),
        created_at: Some(collected),
        display_name: Some(p.full_name()),
        email: Some(p.email.clone()),
        phone_number: Some(p.phone.clone()),
        address: Some(format!("CALLE {} 123, {}", p.last_name, p.state)),
        document_id: Some(DocumentId {
            document_type: Some(doc.into()),
            document_number: Some(l.identifier.to_owned())
        }),
        first_name: Some(p.first_name.clone()),
        last_name: Some(p.last_name.clone()),
        second_last_name: Some(p.second_last_name.clone()),
        business_name: None,
    }]
}

/// The employment metrics of an MX link (IMSS / planet).
pub(crate) fn metrics(l: &LinkData<'_>) -> Vec<EmploymentMetrics> {
    let (p, jobs) = person_and_career(Country::Mx, l);
    let collected = iso_timestamp(l.collected_ms);
    let reference = reference_day();
    let (ry, _, _) = civil_from_days(reference);
    let (by, _, _) = civil_from_days(p.birth_day);
    let last = jobs.last();
    let current = jobs.iter().filter(|j| j.end.is_none()).count() as i64;
    let weeks_total: i64 = jobs.iter().map(Job::weeks).sum();
    let gaps: Vec<i64> = jobs
        .windows(2)
        .filter_map(|w| Some(w.get(1)?.start - w.first()?.end?))
        .map(|d| d.max(0) / 7)
        .collect();
    let increases: i64 = jobs
        .iter()
        .map(|j| {
            j.updates
                .iter()
                .filter(|u| u.1 == "SALARY_MODIFICATION")
                .count() as i64
        })
        .sum();
    let monthly_last = last.map(|j| round2(j.last_salary() * 30.4));
    let first_start = jobs.first().map(|j| j.start).unwrap_or(reference);
    let years = ((reference - first_start) as f64 / 365.25).max(1.0);
    vec_one(EmploymentMetrics {
        id: Some(derived_uuid(&[l.link_id, "employment_metrics"])),
        link: Some(l.link_id.to_owned()),
        collected_at: Some(collected.clone()),
        created_at: Some(collected.clone()),
        updated_at: Some(collected),
        reference_date: Some(iso_date(reference)),
        age: Some(ry - by),
        current_status: Some(
            if current > 0 {
                "EMPLOYED"
            } else {
                "UNEMPLOYED"
            }
            .into(),
        ),
        current_employer_count: Some(current),
        base_salary_last: last.map(Job::last_salary),
        weeks_employed_last_job: last.map(|j| j.weeks() as f64),
        weeks_since_last_job: Some(
            last.and_then(|j| j.end)
                .map(|e| ((reference - e) / 7) as f64)
                .unwrap_or(0.0),
        ),
        weeks_employed_total: Some(weeks_total as f64),
        weeks_with_multiple_employers: Some(0.0),
        employer_count: Some(jobs.len() as i64),
        unique_employer_count: Some(jobs.len() as i64),
        employers_per_year: Some(round2(jobs.len() as f64 / years)),
        weeks_between_jobs: Some(if gaps.is_empty() {
            0.0
        } else {
            round2(gaps.iter().sum::<i64>() as f64 / gaps.len() as f64)
        }),
        max_weeks_between_jobs: Some(gaps.iter().copied().max().unwrap_or(0) as f64),
        increases_last_job: last.map(|j| {
            j.updates
                .iter()
                .filter(|u| u.1 == "SALARY_MODIFICATION")
                .count() as i64
        }),
        decreases_last_job: Some(0),
        increases_after_change: Some((jobs.len() as i64 - 1).max(0)),
        decreases_after_change: Some(0),
        increases_overall: Some(increases),
        decreases_overall: Some(0),
        increases_1y: Some(increases.min(1)),
        increases_3y: Some(increases.min(3)),
        increases_5y: Some(increases.min(5)),
        decreases_1y: Some(0),
        decreases_3y: Some(0),
        decreases_5y: Some(0),
        yearly_change_1y: Some(0.05),
        yearly_change_3y: Some(0.05),
        yearly_change_5y: Some(0.05),
        min_monthly_salary_1y: monthly_last,
        min_monthly_salary_3y: monthly_last.map(|m| round2(m * 0.85)),
        min_monthly_salary_5y: monthly_last.map(|m| round2(m * 0.75)),
        average_monthly_salary_1y: monthly_last,
        average_monthly_salary_3y: monthly_last.map(|m| round2(m * 0.92)),
        average_monthly_salary_5y: monthly_last.map(|m| round2(m * 0.85)),
        max_monthly_salary_1y: monthly_last,
        max_monthly_salary_3y: monthly_last,
        max_monthly_salary_5y: monthly_last,
    })
}

fn vec_one<T>(x: T) -> Vec<T> {
    std::vec![x]
}

/// How many items each resource has for a link (the webhook counts).
pub(crate) fn count(resource: &str, l: &LinkData<'_>) -> u64 {
    let mx = l.country == Country::Mx;
    match resource {
        "EMPLOYMENT_RECORDS" if mx => l.many.map_or(1, |n| n as u64),
        "EMPLOYMENTS" if !mx => job_count(l.identifier, l.many) as u64,
        "OWNERS" => 1,
        "EMPLOYMENT_METRICS" if mx => 1,
        _ => 0,
    }
}
