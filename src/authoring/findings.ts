import type { Finding, FindingDraft } from '../core/finding.js';

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
  | 'shared-files'
  | 'file-names';

/** A finding of `prodgate lint`: the one Finding type, coded by the check that made it. */
export type LintFinding = Finding<CheckName>;
/** A lint finding as a check writes it, before the missing position is filled in. */
export type LintDraft = FindingDraft<CheckName>;

/**
 * `file:line: error: message [check]`: the one-line form of pack findings (a pack file
 * and line; Rego tools give no column). A finding without a file has no place prefix.
 */
export function formatLintFinding(f: LintFinding): string {
  const where = f.file ? `${f.file}:${f.line || 1}: ` : '';
  return `${where}${f.severity}: ${f.message} [${f.code}]`;
}

/** An undefined function under the capabilities file is usually a builtin opa-wasm lacks: say so. */
export function builtinHint(message: string, capabilities: string): string {
  return /undefined function/.test(message)
    ? ` (not a builtin the wasm target and opa-wasm implement: see ${capabilities})`
    : '';
}
