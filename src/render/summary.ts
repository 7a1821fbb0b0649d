import { formatFinding } from '../core/finding.js';
import type { Evaluation } from '../provenance/evaluation.js';
import { formatReason, singleLine, STATUS_LABEL } from './format-reason.js';
import { redactSecrets } from '../core/text/redact.js';
import { escapeCiLog } from '../core/text/escape.js';
import { countsLine, findingCounts } from './formats/shared.js';

/** The short terminal summary: the verdict, the counts, every non-passing gate's first reason. */
export function renderSummary(evaluation: Evaluation, evidenceDir = ''): string {
  const { decision } = evaluation;
  // The counts every format shows (render/formats/shared.ts): a parent failing through its items counts once, there.
  const lines = [
    `${evaluation.env} (as of ${evaluation.asOf}): ${decision.verdict} — ${countsLine(findingCounts(decision.gates))}`,
  ];
  for (const problem of decision.problems) lines.push(`  problem: ${singleLine(problem)}`);
  for (const d of evaluation.diagnostics) lines.push(`  ${formatFinding(d, evidenceDir)}`);
  for (const gate of decision.gates) {
    if (gate.status === 'pass' || gate.status === 'na') continue;
    if (gate.reasons.every((r) => r.code === 'child-status')) continue; // its children are listed
    const first = gate.reasons[0];
    lines.push(
      `  ${STATUS_LABEL[gate.status].padEnd(6)} ${gate.id}: ${first ? formatReason(first) : ''}`,
    );
  }
  // Each line is built on one line; redaction, then escaping for a terminal or CI log,
  // are the last steps, over everything printed.
  return `${lines.map((line) => escapeCiLog(redactSecrets(line))).join('\n')}\n`;
}
