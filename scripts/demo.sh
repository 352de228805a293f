#!/usr/bin/env bash
# make demo: the Worker (Belvo emulator mode) with www/ as static assets at
# http://127.0.0.1:${PORT:-8787}: `wrangler dev` behind a small front door (scripts/demo-gate.mjs)
# that lets at most 64 requests into wrangler at a time, so a burst of 1000 flows is queued
# instead of dropped (README, "The demo under load"). Offline; Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/env.sh"
# Where wrangler keeps the emulator's KV (attempt-guard counters, webhook events) between runs.
# The e2e tests point DEMO_STATE_DIR at a fresh temporary directory per run, so IMSS's
# 3-attempts-per-day guard never carries over from an earlier run. (Made absolute here, from
# the caller's directory: wrangler runs from worker/.)
STATE_DIR="${DEMO_STATE_DIR:-$ROOT/.tools/wrangler-state}"
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
cd "$ROOT"
PORT="${PORT:-8787}"
[ -f www/pkg/browser.js ] || scripts/build.sh
cat <<MSG

  employment-link demo:  http://127.0.0.1:$PORT/
  validation playground: http://127.0.0.1:$PORT/playground.html
  Belvo is NOT called: an embedded emulator answers. Its state (KV) is kept in $STATE_DIR
  (DEMO_STATE_DIR=… for another; POST /__emulator/reset starts afresh).
  Scenarios (identifier → answer):
MSG
node -e '
const t = JSON.parse(require("fs").readFileSync("emulator/scenarios.json", "utf8"));
const rows = Array.isArray(t) ? t : (t.scenarios ?? []);
for (const r of rows) console.log("   ", String(r.identifier ?? r.username ?? "").padEnd(20), String(r.institution ?? "").padEnd(22), r.name ?? r.scenario ?? "", "→", r.answer ?? r.description ?? (r.status ? `${r.status} ${r.code ?? ""}` : ""));
' || true
echo
# wrangler dev listens on an internal port; scripts/demo-gate.mjs serves $PORT and forwards to
# it, at most DEMO_MAX_INFLIGHT (64) requests at a time (README: "The demo under load"). The gate
# ends when this process (wrangler, after the exec) does.
INNER_PORT="${DEMO_INNER_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
node scripts/demo-gate.mjs "$PORT" "$INNER_PORT" "$$" &
cd worker
# Own process group, so Ctrl-C (or the e2e tests killing the group) stops workerd and the gate too.
exec wrangler dev -c wrangler.demo.toml --ip 127.0.0.1 --port "$INNER_PORT" \
  --var "ALLOWED_ORIGINS:http://127.0.0.1:$PORT,http://localhost:$PORT" \
  --persist-to "$STATE_DIR" --show-interactive-dev-session=false --log-level warn
