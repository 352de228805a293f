#!/usr/bin/env bash
# Builds pkg/, the npm package, with wasm-pack: one `--target web` build per entry (the main
# module with the link client, the validator-only module, the Worker), then the package.json,
# the per-environment entry modules (src/js/) and the README next to them.
#   scripts/build.sh          everything
#   scripts/build.sh worker   only pkg/worker/ and the entry modules (the Worker's tests need no more)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
mkdir -p pkg
pack() { # out-dir out-name crate-dir [cargo args…]
  local out=$1 name=$2 dir=$3; shift 3
  rm -rf "pkg/$out"
  wasm-pack --quiet build --no-pack --target web --out-dir "$ROOT/pkg/$out" --out-name "$name" "$dir" "$@"
  rm -f "pkg/$out/.gitignore"
}
if [ "${1:-all}" != worker ]; then
  pack web employment_link .                            # `employment-link`: validators + EmploymentLink
  pack id employment_link_id . --no-default-features    # `employment-link/validate`: the validators alone
fi
pack worker employment_link worker                      # `employment-link/worker`: proxy + emulator
cp src/js/*.js src/js/*.d.ts src/js/package.json README.md pkg/
[ "${1:-all}" = worker ] && exit 0
node -e 'const z=require("zlib"),fs=require("fs"),g=(p)=>z.gzipSync(fs.readFileSync("pkg/"+p),{level:9}).length;
console.log(`build: pkg/ ready (gzip -9: employment-link ${g("web/employment_link_bg.wasm")} B wasm + ${g("web/employment_link.js")+g("browser.js")} B JS; employment-link/validate ${g("id/employment_link_id_bg.wasm")} B wasm + ${g("id/employment_link_id.js")+g("validate.browser.js")} B JS; Worker ${g("worker/employment_link_bg.wasm")} B wasm)`)'
# The demo site serves the package next to www/ (git-ignored copy).
rm -rf www/pkg && mkdir -p www/pkg && cp -r pkg/. www/pkg/
