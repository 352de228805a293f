#!/usr/bin/env bash
# Every test layer. Exits non-zero on the first failing layer; prints a summary line at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native: cargo test (pure core)"
cargo test --all-targets
# The browser adapters' own unit tests (src/bindings/: the buffers and handles), natively.
cargo test --lib --no-default-features --features wasm

step "lint: rustfmt + clippy (native and wasm features) + rustdoc"
cargo fmt --check
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --profile test --no-default-features --features wasm -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --no-default-features --features worker --lib -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --no-default-features --features wasm,abort-on-panic --lib -- -D warnings

step "build: pkg/"
scripts/build.sh

step "wasm-bindgen-test: headless Chromium and Node"
scripts/test-wasm.sh

step "node: the built package (node --test)"
node --test tests/node/

step "chromium: the package as a plain ES module in a page (also under a strict CSP)"
node tests/browser/run-page.mjs . ok /tests/browser/pkg.html
node tests/browser/run-page.mjs . ok /tests/browser/validate.html
node tests/browser/run-page.mjs . ok /tests/browser/strict.csp.html

step "typescript: strict consumer"
tsc -p tests/ts/tsconfig.json

step "vite: a consumer app builds"
scripts/test-vite.sh

step "worker: workerd (wrangler/miniflare)"
scripts/test-worker.sh

if [ -x scripts/test-e2e.sh ]; then
  step "e2e: widget in Chromium (Playwright)"
  scripts/test-e2e.sh
fi
echo
echo "all test layers passed"
