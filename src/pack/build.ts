import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { CannotEvaluateError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256 } from '../provenance/digest.js';
import { manifestProblems, type BundleManifest, type GateMeta } from './catalog.js';
import { checkOpaVersion, runOpa } from './opa-cli.js';
import { packPaths } from './pack.js';

/** pack.json: what a pack is called, for which environments, and its entrypoint. */
interface PackConfig {
  name: string;
  environments: string[];
  entrypoint: string;
}

export interface BuildSummary {
  manifest: BundleManifest;
  previousSha256?: string;
  added: string[];
  removed: string[];
}

/**
 * Compiles a pack's policies to policy.wasm with the pinned OPA, limited to the
 * builtins the wasm target implements (capabilities.json), and writes the bundle
 * manifest with the gate catalog read from each gate's METADATA.
 */
export async function buildPack(root?: string): Promise<BuildSummary> {
  const paths = packPaths(root);
  const config = JSON.parse(await readFile(join(paths.root, 'pack.json'), 'utf8')) as PackConfig;
  const opaVersion = await checkOpaVersion();
  const gates = await readGateCatalog(paths.policies);

  const work = await mkdtemp(join(tmpdir(), 'prodgate-build-'));
  try {
    const tarball = join(work, 'bundle.tar.gz');
    // Relative paths from the pack root: OPA embeds source file names in policy.wasm,
    // and the same sources must give the same bytes wherever the pack is checked out.
    await runOpa(
      [
        'build',
        '--target', 'wasm',
        '--entrypoint', config.entrypoint,
        '--capabilities', relative(paths.root, paths.capabilities),
        '--ignore', '*_test.rego',
        '--ignore', '*.json',
        '--output', tarball,
        relative(paths.root, paths.policies),
      ],
      paths.root,
    );
    await execa('tar', ['-xzf', tarball, '-C', work, '/policy.wasm']);
    const wasm = await readFile(join(work, 'policy.wasm'));

    const previous = await readPrevious(paths.manifest);
    const manifest: BundleManifest = {
      name: config.name,
      opaVersion,
      entrypoint: config.entrypoint,
      wasm: { path: 'policy.wasm', sha256: sha256(wasm) },
      environments: config.environments,
      gates,
    };
    const problems = manifestProblems(manifest);
    if (problems.length) throw new CannotEvaluateError(`the built manifest is unusable: ${problems.join('; ')}`);
    await writeFileAtomic(join(paths.bundle, 'policy.wasm'), wasm);
    await writeFileAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    const before = new Set(previous?.gates.map((g) => g.id) ?? []);
    const after = new Set(gates.map((g) => g.id));
    return {
      manifest,
      ...(previous ? { previousSha256: previous.wasm.sha256 } : {}),
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Annotation {
  annotations?: { scope?: string; title?: string; description?: string; custom?: Record<string, unknown> };
  location?: { file?: string; row?: number };
}

/** Reads every gate's METADATA with `opa inspect -a`; a gate missing a field stops the build. */
export async function readGateCatalog(policiesDir: string): Promise<GateMeta[]> {
  const out = await runOpa(['inspect', '--annotations', '--format', 'json', policiesDir]);
  const annotations = (JSON.parse(out) as { annotations?: Annotation[] }).annotations ?? [];
  const gates: GateMeta[] = [];
  const problems: string[] = [];
  for (const a of annotations) {
    const custom = a.annotations?.custom;
    if (!custom || typeof custom['id'] !== 'string') continue;
    const where = `${a.location?.file ?? '?'}:${a.location?.row ?? '?'}`;
    const missing = ['title', 'description'].filter((k) => !a.annotations?.[k as 'title']);
    missing.push(...['section', 'severity', 'remediation'].filter((k) => typeof custom[k] !== 'string'));
    if (!Array.isArray(custom['evidence'])) missing.push('evidence');
    if (!custom['rules'] || typeof custom['rules'] !== 'object') missing.push('rules');
    if (missing.length) {
      problems.push(`${where}: gate ${custom['id']} METADATA lacks ${missing.join(', ')}`);
      continue;
    }
    gates.push({
      id: custom['id'],
      title: a.annotations?.title ?? '',
      description: (a.annotations?.description ?? '').trim(),
      section: custom['section'] as string,
      severity: custom['severity'] as string,
      ...(typeof custom['parent'] === 'string' ? { parent: custom['parent'] } : {}),
      evidence: (custom['evidence'] as unknown[]).map(String),
      rules: Object.fromEntries(Object.entries(custom['rules'] as Record<string, unknown>).map(([k, v]) => [k, String(v).trim()])),
      remediation: custom['remediation'] as string,
      ...(Array.isArray(custom['non_waivable']) ? { nonWaivable: (custom['non_waivable'] as unknown[]).map(String) } : {}),
    });
  }
  const seen = new Set<string>();
  for (const g of gates) {
    if (seen.has(g.id)) problems.push(`gate ${g.id} has more than one METADATA block`);
    seen.add(g.id);
  }
  if (problems.length) throw new CannotEvaluateError(`policy METADATA is incomplete:\n${problems.join('\n')}`);
  return gates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function readPrevious(path: string): Promise<BundleManifest | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return manifestProblems(value).length ? undefined : (value as BundleManifest);
  } catch {
    return undefined; // no earlier build: everything is new
  }
}
