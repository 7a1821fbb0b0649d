// The text `prodgate new gate` writes: a gate rule with its METADATA, its test cases,
// its template line and its schema field. Each piece works as written (the tests pass,
// the gate fails closed) and leaves TODOs that `prodgate lint` reports until filled.

export interface GateScaffold {
  id: string;
  section: string;
  /** The section's Rego package, `checklist.traffic`. */
  pkg: string;
  title?: string;
  severity: string;
  parent?: string;
  /** Evidence kinds the gate reads; the first holds its field. */
  kinds: string[];
  /** The schema field the scaffolded rule reads, `rateLimits`. */
  field: string;
  /** Rule-name stem, `rate_limits`. */
  stem: string;
  environments: string[];
}

/** `rate-limits` -> `rateLimits`, `limits.burst` -> `limitsBurst`. */
export function camelCase(name: string): string {
  return name.replace(/[.-]([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A METADATA (YAML) scalar: quoted when plain YAML would read it as something else. */
export function yamlScalar(text: string): string {
  return /[:#]|^[\s"'[\]{}>|*&!%@`,?-]|\s$/.test(text) ? JSON.stringify(text) : text;
}

export function sectionHeader(pkg: string, section: string): string {
  const title = section.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return `# METADATA\n# title: ${yamlScalar(title)}\n# description: The ${section} gates.\npackage ${pkg}\n\nimport data.prodgate.lib\n`;
}

export function gateRule(g: GateScaffold): string {
  const kind = g.kinds[0] as string;
  const lines = [
    '# METADATA',
    `# title: ${g.title ? yamlScalar(g.title) : yamlScalar(`TODO the checklist line of ${g.id}`)}`,
    `# description: TODO what the evidence must show for ${g.id} to pass.`,
    '# custom:',
    `#   id: ${g.id}`,
    `#   section: ${g.section}`,
    `#   severity: ${g.severity}`,
    ...(g.parent ? [`#   parent: ${g.parent}`] : []),
    `#   evidence: [${g.kinds.join(', ')}]`,
    '#   rules:',
    ...g.environments.map((env) => `#     ${env}: TODO the rule in words for ${env}.`),
    `#   remediation: TODO what to do when ${g.id} fails.`,
    `gates["${g.id}"] := lib.decide([${g.kinds.map((k) => JSON.stringify(k)).join(', ')}], ${g.stem}_reasons)`,
    '',
    `# TODO replace this scaffold with the conditions of ${g.id}. Derive each reason from a`,
    '# condition that must hold (not ok_x), so that absent evidence fails instead of passing.',
    `${g.stem}_reasons := lib.flag_reasons(${JSON.stringify(kind)}, "/${g.field}/done", object.get(lib.evidence(${JSON.stringify(kind)}), ["${g.field}", "done"], null), "${g.field}.done is true")`,
  ];
  return `\n${lines.join('\n')}\n`;
}

export function testFileHeader(pkg: string): string {
  return `package ${pkg}_test\n\nimport data.${pkg}\n`;
}

/**
 * How a test file refers to the section package: through its import (`import data.p.x`
 * gives `x`, `... as y` gives `y`); undefined when the file does not import it.
 */
export function importAlias(testText: string, pkg: string): string | undefined {
  const m = new RegExp(
    `^import data\\.${pkg.replace(/\./g, '\\.')}(?:\\s+as\\s+(\\w+))?\\s*$`,
    'm',
  ).exec(testText);
  if (!m) return undefined;
  return m[1] ?? pkg.split('.').at(-1);
}

/** The test cases; `alias` is how the test file refers to the section's package (its import). */
export function gateTests(g: GateScaffold, alias: string): string {
  const kind = g.kinds[0] as string;
  const env = g.environments[g.environments.length - 1] as string;
  const entry = (k: string, data: string): string =>
    `${JSON.stringify(k)}: {"file": "evidence/${env}/${k}.yaml", "valid": true, "data": ${data}}`;
  const entries = [
    entry(
      kind,
      `{"kind": ${JSON.stringify(kind)}, "schemaVersion": 1, ${JSON.stringify(g.field)}: value}`,
    ),
    ...g.kinds.slice(1).map((k) => entry(k, `{"kind": ${JSON.stringify(k)}, "schemaVersion": 1}`)),
  ];
  const gate = `${alias}.gates[${JSON.stringify(g.id)}]`;
  const lines = [
    '',
    `# --- ${g.id} (scaffolded by prodgate new gate: make these the gate's real cases) ---`,
    '',
    `${g.stem}_input(value) := {`,
    `\t"env": ${JSON.stringify(env)},`,
    '\t"as_of": "2026-01-01",',
    '\t"links": {},',
    // one line: opa fmt (OPA 1.22) and Regal's opa-fmt rule (OPA 1.6) disagree on a multi-line one
    `\t"evidence": {${entries.join(', ')}},`,
    '}',
    '',
    `test_${g.stem}_passes if {`,
    `\tgate := ${gate} with input as ${g.stem}_input({"done": true})`,
    '\tgate.status == "pass"',
    '}',
    '',
    `test_${g.stem}_fails if {`,
    `\tgate := ${gate} with input as ${g.stem}_input({"done": false})`,
    '\tgate.status == "fail"',
    '\tgate.reasons[0].code == "violation"',
    `\tgate.reasons[0].evidence[0].pointer == "/${g.field}/done"`,
    '}',
    '',
    `test_${g.stem}_fails_without_evidence if {`,
    `\tgate := ${gate} with input as {"env": ${JSON.stringify(env)}, "as_of": "2026-01-01", "links": {}, "evidence": {}}`,
    '\tgate.status == "fail"',
    '\tgate.reasons[0].code == "missing-evidence"',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The schema property the scaffolded rule reads, for the author to describe and extend. */
export function schemaField(g: GateScaffold): Record<string, unknown> {
  return {
    type: 'object',
    description: `TODO what this block records (${g.id}). Optional: when it is missing, only the gates that read it fail with "missing evidence".`,
    additionalProperties: false,
    properties: {
      done: {
        type: 'boolean',
        description: `TODO replace with the fields ${g.id} checks; the scaffolded rule passes when this is true.`,
      },
    },
  };
}

/** A new evidence kind's schema, in the shape SchemaRegistry requires ($id, kind and schemaVersion consts). */
export function newKindSchema(packName: string, kind: string): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:prodgate:${packName}:evidence:${kind}:v1`,
    title: `${packName} ${kind} evidence (v1)`,
    description: `TODO what the ${kind} evidence records and which gates read it.`,
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'schemaVersion'],
    properties: {
      $schema: {
        type: 'string',
        description:
          'Optional: the URI or path of this JSON Schema, for editors. prodgate ignores it.',
        maxLength: 512,
      },
      kind: {
        type: 'string',
        description: `The evidence kind; always ${kind}.`,
        const: kind,
        maxLength: kind.length,
      },
      schemaVersion: {
        type: 'integer',
        description: 'The version of this evidence format; always 1.',
        const: 1,
      },
    },
  };
}
