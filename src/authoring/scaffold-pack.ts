import { escapeTerminal } from '../core/text/escape.js';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { packConfigProblems, PACK_FILE, type PackConfig } from '../pack/pack-config.js';
import { DEFAULT_PACK_ROOT, packPaths } from '../pack/pack.js';

export interface NewPackOptions {
  name: string;
  environments: string[];
  description?: string;
}

/**
 * Starts a pack in an empty (or new) folder: pack.json, the wasm capabilities, the
 * entrypoint (with no section yet), an empty schemas folder and a template with the
 * verdict header. `prodgate new gate` fills it from there. The Rego library is not
 * copied: a pack without policies/lib uses prodgate's shared one (src/pack/rego-library.ts).
 */
export async function scaffoldPack(
  dir: string,
  options: NewPackOptions,
): Promise<{ root: string; files: string[] }> {
  const root = resolve(dir);
  if (existsSync(root) && (await readdir(root)).length > 0)
    throw new CannotEvaluateError(
      `${escapeTerminal(root)} is not empty: a new pack starts in an empty folder`,
    );
  const config: PackConfig = {
    name: options.name,
    version: '0.1.0',
    ...(options.description ? { description: options.description } : {}),
    environments: options.environments,
    entrypoint: 'prodgate/decision',
  };
  const problems = packConfigProblems(config);
  if (problems.length)
    throw new CannotEvaluateError(
      `cannot start pack "${escapeTerminal(options.name)}": ${problems.join('; ')}`,
    );

  const shipped = packPaths(DEFAULT_PACK_ROOT);
  const paths = packPaths(root);
  await mkdir(paths.policies, { recursive: true });
  await mkdir(paths.schemas, { recursive: true });
  await mkdir(join(paths.template, '..'), { recursive: true });
  const files: string[] = [];
  const write = async (rel: string, text: string): Promise<void> => {
    await writeFile(join(root, rel), text);
    files.push(rel);
  };
  await write(PACK_FILE, `${JSON.stringify(config, null, 2)}\n`);
  for (const rel of ['policies/capabilities.json']) {
    await copyFile(join(shipped.root, rel), join(root, rel));
    files.push(rel);
  }
  await write(
    'policies/decision.rego',
    [
      '# METADATA',
      `# title: ${config.name} decision`,
      '# description: |',
      '#   The single entrypoint: a decision for every gate of the checklist, keyed by gate id.',
      '#   Every checklist section is a package under data.checklist (checklist.<section>) with a',
      '#   gates object; each is collected here, so a new section needs no edit of this file.',
      'package prodgate',
      '',
      'decision := {"gates": object.union_n([gates | some name; gates := data.checklist[name].gates])}',
      '',
    ].join('\n'),
  );
  await write(
    'policies/decision_test.rego',
    [
      'package prodgate.decision_test',
      '',
      'import data.prodgate',
      '',
      '# The entrypoint decides the gates of every section under data.checklist (prodgate test also',
      '# checks that each gate of the catalog is decided, and that none passes on no evidence).',
      'test_entrypoint_decides_every_section if {',
      `\tgates := prodgate.decision.gates with input as {"env": ${JSON.stringify(config.environments[0])}, "as_of": "2026-01-01", "evidence": {}, "links": {}}`,
      '\tcount(gates) > 0',
      '}',
      '',
    ].join('\n'),
  );
  const heading = config.name.replace(/-/g, ' ').replace(/\b[a-z]/g, (c) => c.toUpperCase());
  await write(
    'templates/checklist.md',
    `# ${heading} Checklist ({{@env}})\n\n<!-- prodgate:header -->\n`,
  );
  await write('schemas/evidence/.gitkeep', '');
  await write('.gitattributes', PACK_GITATTRIBUTES);
  return { root, files };
}

/**
 * Written at the root of a new pack, as prodgate's own repository has it: Git checks the
 * pack out with LF line ends on every platform, whatever core.autocrlf says, so a Windows
 * checkout holds the committed bytes. Pack digests are byte for byte (docs/audit.md,
 * Windows checkouts): a CRLF in a Rego raw string or in the checklist template changes
 * what the policy decides or what the checklist says, so CRLF is kept out rather than
 * read as LF.
 */
export const PACK_GITATTRIBUTES = `# Written by prodgate new pack: the pack is checked out with LF line ends everywhere
# (core.autocrlf=true on Windows would otherwise write CRLF, and pack files are digested
# byte for byte). See prodgate's docs/audit.md.
* text=auto eol=lf
*.wasm binary
`;
