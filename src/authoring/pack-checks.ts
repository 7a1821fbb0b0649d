// prodgate's own checks of a pack, beyond what OPA and Regal know: the gate ids that
// tie METADATA, rules and template together, the evidence kinds and their schemas.
// Pure functions over the pack's text, so that each check can be tested on its own.
import type { GateMeta } from '../pack/catalog.js';
import { gateIdProblem } from '../pack/gate-ids.js';
import { GATE_MARKER } from '../core/template.js';
import type { LintDraft } from './findings.js';
import {
  evidenceReads,
  gateHeads,
  negatedCallsOnRefs,
  wasmUnsafeSprintf,
  type RegoSource,
} from './rego-sources.js';

const TODO = /\bTODO\b/;

/** METADATA that still holds the scaffold's TODO placeholders. */
export function todoMetadata(
  gates: GateMeta[],
  where: (id: string) => { file?: string; line?: number },
): LintDraft[] {
  return gates.flatMap((g) => {
    const fields = [
      ...(TODO.test(g.title) ? ['title'] : []),
      ...(TODO.test(g.description) ? ['description'] : []),
      ...Object.entries(g.rules)
        .filter(([, text]) => TODO.test(text))
        .map(([env]) => `rules.${env}`),
      ...(TODO.test(g.remediation) ? ['remediation'] : []),
    ];
    return fields.length
      ? [
          {
            severity: 'error' as const,
            code: 'metadata' as const,
            ...where(g.id),
            message: `gate ${g.id} METADATA still has TODO placeholders: ${fields.join(', ')}`,
          },
        ]
      : [];
  });
}

/** Each gate rule is defined once, under a literal id that has a METADATA block. */
export function gateRuleFindings(sources: RegoSource[], annotated: Set<string>): LintDraft[] {
  const findings: LintDraft[] = [];
  const definitions = new Map<string, { file: string; line: number }[]>();
  for (const source of sources.filter((s) => !s.isTest)) {
    const { ids, dynamic } = gateHeads(source.text);
    for (const { value: id, line } of ids)
      definitions.set(id, [...(definitions.get(id) ?? []), { file: source.path, line }]);
    for (const line of dynamic) {
      findings.push({
        severity: 'error',
        code: 'gate-rules',
        file: source.path,
        line,
        message:
          'a gates[...] rule with a computed key: write each gate as gates["<id>"] so that its id can be checked',
      });
    }
  }
  for (const [id, places] of definitions) {
    const first = places[0] as { file: string; line: number };
    const naming = gateIdProblem(id);
    if (naming) findings.push({ severity: 'error', code: 'gate-rules', ...first, message: naming });
    if (places.length > 1) {
      findings.push({
        severity: 'error',
        code: 'gate-rules',
        ...first,
        message: `gate ${id} is defined ${places.length} times (${places.map((p) => `${p.file}:${p.line}`).join(', ')}); define it once`,
      });
    }
    if (!annotated.has(id)) {
      findings.push({
        severity: 'error',
        code: 'metadata',
        ...first,
        message: `gate ${id} has no METADATA block (title, description, custom: id, section, severity, evidence, rules, remediation)`,
      });
    }
  }
  return findings;
}

/** Every gate appears exactly once in the template, and every template marker names a gate. */
export function templateFindings(
  template: string,
  templatePath: string,
  gates: GateMeta[],
): LintDraft[] {
  const findings: LintDraft[] = [];
  const lines = new Map<string, number[]>();
  template.split('\n').forEach((text, i) => {
    const id = GATE_MARKER.exec(text)?.[1];
    if (id) lines.set(id, [...(lines.get(id) ?? []), i + 1]);
    if (id && TODO.test(text))
      findings.push({
        severity: 'error',
        code: 'template',
        file: templatePath,
        line: i + 1,
        message: `the line of gate ${id} still has a TODO placeholder`,
      });
  });
  const ids = new Set(gates.map((g) => g.id));
  for (const g of gates) {
    const at = lines.get(g.id) ?? [];
    if (at.length === 0)
      findings.push({
        severity: 'error',
        code: 'template',
        file: templatePath,
        message: `gate ${g.id} is missing from the template: add a line ending in <!-- gate: ${g.id} -->`,
      });
    if (at.length > 1)
      findings.push({
        severity: 'error',
        code: 'template',
        file: templatePath,
        line: at[1],
        message: `gate ${g.id} appears ${at.length} times in the template (lines ${at.join(', ')}); keep one`,
      });
  }
  for (const [id, at] of lines) {
    if (!ids.has(id))
      findings.push({
        severity: 'error',
        code: 'template',
        file: templatePath,
        line: at[0],
        message: `the template names gate ${id}, which no policy defines`,
      });
  }
  return findings;
}

