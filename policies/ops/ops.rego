# METADATA
# title: Ops Gates (Pass/Fail)
# description: |
#   Migrations, backups and restore, DR targets and tabletop exercise, secret management
#   and SLOs.
package checklist.ops

import data.prodgate.lib

# The documented maximum age, in days, of the DR tabletop exercise in prod.
tabletop_max_age_days := 180

ev := lib.evidence("ops")

# --- ops.migrations ----------------------------------------------------------

# METADATA
# title: Migrations job exists and is executed pre-deploy (serialized).
# description: A migrations job exists, runs before deploy, and is serialized (one at a time).
# custom:
#   id: ops.migrations
#   section: ops
#   severity: high
#   evidence: [ops]
#   rules:
#     default: migrations.job names the job, migrations.runsBeforeDeploy is true and migrations.serialized is true.
#   remediation: Run database migrations as a named, serialized job that completes before each deploy and record it under migrations.
gates["ops.migrations"] := lib.decide(["ops"], migrations_reasons)

migrations := lib.get(ev, "migrations", {})

migrations_reasons := lib.config_reasons("ops", "/migrations", "migrations", migrations_proven) if {
	lib.is_recorded(migrations)
} else := claimed_migrations_reasons

# Recorded: the deploy configuration names a migrations job that every deploy waits for and that never runs twice at once.
migrations_proven if {
	m := lib.config_topic("ops", "/migrations", "migrations")
	lib.non_empty_string(object.get(m, ["job", "id"], null))
	m.runsBeforeDeploy == true
	m.serialized == true
} else := false

claimed_migrations_reasons := ({r |
	not lib.non_empty_string(lib.get(migrations, "job", null))
	r := lib.missing("ops", "/migrations/job", "no migrations job is named")
} | lib.flag_reasons("ops", "/migrations/runsBeforeDeploy", lib.get(migrations, "runsBeforeDeploy", null), "the migrations job runs before deploy")) | lib.flag_reasons("ops", "/migrations/serialized", lib.get(migrations, "serialized", null), "the migrations job is serialized (one at a time)")

# --- ops.backups ---------------------------------------------------------------

# METADATA
# title: "Backups configured:"
# description: Backups are automated and a restore procedure is documented and time-estimated (the children).
# custom:
#   id: ops.backups
#   section: ops
#   severity: critical
#   evidence: [ops]
#   rules:
#     default: Both children pass.
#   remediation: Fix the failing child gates below.
gates["ops.backups"] := lib.applicable

# METADATA
# title: automated backups enabled
# description: Automated backups are on, with an interval, for every datastore that holds data.
# custom:
#   id: ops.backups.automated
#   section: ops
#   severity: critical
#   parent: ops.backups
#   evidence: [ops]
#   rules:
#     default: backups.datastores lists the datastores (at least one), each says whether it holdsData, and every one that holds data has automated true and an interval duration (e.g. 1h).
#   remediation: Enable automated backups with a set interval for every datastore that holds data and record them under backups.datastores.
gates["ops.backups.automated"] := lib.decide(["ops"], automated_reasons)

datastores := d if {
	d := object.get(ev, ["backups", "datastores"], null)
	is_array(d)
} else := []

automated_reasons contains r if {
	count(datastores) == 0
	r := lib.missing("ops", "/backups/datastores", "backups.datastores lists no datastore")
}

automated_reasons contains r if {
	some i, ds in datastores
	not is_boolean(lib.get(ds, "holdsData", null))
	r := lib.missing("ops", sprintf("/backups/datastores/%d/holdsData", [i]), sprintf("datastore %s does not say whether it holds data", [lib.label(i, ds)]))
}

automated_reasons contains r if {
	some i, ds in datastores
	lib.get(ds, "holdsData", null) == true
	not lib.is_recorded(ds)
	some r in lib.flag_reasons("ops", sprintf("/backups/datastores/%d/automated", [i]), lib.get(ds, "automated", null), sprintf("automated backups of datastore %s are enabled", [lib.label(i, ds)]))
}

automated_reasons contains r if {
	some i, ds in datastores
	lib.get(ds, "holdsData", null) == true
	not lib.is_recorded(ds)
	some r in duration_reasons(sprintf("/backups/datastores/%d/interval", [i]), lib.get(ds, "interval", null), sprintf("the backup interval of datastore %s", [lib.label(i, ds)]))
}

