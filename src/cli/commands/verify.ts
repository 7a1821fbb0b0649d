import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CannotEvaluateError, messageOf } from '../../core/errors.js';
import { dirname } from 'node:path';
import { settleOutputSet } from '../../core/io/output-set.js';
import { readRegularFile } from '../../core/io/read-bounded.js';
import { verifyReport } from '../../verify/verify.js';
import { renderVerifyJson, renderVerifyText } from '../../verify/verify-render.js';
import { escapeJsonForLog } from '../../core/text/escape.js';
import { repositoryRoot } from '../options.js';
import { helpText, packOption, TEXT_OR_JSON_HELP, textOrJsonOption } from '../shared-options.js';

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
    .option(
      '--evidence <dir>',
      "evidence folder (default: evidence/<env>, the report's environment)",
    )
    .option('--key <pub.pem>', "also check the report's DSSE envelope with this ed25519 public key")
    .option(
      '--envelope <file>',
      'the DSSE envelope (default: P4_PROD_READINESS_ATTESTATION_<env>.dsse.json beside the report)',
    )
    .option(
      '--checklist <file>',
      'the checklist to compare with the re-rendered one (default: the one beside the report, when present)',
    )
    .addOption(
      new Option(
        '--engine <engine>',
        'also evaluate the same input with the stock OPA CLI on the Rego sources',
      ).choices(['opa']),
    )
    .option(
      '--repo-root <dir>',
      "where repository-relative links resolve, as for evaluate (default: the evidence's git top level, else the current folder)",
    )
    .addOption(packOption())
    .addOption(textOrJsonOption())
    .addHelpText(
      'after',
      helpText(
        {
          ok: 'verified',
          failed:
            'a difference: the report does not match its evidence, pack, checklist or signature',
          cannot:
            'cannot run: the file is not a report (an attestation is recognised), a key or folder is missing',
        },
        TEXT_OR_JSON_HELP,
      ),
    )
    .action(async (reportPath: string, flags: VerifyFlags) => {
      // A set left half-committed by a killed writer (a new report beside an old checklist
      // or attestation) is completed first, as the next evaluate would: never verified mixed.
      await settleOutputSet(dirname(reportPath));
      await checkIsReport(reportPath);
      const result = await verifyReport({
        reportPath,
        ...(flags.evidence ? { evidenceDir: flags.evidence } : {}),
        ...(flags.pack ? { packDir: flags.pack } : {}),
        repoRoot: flags.repoRoot ?? repositoryRoot(flags.evidence ?? '.'),
        ...(flags.key ? { publicKeyPem: await readKey(flags.key) } : {}),
        ...(flags.envelope ? { envelopePath: flags.envelope } : {}),
        ...(flags.checklist ? { checklistPath: flags.checklist } : {}),
        ...(flags.engine ? { engine: flags.engine } : {}),
      });
      process.stdout.write(
        flags.format === 'json'
          ? escapeJsonForLog(renderVerifyJson(result))
          : renderVerifyText(result),
      );
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

/** How much of a file is read to tell whether it is a report at all (a report starts with its keys). */
const SNIFF_BYTES = 64 * 1024;

/**
 * Refuses, with exit 2 and a hint, a file that is not a report at all: an attestation
 * given by mistake, another JSON document, a checklist. A report that was edited or
 * corrupted is still verified (and differs, exit 1): only a file with no trace of a
 * report is refused here.
 */
async function checkIsReport(path: string): Promise<void> {
  // Read as verify reads it: a regular file within the bound (a FIFO or a device is refused, never waited on).
  const bytes = await readRegularFile(path, 'report');
  const head = bytes.subarray(0, SNIFF_BYTES).toString('utf8');
  const hint = 'give the P4_PROD_READINESS_REPORT_<env>.json that evaluate wrote';
  if (
    /^\s*\{\s*"payloadType"|"payloadType"\s*:\s*"application\/vnd\.in-toto\+json"/.test(head) &&
    /"signatures"\s*:/.test(head)
  ) {
    throw new CannotEvaluateError(
      `${path} is a DSSE attestation, not a report: ${hint}, with --key pub.pem (and --envelope ${path} if it is not beside the report)`,
    );
  }
  // Any of a report's own keys: an edited or corrupted report goes on to be verified (and differs).
  if (/"(reportVersion|provenance|verdict|gates)"\s*:/.test(head)) return;
  if (!/^\s*\{/.test(head))
    throw new CannotEvaluateError(`${path} is not a prodgate report (not a JSON object): ${hint}`);
  if (bytes.length <= SNIFF_BYTES)
    throw new CannotEvaluateError(
      `${path} is not a prodgate report (it has no reportVersion, verdict or gates): ${hint}`,
    );
}
