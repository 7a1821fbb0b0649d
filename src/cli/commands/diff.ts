import type { Command } from 'commander';
import { CannotEvaluateError } from '../../core/errors.js';
import { dirname } from 'node:path';
import { settleOutputSet } from '../../core/io/output-set.js';
import { readRegularFile } from '../../core/io/read-bounded.js';
import { diffReports, renderDiffJson, renderDiffText } from '../../verify/diff.js';
import { parseDiffableReport, type DiffableReport } from '../../verify/report-file.js';
import { escapeJsonForLog } from '../../core/text/escape.js';
import { helpText, TEXT_OR_JSON_HELP, textOrJsonOption } from '../shared-options.js';

/** diff's exit codes, as diff(1): 0 the same, 1 different; 2 (cannot run) comes from CannotEvaluateError in main. */
const SAME = 0;
const DIFFERENT = 1;

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'compare two reports: gates now failing, fixed, waived or n/a, and the evidence and pack files that changed (exit 0 same, 1 different, 2 cannot run)',
    )
    .argument('<old>', 'the earlier JSON report')
    .argument('<new>', 'the later JSON report')
    .addOption(textOrJsonOption())
    .addHelpText(
      'after',
      helpText(
        {
          ok: 'the same verdicts',
          failed: 'different',
          cannot: 'cannot run: a file is missing or not a report',
        },
        TEXT_OR_JSON_HELP,
      ),
    )
    .action(async (oldPath: string, newPath: string, flags: { format: 'text' | 'json' }) => {
      const diff = diffReports(await readReport(oldPath), await readReport(newPath));
      process.stdout.write(
        flags.format === 'json' ? escapeJsonForLog(renderDiffJson(diff)) : renderDiffText(diff),
      );
      process.exitCode = diff.differs ? DIFFERENT : SAME;
    });
}

async function readReport(path: string): Promise<DiffableReport> {
  // A set left half-committed by a killed writer is completed first, never read mixed.
  await settleOutputSet(dirname(path));
  // A regular file within the read bound: a FIFO or /dev/zero given as a report is refused, not read.
  const text = (await readRegularFile(path, 'report')).toString('utf8');
  const parsed = parseDiffableReport(text);
  if (!parsed.ok)
    throw new CannotEvaluateError(`${path} is not a prodgate report: ${parsed.problem}`);
  return parsed.value;
}
