import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { evaluateEnvironment, type Evaluation } from '../../engine.js';
import { CannotEvaluateError, messageOf } from '../../errors.js';
import { writeOutputSet, type OutputFile } from '../../io/output-set.js';
import { loadPack } from '../../pack/pack.js';
import { attestationOutput } from '../../provenance/attestation.js';
import { privateKeyFromPem } from '../../provenance/dsse.js';
import { writePolicyInput } from '../../provenance/opa-crosscheck.js';
import { buildReport } from '../../render/report.js';
import { renderChecklist } from '../../render/checklist.js';
import { appendStepSummary, isReportsFormat, REPORTS_FORMATS } from '../../render/formats/index.js';
import { renderSummary } from '../../render/summary.js';
import { FORMATS, WRITTEN_FORMATS, type OutputFormat } from '../../render/outputs.js';
import { escapeCiLogLines, escapeJsonForLog } from '../../text/escape.js';
import { EXIT } from '../exit-codes.js';
import { addLimitOptions, asOfOption, environmentRuns, limitsFrom } from '../options.js';
import { packOption } from '../shared-options.js';

interface EvaluateFlags {
  env: string;
  evidence?: string;
  out: string;
  asOf?: string;
  format?: string[];
  pack?: string;
  repoRoot?: string;
  signKey?: string;
  emitInput?: string;
  ciContext: boolean;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description('evaluate an evidence bundle and write the checklist and the JSON report')
    .requiredOption('--env <env>', 'environment: pilot, staging, prod, or all')
    .option('--evidence <dir>', 'evidence folder (default: evidence/<env>; with --env all, the folder of per-environment folders)')
    .option('--out <dir>', 'output folder', 'outputs')
    .option('--as-of <date>', 'the date every time-relative rule is judged at, YYYY-MM-DD (default: today, UTC)')
    .addOption(
      new Option('--format <format>', 'an output format, repeatable: each is written under --out and the first is printed (default: text, printed only)')
        .argParser(collectFormat),
    )
    .option('--repo-root <dir>', 'where repository-relative links resolve (default: the current folder)')
    .option('--sign-key <key.pem>', 'also write P4_PROD_READINESS_ATTESTATION_<env>.dsse.json: the report and checklist signed with this ed25519 private key (docs/audit.md)')
    .option('--emit-input <file>', 'also write the policy input, for `opa eval --input` (one environment only)')
    .option('--no-ci-context', 'record no CI context (commit, run, actor) in the report, e.g. for committed example outputs')
    .addOption(packOption());
  addLimitOptions(command).action(async (flags: EvaluateFlags) => {
    const asOf = asOfOption(flags.asOf);
    if (flags.emitInput && flags.env === 'all') throw new CannotEvaluateError('--emit-input takes one environment, not all');
    const signingKey = flags.signKey ? await readSigningKey(flags.signKey) : undefined;
    const ciEnv = flags.ciContext ? process.env : {};
    const pack = await loadPack(flags.pack);
    const limits = limitsFrom(flags);
    const formats = flags.format ?? [];
    const printed = formats[0] ?? 'text';
    const evaluations: Evaluation[] = [];
    const runs = environmentRuns(flags.env, flags.evidence, pack);
    // Every file of this run (each environment's checklist, report, attestation and text
    // summary, and the formats covering all environments) is written as one set under
    // the output folder's lock (src/io/output-set.ts): all of them, or none.
    const outputs: OutputFile[] = [];
    const printedPerEnvironment: { evaluation: Evaluation; evidenceDir: string; names: string[] }[] = [];
    for (const run of runs) {
      const evaluation = await evaluateEnvironment({ ...run, asOf, pack, limits, ...(flags.repoRoot ? { repoRoot: flags.repoRoot } : {}) });
      // The checklist and report are always written; a per-environment format asked for by name (text) beside them.
      const perEnvironment = [...WRITTEN_FORMATS, ...formats.filter((f) => f === 'text').map((f) => FORMATS[f] as OutputFormat)];
      const own = perEnvironment.map((format) => ({ name: format.fileName(run.env), content: format.render(evaluation, { env: ciEnv }) }));
      if (signingKey) own.push(attestationOutput(run.env, own, signingKey));
      outputs.push(...own);
      if (flags.emitInput) await writePolicyInput(flags.emitInput, evaluation.input);
      printedPerEnvironment.push({ evaluation, evidenceDir: run.evidenceDir, names: own.map((o) => o.name) });
      evaluations.push(evaluation);
    }
    // Formats for CI viewers cover every evaluated environment in one file.
    const reports = evaluations.map((evaluation) => buildReport(evaluation, ciEnv));
    const evidenceDirs = new Map(runs.map((run) => [run.env, relativeToRepo(run.evidenceDir, flags.repoRoot)]));
    const reportsOutputs = formats.filter(isReportsFormat).map((name) => {
      const format = REPORTS_FORMATS[name];
      return { name, file: { name: format.fileName(flags.env), content: format.render(reports, pack.gates, { evidenceDir: (env) => evidenceDirs.get(env) ?? `evidence/${env}` }) } };
    });
    await writeOutputSet(flags.out, [...outputs, ...reportsOutputs.map((r) => r.file)]);
    for (const { evaluation, evidenceDir, names } of printedPerEnvironment) {
      if (formats.includes('github')) await appendStepSummary(process.env['GITHUB_STEP_SUMMARY'], renderChecklist(evaluation));
      if (!isReportsFormat(printed)) {
        const format = FORMATS[printed] as OutputFormat;
        const written = names.map((name) => join(flags.out, name));
        process.stdout.write(printed === 'text' ? `${renderSummary(evaluation, evidenceDir)}  wrote ${written.join(', ')}\n` : forLog(printed, format.render(evaluation, { env: ciEnv })));
      }
    }
    for (const { name, file } of reportsOutputs) {
      const content = file.content;
      if (name === printed) process.stdout.write(forLog(name, content.endsWith('\n') ? content : `${content}\n`));
    }
    process.exitCode = evaluations.every((e) => e.decision.verdict === 'GO') ? EXIT.GO : EXIT.NO_GO;
  });
}

/**
 * A written format's copy on stdout, which may be a CI log: JSON (the report, SARIF)
 * keeps its value with CI commands broken by \u escapes; Markdown is escaped line by
 * line; the text summary, HTML and JUnit are escaped by their renderers; the github
 * format's workflow commands are its purpose (its data is escaped by GitHub's rules).
 */
function forLog(format: string, content: string): string {
  if (format === 'json' || format === 'sarif') return escapeJsonForLog(content);
  if (format === 'markdown') return escapeCiLogLines(content);
  return content;
}

/** Reads and checks the signing key before anything is evaluated or written. */
async function readSigningKey(path: string): Promise<Buffer> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (thrown) {
    throw new CannotEvaluateError(`signing key ${path} cannot be read: ${messageOf(thrown)}`);
  }
  privateKeyFromPem(pem);
  return pem;
}

const FORMAT_NAMES = ['text', 'json', 'markdown', ...Object.keys(REPORTS_FORMATS)];

function collectFormat(value: string, previous: string[] | undefined): string[] {
  if (!FORMAT_NAMES.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${FORMAT_NAMES.join(', ')}.`);
  return [...(previous ?? []), value];
}

/** The evidence folder as annotations and SARIF locations name it: relative to the repository, '/'-separated. */
function relativeToRepo(dir: string, repoRoot: string | undefined): string {
  return relative(resolve(repoRoot ?? '.'), resolve(dir)).split(sep).join('/');
}
