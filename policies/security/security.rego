# METADATA
# title: Security & Compliance Gates
# description: PII and secrets handling, CORS, the meeting-prep disclaimer, audit and retention posture.
package checklist.security

import data.prodgate.lib

sec := lib.evidence("security")

rel := lib.evidence("release")

# METADATA
# title: "PII logging policy: no PII in logs; redaction rules documented and verified."
# description: The log redaction rules are documented (a resolvable link) and a dated check of them passed.
# custom:
#   id: security.pii-logging
#   section: security
#   severity: critical
#   evidence: [security]
#   recorded:
#     prod: ["security:/piiLogging/verification"]
#   rules:
#     default: Redaction rules linked (repository file or https URL) and a dated verification, not after as-of and at most 180 days old at the as-of date, whose outcome is passed; its reference, when given, resolves (repository file or https URL).
#   remediation: Link the log redaction rules in piiLogging.redactionRules and record the passing redaction test run in piiLogging.verification.
gates["security.pii-logging"] := lib.decide(["security"], pii_reasons)

# METADATA
# title: "Secrets policy: secrets never logged; secret values never committed."
# description: |
#   Secret fields are redacted from logs (verified), and a secret scan of the released
#   revision found no open findings.
# custom:
#   id: security.secrets
#   section: security
#   severity: critical
#   evidence: [security, release]
#   recorded:
#     prod: ["security:/secrets/secretScan"]
#   non_waivable: [prod]
#   rules:
#     default: Redacted secret fields listed and verified (dated, not after as-of and at most 180 days old at the as-of date, passed, its reference resolving when given); a secret scan of the released revision, dated not after as-of, with 0 open findings.
#   remediation: List the redacted secret fields, record the passing redaction test, and scan the released revision for secrets until no finding is open.
gates["security.secrets"] := lib.decide(["security", "release"], secrets_reasons)

# METADATA
# title: Trusted origins and CORS are locked down (no wildcard in prod).
# description: |
#   An explicit trusted-origin list. A wildcard origin together with credentials fails in
#   every environment; prod also forbids any wildcard, the null origin and non-https origins.
# custom:
#   id: security.cors
#   section: security
#   severity: critical
#   evidence: [security]
#   rules:
#     default: An explicit trusted-origin list and allowCredentials stated; each origin is scheme://host[:port] with nothing after the host; http origins and wildcards are allowed, but never a wildcard origin with allowCredentials true.
#     prod: An explicit trusted-origin list and allowCredentials stated; every origin https://host[:port] with nothing after the host, no wildcard of any form (*, *.host, https://*.host), no null origin.
#   remediation: List each trusted origin explicitly in cors.trustedOrigins (https only and without wildcards or null in prod).
gates["security.cors"] := lib.decide(["security"], cors_reasons)

# METADATA
# title: Meeting-prep disclaimer present wherever user-facing summaries/claims are shown.
# description: Every user-facing surface is listed, and each one that shows summaries or claims carries the disclaimer.
# custom:
#   id: security.disclaimer
#   section: security
#   severity: high
#   evidence: [security]
#   rules:
#     default: Every user-facing surface listed; each surface that shows summaries/claims has the disclaimer.
#   remediation: Add the meeting-prep disclaimer to every surface that shows summaries or claims and list it under disclaimer.surfaces.
gates["security.disclaimer"] := lib.decide(["security"], disclaimer_reasons)

# METADATA
# title: Audit posture
# description: Parent of the audit gates; it passes when both children pass.
# custom:
#   id: security.audit
#   section: security
#   severity: high
#   evidence: [security]
#   rules:
#     default: Both children pass.
#   remediation: Make evidence access auditable and persist the claim-to-evidence link.
gates["security.audit"] := lib.applicable

