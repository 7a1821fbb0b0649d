// Issue 9, parts 1 and 2, through the built CLI: whoever edits the evidence cannot turn
// NO-GO into GO with waivers, with invisible or look-alike text, or by signing twice.
// Each example here gave GO (or an accepted waiver) before the fix.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupTmp,
  copyEvidence,
  editYaml,
  evaluateDir,
  gateOf,
  makeTmp,
  REPO_ROOT,
  type Report,
} from '../support/helpers.ts';
import { approveSignoffs } from '../support/approve.ts';

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

afterAll(cleanupTmp);

interface WaiverSpec {
  gate: string;
  approver?: string;
  expires?: string;
}

/** waivers.yaml with one waiver per entry; YAML double-quoted strings, so \u escapes work. */
async function writeWaivers(dir: string, entries: WaiverSpec[]): Promise<void> {
  const lines = ['kind: waivers', 'schemaVersion: 1', 'waivers:'];
  for (const e of entries) {
    lines.push(
      `  - gate: ${e.gate}`,
      '    justification: Accepted for one sprint while the fix ships.',
    );
    lines.push(
      `    approver: "${e.approver ?? 'Sam Okafor'}"`,
      `    expires: "${e.expires ?? '2026-12-01'}"`,
    );
  }
  await writeFile(join(dir, 'waivers.yaml'), `${lines.join('\n')}\n`);
}

function diagnosticCodes(report: Report): string[] {
  return report.diagnostics.map((d) => d.code);
}

/** prod evidence with a wildcard CORS origin, signed off again (so only security.cors fails). */
async function prodWithWildcardOrigin(waivers: WaiverSpec[]): Promise<string> {
  const dir = await copyEvidence('prod');
  await editYaml(dir, 'security.yaml', (doc) => {
    doc.cors.trustedOrigins[0] = '*';
  });
  await writeWaivers(dir, waivers);
  await approveSignoffs(dir);
  return dir;
}

describe('1. a waiver accepts a known violation, for a bounded time, from someone else', () => {
  it('a staging folder of release.yaml and a waivers.yaml waiving every failing gate is NO-GO: missing evidence is never waivable', async () => {
    const dir = join(await makeTmp('prodgate-forged-'), 'staging');
    await cp(join(REPO_ROOT, 'evidence/staging'), dir, { recursive: true });
    for (const kind of [
      'security',
      'tenancy',
      'ops',
      'observability',
      'topology',
      'runbook',
      'signoff',
    ])
      await rm(join(dir, `${kind}.yaml`));
    const first = await evaluateDir(dir, 'staging');
    const failing = first.report.gates.filter((g) => g.status === 'fail').map((g) => g.id);
    expect(failing.length).toBeGreaterThan(40);

    await writeWaivers(
      dir,
      failing.map((gate) => ({ gate })),
    );
    const run = await evaluateDir(dir, 'staging');
    expect(run.exitCode).toBe(1);
    expect(run.report.verdict).toBe('NO-GO');
    expect(run.report.counts.waived).toBe(0);
    expect(
      diagnosticCodes(run.report).filter((c) => c === 'waiver-reason-not-waivable').length,
    ).toBeGreaterThan(0);
    // Every waiver is void: for missing evidence, or for a non-waivable sign-off gate.
    expect(diagnosticCodes(run.report).filter((c) => c.startsWith('waiver-'))).toHaveLength(
      failing.length,
    );
  });

  it('prod with CORS origin "*": waiving security.cors and the three sign-off gates is NO-GO; sign-offs are never waivable', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'security.yaml', (doc) => {
      doc.cors.trustedOrigins[0] = '*';
    });
    await writeWaivers(
      dir,
      ['security.cors', 'signoff.product', 'signoff.engineering', 'signoff.security'].map(
        (gate) => ({ gate }),
      ),
    );
    const run = await evaluateDir(dir, 'prod');
    expect(run.exitCode).toBe(1);
    expect(run.report.verdict).toBe('NO-GO');
    for (const id of ['signoff.product', 'signoff.engineering', 'signoff.security'])
      expect(gateOf(run.report, id).status, id).toBe('fail');
    const nonWaivable = run.report.diagnostics.filter((d) => d.code === 'waiver-non-waivable');
    expect(nonWaivable.map((d) => d.pointer)).toEqual([
      '/waivers/1/gate',
      '/waivers/2/gate',
      '/waivers/3/gate',
    ]);
  });

  it('a waiver of a violation, approved by someone else within the window, still makes prod GO; the report says what it covered', async () => {
    const run = await evaluateDir(
      await prodWithWildcardOrigin([{ gate: 'security.cors' }]),
      'prod',
    );
    expect(run.report.verdict).toBe('GO');
    const cors = gateOf(run.report, 'security.cors');
    expect(cors.status).toBe('waived');
    const covers =
      (cors as { waiver?: { covers?: { code: string; evidence: { pointer: string }[] }[] } }).waiver
        ?.covers ?? [];
    expect(covers.map((r) => [r.code, r.evidence[0]?.pointer])).toEqual([
      ['violation', '/cors/trustedOrigins/0'],
    ]);
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    const validate = ajv.compile(
      JSON.parse(await readFile(join(REPO_ROOT, 'schemas/report.v1.schema.json'), 'utf8')),
    );
    expect(validate(run.report), JSON.stringify(validate.errors)).toBe(true);
  });

  it("expires: 9999-12-31 is void with a clear warning: beyond the pack's longest window for prod", async () => {
    const run = await evaluateDir(
      await prodWithWildcardOrigin([{ gate: 'security.cors', expires: '9999-12-31' }]),
      'prod',
    );
    expect(run.report.verdict).toBe('NO-GO');
    expect(gateOf(run.report, 'security.cors').status).toBe('fail');
    const finding = run.report.diagnostics.find((d) => d.code === 'waiver-window-exceeded');
    expect(finding?.message).toMatch(/at most 30 days/);
    expect(finding?.pointer).toBe('/waivers/0/expires');
    expect(run.stdout).toContain('waiver-window-exceeded');
  });
});

