import type { Command } from 'commander';
import { evaluateEnvironment } from '../../engine.js';
import { CannotEvaluateError } from '../../errors.js';
import { loadPack } from '../../pack/pack.js';
import { explainGate } from '../../render/explain.js';
import { EXIT } from '../exit-codes.js';
import { addLimitOptions, asOfOption, environmentRuns, limitsFrom } from '../options.js';
import { packOption } from '../shared-options.js';

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description("show one gate: its title, its rule for the environment, its status, reasons and the evidence it read")
    .argument('<gate-id>', 'the gate id, e.g. security.cors')
    .requiredOption('--env <env>', 'environment: pilot, staging or prod')
    .option('--evidence <dir>', 'evidence folder (default: evidence/<env>)')
    .option('--as-of <date>', 'YYYY-MM-DD (default: today, UTC)')
    .option('--repo-root <dir>', 'where repository-relative links resolve (default: the current folder)')
    .addOption(packOption());
  addLimitOptions(command).action(async (gateId: string, flags: { env: string; evidence?: string; asOf?: string; pack?: string; repoRoot?: string }) => {
    if (flags.env === 'all') throw new CannotEvaluateError('explain takes one environment, not all');
    const pack = await loadPack(flags.pack);
    if (!pack.gates.some((g) => g.id === gateId)) {
      throw new CannotEvaluateError(`unknown gate "${gateId}"; gates are: ${pack.gates.map((g) => g.id).join(', ')}`);
    }
    const [run] = environmentRuns(flags.env, flags.evidence, pack);
    if (!run) return;
    const evaluation = await evaluateEnvironment({ ...run, asOf: asOfOption(flags.asOf), pack, limits: limitsFrom(flags), ...(flags.repoRoot ? { repoRoot: flags.repoRoot } : {}) });
    process.stdout.write(explainGate(evaluation, gateId));
    const gate = evaluation.decision.gates.find((g) => g.id === gateId);
    process.exitCode = gate && (gate.status === 'fail' || gate.status === 'error') ? EXIT.NO_GO : EXIT.GO;
  });
}
