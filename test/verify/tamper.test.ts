// Tamper suite: one byte changed in an evidence file, in a pack file (policy.wasm above
// all), in the report or in what the envelope signs is caught by verify, every time, and
// the difference names the part. Flip positions come from a seeded generator, so every run
// flips the same bytes; the first and last byte of each file are always among them.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAttestation } from '../../src/attest/attestation.ts';
import { publicKeyFromPem } from '../../src/attest/dsse.ts';
import {
  verifyReport,
  type VerifyOptions,
  type VerifyPart,
  type VerifyResult,
} from '../../src/verify/verify.ts';
import { renderVerifyText } from '../../src/verify/verify-render.ts';
import { cleanupTmp, copyPack, makeTmp, REPO_ROOT } from '../support/helpers.ts';
import {
  copyRepo,
  flipped,
  generateKeyPair,
  MASKS,
  positions,
  prng,
  writeOutputs,
  type KeyPair,
  type WrittenOutputs,
} from '../support/outputs.ts';

afterAll(cleanupTmp);

const CI_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SHA: '3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a',
  GITHUB_RUN_ID: '1234567890',
  GITHUB_ACTOR: 'release-bot',
};

let key: KeyPair;
let pack: string;
let repo: { root: string; evidenceDir: string };
/** Signed, with a CI context. */
let signed: WrittenOutputs;
/** Unsigned, without a CI context (which only a signature can vouch for). */
let plain: WrittenOutputs;

beforeAll(async () => {
  [key, pack, repo] = await Promise.all([generateKeyPair(), copyPack(), copyRepo('prod')]);
  const common = { evidenceDir: repo.evidenceDir, repoRoot: repo.root, packDir: pack };
  signed = await writeOutputs({
    ...common,
    outDir: await makeTmp('prodgate-signed-'),
    privateKeyPem: key.privatePem,
    processEnv: CI_ENV,
  });
  plain = await writeOutputs({ ...common, outDir: await makeTmp('prodgate-plain-') });
});

function verify(outputs: WrittenOutputs, withKey: boolean): Promise<VerifyResult> {
  const options: VerifyOptions = {
    reportPath: outputs.reportPath,
    evidenceDir: repo.evidenceDir,
    repoRoot: repo.root,
    packDir: pack,
  };
  return verifyReport(withKey ? { ...options, publicKeyPem: key.publicPem } : options);
}

/** The differences verify found in one part. */
function differencesIn(result: VerifyResult, part: VerifyPart): string[] {
  return result.findings.filter((f) => f.code === part).map((f) => f.message);
}

/** Flips one byte of a file, runs `check`, and puts the byte back whatever happens. */
async function withFlip<T>(
  path: string,
  position: number,
  mask: number,
  check: () => Promise<T>,
): Promise<T> {
  const original = await readFile(path);
  await writeFile(path, flipped(original, position, mask));
  try {
    return await check();
  } finally {
    await writeFile(path, original);
  }
}

/** Flip cases for a file of the repository: [label, position, mask], the same on every run. */
function cases(path: string, count: number, seed: number): [string, number, number][] {
  const size = readFileSync(path).length;
  return positions(size, count, seed).map((p, i) => [
    `byte ${p} of ${size}`,
    p,
    MASKS[(seed + i) % MASKS.length] as number,
  ]);
}

it('the untouched outputs verify, signed and unsigned', async () => {
  for (const [outputs, withKey] of [
    [signed, true],
    [plain, false],
  ] as const) {
    const result = await verify(outputs, withKey);
    expect(result.verified, renderVerifyText(result)).toBe(true);
    const states = Object.fromEntries(result.checks.map((c) => [c.part, c.state]));
    expect(states).toEqual({
      report: 'ok',
      tool: 'ok',
      pack: 'ok',
      evidence: 'ok',
      're-evaluation': 'ok',
      checklist: 'ok',
      ...(withKey ? { signature: 'ok' } : {}),
    });
  }
});

// Every evidence file and every artifact (artifacts/...): a flipped byte in a test report is caught too.
// (configuration files under artifacts/config/ too).
const EVIDENCE_FILES = readdirSync(join(REPO_ROOT, 'evidence/prod'), {
  recursive: true,
  withFileTypes: true,
})
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name).slice(join(REPO_ROOT, 'evidence/prod').length + 1))
  .sort();

