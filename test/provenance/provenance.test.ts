// Provenance: canonical JSON, the CI context, the digests every report records.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import {
  canonicalJson,
  canonicalJsonFile,
  isCanonicalJsonFile,
} from '../../src/core/canonical-json.ts';
import {
  CI_MARKER_VARIABLES,
  ciContext,
  withoutCiContext,
} from '../../src/provenance/ci-context.ts';
import {
  bundleDigest,
  bundleDigestWithout,
  evidenceDigestInput,
  sha256,
} from '../../src/core/digest.ts';
import { buildProvenance } from '../../src/provenance/provenance.ts';
import {
  buildVerifiableReport,
  parseDiffableReport,
  parseVerifiableReport,
  renderReportFile,
} from '../../src/verify/report-file.ts';
import { buildReport } from '../../src/render/report.ts';
import { TOOL } from '../../src/core/version.ts';
import { AS_OF, cleanupTmp, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and writes no whitespace', () => {
    // RFC 8785 section 3.2.3: U+1F600 (the UTF-16 pair d83d de00) sorts before U+FB33 in
    // UTF-16 code units, though after it in code points.
    expect(
      canonicalJson({ b: 1, a: [true, null, 'x'], '\ufb33': 1, '\u{1f600}': 2, '\r': 3 }),
    ).toBe('{"\\r":3,"a":[true,null,"x"],"b":1,"\u{1f600}":2,"\ufb33":1}');
  });

  it('writes numbers in their ECMAScript form', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 100, 333333333.3333333])).toBe(
      '[1e+21,1e-7,0,0.30000000000000004,100,333333333.3333333]',
    );
  });

  it('refuses values with no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson([Infinity])).toThrow();
  });

  it('recognises its own file form and nothing else', () => {
    const value = { z: 1, a: { c: 'x', b: [1, 2] } };
    const file = canonicalJsonFile(value);
    expect(file).toBe('{"a":{"b":[1,2],"c":"x"},"z":1}\n');
    expect(isCanonicalJsonFile(file, JSON.parse(file))).toBe(true);
    for (const variant of [
      file.trimEnd(),
      `${file}\n`,
      file.replace(':', ': '),
      JSON.stringify(value, null, 2),
    ]) {
      expect(isCanonicalJsonFile(variant, JSON.parse(variant)), variant).toBe(false);
    }
  });
});

describe('ciContext', () => {
  it('is undefined outside CI, whatever else the environment holds', () => {
    expect(
      ciContext({ HOME: '/root', PATH: '/usr/bin', GITHUB_SHA: 'a'.repeat(40), CI: 'true' }),
    ).toBeUndefined();
  });

  it('reads GitHub Actions', () => {
    expect(
      ciContext({
        GITHUB_ACTIONS: 'true',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_RUN_ID: '42',
        GITHUB_ACTOR: 'octocat',
        GITHUB_REPOSITORY: 'todox/todox',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SERVER_URL: 'https://github.com',
      }),
    ).toEqual({
      provider: 'github-actions',
      commit: 'a'.repeat(40),
      runId: '42',
      actor: 'octocat',
      repository: 'todox/todox',
      ref: 'refs/heads/main',
      runUrl: 'https://github.com/todox/todox/actions/runs/42',
    });
  });

  it('reads GitLab CI', () => {
    expect(
      ciContext({
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: 'b'.repeat(40),
        CI_PIPELINE_ID: '7',
        GITLAB_USER_LOGIN: 'maya',
        CI_PROJECT_PATH: 'todox/server',
      }),
    ).toEqual({
      provider: 'gitlab-ci',
      commit: 'b'.repeat(40),
      runId: '7',
      actor: 'maya',
      repository: 'todox/server',
    });
  });

  it.each([
    [{ BUILDKITE: 'true', BUILDKITE_COMMIT: 'c1', BUILDKITE_BUILD_ID: 'b1' }, 'buildkite'],
    [{ CIRCLECI: 'true', CIRCLE_SHA1: 'c1', CIRCLE_WORKFLOW_ID: 'w1' }, 'circleci'],
    [{ TF_BUILD: 'True', BUILD_SOURCEVERSION: 'c1', BUILD_BUILDID: '9' }, 'azure-pipelines'],
    [{ JENKINS_URL: 'https://ci.example/', GIT_COMMIT: 'c1', BUILD_TAG: 'jenkins-x-1' }, 'jenkins'],
    [{ BITBUCKET_BUILD_NUMBER: '5', BITBUCKET_COMMIT: 'c1' }, 'bitbucket-pipelines'],
  ])('detects %j as %s', (env, provider) => {
    const context = ciContext(env);
    expect(context?.provider).toBe(provider);
    expect(context?.commit).toBe('c1');
  });

  it('drops control characters and credentials in URLs, and bounds values', () => {
    const context = ciContext({
      JENKINS_URL: 'x',
      GIT_URL: 'https://user:s3cret@git.example/r.git',
      GIT_COMMIT: `c1\n\u001b[31m`,
      BUILD_USER_ID: 'x'.repeat(5000),
    });
    expect(context?.repository).toBe('https://git.example/r.git');
    expect(context?.commit).toBe('c1[31m');
    expect(context?.actor).toHaveLength(512);
  });

  it('withoutCiContext removes exactly the marker variables', () => {
    const env = { GITHUB_ACTIONS: 'true', GITLAB_CI: 'true', GITHUB_SHA: 'x', HOME: '/h' };
    const stripped = withoutCiContext(env);
    expect(ciContext(stripped)).toBeUndefined();
    expect(stripped).toEqual({ GITHUB_SHA: 'x', HOME: '/h' });
    for (const name of CI_MARKER_VARIABLES) expect(stripped[name]).toBeUndefined();
  });
});

