package checklist.observability_test

import data.checklist.observability

good := {
	"kind": "observability",
	"schemaVersion": 1,
	"otlp": {
		"server": {"traces": true, "logs": true, "metrics": true},
		"client": {"traces": true, "logs": true, "metrics": true},
	},
	"queuesOrWorkflows": true,
	"dashboards": [
		{"name": "API overview", "covers": ["api-latency", "api-errors"], "link": "https://grafana.todox.example/d/api-overview"},
		{"name": "Datastore saturation", "covers": ["db-saturation", "redis-saturation"], "link": "https://grafana.todox.example/d/datastores"},
		{"name": "Workflow health", "covers": ["workflow-health"], "link": "https://grafana.todox.example/d/workflows"},
	],
	"alerts": [
		{"name": "ApiHighErrorRate", "signal": "error-rate", "receiver": "oncall-pager"},
		{"name": "ApiElevatedLatency", "signal": "latency", "receiver": "oncall-pager"},
		{"name": "MigrationJobFailed", "signal": "migrations", "receiver": "platform-slack"},
		{"name": "AuthRedisSessionFailures", "signal": "auth-sessions", "receiver": "oncall-pager"},
	],
	"routing": {
		"receivers": ["oncall-pager", "platform-slack"],
		"controlledTest": {"date": "2026-11-16", "alert": "ApiHighErrorRate", "received": true},
	},
}

release := {
	"kind": "release",
	"schemaVersion": 1,
	"services": [{"path": "apps/server", "type": "server"}, {"path": "apps/todox", "type": "client"}],
	"environment": "prod",
}

server_only := object.union(release, {"services": [{"path": "apps/server", "type": "server"}]})

# The tenancy evidence lists background workflows, as the prod example does.
tenancy := {
	"kind": "tenancy",
	"schemaVersion": 1,
	"sharedScope": {"caches": [], "workflows": [{"name": "gmail-sync", "orgKeyed": true}, {"name": "embedding-indexer", "orgKeyed": true}]},
}

no_workflows := object.union(tenancy, {"sharedScope": {"workflows": []}})

# prodgate resolves every link of the evidence into input.links.
dashboard_links := {
	"https://grafana.todox.example/d/api-overview": {"ok": true},
	"https://grafana.todox.example/d/datastores": {"ok": true},
	"https://grafana.todox.example/d/workflows": {"ok": true},
	"http://grafana.todox.example/d/workflows": {"ok": false, "problem": "a URL must be https, not http"},
}

bundle_full(env, o, r, t) := {
	"env": env,
	"as_of": "2026-11-25",
	"evidence": {
		"observability": {"file": "evidence/prod/observability.yaml", "valid": true, "data": o},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": r},
		"tenancy": {"file": "evidence/prod/tenancy.yaml", "valid": true, "data": t},
	},
	"links": dashboard_links,
}

bundle_env(env, o, r) := bundle_full(env, o, r, tenancy)

bundle(o) := bundle_env("prod", o, release)

set_at(arr, i, v) := array.concat(array.concat(array.slice(arr, 0, i), [v]), array.slice(arr, i + 1, count(arr)))

with_alert(i, patch) := object.union(good, {"alerts": set_at(good.alerts, i, object.union(good.alerts[i], patch))})

with_dashboards(ds) := object.union(good, {"dashboards": ds})

child_ids := [
	"observability.otlp",
	"observability.dashboards.api",
	"observability.dashboards.datastores",
	"observability.dashboards.workflows",
	"observability.alerts.error-rate",
	"observability.alerts.latency",
	"observability.alerts.migrations",
	"observability.alerts.auth-sessions",
	"observability.alert-routing",
]

alert_signals := ["error-rate", "latency", "migrations", "auth-sessions"]

has_reason(gate, code, pointer) if {
	some r in gate.reasons
	r.code == code
	some e in r.evidence
	e.pointer == pointer
}

