//! wasm-bindgen adapters. The only part of the crate that imports wasm-bindgen: it moves
//! bytes between JS and the pure core, and decides nothing.
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
