package checklist.signoff_test

import data.checklist.signoff

# The evidence digest every sign-off approved, and the one the engine reports for the bundle.
approved := "6d9eff37648864344ddfbb0fae37a06fae95815dbd5025bb59e77342588318c6"

good := {
	"kind": "signoff",
	"schemaVersion": 1,
	"product": {"name": "Maya Okafor", "date": "2026-11-21", "evidenceDigest": approved},
	"engineering": {"name": "Tomas Lindqvist", "date": "2026-11-21", "evidenceDigest": approved},
	"security": {"name": "Priya Raman", "date": "2026-11-22", "evidenceDigest": approved},
}

na_security := object.union(object.remove(good, ["security"]), {"security": {
	"notApplicable": true,
	"rationale": "MVP pilot with internal data only; a full security review is scheduled for GA.",
}})

release_data(mvp) := {"kind": "release", "schemaVersion": 1, "revision": "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a", "mvp": mvp}

bundle_env(env, so, mvp) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {
		"signoff": {"file": "evidence/prod/signoff.yaml", "valid": true, "data": so},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release_data(mvp)},
	},
	"links": {},
	"bundle_digest_without": {"signoff": approved},
}

bundle(so) := bundle_env("prod", so, false)

ids := ["signoff.product", "signoff.engineering", "signoff.security"]

roles := {"signoff.product": "product", "signoff.engineering": "engineering", "signoff.security": "security"}

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

codes(gate) := {r.code | some r in gate.reasons}

# --- every gate -------------------------------------------------------------------

test_good_signoffs_pass_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := signoff.gates with input as bundle_env(env, good, false)
		every id in ids {
			gates[id].status == "pass"
			gates[id].reasons == []
		}
	}
}

test_missing_signoff_evidence_fails if {
	inp := json.remove(bundle(good), ["evidence/signoff"])
	gates := signoff.gates with input as inp
	every id in ids {
		gates[id].status == "fail"
		codes(gates[id]) == {"missing-evidence"}
		gates[id].reasons[0].evidence[0].file == "(no signoff evidence)"
	}
}

test_invalid_signoff_evidence_is_error if {
	inp := object.union(bundle(good), {"evidence": {"signoff": {
		"file": "evidence/prod/signoff.yaml",
		"valid": false,
		"problems": [{"pointer": "/product/date", "message": "must match format date"}],
	}}})
	gates := signoff.gates with input as inp
	every id in ids {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

test_signoff_after_as_of_is_stale_evidence if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(object.union(good, {role: {"date": "2026-11-26"}}))
		gate.status == "fail"
		codes(gate) == {"stale-evidence"}
		pointers(gate) == {sprintf("/%s/date", [role])}
	}
}

test_signoff_on_as_of_passes if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(object.union(good, {role: {"date": "2026-11-25"}}))
		gate.status == "pass"
	}
}

test_signoff_without_name_fails_as_missing if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(object.union(good, {role: {"name": "  "}}))
		gate.status == "fail"
		codes(gate) == {"missing-evidence"}
		pointers(gate) == {sprintf("/%s/name", [role])}
	}
}

test_signoff_without_date_fails_as_missing if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(json.remove(good, [sprintf("%s/date", [role])]))
		gate.status == "fail"
		pointers(gate) == {sprintf("/%s/date", [role])}
	}
}

test_absent_signoff_fails_as_missing if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(object.remove(good, [role]))
		gate.status == "fail"
		codes(gate) == {"missing-evidence"}
		pointers(gate) == {sprintf("/%s", [role])}
	}
}

# --- the evidence a sign-off approved ------------------------------------------------

test_signoff_of_other_evidence_is_a_violation if {
	changed := "0000000000000000000000000000000000000000000000000000000000000001"
	inp := object.union(bundle(good), {"bundle_digest_without": {"signoff": changed}})
	every id, role in roles {
		gate := signoff.gates[id] with input as inp
		gate.status == "fail"
		codes(gate) == {"violation"}
		pointers(gate) == {sprintf("/%s/evidenceDigest", [role])}
		contains(gate.reasons[0].message, sprintf("the evidence changed after the %s sign-off", [role]))
		contains(gate.reasons[0].message, changed)
	}
}

test_signoff_without_evidence_digest_fails_as_missing if {
	every id, role in roles {
		gate := signoff.gates[id] with input as bundle(json.remove(good, [sprintf("%s/evidenceDigest", [role])]))
		gate.status == "fail"
		codes(gate) == {"missing-evidence"}
		pointers(gate) == {sprintf("/%s/evidenceDigest", [role])}
	}
}

test_signoff_fails_when_the_engine_gives_no_digest if {
	inp := json.remove(bundle(good), ["bundle_digest_without"])
	every id, role in roles {
		gate := signoff.gates[id] with input as inp
		gate.status == "fail"
		pointers(gate) == {sprintf("/%s/evidenceDigest", [role])}
		contains(gate.reasons[0].message, "the evidence is now null")
	}
}

test_one_stale_signoff_fails_only_its_gate if {
	so := object.union(good, {"engineering": {"evidenceDigest": "1111111111111111111111111111111111111111111111111111111111111111"}})
	gates := signoff.gates with input as bundle(so)
	gates["signoff.product"].status == "pass"
	gates["signoff.engineering"].status == "fail"
	gates["signoff.security"].status == "pass"
}

test_security_na_needs_no_evidence_digest if {
	gate := signoff.gates["signoff.security"] with input as json.remove(bundle_env("prod", na_security, true), ["bundle_digest_without"])
	gate.status == "na"
}

# --- signoff.security: N/A only for an MVP release --------------------------------------

