#!/usr/bin/env bash
# Builds the pinned Regal linter (used by `prodgate lint`) from the Go module proxy into
# .tools/bin/regal (pinned by tools/regal/go.mod and go.sum). Regal's version is stamped in
# with -ldflags, as its own release builds do, so that prodgate can check it. Set REGAL_BIN
# to use an existing binary of that version.
set -euo pipefail
source "$(dirname "$0")/go-tool.sh"
version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: *//p'; }
build_pinned_go_tool regal github.com/styrainc/regal github.com/styrainc/regal REGAL_BIN \
  "-X github.com/styrainc/regal/pkg/version.Version=@VERSION@"
