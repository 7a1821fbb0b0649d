import type { Command } from 'commander';
import { formatLintFinding } from '../../authoring/findings.js';
import { errorCount } from '../../core/finding.js';
import { lintPack } from '../../authoring/lint-pack.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { EXIT } from '../exit-codes.js';
import { helpText, packOption } from '../shared-options.js';

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description(
      "check a pack's policies: opa fmt, opa check --strict (wasm capabilities), Regal, and prodgate's pack checks (METADATA, ids, template, evidence schemas)",
    )
    .addOption(packOption())
    .addHelpText(
      'after',
      helpText({
        ok: 'no error (warnings may be printed)',
        failed: 'errors found',
        cannot: 'could not lint (OPA or Regal missing)',
      }),
    )
    .action(async (flags: { pack?: string }) => {
      const { findings, opaVersion, regalVersion } = await lintPack(flags.pack);
      // A finding quotes pack files (rule names, messages, paths): one line each, escaped
      // for a terminal or CI log so that pack text cannot run a workflow command there.
      for (const f of findings) process.stdout.write(`${escapeCiLog(formatLintFinding(f))}\n`);
      const errors = errorCount(findings);
      const warnings = findings.length - errors;
      process.stdout.write(
        `lint: ${errors} error(s), ${warnings} warning(s) (opa fmt, opa check --strict with OPA ${opaVersion}, Regal ${regalVersion}, pack checks)\n`,
      );
      process.exitCode = errors === 0 ? EXIT.GO : EXIT.NO_GO;
    });
}
