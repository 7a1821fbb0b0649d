import type { Evaluation } from '../provenance/evaluation.js';
import { formatRef, singleLine, STATUS_LABEL } from './format-reason.js';
import { redactSecrets } from '../core/text/redact.js';
import { escapeCiLog } from '../core/text/escape.js';

/** A gate in full: title, description, its rule here, status, every reason, the evidence read. */
export function explainGate(evaluation: Evaluation, gateId: string): string {
  const meta = evaluation.pack.gates.find((g) => g.id === gateId);
  const gate = evaluation.decision.gates.find((g) => g.id === gateId);
  if (!meta || !gate) return `${gateId}: not a gate of this pack\n`;
  const lines = [
    `${gate.id}: ${singleLine(meta.title)}`,
    `  ${singleLine(meta.description)}`,
    `  section ${meta.section}, severity ${meta.severity}${meta.parent ? `, part of ${meta.parent}` : ''}`,
    `  rule (${evaluation.env}): ${singleLine(gate.rule)}`,
    `  status: ${STATUS_LABEL[gate.status]} (as of ${evaluation.asOf})`,
  ];
  if (gate.reasons.length) {
    lines.push('  reasons:');
    for (const r of gate.reasons) {
      lines.push(`    - [${r.code}] ${singleLine(r.message)}`);
      for (const ref of r.evidence) lines.push(`      at ${singleLine(formatRef(ref))}`);
    }
  }
  if (gate.facts?.length) {
    lines.push('  facts (claimed in evidence, or recorded from an artifact):');
    for (const f of gate.facts) {
      const at = formatRef(f);
      lines.push(
        f.source === 'recorded' && f.artifact
          ? `    - recorded  ${singleLine(at)}: from ${singleLine(f.artifact.path)} (${f.artifact.format}, sha256 ${f.artifact.sha256.slice(0, 12)}…), ${singleLine(f.artifact.selector)}`
          : `    - claimed   ${singleLine(at)}`,
      );
    }
  }
  lines.push('  evidence read:');
  for (const kind of meta.evidence) {
    const entry = evaluation.input.evidence[kind];
    lines.push(
      `    - ${kind}: ${entry ? `${singleLine(entry.file)}${entry.valid ? '' : ' (invalid)'}` : 'none in the bundle'}`,
    );
  }
  if (gate.status !== 'pass' && gate.status !== 'na')
    lines.push(`  remediation: ${singleLine(meta.remediation)}`);
  return `${lines.map((line) => escapeCiLog(redactSecrets(line))).join('\n')}\n`;
}
