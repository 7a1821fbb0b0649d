import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import { CannotEvaluateError, messageOf } from '../errors.js';
import { sha256 } from '../provenance/digest.js';
import type { EvidenceFile } from './evidence-file.js';
import { parseJson } from './json-source.js';
import { DEFAULT_PARSE_LIMITS, SourceError, type ParseLimits } from './parsed-document.js';
import { parseYaml } from './yaml-source.js';

const FORMATS: Record<string, EvidenceFile['format']> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

export interface LoadLimits extends ParseLimits {
  maxFileBytes: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = { ...DEFAULT_PARSE_LIMITS, maxFileBytes: 1024 * 1024 };

export interface LoadedBundle {
  files: EvidenceFile[];
  /** Findings about the folder itself (files that are not evidence). */
  diagnostics: Diagnostic[];
}

/**
 * Reads every `.json`, `.yaml` and `.yml` file of an evidence folder (not recursive),
 * in name order. A file that cannot be read or parsed is kept, with its diagnostics,
 * so the gates that need it become `error` rather than silently passing.
 */
export async function loadBundle(dir: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): Promise<LoadedBundle> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    names = (await readdir(dir)).sort();
  } catch (thrown) {
    throw new CannotEvaluateError(`evidence folder ${dir} cannot be read: ${messageOf(thrown)}`);
  }
  const files: EvidenceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const format = FORMATS[extname(name).toLowerCase()];
    if (!format) {
      diagnostics.push(finding('warning', 'ignored-file', name, 'not evidence (only .json, .yaml and .yml files are read); ignored'));
      continue;
    }
    files.push(await loadFile(join(dir, name), name, format, limits));
  }
  return { files, diagnostics };
}

async function loadFile(fullPath: string, path: string, format: EvidenceFile['format'], limits: LoadLimits): Promise<EvidenceFile> {
  const file: EvidenceFile = { path, format, sha256: '', positions: new Map(), diagnostics: [] };
  let bytes: Buffer;
  try {
    const info = await stat(fullPath);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > limits.maxFileBytes) {
      file.diagnostics.push(finding('error', 'limit-exceeded', path, `file is ${info.size} bytes, over the ${limits.maxFileBytes}-byte limit`));
      return file;
    }
    bytes = await readFile(fullPath);
  } catch (thrown) {
    file.diagnostics.push(finding('error', 'unreadable', path, `cannot read: ${messageOf(thrown)}`));
    return file;
  }
  file.sha256 = sha256(bytes);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    file.diagnostics.push(finding('error', 'parse-error', path, 'the file is not valid UTF-8'));
    return file;
  }
  try {
    const parsed = format === 'json' ? parseJson(text, limits) : parseYaml(text, limits);
    file.positions = parsed.positions;
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      file.diagnostics.push(finding('error', 'not-an-object', path, 'the document must be an object with kind and schemaVersion'));
      return file;
    }
    file.data = parsed.value;
    const { kind, schemaVersion } = parsed.value as { kind?: unknown; schemaVersion?: unknown };
    if (typeof kind === 'string') file.kind = kind;
    file.schemaVersion = schemaVersion;
  } catch (thrown) {
    if (!(thrown instanceof SourceError)) throw thrown;
    // The document could not be built, so its only place is where parsing stopped:
    // reasons about "the whole file" then point there.
    file.positions = new Map([[thrown.pointer, thrown.position]]);
    if (thrown.pointer !== '') file.positions.set('', thrown.position);
    file.diagnostics.push({
      severity: 'error',
      code: thrown.code,
      file: path,
      line: thrown.position.line,
      column: thrown.position.column,
      pointer: thrown.pointer,
      message: thrown.message,
    });
  }
  return file;
}

function finding(severity: Diagnostic['severity'], code: DiagnosticCode, file: string, message: string): Diagnostic {
  return { severity, code, file, line: 1, column: 1, pointer: '', message };
}
