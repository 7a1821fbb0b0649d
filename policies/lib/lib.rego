# METADATA
# title: prodgate policy library
# description: |
#   Shared helpers for every gate: reading evidence, building reasons with evidence
#   references, the fail-closed decision shape, dates and durations without the clock.
package prodgate.lib

# --- evidence access -------------------------------------------------------

# The parsed data of one evidence kind when its file was valid, else an empty object:
# always defined, so a gate's reasons are always computed (decide then reports the
# missing or invalid file first).
evidence(kind) := d if {
	input.evidence[kind].valid == true
	d := input.evidence[kind].data
} else := {}

# The file a kind came from, or a marker naming the missing kind, so that a reason
# is never undefined (an undefined reason would silently vanish from a set).
file_of(kind) := f if {
	f := input.evidence[kind].file
} else := concat("", ["(no ", kind, " evidence)"])

is_prod if input.env == "prod"

# Note: under opa-wasm, sprintf is sprintf-js: no %q, and %v throws on null. Use %s
# with strings (json.marshal for anything else) and %d with numbers.

# --- reasons ---------------------------------------------------------------

reason(code, kind, pointer, message) := {
	"code": code,
	"message": message,
	"evidence": [{"file": file_of(kind), "pointer": pointer}],
}

violation(kind, pointer, message) := reason("violation", kind, pointer, message)

missing(kind, pointer, message) := reason("missing-evidence", kind, pointer, message)

stale(kind, pointer, message) := reason("stale-evidence", kind, pointer, message)

# --- decisions -------------------------------------------------------------

# decide turns a gate's set of reasons into its decision, fail-closed:
# an invalid evidence file it relies on -> error; a missing one -> fail;
# any reason -> fail; only an empty reason set with all evidence present -> pass.
decide(kinds, reasons) := {"status": "error", "reasons": invalid_reasons(kinds)} if {
	count(invalid_reasons(kinds)) > 0
} else := {"status": "error", "reasons": [r | some r in reasons; r.code == "invalid-evidence"]} if {
	# A reason from an artifact that cannot be read or trusted: the gate cannot be decided.
	some r in reasons
	r.code == "invalid-evidence"
} else := {"status": "fail", "reasons": missing_kind_reasons(kinds)} if {
	count(missing_kind_reasons(kinds)) > 0
} else := {"status": "fail", "reasons": [r | some r in reasons]} if {
	count(reasons) > 0
} else := {"status": "pass", "reasons": []}

# not_applicable is a gate that does not apply, always with the reason why.
not_applicable(kind, pointer, message) := {
	"status": "na",
	"reasons": [reason("not-applicable", kind, pointer, message)],
}

# applicable is the own decision of a parent gate that applies: its final status is
# the aggregate of its children, computed by prodgate's decide stage.
applicable := {"status": "pass", "reasons": []}

invalid_reasons(kinds) := [r |
	some kind in kinds
	input.evidence[kind]
	input.evidence[kind].valid != true
	some problem in object.get(input.evidence[kind], "problems", [{"pointer": "", "message": "evidence file is invalid"}])
	r := reason("invalid-evidence", kind, problem.pointer, problem.message)
]

missing_kind_reasons(kinds) := [r |
	some kind in kinds
	not input.evidence[kind]
	r := reason("missing-evidence", kind, "", sprintf("no %s evidence: the bundle has no file with kind: %s", [kind, kind]))
]

# --- git revisions -----------------------------------------------------------

# Git names a commit by its full hash or by any abbreviation of it (7 hex digits or more;
# `git rev-parse --short` and most CI tools print one). Two recorded revisions may name the
# same commit when one is a prefix of the other, compared without case: such a pair is
# never "another revision". It is the same revision when the shorter has at least 7 hex
# digits; a shorter common prefix is ambiguous (revision_ambiguous), never ignored.
revision_may_match(a, b) if {
	is_string(a)
	is_string(b)
	a != ""
	b != ""
	prefix_either(lower(a), lower(b))
}

same_revision(a, b) if {
	revision_may_match(a, b)
	regex.match(`^[0-9a-f]{7,64}$`, lower(a))
	regex.match(`^[0-9a-f]{7,64}$`, lower(b))
}

same_revision(a, b) if {
	is_string(a)
	a == b
}

revision_ambiguous(a, b) if {
	revision_may_match(a, b)
	not same_revision(a, b)
}

prefix_either(x, y) if startswith(x, y)

prefix_either(x, y) if startswith(y, x)

# --- dates (YYYY-MM-DD strings; the as-of date comes from the input) -------

