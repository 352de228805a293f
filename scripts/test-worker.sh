#!/usr/bin/env bash
# Runs the Worker's tests in workerd (Miniflare's API, from wrangler 4.86.0 in tools/node):
# builds pkg/worker (scripts/build.sh worker) unless --no-build, then `node --test tests/worker/`.
# Offline: no telemetry, no cf.json fetch; the only sockets are on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
[[ -f scripts/env.sh ]] && source scripts/env.sh
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
       WRANGLER_HIDE_BANNER=true XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-$ROOT/.wrangler-config}"
export TOOLS_NODE_DIR="${TOOLS_NODE_DIR:-$ROOT/tools/node}"
if [[ ! -d "$TOOLS_NODE_DIR/node_modules/miniflare" ]]; then
  echo "test-worker: miniflare not found in $TOOLS_NODE_DIR/node_modules (install tools/node: wrangler@4.86.0)" >&2
  exit 1
fi
if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  scripts/build.sh worker
fi
exec node --test --test-reporter=spec tests/worker/ "$@"
