import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { INSTALL_ROOT } from '../core/install-root.js';
import { manifestProblems, type BundleManifest, type GateMeta } from './catalog.js';
import { templateGateIds } from '../core/template.js';
import { sha256 } from '../core/digest.js';
import { checkPackFileNames } from './pack-file-names.js';

/** Where the parts of a policy pack live. */
export interface PackPaths {
  root: string;
  policies: string;
  capabilities: string;
  schemas: string;
  template: string;
  bundle: string;
  manifest: string;
}

/**
 * The pack used when no `--pack` is given: the production-readiness checklist that
 * ships at prodgate's install root (core/install-root.ts). Tools and prodgate's own
 * files are found through INSTALL_ROOT, never through this.
 */
export const DEFAULT_PACK_ROOT = INSTALL_ROOT;

export function packPaths(packRoot: string = DEFAULT_PACK_ROOT): PackPaths {
  const root = resolve(packRoot);
  return {
    root,
    policies: join(root, 'policies'),
    capabilities: join(root, 'policies/capabilities.json'),
    schemas: join(root, 'schemas/evidence'),
    template: join(root, 'templates/checklist.md'),
    bundle: join(root, 'bundle'),
    manifest: join(root, 'bundle/manifest.json'),
  };
}

/** A loaded pack: the compiled policy, its gate catalog in template order, the template. */
export interface LoadedPack {
  paths: PackPaths;
  manifest: BundleManifest;
  gates: GateMeta[];
  wasm: Buffer;
  wasmSha256: string;
  template: string;
  templateSha256: string;
}

/**
 * Loads the compiled bundle and checks it: every pack file name (pack-file-names.ts),
 * the manifest's shape, the wasm digest
 * against the manifest, and that template and policies name the same gates.
 * Any mismatch means prodgate cannot evaluate (exit 2), never a guess.
 */
export async function loadPack(root?: string): Promise<LoadedPack> {
  const paths = packPaths(root);
  checkPackFileNames(paths);
  const manifest = await readJson(paths.manifest, 'policy bundle manifest');
  const problems = manifestProblems(manifest);
  if (problems.length)
    throw new CannotEvaluateError(
      `policy bundle manifest ${paths.manifest} is corrupt: ${problems.join('; ')}`,
    );
  const m = manifest as BundleManifest;
  const wasm = await readBytes(join(paths.bundle, m.wasm.path), 'policy bundle');
  const wasmSha256 = sha256(wasm);
  if (wasmSha256 !== m.wasm.sha256) {
    throw new CannotEvaluateError(
      `policy bundle ${m.wasm.path} is corrupt: sha256 ${wasmSha256} does not match the manifest's ${m.wasm.sha256}`,
    );
  }
  const templateBytes = await readBytes(paths.template, 'checklist template');
  const template = templateBytes.toString('utf8');
  const order = templateGateIds(template);
  const known = new Set(m.gates.map((g) => g.id));
  const missingFromTemplate = m.gates.filter((g) => !order.includes(g.id)).map((g) => g.id);
  const unknownInTemplate = order.filter((id) => !known.has(id));
  if (missingFromTemplate.length || unknownInTemplate.length) {
    throw new CannotEvaluateError(
      `checklist template and policies disagree: ${[
        missingFromTemplate.length ? `not in the template: ${missingFromTemplate.join(', ')}` : '',
        unknownInTemplate.length ? `not in the policies: ${unknownInTemplate.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  }
  const gates = [...m.gates].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return {
    paths,
    manifest: m,
    gates,
    wasm,
    wasmSha256,
    template,
    templateSha256: sha256(templateBytes),
  };
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `${what} ${path} cannot be read: ${messageOf(thrown)} (run npm run build:policies)`,
    );
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const bytes = await readBytes(path, what);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (thrown) {
    throw new CannotEvaluateError(`${what} ${path} is not valid JSON: ${messageOf(thrown)}`);
  }
}
