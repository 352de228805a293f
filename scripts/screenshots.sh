#!/usr/bin/env bash
# make screenshots: refreshes the README's pictures (docs/screenshots/*.png). The e2e tests
# (tests/e2e/) run in screenshot mode against a demo of their own: a fixed clock in every page,
# fixed MFA codes, request ids and CURPs, a fixed viewport, time zone and locale, no motion
# (tests/e2e/harness.mjs). The pictures are made in tests/out/docs-screenshots/; only when every
# test passed are they copied over docs/screenshots/, file by file, and only where a byte
# differs, so a refresh when nothing changed leaves `git status` clean. (`make test` writes its
# pictures to tests/out/screenshots/ and never touches docs/.)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
[ -f www/pkg/browser.js ] || scripts/build.sh
OUT=tests/out/docs-screenshots
DOCS=docs/screenshots
rm -rf "$OUT"
mkdir -p "$OUT" "$DOCS"
env -u E2E_BASE_URL E2E_SCREENSHOTS="$OUT" node --test --test-concurrency=1 tests/e2e/
changed=0 same=0 removed=0
for f in "$OUT"/*.png; do
  d="$DOCS/$(basename "$f")"
  if [ -f "$d" ] && cmp -s "$f" "$d"; then
    same=$((same + 1))
  else
    cp "$f" "$d"
    changed=$((changed + 1))
    echo "screenshots: $(basename "$f") changed"
  fi
done
for d in "$DOCS"/*.png; do
  [ -f "$OUT/$(basename "$d")" ] && continue
  rm -f "$d"
  removed=$((removed + 1))
  echo "screenshots: $(basename "$d") removed (no test takes it any more)"
done
echo "screenshots: $changed changed, $same unchanged, $removed removed in $DOCS/"
