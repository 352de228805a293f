//! The JS adapters: they move bytes between JS and the pure core, and decide nothing. The
//! browser adapters ([`id`], `client`) are plain wasm exports with no imports (so the shipped
//! modules need no generated glue); the Worker handler (`worker`) is the only code in the
//! crate that imports wasm-bindgen.
//!
//! Feature `wasm-id` builds the identifier fast path alone (the `employment-link/validate`
//! entry); feature `wasm` adds the link-flow client.

/// Declares the state a browser adapter shares with JS between export calls (`STATE`,
/// initialised by the const expression `$init`) and `with_state(fallback, f)` to use it. On
/// wasm32 (one thread; `no_std` in the browser builds) a plain static; elsewhere (native tests
/// of the adapters) a thread-local.
#[cfg(not(feature = "worker"))]
macro_rules! shared_state {
    ($state:ty = $init:expr) => {
        #[cfg(target_arch = "wasm32")]
        struct Shared(core::cell::RefCell<$state>);
        // SAFETY: wasm32-unknown-unknown without the atomics feature has exactly one thread.
        #[cfg(target_arch = "wasm32")]
        unsafe impl Sync for Shared {}
        #[cfg(target_arch = "wasm32")]
        static STATE: Shared = Shared(core::cell::RefCell::new($init));
        #[cfg(not(target_arch = "wasm32"))]
        std::thread_local! {
            static STATE: core::cell::RefCell<$state> = const { core::cell::RefCell::new($init) };
        }

        /// Runs `f` on the shared state; `fallback` if it is already borrowed (cannot happen:
        /// the exports never call each other or back into JS). `try_with` and `try_borrow_mut`
        /// rather than `with` and `borrow_mut`: no panicking code in the module.
        fn with_state<R>(fallback: R, f: impl FnOnce(&mut $state) -> R) -> R {
            let run = move |s: &core::cell::RefCell<$state>| {
                s.try_borrow_mut().ok().map(|mut s| f(&mut s))
            };
            #[cfg(target_arch = "wasm32")]
            let r = run(&STATE.0);
            #[cfg(not(target_arch = "wasm32"))]
            let r = STATE.try_with(run).ok().flatten();
            r.unwrap_or(fallback)
        }
    };
}

// The Worker build carries neither browser adapter (its wasm serves the proxy only).
#[cfg(all(feature = "wasm", not(feature = "worker")))]
pub mod client;
#[cfg(not(feature = "worker"))]
pub mod id;
#[cfg(feature = "worker")]
pub mod worker;
