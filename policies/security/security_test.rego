package checklist.security_test

import data.checklist.security

revision := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

verified := {"date": "2026-11-18", "outcome": "passed", "reference": "https://ci.todox.example/runs/48211"}

good := {
	"kind": "security",
	"schemaVersion": 1,
	"piiLogging": {"redactionRules": "evidence/docs/security/log-redaction.md", "verification": verified},
	"secrets": {
		"redactedFields": ["password", "apiKey", "accessToken"],
		"loggingVerification": verified,
		"secretScan": {"tool": "gitleaks 8.21", "revision": revision, "date": "2026-11-19", "openFindings": 0},
	},
	"cors": {"allowCredentials": true, "trustedOrigins": ["https://app.todox.example", "https://www.todox.example"]},
	"disclaimer": {"surfaces": [
		{"name": "Meeting prep panel (web)", "showsSummaries": true, "disclaimerPresent": true},
		{"name": "Settings page", "showsSummaries": false, "disclaimerPresent": false},
	]},
	"audit": {
		"evidenceAccess": {"logged": true, "recordedFields": ["who", "what", "when"], "verification": verified},
		"claimEvidenceLink": {"persisted": true, "verification": verified},
	},
	"retention": {
		"windows": {"documents": "365d", "mentions": "365d", "meetingPrep": "90d"},
		"erasure": {"documentation": "evidence/docs/security/erasure.md", "mode": "manual"},
	},
}

release_data := {"kind": "release", "schemaVersion": 1, "revision": revision, "environment": "prod"}

ok_links := {
	"evidence/docs/security/log-redaction.md": {"ok": true},
	"evidence/docs/security/erasure.md": {"ok": true},
	"https://ci.todox.example/runs/48211": {"ok": true},
	"http://ci.todox.example/runs/48211": {"ok": false, "problem": "a URL must be https, not http"},
}

bundle_env(env, sec) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {
		"security": {"file": "evidence/prod/security.yaml", "valid": true, "data": sec},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release_data},
	},
	"links": ok_links,
}

bundle(sec) := bundle_env("prod", sec)

# patch(path, value): the good fixture with the value at a slash-separated path replaced.
patch(path, value) := object.union(good, nest(split(path, "/"), value))

# nest builds {k0: {k1: ... value}} for up to four keys (Rego has no recursion).
nest(keys, value) := {keys[0]: value} if {
	count(keys) == 1
} else := {keys[0]: {keys[1]: value}} if {
	count(keys) == 2
} else := {keys[0]: {keys[1]: {keys[2]: value}}} if {
	count(keys) == 3
} else := {keys[0]: {keys[1]: {keys[2]: {keys[3]: value}}}} if {
	count(keys) == 4
}

without(path) := json.remove(good, [path])

gate_ids := [
	"security.pii-logging",
	"security.secrets",
	"security.cors",
	"security.disclaimer",
	"security.audit.evidence-access",
	"security.audit.claim-evidence-link",
	"security.retention.windows",
	"security.retention.erasure",
]

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

codes(gate) := {r.code | some r in gate.reasons}

# --- every gate -------------------------------------------------------------------

test_good_security_passes_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := security.gates with input as bundle_env(env, good)
		every id in gate_ids {
			gates[id].status == "pass"
			gates[id].reasons == []
		}
	}
}

test_parents_are_applicable if {
	gates := security.gates with input as bundle(good)
	gates["security.audit"] == {"status": "pass", "reasons": []}
	gates["security.retention"] == {"status": "pass", "reasons": []}
}

test_missing_security_evidence_fails if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": ok_links, "evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release_data}}}
	gates := security.gates with input as inp
	every id in gate_ids {
		gates[id].status == "fail"
		codes(gates[id]) == {"missing-evidence"}
		gates[id].reasons[0].evidence[0].file == "(no security evidence)"
	}
}

