import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GateStatus } from '../../src/decide/verdict.ts';
import { evaluateEnvironment, type Evaluation } from '../../src/engine.ts';
import { renderChecklist } from '../../src/render/checklist.ts';
import { explainGate } from '../../src/render/explain.ts';
import { formatRef, markdownText } from '../../src/render/format-reason.ts';
import { buildReport } from '../../src/render/report.ts';
import { renderSummary } from '../../src/render/summary.ts';
import {
  FILL,
  GATE_MARKER,
  HEADER_MARKER,
  parseFill,
  templateGateIds,
  valuesAt,
} from '../../src/core/template.ts';
import { AS_OF, REPO_ROOT } from '../support/helpers.ts';

const TEMPLATE_PATH = join(REPO_ROOT, 'templates/checklist.md');
const SPEC_PATH = resolve(REPO_ROOT, '../shared/spec/gates.md');

let template: string;
const evaluations: Record<string, Evaluation> = {};

beforeAll(async () => {
  template = await readFile(TEMPLATE_PATH, 'utf8');
  for (const env of ['prod', 'staging', 'pilot']) {
    evaluations[env] = await evaluateEnvironment({
      env,
      evidenceDir: join(REPO_ROOT, 'evidence', env),
      asOf: AS_OF,
      repoRoot: REPO_ROOT,
    });
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const STATUS_WORD = '(PASS|FAIL|N/A|WAIVED|ERROR)';

/**
 * Walks the template and the rendered checklist side by side: every template line must
 * be rendered with its wording intact (placeholders filled, markers replaced by a status).
 * Returns, for each gate line, the rendered line.
 */
function matchTemplate(rendered: string): Map<string, string> {
  const out = rendered.split('\n');
  const gateLines = new Map<string, string>();
  let o = 0;
  for (const line of template.replace(/\r\n/g, '\n').split('\n')) {
    if (HEADER_MARKER.test(line)) {
      expect(out[o], 'the header replaces the header marker').toMatch(
        /^> \*\*Verdict: (GO|NO-GO)\*\*/,
      );
      while (out[o]?.startsWith('> ')) o++;
      continue;
    }
    const gateId = GATE_MARKER.exec(line)?.[1];
    const text = gateId ? line.replace(GATE_MARKER, '') : line;
    let pattern: string;
    if (gateId && text.trim() === '') {
      pattern = `^Gate status: \\*\\*${STATUS_WORD}\\*\\* \`${escapeRegExp(gateId)}\`.*$`;
    } else {
      // Wording kept; placeholders filled with something; a checkbox may be ticked.
      const parts = text
        .split(FILL)
        .filter((_, i) => i % 2 === 0)
        .map(escapeRegExp);
      let body = parts.join('.+?');
      body = body.replace(/\\\[ \\\]/, '\\[[ x]\\]');
      pattern = gateId
        ? `^${body} — \\*\\*${STATUS_WORD}\\*\\* \`${escapeRegExp(gateId)}\`.*$`
        : `^${body}$`;
    }
    const re = new RegExp(pattern);
    const bullets = /\|bullets\s*\}\}/.test(line);
    expect(out[o] ?? '(end of file)', `template line ${JSON.stringify(line)}`).toMatch(re);
    if (gateId) gateLines.set(gateId, out[o] as string);
    o++;
    if (bullets) while (o < out.length && re.test(out[o] as string) && out[o] !== '') o++;
  }
  // Only a trailing newline, or the diagnostics section, may follow.
  const rest = out.slice(o).join('\n');
  expect(rest === '' || rest.startsWith('\n## Evidence Diagnostics')).toBe(true);
  return gateLines;
}

describe('renderChecklist', () => {
  it.each(['prod', 'staging', 'pilot'])(
    'keeps every line of the template for %s, with markers replaced and placeholders filled',
    (env) => {
      const evaluation = evaluations[env] as Evaluation;
      const rendered = renderChecklist(evaluation);
      const gateLines = matchTemplate(rendered);
      expect([...gateLines.keys()]).toEqual(templateGateIds(template));
      expect(rendered).not.toMatch(/<!--/);
      expect(rendered).not.toMatch(/\{\{/);
      expect(rendered).not.toContain('MISSING (');
      expect(rendered.startsWith(`# Production Readiness Checklist (${env})\n`)).toBe(true);
      expect(rendered.endsWith('\n')).toBe(true);
      expect(rendered.endsWith('\n\n')).toBe(false);
    },
  );

  it('ticks the box for pass and na only, and shows each gate status', () => {
    const evaluation = evaluations['staging'] as Evaluation;
    const gateLines = matchTemplate(renderChecklist(evaluation));
    const statuses = new Set(evaluation.decision.gates.map((g) => g.status));
    expect(statuses).toEqual(new Set(['pass', 'fail', 'na', 'waived']));
    const label: Record<GateStatus, string> = {
      pass: 'PASS',
      fail: 'FAIL',
      na: 'N/A',
      waived: 'WAIVED',
      error: 'ERROR',
    };
    for (const gate of evaluation.decision.gates) {
      const line = gateLines.get(gate.id) as string;
      expect(line, gate.id).toContain(`**${label[gate.status]}** \`${gate.id}\``);
      const box = /^\s*- \[([ x])\] /.exec(line)?.[1];
      if (box !== undefined)
        expect(box, gate.id).toBe(gate.status === 'pass' || gate.status === 'na' ? 'x' : ' ');
    }
    expect(gateLines.get('security.cors')).toMatch(
      /^- \[ \] Trusted origins and CORS are locked down \(no wildcard in prod\)\. — \*\*FAIL\*\*/,
    );
    expect(gateLines.get('security.cors')).toContain('security.yaml:25:7 /cors/trustedOrigins/1');
    expect(gateLines.get('tenancy.isolation.embeddings')).toMatch(
      /^ {2}- \[ \] Embeddings\/vector search paths — \*\*FAIL\*\*/,
    );
    expect(gateLines.get('topology.single-node')).toMatch(
      /^- \[x\] If single-node: — \*\*N\/A\*\*/,
    );
  });

  it('leaves the box empty for error and waived gates', () => {
    const base = evaluations['prod'] as Evaluation;
    const gates = base.decision.gates.map((g) =>
      g.id === 'security.cors'
        ? {
            ...g,
            status: 'error' as const,
            reasons: [{ code: 'invalid-evidence', message: 'broken', evidence: [] }],
          }
        : g.id === 'ops.slos'
          ? {
              ...g,
              status: 'waived' as const,
              reasons: [{ code: 'waived', message: 'waived until Friday', evidence: [] }],
            }
          : g,
    );
    const rendered = renderChecklist({ ...base, decision: { ...base.decision, gates } });
    const gateLines = matchTemplate(rendered);
    expect(gateLines.get('security.cors')).toMatch(
      /^- \[ \] .* — \*\*ERROR\*\* `security\.cors`: broken/,
    );
    expect(gateLines.get('ops.slos')).toMatch(
      /^- \[ \] .* — \*\*WAIVED\*\* `ops\.slos`: waived until Friday/,
    );
    expect(gateLines.get('ops.migrations')).toMatch(/^- \[x\] /);
  });

  it('writes the verdict header and lists the diagnostics when there are some', () => {
    const base = evaluations['prod'] as Evaluation;
    const rendered = renderChecklist({
      ...base,
      diagnostics: [
        {
          severity: 'error',
          code: 'schema-violation',
          file: 'ops.yaml',
          line: 4,
          column: 3,
          pointer: '/ops/x_y',
          message: 'unknown field "x_y"',
        },
      ],
    });
    expect(rendered).toContain('> **Verdict: GO** · environment `prod` · as of 2026-11-25');
    expect(rendered).toMatch(/> Gates: 50 pass · 4 n\/a · 0 waived · 0 fail · 0 error/);
    expect(rendered).toContain(
      '\n## Evidence Diagnostics\n\n- ops.yaml:4:3: error: unknown field "x\\_y" (at /ops/x\\_y) \\[schema-violation\\]\n',
    );
  });

  it('fills placeholders from evidence, one line per value for |bullets', () => {
    const rendered = renderChecklist(evaluations['staging'] as Evaluation);
    expect(rendered).toContain('- Service/app(s): `apps/server, apps/todox`');
    expect(rendered).toContain('- Environment: `staging`');
    expect(rendered).toContain(
      '  - Meeting prep with cited claims from Gmail threads\n  - Knowledge search over entities, relations and mentions\n',
    );
    expect(rendered).toContain('- [x] Topology decision recorded: `multi-node`. — **PASS**');
    const pilot = renderChecklist(evaluations['pilot'] as Evaluation);
    expect(pilot).toContain('- Security/compliance sign-off: `N/A / -`');
  });

  it('shows the environment rule only for gates whose rule differs by environment', () => {
    const rendered = renderChecklist(evaluations['prod'] as Evaluation);
    expect(rendered).toMatch(/`security\.cors` · _prod rule: /);
    expect(rendered).not.toMatch(/`runbook\.primary` · _prod rule/);
  });
});

describe('markdownText', () => {
  it('escapes Markdown markup characters', () => {
    expect(markdownText('a*b_c`d[e]f<g>h|i#j\\k')).toBe(
      'a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\|i\\#j\\\\k',
    );
  });

  it('puts text on one line', () => {
    expect(markdownText('first line\n  second\r\nthird   \n\n')).toBe('first line second third ');
  });

  it('leaves plain text as it is', () => {
    expect(
      markdownText('security.yaml:25:7 /cors/trustedOrigins/1 (https://app.todox.example)'),
    ).toBe('security.yaml:25:7 /cors/trustedOrigins/1 (https://app.todox.example)');
  });

  it('keeps evidence-controlled text from injecting markup into the checklist', () => {
    const base = evaluations['prod'] as Evaluation;
    const gates = base.decision.gates.map((g) =>
      g.id === 'runbook.primary'
        ? {
            ...g,
            status: 'fail' as const,
            reasons: [
              {
                code: 'violation',
                message: 'link "<img src=x>" | **bold**\n## Heading',
                evidence: [],
              },
            ],
          }
        : g,
    );
    const rendered = renderChecklist({ ...base, decision: { ...base.decision, gates } });
    const line = rendered.split('\n').find((l) => l.includes('`runbook.primary`')) as string;
    expect(line).toContain('link "\\<img src=x\\>" \\| \\*\\*bold\\*\\* \\#\\# Heading');
    expect(rendered).not.toMatch(/^## Heading/m);
  });
});

describe('template and policies agree', () => {
  it('the template names each gate once, exactly the gates of the bundle manifest', async () => {
    const manifest = JSON.parse(
      await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8'),
    ) as { gates: { id: string }[] };
    const ids = templateGateIds(template);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(manifest.gates.map((g) => g.id)));
    expect(ids.length).toBe(54);
  });

  it('and both agree with the gate catalogue of the spec, when it is available', async () => {
    const ids = new Set(templateGateIds(template));
    if (existsSync(SPEC_PATH)) {
      const spec = await readFile(SPEC_PATH, 'utf8');
      const specIds = new Set([...spec.matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((m) => m[1]));
      expect(specIds.size).toBeGreaterThan(0);
      expect(specIds).toEqual(ids);
    }
    // without the spec, the template ids still follow the catalogue's id shape
    for (const id of ids) expect(id).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
  });

  it('every child gate sits under its parent in the template, indented', async () => {
    const manifest = JSON.parse(
      await readFile(join(REPO_ROOT, 'bundle/manifest.json'), 'utf8'),
    ) as { gates: { id: string; parent?: string }[] };
    const lines = template.split('\n');
    const indexOf = (id: string) => lines.findIndex((l) => GATE_MARKER.exec(l)?.[1] === id);
    for (const g of manifest.gates.filter((x) => x.parent)) {
      const child = indexOf(g.id);
      const parent = indexOf(g.parent as string);
      expect(parent, g.id).toBeGreaterThanOrEqual(0);
      expect(child, g.id).toBeGreaterThan(parent);
      expect(lines[child], g.id).toMatch(/^ {2}- \[ \] /);
    }
  });
});

describe('template helpers', () => {
  it('parseFill reads kind, pointer, fallback, bullets and builtins', () => {
    expect(parseFill('release:/services/*/path')).toEqual({
      kind: 'release',
      pointer: '/services/*/path',
      bullets: false,
    });
    expect(parseFill('signoff:/security/name ?? N/A')).toEqual({
      kind: 'signoff',
      pointer: '/security/name',
      bullets: false,
      fallback: 'N/A',
    });
    expect(parseFill('release:/scope/inScope/*|bullets')).toEqual({
      kind: 'release',
      pointer: '/scope/inScope/*',
      bullets: true,
    });
    expect(parseFill('@env')).toEqual({ builtin: 'env' });
  });

  it('valuesAt follows pointers and maps * over lists and objects', () => {
    const data = { a: [{ b: 1 }, { b: 2 }, { c: 3 }], 'x/y': { '~z': 'v' }, n: null };
    expect(valuesAt(data, '/a/*/b')).toEqual([1, 2]);
    expect(valuesAt(data, '/x~1y/~0z')).toEqual(['v']);
    expect(valuesAt(data, '/n')).toEqual([]);
    expect(valuesAt(data, '/missing/deeper')).toEqual([]);
    expect(valuesAt(undefined, '/a')).toEqual([]);
    expect(valuesAt({}, '/constructor')).toEqual([]);
  });

  it('formatRef shows file:line:col and the pointer', () => {
    expect(formatRef({ file: 'a.yaml', pointer: '/x', line: 3, column: 5 })).toBe('a.yaml:3:5 /x');
    expect(formatRef({ file: 'a.yaml', pointer: '' })).toBe('a.yaml');
  });
});

describe('report, summary and explain', () => {
  it('the report lists every gate, the counts and the evidence files', () => {
    const report = buildReport(evaluations['staging'] as Evaluation);
    expect(report.verdict).toBe('NO-GO');
    expect(report.gates).toHaveLength(54);
    expect(report.counts).toEqual({ pass: 46, fail: 5, na: 2, waived: 1, error: 0 });
    expect(report.evidence.files.map((f) => f.path)).toEqual([
      'artifacts.yaml',
      'observability.yaml',
      'ops.yaml',
      'release.yaml',
      'runbook.yaml',
      'security.yaml',
      'signoff.yaml',
      'tenancy.yaml',
      'topology.yaml',
      'waivers.yaml',
      'artifacts/release-tests.junit.xml',
      'config/release.yml',
    ]);
    expect(report.evidence.files.find((f) => f.format === 'junit')).toMatchObject({
      kind: null,
      format: 'junit',
      valid: true,
    });
    expect(report.evidence.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the summary lists the failing gates but not parents that only repeat a child', () => {
    const summary = renderSummary(evaluations['staging'] as Evaluation);
    expect(summary.split('\n')[0]).toBe(
      'staging (as of 2026-11-25): NO-GO — 4 fail, 0 error, 1 waived, 46 pass, 2 n/a (and 1 parent gate failing through these)',
    );
    expect(summary).toMatch(
      /\n {2}WAIVED runbook\.known-issues: waived by Priya Raman until 2026-12-15 \(covers 1 violation\): /,
    );
    for (const id of [
      'security.cors',
      'tenancy.isolation.embeddings',
      'ops.migrations',
      'observability.alert-routing',
    ]) {
      expect(summary).toMatch(new RegExp(`\\n  FAIL +${escapeRegExp(id)}: `));
    }
    expect(summary).not.toMatch(/tenancy\.isolation: /);
  });

  it('explain shows the rule of the environment, the status and located reasons', () => {
    const text = explainGate(evaluations['staging'] as Evaluation, 'security.cors');
    expect(text).toMatch(/^security\.cors: Trusted origins and CORS are locked down/);
    expect(text).toContain('  rule (staging): ');
    expect(text).toContain('  status: FAIL (as of 2026-11-25)');
    expect(text).toContain('      at security.yaml:25:7 /cors/trustedOrigins/1');
    expect(text).toContain('  remediation: ');
    expect(explainGate(evaluations['staging'] as Evaluation, 'no.such-gate')).toBe(
      'no.such-gate: not a gate of this pack\n',
    );
  });
});
