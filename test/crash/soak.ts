/**
 * `npm run test:crash [-- --members N] [-- --repeat N]`: every crash point of lib/crash.ts, each `repeat` times (kill
 * there, run again, compare with a clean run), then `repeat` races of two `stratify run` at once on one home, and of
 * two `stratify ingest` of the same bytes at once; prints one line per outcome and exits 1 if any differs from the
 * clean run or leaves a key twice. The lean version of these runs in `npm test` (crash-and-race.test.ts).
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { join } from 'node:path';
import { CRASH_POINTS } from '../../lib/crash.js';
import { AS_OF, comparable, duplicateKeys, freshHome, homeState, landingTemplate, stratify } from './harness.js';

const { values } = parseArgs({ options: { members: { type: 'string' }, repeat: { type: 'string' } } });
const members = Number(values.members ?? 300);
const repeat = Number(values.repeat ?? 3);

const fixture = await landingTemplate(members);
let failures = 0;
const report = (what: string, outcome: { killed?: boolean; rerun: number | null; same: boolean; duplicates: number; lost: number }) => {
  const ok = outcome.same && outcome.duplicates === 0 && outcome.lost === 0 && outcome.rerun === 0 && outcome.killed !== false;
  if (!ok) failures++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${what.padEnd(36)} killed=${outcome.killed ?? '-'} rerun exit=${outcome.rerun} same as clean=${outcome.same} duplicate keys=${outcome.duplicates} keys lost=${outcome.lost}`,
  );
};
try {
  const cleanHome = await freshHome(fixture.template, fixture.root, 'clean');
  await stratify(['run', '--as-of', AS_OF, '--home', cleanHome]);
  const clean = comparable(await homeState(cleanHome));
  const sent = new Set(Object.values(clean.outbox).flat());
  const lostFrom = (outbox: Record<string, string[]>) => [...sent].filter((k) => !new Set(Object.values(outbox).flat()).has(k)).length;
  console.log(`clean run: ${clean.curated['members']} eligibility spans, ${clean.flags.length} flags, ${sent.size} messages sent`);

  for (const point of CRASH_POINTS) {
    for (let i = 0; i < repeat; i++) {
      const home = await freshHome(fixture.template, fixture.root, `${point.replace(':', '-')}-${i}`);
      const killed = await stratify(['run', '--as-of', AS_OF, '--home', home], point);
      const rerun = await stratify(['run', '--as-of', AS_OF, '--home', home]);
      const state = await homeState(home);
      report(`crash at ${point} #${i + 1}`, {
        killed: killed.signal === 'SIGKILL',
        rerun: rerun.code,
        same: isDeepStrictEqual(comparable(state), clean),
        duplicates: duplicateKeys(state),
        lost: lostFrom(state.outbox),
      });
    }
  }
  for (let i = 0; i < repeat; i++) {
    const home = await freshHome(fixture.template, fixture.root, `race-${i}`);
    const [a, b] = await Promise.all([stratify(['run', '--as-of', AS_OF, '--home', home]), stratify(['run', '--as-of', AS_OF, '--home', home])]);
    const state = await homeState(home);
    report(`two runs at once #${i + 1}`, {
      rerun: a.code === 0 && b.code === 0 ? 0 : (a.code ?? -1),
      same: isDeepStrictEqual(comparable(state), clean),
      duplicates: duplicateKeys(state),
      lost: lostFrom(state.outbox),
    });
  }
  for (let i = 0; i < repeat; i++) {
    const home = await freshHome(fixture.template, fixture.root, `ingest-race-${i}`);
    const landing = join(home, 'landing');
    await Promise.all([stratify(['ingest', landing, '--home', home]), stratify(['ingest', landing, '--home', home])]);
    const rerun = await stratify(['run', '--as-of', AS_OF, '--home', home]);
    const state = await homeState(home);
    report(`two ingests of the same bytes #${i + 1}`, {
      rerun: rerun.code,
      same: isDeepStrictEqual(comparable(state), clean),
      duplicates: duplicateKeys(state),
      lost: lostFrom(state.outbox),
    });
  }
} finally {
  await fixture.dispose();
}
console.log(failures === 0 ? 'every outcome equals the clean run' : `${failures} outcomes differ from the clean run`);
process.exit(failures === 0 ? 0 : 1);
