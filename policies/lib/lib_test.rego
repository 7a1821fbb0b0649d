# Tests of the shared prodgate library, so that a pack's coverage counts the helpers
# it copied, and `prodgate test` proves them under opa-wasm too. Copy this file with
# lib.rego.
package prodgate.lib_test

import data.prodgate.lib

base := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {}}

with_kind(kind, entry) := object.union(base, {"evidence": {kind: entry}})

valid(data_) := {"file": "evidence/prod/x.yaml", "valid": true, "data": data_}

invalid := {"file": "evidence/prod/x.yaml", "valid": false, "problems": [{"pointer": "/a", "message": "must be string"}]}

# --- evidence access -----------------------------------------------------------

test_evidence_of_a_valid_kind if {
	lib.evidence("x") == {"a": 1} with input as with_kind("x", valid({"a": 1}))
}

test_evidence_of_an_invalid_or_missing_kind_is_empty if {
	lib.evidence("x") == {} with input as with_kind("x", invalid)
	lib.evidence("x") == {} with input as base
}

test_file_of if {
	lib.file_of("x") == "evidence/prod/x.yaml" with input as with_kind("x", valid({}))
	lib.file_of("x") == "(no x evidence)" with input as base
}

test_is_prod if {
	lib.is_prod with input as base
	not lib.is_prod with input as object.union(base, {"env": "staging"})
}

# --- reasons and decisions -------------------------------------------------------

test_reason_builders if {
	r := lib.violation("x", "/a", "bad") with input as base
	r == {"code": "violation", "message": "bad", "evidence": [{"file": "(no x evidence)", "pointer": "/a"}]}
	m := lib.missing("x", "/a", "absent") with input as base
	m.code == "missing-evidence"
	s := lib.stale("x", "/a", "old") with input as base
	s.code == "stale-evidence"
}

test_decide_passes_only_without_reasons if {
	d := lib.decide(["x"], set()) with input as with_kind("x", valid({}))
	d == {"status": "pass", "reasons": []}
}

test_decide_fails_with_reasons if {
	d := lib.decide(["x"], {lib.violation("x", "/a", "bad")}) with input as with_kind("x", valid({}))
	d.status == "fail"
	d.reasons[0].message == "bad"
}

test_decide_fails_on_missing_kind if {
	d := lib.decide(["x"], set()) with input as base
	d.status == "fail"
	d.reasons[0].code == "missing-evidence"
	d.reasons[0].message == "no x evidence: the bundle has no file with kind: x"
}

test_decide_errors_on_invalid_kind if {
	d := lib.decide(["x"], set()) with input as with_kind("x", invalid)
	d.status == "error"
	d.reasons[0] == {"code": "invalid-evidence", "message": "must be string", "evidence": [{"file": "evidence/prod/x.yaml", "pointer": "/a"}]}
}

test_decide_errors_on_invalid_kind_without_problems if {
	d := lib.decide(["x"], set()) with input as with_kind("x", {"file": "x.yaml", "valid": false})
	d.reasons[0].message == "evidence file is invalid"
}

test_not_applicable_and_applicable if {
	na := lib.not_applicable("x", "/a", "not here") with input as base
	na.status == "na"
	na.reasons[0].code == "not-applicable"
	lib.applicable == {"status": "pass", "reasons": []}
}

# --- dates and durations -----------------------------------------------------------

test_is_date if {
	lib.is_date("2026-02-28")
	not lib.is_date("2026-13-01")
	not lib.is_date("26-01-01")
	not lib.is_date(20260101)
}

test_not_after_as_of if {
	lib.not_after_as_of("2026-11-25") with input as base
	not lib.not_after_as_of("2026-11-26") with input as base
}

test_days_counts_from_the_epoch if {
	lib.days("1970-01-01") == 0
	lib.days("2000-03-01") == 11017
	lib.days("2024-02-29") - lib.days("2023-02-28") == 366
}

test_age_days if {
	lib.age_days("2026-11-15") == 10 with input as base
	lib.age_days("2026-11-30") == -5 with input as base
}

test_duration_minutes if {
	lib.duration_minutes("15m") == 15
	lib.duration_minutes("4h") == 240
	lib.duration_minutes("2d") == 2880
	not lib.duration_minutes("4 hours")
}

# --- verifications and links -------------------------------------------------------

good_check := {"date": "2026-11-20", "outcome": "passed", "reference": "https://ci.example/1"}

ci_links := {"https://ci.example/1": {"ok": true}, "http://ci.example/1": {"ok": false, "problem": "a URL must be https, not http"}}

