# ops gates recorded from configuration files (docs/artifacts.md).
package prodgate.ops_config_test

import data.checklist.ops

rev := "3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a"

migrations_fact(m) := {
	"artifact": "wf", "file": "config/release.yml", "sha256": "ab", "format": "github-actions",
	"valid": true, "problems": [], "type": "config", "tool": {}, "revision": rev,
	"selected": true, "selector": "the whole file", "config": {"migrations": m},
}

proven := {"job": {"id": "server-migrate", "line": 30, "column": 3}, "runsBeforeDeploy": true, "serialized": true, "problems": []}

recorded_input(m) := {
	"env": "prod", "as_of": "2026-11-25", "links": {},
	"evidence": {
		"ops": {"file": "ops.yaml", "valid": true, "data": {"kind": "ops", "schemaVersion": 1, "migrations": {"recordedBy": {"artifact": "wf"}}}},
		"release": {"file": "release.yaml", "valid": true, "data": {"revision": rev}},
	},
	"recorded": {"ops": {"/migrations": migrations_fact(m)}},
}

test_recorded_migrations_pass if {
	ops.gates["ops.migrations"].status == "pass" with input as recorded_input(proven)
}

test_recorded_migrations_not_waited_for_fail_at_the_deploy_job if {
	m := object.union(proven, {"runsBeforeDeploy": false, "problems": [{"code": "violation", "message": "deploy job deploy-server does not wait", "line": 39, "column": 3}]})
	gate := ops.gates["ops.migrations"] with input as recorded_input(m)
	gate.status == "fail"
	gate.reasons[0].evidence[0].line == 39
}

test_recorded_migrations_not_serialized_fail_even_without_a_problem if {
	gate := ops.gates["ops.migrations"] with input as recorded_input(object.union(proven, {"serialized": false}))
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}

test_recorded_migrations_without_a_job_fail if {
	gate := ops.gates["ops.migrations"] with input as recorded_input(object.remove(proven, ["job"]))
	gate.status == "fail"
}

# --- backups and secrets recorded from the release manifests -----------------------

manifests_fact(config) := {
	"artifact": "m", "file": "config/manifests.yaml", "sha256": "ab", "format": "kubernetes",
	"valid": true, "problems": [], "type": "config", "tool": {}, "revision": rev,
	"selected": true, "selector": "the whole file", "config": config,
}

hourly := {"kind": "ScheduledBackup", "name": "pg-hourly", "targets": ["postgres-main"], "schedule": "0 0 * * * *", "intervalMinutes": 60, "suspended": false, "dataIncluded": true, "problems": [], "line": 31, "column": 3}

ops_data := {
	"kind": "ops", "schemaVersion": 1,
	"backups": {"datastores": [{"name": "postgres-main", "holdsData": true, "recordedBy": {"artifact": "m"}}]},
	"dr": {"rpo": "4h", "rto": "8h"},
	"secretsManager": {"name": "AWS Secrets Manager", "rotationPlan": "evidence/docs/ops/secret-rotation.md", "recordedBy": {"artifact": "m"}},
}

manifests_input(config) := {
	"env": "prod", "as_of": "2026-11-25",
	"links": {"evidence/docs/ops/secret-rotation.md": {"ok": true}},
	"evidence": {
		"ops": {"file": "ops.yaml", "valid": true, "data": ops_data},
		"release": {"file": "release.yaml", "valid": true, "data": {"revision": rev}},
	},
	"recorded": {"ops": {
		"/backups/datastores/0": manifests_fact(config),
		"/secretsManager": manifests_fact(config),
	}},
}

test_recorded_backups_pass_and_meet_the_rpo if {
	cfg := {"backups": {"backups": [hourly], "problems": []}}
	ops.gates["ops.backups.automated"].status == "pass" with input as manifests_input(cfg)
	ops.gates["ops.dr.rpo-rto"].status == "pass" with input as manifests_input(cfg)
}

test_a_daily_backup_exceeds_a_4h_rpo_at_its_schedule if {
	cfg := {"backups": {"backups": [object.union(hourly, {"intervalMinutes": 1440})], "problems": []}}
	gate := ops.gates["ops.dr.rpo-rto"] with input as manifests_input(cfg)
	gate.status == "fail"
	gate.reasons[0].evidence[0] == {"file": "config/manifests.yaml", "pointer": "", "line": 31, "column": 3}
}

test_a_suspended_backup_is_no_backup if {
	cfg := {"backups": {"backups": [object.union(hourly, {"suspended": true})], "problems": []}}
	gate := ops.gates["ops.backups.automated"] with input as manifests_input(cfg)
	gate.status == "fail"
	contains(gate.reasons[0].message, "paused or suspended")
	ops.gates["ops.dr.rpo-rto"].status == "fail" with input as manifests_input(cfg)
}

test_a_backup_of_another_datastore_does_not_count if {
	cfg := {"backups": {"backups": [object.union(hourly, {"targets": ["other"]})], "problems": []}}
	gate := ops.gates["ops.backups.automated"] with input as manifests_input(cfg)
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}

test_a_velero_schedule_of_every_namespace_targets_all if {
	cfg := {"backups": {"backups": [object.union(hourly, {"kind": "Schedule", "targets": ["nightly", "*"]})], "problems": []}}
	ops.gates["ops.backups.automated"].status == "pass" with input as manifests_input(cfg)
}

test_a_backup_problem_is_a_reason_at_its_line if {
	problem := {"code": "violation", "message": "copies the objects, not the data", "line": 40, "column": 5}
	cfg := {"backups": {"backups": [object.union(hourly, {"dataIncluded": false, "problems": [problem]})], "problems": []}}
	gate := ops.gates["ops.backups.automated"] with input as manifests_input(cfg)
	gate.status == "fail"
	gate.reasons[0].evidence[0].line == 40
}

test_recorded_secrets_pass_when_managed if {
	cfg := {"secrets": {"managed": true, "problems": []}}
	ops.gates["ops.secrets-manager"].status == "pass" with input as manifests_input(cfg)
}

test_recorded_secrets_fail_with_a_secret_in_the_manifests if {
	cfg := {"secrets": {"managed": false, "problems": [{"code": "violation", "message": "Secret smtp carries 1 value(s)", "line": 70, "column": 1}]}}
	gate := ops.gates["ops.secrets-manager"] with input as manifests_input(cfg)
	gate.status == "fail"
	gate.reasons[0].evidence[0].line == 70
}

test_recorded_secrets_without_the_topic_fail if {
	gate := ops.gates["ops.secrets-manager"] with input as manifests_input({})
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
}
