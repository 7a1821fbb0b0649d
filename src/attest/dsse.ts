import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { parseJson } from '../load/json-source.js';
import { SourceError, type ParseLimits } from '../load/parsed-document.js';
import { canonicalJsonFile } from '../core/canonical-json.js';
import { pointerToken } from '../core/json-pointer.js';

/**
 * DSSE (Dead Simple Signing Envelope, v1.0.x): the signature covers PAE(payloadType,
 * payload), never the JSON around it, so the envelope's formatting cannot change what
 * was signed. Keys are ed25519 (RFC 8032), signed with crypto.sign(null, ...).
 * https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 */
export interface DsseSignature {
  /** Which key signed: lowercase hex sha256 of the key's SubjectPublicKeyInfo (DER). A hint, not trusted. */
  keyid: string;
  /** Base64 (standard) ed25519 signature over PAE(payloadType, payload). */
  sig: string;
}

export interface DsseEnvelope {
  /** Base64 (standard) of the payload bytes. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/**
 * Pre-Authentication Encoding, exactly as the DSSE protocol defines it:
 * "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN being the byte length
 * in ASCII decimal without leading zeros, type being UTF-8.
 */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

/** The key id prodgate writes and checks: sha256 of the public key's DER SubjectPublicKeyInfo. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** An ed25519 private key from PEM; anything else cannot sign a prodgate report. */
export function privateKeyFromPem(pem: string | Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `the signing key is not a readable private key in PEM: ${messageOf(thrown)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new CannotEvaluateError(
      `the signing key is ${key.asymmetricKeyType ?? 'not asymmetric'}; prodgate signs with ed25519 keys only`,
    );
  return key;
}

/** An ed25519 public key from PEM (a private key's PEM gives its public half). */
export function publicKeyFromPem(pem: string | Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `the verification key is not a readable public key in PEM: ${messageOf(thrown)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new CannotEvaluateError(
      `the verification key is ${key.asymmetricKeyType ?? 'not asymmetric'}; prodgate reports are signed with ed25519`,
    );
  return key;
}

/** Signs a payload into an envelope with one signature. ed25519 is deterministic: same key and payload, same bytes. */
export function signDsse(
  payloadType: string,
  payload: Buffer,
  privateKey: KeyObject,
): DsseEnvelope {
  const sig = sign(null, pae(payloadType, payload), privateKey);
  return {
    payload: payload.toString('base64'),
    payloadType,
    signatures: [{ keyid: keyIdOf(privateKey), sig: sig.toString('base64') }],
  };
}

/** The envelope file prodgate writes: canonical JSON (deterministic bytes; readers need not care, see readDsse). */
export function renderDsse(envelope: DsseEnvelope): string {
  return canonicalJsonFile(envelope);
}

export type DsseOutcome =
  | { ok: true; payloadType: string; payload: Buffer; keyid: string }
  | { ok: false; problems: string[] };

/** Bounds for reading an envelope or its payload as JSON: generous, a report is large. */
export const ENVELOPE_PARSE_LIMITS: ParseLimits = {
  maxDepth: 64,
  maxNodes: 2_000_000,
  maxAliases: 0,
  maxStringLength: 64 * 1024 * 1024,
};

/**
 * Checks an envelope against one public key, offline, as the DSSE protocol defines
 * verification: what is signed is PAE(payloadType, payload), never the JSON around
 * it, so any well-formed envelope verifies whoever wrote it (Go's encoding/json puts
 * payloadType first, other writers indent or add fields). Well-formed means: a JSON
 * object without duplicate keys, nor keys equal under case folding at any level (two
 * parsers must not read two different payloads: Go's encoding/json matches field names
 * case-insensitively, `Payload` and `ſignatures` included, and keeps the last),
 * a string payloadType, a canonical base64 payload, and a non-empty list of
 * signatures each with a string `sig` and an optional string `keyid`. Fields beyond
 * those are never read. The key id is an unauthenticated hint (protocol.md), so
 * every signature is tried with this key. The payload is returned only when a
 * signature by this key verifies.
 */
export function readDsse(text: string, publicKey: KeyObject): DsseOutcome {
  let value: unknown;
  try {
    value = parseJson(text, ENVELOPE_PARSE_LIMITS).value;
  } catch (thrown) {
    const at =
      thrown instanceof SourceError ? ` at ${thrown.position.line}:${thrown.position.column}` : '';
    return fail(`the envelope is not valid JSON (${messageOf(thrown)}${at})`);
  }
  const clash = caseFoldedKeyClash(value, ENVELOPE_FIELDS);
  if (clash) return fail(`the envelope is not a DSSE envelope: ${clash}`);
  const shape = envelopeProblem(value);
  if (shape) return fail(`the envelope is not a DSSE envelope: ${shape}`);
  const envelope = value as DsseEnvelope;
  const payload = strictBase64(envelope.payload);
  if (!payload) return fail('the envelope payload is not canonical base64');
  const wanted = keyIdOf(publicKey);
  const message = pae(envelope.payloadType, payload);
  const valid = envelope.signatures.some((s) => {
    const sig = strictBase64(s.sig);
    return sig !== undefined && verify(null, message, publicKey, sig);
  });
  if (!valid) {
    const hinted = envelope.signatures.some((s) => s.keyid === wanted);
    return fail(
      hinted
        ? `the envelope signature by the key ${wanted} does not verify: the payload, its type or the signature was altered`
        : `the envelope has no signature by the key ${wanted} that verifies (key ids given: ${envelope.signatures.map((s) => s.keyid || '(none)').join(', ')})`,
    );
  }
  return { ok: true, payloadType: envelope.payloadType, payload, keyid: wanted };
}

function fail(...problems: string[]): DsseOutcome {
  return { ok: false, problems };
}

/** The most signatures an envelope may carry: each costs a verification. */
const MAX_SIGNATURES = 64;

function envelopeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (typeof e['payload'] !== 'string') return 'payload must be a string';
  if (typeof e['payloadType'] !== 'string') return 'payloadType must be a string';
  const sigs = e['signatures'];
  if (!Array.isArray(sigs) || sigs.length === 0) return 'signatures must be a non-empty list';
  if (sigs.length > MAX_SIGNATURES) return `more than ${MAX_SIGNATURES} signatures`;
  for (const [i, s] of sigs.entries()) {
    if (s === null || typeof s !== 'object' || Array.isArray(s))
      return `signatures/${i} is not an object`;
    const sig = s as Record<string, unknown>;
    if (typeof sig['sig'] !== 'string') return `signatures/${i}/sig must be a string`;
    if (sig['keyid'] !== undefined && typeof sig['keyid'] !== 'string')
      return `signatures/${i}/keyid must be a string`;
  }
  return undefined;
}

/**
 * Base64 decoding that refuses anything but a canonical spelling (standard or
 * URL-safe alphabet, padded or not, as DSSE allows): Node's decoder skips stray characters and
 * ignores padding bits, so two different texts could otherwise decode the same.
 */
export function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const standard = bytes.toString('base64');
  const urlSafe = bytes.toString('base64url');
  const urlSafePadded = standard.replace(/\+/g, '-').replace(/\//g, '_');
  const standardUnpadded = standard.replace(/=+$/, '');
  return text === standard ||
    text === urlSafe ||
    text === urlSafePadded ||
    text === standardUnpadded
    ? bytes
    : undefined;
}

/** The envelope's fields (DSSE envelope.md), as prodgate and every other reader spell them. */
const ENVELOPE_FIELDS = ['payload', 'payloadType', 'signatures', 'sig', 'keyid'] as const;

/**
 * Go's encoding/json matches a JSON key to a struct field by simple Unicode case folding
 * (bytes.EqualFold: `PAYLOAD`, `ſignatures` with U+017F, `\u212Aeyid` with the Kelvin sign)
 * and keeps the last match. This fold maps every key Go could match to the same string (it
 * may fold a few more, such as `ß` to `ss`, which only refuses more).
 */
export function foldKey(key: string): string {
  return key.toUpperCase().toLowerCase();
}

/**
 * The first place in a JSON value where one object holds two keys equal under case
 * folding, or a key that folds to one of `fields` without being spelled as it is (a
 * reader matching case-insensitively would read it as that field, prodgate would not),
 * described with its JSON pointer; undefined when there is none. Walks every level down
 * to `depth` (1: the value's own keys only; a map keyed by data is not matched by folding).
 */
export function caseFoldedKeyClash(
  value: unknown,
  fields: readonly string[] = [],
  depth = Infinity,
): string | undefined {
  const known = new Map(fields.map((f) => [foldKey(f), f]));
  const stack: Array<{ value: unknown; pointer: string; level: number }> = [
    { value, pointer: '', level: 1 },
  ];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object' || next.level > depth) continue;
    const seen = new Map<string, string>();
    for (const [key, child] of Object.entries(next.value)) {
      const folded = foldKey(key);
      const where = `${next.pointer}/${pointerToken(key)}`;
      const earlier = seen.get(folded);
      if (earlier !== undefined)
        return `the keys ${JSON.stringify(earlier)} and ${JSON.stringify(key)} at ${next.pointer || '/'} are equal under case folding (a reader matching keys case-insensitively would read either)`;
      const field = known.get(folded);
      if (field !== undefined && field !== key)
        return `the key ${JSON.stringify(key)} at ${where} is ${field} under case folding, spelled otherwise`;
      seen.set(folded, key);
      stack.push({ value: child, pointer: where, level: next.level + 1 });
    }
  }
  return undefined;
}