test_invalid_security_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": ok_links, "evidence": {
		"security": {"file": "evidence/prod/security.yaml", "valid": false, "problems": [{"pointer": "/cors", "message": "must be object"}]},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release_data},
	}}
	gates := security.gates with input as inp
	every id in gate_ids {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

test_empty_security_evidence_fails_every_gate if {
	gates := security.gates with input as bundle({"kind": "security", "schemaVersion": 1})
	every id in gate_ids {
		gates[id].status == "fail"
		count(gates[id].reasons) > 0
	}
}

# --- security.pii-logging ------------------------------------------------------------

test_pii_failed_verification_fails if {
	gate := security.gates["security.pii-logging"] with input as bundle(patch("piiLogging/verification/outcome", "failed"))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	gate.reasons[0].evidence[0].pointer == "/piiLogging/verification/outcome"
}

test_pii_unresolved_rules_link_fails if {
	inp := object.union(bundle(good), {"links": {"evidence/docs/security/log-redaction.md": {"ok": false, "problem": "no such file in the repository"}}})
	gate := security.gates["security.pii-logging"] with input as inp
	gate.status == "fail"
	pointers(gate) == {"/piiLogging/redactionRules"}
}

test_pii_without_verification_fails_as_missing if {
	gate := security.gates["security.pii-logging"] with input as bundle(without("piiLogging/verification"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
}

# --- security.secrets -------------------------------------------------------------------

test_secrets_scan_of_another_revision_fails if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/revision", "0000000000000000000000000000000000000000"))
	gate.status == "fail"
	gate.reasons[0].code == "stale-evidence"
	gate.reasons[0].evidence[0].pointer == "/secrets/secretScan/revision"
}

test_secrets_open_findings_fail if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/openFindings", 3))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	contains(gate.reasons[0].message, "3 open finding")
}

test_secrets_scan_after_as_of_fails if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/date", "2026-12-01"))
	gate.status == "fail"
	pointers(gate) == {"/secrets/secretScan/date"}
}

test_secrets_without_scan_fails_as_missing if {
	gate := security.gates["security.secrets"] with input as bundle(without("secrets/secretScan"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/secrets/secretScan"}
}

test_secrets_scan_without_findings_count_fails if {
	gate := security.gates["security.secrets"] with input as bundle(without("secrets/secretScan/openFindings"))
	gate.status == "fail"
	pointers(gate) == {"/secrets/secretScan/openFindings"}
}

test_secrets_empty_redacted_fields_fail if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/redactedFields", []))
	gate.status == "fail"
	pointers(gate) == {"/secrets/redactedFields"}
}

test_secrets_unverified_logging_fails if {
	gate := security.gates["security.secrets"] with input as bundle(without("secrets/loggingVerification"))
	gate.status == "fail"
	pointers(gate) == {"/secrets/loggingVerification"}
}

test_secrets_need_release_evidence if {
	inp := json.remove(bundle(good), ["evidence/release"])
	gate := security.gates["security.secrets"] with input as inp
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
	gate.reasons[0].evidence[0].file == "(no release evidence)"
}

test_secrets_release_without_revision_fails if {
	inp := json.remove(bundle(good), ["evidence/release/data/revision"])
	gate := security.gates["security.secrets"] with input as inp
	gate.status == "fail"
	pointers(gate) == {"/revision"}
}

test_secrets_invalid_release_evidence_is_error if {
	inp := object.union(bundle(good), {"evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": false, "problems": [{"pointer": "/revision", "message": "must be string"}]}}})
	gate := security.gates["security.secrets"] with input as inp
	gate.status == "error"
}

# --- security.cors ---------------------------------------------------------------------

loose_origins := ["http://localhost:5173", "https://*.todox.example", "*", "null"]

test_cors_prod_rejects_wildcards_null_and_http if {
	gate := security.gates["security.cors"] with input as bundle(patch("cors", {"allowCredentials": false, "trustedOrigins": array.concat(["https://app.todox.example"], loose_origins)}))
	gate.status == "fail"
	codes(gate) == {"violation"}
	pointers(gate) == {"/cors/trustedOrigins/1", "/cors/trustedOrigins/2", "/cors/trustedOrigins/3", "/cors/trustedOrigins/4"}
	count(gate.reasons) == 4
}

