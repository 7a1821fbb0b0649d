package checklist.observability_test

import data.checklist.observability

# Recorded facts as the collect stage puts them in input.recorded (docs/artifacts.md).
rules_fact(alerts) := {
	"artifact": "alert-rules", "file": "artifacts/config/alert-rules.yaml", "sha256": "a", "format": "prometheusrule",
	"valid": true, "problems": [], "type": "alert-rules", "selected": true, "selector": "the whole file",
	"routing": {"artifact": "alertmanager", "file": "artifacts/config/alertmanager.yml", "valid": true},
	"alerts": alerts,
}

alert(name, labels, metrics, delivered) := {
	"name": name, "labels": labels, "metrics": metrics, "line": 16, "column": 11,
	"route": {"receivers": ["oncall-pager"], "delivered": delivered, "routes": []},
}

four_alerts := [
	alert("ApiHighErrorRate", {"severity": "page"}, ["http_requests_total"], ["oncall-pager"]),
	alert("ApiElevatedLatency", {}, ["http_request_duration_seconds_bucket"], ["oncall-pager"]),
	alert("MigrationJobFailed", {}, ["kube_job_status_failed"], ["oncall-pager"]),
	alert("AuthRedisSessionFailures", {}, ["auth_session_failures_total"], ["oncall-pager"]),
]

routing_fact := {
	"artifact": "alertmanager", "file": "artifacts/config/alertmanager.yml", "sha256": "b", "format": "alertmanager",
	"valid": true, "problems": [], "type": "alert-routing", "selected": true, "selector": "the whole file",
	"receivers": [{"name": "oncall-pager", "integrations": ["pagerduty"]}, {"name": "blackhole", "integrations": []}],
}

receipt_fact(date, status) := {
	"artifact": "controlled-alert", "file": "artifacts/config/controlled-alert.webhook.json", "sha256": "c",
	"format": "alert-receipt", "valid": true, "problems": [], "type": "alert-receipt", "selected": true,
	"selector": "the whole file", "date": date,
	"alerts": [{"name": "ApiHighErrorRate", "status": status, "receivers": ["oncall-pager"], "line": 5, "column": 5}],
}

dashboard_fact(metrics) := {
	"artifact": "api-dashboard", "file": "artifacts/config/api.json", "sha256": "d", "format": "grafana",
	"valid": true, "problems": [], "type": "dashboard", "selected": true, "selector": "the whole file",
	"panels": [{"title": "p", "metrics": metrics, "line": 3, "column": 5}],
}

otlp_fact(traces) := {
	"artifact": "server-deployment", "file": "artifacts/config/server.yaml", "sha256": "e", "format": "otel-env",
	"valid": true, "problems": [], "type": "otlp", "selected": true, "selector": "the whole file",
	"signals": {
		"traces": traces,
		"logs": [{"name": "otlp", "otlp": true, "line": 9, "column": 9}],
		"metrics": [{"name": "otlp", "otlp": true, "line": 9, "column": 9}],
	},
}

recorded_ev := object.union(good, {
	"otlp": {"server": {"recordedBy": {"artifact": "server-deployment"}}},
	"dashboards": [{"name": "API", "recordedBy": {"artifact": "api-dashboard"}}],
	"alerts": [{"recordedBy": {"artifact": "alert-rules", "routedBy": "alertmanager"}}],
	"routing": {"recordedBy": {"artifact": "alertmanager"}, "controlledTest": {"recordedBy": {"artifact": "controlled-alert"}}},
})

recorded_input(alerts, receipt, dashboard, otlp) := object.union(bundle_full("prod", recorded_ev, server_only, tenancy), {
	"links": dashboard_links,
	"recorded": {"observability": {
		"/alerts/0": rules_fact(alerts),
		"/routing": routing_fact,
		"/routing/controlledTest": receipt,
		"/dashboards/0": dashboard,
		"/otlp/server": otlp,
	}},
})

