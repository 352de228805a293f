//! The `EmploymentLink` constructor options, validated in the core (the adapter only reads
//! them off the JS object).

use core::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::url::check_proxy_url;
use super::{Config, RetryPolicy};
use crate::belvo::errors::Category;
use crate::id::Locale;

/// JS `{ proxyUrl, headers?, credentials?, locale?, timeoutMs?, retry?: {max, baseMs},
/// waitTimeoutMs?, maxPages?, pageSize?, onEvent? }`, read with serde
/// (`serde_wasm_bindgen::from_value` in the browser, `serde_json` natively): `null` is absent,
/// numbers are `f64` (JS numbers; [`validate`](Self::validate) wants whole ones), a known key
/// of the wrong type fails the read. Unknown keys are ignored here; secret-looking ones are
/// refused by [`validate`](Self::validate), which is given the object's keys.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientOptions {
    /// Base URL of the integrator's proxy.
    #[serde(default)]
    pub proxy_url: Option<String>,
    /// Extra request headers for the proxy (e.g. the integrator's own session token).
    #[serde(default)]
    pub headers: Option<Headers>,
    /// `fetch` credentials mode: `omit`, `same-origin` or `include`.
    #[serde(default)]
    pub credentials: Option<String>,
    /// `es` (default), `pt`, `en` (or `es-MX`, `pt-BR`, …).
    #[serde(default)]
    pub locale: Option<String>,
    /// Per-request timeout in ms (default 60 000).
    #[serde(default)]
    pub timeout_ms: Option<f64>,
    /// Retry policy.
    #[serde(default)]
    pub retry: Option<RetryOptions>,
    /// Default `waitForData` timeout in ms (default 120 000).
    #[serde(default)]
    pub wait_timeout_ms: Option<f64>,
    /// Page cap per resource (default 50).
    #[serde(default)]
    pub max_pages: Option<f64>,
    /// `page_size` to request (default Belvo's).
    #[serde(default)]
    pub page_size: Option<f64>,
    /// The event callback: a function, which the adapter takes off the JS object itself. Only
    /// skipped here, whatever it holds (serde cannot read a function).
    #[serde(default, rename = "onEvent")]
    pub on_event: Option<IgnoredAny>,
}

/// Header name/value pairs, read from a JS object `{name: value}` (values must be strings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of header names to string values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut v = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    v.push(pair);
                }
                Ok(Headers(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// JS `retry: {max, baseMs}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryOptions {
    /// Retries after the first attempt (0–10, default 3).
    #[serde(default)]
    pub max: Option<f64>,
    /// First backoff delay in ms (0–60 000, default 1000).
    #[serde(default)]
    pub base_ms: Option<f64>,
}

/// `fetch` credentials mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// `omit`.
    Omit,
    /// `same-origin` (the `fetch` default).
    SameOrigin,
    /// `include` (cookies to a cross-origin proxy).
    Include,
}

/// Validated options.
#[derive(Clone, PartialEq)]
pub struct Validated {
    /// Flow configuration.
    pub config: Config,
    /// Proxy base URL, without trailing `/`.
    pub proxy_url: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Credentials mode, if set.
    pub credentials: Option<Credentials>,
}

impl fmt::Debug for Validated {
    // Header values may be the integrator's session tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validated")
            .field("config", &self.config)
            .field("proxy_url", &self.proxy_url)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("credentials", &self.credentials)
            .finish()
    }
}

/// Why the options were refused (thrown in JS as `code: "invalid_options"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// The option at fault (JS name).
    pub field: &'static str,
    /// Developer message.
    pub detail: &'static str,
    /// Always [`Category::Integration`]: the integrator must fix it.
    pub category: Category,
}

impl OptionsError {
    /// An options error of the integrator's (the adapter raises its own, e.g. "options must be
    /// an object", with the same shape).
    pub fn new(field: &'static str, detail: &'static str) -> OptionsError {
        OptionsError {
            field,
            detail,
            category: Category::Integration,
        }
    }
}

fn bad(field: &'static str, detail: &'static str) -> OptionsError {
    OptionsError::new(field, detail)
}

