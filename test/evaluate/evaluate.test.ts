import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.ts';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import { resolveLink } from '../../src/evaluate/links.ts';
import { buildPolicyInput } from '../../src/evaluate/policy-input.ts';
import { WasmPolicy } from '../../src/evaluate/wasm-policy.ts';
import { loadBundle } from '../../src/load/load-bundle.ts';
import { loadPack, type LoadedPack } from '../../src/pack/pack.ts';
import { SchemaRegistry } from '../../src/validate/schema-registry.ts';
import { validateEvidence } from '../../src/validate/validate-evidence.ts';
import { AS_OF, cleanupTmp, makeTmp, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

describe('resolveLink', () => {
  it.each([
    'https://example.com/runbook',
    'https://grafana.todox.example/d/api-overview?var-env=pilot',
    'HTTPS://EXAMPLE.COM/x#frag',
  ])('accepts the https URL %s without fetching it', async (link) => {
    expect(await resolveLink(link, REPO_ROOT)).toEqual({ ok: true });
  });

  it.each([
    ['http://example.com/runbook', /https/],
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['data:text/plain,hello', /https/],
    ['ftp://example.com/x', /https/],
    ['https://', /valid URL|host/],
  ])('rejects %s', async (link, problem) => {
    const state = await resolveLink(link, REPO_ROOT);
    expect(state.ok).toBe(false);
    expect(state.problem).toMatch(problem);
  });

  it.each([
    ['https:///etc/passwd', 'the URL has no host (nothing between https:// and the path)'],
    ['https:////host/path', 'the URL has no host (nothing between https:// and the path)'],
    [
      'https:/etc/passwd',
      'the URL has no host (an https URL starts with https:// and a host name)',
    ],
    ['https:etc/passwd', 'the URL has no host (an https URL starts with https:// and a host name)'],
    [
      'https://\\host/path',
      "the URL's host part holds a backslash, a space or a control character",
    ],
    [
      'https://ho\tst/path',
      "the URL's host part holds a backslash, a space or a control character",
    ],
    ['https://', 'not a valid URL'],
    ['https://./path', 'the URL has no host'],
    ['https://%2e%2e/path', 'the URL has no host'],
    ['https://TOKEN@host.example/x', 'the URL carries credentials (user information before @)'],
    ['https://user:pass@host.example/x', 'the URL carries credentials (user information before @)'],
    ['https://@host.example/x', 'the URL carries credentials (user information before @)'],
    ['https://a@b@host.example/', 'the URL carries credentials (user information before @)'],
    ['https://0/path', "the URL's host is 0.0.0.0 (the unspecified address), which names no host"],
    [
      'https://a_b.example/x',
      'the URL\'s host "a_b.example" is not a host name (labels of letters, digits and inner hyphens, separated by single dots)',
    ],
    [
      `https://${'a'.repeat(64)}.example/`,
      `the URL's host "${'a'.repeat(64)}.example" is not a host name (labels of letters, digits and inner hyphens, separated by single dots)`,
    ],
    ['mailto:dana@todox.example', 'a URL must be https, not mailto'],
    ['C:/x.md', 'an absolute path; links must be repository-relative'],
    ['c:\\x.md', 'an absolute path; links must be repository-relative'],
  ])(
    'says why %j is not a usable link, and that it names no evidence (missing)',
    async (link, problem) => {
      expect(await resolveLink(link, REPO_ROOT)).toEqual({ ok: false, problem, missing: true });
    },
  );

  it('keeps a plain http URL a (waivable) violation: it names evidence, fetched insecurely', async () => {
    expect(await resolveLink('http://example.com/runbook', REPO_ROOT)).toEqual({
      ok: false,
      problem: 'a URL must be https, not http',
    });
    expect((await resolveLink('HTTP://example.com/runbook', REPO_ROOT)).missing).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['.', /leaves the repository/],
    ['evidence/..', /leaves the repository/],
    ['../no-such-runbook.md', /leaves the repository/],
    ['../gone/erasure.md', /leaves the repository/],
    ['/no/such.md', /absolute/],
    ['file:///no/such.md', /https, not file/],
    ['evidence\\docs\\nothing.md', /backslash/],
    ['#rollback', /empty/],
    ['evidence/docs/runbooks/release.md/', /ends with a slash/],
    ['.git/HEAD', /\.git/],
    ['evidence/../.git/HEAD', /\.git/],
    ['.GIT/HEAD', /\.git/],
    ['javascript:alert(1)', /https/],
  ])('marks %j missing evidence, never a waivable violation', async (link, problem) => {
    const state = await resolveLink(link, REPO_ROOT);
    expect(state).toEqual({ ok: false, problem: expect.stringMatching(problem), missing: true });
  });

  it.each([
    'https://ops.example:8443',
    'https://host.example:/x',
    'HtTpS://x.example/',
    'https://a.b.c-d.example./x',
    `https://${'a'.repeat(63)}.example/`,
    'https://[2001:db8::1]/x',
  ])('accepts the https URL %s, a host name at its limits', async (link) => {
    expect(await resolveLink(link, REPO_ROOT)).toEqual({ ok: true });
  });

  it('accepts a repository-relative path to an existing file, with or without a fragment', async () => {
    expect(await resolveLink('evidence/docs/runbooks/release.md', REPO_ROOT)).toEqual({ ok: true });
    expect(await resolveLink('evidence/docs/runbooks/release.md#rollback', REPO_ROOT)).toEqual({
      ok: true,
    });
    expect(await resolveLink('./evidence/docs/ops/restore.md', REPO_ROOT)).toEqual({ ok: true });
    expect(await resolveLink('evidence/docs/../docs/ops/restore.md', REPO_ROOT)).toEqual({
      ok: true,
    });
  });

  it.each([
    ['../outside.md', /leaves the repository/],
    ['evidence/../../outside.md', /leaves the repository/],
    ['..', /leaves the repository/],
    ['.', /leaves the repository/],
    ['/etc/passwd', /absolute/],
    ['C:\\Windows\\win.ini', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['evidence/docs/runbooks/known-issues-staging.md', /no such file/],
    ['evidence/docs', /not a file/],
    ['', /empty/],
    ['#only-a-fragment', /empty/],
  ])('rejects the path %j', async (link, problem) => {
    const state = await resolveLink(link, REPO_ROOT);
    expect(state.ok).toBe(false);
    expect(state.problem).toMatch(problem);
  });

  it('rejects a symlink inside the root that points outside it, and accepts one that stays inside', async () => {
    const root = await makeTmp('prodgate-root-');
    const outside = await makeTmp('prodgate-outside-');
    await writeFile(join(outside, 'secret.md'), 'secret\n');
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'real.md'), 'real\n');
    await symlink(join(outside, 'secret.md'), join(root, 'docs', 'escape.md'));
    await symlink(outside, join(root, 'docs', 'escape-dir'));
    await symlink(join(root, 'docs', 'real.md'), join(root, 'docs', 'alias.md'));

    expect(await resolveLink('docs/real.md', root)).toEqual({ ok: true });
    expect(await resolveLink('docs/alias.md', root)).toEqual({ ok: true });
    const escaped = await resolveLink('docs/escape.md', root);
    expect(escaped.ok).toBe(false);
    expect(escaped.problem).toMatch(/outside the repository/);
    expect(escaped.missing).toBe(true);
    const throughDir = await resolveLink('docs/escape-dir/secret.md', root);
    expect(throughDir.ok).toBe(false);
    expect(throughDir.problem).toMatch(/outside the repository/);
    expect(throughDir.missing).toBe(true);
    // A symlink that stays inside but lands in .git/ names no evidence either.
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await symlink(join(root, '.git', 'HEAD'), join(root, 'docs', 'head.md'));
    expect(await resolveLink('docs/head.md', root)).toEqual({
      ok: false,
      problem: 'the path is inside .git/, which holds no evidence',
      missing: true,
    });
  });

  it('works when the root itself is reached through a symlink', async () => {
    const base = await makeTmp('prodgate-linked-root-');
    await mkdir(join(base, 'real'));
    await writeFile(join(base, 'real', 'doc.md'), 'x\n');
    await symlink(join(base, 'real'), join(base, 'link'));
    expect(await resolveLink('doc.md', join(base, 'link'))).toEqual({ ok: true });
  });
});

