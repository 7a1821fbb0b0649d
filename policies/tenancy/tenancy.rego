# METADATA
# title: Multi-Tenant Isolation Gates (Pass/Fail)
# description: |
#   Cross-org isolation tests of the released revision for every data path, no shared
#   cache or background workflow that can mix org scopes, and org scoping of every demo RPC.
package checklist.tenancy

import data.prodgate.lib

# --- tenancy.isolation -------------------------------------------------------

# METADATA
# title: "Cross-org isolation tests exist and pass for:"
# description: Cross-org isolation tests exist and pass for all five data paths (the children).
# custom:
#   id: tenancy.isolation
#   section: tenancy
#   severity: critical
#   evidence: [tenancy, release]
#   rules:
#     default: All five children pass.
#   remediation: Fix the failing child gates below.
gates["tenancy.isolation"] := lib.applicable

# METADATA
# title: Gmail -> Documents materialization mapping
# description: Cross-org isolation tests of the Gmail to Documents materialization mapping ran against the released revision and passed.
# custom:
#   id: tenancy.isolation.gmail-documents
#   section: tenancy
#   severity: critical
#   parent: tenancy.isolation
#   evidence: [tenancy, release]
#   recorded:
#     prod: ["tenancy:/isolationTests/*"]
#   rules:
#     default: At least one isolationTests entry with path gmail-documents ran against the released revision; every such entry passed (a skipped test is not a pass) and is dated on or before the as-of date. Entries of other revisions are informational only.
#   remediation: Run the gmail-documents cross-org isolation tests against the released revision and record each passed run in the tenancy evidence.
gates["tenancy.isolation.gmail-documents"] := isolation_gate("gmail-documents")

# METADATA
# title: Knowledge queries (entities/relations/mentions)
# description: Cross-org isolation tests of the knowledge queries (entities, relations, mentions) ran against the released revision and passed.
# custom:
#   id: tenancy.isolation.knowledge-queries
#   section: tenancy
#   severity: critical
#   parent: tenancy.isolation
#   evidence: [tenancy, release]
#   recorded:
#     prod: ["tenancy:/isolationTests/*"]
#   rules:
#     default: At least one isolationTests entry with path knowledge-queries ran against the released revision; every such entry passed (a skipped test is not a pass) and is dated on or before the as-of date. Entries of other revisions are informational only.
#   remediation: Run the knowledge-queries cross-org isolation tests against the released revision and record each passed run in the tenancy evidence.
gates["tenancy.isolation.knowledge-queries"] := isolation_gate("knowledge-queries")

# METADATA
# title: Embeddings/vector search paths
# description: Cross-org isolation tests of the embeddings and vector search paths ran against the released revision and passed.
# custom:
#   id: tenancy.isolation.embeddings
#   section: tenancy
#   severity: critical
#   parent: tenancy.isolation
#   evidence: [tenancy, release]
#   recorded:
#     prod: ["tenancy:/isolationTests/*"]
#   rules:
#     default: At least one isolationTests entry with path embeddings ran against the released revision; every such entry passed (a skipped test is not a pass) and is dated on or before the as-of date. Entries of other revisions are informational only.
#   remediation: Run the embeddings cross-org isolation tests against the released revision and record each passed run in the tenancy evidence.
gates["tenancy.isolation.embeddings"] := isolation_gate("embeddings")

# METADATA
# title: Evidence listing + highlight paths
# description: Cross-org isolation tests of the evidence listing and highlight paths ran against the released revision and passed.
# custom:
#   id: tenancy.isolation.evidence-listing
#   section: tenancy
#   severity: critical
#   parent: tenancy.isolation
#   evidence: [tenancy, release]
#   recorded:
#     prod: ["tenancy:/isolationTests/*"]
#   rules:
#     default: At least one isolationTests entry with path evidence-listing ran against the released revision; every such entry passed (a skipped test is not a pass) and is dated on or before the as-of date. Entries of other revisions are informational only.
#   remediation: Run the evidence-listing cross-org isolation tests against the released revision and record each passed run in the tenancy evidence.
gates["tenancy.isolation.evidence-listing"] := isolation_gate("evidence-listing")

