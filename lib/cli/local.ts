/** Wires the local default: a folder as the object store, embedded DuckDB as the engine, outbox files as the queue. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PipelineContext, Progress } from '../pipeline/context.js';
import { OutboxQueue } from '../queue/outbox.js';
import { DuckDbEngine } from '../sql/duckdb.js';
import { LocalFolderStore } from '../store/local.js';
import { CliError } from './errors.js';

export const DEFAULT_HOME = '.stratify';

/** `--home`, else STRATIFY_HOME, else `.stratify` in the working folder */
export function resolveHome(flag: string | undefined): string {
  return resolve(flag ?? process.env.STRATIFY_HOME ?? DEFAULT_HOME);
}

/** the home of a command that only reads: a folder that does not exist is a mistake (a typo), not an empty store */
export function existingHome(flag: string | undefined): string {
  const home = resolveHome(flag);
  if (!existsSync(home)) {
    throw new CliError(`no store at ${home}: give the folder \`stratify demo\` or \`stratify run\` wrote with --home (or STRATIFY_HOME)`);
  }
  return home;
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
