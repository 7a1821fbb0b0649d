#!/usr/bin/env node
// Test-only entry: prodgate's verify and diff commands, registered as src/cli/main.ts will
// register them, with main.ts's exit-code handling, plus `write-outputs`, which writes the
// outputs `evaluate --sign-key` will write (canonical report with provenance, checklist,
// envelope, policy input). Runs the compiled dist/ (npm run build). Remove once main.ts
// registers verify and diff and evaluate writes provenance (test/provenance/wired.pending.ts
// then covers the real CLI).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';

const dist = new URL('../../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const [{ registerVerify }, { registerDiff }, { CannotEvaluateError, messageOf }, engine, reportFile, attestation, checklist, outputs, crosscheck] = await Promise.all([
  load('cli/commands/verify.js'),
  load('cli/commands/diff.js'),
  load('core/errors.js'),
  load('engine.js'),
  load('verify/report-file.js'),
  load('attest/attestation.js'),
  load('render/checklist.js'),
  load('render/formats/index.js'),
  load('verify/opa-crosscheck.js'),
]);

const program = new Command().name('prodgate').exitOverride();
registerVerify(program);
registerDiff(program);
program
  .command('write-outputs')
  .requiredOption('--env <env>')
  .requiredOption('--evidence <dir>')
  .requiredOption('--out <dir>')
  .requiredOption('--as-of <date>')
  .option('--repo-root <dir>')
  .option('--pack <dir>')
  .option('--sign-key <pem>')
  .option('--emit-input <file>')
  .action(async (flags) => {
    const evaluation = await engine.evaluateEnvironment({
      env: flags.env,
      evidenceDir: flags.evidence,
      asOf: flags.asOf,
      ...(flags.repoRoot ? { repoRoot: flags.repoRoot } : {}),
      ...(flags.pack ? { packDir: flags.pack } : {}),
    });
    const report = reportFile.buildVerifiableReport(evaluation, process.env);
    const text = checklist.renderChecklist(evaluation);
    const name = outputs.markdownFormat.fileName(flags.env);
    await mkdir(flags.out, { recursive: true });
    await writeFile(join(flags.out, outputs.jsonFormat.fileName(flags.env)), reportFile.renderReportFile(report));
    await writeFile(join(flags.out, name), text);
    if (flags.signKey) {
      const envelope = attestation.signEvaluation({ report, checklist: { name, content: text }, privateKeyPem: await readFile(flags.signKey) });
      await writeFile(join(flags.out, attestation.attestationFileName(flags.env)), envelope);
    }
    if (flags.emitInput) await crosscheck.writePolicyInput(flags.emitInput, evaluation.input);
  });

try {
  await program.parseAsync(process.argv);
} catch (thrown) {
  if (thrown instanceof CommanderError) process.exitCode = thrown.exitCode === 0 ? 0 : 2;
  else if (thrown instanceof CannotEvaluateError) {
    process.stderr.write(`prodgate: ${thrown.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`prodgate: internal error: ${messageOf(thrown)}\n`);
    process.exitCode = 2;
  }
}
