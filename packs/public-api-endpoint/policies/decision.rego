# METADATA
# title: public API endpoint decision
# description: |
#   The single entrypoint: a decision for every gate of the checklist, keyed by gate id.
#   Each decision is {status, reasons}; status is pass, fail, na or error.
#   Every checklist section is a package under data.checklist (checklist.<section>) with a
#   gates object; each is collected here, so a new section needs no edit of this file.
package prodgate

decision := {"gates": object.union_n([gates | some name; gates := data.checklist[name].gates])}
