# METADATA
# title: prodgate decision
# description: |
#   The single entrypoint: a decision for every gate of the checklist, keyed by gate id.
#   Each decision is {status, reasons}; status is pass, fail, na or error.
package prodgate

decision := {"gates": object.union_n([
	data.prodgate.release.gates,
	data.prodgate.security.gates,
	data.prodgate.tenancy.gates,
	data.prodgate.ops.gates,
	data.prodgate.observability.gates,
	data.prodgate.topology.gates,
	data.prodgate.runbook.gates,
	data.prodgate.signoff.gates,
])}
