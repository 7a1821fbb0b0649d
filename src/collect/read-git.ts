import { ArtifactError } from './artifact-error.js';
import type { ArtifactLimits } from './limits.js';
import { decodeArtifact, type ArtifactBytes } from './read-artifact.js';

/** A file as it is in a commit of the repository: its bytes, sha256, git blob id and the full commit id. */
export interface RevisionBytes extends ArtifactBytes {
  /** The git object id of the file's blob (SHA-1 or SHA-256, as the repository uses). */
  gitBlob: string;
  /** The full id of the commit it was read at. */
  commit: string;
}

/** How long one git command may run before the read is abandoned, in milliseconds. */
const GIT_TIMEOUT_MS = 30_000;
/** The most a git command may print besides a file's bytes (an ls-tree line, a commit id). */
const GIT_SMALL_OUTPUT = 64 * 1024;

/**
 * Reads the file at repository path `path` as it is in commit `revision` of the git
 * repository that holds `repoDir`, never from the working tree: `git rev-parse` resolves
 * the commit, `git ls-tree` finds the entry (and its size, before anything is read) and
 * `git cat-file blob` reads it, bounded by maxArtifactBytes. Fails closed, with an
 * ArtifactError that says why: `unsafe-path` (an absolute path, `..`, a backslash),
 * `unreadable` (no repository, an unknown revision, a path that is not in that tree,
 * a directory, a symbolic link or a submodule), `limit-exceeded` (over the size bound),
 * `parse-error` (an archive, not UTF-8).
 */
export async function readAtRevision(
  repoDir: string,
  revision: string,
  path: string,
  limits: ArtifactLimits,
): Promise<RevisionBytes> {
  checkRepoPath(path);
  if (!/^[0-9a-f]{7,64}$/.test(revision))
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path} at revision ${JSON.stringify(revision)}: a revision is a commit id (7 to 64 hex digits)`,
    );
  const commit = (
    await git(
      repoDir,
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`],
      {
        what: `revision ${revision}`,
      },
    )
  ).trim();
  if (!/^[0-9a-f]{40,64}$/.test(commit))
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path}: revision ${revision} is not a commit of the repository at ${repoDir}`,
    );
  const listing = await git(
    repoDir,
    ['ls-tree', '-z', '--long', '--full-tree', commit, '--', path],
    {
      what: `${path} at ${revision}`,
    },
  );
  const entry = parseTreeEntry(listing, path);
  if (!entry)
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path}: it is not in the tree of revision ${revision}`,
    );
  if (entry.type !== 'blob')
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path} at revision ${revision}: it is a ${entry.type === 'tree' ? 'directory' : `${entry.type} (a submodule)`}, not a file`,
    );
  if (entry.mode === '120000')
    throw new ArtifactError(
      'unsafe-path',
      `${path} is a symbolic link at revision ${revision}; name the file it leads to`,
    );
  if (entry.size > limits.maxArtifactBytes)
    throw new ArtifactError(
      'limit-exceeded',
      `${path} is ${entry.size} bytes at revision ${revision}, over the ${limits.maxArtifactBytes}-byte limit (max-artifact-size); not read`,
    );
  const bytes = await gitBytes(
    repoDir,
    ['cat-file', 'blob', entry.id],
    limits.maxArtifactBytes,
    path,
  );
  if (bytes.length !== entry.size)
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path} at revision ${revision}: git gave ${bytes.length} bytes for a ${entry.size}-byte blob`,
    );
  return { ...decodeArtifact(bytes, path), gitBlob: entry.id, commit };
}

/** The git repository top-level folder that holds `dir`; undefined when it is in none. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  try {
    const top = (
      await git(dir, ['rev-parse', '--show-toplevel'], { what: 'the repository' })
    ).trim();
    return top || undefined;
  } catch {
    return undefined;
  }
}

/** A repository path: relative, '/'-separated, no '.', '..' or empty segment, no control characters. */
export function checkRepoPath(path: string): void {
  const segments = path.split('/');
  if (
    path === '' ||
    path.includes('\\') ||
    /[\u0000-\u001f\u007f]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  )
    throw new ArtifactError(
      'unsafe-path',
      `repository path ${JSON.stringify(path)} must be relative to the repository root, with '/' and without '.', '..' or empty segments`,
    );
}

interface TreeEntry {
  mode: string;
  type: string;
  id: string;
  size: number;
}

/** The entry of `git ls-tree -z --long` whose path is exactly `path` (`<mode> SP <type> SP <id> SP+ <size> TAB <path> NUL`). */
function parseTreeEntry(listing: string, path: string): TreeEntry | undefined {
  for (const record of listing.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0 || record.slice(tab + 1) !== path) continue;
    const [mode, type, id, size] = record.slice(0, tab).trim().split(/\s+/);
    if (!mode || !type || !id) return undefined;
    return { mode, type, id, size: size === '-' || size === undefined ? 0 : Number(size) };
  }
  return undefined;
}

/** Runs git with a small bounded output; a failure is an `unreadable` ArtifactError about `what`. */
async function git(cwd: string, args: string[], context: { what: string }): Promise<string> {
  const { execa } = await import('execa');
  const result = await execa('git', args, {
    cwd,
    reject: false,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: GIT_SMALL_OUTPUT,
    stripFinalNewline: false,
    stdin: 'ignore',
    env: GIT_ENV,
  });
  if (result.exitCode !== 0 || result.failed) {
    const said = String(result.stderr ?? '')
      .split('\n')[0]
      ?.trim();
    throw new ArtifactError(
      'unreadable',
      `cannot read ${context.what} with git${said ? `: ${said}` : result.exitCode === 1 ? ': not found' : ''}`,
    );
  }
  return String(result.stdout);
}

/** Runs git for a blob's bytes, bounded at `limit` bytes. */
async function gitBytes(cwd: string, args: string[], limit: number, path: string): Promise<Buffer> {
  const { execa } = await import('execa');
  const result = await execa('git', args, {
    cwd,
    reject: false,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: limit + 1,
    encoding: 'buffer',
    stripFinalNewline: false,
    stdin: 'ignore',
    env: GIT_ENV,
  });
  if (result.isMaxBuffer)
    throw new ArtifactError(
      'limit-exceeded',
      `${path} is over the ${limit}-byte limit (max-artifact-size); not read`,
    );
  if (result.exitCode !== 0 || result.failed)
    throw new ArtifactError(
      'unreadable',
      `cannot read ${path} with git: ${String(result.stderr).split('\n')[0]}`,
    );
  return Buffer.from(result.stdout as Uint8Array);
}

/** Paths are literal (no pathspec magic or globs); no pager, no prompts, no replace refs. */
const GIT_ENV = {
  GIT_LITERAL_PATHSPECS: '1',
  GIT_NO_REPLACE_OBJECTS: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
};
