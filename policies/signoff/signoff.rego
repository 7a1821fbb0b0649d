# METADATA
# title: Sign-Off (Required)
# description: |
#   Product, engineering and security/compliance sign-offs, each a name, a date not after as-of
#   and the digest of the evidence it approved, which must still be the evidence's digest.
package checklist.signoff

import data.prodgate.lib

so := lib.evidence("signoff")

rel := lib.evidence("release")

# METADATA
# title: Product sign-off
# description: A named person signed off for product, on a date not after as-of.
# custom:
#   id: signoff.product
#   section: signoff
#   severity: high
#   evidence: [signoff]
#   rules:
#     default: A name, a date not after as-of, and evidenceDigest equal to the current evidence digest without the signoff file.
#     prod: A name, a date not after as-of, and evidenceDigest equal to the current evidence digest without the signoff file; the person signs no other sign-off role (pack.json signoffs.separateRoles).
#   remediation: Record the product sign-off's name, date and the evidence digest approved (the report's provenance.evidence.digestWithout.signoff) under product in the signoff evidence.
#   non_waivable: [pilot, staging, prod]
gates["signoff.product"] := lib.decide(["signoff"], signature_reasons("product") | separation_reasons("product"))

# METADATA
# title: Engineering sign-off
# description: A named person signed off for engineering, on a date not after as-of.
# custom:
#   id: signoff.engineering
#   section: signoff
#   severity: high
#   evidence: [signoff]
#   rules:
#     default: Same rule as the product sign-off.
#     prod: Same rule as the product sign-off, including that the person signs no other sign-off role.
#   remediation: Record the engineering sign-off's name, date and the evidence digest approved (the report's provenance.evidence.digestWithout.signoff) under engineering in the signoff evidence.
#   non_waivable: [pilot, staging, prod]
gates["signoff.engineering"] := lib.decide(["signoff"], signature_reasons("engineering") | separation_reasons("engineering"))

# METADATA
# title: Security/compliance sign-off
# description: |
#   A named person signed off for security/compliance, on a date not after as-of, approving the
#   current evidence; or N/A with a documented rationale, accepted only for an MVP release.
# custom:
#   id: signoff.security
#   section: signoff
#   severity: high
#   evidence: [signoff, release]
#   rules:
#     default: A name, a date not after as-of and evidenceDigest equal to the current evidence digest; or notApplicable with a rationale, only when the release is an MVP (release mvp true), which makes the gate N/A.
#     prod: A name, a date not after as-of and evidenceDigest equal to the current evidence digest, by a person who signs no other sign-off role and is not the release owner (pack.json signoffs.separateRoles); or notApplicable with a rationale, only when the release is an MVP (release mvp true), which makes the gate N/A.
#   remediation: Record the security/compliance sign-off's name, date and the evidence digest approved (the report's provenance.evidence.digestWithout.signoff), or for an MVP release set notApplicable with a rationale.
#   non_waivable: [pilot, staging, prod]
gates["signoff.security"] := security_na if {
	security_na_accepted
} else := lib.decide(["signoff", "release"], security_reasons)

# --- generic helpers ---------------------------------------------------------

# --- name, date and the evidence approved ----------------------------------------

# The digest a sign-off approves: prodgate's digest over every evidence file except the
# signoff file itself (a file cannot hold its own digest), supplied by the engine as
# input.bundle_digest_without.signoff and shown in the report as
# provenance.evidence.digestWithout.signoff. Any change to any other evidence file
# after a sign-off changes it, and so undoes the sign-off.
current_evidence_digest := object.get(input, ["bundle_digest_without", "signoff"], null)