test_cors_prod_rejects_every_wildcard_form if {
	every origin in ["*", "https://*.todox.example", "*.todox.example", "https://app.todox.*"] {
		gate := security.gates["security.cors"] with input as bundle(patch("cors", {"allowCredentials": false, "trustedOrigins": [origin]}))
		gate.status == "fail"
		pointers(gate) == {"/cors/trustedOrigins/0"}
	}
}

test_cors_staging_and_pilot_allow_http_wildcards_and_null_without_credentials if {
	every env in ["pilot", "staging"] {
		gate := security.gates["security.cors"] with input as bundle_env(env, patch("cors", {"allowCredentials": false, "trustedOrigins": loose_origins}))
		gate.status == "pass"
	}
}

test_cors_wildcard_with_credentials_fails_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gate := security.gates["security.cors"] with input as bundle_env(env, patch("cors", {"allowCredentials": true, "trustedOrigins": ["https://app.todox.example", "https://*.todox.example"]}))
		gate.status == "fail"
		pointers(gate) == {"/cors/trustedOrigins/1"}
		contains(gate.reasons[0].message, "allowCredentials")
	}
}

test_cors_http_with_credentials_is_fine_outside_prod if {
	gate := security.gates["security.cors"] with input as bundle_env("staging", patch("cors", {"allowCredentials": true, "trustedOrigins": ["http://localhost:5173"]}))
	gate.status == "pass"
}

# An https origin without a host is not an origin (issue 10, item 8: a URL without a host).
test_cors_origins_without_a_host_or_with_a_path_fail_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		every origin in ["https://", "https:///etc/passwd", "https:/app.todox.example", "https://app.todox.example/", "https://app.todox.example/path", "https://user@app.todox.example", "https://:443", "https://app.todox.example:99999x", "app.todox.example"] {
			gate := security.gates["security.cors"] with input as bundle_env(env, patch("cors", {"allowCredentials": false, "trustedOrigins": ["https://app.todox.example", origin]}))
			gate.status == "fail"
			count(gate.reasons) == 1
			gate.reasons[0].evidence[0].pointer == "/cors/trustedOrigins/1"
			contains(gate.reasons[0].message, "is not an origin")
		}
	}
}

test_cors_well_formed_origins_keep_passing if {
	gate := security.gates["security.cors"] with input as bundle(patch("cors", {"allowCredentials": true, "trustedOrigins": ["https://app.todox.example", "https://app.todox.example:8443", "https://[2001:db8::1]", "HTTPS://WWW.TODOX.EXAMPLE"]}))
	gate.status == "pass"
}

test_cors_empty_origin_list_fails_as_missing if {
	every env in ["pilot", "staging", "prod"] {
		gate := security.gates["security.cors"] with input as bundle_env(env, patch("cors/trustedOrigins", []))
		gate.status == "fail"
		codes(gate) == {"missing-evidence"}
		pointers(gate) == {"/cors/trustedOrigins"}
	}
}

test_cors_unstated_credentials_fails_as_missing if {
	gate := security.gates["security.cors"] with input as bundle(without("cors/allowCredentials"))
	gate.status == "fail"
	pointers(gate) == {"/cors/allowCredentials"}
}

# --- security.disclaimer ------------------------------------------------------------------

test_disclaimer_missing_on_summary_surface_fails if {
	surfaces := [
		{"name": "Meeting prep panel (web)", "showsSummaries": true, "disclaimerPresent": true},
		{"name": "Meeting prep email digest", "showsSummaries": true, "disclaimerPresent": false},
	]
	gate := security.gates["security.disclaimer"] with input as bundle(patch("disclaimer/surfaces", surfaces))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	gate.reasons[0].evidence[0].pointer == "/disclaimer/surfaces/1/disclaimerPresent"
	contains(gate.reasons[0].message, "Meeting prep email digest")
}