# METADATA
# title: evidence access is auditable (who accessed what, when)
# description: Access to evidence is logged with who, what and when, and a dated check of the audit log passed.
# custom:
#   id: security.audit.evidence-access
#   section: security
#   severity: high
#   evidence: [security]
#   recorded:
#     prod: ["security:/audit/evidenceAccess/verification"]
#   parent: security.audit
#   rules:
#     default: Access logged with who, what and when; a dated verification, not after as-of and at most 180 days old at the as-of date, whose outcome is passed; its reference, when given, resolves (repository file or https URL).
#   remediation: Log every evidence access with who, what and when, and record the passing audit-log test in audit.evidenceAccess.verification.
gates["security.audit.evidence-access"] := lib.decide(["security"], evidence_access_reasons)

# METADATA
# title: claim-to-evidence link is persisted for meeting prep outputs
# description: Meeting-prep outputs persist the link from each claim to its evidence, and a dated check of it passed.
# custom:
#   id: security.audit.claim-evidence-link
#   section: security
#   severity: high
#   evidence: [security]
#   recorded:
#     prod: ["security:/audit/claimEvidenceLink/verification"]
#   parent: security.audit
#   rules:
#     default: The claim-to-evidence link is persisted; a dated verification, not after as-of and at most 180 days old at the as-of date, whose outcome is passed; its reference, when given, resolves (repository file or https URL).
#   remediation: Persist each meeting-prep claim's evidence link and record the passing persistence test in audit.claimEvidenceLink.verification.
gates["security.audit.claim-evidence-link"] := lib.decide(["security"], claim_link_reasons)

# METADATA
# title: Retention posture
# description: Parent of the retention gates; it passes when both children pass.
# custom:
#   id: security.retention
#   section: security
#   severity: medium
#   evidence: [security]
#   rules:
#     default: Both children pass.
#   remediation: Define the retention windows and document the erasure pathway.
gates["security.retention"] := lib.applicable

# METADATA
# title: retention window(s) defined for documents, mentions, meeting-prep artifacts
# description: A retention window, as a duration, for each of documents, mentions and meeting-prep artifacts.
# custom:
#   id: security.retention.windows
#   section: security
#   severity: medium
#   evidence: [security]
#   parent: security.retention
#   rules:
#     default: A duration (e.g. 90d) for each of documents, mentions and meetingPrep.
#   remediation: Set retention.windows.documents, mentions and meetingPrep to durations such as 365d.
gates["security.retention.windows"] := lib.decide(["security"], windows_reasons)

# METADATA
# title: deletion/erasure pathway documented (even if manual for MVP)
# description: A documented deletion/erasure pathway (a resolvable link) that states whether it is manual or automated.
# custom:
#   id: security.retention.erasure
#   section: security
#   severity: medium
#   evidence: [security]
#   parent: security.retention
#   rules:
#     default: A link to the erasure documentation (repository file or https URL) and the mode, manual or automated.
#   remediation: Document the erasure pathway, link it in retention.erasure.documentation and set retention.erasure.mode.
gates["security.retention.erasure"] := lib.decide(["security"], erasure_reasons)

# --- generic helpers ---------------------------------------------------------

# get is the value at path inside the security evidence, null when absent.
get(path) := object.get(sec, path, null)

# --- security.pii-logging ------------------------------------------------------

pii_reasons := lib.link_reasons("security", "/piiLogging/redactionRules", get(["piiLogging", "redactionRules"])) | lib.verification_reasons("security", "/piiLogging/verification", get(["piiLogging", "verification"]))

# --- security.secrets ----------------------------------------------------------

redacted_fields := get(["secrets", "redactedFields"])

ok_redacted_fields if {
	lib.non_empty_array(redacted_fields)
	every f in redacted_fields {
		lib.non_empty_string(f)
	}
}

secrets_reasons contains lib.missing("security", "/secrets/redactedFields", "no redacted secret fields are listed") if {
	not lib.non_empty_array(redacted_fields)
}

