import { CannotEvaluateError } from '../../core/errors.js';
import { escapeCiLog, escapeCiLogLines, escapeJsonForLog } from '../../core/text/escape.js';
import { azureDevopsFormat, renderAzureDevops } from './azuredevops.js';
import { codeQualityFormat, renderCodeQuality } from './codequality.js';
import type {
  EvaluationFormat,
  FormatName,
  OutputFormat,
  ReportsFormat,
  ReportsFormatName,
} from './format.js';
import { githubFormat, renderGithub } from './github.js';
import { htmlFormat, renderHtml } from './html.js';
import { jsonFormat } from './json.js';
import { junitFormat, renderJunit } from './junit.js';
import { markdownFormat } from './markdown.js';
import { renderSarif, sarifFormat, sarifLog } from './sarif.js';
import { renderTable, tableFormat } from './table.js';
import { renderTap, tapFormat } from './tap.js';
import { textFormat } from './text.js';

// The one format registry: every output format, one entry each (format.ts is the
// interface, one file per format). The CLI only looks names up here.

export { SARIF_LIMITS } from './sarif-limits.js';
export { releaseFacts, type FormatOptions, type ReleaseFacts } from './shared.js';
export {
  outputFileName,
  type EvaluationFormat,
  type FormatName,
  type OutputFormat,
  type RenderContext,
  type RenderedFormat,
  type ReportsFormat,
  type ReportsFormatName,
} from './format.js';
export { jsonFormat, markdownFormat, textFormat };
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

/** Every format by name, in the order `--help` lists them. */
export const FORMATS: Readonly<Record<FormatName, OutputFormat>> = {
  text: textFormat,
  json: jsonFormat,
  markdown: markdownFormat,
  junit: junitFormat,
  sarif: sarifFormat,
  github: githubFormat,
  azuredevops: azureDevopsFormat,
  codequality: codeQualityFormat,
  tap: tapFormat,
  table: tableFormat,
  html: htmlFormat,
};

/** Every format name, in registry order. */
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

/** The format with this name; any other name is one line listing the known ones. */
export function formatNamed(name: string): OutputFormat {
  if (!isFormatName(name))
    throw new CannotEvaluateError(
      `unknown format "${escapeCiLog(name)}"; the formats are: ${FORMAT_NAMES.join(', ')}`,
    );
  return FORMATS[name];
}

/**
 * The formats every `evaluate` writes for each environment, in the order they are written
 * and signed: the checklist, then the report (the formats whose entry says alwaysWritten).
 */
export const WRITTEN_FORMATS: EvaluationFormat[] = [markdownFormat, jsonFormat];

/** The formats rendered from reports, one file for every evaluated environment. */
export const REPORTS_FORMATS = Object.fromEntries(
  Object.values(FORMATS)
    .filter((f): f is ReportsFormat => f.renders === 'reports')
    .map((f) => [f.name, f]),
) as Readonly<Record<ReportsFormatName, ReportsFormat>>;

export function isReportsFormat(name: string): name is ReportsFormatName {
  return isFormatName(name) && FORMATS[name].renders === 'reports';
}

/** A format's copy on stdout, which may be a CI log, escaped as its entry says. */
export function forStdout(format: OutputFormat, content: string): string {
  if (format.stdout === 'json') return escapeJsonForLog(content);
  if (format.stdout === 'lines') return escapeCiLogLines(content);
  return content;
}
