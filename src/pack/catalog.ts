import type { ValidatorSchema } from '../validate/kind-schema.js';
import { isEnvironmentName } from './pack-config.js';
import { packOptionsProblems, type PackOptions } from './pack-options.js';

/** What the policies say about one gate, from its METADATA block. */
export interface GateMeta {
  id: string;
  title: string;
  description: string;
  section: string;
  severity: string;
  /** The parent gate's id, for a child gate. */
  parent?: string;
  /** Evidence kinds the gate reads: an invalid one makes the gate `error`. */
  evidence: string[];
  /** The rule in words, per environment. */
  rules: Record<string, string>;
  remediation: string;
  /** Environments where a waiver may not cover this gate (METADATA `custom.non_waivable: [prod]`). */
  nonWaivable?: string[];
  /**
   * Per environment, the facts that must be recorded from an artifact, not claimed
   * (METADATA `custom.recorded: {prod: ["tenancy:/isolationTests/*"]}`): `kind:/pointer`,
   * where a `*` token is every item of a list (docs/artifacts.md).
   */
  recorded?: Record<string, string[]>;
}

/** The bundle manifest written by `prodgate build` beside policy.wasm; the trust options come from pack.json. */
export interface BundleManifest extends PackOptions {
  name: string;
  opaVersion: string;
  entrypoint: string;
  wasm: { path: string; sha256: string };
  /** The evidence schema validators compiled at build time, and the schema files they came from. */
  validators: { path: string; sha256: string; schemas: ValidatorSchema[] };
  environments: string[];
  gates: GateMeta[];
}

/** Checks an untrusted manifest's shape; returns the problems (empty when usable). */
export function manifestProblems(value: unknown): string[] {
  const problems: string[] = [];
  const m = value as Partial<BundleManifest> | null;
  if (!m || typeof m !== 'object') return ['manifest is not an object'];
  for (const key of ['name', 'opaVersion', 'entrypoint'] as const)
    if (typeof m[key] !== 'string') problems.push(`manifest.${key} must be a string`);
  if (!m.wasm || typeof m.wasm.path !== 'string' || !/^[0-9a-f]{64}$/.test(String(m.wasm.sha256)))
    problems.push('manifest.wasm needs path and sha256');
  // The wasm is read from bundle/<path>: one plain file name, never a way out of the bundle.
  else if (!isBundleFileName(m.wasm.path))
    problems.push('manifest.wasm.path must be a file name in the bundle folder');
  if (!Array.isArray(m.environments) || m.environments.some((e) => !isEnvironmentName(e))) {
    problems.push(
      'manifest.environments must be a list of environment names (lowercase letters, digits and hyphens: one plain path segment)',
    );
  } else problems.push(...packOptionsProblems(m, m.environments).map((p) => `manifest.${p}`));
  if (!validatorsUsable(m.validators))
    problems.push(
      'manifest.validators needs a file name in the bundle folder, sha256 and the schemas they were compiled from (rebuild the pack: prodgate build)',
    );
  if (!Array.isArray(m.gates) || m.gates.length === 0)
    problems.push('manifest.gates must list the gates');
  else
    m.gates.forEach((g, i) => {
      if (
        !g ||
        typeof g.id !== 'string' ||
        typeof g.title !== 'string' ||
        !Array.isArray(g.evidence) ||
        typeof g.rules !== 'object'
      ) {
        problems.push(`manifest.gates[${i}] needs id, title, evidence and rules`);
      }
    });
  return problems;
}

function validatorsUsable(v: Partial<BundleManifest['validators']> | undefined): boolean {
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.path !== 'string' ||
    !isBundleFileName(v.path) ||
    !SHA256.test(String(v.sha256)) ||
    !Array.isArray(v.schemas)
  )
    return false;
  return v.schemas.every(
    (s: Partial<ValidatorSchema> | null) =>
      !!s &&
      typeof s.file === 'string' &&
      SHA256.test(String(s.sha256)) &&
      typeof s.id === 'string' &&
      typeof s.kind === 'string' &&
      typeof s.version === 'number' &&
      typeof s.export === 'string',
  );
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A file read from bundle/<path>: one plain file name, never a way out of the bundle. */
function isBundleFileName(path: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(path) && !path.includes('..');
}

/** Children of each parent gate, in catalog order. */
export function childrenOf(gates: GateMeta[]): Map<string, GateMeta[]> {
  const children = new Map<string, GateMeta[]>();
  for (const gate of gates) {
    if (!gate.parent) continue;
    const list = children.get(gate.parent) ?? [];
    list.push(gate);
    children.set(gate.parent, list);
  }
  return children;
}

/** True when a gate's rule text is not the same in every environment. */
export function ruleDiffersByEnvironment(gate: GateMeta): boolean {
  return new Set(Object.values(gate.rules)).size > 1;
}