# signature_reasons explains why a {name, date, evidenceDigest} sign-off under role is
# not good; it is empty exactly when the sign-off is good.
signature_reasons(role) := (((({r |
	not is_object(object.get(so, role, null))
	r := lib.missing("signoff", concat("", ["/", role]), sprintf("no %s sign-off is recorded", [role]))
} | {r |
	is_object(object.get(so, role, null))
	not lib.non_empty_string(object.get(so, [role, "name"], null))
	r := lib.missing("signoff", concat("", ["/", role, "/name"]), sprintf("the %s sign-off has no name", [role]))
}) | {r |
	is_object(object.get(so, role, null))
	not lib.is_date(object.get(so, [role, "date"], null))
	r := lib.missing("signoff", concat("", ["/", role, "/date"]), sprintf("the %s sign-off has no date (YYYY-MM-DD)", [role]))
}) | {r |
	date := object.get(so, [role, "date"], null)
	lib.is_date(date)
	not lib.not_after_as_of(date)
	r := lib.stale("signoff", concat("", ["/", role, "/date"]), sprintf("the %s sign-off is dated %s, after the as-of date %s", [role, date, input.as_of]))
}) | {r |
	is_object(object.get(so, role, null))
	not lib.non_empty_string(object.get(so, [role, "evidenceDigest"], null))
	r := lib.missing("signoff", concat("", ["/", role, "/evidenceDigest"]), sprintf("the %s sign-off does not record the evidence it approved (evidenceDigest: the report's provenance.evidence.digestWithout.signoff)", [role]))
}) | {r |
	approved := object.get(so, [role, "evidenceDigest"], null)
	lib.non_empty_string(approved)
	approved != current_evidence_digest
	r := lib.violation("signoff", concat("", ["/", role, "/evidenceDigest"]), sprintf("the evidence changed after the %s sign-off: it approved evidence digest %s, the evidence is now %s; the sign-off must approve the current evidence", [role, approved, lib.show(current_evidence_digest)]))
}

# --- signoff.security: a signature, or N/A for an MVP release ----------------------

claims_na if object.get(so, ["security", "notApplicable"], false) == true

rationale := object.get(so, ["security", "rationale"], null)

is_mvp if object.get(rel, "mvp", false) == true

# N/A is accepted only when both files are valid (lib.evidence is {} otherwise), the
# release is an MVP and the rationale is documented.
security_na_accepted if {
	claims_na
	is_mvp
	lib.non_empty_string(rationale)
}

security_na := lib.not_applicable("signoff", "/security/rationale", sprintf("security/compliance sign-off is N/A for this MVP release: %s", [rationale]))

security_reasons := (signature_reasons("security") | separation_reasons("security")) | owner_separation_reasons if not claims_na

security_reasons := na_reasons if claims_na

na_reasons contains lib.violation("release", "/mvp", "security/compliance sign-off N/A is accepted only for an MVP release, and this release is not marked mvp: true") if {
	not is_mvp
}

na_reasons contains lib.missing("signoff", "/security/rationale", "security/compliance sign-off N/A needs a documented rationale") if {
	not lib.non_empty_string(rationale)
}

# --- separation of duties (pack.json signoffs.separateRoles) ------------------------

# In the environments the pack lists, prodgate sets input.options.signoff_separation.
separation_required if input.options.signoff_separation == true

roles := ["product", "engineering", "security"]

# signer is the name a role's sign-off gives, when it gives one (a security sign-off
# claimed N/A signs nothing).
signer(role) := name if {
	not signs_nothing(role)
	name := object.get(so, [role, "name"], null)
	lib.non_empty_string(name)
}

signs_nothing("security") if claims_na

# No person signs two roles: names compare as people (lib.same_person: normalised,
# confusable skeletons, "team (Name)" names Name).
separation_reasons(role) := {r |
	separation_required
	name := signer(role)
	some other in roles
	other != role
	lib.same_person(name, signer(other))
	r := lib.violation("signoff", concat("", ["/", role, "/name"]), sprintf("%s signed the %s sign-off and %s also signed the %s one; in %s no person may sign two of the sign-off roles", [name, role, signer(other), other, input.env]))
}

owner := object.get(rel, "owner", null)

# The security sign-off is not by the release owner.
owner_separation_reasons contains r if {
	separation_required
	lib.non_empty_string(owner)
	name := signer("security")
	lib.same_person(name, owner)
	r := lib.violation("signoff", "/security/name", sprintf("the security/compliance sign-off is by %s, who is the release owner (%s); in %s someone other than the release owner signs for security", [name, owner, input.env]))
}

owner_separation_reasons contains r if {
	separation_required
	signer("security")
	not lib.non_empty_string(owner)
	r := lib.missing("release", "/owner", "the release names no owner, so it cannot be checked that the security/compliance sign-off is by someone else")
}
