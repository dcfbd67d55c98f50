/**
 * `stratify run` as a user runs it, on a landing folder and feedback with what goes wrong in practice; the summary
 * names each thing and the run exits 1 ("some input was rejected"):
 * - one member the model cannot score: a woman born on 1900-06-01 is a plausible record at ingest (1900 is the
 *   earliest day accepted) but 126 years old on 2026-06-30, beyond the oldest CMS-HCC factor (120). She is set aside,
 *   and the other members are still scored and written;
 * - a file that cannot be read (gzip magic bytes, then garbage), a symbolic link and a dangling one in landing/;
 * - partner feedback with a line that is not JSON and one reported in the future.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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

describe('stratify run: the summary names what was not used', () => {
  let home: string;
  let run: CliResult;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-set-aside-'));
    await mkdir(join(home, 'landing'), { recursive: true });
    await writeFile(join(home, 'landing', 'eligibility.csv'), ELIGIBILITY + '\n');
    // a gzip header (10 bytes), then a deflate block of an invalid type
    await writeFile(join(home, 'landing', 'claims.csv.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(40, 0xff)]));
    await writeFile(join(home, 'outside.csv'), ELIGIBILITY + '\n');
    await symlink(join(home, 'outside.csv'), join(home, 'landing', 'linked.csv'));
    await symlink(join(home, 'gone.csv'), join(home, 'landing', 'dangling.csv'));
    await mkdir(join(home, 'feedback', 'heartline'), { recursive: true });
    await writeFile(join(home, 'feedback', 'heartline', 'june.ndjson'), 'not json\n{"person_id":"A1","status":"enrolled","reported_at":"2999-01-01"}\n');
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

  it('lists every file not ingested with its reason', () => {
    expect(run.stdout).toContain('Files not ingested this run: 3');
    expect(run.stdout).toContain('landing/claims.csv.gz: cannot read: landing/claims.csv.gz starts like gzip but does not decompress: invalid block type');
    expect(run.stdout).toContain(`landing/linked.csv: symbolic link to ${join(home, 'outside.csv')}: not followed (landing/ takes regular files)`);
    expect(run.stdout).toContain(`landing/dangling.csv: dangling symbolic link: its target ${join(home, 'gone.csv')} does not exist`);
  });

  it('shows the partner feedback lines rejected, with file, line and reason', () => {
    expect(run.stdout).toContain('Partner feedback lines rejected: 2');
    expect(run.stdout).toContain('feedback/heartline/june.ndjson line 1: not JSON');
    expect(run.stdout).toContain('feedback/heartline/june.ndjson line 2: reported_at: reported in the future');
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

describe('describeError: an unexpected zod error is one sentence', () => {
  it('names the path and the message of the first issue', async () => {
    const { z } = await import('zod');
    const { describeError } = await import('../../lib/cli/errors.js');
    const result = z.object({ person_id: z.string() }).array().safeParse([{ person_id: 'P1' }, { person_id: 7 }, {}]);
    expect(describeError(result.error)).toBe('invalid value at 1.person_id: Invalid input: expected string, received number (and 1 more)');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
