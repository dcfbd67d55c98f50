/**
 * Who holds a claim, a lock or a scratch folder: a process on a machine. On the same machine, whether that process
 * is still alive can be asked (signal 0); across machines it cannot, and claims held there rely on a lease instead
 * (lib/ingest/in-progress.ts).
 */
import { hostname } from 'node:os';

export interface Owner {
  readonly host: string;
  readonly pid: number;
}

export function thisProcess(): Owner {
  return { host: hostname(), pid: process.pid };
}

/** true when the process is alive on this machine (EPERM: alive, another user's); false when it is gone */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** whether `owner` is alive, when that can be told from here (same machine); undefined otherwise */
export function ownerAlive(owner: Owner | undefined): boolean | undefined {
  if (owner === undefined || owner.host !== hostname()) return undefined;
  return pidAlive(owner.pid);
}
