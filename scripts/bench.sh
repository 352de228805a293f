#!/usr/bin/env bash
# make bench: identifier speed vs npm peers, sizes, and (when present) the Worker proxy bench.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 1"
$PIN node bench/bench.mjs
echo; echo "## Worker: full proxy path vs the emulator handler alone (same workerd)"
node tests/worker/bench.mjs 6
