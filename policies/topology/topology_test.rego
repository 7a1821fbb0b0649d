package checklist.topology_test

import data.checklist.topology

single := {
	"kind": "topology",
	"schemaVersion": 1,
	"decision": "single-node",
	"singleNode": {"failureMode": {
		"restartBehavior": "systemd restarts the runner; in-flight workflows resume from their last checkpoint.",
		"recoveryTime": "10m",
	}},
}

multi := {
	"kind": "topology",
	"schemaVersion": 1,
	"decision": "multi-node",
	"cluster": {
		"tablePrefixing": {"implemented": true, "documentation": "evidence/docs/ops/table-prefixing.md"},
		"concurrencyLimits": {"workers": 4, "maxConcurrentJobs": 16},
		"idempotency": {"documentation": "https://docs.todox.example/workflows/idempotency"},
	},
}

ok_links := {
	"evidence/docs/ops/table-prefixing.md": {"ok": true},
	"https://docs.todox.example/workflows/idempotency": {"ok": true},
}

bundle_env(env, t) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {"topology": {"file": "evidence/prod/topology.yaml", "valid": true, "data": t}},
	"links": ok_links,
}

bundle(t) := bundle_env("prod", t)

cluster_children := ["topology.cluster.table-prefixing", "topology.cluster.concurrency-limits", "topology.cluster.idempotency"]

child_ids := array.concat(["topology.decision", "topology.single-node.failure-mode"], cluster_children)

has_reason(gate, code, pointer) if {
	some r in gate.reasons
	r.code == code
	some e in r.evidence
	e.pointer == pointer
}

# --- all gates ----------------------------------------------------------------

test_single_node_passes_and_cluster_is_na_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := topology.gates with input as bundle_env(env, single)
		gates["topology.decision"].status == "pass"
		gates["topology.single-node"].status == "pass"
		gates["topology.single-node.failure-mode"].status == "pass"
		every id in array.concat(["topology.cluster"], cluster_children) {
			gates[id].status == "na"
			gates[id].reasons[0].code == "not-applicable"
			gates[id].reasons[0].evidence[0].pointer == "/decision"
		}
	}
}

test_multi_node_passes_and_single_node_is_na_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := topology.gates with input as bundle_env(env, multi)
		every id in array.concat(["topology.decision", "topology.cluster"], cluster_children) {
			gates[id].status == "pass"
		}
		gates["topology.single-node"].status == "na"
		gates["topology.single-node.failure-mode"].status == "na"
	}
}

test_missing_topology_evidence_fails_every_gate if {
	gates := topology.gates with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	every id in array.concat(["topology.cluster", "topology.single-node"], child_ids) {
		gates[id].status == "fail"
		gates[id].reasons[0].code == "missing-evidence"
		gates[id].reasons[0].evidence[0].file == "(no topology evidence)"
	}
}

test_invalid_topology_evidence_is_error_for_every_gate if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"topology": {
		"file": "evidence/prod/topology.yaml",
		"valid": false,
		"problems": [{"pointer": "/decision", "message": "must be equal to one of the allowed values"}],
	}}}
	gates := topology.gates with input as inp
	every id in array.concat(["topology.cluster", "topology.single-node"], child_ids) {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

# --- topology.decision ---------------------------------------------------------------

test_decision_absent_fails_everything_missing if {
	gates := topology.gates with input as bundle(object.remove(single, ["decision"]))
	gates["topology.decision"].status == "fail"
	has_reason(gates["topology.decision"], "missing-evidence", "/decision")
	gates["topology.cluster"].status == "fail"
	has_reason(gates["topology.cluster"], "missing-evidence", "/decision")
	gates["topology.single-node"].status == "fail"
	has_reason(gates["topology.single-node"], "missing-evidence", "/decision")

	# children of both branches are not na without a decision (fail-closed)
	gates["topology.single-node.failure-mode"].status == "fail"
	has_reason(gates["topology.single-node.failure-mode"], "missing-evidence", "/decision")
	every id in cluster_children {
		gates[id].status == "fail"
	}
}

test_decision_unknown_value_fails if {
	gates := topology.gates with input as bundle(object.union(single, {"decision": "cluster"}))
	gates["topology.decision"].status == "fail"
	has_reason(gates["topology.decision"], "violation", "/decision")
	gates["topology.cluster"].status == "fail"
	gates["topology.single-node"].status == "fail"
}

# --- topology.cluster.* ---------------------------------------------------------------

test_cluster_table_prefixing_not_implemented_fails if {
	gate := topology.gates["topology.cluster.table-prefixing"] with input as bundle(object.union(multi, {"cluster": {"tablePrefixing": {"implemented": false}}}))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "violation", "/cluster/tablePrefixing/implemented")
}

