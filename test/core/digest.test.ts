// Digests of evidence: exact values, so that a changed digest rule shows (a sign-off and
// verify compare these months later).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bundleDigest,
  bundleDigestWithout,
  evidenceDigestInput,
  sha256,
  textSha256,
} from '../../src/core/digest.ts';

/** Independent of the code under test: node's hash of the given text. */
function reference(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'latin1')).digest('hex');
}

describe('sha256 and textSha256', () => {
  it('is sha256sum of the bytes', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(Buffer.from(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it.each([
    ['LF only', 'a\nb\n', 'a\nb\n'],
    ['CRLF', 'a\r\nb\r\n', 'a\nb\n'],
    ['a lone CR, kept', 'a\rb\r\n', 'a\rb\n'],
    ['CR CR LF: the first CR kept', 'a\r\r\nb', 'a\r\nb'],
    ['a CR at the end, kept', 'a\r\nb\r', 'a\nb\r'],
    ['CRLF first', '\r\nx', '\nx'],
    ['only CRs', '\r\r', '\r\r'],
  ])('reads %s as its LF form', (_name, text, asRead) => {
    expect(textSha256(Buffer.from(text, 'latin1'))).toBe(reference(asRead));
  });
});

describe('bundleDigest', () => {
  const files = [
    { path: 'z.yaml', sha256: '22'.repeat(32) },
    { path: 'a.yaml', sha256: '11'.repeat(32) },
  ];

  it('is sha256 of the sorted sha256sum lines', () => {
    expect(bundleDigest(files)).toBe(
      reference(`${'11'.repeat(32)}  a.yaml\n${'22'.repeat(32)}  z.yaml\n`),
    );
    expect(bundleDigest([...files].reverse())).toBe(bundleDigest(files));
    expect(bundleDigest([])).toBe(reference(''));
  });

  it('leaves out the excluded file, and nothing when none is named', () => {
    expect(bundleDigestWithout(files, 'z.yaml')).toBe(reference(`${'11'.repeat(32)}  a.yaml\n`));
    expect(bundleDigestWithout(files, undefined)).toBe(bundleDigest(files));
    expect(bundleDigestWithout(files, 'other.yaml')).toBe(bundleDigest(files));
  });

  it('gives each kind its file digest and the digest of every other file, in kind order', () => {
    const input = evidenceDigestInput(files, {
      zeta: { file: 'z.yaml' },
      alpha: { file: 'a.yaml' },
      lost: { file: 'gone.yaml' },
    });
    expect(Object.keys(input.digests)).toEqual(['alpha', 'lost', 'zeta']);
    expect(input.digests).toEqual({ alpha: '11'.repeat(32), lost: '', zeta: '22'.repeat(32) });
    expect(input.bundle_digest_without).toEqual({
      alpha: bundleDigestWithout(files, 'a.yaml'),
      lost: bundleDigest(files),
      zeta: bundleDigestWithout(files, 'z.yaml'),
    });
    expect(Object.keys(input.bundle_digest_without)).toEqual(['alpha', 'lost', 'zeta']);
  });
});