describe.each(EVIDENCE_FILES.map((name, i) => [name, i] as const))(
  'a byte flipped in evidence file %s',
  (name, index) => {
    it.each(cases(join(REPO_ROOT, 'evidence/prod', name), 4, 100 + index))(
      '%s (xor %d) is caught',
      async (_label, position, mask) => {
        // The copy in the tmp repository is the file the outputs were made from.
        const signedCheck = position % 2 === 0;
        const result = await withFlip(join(repo.evidenceDir, name), position, mask, () =>
          verify(signedCheck ? signed : plain, signedCheck),
        );
        expect(result.verified).toBe(false);
        // verify names an artifact (artifacts/...) as such, an evidence file as an evidence file
        const label = /^(?:artifacts|config)\//.test(name) ? 'artifact' : 'evidence file';
        expect(differencesIn(result, 'evidence')).toContainEqual(
          expect.stringMatching(
            new RegExp(`^${label} ${name}: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}$`),
          ),
        );
        if (signedCheck)
          expect(differencesIn(result, 'signature')).toContainEqual(
            expect.stringContaining(`subject evidence/${name}: sha256 signed`),
          );
      },
    );
  },
);

const PACK_CASES: [string, number, number][] = [
  ['bundle/policy.wasm', 10, 1],
  ['bundle/manifest.json', 2, 2],
  ['templates/checklist.md', 2, 3],
  ['schemas/evidence/security.v1.schema.json', 1, 4],
  ['policies/security/security.rego', 1, 5],
  ['policies/capabilities.json', 1, 6],
  ['pack.json', 1, 7],
];

describe.each(PACK_CASES)('a byte flipped in pack file %s', (path, count, seed) => {
  it.each(cases(join(REPO_ROOT, path), count, seed))(
    '%s (xor %d) is caught and nothing is re-evaluated',
    async (_label, position, mask) => {
      const result = await withFlip(join(pack, path), position, mask, () => verify(plain, false));
      expect(result.verified).toBe(false);
      expect(differencesIn(result, 'pack')).toEqual([
        expect.stringMatching(
          new RegExp(`^pack file ${path}: sha256 recorded [0-9a-f]{64}, now [0-9a-f]{64}$`),
        ),
      ]);
      expect(result.checks.find((c) => c.part === 're-evaluation')?.state).toBe('skipped');
    },
  );
});

/**
 * Flip cases for a file written in beforeAll, whose size is not known when tests are
 * collected: a position as a fraction of the size, seeded; the first and the last byte first.
 */
function lateCases(count: number, seed: number): [string, number, number][] {
  const next = prng(seed);
  const fractions = [0, 1, ...Array.from({ length: count - 2 }, () => next())];
  return fractions.map((f, i) => {
    const mask = MASKS[i % MASKS.length] as number;
    const where =
      f === 1
        ? 'the last byte'
        : f === 0
          ? 'the first byte'
          : `the byte at ${(f * 100).toFixed(2)}%`;
    return [`${where} (xor 0x${mask.toString(16)})`, f, mask];
  });
}

function at(size: number, fraction: number): number {
  return Math.min(size - 1, Math.floor(fraction * size));
}

describe('a byte flipped in the report', () => {
  it.each(lateCases(80, 1000))(
    'unsigned, %s is caught and named',
    async (_label, fraction, mask) => {
      const text = await readFile(plain.reportPath, 'utf8');
      const position = at(text.length, fraction);
      const result = await withFlip(plain.reportPath, position, mask, () => verify(plain, false));
      // The recorded limits are applied by verify, not recomputed: like the CI context, an
      // edit of them that the re-evaluation reproduces is caught only by the signature (below).
      const inside = (key: string) => {
        const start = text.indexOf(`"${key}":{`);
        return start > 0 && position > start && position < text.indexOf('}', start);
      };
      // The artifact limits are recorded and applied the same way.
      if (result.verified && (inside('limits') || inside('artifactLimits'))) return;
      expect(result.verified, `position ${position}`).toBe(false);
      const named = [...differencesIn(result, 'report'), ...differencesIn(result, 're-evaluation')];
      expect(named.join('\n'), `position ${position}`).toMatch(/report/);
    },
  );

  it.each(lateCases(40, 2000))(
    'signed, %s is caught by the signature or refused',
    async (_label, fraction, mask) => {
      const position = at((await readFile(signed.reportPath)).length, fraction);
      const result = await withFlip(signed.reportPath, position, mask, () => verify(signed, true));
      expect(result.verified, `position ${position}`).toBe(false);
      // Parsed, the report must differ from the signed predicate; unparseable, it is refused before.
      const named = [...differencesIn(result, 'signature'), ...differencesIn(result, 'report')];
      expect(named.join('\n'), `position ${position}`).toMatch(
        /^(envelope \S+: the report differs from the signed predicate|report \S+: )/m,
      );
    },
  );

  it('in the recorded limits, an edit the re-evaluation reproduces is caught by the signature', async () => {
    const text = await readFile(signed.reportPath, 'utf8');
    const limits = text.indexOf('"maxFileBytes":');
    expect(limits).toBeGreaterThan(0);
    const result = await withFlip(
      signed.reportPath,
      limits + '"maxFileBytes":'.length + 3,
      0x01,
      () => verify(signed, true),
    );
    expect(differencesIn(result, 'signature')).toEqual([
      expect.stringMatching(
        /^envelope \S+: the report differs from the signed predicate at \/provenance\/limits\//,
      ),
    ]);
    expect(result.verified).toBe(false);
  });

  it('in the CI context, which cannot be recomputed, only the signature catches it', async () => {
    const text = await readFile(signed.reportPath, 'utf8');
    const actor = text.indexOf('release-bot');
    expect(actor).toBeGreaterThan(0);
    for (const position of [
      actor,
      actor + 5,
      text.indexOf(CI_ENV.GITHUB_SHA) + 7,
      text.indexOf(CI_ENV.GITHUB_RUN_ID) + 2,
    ]) {
      const result = await withFlip(signed.reportPath, position, 0x01, () => verify(signed, true));
      expect(differencesIn(result, 'signature')).toEqual([
        expect.stringMatching(
          /^envelope \S+: the report differs from the signed predicate at \/provenance\/ci\//,
        ),
      ]);
      expect(result.verified).toBe(false);
    }
  });
});

