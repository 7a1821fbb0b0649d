// DSSE signing and the in-toto statement, checked against the spec's own vector and
// against openssl, a second ed25519 implementation.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import {
  attestationFileName,
  buildStatement,
  IN_TOTO_PAYLOAD_TYPE,
  openAttestation,
  signEvaluation,
  STATEMENT_TYPE,
  VERDICT_PREDICATE_TYPE,
} from '../../src/attest/attestation.ts';
import { canonicalJson, canonicalJsonFile } from '../../src/core/canonical-json.ts';
import { sha256 } from '../../src/core/digest.ts';
import {
  keyIdOf,
  pae,
  privateKeyFromPem,
  publicKeyFromPem,
  readDsse,
  renderDsse,
  signDsse,
  strictBase64,
  type DsseEnvelope,
} from '../../src/attest/dsse.ts';
import type { VerifiableReport } from '../../src/verify/report-file.ts';
import { cleanupTmp, makeTmp } from '../support/helpers.ts';
import { copyRepo, generateKeyPair, writeOutputs, type KeyPair } from '../support/outputs.ts';

afterAll(cleanupTmp);

let key: KeyPair;
let other: KeyPair;
beforeAll(async () => {
  [key, other] = await Promise.all([generateKeyPair(), generateKeyPair()]);
});

describe('PAE', () => {
  it('matches the DSSE protocol example', () => {
    // protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters', () => {
    expect(pae('t/ü', Buffer.from('€')).toString('utf8')).toBe('DSSEv1 4 t/ü 3 €');
    expect(pae('', Buffer.alloc(0)).toString()).toBe('DSSEv1 0  0 ');
  });
});

