#!/usr/bin/env bash
# Builds the pinned actionlint (the GitHub Actions linter CI runs on the workflow that uses
# action.yml) from the Go module proxy into .tools/bin/actionlint (pinned by
# tools/actionlint/go.mod and go.sum). The version is stamped in with -ldflags, as
# actionlint's release builds do. Set ACTIONLINT_BIN to use an existing binary of that version.
set -euo pipefail
source "$(dirname "$0")/go-tool.sh"
version_of() { "$1" -version 2>/dev/null | head -1; }
build_pinned_go_tool actionlint github.com/rhysd/actionlint github.com/rhysd/actionlint/cmd/actionlint ACTIONLINT_BIN \
  "-X github.com/rhysd/actionlint.version=@VERSION@"
