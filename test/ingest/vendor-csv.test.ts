/**
 * Vendor device CSVs through a column mapping (`--map`). The two fixtures in fixtures/vendor/ are invented (their
 * mapping's description says so), shaped like the long and wide exports remote-monitoring hubs produce. Expected
 * instants were worked out from the zone rules: US daylight time 2026 runs from 8 March to 1 November, so Chicago is
 * UTC−5 on 14 March, Denver UTC−6 on 15 March, New York UTC−4 on 1 June; 1 November 01:30 happens twice in New York
 * and the first (EDT, UTC−4) is taken; 8 March 02:30 does not exist in Chicago.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POUND_KG, GLUCOSE_MMOL_L_TO_MG_DL } from '../../lib/ingest/units.js';
import { loadMapping, MappingError, matchesMapping, parseMapping, type LoadedMapping } from '../../lib/ingest/vendor-mapping.js';
import { ingest, sourcesFromPaths, type IngestReport } from '../../lib/pipeline/ingest.js';
import { quarantineLines, testContext, textSource, type TestContext } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/vendor/', import.meta.url));

describe('vendor CSV, long export (hub-long: one reading a row, zone in a column)', () => {
  let ctx: TestContext;
  let report: IngestReport;
  beforeAll(async () => {
    ctx = await testContext();
    const mapping = await loadMapping(join(FIXTURES, 'hub-long.mapping.json'));
    [report] = (await ingest(ctx, await sourcesFromPaths([join(FIXTURES, 'hub-long.csv')]), { mapping })) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('is taken as a vendor CSV with its mapping, and every record is accounted for', () => {
    expect(report).toMatchObject({ format: 'vendor-csv', mapping: join(FIXTURES, 'hub-long.mapping.json'), gzip: false });
    expect(report).toMatchObject({ read: 11, accepted: 5, quarantined: 5, skippedRecords: 1, rows: { observations: 5 } });
    expect(report.skipReasons).toEqual({ 'measure not in the mapping': 1 }); // the STEPS row
  });

  it('maps vendor measures and units to LOINC and canonical units, local time to UTC', async () => {
    const rows = await ctx.engine.query(`SELECT person_id, observed_at, loinc_code, value, unit, device_id FROM observations ORDER BY observed_at, loinc_code`);
    const bp = Date.UTC(2026, 2, 15, 0, 5); // 14 March 19:05 CDT
    expect(rows).toEqual([
      { person_id: 'P001', observed_at: bp, loinc_code: '8462-4', value: 92, unit: 'mm[Hg]', device_id: 'BPC-1001' },
      { person_id: 'P001', observed_at: bp, loinc_code: '8480-6', value: 148, unit: 'mm[Hg]', device_id: 'BPC-1001' },
      { person_id: 'P001', observed_at: bp, loinc_code: '8867-4', value: 71, unit: '/min', device_id: 'BPC-1001' },
      { person_id: 'P001', observed_at: Date.UTC(2026, 2, 15, 11, 30), loinc_code: '29463-7', value: 182.4 * POUND_KG, unit: 'kg', device_id: 'SC-2002' },
      { person_id: 'P002', observed_at: Date.UTC(2026, 2, 15, 14, 0), loinc_code: '41653-7', value: 7.2 * GLUCOSE_MMOL_L_TO_MG_DL, unit: 'mg/dL', device_id: 'GM-3003' },
    ]);
  });

  it('quarantines a bad row naming the column, as the mapping spells it', async () => {
    const lines = (await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value]);
    expect(lines).toEqual([
      [7, 'ReadingValue', 'not a number', 'abc'],
      [8, 'ReadingUnit', 'unit not convertible to mm[Hg]', 'cmH2O'],
      [9, 'ReadingDateTime', 'local time does not exist in America/Chicago (daylight-saving gap)', '03/08/2026 02:30 AM'],
      [10, 'ReadingDateTime', 'timestamp does not match the format MM/dd/yyyy hh:mm a', '2026-03-09 08:00'],
      [11, 'TimeZone', 'not an IANA time zone or UTC offset', 'Mars/Olympus_Mons'],
    ]);
  });
});

describe('vendor CSV, wide export (visit-wide: a column per measure, fixed zone)', () => {
  let ctx: TestContext;
  let report: IngestReport;
  beforeAll(async () => {
    ctx = await testContext();
    const mapping = await loadMapping(join(FIXTURES, 'visit-wide.mapping.json'));
    [report] = (await ingest(ctx, await sourcesFromPaths([join(FIXTURES, 'visit-wide.csv')]), { mapping })) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('stores one observation per filled measure column; an empty row is skipped, an implausible one quarantined whole', async () => {
    expect(report).toMatchObject({ read: 5, accepted: 3, quarantined: 1, skippedRecords: 1, rows: { observations: 7 } });
    expect(report.reasons).toEqual({ 'implausible value': 1 });
    expect((await quarantineLines(ctx)).map((l) => [l.record, l.field, l.value])).toEqual([[4, 'systolic', 400]]);
    const rows = await ctx.engine.query(`SELECT person_id, observed_at, loinc_code, value FROM observations ORDER BY observed_at, loinc_code`);
    const june1 = Date.UTC(2026, 5, 1, 11, 31); // 07:31 EDT
    const nov1 = Date.UTC(2026, 10, 1, 5, 30); // 01:30, the first (EDT) of the two
    expect(rows).toEqual([
      { person_id: 'M-17', observed_at: june1, loinc_code: '59408-5', value: 97 },
      { person_id: 'M-17', observed_at: june1, loinc_code: '8462-4', value: 88 },
      { person_id: 'M-17', observed_at: june1, loinc_code: '8480-6', value: 142 },
      { person_id: 'M-17', observed_at: june1, loinc_code: '8867-4', value: 75 },
      { person_id: 'M-17', observed_at: Date.UTC(2026, 5, 2, 11, 40), loinc_code: '29463-7', value: 81.2 },
      { person_id: 'M-18', observed_at: nov1, loinc_code: '8462-4', value: 80 },
      { person_id: 'M-18', observed_at: nov1, loinc_code: '8480-6', value: 130 },
    ]);
  });
});

describe('vendor mapping: which files it applies to', () => {
  let ctx: TestContext;
  let mapping: LoadedMapping;
  beforeAll(async () => {
    ctx = await testContext();
    mapping = await loadMapping(join(FIXTURES, 'visit-wide.mapping.json'));
  });
  afterAll(() => ctx.dispose());

  it('applies to a CSV whose header has every mapped column (any case, any order); other files are detected as usual', async () => {
    expect(matchesMapping(mapping, 'HUB_ID,Member_ID,measured_local,systolic,diastolic,pulse,weight_kg,spo2_pct,notes\n')).toBe(true);
    expect(matchesMapping(mapping, 'member_id,measured_local,systolic\n')).toBe(false);
    const eligibility = 'person_id,gender,birth_date,enrollment_start_date,enrollment_end_date\nM-17,female,1950-01-01,2026-01-01,2026-12-31\n';
    const reports = await ingest(ctx, [textSource('landing/eligibility.csv', eligibility), textSource('landing/visits.csv', 'member_id,measured_local,systolic,diastolic,pulse,weight_kg,spo2_pct,hub_id\nM-99,2026-06-01 07:31:00,142,88,75,,97,HUB-9\n')], { mapping });
    expect(reports.map((r) => [r.format, r.layout, r.mapping])).toEqual([
      ['tuva-eligibility', 'person_id', undefined],
      ['vendor-csv', undefined, mapping.file],
    ]);
    // persons are checked against eligibility like any other reading
    expect(reports[1]).toMatchObject({ quarantined: 1, reasons: { 'unknown person': 1 } });
  });
});

describe('vendor CSV: a reading dated more than a day ahead of ingest', () => {
  it('is quarantined as a device clock fault, as device NDJSON and FHIR readings are', async () => {
    const ctx = await testContext();
    try {
      const mapping = await loadMapping(join(FIXTURES, 'visit-wide.mapping.json'));
      const csv = 'member_id,measured_local,systolic,diastolic,pulse,weight_kg,spo2_pct,hub_id\nM-1,2999-06-01 07:31:00,142,88,75,,97,HUB-9\n';
      const [report] = await ingest(ctx, [textSource('landing/visits.csv', csv)], { mapping });
      expect(report).toMatchObject({ format: 'vendor-csv', read: 1, accepted: 0, quarantined: 1 });
      expect(await quarantineLines(ctx)).toMatchObject([{ record: 1, field: 'measured_local', reason: 'time in the future (device clock fault?)', value: '2999-06-01 07:31:00' }]);
    } finally {
      await ctx.dispose();
    }
  });
});

describe('vendor mapping: a wrong mapping fails before any record is read, naming the mapping field', () => {
  const base = { person: 'id', time: { column: 't', format: 'yyyy-MM-dd HH:mm', zone: 'America/Chicago' }, long: { measure: 'm', value: 'v', measures: { SYS: 'systolic' } } };
  const errorOf = (json: unknown): string => {
    try {
      parseMapping('m.json', json);
    } catch (e) {
      if (e instanceof MappingError) return e.message;
      throw e;
    }
    return 'accepted';
  };

  it.each([
    [{ ...base, time: { ...base.time, zone: 'America/Chicag' } }, 'm.json: time.zone: not an IANA time zone (e.g. America/Chicago)'],
    [{ ...base, time: { column: 't', format: 'yyyy-MM-dd HH:mm' } }, 'm.json: time.zone: a time format without an offset needs zone or zone_column'],
    [{ ...base, time: { ...base.time, format: 'yy-MM-dd' } }, 'm.json: time.format: unknown token "yy" (use yyyy MM M dd d HH H hh h mm ss SSS a)'],
    [{ ...base, long: { ...base.long, measures: { SYS: 'sistolic' } } }, expect.stringMatching(/^m\.json: long\.measures\.SYS: not a measure: use blood_pressure, systolic, /)],
    [{ ...base, units: { lbs: 'pounds' } }, 'm.json: units.lbs: "pounds" is not a unit of any monitored measure'],
    [{ ...base, long: undefined, wide: { wt: { measure: 'weight', unit: 'mmHg' } } }, 'm.json: wide.wt.unit: "mmHg" does not convert to kg'],
    [{ ...base, wide: { wt: { measure: 'weight', unit: 'kg' } } }, 'm.json: long: give exactly one of long (a measure column) or wide (a column per measure)'],
    [{ ...base, person: undefined }, 'm.json: person: Invalid input: expected string, received undefined'],
    [{ ...base, colour: 'blue' }, 'm.json: Unrecognized key: "colour"'],
  ])('%#', (json, message) => {
    expect(errorOf(json)).toEqual(message);
  });

  it('names the file when it is not JSON', async () => {
    await expect(loadMapping(join(FIXTURES, 'hub-long.csv'))).rejects.toThrow(/hub-long\.csv: not JSON/);
  });
});

describe('local time → UTC', () => {
  let ctx: TestContext;
  let files = 0;
  beforeAll(async () => {
    ctx = await testContext();
  });
  afterAll(() => ctx.dispose());

  /** each time read through a mapping of `format` with its zone in a column: the UTC instant, or the reason it is rejected */
  async function utc(format: string, times: readonly (readonly [text: string, zone: string])[]): Promise<string[]> {
    const name = `landing/times-${++files}.csv`;
    const mapping = parseMapping('t.json', { person: 'p', time: { column: 't', format, zone_column: 'z' }, wide: { hr: { measure: 'heart_rate', unit: '/min' } } });
    const csv = ['p,t,z,hr', ...times.map(([t, z], i) => `P${i + 1},${t},${z},70`)].join('\n');
    await ingest(ctx, [textSource(name, `${csv}\n`)], { mapping });
    const rows = await ctx.engine.query(`SELECT person_id, observed_at FROM observations WHERE source_file = ?`, [{ string: name }]);
    const at = new Map(rows.map((r) => [r.person_id, new Date(r.observed_at as number).toISOString()]));
    const rejected = new Map((await quarantineLines(ctx)).filter((l) => l.file === name).map((l) => [l.record, l.reason]));
    return times.map((_, i) => at.get(`P${i + 1}`) ?? rejected.get(i + 1) ?? 'missing');
  }

  it('reads 12-hour clocks, ISO with and without an offset, epoch seconds and fixed offsets', async () => {
    expect(await utc('M/d/yyyy h:mm a', [['1/5/2026 12:05 AM', 'America/New_York'], ['1/5/2026 12:05 PM', 'America/New_York']])).toEqual([
      '2026-01-05T05:05:00.000Z', // EST, UTC−5
      '2026-01-05T17:05:00.000Z',
    ]);
    expect(await utc('iso', [['2026-06-01T07:31:00-05:00', 'Europe/Berlin'], ['2026-06-01 07:31', 'Europe/Berlin']])).toEqual([
      '2026-06-01T12:31:00.000Z', // the offset wins
      '2026-06-01T05:31:00.000Z', // CEST, UTC+2
    ]);
    expect(await utc('yyyy-MM-ddTHH:mm', [['2026-06-01T07:31', '+05:30']])).toEqual(['2026-06-01T02:01:00.000Z']);
    expect(await utc('epoch_s', [['1780313460', 'UTC']])).toEqual(['2026-06-01T11:31:00.000Z']);
  });

  it('reads a pattern of fixed widths by position once it matched, and rejects a time that does not match it', async () => {
    expect(
      await utc('MM/dd/yyyy hh:mm:ss.SSS a', [
        ['06/04/2026 11:38:10.250 PM', 'America/New_York'], // EDT, UTC−4: 23:38:10.250 + 4 h = 03:38:10.250 the next day
        ['01/31/2026 12:00:59.007 AM', 'UTC'], // 12 AM is hour 0
        ['6/04/2026 11:38:10.250 PM', 'America/New_York'], // one-digit month: MM wants two
        ['06/04/2026 11:38:10.250 XM', 'America/New_York'],
      ]),
    ).toEqual([
      '2026-06-05T03:38:10.250Z',
      '2026-01-31T00:00:59.007Z',
      'timestamp does not match the format MM/dd/yyyy hh:mm:ss.SSS a',
      'timestamp does not match the format MM/dd/yyyy hh:mm:ss.SSS a',
    ]);
  });

  it('takes the first of the two instants of a repeated local time, whatever the daylight-saving shift', async () => {
    expect(
      await utc('iso', [
        // New York falls back an hour on 2026-11-01 at 02:00 EDT: 01:30 is 05:30Z (EDT) and again 06:30Z (EST)
        ['2026-11-01 01:30', 'America/New_York'],
        // Lord Howe Island falls back 30 minutes on 2026-04-05 at 02:00 (+11:00 → +10:30): 01:45 is 14:45Z, then 15:15Z
        ['2026-04-05 01:45', 'Australia/Lord_Howe'],
        ['2026-04-05 01:29', 'Australia/Lord_Howe'], // once only
        ['2026-04-05 02:00', 'Australia/Lord_Howe'], // +10:30
        // and springs forward 30 minutes on 2026-10-04 at 02:00: 02:15 does not exist
        ['2026-10-04 02:15', 'Australia/Lord_Howe'],
        ['2026-10-04 02:30', 'Australia/Lord_Howe'], // +11:00
      ]),
    ).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-04-04T14:45:00.000Z',
      '2026-04-04T14:29:00.000Z',
      '2026-04-04T15:30:00.000Z',
      'local time does not exist in Australia/Lord_Howe (daylight-saving gap)',
      '2026-10-03T15:30:00.000Z',
    ]);
  });

  it('rejects impossible dates, and a 12-hour pattern without AM/PM is a mapping error', async () => {
    expect(await utc('dd.MM.yyyy HH:mm', [['31.02.2026 10:00', 'UTC']])).toEqual(['not a calendar date']);
    expect(() => parseMapping('t.json', { person: 'p', time: { column: 't', format: 'yyyy-MM-dd hh:mm', zone: 'UTC' }, wide: { hr: { measure: 'heart_rate' } } })).toThrow(
      't.json: time.format: hh without a (AM/PM)',
    );
  });

  it("reads a value written 0x10 as no number (JavaScript's Number() read it as 16)", async () => {
    const mapping = parseMapping('h.json', { person: 'p', time: { column: 't', format: 'iso' }, wide: { hr: { measure: 'heart_rate', unit: '/min' } } });
    const [report] = await ingest(ctx, [textSource('landing/hex.csv', 'p,t,hr\nP1,2026-06-01T07:31:00Z,0x10\n')], { mapping });
    expect(report).toMatchObject({ read: 1, quarantined: 1, reasons: { 'not a number': 1 } });
  });
});

