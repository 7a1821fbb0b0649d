//go:build tools

// Package tools pins the OPA CLI version that builds and tests prodgate's policies.
package tools

import _ "github.com/open-policy-agent/opa"
