import { relative } from 'node:path';
import type { Command } from 'commander';
import { writeStarterEvidence } from '../../authoring/starter-evidence.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { helpText, packOption } from '../shared-options.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'write a starter evidence folder: one file per evidence kind the pack needs, every field documented and linked to its schema',
    )
    .requiredOption('--env <env>', "the environment the evidence is for (one of the pack's)")
    .option('--out <dir>', 'where to write (default: evidence/<env>)')
    .option('--force', 'overwrite files that exist')
    .addOption(packOption())
    .addHelpText(
      'after',
      helpText({
        ok: 'the starter evidence is written',
        failed: '(not used)',
        cannot:
          'could not write: unknown environment, files exist (use --force), folder not writable',
      }),
    )
    .action(async (flags: { env: string; out?: string; force?: boolean; pack?: string }) => {
      const command = [
        'prodgate init --env',
        flags.env,
        ...(flags.pack ? ['--pack', flags.pack] : []),
      ].join(' ');
      const { outDir, files } = await writeStarterEvidence(flags.pack, {
        env: flags.env,
        command,
        ...(flags.out ? { outDir: flags.out } : {}),
        ...(flags.force ? { force: true } : {}),
      });
      const where = relative('.', outDir) || '.';
      const lines = [
        `wrote ${files.length} starter evidence file(s) to ${where}: ${files.map((f) => `${f.kind}.yaml`).join(', ')}`,
      ];
      lines.push(
        'next: fill in every field (your editor completes and checks them through the yaml-language-server modeline),',
        `      then npx prodgate validate --env ${flags.env} --evidence ${where}${flags.pack ? ` --pack ${flags.pack}` : ''}`,
      );
      // Kinds come from the pack, folders from flags: each line escaped for a terminal or CI log.
      process.stdout.write(`${lines.map(escapeCiLog).join('\n')}\n`);
    });
}
