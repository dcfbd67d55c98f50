/** Wires the local default: a folder as the object store, embedded DuckDB as the engine, outbox files as the queue. */
import { resolve } from 'node:path';
import type { PipelineContext, Progress } from '../pipeline/context.js';
import { OutboxQueue } from '../queue/outbox.js';
import { DuckDbEngine } from '../sql/duckdb.js';
import { LocalFolderStore } from '../store/local.js';

export const DEFAULT_HOME = '.stratify';

/** `--home`, else STRATIFY_HOME, else `.stratify` in the working folder */
export function resolveHome(flag: string | undefined): string {
  return resolve(flag ?? process.env.STRATIFY_HOME ?? DEFAULT_HOME);
}

export interface LocalContext extends PipelineContext {
  readonly store: LocalFolderStore;
  readonly engine: DuckDbEngine;
}

export async function openLocal(home: string, progress: Progress): Promise<LocalContext> {
  const store = new LocalFolderStore(home);
  await store.removeDeadTemporaries();
  const engine = await DuckDbEngine.open(store);
  // every process sharing a home runs on this machine: a dead one is known by its pid
  return { store, engine, queue: new OutboxQueue(store), progress, sameMachine: true };
}
