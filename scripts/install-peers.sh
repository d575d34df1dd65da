#!/usr/bin/env bash
# Installs the clouds' official SDKs, the peers test/peers runs against our emulators, into a cache folder outside
# the repository (like the Pulumi CLI, scripts/install-pulumi.sh). A warm cache returns at once.
#
#   bash scripts/install-peers.sh            # (npm run peers:install) install what is missing, print the folder
#   bash scripts/install-peers.sh --print    # print the folder if the cache is complete, else exit 1
#
# What is pinned (here, one place):
ALIYUN_PYTHON_SDK="alibabacloud-eds-aic20230930==4.38.0"   # PyPI: Alibaba Cloud Phone 2023-09-30, Python
# Huawei's official KooPhone SDK is Java only (com.huaweicloud.sdk:huaweicloud-sdk-koophone); the newest version Maven
# Central serves, 3.1.143, has no ListInstances (batch-query) operation, so there is no official Huawei peer to run:
# the Huawei emulator's signature check stays proven against @huaweicloud/huaweicloud-sdk-core's signer instead.
# Environment: CLOUDPHONE_ENGINE_CACHE (default ~/.cache/pulumi-cloudphone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache_root=${CLOUDPHONE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudphone}
key=$(sha256sum < "$0" | cut -c1-12)
dir="$cache_root/peers-$key"

complete() {
    [ -f "$dir/complete" ] && [ -x "$dir/python/bin/python" ]
}
if [ "${1:-}" = "--print" ]; then
    complete && { echo "$dir"; exit 0; }
    exit 1
fi
if complete; then
    echo "install-peers: the official SDKs are ready (cached)" >&2
    echo "$dir"
    exit 0
fi
start=$(date +%s)
step() { echo "install-peers: [$(( $(date +%s) - start ))s] $*" >&2; }
mkdir -p "$dir"

step "python virtualenv with $ALIYUN_PYTHON_SDK"
rm -rf "$dir/python"
python3 -m venv "$dir/python"
"$dir/python/bin/python" -m pip install --quiet --disable-pip-version-check "$ALIYUN_PYTHON_SDK"

touch "$dir/complete"
step "done: $dir"
echo "$dir"