describe('evidence digests for sign-offs', () => {
  const files = [
    { path: 'release.yaml', sha256: sha256('r') },
    { path: 'security.yaml', sha256: sha256('s') },
    { path: 'signoff.yaml', sha256: sha256('o') },
  ];
  const kinds = {
    release: { file: 'release.yaml' },
    security: { file: 'security.yaml' },
    signoff: { file: 'signoff.yaml' },
  };

  it('gives each kind its file digest and the digest of every other file', () => {
    const input = evidenceDigestInput(files, kinds);
    expect(input.digests).toEqual({
      release: sha256('r'),
      security: sha256('s'),
      signoff: sha256('o'),
    });
    expect(input.bundle_digest_without['signoff']).toBe(bundleDigest(files.slice(0, 2)));
    expect(Object.keys(input.bundle_digest_without)).toEqual(['release', 'security', 'signoff']);
  });

  it('the digest without signoff ignores the signoff file and follows every other change', () => {
    const base = bundleDigestWithout(files, 'signoff.yaml');
    const signoffEdited = files.map((f) =>
      f.path === 'signoff.yaml' ? { ...f, sha256: sha256('o2') } : f,
    );
    expect(bundleDigestWithout(signoffEdited, 'signoff.yaml')).toBe(base);
    const securityEdited = files.map((f) =>
      f.path === 'security.yaml' ? { ...f, sha256: sha256('s2') } : f,
    );
    expect(bundleDigestWithout(securityEdited, 'signoff.yaml')).not.toBe(base);
    expect(
      bundleDigestWithout([...files, { path: 'extra.yaml', sha256: sha256('e') }], 'signoff.yaml'),
    ).not.toBe(base);
    expect(
      bundleDigestWithout(
        files.filter((f) => f.path !== 'release.yaml'),
        'signoff.yaml',
      ),
    ).not.toBe(base);
    const renamed = files.map((f) =>
      f.path === 'release.yaml' ? { ...f, path: 'release.yml' } : f,
    );
    expect(bundleDigestWithout(renamed, 'signoff.yaml')).not.toBe(base);
  });

  it('leaves nothing out when no file holds the kind', () => {
    expect(bundleDigestWithout(files, undefined)).toBe(bundleDigest(files));
    expect(evidenceDigestInput(files, {}).digests).toEqual({});
  });
});

