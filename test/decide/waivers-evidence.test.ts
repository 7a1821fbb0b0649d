// evidence/<env>/waivers.yaml through the real pipeline: its schema, then applyWaivers
// on the staging example as the engine will apply it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateVerdict } from '../../src/decide/verdict.ts';
import { loadBundle } from '../../src/load/load-bundle.ts';
import { renderChecklist } from '../../src/render/checklist.ts';
import { SchemaRegistry } from '../../src/validate/schema-registry.ts';
import { validateEvidence } from '../../src/validate/validate-evidence.ts';
import { cleanupTmp, copyEvidence, editYaml, makeTmp, REPO_ROOT } from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';
import { evaluate, withWaivers } from '../support/pipeline.ts';

const STAGING_FAILURES = [
  'security.cors',
  'tenancy.isolation.embeddings',
  'ops.migrations',
  'observability.alert-routing',
  'runbook.known-issues',
];

/** A waivers.yaml: one waiver per gate, the given approver, expiry and ticket. */
function waiversYaml(
  entries: { gate: string; approver?: string; expires?: string; ticket?: string }[],
): string {
  const lines = [
    '# yaml-language-server: $schema=../../schemas/evidence/waivers.v1.schema.json',
    'kind: waivers',
    'schemaVersion: 1',
    'waivers:',
  ];
  for (const e of entries) {
    lines.push(`  - gate: ${e.gate}`, '    justification: Staging-only risk, fixed before prod.');
    if (e.approver !== undefined) lines.push(`    approver: ${e.approver}`);
    lines.push(`    expires: ${e.expires ?? '2026-12-31'}`);
    if (e.ticket !== undefined) lines.push(`    ticket: ${e.ticket}`);
  }
  return `${lines.join('\n')}\n`;
}

let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await SchemaRegistry.load(join(REPO_ROOT, 'schemas/evidence'));
});
afterAll(cleanupTmp);

async function validateOne(text: string) {
  const dir = await makeTmp('prodgate-waivers-');
  await writeFile(join(dir, 'waivers.yaml'), text);
  const bundle = await loadBundle(dir);
  const kinds = validateEvidence(bundle.files, registry);
  return { entry: kinds.get('waivers'), diagnostics: bundle.files.flatMap((f) => f.diagnostics) };
}

describe('schemas/evidence/waivers.v1.schema.json', () => {
  it('is a kind of the shipped schemas', () => {
    expect(registry.versionsOf('waivers')).toEqual([1]);
  });

  it('accepts a waivers file; an unquoted YAML date stays a string', async () => {
    const { entry, diagnostics } = await validateOne(
      waiversYaml([
        { gate: 'security.cors', approver: 'Sam Okafor', ticket: 'https://tracker.example/SEC-1' },
      ]),
    );
    expect(diagnostics).toEqual([]);
    expect(entry?.valid).toBe(true);
    expect(
      (entry?.file.data as { waivers: { expires: unknown }[] } | undefined)?.waivers[0]?.expires,
    ).toBe('2026-12-31');
  });

  it('accepts an empty list', async () => {
    const { entry } = await validateOne('kind: waivers\nschemaVersion: 1\nwaivers: []\n');
    expect(entry?.valid).toBe(true);
  });

  const invalid: [string, string, string][] = [
    ['no approver', waiversYaml([{ gate: 'security.cors' }]), '/waivers/0/approver'],
    [
      'a blank approver',
      waiversYaml([{ gate: 'security.cors', approver: "' '" }]),
      '/waivers/0/approver',
    ],
    [
      'an http ticket',
      waiversYaml([{ gate: 'security.cors', approver: 'Sam', ticket: 'http://tracker.example/1' }]),
      '/waivers/0/ticket',
    ],
    [
      'an expiry that is not a date',
      waiversYaml([{ gate: 'security.cors', approver: 'Sam', expires: '2026-13-01' }]),
      '/waivers/0/expires',
    ],
    [
      'a gate id that is not one',
      waiversYaml([{ gate: 'Security CORS', approver: 'Sam' }]),
      '/waivers/0/gate',
    ],
    [
      'an unknown field',
      `${waiversYaml([{ gate: 'security.cors', approver: 'Sam' }])}    owner: me\n`,
      '/waivers/0/owner',
    ],
    ['no waivers list', 'kind: waivers\nschemaVersion: 1\n', '/waivers'],
  ];
  it.each(invalid)('rejects %s, located at the field', async (_name, text, pointer) => {
    const { entry, diagnostics } = await validateOne(text);
    expect(entry?.valid).toBe(false);
    expect(diagnostics.map((d) => [d.severity, d.code, d.pointer])).toContainEqual([
      'error',
      'schema-violation',
      pointer,
    ]);
  });
});

