// The example release configuration (examples/release-config) proves ops.migrations in a
// prod copy that records it; staging is NO-GO on a failure only its workflow shows.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../src/engine.ts';
import { AS_OF, cleanupTmp, REPO_ROOT } from '../support/helpers.ts';
import { recordedProd } from './config-support.ts';

afterAll(cleanupTmp);

const evaluate = (env: string) =>
  evaluateEnvironment({
    env,
    evidenceDir: join(REPO_ROOT, 'evidence', env),
    asOf: AS_OF,
    repoRoot: REPO_ROOT,
  });

describe('configuration in the examples', () => {
  it('prod recording it: ops.migrations passes, recorded from the workflow', async () => {
    const e = await evaluateEnvironment({
      env: 'prod',
      evidenceDir: await recordedProd(),
      asOf: AS_OF,
      repoRoot: REPO_ROOT,
    });
    const gate = e.decision.gates.find((g) => g.id === 'ops.migrations');
    expect(gate?.status).toBe('pass');
    expect(e.input.recorded?.['ops']?.['/migrations']).toMatchObject({
      artifact: 'release-workflow',
      file: 'config/release.yml',
      format: 'github-actions',
      config: {
        migrations: { job: { id: 'server-migrate' }, runsBeforeDeploy: true, serialized: true },
      },
    });
  });

  it('staging: ops.migrations fails at the deploy job that does not wait for the migrations job', async () => {
    const e = await evaluate('staging');
    const gate = e.decision.gates.find((g) => g.id === 'ops.migrations');
    expect(gate?.status).toBe('fail');
    expect(gate?.reasons).toEqual([
      expect.objectContaining({
        code: 'violation',
        message: expect.stringContaining(
          'deploy job deploy-server does not wait for migrations job server-migrate',
        ),
        evidence: [
          expect.objectContaining({ file: 'config/release.yml', line: 39, column: 3 }),
          expect.objectContaining({ file: 'ops.yaml', pointer: '/migrations/recordedBy' }),
        ],
      }),
      expect.objectContaining({
        code: 'violation',
        message: expect.stringContaining('deploy job deploy-todox does not wait'),
        evidence: [
          expect.objectContaining({ file: 'config/release.yml', line: 48, column: 3 }),
          expect.objectContaining({ file: 'ops.yaml', pointer: '/migrations/recordedBy' }),
        ],
      }),
    ]);
  });
});
