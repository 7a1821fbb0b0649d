package checklist.runbook_test

import data.checklist.runbook

good := {
	"kind": "runbook",
	"schemaVersion": 1,
	"primary": "docs/runbooks/release.md",
	"rollback": "docs/runbooks/rollback.md",
	"backupRestore": "docs/ops/restore.md",
	"knownIssues": "https://issues.example/known",
}

ok_links := {
	"docs/runbooks/release.md": {"ok": true},
	"docs/runbooks/rollback.md": {"ok": true},
	"docs/ops/restore.md": {"ok": true},
	"https://issues.example/known": {"ok": true},
}

bundle(data_, links) := {
	"env": "prod",
	"as_of": "2026-11-25",
	"evidence": {"runbook": {"file": "evidence/prod/runbook.yaml", "valid": true, "data": data_}},
	"links": links,
}

test_all_links_resolve_pass if {
	gates := runbook.gates with input as bundle(good, ok_links)
	every id in ["runbook.primary", "runbook.rollback", "runbook.backup-restore", "runbook.known-issues"] {
		gates[id].status == "pass"
	}
}

# A link to a file that does not exist (prodgate marks it missing) points at a runbook
# that is not there: missing evidence, which no waiver can accept.
test_missing_file_link_fails_as_missing if {
	links := object.union(ok_links, {"docs/ops/restore.md": {"ok": false, "problem": "no such file in the repository", "missing": true}})
	gate := runbook.gates["runbook.backup-restore"] with input as bundle(good, links)
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
	gate.reasons[0].message == "link \"docs/ops/restore.md\" is not usable: no such file in the repository"
	gate.reasons[0].evidence[0].pointer == "/backupRestore"
}

# A link that is there but not acceptable (plain http) is a violation of present evidence.
test_http_link_fails_as_violation if {
	known := object.union(good, {"knownIssues": "http://wiki.example/known"})
	links := object.union(ok_links, {"http://wiki.example/known": {"ok": false, "problem": "a URL must be https, not http"}})
	gate := runbook.gates["runbook.known-issues"] with input as bundle(known, links)
	gate.status == "fail"
	gate.reasons[0].code == "violation"
	gate.reasons[0].evidence[0].pointer == "/knownIssues"
}

test_absent_link_fails_as_missing if {
	gate := runbook.gates["runbook.rollback"] with input as bundle(object.remove(good, ["rollback"]), ok_links)
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}

test_unresolved_link_fails if {
	gate := runbook.gates["runbook.primary"] with input as bundle(good, {})
	gate.status == "fail"
}

test_missing_runbook_evidence_fails if {
	gate := runbook.gates["runbook.known-issues"] with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}

test_invalid_runbook_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"runbook": {
		"file": "evidence/prod/runbook.yaml",
		"valid": false,
		"problems": [{"pointer": "/primary", "message": "must be string"}],
	}}}
	gate := runbook.gates["runbook.primary"] with input as inp
	gate.status == "error"
	gate.reasons[0].code == "invalid-evidence"
}
