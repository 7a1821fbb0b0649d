import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { inspectGates } from '../pack/gate-metadata.js';
import { checkOpaVersion, runOpaRaw } from '../pack/opa-cli.js';
import { packConfigProblems, PACK_FILE } from '../pack/pack-config.js';
import type { PackOptions } from '../pack/pack-options.js';
import { DEFAULT_PACK_ROOT, packPaths, type PackPaths } from '../pack/pack.js';
import { packFileNameProblem } from '../pack/pack-file-names.js';
import { checkRegalVersion, regalConfigFor, runRegal } from '../pack/regal-cli.js';
import { LIBRARY_FOLDER, regoLibraryOf, withRegoSources } from '../pack/rego-library.js';
import { SchemaRegistry } from '../validate/schema-registry.js';
import { finding } from '../core/finding.js';
import { resultOf, type Result } from '../core/result.js';
import { builtinHint, type CheckName, type LintDraft } from './findings.js';
import {
  evidenceKindFindings,
  gateRuleFindings,
  negatedRefFindings,
  schemaDescriptionFindings,
  sprintfFindings,
  templateFindings,
  todoMetadata,
} from './pack-checks.js';
import { readRegoSources } from './rego-sources.js';

/** The lint result: ok when no finding is an error; the tool versions it ran. */
export interface LintResult extends Result<CheckName> {
  opaVersion: string;
  regalVersion: string;
}

/**
 * Lints a pack: `opa fmt` and `opa check --strict` against the wasm capabilities,
 * Regal with the committed configuration, then prodgate's own pack checks. Every
 * problem is a finding; only a missing or wrong-version tool throws (cannot lint).
 */
export async function lintPack(root?: string): Promise<LintResult> {
  const paths = packPaths(root);
  const [opaVersion, regalVersion] = [await checkOpaVersion(), await checkRegalVersion()];
  // A refused file name stops the lint before any tool lists files: `opa fmt --list`
  // prints one name a line, which a newline in a name would split into two.
  const nameProblem = packFileNameProblem(paths);
  if (nameProblem)
    return {
      ...resultOf([finding({ severity: 'error', code: 'file-names', message: nameProblem })]),
      opaVersion,
      regalVersion,
    };
  const findings: LintDraft[] = [...(await opaFmt(paths)), ...(await opaCheck(paths))];
  findings.push(...(await regal(paths)));
  findings.push(...(await packChecks(paths)));
  return { ...resultOf(findings.map((d) => finding(d))), opaVersion, regalVersion };
}

async function opaFmt(paths: PackPaths): Promise<LintDraft[]> {
  const run = await runOpaRaw(['fmt', '--list', 'policies'], paths.root);
  if (run.exitCode !== 0)
    return [
      {
        severity: 'error',
        code: 'opa-fmt',
        message: `opa fmt cannot read the policies: ${firstLines(run.stderr)}`,
      },
    ];
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => ({
      severity: 'error',
      code: 'opa-fmt',
      file,
      message: `not formatted: run opa fmt -w ${file}`,
    }));
}

interface OpaError {
  message?: string;
  code?: string;
  location?: { file?: string; row?: number };
}

async function opaCheck(paths: PackPaths): Promise<LintDraft[]> {
  const caps = relative(paths.root, paths.capabilities);
  const run = await withRegoSources(paths, (sources) =>
    runOpaRaw(
      ['check', '--strict', '--capabilities', caps, '--format', 'json', 'policies'],
      sources,
    ),
  );
  if (run.exitCode === 0) return [];
  let errors: OpaError[];
  try {
    errors = (JSON.parse(run.stderr || run.stdout) as { errors?: OpaError[] }).errors ?? [];
  } catch {
    return [
      { severity: 'error', code: 'opa-check', message: firstLines(run.stderr || run.stdout) },
    ];
  }
  return errors.map((e) => ({
    severity: 'error',
    code: 'opa-check',
    ...(e.location?.file ? { file: e.location.file, line: e.location.row ?? 1 } : {}),
    message: `${e.message ?? 'error'}${builtinHint(e.message ?? '', caps)} (${e.code ?? 'opa'})`,
  }));
}