# Recorded: the scheduled backups of the manifests (Velero Schedule, CloudNativePG
# ScheduledBackup) that target the datastore (recordedBy.name, else its name; a Velero
# schedule of every namespace targets all). Each that runs, copies data and has a
# readable schedule counts; its problems are reasons at its place in the manifests.
automated_reasons contains r if {
	some i, ds in datastores
	lib.get(ds, "holdsData", null) == true
	lib.is_recorded(ds)
	some r in recorded_backup_reasons(i)
}

datastore_pointer(i) := sprintf("/backups/datastores/%d", [i])

# The datastores whose backups are recorded from the release manifests.
recorded_datastores contains i if {
	some i, ds in datastores
	lib.is_recorded(ds)
}

datastore_target(i) := object.get(datastores[i], ["recordedBy", "name"], lib.get(datastores[i], "name", ""))

# The scheduled backups of the recorded configuration that target datastore i.
targeting_backups(i) := [b |
	some b in object.get(lib.config_topic("ops", datastore_pointer(i), "backups"), "backups", [])
	some t in b.targets
	t in {datastore_target(i), "*"}
]

counting_backups(i) := [b |
	some b in targeting_backups(i)
	b.suspended == false
	b.dataIncluded == true
	is_number(object.get(b, "intervalMinutes", null))
]

# The longest time between two backups of datastore i, in minutes: the most frequent schedule that counts.
recorded_interval(i) := min([b.intervalMinutes | some b in counting_backups(i)])

# A targeting backup that does not count always has a reason of its own (paused, no data
# copied, a schedule that cannot be read); no targeting backup at all is missing evidence.
recorded_backup_reasons(i) := ((lib.config_reasons("ops", datastore_pointer(i), "backups", true) | {r |
	count(targeting_backups(i)) == 0
	f := lib.config_fact("ops", datastore_pointer(i))
	f.type == "config"
	r := lib.recorded_reason("missing-evidence", "ops", datastore_pointer(i), f, 1, 1, sprintf("no Velero Schedule or CloudNativePG ScheduledBackup in %s backs up datastore %s", [f.file, datastore_target(i)]))
}) | {r |
	f := lib.config_fact("ops", datastore_pointer(i))
	some b in targeting_backups(i)
	some p in b.problems
	r := lib.recorded_reason(p.code, "ops", datastore_pointer(i), f, p.line, p.column, p.message)
}) | {r |
	f := lib.config_fact("ops", datastore_pointer(i))
	some b in targeting_backups(i)
	b.suspended == true
	r := lib.recorded_reason("violation", "ops", datastore_pointer(i), f, b.line, b.column, sprintf("%s %s is paused or suspended: it takes no backup of datastore %s", [b.kind, b.name, datastore_target(i)]))
}

# --- ops.backups.restore -------------------------------------------------------

# METADATA
# title: restore procedure documented and time-estimated
# description: The restore procedure is linked and has a time estimate; in prod the estimate does not exceed the RTO target.
# custom:
#   id: ops.backups.restore
#   section: ops
#   severity: high
#   parent: ops.backups
#   evidence: [ops]
#   rules:
#     default: backups.restore.procedure is a link that resolves and backups.restore.estimate is a duration (e.g. 2h).
#     prod: backups.restore.procedure is a link that resolves, backups.restore.estimate is a duration, and the estimate does not exceed the RTO target dr.rto (a missing or invalid RTO fails).
#   remediation: Link the restore procedure, time a restore, and in prod keep the estimate within the RTO target.
gates["ops.backups.restore"] := lib.decide(["ops"], restore_reasons)

restore := object.get(ev, ["backups", "restore"], {})

restore_estimate := object.get(ev, ["backups", "restore", "estimate"], null)

rto := object.get(ev, ["dr", "rto"], null)

rpo := object.get(ev, ["dr", "rpo"], null)

restore_reasons := (lib.link_reasons("ops", "/backups/restore/procedure", lib.get(restore, "procedure", null)) | duration_reasons("/backups/restore/estimate", restore_estimate, "the restore time estimate")) | prod_restore_reasons

