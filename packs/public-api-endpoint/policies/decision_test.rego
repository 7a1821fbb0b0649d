package prodgate.decision_test

import data.prodgate

empty(env) := {"env": env, "as_of": "2026-11-25", "evidence": {}, "links": {}}

all_ids := {
	"endpoint.contract", "endpoint.versioning",
	"access.authn", "access.authz",
	"traffic.limits", "traffic.limits.rate", "traffic.limits.payload", "traffic.load-test",
}

test_every_section_reaches_the_entrypoint if {
	gates := prodgate.decision.gates with input as empty("prod")
	every id in all_ids {
		gates[id]
	}
}

# With no evidence no gate passes (the parent's own decision is `applicable`:
# prodgate aggregates its children), and in the sandbox the load test is N/A.
test_no_evidence_fails_closed if {
	prod := prodgate.decision.gates with input as empty("prod")
	every _, gate in object.remove(prod, ["traffic.limits"]) {
		gate.status == "fail"
	}
	sandbox := prodgate.decision.gates with input as empty("sandbox")
	sandbox["traffic.load-test"].status == "na"
	every _, gate in object.remove(sandbox, ["traffic.limits", "traffic.load-test"]) {
		gate.status == "fail"
	}
}
