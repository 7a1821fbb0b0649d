#!/usr/bin/env bash
# Builds the pinned OPA CLI from the Go module proxy into .tools/bin/opa.
# The version and every module checksum are pinned by tools/opa/go.mod and go.sum;
# -mod=readonly makes the build fail rather than change them. Set OPA_BIN to use an
# existing binary instead (it must report the pinned version).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(sed -n 's#^require github.com/open-policy-agent/opa v\(.*\)$#\1#p' "$root/tools/opa/go.mod")
bin="${OPA_BIN:-$root/.tools/bin/opa}"

version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: //p'; }
if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$want" ]; then
  echo "opa $want ready at $bin"
  exit 0
fi
if [ -n "${OPA_BIN:-}" ]; then
  echo "OPA_BIN=$OPA_BIN is not OPA $want" >&2
  exit 1
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "go is needed to build OPA $want" >&2; exit 1; }
mkdir -p "$root/.tools/bin"
echo "building opa $want from the Go module proxy (pinned by tools/opa/go.sum)..."
(cd "$root/tools/opa" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$root/.tools/bin/opa" github.com/open-policy-agent/opa)
[ "$(version_of "$root/.tools/bin/opa")" = "$want" ]
echo "opa $want ready at $root/.tools/bin/opa"
