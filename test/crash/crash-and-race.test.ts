/**
 * A run killed at any point, then run again, ends where a clean run does; two runs started at once on one home end
 * there too. Checked on a generated population of 150 members through the `stratify` command as a process: the
 * curated counts, features, scores, flags and worklists equal a clean run's, every member is in each partner's outbox
 * and ledger once, and no key is there twice. Here, the two points the issue reproduced (a part written before its
 * manifest, a send before its record) and one race: each takes a few process runs, so `npm run test:crash` runs every
 * point of lib/crash.ts, repeated, and more races (test/crash/soak.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, comparable, duplicateKeys, freshHome, homeState, landingTemplate, stratify, type HomeState } from './harness.js';

const MEMBERS = 150;

describe('crash injection and concurrent runs', () => {
  let fixture: Awaited<ReturnType<typeof landingTemplate>>;
  let clean: HomeState;

  beforeAll(async () => {
    fixture = await landingTemplate(MEMBERS);
    const home = await freshHome(fixture.template, fixture.root, 'clean');
    const r = await stratify(['run', '--as-of', AS_OF, '--home', home]);
    expect(r.code, r.stderr).toBe(0);
    clean = await homeState(home);
  });
  afterAll(() => fixture.dispose());

  it('a clean run flags and sends someone (the comparison has something to compare)', () => {
    expect(clean.curated['members']).toBeGreaterThan(MEMBERS);
    expect(clean.flags.length).toBeGreaterThan(5);
    expect(Object.values(clean.outbox).flat().length).toBe(Object.values(clean.ledger).flat().length);
    expect(duplicateKeys(clean)).toBe(0);
  });

  // the three scenarios run at once, each in its own home: their processes overlap on a machine with cores to spare
  it.concurrent.for(['ingest:after-part', 'dispatch:after-send'])(
    'killed at %s, then run again: the same as a clean run, no key twice',
    async (point, { expect }) => {
      const home = await freshHome(fixture.template, fixture.root, point.replace(':', '-'));
      const killed = await stratify(['run', '--as-of', AS_OF, '--home', home], point);
      expect(killed.signal).toBe('SIGKILL');
      const rerun = await stratify(['run', '--as-of', AS_OF, '--home', home]);
      expect(rerun.code, rerun.stderr).toBe(0);
      const state = await homeState(home);
      expect(duplicateKeys(state)).toBe(0);
      expect(comparable(state)).toEqual(comparable(clean));
    },
  );

  it.concurrent('two runs started at once on one home: the second waits for the first, and the home ends as after one run', async ({ expect }) => {
    const home = await freshHome(fixture.template, fixture.root, 'race');
    const [a, b] = await Promise.all([stratify(['run', '--as-of', AS_OF, '--home', home]), stratify(['run', '--as-of', AS_OF, '--home', home])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.stderr, b.stderr].filter((e) => /is using .*; waiting for it to finish/.test(e))).toHaveLength(1);
    const state = await homeState(home);
    expect(duplicateKeys(state)).toBe(0);
    expect(comparable(state)).toEqual(comparable(clean));
  });
});