describe('WasmPolicy', () => {
  let pack: LoadedPack;
  beforeAll(async () => {
    pack = await loadPack(REPO_ROOT);
  });

  it('throws CannotEvaluateError for bytes that are not a policy', () => {
    expect(() =>
      WasmPolicy.load(Buffer.from('this is not webassembly'), 'prodgate/decision'),
    ).toThrow(CannotEvaluateError);
    const truncated = pack.wasm.subarray(0, Math.floor(pack.wasm.length / 2));
    expect(() => WasmPolicy.load(Buffer.from(truncated), 'prodgate/decision')).toThrow(
      CannotEvaluateError,
    );
    expect(() => WasmPolicy.load(Buffer.alloc(0), 'prodgate/decision')).toThrow(
      /policy\.wasm cannot be loaded/,
    );
  });

  it('throws CannotEvaluateError for an entrypoint the real bundle does not have', () => {
    expect(() => WasmPolicy.load(pack.wasm, 'prodgate/nope')).toThrow(CannotEvaluateError);
    expect(() => WasmPolicy.load(pack.wasm, 'prodgate/nope')).toThrow(
      /no entrypoint prodgate\/nope.*prodgate\/decision/,
    );
  });

  it('loads the real bundle at its entrypoint and decides every gate', () => {
    expect(pack.manifest.entrypoint).toBe('prodgate/decision');
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint);
    const outcome = policy.evaluate({ env: 'prod', as_of: AS_OF, evidence: {}, links: {} });
    expect(outcome.ok).toBe(true);
    const gates = (outcome as { result: { gates: Record<string, { status: string }> } }).result
      .gates;
    expect(Object.keys(gates).sort()).toEqual(pack.gates.map((g) => g.id).sort());
  });

  it('never passes a gate without evidence (fail-closed)', () => {
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint);
    const decision = decide(
      pack.gates,
      policy.evaluate({ env: 'prod', as_of: AS_OF, evidence: {}, links: {} }),
      'prod',
      {
        invalidKinds: new Set(),
        missingKinds: new Set(),
        errorCount: 0,
        locate: (ref) => ref,
      },
    );
    expect(decision.verdict).toBe('NO-GO');
    for (const gate of decision.gates) {
      expect(gate.status, gate.id).toBe('fail');
      expect(gate.reasons.length, gate.id).toBeGreaterThan(0);
    }
  });

  it('normalises a policy evaluation failure into an outcome instead of throwing', () => {
    const policy = WasmPolicy.load(pack.wasm, pack.manifest.entrypoint);
    const cyclic: Record<string, unknown> = { env: 'prod' };
    cyclic['self'] = cyclic;
    const outcome = policy.evaluate(cyclic);
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: string }).error.length).toBeGreaterThan(0);
  });
});

