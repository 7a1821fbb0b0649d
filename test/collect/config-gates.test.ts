// Per gate, a configuration change that flips it: the prod example recording its
// backups, secrets and CORS from the example release manifests
// (examples/release-config/deploy/manifests.yaml) and its migrations from the release
// workflow, each file edited, evaluated end to end (real schemas, real policy wasm).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../src/engine.ts';
import { AS_OF, cleanupTmp, REPO_ROOT } from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';
import { recordedProd } from './config-support.ts';

afterAll(cleanupTmp);

async function withManifests(change: (text: string) => string, file = 'config/manifests.yaml') {
  const dir = await recordedProd();
  const path = join(dir, file);
  const before = await readFile(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
  await approveSignoffs(dir);
  return evaluateEnvironment({ env: 'prod', evidenceDir: dir, asOf: AS_OF, repoRoot: REPO_ROOT });
}

const gate = (e: Awaited<ReturnType<typeof withManifests>>, id: string) =>
  e.decision.gates.find((g) => g.id === id);

describe('each configuration-proven gate flips with its configuration', () => {
  it('prod passes them all as committed', async () => {
    const e = await withManifests((t) => `${t}\n`);
    for (const id of [
      'ops.migrations',
      'ops.backups.automated',
      'ops.dr.rpo-rto',
      'ops.secrets-manager',
      'security.cors',
    ])
      expect([id, gate(e, id)?.status]).toEqual([id, 'pass']);
    expect(e.decision.verdict).toBe('GO');
  });

  it('ops.backups.automated: a suspended ScheduledBackup takes no backup', async () => {
    const e = await withManifests((t) =>
      t.replace('  backupOwnerReference: self', '  backupOwnerReference: self\n  suspend: true'),
    );
    const g = gate(e, 'ops.backups.automated');
    expect(g?.status).toBe('fail');
    expect(g?.reasons.map((r) => r.message).join('\n')).toMatch(
      /postgres-main-hourly is paused or suspended/,
    );
    expect(g?.reasons[0]?.evidence[0]).toMatchObject({ file: 'config/manifests.yaml', line: 31 });
  });

  it('ops.backups.automated: a backup of another cluster does not back up postgres-main', async () => {
    const e = await withManifests((t) =>
      t.replace('  cluster:\n    name: postgres-main', '  cluster:\n    name: postgres-replica'),
    );
    expect(gate(e, 'ops.backups.automated')?.status).toBe('fail');
  });

  it('ops.dr.rpo-rto: a daily backup is longer than the 4h RPO, located at its schedule', async () => {
    const e = await withManifests((t) =>
      t.replace('schedule: "0 0 * * * *"', 'schedule: "0 0 2 * * *"'),
    );
    const g = gate(e, 'ops.dr.rpo-rto');
    expect(g?.status).toBe('fail');
    expect(g?.reasons).toContainEqual(
      expect.objectContaining({
        code: 'violation',
        message: expect.stringContaining(
          'at most every 1440 minutes (schedule 0 0 2 * * *), longer than the RPO target 4h',
        ),
        evidence: expect.arrayContaining([
          expect.objectContaining({ file: 'config/manifests.yaml', line: 31, column: 3 }),
        ]),
      }),
    );
    expect(gate(e, 'ops.backups.automated')?.status).toBe('pass');
  });

  it('ops.secrets-manager: a Secret with data in the manifests', async () => {
    const e = await withManifests(
      (t) =>
        `${t}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: smtp\n  namespace: todox\nstringData:\n  password: not-a-real-one\n`,
    );
    const g = gate(e, 'ops.secrets-manager');
    expect(g?.status).toBe('fail');
    expect(g?.reasons.map((r) => r.message).join('\n')).toMatch(
      /Secret todox\/smtp carries 1 value\(s\) in the manifests/,
    );
  });

  it('ops.secrets-manager: an ExternalSecret whose store is not in the manifests', async () => {
    const e = await withManifests((t) =>
      t.replace(
        '    name: aws-secrets-manager\n    kind: ClusterSecretStore',
        '    name: vault\n    kind: ClusterSecretStore',
      ),
    );
    expect(gate(e, 'ops.secrets-manager')?.status).toBe('fail');
  });

  it('security.cors: CORS enabled without cors-allow-origin allows any origin', async () => {
    const e = await withManifests((t) =>
      t.replace(/^ {4}nginx\.ingress\.kubernetes\.io\/cors-allow-origin: .*\n/m, ''),
    );
    const g = gate(e, 'security.cors');
    expect(g?.status).toBe('fail');
    expect(g?.reasons[0]?.message).toMatch(/Ingress server-api allows origin "\*": .*wildcard/);
  });

  it('security.cors: an http origin in prod', async () => {
    const e = await withManifests((t) =>
      t.replace('https://www.todox.example', 'http://www.todox.example'),
    );
    expect(gate(e, 'security.cors')?.reasons[0]?.message).toMatch(/prod origins must be https/);
  });

  it('an unrendered template in the manifests makes every gate reading them error', async () => {
    const e = await withManifests((t) =>
      t.replace('  name: postgres-main-hourly', '  name: {{ .Release.Name }}-hourly'),
    );
    for (const id of ['ops.backups.automated', 'ops.secrets-manager', 'security.cors'])
      expect([id, gate(e, id)?.status]).toEqual([id, 'error']);
    expect(e.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'unrendered-template',
        file: 'config/manifests.yaml',
        line: 27,
        column: 9,
      }),
    );
  });

  it('an empty manifest file proves nothing: error', async () => {
    const e = await withManifests(() => '# nothing rendered\n');
    expect(gate(e, 'security.cors')?.status).toBe('error');
    expect(e.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'empty-config', file: 'config/manifests.yaml' }),
    );
  });

  it('ops.migrations: the workflow changed so that deploy does not wait', async () => {
    const e = await withManifests(
      (t) => t.replace('needs: [build, server-migrate]', 'needs: [build]'),
      'config/release.yml',
    );
    expect(gate(e, 'ops.migrations')?.status).toBe('fail');
  });
});
