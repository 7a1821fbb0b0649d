// The pure parts of the authoring kit: id and pack.json rules, the source scans of the
// pack checks, coverage arithmetic, template insertion and the starter YAML.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { formatPercent, policyCoverage } from '../../src/authoring/coverage.ts';
import { templateFindings } from '../../src/authoring/pack-checks.ts';
import {
  gateHeads,
  negatedCallsOnRefs,
  wasmUnsafeSprintf,
} from '../../src/authoring/rego-sources.ts';
import { insertTemplateLine } from '../../src/authoring/scaffold-gate.ts';
import {
  camelCase,
  importAlias,
  yamlScalar,
  type GateScaffold,
} from '../../src/authoring/scaffold-text.ts';
import { renderStarter, type SchemaNode } from '../../src/authoring/starter-yaml.ts';
import type { GateMeta } from '../../src/pack/catalog.ts';
import { gateIdProblem, impliedParent } from '../../src/pack/gate-ids.ts';
import { packConfigProblems } from '../../src/pack/pack-config.ts';

describe('gate ids', () => {
  it.each(['ops.dr', 'ops.dr.rpo-rto', 'public-api.v2', 'a1.b.c'])(
    '%s follows the convention',
    (id) => {
      expect(gateIdProblem(id)).toBeUndefined();
    },
  );
  it.each([
    'ops',
    'Ops.dr',
    'ops.dr_x',
    'ops..dr',
    'ops.dr-',
    'ops.a--b',
    '1ops.dr',
    'a.b.c.d',
    'ops.dr ',
  ])('%s does not', (id) => {
    expect(gateIdProblem(id)).toMatch(/must be section\.name or section\.name\.child/);
  });
  it('a child id implies its parent', () => {
    expect(impliedParent('ops.dr.tabletop')).toBe('ops.dr');
    expect(impliedParent('ops.dr')).toBeUndefined();
  });
});

describe('pack.json', () => {
  const good = {
    name: 'my-pack',
    version: '1.2.0',
    environments: ['dev', 'prod'],
    entrypoint: 'prodgate/decision',
  };
  it('accepts a good one', () => expect(packConfigProblems(good)).toEqual([]));
  it.each([
    [{ ...good, environments: [] }, /environments must be a non-empty list/],
    [{ ...good, environments: ['prod', 'prod'] }, /must not repeat/],
    [{ ...good, environments: ['all'] }, /"all" is reserved/],
    [{ ...good, version: 'v1' }, /semantic version/],
    [{ ...good, entrypoint: 'decision' }, /entrypoint must be a rule path/],
    [{ ...good, environment: ['prod'] }, /unknown key "environment"/],
    [[], /must be a JSON object/],
  ])('rejects %j', (config, message) => {
    expect(packConfigProblems(config).join('; ')).toMatch(message);
  });
});

describe('source scans', () => {
  it('finds negated calls on a reference, which an absent field makes undefined instead of true', () => {
    const lines = [
      '\tnot is_boolean(access.logged)', // 1: flagged
      '\tnot lib.is_date(v["date"])', // 2: flagged
      '\tnot is_boolean(object.get(access, "logged", null))', // 3: fine
      '\tnot lib.non_empty_string(lib.at(s, ["path"]))', // 4: fine, a call
      '\tnot is_git_sha(revision)', // 5: fine, a variable
      '\tnot input.x == 1', // 6: fine, not a call
      '\tnot startswith("a.b", x) # see x.y', // 7: fine, in a string and a comment
    ];
    expect(negatedCallsOnRefs(lines.join('\n'))).toEqual([1, 2]);
  });
  it('finds gate heads, computed keys and sprintf verbs opa-wasm cannot format', () => {
    const text =
      'gates["a.b"] := x\n\ngates[id] := y if { some id in ids }\nm := sprintf("%v", [1])\nn := sprintf("%s", [1])\n';
    expect(gateHeads(text)).toEqual({ ids: [{ value: 'a.b', line: 1 }], dynamic: [3] });
    expect(wasmUnsafeSprintf(text)).toEqual([4]);
  });
});