/** Every evidence kind a gate declares or a policy reads has a schema. */
export function evidenceKindFindings(
  gates: GateMeta[],
  sources: RegoSource[],
  schemaKinds: Set<string>,
  where: (id: string) => { file?: string; line?: number },
): LintDraft[] {
  const findings: LintDraft[] = [];
  const known = [...schemaKinds].sort().join(', ') || 'none';
  for (const g of gates) {
    for (const kind of g.evidence.filter((k) => !schemaKinds.has(k))) {
      findings.push({
        severity: 'error',
        code: 'evidence-kinds',
        ...where(g.id),
        message: `gate ${g.id} reads evidence kind "${kind}", which has no schema in schemas/evidence (known: ${known})`,
      });
    }
  }
  for (const source of sources.filter((s) => !s.isTest)) {
    const reported = new Set<string>();
    for (const { value: kind, line } of evidenceReads(source.text)) {
      if (schemaKinds.has(kind) || reported.has(kind)) continue;
      reported.add(kind);
      findings.push({
        severity: 'error',
        code: 'evidence-kinds',
        file: source.path,
        line,
        message: `the policy reads evidence kind "${kind}", which has no schema in schemas/evidence (known: ${known})`,
      });
    }
  }
  return findings;
}

/** sprintf verbs that compile but fail under opa-wasm's sprintf-js. */
export function sprintfFindings(sources: RegoSource[]): LintDraft[] {
  return sources.flatMap((s) =>
    wasmUnsafeSprintf(s.text).map((line) => ({
      severity: 'error' as const,
      code: 'sprintf' as const,
      file: s.path,
      line,
      message:
        'sprintf with %v or %q: opa-wasm formats with sprintf-js, which has no %q and throws on %v of null; use %s (json.marshal for non-strings) or %d',
    })),
  );
}

/** Negated calls on references: an absent field makes them undefined, not true (see negatedCallsOnRefs). */
export function negatedRefFindings(sources: RegoSource[]): LintDraft[] {
  return sources
    .filter((s) => !s.isTest)
    .flatMap((s) =>
      negatedCallsOnRefs(s.text).map((line) => ({
        severity: 'error' as const,
        code: 'fail-closed' as const,
        file: s.path,
        line,
        message:
          'not f(x.field): when the field is absent the call is undefined and the not does not hold, so absent data gives no reason; read it with object.get(x, "field", null)',
      })),
    );
}

interface SchemaNode {
  description?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
  $ref?: unknown;
}

/**
 * Every field of an evidence schema is described (the descriptions are the evidence
 * author's documentation: `prodgate init` writes them beside each field), and no
 * description is a scaffold's TODO.
 */
export function schemaDescriptionFindings(file: string, schema: SchemaNode): LintDraft[] {
  const findings: LintDraft[] = [];
  const defs = schema.$defs ?? {};
  const visit = (node: SchemaNode, pointer: string): void => {
    for (const [name, prop] of Object.entries(node.properties ?? {})) {
      const target =
        typeof prop.$ref === 'string' ? defs[prop.$ref.replace('#/$defs/', '')] : undefined;
      const description =
        typeof prop.description === 'string'
          ? prop.description
          : typeof target?.description === 'string'
            ? target.description
            : '';
      const at = `${pointer}/${name}`;
      if (!description.trim())
        findings.push({
          severity: 'error',
          code: 'schemas',
          file,
          message: `field ${at} has no description (it is the documentation prodgate init writes beside the field)`,
        });
      else if (TODO.test(description))
        findings.push({
          severity: 'error',
          code: 'schemas',
          file,
          message: `field ${at} still has a TODO description`,
        });
      visit(prop, at);
    }
    if (node.items) visit(node.items, `${pointer}/*`);
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) visit(branch, pointer);
  };
  if (typeof schema.description === 'string' && TODO.test(schema.description))
    findings.push({
      severity: 'error',
      code: 'schemas',
      file,
      message: 'the schema description is still a TODO',
    });
  visit(schema, '');
  for (const [name, def] of Object.entries(defs)) visit(def, `#/$defs/${name}`);
  return findings;
}