secrets_reasons contains r if {
	lib.non_empty_array(redacted_fields)
	not ok_redacted_fields
	r := lib.missing("security", "/secrets/redactedFields", "every redacted field must be a field name")
}

secrets_reasons contains r if {
	some r in lib.verification_reasons("security", "/secrets/loggingVerification", get(["secrets", "loggingVerification"]))
}

scan := get(["secrets", "secretScan"])

secrets_reasons contains lib.missing("security", "/secrets/secretScan", "no secret scan of the released revision is recorded") if {
	not is_object(scan)
}

scan_revision := object.get(sec, ["secrets", "secretScan", "revision"], null)

release_revision := object.get(rel, "revision", null)

# A recorded scan (recordedBy) is judged from its artifact: ran, clean, of the released revision, dated.
secrets_reasons contains r if {
	lib.is_recorded(scan)
	some r in lib.recorded_scan_reasons("security", "/secrets/secretScan")
}

secrets_reasons contains lib.missing("security", "/secrets/secretScan/revision", "the secret scan does not name the revision it scanned") if {
	is_object(scan)
	not lib.is_recorded(scan)
	not lib.non_empty_string(scan_revision)
}

secrets_reasons contains lib.missing("release", "/revision", "the release has no revision to compare the secret scan with") if {
	not lib.non_empty_string(release_revision)
}

secrets_reasons contains r if {
	lib.non_empty_string(scan_revision)
	lib.non_empty_string(release_revision)
	not lib.same_revision(scan_revision, release_revision)
	r := lib.stale("security", "/secrets/secretScan/revision", sprintf("the secret scan ran on revision %s, which does not name the revision the release ships, %s (an abbreviation of at least 7 hex digits does)", [scan_revision, release_revision]))
}

open_findings := object.get(sec, ["secrets", "secretScan", "openFindings"], null)

secrets_reasons contains lib.missing("security", "/secrets/secretScan/openFindings", "the secret scan does not report its number of open findings") if {
	is_object(scan)
	not lib.is_recorded(scan)
	not is_number(open_findings)
}

secrets_reasons contains r if {
	is_number(open_findings)
	open_findings != 0
	r := lib.violation("security", "/secrets/secretScan/openFindings", sprintf("the secret scan has %s open finding(s); it must have none", [json.marshal(open_findings)]))
}

scan_date := object.get(sec, ["secrets", "secretScan", "date"], null)

secrets_reasons contains lib.missing("security", "/secrets/secretScan/date", "the secret scan has no date") if {
	is_object(scan)
	not lib.is_recorded(scan)
	not lib.is_date(scan_date)
}

secrets_reasons contains r if {
	lib.is_date(scan_date)
	not lib.not_after_as_of(scan_date)
	r := lib.stale("security", "/secrets/secretScan/date", sprintf("the secret scan is dated %s, after the as-of date %s", [scan_date, input.as_of]))
}

# --- security.cors ---------------------------------------------------------------

origins := get(["cors", "trustedOrigins"])

allow_credentials := get(["cors", "allowCredentials"])

cors_recorded if lib.is_recorded(get(["cors"]))

cors_reasons contains lib.missing("security", "/cors/trustedOrigins", "no explicit trusted-origin list is given") if {
	not cors_recorded
	not lib.non_empty_array(origins)
}

cors_reasons contains lib.missing("security", "/cors/allowCredentials", "allowCredentials is not stated (true or false)") if {
	not cors_recorded
	not is_boolean(allow_credentials)
}

# One reason per bad origin, naming every problem it has.
cors_reasons contains r if {
	not cors_recorded
	is_array(origins)
	some i, origin in origins
	problems := [p | some check in origin_checks; p := origin_problem(check, origin)]
	count(problems) > 0
	r := lib.violation("security", sprintf("/cors/trustedOrigins/%d", [i]), sprintf("origin %s: %s", [json.marshal(origin), concat("; ", problems)]))
}

