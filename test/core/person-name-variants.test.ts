// Attack report 11, holes 2 and 6: one person written another way is the same person (a
// self-approval or a doubled sign-off must be seen), and different people are not merged
// by what they share besides their names (docs/hostile-evidence.md, "People").
import { describe, expect, it } from 'vitest';
import { personNames, samePerson } from '../../src/core/text/normalise.ts';

describe('samePerson: hole 2, one person written another way', () => {
  it.each([
    ['a trailing full stop', 'Dana Whitfield.'],
    ['markdown emphasis', '**Dana Whitfield**'],
    ['a Cyrillic capital En in capitals', 'DANA W\u041dITFIELD'],
    ['an i with a combining dot above', 'Dana Whi\u0307tfield'],
    ['double quotes', '"Dana Whitfield"'],
    ['single quotes', "'Dana Whitfield'"],
    ['a hyphen between given and family name', 'Dana-Whitfield'],
    ['an e-mail address', 'dana.whitfield@todox.example'],
    ['an initial', 'D. Whitfield'],
    ['l for I in capitals', 'DANA WHlTFlELD'],
    ['a Cyrillic capital I in capitals', 'DANA WH\u0406TFIELD'],
    ['a capital I with a dot above', 'DANA WH\u0130TFIELD'],
    ['family name first with a full stop', 'Whitfield, Dana.'],
    ['"approved by"', 'approved by Dana Whitfield'],
    ['a check mark', 'Dana Whitfield \u2713'],
    ['an honorific glued to the name', 'Dr.Dana Whitfield'],
    ['initials in brackets inside brackets', '(Dana (DW) Whitfield)'],
    ['a label', 'lead: Dana Whitfield'],
  ])('%s is Dana Whitfield', (_name, written) => {
    expect(samePerson(written, 'Dana Whitfield')).toBe(true);
    expect(samePerson(written, 'platform-team (Dana Whitfield)')).toBe(true);
  });

  it('reads accents away: José Ramírez is Jose Ramirez', () => {
    expect(samePerson('Jos\u00e9 Ram\u00edrez', 'Jose Ramirez')).toBe(true);
    expect(samePerson('Jose\u0301 Rami\u0301rez', 'Jose Ramirez')).toBe(true);
  });

  it.each([
    ['a comma', 'platform-team, Dana Whitfield'],
    ['a lead in brackets', 'platform-team (lead: Dana Whitfield)'],
    ['a spaced dash', 'platform-team - Dana Whitfield'],
    ['an en dash', 'platform-team \u2013 Dana Whitfield'],
  ])('an owner field joined by %s still names Dana Whitfield', (_name, owner) => {
    expect(samePerson('Dana Whitfield', owner)).toBe(true);
  });

  it('Maya Okafor. is Maya Okafor', () => {
    expect(samePerson('Maya Okafor.', 'Maya Okafor')).toBe(true);
  });
});

describe('samePerson: hole 6, different people stay apart', () => {
  it('pronouns, placeholders, roles and footnotes are not names', () => {
    expect(samePerson('Maya Okafor (she/her)', 'Priya Raman (she/her)')).toBe(false);
    expect(samePerson('Maya Okafor (he/him)', 'Priya Raman (he/him)')).toBe(false);
    expect(samePerson('Maya Okafor [1]', 'Priya Raman [1]')).toBe(false);
    expect(samePerson('Maya Okafor (eng)', 'Priya Raman (eng)')).toBe(false);
    expect(samePerson('Maya Okafor (TBD)', 'Priya Raman (TBD)')).toBe(false);
    expect(samePerson('Maya Okafor (n/a)', 'Priya Raman (n/a)')).toBe(false);
    expect(samePerson('Maya Okafor (she/her)', 'Maya Okafor')).toBe(true);
  });

  it('a capital I that starts a capitalised word is not an l (Ian Chen is not Lan Chen)', () => {
    expect(samePerson('Ian Chen', 'Lan Chen')).toBe(false);
    expect(samePerson('IAN CHEN', 'LAN CHEN')).toBe(false);
    expect(samePerson('Ian Chen', 'IAN CHEN')).toBe(true);
  });

  it('a given name after a family name is not a degree (Whitfield, Ma is not Whitfield, Ba)', () => {
    expect(samePerson('Whitfield, Ma', 'Whitfield, Ba')).toBe(false);
    expect(samePerson('Whitfield, Ma', 'Ma Whitfield')).toBe(true);
  });

  it('a bar inside a word is a letter, not a list separator', () => {
    expect(personNames('Dana Whitfie|d')).not.toContain('d');
    expect(samePerson('Dana Whitfie|d', 'Dana Whitfield')).toBe(true);
    expect(samePerson('Dana Whitfie|d', 'D')).toBe(false);
  });

  it('keeps the team and the person apart in "platform-team, Dana Whitfield"', () => {
    expect(samePerson('platform-team, Sam Okafor', 'Dana Whitfield')).toBe(false);
  });
});
