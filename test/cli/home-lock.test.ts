/**
 * One writer of a home at a time (lib/cli/home-lock.ts): a command that finds the home held by a live process waits,
 * saying so, and fails naming the holder once its wait is over; the lock of a process that is gone is taken over.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TUVA_SAMPLES } from '../samples.js';
import { stratify } from './run-stratify.js';

const lock = (pid: number) =>
  JSON.stringify({ command: 'run', started_at: '2026-06-30T06:00:00.000Z', lease_until: '2999-01-01T00:00:00.000Z', owner: { host: hostname(), pid } });

describe('the home lock', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-lock-'));
    await mkdir(join(home, 'locks'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('makes a second writer wait, then fail naming the holder (exit 1), ingesting nothing', async () => {
    // held by this test's own process: alive, on this machine
    await writeFile(join(home, 'locks', 'home.json'), lock(process.pid));
    const r = await stratify(['ingest', join(TUVA_SAMPLES, 'eligibility_seed.csv'), '--home', home], { STRATIFY_LOCK_WAIT_SECONDS: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`another \`stratify run\` (pid ${process.pid} on ${hostname()}, started 2026-06-30T06:00:00.000Z) is using ${home}; waiting for it to finish`);
    expect(r.stderr).toContain('is still using');
    expect(await stratify(['sql', 'select count(*) as n from members', '--format', 'csv', '--home', home])).toMatchObject({ code: 0, stdout: 'n\n0\n' });
  });

  it('takes over the lock of a process that is gone, at once', async () => {
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    await writeFile(join(home, 'locks', 'home.json'), lock(dead));
    const r = await stratify(['ingest', join(TUVA_SAMPLES, 'eligibility_seed.csv'), '--home', home], { STRATIFY_LOCK_WAIT_SECONDS: '0' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('waiting');
  });
});