describe('2. text is compared as a reader sees it', () => {
  it('a product sign-off whose name is a zero-width space is missing: NO-GO', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.product.name = '\u200b';
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'signoff.product');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => [r.code, r.evidence[0]?.pointer])).toEqual([
      ['missing-evidence', '/product/name'],
    ]);
  });

  it.each([
    ['a zero-width space', 'Dana Whit\\u200bfield'],
    ['a soft hyphen', 'Dana Whit\\u00adfield'],
    ['a Cyrillic a', 'D\\u0430na Whitfield'],
    ['another team, the same person in parentheses', 'security-team (Dana Whitfield)'],
    ['fullwidth letters and extra spaces', '\\uff24ana   WHITFIELD'],
    ['an honorific', 'Dr. Dana Whitfield'],
    ['the family name first', 'Whitfield, Dana'],
    ['a post-nominal', 'Dana Whitfield, PhD'],
  ])(
    'a waiver approved by the release owner written with %s is self-approved: NO-GO',
    async (_name, approver) => {
      const run = await evaluateDir(
        await prodWithWildcardOrigin([{ gate: 'security.cors', approver }]),
        'prod',
      );
      expect(run.report.verdict).toBe('NO-GO');
      expect(diagnosticCodes(run.report)).toContain('waiver-self-approved');
    },
  );

  it('in-scope feature "Calendar  sync" (two spaces) is the non-goal "Calendar sync": release.scope fails', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'release.yaml', (doc) => {
      doc.scope.inScope.push('Calendar  sync');
    });
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'release.scope');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => r.message)).toEqual([
      'in-scope feature "Calendar  sync" is one of the explicit non-goals',
    ]);
  });
});

describe('2. in-scope features and non-goals compared by wording (src/evaluate/wording.ts)', () => {
  it.each([
    ['a hyphen for the space', 'Calendar-sync'],
    ['a space inside the word', 'web hooks'],
    ['a Cyrillic look-alike letter', '\u0421alendar sync'],
    ['another case and a plural', 'Doc Editors'],
  ])('in-scope feature with %s (%j) is a non-goal: release.scope fails', async (_what, feature) => {
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

  it('a feature that only shares words with a non-goal is not one: release.scope passes', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'release.yaml', (doc) => {
      doc.scope.inScope.push('Calendar view', 'Sync status');
    });
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(gateOf(run.report, 'release.scope').status).toBe('pass');
  });
});

describe('2. sign-off separation in prod (pack.json signoffs.separateRoles)', () => {
  it('no person signs two of the three roles, however the name is written', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.engineering.name = 'maya\u200b OKAFOR';
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    for (const id of ['signoff.product', 'signoff.engineering']) {
      const gate = gateOf(run.report, id);
      expect(gate.status, id).toBe('fail');
      expect(gate.reasons[0]?.message).toMatch(/no person may sign two of the sign-off roles/);
    }
    expect(gateOf(run.report, 'signoff.security').status).toBe('pass');
  });

  it('the security sign-off is not by the release owner', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.security.name = 'Dana Whitfield';
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'signoff.security');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => [r.code, r.evidence[0]?.pointer])).toEqual([
      ['violation', '/security/name'],
    ]);
  });

  it.each([
    ['an honorific', 'Dr. Dana Whitfield'],
    ['the family name first', 'Whitfield, Dana'],
    ['a post-nominal', 'Dana Whitfield, PhD'],
  ])('the security sign-off by the release owner written with %s: NO-GO', async (_n, name) => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.security.name = name;
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    expect(gateOf(run.report, 'signoff.security').status).toBe('fail');
  });

  it('one person signing two roles as "Okafor, Maya" and "Dr. Maya Okafor, PhD": NO-GO', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.product.name = 'Okafor, Maya';
      doc.engineering.name = 'Dr. Maya Okafor, PhD';
    });
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    for (const id of ['signoff.product', 'signoff.engineering']) {
      const gate = gateOf(run.report, id);
      expect(gate.status, id).toBe('fail');
      expect(gate.reasons[0]?.message).toMatch(/no person may sign two of the sign-off roles/);
    }
  });

  it('a different person of a similar name is not merged: "Dana Whitfield-Jones" may sign security', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.security.name = 'Dana Whitfield-Jones';
    });
    const run = await evaluateDir(dir, 'prod');
    expect(gateOf(run.report, 'signoff.security').status).toBe('pass');
  });

  it('is off where the pack does not list the environment (staging)', async () => {
    const dir = await copyEvidence('staging');
    await editYaml(dir, 'signoff.yaml', (doc) => {
      doc.engineering.name = doc.product.name;
    });
    const run = await evaluateDir(dir, 'staging');
    for (const id of ['signoff.product', 'signoff.engineering'])
      expect(gateOf(run.report, id).status, id).toBe('pass');
  });
});

