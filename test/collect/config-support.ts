// The prod example recording its configuration-proven facts from the example release
// configuration (examples/release-config): the release workflow for ops.migrations and
// the rendered manifests for backups, secrets and CORS, rendered into the evidence
// folder with the released revision, sign-offs approving the result.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyEvidence, editYaml, REPO_ROOT } from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

export const RELEASED = '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a';
export const EXAMPLE_WORKFLOW = join(
  REPO_ROOT,
  'examples/release-config/.github/workflows/release.yml',
);
export const EXAMPLE_MANIFESTS = join(REPO_ROOT, 'examples/release-config/deploy/manifests.yaml');

export async function recordedProd(): Promise<string> {
  const dir = await copyEvidence('prod');
  await mkdir(join(dir, 'config'));
  await writeFile(join(dir, 'config/release.yml'), await readFile(EXAMPLE_WORKFLOW));
  await writeFile(join(dir, 'config/manifests.yaml'), await readFile(EXAMPLE_MANIFESTS));
  await editYaml(dir, 'artifacts.yaml', (d) => {
    d['artifacts'].push(
      {
        id: 'release-workflow',
        path: 'config/release.yml',
        format: 'github-actions',
        revision: RELEASED,
      },
      {
        id: 'release-manifests',
        path: 'config/manifests.yaml',
        format: 'kubernetes',
        revision: RELEASED,
      },
    );
  });
  await editYaml(dir, 'ops.yaml', (d) => {
    d['migrations'] = { recordedBy: { artifact: 'release-workflow' } };
    d['backups'].datastores[0] = {
      name: 'postgres-main',
      holdsData: true,
      recordedBy: { artifact: 'release-manifests' },
    };
    delete d['secretsManager'].plainFileSecrets;
    d['secretsManager'].recordedBy = { artifact: 'release-manifests' };
  });
  await editYaml(dir, 'security.yaml', (d) => {
    d['cors'] = { recordedBy: { artifact: 'release-manifests' } };
  });
  await approveSignoffs(dir);
  return dir;
}
