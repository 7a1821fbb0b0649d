import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One Rego file of a pack, with its pack-relative path. */
export interface RegoSource {
  path: string;
  text: string;
  isTest: boolean;
}

/** Every .rego file under the pack's policies/, in path order. */
export async function readRegoSources(packRoot: string): Promise<RegoSource[]> {
  const files: RegoSource[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.rego')) {
        const path = relative(packRoot, full).split(sep).join('/');
        files.push({
          path,
          text: await readFile(full, 'utf8'),
          isTest: entry.name.endsWith('_test.rego'),
        });
      }
    }
  };
  await walk(join(packRoot, 'policies'));
  return files;
}

export interface Located<T> {
  value: T;
  line: number;
}

// `opa fmt` (which lint enforces) puts every rule head at the start of a line, so the
// gate rules can be found in the text without a Rego parser.
const GATE_HEAD = /^gates\["([^"\\]+)"\]/;
const OTHER_GATE_HEAD = /^gates\[(?!")/;

/** The `gates["<id>"]` rule heads of a source file, and heads whose key is not a string literal. */
export function gateHeads(text: string): { ids: Located<string>[]; dynamic: number[] } {
  const ids: Located<string>[] = [];
  const dynamic: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = GATE_HEAD.exec(line);
    if (m?.[1]) ids.push({ value: m[1], line: i + 1 });
    else if (OTHER_GATE_HEAD.test(line)) dynamic.push(i + 1);
  });
  return { ids, dynamic };
}

/** Evidence kinds a source names literally: lib.evidence("k") and the kinds list of lib.decide([...]). */
export function evidenceReads(text: string): Located<string>[] {
  const reads: Located<string>[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trimStart().startsWith('#')) return;
    for (const m of line.matchAll(/lib\.evidence\("([^"]+)"\)/g))
      reads.push({ value: m[1] as string, line: i + 1 });
    for (const m of line.matchAll(/lib\.decide\(\[([^\]]*)\]/g)) {
      for (const k of (m[1] as string).matchAll(/"([^"]+)"/g))
        reads.push({ value: k[1] as string, line: i + 1 });
    }
  });
  return reads;
}

/** sprintf formats opa-wasm cannot print: its sprintf is sprintf-js (no %q; %v throws on null). */
export function wasmUnsafeSprintf(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/sprintf\("[^"]*%[vq]/.test(line)) lines.push(i + 1);
  });
  return lines;
}

/** The package a source declares. */
export function packageOf(text: string): string | undefined {
  return /^package\s+([\w.]+)/m.exec(text)?.[1];
}

/**
 * Lines with a negated call on a reference, `not is_boolean(x.logged)`: when the field
 * is absent the reference is undefined, the whole expression is undefined and the
 * `not` does not hold, so an absent field gives no reason and the gate can pass. Read
 * the field with object.get(x, "logged", null) (or bind it first and test it).
 */
export function negatedCallsOnRefs(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""').replace(/#.*$/, '');
    const m = /^\s*not\s+[A-Za-z_][\w.]*\((.*)\)\s*$/.exec(code);
    // a dotted or indexed reference that is not itself a call (object.get(...) is fine)
    if (m?.[1] && /\b[a-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]]*\])+(?![\w.[]*\s*\()/.test(m[1]))
      lines.push(i + 1);
  });
  return lines;
}