# METADATA
# title: Meeting-prep generation + persisted citations
# description: Cross-org isolation tests of meeting-prep generation and its persisted citations ran against the released revision and passed.
# custom:
#   id: tenancy.isolation.meeting-prep
#   section: tenancy
#   severity: critical
#   parent: tenancy.isolation
#   evidence: [tenancy, release]
#   recorded:
#     prod: ["tenancy:/isolationTests/*"]
#   rules:
#     default: At least one isolationTests entry with path meeting-prep ran against the released revision; every such entry passed (a skipped test is not a pass) and is dated on or before the as-of date. Entries of other revisions are informational only.
#   remediation: Run the meeting-prep cross-org isolation tests against the released revision and record each passed run in the tenancy evidence.
gates["tenancy.isolation.meeting-prep"] := isolation_gate("meeting-prep")

isolation_kinds := ["tenancy", "release"]

isolation_gate(path) := lib.decide(isolation_kinds, isolation_reasons(path))

all_isolation_tests := t if {
	t := object.get(lib.evidence("tenancy"), "isolationTests", null)
	is_array(t)
} else := []

# The claimed isolation tests, by index; the recorded ones (recordedBy) are judged from
# their artifact (recorded_isolation_reasons).
isolation_tests[i] := t if {
	some i, t in all_isolation_tests
	not lib.is_recorded(t)
}

recorded_isolation_tests(path) := {i | some i, t in all_isolation_tests; lib.is_recorded(t); lib.get(t, "path", null) == path}

# The pack default: a recorded isolation test of a path is every test tagged [org-iso:<path>].
recorded_isolation_reasons(path) := {r |
	some i in recorded_isolation_tests(path)
	some r in lib.recorded_test_reasons("tenancy", sprintf("/isolationTests/%d", [i]), concat("", ["org-iso:", path]))
}

released_revision := r if {
	r := object.get(lib.evidence("release"), "revision", null)
	lib.non_empty_string(r)
}

# gates.md: at least one test of the path ran against the released revision, and every
# such test passed. Runs on other revisions are informational only: an older passed (or
# failed) run neither fails the gate nor counts towards it. A run that records no revision
# cannot be placed, so it is judged as if it were of the released one (fail closed).
isolation_reasons(path) := ((((no_test_reasons(path) | no_revision_reasons) | not_released_reasons(path)) | recorded_isolation_reasons(path)) | {r |
	some i, t in isolation_tests
	lib.get(t, "path", null) == path
	not other_revision(t)
	some r in isolation_test_reasons(i, t)
}) | ambiguous_revision_reasons(path)

# A run whose revision shares fewer than 7 hex digits with the released one may or may not
# be of it: judged like a run of it, and failed for the revision it cannot pin down.
ambiguous_revision_reasons(path) := {r |
	some i, t in isolation_tests
	lib.get(t, "path", null) == path
	rev := lib.get(t, "revision", null)
	lib.non_empty_string(rev)
	lib.revision_ambiguous(rev, released_revision)
	r := lib.violation("tenancy", sprintf("/isolationTests/%d/revision", [i]), sprintf("isolation test %s ran against revision %s, too short to tell whether it is the released revision %s (at least 7 hex digits)", [isolation_test_label(i, t), rev, released_revision]))
}

# A run whose recorded revision cannot name the released one. A run of a revision that may
# be the released one (the full hash, an abbreviation of it, or it of an abbreviated
# released revision: lib.revision_may_match) is never another revision: it is judged, and
# failing, skipped or undated it fails the gate.
other_revision(t) if {
	rev := lib.get(t, "revision", null)
	lib.non_empty_string(rev)
	released_revision
	not lib.revision_may_match(rev, released_revision)
}

# Tests of the path exist, but none ran against the released revision.
not_released_reasons(path) := {lib.stale("tenancy", sprintf("/isolationTests/%d/revision", [i]), msg)} if {
	released_revision
	others := [i | some i, t in isolation_tests; lib.get(t, "path", null) == path; other_revision(t)]
	count(others) > 0
	count([t | some t in isolation_tests; lib.get(t, "path", null) == path; not other_revision(t)]) == 0
	count(recorded_isolation_tests(path)) == 0
	i := others[0]
	t := isolation_tests[i]
	msg := sprintf("no cross-org isolation test for path %s ran against the released revision %s (isolation test %s ran against revision %s)", [path, released_revision, isolation_test_label(i, t), t.revision])
} else := set()

