import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import type { FormatOptions } from './shared.js';

export { appendStepSummary, STEP_SUMMARY_LIMIT, type StepSummaryResult } from './github.js';
export type { FormatOptions } from './shared.js';
export { renderGithub, renderHtml, renderJunit, renderSarif };

/**
 * A format for CI and people that covers one or several environments in one file
 * (with `--env all`, one file for all of them): pure, from reports and the pack's gates.
 */
export interface ReportsFormat {
  name: 'junit' | 'sarif' | 'github' | 'html';
  /** The file under --out; `label` is the environment, or `all` for --env all. */
  fileName(label: string): string;
  render(reports: Report[], gates: GateMeta[], options?: FormatOptions): string;
}

export const REPORTS_FORMATS: Record<ReportsFormat['name'], ReportsFormat> = {
  junit: { name: 'junit', fileName: (label) => `P4_PROD_READINESS_JUNIT_${label}.xml`, render: renderJunit },
  sarif: { name: 'sarif', fileName: (label) => `P4_PROD_READINESS_${label}.sarif`, render: renderSarif },
  github: { name: 'github', fileName: (label) => `P4_PROD_READINESS_GITHUB_${label}.txt`, render: renderGithub },
  html: { name: 'html', fileName: (label) => `P4_PROD_READINESS_REPORT_${label}.html`, render: renderHtml },
};

export function isReportsFormat(name: string): name is ReportsFormat['name'] {
  return Object.prototype.hasOwnProperty.call(REPORTS_FORMATS, name);
}
