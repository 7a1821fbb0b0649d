# METADATA
# title: Access control
# description: Who may call the endpoint, that is how callers authenticate and which scopes authorize them.
package checklist.access

import data.prodgate.lib

acc := lib.evidence("access")

# METADATA
# title: Callers must authenticate (OAuth 2.0 or mTLS in prod; an API key is enough in the sandbox).
# description: |
#   Every call is authenticated. Prod accepts only OAuth 2.0 access tokens or mutual TLS;
#   the sandbox also accepts API keys. An unauthenticated public endpoint never passes.
# custom:
#   id: access.authn
#   section: access
#   severity: critical
#   evidence: [access]
#   rules:
#     sandbox: The scheme is oauth2, mtls or api-key (never none).
#     prod: The scheme is oauth2 or mtls.
#   remediation: Put the endpoint behind the API gateway's OAuth 2.0 (or mTLS) authentication and record the scheme in authentication.scheme.
gates["access.authn"] := lib.decide(["access"], authn_reasons)

# METADATA
# title: The scopes that authorize a call are listed, and a denial test passed.
# description: |
#   The OAuth scopes (or roles) a caller needs are listed, and a dated test showed that a
#   caller without them is refused.
# custom:
#   id: access.authz
#   section: access
#   severity: critical
#   evidence: [access]
#   rules:
#     default: At least one scope; a denial test dated not after as-of whose outcome is passed.
#   remediation: List the required scopes in authorization.scopes and record the passing denial test in authorization.denialTest.
gates["access.authz"] := lib.decide(["access"], authz_reasons)

# --- access.authn ---------------------------------------------------------------------

scheme := object.get(acc, ["authentication", "scheme"], null)

allowed_schemes := {"oauth2", "mtls"} if {
	lib.is_prod
} else := {"oauth2", "mtls", "api-key"}

authn_reasons contains lib.missing("access", "/authentication/scheme", "the authentication scheme is not recorded") if {
	not lib.non_empty_string(scheme)
}

authn_reasons contains lib.violation("access", "/authentication/scheme", sprintf("scheme %s is not accepted in %s (accepted: %s)", [scheme, input.env, concat(", ", sort(allowed_schemes))])) if {
	lib.non_empty_string(scheme)
	not scheme in allowed_schemes
}

# --- access.authz ---------------------------------------------------------------------

scopes := object.get(acc, ["authorization", "scopes"], null)

authz_reasons contains lib.missing("access", "/authorization/scopes", "no scope is listed") if {
	not lib.non_empty_array(scopes)
}

authz_reasons contains lib.violation("access", sprintf("/authorization/scopes/%d", [i]), sprintf("scope #%d is empty", [i])) if {
	is_array(scopes)
	some i, scope in scopes
	not lib.non_empty_string(scope)
}

authz_reasons contains r if {
	some r in lib.verification_reasons("access", "/authorization/denialTest", object.get(acc, ["authorization", "denialTest"], null))
}
