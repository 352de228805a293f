//! Proxy configuration, read from the Worker environment (or any key → value source).

use std::net::IpAddr;

use crate::belvo::institution::INSTITUTIONS;

/// Which Belvo the proxy talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BelvoEnv {
    /// The embedded emulator (in-process; no network).
    Emulator,
    /// `https://sandbox.belvo.com`.
    Sandbox,
    /// `https://api.belvo.com`.
    Production,
}

impl BelvoEnv {
    /// `emulator`, `sandbox` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            BelvoEnv::Emulator => "emulator",
            BelvoEnv::Sandbox => "sandbox",
            BelvoEnv::Production => "production",
        }
    }

    /// Belvo's base URL for this environment (the emulator answers as the sandbox does).
    pub fn default_base_url(self) -> &'static str {
        match self {
            BelvoEnv::Emulator | BelvoEnv::Sandbox => "https://sandbox.belvo.com",
            BelvoEnv::Production => "https://api.belvo.com",
        }
    }
}

/// Secret key id the emulator expects when no `BELVO_SECRET_ID` is configured.
pub const EMULATOR_SECRET_ID: &str = "emulator-secret-id";
/// Secret key password the emulator expects when no `BELVO_SECRET_PASSWORD` is configured.
pub const EMULATOR_SECRET_PASSWORD: &str = "emulator-secret-password";
/// `WEBHOOK_TOKEN` used in emulator mode when none is configured.
pub const EMULATOR_WEBHOOK_TOKEN: &str = "Bearer emulator-webhook-token";

/// Maximum request body the proxy accepts (bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Default of the largest Belvo answer the proxy reads (`UPSTREAM_MAX_BYTES`, bytes): Belvo's
/// pages are far smaller, and it leaves most of a Worker isolate's memory free.
pub const UPSTREAM_MAX_BYTES: usize = 8 * 1024 * 1024;

/// Default time a request body may take to arrive (`BODY_READ_TIMEOUT_MS`).
pub const BODY_READ_TIMEOUT_MS: u64 = 10_000;

/// Default of the most webhook events kept per link (`EVENTS_MAX_PER_LINK`).
pub const EVENTS_MAX_PER_LINK: usize = 50;

/// The addresses Belvo sends webhooks from (Belvo's documentation): outside emulator mode the
/// only sources `POST /webhooks` accepts unless `WEBHOOK_ALLOWED_IPS` says otherwise.
pub const BELVO_WEBHOOK_IPS: [&str; 3] = ["3.130.254.46", "18.220.61.186", "18.223.45.212"];

/// The proxy's configuration.
#[derive(Clone)]
pub struct Config {
    /// Which Belvo to call.
    pub env: BelvoEnv,
    /// Belvo base URL, without a trailing slash.
    pub base_url: String,
    /// Belvo secret key id.
    pub secret_id: String,
    /// Belvo secret key password.
    pub secret_password: String,
    /// Exact `Authorization` value Belvo sends with webhooks; `None` → every webhook is 401.
    pub webhook_token: Option<String>,
    /// The addresses webhooks may come from (`CF-Connecting-IP`); `None` → any source (emulator
    /// mode, or `WEBHOOK_ALLOWED_IPS=*`). An empty list refuses every source.
    pub webhook_allowed_ips: Option<Vec<IpAddr>>,
    /// HMAC key for link capabilities and attempt-guard keys.
    pub link_key: Vec<u8>,
    /// Origins allowed by CORS (exact match, e.g. `https://app.example.com`).
    pub allowed_origins: Vec<String>,
    /// Institutions link creation accepts.
    pub allowed_institutions: Vec<String>,
    /// Largest accepted body.
    pub max_body_bytes: usize,
    /// How long a request body may take to arrive, milliseconds (then 408).
    pub body_read_timeout_ms: u64,
    /// Largest Belvo answer read, bytes (a larger one is 502 `upstream_invalid_response`).
    pub upstream_max_bytes: usize,
    /// Link attempts per identifier per window on `imss_mx_employment`.
    pub attempt_limit: u32,
    /// The attempt-guard window, seconds.
    pub attempt_window_secs: u64,
    /// How long webhook events (and dedupe markers) are kept, seconds (KV minimum is 60).
    pub events_ttl_secs: u64,
    /// Most events kept per link (the oldest are dropped).
    pub max_events_per_link: usize,
    /// Upstream timeout, milliseconds.
    pub upstream_timeout_ms: u64,
    /// Emulator: delay before the `historical_update` webhooks, milliseconds.
    pub emulator_webhook_delay_ms: u64,
    /// Emulator: how long the "slow answer" scenario waits, milliseconds.
    pub emulator_slow_ms: u64,
    /// Warnings found while reading the configuration (logged once by the adapter; no values).
    pub warnings: Vec<&'static str>,
}