test_security_na_for_mvp_release_is_na if {
	gate := signoff.gates["signoff.security"] with input as bundle_env("prod", na_security, true)
	gate.status == "na"
	gate.reasons[0].code == "not-applicable"
	gate.reasons[0].evidence[0].pointer == "/security/rationale"
	contains(gate.reasons[0].message, "internal data only")
}

test_security_na_for_non_mvp_release_fails if {
	every env in ["pilot", "staging", "prod"] {
		gate := signoff.gates["signoff.security"] with input as bundle_env(env, na_security, false)
		gate.status == "fail"
		codes(gate) == {"violation"}
		gate.reasons[0].evidence[0].file == "evidence/prod/release.yaml"
		gate.reasons[0].evidence[0].pointer == "/mvp"
	}
}

test_security_na_without_mvp_flag_fails if {
	inp := json.remove(bundle(na_security), ["evidence/release/data/mvp"])
	gate := signoff.gates["signoff.security"] with input as inp
	gate.status == "fail"
	pointers(gate) == {"/mvp"}
}

test_security_na_without_rationale_fails_even_for_mvp if {
	so := json.remove(na_security, ["security/rationale"])
	gate := signoff.gates["signoff.security"] with input as bundle_env("prod", so, true)
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/security/rationale"}
}

test_security_na_with_blank_rationale_fails if {
	so := object.union(na_security, {"security": {"rationale": " "}})
	gate := signoff.gates["signoff.security"] with input as bundle_env("prod", so, true)
	gate.status == "fail"
}

test_security_na_needs_release_evidence if {
	inp := json.remove(bundle_env("prod", na_security, true), ["evidence/release"])
	gate := signoff.gates["signoff.security"] with input as inp
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
}

test_security_na_with_invalid_release_evidence_is_error if {
	inp := object.union(bundle_env("prod", na_security, true), {"evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": false, "problems": [{"pointer": "/mvp", "message": "must be boolean"}]}}})
	gate := signoff.gates["signoff.security"] with input as inp
	gate.status == "error"
}

test_product_and_engineering_do_not_need_release_evidence if {
	inp := json.remove(bundle(good), ["evidence/release"])
	gates := signoff.gates with input as inp
	gates["signoff.product"].status == "pass"
	gates["signoff.engineering"].status == "pass"
}

# --- text as a reader sees it (input.normalised, computed by prodgate) -------------

# What prodgate puts in input.normalised for a string (src/text/normalise.ts).
normalised(pairs) := {s: {"text": t, "people": p} | some [s, t, p] in pairs}

test_zero_width_name_is_missing if {
	so := object.union(good, {"product": object.union(good.product, {"name": "\u200b"})})
	inp := object.union(bundle(so), {"normalised": normalised([["\u200b", "", []]])})
	gate := signoff.gates["signoff.product"] with input as inp
	gate.status == "fail"
	[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["missing-evidence", "/product/name"]]
}

# --- separation of duties (input.options.signoff_separation) -----------------------

separated(so, owner) := object.union(bundle(so), {
	"options": {"signoff_separation": true},
	"evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": object.union(release_data(false), {"owner": owner})}},
})

test_separation_passes_three_people_and_another_owner if {
	gates := signoff.gates with input as separated(good, "platform-team (Dana Whitfield)")
	every id in ids {
		gates[id].status == "pass"
	}
}

test_separation_one_person_two_roles_fails_both if {
	# "maya\u200b OKAFOR" as prodgate normalises it: the same person as Maya Okafor.
	so := object.union(good, {"engineering": object.union(good.engineering, {"name": "maya\u200b OKAFOR"})})
	inp := object.union(separated(so, "platform-team (Dana Whitfield)"), {"normalised": normalised([
		["maya\u200b OKAFOR", "maya okafor", ["maya okafor"]],
		["Maya Okafor", "maya okafor", ["maya okafor"]],
	])})
	gates := signoff.gates with input as inp
	gates["signoff.product"].status == "fail"
	gates["signoff.engineering"].status == "fail"
	gates["signoff.security"].status == "pass"
	[[r.code, r.evidence[0].pointer] | some r in gates["signoff.engineering"].reasons] == [["violation", "/engineering/name"]]
}

test_separation_security_by_release_owner_fails if {
	so := object.union(good, {"security": object.union(good.security, {"name": "Dana Whitfield"})})
	inp := object.union(separated(so, "platform-team (Dana Whitfield)"), {"normalised": normalised([
		["Dana Whitfield", "dana whitfield", ["dana whitfield"]],
		["platform-team (Dana Whitfield)", "platform-team (dana whitfield)", ["dana whitfield", "platforrn-tearn", "platforrn-tearn (dana whitfield)"]],
	])})
	gate := signoff.gates["signoff.security"] with input as inp
	gate.status == "fail"
	[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["violation", "/security/name"]]
}

test_separation_security_needs_a_known_owner if {
	gate := signoff.gates["signoff.security"] with input as separated(good, "")
	gate.status == "fail"
	[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["missing-evidence", "/owner"]]
}

test_separation_off_allows_one_person_two_roles if {
	so := object.union(good, {"engineering": object.union(good.engineering, {"name": "Maya Okafor"})})
	gates := signoff.gates with input as bundle(so)
	every id in ids {
		gates[id].status == "pass"
	}
}

test_separation_ignores_a_security_signoff_claimed_na if {
	so := object.union(na_security, {"product": good.product, "engineering": good.engineering})
	inp := object.union(separated(so, "platform-team (Dana Whitfield)"), {"evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": object.union(release_data(true), {"owner": "x"})}}})
	gates := signoff.gates with input as inp
	gates["signoff.security"].status == "na"
	gates["signoff.product"].status == "pass"
}
