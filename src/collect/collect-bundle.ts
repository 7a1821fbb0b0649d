import { joinPointer } from '../core/json-pointer.js';
import type { EvidenceFinding } from '../core/finding.js';
import { positionOf, type EvidenceFile } from '../load/evidence-file.js';
import type { ArtifactProblem } from './artifact-error.js';
import type { ArtifactFacts } from './facts.js';
import {
  collectAtRevision,
  collectFile,
  revisionPath,
  type CollectedArtifact,
} from './collect-file.js';
import { readAtRevision, repositoryRoot } from './read-git.js';
import { configView, isConfigFacts } from './config/policy-view.js';
import { readArtifactFile } from './read-artifact.js';
import type { ArtifactLimits } from './limits.js';
import {
  describeSelector,
  hasCriteria,
  selectTests,
  summariseScan,
  tagIndex,
  type TestSelector,
} from './select.js';

/** The evidence kind that names the artifacts (schemas/evidence/artifacts.v1.schema.json). */
export const ARTIFACTS_KIND = 'artifacts';

/** The key by which any evidence object says its fact is recorded from an artifact. */
export const RECORDED_BY = 'recordedBy';

/** One artifact of the bundle, as read: id, path, digest, format, facts, problems. */
export interface BundleArtifact extends CollectedArtifact {
  id: string;
}

/** The artifact-level part the policy sees (input.artifacts[id] and each recorded fact). */
export interface PolicyArtifact {
  artifact: string;
  file: string;
  sha256: string;
  format: string;
  valid: boolean;
  problems: { message: string; pointer: string; line: number; column: number }[];
  type?: ArtifactFacts['type'];
  tool?: { name?: string; version?: string };
  revision?: string;
  date?: string;
}

/** input.recorded[kind][pointer]: the fact the object at pointer says is recorded. */
export type RecordedFact = PolicyArtifact & { selected: boolean; selector: string } & Record<
    string,
    unknown
  >;

export interface CollectedBundle {
  artifacts: BundleArtifact[];
  /** Located findings: the artifacts' problems (file = the artifact) and bad references (file = the evidence file). */
  diagnostics: EvidenceFinding[];
  /** input.artifacts: id -> the artifact, with a tag index for test reports. */
  policyArtifacts: Record<string, PolicyArtifact & Record<string, unknown>>;
  /** input.recorded: kind -> pointer -> recorded fact. */
  recorded: Record<string, Record<string, RecordedFact>>;
}

interface ArtifactEntry {
  id: string;
  /** A file in the evidence folder (a test report, rendered manifests). */
  path?: string;
  /** A file of the repository, read with git at the released revision. */
  repoPath?: string;
  format?: string;
  revision?: string;
  date?: string;
}

/**
 * The collect stage of an evaluation: reads every artifact the (valid) `artifacts`
 * evidence names, from inside the evidence folder, and resolves every `recordedBy`
 * in the other valid evidence into a recorded fact. Artifacts are read in the order
 * listed; nothing not listed is read. Never throws for a bad artifact.
 */
