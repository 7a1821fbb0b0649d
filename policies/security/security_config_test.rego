# security.cors recorded from the release manifests (docs/artifacts.md).
package prodgate.security_config_test

import data.checklist.security

rev := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

ingress(origins, credentials) := {"name": "api", "hosts": ["api.x"], "allowCredentials": credentials, "line": 80, "column": 1, "origins": [{"origin": o, "line": 86, "column": 5} | some o in origins]}

cors_input(ingresses, env) := {
	"env": env, "as_of": "2026-11-25", "links": {},
	"evidence": {
		"security": {"file": "security.yaml", "valid": true, "data": {"kind": "security", "schemaVersion": 1, "cors": {"recordedBy": {"artifact": "m"}}}},
		"release": {"file": "release.yaml", "valid": true, "data": {"revision": rev}},
	},
	"recorded": {"security": {"/cors": {
		"artifact": "m", "file": "config/manifests.yaml", "sha256": "ab", "format": "kubernetes",
		"valid": true, "problems": [], "type": "config", "tool": {}, "revision": rev,
		"selected": true, "selector": "the whole file",
		"config": {"cors": {"ingresses": ingresses, "problems": []}},
	}}},
}

test_recorded_https_origins_pass if {
	security.gates["security.cors"].status == "pass" with input as cors_input([ingress(["https://app.x"], true)], "prod")
}

test_recorded_wildcard_fails_at_the_annotation if {
	gate := security.gates["security.cors"] with input as cors_input([ingress(["*"], true)], "prod")
	gate.status == "fail"
	gate.reasons[0].evidence[0] == {"file": "config/manifests.yaml", "pointer": "", "line": 86, "column": 5}
	contains(gate.reasons[0].message, "never allowed")
}

test_recorded_wildcard_without_credentials_is_allowed_outside_prod if {
	security.gates["security.cors"].status == "pass" with input as cors_input([ingress(["https://*.x"], false)], "staging")
	security.gates["security.cors"].status == "fail" with input as cors_input([ingress(["https://*.x"], true)], "staging")
}

test_recorded_without_cors_ingress_fails if {
	gate := security.gates["security.cors"] with input as cors_input([], "prod")
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}