prod_restore_reasons := duration_reasons("/dr/rto", rto, "in prod the restore estimate is compared with the RTO target; the RTO target") if {
	lib.is_prod
	not lib.duration_minutes(rto)
} else := {lib.violation("ops", "/backups/restore/estimate", sprintf("the restore estimate %s exceeds the RTO target %s", [restore_estimate, rto]))} if {
	lib.is_prod
	lib.duration_minutes(restore_estimate) > lib.duration_minutes(rto)
} else := set()

# --- ops.dr ----------------------------------------------------------------------

# METADATA
# title: "DR posture documented:"
# description: RPO/RTO targets are defined and a tabletop exercise was completed (the children).
# custom:
#   id: ops.dr
#   section: ops
#   severity: high
#   evidence: [ops]
#   rules:
#     default: Both children pass.
#   remediation: Fix the failing child gates below.
gates["ops.dr"] := lib.applicable

# METADATA
# title: RPO/RTO targets defined (even if best-effort for MVP)
# description: RPO and RTO targets are defined as durations; in prod every automated backup interval is within the RPO.
# custom:
#   id: ops.dr.rpo-rto
#   section: ops
#   severity: high
#   parent: ops.dr
#   evidence: [ops]
#   rules:
#     default: dr.rpo and dr.rto are durations (e.g. 4h).
#     prod: dr.rpo and dr.rto are durations, at least one datastore has automated backups, and every automated datastore's backup interval does not exceed the RPO.
#   remediation: Record RPO and RTO targets as durations and, in prod, back up often enough to meet the RPO.
gates["ops.dr.rpo-rto"] := lib.decide(["ops"], rpo_rto_reasons)

rpo_rto_reasons := (duration_reasons("/dr/rpo", rpo, "the RPO target") | duration_reasons("/dr/rto", rto, "the RTO target")) | prod_rpo_reasons

automated_datastores := [i |
	some i, ds in datastores
	datastore_automated(i, ds)
]

datastore_automated(_, ds) if {
	not lib.is_recorded(ds)
	lib.get(ds, "automated", null) == true
}

datastore_automated(i, ds) if {
	lib.is_recorded(ds)
	count(counting_backups(i)) > 0
}

prod_rpo_reasons := set() if {
	not lib.is_prod
} else := set() if {
	# the RPO reason above already explains the failure
	not lib.duration_minutes(rpo)
} else := {lib.missing("ops", "/backups/datastores", "in prod the backup interval must not exceed the RPO, but no datastore has automated backups")} if {
	count(automated_datastores) == 0
} else := {r |
	some i in automated_datastores
	not i in recorded_datastores
	interval := lib.get(datastores[i], "interval", null)
	some r in interval_vs_rpo_reasons(i, interval)
} | {r |
	some i in automated_datastores
	i in recorded_datastores
	recorded_interval(i) > lib.duration_minutes(rpo)
	f := lib.config_fact("ops", datastore_pointer(i))
	some b in counting_backups(i)
	b.intervalMinutes == recorded_interval(i)
	r := lib.recorded_reason("violation", "ops", datastore_pointer(i), f, b.line, b.column, sprintf("%s %s backs up datastore %s at most every %d minutes (schedule %s), longer than the RPO target %s", [b.kind, b.name, datastore_target(i), b.intervalMinutes, b.schedule, rpo]))
}

interval_vs_rpo_reasons(i, interval) := duration_reasons(sprintf("/backups/datastores/%d/interval", [i]), interval, sprintf("in prod the backup interval is compared with the RPO; the backup interval of datastore %s", [lib.label(i, datastores[i])])) if {
	not lib.duration_minutes(interval)
} else := {lib.violation("ops", sprintf("/backups/datastores/%d/interval", [i]), sprintf("the backup interval %s of datastore %s exceeds the RPO target %s", [interval, lib.label(i, datastores[i]), rpo]))} if {
	lib.duration_minutes(interval) > lib.duration_minutes(rpo)
} else := set()

# --- ops.dr.tabletop ---------------------------------------------------------------