with_ci_links := object.union(base, {"links": ci_links})

test_verification_good_has_no_reasons if {
	count(lib.verification_reasons("x", "/v", good_check)) == 0 with input as with_ci_links
}

test_verification_max_age if {
	lib.verification_max_age_days == 180

	# exactly 180 days before the as-of date 2026-11-25 is still current
	count(lib.verification_reasons("x", "/v", object.union(good_check, {"date": "2026-05-29"}))) == 0 with input as with_ci_links
	rs := lib.verification_reasons("x", "/v", object.union(good_check, {"date": "2026-05-28"})) with input as with_ci_links
	[[r.code, r.evidence[0].pointer, r.message] | some r in rs] == [[
		"stale-evidence", "/v/date",
		"the verification is dated 2026-05-28, 181 days before the as-of date 2026-11-25; it must be at most 180 days old",
	]]
	old := lib.verification_reasons("x", "/v", object.union(good_check, {"date": "2000-01-01"})) with input as with_ci_links
	[r.code | some r in old] == ["stale-evidence"]
}

test_verification_reference_must_resolve if {
	# absent: the reference is optional
	count(lib.verification_reasons("x", "/v", object.remove(good_check, ["reference"]))) == 0 with input as with_ci_links

	# given but not usable, or not resolved at all
	bad := lib.verification_reasons("x", "/v", object.union(good_check, {"reference": "http://ci.example/1"})) with input as with_ci_links
	[[r.code, r.evidence[0].pointer, r.message] | some r in bad] == [[
		"violation", "/v/reference",
		"link \"http://ci.example/1\" is not usable: a URL must be https, not http",
	]]
	unresolved := lib.verification_reasons("x", "/v", good_check) with input as base
	[[r.code, r.evidence[0].pointer] | some r in unresolved] == [["violation", "/v/reference"]]
}

test_verification_not_an_object if {
	rs := lib.verification_reasons("x", "/v", null) with input as base
	[r | some r in rs][0].code == "missing-evidence"
}

test_verification_without_date_or_outcome if {
	rs := lib.verification_reasons("x", "/v", {"reference": "r"}) with input as base
	{r.evidence[0].pointer | some r in rs} == {"/v/date", "/v/outcome", "/v/reference"}
}

test_verification_after_as_of_or_failed if {
	rs := lib.verification_reasons("x", "/v", {"date": "2026-12-01", "outcome": "failed"}) with input as base
	{r.message | some r in rs} == {
		"the verification is dated 2026-12-01, after the as-of date 2026-11-25",
		"the verification outcome is \"failed\", not passed",
	}
}

test_link_reasons if {
	links := {"docs/a.md": {"ok": true}, "docs/b.md": {"ok": false, "problem": "no such file in the repository"}}
	inp := object.union(base, {"links": links})
	count(lib.link_reasons("x", "/l", "docs/a.md")) == 0 with input as inp
	[r | some r in lib.link_reasons("x", "/l", "docs/b.md")][0].message == "link \"docs/b.md\" is not usable: no such file in the repository" with input as inp
	[r | some r in lib.link_reasons("x", "/l", "docs/c.md")][0].message == "link \"docs/c.md\" was not resolved by prodgate" with input as inp
	[r | some r in lib.link_reasons("x", "/l", null)][0].code == "missing-evidence" with input as inp
}

test_link_to_a_missing_file_is_missing_evidence if {
	links := {"docs/b.md": {"ok": false, "problem": "no such file in the repository", "missing": true}, "docs/d": {"ok": false, "problem": "not a file", "missing": true}, "http://x.example/": {"ok": false, "problem": "a URL must be https, not http"}}
	inp := object.union(base, {"links": links})
	[r.code | some r in lib.link_reasons("x", "/l", "docs/b.md")] == ["missing-evidence"] with input as inp
	[r.code | some r in lib.link_reasons("x", "/l", "docs/d")] == ["missing-evidence"] with input as inp
	[r.code | some r in lib.link_reasons("x", "/l", "http://x.example/")] == ["violation"] with input as inp
}

# --- small helpers -----------------------------------------------------------------

test_value_helpers if {
	lib.non_empty_string("a")
	not lib.non_empty_string("  ")
	lib.non_empty_array([1])
	not lib.non_empty_array([])
	lib.get({"a": 1}, "a", 0) == 1
	lib.get("not an object", "a", 0) == 0
	lib.at({"a": [{"b": 2}]}, ["a", 0, "b"]) == 2
	lib.at({"a": 1}, ["z"]) == null
	lib.show("s") == "s"
	lib.show(null) == "null"
	lib.label(0, {"name": "api"}) == "\"api\""
	lib.label(3, {}) == "#3"
}