origin_checks := ["string", "shape", "credentials", "wildcard", "null", "https"]

# Recorded: the origins the release's Ingresses allow (ingress-nginx CORS annotations;
# CORS enabled without cors-allow-origin allows any origin, *), each judged by the same
# checks at its place in the manifests, with the Ingress's own allow-credentials.
cors_ingresses := object.get(lib.config_topic("security", "/cors", "cors"), "ingresses", [])

cors_reasons contains r if {
	cors_recorded
	some r in lib.config_reasons("security", "/cors", "cors", count(cors_ingresses) > 0)
}

cors_reasons contains r if {
	cors_recorded
	some ingress in cors_ingresses
	some o in ingress.origins
	problems := array.concat(
		[p | some check in origin_checks; check != "credentials"; p := origin_problem(check, o.origin)],
		[p | ingress.allowCredentials == true; contains(o.origin, "*"); p := "a wildcard origin together with allowCredentials: true is never allowed"],
	)
	count(problems) > 0
	f := lib.config_fact("security", "/cors")
	r := lib.recorded_reason("violation", "security", "/cors", f, o.line, o.column, sprintf("Ingress %s allows origin %s: %s", [ingress.name, json.marshal(o.origin), concat("; ", problems)]))
}

origin_problem("string", origin) := "is not an origin string" if not lib.non_empty_string(origin)

