package checklist.tenancy_test

import data.checklist.tenancy

rev := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

paths := ["gmail-documents", "knowledge-queries", "embeddings", "evidence-listing", "meeting-prep"]

good := {
	"kind": "tenancy",
	"schemaVersion": 1,
	"isolationTests": [{"path": p, "name": sprintf("%s isolation", [p]), "revision": rev, "date": "2026-11-19", "outcome": "passed"} | some p in paths],
	"sharedScope": {
		"caches": [
			{"name": "knowledge-query cache (redis)", "orgKeyed": true},
			{"name": "static asset cache", "orgKeyed": false, "orgAgnosticReason": "holds only public build assets, no tenant data"},
		],
		"workflows": [
			{"name": "gmail-sync", "orgKeyed": true},
			{"name": "embedding-indexer", "orgKeyed": true},
		],
	},
	"orgScoping": {"rpcs": [
		{"name": "listDocuments", "tableScoped": true, "queryScoped": true},
		{"name": "searchKnowledge", "tableScoped": true, "queryScoped": true},
		{"name": "listEvidence", "tableScoped": true, "queryScoped": true},
		{"name": "generateMeetingPrep", "tableScoped": true, "queryScoped": true},
	]},
}

release := {"kind": "release", "schemaVersion": 1, "environment": "prod", "releaseId": "v1.8.0", "revision": rev}

bundle_env(env, t, r) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {
		"tenancy": {"file": "evidence/prod/tenancy.yaml", "valid": true, "data": t},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": r},
		"observability": {"file": "evidence/prod/observability.yaml", "valid": true, "data": observability},
	},
	"links": {},
}

bundle(t) := bundle_env("prod", t, release)

# tenancy.no-shared-scope also reads whether the release has queues or workflows.
observability := {"kind": "observability", "schemaVersion": 1, "queuesOrWorkflows": true}

set_at(arr, i, v) := array.concat(array.concat(array.slice(arr, 0, i), [v]), array.slice(arr, i + 1, count(arr)))

# the good data with isolation test i changed by patch
with_test(i, patch) := object.union(good, {"isolationTests": set_at(good.isolationTests, i, object.union(good.isolationTests[i], patch))})

all_ids := [
	"tenancy.isolation",
	"tenancy.isolation.gmail-documents",
	"tenancy.isolation.knowledge-queries",
	"tenancy.isolation.embeddings",
	"tenancy.isolation.evidence-listing",
	"tenancy.isolation.meeting-prep",
	"tenancy.no-shared-scope",
	"tenancy.org-scoping",
]

has_reason(gate, code, pointer) if {
	some r in gate.reasons
	r.code == code
	some e in r.evidence
	e.pointer == pointer
}

# --- all gates ----------------------------------------------------------------

test_good_evidence_passes_every_gate_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := tenancy.gates with input as bundle_env(env, good, release)
		every id in all_ids {
			gates[id].status == "pass"
		}
	}
}

test_missing_tenancy_evidence_fails_every_child if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release}}}
	gates := tenancy.gates with input as inp
	every id in array.slice(all_ids, 1, count(all_ids)) {
		gates[id].status == "fail"
		gates[id].reasons[0].code == "missing-evidence"
		gates[id].reasons[0].evidence[0].file == "(no tenancy evidence)"
	}
}

test_invalid_tenancy_evidence_is_error_for_every_child if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {
		"tenancy": {"file": "evidence/prod/tenancy.yaml", "valid": false, "problems": [{"pointer": "/isolationTests/0/outcome", "message": "must be equal to one of the allowed values"}]},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release},
	}}
	gates := tenancy.gates with input as inp
	every id in array.slice(all_ids, 1, count(all_ids)) {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
		gates[id].reasons[0].evidence[0].pointer == "/isolationTests/0/outcome"
	}
}

# --- tenancy.isolation.* ---------------------------------------------------------

test_isolation_missing_release_evidence_fails if {
	inp := json.remove(bundle(good), ["evidence/release"])
	gates := tenancy.gates with input as inp
	gates["tenancy.no-shared-scope"].status == "pass"
	every p in paths {
		gate := gates[sprintf("tenancy.isolation.%s", [p])]
		gate.status == "fail"
		gate.reasons[0].code == "missing-evidence"
		gate.reasons[0].evidence[0].file == "(no release evidence)"
	}
}

test_isolation_invalid_release_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {
		"tenancy": {"file": "evidence/prod/tenancy.yaml", "valid": true, "data": good},
		"release": {"file": "evidence/prod/release.yaml", "valid": false, "problems": [{"pointer": "/revision", "message": "must be string"}]},
	}}
	gate := tenancy.gates["tenancy.isolation.embeddings"] with input as inp
	gate.status == "error"
	gate.reasons[0].evidence[0].file == "evidence/prod/release.yaml"
}

