//go:build tools

// Package tools pins actionlint, the GitHub Actions linter CI runs on action.yml
// (scripts/setup-actionlint.sh builds it from the Go module proxy).
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