describe('buildPolicyInput', () => {
  it('passes valid evidence and resolved links, and invalid evidence as located problems', async () => {
    const dir = await makeTmp('prodgate-input-');
    await writeFile(
      join(dir, 'runbook.yaml'),
      [
        'kind: runbook',
        'schemaVersion: 1',
        'primary: evidence/docs/runbooks/release.md',
        'knownIssues: evidence/docs/runbooks/known-issues-staging.md',
        'rollback: http://wiki.todox.example/rollback',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'topology.yaml'),
      'kind: topology\nschemaVersion: 1\ndecision: hybrid\n',
    );
    const registry = await SchemaRegistry.load(join(REPO_ROOT, 'schemas/evidence'));
    const kinds = validateEvidence((await loadBundle(dir)).files, registry);
    const input = await buildPolicyInput('staging', AS_OF, kinds, REPO_ROOT);

    expect(input.env).toBe('staging');
    expect(input.as_of).toBe(AS_OF);
    expect(Object.keys(input.evidence)).toEqual(['runbook', 'topology']);
    expect(input.evidence['runbook']).toMatchObject({ file: 'runbook.yaml', valid: true });
    expect(input.evidence['topology']).toEqual({
      file: 'topology.yaml',
      valid: false,
      problems: [
        {
          pointer: '/decision',
          message: expect.stringContaining('must be one of "single-node", "multi-node"'),
        },
      ],
    });
    expect(Object.keys(input.links)).toEqual([...Object.keys(input.links)].sort());
    expect(input.links['evidence/docs/runbooks/release.md']).toEqual({ ok: true });
    expect(input.links['evidence/docs/runbooks/known-issues-staging.md']).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no such file/),
    });
    // A file that is not there is missing evidence to the policies; a plain http URL is not.
    expect(input.links['evidence/docs/runbooks/known-issues-staging.md']?.missing).toBe(true);
    expect(input.links['http://wiki.todox.example/rollback']).toEqual({
      ok: false,
      problem: 'a URL must be https, not http',
    });
  });
});
