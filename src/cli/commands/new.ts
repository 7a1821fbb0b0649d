import { Option, type Command } from 'commander';
import { basename, relative } from 'node:path';
import { scaffoldGate } from '../../authoring/scaffold-gate.js';
import { scaffoldPack } from '../../authoring/scaffold-pack.js';
import { SEVERITIES } from '../../pack/gate-ids.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { helpText, packOption } from '../shared-options.js';

interface NewGateFlags {
  section: string;
  title?: string;
  evidence?: string;
  severity: string;
  field?: string;
  pack?: string;
}

export function registerNew(program: Command): void {
  const create = program.command('new').description('scaffold a policy pack, or a gate in one');
  create
    .command('pack')
    .description(
      "start a pack in an empty folder: pack.json, prodgate's lib and capabilities, the entrypoint, an empty template",
    )
    .argument('<dir>', 'the folder to create the pack in')
    .option('--name <name>', 'the pack name (default: the folder name)')
    .requiredOption('--env <envs>', 'comma-separated environments, e.g. sandbox,prod')
    .option('--description <text>', 'what the checklist is for')
    .addHelpText(
      'after',
      helpText({
        ok: 'the pack is written',
        failed: '(not used)',
        cannot: 'could not write: the folder is not empty, a bad name',
      }),
    )
    .action(async (dir: string, flags: { name?: string; env: string; description?: string }) => {
      const { root, files } = await scaffoldPack(dir, {
        name: flags.name ?? basename(dir),
        environments: flags.env
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
        ...(flags.description ? { description: flags.description } : {}),
      });
      const where = relative('.', root) || '.';
      process.stdout.write(
        `${[
          `started pack in ${where}: ${files.join(', ')}`,
          'next:',
          `  1. npx prodgate new gate <section.name> --section <section> --pack ${where}   (once per gate)`,
          `  2. npx prodgate test --pack ${where} && npx prodgate lint --pack ${where} && npx prodgate build --pack ${where}`,
          `  3. npx prodgate init --env <env> --pack ${where}   (starter evidence for the people who fill it in)`,
        ]
          .map(escapeCiLog)
          .join('\n')}\n`,
      );
    });
  create
    .command('gate')
    .description(
      'scaffold a gate: its rule and METADATA, test cases, the template line and the schema field it reads',
    )
    .argument('<id>', 'the gate id: section.name or section.name.child (lowercase, hyphens)')
    .requiredOption('--section <section>', "the checklist section (the id's first part)")
    .option('--title <text>', 'the checklist line (default: a TODO to fill)')
    .option(
      '--evidence <kinds>',
      'comma-separated evidence kinds the gate reads; the first holds its field (default: the section)',
    )
    .addOption(
      new Option('--severity <severity>', 'how bad a failure is')
        .choices([...SEVERITIES])
        .default('high'),
    )
    .option(
      '--field <name>',
      "the schema field the rule reads (default: the id's name in camelCase)",
    )
    .addOption(packOption())
    .addHelpText(
      'after',
      helpText({
        ok: 'the gate is scaffolded',
        failed: '(not used)',
        cannot: 'could not write: a bad id, the gate exists, the pack is invalid',
      }),
    )
    .action(async (id: string, flags: NewGateFlags) => {
      const result = await scaffoldGate(flags.pack, {
        id,
        section: flags.section,
        severity: flags.severity,
        ...(flags.title ? { title: flags.title } : {}),
        ...(flags.evidence
          ? {
              evidence: flags.evidence
                .split(',')
                .map((k) => k.trim())
                .filter(Boolean),
            }
          : {}),
        ...(flags.field ? { field: flags.field } : {}),
      });
      const { gate } = result;
      const pack = flags.pack ? ` --pack ${flags.pack}` : '';
      const width = Math.max(...result.written.map((w) => w.file.length));
      const lines = [
        `scaffolded gate ${gate.id} (section ${gate.section}, reads ${gate.kinds.join(', ')}):`,
        ...result.written.map((w) => `  ${w.file.padEnd(width)}  ${w.what}`),
      ];
      if (result.entrypointFile && !result.entrypointUpdated)
        lines.push(
          `  ! add data.${gate.pkg}.gates to the entrypoint rule in ${result.entrypointFile} by hand`,
        );
      lines.push(
        'next:',
        `  1. fill the TODOs: the METADATA (${gate.title ? '' : 'title, '}description, the rule for ${gate.environments.join(' and ')}, remediation), the reasons`,
        `     (${gate.stem}_reasons), the schema field ${gate.field} and the three test cases`,
        `  2. npx prodgate test${pack}     opa test with coverage, then the same tests under opa-wasm`,
        `  3. npx prodgate lint${pack}     fails while a TODO is left`,
        `  4. npx prodgate build${pack}    compile bundle/, then commit the sources and bundle/ together`,
      );
      // Ids, files and titles can come from the pack: each line escaped for a terminal or CI log.
      process.stdout.write(`${lines.map(escapeCiLog).join('\n')}\n`);
    });
}
