package checklist.ops_test

import data.checklist.ops

good := {
	"kind": "ops",
	"schemaVersion": 1,
	"migrations": {"job": "server-migrate", "runsBeforeDeploy": true, "serialized": true},
	"backups": {
		"datastores": [
			{"name": "postgres-main", "holdsData": true, "automated": true, "interval": "1h"},
			{"name": "redis-sessions", "holdsData": false, "automated": false},
		],
		"restore": {"procedure": "evidence/docs/ops/restore.md", "estimate": "2h"},
	},
	"dr": {
		"rpo": "4h",
		"rto": "8h",
		"tabletop": {"date": "2026-10-02", "notes": "Simulated loss of the primary database; restored from snapshot in 1h40m."},
	},
	"secretsManager": {
		"name": "AWS Secrets Manager",
		"plainFileSecrets": [],
		"rotationPlan": "evidence/docs/ops/secret-rotation.md",
	},
	"slos": [
		{"type": "availability", "target": "99.9%", "window": "30d"},
		{"type": "error-rate", "target": "< 1%", "window": "30d"},
		{"type": "latency", "target": "p95 < 800ms", "window": "30d", "covers": ["/knowledge/search", "/knowledge/entities", "/knowledge/meeting-prep"]},
	],
}

ok_links := {
	"evidence/docs/ops/restore.md": {"ok": true},
	"evidence/docs/ops/secret-rotation.md": {"ok": true},
}

bundle_env(env, d) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {"ops": {"file": "evidence/prod/ops.yaml", "valid": true, "data": d}},
	"links": ok_links,
}

bundle(d) := bundle_env("prod", d)

staging(d) := bundle_env("staging", d)

set_at(arr, i, v) := array.concat(array.concat(array.slice(arr, 0, i), [v]), array.slice(arr, i + 1, count(arr)))

# good with backups.datastores[i] merged with patch
with_datastore(i, patch) := object.union(good, {"backups": {"datastores": set_at(good.backups.datastores, i, object.union(good.backups.datastores[i], patch))}})

with_slo(i, s) := object.union(good, {"slos": set_at(good.slos, i, s)})

child_ids := [
	"ops.migrations",
	"ops.backups.automated",
	"ops.backups.restore",
	"ops.dr.rpo-rto",
	"ops.dr.tabletop",
	"ops.secrets-manager",
	"ops.slos",
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
		gates := ops.gates with input as bundle_env(env, good)
		every id in array.concat(child_ids, ["ops.backups", "ops.dr"]) {
			gates[id].status == "pass"
		}
	}
}

test_missing_ops_evidence_fails_every_gate if {
	gates := ops.gates with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	every id in child_ids {
		gates[id].status == "fail"
		gates[id].reasons[0].code == "missing-evidence"
		gates[id].reasons[0].evidence[0].file == "(no ops evidence)"
	}
}

test_invalid_ops_evidence_is_error_for_every_gate if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": ok_links, "evidence": {"ops": {
		"file": "evidence/prod/ops.yaml",
		"valid": false,
		"problems": [{"pointer": "/dr/rpo", "message": "must match pattern"}],
	}}}
	gates := ops.gates with input as inp
	every id in child_ids {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

# --- ops.migrations --------------------------------------------------------------

test_migrations_not_before_deploy_fails if {
	gate := ops.gates["ops.migrations"] with input as bundle(object.union(good, {"migrations": {"runsBeforeDeploy": false}}))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "violation", "/migrations/runsBeforeDeploy")
}

test_migrations_unrecorded_serialization_fails_missing if {
	d := object.union(object.remove(good, ["migrations"]), {"migrations": {"job": "server-migrate", "runsBeforeDeploy": true}})
	gate := ops.gates["ops.migrations"] with input as bundle(d)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/migrations/serialized")
}

test_migrations_absent_fails_every_field if {
	gate := ops.gates["ops.migrations"] with input as staging(object.remove(good, ["migrations"]))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/migrations/job")
	has_reason(gate, "missing-evidence", "/migrations/runsBeforeDeploy")
	has_reason(gate, "missing-evidence", "/migrations/serialized")
}

# --- ops.backups.automated ---------------------------------------------------------

test_backups_not_automated_for_data_store_fails if {
	gate := ops.gates["ops.backups.automated"] with input as bundle(with_datastore(0, {"automated": false}))
	gate.status == "fail"
	has_reason(gate, "violation", "/backups/datastores/0/automated")
	contains(gate.reasons[0].message, "postgres-main")
}

