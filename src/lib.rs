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
//! | `bindings` | browser adapters (plain wasm exports) and the Worker handler (wasm-bindgen) | JS |
//!
//! Only `bindings` talks to JS (and only its Worker handler imports wasm-bindgen); everything
//! else is tested natively with `cargo test`.
// The browser builds (no feature `server`) need only `core` + `alloc`: without `std` the wasm
// carries no panic-message formatting (see the `panic_handler` below).
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "server"), not(test)),
    no_std
)]
#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

extern crate alloc;

pub mod belvo;
mod float;
pub mod flow;
pub mod id;
mod text;

#[cfg(feature = "server")]
pub mod emulator;
#[cfg(feature = "server")]
pub mod proxy;

#[cfg(feature = "wasm-id")]
pub mod bindings;

/// Browser builds use a small free-list allocator (their heap holds a few short-lived strings);
/// the Worker build (feature `server`) keeps the standard one.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[global_allocator]
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The shipped browser modules' panic handler (feature `abort-on-panic`, set by
/// scripts/build.sh only; test builds link `std`'s). The core never panics on any input
/// (tested natively); should a bug make it panic anyway, the wasm traps, as `panic = "abort"`
/// would — without the `core::fmt` machinery `std`'s handler brings along (a few KB gzip).
#[cfg(all(
    target_arch = "wasm32",
    feature = "abort-on-panic",
    not(feature = "server")
))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
