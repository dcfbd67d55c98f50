/**
 * Everything Stratify writes is private whatever the umask (folders 0700, files 0600: the home holds claims and
 * member ids), and the quarantine's temporary file lives in a private scratch folder that is removed at exit, and by
 * the next process when a crash left it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDeadScratch, scratchDir } from '../../lib/scratch.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';

const BIN = fileURLToPath(new URL('../../bin/stratify.js', import.meta.url));

/** every path under `dir` with its permission bits */
async function modes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of await readdir(dir, { recursive: true })) {
    const p = join(dir, name);
    out.set(p, (await stat(p)).mode & 0o777);
  }
  return out;
}

describe('private files', () => {
  let root: string;
  let home: string;
  let scratch: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stratify-private-'));
    home = join(root, 'home');
    scratch = join(root, 'tmp');
    await mkdir(scratch);
    // umask 000: what the process would create world-writable if Stratify did not set the modes itself
    await promisify(execFile)('/bin/sh', ['-c', `umask 000 && exec "${process.execPath}" "${BIN}" demo --members 200 --as-of 2026-06-30 --home "${home}"`], {
      env: { ...process.env, TMPDIR: scratch },
    });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('creates the home and every folder 0700, every file 0600, under umask 000', async () => {
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const all = await modes(home);
    // landing, curated, manifests, features, scores, flags, worklists, outbox, ledger … (the count keeps the check live)
    expect(all.size).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const [p, m] of all) if (m !== ((await stat(p)).isDirectory() ? 0o700 : 0o600)) wrong.push(`${p} ${m.toString(8)}`);
    expect(wrong).toEqual([]);
  });

  it('leaves no scratch folder (the quarantine logs of the demo were written through one) once the process exits', async () => {
    expect((await readdir(scratch)).filter((n) => n.startsWith('stratify-'))).toEqual([]);
  });

  it("sends DuckDB's spill files to the private scratch folder, not to .tmp in the working folder", async () => {
    const engine = await DuckDbEngine.open(new LocalFolderStore(join(root, 'engine-home')));
    try {
      const [row] = await engine.query<{ dir: string }>("select current_setting('temp_directory') as dir");
      expect(row!.dir).toBe(join(await scratchDir(), 'duckdb'));
      expect((await stat(await scratchDir())).mode & 0o777).toBe(0o700);
    } finally {
      await engine.close();
    }
  });

  it('removes the scratch folder a killed process left, not one of a live process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratify-scratch-test-'));
    try {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      await new Promise((r) => child.once('spawn', r));
      const dead = spawn(process.execPath, ['-e', '']);
      await new Promise((r) => dead.once('exit', r));
      for (const [pid, body] of [[child.pid!, 'live'], [dead.pid!, 'raw claim lines']] as const) {
        await mkdir(join(dir, `stratify-${pid}-abc123`), { mode: 0o700 });
        await writeFile(join(dir, `stratify-${pid}-abc123`, 'quarantine-x.ndjson'), body);
      }
      expect(await removeDeadScratch(dir)).toEqual([`stratify-${dead.pid}-abc123`]);
      expect(await readdir(dir)).toEqual([`stratify-${child.pid}-abc123`]);
      child.kill();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