// Found by attacking the first version: a check that is not a proof for this release
// (dated after the as-of date, run on another revision, written for another environment)
// is stale evidence, never a waivable violation, even with the sign-offs re-approved.
describe('1b. a check that does not prove this release cannot be waived', () => {
  it.each([
    [
      'a controlled alert test dated after the as-of date, never received',
      'observability.alert-routing',
      async (dir: string) => {
        // The captured webhook payload of the controlled alert: dated after as-of, resolved.
        const capture = join(dir, 'artifacts/config/controlled-alert.webhook.json');
        const text = await readFile(capture, 'utf8');
        await writeFile(
          capture,
          text.replaceAll('2026-11-16T', '2027-06-01T').replaceAll('"firing"', '"resolved"'),
        );
      },
    ],
    [
      'release evidence written for another environment',
      'release.metadata',
      async (dir: string) =>
        editYaml(dir, 'release.yaml', (doc) => {
          doc.environment = 'staging';
        }),
    ],
  ])('%s: NO-GO, the waiver covers nothing', async (_name, gate, edit) => {
    const dir = await copyEvidence('prod');
    await edit(dir);
    await writeWaivers(dir, [{ gate }]);
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    expect(gateOf(run.report, gate).status).toBe('fail');
    expect(gateOf(run.report, gate).reasons.some((r) => r.code === 'stale-evidence')).toBe(true);
    expect(diagnosticCodes(run.report)).toContain('waiver-reason-not-waivable');
    expect(run.report.counts.waived).toBe(0);
  });
});

describe('1c. a field that is empty as read is missing, never a waivable violation', () => {
  it('an orgAgnosticReason of one zero-width space, waived: NO-GO', async () => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, 'tenancy.yaml', (doc) => {
      doc.sharedScope.caches[1].orgAgnosticReason = '\u200b';
    });
    await writeWaivers(dir, [{ gate: 'tenancy.no-shared-scope' }]);
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const gate = gateOf(run.report, 'tenancy.no-shared-scope');
    expect(gate.status).toBe('fail');
    expect(gate.reasons.map((r) => r.code)).toEqual(['missing-evidence']);
    expect(diagnosticCodes(run.report)).toContain('waiver-reason-not-waivable');
  });
});

// Found by attacking the link resolution: a link that names no file in the repository
// (leaving it, absolute, a file: URL, a bare fragment, a backslash path) pointed at no
// evidence, yet came out as a plain violation that a waiver turned into GO.
describe('1d. a link that names no evidence is missing, never a waivable violation', () => {
  it.each([
    ['runbook.yaml', 'runbook.primary', ['primary'], '../no-such-runbook.md'],
    ['runbook.yaml', 'runbook.primary', ['primary'], '#rollback'],
    ['runbook.yaml', 'runbook.primary', ['primary'], 'file:///no/such.md'],
    ['runbook.yaml', 'runbook.primary', ['primary'], 'evidence\\docs\\nothing.md'],
    [
      'security.yaml',
      'security.retention.erasure',
      ['retention', 'erasure', 'documentation'],
      '../gone/erasure.md',
    ],
  ])('%s %s %j = %j, waived: NO-GO', async (file, gate, path, link) => {
    const dir = await copyEvidence('prod');
    await editYaml(dir, file, (doc) => {
      let node = doc;
      for (const key of path.slice(0, -1)) node = node[key];
      node[path[path.length - 1] as string] = link;
    });
    await writeWaivers(dir, [{ gate }]);
    await approveSignoffs(dir);
    const run = await evaluateDir(dir, 'prod');
    expect(run.report.verdict).toBe('NO-GO');
    const result = gateOf(run.report, gate);
    expect(result.status).toBe('fail');
    expect(result.reasons.map((r) => r.code)).toContain('missing-evidence');
    expect(diagnosticCodes(run.report)).toContain('waiver-reason-not-waivable');
    expect(run.report.counts.waived).toBe(0);
  });
});