describe('a byte flipped in the envelope', () => {
  // DSSE signs PAE(payloadType, payload), not the JSON around it: a flip in the frame
  // (keys, payloadType, keyid, sig, braces, newline) either fails the envelope check or
  // leaves what is signed exactly as it was (a key id is an unauthenticated hint; a field
  // DSSE does not define is never read; whitespace is formatting). Every frame byte is
  // flipped against the check verify runs (openAttestation, pure and fast), and a sample
  // of those flips through verify itself.
  const signedContent = (text: string): string => {
    const e = JSON.parse(text) as { payloadType: string; payload: string };
    return `${e.payloadType}\n${Buffer.from(e.payload, 'base64').toString('hex')}`;
  };

  it('anywhere in its frame, every byte: the envelope check fails, or the signed payload and type are unchanged', async () => {
    const text = await readFile(signed.envelopePath as string);
    const original = signedContent(text.toString('utf8'));
    const frame = text.indexOf('","payloadType"');
    expect(frame).toBeGreaterThan(0);
    const publicKey = publicKeyFromPem(key.publicPem);
    expect(openAttestation(text.toString('utf8'), publicKey).ok).toBe(true);
    let refused = 0;
    let harmless = 0;
    for (let position = frame; position < text.length; position++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const bytes = flipped(text, position, mask);
        // verify reads the envelope as strict UTF-8 and refuses it otherwise
        const decoded = (() => {
          try {
            return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          } catch {
            return undefined;
          }
        })();
        if (decoded === undefined) continue;
        if (!openAttestation(decoded, publicKey).ok) refused++;
        else {
          expect(signedContent(decoded), `position ${position} xor ${mask}`).toBe(original);
          harmless++;
        }
      }
    }
    // Most flips break the signature, the type or the JSON; the harmless ones are in the key id, a key name or whitespace.
    expect(refused).toBeGreaterThan(harmless);
  });

  it.each(lateCases(16, 4000))(
    'in its frame, %s is caught and named by verify, or changes nothing signed',
    async (_label, fraction, mask) => {
      const path = signed.envelopePath as string;
      const text = await readFile(path, 'utf8');
      const frame = text.indexOf('","payloadType"');
      const position = frame + at(text.length - frame, fraction);
      let flippedText = '';
      const result = await withFlip(path, position, mask, async () => {
        flippedText = await readFile(path, 'utf8');
        return verify(signed, true);
      });
      if (result.verified) {
        expect(signedContent(flippedText), `position ${position}`).toBe(signedContent(text));
      } else {
        expect(differencesIn(result, 'signature'), `position ${position}`).toContainEqual(
          expect.stringMatching(/^envelope P4_PROD_READINESS_ATTESTATION_prod\.dsse\.json: /),
        );
      }
    },
  );

  it.each(lateCases(40, 3000))(
    'in the payload, %s is caught and named',
    async (_label, fraction, mask) => {
      const path = signed.envelopePath as string;
      const text = await readFile(path, 'utf8');
      const payloadEnd = text.indexOf('","payloadType"');
      const position = at(payloadEnd, fraction);
      const result = await withFlip(path, position, mask, () => verify(signed, true));
      expect(result.verified, `position ${position}`).toBe(false);
      expect(differencesIn(result, 'signature'), `position ${position}`).toContainEqual(
        expect.stringMatching(/^envelope P4_PROD_READINESS_ATTESTATION_prod\.dsse\.json: /),
      );
      // Nothing else is blamed: the report, the evidence and the pack are intact.
      for (const part of ['report', 'pack', 'evidence', 're-evaluation'] as const)
        expect(differencesIn(result, part)).toEqual([]);
    },
  );
});
