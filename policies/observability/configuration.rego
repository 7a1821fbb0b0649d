# Observability facts recorded from configuration files.
#   The observability gates decided from the configuration the collect stage read
#   (docs/artifacts.md): alert rules routed through the Alertmanager configuration,
#   captured alerts, Grafana dashboards and OpenTelemetry configuration. Which alert is
#   the error-rate alert, and which panel shows API latency, are the patterns below:
#   data of this pack, not of prodgate.
package checklist.observability

import data.prodgate.lib

# --- patterns (the pack's, change them here) -------------------------------------------

# An alert proves a signal when its name, one of its labels, or one of the metrics its
# expression reads matches one of the signal's patterns (RE2, case-insensitive, unanchored).
alert_signal_patterns := {
	"error-rate": {
		"names": ["(?i)error.?rate", "(?i)high.?error", "(?i)5xx"],
		"labels": {"signal": ["^error-rate$"]},
		"metrics": [],
	},
	"latency": {
		"names": ["(?i)latency", "(?i)slow.?(requests|responses)"],
		"labels": {"signal": ["^latency$"]},
		"metrics": ["_duration_seconds_bucket$"],
	},
	"migrations": {
		"names": ["(?i)migration"],
		"labels": {"signal": ["^migrations$"]},
		"metrics": ["(?i)migration"],
	},
	"auth-sessions": {
		"names": ["(?i)(auth|session).*(fail|error)", "(?i)redis.?session"],
		"labels": {"signal": ["^auth-sessions$"]},
		"metrics": ["(?i)^(auth|session)_.*(fail|error)", "(?i)redis.*session"],
	},
}

# A dashboard covers a topic when one of its panels reads a metric matching one of the
# topic's patterns.
dashboard_topic_patterns := {
	"api-latency": ["^http_(server_)?request_duration_seconds(_bucket|_sum|_count)?$", "^http_server_duration(_milliseconds|_seconds)?(_bucket|_sum|_count)?$"],
	"api-errors": ["^http_(server_)?requests_total$", "^http_(server_)?request_duration_seconds_count$"],
	"db-saturation": ["^pg_stat_activity_count$", "^pg_settings_max_connections$", "^cnpg_backends_total$", "^pg_stat_database_numbackends$"],
	"redis-saturation": ["^redis_memory_used_bytes$", "^redis_connected_clients$", "^redis_memory_max_bytes$", "^redis_blocked_clients$"],
	"workflow-health": ["(?i)(queue|workflow|job)s?_.*(depth|size|length|lag|pending|failed|duration)", "^bullmq_", "^temporal_"],
}

signal_patterns_match(patterns, alert) if {
	some p in patterns.names
	regex.match(p, alert.name)
}

signal_patterns_match(patterns, alert) if {
	some label, label_patterns in patterns.labels
	value := object.get(alert.labels, label, null)
	is_string(value)
	some p in label_patterns
	regex.match(p, value)
}

signal_patterns_match(patterns, alert) if {
	some p in patterns.metrics
	some m in alert.metrics
	regex.match(p, m)
}

# --- recorded alerts -----------------------------------------------------------------

# The alerts items that are recorded from a rule file (each {recordedBy: {artifact, routedBy}}).
recorded_alert_items := [i | some i, a in alerts; lib.is_recorded(a)]

alert_fact(i) := lib.recorded_fact("observability", sprintf("/alerts/%d", [i]), "")

# A usable rule file: valid, of rule type, routed through a readable Alertmanager configuration.
usable_rules(f) if {
	f.valid == true
	f.type == "alert-rules"
	f.routing.valid == true
}

recorded_signal_alerts(signal) := [[i, a] |
	some i in recorded_alert_items
	f := alert_fact(i)
	usable_rules(f)
	some a in f.alerts
	signal_patterns_match(alert_signal_patterns[signal], a)
]

delivered(a) if count(object.get(a, ["route", "delivered"], [])) > 0

recorded_alert_routed(signal) if {
	some [_, a] in recorded_signal_alerts(signal)
	delivered(a)
}

