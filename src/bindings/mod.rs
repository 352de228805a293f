//! wasm-bindgen adapters. The only part of the crate that imports wasm-bindgen: it moves
//! bytes between JS and the pure core, and decides nothing.
//!
//! Feature `wasm-id` builds the identifier fast path alone (the `employment-link/validate`
//! entry); feature `wasm` adds the link-flow client.

#[cfg(feature = "wasm")]
pub mod client;
pub mod id;
#[cfg(feature = "worker")]
pub mod worker;