# ok_input with the rule file's fact replaced (object.union would merge into it).
rules_input(fact) := object.union(object.remove(ok_input, ["recorded"]), {"recorded": {"observability": object.union(object.remove(ok_input.recorded.observability, ["/alerts/0"]), {"/alerts/0": fact})}})

ok_input := recorded_input(
	four_alerts, receipt_fact("2026-11-16", "firing"),
	dashboard_fact(["http_request_duration_seconds_bucket", "http_requests_total"]),
	otlp_fact([{"name": "otlp", "otlp": true, "line": 9, "column": 9}]),
)

test_recorded_alerts_routed_pass if {
	every signal in ["error-rate", "latency", "migrations", "auth-sessions"] {
		observability.gates[sprintf("observability.alerts.%s", [signal])].status == "pass" with input as ok_input
	}
}

test_recorded_alert_not_delivered_is_a_located_violation if {
	alerts := array.concat([alert("ApiHighErrorRate", {}, [], [])], array.slice(four_alerts, 1, 4))
	gate := observability.gates["observability.alerts.error-rate"] with input as recorded_input(alerts, receipt_fact("2026-11-16", "firing"), dashboard_fact([]), otlp_fact([]))
	gate.status == "fail"
	some r in gate.reasons
	r.code == "violation"
	r.evidence[0] == {"file": "artifacts/config/alert-rules.yaml", "pointer": "", "line": 16, "column": 11}
	contains(r.message, "none of which has an integration")
}

test_recorded_alert_missing_for_a_signal if {
	gate := observability.gates["observability.alerts.migrations"] with input as recorded_input(array.slice(four_alerts, 0, 2), receipt_fact("2026-11-16", "firing"), dashboard_fact([]), otlp_fact([]))
	gate.status == "fail"
	some r in gate.reasons
	contains(r.message, "matches the migrations patterns")
}

test_recorded_alert_matched_by_label if {
	alerts := [alert("Whatever", {"signal": "migrations"}, [], ["oncall-pager"])]
	observability.gates["observability.alerts.migrations"].status == "pass" with input as recorded_input(alerts, receipt_fact("2026-11-16", "firing"), dashboard_fact([]), otlp_fact([]))
}

test_recorded_rules_invalid_or_unrouted if {
	bad := object.union(rules_fact(four_alerts), {"valid": false, "problems": [{"message": "bad", "pointer": "", "line": 3, "column": 1}]})
	in1 := object.union(ok_input, {"recorded": {"observability": {"/alerts/0": bad}}})
	observability.gates["observability.alerts.latency"].status == "error" with input as in1
	unrouted := object.remove(rules_fact(four_alerts), ["routing"])
	in2 := rules_input(unrouted)
	observability.gates["observability.alerts.latency"].status == "fail" with input as in2
	badroute := object.union(rules_fact(four_alerts), {"routing": {"valid": false, "file": "", "problem": "routedBy names artifact \"x\""}})
	in3 := object.union(ok_input, {"recorded": {"observability": {"/alerts/0": badroute}}})
	observability.gates["observability.alerts.latency"].status == "error" with input as in3
	other := object.union(rules_fact(four_alerts), {"type": "dashboard", "format": "grafana"})
	in4 := object.union(ok_input, {"recorded": {"observability": {"/alerts/0": other}}})
	observability.gates["observability.alerts.latency"].status == "error" with input as in4
}

test_recorded_routing_and_controlled_alert_pass if {
	observability.gates["observability.alert-routing"].status == "pass" with input as ok_input
}

test_recorded_controlled_alert_resolved_fails if {
	gate := observability.gates["observability.alert-routing"] with input as recorded_input(four_alerts, receipt_fact("2026-11-16", "resolved"), dashboard_fact([]), otlp_fact([]))
	gate.status == "fail"
}

