#!/usr/bin/env bash
# Builds the pinned OPA CLI from the Go module proxy into .tools/bin/opa (pinned by
# tools/opa/go.mod and go.sum). Set OPA_BIN to use an existing binary of that version.
set -euo pipefail
source "$(dirname "$0")/go-tool.sh"
version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: //p'; }
build_pinned_go_tool opa github.com/open-policy-agent/opa github.com/open-policy-agent/opa OPA_BIN