test_disclaimer_no_surfaces_fails_as_missing if {
	gate := security.gates["security.disclaimer"] with input as bundle(patch("disclaimer/surfaces", []))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
}

test_disclaimer_surface_must_state_whether_it_shows_summaries if {
	gate := security.gates["security.disclaimer"] with input as bundle(patch("disclaimer/surfaces", [{"name": "Digest", "disclaimerPresent": false}]))
	gate.status == "fail"
	pointers(gate) == {"/disclaimer/surfaces/0/showsSummaries"}
}

# --- security.audit.evidence-access ----------------------------------------------------------

test_evidence_access_without_when_fails if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(patch("audit/evidenceAccess/recordedFields", ["who", "what"]))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	contains(gate.reasons[0].message, "when")
}

test_evidence_access_not_logged_fails if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(patch("audit/evidenceAccess/logged", false))
	gate.status == "fail"
	pointers(gate) == {"/audit/evidenceAccess/logged"}
}

# Fail closed even where the schema already requires the field: the policy must not
# rely on validation to turn an absent field into a reason.
test_evidence_access_without_logged_fails_as_missing if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(without("audit/evidenceAccess/logged"))
	gate.status == "fail"
	pointers(gate) == {"/audit/evidenceAccess/logged"}
	codes(gate) == {"missing-evidence"}
}

test_evidence_access_verification_without_date_fails if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(without("audit/evidenceAccess/verification/date"))
	gate.status == "fail"
	pointers(gate) == {"/audit/evidenceAccess/verification/date"}
}

