// DSSE interoperability with an independent implementation, both ways: the Go reference
// package github.com/secure-systems-lab/go-securesystemslib/dsse, built from the Go module
// proxy with pinned go.mod/go.sum (tools/dsse, scripts/setup-dsse.sh). prodgate's envelopes
// verify there, and envelopes signed there (Go's encoding/json writes payloadType first)
// verify in prodgate, down to `prodgate verify --key` of a real evaluation. The tool is
// built here when missing: a machine without Go fails this test, it never skips.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IN_TOTO_PAYLOAD_TYPE,
  attestationFileName,
  openAttestation,
} from '../../src/attest/attestation.ts';
import {
  keyIdOf,
  privateKeyFromPem,
  publicKeyFromPem,
  readDsse,
  renderDsse,
  signDsse,
  type DsseEnvelope,
} from '../../src/attest/dsse.ts';
import { AS_OF, cleanupTmp, makeTmp, REPO_ROOT, runCli } from '../support/helpers.ts';
import { copyRepo, generateKeyPair, type KeyPair } from '../support/outputs.ts';

afterAll(cleanupTmp);

const TOOL = join(REPO_ROOT, 'tools/dsse/bin/dsse-interop');
const REPORT = 'P4_PROD_READINESS_REPORT_prod.json';

let key: KeyPair;
let other: KeyPair;

beforeAll(async () => {
  const setup = await execa('bash', [join(REPO_ROOT, 'scripts/setup-dsse.sh')], {
    reject: false,
    all: true,
  });
  if (setup.exitCode !== 0)
    throw new Error(`scripts/setup-dsse.sh failed (exit ${setup.exitCode}): ${setup.all}`);
  [key, other] = await Promise.all([generateKeyPair(), generateKeyPair()]);
}, 600_000);

/** Go verifies an envelope with a public key: the payload when it verifies. */
async function goVerify(
  envelope: string,
  publicPath: string,
): Promise<{ ok: boolean; payload: Buffer; stderr: string }> {
  const run = await execa(TOOL, ['verify', publicPath], {
    input: envelope,
    reject: false,
    encoding: 'buffer',
  });
  return {
    ok: run.exitCode === 0,
    payload: Buffer.from(run.stdout),
    stderr: Buffer.from(run.stderr).toString('utf8'),
  };
}

/** Go signs a payload with a private key into an envelope (encoding/json's field order). */
async function goSign(
  payload: Buffer,
  payloadType: string,
  keyPair: KeyPair,
  keyid?: string,
): Promise<string> {
  const keyidArg = keyid ?? keyIdOf(publicKeyFromPem(keyPair.publicPem));
  const run = await execa(TOOL, ['sign', keyPair.privatePath, payloadType, keyidArg], {
    input: payload,
  });
  return run.stdout;
}