describe('coverage', () => {
  it('counts distinct policy lines only, with overlapping ranges merged and test files left out', () => {
    const coverage = policyCoverage({
      files: {
        'policies/a/a.rego': {
          covered_lines: 18,
          not_covered_lines: 2,
          not_covered: [
            { start: { row: 5 }, end: { row: 6 } },
            { start: { row: 6 }, end: { row: 6 } },
          ],
        },
        'policies/decision.rego': {
          not_covered: [
            { start: { row: 8 }, end: { row: 17 } },
            { start: { row: 8 }, end: { row: 17 } },
          ],
        },
        'policies/a/a_test.rego': { covered_lines: 500 },
      },
    });
    expect(coverage.total).toBe(30);
    expect(coverage.covered).toBe(18);
    expect(coverage.files.map((f) => [f.file, f.uncovered])).toEqual([
      ['policies/decision.rego', ['8-17']],
      ['policies/a/a.rego', ['5-6']],
    ]);
  });
  it('rounds down, so that 89.96% never prints as 90.0%', () => {
    expect(formatPercent(89.96)).toBe('89.9%');
    expect(formatPercent(100)).toBe('100.0%');
  });
});

const meta = (id: string): GateMeta => ({
  id,
  title: id,
  description: '',
  section: id.split('.')[0] ?? '',
  severity: 'high',
  evidence: ['x'],
  rules: {},
  remediation: '',
});

describe('template checks and insertion', () => {
  it('reports a gate missing, repeated or unknown, with lines', () => {
    const template =
      '# T\n- [ ] A <!-- gate: a.one -->\n- [ ] A again <!-- gate: a.one -->\n- [ ] Z <!-- gate: z.gone -->\n';
    const messages = templateFindings(template, 't.md', [meta('a.one'), meta('a.two')]).map(
      (f) => `${f.line ?? '-'} ${f.message}`,
    );
    expect(messages).toEqual([
      '3 gate a.one appears 2 times in the template (lines 2, 3); keep one',
      '- gate a.two is missing from the template: add a line ending in <!-- gate: a.two -->',
      '4 the template names gate z.gone, which no policy defines',
    ]);
  });

  const scaffold = (id: string, parent?: string): GateScaffold => ({
    id,
    section: id.split('.')[0] ?? '',
    pkg: 'prodgate.t',
    severity: 'high',
    kinds: ['t'],
    field: 'f',
    stem: 's',
    environments: ['prod'],
    title: `Line ${id}`,
    ...(parent ? { parent } : {}),
  });
  const template =
    '# T\n\n## T\n\n- [ ] P <!-- gate: t.p -->\n  - [ ] C <!-- gate: t.p.c -->\n- [ ] Q <!-- gate: t.q -->\n\n## U\n\n- [ ] U <!-- gate: u.x -->\n';
  it('puts a child after its last sibling, indented, and a gate after its section', () => {
    expect(insertTemplateLine(template, scaffold('t.p.d', 't.p'))).toContain(
      '  - [ ] C <!-- gate: t.p.c -->\n  - [ ] Line t.p.d <!-- gate: t.p.d -->\n- [ ] Q',
    );
    expect(insertTemplateLine(template, scaffold('t.r'))).toContain(
      '- [ ] Q <!-- gate: t.q -->\n- [ ] Line t.r <!-- gate: t.r -->\n\n## U',
    );
  });
  it('gives a new section a heading at the end', () => {
    expect(insertTemplateLine(template, scaffold('new-area.x'))).toMatch(
      /- \[ \] U <!-- gate: u\.x -->\n\n## New area\n\n- \[ \] Line new-area\.x <!-- gate: new-area\.x -->\n$/,
    );
  });
});

describe('scaffold text', () => {
  it('names and quotes', () => {
    expect(camelCase('rate-limits')).toBe('rateLimits');
    expect(camelCase('limits.burst')).toBe('limitsBurst');
    expect(yamlScalar('Plain words')).toBe('Plain words');
    expect(yamlScalar('Limits: set')).toBe('"Limits: set"');
    expect(yamlScalar('- a list?')).toBe('"- a list?"');
    expect(importAlias('package p.t_test\n\nimport data.p.t\n', 'p.t')).toBe('t');
    expect(importAlias('package p.t_test\n\nimport data.p.t as sec\n', 'p.t')).toBe('sec');
    expect(importAlias('package p.t_test\n\nimport data.p.tx\n', 'p.t')).toBeUndefined();
  });
});

