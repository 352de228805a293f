#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need — idempotently: each step is
# skipped when its tool is already present at the right version. Only registries are used
# (crates.io, npm, Debian); nothing is downloaded from GitHub. See ../shared/toolchain.md.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. Rust wasm target and components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

# 2. Chromium + chromedriver (Debian) for browser tests, unless SKIP_BROWSER=1.
if [ "${SKIP_BROWSER:-0}" != 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  log "installing Debian chromium + chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# 3. wasm-bindgen CLI at exactly the version in Cargo.lock (schema must match).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
want=${want:-0.2.130}
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (a few minutes, once)"
  # No --locked: the registry mirror lacks a locked transitive version (toolchain.md §2a).
  CARGO_TARGET_DIR="${CARGO_INSTALL_TARGET:-$HOME/.cache/cargo-install-target}" \
    cargo install wasm-bindgen-cli --version "$want" --force
fi

# 4. wasm-pack from crates.io, pinned (the npm wrapper downloads from a release page, which these
# machines cannot reach). It finds wasm-bindgen (step 3) and npm binaryen's wasm-opt (step 5) on
# PATH, so it never downloads either.
want_wp=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$want_wp" ]; then
  log "installing wasm-pack $want_wp (a few minutes, once)"
  CARGO_TARGET_DIR="${CARGO_INSTALL_TARGET:-$HOME/.cache/cargo-install-target}" \
    cargo install wasm-pack --version "$want_wp" --locked --force
fi

# 5. Node tools (wrangler 4.86.0 for Node 20, binaryen's wasm-opt, playwright-core, vite, tsc, bench peers).
stamp=tools/node/node_modules/.installed-stamp
if [ ! -f "$stamp" ] || [ tools/node/package-lock.json -nt "$stamp" ]; then
  log "installing node tools (npm ci)"
  (cd tools/node && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
# Test files under tests/ and www/ resolve these by name.
mkdir -p tests/node_modules
for dep in playwright-core axe-core; do ln -sfn "../../tools/node/node_modules/$dep" "tests/node_modules/$dep"; done
ln -sfn ../../pkg tests/node_modules/employment-link
log "ready"
