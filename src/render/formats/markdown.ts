import { renderChecklist } from '../checklist.js';
import type { EvaluationFormat } from './format.js';

/** The checklist (templates/checklist.md filled in), one per environment, always written. */
export const markdownFormat: EvaluationFormat = {
  name: 'markdown',
  description: 'the checklist (always written)',
  renders: 'evaluation',
  alwaysWritten: true,
  fileName: (env) => `P4_PROD_READINESS_CHECKLIST_${env}.md`,
  stdout: 'lines',
  logCommands: false,
  render: renderChecklist,
};
