/**
 * A stage's work on one date or partner runs one at a time (lib/pipeline/exclusive.ts): a second holder waits for the
 * first, saying so, and takes over at once a claim whose process is gone (one machine) or whose lease has lapsed.
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exclusive } from '../../lib/pipeline/exclusive.js';
import { testContext, type TestContext } from '../ingest/helpers.js';

describe('exclusive', () => {
  let ctx: TestContext;
  beforeEach(async () => (ctx = await testContext()));
  afterEach(() => ctx.dispose());

  it('runs two holders of one key one after the other, the second saying it waits', async () => {
    const log: string[] = [];
    const work = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 300));
      log.push(`${name} end`);
    };
    await Promise.all([
      exclusive(ctx, 'score', 'runs/score/as_of=2026-06-30.json', 'scoring of 2026-06-30', work('a')),
      exclusive(ctx, 'score', 'runs/score/as_of=2026-06-30.json', 'scoring of 2026-06-30', work('b')),
    ]);
    // one whole, then the other (whichever took the claim first); interleaved (a start, b start, …) without the claim
    expect([['a start', 'a end', 'b start', 'b end'], ['b start', 'b end', 'a start', 'a end']]).toContainEqual(log);
    expect(ctx.events.map((e) => e.message)).toContainEqual(expect.stringMatching(/^another scoring of 2026-06-30 \(started .*\) is running; waiting for it$/));
    expect(await ctx.store.list('runs/')).toEqual([]);
  });

  it('takes over at once the claim of a process that is gone, on one machine', async () => {
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    const far = new Date(Date.now() + 3_600_000).toISOString();
    await ctx.store.put('dispatch/lock/heartline.json', JSON.stringify({ what: 'dispatch to heartline', started_at: new Date().toISOString(), lease_until: far, owner: { host: hostname(), pid: dead } }));
    // its lease runs an hour more: waiting for it would outlast the test's timeout, so this ends only by the takeover
    expect(await exclusive({ ...ctx, sameMachine: true }, 'dispatch', 'dispatch/lock/heartline.json', 'dispatch to heartline', async () => 'done')).toBe('done');
    expect(ctx.events).toEqual([]);
  });
});
