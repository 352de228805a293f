#!/usr/bin/env bash
# Every test layer. Exits non-zero on the first failing layer; prints a summary line at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Tests never modify tracked files: what git reports changed before the run must be all it
# reports after.
before=$(git status --porcelain --untracked-files=no 2>/dev/null || true)

step "native: cargo test (the pure core, with the proxy and emulator; the adapters compile natively too)"
cargo test --workspace --all-features --all-targets

step "lint: rustfmt + clippy (native and wasm32, every crate and feature set) + rustdoc"
cargo fmt --all --check
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --workspace --all-features --no-deps
cargo clippy --quiet --workspace --all-features --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p employment-link -p employment-link-worker --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p employment-link --no-default-features --lib -- -D warnings
# The core has no wasm dependency at all.
if cargo tree -p employment-link-core --features server -e normal,build | grep -E "wasm-bindgen|js-sys|web-sys|gloo"; then
  echo "employment-link-core depends on a wasm crate" >&2; exit 1
fi

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
after=$(git status --porcelain --untracked-files=no 2>/dev/null || true)
if [ "$before" != "$after" ]; then
  echo "the tests changed tracked files:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo
echo "all test layers passed"
