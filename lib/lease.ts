/**
 * A claim held in the object store: an object created only if absent (ObjectStore.create), naming its owner (host
 * and pid) and carrying a lease. A claim whose owner is gone blocks nothing and is taken over (delete, then create
 * again):
 * - on one machine (`sameMachine`: the local CLI, every process sharing the folder runs here), a claim is live while
 *   its owner process is, so a `kill -9` blocks nothing;
 * - across machines (AWS), a claim is a lease: its owner renews `lease_until` every leaseMs / 4 while it works, and a
 *   claim whose lease has lapsed was left by an invocation that crashed or timed out. A claim written before leases
 *   (no `lease_until`) counts as leased for 20 minutes from its start.
 * A renewal reads the claim first and stops if it is no longer its own (it lapsed and was taken over: its owner was
 * frozen longer than the lease). Two processes taking over the same dead claim at the same moment could both win
 * (the delete of one can remove the other's fresh claim); that needs a crash and two claimants within one moment.
 * Used for the markers of files being ingested (lib/ingest/in-progress.ts), the lock of a home (one run at a time)
 * and the lock of a partner's dispatch.
 */
import { randomUUID } from 'node:crypto';
import { ownerAlive, thisProcess, type Owner } from './owner.js';
import { ObjectNotFoundError, type ObjectStore } from './store/port.js';

/** a lease (ms): two minutes, renewed every 30 s while its holder works (a Lambda runs at most 15 minutes) */
export const LEASE_MS = 2 * 60_000;
/** how long a claim without a lease (written before leases) counts as live */
const LEGACY_LEASE_MS = 20 * 60_000;

export interface Lease {
  /** ISO instant the claim was taken */
  readonly started_at: string;
  /** ISO instant until which the claim is live unless renewed */
  readonly lease_until?: string;
  /** the process that holds it */
  readonly owner?: Owner;
  /** unique per claim, so that a renewal knows the claim is still its own */
  readonly token?: string;
}

export interface LivenessPolicy {
  /** every process sharing the store runs on this machine: a claim of a process that is gone is dead at once */
  readonly sameMachine?: boolean;
  /** @default LEASE_MS */
  readonly leaseMs?: number;
}

/** the claim at `key`, or undefined when there is none */
export async function readClaim<T extends Lease>(store: ObjectStore, key: string): Promise<T | undefined> {
  const bytes = await store.get(key).catch((e: unknown) => {
    if (e instanceof ObjectNotFoundError) return undefined;
    throw e;
  });
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

/** whether the claim's owner may still be at work */
export function isLive(claim: Lease, now: Date, policy: LivenessPolicy = {}): boolean {
  if (policy.sameMachine) {
    const alive = ownerAlive(claim.owner);
    if (alive !== undefined) return alive;
  }
  const until = claim.lease_until !== undefined ? Date.parse(claim.lease_until) : Date.parse(claim.started_at) + LEGACY_LEASE_MS;
  return now.getTime() < until;
}

/** a claim taken: renewed until released, or handed over */
export interface Held {
  release(): Promise<void>;
  /**
   * Stops renewing and leases the claim for `leaseMs` more, for a worker elsewhere that finishes the job (the ingest
   * state machine) and releases it with the returned token (releaseClaim); release() then does nothing.
   */
  handOver(leaseMs: number): Promise<string>;
}

/** removes the claim at `key` when it is still the one `token` names (a claim handed over, then finished) */
export async function releaseClaim(store: ObjectStore, key: string, token: string): Promise<void> {
  const now = await readClaim<Lease>(store, key).catch(() => undefined);
  if (now?.token === token) await store.delete(key);
}

/**
 * Takes the claim at `key` with `payload`: `{ held }` when this call holds it (renewed until released), else
 * `{ heldBy }`, the live claim of its holder. A dead claim is replaced, and so is one that went away between the
 * failed create and its read (its holder released it): one more create, whose failure means another took it meanwhile.
 */
export async function takeClaim<P extends object>(
  store: ObjectStore,
  key: string,
  payload: P,
  policy: LivenessPolicy = {},
): Promise<{ readonly held: Held } | { readonly heldBy: P & Lease }> {
  const leaseMs = policy.leaseMs ?? LEASE_MS;
  const mine = { ...payload, started_at: new Date().toISOString(), owner: thisProcess(), token: randomUUID() };
  const body = () => JSON.stringify({ ...mine, lease_until: new Date(Date.now() + leaseMs).toISOString() });
  if (!(await store.create(key, body()))) {
    const held = await readClaim<P & Lease>(store, key);
    if (held !== undefined && isLive(held, new Date(), policy)) return { heldBy: held };
    if (held !== undefined) await store.delete(key);
    if (!(await store.create(key, body()))) {
      const winner = await readClaim<P & Lease>(store, key);
      if (winner === undefined) throw new Error(`the claim ${key} changed hands while it was taken; try again`);
      return { heldBy: winner };
    }
  }
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      const now = await readClaim<Lease>(store, key).catch(() => undefined);
      if (now?.token === mine.token) await store.put(key, body()).catch(() => {});
    });
  }, leaseMs / 4);
  timer.unref();
  let handedOver = false;
  return {
    held: {
      async release() {
        clearInterval(timer);
        await renewing;
        if (handedOver) return;
        const now = await readClaim<Lease>(store, key).catch(() => undefined);
        if (now?.token === mine.token) await store.delete(key).catch(() => {});
      },
      async handOver(ms) {
        clearInterval(timer);
        await renewing;
        const now = await readClaim<Lease>(store, key);
        if (now?.token !== mine.token) throw new Error(`the claim ${key} lapsed and was taken over before it could be handed over`);
        await store.put(key, JSON.stringify({ ...mine, lease_until: new Date(Date.now() + ms).toISOString() }));
        handedOver = true;
        return mine.token;
      },
    },
  };
}
