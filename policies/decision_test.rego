package prodgate.decision_test

import data.prodgate

# Every section package under data.checklist reaches the entrypoint, none listed by hand.
test_every_section_reaches_the_entrypoint if {
	gates := prodgate.decision.gates with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	sections := {split(id, ".")[0] | some id, _ in gates}
	sections == {"release", "security", "tenancy", "ops", "observability", "topology", "runbook", "signoff"}
}