interface RegalViolation {
  title?: string;
  description?: string;
  category?: string;
  level?: string;
  location?: { file?: string; row?: number };
}

async function regal(paths: PackPaths): Promise<LintDraft[]> {
  const config = regalConfigFor(paths.root, existsSync);
  // Regal resolves imports, so it reads the shared library too; the library's own
  // findings belong to prodgate (linted with the pack shipped with it), not to this pack.
  const shared = regoLibraryOf(paths).shared;
  const run = await withRegoSources(paths, (sources) =>
    runRegal(['lint', '--format', 'json', '--config-file', config, 'policies'], sources),
  );
  let violations: RegalViolation[];
  try {
    violations = (JSON.parse(run.stdout) as { violations?: RegalViolation[] }).violations ?? [];
  } catch {
    return [
      {
        severity: 'error',
        code: 'regal',
        message: `regal lint failed (exit ${run.exitCode}): ${firstLines(run.stderr || run.stdout)}`,
      },
    ];
  }
  const inLibrary = (file: string | undefined): boolean =>
    shared && !!file && file.split(/[\\/]/).slice(0, 2).join('/') === `policies/${LIBRARY_FOLDER}`;
  return violations
    .filter((v) => !inLibrary(v.location?.file))
    .map((v) => ({
      severity: v.level === 'warning' ? 'warning' : 'error',
      code: 'regal',
      ...(v.location?.file ? { file: v.location.file, line: v.location.row ?? 1 } : {}),
      message: `${v.description ?? 'violation'} (${v.category ?? 'regal'}/${v.title ?? '?'})`,
    }));
}

async function packChecks(paths: PackPaths): Promise<LintDraft[]> {
  let config: unknown;
  try {
    config = JSON.parse(await readFile(join(paths.root, PACK_FILE), 'utf8'));
  } catch (thrown) {
    return [
      {
        severity: 'error',
        code: 'pack-json',
        file: PACK_FILE,
        message: `cannot be read: ${messageOf(thrown)}`,
      },
    ];
  }
  const configProblems = packConfigProblems(config);
  if (configProblems.length)
    return configProblems.map((message) => ({
      severity: 'error',
      code: 'pack-json',
      file: PACK_FILE,
      message,
    }));
  const environments = (config as { environments: string[] }).environments;

  const findings: LintDraft[] = [];
  const sources = await readRegoSources(paths.root);
  findings.push(...sprintfFindings(sources), ...negatedRefFindings(sources));
  let inspected: Awaited<ReturnType<typeof inspectGates>>;
  try {
    inspected = await inspectGates(paths.root, environments);
  } catch (thrown) {
    // opa inspect fails on what opa check already reported; the other checks need the catalog.
    if (thrown instanceof CannotEvaluateError) return findings;
    throw thrown;
  }
  const { gates, problems, annotated } = inspected;
  const where = (id: string): { file?: string; line?: number } => annotated.get(id) ?? {};
  findings.push(...problems);
  findings.push(...todoMetadata(gates, where));
  findings.push(...gateRuleFindings(sources, new Set(annotated.keys())));

  const templateRel = relative(paths.root, paths.template);
  try {
    findings.push(...templateFindings(await readFile(paths.template, 'utf8'), templateRel, gates));
  } catch (thrown) {
    findings.push({
      severity: 'error',
      code: 'template',
      file: templateRel,
      message: `cannot be read: ${messageOf(thrown)}`,
    });
  }
  const schemas = await schemaChecks(paths);
  findings.push(...schemas.findings);
  findings.push(...evidenceKindFindings(gates, sources, schemas.kinds, where));
  findings.push(...declaredKindFindings(config as PackOptions, schemas.kinds));
  findings.push(...(await sharedFileDrift(paths)));
  return findings;
}

