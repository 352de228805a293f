#!/usr/bin/env bash
# e2e: the demo widget (www/) in Debian's Chromium through playwright-core, against the demo
# server (scripts/demo.sh: the Worker in emulator mode serving www/), which every test file
# starts on a free port and stops again. Screenshots go to tests/out/screenshots/ (ignored);
# `make screenshots` sets SCREENSHOTS_DIR=docs/screenshots to refresh the README's.
#   E2E_BASE_URL=http://127.0.0.1:8787 scripts/test-e2e.sh   # reuse a running demo instead
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
[ -f www/pkg/browser.js ] || scripts/build.sh
# One file at a time: each starts its own demo server (wrangler + workerd).
exec node --test --test-concurrency=1 tests/e2e/
