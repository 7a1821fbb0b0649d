package checklist.endpoint_test

import data.checklist.endpoint

good := {
	"kind": "endpoint",
	"schemaVersion": 1,
	"method": "GET",
	"path": "/v1/invoices/{invoiceId}",
	"operationId": "getInvoice",
	"openapi": "https://api.example.com/openapi/v1.yaml",
	"stability": "stable",
}

links := {"https://api.example.com/openapi/v1.yaml": {"ok": true}}

bundle_env(env, ep) := {
	"env": env,
	"as_of": "2026-11-25",
	"links": links,
	"evidence": {"endpoint": {"file": "evidence/prod/endpoint.yaml", "valid": true, "data": ep}},
}

bundle(ep) := bundle_env("prod", ep)

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

test_good_endpoint_passes_in_every_env if {
	every env in ["sandbox", "prod"] {
		gates := endpoint.gates with input as bundle_env(env, good)
		gates["endpoint.contract"].status == "pass"
		gates["endpoint.versioning"].status == "pass"
	}
}

test_missing_endpoint_evidence_fails if {
	gates := endpoint.gates with input as {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {}}
	gates["endpoint.contract"].status == "fail"
	gates["endpoint.contract"].reasons[0].code == "missing-evidence"
	gates["endpoint.versioning"].status == "fail"
}

test_invalid_endpoint_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"endpoint": {
		"file": "evidence/prod/endpoint.yaml",
		"valid": false,
		"problems": [{"pointer": "/method", "message": "must be one of GET, POST"}],
	}}}
	gate := endpoint.gates["endpoint.contract"] with input as inp
	gate.status == "error"
	gate.reasons[0].evidence[0].pointer == "/method"
}

# --- endpoint.contract ---------------------------------------------------------------

test_contract_needs_method_path_and_operation if {
	gate := endpoint.gates["endpoint.contract"] with input as bundle(object.remove(good, ["method", "path", "operationId"]))
	gate.status == "fail"
	pointers(gate) == {"/method", "/path", "/operationId"}
}

test_contract_path_must_be_absolute if {
	gate := endpoint.gates["endpoint.contract"] with input as bundle(object.union(good, {"path": "v1/invoices"}))
	gate.status == "fail"
	gate.reasons[0].message == "path \"v1/invoices\" does not start with /"
}

test_contract_needs_a_resolved_openapi_link if {
	gate := endpoint.gates["endpoint.contract"] with input as bundle_env("prod", good) with input.links as {}
	gate.status == "fail"
	pointers(gate) == {"/openapi"}
	no_link := endpoint.gates["endpoint.contract"] with input as bundle(object.remove(good, ["openapi"]))
	no_link.reasons[0].code == "missing-evidence"
}

# --- endpoint.versioning ---------------------------------------------------------------

test_unversioned_path_fails if {
	gate := endpoint.gates["endpoint.versioning"] with input as bundle(object.union(good, {"path": "/invoices/{invoiceId}"}))
	gate.status == "fail"
	gate.reasons[0].message == "path /invoices/{invoiceId} does not start with a major version such as /v1/"
}

test_beta_passes_in_sandbox_but_not_in_prod if {
	beta := object.union(good, {"stability": "beta"})
	sandbox := endpoint.gates["endpoint.versioning"] with input as bundle_env("sandbox", beta)
	sandbox.status == "pass"
	prod := endpoint.gates["endpoint.versioning"] with input as bundle_env("prod", beta)
	prod.status == "fail"
	prod.reasons[0].message == "a beta endpoint cannot be released to prod; only a stable one"
}

test_unrecorded_stability_fails if {
	gate := endpoint.gates["endpoint.versioning"] with input as bundle_env("sandbox", object.remove(good, ["stability"]))
	gate.status == "fail"
	pointers(gate) == {"/stability"}
}