/// Whether an option name looks like it carries a secret (`secretId`, `secretPassword`,
/// `apiKey`, …). The client never takes Belvo keys: such options are refused.
pub fn is_secret_option(name: &str) -> bool {
    let mut lower = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            lower.push(char::from(b.to_ascii_lowercase()));
        }
    }
    lower.contains("secret") || lower.contains("password") || lower == "apikey" || lower == "key"
}

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn whole_in(
    v: Option<f64>,
    lo: f64,
    hi: f64,
    field: &'static str,
    detail: &'static str,
) -> Result<Option<u64>, OptionsError> {
    match v {
        None => Ok(None),
        // Within `lo..=hi` (at most an hour of ms), so the cast is exact.
        Some(x) if x.fract() == 0.0 && x >= lo && x <= hi => Ok(Some(x as u64)),
        Some(_) => Err(bad(field, detail)),
    }
}

impl ClientOptions {
    /// Checks every option. `keys` are the option names present on the JS object
    /// (`Object.keys(options)`; natively the JSON object's keys): a secret-looking one
    /// ([`is_secret_option`]) is refused, so Belvo keys never reach the browser unnoticed.
    pub fn validate<'a>(
        self,
        keys: impl IntoIterator<Item = &'a str>,
    ) -> Result<Validated, OptionsError> {
        for k in keys {
            if is_secret_option(k) {
                return Err(bad(
                    "options",
                    "the client never takes Belvo keys or passwords: keep them in your proxy",
                ));
            }
        }
        let proxy_url = match self.proxy_url.as_deref() {
            Some(u) => check_proxy_url(u).map_err(|e| bad("proxyUrl", e.detail()))?,
            None => return Err(bad("proxyUrl", "proxyUrl is required")),
        };
        let mut config = Config::default();
        if let Some(l) = self.locale.as_deref() {
            config.locale = Locale::parse(l).ok_or(bad("locale", "locale must be es, pt or en"))?;
        }
        if let Some(t) = whole_in(
            self.timeout_ms,
            1.0,
            600_000.0,
            "timeoutMs",
            "timeoutMs must be a whole number of ms in 1..=600000",
        )? {
            config.request_timeout_ms = t;
        }
        if let Some(t) = whole_in(
            self.wait_timeout_ms,
            0.0,
            3_600_000.0,
            "waitTimeoutMs",
            "waitTimeoutMs must be a whole number of ms in 0..=3600000",
        )? {
            config.wait_timeout_ms = t;
        }
        if let Some(n) = whole_in(
            self.max_pages,
            1.0,
            1000.0,
            "maxPages",
            "maxPages must be in 1..=1000",
        )? {
            config.max_pages = u32::try_from(n).unwrap_or(1000);
        }
        if let Some(n) = whole_in(
            self.page_size,
            1.0,
            1000.0,
            "pageSize",
            "pageSize must be in 1..=1000",
        )? {
            config.page_size = u32::try_from(n).ok();
        }
        if let Some(r) = self.retry {
            let d = RetryPolicy::default();
            let max = whole_in(
                r.max,
                0.0,
                10.0,
                "retry.max",
                "retry.max must be a whole number in 0..=10",
            )?;
            let base = whole_in(
                r.base_ms,
                0.0,
                60_000.0,
                "retry.baseMs",
                "retry.baseMs must be a whole number of ms in 0..=60000",
            )?;
            config.retry = RetryPolicy {
                max: max.and_then(|m| u32::try_from(m).ok()).unwrap_or(d.max),
                base_ms: base.unwrap_or(d.base_ms),
                max_delay_ms: d.max_delay_ms,
            };
        }
        let credentials = match self.credentials.as_deref() {
            None => None,
            Some("omit") => Some(Credentials::Omit),
            Some("same-origin") => Some(Credentials::SameOrigin),
            Some("include") => Some(Credentials::Include),
            Some(_) => {
                return Err(bad(
                    "credentials",
                    "credentials must be omit, same-origin or include",
                ))
            }
        };
        let mut headers = Vec::new();
        for (k, v) in self.headers.unwrap_or_default().0 {
            if k.is_empty() || !k.bytes().all(is_token_char) || v.contains(['\r', '\n', '\0']) {
                return Err(bad(
                    "headers",
                    "headers must be valid HTTP header names and values",
                ));
            }
            if k.eq_ignore_ascii_case(super::LINK_CAPABILITY_HEADER) {
                return Err(bad("headers", "X-Link-Capability is managed by the client"));
            }
            headers.push((k, v));
        }
        Ok(Validated {
            config,
            proxy_url,
            headers,
            credentials,
        })
    }
}
