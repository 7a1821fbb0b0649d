# SLOs recorded from SLO specifications (OpenSLO v1, Sloth, Pyrra; docs/artifacts.md).
# Which objective is the availability, the error-rate or the latency SLO, and which
# label of a query names the route, are the patterns below: data of this pack.
package checklist.ops

import data.prodgate.lib

# An objective is of a type when its indicator is one of the type's and its words (name,
# description, indicator name) match the type's pattern (RE2, unanchored; "" matches all).
slo_type_patterns := {
	"availability": {"indicators": ["ratio", "bool"], "words": "(?i)availab|uptime"},
	"error-rate": {"indicators": ["ratio"], "words": "(?i)error"},
	"latency": {"indicators": ["latency"], "words": ""},
}

# Labels whose matchers name the HTTP route a query reads.
route_labels := ["route", "http_route", "handler", "path", "url_path", "uri", "endpoint", "http_target"]

# /knowledge calls a route regex is tried on (a regex matcher covers the /knowledge calls
# when it matches one of them).
knowledge_call_probes := ["/knowledge/search", "/knowledge/entities", "/knowledge/meeting-prep"]

recorded_slo_items := [i | some i, s in slos; lib.is_recorded(s)]

slo_fact(i) := lib.recorded_fact("ops", sprintf("/slos/%d", [i]), "")

recorded_objectives := [[i, o] |
	some i in recorded_slo_items
	f := slo_fact(i)
	f.valid == true
	f.type == "slos"
	some o in f.objectives
]

objective_is(o, t) if {
	p := slo_type_patterns[t]
	o.indicator in p.indicators
	regex.match(p.words, o.words)
}

recorded_slo_type(t) if {
	some [_, o] in recorded_objectives
	objective_is(o, t)
}

covers_knowledge_matcher(m) if {
	m.name in route_labels
	m.op == "="
	knowledge_route(m.value)
}

covers_knowledge_matcher(m) if {
	m.name in route_labels
	m.op == "=~"
	some probe in knowledge_call_probes
	regex.match(sprintf("^(?:%s)$", [m.value]), probe)
}

recorded_latency_covers_knowledge if {
	some [_, o] in recorded_objectives
	objective_is(o, "latency")
	some m in o.matchers
	covers_knowledge_matcher(m)
}

slo_window_ok(w) if regex.match(`^[0-9]{1,6}[mhdw]$`, w)

slo_reasons contains r if {
	some i in recorded_slo_items
	f := slo_fact(i)
	f.valid != true
	some r in lib.artifact_invalid_reasons("ops", sprintf("/slos/%d", [i]), f)
}

slo_reasons contains r if {
	some i in recorded_slo_items
	f := slo_fact(i)
	f.valid == true
	f.type != "slos"
	r := lib.recorded_reason("invalid-evidence", "ops", sprintf("/slos/%d", [i]), f, 1, 1, sprintf("artifact %s is not an SLO specification (its format is %s)", [f.file, f.format]))
}

# A typed objective needs a target (a fraction) and a window.
slo_reasons contains r if {
	some [i, o] in recorded_objectives
	some t in slo_types
	objective_is(o, t)
	not is_number(object.get(o, "target", null))
	r := lib.recorded_reason("missing-evidence", "ops", sprintf("/slos/%d", [i]), slo_fact(i), o.line, o.column, sprintf("the %s objective %s has no target", [t, o.name]))
}

slo_reasons contains r if {
	some [i, o] in recorded_objectives
	some t in slo_types
	objective_is(o, t)
	not slo_window_ok(object.get(o, "window", ""))
	r := lib.recorded_reason("missing-evidence", "ops", sprintf("/slos/%d", [i]), slo_fact(i), o.line, o.column, sprintf("the %s objective %s has no window (a duration such as 30d or 2w)", [t, o.name]))
}

# Latency objectives were recorded, none claimed, and none reads a /knowledge route.
slo_reasons contains r if {
	count(latency_slos) == 0
	recorded_slo_type("latency")
	not recorded_latency_covers_knowledge
	some [i, o] in recorded_objectives
	objective_is(o, "latency")
	r := lib.recorded_reason("missing-evidence", "ops", sprintf("/slos/%d", [i]), slo_fact(i), o.line, o.column, sprintf("the latency objective %s does not cover a /knowledge critical call: no matcher on a route label (%s) of its queries matches one", [o.name, concat(", ", route_labels)]))
}
