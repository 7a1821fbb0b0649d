# METADATA
# title: Release Metadata and Scope
# description: What is being released, where, by whom, and what is explicitly out of scope.
package checklist.release

import data.prodgate.lib

# The explicit non-goals, verbatim from the spec.
spec_non_goals := ["Calendar sync", "webhooks", "Outlook/IMAP", "doc editor", "multi-source resolution"]

rel := lib.evidence("release")

# METADATA
# title: Release Metadata
# description: |
#   The release names its service/app(s), the environment it is evaluated for, a release id,
#   the git revision it ships, its date and its owner.
# custom:
#   id: release.metadata
#   section: release
#   severity: high
#   evidence: [release]
#   rules:
#     default: At least one service/app, environment equal to {env}, a release id, the git revision (full sha), a date not after as-of, an owner.
#   remediation: Fill services, environment (the one being evaluated), releaseId, revision, date and owner in the release evidence.
gates["release.metadata"] := lib.decide(["release"], metadata_reasons)

# METADATA
# title: Scope (What Is Being Released)
# description: |
#   At least one in-scope feature, the spec's explicit non-goals listed verbatim, and no
#   in-scope feature that is one of the non-goals.
# custom:
#   id: release.scope
#   section: release
#   severity: medium
#   evidence: [release]
#   rules:
#     default: At least one in-scope feature; non-goals exactly Calendar sync, webhooks, Outlook/IMAP, doc editor, multi-source resolution (verbatim); no in-scope feature is a non-goal.
#   remediation: List the in-scope features under scope.inScope and copy the spec's five non-goals verbatim into scope.nonGoals.
gates["release.scope"] := lib.decide(["release"], scope_reasons)

# --- generic helpers ---------------------------------------------------------

# --- release.metadata ----------------------------------------------------------

services := object.get(rel, "services", null)

ok_services if lib.non_empty_array(services)

metadata_reasons contains lib.missing("release", "/services", "no service/app is listed") if not ok_services

metadata_reasons contains r if {
	is_array(services)
	some i, s in services
	not lib.non_empty_string(lib.at(s, ["path"]))
	r := lib.missing("release", sprintf("/services/%d/path", [i]), sprintf("service #%d does not name its path (e.g. apps/server)", [i]))
}

environment := object.get(rel, "environment", null)

metadata_reasons contains lib.missing("release", "/environment", sprintf("no environment is given (evaluating for %s)", [input.env])) if {
	not lib.non_empty_string(environment)
}

metadata_reasons contains r if {
	lib.non_empty_string(environment)
	lib.norm(environment) != input.env
	r := lib.stale("release", "/environment", sprintf("the release evidence is for environment %s, but %s is being evaluated", [json.marshal(environment), json.marshal(input.env)]))
}

metadata_reasons contains lib.missing("release", "/releaseId", "no release id (git sha, tag or build id) is given") if {
	not lib.non_empty_string(object.get(rel, "releaseId", null))
}

revision := object.get(rel, "revision", null)

is_git_sha(s) if {
	is_string(s)
	regex.match(`^([0-9a-f]{40}|[0-9a-f]{64})$`, s)
}

metadata_reasons contains lib.missing("release", "/revision", "no git revision is given") if {
	not lib.non_empty_string(revision)
}

metadata_reasons contains r if {
	lib.non_empty_string(revision)
	not is_git_sha(revision)
	r := lib.violation("release", "/revision", sprintf("revision %s is not a full git sha (40 or 64 lowercase hex digits)", [json.marshal(revision)]))
}

release_date := object.get(rel, "date", null)

metadata_reasons contains lib.missing("release", "/date", "no release date (YYYY-MM-DD) is given") if {
	not lib.is_date(release_date)
}

metadata_reasons contains r if {
	lib.is_date(release_date)
	not lib.not_after_as_of(release_date)
	r := lib.stale("release", "/date", sprintf("the release is dated %s, after the as-of date %s", [release_date, input.as_of]))
}

metadata_reasons contains lib.missing("release", "/owner", "no owner (team or person) is given") if {
	not lib.non_empty_string(object.get(rel, "owner", null))
}

# --- release.scope -------------------------------------------------------------

in_scope := object.get(rel, ["scope", "inScope"], null)

non_goals := object.get(rel, ["scope", "nonGoals"], null)

ok_in_scope if {
	lib.non_empty_array(in_scope)
	some feature in in_scope
	lib.non_empty_string(feature)
}

scope_reasons contains lib.missing("release", "/scope/inScope", "no in-scope feature is listed") if not ok_in_scope

scope_reasons contains r if {
	is_array(in_scope)
	some i, feature in in_scope
	not lib.non_empty_string(feature)
	r := lib.missing("release", sprintf("/scope/inScope/%d", [i]), sprintf("in-scope entry #%d is not a feature name", [i]))
}

# Every non-goal's wording (lib.wording): the spec's and those the evidence lists, so that
# "Calendar-sync", "web hooks" or a look-alike letter is still the non-goal.
non_goal_wordings contains w if {
	some g in spec_non_goals
	w := lib.wording(g)
	w != ""
}

non_goal_wordings contains w if {
	is_array(non_goals)
	some g in non_goals
	w := lib.wording(g)
	w != ""
}

scope_reasons contains r if {
	is_array(in_scope)
	some i, feature in in_scope
	is_string(feature)
	names_a_non_goal(feature)
	r := lib.violation("release", sprintf("/scope/inScope/%d", [i]), sprintf("in-scope feature %s is one of the explicit non-goals", [json.marshal(feature)]))
}

# A feature names a non-goal when it has its wording, or contains its words in any order
# ("Google Calendar sync", "IMAP/Outlook", "Webhooks API"): lib.wording_contains.
names_a_non_goal(feature) if lib.wording(feature) in non_goal_wordings

names_a_non_goal(feature) if {
	some g in spec_non_goals
	lib.wording_contains(feature, g)
}

names_a_non_goal(feature) if {
	is_array(non_goals)
	some g in non_goals
	lib.wording_contains(feature, g)
}

scope_reasons contains lib.missing("release", "/scope/nonGoals", "the explicit non-goals are not listed (they must be, verbatim from the spec)") if {
	not lib.non_empty_array(non_goals)
}

scope_reasons contains r if {
	lib.non_empty_array(non_goals)
	some g in spec_non_goals
	not g in non_goals
	r := lib.violation("release", "/scope/nonGoals", sprintf("the non-goal %s from the spec is not listed verbatim", [json.marshal(g)]))
}

scope_reasons contains r if {
	is_array(non_goals)
	some i, g in non_goals
	not g in spec_non_goals
	r := lib.violation("release", sprintf("/scope/nonGoals/%d", [i]), extra_non_goal_message(g))
}

extra_non_goal_message(g) := sprintf("non-goal %s is not written as in the spec: %s", [json.marshal(g), json.marshal(spec)]) if {
	is_string(g)
	some spec in spec_non_goals
	lib.wording(g) == lib.wording(spec)
} else := sprintf("%s is not one of the spec's non-goals (%s); the list must be exactly the spec's", [json.marshal(g), concat(", ", spec_non_goals)])
