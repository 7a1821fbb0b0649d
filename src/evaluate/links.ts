import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isInside } from '../core/path-containment.js';

/**
 * How prodgate judged one link: the policy sees `ok` and, when not ok, why. `missing` is
 * set on every unusable link except a plain `http:` URL: a link that is neither an
 * allowed https URL nor a regular file inside the repository points at no evidence at
 * all (empty, `.`, `..` escapes, absolute paths, `file:` and other schemes, backslashes,
 * a bare `#fragment`, symlinks leading outside, a trailing slash, anything under `.git/`),
 * which policies report as missing evidence (never waivable). Only an `http:` URL names
 * evidence that is there but fetched insecurely: a violation, which a waiver may accept.
 */
export interface LinkState {
  ok: boolean;
  problem?: string;
  missing?: true;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * RFC 3986 §3: `scheme ":" "//" authority path-abempty [ "?" query ] [ "#" fragment ]`.
 * Checked on the text as written, before the WHATWG URL parser: for "special"
 * schemes it skips any number of slashes and backslashes, so `https:///etc/passwd`,
 * `https:/host` and `https:\\host` would all come back with a host ("etc", "host").
 */
const HTTPS_AUTHORITY = /^https:\/\/([^/?#]*)/i;

/**
 * Resolves a link from evidence: an https URL is usable (nothing is fetched); a
 * repository-relative path is usable when it names a file inside the repository
 * root. Absolute paths, `..` escapes, symlinks leading outside, any other URL
 * scheme and URLs with credentials are not.
 */
export async function resolveLink(link: string, repoRoot: string): Promise<LinkState> {
  const state = judgeLink(link, repoRoot);
  if (state.ok || state.missing || HTTP_URL.test(link)) return state;
  return { ...state, missing: true };
}

/** A plain http URL: the one unusable link that still names existing evidence. */
const HTTP_URL = /^http:/i;

function judgeLink(link: string, repoRoot: string): LinkState {
  if (SCHEME.test(link) && !/^[a-zA-Z]:[\\/]/.test(link)) {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return { ok: false, problem: 'not a valid URL' };
    }
    if (url.protocol !== 'https:')
      return { ok: false, problem: `a URL must be https, not ${url.protocol.replace(/:$/, '')}` };
    const authorityProblem = httpsAuthorityProblem(link);
    if (authorityProblem) return { ok: false, problem: authorityProblem };
    // `https://./x` and `https://%2e%2e/x` parse with the host "." or "..": no host at all.
    if (!url.hostname || /^\.+$/.test(url.hostname))
      return { ok: false, problem: 'the URL has no host' };
    const hostProblem = hostNameProblem(url.hostname);
    if (hostProblem) return { ok: false, problem: hostProblem };
    // A link that carries a user name or password leaks a credential into evidence,
    // the policy input and CI logs: it is never a usable link.
    if (url.username || url.password)
      return { ok: false, problem: 'the URL carries credentials (user information before @)' };
    return { ok: true };
  }
  const path = link.split('#')[0] ?? '';
  if (path === '') return { ok: false, problem: 'empty path' };
  if (isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\')) {
    return { ok: false, problem: 'an absolute path; links must be repository-relative' };
  }
  // A backslash is a separator on Windows and a file name character elsewhere: the same
  // link would resolve differently by platform, so the same evidence could get two verdicts.
  if (path.includes('\\'))
    return {
      ok: false,
      problem: 'the path holds a backslash; links use / as the separator on every platform',
    };
  // `docs/release.md/` resolves to the file on some systems and to nothing on others; a
  // link to a file never ends in a slash.
  if (path.endsWith('/'))
    return {
      ok: false,
      problem: 'the path ends with a slash, so it names a directory, not a file',
    };
  const root = resolve(repoRoot);
  const target = resolve(root, path);
  if (!isInside(root, target)) return { ok: false, problem: 'the path leaves the repository' };
  if (underGitDirectory(relative(root, target)))
    return { ok: false, problem: 'the path is inside .git/, which holds no evidence' };
  try {
    // Synchronous: two or three system calls per link, cheaper than thread pool round trips.
    const real = realpathSync.native(target);
    const realRoot = realpathSync.native(root);
    if (!isInside(realRoot, real))
      return { ok: false, problem: 'the path leads outside the repository through a link' };
    if (underGitDirectory(relative(realRoot, real)))
      return { ok: false, problem: 'the path is inside .git/, which holds no evidence' };
    if (!statSync(real).isFile()) return { ok: false, problem: 'not a file', missing: true };
  } catch {
    return { ok: false, problem: 'no such file in the repository', missing: true };
  }
  return { ok: true };
}

/** Why an https link as written has no usable host (RFC 3986 authority), or undefined. */
function httpsAuthorityProblem(link: string): string | undefined {
  const authority = HTTPS_AUTHORITY.exec(link)?.[1];
  if (authority === undefined)
    return 'the URL has no host (an https URL starts with https:// and a host name)';
  if (/[\\\s\u0000-\u001f\u007f]/.test(authority))
    return "the URL's host part holds a backslash, a space or a control character";
  const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  if (host === '' || host === '[]')
    return 'the URL has no host (nothing between https:// and the path)';
  // Even an empty user name (`https://@host/`) is user information: a credential slot.
  if (authority.includes('@')) return 'the URL carries credentials (user information before @)';
  return undefined;
}

/** A host name label (RFC 1123 §2.1; an IDN is already in its xn-- form): letters, digits, inner hyphens. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why a host, as the WHATWG parser left it (lower case, IDN as xn--, IPv4 in dotted
 * decimal, IPv6 in brackets), names no host, or undefined. The parser accepts `*`, `-`,
 * `_`, `a..b` and `.a`; none is a host name. A trailing dot (a fully qualified name) is
 * kept. `0` (which the parser reads as 0.0.0.0, the unspecified address) names no host
 * either: it can be no destination (RFC 1122 §3.2.1.3).
 */
function hostNameProblem(hostname: string): string | undefined {
  if (hostname.startsWith('[')) return undefined;
  if (hostname === '0.0.0.0')
    return "the URL's host is 0.0.0.0 (the unspecified address), which names no host";
  const labels = hostname.replace(/\.$/, '').split('.');
  if (labels.every((label) => LABEL.test(label))) return undefined;
  return `the URL's host ${JSON.stringify(hostname)} is not a host name (labels of letters, digits and inner hyphens, separated by single dots)`;
}

/** Whether a repository-relative path has a `.git` segment (any case: case-insensitive file systems). */
function underGitDirectory(rel: string): boolean {
  return rel.split(sep).some((segment) => segment.toLowerCase() === '.git');
}
