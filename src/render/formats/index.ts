import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';
import { renderAzureDevops } from './azuredevops.js';
import { renderCodeQuality } from './codequality.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderSarif, sarifLog, sarifText } from './sarif.js';
import type { FormatOptions } from './shared.js';
import { renderTable } from './table.js';
import { renderTap } from './tap.js';

export { SARIF_LIMITS } from './sarif-limits.js';
export { releaseFacts, type FormatOptions, type ReleaseFacts } from './shared.js';
export {
  renderAzureDevops,
  renderCodeQuality,
  renderGithub,
  renderHtml,
  renderJunit,
  renderSarif,
  renderTable,
  renderTap,
  sarifLog,
};

/** A rendered file, and what a reader of the log should know about it (a cut, a limit). */
export interface RenderedFormat {
  content: string;
  warnings: string[];
}

/**
 * A format for CI and people that covers one or several environments in one file
 * (with `--env all`, one file for all of them): pure, from reports and the pack's gates.
 * Its file under --out is `P4_PROD_READINESS_<KIND>_<label>.<extension>`, the pattern
 * of every file prodgate writes.
 */
export interface ReportsFormat {
  name: ReportsFormatName;
  /** What the format is for, as `--help` lists it. */
  description: string;
  /** The file under --out; `label` is the environment, or `all` for --env all. */
  fileName(label: string): string;
  /**
   * Logging commands a CI runner reads only from the step's standard output: printed
   * there whatever the format's place among the `--format`s (and written to the file).
   */
  logCommands: boolean;
  render(reports: Report[], gates: GateMeta[], options?: FormatOptions): RenderedFormat;
}

export type ReportsFormatName =
  | 'junit'
  | 'sarif'
  | 'github'
  | 'html'
  | 'tap'
  | 'table'
  | 'azuredevops'
  | 'codequality';

/** `P4_PROD_READINESS_<KIND>_<label>.<extension>`: one pattern for every output file. */
export function outputFileName(kind: string, label: string, extension: string): string {
  return `P4_PROD_READINESS_${kind}_${label}.${extension}`;
}

const plain =
  (
    render: (reports: Report[], gates: GateMeta[], options?: FormatOptions) => string,
  ): ReportsFormat['render'] =>
  (reports, gates, options) => ({ content: render(reports, gates, options), warnings: [] });

function format(
  name: ReportsFormatName,
  kind: string,
  extension: string,
  description: string,
  render: ReportsFormat['render'],
  logCommands = false,
): ReportsFormat {
  return {
    name,
    description,
    fileName: (label) => outputFileName(kind, label, extension),
    logCommands,
    render,
  };
}

export const REPORTS_FORMATS: Record<ReportsFormatName, ReportsFormat> = {
  junit: format(
    'junit',
    'JUNIT',
    'xml',
    'JUnit XML for test viewers (Jenkins, GitLab, dorny/test-reporter, action-junit-report)',
    plain(renderJunit),
  ),
  sarif: format(
    'sarif',
    'SARIF',
    'sarif',
    'SARIF 2.1.0 for code scanning (GitHub, Azure DevOps), within GitHub upload limits',
    (reports, gates, options) => {
      const { log, warnings } = sarifLog(reports, gates, options);
      return { content: sarifText(log), warnings };
    },
  ),
  github: format(
    'github',
    'GITHUB',
    'txt',
    'GitHub Actions annotations (workflow commands, always printed) and the job summary',
    plain(renderGithub),
    true,
  ),
  azuredevops: format(
    'azuredevops',
    'AZUREDEVOPS',
    'txt',
    'Azure Pipelines logging commands (##vso[task.logissue], always printed)',
    plain(renderAzureDevops),
    true,
  ),
  codequality: format(
    'codequality',
    'CODEQUALITY',
    'json',
    'GitLab Code Quality JSON (merge-request annotations)',
    plain(renderCodeQuality),
  ),
  tap: format('tap', 'TAP', 'tap', 'TAP version 14, a test point per gate', plain(renderTap)),
  table: format(
    'table',
    'TABLE',
    'txt',
    'a plain-text table of every gate that is not a pass',
    plain(renderTable),
  ),
  html: format(
    'html',
    'HTML',
    'html',
    'one self-contained HTML page for people',
    plain(renderHtml),
  ),
};

export function isReportsFormat(name: string): name is ReportsFormatName {
  return Object.hasOwn(REPORTS_FORMATS, name);
}