impl core::fmt::Debug for Config {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Secrets are never printed.
        f.debug_struct("Config")
            .field("env", &self.env)
            .field("base_url", &self.base_url)
            .field("allowed_origins", &self.allowed_origins)
            .field("allowed_institutions", &self.allowed_institutions)
            .field("webhook_allowed_ips", &self.webhook_allowed_ips)
            .field("attempt_limit", &self.attempt_limit)
            .field("upstream_timeout_ms", &self.upstream_timeout_ms)
            .finish_non_exhaustive()
    }
}

/// Why the configuration cannot be used (the proxy then answers 500 to everything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `BELVO_ENV` is not `emulator`, `sandbox` or `production`.
    UnknownEnv,
    /// `sandbox`/`production` without `BELVO_SECRET_ID` and `BELVO_SECRET_PASSWORD`.
    MissingSecret,
    /// `sandbox`/`production` without a `LINK_KEY` of at least 16 bytes.
    MissingLinkKey,
    /// Emulator mode without `LINK_KEY`, and the adapter had no secure random key to use.
    NoRandomLinkKey,
    /// `BELVO_BASE_URL` is not an `http(s)://` URL.
    BadBaseUrl,
}

impl ConfigError {
    /// A stable description (no values).
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigError::UnknownEnv => "BELVO_ENV must be emulator, sandbox or production",
            ConfigError::MissingSecret => {
                "BELVO_SECRET_ID and BELVO_SECRET_PASSWORD are required outside emulator mode"
            }
            ConfigError::MissingLinkKey => {
                "LINK_KEY (at least 16 bytes) is required outside emulator mode"
            }
            ConfigError::NoRandomLinkKey => {
                "LINK_KEY is not set and no secure random source is available: set LINK_KEY"
            }
            ConfigError::BadBaseUrl => "BELVO_BASE_URL must start with http:// or https://",
        }
    }
}

fn parse_u64(v: Option<String>, default: u64, min: u64, max: u64) -> u64 {
    v.and_then(|s| s.trim().parse::<u64>().ok())
        .map(|n| n.clamp(min, max))
        .unwrap_or(default)
}