# --- all gates ----------------------------------------------------------------

test_good_evidence_passes_every_gate_in_every_env if {
	every env in ["pilot", "staging", "prod"] {
		gates := observability.gates with input as bundle_env(env, good, release)
		every id in array.concat(child_ids, ["observability.dashboards", "observability.alerts"]) {
			gates[id].status == "pass"
		}
	}
}

test_missing_observability_evidence_fails_every_gate if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release}}}
	gates := observability.gates with input as inp
	every id in child_ids {
		gates[id].status == "fail"
		gates[id].reasons[0].code == "missing-evidence"
		gates[id].reasons[0].evidence[0].file == "(no observability evidence)"
	}
}

test_invalid_observability_evidence_is_error_for_every_gate if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {
		"observability": {"file": "evidence/prod/observability.yaml", "valid": false, "problems": [{"pointer": "/queuesOrWorkflows", "message": "must be boolean"}]},
		"release": {"file": "evidence/prod/release.yaml", "valid": true, "data": release},
	}}
	gates := observability.gates with input as inp
	every id in child_ids {
		gates[id].status == "error"
		gates[id].reasons[0].code == "invalid-evidence"
	}
}

# --- observability.otlp ------------------------------------------------------------

test_otlp_server_logs_off_fails if {
	gate := observability.gates["observability.otlp"] with input as bundle(object.union(good, {"otlp": {"server": {"logs": false}}}))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "violation", "/otlp/server/logs")
}

test_otlp_server_absent_fails_missing if {
	o := object.union(object.remove(good, ["otlp"]), {"otlp": {"client": good.otlp.client}})
	gate := observability.gates["observability.otlp"] with input as bundle(o)
	gate.status == "fail"
	count(gate.reasons) == 3
	has_reason(gate, "missing-evidence", "/otlp/server/traces")
}

test_otlp_client_required_when_client_released if {
	o := object.union(good, {"otlp": {"client": {"metrics": false}}})
	gate := observability.gates["observability.otlp"] with input as bundle(o)
	gate.status == "fail"
	has_reason(gate, "violation", "/otlp/client/metrics")
}

test_otlp_client_absent_fails_when_client_released if {
	o := object.union(object.remove(good, ["otlp"]), {"otlp": {"server": good.otlp.server}})
	gate := observability.gates["observability.otlp"] with input as bundle(o)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/otlp/client/traces")
}

test_otlp_client_not_needed_without_client_app if {
	o := object.union(object.remove(good, ["otlp"]), {"otlp": {"server": good.otlp.server}})
	gate := observability.gates["observability.otlp"] with input as bundle_env("prod", o, server_only)
	gate.status == "pass"
}

test_otlp_release_without_services_fails_missing if {
	gate := observability.gates["observability.otlp"] with input as bundle_env("staging", good, object.remove(release, ["services"]))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/services")
	gate.reasons[0].evidence[0].file == "evidence/prod/release.yaml"
}

test_otlp_missing_release_evidence_fails if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"observability": {"file": "evidence/prod/observability.yaml", "valid": true, "data": good}}}
	gate := observability.gates["observability.otlp"] with input as inp
	gate.status == "fail"
	gate.reasons[0].code == "missing-evidence"
	gate.reasons[0].evidence[0].file == "(no release evidence)"
}

test_otlp_invalid_release_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {
		"observability": {"file": "evidence/prod/observability.yaml", "valid": true, "data": good},
		"release": {"file": "evidence/prod/release.yaml", "valid": false, "problems": [{"pointer": "/services/1/type", "message": "must be equal to one of the allowed values"}]},
	}}
	gate := observability.gates["observability.otlp"] with input as inp
	gate.status == "error"
}

# --- observability.dashboards.* --------------------------------------------------------