describe('starter YAML', () => {
  const schema: SchemaNode = {
    title: 'demo evidence (v1)',
    description: 'A demo.',
    required: ['kind', 'schemaVersion', 'owner'],
    properties: {
      $schema: { type: 'string', description: 'for editors' },
      kind: { type: 'string', const: 'demo', description: 'the kind' },
      schemaVersion: { type: 'integer', const: 1, description: 'the version' },
      owner: { type: 'string', description: 'Who owns it.' },
      when: { $ref: '#/$defs/date', description: 'When it ran.' },
      mode: { type: 'string', enum: ['manual', 'automated'], description: 'How.' },
      items: {
        type: 'array',
        description: 'The checks.',
        items: {
          type: 'object',
          description: 'One check.',
          required: ['name'],
          properties: {
            name: { type: 'string', description: 'Its name.' },
            ok: { type: 'boolean', description: 'Passed?' },
          },
        },
      },
      tags: {
        type: 'array',
        description: 'Tags.',
        items: { type: 'string', description: 'A tag.' },
      },
      signoff: {
        description: 'Signed or not.',
        oneOf: [
          {
            type: 'object',
            description: 'Signed.',
            properties: { by: { type: 'string', description: 'Signer.' } },
          },
          {
            type: 'object',
            description: 'Waived.',
            properties: { why: { type: 'string', description: 'Why.' } },
          },
        ],
      },
    },
    $defs: { date: { type: 'string', format: 'date', description: 'a date' } },
  };
  const text = renderStarter(schema, {
    kind: 'demo',
    schemaRef: '../schemas/demo.v1.schema.json',
    command: 'prodgate init --env prod',
  });

  it('starts with the modeline and parses to every field, empty', () => {
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/demo.v1.schema.json',
    );
    expect(yaml.load(text, { schema: yaml.CORE_SCHEMA })).toEqual({
      kind: 'demo',
      schemaVersion: 1,
      owner: null,
      when: null,
      mode: null,
      items: [{ name: null, ok: null }],
      tags: null,
      signoff: { by: null },
    });
  });

  it('documents each field above it: description, value hint, required or optional', () => {
    expect(text).toContain('# Who owns it. (required)\nowner:');
    expect(text).toContain(
      '# When it ran. A date, YYYY-MM-DD. (optional: delete it if it does not apply)\nwhen:',
    );
    expect(text).toContain('# How. One of: manual, automated.');
    expect(text).toContain(
      '  - # one entry; repeat the block for each\n    # Its name. (required)\n    name:',
    );
    expect(text).toContain(
      '# Signed or not. One of: (1) Signed. (2) Waived. The fields below are the first.',
    );
  });
});

// Attack report 11, hole 8: `init` copied ESC, U+202E and NEL from schema descriptions
// into the starter YAML's comments raw. Pack text is escaped there, and a key or
// constant with such characters is written with YAML escapes, so the file still loads.
describe('renderStarter with hostile schema text', () => {
  const hostile = 'Owner\u001b[8m HIDDEN\u001b[0m \u202eRTL\u0085next\u2028line \u{e0041}tag';
  const schema: SchemaNode = {
    title: `Demo ${hostile}`,
    description: hostile,
    type: 'object',
    required: ['owner'],
    properties: {
      kind: { const: 'demo' },
      schemaVersion: { const: 1 },
      owner: { type: 'string', description: hostile },
      'we\u202eird\u0085': { type: 'string', description: 'A key with a bidi override and NEL.' },
      mode: { enum: ['a\u001bb', 'c'], description: `How ${hostile}` },
      fixed: { const: 'x\u202ey', description: 'A constant.' },
    },
  };
  const text = renderStarter(schema, {
    kind: 'demo',
    schemaRef: '../schemas/demo.v1.schema.json',
    command: 'prodgate init --env prod',
  });

  it('has no raw control, bidi, separator, NEL or tag character', () => {
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
    expect(text).toContain(
      '# Owner\\u001b[8m HIDDEN\\u001b[0m \\u202eRTL\\u0085next line \\u{e0041}tag',
    );
    expect(text).toContain('One of: a\\u001bb, c.');
  });

  it('still loads, with the keys and constants the schema wrote', () => {
    expect(yaml.load(text, { schema: yaml.CORE_SCHEMA })).toEqual({
      kind: 'demo',
      schemaVersion: 1,
      owner: null,
      'we\u202eird\u0085': null,
      mode: null,
      fixed: 'x\u202ey',
    });
  });
});