is_date(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`, s)
}

# A date is on or before as-of when it is a date and does not compare after it.
not_after_as_of(s) if {
	is_date(s)
	s <= input.as_of
}

# days since 1970-01-01 (days_from_civil), so ages need no time.* builtin.
days(s) := n if {
	is_date(s)
	m := to_number(substring(s, 5, 2))
	d := to_number(substring(s, 8, 2))
	y := to_number(substring(s, 0, 4)) - march_shift(m)
	era := floor(y / 400)
	yoe := y - (era * 400)
	mp := (m + 9) % 12
	doy := (floor(((153 * mp) + 2) / 5) + d) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	n := ((era * 146097) + doe) - 719468
}

march_shift(m) := 1 if {
	m <= 2
} else := 0

age_days(s) := n if {
	today := days(input.as_of)
	then := days(s)
	n := today - then
}

# --- durations ("15m", "4h", "30d") -----------------------------------------

duration_minutes(s) := to_number(substring(s, 0, count(s) - 1)) * unit_minutes[substring(s, count(s) - 1, 1)] if {
	is_string(s)
	regex.match(`^[0-9]{1,6}[mhd]$`, s)
}

unit_minutes := {"m": 1, "h": 60, "d": 1440}

# --- verifications: {date, outcome, reference} ------------------------------

# verification_reasons explains why a verification record does not show a passed,
# dated check; it is empty exactly when the record is good. A record with recordedBy
# is judged from its artifact (recorded.rego).
verification_reasons(kind, pointer, v) := recorded_test_reasons(kind, pointer, "") if {
	is_recorded(v)
} else := claimed_verification_reasons(kind, pointer, v)

claimed_verification_reasons(kind, pointer, v) := ((((({r |
	not is_object(v)
	r := missing(kind, pointer, "no verification record (a dated check and its outcome)")
} | {r |
	is_object(v)
	not is_date(object.get(v, "date", null))
	r := missing(kind, concat("", [pointer, "/date"]), "the verification has no date")
}) | {r |
	is_date(v.date)
	not not_after_as_of(object.get(v, "date", null))
	r := stale(kind, concat("", [pointer, "/date"]), sprintf("the verification is dated %s, after the as-of date %s", [v.date, input.as_of]))
}) | {r |
	is_object(v)
	v.outcome != "passed"
	r := violation(kind, concat("", [pointer, "/outcome"]), sprintf("the verification outcome is %s, not passed", [json.marshal(v.outcome)]))
}) | {r |
	is_object(v)
	not v.outcome
	r := missing(kind, concat("", [pointer, "/outcome"]), "the verification has no outcome")
}) | verification_age_reasons(kind, pointer, v)) | verification_reference_reasons(kind, pointer, v)

# The maximum age, in days at the as-of date, of a verification (and of a controlled
# alert test) in every environment: an older check does not show the release works.
verification_max_age_days := 180

# verification_age_reasons: a dated verification, not after as-of, older than the maximum age.
verification_age_reasons(kind, pointer, v) := {r |
	d := get(v, "date", null)
	not_after_as_of(d)
	age := age_days(d)
	age > verification_max_age_days
	r := stale(kind, concat("", [pointer, "/date"]), sprintf("the verification is dated %s, %d days before the as-of date %s; it must be at most %d days old", [d, age, input.as_of, verification_max_age_days]))
}

# verification_reference_reasons: the reference is optional, but one that is given must resolve.
verification_reference_reasons(kind, pointer, v) := {r |
	ref := get(v, "reference", null)
	ref != null
	some r in link_reasons(kind, concat("", [pointer, "/reference"]), ref)
}

# --- links ------------------------------------------------------------------

# link_reasons explains why a link is not usable; prodgate resolves every link field
# of the evidence into input.links before evaluation (file exists, https, no escape).
# A link to a file that does not exist points at evidence that is not there: missing
# evidence, never a waivable violation.
link_reasons(kind, pointer, link) := ({r |
	not is_string(link)
	r := missing(kind, pointer, "no link given")
} | {r |
	is_string(link)
	input.links[link].ok != true
	r := unusable_link(kind, pointer, link, input.links[link])
}) | {r |
	is_string(link)
	not input.links[link]
	r := violation(kind, pointer, sprintf("link %s was not resolved by prodgate", [json.marshal(link)]))
}

unusable_link(kind, pointer, link, state) := missing(kind, pointer, link_problem(link, state)) if {
	state.missing == true
} else := violation(kind, pointer, link_problem(link, state))

link_problem(link, state) := sprintf("link %s is not usable: %s", [json.marshal(link), object.get(state, "problem", "unknown problem")])

# --- small value helpers ------------------------------------------------------

# --- text as a reader sees it -----------------------------------------------

# norm is an evidence string as a reader sees it: Unicode NFKC, invisible code points
# removed, whitespace collapsed, case folded. wasm has no Unicode normalisation, so
# prodgate computes the form for every string of the valid evidence into
# input.normalised (src/text/normalise.ts); a string that is not there (a policy's own
# constant, ASCII) is trimmed and lowercased. Compare and test norm(s), show s.
norm(s) := input.normalised[s].text if {
	is_string(s)
} else := lower(trim_space(s)) if {
	is_string(s)
}

# person_names are the people a person field names ("team (Name)" names both), each as
# its confusable skeleton (UTS #39), so that look-alike letters compare equal.
person_names(s) := {n | some n in input.normalised[s].people} if {
	is_string(s)
	input.normalised[s]
} else := {norm(s)} - {""} if {
	is_string(s)
}

# same_person holds when two person fields name a common person.
same_person(a, b) if {
	some n in person_names(a)
	n in person_names(b)
}

# wording is a name of a thing (a feature, a non-goal) as a reader tells such names apart:
# words split at spaces and punctuation, each as its confusable skeleton without a plural
# -s, joined, so "Calendar-sync", "calendar sync" and "Саlendar sync" (Cyrillic а) are one
# wording, and so are "web hooks" and "webhooks". prodgate computes it for every evidence
# string (src/evaluate/wording.ts); for a policy's own ASCII constant the same key is
# computed here: lowercase, the same split, the ASCII confusables (0, 1, m) and plural rule.
wording(s) := input.normalised[s].wording if {
	is_string(s)
} else := concat("", ascii_wording_words(s)) if {
	is_string(s)
}

# The words of wording for ASCII text, as src/evaluate/wording.ts computes them: each word
# read by its case (in capitals l and 1 are I; in lower case a capital I after the first
# letter and 1 are l; 0 is O), lower-cased, m read as rn, stemmed, a lone "s" dropped.
ascii_wording_words(s) := [w |
	some w0 in regex.split(`[^A-Za-z0-9]+`, s)
	w := stem(strings.replace_n({"0": "o", "1": "l", "m": "rn"}, lower(ascii_read(w0))))
	not w in {"", "s"}
]

ascii_read(w) := strings.replace_n({"l": "I", "1": "I", "0": "O"}, w) if {
	others := strings.replace_n({"I": "", "l": "", "1": "", "0": ""}, w)
	lower(others) != others
	upper(others) == others
} else := concat("", [substring(w, 0, 1), strings.replace_n({"I": "l", "1": "l", "0": "o"}, substring(w, 1, -1))]) if {
	others := strings.replace_n({"I": "", "l": "", "1": "", "0": ""}, w)
	lower(others) != upper(others)
} else := w

# -ing and -ed off when four letters are left, then a plural -s (wordingStem).
stem(w) := singular(substring(w, 0, count(w) - 3)) if {
	count(w) >= 7
	endswith(w, "ing")
} else := singular(substring(w, 0, count(w) - 2)) if {
	count(w) >= 6
	endswith(w, "ed")
} else := singular(w)

singular(w) := substring(w, 0, count(w) - 1) if {
	count(w) > 3
	endswith(w, "s")
	not endswith(w, "ss")
} else := w

# wording_words are the words of wording(s), in order (input.normalised[s].words, or
# computed for ASCII text; a one-word text has no words entry and is its wording).
wording_words(s) := input.normalised[s].words if {
	is_string(s)
} else := [input.normalised[s].wording] if {
	is_string(s)
	input.normalised[s].wording != ""
} else := [] if {
	is_string(s)
	input.normalised[s]
} else := ascii_wording_words(s) if {
	is_string(s)
}

# wording_parts are the wordings of every run of one to four consecutive words of s, so
# "web hooks API" has the part "webhook".
wording_parts(s) := {concat("", array.slice(ws, i, i + n)) |
	ws := wording_words(s)
	some n in numbers.range(1, 4)
	count(ws) >= n
	some i in numbers.range(0, count(ws) - n)
}

# wording_contains holds when feature names the thing g names, or more of it: g's wording
# is one of feature's parts ("Webhooks API", "Google Calendar sync"), or every word of g
# is one ("IMAP/Outlook" contains "Outlook/IMAP", "Calendar sync (beta)").
wording_contains(feature, g) if {
	w := wording(g)
	w != ""
	w in wording_parts(feature)
}

wording_contains(feature, g) if {
	ws := wording_words(g)
	count(ws) > 0
	parts := wording_parts(feature)
	every w in ws {
		w in parts
	}
}

# A string that is not empty as a reader sees it: "\u200b" or a soft hyphen alone is missing.
non_empty_string(s) if {
	is_string(s)
	norm(s) != ""
}

non_empty_array(a) if {
	is_array(a)
	count(a) > 0
}

# get is object.get that tolerates a value that is not an object.
get(o, k, d) := object.get(o, k, d) if {
	is_object(o)
} else := d

# at is the value at path inside any JSON value (object.get needs an object), null when absent.
at(value, path) := object.get({"v": value}, array.concat(["v"], path), null)

# show renders any value for a message: under opa-wasm sprintf is sprintf-js, so only
# strings go to %s (no %q, and %v throws on null).
show(v) := v if {
	is_string(v)
} else := json.marshal(v)

# label names list entry i in a message: its quoted name, else its index.
label(i, x) := json.marshal(x.name) if {
	non_empty_string(get(x, "name", null))
} else := sprintf("#%d", [i])

# flag_reasons: a boolean that must be true; absent -> missing, anything else -> violation.
flag_reasons(kind, pointer, v, claim) := {missing(kind, pointer, sprintf("not recorded whether %s", [claim]))} if {
	not is_boolean(v)
} else := {violation(kind, pointer, sprintf("not true that %s", [claim]))} if {
	v != true
} else := set()
