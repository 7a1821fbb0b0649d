// Attack report 11, holes 2 and 3, through the built CLI: the release owner signing
// security with look-alike capitals, and a non-goal in scope in look-alike capitals or
// inside a longer feature name, are NO-GO.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTmp, copyEvidence, editYaml, evaluateDir, gateOf } from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

afterAll(cleanupTmp);

describe('hole 2: the release owner is recognised however the name is written', () => {
  it.each([
    ['a Cyrillic capital En in capitals', 'DANA W\u041dITFIELD'],
    ['markdown emphasis', '**Dana Whitfield**'],
    ['an i with a combining dot above', 'Dana Whi\u0307tfield'],
  ])('the security sign-off by the owner written with %s: NO-GO', async (_what, name) => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.security.name = name;
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'signoff.security');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => [r.code, r.evidence[0]?.pointer])).toEqual([
      ['violation', '/security/name'],
    ]);
  });
});

describe('hole 3: a non-goal in scope, in look-alike capitals or in more words', () => {
  it.each([
    ['WEB\u041dOOKS'],
    ['Outlook/lMAP'],
    ['DOC ED\u0130TOR'],
    ['Google Calendar sync'],
    ['Calendar sync (beta)'],
    ['Webhooks API'],
    ['IMAP/Outlook'],
    ["webhook's"],
  ])('in-scope feature %j: release.scope fails', async (feature) => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'release.yaml', (doc) => {
      doc.scope.inScope.push(feature);
    });
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'release.scope');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => `${r.code}: ${r.message}`)).toEqual([
      `violation: in-scope feature ${JSON.stringify(feature)} is one of the explicit non-goals`,
    ]);
  });
});