describe('signDsse / readDsse', () => {
  const payload = Buffer.from('{"hello":"world"}');

  it('signs over PAE, as openssl verifies independently', async () => {
    const envelope = signDsse(IN_TOTO_PAYLOAD_TYPE, payload, privateKeyFromPem(key.privatePem));
    const dir = await makeTmp();
    await writeFile(join(dir, 'pae.bin'), pae(IN_TOTO_PAYLOAD_TYPE, payload));
    await writeFile(join(dir, 'sig.bin'), Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'));
    const run = await execa(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        key.publicPath,
        '-rawin',
        '-in',
        join(dir, 'pae.bin'),
        '-sigfile',
        join(dir, 'sig.bin'),
      ],
      { reject: false },
    );
    expect(run.stdout, run.stderr).toMatch(/Signature Verified Successfully/);
    // and a signature over the bare payload (no PAE) is not what DSSE signs
    await writeFile(join(dir, 'payload.bin'), payload);
    const bare = await execa(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        key.publicPath,
        '-rawin',
        '-in',
        join(dir, 'payload.bin'),
        '-sigfile',
        join(dir, 'sig.bin'),
      ],
      { reject: false },
    );
    expect(bare.exitCode).not.toBe(0);
  });

  it('verifies a signature openssl made over PAE', async () => {
    const dir = await makeTmp();
    await writeFile(join(dir, 'pae.bin'), pae(IN_TOTO_PAYLOAD_TYPE, payload));
    await execa('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      key.privatePath,
      '-rawin',
      '-in',
      join(dir, 'pae.bin'),
      '-out',
      join(dir, 'sig.bin'),
    ]);
    const sig = (await readFile(join(dir, 'sig.bin'))).toString('base64');
    const publicKey = publicKeyFromPem(key.publicPem);
    const text = canonicalJsonFile({
      payload: payload.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ keyid: keyIdOf(publicKey), sig }],
    });
    expect(readDsse(text, publicKey)).toEqual({
      ok: true,
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      payload,
      keyid: keyIdOf(publicKey),
    });
  });

  it('is deterministic, and names the key by the sha256 of its public key', () => {
    const privateKey = privateKeyFromPem(key.privatePem);
    expect(renderDsse(signDsse('t', payload, privateKey))).toBe(
      renderDsse(signDsse('t', payload, privateKey)),
    );
    const der = createPublicKey(key.publicPem).export({ type: 'spki', format: 'der' });
    expect(keyIdOf(privateKey)).toBe(sha256(der));
    expect(keyIdOf(publicKeyFromPem(key.publicPem))).toBe(sha256(der));
  });

  it('rejects another key, another payload type and another payload', () => {
    const envelope = signDsse('t', payload, privateKeyFromPem(key.privatePem));
    const publicKey = publicKeyFromPem(key.publicPem);
    const otherKey = publicKeyFromPem(other.publicPem);
    expect(readDsse(renderDsse(envelope), otherKey)).toEqual({
      ok: false,
      problems: [expect.stringMatching(/no signature by the key/)],
    });
    // another key's id but this key's signature: the id is an unauthenticated hint
    // (DSSE protocol.md), other implementations spell it their own way: the signature decides
    const relabelled: DsseEnvelope = {
      ...envelope,
      signatures: [{ keyid: keyIdOf(otherKey), sig: envelope.signatures[0]?.sig ?? '' }],
    };
    expect(readDsse(renderDsse(relabelled), publicKey)).toMatchObject({
      ok: true,
      keyid: keyIdOf(publicKey),
    });
    expect(readDsse(renderDsse(relabelled), otherKey).ok).toBe(false);
    expect(readDsse(renderDsse({ ...envelope, payloadType: 'u' }), publicKey)).toEqual({
      ok: false,
      problems: [expect.stringMatching(/does not verify/)],
    });
    expect(
      readDsse(
        renderDsse({ ...envelope, payload: Buffer.from('{"hello":"World"}').toString('base64') }),
        publicKey,
      ),
    ).toEqual({
      ok: false,
      problems: [expect.stringMatching(/does not verify/)],
    });
  });

  it('verifies any well-formed envelope (the signature covers PAE, not the JSON), and refuses malformed ones', () => {
    const envelope = signDsse('t', payload, privateKeyFromPem(key.privatePem));
    const publicKey = publicKeyFromPem(key.publicPem);
    expect(readDsse(renderDsse(envelope), publicKey).ok).toBe(true);
    expect(readDsse(JSON.stringify(envelope, null, 2), publicKey).ok).toBe(true);
    expect(readDsse(renderDsse({ ...envelope, extra: 1 } as DsseEnvelope), publicKey).ok).toBe(
      true,
    );
    expect(
      readDsse(renderDsse({ ...envelope, payload: 1 } as unknown as DsseEnvelope), publicKey),
    ).toEqual({ ok: false, problems: [expect.stringMatching(/payload must be a string/)] });
    expect(readDsse(renderDsse({ ...envelope, signatures: [] }), publicKey).ok).toBe(false);
    expect(readDsse('not json', publicKey).ok).toBe(false);
  });

  // Go's encoding/json matches keys by case folding and keeps the last: an envelope with
  // `payload` and `Payload` would verify as two different statements (attack on issue 10).
  it('refuses keys equal under case folding, or a field spelled in another case, at every level of the envelope', () => {
    const privateKey = privateKeyFromPem(key.privatePem);
    const publicKey = publicKeyFromPem(key.publicPem);
    const envelope = signDsse('t', payload, privateKey);
    const other = signDsse('t', Buffer.from('{"hello":"mallory"}'), privateKey);
    const [signature] = envelope.signatures;
    const variants: Array<[string, Record<string, unknown>]> = [
      ['payload and Payload', { ...envelope, Payload: other.payload }],
      ['payload and PAYLOAD', { ...envelope, PAYLOAD: other.payload }],
      ['payloadType and payloadtype', { ...envelope, payloadtype: 'u' }],
      ['signatures and Signatures', { ...envelope, Signatures: other.signatures }],
      ['signatures with U+017F', { ...envelope, '\u017Fignatures': other.signatures }],
      [
        'only Payload',
        {
          payloadType: envelope.payloadType,
          Payload: envelope.payload,
          signatures: envelope.signatures,
        },
      ],
      [
        'sig and SIG',
        { ...envelope, signatures: [{ ...signature, SIG: other.signatures[0]?.sig }] },
      ],
      ['keyid and KeyId', { ...envelope, signatures: [{ ...signature, keyid: 'a', KeyId: 'b' }] }],
      [
        'keyid with the Kelvin sign',
        { ...envelope, signatures: [{ ...signature, '\u212Aeyid': 'b' }] },
      ],
      ['two unknown keys', { ...envelope, extra: 1, EXTRA: 2 }],
      ['nested unknown keys', { ...envelope, extra: { a: 1, A: 2 } }],
    ];
    const outcomes = variants.map(
      ([label, v]) => [label, readDsse(JSON.stringify(v), publicKey)] as const,
    );
    for (const [label, outcome] of outcomes) {
      expect(outcome, label).toEqual({
        ok: false,
        problems: [expect.stringMatching(/case folding/)],
      });
    }
    expect(readDsse(JSON.stringify({ ...envelope, extra: { a: 1, b: 2 } }), publicKey).ok).toBe(
      true,
    );
  });

  it('decodes only canonical base64', () => {
    expect(strictBase64('aGk=')).toEqual(Buffer.from('hi'));
    expect(strictBase64('aGk')).toEqual(Buffer.from('hi')); // URL-safe, unpadded
    expect(strictBase64('-_8=')).toEqual(Buffer.from([0xfb, 0xff]));
    for (const bad of ['aGl=', 'aGk!', 'a Gk=', 'aGk==', 'aG=k'])
      expect(strictBase64(bad), bad).toBeUndefined();
  });

  it('refuses keys that are not ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      privateKeyFromPem(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })),
    ).toThrow(CannotEvaluateError);
    expect(() => publicKeyFromPem(rsa.publicKey.export({ type: 'spki', format: 'pem' }))).toThrow(
      /ed25519/,
    );
    expect(() =>
      privateKeyFromPem('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n'),
    ).toThrow(CannotEvaluateError);
  });
});

