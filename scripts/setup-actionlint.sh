#!/usr/bin/env bash
# Builds the pinned actionlint (the GitHub Actions linter CI runs on the workflow that
# uses action.yml) from the Go module proxy into .tools/bin/actionlint. The version and
# every module checksum are pinned by tools/actionlint/go.mod and go.sum; -mod=readonly
# makes the build fail rather than change them. The version is stamped in with -ldflags,
# as actionlint's release builds do. Set ACTIONLINT_BIN to use an existing binary
# instead (it must report the pinned version).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
module=github.com/rhysd/actionlint
want=$(sed -n "s#^require $module v\(.*\)\$#\1#p" "$root/tools/actionlint/go.mod")
[ -n "$want" ] || { echo "tools/actionlint/go.mod does not pin $module" >&2; exit 1; }
bin="${ACTIONLINT_BIN:-$root/.tools/bin/actionlint}"

version_of() { "$1" -version 2>/dev/null | head -1; }
if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$want" ]; then
  echo "actionlint $want ready at $bin"
  exit 0
fi
if [ -n "${ACTIONLINT_BIN:-}" ]; then
  echo "ACTIONLINT_BIN=$ACTIONLINT_BIN is not actionlint $want" >&2
  exit 1
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "go is needed to build actionlint $want" >&2; exit 1; }
mkdir -p "$root/.tools/bin"
echo "building actionlint $want from the Go module proxy (pinned by tools/actionlint/go.sum)..."
(cd "$root/tools/actionlint" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
  -ldflags "-X $module.version=$want" \
  -o "$root/.tools/bin/actionlint" "$module/cmd/actionlint")
[ "$(version_of "$root/.tools/bin/actionlint")" = "$want" ]
echo "actionlint $want ready at $root/.tools/bin/actionlint"
