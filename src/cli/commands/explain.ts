import type { Command } from 'commander';
import { evaluateEnvironment } from '../../engine.js';
import { CannotEvaluateError } from '../../core/errors.js';
import { loadPack } from '../../pack/pack.js';
import { explainGate } from '../../render/explain.js';
import { EXIT } from '../exit-codes.js';
import {
  addLimitOptions,
  asOfOption,
  environmentRuns,
  limitsFrom,
  repositoryRoot,
  requireEnv,
} from '../options.js';
import { helpText, packOption, VERDICT_EXIT_CODES } from '../shared-options.js';

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description(
      'show one gate: its title, its rule for the environment, its status, reasons and the evidence it read',
    )
    .argument('<gate-id>', 'the gate id, e.g. security.cors')
    .option('--env <env>', 'environment: pilot, staging or prod (required)')
    .option('--evidence <dir>', 'evidence folder (default: evidence/<env>)')
    .option('--as-of <date>', 'YYYY-MM-DD (default: today, UTC)')
    .option(
      '--repo-root <dir>',
      "where repository-relative links resolve (default: the evidence's git top level, else the current folder)",
    )
    .addOption(packOption())
    .addHelpText('after', helpText(VERDICT_EXIT_CODES));
  addLimitOptions(command).action(
    async (
      gateId: string,
      flags: { env?: string; evidence?: string; asOf?: string; pack?: string; repoRoot?: string },
    ) => {
      if (flags.env === 'all')
        throw new CannotEvaluateError('explain takes one environment, not all');
      const pack = await loadPack(flags.pack);
      const env = requireEnv(flags.env, pack, false);
      if (!pack.gates.some((g) => g.id === gateId))
        throw new CannotEvaluateError(
          unknownGate(
            gateId,
            pack.gates.map((g) => g.id),
          ),
        );
      const [run] = environmentRuns(env, flags.evidence, pack);
      if (!run) return;
      const repoRoot = flags.repoRoot ?? repositoryRoot(run.evidenceDir);
      const evaluation = await evaluateEnvironment({
        ...run,
        asOf: asOfOption(flags.asOf),
        pack,
        limits: limitsFrom(flags),
        repoRoot,
      });
      process.stdout.write(explainGate(evaluation, gateId));
      const gate = evaluation.decision.gates.find((g) => g.id === gateId);
      process.exitCode =
        gate && (gate.status === 'fail' || gate.status === 'error') ? EXIT.NO_GO : EXIT.GO;
    },
  );
}

/** `unknown gate "x"`, with the nearest ids by edit distance (what a typo most likely meant). */
export function unknownGate(id: string, ids: string[]): string {
  const scored = ids
    .map((candidate) => ({ candidate, distance: editDistance(id, candidate) }))
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1));
  const near = scored
    .filter((s) => s.distance <= Math.max(3, Math.floor(id.length / 3)))
    .slice(0, 3)
    .map((s) => s.candidate);
  const prefixed = near.length
    ? near
    : ids.filter((candidate) => candidate.startsWith(`${id.split('.')[0] ?? id}.`)).slice(0, 3);
  const hint = prefixed.length ? `; did you mean ${prefixed.join(', ')}?` : '';
  return `unknown gate "${id}"${hint} (the pack has ${ids.length} gates; each checklist line names its gate id)`;
}

/** Levenshtein distance, in characters; both strings are short gate ids. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
