/**
 * Charlson and Elixhauser worked by hand from the weights in lib/scoring/comorbidity/data/weights.csv:
 * Charlson original (1987) / Quan 2011 — chf 1/2, copd 1/1, diab 1/0, diabwc 2/1, mld 1/2, msld 3/4, canc 2/2,
 * metacanc 6/6, aids 6/4, ami 1/0, pvd 1/0, cevd 1/0, dementia 1/2, rheumd 1/1, pud 1/0, hp 2/2, rend 2/1;
 * Elixhauser van Walraven — chf 7, carit 5, cpd 3, metacanc 12, solidtum 4, obes −4, depre −3, hypunc/hypc 0.
 */
import { describe, expect, it } from 'vitest';
import { charlson, elixhauser } from '../../../lib/scoring/comorbidity/index.js';

const ids = (r: { conditions: { id: string }[] }) => r.conditions.map((c) => c.id);

describe('Charlson (Quan ICD-10)', () => {
  // I5030 chf; E1122 diabwc and E119 diab (dropped: diabwc present); K766 msld and K7030 mld (dropped: msld present);
  // C787 metacanc and C509 canc (dropped: metacanc present); B20 aids
  const dx = ['I5030', 'E1122', 'E119', 'K766', 'K7030', 'C787', 'C509', 'B20'];

  it('original weights: chf 1 + diabwc 2 + msld 3 + metacanc 6 + aids 6 = 18', () => {
    const r = charlson(dx, 'original');
    expect(ids(r)).toEqual(['chf', 'diabwc', 'msld', 'metacanc', 'aids']);
    expect(r.score).toBe(18);
  });

  it('Quan 2011 weights: chf 2 + diabwc 1 + msld 4 + metacanc 6 + aids 4 = 17', () => {
    expect(charlson(dx, 'quan2011').score).toBe(17);
  });

  it('a condition counts once however many codes match it: I5030, I509, I110 → chf 1', () => {
    expect(charlson(['I5030', 'I509', 'I110'], 'original')).toEqual({ score: 1, conditions: [{ id: 'chf', description: 'congestive heart failure', weight: 1 }] });
  });

  it('the mild form counts when the severe one is absent: E119 → diab 1 (original), 0 (Quan 2011)', () => {
    expect(charlson(['E119'], 'original').score).toBe(1);
    expect(charlson(['E11.9'], 'quan2011')).toMatchObject({ score: 0, conditions: [{ id: 'diab', weight: 0 }] });
  });

  it('every condition at once reaches the published maxima, 29 (original) and 24 (Quan 2011)', () => {
    // one code per condition: ami I21, chf I50, pvd I70, cevd I63, dementia F03, copd J44, rheumd M05, pud K25,
    // mld K73, msld K766, diab E119, diabwc E112, hp G81, rend N18, canc C50, metacanc C78, aids B20
    const all = ['I219', 'I509', 'I700', 'I639', 'F0390', 'J449', 'M059', 'K259', 'K739', 'K766', 'E119', 'E1122', 'G819', 'N185', 'C509', 'C787', 'B20'];
    expect(charlson(all, 'original').score).toBe(29);
    expect(charlson(all, 'quan2011').score).toBe(24);
    expect(charlson(all, 'original').conditions).toHaveLength(14);
  });

  it('no diagnoses → 0', () => {
    expect(charlson([], 'quan2011')).toEqual({ score: 0, conditions: [] });
  });
});

describe('Elixhauser (Quan ICD-10, van Walraven weights)', () => {
  it('chf 7 + carit 5 + cpd 3 + metacanc 12 (solidtum C509 dropped) − obes 4 − depre 3 = 20', () => {
    const r = elixhauser(['I5030', 'I480', 'J449', 'C787', 'C509', 'E669', 'F329']);
    expect(ids(r)).toEqual(['chf', 'carit', 'cpd', 'metacanc', 'obes', 'depre']);
    expect(r.score).toBe(20);
  });

  it('can be negative: obesity and depression alone → −4 − 3 = −7', () => {
    expect(elixhauser(['E669', 'F329']).score).toBe(-7);
  });

  it('complicated hypertension replaces uncomplicated: I10 + I130 → hypc (0) and chf (7) = 7', () => {
    const r = elixhauser(['I10', 'I130']);
    expect(ids(r)).toEqual(['chf', 'hypc']);
    expect(r.score).toBe(7);
  });
});

describe('bad input', () => {
  it('names a code that is not ICD-10-CM', () => {
    expect(() => charlson(['I509', '12345'], 'original')).toThrow('dx "12345": not an ICD-10-CM code');
    expect(() => elixhauser(['E11-9'])).toThrow('dx "E11-9"');
  });

  it('names unknown Charlson weights', () => {
    expect(() => charlson([], 'swiss' as 'original')).toThrow('Charlson weights "swiss": expected one of original, quan2011');
  });
});