no_test_reasons(path) := {lib.missing("tenancy", "/isolationTests", sprintf("no cross-org isolation test for path %s", [path]))} if {
	count([t | some t in isolation_tests; lib.get(t, "path", null) == path]) == 0
	count(recorded_isolation_tests(path)) == 0
} else := set()

no_revision_reasons := {lib.missing("release", "/revision", "the release evidence names no revision, so no isolation test can be matched to the released revision")} if {
	not released_revision
} else := set()

isolation_test_reasons(i, t) := ((({r |
	rev := lib.get(t, "revision", null)
	not lib.non_empty_string(rev)
	r := lib.missing("tenancy", sprintf("/isolationTests/%d/revision", [i]), sprintf("isolation test %s records no revision", [isolation_test_label(i, t)]))
} | {r |
	lib.get(t, "outcome", null) == null
	r := lib.missing("tenancy", sprintf("/isolationTests/%d/outcome", [i]), sprintf("isolation test %s records no outcome", [isolation_test_label(i, t)]))
}) | {r |
	outcome := lib.get(t, "outcome", null)
	outcome != null
	outcome != "passed"
	r := lib.violation("tenancy", sprintf("/isolationTests/%d/outcome", [i]), sprintf("isolation test %s outcome is %s, not passed", [isolation_test_label(i, t), lib.show(outcome)]))
}) | {r |
	not lib.is_date(lib.get(t, "date", null))
	r := lib.missing("tenancy", sprintf("/isolationTests/%d/date", [i]), sprintf("isolation test %s has no date (YYYY-MM-DD)", [isolation_test_label(i, t)]))
}) | {r |
	d := lib.get(t, "date", null)
	lib.is_date(d)
	not lib.not_after_as_of(d)
	r := lib.violation("tenancy", sprintf("/isolationTests/%d/date", [i]), sprintf("isolation test %s is dated %s, after the as-of date %s", [isolation_test_label(i, t), d, input.as_of]))
}

isolation_test_label(i, t) := json.marshal(t.name) if {
	lib.non_empty_string(lib.get(t, "name", null))
} else := sprintf("#%d", [i])

# --- tenancy.no-shared-scope -------------------------------------------------

# METADATA
# title: No shared caches or background workflows can mix org scopes.
# description: Every cache and background workflow is listed (no workflow listed contradicts observability queuesOrWorkflows true), and each is keyed by org or explicitly org-agnostic with a reason.
# custom:
#   id: tenancy.no-shared-scope
#   section: tenancy
#   severity: critical
#   evidence: [tenancy, observability]
#   rules:
#     default: sharedScope.caches and sharedScope.workflows are both listed; each entry is named and is orgKeyed, or not orgKeyed with a non-empty orgAgnosticReason; sharedScope.workflows is not empty when observability queuesOrWorkflows is true.
#   remediation: List every cache and background workflow under sharedScope and key each by org, or record why it holds no tenant data.
gates["tenancy.no-shared-scope"] := lib.decide(["tenancy", "observability"], shared_scope_reasons)

shared_scope_groups := {"caches": "cache", "workflows": "background workflow"}

shared_scope_reasons contains r if {
	some group, _ in shared_scope_groups
	not is_array(object.get(lib.evidence("tenancy"), ["sharedScope", group], null))
	r := lib.missing("tenancy", sprintf("/sharedScope/%s", [group]), sprintf("sharedScope.%s is not listed (list every one, or an empty list when there is none)", [group]))
}

shared_scope_reasons contains r if {
	some group, what in shared_scope_groups
	entries := object.get(lib.evidence("tenancy"), ["sharedScope", group], null)
	is_array(entries)
	some i, e in entries
	some r in shared_entry_reasons(group, what, i, e)
}

# The observability evidence says the release has queues or background workflows, so an
# empty workflow list contradicts it (a workflow that is not listed is not checked).
shared_scope_reasons contains r if {
	object.get(lib.evidence("observability"), "queuesOrWorkflows", null) == true
	object.get(lib.evidence("tenancy"), ["sharedScope", "workflows"], null) == []
	r := {
		"code": "violation",
		"message": "sharedScope.workflows is empty, but the observability evidence says the release has queues or background workflows (queuesOrWorkflows: true); list every background workflow",
		"evidence": [
			{"file": lib.file_of("tenancy"), "pointer": "/sharedScope/workflows"},
			{"file": lib.file_of("observability"), "pointer": "/queuesOrWorkflows"},
		],
	}
}

