#!/usr/bin/env bash
# make demo: the Worker (Belvo emulator mode) with www/ as static assets at
# http://127.0.0.1:${PORT:-8787}. Offline; Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
PORT="${PORT:-8787}"
[ -f www/pkg/browser.js ] || scripts/build.sh
cat <<MSG

  employment-link demo:  http://127.0.0.1:$PORT/
  validation playground: http://127.0.0.1:$PORT/playground.html
  Belvo is NOT called: an embedded emulator answers. Scenarios (identifier → answer):
MSG
node -e '
const t = JSON.parse(require("fs").readFileSync("emulator/scenarios.json", "utf8"));
const rows = Array.isArray(t) ? t : (t.scenarios ?? []);
for (const r of rows) console.log("   ", String(r.identifier ?? r.username ?? "").padEnd(20), String(r.institution ?? "").padEnd(22), r.name ?? r.scenario ?? "", "→", r.answer ?? r.description ?? (r.status ? `${r.status} ${r.code ?? ""}` : ""));
' || true
echo
cd worker
# Own process group, so Ctrl-C (or the e2e tests killing the group) stops workerd too.
exec wrangler dev -c wrangler.demo.toml --ip 127.0.0.1 --port "$PORT" \
  --var "ALLOWED_ORIGINS:http://127.0.0.1:$PORT,http://localhost:$PORT" \
  --persist-to "$ROOT/.tools/wrangler-state" --show-interactive-dev-session=false --log-level warn
