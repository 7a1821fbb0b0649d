import { Option, type Command } from 'commander';
import { evaluateEnvironment, type Evaluation } from '../../engine.js';
import { writeOutputSet } from '../../io/output-set.js';
import { loadPack } from '../../pack/pack.js';
import { renderReportJson } from '../../render/report.js';
import { renderSummary } from '../../render/summary.js';
import { WRITTEN_FORMATS } from '../../render/outputs.js';
import { EXIT } from '../exit-codes.js';
import { addLimitOptions, asOfOption, environmentRuns, limitsFrom } from '../options.js';
import { packOption } from '../shared-options.js';

interface EvaluateFlags {
  env: string;
  evidence?: string;
  out: string;
  asOf?: string;
  format: 'text' | 'json';
  pack?: string;
  repoRoot?: string;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description('evaluate an evidence bundle and write the checklist and the JSON report')
    .requiredOption('--env <env>', 'environment: pilot, staging, prod, or all')
    .option('--evidence <dir>', 'evidence folder (default: evidence/<env>; with --env all, the folder of per-environment folders)')
    .option('--out <dir>', 'output folder', 'outputs')
    .option('--as-of <date>', 'the date every time-relative rule is judged at, YYYY-MM-DD (default: today, UTC)')
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(['text', 'json']).default('text'))
    .option('--repo-root <dir>', 'where repository-relative links resolve (default: the current folder)')
    .addOption(packOption());
  addLimitOptions(command).action(async (flags: EvaluateFlags) => {
    const asOf = asOfOption(flags.asOf);
    const pack = await loadPack(flags.pack);
    const limits = limitsFrom(flags);
    const evaluations: Evaluation[] = [];
    for (const run of environmentRuns(flags.env, flags.evidence, pack)) {
      const evaluation = await evaluateEnvironment({ ...run, asOf, pack, limits, ...(flags.repoRoot ? { repoRoot: flags.repoRoot } : {}) });
      // The checklist and report of one run are written together, under the folder's lock.
      const outputs = WRITTEN_FORMATS.map((format) => ({ name: format.fileName(run.env), content: format.render(evaluation) }));
      const written = await writeOutputSet(flags.out, outputs);
      process.stdout.write(flags.format === 'json' ? renderReportJson(evaluation) : `${renderSummary(evaluation, run.evidenceDir)}  wrote ${written.join(', ')}\n`);
      evaluations.push(evaluation);
    }
    process.exitCode = evaluations.every((e) => e.decision.verdict === 'GO') ? EXIT.GO : EXIT.NO_GO;
  });
}