test_isolation_skipped_test_fails_naming_the_test if {
	gates := tenancy.gates with input as bundle(with_test(2, {"outcome": "skipped"}))
	gate := gates["tenancy.isolation.embeddings"]
	gate.status == "fail"
	count(gate.reasons) == 1
	gate.reasons[0].code == "violation"
	gate.reasons[0].evidence[0].pointer == "/isolationTests/2/outcome"
	contains(gate.reasons[0].message, "\"embeddings isolation\"")
	contains(gate.reasons[0].message, "skipped")
	gates["tenancy.isolation.gmail-documents"].status == "pass"
	gates["tenancy.isolation"].status == "pass" # the parent's own decision; children aggregate later
}

test_isolation_failed_test_fails if {
	gate := tenancy.gates["tenancy.isolation.meeting-prep"] with input as bundle(with_test(4, {"outcome": "failed"}))
	gate.status == "fail"
	has_reason(gate, "violation", "/isolationTests/4/outcome")
}

test_isolation_one_bad_test_among_passing_ones_fails if {
	extra := {"path": "gmail-documents", "name": "attachments stay in org", "revision": rev, "date": "2026-11-19", "outcome": "failed"}
	t := object.union(good, {"isolationTests": array.concat(good.isolationTests, [extra])})
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "violation", "/isolationTests/5/outcome")
}

test_isolation_other_revision_does_not_count if {
	gate := tenancy.gates["tenancy.isolation.knowledge-queries"] with input as bundle(with_test(1, {"revision": "0000000000000000000000000000000000000000"}))
	gate.status == "fail"
	has_reason(gate, "stale-evidence", "/isolationTests/1/revision")
}

old_rev := "1111111111111111111111111111111111111111"

# the good data with runs appended
with_runs(runs) := object.union(good, {"isolationTests": array.concat(good.isolationTests, runs)})

# gates.md: runs on other revisions are informational only (issue 10, item 7).
test_isolation_extra_passed_run_on_an_earlier_revision_passes if {
	t := with_runs([{"path": "gmail-documents", "name": "older run", "revision": old_rev, "date": "2026-11-01", "outcome": "passed"}])
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(t)
	gate == {"status": "pass", "reasons": []}
}

test_isolation_failed_skipped_or_undated_runs_on_other_revisions_are_informational if {
	t := with_runs([
		{"path": "embeddings", "name": "old failure", "revision": old_rev, "date": "2026-10-01", "outcome": "failed"},
		{"path": "embeddings", "name": "old skip", "revision": old_rev, "date": "2026-10-02", "outcome": "skipped"},
		{"path": "embeddings", "name": "future-dated old run", "revision": old_rev, "date": "2027-01-01", "outcome": "passed"},
		{"path": "embeddings", "name": "no outcome", "revision": old_rev, "date": "2026-10-03"},
	])
	gate := tenancy.gates["tenancy.isolation.embeddings"] with input as bundle(t)
	gate == {"status": "pass", "reasons": []}
}

test_isolation_only_other_revision_runs_fail_naming_the_released_revision if {
	t := object.union(good, {"isolationTests": array.concat(
		[x | some x in good.isolationTests; x.path != "meeting-prep"],
		[
			{"path": "meeting-prep", "name": "old a", "revision": old_rev, "date": "2026-11-01", "outcome": "passed"},
			{"path": "meeting-prep", "name": "old b", "revision": old_rev, "date": "2026-11-02", "outcome": "passed"},
		],
	)})
	gate := tenancy.gates["tenancy.isolation.meeting-prep"] with input as bundle(t)
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "stale-evidence", "/isolationTests/4/revision")
	contains(gate.reasons[0].message, rev)
}

test_isolation_failed_run_of_the_released_revision_still_fails_beside_a_passed_one if {
	t := with_runs([
		{"path": "evidence-listing", "name": "old pass", "revision": old_rev, "date": "2026-11-01", "outcome": "passed"},
		{"path": "evidence-listing", "name": "rerun", "revision": rev, "date": "2026-11-20", "outcome": "failed"},
	])
	gate := tenancy.gates["tenancy.isolation.evidence-listing"] with input as bundle(t)
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "violation", "/isolationTests/6/outcome")
}

