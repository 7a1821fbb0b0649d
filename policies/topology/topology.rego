# METADATA
# title: Workflow Topology Gates (Pass/Fail)
# description: |
#   The recorded topology decision, then the cluster gates (multi-node) or the
#   single-runner failure mode (single-node); the other branch is not applicable.
package checklist.topology

import data.prodgate.lib

ev := lib.evidence("topology")

decision := lib.get(ev, "decision", null)

topologies := ["single-node", "multi-node"]

# --- topology.decision ---------------------------------------------------------

# METADATA
# title: Topology decision recorded
# description: The workflow topology decision is recorded as single-node or multi-node.
# custom:
#   id: topology.decision
#   section: topology
#   severity: high
#   evidence: [topology]
#   rules:
#     default: decision is single-node or multi-node.
#   remediation: Record the topology decision (single-node or multi-node) in the topology evidence.
gates["topology.decision"] := lib.decide(["topology"], decision_reasons)

decision_reasons := {lib.missing("topology", "/decision", "no topology decision is recorded (single-node or multi-node)")} if {
	decision == null
} else := {lib.violation("topology", "/decision", sprintf("the topology decision %s is neither single-node nor multi-node", [lib.show(decision)]))} if {
	not decision in topologies
} else := set()

# --- topology.cluster ------------------------------------------------------------

# METADATA
# title: "If multi-node/cluster:"
# description: For a multi-node topology, table prefixing, worker concurrency limits and idempotency are in place (the children); not applicable to single-node.
# custom:
#   id: topology.cluster
#   section: topology
#   severity: high
#   evidence: [topology]
#   rules:
#     default: na when the decision is single-node; for multi-node all three children pass; fails when no decision is recorded.
#   remediation: Record the topology decision and, for multi-node, fix the failing child gates below.
gates["topology.cluster"] := cluster_parent

cluster_parent := lib.not_applicable("topology", "/decision", "the topology is single-node") if {
	decision == "single-node"
} else := lib.applicable if {
	decision == "multi-node"
} else := lib.decide(["topology"], decision_reasons)

# METADATA
# title: table prefixing/isolation is implemented and documented
# description: For multi-node, workflow table prefixing/isolation is implemented and documented.
# custom:
#   id: topology.cluster.table-prefixing
#   section: topology
#   severity: high
#   parent: topology.cluster
#   evidence: [topology]
#   rules:
#     default: na for single-node; otherwise cluster.tablePrefixing.implemented is true and cluster.tablePrefixing.documentation is a link that resolves.
#   remediation: Implement per-runner table prefixing, document it, and record both under cluster.tablePrefixing.
gates["topology.cluster.table-prefixing"] := cluster_child(table_prefixing_reasons)

# METADATA
# title: worker concurrency limits defined
# description: For multi-node, worker concurrency limits are defined.
# custom:
#   id: topology.cluster.concurrency-limits
#   section: topology
#   severity: medium
#   parent: topology.cluster
#   evidence: [topology]
#   rules:
#     default: na for single-node; otherwise cluster.concurrencyLimits.workers and cluster.concurrencyLimits.maxConcurrentJobs are positive integers.
#   remediation: Define the worker count and the maximum number of concurrent jobs and record them under cluster.concurrencyLimits.
gates["topology.cluster.concurrency-limits"] := cluster_child(concurrency_reasons)

# METADATA
# title: idempotency keys and replay safety documented
# description: For multi-node, idempotency keys and replay safety are documented.
# custom:
#   id: topology.cluster.idempotency
#   section: topology
#   severity: high
#   parent: topology.cluster
#   evidence: [topology]
#   rules:
#     default: na for single-node; otherwise cluster.idempotency.documentation is a link that resolves.
#   remediation: Document idempotency keys and replay safety and link the document under cluster.idempotency.documentation.
gates["topology.cluster.idempotency"] := cluster_child(idempotency_reasons)

# A cluster child is na for single-node; otherwise (multi-node, or no valid decision:
# fail-closed) it is decided on its own reasons plus any decision problem.
cluster_child(reasons) := lib.not_applicable("topology", "/decision", "the topology is single-node") if {
	decision == "single-node"
} else := lib.decide(["topology"], reasons | decision_reasons)

