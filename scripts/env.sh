# Sourced by scripts: tool paths and the settings that keep wrangler/workerd offline.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/node/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
       WRANGLER_HIDE_BANNER=true XDG_CONFIG_HOME="$ROOT/.tools/xdg"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
