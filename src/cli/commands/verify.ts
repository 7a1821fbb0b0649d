import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CannotEvaluateError, messageOf } from '../../errors.js';
import { verifyReport } from '../../provenance/verify.js';
import { renderVerifyJson, renderVerifyText } from '../../provenance/verify-render.js';
import { escapeJsonForLog } from '../../text/escape.js';
import { packOption } from '../shared-options.js';

interface VerifyFlags {
  evidence?: string;
  key?: string;
  envelope?: string;
  checklist?: string;
  engine?: 'opa';
  repoRoot?: string;
  pack?: string;
  format: 'text' | 'json';
}

/** verify's exit codes: 0 verified, 1 differences; 2 (cannot run) comes from CannotEvaluateError in main. */
const VERIFIED = 0;
const DIFFERS = 1;

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check a report offline: recompute the digest of every evidence and pack file, re-evaluate at its as-of date and compare gate by gate ' +
        '(exit 0 verified, 1 a difference, 2 cannot run)',
    )
    .argument('<report>', 'the JSON report, e.g. outputs/P4_PROD_READINESS_REPORT_prod.json')
    .option('--evidence <dir>', "evidence folder (default: evidence/<env>, the report's environment)")
    .option('--key <pub.pem>', "also check the report's DSSE envelope with this ed25519 public key")
    .option('--envelope <file>', 'the DSSE envelope (default: P4_PROD_READINESS_ATTESTATION_<env>.dsse.json beside the report)')
    .option('--checklist <file>', 'the checklist to compare with the re-rendered one (default: the one beside the report, when present)')
    .addOption(new Option('--engine <engine>', 'also evaluate the same input with the stock OPA CLI on the Rego sources').choices(['opa']))
    .option('--repo-root <dir>', 'where repository-relative links resolve, as for evaluate (default: the current folder)')
    .addOption(packOption())
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(['text', 'json']).default('text'))
    .action(async (reportPath: string, flags: VerifyFlags) => {
      const result = await verifyReport({
        reportPath,
        ...(flags.evidence ? { evidenceDir: flags.evidence } : {}),
        ...(flags.pack ? { packDir: flags.pack } : {}),
        ...(flags.repoRoot ? { repoRoot: flags.repoRoot } : {}),
        ...(flags.key ? { publicKeyPem: await readKey(flags.key) } : {}),
        ...(flags.envelope ? { envelopePath: flags.envelope } : {}),
        ...(flags.checklist ? { checklistPath: flags.checklist } : {}),
        ...(flags.engine ? { engine: flags.engine } : {}),
      });
      process.stdout.write(flags.format === 'json' ? escapeJsonForLog(renderVerifyJson(result)) : renderVerifyText(result));
      process.exitCode = result.verified ? VERIFIED : DIFFERS;
    });
}

async function readKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (thrown) {
    throw new CannotEvaluateError(`public key ${path} cannot be read: ${messageOf(thrown)}`);
  }
}
