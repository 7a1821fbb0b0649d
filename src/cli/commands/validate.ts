import type { Command } from 'commander';
import { errorCount, formatFinding } from '../../core/finding.js';
import { validateBundle } from '../../engine.js';
import { loadPack } from '../../pack/pack.js';
import { redactSecrets } from '../../core/text/redact.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { EXIT } from '../exit-codes.js';
import { addArtifactLimitOptions, artifactLimitsFrom } from './collect.js';
import { addLimitOptions, environmentRuns, limitsFrom, requireEnv } from '../options.js';
import { helpText, packOption } from '../shared-options.js';

export function registerValidate(program: Command): void {
  const command = program
    .command('validate')
    .description('check every evidence file against its schema, without evaluating the gates')
    .option('--env <env>', 'environment: pilot, staging, prod, or all (required)')
    .option('--evidence <dir>', 'evidence folder (default: evidence/<env>)')
    .addOption(packOption())
    .addHelpText(
      'after',
      helpText({
        ok: 'every evidence file is valid',
        failed: 'some evidence is invalid',
        cannot: 'could not validate: unknown environment, evidence folder missing',
      }),
    );
  addArtifactLimitOptions(addLimitOptions(command)).action(
    async (flags: { env?: string; evidence?: string; pack?: string }) => {
      const pack = await loadPack(flags.pack);
      const env = requireEnv(flags.env, pack);
      const limits = limitsFrom(flags);
      const artifactLimits = artifactLimitsFrom(flags);
      let errors = 0;
      for (const run of environmentRuns(env, flags.evidence, pack)) {
        const { files, findings } = await validateBundle({
          evidenceDir: run.evidenceDir,
          limits,
          artifactLimits,
          ...(flags.pack ? { packDir: flags.pack } : {}),
        });
        for (const f of findings)
          process.stdout.write(
            `${escapeCiLog(redactSecrets(formatFinding(f, run.evidenceDir)))}\n`,
          );
        const count = errorCount(findings);
        process.stdout.write(`${run.env}: ${files.length} file(s), ${count} error(s)\n`);
        errors += count;
      }
      process.exitCode = errors === 0 ? EXIT.GO : EXIT.NO_GO;
    },
  );
}
