// The maintained credential rule set (secretlint's recommended preset) as prodgate runs it.
import { describe, expect, it } from 'vitest';
import {
  findSecretRanges,
  OVERLAP,
  SECRET_RULE_IDS,
  WINDOW,
  windowsOf,
} from '../../src/core/text/secret-rules.ts';
import { redactSecrets } from '../../src/core/text/redact.ts';

describe('the maintained rule set', () => {
  it('runs every scanner rule of the recommended preset', () => {
    for (const id of [
      'aws',
      'gcp',
      'privatekey',
      'npm',
      'basicauth',
      'slack',
      'sendgrid',
      'shopify',
      'github',
      'openai',
      'anthropic',
      'linear',
      '1password',
      'database-connection-string',
    ]) {
      expect(SECRET_RULE_IDS).toContain(`@secretlint/secretlint-rule-${id}`);
    }
  });

  it.each([
    [
      'a Slack incoming webhook',
      'alerts: https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'alerts: [REDACTED]',
    ],
    [
      'a SendGrid key',
      'key SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ end',
      'key [REDACTED] end',
    ],
    ['a Shopify token', 'shpat_0123456789abcdef0123456789abcdef', '[REDACTED]'],
    ['an Anthropic key', `sk-ant-api03-${'a'.repeat(95)}AA`, '[REDACTED]'],
    ['a Linear key', `lin_api_${'a'.repeat(40)}`, '[REDACTED]'],
    [
      'a database password',
      'mongodb://admin:s3cretPass@db.example:27017/app',
      'mongodb://[REDACTED]@db.example:27017/app',
    ],
    [
      'an AWS secret access key',
      'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
      'aws_secret_access_key = "[REDACTED]"',
    ],
  ])('redacts %s', (_what, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('keeps digests, revisions and prose', () => {
    const text =
      'sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, revision 0123456789abcdef0123456789abcdef01234567; the token is rotated monthly';
    expect(findSecretRanges(text)).toEqual([]);
    expect(redactSecrets(text)).toBe(text);
  });

  it('finds a credential wherever it falls, also across the edge of a window', () => {
    const token = 'shpat_0123456789abcdef0123456789abcdef';
    for (const at of [0, WINDOW - 10, WINDOW - OVERLAP - 3, 3 * (WINDOW - OVERLAP) + 1, 50_000]) {
      const text = `${'x '.repeat(Math.ceil(at / 2)).slice(0, at)}${token} ${'y '.repeat(100)}`;
      expect(redactSecrets(text)).not.toContain(token);
    }
  });

  it('is linear by construction: bounded windows, linearly many, covering every credential up to OVERLAP characters', () => {
    for (const length of [0, 1, WINDOW - 1, WINDOW, WINDOW + 1, 1_000_000, 16 * 1024 * 1024]) {
      const windows = windowsOf(length);
      expect(windows.length).toBeLessThanOrEqual(Math.floor(length / (WINDOW - OVERLAP)) + 1);
      for (const [start, end] of windows) expect(end - start).toBeLessThanOrEqual(WINDOW);
      expect(windows[0]?.[0]).toBe(0);
      expect(windows[windows.length - 1]?.[1]).toBe(length);
      // Consecutive windows share OVERLAP characters, so any span of at most OVERLAP lies in one.
      for (let i = 1; i < windows.length; i++)
        expect(
          (windows[i - 1] as [number, number])[1] - (windows[i] as [number, number])[0],
        ).toBeGreaterThanOrEqual(Math.min(OVERLAP, length));
    }
  });
});
