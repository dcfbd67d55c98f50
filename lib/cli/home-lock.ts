/**
 * One writer of a home at a time: `run`, `demo` and `ingest` hold `<home>/locks/home.json` (a claim with the owner's
 * host and pid, lib/lease.ts) from before they open the engine until they end. Two runs at once on one home wrote
 * each message twice, and one could ingest claims while the other was still loading the eligibility they needed. A
 * second command waits, saying so on stderr, for up to `waitMs`, then fails naming the holder; a lock whose process
 * is gone (killed, crashed) is taken over at once. Readers (`sql`, `worklist`, …) take no lock.
 */
import { takeClaim, type Held } from '../lease.js';
import { sleep } from '../aws/backoff.js';
import type { ObjectStore } from '../store/port.js';
import { CliError } from './errors.js';

export const HOME_LOCK_KEY = 'locks/home.json';

/** @default 10 minutes; `STRATIFY_LOCK_WAIT_SECONDS` overrides it */
const DEFAULT_WAIT_MS = 10 * 60_000;
const POLL_MS = 250;

export async function lockHome(store: ObjectStore, command: string, waitMs = waitFromEnv()): Promise<Held> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const claim = await takeClaim(store, HOME_LOCK_KEY, { command }, { sameMachine: true });
    if ('held' in claim) return claim.held;
    const { heldBy } = claim;
    const who = `another \`stratify ${heldBy.command}\` (pid ${heldBy.owner?.pid ?? '?'} on ${heldBy.owner?.host ?? '?'}, started ${heldBy.started_at})`;
    if (Date.now() >= deadline) throw new CliError(`${who} is still using ${store.location}; try again when it has finished`, 1);
    if (!told) process.stderr.write(`stratify: ${who} is using ${store.location}; waiting for it to finish\n`);
    told = true;
    await sleep(POLL_MS);
  }
}

function waitFromEnv(): number {
  const raw = process.env.STRATIFY_LOCK_WAIT_SECONDS;
  const seconds = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_WAIT_MS;
}
