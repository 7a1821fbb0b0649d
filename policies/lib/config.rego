# Recorded facts from configuration files (docs/artifacts.md): a workflow or Kubernetes
# manifests read at the released revision (or rendered into the evidence folder). The
# importer puts what it found under the recorded fact's `config`, one topic per fact
# (migrations, backups, secrets, cors), each with located problems that explain a false.
package prodgate.lib

# config_fact: the recorded configuration for the evidence object at pointer.
config_fact(kind, pointer) := recorded_fact(kind, pointer, "")

# config_topic: what the configuration says about one topic ({} when it says nothing).
config_topic(kind, pointer, topic) := object.get(config_fact(kind, pointer), ["config", topic], {})

# config_reasons: why a recorded configuration cannot prove the fact at pointer: the
# artifact cannot be used (error), it is not a configuration file, it is not of the
# released revision, or the importer found problems with the topic. `proven` says
# whether the topic's facts hold; a topic that does not hold with no problem to show
# still fails, at the start of the file (fail closed).
config_reasons(kind, pointer, topic, proven) := artifact_invalid_reasons(kind, pointer, f) if {
	f := config_fact(kind, pointer)
	f.valid != true
} else := {recorded_reason("invalid-evidence", kind, pointer, f, 1, 1, sprintf("artifact %s is not a configuration file", [f.file]))} if {
	f := config_fact(kind, pointer)
	f.type != "config"
} else := (recorded_revision_reasons(kind, pointer, f) | topic_problem_reasons(kind, pointer, f, topic)) | unproven_reasons(kind, pointer, f, topic, proven) if {
	f := config_fact(kind, pointer)
}

topic_problem_reasons(kind, pointer, f, topic) := {r |
	some p in object.get(f, ["config", topic, "problems"], [])
	r := recorded_reason(p.code, kind, pointer, f, p.line, p.column, p.message)
}

unproven_reasons(kind, pointer, f, topic, proven) := set() if {
	proven == true
} else := set() if {
	count(object.get(f, ["config", topic, "problems"], [])) > 0
} else := {recorded_reason("missing-evidence", kind, pointer, f, 1, 1, sprintf("configuration %s does not show the %s facts this gate needs", [f.file, topic]))}