test_evidence_access_without_verification_fails if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(without("audit/evidenceAccess/verification"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
}

test_evidence_access_verification_after_as_of_fails if {
	gate := security.gates["security.audit.evidence-access"] with input as bundle(patch("audit/evidenceAccess/verification/date", "2027-01-01"))
	gate.status == "fail"
	pointers(gate) == {"/audit/evidenceAccess/verification/date"}
}

# --- security.audit.claim-evidence-link ---------------------------------------------------------

test_claim_link_not_persisted_fails if {
	gate := security.gates["security.audit.claim-evidence-link"] with input as bundle(patch("audit/claimEvidenceLink/persisted", false))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	pointers(gate) == {"/audit/claimEvidenceLink/persisted"}
}

test_claim_link_without_record_fails if {
	gate := security.gates["security.audit.claim-evidence-link"] with input as bundle(without("audit/claimEvidenceLink"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/audit/claimEvidenceLink/persisted", "/audit/claimEvidenceLink/verification"}
}

# --- security.retention.windows --------------------------------------------------------------------

test_windows_bad_duration_fails if {
	gate := security.gates["security.retention.windows"] with input as bundle(patch("retention/windows/mentions", "1 year"))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	pointers(gate) == {"/retention/windows/mentions"}
}

test_windows_missing_meeting_prep_fails if {
	gate := security.gates["security.retention.windows"] with input as bundle(without("retention/windows/meetingPrep"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/retention/windows/meetingPrep"}
}

# --- security.retention.erasure --------------------------------------------------------------------

test_erasure_unknown_mode_fails if {
	gate := security.gates["security.retention.erasure"] with input as bundle(patch("retention/erasure/mode", "planned"))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	pointers(gate) == {"/retention/erasure/mode"}
}

test_erasure_automated_passes if {
	gate := security.gates["security.retention.erasure"] with input as bundle(patch("retention/erasure/mode", "automated"))
	gate.status == "pass"
}

test_erasure_unresolved_link_fails if {
	gate := security.gates["security.retention.erasure"] with input as object.union(bundle(good), {"links": {"evidence/docs/security/erasure.md": {"ok": false, "problem": "no such file"}}})
	gate.status == "fail"
	pointers(gate) == {"/retention/erasure/documentation"}
}

test_erasure_without_documentation_fails if {
	gate := security.gates["security.retention.erasure"] with input as bundle(without("retention/erasure/documentation"))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
}

# --- verifications: a given reference must resolve; at most 180 days old ------------

verification_paths := {
	"security.pii-logging": "piiLogging/verification",
	"security.secrets": "secrets/loggingVerification",
	"security.audit.evidence-access": "audit/evidenceAccess/verification",
	"security.audit.claim-evidence-link": "audit/claimEvidenceLink/verification",
}

test_verification_reference_must_resolve if {
	every id, path in verification_paths {
		bad := security.gates[id] with input as bundle(patch(path, object.union(verified, {"reference": "http://ci.todox.example/runs/48211"})))
		bad.status == "fail"
		[[r.code, r.evidence[0].pointer] | some r in bad.reasons] == [["violation", concat("", ["/", path, "/reference"])]]

		missing_file := security.gates[id] with input as bundle(patch(path, object.union(verified, {"reference": "evidence/docs/no-such-file.md"})))
		missing_file.status == "fail"

		# the reference stays optional
		absent := security.gates[id] with input as bundle(patch(path, object.remove(verified, ["reference"])))
		absent.status == "pass"
	}
}

test_verification_max_age if {
	every id, path in verification_paths {
		current := security.gates[id] with input as bundle(patch(path, object.union(verified, {"date": "2026-05-29"})))
		current.status == "pass"

		ancient := security.gates[id] with input as bundle(patch(path, object.union(verified, {"date": "2000-01-01"})))
		ancient.status == "fail"
		[[r.code, r.evidence[0].pointer] | some r in ancient.reasons] == [["stale-evidence", concat("", ["/", path, "/date"])]]

		# in every environment
		pilot := security.gates[id] with input as bundle_env("pilot", patch(path, object.union(verified, {"date": "2026-05-28"})))
		pilot.status == "fail"
	}
}

# One revision mechanism for every gate (lib.same_revision): a scan recorded with an
# abbreviated hash of the released revision scanned it; a longer or another hash did not.
test_secrets_scan_recorded_with_a_short_hash_of_the_released_revision_passes if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/revision", substring(revision, 0, 7)))
	gate == {"status": "pass", "reasons": []}
}

test_secrets_scan_sharing_only_six_digits_fails if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/revision", substring(revision, 0, 6)))
	gate.status == "fail"
	pointers(gate) == {"/secrets/secretScan/revision"}
}

test_secrets_scan_of_a_revision_with_the_same_first_seven_digits_fails if {
	gate := security.gates["security.secrets"] with input as bundle(patch("secrets/secretScan/revision", "3f9c2a70000000000000000000000000000000000"))
	gate.status == "fail"
	pointers(gate) == {"/secrets/secretScan/revision"}
}

# Origins are checked as a reader sees them (input.normalised, computed by prodgate).
test_cors_prod_rejects_a_fullwidth_wildcard_and_an_uppercase_scheme if {
	origins := ["\uff0a", "HTTP://app.todox.example"]
	inp := object.union(bundle(patch("cors", {"allowCredentials": false, "trustedOrigins": origins})), {"normalised": {
		"\uff0a": {"text": "*", "people": ["*"]},
		"HTTP://app.todox.example": {"text": "http://app.todox.example", "people": ["http://app.todox.exarnple"]},
	}})
	gate := security.gates["security.cors"] with input as inp
	gate.status == "fail"
	pointers(gate) == {"/cors/trustedOrigins/0", "/cors/trustedOrigins/1"}
}

test_cors_prod_rejects_a_null_origin_padded_with_invisible_characters if {
	inp := object.union(bundle(patch("cors", {"allowCredentials": false, "trustedOrigins": ["\u200bNULL"]})), {"normalised": {"\u200bNULL": {"text": "null", "people": ["null"]}}})
	gate := security.gates["security.cors"] with input as inp
	gate.status == "fail"
}
