#!/usr/bin/env bash
# Builds the pinned Regal linter (used by `prodgate lint`) from the Go module proxy into
# .tools/bin/regal. The version and every module checksum are pinned by tools/regal/go.mod
# and go.sum; -mod=readonly makes the build fail rather than change them. Regal's version
# is stamped in with -ldflags, as its own release builds do, so that prodgate can check
# it. Set REGAL_BIN to use an existing binary instead (it must report the pinned version).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
module=github.com/styrainc/regal
want=$(sed -n "s#^require $module v\(.*\)\$#\1#p" "$root/tools/regal/go.mod")
[ -n "$want" ] || { echo "tools/regal/go.mod does not pin $module" >&2; exit 1; }
bin="${REGAL_BIN:-$root/.tools/bin/regal}"

version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: *//p'; }
if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$want" ]; then
  echo "regal $want ready at $bin"
  exit 0
fi
if [ -n "${REGAL_BIN:-}" ]; then
  echo "REGAL_BIN=$REGAL_BIN is not Regal $want" >&2
  exit 1
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "go is needed to build Regal $want" >&2; exit 1; }
mkdir -p "$root/.tools/bin"
echo "building regal $want from the Go module proxy (pinned by tools/regal/go.sum)..."
(cd "$root/tools/regal" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
  -ldflags "-X $module/pkg/version.Version=$want" \
  -o "$root/.tools/bin/regal" "$module")
[ "$(version_of "$root/.tools/bin/regal")" = "$want" ]
echo "regal $want ready at $root/.tools/bin/regal"
