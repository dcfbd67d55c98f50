import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANDING_KEYS, TRUTH_KEY } from '../../lib/demo/index.js';
import { generate, type Generated } from './fixture.js';

const KEYS = [...Object.values(LANDING_KEYS), TRUTH_KEY];

describe('generateDemo determinism', () => {
  const runs: Generated[] = [];

  beforeAll(async () => {
    for (const seed of [3, 3, 4]) runs.push(await generate(300, seed));
  });
  afterAll(() => Promise.all(runs.map((r) => r.dispose())));

  it('writes byte-identical files for the same seed', async () => {
    const [a, b] = runs as [Generated, Generated];
    for (const key of KEYS) expect(await b.text(key), key).toBe(await a.text(key));
  });

  it('writes different files for a different seed', async () => {
    const [a, , c] = runs as [Generated, Generated, Generated];
    for (const key of KEYS) expect(await c.text(key), key).not.toBe(await a.text(key));
  });

  it('replaces the files of an earlier run in the same store rather than appending to them', async () => {
    const [a] = runs as [Generated];
    const before = await a.text(LANDING_KEYS.medicalClaims);
    const { generateDemo } = await import('../../lib/demo/index.js');
    await generateDemo(a.store, { members: 300, seed: 3, asOf: a.truth.asOf });
    expect(await a.text(LANDING_KEYS.medicalClaims)).toBe(before);
  });

  it('reports progress for the generate stage up to the member count', async () => {
    const [a] = runs as [Generated];
    const { generateDemo } = await import('../../lib/demo/index.js');
    const events: { stage: string; done?: number; total?: number }[] = [];
    await generateDemo(a.store, { members: 300, seed: 3, asOf: a.truth.asOf, progress: (e) => events.push(e) });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.stage === 'generate' && e.total === 300)).toBe(true);
    expect(events.at(-1)!.done).toBe(300);
  });
});
