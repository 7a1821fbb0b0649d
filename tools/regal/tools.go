//go:build tools

// Package tools pins the Regal linter (github.com/styrainc/regal) for
// `prodgate lint`; scripts/setup-regal.sh builds it into .tools/bin/regal.
package tools

import _ "github.com/styrainc/regal"
