/**
 * What the crash-injection and concurrency tests share: a landing folder of a generated population, the `stratify`
 * command run as a process on a home (optionally told to kill itself at a crash point, lib/crash.ts), and the state
 * of a home after a run, in the terms a user checks: curated counts, features, scores and flags, worklists, and the
 * keys in each partner's outbox and ledger.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemo } from '../../lib/demo/index.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { CURATED_TABLES } from '../../lib/tables/index.js';

const BIN = fileURLToPath(new URL('../../bin/stratify.js', import.meta.url));
export const AS_OF = '2026-06-30';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `stratify <args>` as a process; `crashAt` sets STRATIFY_CRASH_AT */
export function stratify(args: readonly string[], crashAt?: string): Promise<Exit> {
  const env = { ...process.env, STRATIFY_CRASH_AT: crashAt ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : null, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** a folder holding `<root>/template/landing/`: the generated population's files as delivered */
export async function landingTemplate(members: number, seed = 7): Promise<{ root: string; template: string; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'stratify-crash-'));
  const template = join(root, 'template');
  await generateDemo(new LocalFolderStore(template), { members, seed, asOf: AS_OF });
  return { root, template, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** a fresh home holding only the template's landing files */
export async function freshHome(template: string, root: string, name: string): Promise<string> {
  const home = join(root, name);
  await cp(join(template, 'landing'), join(home, 'landing'), { recursive: true });
  return home;
}

export interface HomeState {
  /** rows of each curated table (latest versions) and of all versions */
  readonly curated: Record<string, number>;
  readonly manifests: number;
  /** `person|score|tier|program` of every scored member, sorted */
  readonly scores: string[];
  /** `partner|person|rank` of every flag, sorted */
  readonly flags: string[];
  /** each partner's worklist without its status column (what was sent today depends on what a crash sent before) */
  readonly worklists: Record<string, string>;
  /** each partner's outbox keys, in order */
  readonly outbox: Record<string, string[]>;
  /** each partner's ledger keys, in order */
  readonly ledger: Record<string, string[]>;
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const keysOf = (text: string) =>
  lines(text).flatMap((l) => {
    try {
      return [(JSON.parse(l) as { idempotency_key: string }).idempotency_key];
    } catch {
      return [];
    }
  });

export async function homeState(home: string): Promise<HomeState> {
  const store = new LocalFolderStore(home);
  const engine = await DuckDbEngine.open(store);
  try {
    const curated: Record<string, number> = {};
    for (const t of CURATED_TABLES) {
      for (const name of [t.name, `${t.name}_versions`]) curated[name] = (await engine.query<{ n: number }>(`select count(*) as n from ${name}`))[0]!.n;
    }
    const scores = (await engine.query<{ k: string }>(`select person_id || '|' || cast(score as varchar) || '|' || tier || '|' || coalesce(program, '') as k from scores order by 1`)).map((r) => r.k);
    const flags = (await engine.query<{ k: string }>(`select partner || '|' || person_id || '|' || cast(rank as varchar) as k from flags order by 1`)).map((r) => r.k);
    const worklists: Record<string, string> = {};
    for (const { key } of await store.list(`worklists/as_of=${AS_OF}/`)) {
      const rows = lines(new TextDecoder().decode(await store.get(key))).map((l) => l.split(','));
      const at = rows[0]!.indexOf('status');
      worklists[key] = rows.map((r) => r.filter((_, i) => i !== at).join(',')).join('\n');
    }
    const outbox: Record<string, string[]> = {};
    for (const { key } of await store.list('outbox/')) outbox[key.slice('outbox/'.length)] = keysOf(new TextDecoder().decode(await store.get(key)));
    const ledger: Record<string, string[]> = {};
    for (const { key } of await store.list('dispatch/ledger/')) ledger[key.slice('dispatch/ledger/'.length)] = keysOf(new TextDecoder().decode(await store.get(key)));
    return { curated, manifests: (await store.list('manifests/')).length, scores, flags, worklists, outbox, ledger };
  } finally {
    await engine.close();
  }
}

/** keys that appear more than once in an outbox or a ledger */
export function duplicateKeys(state: HomeState): number {
  let n = 0;
  for (const keys of [...Object.values(state.outbox), ...Object.values(state.ledger)]) n += keys.length - new Set(keys).size;
  return n;
}

/** the state with each outbox and ledger as a sorted set of keys: what must equal a clean run's */
export function comparable(state: HomeState): HomeState {
  const sorted = (r: Record<string, string[]>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...new Set(v)].sort()]));
  return { ...state, outbox: sorted(state.outbox), ledger: sorted(state.ledger) };
}
