//! A test caller of the emulator core: its own test keys as Basic auth, and a clock the test
//! moves. Each test file adds the helpers it needs in its own `impl E`.

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{Emulator, EmulatorConfig, Reply, Request};

pub struct E {
    pub emu: Emulator,
    pub auth: String,
    pub now: u64,
    /// The base URL the emulator is called on (its configured one when `None`).
    base: Option<&'static str>,
}

impl E {
    /// An emulator seeded with `seed`, at `now`, called on `base`.
    pub fn with(seed: u64, now: u64, base: Option<&'static str>) -> E {
        let cfg = EmulatorConfig {
            seed,
            ..EmulatorConfig::default()
        };
        let auth = basic_auth(&cfg.secret_id, &cfg.secret_password);
        E {
            emu: Emulator::new(cfg),
            auth,
            now,
            base,
        }
    }

    /// One call with the test keys, at the current time.
    pub fn req(&mut self, method: &str, path: &str, query: &str, body: &str) -> Reply {
        let auth = self.auth.clone();
        let r = Request {
            method,
            path,
            query,
            authorization: Some(&auth),
            body: body.as_bytes(),
        };
        match self.base {
            Some(base) => self.emu.handle_at(&r, base, self.now),
            None => self.emu.handle(&r, self.now),
        }
    }
}
