package checklist.access_test

import data.checklist.access

good := {
	"kind": "access",
	"schemaVersion": 1,
	"authentication": {"scheme": "oauth2"},
	"authorization": {
		"scopes": ["invoices:read"],
		"denialTest": {"date": "2026-11-20", "outcome": "passed", "reference": "https://ci.example.com/runs/7781"},
	},
}

bundle_env(env, acc) := {
	"env": env,
	"as_of": "2026-11-25",
	"links": {"https://ci.example.com/runs/7781": {"ok": true}},
	"evidence": {"access": {"file": "evidence/prod/access.yaml", "valid": true, "data": acc}},
}

with_scheme(s) := object.union(good, {"authentication": {"scheme": s}})

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

test_good_access_passes_in_every_env if {
	every env in ["sandbox", "prod"] {
		gates := access.gates with input as bundle_env(env, good)
		gates["access.authn"].status == "pass"
		gates["access.authz"].status == "pass"
	}
}

test_missing_access_evidence_fails if {
	gates := access.gates with input as {"env": "sandbox", "as_of": "2026-11-25", "links": {}, "evidence": {}}
	gates["access.authn"].reasons[0].code == "missing-evidence"
	gates["access.authz"].status == "fail"
}

test_invalid_access_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"access": {"file": "a.yaml", "valid": false, "problems": [{"pointer": "/authentication", "message": "must be object"}]}}}
	gate := access.gates["access.authz"] with input as inp
	gate.status == "error"
}

# --- access.authn ---------------------------------------------------------------------

test_api_key_passes_in_sandbox_only if {
	sandbox := access.gates["access.authn"] with input as bundle_env("sandbox", with_scheme("api-key"))
	sandbox.status == "pass"
	prod := access.gates["access.authn"] with input as bundle_env("prod", with_scheme("api-key"))
	prod.status == "fail"
	prod.reasons[0].message == "scheme api-key is not accepted in prod (accepted: mtls, oauth2)"
}

test_no_authentication_fails_everywhere if {
	every env in ["sandbox", "prod"] {
		gate := access.gates["access.authn"] with input as bundle_env(env, with_scheme("none"))
		gate.status == "fail"
		pointers(gate) == {"/authentication/scheme"}
	}
}

test_unrecorded_scheme_fails if {
	gate := access.gates["access.authn"] with input as bundle_env("prod", object.remove(good, ["authentication"]))
	gate.reasons[0].code == "missing-evidence"
}

# --- access.authz ---------------------------------------------------------------------

test_no_scopes_fails if {
	gate := access.gates["access.authz"] with input as bundle_env("prod", json.remove(good, ["authorization/scopes"]))
	gate.status == "fail"
	pointers(gate) == {"/authorization/scopes"}
}

test_empty_scope_fails if {
	acc := object.union(good, {"authorization": {"scopes": ["invoices:read", " "]}})
	gate := access.gates["access.authz"] with input as bundle_env("prod", acc)
	pointers(gate) == {"/authorization/scopes/1"}
}

test_failed_or_missing_denial_test_fails if {
	failed := object.union(good, {"authorization": {"denialTest": {"outcome": "failed"}}})
	gate := access.gates["access.authz"] with input as bundle_env("prod", failed)
	pointers(gate) == {"/authorization/denialTest/outcome"}
	missing := access.gates["access.authz"] with input as bundle_env("prod", json.remove(good, ["authorization/denialTest"]))
	missing.reasons[0].code == "missing-evidence"
}
