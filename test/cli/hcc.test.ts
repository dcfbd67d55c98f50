/** `stratify hcc` as an analyst runs it: a real process, the golden member, exit codes on bad input. */
import { describe, expect, it } from 'vitest';
import { stratify } from './run-stratify.js';



const GOLDEN = ['hcc', '--age', '70', '--sex', 'M', '--segment', 'CNA', '--model', 'v28', '--dx', 'E1169,I5030,I509,I211,I209,R05'];

describe('stratify hcc', () => {
  it('prints each code, each factor and the score of the golden member (raw 1.034)', async () => {
    const r = await stratify(GOLDEN);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CMS-HCC V28, community, non-dual, aged (CNA), payment year 2026');
    expect(r.stdout).toMatch(/^ {2}E1169 +HCC37$/m);
    expect(r.stdout).toMatch(/^ {2}R05 +no payment HCC$/m);
    expect(r.stdout).toMatch(/^interaction +CNA_DIABETES_HF_V28 +Diabetes .* 0\.112$/m);
    expect(r.stdout).toContain('raw score  1.034');
    // 1.034 × (1 − 0.059) / 1.015 = 0.9586
    expect(r.stdout).toMatch(/^score {6}0\.959 = 1\.034 × \(1 − 0\.059\) \/ 1\.015 /m);
  });

  it('--json prints a numeric score, the raw score and the factors', async () => {
    const r = await stratify([...GOLDEN, '--json', '--year', '2024']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { score: number; rawScore: number; model: string; segment: string; factors: { kind: string; code: string; coefficient: number }[] };
    expect(out.score).toBeCloseTo(0.9586, 4);
    expect(out.rawScore).toBeCloseTo(1.034, 3);
    expect([out.model, out.segment]).toEqual(['v28', 'CNA']);
    expect(out.factors.map((f) => f.code)).toEqual(['CNA_M70_74', 'CNA_HCC37', 'CNA_HCC226', 'CNA_DIABETES_HF_V28']);
  });

  it('takes newer adjustment figures from the command line: 0.396 × (1 − 0.059) / 1.067 = 0.349', async () => {
    const r = await stratify(['hcc', '--age', '70', '--sex', 'male', '--normalization', '1.067', '--coding-intensity', '0.059', '--json']);
    expect(JSON.parse(r.stdout).score).toBeCloseTo(0.349, 3);
  });

  it.each([
    [['--dx', 'E1169,BOGUS'], '--dx BOGUS: not an ICD-10-CM code'],
    [['--age', '130'], '--age 130: expected whole years from 0 to 120'],
    [['--age', 'seventy'], '--age seventy: expected a number'],
    [['--segment', 'XYZ'], '--segment XYZ: expected one of CNA, CND, CFA, CFD, CPA, CPD, INS, NE'],
    [['--segment', 'CND'], '--segment CND: is for members under 65 (age 70: use CNA)'],
    [['--sex', 'X'], '--sex X: expected M or F'],
    [['--model', 'v22'], '--model v22: expected one of v28, v24'],
  ] as [string[], string][])('bad input %j exits 2 naming the flag', async (flags, message) => {
    // a flag given twice takes its last value, so each case overrides the valid base
    const r = await stratify(['hcc', '--age', '70', '--sex', 'M', '--dx', 'E1169', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`stratify: ${message}`);
    expect(r.stdout).toBe('');
  });

  it('asks for --age and --sex when they are missing', async () => {
    const r = await stratify(['hcc', '--dx', 'E1169']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--age and --sex are required');
  });
});