describe('waivers on the staging example (real pipeline)', () => {
  it('waives every failing item of staging: the release becomes GO, and each waiver says what it covered', async () => {
    const dir = await copyEvidence('staging');
    await writeFile(
      join(dir, 'waivers.yaml'),
      waiversYaml(
        STAGING_FAILURES.map((gate) => ({
          gate,
          approver: 'Sam Okafor',
          ticket: 'https://tracker.example/REL-9',
        })),
      ),
    );
    await approveSignoffs(dir); // the waivers are evidence: the sign-offs approve them
    const evaluation = await evaluate('staging', dir);
    expect(evaluation.diagnostics).toEqual([]);
    const { evaluation: waived } = withWaivers(evaluation);
    expect(waived.decision.verdict).toBe('GO');
    expect(waived.decision.counts).toMatchObject({ fail: 0, error: 0, waived: 6 });
    const byId = new Map(waived.decision.gates.map((g) => [g.id, g]));
    for (const id of STAGING_FAILURES) {
      const gate = byId.get(id) as GateVerdict;
      expect(gate.status, id).toBe('waived');
      expect(gate.waiver).toMatchObject({
        gate: id,
        approver: 'Sam Okafor',
        expires: '2026-12-31',
      });
      expect(gate.waiver?.covers?.length, id).toBeGreaterThan(0);
      expect(
        gate.waiver?.covers?.every((r) => r.code === 'violation'),
        id,
      ).toBe(true);
      expect(gate.reasons[0]?.evidence[0]).toEqual({
        file: 'waivers.yaml',
        pointer: `/waivers/${STAGING_FAILURES.indexOf(id)}`,
        line: 5 + 5 * STAGING_FAILURES.indexOf(id),
        column: 5,
      });
    }
    expect(byId.get('tenancy.isolation')?.status).toBe('waived');
    const checklist = renderChecklist(waived);
    expect(checklist).toContain('**Verdict: GO**');
  });

  it('a runbook link to a file that does not exist is missing evidence: the staging waiver does not cover it', async () => {
    const dir = await copyEvidence('staging');
    await editYaml(dir, 'runbook.yaml', (doc) => {
      doc['knownIssues'] = 'evidence/docs/runbooks/known-issues-staging.md';
    });
    await approveSignoffs(dir); // the waivers are evidence: the sign-offs approve them
    const { evaluation, findings } = withWaivers(await evaluate('staging', dir));
    const gate = evaluation.decision.gates.find((g) => g.id === 'runbook.known-issues');
    expect(gate?.status).toBe('fail');
    expect(gate?.waiver).toBeUndefined();
    expect(gate?.reasons.map((r) => `${r.code}: ${r.message}`)).toEqual([
      'missing-evidence: link "evidence/docs/runbooks/known-issues-staging.md" is not usable: no such file in the repository',
    ]);
    expect(evaluation.decision.counts.waived).toBe(0);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.code}`)).toContain(
      'waivers.yaml:9 waiver-reason-not-waivable',
    );
  });

  it('reports a self-approved, an expired and an unknown waiver at their lines, and stays NO-GO', async () => {
    const dir = await copyEvidence('staging');
    await writeFile(
      join(dir, 'waivers.yaml'),
      waiversYaml([
        { gate: 'security.cors', approver: 'Dana Whitfield' },
        { gate: 'runbook.known-issues', approver: 'Sam Okafor', expires: '2026-11-24' },
        { gate: 'security.corz', approver: 'Sam Okafor' },
        { gate: 'release.metadata', approver: 'Sam Okafor' },
      ]),
    );
    const { evaluation, findings } = withWaivers(await evaluate('staging', dir));
    expect(evaluation.decision.verdict).toBe('NO-GO');
    expect(evaluation.decision.counts.waived).toBe(0);
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`)).toEqual([
      'waivers.yaml:7:5 waiver-self-approved',
      'waivers.yaml:12:5 waiver-expired',
      'waivers.yaml:13:5 waiver-unknown-gate',
      'waivers.yaml:17:5 waiver-unused',
    ]);
  });
});
