# Recorded facts from artifacts (docs/artifacts.md): the collect stage reads the
# artifacts the evidence names and puts, for every evidence object with recordedBy,
# the recorded fact in input.recorded[kind][pointer], and each artifact in
# input.artifacts[id]. These helpers turn a recorded fact into reasons, each pointing
# at the artifact's file, line and column.
package prodgate.lib

# is_recorded: the evidence object says its fact is recorded from an artifact.
is_recorded(v) if is_object(object.get(v, "recordedBy", null))

# recorded_fact: the fact recorded for the object at pointer. A test selection
# without criteria takes the pack default: the cases tagged default_tag.
recorded_fact(kind, pointer, default_tag) := f if {
	f := input.recorded[kind][pointer]
	f.selected == true
} else := f if {
	r := input.recorded[kind][pointer]
	default_tag != ""
	tags := object.get(input, ["artifacts", r.artifact, "tags"], {})
	t := object.get(tags, default_tag, {"matched": 0, "outcome": "missing"})
	f := object.union(object.union(r, t), {"selected": true, "selector": concat("", ["tag [", default_tag, "]"])})
} else := f if {
	f := input.recorded[kind][pointer]
} else := {"valid": false, "file": file_of(kind), "problems": [{"message": "the recorded fact was not collected", "pointer": pointer, "line": 1, "column": 1}]}

# artifact_ref: a reference into an artifact at a line and column.
artifact_ref(f, line, column) := {"file": f.file, "pointer": "", "line": line, "column": column}

recorded_by_ref(kind, pointer) := {"file": file_of(kind), "pointer": concat("", [pointer, "/recordedBy"])}

# recorded_reason: a reason about a recorded fact, at the artifact place and at the recordedBy that names it.
recorded_reason(code, kind, pointer, f, line, column, message) := {
	"code": code,
	"message": message,
	"evidence": [artifact_ref(f, line, column), recorded_by_ref(kind, pointer)],
}

# artifact_invalid_reasons: the artifact cannot be read or trusted (the gate is error).
artifact_invalid_reasons(kind, pointer, f) := {r |
	some p in object.get(f, "problems", [])
	r := recorded_reason("invalid-evidence", kind, pointer, f, p.line, p.column, sprintf("artifact %s cannot be used: %s", [f.file, p.message]))
} | {r |
	count(object.get(f, "problems", [])) == 0
	r := recorded_reason("invalid-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s cannot be used", [f.file]))
}

# recorded_test_reasons: why the selected tests do not show a pass of the released
# revision, on or before the as-of date; empty exactly when they do.
recorded_test_reasons(kind, pointer, default_tag) := artifact_invalid_reasons(kind, pointer, f) if {
	f := recorded_fact(kind, pointer, default_tag)
	f.valid != true
} else := (selection_reasons(kind, pointer, f) | recorded_revision_reasons(kind, pointer, f)) | recorded_date_reasons(kind, pointer, f) if {
	f := recorded_fact(kind, pointer, default_tag)
	f.type == "tests"
} else := {recorded_reason("invalid-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s is not a test report", [f.file]))} if {
	f := recorded_fact(kind, pointer, default_tag)
}

outcome_words := {
	"failed": "failed",
	"error": "ended in an error",
	"skipped": "was skipped, which is not a pass",
	"flaky": "passed only on a retry (flaky), which is not a pass",
}

selection_reasons(kind, pointer, f) := ({r |
	object.get(f, "selected", false) != true
	r := recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("recordedBy names no tests of %s: give a tag, property, classname, file or name", [f.file]))
} | {r |
	f.selected == true
	f.matched == 0
	r := recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("no test in %s matches %s", [f.file, f.selector]))
}) | {r |
	f.selected == true
	f.matched > 0
	f.outcome != "passed"
	bad := f.matched - f.counts.passed
	r := recorded_reason("violation", kind, pointer, f, f.worst.line, f.worst.column, sprintf("test \"%s\" %s (%d of %d tests with %s not passed)", [f.worst.name, outcome_words[f.outcome], bad, f.matched, f.selector]))
}

# recorded_revision_reasons: the artifact must name the released revision.
recorded_revision_reasons(kind, pointer, f) := ({r |
	not non_empty_string(object.get(f, "revision", null))
	r := recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s names no revision (give revision in the artifacts evidence when the tool does not record it)", [f.file]))
} | {r |
	rev := object.get(f, "revision", null)
	non_empty_string(rev)
	released := object.get(evidence("release"), "revision", null)
	non_empty_string(released)
	rev != released
	r := recorded_reason("stale-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s is of revision %s, not the released revision %s", [f.file, rev, released]))
}) | {r |
	not non_empty_string(object.get(evidence("release"), "revision", null))
	r := missing("release", "/revision", "the release evidence names no revision to bind the artifacts to")
}

# recorded_date_reasons: the artifact must be dated, on or before the as-of date.
recorded_date_reasons(kind, pointer, f) := {r |
	not is_date(object.get(f, "date", null))
	r := recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s carries no date (give date in the artifacts evidence when the tool does not record it)", [f.file]))
} | {r |
	d := object.get(f, "date", null)
	is_date(d)
	not not_after_as_of(d)
	r := recorded_reason("stale-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s is dated %s, after the as-of date %s", [f.file, d, input.as_of]))
}

# recorded_scan_reasons: why a recorded scan does not show a clean scan of the released
# revision that ran; empty exactly when it does.
recorded_scan_reasons(kind, pointer) := artifact_invalid_reasons(kind, pointer, f) if {
	f := recorded_fact(kind, pointer, "")
	f.valid != true
} else := (scan_result_reasons(kind, pointer, f) | recorded_revision_reasons(kind, pointer, f)) | recorded_date_reasons(kind, pointer, f) if {
	f := recorded_fact(kind, pointer, "")
	f.type == "scan"
} else := {recorded_reason("invalid-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s is not a scan report", [f.file]))} if {
	f := recorded_fact(kind, pointer, "")
}

scan_result_reasons(kind, pointer, f) := {r |
	f.ran != true
	f.openFindings == 0
	r := recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("scan report %s has no findings but does not show that the scan ran (tool, version and a successful invocation); an empty report is not a clean scan", [f.file]))
} | {r |
	f.openFindings > 0
	first := f.findings[0]
	r := recorded_reason("violation", kind, pointer, f, first.line, first.column, sprintf("scan report %s has %d open finding(s), the first %s at %s; a finding closes only with an accepted suppression", [f.file, f.openFindings, first.rule, object.get(first, "location", "(no location)")]))
}
