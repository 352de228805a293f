#!/usr/bin/env bash
# A minimal Vite app that imports the package builds, and its output runs in Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
vite build --config tests/vite/vite.config.js
ls tests/vite/dist/assets/*.wasm >/dev/null
node tests/browser/run-page.mjs tests/vite/dist "true:Jalisco|true:153.872.046-90"
