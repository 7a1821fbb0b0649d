package checklist.ops_test

import data.checklist.ops

slo_fact(objectives) := {
	"artifact": "slos", "file": "artifacts/config/slos.openslo.yaml", "sha256": "a", "format": "openslo",
	"valid": true, "problems": [], "type": "slos", "selected": true, "selector": "the whole file",
	"objectives": objectives,
}

objective(name, indicator, words, matchers) := {
	"name": name, "indicator": indicator, "target": 0.99, "window": "30d", "metrics": [],
	"matchers": matchers, "words": words, "line": 7, "column": 3,
}

knowledge := [{"name": "route", "op": "=~", "value": "/knowledge/.*"}]

three := [
	objective("api-availability", "ratio", "API availability", []),
	objective("api-errors", "ratio", "API error rate", []),
	objective("knowledge-latency", "latency", "p95", knowledge),
]

slo_input(objectives) := {
	"env": "prod",
	"as_of": "2026-11-25",
	"evidence": {"ops": {"file": "evidence/prod/ops.yaml", "valid": true, "data": {"kind": "ops", "schemaVersion": 1, "slos": [{"recordedBy": {"artifact": "slos"}}]}}},
	"recorded": {"ops": {"/slos/0": slo_fact(objectives)}},
}

test_recorded_slos_pass if {
	ops.gates["ops.slos"].status == "pass" with input as slo_input(three)
}

test_recorded_slo_exact_route_covers_knowledge if {
	objectives := array.concat(array.slice(three, 0, 2), [objective("l", "latency", "", [{"name": "http_route", "op": "=", "value": "/knowledge/search"}])])
	ops.gates["ops.slos"].status == "pass" with input as slo_input(objectives)
}

test_recorded_slo_latency_not_on_knowledge if {
	objectives := array.concat(array.slice(three, 0, 2), [objective("l", "latency", "", [{"name": "route", "op": "=~", "value": "/knowledgebase/.*"}])])
	gate := ops.gates["ops.slos"] with input as slo_input(objectives)
	gate.status == "fail"
	some r in gate.reasons
	r.evidence[0].line == 7
	contains(r.message, "/knowledge")
}

test_recorded_slo_type_missing if {
	gate := ops.gates["ops.slos"] with input as slo_input(array.slice(three, 0, 2))
	gate.status == "fail"
	some r in gate.reasons
	r.message == "no latency SLO is defined"
}

test_recorded_slo_without_target_or_window if {
	o := object.remove(objective("api-availability", "ratio", "availability", []), ["target", "window"])
	gate := ops.gates["ops.slos"] with input as slo_input(array.concat([o], array.slice(three, 1, 3)))
	gate.status == "fail"
	count(gate.reasons) == 2
}

test_recorded_slo_invalid_or_other_format if {
	bad := object.union(slo_fact(three), {"valid": false, "problems": [{"message": "x", "pointer": "", "line": 1, "column": 1}]})
	in1 := object.union(slo_input(three), {"recorded": {"ops": {"/slos/0": bad}}})
	ops.gates["ops.slos"].status == "error" with input as in1
	other := object.union(slo_fact(three), {"type": "otlp"})
	in2 := object.union(slo_input(three), {"recorded": {"ops": {"/slos/0": other}}})
	ops.gates["ops.slos"].status == "error" with input as in2
}
