# Tests of the recorded-fact helpers (recorded.rego): the policy side of docs/artifacts.md.
package prodgate.lib_test

import data.prodgate.lib

rev := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

artifact := {
	"artifact": "tests", "file": "artifacts/t.xml", "sha256": "ab", "format": "junit",
	"valid": true, "problems": [], "type": "tests", "tool": {}, "revision": rev, "date": "2026-11-19",
}

passed_tag := {"matched": 2, "outcome": "passed", "counts": {"passed": 2, "failed": 0, "error": 0, "skipped": 0, "flaky": 0}, "worst": {"name": "a", "status": "passed", "line": 3, "column": 5}}

skipped_tag := {"matched": 2, "outcome": "skipped", "counts": {"passed": 1, "failed": 0, "error": 0, "skipped": 1, "flaky": 0}, "worst": {"name": "[org-iso:x] b", "status": "skipped", "line": 9, "column": 5}}

# An input with one recorded fact at tenancy /isolationTests/0 and the artifact's tag index.
recorded_input(fact, tags) := {
	"env": "prod", "as_of": "2026-11-25", "links": {},
	"evidence": {
		"tenancy": {"file": "tenancy.yaml", "valid": true, "data": {}},
		"release": {"file": "release.yaml", "valid": true, "data": {"revision": rev}},
	},
	"artifacts": {"tests": object.union(artifact, {"tags": tags})},
	"recorded": {"tenancy": {"/isolationTests/0": fact}},
}

unselected := object.union(artifact, {"selected": false, "selector": "the pack default"})

codes(reasons) := {r.code | some r in reasons}

test_is_recorded if {
	lib.is_recorded({"recordedBy": {"artifact": "a"}})
	not lib.is_recorded({"outcome": "passed"})
	not lib.is_recorded({"recordedBy": "a"})
}

test_the_pack_default_tag_selects_the_tagged_tests if {
	f := lib.recorded_fact("tenancy", "/isolationTests/0", "org-iso:x") with input as recorded_input(unselected, {"org-iso:x": passed_tag})
	f.matched == 2
	f.selector == "tag [org-iso:x]"
	count(lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x")) == 0 with input as recorded_input(unselected, {"org-iso:x": passed_tag})
}

test_a_skipped_test_is_a_violation_at_its_line if {
	reasons := lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x") with input as recorded_input(unselected, {"org-iso:x": skipped_tag})
	some r in reasons
	r.code == "violation"
	contains(r.message, "was skipped")
	r.evidence[0] == {"file": "artifacts/t.xml", "pointer": "", "line": 9, "column": 5}
	r.evidence[1].pointer == "/isolationTests/0/recordedBy"
}

test_a_tag_matched_by_no_test_is_missing if {
	reasons := lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x") with input as recorded_input(unselected, {})
	codes(reasons) == {"missing-evidence"}
}

test_an_explicit_selection_is_used_as_collected if {
	fact := object.union(artifact, object.union(passed_tag, {"selected": true, "selector": "property team=core"}))
	count(lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x")) == 0 with input as recorded_input(fact, {})
}

test_a_verification_without_selection_criteria_is_missing if {
	reasons := lib.recorded_test_reasons("tenancy", "/isolationTests/0", "") with input as recorded_input(unselected, {})
	codes(reasons) == {"missing-evidence"}
}

test_an_invalid_artifact_makes_error_reasons if {
	fact := object.union(unselected, {"valid": false, "problems": [{"message": "DOCTYPE refused", "pointer": "", "line": 2, "column": 1}]})
	reasons := lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x") with input as recorded_input(fact, {})
	codes(reasons) == {"invalid-evidence"}
	d := lib.decide(["tenancy"], reasons) with input as recorded_input(fact, {})
	d.status == "error"
}

test_a_report_of_another_revision_or_undated_fails if {
	other := object.union(unselected, {"revision": "1111111"})
	reasons := lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x") with input as recorded_input(other, {"org-iso:x": passed_tag})
	codes(reasons) == {"stale-evidence"}
	undated := object.remove(unselected, ["date", "revision"])
	codes(lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x")) == {"missing-evidence"} with input as recorded_input(undated, {"org-iso:x": passed_tag})
	late := object.union(unselected, {"date": "2026-12-01"})
	codes(lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x")) == {"stale-evidence"} with input as recorded_input(late, {"org-iso:x": passed_tag})
}

test_a_scan_is_not_a_test_report if {
	scan := object.union(unselected, {"type": "scan"})
	codes(lib.recorded_test_reasons("tenancy", "/isolationTests/0", "x")) == {"invalid-evidence"} with input as recorded_input(scan, {})
}

scan_fact(extra) := object.union(object.union(artifact, {"type": "scan", "selected": true, "selector": "the whole scan", "ran": true, "openFindings": 0, "findings": []}), extra)

test_a_clean_scan_that_ran_passes if {
	count(lib.recorded_scan_reasons("tenancy", "/isolationTests/0")) == 0 with input as recorded_input(scan_fact({}), {})
}

test_an_empty_scan_that_does_not_show_it_ran_is_missing if {
	reasons := lib.recorded_scan_reasons("tenancy", "/isolationTests/0") with input as recorded_input(scan_fact({"ran": false}), {})
	codes(reasons) == {"missing-evidence"}
}

test_an_open_finding_is_a_violation_at_its_line if {
	fact := scan_fact({"openFindings": 2, "findings": [{"rule": "aws-access-token", "location": "deploy/.env:3", "line": 40, "column": 7}]})
	reasons := lib.recorded_scan_reasons("tenancy", "/isolationTests/0") with input as recorded_input(fact, {})
	some r in reasons
	r.code == "violation"
	r.evidence[0].line == 40
	contains(r.message, "aws-access-token")
}

test_a_test_report_is_not_a_scan if {
	codes(lib.recorded_scan_reasons("tenancy", "/isolationTests/0")) == {"invalid-evidence"} with input as recorded_input(unselected, {})
}

test_a_broken_scan_artifact_is_invalid if {
	fact := scan_fact({"valid": false, "problems": []})
	codes(lib.recorded_scan_reasons("tenancy", "/isolationTests/0")) == {"invalid-evidence"} with input as recorded_input(fact, {})
}

test_a_fact_that_was_not_collected_is_invalid if {
	f := lib.recorded_fact("tenancy", "/nowhere", "x") with input as recorded_input(unselected, {})
	f.valid == false
}

test_verification_reasons_read_a_recorded_verification if {
	v := {"recordedBy": {"artifact": "tests"}}
	fact := object.union(artifact, object.union(passed_tag, {"selected": true, "selector": "tag [verify:x]"}))
	count(lib.verification_reasons("tenancy", "/isolationTests/0", v)) == 0 with input as recorded_input(fact, {})
}

test_the_release_must_name_a_revision if {
	inp := json.remove(recorded_input(unselected, {"org-iso:x": passed_tag}), ["evidence/release/data/revision"])
	some r in lib.recorded_test_reasons("tenancy", "/isolationTests/0", "org-iso:x") with input as inp
	r.evidence[0].pointer == "/revision"
}