shared_entry_reasons(group, what, i, e) := ({r |
	not lib.non_empty_string(lib.get(e, "name", null))
	r := lib.missing("tenancy", sprintf("/sharedScope/%s/%d/name", [group, i]), sprintf("%s #%d has no name", [what, i]))
} | {r |
	not is_boolean(lib.get(e, "orgKeyed", null))
	r := lib.missing("tenancy", sprintf("/sharedScope/%s/%d/orgKeyed", [group, i]), sprintf("%s %s does not say whether it is keyed by org", [what, entry_label(i, e)]))
}) | {r |
	lib.get(e, "orgKeyed", null) == false
	not lib.non_empty_string(lib.get(e, "orgAgnosticReason", null))
	r := lib.missing("tenancy", sprintf("/sharedScope/%s/%d/orgAgnosticReason", [group, i]), sprintf("%s %s is not keyed by org and gives no orgAgnosticReason", [what, entry_label(i, e)]))
}

entry_label(i, e) := json.marshal(e.name) if {
	lib.non_empty_string(lib.get(e, "name", null))
} else := sprintf("#%d", [i])

# --- tenancy.org-scoping -----------------------------------------------------

# METADATA
# title: Table-level and query-level org scoping is consistent across all demo RPCs.
# description: Every demo RPC has both table-level and query-level org scoping; a failure names every RPC that does not.
# custom:
#   id: tenancy.org-scoping
#   section: tenancy
#   severity: critical
#   evidence: [tenancy]
#   rules:
#     default: orgScoping.rpcs lists the demo RPCs (at least one) and every one has tableScoped true and queryScoped true.
#   remediation: Add the missing table-level and query-level org scoping to the named RPCs and record it under orgScoping.rpcs.
gates["tenancy.org-scoping"] := lib.decide(["tenancy"], org_scoping_reasons)

rpcs := r if {
	r := object.get(lib.evidence("tenancy"), ["orgScoping", "rpcs"], null)
	is_array(r)
} else := []

scoping_levels := ["tableScoped", "queryScoped"]

# The unscoped levels of one RPC, in a stable order.
unscoped(rpc) := [level | some level in scoping_levels; lib.get(rpc, level, null) != true]

unscoped_rpcs := [i | some i, rpc in rpcs; count(unscoped(rpc)) > 0]

org_scoping_reasons contains r if {
	count(rpcs) == 0
	r := lib.missing("tenancy", "/orgScoping/rpcs", "orgScoping.rpcs lists no demo RPC")
}

org_scoping_reasons contains r if {
	some i, rpc in rpcs
	not lib.non_empty_string(lib.get(rpc, "name", null))
	r := lib.missing("tenancy", sprintf("/orgScoping/rpcs/%d/name", [i]), sprintf("RPC #%d has no name", [i]))
}

# ONE reason that names every RPC lacking scoping, pointing at each missing level.
org_scoping_reasons contains r if {
	count(unscoped_rpcs) > 0
	names := [sprintf("%s (%s)", [rpc_label(i, rpcs[i]), concat(", ", unscoped(rpcs[i]))]) | some i in unscoped_rpcs]
	r := {
		"code": "violation",
		"message": sprintf("%d RPC(s) lack table-level and/or query-level org scoping: %s", [count(unscoped_rpcs), concat("; ", names)]),
		"evidence": [{"file": lib.file_of("tenancy"), "pointer": sprintf("/orgScoping/rpcs/%d/%s", [i, level])} |
			some i in unscoped_rpcs
			some level in unscoped(rpcs[i])
		],
	}
}

rpc_label(i, rpc) := rpc.name if {
	lib.non_empty_string(lib.get(rpc, "name", null))
} else := sprintf("rpcs[%d] (unnamed)", [i])

# --- helpers -----------------------------------------------------------------

# show renders any value for a message: under opa-wasm sprintf is sprintf-js, so only
# strings go to %s (no %q, and %v throws on null).
lib["show"](v) := v if {
	is_string(v)
} else := json.marshal(v)