test_recorded_controlled_alert_stale_or_future if {
	old := observability.gates["observability.alert-routing"] with input as recorded_input(four_alerts, receipt_fact("2026-03-01", "firing"), dashboard_fact([]), otlp_fact([]))
	some r in old.reasons
	r.code == "stale-evidence"
	future := observability.gates["observability.alert-routing"] with input as recorded_input(four_alerts, receipt_fact("2026-12-01", "firing"), dashboard_fact([]), otlp_fact([]))
	some f in future.reasons
	f.code == "stale-evidence"
}

test_recorded_routing_invalid_files_error if {
	bad_routing := object.union(routing_fact, {"valid": false, "problems": [{"message": "x", "pointer": "", "line": 1, "column": 1}]})
	in1 := object.union(ok_input, {"recorded": {"observability": {"/routing": bad_routing}}})
	observability.gates["observability.alert-routing"].status == "error" with input as in1
	not_am := object.union(routing_fact, {"type": "otlp", "format": "otel-env"})
	in2 := object.union(ok_input, {"recorded": {"observability": {"/routing": not_am}}})
	observability.gates["observability.alert-routing"].status == "error" with input as in2
	bad_receipt := object.union(receipt_fact("2026-11-16", "firing"), {"valid": false, "problems": []})
	in3 := object.union(ok_input, {"recorded": {"observability": {"/routing/controlledTest": bad_receipt}}})
	observability.gates["observability.alert-routing"].status == "error" with input as in3
	not_receipt := object.union(receipt_fact("2026-11-16", "firing"), {"type": "otlp"})
	in4 := object.union(ok_input, {"recorded": {"observability": {"/routing/controlledTest": not_receipt}}})
	observability.gates["observability.alert-routing"].status == "error" with input as in4
}

test_recorded_dashboard_covers_by_metrics if {
	observability.gates["observability.dashboards.api"].status == "pass" with input as ok_input
	gate := observability.gates["observability.dashboards.api"] with input as recorded_input(four_alerts, receipt_fact("2026-11-16", "firing"), dashboard_fact(["http_requests_total"]), otlp_fact([]))
	gate.status == "fail"
	some r in gate.reasons
	contains(r.message, "api-latency")
}

test_recorded_dashboard_invalid_or_other_format_errors if {
	bad := object.union(dashboard_fact([]), {"valid": false, "problems": [{"message": "library panel", "pointer": "", "line": 4, "column": 5}]})
	observability.gates["observability.dashboards.api"].status == "error" with input as object.union(ok_input, {"recorded": {"observability": {"/dashboards/0": bad}}})
	other := object.union(dashboard_fact([]), {"type": "otlp"})
	observability.gates["observability.dashboards.api"].status == "error" with input as object.union(ok_input, {"recorded": {"observability": {"/dashboards/0": other}}})
}

test_recorded_otlp if {
	observability.gates["observability.otlp"].status == "pass" with input as ok_input
	debug := observability.gates["observability.otlp"] with input as recorded_input(four_alerts, receipt_fact("2026-11-16", "firing"), dashboard_fact([]), otlp_fact([{"name": "debug", "otlp": false, "line": 30, "column": 19}]))
	debug.status == "fail"
	some r in debug.reasons
	r.evidence[0].line == 30
	contains(r.message, "debug")
	none := observability.gates["observability.otlp"] with input as recorded_input(four_alerts, receipt_fact("2026-11-16", "firing"), dashboard_fact([]), otlp_fact([]))
	some m in none.reasons
	m.code == "missing-evidence"
	bad := object.union(otlp_fact([]), {"valid": false, "problems": []})
	observability.gates["observability.otlp"].status == "error" with input as object.union(ok_input, {"recorded": {"observability": {"/otlp/server": bad}}})
	other := object.union(otlp_fact([]), {"type": "slos"})
	observability.gates["observability.otlp"].status == "error" with input as object.union(ok_input, {"recorded": {"observability": {"/otlp/server": other}}})
}