/** Each kind pack.json `evidenceKinds` names (waivers, release owner, sign-offs) needs a schema. */
function declaredKindFindings(options: PackOptions, kinds: Set<string>): LintDraft[] {
  return Object.entries(options.evidenceKinds ?? {})
    .filter(([, kind]) => !kinds.has(kind))
    .map(([role, kind]) => ({
      severity: 'error',
      code: 'evidence-kinds',
      file: PACK_FILE,
      message: `evidenceKinds.${role} names the kind "${kind}", but no schema in schemas/evidence/ declares it`,
    }));
}

/** The schemas must load in the same strict ajv the engine uses, and describe every field. */
async function schemaChecks(
  paths: PackPaths,
): Promise<{ kinds: Set<string>; findings: LintDraft[] }> {
  const findings: LintDraft[] = [];
  let kinds = new Set<string>();
  try {
    kinds = new Set((await SchemaRegistry.load(paths.schemas)).knownKinds());
  } catch (thrown) {
    findings.push({ severity: 'error', code: 'schemas', message: messageOf(thrown) });
  }
  let names: string[] = [];
  try {
    names = (await readdir(paths.schemas)).filter((n) => n.endsWith('.schema.json')).sort();
  } catch {
    // already reported by SchemaRegistry.load
  }
  for (const name of names) {
    const file = relative(paths.root, join(paths.schemas, name));
    try {
      findings.push(
        ...schemaDescriptionFindings(
          file,
          JSON.parse(await readFile(join(paths.schemas, name), 'utf8')),
        ),
      );
    } catch {
      // a schema that is not JSON is already reported by SchemaRegistry.load
    }
  }
  return { kinds, findings };
}

/**
 * A pack carries its own copy of prodgate's capabilities (what opa-wasm can run): a copy
 * that differs is an error. Its Rego library is prodgate's shared one (rego-library.ts)
 * unless it still carries a copy in policies/lib; such a copy that differs may be
 * deliberate, so it is a warning.
 */
async function sharedFileDrift(paths: PackPaths): Promise<LintDraft[]> {
  const shipped = packPaths(DEFAULT_PACK_ROOT);
  if (paths.root === shipped.root) return [];
  const findings: LintDraft[] = [];
  const ownLibrary = !regoLibraryOf(paths).shared;
  const pairs = [
    {
      ours: paths.capabilities,
      theirs: shipped.capabilities,
      severity: 'error' as const,
      why: 'it lists the builtins the wasm target and opa-wasm implement',
    },
    ...(ownLibrary ? libraryCopies(paths, shipped) : []),
  ];
  for (const { ours, theirs, severity, why } of pairs) {
    const file = relative(paths.root, ours);
    const [a, b] = await Promise.all([
      readFile(ours, 'utf8').catch(() => undefined),
      readFile(theirs, 'utf8'),
    ]);
    if (a === undefined)
      findings.push({
        severity: 'error',
        code: 'shared-files',
        file,
        message: `missing: copy it from prodgate's ${relative(DEFAULT_PACK_ROOT, theirs)}`,
      });
    else if (a !== b)
      findings.push({
        severity,
        code: 'shared-files',
        file,
        message: `differs from prodgate's ${relative(DEFAULT_PACK_ROOT, theirs)}: ${why}`,
      });
  }
  return findings;
}

/** The library files an older pack copied from prodgate, each compared with prodgate's. */
function libraryCopies(paths: PackPaths, shipped: PackPaths) {
  return ['lib.rego', 'recorded.rego'].map((name) => ({
    ours: join(paths.policies, 'lib', name),
    theirs: join(shipped.policies, 'lib', name),
    severity: 'warning' as const,
    why: "delete policies/lib to use prodgate's shared library, or copy it again unless the change is deliberate",
  }));
}

function firstLines(text: string, max = 5): string {
  return text.trim().split('\n').slice(0, max).join(' / ');
}
