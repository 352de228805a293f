//! Deterministic synthetic data: the same identifier always yields the same person, career
//! and salaries. Dates are relative to the emulator's clock: a career is generated once per
//! identifier and shifted so that it ends on the day the link's data is collected (the same
//! history, seen from "today"). Only ids, timestamps and that shift depend on the link.

use super::time::{iso_date, iso_month, iso_timestamp};
use crate::belvo::institution::Country;
use crate::belvo::wire::{
    DocumentId, EmployerData, Employment, EmploymentEntry, EmploymentFile, EmploymentMetrics,
    EmploymentRecord, EmploymentScore, EmploymentStatusUpdate, Entitlements, Occupation, Owner,
    PersonalData, Salary, SocialSecuritySummary,
};
use crate::crypto::{hex, sha256};
use crate::id::date::{civil_from_days, days_from_civil, days_of_unix_ms, Date};
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

/// The day careers are generated against before being shifted to the collection day: fixed,
/// so that an identifier's history (employers, salaries, the spacing of its dates) never
/// depends on when it is asked for.
fn anchor_day() -> i64 {
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

/// A Mexican state: its name as IMSS writes it, its capital, and the range of the first two
/// digits of its postal codes.
struct PlaceMx {
    state: &'static str,
    city: &'static str,
    cp: (i64, i64),
}

const fn mx(state: &'static str, city: &'static str, lo: i64, hi: i64) -> PlaceMx {
    PlaceMx {
        state,
        city,
        cp: (lo, hi),
    }
}

/// The 32 states in the order of [`curp::STATES`] (so a CURP's state indexes it).
const PLACES_MX: &[PlaceMx] = &[
    mx("AGUASCALIENTES", "AGUASCALIENTES", 20, 20),
    mx("BAJA CALIFORNIA", "MEXICALI", 21, 22),
    mx("BAJA CALIFORNIA SUR", "LA PAZ", 23, 23),
    mx("CAMPECHE", "CAMPECHE", 24, 24),
    mx("COAHUILA", "SALTILLO", 25, 27),
    mx("COLIMA", "COLIMA", 28, 28),
    mx("CHIAPAS", "TUXTLA GUTIERREZ", 29, 30),
    mx("CHIHUAHUA", "CHIHUAHUA", 31, 33),
    mx("CIUDAD DE MEXICO", "CIUDAD DE MEXICO", 1, 16),
    mx("DURANGO", "DURANGO", 34, 35),
    mx("GUANAJUATO", "LEON", 36, 38),
    mx("GUERRERO", "CHILPANCINGO", 39, 41),
    mx("HIDALGO", "PACHUCA", 42, 43),
    mx("JALISCO", "GUADALAJARA", 44, 49),
    mx("ESTADO DE MEXICO", "TOLUCA", 50, 57),
    mx("MICHOACAN", "MORELIA", 58, 61),
    mx("MORELOS", "CUERNAVACA", 62, 62),
    mx("NAYARIT", "TEPIC", 63, 63),
    mx("NUEVO LEON", "MONTERREY", 64, 67),
    mx("OAXACA", "OAXACA", 68, 71),
    mx("PUEBLA", "PUEBLA", 72, 75),
    mx("QUERETARO", "QUERETARO", 76, 76),
    mx("QUINTANA ROO", "CANCUN", 77, 77),
    mx("SAN LUIS POTOSI", "SAN LUIS POTOSI", 78, 79),
    mx("SINALOA", "CULIACAN", 80, 82),
    mx("SONORA", "HERMOSILLO", 83, 85),
    mx("TABASCO", "VILLAHERMOSA", 86, 86),
    mx("TAMAULIPAS", "REYNOSA", 87, 89),
    mx("TLAXCALA", "TLAXCALA", 90, 90),
    mx("VERACRUZ", "XALAPA", 91, 96),
    mx("YUCATAN", "MERIDA", 97, 97),
    mx("ZACATECAS", "ZACATECAS", 98, 99),
];
const STREETS_MX: &[&str] = &[
    "HIDALGO",
    "BENITO JUAREZ",
    "MORELOS",
    "INDEPENDENCIA",
    "5 DE MAYO",
    "ZARAGOZA",
    "ALLENDE",
    "REFORMA",
];
const COLONIAS_MX: &[&str] = &[
    "CENTRO",
    "DEL VALLE",
    "JARDINES DEL SUR",
    "LAS FLORES",
    "SAN JOSE",
    "LA ESPERANZA",
    "LOMAS DEL PARQUE",
    "OBRERA",
];

/// A Brazilian state: its UF, its capital, the range of the first five digits of its CEPs,
/// and its phone area code (DDD).
struct PlaceBr {
    uf: &'static str,
    city: &'static str,
    cep: (i64, i64),
    ddd: u8,
}

const fn br(uf: &'static str, city: &'static str, lo: i64, hi: i64, ddd: u8) -> PlaceBr {
    PlaceBr {
        uf,
        city,
        cep: (lo, hi),
        ddd,
    }
}

/// Every UF of [`cpf::REGIONS`] (so a CPF's fiscal region picks one of its states).
const PLACES_BR: &[PlaceBr] = &[
    br("AC", "RIO BRANCO", 69900, 69923, 68),
    br("AL", "MACEIO", 57000, 57099, 82),
    br("AM", "MANAUS", 69000, 69099, 92),
    br("AP", "MACAPA", 68900, 68914, 96),
    br("BA", "SALVADOR", 40000, 42599, 71),
    br("CE", "FORTALEZA", 60000, 61599, 85),
    br("DF", "BRASILIA", 70000, 72799, 61),
    br("ES", "VITORIA", 29000, 29099, 27),
    br("GO", "GOIANIA", 74000, 74899, 62),
    br("MA", "SAO LUIS", 65000, 65109, 98),
    br("MG", "BELO HORIZONTE", 30000, 31999, 31),
    br("MS", "CAMPO GRANDE", 79000, 79124, 67),
    br("MT", "CUIABA", 78000, 78109, 65),
    br("PA", "BELEM", 66000, 66999, 91),
    br("PB", "JOAO PESSOA", 58000, 58099, 83),
    br("PE", "RECIFE", 50000, 52999, 81),
    br("PI", "TERESINA", 64000, 64099, 86),
    br("PR", "CURITIBA", 80000, 82999, 41),
    br("RJ", "RIO DE JANEIRO", 20000, 23799, 21),
    br("RN", "NATAL", 59000, 59099, 84),
    br("RO", "PORTO VELHO", 76800, 76834, 69),
    br("RR", "BOA VISTA", 69300, 69339, 95),
    br("RS", "PORTO ALEGRE", 90000, 91999, 51),
    br("SC", "FLORIANOPOLIS", 88000, 88099, 48),
    br("SE", "ARACAJU", 49000, 49099, 79),
    br("SP", "SAO PAULO", 1000, 5999, 11),
    br("TO", "PALMAS", 77000, 77270, 63),
];
const STREETS_BR: &[&str] = &[
    "DAS FLORES",
    "SAO JOAO",
    "SETE DE SETEMBRO",
    "XV DE NOVEMBRO",
    "DOS ANDRADAS",
    "TIRADENTES",
    "DA CONSOLACAO",
    "BARAO DO RIO BRANCO",
];
const BAIRROS_BR: &[&str] = &[
    "CENTRO",
    "JARDIM AMERICA",
    "VILA NOVA",
    "SANTA CRUZ",
    "BOA VISTA",
    "SAO JOSE",
];

/// A Brazilian employer: its name, its main economic activity as INSS gives it (CNAE class
/// code and description, as in Belvo's example `"6421-2 - BANCOS COMERCIAIS"`), and the
/// occupations it hires for (CBO code, CBO title).
struct EmployerBr {
    name: &'static str,
    activity: &'static str,
    occupations: &'static [(&'static str, &'static str)],
}

const ADMIN: (&str, &str) = ("4110-10", "ASSISTENTE ADMINISTRATIVO");

const EMPLOYERS_BR: &[EmployerBr] = &[
    EmployerBr {
        name: "COMERCIAL PAULISTA LTDA",
        activity: "4781-4 - COMERCIO VAREJISTA DE ARTIGOS DO VESTUARIO E ACESSORIOS",
        occupations: &[("5211-10", "VENDEDOR DE COMERCIO VAREJISTA"), ADMIN],
    },
    EmployerBr {
        name: "SUPERMERCADOS BOA VISTA LTDA",
        activity: "4711-3 - COMERCIO VAREJISTA DE MERCADORIAS EM GERAL, COM PREDOMINANCIA DE PRODUTOS ALIMENTICIOS - HIPERMERCADOS E SUPERMERCADOS",
        occupations: &[
            ("4211-25", "OPERADOR DE CAIXA"),
            ("5211-25", "REPOSITOR DE MERCADORIAS"),
        ],
    },
    EmployerBr {
        name: "TRANSPORTADORA RIO GRANDE LTDA",
        activity: "4930-2 - TRANSPORTE RODOVIARIO DE CARGA",
        occupations: &[("7825-10", "MOTORISTA DE CAMINHAO"), ADMIN],
    },
    EmployerBr {
        name: "CONSTRUTORA HORIZONTE SA",
        activity: "4120-4 - CONSTRUCAO DE EDIFICIOS",
        occupations: &[("7152-10", "PEDREIRO"), ("7170-20", "SERVENTE DE OBRAS")],
    },
    EmployerBr {
        name: "INDUSTRIA TEXTIL MINEIRA SA",
        activity: "1321-9 - TECELAGEM DE FIOS DE ALGODAO",
        occupations: &[("7842-05", "ALIMENTADOR DE LINHA DE PRODUCAO"), ADMIN],
    },
    EmployerBr {
        name: "SERVICOS DE LIMPEZA ESTRELA LTDA",
        activity: "8121-4 - LIMPEZA EM PREDIOS E EM DOMICILIOS",
        occupations: &[("5143-20", "FAXINEIRO")],
    },
    EmployerBr {
        name: "HOSPITAL SANTA CLARA",
        activity: "8610-1 - ATIVIDADES DE ATENDIMENTO HOSPITALAR",
        occupations: &[
            ("3222-05", "TECNICO DE ENFERMAGEM"),
            ("4221-05", "RECEPCIONISTA, EM GERAL"),
        ],
    },
    EmployerBr {
        name: "CALL CENTER NORDESTE LTDA",
        activity: "8220-2 - ATIVIDADES DE TELEATENDIMENTO",
        occupations: &[("4223-10", "OPERADOR DE TELEMARKETING ATIVO")],
    },
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
    /// MX: the state as IMSS writes it (the usual `state` of the person's jobs).
    pub state: String,
    /// A postal address in the person's country.
    pub address: String,
}

impl Person {
    pub(crate) fn full_name(&self) -> String {
        format!(
            "{} {} {}",
            self.first_name, self.last_name, self.second_last_name
        )
    }
}

/// A Mexican address in `place`.
fn address_mx(rng: &mut SplitMix, place: &PlaceMx) -> String {
    let street = rng.pick(STREETS_MX);
    let number = rng.range(1, 980);
    let colonia = rng.pick(COLONIAS_MX);
    let cp = rng.range(place.cp.0, place.cp.1) * 1000 + rng.range(0, 999);
    format!(
        "CALLE {street} {number}, COL. {colonia}, C.P. {cp:05}, {}, {}",
        place.city, place.state
    )
}

/// A Brazilian address in `place`.
fn address_br(rng: &mut SplitMix, place: &PlaceBr) -> String {
    let street = rng.pick(STREETS_BR);
    let number = rng.range(1, 2500);
    let bairro = rng.pick(BAIRROS_BR);
    let cep = rng.range(place.cep.0, place.cep.1);
    let suffix = rng.range(0, 999);
    format!(
        "RUA {street}, {number} - {bairro}, {} - {}, {cep:05}-{suffix:03}",
        place.city, place.uf
    )
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
    let email = format!(
        "{}.{}{}@example.com",
        first_name.to_ascii_lowercase(),
        last_name.to_ascii_lowercase(),
        rng.range(1, 99)
    );
    let (state, phone, address) = match country {
        Country::Mx => {
            // The CURP's state of birth (someone born abroad, or the sandbox's non-CURP, lives
            // in any state).
            let i = match &parsed {
                Some(c) if !c.born_abroad() => c.state_index(),
                _ => rng.below(PLACES_MX.len() as u64) as usize,
            };
            let place = PLACES_MX.get(i).or(PLACES_MX.first());
            let phone = format!(
                "+52 55 {:04} {:04}",
                rng.range(1000, 9999),
                rng.range(0, 9999)
            );
            let address = place.map(|p| address_mx(&mut rng, p)).unwrap_or_default();
            let state = place.map(|p| p.state).unwrap_or_default().to_owned();
            (state, phone, address)
        }
        Country::Br => {
            // A state of the CPF's fiscal region (where it was first registered).
            let states = cpf::validate(identifier, &Options::default())
                .map(|c| c.region_states())
                .unwrap_or(&["SP"]);
            let uf = rng.pick(states);
            let place = PLACES_BR.iter().find(|p| p.uf == uf).or(PLACES_BR.first());
            let phone = format!(
                "+55 {} 9{:04}-{:04}",
                place.map_or(11, |p| p.ddd),
                rng.range(1000, 9999),
                rng.range(0, 9999)
            );
            let address = place.map(|p| address_br(&mut rng, p)).unwrap_or_default();
            (uf.to_owned(), phone, address)
        }
    };
    Person {
        first_name,
        last_name,
        second_last_name,
        birth_day,
        email,
        phone,
        state,
        address,
    }
}

/// One synthetic job.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub employer: String,
    pub employer_code: String,
    pub start: i64,
    pub end: Option<i64>,
    /// MX: the IMSS `state`.
    pub state: String,
    /// `(day, event, daily base salary)`.
    pub updates: Vec<(i64, &'static str, f64)>,
    /// BR: the employer's CNAE code and description.
    pub activity: &'static str,
    /// BR: the occupation's (CBO code, CBO title).
    pub occupation: (&'static str, &'static str),
}

impl Job {
    pub(crate) fn last_salary(&self) -> f64 {
        self.updates.last().map(|u| u.2).unwrap_or(0.0)
    }

    /// Whole weeks worked, an ongoing job counted up to `today`.
    pub(crate) fn weeks(&self, today: i64) -> i64 {
        (self.end.unwrap_or(today) - self.start).max(0) / 7
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

    fn shift(&mut self, days: i64) {
        self.start += days;
        self.end = self.end.map(|e| e + days);
        for u in &mut self.updates {
            u.0 += days;
        }
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

/// A deterministic career of `n` jobs for `identifier` that reaches up to `today` (the
/// last job ongoing, or ended at the latest on `today`).
pub(crate) fn career(
    country: Country,
    identifier: &str,
    n: usize,
    p: &Person,
    today: i64,
) -> Vec<Job> {
    let mut rng = SplitMix::new(seed_of(identifier) ^ 0x4341_5245_4552);
    let reference = anchor_day();
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
        let (employer, code, activity, occupation) = match country {
            Country::Mx => (
                rng.pick(EMPLOYERS_MX).to_owned(),
                format!(
                    "{}{:010}",
                    char::from(b'A' + rng.below(26) as u8),
                    rng.below(10_000_000_000)
                ),
                "",
                ("", ""),
            ),
            Country::Br => {
                let i = rng.below(EMPLOYERS_BR.len() as u64) as usize;
                let e = EMPLOYERS_BR.get(i).or(EMPLOYERS_BR.first());
                let occupations = e.map_or(&[][..], |e| e.occupations);
                (
                    e.map(|e| e.name).unwrap_or_default().to_owned(),
                    cnpj(&mut rng),
                    e.map(|e| e.activity).unwrap_or_default(),
                    rng.pick(occupations),
                )
            }
        };
        let state = if rng.below(3) == 0 {
            let i = rng.below(PLACES_MX.len() as u64) as usize;
            PLACES_MX
                .get(i)
                .map(|p| p.state)
                .unwrap_or_default()
                .to_owned()
        } else {
            p.state.clone()
        };
        jobs.push(Job {
            employer,
            employer_code: code,
            start: s,
            end,
            state,
            updates,
            activity,
            occupation,
        });
    }
    for j in &mut jobs {
        j.shift(today - reference);
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
    /// When the data was collected (Unix ms, on the emulator's clock): its day is "today" for
    /// every date generated.
    pub collected_ms: u64,
    pub many: Option<usize>,
    /// The `reference_date` a retrieval asked the employment metrics for (`YYYY-MM-DD`), if
    /// any; without one the metrics are as of today and say `reference_date: null`.
    pub reference_date: Option<&'a str>,
}

impl LinkData<'_> {
    /// The collection day: the "today" of every generated date.
    fn today(&self) -> i64 {
        days_of_unix_ms(self.collected_ms)
    }
}

fn entry_mx(job: &Job, issste: bool, collected: &str, today: i64) -> EmploymentEntry {
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
        weeks_employed: Some(job.weeks(today)),
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
/// career up to the collection day.
fn person_and_career(country: Country, l: &LinkData<'_>) -> (Person, Vec<Job>) {
    let p = person(country, l.identifier);
    let jobs = career(
        country,
        l.identifier,
        job_count(l.identifier, l.many),
        &p,
        l.today(),
    );
    (p, jobs)
}

/// The MX employment-record profile of a link: one per link, as Belvo returns, holding
/// every employment (newest first) — 3–6 by default, `many` in the many-records scenario.
pub(crate) fn mx_records(l: &LinkData<'_>) -> Vec<EmploymentRecord> {
    let (p, jobs) = person_and_career(Country::Mx, l);
    let today = l.today();
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
    let weeks_total: i64 = jobs.iter().map(|j| j.weeks(today)).sum();
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
    std::vec![EmploymentRecord {
        id: Some(derived_uuid(&[l.link_id, "employment_record"])),
        link: Some(l.link_id.to_owned()),
        created_at: Some(collected.clone()),
        collected_at: Some(collected.clone()),
        report_date: Some(iso_date(today)),
        internal_identification: Some(l.identifier.to_owned()),
        personal_data: Some(personal),
        social_security_summary: summary,
        employment_records: jobs
            .iter()
            .rev()
            .map(|j| entry_mx(j, issste, &collected, today))
            .collect(),
        employment_scores: scores,
        files: std::vec![EmploymentFile {
            kind: Some("ReporteSemanasCotizadas_190123".into()),
            value: None
        }],
    }]
}

/// The months a BR job has a salary for, newest first, at most 12: consecutive calendar
/// months back from its last paid month (the month it ended, or for an ongoing job the month
/// before the collection month, not paid yet) to the month it started. Each is
/// `(year, month)`.
pub(crate) fn salary_months(start: i64, end: Option<i64>, today: i64) -> Vec<(i64, u32)> {
    let index = |day: i64| {
        let (y, m, _) = civil_from_days(day);
        y * 12 + i64::from(m) - 1
    };
    let first = index(start);
    let last = end.map_or(index(today) - 1, index).max(first);
    (0..12)
        .map(|k| last - k)
        .take_while(|m| *m >= first)
        .map(|m| (m.div_euclid(12), (m.rem_euclid(12) + 1) as u32))
        .collect()
}

/// BR employments (newest first), each with its employer's CNAE activity, its CBO
/// occupation and its monthly salaries.
pub(crate) fn br_employments(l: &LinkData<'_>) -> Vec<Employment> {
    let (_, jobs) = person_and_career(Country::Br, l);
    let today = l.today();
    let collected = iso_timestamp(l.collected_ms);
    jobs.iter()
        .rev()
        .enumerate()
        .map(|(i, j)| {
            let salaries: Vec<Salary> = salary_months(j.start, j.end, today)
                .into_iter()
                .map(|(y, m)| {
                    // The salary in force in the middle of the month (within the job).
                    let mid = days_from_civil(y, m, 15).clamp(j.start, j.end.unwrap_or(today));
                    let monthly = round2(j.salary_on(mid) * 30.0);
                    Salary {
                        base_amount: Some(monthly),
                        retained_amount: Some(round2(
                            monthly * if monthly > 4000.0 { 0.12 } else { 0.09 },
                        )),
                        month: Some(iso_month(days_from_civil(y, m, 1))),
                        currency: Some("BRL".into()),
                    }
                })
                .collect();
            let (cbo, title) = j.occupation;
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
                // As Belvo's example: the CBO title, and the employer's name for the
                // position with its CBO code ("ANALISTA … - 2525-40").
                occupations: std::vec![Occupation {
                    start_date: Some(iso_date(j.start)),
                    end_date: j.end.map(iso_date),
                    description: Some(title.to_owned()),
                    name: Some(format!("{title} - {cbo}")),
                    locale: Some("Urbana".into()),
                }],
                salaries,
            }
        })
        .collect()
}

/// The owner of the link (one), with an address in the link's country.
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
        address: Some(p.address.clone()),
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

/// The employment metrics of an MX link (IMSS / planet): as of the requested
/// `reference_date` (echoed), else as of the collection day (`reference_date: null`).
pub(crate) fn metrics(l: &LinkData<'_>) -> Vec<EmploymentMetrics> {
    let (p, mut jobs) = person_and_career(Country::Mx, l);
    let collected = iso_timestamp(l.collected_ms);
    let requested = l
        .reference_date
        .and_then(Date::parse)
        .map(|d| days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day)));
    let reference = requested.unwrap_or_else(|| l.today());
    // The career as it stood on the reference day.
    jobs.retain(|j| j.start <= reference);
    for j in &mut jobs {
        if j.end.is_some_and(|e| e > reference) {
            j.end = None;
        }
        j.updates.retain(|u| u.0 <= reference);
    }
    let (ry, _, _) = civil_from_days(reference);
    let (by, _, _) = civil_from_days(p.birth_day);
    let last = jobs.last();
    let current = jobs.iter().filter(|j| j.end.is_none()).count() as i64;
    let weeks_total: i64 = jobs.iter().map(|j| j.weeks(reference)).sum();
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
        reference_date: requested.map(iso_date),
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
        weeks_employed_last_job: last.map(|j| j.weeks(reference) as f64),
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

/// How many items each resource has for a link (the webhook counts): one employment-record
/// profile per MX link, whatever its number of employments.
pub(crate) fn count(resource: &str, l: &LinkData<'_>) -> u64 {
    let mx = l.country == Country::Mx;
    match resource {
        "EMPLOYMENT_RECORDS" if mx => 1,
        "EMPLOYMENTS" if !mx => job_count(l.identifier, l.many) as u64,
        "OWNERS" => 1,
        "EMPLOYMENT_METRICS" if mx => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mx_places_follow_the_curp_states() {
        // A CURP's state index picks its place: same order as curp::STATES (NE excluded).
        assert_eq!(PLACES_MX.len(), curp::STATES.len() - 1);
        let fold = |s: &str| {
            s.to_uppercase()
                .replace('Á', "A")
                .replace('É', "E")
                .replace('Í', "I")
                .replace('Ó', "O")
                .replace('Ú', "U")
        };
        for (place, (_, name)) in PLACES_MX.iter().zip(curp::STATES) {
            assert_eq!(place.state, fold(name));
        }
    }

    #[test]
    fn br_places_cover_every_uf() {
        for uf in cpf::REGIONS.iter().flat_map(|r| r.iter()) {
            assert!(PLACES_BR.iter().any(|p| p.uf == *uf), "{uf}");
        }
    }

    #[test]
    fn metrics_as_of_a_requested_reference_date() {
        let l = LinkData {
            link_id: "l",
            institution: "imss_mx_employment",
            country: Country::Mx,
            identifier: "PEXA850412HJCRRN09",
            collected_ms: 1_774_008_000_000,
            many: None,
            reference_date: None,
        };
        let today = metrics(&l);
        assert_eq!(today[0].reference_date, None, "null unless requested");
        assert_eq!(today[0].age, Some(41));
        let then = metrics(&LinkData {
            reference_date: Some("2015-06-30"),
            ..l.clone()
        });
        assert_eq!(then[0].reference_date.as_deref(), Some("2015-06-30"));
        assert_eq!(then[0].age, Some(30));
        assert!(then[0].employer_count <= today[0].employer_count);
        let bad = metrics(&LinkData {
            reference_date: Some("2015-13-01"),
            ..l
        });
        assert_eq!(bad[0].reference_date, None);
    }

    #[test]
    fn salary_months_are_consecutive() {
        let d = |y, m, dd| days_from_civil(y, m, dd);
        // Ongoing since long ago, collected on 2026-03-10: Feb 2026 back to Mar 2025.
        let months = salary_months(d(2020, 1, 5), None, d(2026, 3, 10));
        assert_eq!(months.first(), Some(&(2026, 2)));
        assert_eq!(months.last(), Some(&(2025, 3)));
        assert_eq!(months.len(), 12);
        // Ended on 2025-01-31, started 2024-11-20: Jan 2025, Dec 2024, Nov 2024.
        assert_eq!(
            salary_months(d(2024, 11, 20), Some(d(2025, 1, 31)), d(2026, 3, 10)),
            [(2025, 1), (2024, 12), (2024, 11)]
        );
        // Started this month: its own month, never an empty list.
        assert_eq!(
            salary_months(d(2026, 3, 2), None, d(2026, 3, 10)),
            [(2026, 3)]
        );
    }
}
