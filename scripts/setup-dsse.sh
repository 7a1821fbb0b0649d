#!/usr/bin/env bash
# Builds tools/dsse (dsse-interop: the Go reference DSSE implementation,
# github.com/secure-systems-lab/go-securesystemslib/dsse, with Go's ed25519) from the Go
# module proxy into tools/dsse/bin/dsse-interop, for the DSSE interoperability tests.
# The version and every module checksum are pinned by tools/dsse/go.mod and go.sum;
# -mod=readonly makes the build fail rather than change them. The binary is rebuilt
# whenever go.mod, go.sum or main.go change (a stamp of their digest sits beside it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/tools/dsse"
bin="$src/bin/dsse-interop"
stamp="$src/bin/.stamp"
want=$(cd "$src" && cat go.mod go.sum main.go | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "dsse-interop ready at $bin"
  exit 0
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "go is needed to build tools/dsse" >&2; exit 1; }
mkdir -p "$src/bin"
echo "building dsse-interop from the Go module proxy (pinned by tools/dsse/go.sum)..."
(cd "$src" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$want" > "$stamp"
echo "dsse-interop ready at $bin"
