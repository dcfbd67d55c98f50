/**
 * Each kind of bad record ends in quarantine/<sha16>.ndjson with its file, record number, field and reason, and
 * nothing of it reaches curated/. Eligibility for P1 and P2 is delivered in the same run, so P9 is an unknown person.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import type { QuarantineLine } from '../../lib/ingest/types.js';
import { scratchDir } from '../../lib/scratch.js';
import type { ObjectStore } from '../../lib/store/port.js';
import { CLAIM_HEADER, claimLine, csvLine, csvText, quarantinedIn, quarantineLines, testContext, textSource, type TestContext } from './helpers.js';

const ELIGIBILITY = [
  ['person_id', 'gender', 'birth_date', 'enrollment_start_date', 'enrollment_end_date', 'hospice_flag', 'dual_status_code'],
  ['P1', 'female', '1950-06-15', '2024-01-01', '2025-12-31', '0', '2.0'], // a spreadsheet's 02: full-benefit dual
  ['P2', 'male', '1950-02-30', '2024-01-01', '2025-12-31', '0', ''], // 1: no such day
  ['P2', 'male', '1950-02-28', '2025-01-01', '2024-12-31', '0', ''], // 2: ends before it starts
  ['P2', 'male', '1950-02-28', '2024-01-01', '2025-12-31', 'Y', ''], // 3: not a flag
  ['P2', 'male', '1950-02-28', '2024-01-01', '2025-12-31', '1', ''],
  ['P2', 'male', '1950-02-28', '2026-01-01', '2026-12-31', '0', '07'], // 5: no such CMS dual status code
];

const claim = claimLine;
const CLAIMS = [
  CLAIM_HEADER,
  claim('C1'),
  claim('C2', { diagnosis_code_2: 'ZZZ99' }),
  claim('C3', { diagnosis_code_1: '12345' }),
  claim('C4', { diagnosis_code_2: 'E11#9' }),
  claim('C5', { claim_end_date: '2025-02-28' }),
  claim('C6', { claim_type: 'institutional', bill_type_code: '111', admission_date: '2025-03-01', discharge_date: '2025-02-27' }),
  claim('C7', { paid_amount: '5,00' }), // a negative amount is a reversal, kept (claim-amounts.test.ts); this is no number
  claim('C8', { person_id: 'P9' }),
  claim('C9', { claim_start_date: '2025-13-01' }),
  claim('C11', { diagnosis_code_type: 'icd-9-cm', diagnosis_code_1: 'V5861' }),
];

const DEVICE = [
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '85354-9', components: [{ code: '8480-6', value: 400, unit: 'mm[Hg]' }, { code: '8462-4', value: 90, unit: 'mm[Hg]' }] },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '85354-9', components: [{ code: '8480-6', value: 120, unit: 'mm[Hg]' }, { code: '8462-4', value: 10, unit: 'mm[Hg]' }] },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '59408-5', value: 45, unit: '%' },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '29463-7', value: 10, unit: 'kg' },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '41653-7', value: 5, unit: 'mg/dL' },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 300, unit: '/min' },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00', code: '8867-4', value: 70, unit: '/min' },
  { person_id: 'P9', measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' },
  '{"person_id": "P1", "measured_at": ',
  { measured_at: '2025-06-01T07:00:00Z', code: '8867-4', value: 70, unit: '/min' },
  { person_id: 'P1', measured_at: '2025-06-01T07:00:00Z', code: '29463-7', value: 12, unit: 'st' },
  { person_id: 'P1', measured_at: '2025-06-02T07:00:00Z', code: '29463-7', value: 80, unit: 'kg' },
  { person_id: 'P1', measured_at: '2025-06-03T07:00:00Z', code: '29463-7', value: 80.5, unit: 'kg' },
  { person_id: 'P1', measured_at: '2025-06-04T07:00:00Z', code: '29463-7', value: 79.8, unit: 'kg' },
  { person_id: 'P1', measured_at: '2025-06-05T07:00:00Z', code: '29463-7', value: 176.4, unit: 'kg' },
  { person_id: 'P1', measured_at: '2025-06-06T07:00:00Z', code: '29463-7', value: 81, unit: 'kg' },
];

describe('ingest: quarantine', () => {
  let ctx: TestContext;
  let reports: IngestReport[];
  let lines: QuarantineLine[];
  const of = (file: string) => quarantinedIn(lines, file);

  beforeAll(async () => {
    ctx = await testContext();
    reports = await ingest(ctx, [
      textSource('landing/claims.csv', csvText(CLAIMS) + 'C10,1,professional\n'),
      textSource('landing/readings.ndjson', DEVICE.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).join('\n') + '\n'),
      textSource('landing/elig.csv', csvText(ELIGIBILITY)),
    ]);
    lines = await quarantineLines(ctx);
  });
  afterAll(() => ctx.dispose());

  it('quarantines bad eligibility spans', () => {
    expect(of('landing/elig.csv')).toEqual([
      [2, 'birth_date', 'not a calendar date'],
      [3, 'enrollment_end_date', 'enrollment_end_date before enrollment_start_date'],
      [4, 'hospice_flag', 'not a 0/1 flag'],
      [6, 'dual_status_code', 'not a CMS dual status code (00-06, 08, 09, 10, 99, NA)'],
    ]);
    expect(reports[2]).toMatchObject({ read: 6, accepted: 2, quarantined: 4 });
  });

  it('keeps a dual status code a spreadsheet turned into a number as its two digits', async () => {
    expect(await ctx.engine.query("select dual_status_code from members where person_id = 'P1'")).toEqual([{ dual_status_code: '02' }]);
  });

  it('quarantines bad claim lines whole, one reason each', () => {
    expect(of('landing/claims.csv')).toEqual([
      [2, 'diagnosis_code_2', 'not an ICD-10-CM code'],
      [3, 'diagnosis_code_1', 'not an ICD-10-CM code'],
      [4, 'diagnosis_code_2', 'not an ICD-10-CM code'],
      [5, 'claim_end_date', 'claim_end_date before claim_start_date'],
      [6, 'discharge_date', 'discharge_date before admission_date'],
      [7, 'paid_amount', 'not a number'],
      [8, 'person_id', 'unknown person'],
      [9, 'claim_start_date', 'not a calendar date'],
      [10, 'diagnosis_code_type', 'ICD-9 diagnoses are not accepted'],
      [11, '', 'wrong number of fields'],
    ]);
    expect(lines.find((l) => l.record === 2 && l.file === 'landing/claims.csv')!.value).toBe('ZZZ99');
    expect(reports[0]).toMatchObject({ read: 11, accepted: 1, quarantined: 10, reasons: { 'not an ICD-10-CM code': 3, 'unknown person': 1 } });
  });

  it('keeps each rejected record as it arrived, so it can be corrected and sent again', () => {
    const raw = (file: string, record: number) => lines.find((l) => l.file === file && l.record === record)!.raw;
    expect(raw('landing/claims.csv', 7)).toBe(csvLine(claim('C7', { paid_amount: '5,00' })));
    expect(raw('landing/claims.csv', 11)).toBe('C10,1,professional');
    expect(raw('landing/readings.ndjson', 9)).toBe('{"person_id": "P1", "measured_at": ');
    expect(JSON.parse(raw('landing/readings.ndjson', 15))).toEqual(DEVICE[14]);
  });

  it('stores nothing of a quarantined claim line', async () => {
    const rows = await ctx.engine.query(`SELECT claim_id, position, icd10_code FROM diagnoses ORDER BY claim_id`);
    expect(rows).toEqual([{ claim_id: 'C1', position: 1, icd10_code: 'E119' }]);
  });

  it('quarantines implausible, unconvertible, unplaced and malformed readings', () => {
    expect(of('landing/readings.ndjson')).toEqual([
      [1, 'components[0].value', 'implausible value'],
      [2, 'components[1].value', 'implausible value'],
      [3, 'value', 'implausible value'],
      [4, 'value', 'implausible value'],
      [5, 'value', 'implausible value'],
      [6, 'value', 'implausible value'],
      [7, 'measured_at', 'timestamp without UTC offset'],
      [8, 'person_id', 'unknown person'],
      [9, '', 'not valid JSON'],
      [10, 'person_id', 'not a device reading: Invalid input: expected string, received undefined'],
      [11, 'value', 'unit not convertible to kg'],
      [15, 'value', 'weight looks like pounds labelled kg'],
    ]);
    expect(reports[1]).toMatchObject({ read: 16, accepted: 4, quarantined: 12, skippedRecords: 0, notes: [] });
  });
});

describe('ingest: the quarantine log of a file is put once, streamed from a temporary file', () => {
  const HEADER = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date';
  // 2,500 records with no such day: 3 blocks of lines (1,000 + 1,000 + 500), so the temporary file took 3 writes
  const bad = (tag: string, n = 2500) => Array.from({ length: n }, (_, i) => `${tag}${i + 1},female,1950-02-30,2024-01-01,2024-12-31`);
  let ctx: TestContext;
  let tmp: string;
  /** `op key` of every put and append under quarantine/, and the temporary folder's files when the log was put */
  let writes: string[];
  let tmpAtPut: string[][];

  /** ctx.store with its quarantine writes recorded; `refuse` makes a put of a quarantine log fail */
  const recording = (inner: ObjectStore, refuse = false): ObjectStore => ({
    location: inner.location,
    put: async (key, body) => {
      if (key.startsWith('quarantine/')) {
        writes.push(`put ${key}`);
        tmpAtPut.push(await readdir(tmp));
        if (refuse) throw new Error('store refused the put');
      }
      return inner.put(key, body);
    },
    append: async (key, text) => {
      if (key.startsWith('quarantine/')) writes.push(`append ${key}`);
      return inner.append(key, text);
    },
    create: (key, body) => inner.create(key, body),
    get: (key) => inner.get(key),
    read: (key) => inner.read(key),
    exists: (key) => inner.exists(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => inner.delete(key),
  });

  beforeAll(async () => {
    ctx = await testContext();
    tmp = await scratchDir(); // the process's private scratch folder (lib/scratch.ts)
  });
  afterAll(async () => {
    await ctx.dispose();
  });
  const reset = () => {
    writes = [];
    tmpAtPut = [];
  };

  it('puts the 2,500 lines of one file with one put and removes its temporary file', async () => {
    reset();
    const [report] = await ingest({ ...ctx, store: recording(ctx.store) }, [textSource('landing/elig.csv', [HEADER, ...bad('P')].join('\n') + '\n')]);
    expect(report).toMatchObject({ read: 2500, accepted: 0, quarantined: 2500 });
    expect(writes).toEqual([`put quarantine/${report!.sha256.slice(0, 16)}.ndjson`]);
    expect(tmpAtPut).toEqual([[expect.stringMatching(/^quarantine-.*\.ndjson$/)]]);
    const lines = await quarantineLines(ctx);
    expect(lines.map((l) => l.record)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(lines[2499]).toMatchObject({ file: 'landing/elig.csv', field: 'birth_date', reason: 'not a calendar date', value: '1950-02-30' });
    expect(await readdir(tmp)).toEqual([]);
  });

  it('writes no log and leaves no temporary file when the file fails after 6,000 rejections', async () => {
    reset();
    // the CSV reader hands over 5,000 records at a time, so 4,999 were rejected (4 blocks written) before the quote fails
    const broken = [HEADER, ...bad('Q', 6000), 'Q9,"female,1950-01-01,2024-01-01,2024-12-31'].join('\n') + '\n'; // unclosed quote
    const [report] = await ingest({ ...ctx, store: recording(ctx.store) }, [textSource('landing/broken.csv', broken)]);
    expect(report!.error).toMatch(/quote/i);
    expect(writes).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('leaves no temporary file when the store refuses the log', async () => {
    reset();
    const [report] = await ingest({ ...ctx, store: recording(ctx.store, true) }, [textSource('landing/refused.csv', [HEADER, ...bad('R')].join('\n') + '\n')]);
    expect(report!.error).toMatch(/store refused the put/);
    expect(writes).toHaveLength(1);
    expect(await readdir(tmp)).toEqual([]);
    expect(await ctx.store.list(`quarantine/${report!.sha256.slice(0, 16)}`)).toEqual([]);
  });
});