recorded_alert_reasons(signal) := (rules_file_reasons | {r |
	count(rules_file_reasons) == 0
	count(recorded_signal_alerts(signal)) == 0
	i := recorded_alert_items[0]
	f := alert_fact(i)
	r := lib.recorded_reason("missing-evidence", "observability", sprintf("/alerts/%d", [i]), f, 1, 1, sprintf("no alerting rule in %s matches the %s patterns (alert name, labels or the metrics its expression reads)", [f.file, signal]))
}) | {r |
	some [i, a] in recorded_signal_alerts(signal)
	not delivered(a)
	f := alert_fact(i)
	r := lib.recorded_reason("violation", "observability", sprintf("/alerts/%d", [i]), f, a.line, a.column, undelivered_message(f, a))
}

undelivered_message(f, a) := sprintf("alert %s ends at receiver(s) %s in %s, none of which has an integration: the alert reaches nobody", [a.name, concat(", ", a.route.receivers), f.routing.file]) if {
	count(a.route.receivers) > 0
} else := sprintf("alert %s is not routed by %s", [a.name, f.routing.file])

# Problems with the rule files or the configuration that routes them: the gate cannot be decided.
rules_file_reasons contains r if {
	some i in recorded_alert_items
	f := alert_fact(i)
	f.valid != true
	some r in lib.artifact_invalid_reasons("observability", sprintf("/alerts/%d", [i]), f)
}

rules_file_reasons contains r if {
	some i in recorded_alert_items
	f := alert_fact(i)
	f.valid == true
	f.type != "alert-rules"
	r := lib.recorded_reason("invalid-evidence", "observability", sprintf("/alerts/%d", [i]), f, 1, 1, sprintf("artifact %s is not a Prometheus rule file (its format is %s)", [f.file, f.format]))
}

rules_file_reasons contains r if {
	some i in recorded_alert_items
	f := alert_fact(i)
	f.valid == true
	f.type == "alert-rules"
	not is_object(object.get(f, "routing", null))
	r := lib.recorded_reason("missing-evidence", "observability", sprintf("/alerts/%d", [i]), f, 1, 1, sprintf("the alerts of %s are not routed: name the Alertmanager configuration in recordedBy.routedBy", [f.file]))
}

rules_file_reasons contains r if {
	some i in recorded_alert_items
	f := alert_fact(i)
	f.valid == true
	is_object(object.get(f, "routing", null))
	f.routing.valid != true
	r := lib.recorded_reason("invalid-evidence", "observability", sprintf("/alerts/%d/recordedBy/routedBy", [i]), f, 1, 1, f.routing.problem)
}

# Names of every alert, claimed or recorded (the controlled test must fire one of them).
all_alert_names contains n if {
	some a in alerts
	n := lib.get(a, "name", null)
	lib.non_empty_string(n)
}

all_alert_names contains a.name if {
	some i in recorded_alert_items
	f := alert_fact(i)
	f.type == "alert-rules"
	some a in f.alerts
}

# --- recorded dashboards -----------------------------------------------------------------

dashboard_fact(i) := lib.recorded_fact("observability", sprintf("/dashboards/%d", [i]), "")

recorded_dashboard_index(d) := i if {
	some i, x in dashboards
	x == d
}

# The topics a recorded dashboard's panels cover (none when the file cannot be used).
recorded_topics(d) := {t |
	f := dashboard_fact(recorded_dashboard_index(d))
	f.valid == true
	f.type == "dashboard"
	some t, patterns in dashboard_topic_patterns
	some panel in f.panels
	some m in panel.metrics
	some p in patterns
	regex.match(p, m)
}

dashboard_artifact_reasons contains r if {
	some i, d in dashboards
	lib.is_recorded(d)
	f := dashboard_fact(i)
	f.valid != true
	some r in lib.artifact_invalid_reasons("observability", sprintf("/dashboards/%d", [i]), f)
}

dashboard_artifact_reasons contains r if {
	some i, d in dashboards
	lib.is_recorded(d)
	f := dashboard_fact(i)
	f.valid == true
	f.type != "dashboard"
	r := lib.recorded_reason("invalid-evidence", "observability", sprintf("/dashboards/%d", [i]), f, 1, 1, sprintf("artifact %s is not a Grafana dashboard (its format is %s)", [f.file, f.format]))
}

# --- recorded OTLP export ------------------------------------------------------------------