describe('the signed in-toto statement', () => {
  let report: VerifiableReport;
  let envelopeText: string;
  let checklist: string;

  beforeAll(async () => {
    const repo = await copyRepo('prod');
    const written = await writeOutputs({
      evidenceDir: repo.evidenceDir,
      repoRoot: repo.root,
      outDir: await makeTmp(),
      privateKeyPem: key.privatePem,
    });
    report = written.report;
    envelopeText = await readFile(written.envelopePath as string, 'utf8');
    checklist = await readFile(written.checklistPath, 'utf8');
  });

  it('is an in-toto Statement v1 about the evidence files and the checklist, with the report as predicate', () => {
    const opened = openAttestation(envelopeText, publicKeyFromPem(key.publicPem));
    if (!opened.ok) throw new Error(opened.problems.join('; '));
    const { statement } = opened;
    expect(statement._type).toBe(STATEMENT_TYPE);
    expect(statement.predicateType).toBe(VERDICT_PREDICATE_TYPE);
    expect(canonicalJson(statement.predicate)).toBe(canonicalJson(report));
    expect(statement.subject).toEqual([
      ...report.provenance.evidence.files.map((f) => ({
        name: `evidence/${f.path}`,
        digest: { sha256: f.sha256 },
      })),
      { name: 'P4_PROD_READINESS_CHECKLIST_prod.md', digest: { sha256: sha256(checklist) } },
    ]);
    const envelope = JSON.parse(envelopeText) as DsseEnvelope;
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(Buffer.from(envelope.payload, 'base64').toString('utf8')).toBe(canonicalJson(statement));
  });

  it('signEvaluation is a pure function of report, checklist and key', () => {
    const again = signEvaluation({
      report,
      checklist: { name: 'P4_PROD_READINESS_CHECKLIST_prod.md', content: checklist },
      privateKeyPem: key.privatePem,
    });
    expect(again).toBe(envelopeText);
    expect(attestationFileName('prod')).toBe('P4_PROD_READINESS_ATTESTATION_prod.dsse.json');
  });

  it('leaves unreadable evidence files out of the subjects', () => {
    const unreadable = {
      ...report,
      provenance: {
        ...report.provenance,
        evidence: { ...report.provenance.evidence, files: [{ path: 'big.yaml', sha256: '' }] },
      },
    };
    expect(
      buildStatement(unreadable, { name: 'c.md', content: 'x' }).subject.map((s) => s.name),
    ).toEqual(['c.md']);
  });

  it('is refused with the wrong key or a wrong statement type', () => {
    expect(openAttestation(envelopeText, publicKeyFromPem(other.publicPem)).ok).toBe(false);
    const privateKey = privateKeyFromPem(key.privatePem);
    const wrongType = renderDsse(
      signDsse(
        'application/json',
        Buffer.from(canonicalJson({ _type: STATEMENT_TYPE })),
        privateKey,
      ),
    );
    expect(openAttestation(wrongType, publicKeyFromPem(key.publicPem))).toEqual({
      ok: false,
      problems: [expect.stringMatching(/payloadType/)],
    });
    const wrongPredicate = renderDsse(
      signDsse(
        IN_TOTO_PAYLOAD_TYPE,
        Buffer.from(
          canonicalJson({
            _type: STATEMENT_TYPE,
            subject: [],
            predicateType: 'https://slsa.dev/provenance/v1',
            predicate: {},
          }),
        ),
        privateKey,
      ),
    );
    expect(openAttestation(wrongPredicate, publicKeyFromPem(key.publicPem))).toEqual({
      ok: false,
      problems: [expect.stringMatching(/predicateType/)],
    });
  });

  it('refuses a signed statement whose fields or subjects hold keys equal under case folding', () => {
    const privateKey = privateKeyFromPem(key.privatePem);
    const statement = JSON.parse(
      Buffer.from((JSON.parse(envelopeText) as DsseEnvelope).payload, 'base64').toString('utf8'),
    ) as Record<string, unknown>;
    const [first] = statement['subject'] as Array<Record<string, unknown>>;
    const edited = [
      { ...statement, PredicateType: 'https://slsa.dev/provenance/v1' },
      { ...statement, Subject: [] },
      { ...statement, subject: [{ ...first, Name: 'other.md' }] },
    ];
    for (const e of edited) {
      const text = renderDsse(
        signDsse(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(e)), privateKey),
      );
      expect(openAttestation(text, publicKeyFromPem(key.publicPem))).toEqual({
        ok: false,
        problems: [expect.stringMatching(/case folding/)],
      });
    }
  });
});