test_cluster_table_prefixing_undocumented_fails if {
	t := object.union(multi, {"cluster": {"tablePrefixing": {"documentation": "evidence/docs/ops/missing.md"}}})
	inp := object.union(bundle_env("staging", t), {"links": {"evidence/docs/ops/missing.md": {"ok": false, "problem": "no such file in the repository"}}})
	gate := topology.gates["topology.cluster.table-prefixing"] with input as inp
	gate.status == "fail"
	has_reason(gate, "violation", "/cluster/tablePrefixing/documentation")
}

test_cluster_absent_fails_every_child_for_multi_node if {
	gates := topology.gates with input as bundle(object.remove(multi, ["cluster"]))
	gates["topology.cluster"].status == "pass" # own decision; the children aggregate later
	has_reason(gates["topology.cluster.table-prefixing"], "missing-evidence", "/cluster/tablePrefixing/implemented")
	has_reason(gates["topology.cluster.table-prefixing"], "missing-evidence", "/cluster/tablePrefixing/documentation")
	has_reason(gates["topology.cluster.concurrency-limits"], "missing-evidence", "/cluster/concurrencyLimits/workers")
	has_reason(gates["topology.cluster.concurrency-limits"], "missing-evidence", "/cluster/concurrencyLimits/maxConcurrentJobs")
	has_reason(gates["topology.cluster.idempotency"], "missing-evidence", "/cluster/idempotency/documentation")
	every id in cluster_children {
		gates[id].status == "fail"
	}
}

test_cluster_concurrency_limits_must_be_positive_integers if {
	every bad in [0, -1, 2.5, "4"] {
		gate := topology.gates["topology.cluster.concurrency-limits"] with input as bundle(object.union(multi, {"cluster": {"concurrencyLimits": {"workers": bad}}}))
		gate.status == "fail"
		count(gate.reasons) == 1
		has_reason(gate, "violation", "/cluster/concurrencyLimits/workers")
	}
}

test_cluster_idempotency_unresolved_link_fails if {
	inp := object.union(bundle(multi), {"links": {"https://docs.todox.example/workflows/idempotency": {"ok": false, "problem": "not https"}}})
	gate := topology.gates["topology.cluster.idempotency"] with input as inp
	gate.status == "fail"
	has_reason(gate, "violation", "/cluster/idempotency/documentation")
}

test_cluster_children_na_for_single_node_even_with_bad_cluster_data if {
	t := object.union(single, {"cluster": {"concurrencyLimits": {"workers": 0}}})
	gates := topology.gates with input as bundle(t)
	every id in cluster_children {
		gates[id].status == "na"
	}
}

# --- topology.single-node.failure-mode -------------------------------------------------

test_failure_mode_without_restart_behavior_fails if {
	gate := topology.gates["topology.single-node.failure-mode"] with input as bundle(object.union(single, {"singleNode": {"failureMode": {"restartBehavior": ""}}}))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/singleNode/failureMode/restartBehavior")
}

test_failure_mode_invalid_recovery_time_fails if {
	gate := topology.gates["topology.single-node.failure-mode"] with input as bundle_env("staging", object.union(single, {"singleNode": {"failureMode": {"recoveryTime": "quickly"}}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/singleNode/failureMode/recoveryTime")
}

test_failure_mode_absent_fails_missing if {
	gates := topology.gates with input as bundle(object.remove(single, ["singleNode"]))
	gate := gates["topology.single-node.failure-mode"]
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/singleNode/failureMode/restartBehavior")
	has_reason(gate, "missing-evidence", "/singleNode/failureMode/recoveryTime")
	gates["topology.single-node"].status == "pass" # own decision; the child aggregates later
}

test_failure_mode_na_for_multi_node if {
	gate := topology.gates["topology.single-node.failure-mode"] with input as bundle(object.remove(multi, ["singleNode"]))
	gate.status == "na"
	gate.reasons[0].code == "not-applicable"
}
