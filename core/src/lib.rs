//! # employment-link-core
//!
//! The pure, sans-IO core of employment-link: everything that decides, nothing that does I/O.
//! It has no wasm dependency and is tested natively with `cargo test -p employment-link-core`;
//! the browser bindings (the root crate) and the Worker (`worker/`) only move values between JS
//! and this crate.
//!
//! | module | what |
//! |---|---|
//! | [`id`] | CURP and CPF rules, one module per identifier; the crate's one calendar ([`id::date`]) |
//! | [`belvo`] | Belvo wire types, institutions, the error catalogue |
//! | [`flow`] | the link/MFA state machine |
//! | `proxy` | the proxy's request policy (feature `server`) |
//! | `emulator` | Belvo sandbox emulator behaviour (feature `server`) |
//! | `crypto` | HMAC, SHA-256, hex, base64, Basic auth for the proxy and emulator (feature `server`) |
//!
//! Imports point one way: `id` ← `belvo` ← `flow`, and `proxy` and `emulator` use `belvo` and
//! `id`, never `flow` or each other (the Worker wires those two). The helpers (`text`, `rng`,
//! `crypto`) import none of them. `tests/architecture.rs` checks this.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod belvo;
pub mod flow;
pub mod id;
mod rng;
mod text;

#[cfg(feature = "server")]
pub mod crypto;
#[cfg(feature = "server")]
pub mod emulator;
#[cfg(feature = "server")]
pub mod proxy;
