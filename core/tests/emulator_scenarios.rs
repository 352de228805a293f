//! The on-demand scenarios: valid identifiers, exact answers, the published table.

use employment_link_core::belvo::institution::Country;
use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::scenarios::{Behavior, SCENARIOS};
use employment_link_core::emulator::{self, Emulator, EmulatorConfig, Reply, Request};
use employment_link_core::id::{cpf, curp, Options};

const NOW: u64 = 1_768_478_400_000;

fn emu() -> Emulator {
    Emulator::new(EmulatorConfig {
        seed: 7,
        ..EmulatorConfig::default()
    })
}

fn auth() -> String {
    let c = EmulatorConfig::default();
    basic_auth(&c.secret_id, &c.secret_password)
}

fn create(e: &mut Emulator, institution: &str, username: &str) -> Reply {
    let body = match institution {
        "inss_br_employment" => format!(
            r#"{{"institution":"{institution}","username":"{username}","password":"pw","access_mode":"single"}}"#
        ),
        _ => format!(
            r#"{{"institution":"{institution}","username":"{username}","access_mode":"single"}}"#
        ),
    };
    let a = auth();
    e.handle(
        &Request {
            method: "POST",
            path: "/api/links/",
            query: "",
            authorization: Some(&a),
            body: body.as_bytes(),
        },
        NOW,
    )
}

/// The ten IMSS messages of the seed table (status, code, message), verbatim.
const IMSS_TABLE: [(u16, &str, &str); 10] = [
    (400, "invalid_credentials", "El NSS capturado no coincide con la CURP"),
    (400, "login_error", "El NSS no fue localizado en el IMSS"),
    (400, "login_error", "El CURP proporcionado no fue localizado en la entidad externa RENAPO"),
    (400, "login_error", "CURP es incorrecto"),
    (400, "login_error", "Por favor, ingresa un CURP válido. Debe contener 18 caracteres"),
    (400, "login_error", "La persona no cuenta con NSS"),
    (400, "login_error", "Los datos registrados en el IMSS asociados a la CURP, presentan alguna inconsistencia, por favor acude a tu Subdelegación para obtener tu Número de Seguridad Social."),
    (400, "login_error", "Es necesario que acudas a la subdelegación más cercana a tu domicilio a presentar tu trámite"),
    (400, "login_error", "El correo ya está registrado con otro CURP"),
    (403, "forbidden_by_host", "Has agotado el número de solicitudes permitidas por día."),
];

#[test]
fn every_identifier_is_valid_and_unique() {
    let opts = Options::default();
    let strict = Options {
        strict: true,
        today: None,
    };
    let mut seen = std::collections::BTreeSet::new();
    for s in SCENARIOS {
        assert!(
            seen.insert(s.identifier),
            "duplicate identifier {}",
            s.identifier
        );
        match s.country {
            Country::Mx => {
                let c = curp::validate(s.identifier, &strict)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
                assert_eq!(c.as_str(), s.identifier);
            }
            Country::Br => {
                let c = cpf::validate(s.identifier, &strict)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
                assert_eq!(c.as_str(), s.identifier);
                // Independent check of the two mod-11 digits.
                let d: Vec<u32> = s.identifier.bytes().map(|b| u32::from(b - b'0')).collect();
                let dv = |n: usize| {
                    let sum: u32 = (0..n).map(|i| d[i] * (n as u32 + 1 - i as u32)).sum();
                    let r = sum % 11;
                    if r < 2 {
                        0
                    } else {
                        11 - r
                    }
                };
                assert_eq!((dv(9), dv(10)), (d[9], d[10]), "{}", s.name);
            }
        }
        // Independent check of the CURP check digit (alphabet 0-9 A-N Ñ O-Z, weights 18..2).
        if s.country == Country::Mx {
            let alphabet: Vec<char> = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ".chars().collect();
            let sum: usize = s
                .identifier
                .chars()
                .take(17)
                .enumerate()
                .map(|(i, ch)| alphabet.iter().position(|a| *a == ch).unwrap() * (18 - i))
                .sum();
            let digit = (10 - sum % 10) % 10;
            assert_eq!(
                s.identifier.chars().nth(17).and_then(|c| c.to_digit(10)),
                Some(digit as u32)
            );
        }
        assert!(curp::is_valid(s.identifier, &opts) || cpf::is_valid(s.identifier, &opts));
    }
    assert!(SCENARIOS.len() >= 29);
}

