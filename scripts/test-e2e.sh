#!/usr/bin/env bash
# e2e: the demo widget (www/) in Debian's Chromium through playwright-core, against the demo
# server (scripts/demo.sh: the Worker in emulator mode serving www/), which every test file
# starts on a free port and stops again. Screenshots go to tests/out/screenshots/ (git-ignored);
# the README's pictures in docs/screenshots/ are refreshed by `make screenshots` only. The layer
# fails if it changed any file git tracks (or any untracked file it can see).
#   E2E_BASE_URL=http://127.0.0.1:8787 scripts/test-e2e.sh   # reuse a running demo instead
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
[ -f www/pkg/browser.js ] || scripts/build.sh
# What git sees before and after (content hashes, so a rewrite of a changed file shows too).
tree_state() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git status --porcelain=v1 --untracked-files=all | sort
  git ls-files -m -o --exclude-standard -z | while IFS= read -r -d '' f; do
    if [ -f "$f" ] && [ ! -L "$f" ]; then echo "$(git hash-object -- "$f") $f"; fi
  done | sort
} 2>/dev/null
before="$(tree_state)"
# One file at a time: each starts its own demo server (wrangler + workerd).
unset E2E_SCREENSHOTS
node --test --test-concurrency=1 tests/e2e/
after="$(tree_state)"
if [ "$before" != "$after" ]; then
  echo "test-e2e: the e2e tests changed files in the work tree (they may write only under tests/out/):" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
