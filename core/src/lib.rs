//! # employment-link-core
//!
//! The pure, sans-IO core of employment-link: everything that decides, nothing that does I/O.
//! It has no wasm dependency and is tested natively with `cargo test -p employment-link-core`;
//! the browser bindings (the root crate) and the Worker (`worker/`) only move values between JS
//! and this crate.
//!
//! | module | what |
//! |---|---|
//! | [`id`] | CURP and CPF rules, one module per identifier |
//! | [`belvo`] | Belvo wire types, institutions, the error catalogue |
//! | [`flow`] | the link/MFA state machine |
//! | `proxy` | the proxy's request policy (feature `server`) |
//! | `emulator` | Belvo sandbox emulator behaviour (feature `server`) |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod belvo;
pub mod flow;
pub mod id;
mod text;

#[cfg(feature = "server")]
pub mod emulator;
#[cfg(feature = "server")]
pub mod proxy;
