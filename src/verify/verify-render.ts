import { escapeCiLog } from '../core/text/escape.js';
import { canonicalJsonFile } from '../core/canonical-json.js';
import type { VerifyResult } from './verify.js';

const STATE_LABEL = { ok: 'ok', differs: 'DIFFERS', skipped: 'skipped' } as const;

/** verify's text output: one line per check, each difference under it, then the conclusion. */
export function renderVerifyText(result: VerifyResult): string {
  const where = result.environment ? `: ${result.environment}, as of ${result.asOf}` : '';
  const lines = [`prodgate verify ${result.report}${where}`];
  for (const check of result.checks) {
    lines.push(`  ${STATE_LABEL[check.state].padEnd(8)} ${check.part}: ${check.summary}`);
    for (const f of result.findings.filter((f) => f.code === check.part))
      lines.push(`             ${f.message}`);
  }
  const differing = result.checks.filter((c) => c.state === 'differs');
  const count = result.findings.length;
  lines.push(
    result.verified
      ? 'VERIFIED: the report, its evidence and its policy pack are as recorded, and re-evaluation reproduces it'
      : `NOT VERIFIED: ${count} difference(s) in ${differing.map((c) => c.part).join(', ')}`,
  );
  // Report contents (environment, paths, reasons) are shown: escaped for a terminal or CI log.
  return `${lines.map(escapeCiLog).join('\n')}\n`;
}

/** verify's JSON output (canonical, like every JSON prodgate writes for audit). */
export function renderVerifyJson(result: VerifyResult): string {
  return canonicalJsonFile(result);
}
