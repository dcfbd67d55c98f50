/**
 * `stratify ingest` as a user runs it (a real process): what it took each file to be, in the table and in --json,
 * with a vendor mapping and a gzip file in the same delivery; a bad mapping is a command-line error naming its field.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratify } from '../cli/run-stratify.js';
import { SAMPLES } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/vendor/', import.meta.url));


describe('stratify ingest: detection report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-cli-ingest-'));
    await writeFile(join(dir, 'pharmacy_claim.csv.gz'), gzipSync(await readFile(join(SAMPLES, 'pharmacy_claim_seed.csv'))));
    await copyFile(join(FIXTURES, 'visit-wide.csv'), join(dir, 'visits.csv'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says per file: format, layout, gzip, mapping (--json), with the counts reconciled', async () => {
    const map = join(FIXTURES, 'visit-wide.mapping.json');
    const args = ['ingest', join(SAMPLES, 'eligibility_seed.csv'), join(dir, 'pharmacy_claim.csv.gz'), join(dir, 'visits.csv'), '--map', map];
    const r = await stratify([...args, '--json', '--home', join(dir, 'home-json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(reports.map(({ format, layout, gzip, mapping, read }) => ({ format, layout, gzip, mapping, read }))).toEqual([
      { format: 'tuva-eligibility', layout: 'person_id', gzip: false, mapping: null, read: 31 },
      { format: 'tuva-pharmacy-claim', layout: 'person_id', gzip: true, mapping: null, read: 291 },
      { format: 'vendor-csv', layout: null, gzip: false, mapping: map, read: 5 },
    ]);
    for (const x of reports) expect(x.read).toBe((x.accepted as number) + (x.quarantined as number) + (x.skipped as number));
    // the metrics the ingest function publishes for the same file, by format and in total
    for (const x of reports) {
      const metrics = x.metrics as { name: string; value: number; dimensions: Record<string, string> }[];
      const of = (name: string) => metrics.filter((m) => m.name === name).map((m) => [m.dimensions['format'] ?? 'total', m.value]);
      expect(of('RecordsRead')).toEqual([[x.format, x.read], ['total', x.read]]);
      expect(of('QuarantineRate')).toEqual([[x.format, (100 * (x.quarantined as number)) / (x.read as number)], ['total', (100 * (x.quarantined as number)) / (x.read as number)]]);
    }

    const table = await stratify([...args, '--home', join(dir, 'home-table')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/pharmacy_claim\.csv\.gz\s+tuva-pharmacy-claim \(person_id, gzip\)\s+291\s+291/);
    expect(table.stdout).toContain(`vendor-csv (mapping ${map})`);
  });

  it('data quality in ingest --json: the claims conventions detected (header or line amounts, reversals)', async () => {
    const r = await stratify(['ingest', join(SAMPLES, 'eligibility_seed.csv'), join(SAMPLES, 'medical_claim_seed.csv'), '--json', '--home', join(dir, 'home-dq')]);
    expect(r.code).toBe(0);
    const claims = (JSON.parse(r.stdout) as Record<string, unknown>[])[1]!;
    // Tuva's synthetic claims put the paid amount on line 1 only: none of the 94 multi-line institutional claims
    // carries one amount on every line (counted from the CSV), so the lines are summed; 206 of the 2,075 lines carry
    // no diagnosis, every type of bill and place of service is well formed (counted from the CSV too)
    expect(claims.conventions).toEqual({
      amounts: 'line',
      multi_line_claims: 94,
      identical_amount_claims: 0,
      negative_lines: 0,
      lines_without_diagnoses: 206,
      impossible_bill_types: 0,
      impossible_places_of_service: 0,
    });
    expect(claims.notes).toContain('amounts: line amounts (0 of 94 multi-line institutional claims carry one paid amount on every line): lines summed');
  });

  it('refuses a mapping that cannot be used, naming the mapping field, before reading anything', async () => {
    const bad = join(dir, 'bad.mapping.json');
    const mapping = JSON.parse(await readFile(join(FIXTURES, 'visit-wide.mapping.json'), 'utf8')) as { time: { zone: string } };
    mapping.time.zone = 'Eastern';
    await writeFile(bad, JSON.stringify(mapping));
    const r = await stratify(['ingest', join(dir, 'visits.csv'), '--map', bad, '--home', join(dir, 'home-bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`stratify: --map ${bad}: time.zone: not an IANA time zone (e.g. America/Chicago)`);
  });
});

describe('stratify run --map', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratify-cli-run-map-'));
    await mkdir(join(home, 'landing'), { recursive: true });
    await copyFile(join(FIXTURES, 'visit-wide.csv'), join(home, 'landing', 'visits.csv'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('reads the vendor CSVs waiting in landing/ through the mapping, as ingest --map does', async () => {
    const r = await stratify(['run', '--as-of', '2026-06-30', '--map', join(FIXTURES, 'visit-wide.mapping.json'), '--home', home]);
    expect(r.code).toBe(0);
    // the 7 observations of visit-wide.csv worked out in vendor-csv.test.ts (one row skipped, one quarantined)
    const q = await stratify(['sql', "select count(*) as n from observations where source = 'device'", '--format', 'json', '--home', home]);
    expect(JSON.parse(q.stdout)).toEqual([{ n: 7 }]);
  });

  it('refuses a mapping that cannot be used before running anything (exit 2)', async () => {
    const r = await stratify(['run', '--as-of', '2026-06-30', '--map', join(home, 'missing.json'), '--home', home]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`stratify: --map ${join(home, 'missing.json')}`);
  });
});
