package checklist.traffic_test

import data.checklist.traffic

good := {
	"kind": "traffic",
	"schemaVersion": 1,
	"expectedPeakRps": 50,
	"latencySloP99Ms": 250,
	"rateLimit": {"requestsPerMinute": 600, "scope": "client"},
	"maxRequestBytes": 65536,
	"loadTest": {"date": "2026-11-10", "outcome": "passed", "reference": "https://ci.example.com/runs/7790", "peakRps": 120, "p99Ms": 180},
}

bundle_env(env, tr) := {
	"env": env,
	"as_of": "2026-11-25",
	"links": {"https://ci.example.com/runs/7790": {"ok": true}},
	"evidence": {"traffic": {"file": "evidence/prod/traffic.yaml", "valid": true, "data": tr}},
}

bundle(tr) := bundle_env("prod", tr)

patch(obj) := object.union(good, obj)

pointers(gate) := {e.pointer | some r in gate.reasons; some e in r.evidence}

messages(gate) := {r.message | some r in gate.reasons}

test_good_traffic_passes_in_prod if {
	gates := traffic.gates with input as bundle(good)
	every id in ["traffic.limits", "traffic.limits.rate", "traffic.limits.payload", "traffic.load-test"] {
		gates[id].status == "pass"
	}
}

test_load_test_is_not_applicable_in_sandbox if {
	gate := traffic.gates["traffic.load-test"] with input as bundle_env("sandbox", object.remove(good, ["loadTest"]))
	gate.status == "na"
	gate.reasons[0].message == "a load test is required for prod only"
}

test_missing_traffic_evidence_fails if {
	gates := traffic.gates with input as {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {}}
	every id in ["traffic.limits.rate", "traffic.limits.payload", "traffic.load-test"] {
		gates[id].status == "fail"
		gates[id].reasons[0].code == "missing-evidence"
	}
}

test_invalid_traffic_evidence_is_error if {
	inp := {"env": "prod", "as_of": "2026-11-25", "links": {}, "evidence": {"traffic": {"file": "t.yaml", "valid": false, "problems": [{"pointer": "/maxRequestBytes", "message": "must be integer"}]}}}
	gate := traffic.gates["traffic.limits.payload"] with input as inp
	gate.status == "error"
}

# --- traffic.limits.rate ---------------------------------------------------------------

test_rate_limit_missing_fails if {
	gate := traffic.gates["traffic.limits.rate"] with input as bundle(object.remove(good, ["rateLimit"]))
	pointers(gate) == {"/rateLimit"}
	gate.reasons[0].code == "missing-evidence"
}

test_rate_limit_must_be_positive_and_per_client if {
	gate := traffic.gates["traffic.limits.rate"] with input as bundle(patch({"rateLimit": {"requestsPerMinute": 0, "scope": "global"}}))
	messages(gate) == {
		"requestsPerMinute 0 is not a positive whole number",
		"the rate limit applies per global, not per client",
	}
}

# --- traffic.limits.payload ------------------------------------------------------------

test_payload_limit_missing_fails if {
	gate := traffic.gates["traffic.limits.payload"] with input as bundle(object.remove(good, ["maxRequestBytes"]))
	gate.reasons[0].code == "missing-evidence"
}

test_payload_limit_must_be_positive_and_at_most_10_mib if {
	zero := traffic.gates["traffic.limits.payload"] with input as bundle(patch({"maxRequestBytes": 0}))
	messages(zero) == {"maxRequestBytes 0 is not a positive whole number"}
	huge := traffic.gates["traffic.limits.payload"] with input as bundle(patch({"maxRequestBytes": 20971520}))
	messages(huge) == {"maxRequestBytes 20971520 is over the 10 MiB limit (10485760)"}
	limit := traffic.gates["traffic.limits.payload"] with input as bundle(patch({"maxRequestBytes": 10485760}))
	limit.status == "pass"
}

# --- traffic.load-test -------------------------------------------------------------------

test_load_test_missing_fails_in_prod if {
	gate := traffic.gates["traffic.load-test"] with input as bundle(object.remove(good, ["loadTest"]))
	gate.status == "fail"
	pointers(gate) == {"/loadTest"}
}

test_load_test_older_than_90_days_is_stale if {
	gate := traffic.gates["traffic.load-test"] with input as bundle(patch({"loadTest": object.union(good.loadTest, {"date": "2026-08-01"})}))
	gate.status == "fail"
	gate.reasons[0].code == "stale-evidence"
	gate.reasons[0].message == "the load test is 116 days old; at most 90 are allowed"
	edge := traffic.gates["traffic.load-test"] with input as bundle(patch({"loadTest": object.union(good.loadTest, {"date": "2026-08-27"})}))
	edge.status == "pass"
}

test_load_test_after_as_of_fails if {
	gate := traffic.gates["traffic.load-test"] with input as bundle(patch({"loadTest": object.union(good.loadTest, {"date": "2026-12-01"})}))
	pointers(gate) == {"/loadTest/date"}
}

test_load_test_under_twice_the_peak_fails if {
	gate := traffic.gates["traffic.load-test"] with input as bundle(patch({"loadTest": object.union(good.loadTest, {"peakRps": 99.5})}))
	messages(gate) == {"the load test peaked at 99.5 requests/s, under twice the expected peak (100)"}
}

test_load_test_over_the_slo_fails if {
	gate := traffic.gates["traffic.load-test"] with input as bundle(patch({"loadTest": object.union(good.loadTest, {"p99Ms": 251})}))
	messages(gate) == {"the load test's p99 latency 251 ms is over the 250 ms SLO"}
}

test_load_test_without_measurements_or_targets_fails if {
	# object.union merges nested objects, so remove first and add the smaller loadTest back
	rest := object.remove(good, ["loadTest", "expectedPeakRps", "latencySloP99Ms"])
	tr := object.union(rest, {"loadTest": object.remove(good.loadTest, ["peakRps", "p99Ms"])})
	gate := traffic.gates["traffic.load-test"] with input as bundle(tr)
	pointers(gate) == {"/loadTest/peakRps", "/loadTest/p99Ms", "/expectedPeakRps", "/latencySloP99Ms"}
}
