import { renderReportJson } from '../report.js';
import type { EvaluationFormat } from './format.js';

/** The JSON report (schemas/report.v1.schema.json), one per environment, always written. */
export const jsonFormat: EvaluationFormat = {
  name: 'json',
  description: 'the JSON report (always written)',
  renders: 'evaluation',
  alwaysWritten: true,
  fileName: (env) => `P4_PROD_READINESS_REPORT_${env}.json`,
  stdout: 'json',
  logCommands: false,
  render: (evaluation, context) => renderReportJson(evaluation, context?.env),
};