test_isolation_run_without_revision_beside_a_released_pass_fails_closed if {
	t := with_runs([{"path": "knowledge-queries", "name": "unplaced", "date": "2026-11-20", "outcome": "passed"}])
	gate := tenancy.gates["tenancy.isolation.knowledge-queries"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/isolationTests/5/revision")
}

test_isolation_release_without_revision_fails if {
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle_env("prod", good, object.remove(release, ["revision"]))
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
	gate.reasons[0].evidence[0].pointer == "/revision"
	gate.reasons[0].evidence[0].file == "evidence/prod/release.yaml"
}

test_isolation_no_test_for_path_fails_missing if {
	t := object.union(good, {"isolationTests": [x | some x in good.isolationTests; x.path != "evidence-listing"]})
	gates := tenancy.gates with input as bundle(t)
	gate := gates["tenancy.isolation.evidence-listing"]
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/isolationTests")
	gates["tenancy.isolation.meeting-prep"].status == "pass"
}

test_isolation_no_tests_at_all_fails_every_path if {
	gates := tenancy.gates with input as bundle(object.remove(good, ["isolationTests"]))
	every p in paths {
		gates[sprintf("tenancy.isolation.%s", [p])].status == "fail"
	}
}

test_isolation_test_dated_after_as_of_fails if {
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(with_test(0, {"date": "2026-11-26"}))
	gate.status == "fail"
	has_reason(gate, "violation", "/isolationTests/0/date")
}

test_isolation_test_without_date_or_outcome_fails_missing if {
	t := object.union(good, {"isolationTests": set_at(good.isolationTests, 0, object.remove(good.isolationTests[0], ["date", "outcome"]))})
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/isolationTests/0/date")
	has_reason(gate, "missing-evidence", "/isolationTests/0/outcome")
}

test_isolation_same_rule_in_staging if {
	gate := tenancy.gates["tenancy.isolation.embeddings"] with input as bundle_env("staging", with_test(2, {"outcome": "skipped"}), release)
	gate.status == "fail"
}

# --- tenancy.no-shared-scope ----------------------------------------------------

test_shared_scope_missing_workflows_list_fails_missing if {
	t := object.union(object.remove(good, ["sharedScope"]), {"sharedScope": {"caches": good.sharedScope.caches}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(t)
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/sharedScope/workflows")
}

test_shared_scope_absent_fails_both_lists if {
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(object.remove(good, ["sharedScope"]))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/sharedScope/caches")
	has_reason(gate, "missing-evidence", "/sharedScope/workflows")
}

test_shared_scope_empty_lists_pass if {
	t := object.union(good, {"sharedScope": {"caches": [], "workflows": []}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as object.union(bundle(t), {"evidence": {"observability": {"data": {"queuesOrWorkflows": false}}}})
	gate.status == "pass"
}

test_shared_scope_org_agnostic_without_reason_fails if {
	caches := set_at(good.sharedScope.caches, 1, {"name": "static asset cache", "orgKeyed": false})
	t := object.union(good, {"sharedScope": {"caches": caches}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/sharedScope/caches/1/orgAgnosticReason")
	contains(gate.reasons[0].message, "static asset cache")
}

test_shared_scope_org_agnostic_blank_reason_fails if {
	workflows := set_at(good.sharedScope.workflows, 0, {"name": "gmail-sync", "orgKeyed": false, "orgAgnosticReason": "  "})
	t := object.union(good, {"sharedScope": {"workflows": workflows}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/sharedScope/workflows/0/orgAgnosticReason")
}

test_shared_scope_entry_without_org_keyed_fails_missing if {
	workflows := set_at(good.sharedScope.workflows, 1, {"name": "embedding-indexer"})
	t := object.union(good, {"sharedScope": {"workflows": workflows}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/sharedScope/workflows/1/orgKeyed")
}

# --- tenancy.org-scoping ---------------------------------------------------------

test_org_scoping_one_reason_names_every_unscoped_rpc if {
	r1 := set_at(good.orgScoping.rpcs, 1, {"name": "searchKnowledge", "tableScoped": true, "queryScoped": false})
	r2 := set_at(r1, 3, {"name": "generateMeetingPrep", "tableScoped": false})
	gate := tenancy.gates["tenancy.org-scoping"] with input as bundle(object.union(good, {"orgScoping": {"rpcs": r2}}))
	gate.status == "fail"
	count(gate.reasons) == 1
	reason := gate.reasons[0]
	reason.code == "violation"
	contains(reason.message, "searchKnowledge (queryScoped)")
	contains(reason.message, "generateMeetingPrep (tableScoped, queryScoped)")
	not contains(reason.message, "listDocuments")
	[e.pointer | some e in reason.evidence] == ["/orgScoping/rpcs/1/queryScoped", "/orgScoping/rpcs/3/tableScoped", "/orgScoping/rpcs/3/queryScoped"]
	every e in reason.evidence {
		e.file == "evidence/prod/tenancy.yaml"
	}
}

test_org_scoping_empty_rpcs_fails_missing if {
	gate := tenancy.gates["tenancy.org-scoping"] with input as bundle(object.union(good, {"orgScoping": {"rpcs": []}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/orgScoping/rpcs")
}

test_org_scoping_absent_fails_missing if {
	gate := tenancy.gates["tenancy.org-scoping"] with input as bundle(object.remove(good, ["orgScoping"]))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/orgScoping/rpcs")
}

test_org_scoping_same_rule_in_staging if {
	r1 := set_at(good.orgScoping.rpcs, 0, {"name": "listDocuments", "tableScoped": false, "queryScoped": true})
	gate := tenancy.gates["tenancy.org-scoping"] with input as bundle_env("staging", object.union(good, {"orgScoping": {"rpcs": r1}}), release)
	gate.status == "fail"
	has_reason(gate, "violation", "/orgScoping/rpcs/0/tableScoped")
}

# --- sharedScope.workflows agrees with observability queuesOrWorkflows ----------------

test_shared_scope_no_workflows_while_observability_has_workflows_fails if {
	t := object.union(good, {"sharedScope": {"workflows": []}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(t)
	gate.status == "fail"
	count(gate.reasons) == 1
	gate.reasons[0].code == "violation"
	[[e.file, e.pointer] | some e in gate.reasons[0].evidence] == [["evidence/prod/tenancy.yaml", "/sharedScope/workflows"], ["evidence/prod/observability.yaml", "/queuesOrWorkflows"]]
}

test_shared_scope_workflows_listed_with_observability_workflows_passes if {
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as bundle(good)
	gate.status == "pass"
}

test_shared_scope_missing_observability_fails if {
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as json.remove(bundle(good), ["evidence/observability"])
	gate.status == "fail"
	gate.reasons[0].evidence[0].file == "(no observability evidence)"
}

test_shared_scope_invalid_observability_is_error if {
	inp := object.union(bundle(good), {"evidence": {"observability": {"valid": false, "problems": [{"pointer": "/queuesOrWorkflows", "message": "must be boolean"}]}}})
	gate := tenancy.gates["tenancy.no-shared-scope"] with input as inp
	gate.status == "error"
}

test_other_tenancy_gates_do_not_read_observability if {
	gates := tenancy.gates with input as json.remove(bundle(good), ["evidence/observability"])
	every id in [i | some i in all_ids; i != "tenancy.no-shared-scope"] {
		gates[id].status == "pass"
	}
}

# A run recorded with an abbreviated hash of the released revision is a run of it: never
# "another revision" (attack on issue 10: a failed short-hash run was ignored and the gate passed).
test_isolation_failed_run_recorded_with_a_short_hash_of_the_released_revision_fails if {
	every short in [substring(rev, 0, 7), substring(rev, 0, 12), upper(substring(rev, 0, 9)), substring(rev, 0, 39)] {
		t := with_runs([{"path": "embeddings", "name": "rerun", "revision": short, "date": "2026-11-20", "outcome": "failed"}])
		gate := tenancy.gates["tenancy.isolation.embeddings"] with input as bundle(t)
		gate.status == "fail"
		count(gate.reasons) == 1
		has_reason(gate, "violation", "/isolationTests/5/outcome")
	}
}

test_isolation_passed_run_recorded_with_a_short_hash_counts_for_the_released_revision if {
	t := object.union(good, {"isolationTests": [object.union(x, {"revision": substring(rev, 0, 7)}) | some x in good.isolationTests]})
	gate := tenancy.gates["tenancy.isolation.meeting-prep"] with input as bundle(t)
	gate == {"status": "pass", "reasons": []}
}

test_isolation_failed_full_hash_run_fails_when_the_release_records_a_short_hash if {
	t := with_runs([{"path": "gmail-documents", "name": "rerun", "revision": rev, "date": "2026-11-20", "outcome": "failed"}])
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle_env("prod", t, object.union(release, {"revision": substring(rev, 0, 8)}))
	gate.status == "fail"
	has_reason(gate, "violation", "/isolationTests/5/outcome")
}

test_isolation_a_prefix_too_short_to_tell_is_never_ignored if {
	t := with_runs([{"path": "gmail-documents", "name": "short", "revision": substring(rev, 0, 4), "date": "2026-11-20", "outcome": "passed"}])
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(t)
	gate.status == "fail"
	has_reason(gate, "violation", "/isolationTests/5/revision")
}

test_isolation_a_revision_sharing_only_a_short_prefix_is_another_revision if {
	other := concat("", [substring(rev, 0, 7), "0000000000000000000000000000000000000000"])
	t := with_runs([{"path": "gmail-documents", "name": "old", "revision": substring(other, 0, 40), "date": "2026-11-01", "outcome": "failed"}])
	gate := tenancy.gates["tenancy.isolation.gmail-documents"] with input as bundle(t)
	gate == {"status": "pass", "reasons": []}
}