describe('prodgate envelopes verify in the Go reference implementation', () => {
  it('a signed payload verifies there with the key, and the payload comes back byte for byte', async () => {
    const payload = Buffer.from('{"hello":"wörld"}');
    const envelope = renderDsse(
      signDsse('application/vnd.example+json', payload, privateKeyFromPem(key.privatePem)),
    );
    const verified = await goVerify(envelope, key.publicPath);
    expect(verified.stderr).toBe('');
    expect(verified.ok).toBe(true);
    expect(verified.payload.equals(payload)).toBe(true);
  });

  it('Go reads keys by case folding and keeps the last, so prodgate refuses such envelopes rather than read another payload', async () => {
    const privateKey = privateKeyFromPem(key.privatePem);
    const honest = signDsse('t', Buffer.from('{"ok":true}'), privateKey);
    const forged = signDsse('t', Buffer.from('{"ok":false}'), privateKey);
    const texts = [
      JSON.stringify({ ...honest, Payload: forged.payload, Signatures: forged.signatures }),
      JSON.stringify({ ...honest, PAYLOAD: forged.payload, SIGNATURES: forged.signatures }),
      JSON.stringify({
        payloadType: 't',
        payload: honest.payload,
        signatures: honest.signatures,
        ſignatures: forged.signatures,
        PAYLOAD: forged.payload,
      }),
    ];
    for (const text of texts) {
      const there = await goVerify(text, key.publicPath);
      expect(there.ok, `${text.slice(0, 30)} ${there.stderr}`).toBe(true);
      expect(there.payload.toString()).toBe('{"ok":false}');
      expect(readDsse(text, publicKeyFromPem(key.publicPem))).toEqual({
        ok: false,
        problems: [expect.stringMatching(/case folding/)],
      });
    }
  });

  it('and does not verify there with another key, or once the payload is changed', async () => {
    const envelope = signDsse('t', Buffer.from('payload'), privateKeyFromPem(key.privatePem));
    expect((await goVerify(renderDsse(envelope), other.publicPath)).ok).toBe(false);
    const changed: DsseEnvelope = {
      ...envelope,
      payload: Buffer.from('payloaD').toString('base64'),
    };
    expect((await goVerify(renderDsse(changed), key.publicPath)).ok).toBe(false);
    expect((await goVerify(renderDsse({ ...envelope, payloadType: 'u' }), key.publicPath)).ok).toBe(
      false,
    );
  });

  it('the attestation `evaluate --sign-key` writes verifies there, and its payload is the in-toto statement', async () => {
    const repo = await copyRepo('prod');
    const out = await makeTmp('prodgate-interop-out-');
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      repo.evidenceDir,
      '--repo-root',
      repo.root,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
      '--sign-key',
      key.privatePath,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const verified = await goVerify(
      await readFile(join(out, attestationFileName('prod')), 'utf8'),
      key.publicPath,
    );
    expect(verified.ok, verified.stderr).toBe(true);
    const statement = JSON.parse(verified.payload.toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicate.verdict).toBe('GO');
  });
});

describe('envelopes signed by the Go reference implementation verify in prodgate', () => {
  it('a Go envelope (payloadType first, as encoding/json writes it) verifies, with the payload intact', async () => {
    const payload = Buffer.from('{"statement":"signed in Go","n":1}');
    const envelope = await goSign(payload, 'application/vnd.example+json', key);
    expect(envelope.startsWith('{"payloadType":')).toBe(true);
    const read = readDsse(envelope, publicKeyFromPem(key.publicPem));
    expect(read).toEqual({
      ok: true,
      payloadType: 'application/vnd.example+json',
      payload,
      keyid: keyIdOf(publicKeyFromPem(key.publicPem)),
    });
  });

  it('a Go envelope with an empty or a foreign key id (an unauthenticated hint) verifies by its signature', async () => {
    const payload = Buffer.from('x');
    for (const keyid of ['', 'SHA256:some-other-fingerprint']) {
      const envelope = await goSign(payload, 't', key, keyid);
      expect(readDsse(envelope, publicKeyFromPem(key.publicPem)).ok, keyid).toBe(true);
      expect(readDsse(envelope, publicKeyFromPem(other.publicPem)).ok, keyid).toBe(false);
    }
  });

  it('a Go envelope whose payload or type was changed does not verify in prodgate', async () => {
    const envelope = JSON.parse(await goSign(Buffer.from('{"a":1}'), 't', key)) as DsseEnvelope;
    const publicKey = publicKeyFromPem(key.publicPem);
    expect(
      readDsse(
        JSON.stringify({ ...envelope, payload: Buffer.from('{"a":2}').toString('base64') }),
        publicKey,
      ).ok,
    ).toBe(false);
    expect(readDsse(JSON.stringify({ ...envelope, payloadType: 'u' }), publicKey).ok).toBe(false);
  });

  it('`prodgate verify --key` accepts a real evaluation attested by Go over the same statement', async () => {
    const repo = await copyRepo('prod');
    const out = await makeTmp('prodgate-interop-out-');
    const evaluate = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      repo.evidenceDir,
      '--repo-root',
      repo.root,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
      '--sign-key',
      key.privatePath,
    ]);
    expect(evaluate.exitCode, evaluate.stderr).toBe(0);
    const envelopePath = join(out, attestationFileName('prod'));
    const ours = JSON.parse(await readFile(envelopePath, 'utf8')) as DsseEnvelope;
    const statement = Buffer.from(ours.payload, 'base64');
    const theirs = await goSign(statement, IN_TOTO_PAYLOAD_TYPE, key);
    expect(theirs).not.toBe(await readFile(envelopePath, 'utf8'));
    await writeFile(envelopePath, theirs);
    const opened = openAttestation(theirs, publicKeyFromPem(key.publicPem));
    expect(opened.ok).toBe(true);

    const verify = await runCli(
      [
        'verify',
        join(out, REPORT),
        '--evidence',
        repo.evidenceDir,
        '--repo-root',
        repo.root,
        '--key',
        key.publicPath,
      ],
      { cwd: repo.root },
    );
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/signed by [0-9a-f]{64}/);

    // The same envelope with another key: refused, naming the envelope.
    const wrongKey = await runCli(
      [
        'verify',
        join(out, REPORT),
        '--evidence',
        repo.evidenceDir,
        '--repo-root',
        repo.root,
        '--key',
        other.publicPath,
      ],
      { cwd: repo.root },
    );
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.stdout).toMatch(/does not verify/);
  });
});

