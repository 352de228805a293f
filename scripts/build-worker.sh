#!/usr/bin/env bash
# Builds the Worker's wasm package into pkg/worker/ (cargo + wasm-bindgen --target web,
# then wasm-opt when npm's binaryen is available). Usage: scripts/build-worker.sh [--dev]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
[[ -f scripts/env.sh ]] && source scripts/env.sh
PROFILE=release
FLAG=--release
if [[ "${1:-}" == "--dev" ]]; then PROFILE=debug; FLAG=; fi
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$ROOT/pkg/worker"
cargo build $FLAG --target wasm32-unknown-unknown --no-default-features --features worker
WASM_BINDGEN="${WASM_BINDGEN:-$(command -v wasm-bindgen || echo "$HOME/.cargo/bin/wasm-bindgen")}"
rm -rf "$OUT"
"$WASM_BINDGEN" --target web --out-dir "$OUT" "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/employment_link.wasm"
WASM_OPT="${WASM_OPT:-$ROOT/tools/node/node_modules/.bin/wasm-opt}"
if [[ "$PROFILE" == release && -x "$WASM_OPT" ]]; then
  # npm binaryen's wasm-opt only (Debian's 108 produces broken modules: toolchain.md §2c).
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-multivalue --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext \
    "$OUT/employment_link_bg.wasm" -o "$OUT/employment_link_bg.wasm"
fi
RAW=$(stat -c %s "$OUT/employment_link_bg.wasm")
GZ=$(gzip -9 -c "$OUT/employment_link_bg.wasm" | wc -c)
echo "pkg/worker/employment_link_bg.wasm: $RAW bytes, $GZ gzip"