describe('buildProvenance on the prod example', () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateEnvironment({
      env: 'prod',
      evidenceDir: join(REPO_ROOT, 'evidence/prod'),
      asOf: AS_OF,
      repoRoot: REPO_ROOT,
    });
  });

  it('records the tool, the environment, the as-of date and the pack', () => {
    const p = buildProvenance(evaluation, {});
    expect(p.provenanceVersion).toBe(1);
    expect(p.tool).toEqual({ name: TOOL.name, version: TOOL.version });
    expect([p.environment, p.asOf]).toEqual(['prod', AS_OF]);
    expect(p.pack).toMatchObject({
      name: evaluation.pack.manifest.name,
      entrypoint: 'prodgate/decision',
      opaVersion: evaluation.pack.manifest.opaVersion,
    });
    expect(p.ci).toBeUndefined();
  });

  it('digests every pack file that decides, renders or rebuilds a verdict, and no test', async () => {
    const p = buildProvenance(evaluation, {});
    const byPath = new Map(p.pack.files.map((f) => [f.path, f]));
    expect(byPath.get('bundle/policy.wasm')).toEqual({
      path: 'bundle/policy.wasm',
      role: 'wasm',
      sha256: evaluation.pack.wasmSha256,
    });
    expect(byPath.get('templates/checklist.md')?.sha256).toBe(evaluation.pack.templateSha256);
    expect(byPath.get('bundle/manifest.json')?.sha256).toBe(
      sha256(await readFile(join(REPO_ROOT, 'bundle/manifest.json'))),
    );
    expect(byPath.get('policies/capabilities.json')?.role).toBe('capabilities');
    expect(byPath.get('policies/signoff/signoff.rego')?.role).toBe('policy');
    expect(byPath.get('schemas/evidence/signoff.v1.schema.json')?.role).toBe('schema');
    expect(byPath.get('pack.json')?.role).toBe('pack');
    expect(p.pack.files.filter((f) => f.path.endsWith('_test.rego'))).toEqual([]);
    expect(p.pack.files.map((f) => f.path)).toEqual([...p.pack.files.map((f) => f.path)].sort());
    expect(p.pack.digest).toBe(bundleDigest(p.pack.files));
  });

  it('digests every evidence file, relative to the bundle, as the report does', () => {
    const p = buildProvenance(evaluation, {});
    const report = buildReport(evaluation);
    expect(p.evidence.digest).toBe(report.evidence.digest);
    expect(p.evidence.files).toEqual(
      report.evidence.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    );
    expect(p.evidence.files.map((f) => f.path)).toContain('signoff.yaml');
    expect(p.evidence.digestWithout['signoff']).toBe(
      bundleDigestWithout(p.evidence.files, 'signoff.yaml'),
    );
    expect(Object.keys(p.evidence.digestWithout).sort()).toEqual(
      Object.keys(evaluation.input.evidence).sort(),
    );
  });

  it('holds no absolute path, so that the same inputs anywhere give the same record', () => {
    const text = canonicalJson(buildProvenance(evaluation, {}));
    expect(text).not.toContain(REPO_ROOT);
    expect(text).not.toMatch(/"\/|[A-Z]:\\\\/);
  });

  it('records the CI context only from CI variables', () => {
    const p = buildProvenance(evaluation, {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_RUN_ID: '1',
      GITHUB_ACTOR: 'bot',
      HOME: '/root',
    });
    expect(p.ci).toEqual({
      provider: 'github-actions',
      commit: 'f'.repeat(40),
      runId: '1',
      actor: 'bot',
    });
  });

  it('makes a report file that parses back, canonical, with its provenance', () => {
    const report = buildVerifiableReport(evaluation, {});
    const text = renderReportFile(report);
    const parsed = parseVerifiableReport(text);
    expect(parsed.ok && parsed.canonical).toBe(true);
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(text));
    const pretty = parseVerifiableReport(JSON.stringify(report, null, 2));
    expect(pretty.ok && pretty.canonical).toBe(false);
  });

  it('refuses a report without provenance for verify, but diffs it', async () => {
    const old = await readFile(
      join(REPO_ROOT, 'outputs/P4_PROD_READINESS_REPORT_prod.json'),
      'utf8',
    );
    const withoutProvenance = JSON.stringify({ ...JSON.parse(old), provenance: undefined });
    expect(parseVerifiableReport(withoutProvenance)).toEqual({
      ok: false,
      problem: expect.stringMatching(/no provenance/),
    });
    expect(parseDiffableReport(withoutProvenance).ok).toBe(true);
  });

  it.each([
    [
      'an unknown verdict',
      (r: Record<string, any>) => (r['verdict'] = 'MAYBE'),
      /\/verdict must be one of/,
    ],
    [
      'a gate status',
      (r: Record<string, any>) => (r['gates'][0].status = 'passed'),
      /\/gates\/0\/status/,
    ],
    [
      'a short digest',
      (r: Record<string, any>) => (r['provenance'].pack.digest = 'abc'),
      /\/provenance\/pack\/digest must be a sha256/,
    ],
    [
      'another as-of in provenance',
      (r: Record<string, any>) => (r['provenance'].asOf = '2026-11-24'),
      /another environment or as-of/,
    ],
  ])('refuses a report with %s', (_name, edit, problem) => {
    const report = JSON.parse(renderReportFile(buildVerifiableReport(evaluation, {}))) as Record<
      string,
      any
    >;
    edit(report);
    expect(parseVerifiableReport(JSON.stringify(report))).toEqual({
      ok: false,
      problem: expect.stringMatching(problem),
    });
  });
});
