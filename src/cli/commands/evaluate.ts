import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { evaluateEnvironment, type Evaluation } from '../../engine.js';
import { CannotEvaluateError, messageOf } from '../../core/errors.js';
import { writeOutputSet, type OutputFile } from '../../core/io/output-set.js';
import { loadPack } from '../../pack/pack.js';
import { kindFor } from '../../pack/pack-options.js';
import { attestationFileName, attestationOutput } from '../../attest/attestation.js';
import { privateKeyFromPem } from '../../attest/dsse.js';
import { writePolicyInput } from '../../verify/opa-crosscheck.js';
import { buildReport } from '../../render/report.js';
import { renderChecklist } from '../../render/checklist.js';
import { appendStepSummary } from '../../core/io/step-summary.js';
import {
  FORMAT_NAMES,
  formatNamed,
  forStdout,
  releaseFacts,
  WRITTEN_FORMATS,
  isFormatName,
  type EvaluationFormat,
  type ReportsFormat,
} from '../../render/formats/index.js';
import { renderSummary } from '../../render/summary.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { EXIT } from '../exit-codes.js';
import { addArtifactLimitOptions, artifactLimitsFrom } from './collect.js';
import {
  addLimitOptions,
  asOfOption,
  checkOutDir,
  DEFAULT_OUT,
  environmentRuns,
  limitsFrom,
  removeStale,
  repositoryRoot,
  requireEnv,
} from '../options.js';
import { formatsHelp, helpFooter, packOption, VERDICT_EXIT_CODES } from '../shared-options.js';

