import type { Command } from 'commander';
import { collectFile } from '../../collect/collect-file.js';
import { plainFacts } from '../../collect/facts.js';
import {
  ARTIFACT_LIMIT_FLAGS,
  resolveArtifactLimits,
  type ArtifactLimits,
} from '../../collect/limits.js';
import { FORMAT_NAMES, importerFor } from '../../collect/registry.js';
import { parseLimit } from '../../core/limits.js';
import { CannotEvaluateError } from '../../core/errors.js';
import { escapeJsonForLog } from '../../core/text/escape.js';
import { EXIT } from '../exit-codes.js';

/**
 * `prodgate collect FILE [--format F]`: what prodgate reads from one artifact, as JSON
 * on stdout: the format (recognised from the content unless given), the importer's
 * meta, the sha256, the facts with their lines and columns, and the problems.
 * Exit 0 when read, 1 when the artifact is invalid, 2 when it cannot be read.
 */
export function registerCollect(program: Command): void {
  const command = program
    .command('collect')
    .description(
      'print what prodgate reads from one artifact (JUnit XML, CTRF, SARIF, gitleaks JSON) as JSON',
    )
    .argument('<file>', 'the artifact')
    .option(
      '--format <format>',
      `the artifact format (${FORMAT_NAMES.join(', ')}); recognised from the content when absent`,
    );
  addArtifactLimitOptions(command).action(
    async (file: string, flags: { format?: string } & Record<string, string | undefined>) => {
      if (flags.format !== undefined && !importerFor(flags.format)) {
        throw new CannotEvaluateError(
          `unknown --format "${flags.format}"; known: ${FORMAT_NAMES.join(', ')}`,
        );
      }
      const collected = await collectFile(
        file,
        artifactLimitsFrom(flags),
        flags.format ? { format: flags.format } : {},
      );
      const importer = collected.format ? importerFor(collected.format) : undefined;
      const out = {
        file: collected.path,
        sha256: collected.sha256,
        format: collected.format ?? null,
        ...(importer ? { importer: importer.meta } : {}),
        valid: collected.valid,
        problems: collected.problems,
        ...(collected.facts ? { facts: plainFacts(collected.facts) } : {}),
      };
      // Test names and messages come from the artifact: no workflow command or control
      // character reaches a CI log (the same JSON, escaped as evaluate's JSON on stdout).
      process.stdout.write(`${escapeJsonForLog(JSON.stringify(out, null, 2))}\n`);
      process.exitCode = collected.unreadable
        ? EXIT.CANNOT_EVALUATE
        : collected.valid
          ? EXIT.GO
          : EXIT.NO_GO;
    },
  );
}

/** Adds the artifact limit flags (--max-artifact-size, ...) to a command. */
export function addArtifactLimitOptions(command: Command): Command {
  for (const f of ARTIFACT_LIMIT_FLAGS) command.option(`${f.flag} <n>`, f.description);
  return command;
}

/** The artifact limits from parsed flags; a malformed value is refused (exit 2). */
export function artifactLimitsFrom(flags: Record<string, unknown>): ArtifactLimits {
  const given: Partial<ArtifactLimits> = {};
  for (const f of ARTIFACT_LIMIT_FLAGS) {
    const name = f.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const raw = flags[name];
    if (raw === undefined) continue;
    const value = parseLimit(String(raw), f.size);
    if (value === undefined)
      throw new CannotEvaluateError(
        `${f.flag} must be a positive whole number${f.size ? ' (K/M/G suffixes allowed)' : ''}, got "${String(raw)}"`,
      );
    given[f.key] = value;
  }
  return resolveArtifactLimits(given);
}
