// The one finding type and the one result shape (src/core/): defaults, the one-line form,
// and ok computed from the findings' severities.
import { describe, expect, it } from 'vitest';
import { errorCount, finding, formatFinding } from '../../src/core/finding.ts';
import { resultOf } from '../../src/core/result.ts';

describe('Finding', () => {
  it('fills what a producer without a position does not know: no file, line 0, no pointer', () => {
    expect(finding({ severity: 'error', code: 'metadata', message: 'm' })).toEqual({
      severity: 'error',
      code: 'metadata',
      message: 'm',
      file: '',
      line: 0,
      column: 0,
      pointer: '',
    });
  });

  it('prints file:line:col, severity, the message, the pointer and the code on one line', () => {
    const f = finding({
      severity: 'warning',
      code: 'waiver-expired',
      message: 'a\nb',
      file: 'w.yaml',
      line: 3,
      column: 5,
      pointer: '/waivers/0',
      gate: 'security.cors',
    });
    expect(formatFinding(f, 'evidence/prod/')).toBe(
      'evidence/prod/w.yaml:3:5: warning: a\\nb (at /waivers/0) [waiver-expired]',
    );
    expect(formatFinding({ ...f, file: '' }, 'evidence/prod')).toMatch(/^evidence\/prod:3:5: /);
  });
});

describe('Result', () => {
  it('is ok only while no finding is an error', () => {
    const warning = finding({ severity: 'warning', code: 'w', message: 'w' });
    const error = finding({ severity: 'error', code: 'e', message: 'e' });
    expect(resultOf([]).ok).toBe(true);
    expect(resultOf([warning]).ok).toBe(true);
    expect(resultOf([warning, error])).toEqual({ ok: false, findings: [warning, error] });
    expect(errorCount([warning, error, error])).toBe(2);
  });
});
