# METADATA
# title: Release Runbook (Links)
# description: Links to the runbooks a release needs; each must resolve.
package checklist.runbook

import data.prodgate.lib

# METADATA
# title: Primary runbook
# description: The primary runbook is linked and the link resolves.
# custom:
#   id: runbook.primary
#   section: runbook
#   severity: high
#   evidence: [runbook]
#   rules:
#     default: A link; a repository-relative link must point to a file that exists, a URL must be https.
#   remediation: Set primary in the runbook evidence to a file in the repository or an https URL.
gates["runbook.primary"] := link_gate("primary")

# METADATA
# title: Rollback plan
# description: The rollback plan is linked and the link resolves.
# custom:
#   id: runbook.rollback
#   section: runbook
#   severity: high
#   evidence: [runbook]
#   rules:
#     default: Same rule as the primary runbook.
#   remediation: Set rollback in the runbook evidence to a file in the repository or an https URL.
gates["runbook.rollback"] := link_gate("rollback")

# METADATA
# title: Backup/restore
# description: The backup/restore runbook is linked and the link resolves.
# custom:
#   id: runbook.backup-restore
#   section: runbook
#   severity: high
#   evidence: [runbook]
#   rules:
#     default: Same rule as the primary runbook.
#   remediation: Set backupRestore in the runbook evidence to a file in the repository or an https URL.
gates["runbook.backup-restore"] := link_gate("backupRestore")

# METADATA
# title: Known issues
# description: The known-issues list is linked and the link resolves.
# custom:
#   id: runbook.known-issues
#   section: runbook
#   severity: medium
#   evidence: [runbook]
#   rules:
#     default: Same rule as the primary runbook.
#   remediation: Set knownIssues in the runbook evidence to a file in the repository or an https URL.
gates["runbook.known-issues"] := link_gate("knownIssues")

link_gate(field) := lib.decide(["runbook"], lib.link_reasons("runbook", concat("", ["/", field]), object.get(lib.evidence("runbook"), field, null)))