test_dashboards_api_errors_may_be_a_separate_dashboard if {
	ds := [
		{"name": "API latency", "covers": ["api-latency"], "link": "https://grafana.todox.example/d/api-overview"},
		{"name": "API errors", "covers": ["api-errors"], "link": "https://grafana.todox.example/d/datastores"},
	]
	gate := observability.gates["observability.dashboards.api"] with input as bundle(with_dashboards(ds))
	gate.status == "pass"
}

test_dashboards_api_without_errors_fails if {
	ds := set_at(good.dashboards, 0, {"name": "API overview", "covers": ["api-latency"], "link": "https://grafana.todox.example/d/api-overview"})
	gates := observability.gates with input as bundle(with_dashboards(ds))
	gate := gates["observability.dashboards.api"]
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/dashboards")
	contains(gate.reasons[0].message, "api-errors")
	gates["observability.dashboards.datastores"].status == "pass"
}

test_dashboards_datastores_without_redis_fails if {
	ds := set_at(good.dashboards, 1, {"name": "DB saturation", "covers": ["db-saturation"]})
	gate := observability.gates["observability.dashboards.datastores"] with input as bundle_env("staging", with_dashboards(ds), release)
	gate.status == "fail"
	contains(gate.reasons[0].message, "redis-saturation")
}

test_dashboards_none_fail_every_dashboard_child if {
	gates := observability.gates with input as bundle(object.remove(good, ["dashboards"]))
	gates["observability.dashboards.api"].status == "fail"
	count(gates["observability.dashboards.api"].reasons) == 2
	gates["observability.dashboards.datastores"].status == "fail"
	gates["observability.dashboards.workflows"].status == "fail"
	gates["observability.dashboards"].status == "pass" # own decision; the children aggregate later
}

test_dashboards_workflows_na_without_queues if {
	o := object.union(good, {"queuesOrWorkflows": false, "dashboards": array.slice(good.dashboards, 0, 2)})
	gate := observability.gates["observability.dashboards.workflows"] with input as bundle_full("prod", o, release, no_workflows)
	gate.status == "na"
	gate.reasons[0].code == "not-applicable"
	gate.reasons[0].evidence[0].pointer == "/queuesOrWorkflows"
}

test_dashboards_workflows_without_dashboard_fails_when_queues if {
	o := object.union(good, {"dashboards": array.slice(good.dashboards, 0, 2)})
	gate := observability.gates["observability.dashboards.workflows"] with input as bundle(o)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/dashboards")
}

test_dashboards_workflows_unknown_queues_fails_missing if {
	gate := observability.gates["observability.dashboards.workflows"] with input as bundle(object.remove(good, ["queuesOrWorkflows"]))
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/queuesOrWorkflows")
}

test_dashboards_workflows_missing_evidence_is_not_na if {
	gate := observability.gates["observability.dashboards.workflows"] with input as {"env": "prod", "as_of": "2026-11-25", "evidence": {}, "links": {}}
	gate.status == "fail"
}

# --- observability.alerts.* -------------------------------------------------------------

test_alerts_each_signal_missing_fails if {
	every i, signal in alert_signals {
		o := object.union(good, {"alerts": [a | some j, a in good.alerts; j != i]})
		gates := observability.gates with input as bundle(o)
		gate := gates[sprintf("observability.alerts.%s", [signal])]
		gate.status == "fail"
		has_reason(gate, "missing-evidence", "/alerts")
		contains(gate.reasons[0].message, signal)
	}
}

test_alerts_unlisted_receiver_fails if {
	gates := observability.gates with input as bundle(with_alert(2, {"receiver": "nobody"}))
	gate := gates["observability.alerts.migrations"]
	gate.status == "fail"
	has_reason(gate, "violation", "/alerts/2/receiver")
	contains(gate.reasons[0].message, "MigrationJobFailed")
	gates["observability.alerts.latency"].status == "pass"
}

test_alerts_without_receiver_fails_missing if {
	o := object.union(good, {"alerts": set_at(good.alerts, 3, {"name": "AuthRedisSessionFailures", "signal": "auth-sessions"})})
	gate := observability.gates["observability.alerts.auth-sessions"] with input as bundle_env("staging", o, release)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/alerts/3/receiver")
}

