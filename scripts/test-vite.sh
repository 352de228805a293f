#!/usr/bin/env bash
# A minimal Vite app that imports the package builds, and its output runs in Chromium.
# Two pages: index.html imports "employment-link" and "employment-link/validate";
# validate.html imports only "employment-link/validate" (and must fetch only the small id wasm).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
vite build --config tests/vite/vite.config.js
ls tests/vite/dist/assets/employment_link_bg-*.wasm >/dev/null
cmp -s pkg/web/employment_link_bg.wasm tests/vite/dist/assets/employment_link_bg-*.wasm \
  || { echo "test-vite: the main wasm asset differs from pkg/web/employment_link_bg.wasm" >&2; exit 1; }
ls tests/vite/dist/assets/employment_link_id_bg-*.wasm >/dev/null
cmp -s pkg/id/employment_link_id_bg.wasm tests/vite/dist/assets/employment_link_id_bg-*.wasm \
  || { echo "test-vite: the id wasm asset differs from pkg/id/employment_link_id_bg.wasm" >&2; exit 1; }
node tests/browser/run-page.mjs tests/vite/dist "true:Jalisco|true:153.872.046-90|same:true"
node tests/browser/run-page.mjs tests/vite/dist "true:Jalisco|true:153.872.046-90|true|client:false|onlyId:true" /validate.html
