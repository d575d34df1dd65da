#!/usr/bin/env bash
# Builds the pinned Pulumi CLI, the language hosts and our SDK generator from Go modules, into a cache folder outside
# the repository, plus a Python virtualenv with PyPI's pulumi for the Python example. One command, cached: a warm
# cache returns in well under a second.
#
#   bash scripts/install-pulumi.sh            # (npm run engine:install) build what is missing, print the bin folder
#   bash scripts/install-pulumi.sh --print    # print the bin folder if the cache is complete, else exit 1 (no build)
#
# What is pinned, and where (one place each):
#   tools/pulumi/go.mod        the CLI: github.com/pulumi/pulumi/pkg/v3 (its version is the CLI's version) + sdkgen
#   ../shared/pulumi-language-hosts-v3.248.0/ (beside the repository) pulumi-language-nodejs/-python/-go: Pulumi's own
#                              sources at the CLI's tag, unmodified. Modules of their own that the Go module proxy
#                              does not serve, so each is copied to a temporary folder and built against the released
#                              pkg/v3 and sdk/v3 at the CLI's version, as that folder's README says. Absent (a clone
#                              elsewhere): said so, the rest is built, and the engine tests needing a host are pending.
#   pulumi-language-python-exec the Python host's program runner: upstream sdk/python/cmd/, inside the sdk/v3 module
#                              at the CLI's version (from the Go module cache; the host sources above leave it out)
#   tools/pulumi-yaml/go.mod   pulumi-language-yaml (pulumi-yaml v1.25.0 with the pkg/v3 it declares; it does not
#                              compile against the CLI's pkg/v3, so it is a module of its own)
#   PYTHON_PULUMI below        PyPI's pulumi for Python programs, the CLI's version
# Environment: CLOUDPHONE_ENGINE_CACHE (default ~/.cache/pulumi-cloudphone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cache_root=${CLOUDPHONE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudphone}
cli_version=$(cd tools/pulumi && GOFLAGS=-mod=readonly go list -m -f "{{.Version}}" github.com/pulumi/pulumi/pkg/v3)
[ -n "$cli_version" ] || { echo "install-pulumi: cannot read the pkg/v3 version from tools/pulumi/go.mod" >&2; exit 2; }
PYTHON_PULUMI=${cli_version#v}
hosts_src="$root/../shared/pulumi-language-hosts-$cli_version"
hosts=(nodejs python go)
# The language hosts' sources, file names and contents, or a marker when the folder is absent.
hosts_digest() {
    [ -d "$hosts_src" ] || { echo "no language hosts"; return; }
    (cd "$hosts_src" && find . -type f | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done)
}
# The cache key covers everything that decides what is built.
key=$( { cat "$0" tools/pulumi/go.mod tools/pulumi/go.sum tools/pulumi/sdkgen/*.go tools/pulumi-yaml/go.mod tools/pulumi-yaml/go.sum \
    node_modules/@pulumi/pulumi/package.json 2>/dev/null; hosts_digest; } | sha256sum | cut -c1-12)
dir="$cache_root/pulumi-$cli_version-$key"
bin="$dir/bin"
tools=(pulumi sdkgen pulumi-language-yaml pulumi-resource-pulumi-nodejs)
if [ -d "$hosts_src" ]; then
    for h in "${hosts[@]}"; do tools+=("pulumi-language-$h"); done
    tools+=(pulumi-language-python-exec)
fi
no_hosts() {
    [ -d "$hosts_src" ] && return
    echo "install-pulumi: no language hosts: $hosts_src is absent, so pulumi-language-nodejs, -python and -go are not" \
        "built (Node.js, Python and Go programs cannot run; their engine tests show as pending)" >&2
}

complete() {
    [ -f "$dir/complete" ] || return 1
    for t in "${tools[@]}"; do [ -x "$bin/$t" ] || return 1; done
    [ -x "$dir/venv/bin/python" ] || return 1
}

if [ "${1:-}" = "--print" ]; then
    complete && { echo "$bin"; exit 0; }
    exit 1
fi
if complete; then
    echo "install-pulumi: pulumi $cli_version and its language hosts are ready (cached)" >&2
    no_hosts
    echo "$bin"
    exit 0
fi

command -v go >/dev/null || { echo "install-pulumi: Go is needed (go 1.25 or newer)" >&2; exit 2; }
[ -f node_modules/@pulumi/pulumi/package.json ] || { echo "install-pulumi: run npm ci first (the dynamic-provider host comes from @pulumi/pulumi)" >&2; exit 2; }
mkdir -p "$bin"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false -mod=readonly"
start=$(date +%s)
step() { echo "install-pulumi: [$(( $(date +%s) - start ))s] $*" >&2; }
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version"

step "building pulumi $cli_version and sdkgen (tools/pulumi; a first build takes several minutes)"
(cd tools/pulumi && go build -ldflags "$ldflags" -o "$bin/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./sdkgen)
# The CLI's version is pkg/v3's; nothing built beside it may lift pkg/v3 or sdk/v3.
pinned=$(cd tools/pulumi && go list -m -f '{{.Path}} {{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 | tr '\n' ' ')
[ "$pinned" = "github.com/pulumi/pulumi/pkg/v3 $cli_version github.com/pulumi/pulumi/sdk/v3 $cli_version " ] \
    || { echo "install-pulumi: tools/pulumi resolves $pinned, not $cli_version" >&2; exit 2; }
step "go list -m: $pinned"

if [ -d "$hosts_src" ]; then
    for h in "${hosts[@]}"; do
        step "building pulumi-language-$h ($hosts_src/$h against pkg/v3 and sdk/v3 $cli_version)"
        work=$(mktemp -d)
        cp -R "$hosts_src/$h/." "$work/" && chmod -R u+w "$work"
        (cd "$work" \
            && go mod edit -dropreplace=github.com/pulumi/pulumi/pkg/v3 -dropreplace=github.com/pulumi/pulumi/sdk/v3 \
                -require=github.com/pulumi/pulumi/pkg/v3@"$cli_version" -require=github.com/pulumi/pulumi/sdk/v3@"$cli_version" \
            && GOFLAGS="-buildvcs=false -mod=mod" go build -ldflags "$ldflags" -o "$bin/pulumi-language-$h" . \
            && [ "$(GOFLAGS=-mod=mod go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 | tr '\n' ' ')" = "$cli_version $cli_version " ]) \
            || { rm -rf "$work"; echo "install-pulumi: pulumi-language-$h did not build against $cli_version" >&2; exit 2; }
        rm -rf "$work"
    done
    sdk_dir=$(cd tools/pulumi && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
    install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
    # The Go host compiles a program on every preview and update, with these flags; -trimpath has build-cache
    # entries of its own, so compiling the Go example once here (sdk/go's modules from the Go proxy) saves Go
    # programs minutes on their first run.
    step "compiling examples/go-lookup as pulumi-language-go does (Go module and build caches for Go programs)"
    work=$(mktemp -d)
    (cd examples/go-lookup && go build -buildvcs=false -o "$work/go-lookup" -trimpath -ldflags "-w -s" .) \
        || { rm -rf "$work"; echo "install-pulumi: examples/go-lookup does not compile" >&2; exit 2; }
    rm -rf "$work"
else
    no_hosts
fi

step "building pulumi-language-yaml (tools/pulumi-yaml)"
(cd tools/pulumi-yaml && go build -o "$bin/" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)

# The engine looks for the dynamic-provider host next to pulumi, on PATH or in the plugin cache, never in node_modules.
install -m 0755 node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs "$bin/pulumi-resource-pulumi-nodejs"

step "python virtualenv with pulumi==$PYTHON_PULUMI (for Python programs)"
rm -rf "$dir/venv"
python3 -m venv "$dir/venv"
"$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pulumi==$PYTHON_PULUMI" \
    "setuptools>=61" wheel "parver>=0.2.1" "semver>=2.8.1"   # to build and run the generated SDK (sdk/python)

touch "$dir/complete"
step "done: $("$bin/pulumi" version) in $bin"
echo "$bin"