describe('any well-formed envelope verifies: what is signed is the PAE, not the JSON around it', () => {
  const payload = Buffer.from('{"a":[1,2,3]}');
  let envelope: DsseEnvelope;
  beforeAll(() => {
    envelope = signDsse('application/vnd.in-toto+json', payload, privateKeyFromPem(key.privatePem));
  });
  const forms: [string, (e: DsseEnvelope) => string][] = [
    [
      'fields in another order',
      (e) =>
        JSON.stringify({
          signatures: e.signatures,
          payloadType: e.payloadType,
          payload: e.payload,
        }),
    ],
    ['indented, with CRLF line ends', (e) => JSON.stringify(e, null, 2).replace(/\n/g, '\r\n')],
    [
      'signature fields in another order',
      (e) =>
        JSON.stringify({
          ...e,
          signatures: e.signatures.map((s) => ({ sig: s.sig, keyid: s.keyid })),
        }),
    ],
    [
      'no key id',
      (e) => JSON.stringify({ ...e, signatures: e.signatures.map((s) => ({ sig: s.sig })) }),
    ],
    [
      'a second, foreign signature first',
      (e) =>
        JSON.stringify({
          ...e,
          signatures: [
            { keyid: 'other', sig: Buffer.alloc(64, 1).toString('base64') },
            ...e.signatures,
          ],
        }),
    ],
    [
      'URL-safe base64',
      (e) =>
        JSON.stringify({ ...e, payload: Buffer.from(e.payload, 'base64').toString('base64url') }),
    ],
    [
      'unpadded standard base64',
      (e) => JSON.stringify({ ...e, payload: e.payload.replace(/=+$/, '') }),
    ],
    [
      'fields DSSE does not define (never read)',
      (e) =>
        JSON.stringify({
          ...e,
          comment: 'x',
          signatures: e.signatures.map((s) => ({ ...s, cert: '' })),
        }),
    ],
    [
      'escaped characters in strings',
      (e) =>
        JSON.stringify(e).replace(
          '"payloadType":"application/vnd.in-toto+json"',
          '"payloadType":"application\\/vnd.in-toto+json"',
        ),
    ],
  ];
  for (const [name, form] of forms) {
    it(name, () => {
      const text = form(envelope);
      expect(text).not.toBe(renderDsse(envelope));
      expect(readDsse(text, publicKeyFromPem(key.publicPem))).toMatchObject({ ok: true, payload });
    });
  }

  it('a duplicate key is refused: two readers must not see two payloads', () => {
    const text = renderDsse(envelope).replace(
      '{"payload":',
      `{"payload":"${Buffer.from('{}').toString('base64')}","payload":`,
    );
    expect(readDsse(text, publicKeyFromPem(key.publicPem))).toEqual({
      ok: false,
      problems: [expect.stringMatching(/duplicate key "payload"/)],
    });
  });
});
