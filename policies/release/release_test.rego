package checklist.release_test

import data.checklist.release
import data.prodgate.lib

good := {
	"kind": "release",
	"schemaVersion": 1,
	"services": [{"path": "apps/server", "type": "server"}, {"path": "apps/todox", "type": "client"}],
	"environment": "prod",
	"releaseId": "v1.8.0",
	"revision": "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a",
	"date": "2026-11-20",
	"owner": "platform-team (Dana Whitfield)",
	"mvp": false,
	"scope": {
		"inScope": [
			"Meeting prep with cited claims from Gmail threads",
			"Knowledge search over entities, relations and mentions",
		],
		"nonGoals": ["Calendar sync", "webhooks", "Outlook/IMAP", "doc editor", "multi-source resolution"],
	},
}

bundle(env, release_data) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release_data}},
	"links": {},
}

with_scope(patch) := object.union(good, {"scope": object.union(good.scope, patch)})

ids := ["release.metadata", "release.scope"]

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

codes(gate) := {r.code | some r in gate.reasons}

# --- every gate -------------------------------------------------------------------

test_good_release_passes if {
	gates := release.gates with input as bundle("prod", good)
	every id in ids {
		gates[id].status == "pass"
		gates[id].reasons == []
	}
}

test_missing_release_evidence_fails if {
	gates := release.gates with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	every id in ids {
		gates[id].status == "fail"
		codes(gates[id]) == {"missing-evidence"}
	}
}

test_invalid_release_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"release": {
		"file": "evidence/prod/release.yaml",
		"valid": false,
		"problems": [{"pointer": "/services", "message": "must be array"}],
	}}}
	gates := release.gates with input as inp
	every id in ids {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

# --- release.metadata ---------------------------------------------------------------

test_metadata_environment_must_equal_evaluated_env if {
	gate := release.gates["release.metadata"] with input as bundle("staging", good)
	gate.status == "fail"
	gate.reasons[0].code == "stale-evidence"
	gate.reasons[0].evidence[0].pointer == "/environment"
	contains(gate.reasons[0].message, `"prod"`)
	contains(gate.reasons[0].message, `"staging"`)
}

test_metadata_passes_for_matching_pilot_env if {
	gate := release.gates["release.metadata"] with input as bundle("pilot", object.union(good, {"environment": "pilot"}))
	gate.status == "pass"
}

test_metadata_empty_fields_fail_as_missing if {
	bad := object.union(object.remove(good, ["releaseId", "environment"]), {"services": [], "owner": " ", "revision": "", "date": "soon"})
	gate := release.gates["release.metadata"] with input as bundle("prod", bad)
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/services", "/environment", "/releaseId", "/revision", "/date", "/owner"}
}

test_metadata_service_without_path_fails if {
	gate := release.gates["release.metadata"] with input as bundle("prod", object.union(good, {"services": [{"type": "server"}]}))
	gate.status == "fail"
	pointers(gate) == {"/services/0/path"}
}

test_metadata_short_revision_is_a_violation if {
	gate := release.gates["release.metadata"] with input as bundle("prod", object.union(good, {"revision": "3f9c2a7"}))
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	gate.reasons[0].evidence[0].pointer == "/revision"
}

test_metadata_date_after_as_of_is_stale_evidence if {
	gate := release.gates["release.metadata"] with input as bundle("prod", object.union(good, {"date": "2026-11-26"}))
	gate.status == "fail"
	gate.reasons[0].code == "stale-evidence"
	gate.reasons[0].evidence[0].pointer == "/date"
}

test_metadata_date_on_as_of_passes if {
	gate := release.gates["release.metadata"] with input as bundle("prod", object.union(good, {"date": "2026-11-25"}))
	gate.status == "pass"
}

# --- release.scope -----------------------------------------------------------------

test_scope_without_in_scope_feature_fails if {
	gate := release.gates["release.scope"] with input as bundle("prod", with_scope({"inScope": []}))
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/scope/inScope"}
}

test_scope_without_non_goals_fails if {
	bad := json.remove(good, ["scope/nonGoals"])
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	gate.status == "fail"
	codes(gate) == {"missing-evidence"}
	pointers(gate) == {"/scope/nonGoals"}
}

test_scope_non_goal_not_verbatim_fails if {
	bad := with_scope({"nonGoals": ["calendar sync", "webhooks", "Outlook/IMAP", "doc editor", "multi-source resolution"]})
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	gate.status == "fail"
	codes(gate) == {"violation"}
	pointers(gate) == {"/scope/nonGoals", "/scope/nonGoals/0"}
}

test_scope_missing_non_goal_fails if {
	bad := with_scope({"nonGoals": ["Calendar sync", "webhooks", "Outlook/IMAP", "doc editor"]})
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	gate.status == "fail"
	count(gate.reasons) == 1
	contains(gate.reasons[0].message, "multi-source resolution")
}

test_scope_extra_non_goal_fails if {
	bad := with_scope({"nonGoals": array.concat(good.scope.nonGoals, ["mobile app"])})
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	gate.status == "fail"
	pointers(gate) == {"/scope/nonGoals/5"}
}

test_scope_in_scope_feature_that_is_a_non_goal_fails if {
	bad := with_scope({"inScope": ["Knowledge search", "  WEBHOOKS "]})
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	pointers(gate) == {"/scope/inScope/1"}
}

test_scope_rule_is_the_same_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gate := release.gates["release.scope"] with input as bundle(env, good)
		gate.status == "pass"
	}
}

