# METADATA
# title: Traffic
# description: How much traffic the endpoint accepts and how it was shown to hold its latency under load.
package checklist.traffic

import data.prodgate.lib

tr := lib.evidence("traffic")

# The largest request body a public endpoint may accept: 10 MiB.
max_body_bytes := 10485760

# A load test older than this (days before the as-of date) no longer describes the release.
max_load_test_age_days := 90

# METADATA
# title: "Limits are set:"
# description: Parent of the traffic limit gates; it passes when both children pass.
# custom:
#   id: traffic.limits
#   section: traffic
#   severity: high
#   evidence: [traffic]
#   rules:
#     default: Both children pass.
#   remediation: Set a per-client rate limit and a maximum request size.
gates["traffic.limits"] := lib.applicable

# METADATA
# title: a per-client rate limit
# description: Each client is limited to a positive number of requests per minute.
# custom:
#   id: traffic.limits.rate
#   section: traffic
#   severity: high
#   parent: traffic.limits
#   evidence: [traffic]
#   rules:
#     default: rateLimit.requestsPerMinute is a positive integer and rateLimit.scope is client.
#   remediation: Configure a per-client rate limit at the gateway and record it in rateLimit.
gates["traffic.limits.rate"] := lib.decide(["traffic"], rate_reasons)

# METADATA
# title: a maximum request size (at most 10 MiB)
# description: Requests larger than a stated size are refused; the size is at most 10 MiB.
# custom:
#   id: traffic.limits.payload
#   section: traffic
#   severity: medium
#   parent: traffic.limits
#   evidence: [traffic]
#   rules:
#     default: maxRequestBytes is a positive integer of at most 10485760 (10 MiB).
#   remediation: Set the gateway's request body limit and record it in maxRequestBytes.
gates["traffic.limits.payload"] := lib.decide(["traffic"], payload_reasons)

# METADATA
# title: A recent load test held the latency SLO at twice the expected peak (prod).
# description: |
#   In prod, a load test run within 90 days of the as-of date drove at least twice the
#   expected peak request rate and kept the p99 latency within the SLO. Not required in
#   the sandbox.
# custom:
#   id: traffic.load-test
#   section: traffic
#   severity: high
#   evidence: [traffic]
#   rules:
#     sandbox: Not applicable.
#     prod: A passed load test dated not after as-of and at most 90 days before it, at a peak of at least 2 x expectedPeakRps, with p99Ms at most latencySloP99Ms.
#   remediation: Run the load test at twice the expected peak and record it in loadTest (date, outcome, peakRps, p99Ms).
gates["traffic.load-test"] := lib.not_applicable("traffic", "/loadTest", "a load test is required for prod only") if {
	not lib.is_prod
} else := lib.decide(["traffic"], load_test_reasons)

# --- traffic.limits.rate ---------------------------------------------------------------

rate_limit := object.get(tr, "rateLimit", null)

positive_int(n) if {
	is_number(n)
	n == floor(n)
	n > 0
}

rate_reasons contains lib.missing("traffic", "/rateLimit", "no rate limit is recorded") if {
	not is_object(rate_limit)
}

rate_reasons contains lib.violation("traffic", "/rateLimit/requestsPerMinute", sprintf("requestsPerMinute %s is not a positive whole number", [lib.show(rpm)])) if {
	is_object(rate_limit)
	rpm := object.get(rate_limit, "requestsPerMinute", null)
	not positive_int(rpm)
}

rate_reasons contains lib.violation("traffic", "/rateLimit/scope", sprintf("the rate limit applies per %s, not per client", [lib.show(scope)])) if {
	is_object(rate_limit)
	scope := object.get(rate_limit, "scope", null)
	scope != "client"
}

# --- traffic.limits.payload ------------------------------------------------------------

max_request := object.get(tr, "maxRequestBytes", null)

payload_reasons contains lib.missing("traffic", "/maxRequestBytes", "no maximum request size is recorded") if {
	max_request == null
}

payload_reasons contains lib.violation("traffic", "/maxRequestBytes", sprintf("maxRequestBytes %s is not a positive whole number", [lib.show(max_request)])) if {
	max_request != null
	not positive_int(max_request)
}

payload_reasons contains lib.violation("traffic", "/maxRequestBytes", sprintf("maxRequestBytes %d is over the 10 MiB limit (%d)", [max_request, max_body_bytes])) if {
	positive_int(max_request)
	max_request > max_body_bytes
}

# --- traffic.load-test -------------------------------------------------------------------

load_test := object.get(tr, "loadTest", null)

expected_peak := object.get(tr, "expectedPeakRps", null)

slo_p99 := object.get(tr, "latencySloP99Ms", null)

load_test_reasons contains r if {
	some r in lib.verification_reasons("traffic", "/loadTest", load_test)
}

load_test_reasons contains lib.stale("traffic", "/loadTest/date", sprintf("the load test is %d days old; at most %d are allowed", [age, max_load_test_age_days])) if {
	date := lib.get(load_test, "date", null)
	lib.not_after_as_of(date)
	age := lib.age_days(date)
	age > max_load_test_age_days
}

load_test_reasons contains lib.missing("traffic", "/expectedPeakRps", "the expected peak request rate is not recorded") if {
	not positive_int(expected_peak)
}

load_test_reasons contains lib.missing("traffic", "/loadTest/peakRps", "the load test does not record the peak rate it reached") if {
	is_object(load_test)
	not is_number(lib.get(load_test, "peakRps", null))
}

load_test_reasons contains lib.violation("traffic", "/loadTest/peakRps", sprintf("the load test peaked at %s requests/s, under twice the expected peak (%s)", [lib.show(peak), lib.show(2 * expected_peak)])) if {
	positive_int(expected_peak)
	peak := lib.get(load_test, "peakRps", null)
	is_number(peak)
	peak < 2 * expected_peak
}

load_test_reasons contains lib.missing("traffic", "/latencySloP99Ms", "the p99 latency SLO is not recorded") if {
	not is_number(slo_p99)
}

load_test_reasons contains lib.missing("traffic", "/loadTest/p99Ms", "the load test does not record its p99 latency") if {
	is_object(load_test)
	not is_number(lib.get(load_test, "p99Ms", null))
}

load_test_reasons contains lib.violation("traffic", "/loadTest/p99Ms", sprintf("the load test's p99 latency %s ms is over the %s ms SLO", [lib.show(p99), lib.show(slo_p99)])) if {
	is_number(slo_p99)
	p99 := lib.get(load_test, "p99Ms", null)
	is_number(p99)
	p99 > slo_p99
}
