//! Shared test harness: a no-op executor, the emulator as an in-process upstream, a scripted
//! upstream, and a proxy wired to a memory store.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context as TaskCx, Poll, Waker};

use employment_link_core::crypto::basic_auth;
use employment_link_core::emulator::{self, Emulator, EmulatorConfig, ScheduledWebhook};
use employment_link_core::proxy::{
    Config, Context, EmulatorRoute, Handled, MemoryStore, Proxy, Request, Upstream, UpstreamError,
    UpstreamRequest, UpstreamResponse,
};

/// Runs a future that never really waits (memory store, in-process upstreams).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = TaskCx::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("future did not complete");
}

/// 2026-01-15T12:00:00Z.
pub const T0: u64 = 1_768_478_400_000;

pub const ORIGIN: &str = "https://app.example.com";
pub const FOREIGN: &str = "https://evil.example.net";

/// The emulator behind the `Upstream` trait, as the Worker uses it (minus real timers).
pub struct EmuUpstream {
    pub emu: RefCell<Emulator>,
    pub pending: RefCell<Vec<ScheduledWebhook>>,
    pub now: Cell<u64>,
    pub auth: String,
    pub last_delay_ms: Cell<u64>,
    pub timeout_ms: u64,
}

impl EmuUpstream {
    pub fn new(cfg: &Config) -> EmuUpstream {
        EmuUpstream {
            emu: RefCell::new(Emulator::new(emulator_config(cfg, 42))),
            pending: RefCell::new(Vec::new()),
            now: Cell::new(T0),
            auth: basic_auth(&cfg.secret_id, &cfg.secret_password),
            last_delay_ms: Cell::new(0),
            timeout_ms: cfg.upstream_timeout_ms,
        }
    }

    pub fn requests(&self) -> u64 {
        self.emu.borrow().stats().requests
    }
}

/// The emulator settings that match a proxy configuration, wired as the Worker wires them.
pub fn emulator_config(cfg: &Config, seed: u64) -> EmulatorConfig {
    EmulatorConfig {
        secret_id: cfg.secret_id.clone(),
        secret_password: cfg.secret_password.clone(),
        webhook_delay_ms: cfg.emulator_webhook_delay_ms,
        slow_ms: cfg.emulator_slow_ms,
        seed,
        ..EmulatorConfig::default()
    }
}

impl EmuUpstream {
    fn call(
        &self,
        req: &UpstreamRequest,
        authorization: Option<&str>,
    ) -> Result<UpstreamResponse, UpstreamError> {
        let body = req.body.clone().unwrap_or_default();
        let r = emulator::Request {
            method: req.method.as_str(),
            path: &req.path,
            query: &req.query,
            authorization,
            body: &body,
        };
        let reply = self.emu.borrow_mut().handle(&r, self.now.get());
        self.last_delay_ms.set(reply.delay_ms);
        if reply.delay_ms > self.timeout_ms {
            return Err(UpstreamError::Timeout);
        }
        self.pending.borrow_mut().extend(reply.webhooks);
        Ok(UpstreamResponse {
            status: reply.status,
            content_type: Some(reply.content_type.to_owned()),
            body: reply.body,
        })
    }
}

impl Upstream for EmuUpstream {
    async fn send(&self, req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        self.call(req, Some(&self.auth))
    }

    async fn emulator_direct(
        &self,
        req: &UpstreamRequest,
        authorization: Option<&str>,
    ) -> Option<Result<UpstreamResponse, UpstreamError>> {
        Some(self.call(req, authorization))
    }

    async fn emulator_admin(&self, route: &EmulatorRoute) -> Option<UpstreamResponse> {
        let mut emu = self.emu.borrow_mut();
        let body = match route {
            EmulatorRoute::Scenarios => emulator::scenarios_json().into_bytes(),
            EmulatorRoute::Stats => emu.stats_json(),
            EmulatorRoute::Reset => {
                emu.reset();
                b"{\"status\":\"reset\"}".to_vec()
            }
            EmulatorRoute::Clock { advance_secs } => {
                emu.advance_clock(*advance_secs);
                b"{\"status\":\"advanced\"}".to_vec()
            }
        };
        Some(UpstreamResponse {
            status: 200,
            content_type: Some("application/json".into()),
            body,
        })
    }
}

/// A scripted upstream that counts calls.
pub struct Scripted {
    pub result: Result<UpstreamResponse, UpstreamError>,
    pub calls: Cell<u32>,
    pub last: RefCell<Option<UpstreamRequest>>,
}

impl Scripted {
    pub fn new(result: Result<UpstreamResponse, UpstreamError>) -> Scripted {
        Scripted {
            result,
            calls: Cell::new(0),
            last: RefCell::new(None),
        }
    }

    pub fn answering(status: u16, content_type: &str, body: &str) -> Scripted {
        Scripted::new(Ok(UpstreamResponse {
            status,
            content_type: Some(content_type.to_owned()),
            body: body.as_bytes().to_vec(),
        }))
    }
}