test_backups_store_without_data_needs_no_backup if {
	gate := ops.gates["ops.backups.automated"] with input as bundle(with_datastore(1, {"holdsData": false, "automated": false}))
	gate.status == "pass"
}

test_backups_invalid_interval_fails if {
	gate := ops.gates["ops.backups.automated"] with input as bundle(with_datastore(0, {"interval": "hourly"}))
	gate.status == "fail"
	has_reason(gate, "violation", "/backups/datastores/0/interval")
}

test_backups_missing_interval_fails_missing if {
	d := object.union(good, {"backups": {"datastores": set_at(good.backups.datastores, 0, {"name": "postgres-main", "holdsData": true, "automated": true})}})
	gate := ops.gates["ops.backups.automated"] with input as bundle(d)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/backups/datastores/0/interval")
}

test_backups_unknown_holds_data_fails_missing if {
	d := object.union(good, {"backups": {"datastores": set_at(good.backups.datastores, 1, {"name": "redis-sessions", "automated": false})}})
	gate := ops.gates["ops.backups.automated"] with input as bundle(d)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/backups/datastores/1/holdsData")
}

test_backups_no_datastores_fails_missing if {
	gate := ops.gates["ops.backups.automated"] with input as staging(object.union(good, {"backups": {"datastores": []}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/backups/datastores")
}

# --- ops.backups.restore ------------------------------------------------------------

test_restore_broken_link_fails if {
	inp := object.union(bundle(good), {"links": {"evidence/docs/ops/restore.md": {"ok": false, "problem": "no such file in the repository"}}})
	gate := ops.gates["ops.backups.restore"] with input as inp
	gate.status == "fail"
	has_reason(gate, "violation", "/backups/restore/procedure")
}

test_restore_without_procedure_or_estimate_fails_missing if {
	gate := ops.gates["ops.backups.restore"] with input as staging(object.union(object.remove(good, ["backups"]), {"backups": {"datastores": good.backups.datastores, "restore": {}}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/backups/restore/procedure")
	has_reason(gate, "missing-evidence", "/backups/restore/estimate")
}

test_restore_estimate_not_a_duration_fails if {
	gate := ops.gates["ops.backups.restore"] with input as staging(object.union(good, {"backups": {"restore": {"estimate": "a few hours"}}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/backups/restore/estimate")
}

test_restore_estimate_over_rto_fails_in_prod_only if {
	d := object.union(good, {"backups": {"restore": {"estimate": "10h"}}})
	prod := ops.gates["ops.backups.restore"] with input as bundle(d)
	prod.status == "fail"
	has_reason(prod, "violation", "/backups/restore/estimate")
	stg := ops.gates["ops.backups.restore"] with input as staging(d)
	stg.status == "pass"
}

test_restore_estimate_equal_to_rto_passes_in_prod if {
	gate := ops.gates["ops.backups.restore"] with input as bundle(object.union(good, {"backups": {"restore": {"estimate": "480m"}}}))
	gate.status == "pass"
}

test_restore_missing_rto_fails_in_prod_only if {
	d2 := object.union(object.remove(good, ["dr"]), {"dr": object.remove(good.dr, ["rto"])})
	prod := ops.gates["ops.backups.restore"] with input as bundle(d2)
	prod.status == "fail"
	has_reason(prod, "missing-evidence", "/dr/rto")
	stg := ops.gates["ops.backups.restore"] with input as staging(d2)
	stg.status == "pass"
}

test_restore_invalid_rto_fails_in_prod if {
	gate := ops.gates["ops.backups.restore"] with input as bundle(object.union(good, {"dr": {"rto": "asap"}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/dr/rto")
}

# --- ops.dr.rpo-rto -----------------------------------------------------------------

test_rpo_rto_missing_rpo_fails_missing if {
	d := object.union(object.remove(good, ["dr"]), {"dr": object.remove(good.dr, ["rpo"])})
	gate := ops.gates["ops.dr.rpo-rto"] with input as staging(d)
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/dr/rpo")
}

test_rpo_rto_invalid_rto_fails if {
	gate := ops.gates["ops.dr.rpo-rto"] with input as staging(object.union(good, {"dr": {"rto": "8 hours"}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/dr/rto")
}

test_rpo_rto_interval_over_rpo_fails_in_prod_only if {
	d := with_datastore(0, {"interval": "6h"})
	prod := ops.gates["ops.dr.rpo-rto"] with input as bundle(d)
	prod.status == "fail"
	has_reason(prod, "violation", "/backups/datastores/0/interval")
	stg := ops.gates["ops.dr.rpo-rto"] with input as staging(d)
	stg.status == "pass"
}

test_rpo_rto_interval_equal_to_rpo_passes_in_prod if {
	gate := ops.gates["ops.dr.rpo-rto"] with input as bundle(with_datastore(0, {"interval": "240m"}))
	gate.status == "pass"
}

test_rpo_rto_no_automated_backup_fails_in_prod_only if {
	d := with_datastore(0, {"automated": false})
	prod := ops.gates["ops.dr.rpo-rto"] with input as bundle(d)
	prod.status == "fail"
	has_reason(prod, "missing-evidence", "/backups/datastores")
	stg := ops.gates["ops.dr.rpo-rto"] with input as staging(d)
	stg.status == "pass"
}

test_rpo_rto_automated_store_without_interval_fails_in_prod if {
	d := object.union(good, {"backups": {"datastores": set_at(good.backups.datastores, 0, {"name": "postgres-main", "holdsData": true, "automated": true})}})
	gate := ops.gates["ops.dr.rpo-rto"] with input as bundle(d)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/backups/datastores/0/interval")
}

# --- ops.dr.tabletop ----------------------------------------------------------------

test_tabletop_after_as_of_fails if {
	gate := ops.gates["ops.dr.tabletop"] with input as staging(object.union(good, {"dr": {"tabletop": {"date": "2026-12-01"}}}))
	gate.status == "fail"
	has_reason(gate, "stale-evidence", "/dr/tabletop/date")
}

test_tabletop_without_notes_fails_missing if {
	gate := ops.gates["ops.dr.tabletop"] with input as bundle(object.union(good, {"dr": {"tabletop": {"notes": ""}}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/dr/tabletop/notes")
}

test_tabletop_absent_fails_missing if {
	gate := ops.gates["ops.dr.tabletop"] with input as bundle(object.union(object.remove(good, ["dr"]), {"dr": {"rpo": "4h", "rto": "8h"}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/dr/tabletop/date")
	has_reason(gate, "missing-evidence", "/dr/tabletop/notes")
}

test_tabletop_older_than_180_days_is_stale_in_prod_only if {
	d := object.union(good, {"dr": {"tabletop": {"date": "2026-05-28"}}})
	prod := ops.gates["ops.dr.tabletop"] with input as bundle(d)
	prod.status == "fail"
	count(prod.reasons) == 1
	has_reason(prod, "stale-evidence", "/dr/tabletop/date")
	contains(prod.reasons[0].message, "181 days")
	stg := ops.gates["ops.dr.tabletop"] with input as staging(d)
	stg.status == "pass"
}

test_tabletop_exactly_180_days_passes_in_prod if {
	gate := ops.gates["ops.dr.tabletop"] with input as bundle(object.union(good, {"dr": {"tabletop": {"date": "2026-05-29"}}}))
	gate.status == "pass"
}

test_tabletop_max_age_constant if {
	ops.tabletop_max_age_days == 180
}

# --- ops.secrets-manager ---------------------------------------------------------------

test_secrets_manager_unnamed_fails_missing if {
	gate := ops.gates["ops.secrets-manager"] with input as staging(object.union(good, {"secretsManager": {"name": " "}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/secretsManager/name")
}

test_secrets_manager_rotation_plan_unresolved_fails if {
	gate := ops.gates["ops.secrets-manager"] with input as object.union(bundle(good), {"links": {"evidence/docs/ops/secret-rotation.md": {"ok": false, "problem": "no such file"}}})
	gate.status == "fail"
	has_reason(gate, "violation", "/secretsManager/rotationPlan")
}

test_secrets_manager_plain_file_secrets_fail_in_prod_only if {
	d := object.union(good, {"secretsManager": {"plainFileSecrets": ["SMTP_PASSWORD in /etc/todox/env"]}})
	prod := ops.gates["ops.secrets-manager"] with input as bundle(d)
	prod.status == "fail"
	has_reason(prod, "violation", "/secretsManager/plainFileSecrets/0")
	stg := ops.gates["ops.secrets-manager"] with input as staging(d)
	stg.status == "pass"
	pilot := ops.gates["ops.secrets-manager"] with input as bundle_env("pilot", d)
	pilot.status == "pass"
}

test_secrets_manager_absent_plain_file_list_fails_in_prod_only if {
	d := object.union(object.remove(good, ["secretsManager"]), {"secretsManager": object.remove(good.secretsManager, ["plainFileSecrets"])})
	prod := ops.gates["ops.secrets-manager"] with input as bundle(d)
	prod.status == "fail"
	has_reason(prod, "missing-evidence", "/secretsManager/plainFileSecrets")
	stg := ops.gates["ops.secrets-manager"] with input as staging(d)
	stg.status == "pass"
}

# --- ops.slos -------------------------------------------------------------------------

test_slos_missing_availability_fails_missing if {
	gate := ops.gates["ops.slos"] with input as bundle(object.union(good, {"slos": array.slice(good.slos, 1, 3)}))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/slos")
	contains(gate.reasons[0].message, "availability")
}

test_slos_latency_not_covering_knowledge_fails if {
	gate := ops.gates["ops.slos"] with input as staging(with_slo(2, {"type": "latency", "target": "p95 < 800ms", "window": "30d", "covers": ["/api/health"]}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/slos/2/covers")
}

latency_covering(routes) := with_slo(2, {"type": "latency", "target": "p95 < 800ms", "window": "30d", "covers": routes})

# gates.md: the latency SLO covers the /knowledge critical calls; paths compare by whole
# segments (issue 10, item 7).
test_slos_routes_that_only_share_a_prefix_with_knowledge_do_not_cover_it if {
	every routes in [
		["/knowledgebase/search"],
		["/knowledge-admin"],
		["/knowledge_v2/search", "/knowledges"],
		["/knowledge.json"],
		["knowledge/search"],
		["//knowledge/search"],
		["/api/knowledge/search"],
		["/knowledge/../admin"],
		["/knowledge/./search/.."],
		["/knowledgebase?x=/knowledge/"],
		["/knowledgebase#/knowledge"],
		["/Knowledge/search"],
	] {
		gate := ops.gates["ops.slos"] with input as bundle(latency_covering(routes))
		gate.status == "fail"
		has_reason(gate, "missing-evidence", "/slos/2/covers")
	}
}

# Percent-encoded dot segments and encoded separators resolve elsewhere once the server
# decodes them, so they do not cover /knowledge (attack on issue 10).
test_slos_encoded_dot_segments_and_separators_do_not_cover_knowledge if {
	every routes in [
		["/knowledge/%2e%2e/admin"],
		["/knowledge/%2E%2E/admin"],
		["/knowledge/.%2E/admin"],
		["/knowledge/%2e./admin"],
		["/knowledge/%2e/x"],
		["/knowledge/..%2fadmin"],
		["/knowledge/..%2Fadmin"],
		["/knowledge%2f..%2fadmin"],
		["/knowledge/..%5cadmin"],
		["/knowledge/..\\admin"],
		["/knowledge/%252e%252e/admin"],
		["/knowledge/..;/admin"],
		["/knowledge/%2e%2e;x=1/admin"],
	] {
		gate := ops.gates["ops.slos"] with input as bundle(latency_covering(routes))
		gate.status == "fail"
		has_reason(gate, "missing-evidence", "/slos/2/covers")
	}
}

test_slos_knowledge_routes_by_whole_segment_cover_it if {
	every routes in [
		["/knowledge"],
		["/knowledge/"],
		["/knowledge/search"],
		["/knowledge?scope=org"],
		["/knowledge#entities"],
		["/health", "/knowledge/entities/{id}"],
		["/knowledge/search%20v2"],
		["/knowledge/.well-known"],
	] {
		gate := ops.gates["ops.slos"] with input as bundle(latency_covering(routes))
		gate.status == "pass"
	}
}

test_slos_latency_without_covers_fails if {
	gate := ops.gates["ops.slos"] with input as bundle(with_slo(2, {"type": "latency", "target": "p95 < 800ms", "window": "30d"}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/slos/2/covers")
}

test_slos_empty_target_fails if {
	gate := ops.gates["ops.slos"] with input as bundle(with_slo(1, {"type": "error-rate", "target": "", "window": "30d"}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/slos/1/target")
}

test_slos_invalid_window_fails if {
	gate := ops.gates["ops.slos"] with input as bundle(with_slo(0, {"type": "availability", "target": "99.9%", "window": "monthly"}))
	gate.status == "fail"
	has_reason(gate, "violation", "/slos/0/window")
}

test_slos_absent_fails_all_three if {
	gate := ops.gates["ops.slos"] with input as bundle(object.remove(good, ["slos"]))
	gate.status == "fail"
	count(gate.reasons) == 3
}
