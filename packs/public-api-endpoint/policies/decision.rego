# METADATA
# title: public API endpoint decision
# description: |
#   The single entrypoint: a decision for every gate of the checklist, keyed by gate id.
#   Each decision is {status, reasons}; status is pass, fail, na or error.
package prodgate

decision := {"gates": object.union_n([
	data.prodgate.endpoint.gates,
	data.prodgate.access.gates,
	data.prodgate.traffic.gates,
])}
