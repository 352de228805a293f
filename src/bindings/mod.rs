//! The JS adapters: they move bytes between JS and the pure core, and decide nothing. The
//! browser adapters ([`id`], `client`) are plain wasm exports with no imports (so the shipped
//! modules need no generated glue); the Worker handler (`worker`) is the only code in the
//! crate that imports wasm-bindgen.
//!
//! Feature `wasm-id` builds the identifier fast path alone (the `employment-link/validate`
//! entry); feature `wasm` adds the link-flow client.

// The Worker build carries neither browser adapter (its wasm serves the proxy only).
#[cfg(all(feature = "wasm", not(feature = "worker")))]
pub mod client;
#[cfg(not(feature = "worker"))]
pub mod id;
#[cfg(feature = "worker")]
pub mod worker;