# recorded_otlp_reasons: the configuration at pointer exports each signal over OTLP.
recorded_otlp_reasons(pointer) := lib.artifact_invalid_reasons("observability", pointer, f) if {
	f := lib.recorded_fact("observability", pointer, "")
	f.valid != true
} else := {lib.recorded_reason("invalid-evidence", "observability", pointer, f, 1, 1, sprintf("artifact %s is not an OpenTelemetry configuration (its format is %s)", [f.file, f.format]))} if {
	f := lib.recorded_fact("observability", pointer, "")
	f.type != "otlp"
} else := {r |
	f := lib.recorded_fact("observability", pointer, "")
	some signal in signals
	refs := object.get(f.signals, signal, [])
	count([x | some x in refs; x.otlp == true]) == 0
	r := otlp_signal_reason(pointer, f, signal, refs)
}

otlp_signal_reason(pointer, f, signal, refs) := lib.recorded_reason("violation", "observability", pointer, f, refs[0].line, refs[0].column, sprintf("%s exports %s to %s, none of them an OTLP exporter (debug, nop, console and the like do not count)", [f.file, signal, concat(", ", [x.name | some x in refs])])) if {
	count(refs) > 0
} else := lib.recorded_reason("missing-evidence", "observability", pointer, f, 1, 1, sprintf("%s has no %s pipeline or exporter", [f.file, signal]))

# --- recorded routing and the controlled test ------------------------------------------------

routing_recorded if lib.is_recorded(object.get(ev, "routing", null))

routing_fact := lib.recorded_fact("observability", "/routing", "")

# The receivers that deliver (have an integration) in the recorded Alertmanager configuration.
recorded_receivers := [r.name |
	routing_fact.valid == true
	routing_fact.type == "alert-routing"
	some r in routing_fact.receivers
	count(r.integrations) > 0
]

recorded_routing_reasons contains r if {
	routing_recorded
	routing_fact.valid != true
	some r in lib.artifact_invalid_reasons("observability", "/routing", routing_fact)
}

recorded_routing_reasons contains r if {
	routing_recorded
	routing_fact.valid == true
	routing_fact.type != "alert-routing"
	r := lib.recorded_reason("invalid-evidence", "observability", "/routing", routing_fact, 1, 1, sprintf("artifact %s is not an Alertmanager configuration (its format is %s)", [routing_fact.file, routing_fact.format]))
}

controlled_recorded if lib.is_recorded(controlled_test)

receipt_fact := lib.recorded_fact("observability", "/routing/controlledTest", "")

# An alert of the capture that is one of the listed alerts, firing, received by a configured receiver.
received(a) if {
	a.name in all_alert_names
	a.status in {"firing", "active"}
	some receiver in a.receivers
	receiver in receivers
}

recorded_controlled_reasons := lib.artifact_invalid_reasons("observability", "/routing/controlledTest", receipt_fact) if {
	receipt_fact.valid != true
} else := {lib.recorded_reason("invalid-evidence", "observability", "/routing/controlledTest", receipt_fact, 1, 1, sprintf("artifact %s is not a captured alert (its format is %s)", [receipt_fact.file, receipt_fact.format]))} if {
	receipt_fact.type != "alert-receipt"
} else := (lib.recorded_date_reasons("observability", "/routing/controlledTest", receipt_fact) | receipt_age_reasons) | receipt_alert_reasons

receipt_age_reasons contains r if {
	d := object.get(receipt_fact, "date", null)
	lib.not_after_as_of(d)
	age := lib.age_days(d)
	age > lib.verification_max_age_days
	r := lib.recorded_reason("stale-evidence", "observability", "/routing/controlledTest", receipt_fact, 1, 1, sprintf("the captured alert %s is dated %s, %d days before the as-of date %s; it must be at most %d days old", [receipt_fact.file, d, age, input.as_of, lib.verification_max_age_days]))
}

receipt_alert_reasons contains r if {
	count([a | some a in receipt_fact.alerts; received(a)]) == 0
	first := receipt_fact.alerts[0]
	r := lib.recorded_reason("violation", "observability", "/routing/controlledTest", receipt_fact, first.line, first.column, sprintf("no alert in %s is one of the listed alerts, firing, and received by a configured receiver with an integration (%s)", [receipt_fact.file, concat(", ", receivers)]))
}
