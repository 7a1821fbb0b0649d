import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { sha256 } from '../core/digest.js';
import { templateGateIds } from '../core/template.js';
import { packOptionsOf } from './pack-options.js';
import { manifestProblems, type BundleManifest, type GateMeta } from './catalog.js';
import { inspectGates } from './gate-metadata.js';
import { checkOpaVersion, runOpa } from './opa-cli.js';
import { readPackConfig } from './pack-config.js';
import { checkPackFileNames } from './pack-file-names.js';
import { packPaths } from './pack.js';
import { withRegoSources } from './rego-library.js';

export interface BuildSummary {
  manifest: BundleManifest;
  /** pack.json's version, for the build line. */
  version: string;
  previousSha256?: string;
  added: string[];
  removed: string[];
  /** Gates whose METADATA (title, rules, evidence, ...) differs from the previous build. */
  changed: string[];
  /** Gates the checklist template lacks, or names without a policy: evaluating refuses such a pack. */
  templateProblems: string[];
}

/**
 * Compiles a pack's policies to policy.wasm with the pinned OPA, limited to the
 * builtins the wasm target implements (capabilities.json), and writes the bundle
 * manifest with the gate catalog read from each gate's METADATA.
 */
export async function buildPack(root?: string): Promise<BuildSummary> {
  const paths = packPaths(root);
  checkPackFileNames(paths); // before OPA embeds a name in policy.wasm
  const config = await readPackConfig(paths.root);
  const opaVersion = await checkOpaVersion();
  const gates = await readGateCatalog(paths.root, config.environments);

  const work = await mkdtemp(join(tmpdir(), 'prodgate-build-'));
  try {
    const tarball = join(work, 'bundle.tar.gz');
    // Relative paths from the pack root: OPA embeds source file names in policy.wasm,
    // and the same sources must give the same bytes wherever the pack is checked out
    // (the shared library, too, is read at policies/lib: rego-library.ts).
    await withRegoSources(paths, (sources) =>
      runOpa(
        [
          'build',
          '--target',
          'wasm',
          '--entrypoint',
          config.entrypoint,
          '--capabilities',
          relative(paths.root, paths.capabilities),
          '--ignore',
          '*_test.rego',
          '--ignore',
          '*.json',
          '--output',
          tarball,
          relative(paths.root, paths.policies),
        ],
        sources,
      ),
    );
    const { execa } = await import('execa');
    await execa('tar', ['-xzf', tarball, '-C', work, '/policy.wasm']);
    const wasm = await readFile(join(work, 'policy.wasm'));
    // Compiled here so that an evaluation compiles no schema; loadPack checks them against the schema files.
    const { standaloneValidators } = await import('../validate/compile-schemas.js');
    const validators = await standaloneValidators(paths.schemas);

    const previous = await readPrevious(paths.manifest);
    const manifest: BundleManifest = {
      name: config.name,
      opaVersion,
      entrypoint: config.entrypoint,
      wasm: { path: 'policy.wasm', sha256: sha256(wasm) },
      validators: {
        path: VALIDATORS_FILE,
        sha256: sha256(validators.source),
        schemas: validators.schemas,
      },
      environments: config.environments,
      ...packOptionsOf(config),
      gates,
    };
    const problems = manifestProblems(manifest);
    if (problems.length)
      throw new CannotEvaluateError(`the built manifest is unusable: ${problems.join('; ')}`);
    await writeFileAtomic(join(paths.bundle, 'policy.wasm'), wasm);
    await writeFileAtomic(join(paths.bundle, VALIDATORS_FILE), validators.source);
    await writeFileAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    const before = new Map((previous?.gates ?? []).map((g) => [g.id, JSON.stringify(g)]));
    const after = new Map(gates.map((g) => [g.id, JSON.stringify(g)]));
    return {
      manifest,
      version: config.version,
      ...(previous ? { previousSha256: previous.wasm.sha256 } : {}),
      added: [...after.keys()].filter((id) => !before.has(id)),
      removed: [...before.keys()].filter((id) => !after.has(id)),
      changed: [...after]
        .filter(([id, meta]) => before.has(id) && before.get(id) !== meta)
        .map(([id]) => id),
      templateProblems: await templateDisagreement(paths.template, gates),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The compiled evidence schema validators, beside policy.wasm in the bundle folder. */
const VALIDATORS_FILE = 'validators.js';

/** Every gate's METADATA, checked (gate-metadata.ts); any problem stops the build. */
export async function readGateCatalog(
  packRoot: string,
  environments: string[],
): Promise<GateMeta[]> {
  const { gates, problems } = await inspectGates(packRoot, environments);
  if (problems.length) {
    const lines = problems.map((p) => `${p.file ? `${p.file}:${p.line || 1}: ` : ''}${p.message}`);
    throw new CannotEvaluateError(`policy METADATA is incomplete:\n${lines.join('\n')}`);
  }
  return gates;
}

/** What `loadPack` would refuse: gates missing from the template, template lines naming no gate. */
async function templateDisagreement(templatePath: string, gates: GateMeta[]): Promise<string[]> {
  let template: string;
  try {
    template = await readFile(templatePath, 'utf8');
  } catch {
    return [`the checklist template ${templatePath} cannot be read`];
  }
  const inTemplate = templateGateIds(template);
  const ids = new Set(gates.map((g) => g.id));
  const missing = gates.filter((g) => !inTemplate.includes(g.id)).map((g) => g.id);
  const unknown = inTemplate.filter((id) => !ids.has(id));
  return [
    ...(missing.length ? [`not in the template: ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`in the template but not in the policies: ${unknown.join(', ')}`] : []),
  ];
}

async function readPrevious(path: string): Promise<BundleManifest | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return manifestProblems(value).length ? undefined : (value as BundleManifest);
  } catch {
    return undefined; // no earlier build: everything is new
  }
}
