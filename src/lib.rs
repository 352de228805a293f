//! # employment-link
//!
//! Validate Mexican CURP and Brazilian CPF identifiers in the browser, and drive Belvo's
//! employment link flow (create link → MFA → `historical_update` webhooks → data) through a
//! backend proxy that the integrator supplies. The same crate runs as that proxy on
//! Cloudflare Workers, with an embedded Belvo sandbox emulator as the default upstream.
//!
//! The crate is split into a **pure, sans-IO core** and **thin adapters**:
//!
//! | module | what | I/O |
//! |---|---|---|
//! | [`id`] | CURP and CPF rules, one module per identifier | none |
//! | [`belvo`] | Belvo wire types, institutions, the error catalogue | none |
//! | [`flow`] | the link/MFA state machine | none |
//! | `proxy` | the proxy's request policy (feature `server`) | none |
//! | `emulator` | Belvo sandbox emulator behaviour (feature `server`) | none |
//! | `bindings` | browser client and Worker handler (feature `wasm`/`worker`) | wasm-bindgen |
//!
//! Only `bindings` imports wasm-bindgen; everything else is tested natively with `cargo test`.
#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

extern crate alloc;

pub mod belvo;
pub mod flow;
pub mod id;

#[cfg(feature = "server")]
pub mod emulator;
#[cfg(feature = "server")]
pub mod proxy;

#[cfg(feature = "wasm")]
pub mod bindings;
