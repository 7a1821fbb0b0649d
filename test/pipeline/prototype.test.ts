// __proto__, constructor and prototype keys, in JSON and YAML, at the root and nested:
// kept as plain data (and rejected by the schemas), never touching Object.prototype.
// In-process, through the whole library (load, validate, policy, decide, render), since
// a subprocess's prototypes cannot be observed from here.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateEnvironment } from '../../src/engine.ts';
import { renderChecklist } from '../../src/render/checklist.ts';
import { buildReport } from '../../src/render/report.ts';
import { renderSummary } from '../../src/render/summary.ts';
import { AS_OF, cleanupTmp, copyEvidence, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

const POISON = { polluted: 'yes', toString: 'broken', valueOf: 'broken', hasOwnProperty: 'broken' };

describe('prototype pollution', () => {
  it('keeps __proto__, constructor and prototype as own data, rejects them by schema, and pollutes nothing', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const dir = await copyEvidence('prod');
    const poison = JSON.stringify(POISON);
    await rm(join(dir, 'signoff.yaml'));
    await writeFile(
      join(dir, 'signoff.json'),
      `{"kind": "signoff", "schemaVersion": 1, "__proto__": ${poison}, "product": {"constructor": {"prototype": ${poison}}, "name": "x", "date": "2026-11-21"}}`,
    );
    const security = await readFile(join(dir, 'security.yaml'), 'utf8');
    await writeFile(
      join(dir, 'security.yaml'),
      `${security.replace('cors:\n', 'cors:\n  __proto__:\n    allowCredentials: false\n    polluted: yes\n')}constructor:\n  prototype:\n    polluted: yes\nprototype:\n  polluted: yes\n`,
    );

    const evaluation = await evaluateEnvironment({
      env: 'prod',
      evidenceDir: dir,
      asOf: AS_OF,
      repoRoot: REPO_ROOT,
    });
    const rendered = [
      renderChecklist(evaluation),
      JSON.stringify(buildReport(evaluation)),
      renderSummary(evaluation),
    ];

    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(String({})).toBe('[object Object]');
    expect(evaluation.decision.verdict).toBe('NO-GO');

    const signoff = evaluation.files.find((f) => f.path === 'signoff.json');
    const data = signoff?.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toEqual(POISON);
    const codes = evaluation.diagnostics.map((d) => `${d.file} ${d.pointer} ${d.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'signoff.json /__proto__ schema-violation',
        'signoff.json /product/constructor schema-violation',
        'security.yaml /cors/__proto__ schema-violation',
        'security.yaml /constructor schema-violation',
        'security.yaml /prototype schema-violation',
      ]),
    );
    for (const gate of evaluation.decision.gates.filter(
      (g) => g.id.startsWith('signoff.') || g.id.startsWith('security.'),
    )) {
      expect(gate.status, gate.id).toBe('error');
    }
    expect(rendered.join('\n')).toContain('__proto__');
  });
});