#[test]
fn all_ten_imss_errors_exactly() {
    for (status, code, message) in IMSS_TABLE {
        let s = SCENARIOS
            .iter()
            .find(|s| {
                s.behavior
                    == Behavior::Error {
                        status,
                        code,
                        message,
                    }
            })
            .unwrap_or_else(|| panic!("no scenario for {message}"));
        for inst in [
            "imss_mx_employment",
            "planet_mx_employment",
            "issste_mx_employment",
        ] {
            let mut e = emu();
            let r = create(&mut e, inst, s.identifier);
            assert_eq!(r.status, status, "{}", s.name);
            let v = r.json_body();
            assert_eq!(v[0]["code"], code);
            assert_eq!(v[0]["message"], message);
            assert_eq!(v[0]["request_id"].as_str().map(str::len), Some(32));
            assert!(r.webhooks.is_empty());
        }
    }
}

#[test]
fn generic_errors_for_both_countries() {
    for s in SCENARIOS {
        if let Behavior::Error {
            status,
            code,
            message,
        } = s.behavior
        {
            let mut e = emu();
            let r = create(&mut e, s.institution, s.identifier);
            assert_eq!(
                (r.status, r.json_body()[0]["code"].as_str()),
                (status, Some(code)),
                "{}",
                s.name
            );
            assert_eq!(r.json_body()[0]["message"], message);
            assert_eq!(e.stats().links_created, 0);
        }
    }
    let find = |n: &str| SCENARIOS.iter().find(|s| s.name == n).unwrap();
    assert_eq!(
        create(
            &mut emu(),
            "inss_br_employment",
            find("br_institution_down").identifier
        )
        .status,
        400
    );
    assert_eq!(
        create(
            &mut emu(),
            "imss_mx_employment",
            find("unexpected_error").identifier
        )
        .status,
        500
    );
    assert_eq!(
        create(
            &mut emu(),
            "imss_mx_employment",
            find("request_timeout").identifier
        )
        .status,
        408
    );
    assert_eq!(
        create(
            &mut emu(),
            "imss_mx_employment",
            find("bad_keys").identifier
        )
        .status,
        401
    );
}

#[test]
fn too_many_sessions_once_then_success() {
    for (inst, name, then) in [
        ("imss_mx_employment", "too_many_sessions_once", 201),
        ("inss_br_employment", "br_too_many_sessions_once", 428),
    ] {
        let s = SCENARIOS.iter().find(|s| s.name == name).unwrap();
        let mut e = emu();
        let r = create(&mut e, inst, s.identifier);
        assert_eq!(r.status, 400);
        assert_eq!(r.json_body()[0]["code"], "too_many_sessions");
        assert_eq!(create(&mut e, inst, s.identifier).status, then);
        assert_eq!(create(&mut e, inst, s.identifier).status, then);
        e.reset();
        assert_eq!(
            create(&mut e, inst, s.identifier).status,
            400,
            "reset forgets"
        );
    }
}

#[test]
fn html_rate_limit_slow_and_malformed() {
    let find = |n: &str| SCENARIOS.iter().find(|s| s.name == n).unwrap();
    for (inst, html, slow, bad) in [
        (
            "imss_mx_employment",
            "rate_limit_html",
            "slow_answer",
            "malformed_json",
        ),
        (
            "inss_br_employment",
            "br_rate_limit_html",
            "br_slow_answer",
            "br_malformed_json",
        ),
    ] {
        let r = create(&mut emu(), inst, find(html).identifier);
        assert_eq!((r.status, r.content_type), (403, "text/html"));
        assert!(String::from_utf8_lossy(&r.body).contains("openresty"));
        assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

        let mut e = Emulator::new(EmulatorConfig {
            slow_ms: 2_500,
            ..EmulatorConfig::default()
        });
        let r = create(&mut e, inst, find(slow).identifier);
        assert_eq!(r.delay_ms, 2_500);
        assert!(r.status == 201 || r.status == 428);

        let mut e = emu();
        let r = create(&mut e, inst, find(bad).identifier);
        assert_eq!((r.status, r.content_type), (201, "application/json"));
        assert!(
            serde_json::from_slice::<serde_json::Value>(&r.body).is_err(),
            "truncated"
        );
        assert!(!r.body.is_empty());
        assert_eq!(e.stats().links_created, 1, "the link exists anyway");
        assert!(!r.webhooks.is_empty(), "and its webhooks follow");
    }
}

