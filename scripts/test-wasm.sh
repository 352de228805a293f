#!/usr/bin/env bash
# wasm-bindgen-test: tests/web_*.rs run in headless Chromium (run_in_browser) and tests/node_*.rs in Node.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=60
tests=()
for f in tests/web_*.rs tests/wasm_node_*.rs; do
  [ -f "$f" ] && tests+=(--test "$(basename "$f" .rs)")
done
cargo test --target wasm32-unknown-unknown --no-default-features --features wasm "${tests[@]}"
rm -rf /tmp/org.chromium.Chromium.* 2>/dev/null || true