export async function collectBundle(
  evidenceDir: string,
  validKinds: Map<string, EvidenceFile>,
  limits: ArtifactLimits,
  release: ReleaseBinding = {},
): Promise<CollectedBundle> {
  const diagnostics: EvidenceFinding[] = [];
  const artifacts: BundleArtifact[] = [];
  const entries = new Map<string, ArtifactEntry>();
  const listing = validKinds.get(ARTIFACTS_KIND);
  const listed = (listing?.data as { artifacts?: ArtifactEntry[] } | undefined)?.artifacts ?? [];
  for (const [i, entry] of listed.entries()) {
    if (entries.has(entry.id)) {
      diagnostics.push(
        at(
          listing as EvidenceFile,
          `/artifacts/${i}/id`,
          'unknown-artifact',
          `artifact id "${entry.id}" is listed twice`,
        ),
      );
      continue;
    }
    entries.set(entry.id, entry);
    let read: CollectedArtifact;
    if (entry.repoPath !== undefined) {
      read = await collectFromRepository(
        evidenceDir,
        entry.repoPath,
        limits,
        release,
        entry.format,
      );
      // The entry's revision is the released one by construction.
      if (release.revision !== undefined && read.facts && read.facts.revision === undefined)
        read.facts.revision = release.revision;
    } else {
      read = await collectFile(entry.path as string, limits, {
        root: evidenceDir,
        ...(entry.format ? { format: entry.format } : {}),
      });
    }
    bindRelease(read, entry);
    artifacts.push({ ...read, id: entry.id });
    for (const p of read.problems)
      diagnostics.push(
        read.unreadable && entry.repoPath !== undefined
          ? // Nothing was read: the entry that names the file is where the problem is.
            at(listing as EvidenceFile, `/artifacts/${i}/repoPath`, p.code, p.message)
          : artifactDiagnostic(read.path, p),
      );
  }
  const policyArtifacts: CollectedBundle['policyArtifacts'] = {};
  for (const a of artifacts)
    policyArtifacts[a.id] = {
      ...artifactPart(a),
      ...(a.facts?.type === 'tests'
        ? { tags: tagIndex(a.facts) }
        : a.facts?.type === 'scan'
          ? summariseScan(a.facts)
          : a.facts?.type === 'config'
            ? { config: a.facts.config }
            : {}),
    };
  const recorded: CollectedBundle['recorded'] = {};
  for (const [kind, file] of [...validKinds.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (kind === ARTIFACTS_KIND) continue;
    for (const { pointer, by } of recordedByIn(file.data, '')) {
      const artifact = artifacts.find((a) => a.id === by.artifact);
      if (!artifact) {
        diagnostics.push(
          at(
            file,
            `${pointer}/${RECORDED_BY}/artifact`,
            'unknown-artifact',
            `recordedBy names artifact "${String(by.artifact)}", which the artifacts evidence does not list`,
          ),
        );
      }
      const facts = recorded[kind] ?? {};
      recorded[kind] = facts;
      facts[pointer] = recordedFact(by, artifact, listing, artifacts);
    }
  }
  return { artifacts, diagnostics, policyArtifacts, recorded };
}

/**
 * The release a bundle's artifacts are bound to: the released revision (the release
 * evidence's `revision`) at which repository files are read, with git, in the repository
 * that holds the evidence folder (or `repoDir`).
 */
export interface ReleaseBinding {
  revision?: string;
  repoDir?: string;
}

async function collectFromRepository(
  evidenceDir: string,
  repoPath: string,
  limits: ArtifactLimits,
  release: ReleaseBinding,
  format: string | undefined,
): Promise<CollectedArtifact> {
  const failed = (message: string): CollectedArtifact => ({
    path: revisionPath(release.revision ?? '(no revision)', repoPath),
    sha256: '',
    source: 'git',
    repoPath,
    unreadable: true,
    valid: false,
    problems: [{ severity: 'error', code: 'unreadable', message, line: 1, column: 1, pointer: '' }],
    ...(format ? { format } : {}),
  });
  if (release.revision === undefined)
    return failed(`cannot read ${repoPath}: the release evidence names no revision to read it at`);
  const repo = release.repoDir ?? (await repositoryRoot(evidenceDir));
  if (repo === undefined)
    return failed(
      `cannot read ${repoPath} at ${release.revision}: the evidence folder is in no git repository`,
    );
  return collectAtRevision(repo, release.revision, repoPath, limits, format);
}

/** The revision and date: the artifact's own, else the evidence entry's; both and different is an error. */
function bindRelease(read: CollectedArtifact, entry: ArtifactEntry): void {
  const facts = read.facts;
  if (!facts) return;
  for (const key of ['revision', 'date'] as const) {
    const given = entry[key];
    if (given === undefined) continue;
    const own = facts[key];
    if (own === undefined) facts[key] = given;
    else if (own !== given) {
      read.problems.push({
        severity: 'error',
        code: 'revision-conflict',
        message: `the artifact says ${key} ${own}, the artifacts evidence says ${given}`,
        line: 1,
        column: 1,
        pointer: '',
      });
      read.valid = false;
    }
  }
}

function artifactPart(a: BundleArtifact): PolicyArtifact {
  return {
    artifact: a.id,
    file: a.path,
    sha256: a.sha256,
    format: a.format ?? '',
    valid: a.valid,
    problems: a.problems
      .filter((p) => p.severity === 'error')
      .map(({ message, pointer, line, column }) => ({ message, pointer, line, column })),
    ...(a.facts ? { type: a.facts.type, tool: a.facts.tool } : {}),
    ...(a.facts?.revision ? { revision: a.facts.revision } : {}),
    ...(a.facts?.date ? { date: a.facts.date } : {}),
  };
}

function recordedFact(
  by: RecordedBy,
  artifact: BundleArtifact | undefined,
  listing: EvidenceFile | undefined,
  artifacts: BundleArtifact[],
): RecordedFact {
  const selector = selectorOf(by);
  const described = hasCriteria(selector) ? describeSelector(selector) : 'the pack default';
  if (!artifact) {
    const file = listing?.path ?? `(no ${ARTIFACTS_KIND} evidence)`;
    return {
      artifact: String(by.artifact),
      file,
      sha256: '',
      format: '',
      valid: false,
      problems: [
        {
          message: `no artifact "${String(by.artifact)}" is listed in the artifacts evidence`,
          pointer: '',
          line: 1,
          column: 1,
        },
      ],
      selected: false,
      selector: described,
    };
  }
  const base = artifactPart(artifact);
  const facts = artifact.facts;
  if (facts?.type === 'tests' && hasCriteria(selector))
    return { ...base, selected: true, selector: described, ...selectTests(facts, selector) };
  if (facts?.type === 'scan')
    return { ...base, selected: true, selector: 'the whole scan', ...summariseScan(facts) };
  if (isConfigFacts(facts)) {
    const routedBy = typeof by.routedBy === 'string' ? by.routedBy : undefined;
    return {
      ...base,
      selected: true,
      selector: routedBy ? `the whole file, routed by ${routedBy}` : 'the whole file',
      ...configView(facts, routedBy, artifacts),
    };
  }
  if (facts?.type === 'config')
    return { ...base, selected: true, selector: 'the whole file', config: facts.config };
  return { ...base, selected: false, selector: described };
}

type RecordedBy = { artifact: unknown; routedBy?: unknown } & TestSelector;

function selectorOf(by: RecordedBy): TestSelector {
  return {
    ...(by.tag !== undefined ? { tag: by.tag } : {}),
    ...(by.property !== undefined ? { property: by.property } : {}),
    ...(by.classname !== undefined ? { classname: by.classname } : {}),
    ...(by.file !== undefined ? { file: by.file } : {}),
    ...(by.name !== undefined ? { name: by.name } : {}),
  };
}

/** Every object in the data with a `recordedBy` object, at the object's pointer. */
function recordedByIn(value: unknown, pointer: string): { pointer: string; by: RecordedBy }[] {
  if (value === null || typeof value !== 'object') return [];
  const out: { pointer: string; by: RecordedBy }[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...recordedByIn(v, joinPointer(pointer, i)));
    });
    return out;
  }
  const record = value as Record<string, unknown>;
  const by = record[RECORDED_BY];
  if (by !== null && typeof by === 'object' && !Array.isArray(by))
    out.push({ pointer, by: by as RecordedBy });
  for (const key of Object.keys(record).sort())
    if (key !== RECORDED_BY) out.push(...recordedByIn(record[key], joinPointer(pointer, key)));
  return out;
}