cluster := lib.get(ev, "cluster", {})

table_prefixing := lib.get(cluster, "tablePrefixing", {})

table_prefixing_reasons := lib.flag_reasons("topology", "/cluster/tablePrefixing/implemented", lib.get(table_prefixing, "implemented", null), "table prefixing/isolation is implemented") | lib.link_reasons("topology", "/cluster/tablePrefixing/documentation", lib.get(table_prefixing, "documentation", null))

concurrency_limits := lib.get(cluster, "concurrencyLimits", {})

concurrency_reasons := {r |
	some field in ["workers", "maxConcurrentJobs"]
	r := positive_int_reason(sprintf("/cluster/concurrencyLimits/%s", [field]), field, lib.get(concurrency_limits, field, null))
}

positive_int_reason(pointer, field, v) := lib.missing("topology", pointer, sprintf("concurrency limit %s is not defined", [field])) if {
	v == null
} else := lib.violation("topology", pointer, sprintf("concurrency limit %s is %s, not a positive integer", [field, lib.show(v)])) if {
	not positive_int(v)
}

positive_int(v) if {
	is_number(v)
	v > 0
	floor(v) == v
}

idempotency_reasons := lib.link_reasons("topology", "/cluster/idempotency/documentation", lib.get(lib.get(cluster, "idempotency", {}), "documentation", null))

# --- topology.single-node ---------------------------------------------------------

# METADATA
# title: "If single-node:"
# description: For a single-node topology, the single-runner failure mode is documented (the child); not applicable to multi-node.
# custom:
#   id: topology.single-node
#   section: topology
#   severity: high
#   evidence: [topology]
#   rules:
#     default: na when the decision is multi-node; for single-node its child passes; fails when no decision is recorded.
#   remediation: Record the topology decision and, for single-node, fix the failing child gate below.
gates["topology.single-node"] := single_node_parent

single_node_parent := lib.not_applicable("topology", "/decision", "the topology is multi-node") if {
	decision == "multi-node"
} else := lib.applicable if {
	decision == "single-node"
} else := lib.decide(["topology"], decision_reasons)

# METADATA
# title: single-runner failure mode documented (restart behavior, recovery time)
# description: For single-node, the single runner's restart behaviour and recovery time are documented.
# custom:
#   id: topology.single-node.failure-mode
#   section: topology
#   severity: high
#   parent: topology.single-node
#   evidence: [topology]
#   rules:
#     default: na for multi-node; otherwise singleNode.failureMode.restartBehavior is non-empty and singleNode.failureMode.recoveryTime is a duration (e.g. 10m).
#   remediation: Document how the single runner restarts and how long recovery takes under singleNode.failureMode.
gates["topology.single-node.failure-mode"] := failure_mode_gate

failure_mode_gate := lib.not_applicable("topology", "/decision", "the topology is multi-node") if {
	decision == "multi-node"
} else := lib.decide(["topology"], failure_mode_reasons | decision_reasons)

failure_mode := object.get(ev, ["singleNode", "failureMode"], {})

recovery_time := lib.get(failure_mode, "recoveryTime", null)

failure_mode_reasons contains r if {
	not lib.non_empty_string(lib.get(failure_mode, "restartBehavior", null))
	r := lib.missing("topology", "/singleNode/failureMode/restartBehavior", "the single runner's restart behaviour is not documented")
}

failure_mode_reasons contains r if {
	recovery_time == null
	r := lib.missing("topology", "/singleNode/failureMode/recoveryTime", "the single runner's recovery time is not documented")
}

failure_mode_reasons contains r if {
	recovery_time != null
	not lib.duration_minutes(recovery_time)
	r := lib.violation("topology", "/singleNode/failureMode/recoveryTime", sprintf("the recovery time %s is not a duration (a number followed by m, h or d, e.g. 10m)", [lib.show(recovery_time)]))
}

# --- helpers -------------------------------------------------------------------------

# show renders any value for a message: under opa-wasm sprintf is sprintf-js, so only
# strings go to %s (no %q, and %v throws on null).
lib["show"](v) := v if {
	is_string(v)
} else := json.marshal(v)
