#!/usr/bin/env bash
# Regenerates every generated file from provider/plugin/schema-def.ts (npm run sdk:gen):
#   provider/plugin/schema.json, sdk/nodejs/types.ts, sdk/nodejs/config.ts   (our generator: provider/plugin/codegen.ts)
#   sdk/python, sdk/go                    (Pulumi's own generators, from the schema the built plugin serves)
#   docs/                                 (reference pages from schema.json: tools/docs/site.ts)
# Needs the engine tools (npm run engine:install). test/engine/sdks.test.ts and test/docs/docs.test.ts fail when any
# of these is stale.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$(bash scripts/install-pulumi.sh --print) || { echo "gen-sdks: run npm run engine:install first" >&2; exit 2; }
npx tsc -p tsconfig.json
node dist/provider/plugin/codegen.js
npx tsc -p tsconfig.json && npx tsc -p sdk/nodejs/tsconfig.json
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The schema as the plugin serves it (with its version), read by the real CLI from the real plugin.
PULUMI_HOME="$tmp/home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    "$bin/pulumi" package get-schema ./pulumi-resource-cloudphone > "$tmp/schema.json"
"$bin/sdkgen" --schema "$tmp/schema.json" --language python --out sdk/python
cp sdk/python/pulumi_cloudphone/README.md sdk/python/README.md   # pyproject.toml names it (provider Makefiles copy it too)
"$bin/sdkgen" --schema "$tmp/schema.json" --language go --out sdk/go
bash scripts/pin-go-sdk.sh sdk/go
# dist/tools/docs is compiled by tsc -p tsconfig.json above (tsconfig includes tools/)
node dist/tools/docs/site.js
echo "gen-sdks: schema.json, sdk/nodejs, sdk/python, sdk/go and docs/ are up to date" >&2
