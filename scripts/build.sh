#!/usr/bin/env bash
# Builds pkg/: the npm package (browser/Node/Vite/workerd entries + the Worker proxy build).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WASM=target/wasm32-unknown-unknown/release-web/employment_link.wasm

mkdir -p pkg
# The main browser module (`employment-link`): the validators and the link-flow client's core,
# plain wasm exports with no imports (no wasm-bindgen, so no generated glue).
cargo build --quiet --profile release-web --target wasm32-unknown-unknown --no-default-features --features wasm,abort-on-panic
rm -rf pkg/web; mkdir -p pkg/web
# npm binaryen's wasm-opt (Debian's 108 produces broken modules: toolchain.md §2c).
# -ocimfs=20: a function with one caller is inlined only when small (default: always);
# measured 1.7 KB less gzip on this module (0, 10, 30 and 100 all give less).
"$ROOT/tools/node/node_modules/.bin/wasm-opt" $WASM_OPT_FLAGS -ocimfs=20 --converge --strip-producers \
  --strip-target-features "$WASM" -o pkg/web/employment_link.wasm
# The validator-only module (`employment-link/validate`): plain wasm exports, no imports, so no
# wasm-bindgen glue; its own profile (and so its own output file).
# LLVM's inline threshold at 30 (opt-level "s" uses 50) for this module alone: 360 B less
# gzip, which keeps it within its 15 KB budget. Measured: the boolean paths as fast, rich CURP
# results on invalid input about 15% slower.
RUSTFLAGS="${RUSTFLAGS:-} -Cllvm-args=-inline-threshold=30" \
  cargo build --quiet --profile release-id --target wasm32-unknown-unknown --no-default-features --features wasm-id,abort-on-panic
rm -rf pkg/id; mkdir -p pkg/id
# (No wasm-bindgen reads it afterwards, so its producers/target_features sections can go too.
# -ocimfs=0: functions with one caller stay functions: measured 150 B less gzip, same speed.)
"$ROOT/tools/node/node_modules/.bin/wasm-opt" $WASM_OPT_FLAGS -ocimfs=0 --converge --strip-producers \
  --strip-target-features target/wasm32-unknown-unknown/release-id/employment_link.wasm \
  -o pkg/id/employment_link_id.wasm
scripts/build-worker.sh >/dev/null
cp src/bindings/js/*.js src/bindings/js/*.d.ts src/bindings/js/package.json pkg/
# Each entry module is bundled with the facade modules it imports and minified (esbuild): one
# file per entry, so a page fetches one script and gzip sees one stream (measured 539 B less
# gzip on the main entry than five separate modules). Export names and top-level await are
# kept; the wasm files, `node:` built-ins and the Worker's wasm-bindgen glue stay imports. The
# facade modules themselves are not shipped; the .d.ts files stay as written.
ENTRIES=(); for e in browser node workerd validate.browser validate.node validate.workerd worker; do
  ENTRIES+=("./pkg/$e.js"); done
rm -rf pkg/.bundle
"$ROOT/tools/node/node_modules/.bin/esbuild" "${ENTRIES[@]}" --bundle --minify --format=esm \
  --target=es2022 --platform=neutral --external:node:* --external:*.wasm --external:./worker/* \
  --outdir=pkg/.bundle --log-level=warning
for f in src/bindings/js/*.js; do rm "pkg/$(basename "$f")"; done
mv pkg/.bundle/*.js pkg/ && rmdir pkg/.bundle
[ -f README.md ] && cp README.md pkg/
# Sizes as `make bench` and tests/node/size.test.mjs measure them (Node's zlib, level 9: its
# output is a few % larger than the gzip CLI's).
node -e 'const z=require("zlib"),fs=require("fs"),g=(p)=>z.gzipSync(fs.readFileSync("pkg/"+p),{level:9}).length;
console.log(`build: pkg/ ready (gzip: employment-link ${g("web/employment_link.wasm")} B wasm + ${g("browser.js")} B JS, employment-link/validate ${g("id/employment_link_id.wasm")} B wasm + ${g("validate.browser.js")} B JS)`)'
# The demo site serves the package next to www/ (git-ignored copy).
rm -rf www/pkg && mkdir -p www/pkg && cp -r pkg/. www/pkg/
