// pack.json trust options: the longest waiver window per environment, sign-off separation.
import { describe, expect, it } from 'vitest';
import { packConfigProblems } from '../../src/pack/pack-config.ts';
import {
  DEFAULT_WAIVER_MAX_DAYS,
  signoffSeparation,
  waiverMaxDays,
} from '../../src/pack/pack-options.ts';
import { normalisedStrings } from '../../src/evaluate/policy-input.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/helpers.ts';

const BASE = {
  name: 'p',
  version: '1.0.0',
  environments: ['dev', 'prod'],
  entrypoint: 'prodgate/decision',
};

describe('pack.json trust options', () => {
  it('the default pack: waivers at most 90/60/30 days in pilot/staging/prod, separation on in prod only', async () => {
    const pack = JSON.parse(await readFile(join(REPO_ROOT, 'pack.json'), 'utf8'));
    expect(packConfigProblems(pack)).toEqual([]);
    expect(['pilot', 'staging', 'prod'].map((env) => waiverMaxDays(pack, env))).toEqual([
      90, 60, 30,
    ]);
    expect(['pilot', 'staging', 'prod'].map((env) => signoffSeparation(pack, env))).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('without options: the strict window and no separation', () => {
    expect(packConfigProblems(BASE)).toEqual([]);
    expect(waiverMaxDays(BASE, 'prod')).toBe(DEFAULT_WAIVER_MAX_DAYS);
    expect(signoffSeparation(BASE, 'prod')).toBe(false);
  });

  it.each([
    ['an unknown environment', { waivers: { maxDays: { qa: 10 } } }, /not an environment/],
    ['a negative window', { waivers: { maxDays: { prod: -1 } } }, /whole number of days/],
    ['a window over a year', { waivers: { maxDays: { prod: 3650 } } }, /whole number of days/],
    ['a fractional window', { waivers: { maxDays: { prod: 1.5 } } }, /whole number of days/],
    ['a misspelt key', { waivers: { maxdays: { prod: 1 } } }, /waivers must be/],
    [
      'separation in an unknown environment',
      { signoffs: { separateRoles: ['qa'] } },
      /signoffs must be/,
    ],
    ['separation as a boolean', { signoffs: { separateRoles: true } }, /signoffs must be/],
  ])('refuses %s', (_name, options, message) => {
    expect(packConfigProblems({ ...BASE, ...options }).join('; ')).toMatch(message);
  });
});

describe("normalisedStrings (the policy input's normalised forms)", () => {
  it('holds every string value of the valid evidence, none of the invalid, and "__proto__" as a plain key', () => {
    const out = normalisedStrings({
      release: {
        file: 'release.yaml',
        valid: true,
        data: {
          owner: 'platform-team (Dana Whit\u200bfield)',
          list: ['Calendar  sync', { deep: '__proto__' }],
          n: 3,
        },
      },
      broken: { file: 'broken.yaml', valid: false, problems: [{ pointer: '', message: 'secret' }] },
    });
    expect(Object.keys(out).sort()).toEqual(
      ['Calendar  sync', '__proto__', 'platform-team (Dana Whit\u200bfield)'].sort(),
    );
    expect(out['Calendar  sync']?.text).toBe('calendar sync');
    expect(out['Calendar  sync']?.wording).toBe('calendarsync');
    expect(out['platform-team (Dana Whit\u200bfield)']?.people).toContain('dana whitfield');
    expect(Object.getPrototypeOf(out)).toBe(null);
    // biome-ignore lint/suspicious/noProto: the test is that an own `__proto__` key survives as data
    expect(JSON.parse(JSON.stringify(out))['__proto__']).toEqual({
      text: '__proto__',
      // as a person's name, the punctuation around it is not part of the name
      people: ['proto'],
      wording: 'proto',
    });
  });
});