test_alerts_one_routed_alert_is_enough if {
	extra := {"name": "LatencyToNowhere", "signal": "latency", "receiver": "nobody"}
	o := object.union(good, {"alerts": array.concat(good.alerts, [extra])})
	gate := observability.gates["observability.alerts.latency"] with input as bundle(o)
	gate.status == "pass"
}

test_alerts_no_receivers_fails_every_alert if {
	o := object.union(good, {"routing": {"receivers": []}})
	gates := observability.gates with input as bundle(o)
	every signal in alert_signals {
		gates[sprintf("observability.alerts.%s", [signal])].status == "fail"
	}
}

# --- observability.alert-routing ----------------------------------------------------------

test_routing_no_receivers_fails_missing if {
	gate := observability.gates["observability.alert-routing"] with input as bundle(object.union(good, {"routing": {"receivers": []}}))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/routing/receivers")
}

test_routing_no_controlled_test_fails_missing if {
	o := object.union(object.remove(good, ["routing"]), {"routing": {"receivers": good.routing.receivers}})
	gate := observability.gates["observability.alert-routing"] with input as bundle(o)
	gate.status == "fail"
	count(gate.reasons) == 1
	has_reason(gate, "missing-evidence", "/routing/controlledTest")
}

test_routing_not_received_fails if {
	gate := observability.gates["observability.alert-routing"] with input as bundle(object.union(good, {"routing": {"controlledTest": {"received": false}}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/routing/controlledTest/received")
}

test_routing_test_after_as_of_fails if {
	gate := observability.gates["observability.alert-routing"] with input as bundle_env("staging", object.union(good, {"routing": {"controlledTest": {"date": "2026-11-30"}}}), release)
	gate.status == "fail"
	has_reason(gate, "stale-evidence", "/routing/controlledTest/date")
}

test_routing_test_undated_fails_missing if {
	o := object.union(object.remove(good, ["routing"]), {"routing": {"receivers": good.routing.receivers, "controlledTest": {"alert": "ApiHighErrorRate", "received": true}}})
	gate := observability.gates["observability.alert-routing"] with input as bundle(o)
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/routing/controlledTest/date")
}

test_routing_test_of_unlisted_alert_fails if {
	gate := observability.gates["observability.alert-routing"] with input as bundle(object.union(good, {"routing": {"controlledTest": {"alert": "SomethingElse"}}}))
	gate.status == "fail"
	has_reason(gate, "violation", "/routing/controlledTest/alert")
}

# --- dashboards count only with a resolvable link -----------------------------------------

test_dashboard_with_unresolvable_link_does_not_cover if {
	every bad in ["http://grafana.todox.example/d/workflows", "evidence/docs/no-such-file.md"] {
		ds := set_at(good.dashboards, 2, object.union(good.dashboards[2], {"link": bad}))
		gate := observability.gates["observability.dashboards.workflows"] with input as bundle(with_dashboards(ds))
		gate.status == "fail"
		has_reason(gate, "violation", "/dashboards/2/link")
		has_reason(gate, "missing-evidence", "/dashboards")
	}
}

test_dashboard_bad_link_message_names_dashboard_and_topics if {
	ds := set_at(good.dashboards, 0, object.union(good.dashboards[0], {"link": "http://grafana.todox.example/d/workflows"}))
	gate := observability.gates["observability.dashboards.api"] with input as bundle(with_dashboards(ds))
	gate.status == "fail"
	msgs := {r.message | some r in gate.reasons; r.code == "violation"}
	msgs == {"dashboard \"API overview\" covers api-latency, api-errors, but it does not count: link \"http://grafana.todox.example/d/workflows\" is not usable: a URL must be https, not http"}
}

test_dashboard_without_link_does_not_cover if {
	ds := set_at(good.dashboards, 1, object.remove(good.dashboards[1], ["link"]))
	gate := observability.gates["observability.dashboards.datastores"] with input as bundle(with_dashboards(ds))
	gate.status == "fail"
	has_reason(gate, "missing-evidence", "/dashboards/1/link")
}

test_dashboard_bad_link_only_fails_the_gates_of_its_topics if {
	ds := set_at(good.dashboards, 2, object.union(good.dashboards[2], {"link": "http://grafana.todox.example/d/workflows"}))
	gates := observability.gates with input as bundle(with_dashboards(ds))
	gates["observability.dashboards.api"].status == "pass"
	gates["observability.dashboards.datastores"].status == "pass"
}

# --- queuesOrWorkflows agrees with the tenancy evidence -------------------------------------

test_dashboards_workflows_false_while_tenancy_lists_workflows_fails if {
	o := object.union(good, {"queuesOrWorkflows": false})
	gate := observability.gates["observability.dashboards.workflows"] with input as bundle(o)
	gate.status == "fail"
	count(gate.reasons) == 1
	gate.reasons[0].code == "violation"
	[[e.file, e.pointer] | some e in gate.reasons[0].evidence] == [["evidence/prod/observability.yaml", "/queuesOrWorkflows"], ["evidence/prod/tenancy.yaml", "/sharedScope/workflows"]]
	gate.reasons[0].message == "queuesOrWorkflows is false, but the tenancy evidence lists 2 background workflow(s) under sharedScope.workflows: \"gmail-sync\", \"embedding-indexer\""
}

test_dashboards_workflows_false_without_tenancy_is_not_na if {
	o := object.union(good, {"queuesOrWorkflows": false})
	inp := json.remove(bundle(o), ["evidence/tenancy"])
	gate := observability.gates["observability.dashboards.workflows"] with input as inp
	gate.status == "fail"
	gate.reasons[0].evidence[0].file == "(no tenancy evidence)"
}

test_dashboards_workflows_false_with_invalid_tenancy_is_error if {
	o := object.union(good, {"queuesOrWorkflows": false})
	inp := object.union(bundle(o), {"evidence": {"tenancy": {"file": "evidence/prod/tenancy.yaml", "valid": false, "problems": [{"pointer": "/sharedScope", "message": "must be object"}]}}})
	gate := observability.gates["observability.dashboards.workflows"] with input as inp
	gate.status == "error"
}

test_dashboards_workflows_true_with_empty_tenancy_workflows_passes if {
	gate := observability.gates["observability.dashboards.workflows"] with input as bundle_full("prod", good, release, no_workflows)
	gate.status == "pass"
}

test_other_observability_gates_do_not_read_tenancy if {
	inp := json.remove(bundle(good), ["evidence/tenancy"])
	gates := observability.gates with input as inp
	gates["observability.dashboards.workflows"].status == "fail"
	every id in child_ids {
		passes_unless_workflows(gates, id)
	}
}

passes_unless_workflows(_, "observability.dashboards.workflows")

passes_unless_workflows(gates, id) if gates[id].status == "pass"

# --- the controlled alert test is at most 180 days old ---------------------------------------

with_test_date(d) := object.union(good, {"routing": {"controlledTest": {"date": d}}})

test_alert_routing_controlled_test_max_age if {
	every env in ["pilot", "staging", "prod"] {
		current := observability.gates["observability.alert-routing"] with input as bundle_env(env, with_test_date("2026-05-29"), release)
		current.status == "pass"
		old := observability.gates["observability.alert-routing"] with input as bundle_env(env, with_test_date("2026-05-28"), release)
		old.status == "fail"
		[[r.code, r.evidence[0].pointer, r.message] | some r in old.reasons] == [[
			"stale-evidence", "/routing/controlledTest/date",
			"the controlled alert test is dated 2026-05-28, 181 days before the as-of date 2026-11-25; it must be at most 180 days old",
		]]
	}
}
