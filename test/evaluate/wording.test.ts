// The wording key that tells names of a thing apart (in-scope features vs non-goals),
// and its agreement with lib.wording, which policies use for their own constants.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordingKey } from '../../src/evaluate/wording.ts';
import { runOpa } from '../../src/pack/opa-cli.ts';
import { REPO_ROOT } from '../support/helpers.ts';

describe('wordingKey', () => {
  it.each([
    ['Calendar sync', 'calendarsync'],
    ['Calendar-sync', 'calendarsync'],
    ['calendar  sync', 'calendarsync'],
    ['CalendarSync', 'calendarsync'],
    ['\u0421alendar sync', 'calendarsync'], // Cyrillic capital Es
    ['Cal\u0435ndar sync', 'calendarsync'], // Cyrillic small ie
    ['Calendar\u200b sync', 'calendarsync'],
    ['web hooks', 'webhook'],
    ['Webhooks', 'webhook'],
    ['Web\u00adhook', 'webhook'],
    ['\uff37ebhooks', 'webhook'], // fullwidth W
    ['Outlook/IMAP', 'outlookirnap'],
    ['multi-source resolution', 'rnultisourceresolution'],
    ['class', 'class'],
    ['ios', 'ios'],
    ['\u200b', ''],
    ['- / -', ''],
  ])('%j reads as %j', (text, key) => {
    expect(wordingKey(text)).toBe(key);
  });

  it('keeps different names apart', () => {
    expect(wordingKey('Calendar view')).not.toBe(wordingKey('Calendar sync'));
    expect(wordingKey('Sync status')).not.toBe(wordingKey('Calendar sync'));
  });

  it('agrees with lib.wording (policies/lib/lib.rego) on ASCII text, which policies use for their constants', async () => {
    const texts = [
      'Calendar sync',
      'webhooks',
      'Outlook/IMAP',
      'doc editor',
      'multi-source resolution',
      'Web Hooks 2.0',
      'M1 chip, OS-10',
      'address  books; glass',
    ];
    const out = await runOpa([
      'eval',
      '--format',
      'json',
      '--data',
      join(REPO_ROOT, 'policies/lib'),
      `[data.prodgate.lib.wording(t) | some t in ${JSON.stringify(texts)}]`,
    ]);
    const rego = (JSON.parse(out) as { result: { expressions: { value: string[] }[] }[] }).result[0]
      ?.expressions[0]?.value;
    expect(rego).toEqual(texts.map(wordingKey));
  });
});

// Attack report 11, hole 3: a non-goal written with look-alike letters in capitals, with
// combining marks, or inflected, is still the non-goal.
describe('wordingKey: hole 3, look-alikes read before the case is folded', () => {
  it.each([
    ['WEB\u041dOOKS', 'webhooks'], // Cyrillic capital En
    ['Outlook/lMAP', 'Outlook/IMAP'],
    ['Outlook/I\u041cAP', 'Outlook/IMAP'], // Cyrillic capital Em
    ['Outlook/1MAP', 'Outlook/IMAP'],
    ['doc edi\u0307tor', 'doc editor'], // i with a combining dot above
    ['DOC EDI\u0422OR', 'doc editor'], // Cyrillic capital Te
    ['DOC EDlTOR', 'doc editor'],
    ['DOC ED\u0130TOR', 'doc editor'], // capital I with a dot above
    ['\u041cULTI-SOURCE RESOLUTION', 'multi-source resolution'],
    ['muIti-source resoIution', 'multi-source resolution'],
    ['Calendar syncing', 'Calendar sync'],
    ["webhook's", 'webhooks'],
    ['Calendar synced', 'Calendar sync'],
  ])('%j is the non-goal %j', (written, nonGoal) => {
    expect(wordingKey(written)).toBe(wordingKey(nonGoal));
  });

  it('keeps words that only look inflected', () => {
    expect(wordingKey('string')).toBe('string');
    expect(wordingKey('seed')).toBe('seed');
    expect(wordingKey('Ian')).not.toBe(wordingKey('lan'));
    // Cyrillic capital Ve is drawn as a Latin B: a reader sees BEBHOOKS, not webhooks.
    expect(wordingKey('\u0412EBHOOKS')).toBe(wordingKey('BEBHOOKS'));
  });

  it('agrees with lib.wording on capitals, look-alike digits and inflections', async () => {
    const texts = [
      'Outlook/lMAP',
      'DOC EDlTOR',
      'muIti-source resoIution',
      'Outlook/1MAP',
      "webhook's syncing",
      'Calendar synced',
      'string seed',
      'IAN lan Ian 10',
      'WHITFlELD',
    ];
    const out = await runOpa([
      'eval',
      '--format',
      'json',
      '--data',
      join(REPO_ROOT, 'policies/lib'),
      `[data.prodgate.lib.wording(t) | some t in ${JSON.stringify(texts)}]`,
    ]);
    const rego = (JSON.parse(out) as { result: { expressions: { value: string[] }[] }[] }).result[0]
      ?.expressions[0]?.value;
    expect(rego).toEqual(texts.map(wordingKey));
  });
});
