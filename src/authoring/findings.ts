/** Which check produced a finding: the tool, or one of prodgate's own pack checks. */
export type CheckName =
  | 'opa-fmt'
  | 'opa-check'
  | 'regal'
  | 'pack-json'
  | 'metadata'
  | 'gate-rules'
  | 'template'
  | 'evidence-kinds'
  | 'schemas'
  | 'sprintf'
  | 'fail-closed'
  | 'shared-files';

/** One finding of `prodgate lint`, located in a pack file when it can be. */
export interface Finding {
  severity: 'error' | 'warning';
  check: CheckName;
  /** Pack-relative path. */
  file?: string;
  line?: number;
  message: string;
}

/** `file:line: error: message [check]`: the same one-line form as evidence diagnostics. */
export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}:${f.line ?? 1}: ` : '';
  return `${where}${f.severity}: ${f.message} [${f.check}]`;
}

export function errorCount(findings: Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length;
}

/** An undefined function under the capabilities file is usually a builtin opa-wasm lacks: say so. */
export function builtinHint(message: string, capabilities: string): string {
  return /undefined function/.test(message)
    ? ` (not a builtin the wasm target and opa-wasm implement: see ${capabilities})`
    : '';
}
