//! The key → value store the proxy keeps webhook events, dedupe markers and attempt counters
//! in. Workers KV in the Worker (eventually consistent; see the README), memory in tests.

use core::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// A store operation failed (the proxy fails closed: 503, or 500 for webhooks so Belvo
/// retries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreError;

/// An async key → string store with per-key expiry.
///
/// `async fn` in a public trait: futures are deliberately not `Send` (wasm is
/// single-threaded and JS promises are not `Send`).
#[allow(async_fn_in_trait)]
pub trait Store {
    /// The value of `key`, if present and not expired.
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores `value` under `key` for `ttl_secs` seconds (at least 60, as KV requires).
    async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> Result<(), StoreError>;
    /// The values of (at most `limit`) live keys starting with `prefix`, in key order
    /// (byte-wise ascending, as Workers KV lists them).
    async fn list(&self, prefix: &str, limit: usize) -> Result<std::vec::Vec<String>, StoreError>;
    /// Removes `key` (absent keys are not an error).
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
}

/// An in-memory [`Store`] with expiry against a clock the owner sets.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: RefCell<BTreeMap<String, (String, u64)>>,
    now_ms: Cell<u64>,
    fail: Cell<bool>,
}

impl MemoryStore {
    /// An empty store at time 0.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Sets the store's clock (Unix milliseconds); expired keys vanish.
    pub fn set_now(&self, now_ms: u64) {
        self.now_ms.set(now_ms);
        self.map.borrow_mut().retain(|_, (_, exp)| *exp > now_ms);
    }

    /// Makes every later operation fail (tests of the fail-closed paths).
    pub fn set_failing(&self, fail: bool) {
        self.fail.set(fail);
    }

    /// Number of live keys.
    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every key (tests: prove no raw identifier is stored).
    pub fn keys(&self) -> std::vec::Vec<String> {
        self.map.borrow().keys().cloned().collect()
    }

    /// Every value (tests: prove no raw identifier is stored).
    pub fn values(&self) -> std::vec::Vec<String> {
        self.map.borrow().values().map(|(v, _)| v.clone()).collect()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.map.borrow_mut().clear();
    }

    /// The store's clock, or the failure every operation meets after
    /// [`set_failing`](Self::set_failing).
    fn now_or_fail(&self) -> Result<u64, StoreError> {
        if self.fail.get() {
            Err(StoreError)
        } else {
            Ok(self.now_ms.get())
        }
    }
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let now = self.now_or_fail()?;
        Ok(self
            .map
            .borrow()
            .get(key)
            .filter(|(_, exp)| *exp > now)
            .map(|(v, _)| v.clone()))
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> Result<(), StoreError> {
        let exp = self
            .now_or_fail()?
            .saturating_add(ttl_secs.max(60).saturating_mul(1000));
        self.map
            .borrow_mut()
            .insert(key.to_string(), (value.to_string(), exp));
        Ok(())
    }

    async fn list(&self, prefix: &str, limit: usize) -> Result<std::vec::Vec<String>, StoreError> {
        let now = self.now_or_fail()?;
        Ok(self
            .map
            .borrow()
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .filter(|(_, (_, exp))| *exp > now)
            .take(limit)
            .map(|(_, (v, _))| v.clone())
            .collect())
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.now_or_fail()?;
        self.map.borrow_mut().remove(key);
        Ok(())
    }
}
