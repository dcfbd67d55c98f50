/**
 * Tuva observation and lab_result: each value is read with its own unit (normalized_result in normalized_units,
 * result in source_units), and the datetime column wins over the date column. Without eligibility no person is
 * known, so person ids are not checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../lib/pipeline/ingest.js';
import { POUND_KG, GLUCOSE_MMOL_L_TO_MG_DL } from '../../lib/ingest/units.js';
import { testContext, textSource, type TestContext } from './helpers.js';

describe('ingest: Tuva observation and lab_result values and units', () => {
  let ctx: TestContext;
  let reports: IngestReport[];

  beforeAll(async () => {
    ctx = await testContext();
    reports = await ingest(ctx, [
      textSource(
        'landing/observation.csv',
        'person_id,observation_date,observation_datetime,normalized_code_type,normalized_code,result,source_units,normalized_result,normalized_units\n' +
          // only normalized_units filled: the result is in its own source unit, pounds
          'P1,2016-01-02,,loinc,29463-7,180,[lb_av],,kg\n' +
          // normalized_result without normalized_units: read in source_units
          'P2,2016-01-02,,loinc,29463-7,180,[lb_av],81.6,\n' +
          // both instants filled: the datetime, not midnight of the date
          'P3,2016-01-02,2016-01-02 14:30:00,loinc,8867-4,72,/min,,\n',
      ),
      textSource(
        'landing/lab_result.csv',
        'person_id,collection_datetime,normalized_component_code,normalized_component_type,status,result,source_units,normalized_result,normalized_units\n' +
          'P4,2016-01-03 08:00:00,2339-0,loinc,F,7.0,mmol/L,,mg/dL\n' +
          // results the lab voided (HL7 v2 X: no result; W: wrong; FHIR cancelled) hold no value to keep
          'P5,2016-01-03 08:00:00,4548-4,loinc,X,7.2,%,,\n' +
          'P5,2016-01-04 08:00:00,4548-4,loinc,W,9.9,%,,\n' +
          'P5,2016-01-05 08:00:00,4548-4,loinc,cancelled,8.1,%,,\n' +
          // a corrected one is kept
          'P5,2016-01-06 08:00:00,4548-4,loinc,C,7.4,%,,\n',
      ),
    ]);
  });
  afterAll(() => ctx.dispose());

  it('keeps each value with its own unit', async () => {
    expect(reports.map((r) => [r.read, r.accepted, r.quarantined])).toEqual([
      [3, 3, 0],
      [5, 2, 0],
    ]);
    const rows = await ctx.engine.query(`SELECT person_id, value, unit, observed_at FROM observations WHERE person_id NOT IN ('P3', 'P5') ORDER BY person_id`);
    expect(rows).toEqual([
      // 180 lb = 81.65 kg, not 180 kg
      { person_id: 'P1', value: 180 * POUND_KG, unit: 'kg', observed_at: Date.UTC(2016, 0, 2) },
      // 81.6 in source_units: pounds, so 37.01 kg
      { person_id: 'P2', value: 81.6 * POUND_KG, unit: 'kg', observed_at: Date.UTC(2016, 0, 2) },
      // 7.0 mmol/L = 126.1 mg/dL (it was read as 7 mg/dL and quarantined as implausible)
      { person_id: 'P4', value: 7 * GLUCOSE_MMOL_L_TO_MG_DL, unit: 'mg/dL', observed_at: Date.UTC(2016, 0, 3, 8) },
    ]);
  });

  it('skips lab results their status voids, and keeps a corrected one', async () => {
    expect(reports[1]).toMatchObject({ skippedRecords: 3, skipReasons: { 'lab result cancelled, wrong or deleted (status)': 3 } });
    expect(await ctx.engine.query(`SELECT value FROM observations WHERE person_id = 'P5'`)).toEqual([{ value: 7.4 }]);
  });

  it('prefers observation_datetime over observation_date when both are filled', async () => {
    const [row] = await ctx.engine.query(`SELECT observed_at FROM observations WHERE person_id = 'P3'`);
    expect(row).toEqual({ observed_at: Date.UTC(2016, 0, 2, 14, 30) });
  });
});
