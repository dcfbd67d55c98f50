/**
 * Inputs that say what happened: each problem of a file is named (the column, the line, the link), never silently
 * absorbed. Encoding, header columns, person-id padding, a misspelled FHIR Bundle, symbolic links.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, sourcesFromPaths, type IngestSource } from '../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from './helpers.js';

const ELIGIBILITY = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\n';
const span = (id: string) => `${id},female,1950-01-01,2024-01-01,2025-12-31\n`;

/** a source over raw bytes (not UTF-8 text) */
const bytesSource = (name: string, bytes: Buffer): IngestSource => ({ name, size: bytes.length, open: () => Readable.from([bytes]) });

describe('ingest: each problem of a file is named', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext();
  });
  afterEach(() => ctx.dispose());

  describe('text encoding', () => {
    // Müller and Mäller in Latin-1: bytes 0xFC and 0xE4, each invalid as UTF-8, both once decoded as M\uFFFDller
    const latin1 = Buffer.concat([Buffer.from(ELIGIBILITY), Buffer.from(span('M\xfcller') + span('M\xe4ller'), 'latin1')]);

    it('stops a file with invalid UTF-8, naming the byte and the line, and writes nothing of it', async () => {
      const [report] = await ingest(ctx, [bytesSource('landing/eligibility.csv', latin1)]);
      // the header is 70 bytes (9 + 6 + 10 + 21 + 19 letters, 4 commas, a newline), then 'M' at 70 and 0xFC at 71
      expect(report!.error).toBe('not valid UTF-8: byte 0xfc on line 2 (byte offset 71); a Latin-1 file is read with --encoding latin1');
      expect(await ctx.store.list('curated/')).toEqual([]);
    });

    it('reads it as Latin-1 when told: two persons, not one', async () => {
      const [report] = await ingest(ctx, [bytesSource('landing/eligibility.csv', latin1)], { encoding: 'latin1' });
      expect(report).toMatchObject({ read: 2, accepted: 2 });
      expect(await ctx.engine.query('select person_id from members order by 1')).toEqual([{ person_id: 'Mäller' }, { person_id: 'Müller' }]);
    });

    it('finds an invalid byte past the first chunk, and lets a character cut between chunks through', async () => {
      // 'é' (c3 a9) split across two chunks is valid; a lone 0xff on line 4 is not
      const head = Buffer.from(ELIGIBILITY + span('P1') + 'Ren'), tail = Buffer.from('é,female,1950-01-01,2024-01-01,2025-12-31\n');
      const split: IngestSource = { name: 'landing/eligibility.csv', open: () => Readable.from([Buffer.concat([head, tail.subarray(0, 1)]), tail.subarray(1)]) };
      expect((await ingest(ctx, [split]))[0]).toMatchObject({ read: 2, accepted: 2 });
      const bad: IngestSource = { name: 'landing/eligibility2.csv', open: () => Readable.from([head, tail, Buffer.from([0x50, 0xff, 0x0a])]) };
      expect((await ingest(ctx, [bad]))[0]!.error).toMatch(/^not valid UTF-8: byte 0xff on line 4 /);
    });
  });

  describe('header columns', () => {
    it('names a column that appears twice, and quarantines a record whose copies differ', async () => {
      const header = 'person_id,birth_date,enrollment_start_date,enrollment_end_date,birth_date\n';
      const [report] = await ingest(ctx, [textSource('landing/e.csv', header + 'P1,1950-01-01,2024-01-01,2025-12-31,1951-01-01\nP2,1950-01-01,2024-01-01,2025-12-31, 1950-01-01\n')]);
      expect(report).toMatchObject({ read: 2, accepted: 1, quarantined: 1, notes: ['column birth_date appears 2 times (columns 2 and 5): a record whose copies differ is quarantined'] });
      expect((await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value])).toEqual([
        [1, 'birth_date', 'column birth_date appears 2 times with different values', ['1950-01-01', '1951-01-01']],
      ]);
    });

    it('names the column a table lacks, whether detection or the reader finds it missing', async () => {
      const noType = 'claim_id,claim_line_number,person_id,claim_start_date,claim_end_date,diagnosis_code_1\n';
      const noEnd = 'claim_id,claim_line_number,claim_type,person_id,claim_start_date,diagnosis_code_1\n';
      const reports = await ingest(ctx, [textSource('landing/medical_claim.csv', noType), textSource('landing/claims2.csv', noEnd)]);
      expect(reports.map((r) => r.error)).toEqual([
        'header matches no Tuva input table (eligibility, medical_claim, pharmacy_claim, observation, lab_result); as a Tuva medical_claim table it lacks column claim_type',
        'missing column claim_end_date',
      ]);
    });

    it('notes a missing amount column instead of storing nulls silently', async () => {
      const claims =
        'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,diagnosis_code_1,paid_amount\n' +
        'C1,1,professional,P1,2025-03-01,2025-03-01,I10,12.00\n';
      const [, report] = await ingest(ctx, [textSource('landing/eligibility.csv', ELIGIBILITY + span('P1')), textSource('landing/medical_claim.csv', claims)]);
      expect(report).toMatchObject({ accepted: 1, notes: ['no allowed_amount column: null on every line, so costs count none of it'] });
    });
  });

  it('trims person ids in device NDJSON as in CSV: a padded id is the same person', async () => {
    const reading = { person_id: ' P1 ', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' };
    const [, report] = await ingest(ctx, [textSource('landing/eligibility.csv', ELIGIBILITY + span('P1')), textSource('landing/r.ndjson', JSON.stringify(reading) + '\n')]);
    expect(report).toMatchObject({ read: 1, accepted: 1, quarantined: 0 });
    expect(await ctx.engine.query('select person_id from observations')).toEqual([{ person_id: 'P1' }]);
  });

  it('trims a FHIR Patient id and a reference to it by the same rule', async () => {
    const lines = [
      { resourceType: 'Patient', id: ' p1 ', birthDate: '1950-01-01' },
      { resourceType: 'Condition', id: 'c1', subject: { reference: ' Patient/p1 ' }, recordedDate: '2025-01-01', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] } },
    ];
    const [report] = await ingest(ctx, [textSource('landing/bulk.ndjson', lines.map((l) => JSON.stringify(l)).join('\n') + '\n')]);
    expect(report).toMatchObject({ read: 2, accepted: 2, quarantined: 0 });
    expect(await ctx.engine.query('select person_id, icd10_code from diagnoses')).toEqual([{ person_id: 'p1', icd10_code: 'I10' }]);
  });

  it('quarantines a FHIR Bundle whose resourceType is misspelled, instead of skipping everything in it', async () => {
    const bundel = { resourceType: 'Bundel', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01' } }] };
    const [report] = await ingest(ctx, [textSource('landing/bundle.json', JSON.stringify(bundel, null, 2))]);
    expect(report).toMatchObject({ format: 'fhir-json', read: 1, accepted: 0, quarantined: 1, skippedRecords: 0 });
    expect((await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value])).toEqual([[1, 'resourceType', 'not a FHIR R4 resource type', 'Bundel']]);
  });

  describe('symbolic links in a folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'stratify-links-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('reports a dangling link and a link to a folder per file, follows a link to a file, and ingests the rest', async () => {
      const drop = join(dir, 'drop');
      await writeFile(join(dir, 'elsewhere.csv'), ELIGIBILITY + span('P2'));
      await mkdir(drop);
      await writeFile(join(drop, 'a-eligibility.csv'), ELIGIBILITY + span('P1'));
      await symlink(join(dir, 'gone.csv'), join(drop, 'b-dangling.csv'));
      await symlink(join(dir, 'elsewhere.csv'), join(drop, 'c-linked.csv'));
      await symlink(dir, join(drop, 'd-loop'));
      const reports = await ingest(ctx, await sourcesFromPaths([drop]));
      expect(reports.map((r) => [r.file.slice(dir.length + 1), r.accepted, r.error ?? null])).toEqual([
        ['drop/a-eligibility.csv', 1, null],
        ['drop/b-dangling.csv', 0, `cannot read: dangling symbolic link: its target ${join(dir, 'gone.csv')} does not exist`],
        ['drop/c-linked.csv', 1, null],
        ['drop/d-loop', 0, `cannot read: symbolic link to ${dir}, not a file: not followed`],
      ]);
    });
  });
});
