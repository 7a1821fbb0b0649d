# Tests of the configuration helpers (config.rego): recorded facts read from workflows
# and manifests at the released revision (docs/artifacts.md).
package prodgate.lib_config_test

import data.prodgate.lib

rev := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

workflow := {
	"artifact": "wf", "file": "config/release.yml", "sha256": "ab", "format": "github-actions",
	"valid": true, "problems": [], "type": "config", "tool": {"name": "GitHub Actions"}, "revision": rev,
	"selected": true, "selector": "the whole file",
	"config": {"migrations": {"job": {"id": "m", "line": 3, "column": 3}, "runsBeforeDeploy": true, "serialized": true, "problems": []}},
}

config_input(fact) := {
	"env": "prod", "as_of": "2026-11-25", "links": {},
	"evidence": {
		"ops": {"file": "ops.yaml", "valid": true, "data": {}},
		"release": {"file": "release.yaml", "valid": true, "data": {"revision": rev}},
	},
	"recorded": {"ops": {"/migrations": fact}},
}

codes(rs) := {r.code | some r in rs}

test_a_proven_topic_of_the_released_revision_has_no_reason if {
	count(lib.config_reasons("ops", "/migrations", "migrations", true)) == 0 with input as config_input(workflow)
	lib.config_topic("ops", "/migrations", "migrations").job.id == "m" with input as config_input(workflow)
}

test_the_importer_problems_are_reasons_at_their_line if {
	fact := object.union(workflow, {"config": {"migrations": {"problems": [{"code": "violation", "message": "deploy job d does not wait", "line": 39, "column": 3}]}}})
	rs := lib.config_reasons("ops", "/migrations", "migrations", false) with input as config_input(fact)
	count(rs) == 1
	some r in rs
	r.code == "violation"
	r.evidence[0] == {"file": "config/release.yml", "pointer": "", "line": 39, "column": 3}
	r.evidence[1] == {"file": "ops.yaml", "pointer": "/migrations/recordedBy"}
}

test_an_unproven_topic_without_problems_still_fails if {
	rs := lib.config_reasons("ops", "/migrations", "migrations", false) with input as config_input(workflow)
	codes(rs) == {"missing-evidence"}
}

test_a_topic_the_file_does_not_have_fails if {
	fact := object.union(object.remove(workflow, ["config"]), {"config": {"other": {}}})
	rs := lib.config_reasons("ops", "/migrations", "migrations", false) with input as config_input(fact)
	codes(rs) == {"missing-evidence"}
	lib.config_topic("ops", "/migrations", "migrations") == {} with input as config_input(fact)
}

test_a_configuration_of_another_revision_is_stale if {
	fact := object.union(workflow, {"revision": "1111111111111111111111111111111111111111"})
	rs := lib.config_reasons("ops", "/migrations", "migrations", true) with input as config_input(fact)
	codes(rs) == {"stale-evidence"}
}

test_a_broken_configuration_is_invalid_evidence if {
	fact := object.union(workflow, {"valid": false, "problems": [{"message": "unrendered template", "pointer": "", "line": 4, "column": 9}]})
	rs := lib.config_reasons("ops", "/migrations", "migrations", true) with input as config_input(fact)
	codes(rs) == {"invalid-evidence"}
	some r in rs
	r.evidence[0].line == 4
}

test_a_test_report_is_not_a_configuration if {
	fact := object.union(workflow, {"type": "tests"})
	rs := lib.config_reasons("ops", "/migrations", "migrations", true) with input as config_input(fact)
	codes(rs) == {"invalid-evidence"}
}