interface EvaluateFlags {
  env?: string;
  evidence?: string;
  out: string;
  asOf?: string;
  format?: string[];
  stdout?: string;
  pack?: string;
  repoRoot?: string;
  signKey?: string;
  emitInput?: string;
  ciContext: boolean;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'evaluate an evidence bundle; write the checklist, the JSON report and each --format under --out; print the verdict',
    )
    .option('--env <env>', 'environment: pilot, staging, prod, or all (required)')
    .option(
      '--evidence <dir>',
      'evidence folder (default: evidence/<env>; with --env all, the folder of per-environment folders)',
    )
    .option(
      '--out <dir>',
      `output folder (default: ${DEFAULT_OUT}; the committed examples are regenerated with --out outputs)`,
      DEFAULT_OUT,
    )
    .option(
      '--as-of <date>',
      'the date every time-relative rule is judged at, YYYY-MM-DD (default: today, UTC)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'also write this format under --out; repeatable (see the list below)',
      ).argParser(collectFormat),
    )
    .addOption(
      new Option(
        '--stdout <format>',
        'print this format on stdout instead of the verdict summary',
      ).choices(FORMAT_NAMES),
    )
    .option(
      '--repo-root <dir>',
      "where repository-relative links resolve (default: the evidence's git top level, else the current folder)",
    )
    .option(
      '--sign-key <key.pem>',
      'also write P4_PROD_READINESS_ATTESTATION_<env>.dsse.json: the report and checklist signed with this ed25519 private key (docs/audit.md)',
    )
    .option(
      '--emit-input <file>',
      'also write the policy input, for `opa eval --input` (one environment only)',
    )
    .option(
      '--no-ci-context',
      'record no CI context (commit, run, actor) in the report, e.g. for committed example outputs',
    )
    .addOption(packOption());
  helpFooter(command, VERDICT_EXIT_CODES, formatsHelp());
  addArtifactLimitOptions(addLimitOptions(command)).action(async (flags: EvaluateFlags) => {
    const asOf = asOfOption(flags.asOf);
    if (flags.emitInput && flags.env === 'all')
      throw new CannotEvaluateError('--emit-input takes one environment, not all');
    const signingKey = flags.signKey ? await readSigningKey(flags.signKey) : undefined;
    const ciEnv = flags.ciContext ? process.env : {};
    const pack = await loadPack(flags.pack);
    const env = requireEnv(flags.env, pack);
    const runs = environmentRuns(env, flags.evidence, pack);
    await checkOutDir(flags.out);
    const limits = limitsFrom(flags);
    const artifactLimits = artifactLimitsFrom(flags as unknown as Record<string, unknown>);
    const formats = (flags.format ?? []).map(formatNamed);
    const toStdout = flags.stdout === undefined ? undefined : formatNamed(flags.stdout);
    const evaluations: Evaluation[] = [];
    const files: OutputFile[] = [];
    const printed: string[] = [];
    const repoRootOf = (dir: string): string => flags.repoRoot ?? repositoryRoot(dir);
    for (const run of runs) {
      const evaluation = await evaluateEnvironment({
        ...run,
        asOf,
        pack,
        limits,
        artifactLimits,
        repoRoot: repoRootOf(run.evidenceDir),
      });
      // The checklist and report of each environment, and the per-environment formats asked for (text).
      const perEnvironment = [
        ...WRITTEN_FORMATS,
        ...formats.filter(
          (f): f is EvaluationFormat => f.renders === 'evaluation' && !f.alwaysWritten,
        ),
      ];
      const outputs = perEnvironment.map((format) => ({
        name: format.fileName(run.env),
        content: format.render(evaluation, { env: ciEnv }),
      }));
      if (signingKey) outputs.push(attestationOutput(run.env, outputs, signingKey));
      files.push(...outputs);
      if (flags.emitInput) await writePolicyInput(flags.emitInput, evaluation.input);
      if (formats.some((f) => f.name === 'github'))
        await appendStepSummary(process.env['GITHUB_STEP_SUMMARY'], renderChecklist(evaluation));
      if (toStdout?.renders === 'evaluation')
        printed.push(forStdout(toStdout, toStdout.render(evaluation, { env: ciEnv })));
      evaluations.push(evaluation);
    }
    // Formats for CI viewers cover every evaluated environment in one file (reports built only for them).
    const reportsFormats = new Set(
      [...formats, ...(toStdout ? [toStdout] : [])].filter(
        (f): f is ReportsFormat => f.renders === 'reports',
      ),
    );
    const reports = reportsFormats.size
      ? evaluations.map((evaluation) => buildReport(evaluation, ciEnv))
      : [];
    const evidenceDirs = new Map(
      runs.map((run) => [run.env, relativeToRepo(run.evidenceDir, repoRootOf(run.evidenceDir))]),
    );
    // The release facts and the anchor of unlocated findings: the pack's release-owner kind.
    const releaseKind = kindFor(pack.manifest, 'releaseOwner');
    const releases = new Map(
      evaluations.map((e) => [
        e.env,
        releaseKind === undefined ? undefined : releaseFacts(e.data.get(releaseKind)),
      ]),
    );
    const options = {
      evidenceDir: (name: string) => evidenceDirs.get(name) ?? `evidence/${name}`,
      release: (name: string) => releases.get(name),
      ...(releaseKind === undefined ? {} : { anchorKind: releaseKind }),
    };
    const logCommands: string[] = [];
    const warnings: string[] = [];
    for (const format of reportsFormats) {
      const { content, warnings: cut } = format.render(reports, pack.gates, options);
      warnings.push(...cut);
      const written = formats.includes(format);
      if (written) files.push({ name: format.fileName(env), content });
      if (format === toStdout) printed.push(forStdout(format, content));
      else if (format.logCommands && written) logCommands.push(content);
    }
    // An unsigned run removes the attestation of an earlier signed one: it no longer matches the report.
    const stale = signingKey ? [] : runs.map((run) => attestationFileName(run.env));
    const written = await writeOutputs(flags.out, files, stale);
    // Set before printing: a reader that closes the pipe early still gets the verdict's exit code.
    process.exitCode = evaluations.every((e) => e.decision.verdict === 'GO') ? EXIT.GO : EXIT.NO_GO;
    for (const warning of warnings) process.stderr.write(`prodgate: warning: ${warning}\n`);
    // CI runners read logging commands only from stdout, whatever their place among the formats.
    for (const content of logCommands) process.stdout.write(content);
    if (toStdout)
      for (const content of printed)
        process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    else {
      for (const [i, evaluation] of evaluations.entries())
        process.stdout.write(renderSummary(evaluation, runs[i]?.evidenceDir ?? ''));
      process.stdout.write(
        `wrote ${written.length} file(s) to ${escapeCiLog(flags.out)}: ${written.map((p) => escapeCiLog(relative(flags.out, p))).join(', ')}\n`,
      );
    }
  });
}

/** The whole set under the output lock; a folder that cannot be written is one line naming --out, exit 2. */
async function writeOutputs(out: string, files: OutputFile[], stale: string[]): Promise<string[]> {
  try {
    await removeStale(out, stale);
    return await writeOutputSet(out, files);
  } catch (thrown) {
    if (thrown instanceof CannotEvaluateError) throw thrown;
    throw new CannotEvaluateError(
      `--out ${out}: cannot write the outputs there: ${messageOf(thrown)}`,
    );
  }
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

function collectFormat(value: string, previous: string[] | undefined): string[] {
  if (!isFormatName(value))
    throw new InvalidArgumentError(`Allowed choices are ${FORMAT_NAMES.join(', ')}.`);
  return [...(previous ?? []), value];
}

/** The evidence folder as annotations and SARIF locations name it: relative to the repository, '/'-separated. */
function relativeToRepo(dir: string, repoRoot: string): string {
  return relative(resolve(repoRoot), resolve(dir)).split(sep).join('/');
}
