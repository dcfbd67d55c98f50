/**
 * `stratify run` as a user runs it, with one member the model cannot score: a woman born on 1900-06-01 is a
 * plausible record at ingest (1900 is the earliest day accepted) but 126 years old on 2026-06-30, beyond the oldest
 * CMS-HCC factor (120). She is set aside and named in the summary with the feature and the reason, the run exits 1
 * ("some input was rejected"), and the other members are still scored and written.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratify, type CliResult } from './run-stratify.js';

const ELIGIBILITY = [
  'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date',
  'A1,female,1950-03-01,2025-01-01,2026-12-31',
  'A2,male,1948-07-15,2025-01-01,2026-12-31',
  'OLD,female,1900-06-01,2025-01-01,2026-12-31',
].join('\n');

describe('stratify run: a member the model cannot score', () => {
  let home: string;
  let run: CliResult;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-set-aside-'));
    await mkdir(join(home, 'landing'), { recursive: true });
    await writeFile(join(home, 'landing', 'eligibility.csv'), ELIGIBILITY + '\n');
    run = await stratify(['run', '--as-of', '2026-06-30', '--home', home]);
  }, 60_000);
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('is set aside, named with the feature and the reason; the run exits 1 with no raw zod dump', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('members scored: 2');
    expect(run.stdout).toContain('Set aside: 1 member the model cannot score');
    expect(run.stdout).toContain('OLD: age 126: CMS-HCC cannot score it: expected whole years from 0 to 120');
    expect(run.stdout + run.stderr).not.toMatch(/"code":|ZodError|invalid_type/);
  });

  it('leaves the others scored in the scores table, and the member set aside there with the error', async () => {
    const sql = await stratify(['sql', 'select person_id, rank, error from scores order by person_id', '--format', 'json', '--home', home]);
    expect(JSON.parse(sql.stdout)).toEqual([
      { person_id: 'A1', rank: expect.any(Number), error: null },
      { person_id: 'A2', rank: expect.any(Number), error: null },
      { person_id: 'OLD', rank: null, error: 'age 126: CMS-HCC cannot score it: expected whole years from 0 to 120' },
    ]);
  });
});
