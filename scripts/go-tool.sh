# Sourced by scripts/setup-{opa,regal,actionlint}.sh: builds a Go tool pinned by
# tools/<name>/go.mod and go.sum from the Go module proxy into .tools/bin/<name>, unless a
# binary reporting the pinned version is already there. -mod=readonly makes the build fail
# rather than change the pins. An override variable (OPA_BIN, ...) names an existing binary
# to use instead; it must report the pinned version.
#
# The caller defines `version_of BINARY` (prints the version the binary reports), then:
#   build_pinned_go_tool NAME MODULE PACKAGE OVERRIDE_VAR [LDFLAGS]
# where LDFLAGS may hold @VERSION@, replaced by the pinned version (tools that stamp their
# version in at release time, as Regal and actionlint do).
build_pinned_go_tool() {
  local name=$1 module=$2 package=$3 override_var=$4 ldflags=${5:-}
  local root want override bin
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  want=$(sed -n "s#^require $module v\(.*\)\$#\1#p" "$root/tools/$name/go.mod")
  [ -n "$want" ] || { echo "tools/$name/go.mod does not pin $module" >&2; return 1; }
  override=${!override_var:-}
  bin=${override:-$root/.tools/bin/$name}
  if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$want" ]; then
    echo "$name $want ready at $bin"
    return 0
  fi
  if [ -n "$override" ]; then
    echo "$override_var=$override is not $name $want" >&2
    return 1
  fi
  export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || { echo "go is needed to build $name $want" >&2; return 1; }
  mkdir -p "$root/.tools/bin"
  echo "building $name $want from the Go module proxy (pinned by tools/$name/go.sum)..."
  local flags=()
  [ -z "$ldflags" ] || flags=(-ldflags "${ldflags//@VERSION@/$want}")
  (cd "$root/tools/$name" && CGO_ENABLED=0 go build -mod=readonly -trimpath "${flags[@]}" \
    -o "$root/.tools/bin/$name" "$package")
  [ "$(version_of "$root/.tools/bin/$name")" = "$want" ]
  echo "$name $want ready at $root/.tools/bin/$name"
}
