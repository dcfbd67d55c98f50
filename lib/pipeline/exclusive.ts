/**
 * One at a time: a stage's work on one date (features, score) or one partner (dispatch) holds a claim in the store
 * (lib/lease.ts: an owner, a lease renewed while it works, taken over once its owner is gone). On AWS two Step
 * Functions executions of one date (the schedule and a manual start, or a retry) then run each stage one after the
 * other instead of interleaving their writes, and never send a member twice; locally the home lock already orders
 * whole runs, and these claims cost one small object each. A second holder waits, saying so, for up to two leases,
 * then fails naming the first.
 */
import { sleep } from '../aws/backoff.js';
import { LEASE_MS, takeClaim } from '../lease.js';
import type { PipelineContext, ProgressEvent } from './context.js';

const POLL_MS = 250;

export async function exclusive<T>(ctx: PipelineContext, stage: ProgressEvent['stage'], key: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 2 * LEASE_MS;
  for (let told = false; ; told = true) {
    const claim = await takeClaim(ctx.store, key, { what }, { sameMachine: ctx.sameMachine ?? false });
    if ('held' in claim) {
      try {
        return await work();
      } finally {
        await claim.held.release();
      }
    }
    const who = `another ${claim.heldBy.what} (started ${claim.heldBy.started_at})`;
    if (Date.now() >= deadline) throw new Error(`${who} is still running`);
    if (!told) ctx.progress({ stage, message: `${who} is running; waiting for it` });
    await sleep(POLL_MS);
  }
}