# METADATA
# title: tabletop exercise completed (date + notes)
# description: A DR tabletop exercise was completed, dated and with notes; in prod it is not older than 180 days.
# custom:
#   id: ops.dr.tabletop
#   section: ops
#   severity: medium
#   parent: ops.dr
#   evidence: [ops]
#   rules:
#     default: dr.tabletop has a date (YYYY-MM-DD, not after the as-of date) and non-empty notes.
#     prod: dr.tabletop has a date (YYYY-MM-DD, not after the as-of date) and non-empty notes, and the exercise is not older than 180 days at the as-of date (the documented maximum age).
#   remediation: Run a DR tabletop exercise and record its date and notes under dr.tabletop (in prod at least every 180 days).
gates["ops.dr.tabletop"] := lib.decide(["ops"], tabletop_reasons)

tabletop := object.get(ev, ["dr", "tabletop"], {})

tabletop_date := lib.get(tabletop, "date", null)

tabletop_reasons contains r if {
	not lib.is_date(tabletop_date)
	r := lib.missing("ops", "/dr/tabletop/date", "the tabletop exercise has no date (YYYY-MM-DD)")
}

tabletop_reasons contains r if {
	lib.is_date(tabletop_date)
	not lib.not_after_as_of(tabletop_date)
	r := lib.stale("ops", "/dr/tabletop/date", sprintf("the tabletop exercise is dated %s, after the as-of date %s", [tabletop_date, input.as_of]))
}

tabletop_reasons contains r if {
	not lib.non_empty_string(lib.get(tabletop, "notes", null))
	r := lib.missing("ops", "/dr/tabletop/notes", "the tabletop exercise has no notes")
}

tabletop_reasons contains r if {
	lib.is_prod
	lib.not_after_as_of(tabletop_date)
	age := lib.age_days(tabletop_date)
	age > tabletop_max_age_days
	r := lib.stale("ops", "/dr/tabletop/date", sprintf("the tabletop exercise of %s is %d days old at %s; in prod it must not be older than %d days", [tabletop_date, age, input.as_of, tabletop_max_age_days]))
}

# --- ops.secrets-manager -------------------------------------------------------------

# METADATA
# title: Secrets are sourced from a secret manager and rotated plan exists.
# description: The secret manager is named, a rotation plan is linked, and in prod no secret is read from a plain file.
# custom:
#   id: ops.secrets-manager
#   section: ops
#   severity: critical
#   evidence: [ops]
#   rules:
#     default: secretsManager.name names the secret manager and secretsManager.rotationPlan is a link that resolves; plain-file secrets are tolerated.
#     prod: secretsManager.name names the secret manager, secretsManager.rotationPlan is a link that resolves, and secretsManager.plainFileSecrets is present and empty (an absent list fails as missing evidence).
#   remediation: Source every secret from the named secret manager, link the rotation plan, and in prod record an empty plainFileSecrets list.
gates["ops.secrets-manager"] := lib.decide(["ops"], secrets_reasons)

secrets_manager := lib.get(ev, "secretsManager", {})

plain_file_secrets := lib.get(secrets_manager, "plainFileSecrets", null)

secrets_reasons contains r if {
	not lib.non_empty_string(lib.get(secrets_manager, "name", null))
	r := lib.missing("ops", "/secretsManager/name", "no secret manager is named")
}

secrets_reasons contains r if {
	some r in lib.link_reasons("ops", "/secretsManager/rotationPlan", lib.get(secrets_manager, "rotationPlan", null))
}

secrets_reasons contains r if {
	lib.is_prod
	not lib.is_recorded(secrets_manager)
	not is_array(plain_file_secrets)
	r := lib.missing("ops", "/secretsManager/plainFileSecrets", "in prod the plain-file secrets must be listed (an empty list when there are none)")
}

secrets_reasons contains r if {
	lib.is_prod
	is_array(plain_file_secrets)
	some i, s in plain_file_secrets
	r := lib.violation("ops", sprintf("/secretsManager/plainFileSecrets/%d", [i]), sprintf("secret %s is read from a plain file; not allowed in prod", [lib.show(s)]))
}

# Recorded: the release manifests take every secret from the secret manager through
# External Secrets (stores that are secret managers, every ExternalSecret's store in the
# manifests) and hold no Secret with data.
secrets_reasons contains r if {
	lib.is_recorded(secrets_manager)
	managed := object.get(lib.config_topic("ops", "/secretsManager", "secrets"), "managed", false) == true
	some r in lib.config_reasons("ops", "/secretsManager", "secrets", managed)
}

# --- ops.slos ----------------------------------------------------------------------

