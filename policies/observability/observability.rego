# METADATA
# title: Observability Gates (Pass/Fail)
# description: |
#   OTLP export from the server (and the client where one is released), dashboards,
#   actionable alerts and tested alert routing.
package checklist.observability

import data.prodgate.lib

ev := lib.evidence("observability")

# --- observability.otlp --------------------------------------------------------

# METADATA
# title: OTLP export configured for traces/logs/metrics (server and client where applicable).
# description: Traces, logs and metrics are exported over OTLP from the server, and from the client too when a client app is released.
# custom:
#   id: observability.otlp
#   section: observability
#   severity: high
#   evidence: [observability, release]
#   recorded:
#     prod: ["observability:/otlp/server"]
#   rules:
#     default: otlp.server traces, logs and metrics are all true; when release.services has a service of type client, otlp.client traces, logs and metrics are all true too.
#   remediation: Export traces, logs and metrics over OTLP from the server and from every released client app, and record it under otlp.
gates["observability.otlp"] := lib.decide(["observability", "release"], otlp_reasons)

signals := ["traces", "logs", "metrics"]

services := s if {
	s := object.get(lib.evidence("release"), "services", null)
	is_array(s)
}

client_in_scope if {
	some s in services
	lib.get(s, "type", null) == "client"
}

otlp_reasons contains r if {
	not lib.is_recorded(object.get(ev, ["otlp", "server"], null))
	some signal in signals
	some r in lib.flag_reasons("observability", sprintf("/otlp/server/%s", [signal]), object.get(ev, ["otlp", "server", signal], null), sprintf("the server exports %s over OTLP", [signal]))
}

# The sides that must export: the server, and the client when one is released.
otlp_sides contains "server"

otlp_sides contains "client" if client_in_scope

# Recorded from an OpenTelemetry configuration (configuration.rego).
otlp_reasons contains r if {
	some side in otlp_sides
	lib.is_recorded(object.get(ev, ["otlp", side], null))
	some r in recorded_otlp_reasons(sprintf("/otlp/%s", [side]))
}

otlp_reasons contains r if {
	client_in_scope
	not lib.is_recorded(object.get(ev, ["otlp", "client"], null))
	some signal in signals
	some r in lib.flag_reasons("observability", sprintf("/otlp/client/%s", [signal]), object.get(ev, ["otlp", "client", signal], null), sprintf("the client app (released) exports %s over OTLP", [signal]))
}

# Whether a client app is in scope cannot be decided without the released services.
otlp_reasons contains r if {
	not services
	r := lib.missing("release", "/services", "the release lists no services, so it is unknown whether a client app must export over OTLP")
}

# --- observability.dashboards ----------------------------------------------------

# METADATA
# title: "Dashboards exist:"
# description: Dashboards exist for the API, the datastores and, where applicable, queues and workflows (the children).
# custom:
#   id: observability.dashboards
#   section: observability
#   severity: medium
#   evidence: [observability]
#   rules:
#     default: All applicable children pass.
#   remediation: Fix the failing child gates below.
gates["observability.dashboards"] := lib.applicable