describe('vendor CSV, a blood pressure written systolic/diastolic in one cell', () => {
  let ctx: TestContext;
  let report: IngestReport;
  beforeAll(async () => {
    ctx = await testContext();
    // an invented export: one reading a row, blood pressure as "132/84"
    const mapping = parseMapping('bp.mapping.json', {
      person: 'patient',
      time: { column: 'taken', format: 'iso' },
      long: { measure: 'type', value: 'reading', unit_column: 'unit', measures: { BP: 'blood_pressure', HR: 'heart_rate' } },
      units: { mmHg: 'mm[Hg]', bpm: '/min' },
    });
    const csv = [
      'patient,taken,type,reading,unit',
      'P1,2026-03-14T19:05:00-05:00,BP,132/84,mmHg',
      'P1,2026-03-14T19:05:00-05:00,HR,71,bpm',
      'P1,2026-03-15T07:00:00-05:00,BP,132,mmHg', // 3: no diastolic
      'P1,2026-03-15T07:00:00-05:00,BP, 128 / 79.5 ,mmHg',
    ].join('\n');
    [report] = (await ingest(ctx, [textSource('landing/bp.csv', `${csv}\n`)], { mapping })) as [IngestReport];
  });
  afterAll(() => ctx.dispose());

  it('stores the systolic and the diastolic as two readings of the same instant, and quarantines a value that is not both', async () => {
    expect(report).toMatchObject({ format: 'vendor-csv', read: 4, accepted: 3, quarantined: 1, rows: { observations: 5 } });
    const rows = await ctx.engine.query(`SELECT observed_at, loinc_code, value FROM observations WHERE loinc_code IN ('8480-6', '8462-4') ORDER BY observed_at, loinc_code DESC`);
    expect(rows).toEqual([
      { observed_at: Date.UTC(2026, 2, 15, 0, 5), loinc_code: '8480-6', value: 132 },
      { observed_at: Date.UTC(2026, 2, 15, 0, 5), loinc_code: '8462-4', value: 84 },
      { observed_at: Date.UTC(2026, 2, 15, 12, 0), loinc_code: '8480-6', value: 128 },
      { observed_at: Date.UTC(2026, 2, 15, 12, 0), loinc_code: '8462-4', value: 79.5 },
    ]);
    const lines = (await quarantineLines(ctx)).map((l) => [l.record, l.field, l.reason, l.value]);
    expect(lines).toEqual([[3, 'reading', 'not a blood pressure written systolic/diastolic (e.g. 132/84)', '132']]);
  });
});