fn list(v: Option<String>) -> Vec<String> {
    v.map(|s| {
        s.split([',', ' ', '\n', '\t'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| x.trim_end_matches('/').to_string())
            .collect()
    })
    .unwrap_or_default()
}

/// The `WEBHOOK_ALLOWED_IPS` list: Belvo's addresses when unset, `None` (no check) when any
/// entry is `*`. Entries that are not IP addresses are dropped with a warning (fail closed).
fn webhook_sources(v: Option<String>, warnings: &mut Vec<&'static str>) -> Option<Vec<IpAddr>> {
    let entries = match v {
        None => BELVO_WEBHOOK_IPS.iter().map(|s| s.to_string()).collect(),
        Some(v) => list(Some(v)),
    };
    if entries.iter().any(|e| e == "*") {
        return None;
    }
    let ips: Vec<IpAddr> = entries
        .iter()
        .filter_map(|e| e.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .collect();
    if ips.len() != entries.len() {
        warnings.push("WEBHOOK_ALLOWED_IPS has entries that are not IP addresses (ignored)");
    }
    if ips.is_empty() {
        warnings
            .push("WEBHOOK_ALLOWED_IPS allows no address: every POST /webhooks is answered 403");
    }
    Some(ips)
}

impl Config {
    /// Reads the configuration from `get` (the Worker env: vars and secrets). Empty values
    /// count as unset. See the README for every variable.
    ///
    /// `random_link_key`: 32 bytes from a cryptographically secure source, drawn once per
    /// process (a Worker isolate) by the adapter. In emulator mode without `LINK_KEY` it is the
    /// link key, so capabilities are never derived from a public constant (`None` there is a
    /// [`ConfigError::NoRandomLinkKey`]). Outside emulator mode it is never used: `LINK_KEY`
    /// is required.
    pub fn from_env(
        get: impl Fn(&str) -> Option<String>,
        random_link_key: Option<&[u8; 32]>,
    ) -> Result<Config, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let secret_id = get("BELVO_SECRET_ID");
        let secret_password = get("BELVO_SECRET_PASSWORD");
        let has_secret = secret_id.is_some() && secret_password.is_some();
        let env = match get("BELVO_ENV").map(|s| s.trim().to_ascii_lowercase()) {
            None if has_secret => BelvoEnv::Sandbox,
            None => BelvoEnv::Emulator,
            Some(s) if s == "emulator" => BelvoEnv::Emulator,
            Some(s) if s == "sandbox" => BelvoEnv::Sandbox,
            Some(s) if s == "production" => BelvoEnv::Production,
            Some(_) => return Err(ConfigError::UnknownEnv),
        };
        let mut warnings = Vec::new();
        let emulator = env == BelvoEnv::Emulator;
        let (secret_id, secret_password) = match (secret_id, secret_password) {
            (Some(i), Some(p)) => (i, p),
            _ if emulator => (
                EMULATOR_SECRET_ID.to_string(),
                EMULATOR_SECRET_PASSWORD.to_string(),
            ),
            _ => return Err(ConfigError::MissingSecret),
        };
        let link_key = match get("LINK_KEY") {
            Some(k) if k.len() >= 16 => k.into_bytes(),
            Some(k) if emulator => {
                warnings.push("LINK_KEY is shorter than 16 bytes");
                k.into_bytes()
            }
            None if emulator => match random_link_key {
                Some(k) => {
                    warnings.push(
                        "LINK_KEY not set: using a random key of this process (capabilities end with it)",
                    );
                    k.to_vec()
                }
                None => return Err(ConfigError::NoRandomLinkKey),
            },
            _ => return Err(ConfigError::MissingLinkKey),
        };
        let webhook_token = match get("WEBHOOK_TOKEN") {
            Some(t) => Some(t),
            None if emulator => Some(EMULATOR_WEBHOOK_TOKEN.to_string()),
            None => {
                warnings.push("WEBHOOK_TOKEN not set: every POST /webhooks is answered 401");
                None
            }
        };
        // The emulator delivers its own webhooks in-process: there is no source to check.
        let webhook_allowed_ips = if emulator {
            None
        } else {
            webhook_sources(get("WEBHOOK_ALLOWED_IPS"), &mut warnings)
        };
        let base_url = match get("BELVO_BASE_URL") {
            Some(u) => {
                let u = u.trim().trim_end_matches('/').to_string();
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(ConfigError::BadBaseUrl);
                }
                u
            }
            None => env.default_base_url().to_string(),
        };
        let allowed_origins = list(get("ALLOWED_ORIGINS"));
        if allowed_origins.is_empty() {
            warnings.push("ALLOWED_ORIGINS not set: browsers on every origin are refused");
        }
        let mut allowed_institutions: Vec<String> = list(get("ALLOWED_INSTITUTIONS"))
            .into_iter()
            .filter(|n| INSTITUTIONS.iter().any(|i| i.name == n))
            .collect();
        if allowed_institutions.is_empty() {
            allowed_institutions = INSTITUTIONS.iter().map(|i| i.name.to_string()).collect();
        }
        Ok(Config {
            env,
            base_url,
            secret_id,
            secret_password,
            webhook_token,
            webhook_allowed_ips,
            link_key,
            allowed_origins,
            allowed_institutions,
            max_body_bytes: MAX_BODY_BYTES,
            body_read_timeout_ms: parse_u64(
                get("BODY_READ_TIMEOUT_MS"),
                BODY_READ_TIMEOUT_MS,
                100,
                120_000,
            ),
            // At most half of a Worker isolate's memory.
            upstream_max_bytes: parse_u64(
                get("UPSTREAM_MAX_BYTES"),
                UPSTREAM_MAX_BYTES as u64,
                1024,
                64 * 1024 * 1024,
            ) as usize,
            attempt_limit: parse_u64(get("ATTEMPT_LIMIT"), 3, 1, 1000) as u32,
            attempt_window_secs: 86_400,
            events_ttl_secs: parse_u64(get("EVENTS_TTL_SECONDS"), 7 * 86_400, 60, 365 * 86_400),
            // At most 500: the store is listed for twice as many (KV lists up to 1000 keys).
            max_events_per_link: parse_u64(
                get("EVENTS_MAX_PER_LINK"),
                EVENTS_MAX_PER_LINK as u64,
                1,
                500,
            ) as usize,
            upstream_timeout_ms: parse_u64(get("UPSTREAM_TIMEOUT_MS"), 55_000, 100, 300_000),
            emulator_webhook_delay_ms: parse_u64(
                get("EMULATOR_WEBHOOK_DELAY_MS"),
                1_000,
                0,
                60_000,
            ),
            emulator_slow_ms: parse_u64(get("EMULATOR_SLOW_MS"), 3_000, 0, 120_000),
            warnings,
        })
    }

    /// A configuration for tests and the emulator defaults: emulator mode, given origins,
    /// `random_link_key` as the link key (see [`Config::from_env`]).
    pub fn emulator_defaults(allowed_origins: &[&str], random_link_key: &[u8; 32]) -> Config {
        let origins = allowed_origins.join(",");
        let cfg = Config::from_env(
            |k| match k {
                "ALLOWED_ORIGINS" => Some(origins.clone()),
                _ => None,
            },
            Some(random_link_key),
        );
        // Emulator mode with nothing set cannot fail; keep a total fallback anyway.
        cfg.unwrap_or_else(|_| Config {
            env: BelvoEnv::Emulator,
            base_url: BelvoEnv::Emulator.default_base_url().to_string(),
            secret_id: EMULATOR_SECRET_ID.to_string(),
            secret_password: EMULATOR_SECRET_PASSWORD.to_string(),
            webhook_token: Some(EMULATOR_WEBHOOK_TOKEN.to_string()),
            webhook_allowed_ips: None,
            link_key: random_link_key.to_vec(),
            allowed_origins: allowed_origins.iter().map(|s| s.to_string()).collect(),
            allowed_institutions: INSTITUTIONS.iter().map(|i| i.name.to_string()).collect(),
            max_body_bytes: MAX_BODY_BYTES,
            body_read_timeout_ms: BODY_READ_TIMEOUT_MS,
            upstream_max_bytes: UPSTREAM_MAX_BYTES,
            attempt_limit: 3,
            attempt_window_secs: 86_400,
            events_ttl_secs: 7 * 86_400,
            max_events_per_link: EVENTS_MAX_PER_LINK,
            upstream_timeout_ms: 55_000,
            emulator_webhook_delay_ms: 1_000,
            emulator_slow_ms: 3_000,
            warnings: Vec::new(),
        })
    }

    /// Whether `origin` is allowed (exact, case-sensitive match as browsers send it).
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// Whether a webhook from `client_ip` (the `CF-Connecting-IP` header) is accepted: always
    /// when the check is off; otherwise only a parseable address on the list (a missing or
    /// malformed header is refused).
    pub fn webhook_source_allowed(&self, client_ip: Option<&str>) -> bool {
        let Some(allowed) = &self.webhook_allowed_ips else {
            return true;
        };
        client_ip
            .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
            .is_some_and(|ip| allowed.contains(&ip.to_canonical()))
    }
}