# METADATA
# title: SLOs defined (availability, error rate, latency for `/knowledge` critical calls).
# description: Availability, error-rate and latency SLOs each have a target and a window; the latency SLO covers the /knowledge critical calls.
# custom:
#   id: ops.slos
#   section: ops
#   severity: high
#   evidence: [ops]
#   rules:
#     default: slos has an availability, an error-rate and a latency SLO, each with a non-empty target and a window duration (e.g. 30d); a latency SLO covers at least one /knowledge call (a route whose first path segment is exactly knowledge, such as /knowledge/search; /knowledgebase/search is not one).
#   remediation: Define availability, error-rate and latency SLOs with targets and windows, the latency one covering the /knowledge calls.
gates["ops.slos"] := lib.decide(["ops"], slo_reasons)

slo_types := ["availability", "error-rate", "latency"]

slos := s if {
	s := lib.get(ev, "slos", null)
	is_array(s)
} else := []

slo_reasons contains r if {
	some t in slo_types
	count([s | some s in slos; lib.get(s, "type", null) == t]) == 0
	r := lib.missing("ops", "/slos", sprintf("no %s SLO is defined", [t]))
}

slo_reasons contains r if {
	some i, s in slos
	lib.get(s, "type", null) in slo_types
	not slo_target_ok(lib.get(s, "target", null))
	r := lib.missing("ops", sprintf("/slos/%d/target", [i]), sprintf("the %s SLO has no target", [s.type]))
}

slo_reasons contains r if {
	some i, s in slos
	lib.get(s, "type", null) in slo_types
	some r in duration_reasons(sprintf("/slos/%d/window", [i]), lib.get(s, "window", null), sprintf("the window of the %s SLO", [s.type]))
}

latency_slos := [i | some i, s in slos; lib.get(s, "type", null) == "latency"]

covers_knowledge(s) if {
	covers := lib.get(s, "covers", null)
	is_array(covers)
	some c in covers
	is_string(c)
	knowledge_route(c)
}

# A route is a /knowledge call when its first path segment is exactly "knowledge":
# paths compare by whole segments, so /knowledgebase/search is not one. The query and
# fragment are not part of the path; a route with a "." or ".." segment (which could
# resolve anywhere) or an empty first segment (//knowledge) is not one either. Servers
# decode before they resolve (RFC 3986 §2.3, §6.2.2.2), so dot segments are found after
# decoding %2e and dropping ;parameters (/knowledge/%2e%2e/admin, /knowledge/..;/admin),
# and a route holding an encoded slash, backslash or percent sign (%2f, %5c, %25: a
# segment boundary or a second decoding the server may or may not make) or a raw
# backslash is refused outright.
knowledge_route(route) if {
	path := split(split(route, "#")[0], "?")[0]
	not encoded_separator(path)
	segments := split(path, "/")
	segments[0] == ""
	segments[1] == "knowledge"
	not dot_segment(segments)
}

encoded_separator(path) if {
	some form in ["%2f", "%5c", "%25", "\\"]
	contains(lower(path), form)
}

dot_segment(segments) if {
	some s in segments
	decoded := replace(lower(split(s, ";")[0]), "%2e", ".")
	decoded in {".", ".."}
}

slo_reasons contains r if {
	count(latency_slos) > 0
	count([i | some i in latency_slos; covers_knowledge(slos[i])]) == 0
	r := lib.missing("ops", sprintf("/slos/%d/covers", [latency_slos[0]]), "no latency SLO covers a /knowledge critical call")
}

slo_target_ok(t) if lib.non_empty_string(t)

slo_target_ok(t) if is_number(t)

# --- helpers -------------------------------------------------------------------------

# duration_reasons: a duration like 15m, 4h or 30d; absent -> missing, malformed -> violation.
duration_reasons(pointer, v, what) := {lib.missing("ops", pointer, sprintf("%s is not given", [what]))} if {
	v == null
} else := {lib.violation("ops", pointer, sprintf("%s is %s, not a duration (a number followed by m, h or d, e.g. 4h)", [what, lib.show(v)]))} if {
	not lib.duration_minutes(v)
} else := set()

# show renders any value for a message: under opa-wasm sprintf is sprintf-js, so only
# strings go to %s (no %q, and %v throws on null).
lib["show"](v) := v if {
	is_string(v)
} else := json.marshal(v)
