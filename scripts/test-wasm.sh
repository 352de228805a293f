#!/usr/bin/env bash
# wasm-bindgen-test through wasm-pack: tests/web_*.rs run in headless Chromium
# (`wasm-pack test --headless --chrome`) and tests/wasm_node_*.rs in Node (`wasm-pack test
# --node`), against the exported API. Extra arguments go to `cargo test` (after `--`: to the test runner, e.g. a test-name filter).
#
# The flow suites (tests/web_flow.rs, tests/wasm_node_flow.rs) talk to the real Worker proxy +
# emulator: this script builds pkg/worker when it is missing or older than the sources, starts
# the Worker in workerd (tests/support/start-worker.mjs) on a loopback port, passes its URL to
# the tests at compile time (EL_PROXY_URL), fixes the test page's origin
# (WASM_BINDGEN_TEST_ADDRESS) so the Worker's CORS allows it, and stops the Worker on exit.
# The Node suites and the browser suites each get a fresh Worker.
# Ports: EL_PROXY_PORT (default 38787) and EL_TEST_PAGE_PORT (default 38788); a busy default
# is replaced by a free port (a changed EL_PROXY_URL recompiles the two flow test crates).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# Whole-suite limit per test binary (the browser runner waits this long for the page to finish).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
export TOOLS_NODE_DIR="${TOOLS_NODE_DIR:-$ROOT/tools/node}"

node_tests=()
web_tests=()
for f in tests/wasm_node_*.rs; do [ -f "$f" ] && node_tests+=(--test "$(basename "$f" .rs)"); done
for f in tests/web_*.rs; do [ -f "$f" ] && web_tests+=(--test "$(basename "$f" .rs)"); done

port_busy() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
pick_port() {
  if port_busy "$1"; then free_port; else echo "$1"; fi
}

WORKER_PID=""
WORKER_LOG=""
stop_worker() {
  if [[ -n "$WORKER_PID" ]] && kill -0 "$WORKER_PID" 2>/dev/null; then
    kill "$WORKER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$WORKER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$WORKER_PID" 2>/dev/null || true
  fi
  WORKER_PID=""
  [[ -n "$WORKER_LOG" ]] && rm -f "$WORKER_LOG"
  WORKER_LOG=""
  return 0
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh Worker (fresh emulator memory) on $proxy_port; sets EL_PROXY_URL.
start_worker() {
  WORKER_LOG=$(mktemp /tmp/el-test-worker.XXXXXX)
  node tests/support/start-worker.mjs --port "$proxy_port" \
    --origin "http://127.0.0.1:$page_port" --parent $$ >"$WORKER_LOG" 2>&1 &
  WORKER_PID=$!
  local url=""
  for _ in $(seq 1 600); do
    url=$(sed -n 's/^EL_PROXY_URL=//p' "$WORKER_LOG" | head -n1)
    [[ -n "$url" ]] && break
    kill -0 "$WORKER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$url" ]]; then
    echo "test-wasm: the Worker did not start:" >&2
    cat "$WORKER_LOG" >&2
    exit 1
  fi
  if [[ -n "${EL_PROXY_URL:-}" && "$url" != "$EL_PROXY_URL" ]]; then
    echo "test-wasm: the Worker came up at $url, not $EL_PROXY_URL" >&2
    exit 1
  fi
  export EL_PROXY_URL="$url"
  echo "test-wasm: Worker (emulator mode) at $EL_PROXY_URL; test page origin http://$WASM_BINDGEN_TEST_ADDRESS"
}

flows=0
[[ -f tests/web_flow.rs || -f tests/wasm_node_flow.rs ]] && flows=1
if (( flows )); then
  wasm=pkg/worker/employment_link_bg.wasm
  if [[ ! -f "$wasm" ]] || [[ -n "$(find src core worker Cargo.toml Cargo.lock -newer "$wasm" -print -quit)" ]]; then
    echo "test-wasm: building pkg/worker (missing or older than the sources)"
    scripts/build.sh worker
  fi
  if [[ ! -d "$TOOLS_NODE_DIR/node_modules/miniflare" ]]; then
    echo "test-wasm: miniflare not found in $TOOLS_NODE_DIR/node_modules (install tools/node: wrangler@4.86.0)" >&2
    exit 1
  fi
  page_port=$(pick_port "${EL_TEST_PAGE_PORT:-38788}")
  proxy_port=$(pick_port "${EL_PROXY_PORT:-38787}")
  export WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$page_port"
fi

# Node suites, then browser suites, each against its own fresh Worker (the emulator's scenario
# memory, e.g. "too_many_sessions once", is per Worker). Same EL_PROXY_URL both times, so the
# test crates are compiled once.
for suite in node web; do
  if [[ $suite == node ]]; then selected=("${node_tests[@]}"); else selected=("${web_tests[@]}"); fi
  (( ${#selected[@]} )) || continue
  (( flows )) && start_worker
  if [[ $suite == node ]]; then
    wasm-pack test --node . "${selected[@]}" "$@"
    # The validator-only build (`employment-link/validate`) passes the same identifier cases.
    wasm-pack test --node . --no-default-features --test wasm_node_id "$@"
  else
    wasm-pack test --headless --chrome . "${selected[@]}" "$@"
  fi
  stop_worker
done
rm -rf /tmp/org.chromium.Chromium.* 2>/dev/null || true
