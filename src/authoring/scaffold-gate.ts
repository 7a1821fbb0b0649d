import { existsSync } from 'node:fs';
import { escapeTerminal } from '../core/text/escape.js';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { gateIdProblem, impliedParent, sectionOf, SEVERITIES } from '../pack/gate-ids.js';
import { checkOpaVersion, runOpa } from '../pack/opa-cli.js';
import { entrypointPackage, readPackConfig, SECTIONS_PACKAGE } from '../pack/pack-config.js';
import { packPaths, type PackPaths } from '../pack/pack.js';
import { GATE_MARKER, templateGateIds } from '../core/template.js';
import { gateHeads, packageOf, readRegoSources } from './rego-sources.js';
import {
  camelCase,
  gateRule,
  gateTests,
  importAlias,
  newKindSchema,
  schemaField,
  sectionHeader,
  testFileHeader,
  type GateScaffold,
} from './scaffold-text.js';

export interface NewGateOptions {
  id: string;
  section: string;
  title?: string;
  /** Evidence kinds the gate reads (default: the section's name); the first holds its field. */
  evidence?: string[];
  severity?: string;
  /** The schema field the rule reads (default: the id's name in camelCase). */
  field?: string;
}

export interface ScaffoldResult {
  gate: GateScaffold;
  /** Pack-relative files written, with what each got. */
  written: { file: string; what: string }[];
  /** Set when the section is new and its package could not be added to the entrypoint. */
  entrypointFile?: string;
  entrypointUpdated: boolean;
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const FIELD = /^[a-z][A-Za-z0-9]*$/;

/**
 * Scaffolds one gate into a pack: the rule with its METADATA in the section's Rego
 * file (creating the section, and listing it in the entrypoint, when it is new), a
 * passing, a failing and a missing-evidence test, the template line, and the schema
 * field the rule reads. Refuses (changing nothing) when the id is malformed or taken.
 */
export async function scaffoldGate(
  root: string | undefined,
  options: NewGateOptions,
): Promise<ScaffoldResult> {
  const paths = packPaths(root);
  const config = await readPackConfig(paths.root);
  await checkOpaVersion(); // the written Rego is run through opa fmt
  const { id, section } = options;
  const kinds = options.evidence?.length ? options.evidence : [section];
  const severity = options.severity ?? 'high';
  const idProblem = gateIdProblem(id);
  if (idProblem) throw new CannotEvaluateError(idProblem);
  if (!NAME.test(section))
    throw new CannotEvaluateError(
      `section "${escapeTerminal(section)}" must be lowercase letters, digits and single hyphens`,
    );
  if (sectionOf(id) !== section)
    throw new CannotEvaluateError(
      `gate id ${escapeTerminal(id)} must start with its section: ${escapeTerminal(section)}.<name>`,
    );
  if (!(SEVERITIES as readonly string[]).includes(severity))
    throw new CannotEvaluateError(
      `--severity "${escapeTerminal(severity)}" must be one of ${SEVERITIES.join(', ')}`,
    );
  for (const kind of kinds)
    if (!NAME.test(kind))
      throw new CannotEvaluateError(
        `evidence kind "${escapeTerminal(kind)}" must be lowercase letters, digits and single hyphens`,
      );

  const sources = await readRegoSources(paths.root);
  const existing = new Map(
    sources
      .filter((s) => !s.isTest)
      .flatMap((s) => gateHeads(s.text).ids.map((h) => [h.value, `${s.path}:${h.line}`] as const)),
  );
  if (existing.has(id))
    throw new CannotEvaluateError(`gate ${id} already exists (${existing.get(id)})`);
  const template = await readFile(paths.template, 'utf8');
  if (templateGateIds(template).includes(id))
    throw new CannotEvaluateError(`the template already has a line for gate ${id}`);
  const parent = impliedParent(id);
  if (parent && !existing.has(parent)) {
    throw new CannotEvaluateError(
      `gate ${id} is a child of ${parent}, which does not exist: scaffold it first (prodgate new gate ${parent} --section ${section})`,
    );
  }

  const rootPackage = entrypointPackage(config.entrypoint);
  const discovers = await entrypointDiscoversSections(paths, rootPackage);
  const sectionFile = join(paths.policies, section, `${section}.rego`);
  const sectionText = existsSync(sectionFile) ? await readFile(sectionFile, 'utf8') : undefined;
  const pkg =
    (sectionText && packageOf(sectionText)) ??
    `${discovers ? SECTIONS_PACKAGE : rootPackage}.${section.replace(/-/g, '_')}`;
  const name = id.slice(section.length + 1);
  const stem = name.replace(/[.-]/g, '_');
  if (sectionText && new RegExp(`^${stem}_reasons\\b`, 'm').test(sectionText))
    throw new CannotEvaluateError(
      `${relative(paths.root, sectionFile)} already has a rule ${stem}_reasons`,
    );
  const field = options.field ?? camelCase(name);
  if (!FIELD.test(field))
    throw new CannotEvaluateError(
      `--field must be a camelCase name, got "${escapeTerminal(field)}"`,
    );

  const schemaFile = join(paths.schemas, `${kinds[0]}.v1.schema.json`);
  const newKind = !existsSync(schemaFile);
  const schema = !newKind
    ? (JSON.parse(await readFile(schemaFile, 'utf8')) as { properties?: Record<string, unknown> })
    : newKindSchema(config.name, kinds[0] as string);
  schema.properties ??= {};
  const properties = schema.properties as Record<string, unknown>;
  if (field in properties)
    throw new CannotEvaluateError(
      `${relative(paths.root, schemaFile)} already has a field ${field}; name another with --field`,
    );

  const gate: GateScaffold = {
    id,
    section,
    pkg,
    severity,
    kinds,
    field,
    stem,
    environments: config.environments,
    ...(options.title ? { title: options.title } : {}),
    ...(parent ? { parent } : {}),
  };
  const written: ScaffoldResult['written'] = [];
  const rel = (p: string): string => relative(paths.root, p);

  await writeFileAtomic(
    sectionFile,
    `${sectionText ?? sectionHeader(pkg, section)}${gateRule(gate)}`,
  );
  written.push({
    file: rel(sectionFile),
    what: sectionText
      ? 'the rule and its METADATA'
      : 'a new section with the rule and its METADATA',
  });
  const testFile = join(paths.policies, section, `${section}_test.rego`);
  let testText = existsSync(testFile) ? await readFile(testFile, 'utf8') : testFileHeader(pkg);
  // Refer to the section through the file's import (Regal flags refs that bypass it).
  if (!importAlias(testText, pkg))
    testText = testText.replace(/^(package .*\n)/m, `$1\nimport data.${pkg}\n`);
  await writeFileAtomic(
    testFile,
    `${testText}${gateTests(gate, importAlias(testText, pkg) ?? `data.${pkg}`)}`,
  );
  written.push({ file: rel(testFile), what: 'a passing, a failing and a missing-evidence test' });
  await runOpa(['fmt', '--write', rel(sectionFile), rel(testFile)], paths.root);

  await writeFileAtomic(paths.template, insertTemplateLine(template, gate));
  written.push({ file: rel(paths.template), what: 'the checklist line' });
  properties[field] = schemaField(gate);
  await writeFileAtomic(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
  written.push({
    file: rel(schemaFile),
    what: `the field ${field}${newKind ? ' (a new evidence kind)' : ''}`,
  });

  const result: ScaffoldResult = { gate, written, entrypointUpdated: false };
  // An entrypoint that collects every package under data.checklist needs no edit; an
  // older one that lists its sections gets the new one added to its list.
  if (!sectionText && !discovers)
    Object.assign(result, await addToEntrypoint(paths, rootPackage, pkg));
  if (result.entrypointUpdated && result.entrypointFile)
    written.push({ file: result.entrypointFile, what: `data.${pkg}.gates in the entrypoint` });
  return result;
}

/**
 * The checklist line goes after the parent's last child (for a child), or after the
 * section's last gate line; a section the template lacks gets a heading at the end.
 */
export function insertTemplateLine(template: string, g: GateScaffold): string {
  const title = g.title ?? `TODO the checklist line of ${g.id}`;
  const lines = template.replace(/\n$/, '').split('\n');
  const idAt = (i: number): string | undefined => GATE_MARKER.exec(lines[i] ?? '')?.[1];
  const belongs = (id: string | undefined): boolean =>
    !!id &&
    (g.parent
      ? id === g.parent || id.startsWith(`${g.parent}.`)
      : id === g.section || id.startsWith(`${g.section}.`));
  let after = -1;
  for (let i = 0; i < lines.length; i++) if (belongs(idAt(i))) after = i;
  if (after < 0) {
    const heading = g.section.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
    return `${lines.join('\n')}\n\n## ${heading}\n\n- [ ] ${title} <!-- gate: ${g.id} -->\n`;
  }
  // keep the parent line's indentation, one level deeper for a child
  const parentLine = g.parent ? lines.find((_line, i) => idAt(i) === g.parent) : undefined;
  const indent = g.parent ? `${/^\s*/.exec(parentLine ?? '')?.[0] ?? ''}  ` : '';
  lines.splice(after + 1, 0, `${indent}- [ ] ${title} <!-- gate: ${g.id} -->`);
  return `${lines.join('\n')}\n`;
}

/** Whether the entrypoint package reads data.<SECTIONS_PACKAGE> (so it finds every section itself). */
async function entrypointDiscoversSections(
  paths: PackPaths,
  rootPackage: string,
): Promise<boolean> {
  const uses = new RegExp(`\\bdata\\.${SECTIONS_PACKAGE}\\b`);
  return (await readRegoSources(paths.root)).some(
    (source) => !source.isTest && packageOf(source.text) === rootPackage && uses.test(source.text),
  );
}

/** Lists a new section's gates in the entrypoint rule (`object.union_n([...])`), when it has that shape. */
async function addToEntrypoint(
  paths: PackPaths,
  rootPackage: string,
  pkg: string,
): Promise<{ entrypointFile?: string; entrypointUpdated: boolean }> {
  for (const source of await readRegoSources(paths.root)) {
    if (source.isTest || packageOf(source.text) !== rootPackage) continue;
    const m = /object\.union_n\(\[([^\]]*)\]\)/.exec(source.text);
    if (!m) return { entrypointFile: source.path, entrypointUpdated: false };
    const entries = [
      ...(m[1] ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
      `data.${pkg}.gates`,
    ];
    // One entry stays on one line: opa fmt (OPA 1.22) and Regal's opa-fmt rule (OPA 1.6)
    // disagree about a one-entry list split over lines, and agree about longer ones.
    const list =
      entries.length === 1 ? `[${entries[0]}]` : `[\n${entries.map((e) => `\t${e},\n`).join('')}]`;
    const text = `${source.text.slice(0, m.index)}object.union_n(${list})${source.text.slice(m.index + m[0].length)}`;
    await writeFileAtomic(join(paths.root, source.path), text);
    await runOpa(['fmt', '--write', source.path], paths.root);
    return { entrypointFile: source.path, entrypointUpdated: true };
  }
  return { entrypointUpdated: false };
}
