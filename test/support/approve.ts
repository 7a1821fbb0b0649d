// Sign-offs approve the evidence by its digest (docs/audit.md): a test that edits an
// evidence file and still wants the sign-offs to pass re-approves, as reviewers would.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import yaml from 'js-yaml';
import { bundleDigestWithout, sha256 } from '../../src/core/digest.ts';
import { editYaml } from './helpers.ts';

const EVIDENCE = new Set(['.json', '.yaml', '.yml']);
const ROLES = ['product', 'engineering', 'security'];

/** The digest a sign-off of this folder approves: every evidence file but signoff.yaml, and every artifact artifacts.yaml names. */
export async function approvalDigest(dir: string): Promise<string> {
  const names = (await readdir(dir))
    .filter((n) => !n.startsWith('.') && EVIDENCE.has(extname(n).toLowerCase()))
    .sort();
  const files = await Promise.all(
    names.map(async (path) => ({ path, sha256: sha256(await readFile(join(dir, path))) })),
  );
  return bundleDigestWithout([...files, ...(await artifactDigests(dir, names))], 'signoff.yaml');
}

async function artifactDigests(
  dir: string,
  names: string[],
): Promise<{ path: string; sha256: string }[]> {
  if (!names.includes('artifacts.yaml')) return [];
  const doc = yaml.load(await readFile(join(dir, 'artifacts.yaml'), 'utf8')) as {
    artifacts?: { path?: unknown }[];
  } | null;
  const paths = (doc?.artifacts ?? [])
    .map((a) => a.path)
    .filter((p): p is string => typeof p === 'string');
  return Promise.all(
    paths.map(async (path) => ({
      path,
      sha256: sha256(await readFile(join(dir, path)).catch(() => '')),
    })),
  );
}

/** Sets every signed sign-off's evidenceDigest in signoff.yaml to the folder's current digest; returns it. */
export async function approveSignoffs(dir: string): Promise<string> {
  const digest = await approvalDigest(dir);
  await editYaml(dir, 'signoff.yaml', (doc) => {
    for (const role of ROLES)
      if (doc[role] && typeof doc[role].name === 'string') doc[role].evidenceDigest = digest;
  });
  return digest;
}

/**
 * True when a gate fails only because the evidence changed after its sign-off: every
 * reason is a violation at .../evidenceDigest. Tests that break one evidence file and
 * expect the gates not reading it to pass accept this for the sign-offs.
 */
export function failsOnlyForChangedEvidence(gate: {
  status: string;
  reasons: { code: string; message: string; evidence: { pointer: string }[] }[];
}): boolean {
  return (
    gate.status === 'fail' &&
    gate.reasons.length > 0 &&
    gate.reasons.every(
      (r) =>
        r.code === 'violation' &&
        /the evidence changed after the \w+ sign-off/.test(r.message) &&
        r.evidence.every((e) => e.pointer.endsWith('/evidenceDigest')),
    )
  );
}