# --- text as a reader sees it (input.normalised, computed by prodgate) -------------

test_in_scope_non_goal_with_two_spaces_fails if {
	bad := object.union(good, {"scope": object.union(good.scope, {"inScope": array.concat(good.scope.inScope, ["Calendar  sync"])})})
	inp := object.union(bundle("prod", bad), {"normalised": {"Calendar  sync": {"text": "calendar sync", "people": ["calendar sync"], "wording": "calendarsync"}}})
	gate := release.gates["release.scope"] with input as inp
	gate.status == "fail"
	[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["violation", "/scope/inScope/2"]]
}

test_in_scope_non_goal_with_invisible_characters_fails if {
	# "Web\u00adhooks" as prodgate normalises it
	bad := object.union(good, {"scope": object.union(good.scope, {"inScope": ["Web\u00adhooks"]})})
	inp := object.union(bundle("prod", bad), {"normalised": {"Web\u00adhooks": {"text": "webhooks", "people": ["webhooks"], "wording": "webhook"}}})
	gate := release.gates["release.scope"] with input as inp
	gate.status == "fail"
}

# Wording variants of a non-goal, with input.normalised as prodgate computes it
# (src/evaluate/wording.ts): a hyphen, a space inside a word, a Cyrillic look-alike letter.
test_in_scope_wording_variants_of_non_goals_fail if {
	variants := {
		"Calendar-sync": "calendarsync",
		"web hooks": "webhook",
		"\u0421alendar sync": "calendarsync", # Cyrillic capital Es
		"Doc-Editors": "doceditor",
		"Outlook IMAP": "outlookirnap",
	}
	every feature, wording in variants {
		bad := object.union(good, {"scope": object.union(good.scope, {"inScope": ["Knowledge search", feature]})})
		inp := object.union(bundle("prod", bad), {"normalised": {feature: {"text": lower(feature), "people": [], "wording": wording}}})
		gate := release.gates["release.scope"] with input as inp
		[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["violation", "/scope/inScope/1"]]
	}
}

# Policy constants are not in input.normalised: lib.wording computes their key in Rego,
# the same as prodgate's for ASCII text (the spec's non-goals).
test_wording_of_constants if {
	[lib.wording(g) | some g in release.spec_non_goals] == ["calendarsync", "webhook", "outlookirnap", "doceditor", "rnultisourceresolution"] with input as bundle("prod", good)
}

# A non-goal listed in another wording is named as the spec's, not as a stranger.
test_non_goal_in_another_wording_names_the_spec_one if {
	bad := with_scope({"nonGoals": ["Calendar-sync", "webhooks", "Outlook/IMAP", "doc editor", "multi-source resolution"]})
	gate := release.gates["release.scope"] with input as bundle("prod", bad)
	"non-goal \"Calendar-sync\" is not written as in the spec: \"Calendar sync\"" in {r.message | some r in gate.reasons}
}

test_invisible_owner_is_missing if {
	inp := object.union(bundle("prod", object.union(good, {"owner": "\u2060"})), {"normalised": {"\u2060": {"text": "", "people": []}}})
	gate := release.gates["release.metadata"] with input as inp
	gate.status == "fail"
	[[r.code, r.evidence[0].pointer] | some r in gate.reasons] == [["missing-evidence", "/owner"]]
}
