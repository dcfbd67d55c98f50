/**
 * The process's private scratch folder, for temporary files that hold raw records (the quarantine log of a file
 * being ingested): `<tmpdir>/stratify-<pid>-<random>/`, created 0700 (mkdtemp), removed when the process exits. A
 * process killed with -9 (or a Lambda that timed out) cannot remove its own, so the first call of each process
 * removes the scratch folders of processes that are gone: a folder whose pid is not alive on this machine, or whose
 * pid is this process's but not made by it (a container that reuses pids, as Lambda's does across restarts).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from './owner.js';

const PREFIX = 'stratify-';
const NAME = /^stratify-(\d+)-[A-Za-z0-9]{6}$/;

let mine: Promise<string> | undefined;

/** removes the scratch folders of processes that are gone; returns their names */
export async function removeDeadScratch(dir = tmpdir(), own?: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = NAME.exec(name);
    if (m === null || join(dir, name) === own) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !pidAlive(pid)) {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** this process's scratch folder, made (and the dead ones removed) on first use */
export function scratchDir(): Promise<string> {
  mine ??= (async () => {
    await removeDeadScratch();
    const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return mine;
}