# METADATA
# title: API latency/error dashboards
# description: A dashboard covers API latency and one covers API errors (may be the same dashboard).
# custom:
#   id: observability.dashboards.api
#   section: observability
#   severity: medium
#   parent: observability.dashboards
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/dashboards/*"]
#   rules:
#     default: A dashboard's covers includes api-latency and a dashboard's covers includes api-errors (may be the same dashboard); a dashboard counts only when its link resolves (https URL or repository file).
#   remediation: Add a dashboard covering api-latency and api-errors and list it under dashboards.
gates["observability.dashboards.api"] := lib.decide(["observability"], coverage_reasons(["api-latency", "api-errors"]))

# METADATA
# title: DB/Redis saturation dashboards
# description: A dashboard covers database saturation and one covers Redis saturation (may be the same dashboard).
# custom:
#   id: observability.dashboards.datastores
#   section: observability
#   severity: medium
#   parent: observability.dashboards
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/dashboards/*"]
#   rules:
#     default: A dashboard's covers includes db-saturation and a dashboard's covers includes redis-saturation (may be the same dashboard); a dashboard counts only when its link resolves (https URL or repository file).
#   remediation: Add a dashboard covering db-saturation and redis-saturation and list it under dashboards.
gates["observability.dashboards.datastores"] := lib.decide(["observability"], coverage_reasons(["db-saturation", "redis-saturation"]))

# METADATA
# title: queue/workflow health (if applicable)
# description: Not applicable when the release has no queues or workflows (and the tenancy evidence lists no background workflow); otherwise a dashboard covers their health.
# custom:
#   id: observability.dashboards.workflows
#   section: observability
#   severity: medium
#   parent: observability.dashboards
#   evidence: [observability, tenancy]
#   recorded:
#     prod: ["observability:/dashboards/*"]
#   rules:
#     default: queuesOrWorkflows is recorded; na when false and tenancy sharedScope.workflows lists no background workflow (false while tenancy lists one fails); otherwise a dashboard with a resolvable link (input.links ok) has covers including workflow-health.
#   remediation: Record queuesOrWorkflows and, when true, add a dashboard covering workflow-health.
gates["observability.dashboards.workflows"] := workflows_gate

# N/A only when queuesOrWorkflows is false and the (valid) tenancy evidence lists no
# background workflow; otherwise the gate reads both files (a missing tenancy file fails).
workflows_gate := lib.not_applicable("observability", "/queuesOrWorkflows", "the release has no queues or background workflows") if {
	lib.get(ev, "queuesOrWorkflows", null) == false
	input.evidence.tenancy.valid == true
	count(tenancy_workflows) == 0
} else := lib.decide(["observability", "tenancy"], workflows_reasons)

# The background workflows the tenancy evidence lists under sharedScope.workflows.
tenancy_workflows := w if {
	w := object.get(lib.evidence("tenancy"), ["sharedScope", "workflows"], null)
	is_array(w)
} else := []

workflows_reasons := {lib.missing("observability", "/queuesOrWorkflows", "queuesOrWorkflows is not recorded, so it is unknown whether a queue/workflow dashboard is needed")} if {
	not is_boolean(lib.get(ev, "queuesOrWorkflows", null))
} else := coverage_reasons(["workflow-health"]) | contradiction_reasons

contradiction_reasons contains r if {
	lib.get(ev, "queuesOrWorkflows", null) == false
	count(tenancy_workflows) > 0
	names := [lib.label(i, w) | some i, w in tenancy_workflows]
	r := {
		"code": "violation",
		"message": sprintf("queuesOrWorkflows is false, but the tenancy evidence lists %d background workflow(s) under sharedScope.workflows: %s", [count(tenancy_workflows), concat(", ", names)]),
		"evidence": [
			{"file": lib.file_of("observability"), "pointer": "/queuesOrWorkflows"},
			{"file": lib.file_of("tenancy"), "pointer": "/sharedScope/workflows"},
		],
	}
}

dashboards := d if {
	d := lib.get(ev, "dashboards", null)
	is_array(d)
} else := []

# A dashboard counts as covering a topic only when its link resolves (prodgate resolves
# every link into input.links: https, or a repository file that exists).
covered(topic) if {
	some d in dashboards
	not lib.is_recorded(d)
	topic in claimed_topics(d)
	count(lib.link_reasons("observability", "", lib.get(d, "link", null))) == 0
}

# A dashboard read from its JSON covers what its panels' queries read (configuration.rego).
covered(topic) if {
	some d in dashboards
	lib.is_recorded(d)
	topic in recorded_topics(d)
}

claimed_topics(d) := recorded_topics(d) if {
	lib.is_recorded(d)
} else := {t | some t in lib.get(d, "covers", [])} if {
	is_array(lib.get(d, "covers", null))
} else := set()

coverage_reasons(topics) := (({r |
	some topic in topics
	count([d | some d in dashboards; topic in claimed_topics(d)]) == 0
	r := lib.missing("observability", "/dashboards", sprintf("no dashboard covers %s", [topic]))
} | {r |
	some topic in topics
	not covered(topic)
	count([d | some d in dashboards; topic in claimed_topics(d)]) > 0
	r := lib.missing("observability", "/dashboards", sprintf("no dashboard with a resolvable link covers %s", [topic]))
}) | {r |
	# one reason per dashboard that claims a topic of the gate but whose link does not resolve
	some i, d in dashboards
	not lib.is_recorded(d)
	claimed := [t | some t in topics; t in claimed_topics(d)]
	count(claimed) > 0
	some lr in lib.link_reasons("observability", sprintf("/dashboards/%d/link", [i]), lib.get(d, "link", null))
	r := object.union(lr, {"message": sprintf("dashboard %s covers %s, but it does not count: %s", [lib.label(i, d), concat(", ", claimed), lr.message])})
}) | dashboard_artifact_reasons

# --- observability.alerts -----------------------------------------------------------

# METADATA
# title: "Alerts exist and are actionable:"
# description: Alerts for error rate, latency, migrations failures and auth/session failures each route to a receiver (the children).
# custom:
#   id: observability.alerts
#   section: observability
#   severity: high
#   evidence: [observability]
#   rules:
#     default: All four children pass.
#   remediation: Fix the failing child gates below.
gates["observability.alerts"] := lib.applicable

# METADATA
# title: high error rate
# description: An alert on a high error rate routes to a configured receiver.
# custom:
#   id: observability.alerts.error-rate
#   section: observability
#   severity: high
#   parent: observability.alerts
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/alerts/*"]
#   rules:
#     default: An alert with signal error-rate whose receiver is one of routing.receivers.
#   remediation: Add an error-rate alert routed to a receiver listed in routing.receivers.
gates["observability.alerts.error-rate"] := alert_gate("error-rate")

# METADATA
# title: elevated latency
# description: An alert on elevated latency routes to a configured receiver.
# custom:
#   id: observability.alerts.latency
#   section: observability
#   severity: high
#   parent: observability.alerts
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/alerts/*"]
#   rules:
#     default: An alert with signal latency whose receiver is one of routing.receivers.
#   remediation: Add a latency alert routed to a receiver listed in routing.receivers.
gates["observability.alerts.latency"] := alert_gate("latency")

# METADATA
# title: migrations failures
# description: An alert on migrations failures routes to a configured receiver.
# custom:
#   id: observability.alerts.migrations
#   section: observability
#   severity: high
#   parent: observability.alerts
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/alerts/*"]
#   rules:
#     default: An alert with signal migrations whose receiver is one of routing.receivers.
#   remediation: Add a migrations-failure alert routed to a receiver listed in routing.receivers.
gates["observability.alerts.migrations"] := alert_gate("migrations")

# METADATA
# title: auth/redis session failures
# description: An alert on auth/Redis session failures routes to a configured receiver.
# custom:
#   id: observability.alerts.auth-sessions
#   section: observability
#   severity: high
#   parent: observability.alerts
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/alerts/*"]
#   rules:
#     default: An alert with signal auth-sessions whose receiver is one of routing.receivers.
#   remediation: Add an auth/session-failure alert routed to a receiver listed in routing.receivers.
gates["observability.alerts.auth-sessions"] := alert_gate("auth-sessions")

alerts := a if {
	a := lib.get(ev, "alerts", null)
	is_array(a)
} else := []

receivers := recorded_receivers if {
	routing_recorded
} else := r if {
	r := object.get(ev, ["routing", "receivers"], null)
	is_array(r)
} else := []

routed(alert) if {
	receiver := lib.get(alert, "receiver", null)
	lib.non_empty_string(receiver)
	receiver in receivers
}

alert_gate(signal) := lib.decide(["observability"], alert_reasons(signal))

alert_reasons(signal) := set() if {
	some alert in alerts
	lib.get(alert, "signal", null) == signal
	routed(alert)
} else := set() if {
	count(rules_file_reasons) == 0
	recorded_alert_routed(signal)
} else := recorded_alert_reasons(signal) if {
	# Recorded from rule files (configuration.rego), and no claimed alert on the signal.
	count(recorded_alert_items) > 0
	count([a | some a in alerts; lib.get(a, "signal", null) == signal]) == 0
} else := {lib.missing("observability", "/alerts", sprintf("no alert on the %s signal", [signal]))} if {
	count([a | some a in alerts; lib.get(a, "signal", null) == signal]) == 0
} else := {r |
	some i, alert in alerts
	lib.get(alert, "signal", null) == signal
	r := unrouted_reason(i, alert)
}

unrouted_reason(i, alert) := lib.missing("observability", sprintf("/alerts/%d/receiver", [i]), sprintf("alert %s has no receiver", [lib.label(i, alert)])) if {
	not lib.non_empty_string(lib.get(alert, "receiver", null))
} else := lib.violation("observability", sprintf("/alerts/%d/receiver", [i]), sprintf("alert %s routes to receiver %s, which is not one of routing.receivers", [lib.label(i, alert), lib.show(alert.receiver)]))

# --- observability.alert-routing ----------------------------------------------------

# METADATA
# title: Alert routing is configured and tested (at least one controlled alert).
# description: Receivers are configured and a controlled alert, one of the listed alerts, was fired and received, dated.
# custom:
#   id: observability.alert-routing
#   section: observability
#   severity: high
#   evidence: [observability]
#   recorded:
#     prod: ["observability:/routing", "observability:/routing/controlledTest"]
#   rules:
#     default: routing.receivers is non-empty; routing.controlledTest has a date (YYYY-MM-DD, not after the as-of date and at most 180 days old at the as-of date), received true, and an alert that is one of the listed alerts.
#   remediation: Configure the receivers, fire a controlled alert end to end, and record its date, alert and receipt under routing.controlledTest.
gates["observability.alert-routing"] := lib.decide(["observability"], routing_reasons)

controlled_test := object.get(ev, ["routing", "controlledTest"], null)

routing_reasons contains r if {
	count(receivers) == 0
	r := lib.missing("observability", "/routing/receivers", "no alert receiver is configured under routing.receivers")
}

routing_reasons contains r if {
	some r in recorded_routing_reasons
}

routing_reasons contains r if {
	controlled_recorded
	some r in recorded_controlled_reasons
}

routing_reasons contains r if {
	not is_object(controlled_test)
	r := lib.missing("observability", "/routing/controlledTest", "no controlled alert test is recorded")
}

routing_reasons contains r if {
	not controlled_recorded
	is_object(controlled_test)
	not lib.is_date(lib.get(controlled_test, "date", null))
	r := lib.missing("observability", "/routing/controlledTest/date", "the controlled alert test has no date (YYYY-MM-DD)")
}

routing_reasons contains r if {
	not controlled_recorded
	d := lib.get(controlled_test, "date", null)
	lib.is_date(d)
	not lib.not_after_as_of(d)
	r := lib.stale("observability", "/routing/controlledTest/date", sprintf("the controlled alert test is dated %s, after the as-of date %s", [d, input.as_of]))
}

routing_reasons contains r if {
	not controlled_recorded
	d := lib.get(controlled_test, "date", null)
	lib.not_after_as_of(d)
	age := lib.age_days(d)
	age > lib.verification_max_age_days
	r := lib.stale("observability", "/routing/controlledTest/date", sprintf("the controlled alert test is dated %s, %d days before the as-of date %s; it must be at most %d days old", [d, age, input.as_of, lib.verification_max_age_days]))
}

routing_reasons contains r if {
	not controlled_recorded
	is_object(controlled_test)
	some r in lib.flag_reasons("observability", "/routing/controlledTest/received", lib.get(controlled_test, "received", null), "the controlled alert was received")
}

routing_reasons contains r if {
	not controlled_recorded
	is_object(controlled_test)
	not lib.non_empty_string(lib.get(controlled_test, "alert", null))
	r := lib.missing("observability", "/routing/controlledTest/alert", "the controlled alert test does not name the alert it fired")
}

routing_reasons contains r if {
	not controlled_recorded
	name := lib.get(controlled_test, "alert", null)
	lib.non_empty_string(name)
	not name in all_alert_names
	r := lib.violation("observability", "/routing/controlledTest/alert", sprintf("the controlled alert %s is not one of the listed alerts", [json.marshal(name)]))
}

# --- helpers ---------------------------------------------------------------------------

# show renders any value for a message: under opa-wasm sprintf is sprintf-js, so only
# strings go to %s (no %q, and %v throws on null).
lib["show"](v) := v if {
	is_string(v)
} else := json.marshal(v)