test_flag_reasons if {
	[r | some r in lib.flag_reasons("x", "/f", null, "it is on")][0].message == "not recorded whether it is on" with input as base
	[r | some r in lib.flag_reasons("x", "/f", false, "it is on")][0].message == "not true that it is on" with input as base
	lib.flag_reasons("x", "/f", true, "it is on") == set() with input as base
}

# --- text as a reader sees it -------------------------------------------------

test_norm_reads_the_normalised_form if {
	lib.norm("Dana Whit\u200bfield") == "dana whitfield" with input as {"normalised": {"Dana Whit\u200bfield": {"text": "dana whitfield", "people": ["dana whitfield"]}}}
}

test_norm_of_a_string_prodgate_did_not_normalise_is_trimmed_and_lowercased if {
	lib.norm(" Calendar sync ") == "calendar sync" with input as {"normalised": {}}
}

test_non_empty_string_is_false_for_invisible_text if {
	not lib.non_empty_string("\u200b") with input as {"normalised": {"\u200b": {"text": "", "people": []}}}
	lib.non_empty_string("x") with input as {"normalised": {}}
	not lib.non_empty_string(" ") with input as {"normalised": {}}
}

test_same_person_matches_any_common_name if {
	people := {"normalised": {
		"security-team (Dana Whitfield)": {"text": "security-team (dana whitfield)", "people": ["dana whitfield", "security-tearn"]},
		"platform-team (Dana Whitfield)": {"text": "platform-team (dana whitfield)", "people": ["dana whitfield", "platforrn-tearn"]},
		"Sam Okafor": {"text": "sam okafor", "people": ["sarn okafor"]},
	}}
	lib.same_person("security-team (Dana Whitfield)", "platform-team (Dana Whitfield)") with input as people
	not lib.same_person("Sam Okafor", "platform-team (Dana Whitfield)") with input as people
}

# --- revisions ---------------------------------------------------------------

test_same_revision_accepts_an_abbreviated_hash_and_equal_text if {
	lib.same_revision("3f9c2a7", "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a")
	lib.same_revision("3F9C2A7E5B1D", "3f9c2a7")
	lib.same_revision("v1.8.0", "v1.8.0")
	not lib.same_revision("3f9c2a", "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a")
	not lib.same_revision("", "3f9c2a7")
}

test_revision_ambiguous_for_a_short_common_prefix if {
	lib.revision_ambiguous("3f9c2a", "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a")
	not lib.revision_ambiguous("3f9c2a7", "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a")
}

# --- wording ---------------------------------------------------------------------

test_wording_reads_prodgates_form_else_computes_it_for_ascii if {
	inp := object.union(base, {"normalised": {"\u0421alendar-sync": {"text": "\u0441alendar-sync", "people": [], "wording": "calendarsync"}}})
	lib.wording("\u0421alendar-sync") == "calendarsync" with input as inp
	lib.wording("Web Hooks") == "webhook" with input as inp
	lib.wording("glass, class") == "glassclass" with input as inp

	# In a word in capitals a 1 reads as I ("M1" is "MI"), in a word of digits as l.
	lib.wording("M1 / OS-10") == "rnioslo" with input as inp
	lib.wording("Outlook/1MAP") == lib.wording("Outlook/IMAP") with input as inp
	lib.wording("syncing webhook's") == "syncwebhook" with input as inp
	lib.wording("- / -") == "" with input as inp
	not lib.wording(7) with input as inp
}

test_wording_contains_a_non_goal_in_more_words_in_any_order if {
	lib.wording_contains("Google Calendar sync", "Calendar sync") with input as base
	lib.wording_contains("Calendar sync (beta)", "Calendar sync") with input as base
	lib.wording_contains("Webhooks API", "webhooks") with input as base
	lib.wording_contains("web hooks API", "webhooks") with input as base
	lib.wording_contains("IMAP/Outlook", "Outlook/IMAP") with input as base
	lib.wording_contains("Calendar syncing", "Calendar sync") with input as base
	not lib.wording_contains("Calendar view", "Calendar sync") with input as base
	not lib.wording_contains("Sync status", "Calendar sync") with input as base
	not lib.wording_contains("Outlook add-in", "Outlook/IMAP") with input as base
	not lib.wording_contains("- / -", "Calendar sync") with input as base
}