# An origin (RFC 6454) is scheme://host[:port] and nothing else: `https://` or `https:///x`
# names no host, and a path, query or user information never matches a browser's Origin.
# The wildcard and null origins are judged by their own checks below.
origin_problem("shape", origin) := "is not an origin: scheme://host[:port] with a host and nothing after it" if {
	lib.non_empty_string(origin)
	not lib.norm(origin) in {"*", "null"}
	not regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[^/?#@\s:\[\]\\]+)(:[0-9]{1,5})?$`, origin)
}

# Origins are checked as a reader sees them (lib.norm): a fullwidth asterisk is a wildcard.
origin_problem("credentials", origin) := "a wildcard origin together with allowCredentials: true is never allowed" if {
	is_string(origin)
	contains(lib.norm(origin), "*")
	allow_credentials == true
}

origin_problem("wildcard", origin) := "no wildcard of any form is allowed in prod" if {
	lib.is_prod
	is_string(origin)
	contains(lib.norm(origin), "*")
}

origin_problem("null", origin) := "the null origin is not allowed in prod" if {
	lib.is_prod
	is_string(origin)
	lib.norm(origin) == "null"
}

origin_problem("https", origin) := "prod origins must be https://" if {
	lib.is_prod
	is_string(origin)
	not startswith(lib.norm(origin), "https://")
}

# --- security.disclaimer ---------------------------------------------------------

surfaces := get(["disclaimer", "surfaces"])

disclaimer_reasons contains lib.missing("security", "/disclaimer/surfaces", "no user-facing surface is listed") if {
	not lib.non_empty_array(surfaces)
}

disclaimer_reasons contains r if {
	is_array(surfaces)
	some i, surface in surfaces
	not lib.non_empty_string(lib.at(surface, ["name"]))
	r := lib.missing("security", sprintf("/disclaimer/surfaces/%d/name", [i]), sprintf("surface #%d has no name", [i]))
}

disclaimer_reasons contains r if {
	is_array(surfaces)
	some i, surface in surfaces
	not is_boolean(lib.at(surface, ["showsSummaries"]))
	r := lib.missing("security", sprintf("/disclaimer/surfaces/%d/showsSummaries", [i]), sprintf("surface %s does not state whether it shows summaries/claims", [surface_name(surface, i)]))
}

disclaimer_reasons contains r if {
	is_array(surfaces)
	some i, surface in surfaces
	surface.showsSummaries == true
	not surface.disclaimerPresent == true
	r := lib.violation("security", sprintf("/disclaimer/surfaces/%d/disclaimerPresent", [i]), sprintf("surface %s shows summaries/claims without the meeting-prep disclaimer", [surface_name(surface, i)]))
}

surface_name(surface, i) := json.marshal(surface.name) if {
	lib.non_empty_string(surface.name)
} else := sprintf("#%d", [i])

# --- security.audit.evidence-access -------------------------------------------------

access := get(["audit", "evidenceAccess"])

evidence_access_reasons contains lib.missing("security", "/audit/evidenceAccess", "no evidence-access audit record is given") if {
	not is_object(access)
}

evidence_access_reasons contains lib.missing("security", "/audit/evidenceAccess/logged", "it is not stated whether evidence access is logged") if {
	is_object(access)
	not is_boolean(object.get(access, "logged", null))
}

evidence_access_reasons contains lib.violation("security", "/audit/evidenceAccess/logged", "evidence access is not logged") if {
	access.logged == false
}

recorded_fields := object.get(sec, ["audit", "evidenceAccess", "recordedFields"], null)

evidence_access_reasons contains lib.missing("security", "/audit/evidenceAccess/recordedFields", "the recorded fields (who, what, when) are not listed") if {
	is_object(access)
	not is_array(recorded_fields)
}

evidence_access_reasons contains r if {
	is_array(recorded_fields)
	some field in ["who", "what", "when"]
	not field in recorded_fields
	r := lib.violation("security", "/audit/evidenceAccess/recordedFields", sprintf("the evidence-access log does not record %s", [field]))
}

evidence_access_reasons contains r if {
	some r in lib.verification_reasons("security", "/audit/evidenceAccess/verification", get(["audit", "evidenceAccess", "verification"]))
}

# --- security.audit.claim-evidence-link ---------------------------------------------

claim_link_reasons contains lib.missing("security", "/audit/claimEvidenceLink/persisted", "it is not stated whether the claim-to-evidence link is persisted") if {
	not is_boolean(get(["audit", "claimEvidenceLink", "persisted"]))
}

claim_link_reasons contains lib.violation("security", "/audit/claimEvidenceLink/persisted", "meeting-prep outputs do not persist the claim-to-evidence link") if {
	get(["audit", "claimEvidenceLink", "persisted"]) == false
}

claim_link_reasons contains r if {
	some r in lib.verification_reasons("security", "/audit/claimEvidenceLink/verification", get(["audit", "claimEvidenceLink", "verification"]))
}

# --- security.retention.windows -----------------------------------------------------

retention_windows := {"documents": "documents", "mentions": "mentions", "meetingPrep": "meeting-prep artifacts"}

windows_reasons contains r if {
	some key, what in retention_windows
	window := get(["retention", "windows", key])
	window == null
	r := lib.missing("security", sprintf("/retention/windows/%s", [key]), sprintf("no retention window is defined for %s", [what]))
}

windows_reasons contains r if {
	some key, what in retention_windows
	window := get(["retention", "windows", key])
	window != null
	not lib.duration_minutes(window)
	r := lib.violation("security", sprintf("/retention/windows/%s", [key]), sprintf("the retention window for %s, %s, is not a duration such as 90d, 12h or 30m", [what, json.marshal(window)]))
}

# --- security.retention.erasure -----------------------------------------------------

erasure_modes := {"manual", "automated"}

erasure_mode := get(["retention", "erasure", "mode"])

erasure_reasons contains r if {
	some r in lib.link_reasons("security", "/retention/erasure/documentation", get(["retention", "erasure", "documentation"]))
}

erasure_reasons contains lib.missing("security", "/retention/erasure/mode", "the erasure pathway does not state whether it is manual or automated") if {
	erasure_mode == null
}

erasure_reasons contains r if {
	erasure_mode != null
	not erasure_mode in erasure_modes
	r := lib.violation("security", "/retention/erasure/mode", sprintf("erasure mode %s is neither manual nor automated", [json.marshal(erasure_mode)]))
}
