# METADATA
# title: Endpoint contract
# description: The endpoint's method, path and operation, its published OpenAPI contract, and its version.
package checklist.endpoint

import data.prodgate.lib

ep := lib.evidence("endpoint")

# METADATA
# title: The endpoint has a published contract (method, path, operationId, OpenAPI document).
# description: The method, path and operationId are recorded and the OpenAPI document that defines them is linked.
# custom:
#   id: endpoint.contract
#   section: endpoint
#   severity: high
#   evidence: [endpoint]
#   rules:
#     default: Method, a path starting with /, an operationId, and a usable link to the OpenAPI document.
#   remediation: Record method, path and operationId in the endpoint evidence and link the OpenAPI document in openapi.
gates["endpoint.contract"] := lib.decide(["endpoint"], contract_reasons)

# METADATA
# title: The path carries a major version (/v1/...); prod serves only stable endpoints.
# description: |
#   Clients pin a major version, so the path must start with /v<major>/. An alpha or beta
#   endpoint may be tried in the sandbox, but prod serves only a stable one.
# custom:
#   id: endpoint.versioning
#   section: endpoint
#   severity: high
#   evidence: [endpoint]
#   rules:
#     sandbox: The path starts with /v<major>/; any stability (alpha, beta, stable).
#     prod: The path starts with /v<major>/ and stability is stable.
#   remediation: Serve the endpoint under /v<major>/ and release it to prod only once it is stable.
gates["endpoint.versioning"] := lib.decide(["endpoint"], versioning_reasons)

# --- endpoint.contract -------------------------------------------------------------

path := object.get(ep, "path", null)

contract_reasons contains lib.missing("endpoint", "/method", "no HTTP method is recorded") if {
	not lib.non_empty_string(object.get(ep, "method", null))
}

contract_reasons contains lib.missing("endpoint", "/path", "no path is recorded") if {
	not lib.non_empty_string(path)
}

contract_reasons contains lib.violation("endpoint", "/path", sprintf("path %s does not start with /", [json.marshal(path)])) if {
	lib.non_empty_string(path)
	not startswith(path, "/")
}

contract_reasons contains lib.missing("endpoint", "/operationId", "no operationId ties the endpoint to its OpenAPI operation") if {
	not lib.non_empty_string(object.get(ep, "operationId", null))
}

contract_reasons contains r if {
	some r in lib.link_reasons("endpoint", "/openapi", object.get(ep, "openapi", null))
}

# --- endpoint.versioning -------------------------------------------------------------

stability := object.get(ep, "stability", null)

versioned if regex.match(`^/v[0-9]+/`, path)

versioning_reasons contains lib.violation("endpoint", "/path", sprintf("path %s does not start with a major version such as /v1/", [lib.show(path)])) if {
	not versioned
}

versioning_reasons contains lib.missing("endpoint", "/stability", "the stability (alpha, beta, stable) is not recorded") if {
	not lib.non_empty_string(stability)
}

versioning_reasons contains lib.violation("endpoint", "/stability", sprintf("a %s endpoint cannot be released to prod; only a stable one", [stability])) if {
	lib.is_prod
	lib.non_empty_string(stability)
	stability != "stable"
}
