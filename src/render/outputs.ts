import type { Evaluation } from '../provenance/evaluation.js';
import { renderChecklist } from './checklist.js';
import { renderReportJson } from './report.js';
import { renderSummary } from './summary.js';

/** What a renderer may take from the process: the environment, for the report's CI context only. */
export interface RenderContext {
  env?: NodeJS.ProcessEnv;
}

/** One output format: a name, the file it is written to, and how to render it. */
export interface OutputFormat {
  name: string;
  fileName(env: string): string;
  render(evaluation: Evaluation, context?: RenderContext): string;
}

export const markdownFormat: OutputFormat = {
  name: 'markdown',
  fileName: (env) => `P4_PROD_READINESS_CHECKLIST_${env}.md`,
  render: renderChecklist,
};

export const jsonFormat: OutputFormat = {
  name: 'json',
  fileName: (env) => `P4_PROD_READINESS_REPORT_${env}.json`,
  render: (evaluation, context) => renderReportJson(evaluation, context?.env),
};

export const textFormat: OutputFormat = {
  name: 'text',
  fileName: (env) => `P4_PROD_READINESS_SUMMARY_${env}.txt`,
  render: (evaluation) => renderSummary(evaluation),
};

/** Formats always written to the output folder by `evaluate`. */
export const WRITTEN_FORMATS: OutputFormat[] = [markdownFormat, jsonFormat];

export const FORMATS: Record<string, OutputFormat> = {
  markdown: markdownFormat,
  json: jsonFormat,
  text: textFormat,
};
