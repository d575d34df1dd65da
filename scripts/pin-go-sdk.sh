#!/usr/bin/env bash
# Pulumi's Go generator writes a go.mod requiring github.com/pulumi/pulumi/sdk/v3 v3.30.0; pin it to the CLI's
# version (the one this repository builds and tests with) and record go.sum, so that `go build ./...` works.
#   bash scripts/pin-go-sdk.sh DIR [GO.SUM to start from]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sdk=${1:?usage: pin-go-sdk.sh DIR [GO.SUM]}
version=$(cd "$root/tools/pulumi" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)
cd "$sdk"
if [ -n "${2:-}" ]; then cp "$2" go.sum; fi
go mod edit -require="github.com/pulumi/pulumi/sdk/v3@$version"
GOFLAGS=-mod=mod go mod tidy