#[test]
fn published_table_matches_the_code() {
    let generated = emulator::scenarios_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../emulator/scenarios.json");
    if std::env::var_os("UPDATE_SCENARIOS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path)
        .expect("emulator/scenarios.json (run with UPDATE_SCENARIOS=1)");
    assert_eq!(on_disk, generated, "emulator/scenarios.json is stale: run UPDATE_SCENARIOS=1 cargo test --test emulator_scenarios");
    let v: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    let list = v["scenarios"].as_array().unwrap();
    assert_eq!(list.len(), SCENARIOS.len());
    for item in list {
        for key in [
            "name",
            "country",
            "institution",
            "identifier",
            "behavior",
            "description",
        ] {
            assert!(item[key].is_string(), "{key} in {item}");
        }
    }
    // The ten IMSS errors appear with their exact status, code and message.
    for (status, code, message) in IMSS_TABLE {
        assert!(
            list.iter()
                .any(|i| i["status"] == status && i["code"] == code && i["message"] == message),
            "{message}"
        );
    }
    assert_eq!(v["page_size"], 10);
    // The default INSS challenge is the seed's; other token types are rows of their own.
    let ch = &v["defaults"]["br"]["challenge"];
    assert_eq!(ch["expiry"], "120");
    assert_eq!(
        ch["token_generation_data"],
        serde_json::json!({
            "instructions": "Use your app or device to generate a token",
            "type": "inputless",
            "value": null,
            "expects_user_input": true,
        })
    );
    let row = |name: &str| list.iter().find(|i| i["name"] == name).unwrap();
    assert_eq!(
        row("br_numeric_challenge")["token_generation_data"]["type"],
        "numeric"
    );
    assert_eq!(
        row("br_device_approval")["token_generation_data"]["expects_user_input"],
        false
    );
    // One profile per MX link: the many-records row is one page; BR employments paginate.
    let many = row("many_records");
    assert_eq!(
        (&many["profiles"], &many["entries"], &many["pages"]),
        (&1.into(), &26.into(), &1.into())
    );
    let many = row("br_many_employments");
    assert_eq!((&many["entries"], &many["pages"]), (&27.into(), &3.into()));
}

#[test]
fn readme_lists_every_scenario() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../worker/README.md");
    let readme = std::fs::read_to_string(path).expect("worker/README.md");
    for s in SCENARIOS {
        assert!(
            readme.contains(&format!("`{}`", s.identifier)),
            "README lacks {}",
            s.identifier
        );
        assert!(
            readme.contains(&format!("`{}`", s.name)),
            "README lacks {}",
            s.name
        );
    }
}

fn get_data(e: &mut Emulator, path: &str, link: &str, now: u64) -> Reply {
    let a = auth();
    let query = format!("link={link}&page=1");
    e.handle(
        &Request {
            method: "GET",
            path,
            query: &query,
            authorization: Some(&a),
            body: b"",
        },
        now,
    )
}

#[test]
fn data_error_once_fails_the_first_data_request_only() {
    let s = SCENARIOS
        .iter()
        .find(|s| s.name == "data_error_once")
        .unwrap();
    assert_eq!(s.behavior, Behavior::DataErrorOnce);
    let later = NOW + 60_000; // after the webhooks: the data is ready
    for inst in [
        "imss_mx_employment",
        "planet_mx_employment",
        "issste_mx_employment",
    ] {
        for first in ["/api/employment-records/", "/api/owners/"] {
            let mut e = emu();
            let r = create(&mut e, inst, s.identifier);
            assert_eq!(r.status, 201, "{inst}: the link is created");
            assert!(!r.webhooks.is_empty(), "{inst}: its webhooks follow");
            let link = r.json_body()["id"].as_str().unwrap().to_owned();

            let r = get_data(&mut e, first, &link, later);
            assert_eq!(r.status, 500, "{inst} {first}");
            let v = r.json_body();
            assert_eq!(v[0]["code"], "unexpected_error");
            assert_eq!(v[0]["message"], emulator::scenarios::UNEXPECTED_ERROR);
            assert_eq!(v[0]["request_id"].as_str().map(str::len), Some(32));

            // The same request again (the client's retry) succeeds, and so does every other.
            for path in [first, "/api/employment-records/", "/api/owners/", first] {
                let r = get_data(&mut e, path, &link, later);
                assert_eq!(r.status, 200, "{inst} {path} after the 500");
                assert!(r.json_body()["count"].as_u64() >= Some(1), "{inst} {path}");
            }
        }
    }
    // Once per link: a second link for the same CURP fails its first data request again.
    let mut e = emu();
    let ids: Vec<String> = (0..2)
        .map(|_| {
            let r = create(&mut e, "imss_mx_employment", s.identifier);
            r.json_body()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    for id in &ids {
        assert_eq!(get_data(&mut e, "/api/owners/", id, later).status, 500);
        assert_eq!(get_data(&mut e, "/api/owners/", id, later).status, 200);
    }
    // Other links are untouched.
    let r = create(&mut e, "imss_mx_employment", "PEXA850412HJCRRN09");
    let id = r.json_body()["id"].as_str().unwrap().to_owned();
    assert_eq!(get_data(&mut e, "/api/owners/", &id, later).status, 200);
}