function artifactDiagnostic(path: string, p: ArtifactProblem): EvidenceFinding {
  const { severity, code, line, column, pointer, message } = p;
  return { severity, code, file: path, line, column, pointer, message };
}

function at(
  file: EvidenceFile,
  pointer: string,
  code: EvidenceFinding['code'],
  message: string,
): EvidenceFinding {
  const { line, column } = positionOf(file, pointer);
  return { severity: 'error', code, file: file.path, line, column, pointer, message };
}

/** True when a top-level entry of the evidence folder is (or holds) a listed artifact. */
export function holdsArtifact(name: string, artifacts: { path: string }[]): boolean {
  return artifacts.some((a) => a.path === name || a.path.startsWith(`${name}/`));
}

/**
 * The digests of the artifacts a loaded bundle names (for `verify`, which re-reads the
 * evidence without evaluating it first): path and sha256, '' for one that cannot be
 * read, and for a repository file its git blob id, read again at the revision the
 * release evidence names now.
 */
export async function artifactDigests(
  evidenceDir: string,
  files: EvidenceFile[],
  limits: ArtifactLimits,
  release: ReleaseBinding = {},
): Promise<{ path: string; sha256: string; gitBlob?: string }[]> {
  const listing = files.find((f) => f.kind === ARTIFACTS_KIND);
  const entries = (listing?.data as { artifacts?: unknown } | undefined)?.artifacts;
  if (!Array.isArray(entries)) return [];
  const out: { path: string; sha256: string; gitBlob?: string }[] = [];
  for (const entry of entries) {
    const { path, repoPath } = (entry ?? {}) as { path?: unknown; repoPath?: unknown };
    if (typeof repoPath === 'string') {
      const named = revisionPath(release.revision ?? '(no revision)', repoPath);
      try {
        const repo = release.repoDir ?? (await repositoryRoot(evidenceDir));
        if (release.revision === undefined || repo === undefined) throw new Error('unreadable');
        const read = await readAtRevision(repo, release.revision, repoPath, limits);
        out.push({ path: named, sha256: read.sha256, gitBlob: read.gitBlob });
      } catch (thrown) {
        out.push({ path: named, sha256: (thrown as { sha256?: string }).sha256 ?? '' });
      }
      continue;
    }
    if (typeof path !== 'string') continue;
    try {
      out.push({ path, sha256: (await readArtifactFile(path, limits, evidenceDir)).sha256 });
    } catch (thrown) {
      out.push({ path, sha256: (thrown as { sha256?: string }).sha256 ?? '' });
    }
  }
  return out;
}
