#!/usr/bin/env bash
# make demo: serve www/ (with the built package) at http://127.0.0.1:${PORT:-8787}. Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
exec node tests/support/serve-cli.mjs www "${PORT:-8787}"