impl Upstream for Scripted {
    async fn send(&self, req: &UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        self.calls.set(self.calls.get() + 1);
        *self.last.borrow_mut() = Some(req.clone());
        self.result.clone()
    }
}

/// A proxy + memory store + emulator upstream, at a controllable time.
pub struct Harness {
    pub proxy: Proxy,
    pub store: MemoryStore,
    pub up: EmuUpstream,
    pub now: Cell<u64>,
    pub seq: Cell<u64>,
    pub logs: RefCell<Vec<String>>,
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with_env(&[("ALLOWED_ORIGINS", ORIGIN)])
    }

    pub fn with_env(vars: &[(&str, &str)]) -> Harness {
        let cfg = config(vars);
        let up = EmuUpstream::new(&cfg);
        let store = MemoryStore::new();
        store.set_now(T0);
        Harness {
            proxy: Proxy::new(cfg),
            store,
            up,
            now: Cell::new(T0),
            seq: Cell::new(0),
            logs: RefCell::new(Vec::new()),
        }
    }

    pub fn advance_ms(&self, ms: u64) {
        let t = self.now.get() + ms;
        self.now.set(t);
        self.store.set_now(t);
        self.up.now.set(t);
    }

    pub fn cx(&self) -> Context {
        self.seq.set(self.seq.get() + 1);
        Context {
            request_id: format!("{:032x}", self.seq.get()),
            now_ms: self.now.get(),
        }
    }

    pub fn call(&self, req: &Request) -> Handled {
        let h = block_on(self.proxy.handle(req, &self.cx(), &self.store, &self.up));
        self.logs.borrow_mut().push(h.log.to_json_line(Some(1)));
        h
    }

    pub fn call_with<U: Upstream>(&self, req: &Request, up: &U) -> Handled {
        let h = block_on(self.proxy.handle(req, &self.cx(), &self.store, up));
        self.logs.borrow_mut().push(h.log.to_json_line(None));
        h
    }

    /// Delivers every pending emulator webhook to `POST /webhooks` (as the Worker does after
    /// the delay, skipping those of links deleted meanwhile); returns the statuses.
    pub fn deliver_webhooks(&self) -> Vec<u16> {
        let pending: Vec<ScheduledWebhook> = self.up.pending.borrow_mut().drain(..).collect();
        let due = pending
            .into_iter()
            .filter(|w| self.up.emu.borrow().webhook_due(w))
            .collect();
        self.post_webhooks(due)
    }

    /// Posts `webhooks` to the proxy as Belvo would, whatever the emulator now knows of their
    /// links (a redelivery); the statuses answered.
    pub fn post_webhooks(&self, webhooks: Vec<ScheduledWebhook>) -> Vec<u16> {
        let token = self.proxy.config.webhook_token.clone().unwrap_or_default();
        let mut out = Vec::new();
        for w in webhooks {
            if w.delay_ms > 0 {
                self.advance_ms(w.delay_ms.min(1_000));
            }
            let req = Request::new("POST", "/webhooks", "")
                .with_header("authorization", &token)
                .with_header("content-type", "application/json")
                .with_body(w.body);
            let h = self.call(&req);
            self.up
                .emu
                .borrow_mut()
                .note_webhook_delivery(h.response.status < 300);
            out.push(h.response.status);
        }
        out
    }

    pub fn create(&self, body: &str) -> Handled {
        self.call(&post_json("/api/links/", body))
    }
}

/// The "random" per-process link key the tests inject (the Worker draws a real one).
pub const TEST_RANDOM_KEY: [u8; 32] = [7; 32];

pub fn config(vars: &[(&str, &str)]) -> Config {
    Config::from_env(
        |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        },
        Some(&TEST_RANDOM_KEY),
    )
    .expect("test configuration")
}

pub fn post_json(path: &str, body: &str) -> Request {
    Request::new("POST", path, "")
        .with_header("content-type", "application/json")
        .with_body(body.as_bytes().to_vec())
}

pub fn patch_json(body: &str, cap: Option<&str>) -> Request {
    let r = Request::new("PATCH", "/api/links/", "")
        .with_header("content-type", "application/json")
        .with_body(body.as_bytes().to_vec());
    match cap {
        Some(c) => r.with_header("x-link-capability", c),
        None => r,
    }
}

pub fn get(path: &str, query: &str, cap: Option<&str>) -> Request {
    let r = Request::new("GET", path, query);
    match cap {
        Some(c) => r.with_header("x-link-capability", c),
        None => r,
    }
}

/// The first error item of a JSON error answer: (code, message, field).
pub fn err(h: &Handled) -> (String, String, Option<String>) {
    let v = h.response.json_body();
    let item = &v[0];
    assert!(
        item["request_id"].is_string(),
        "error without request_id: {v}"
    );
    (
        item["code"].as_str().unwrap_or_default().to_owned(),
        item["message"].as_str().unwrap_or_default().to_owned(),
        item["field"].as_str().map(str::to_owned),
    )
}

pub const SANDBOX_CURP: &str = "BLPM951331IONVGR54";
pub const CURP_A: &str = "PEXA850412HJCRRN09";
pub const CPF_A: &str = "15387204690";
