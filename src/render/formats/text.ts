import { renderSummary } from '../summary.js';
import type { EvaluationFormat } from './format.js';

/** The verdict summary: what stdout shows by default; written on request. */
export const textFormat: EvaluationFormat = {
  name: 'text',
  description: 'the verdict summary (what stdout shows by default)',
  renders: 'evaluation',
  alwaysWritten: false,
  fileName: (env) => `P4_PROD_READINESS_SUMMARY_${env}.txt`,
  stdout: 'as-rendered',
  logCommands: false,
  render: (evaluation) => renderSummary(evaluation),
};
