/**
 * features: the composed query honours the `features` contract of lib/tables/outputs.ts, and buildFeatures stores it
 * at `features/as_of=<date>/features.parquet` where the engine's `features` table answers after refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures, featuresKey } from '../../lib/pipeline/features.js';
import type { PipelineContext, ProgressEvent } from '../../lib/pipeline/context.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import { features } from '../../lib/tables/index.js';
import { Fixture, bloodPressure, diagnosis, medicalLine, member } from './fixture.js';

const AS_OF = '2024-06-30';
const SQL_TYPES = { string: 'VARCHAR', list: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', int: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN' } as const;
let fx: Fixture;
let events: ProgressEvent[];
let ctx: PipelineContext;

beforeAll(async () => {
  fx = await Fixture.open({
    members: [member('a'), member('b', { sex: 'male' }), member('left', { enrollment_end_date: '2024-03-31' })],
    diagnoses: [diagnosis('c1', 'a', '2024-01-01', 'inpatient', 'E119')],
    medical_claims: [medicalLine({ claim_id: 'c1', person_id: 'a', setting: 'inpatient', claim_start_date: '2024-01-01', admission_date: '2024-01-01', discharge_date: '2024-01-03', paid_amount: 5000 })],
    observations: bloodPressure('b', '2024-06-29T12:00:00Z', 150, 95),
  });
  events = [];
  ctx = { store: fx.store, engine: fx.engine, queue: new OutboxQueue(fx.store), progress: (e) => events.push(e) };
});
afterAll(() => fx.close());

describe('buildFeatures', () => {
  it('writes one row per enrolled member to the as-of key and the engine answers after refresh', async () => {
    const result = await buildFeatures(ctx, AS_OF);
    expect(result).toEqual({ asOf: AS_OF, key: 'features/as_of=2024-06-30/features.parquet', members: 2 });
    expect(await fx.store.exists(result.key)).toBe(true);
    expect(await fx.engine.query('select count(*) as n from features')).toEqual([{ n: 2 }]);
    expect(events.every((e) => e.stage === 'features')).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: 2, total: 2 });
  });

  it('writes exactly the columns of the features table, in order, with their types', async () => {
    const path = fx.store.pathOf(featuresKey(AS_OF));
    const described = await fx.engine.query<{ column_name: string; column_type: string }>(`describe select * from read_parquet('${path}', hive_partitioning = false)`);
    expect(described.map((c) => [c.column_name, c.column_type])).toEqual(features.columns.map((c) => [c.name, SQL_TYPES[c.type]]));
  });

  it('stores the values the models compute', async () => {
    const rows = await fx.engine.query('select person_id, as_of_date, has_diabetes, ip_admissions_12m, total_paid_12m, sbp_latest, bp_uncontrolled_share_30d from features order by person_id');
    expect(rows).toEqual([
      { person_id: 'a', as_of_date: AS_OF, has_diabetes: true, ip_admissions_12m: 1, total_paid_12m: 5000, sbp_latest: null, bp_uncontrolled_share_30d: null },
      { person_id: 'b', as_of_date: AS_OF, has_diabetes: false, ip_admissions_12m: 0, total_paid_12m: 0, sbp_latest: 150, bp_uncontrolled_share_30d: 1 },
    ]);
  });

  it('stores the code lists, the last stay and the defaults of members without claims', async () => {
    // a: admitted 2024-01-01, discharged 2024-01-03 (2 days), 179 days before the as-of date
    const rows = await fx.engine.query(
      'select person_id, dx_codes_12m, chronic_conditions, chronic_condition_count, last_discharge_date, last_stay_los_days, days_since_discharge, esrd, enrolled_months_12m from features order by person_id',
    );
    expect(rows).toEqual([
      { person_id: 'a', dx_codes_12m: 'E119', chronic_conditions: 'diabetes', chronic_condition_count: 1, last_discharge_date: '2024-01-03', last_stay_los_days: 2, days_since_discharge: 179, esrd: false, enrolled_months_12m: 12 },
      { person_id: 'b', dx_codes_12m: '', chronic_conditions: '', chronic_condition_count: 0, last_discharge_date: null, last_stay_los_days: null, days_since_discharge: null, esrd: false, enrolled_months_12m: 12 },
    ]);
  });

  it('overwrites the same key on a rerun and keeps other dates beside it', async () => {
    await buildFeatures(ctx, AS_OF);
    const earlier = await buildFeatures(ctx, '2024-03-31');
    expect(earlier.members).toBe(3);
    expect((await fx.store.list('features/')).map((o) => o.key)).toEqual([featuresKey('2024-03-31'), featuresKey(AS_OF)]);
    expect(await fx.engine.query('select as_of_date, count(*) as n from features group by as_of_date order by as_of_date')).toEqual([
      { as_of_date: '2024-03-31', n: 3 },
      { as_of_date: AS_OF, n: 2 },
    ]);
  });

  it('rejects an as-of date that is not a calendar date before touching the store', async () => {
    await expect(buildFeatures(ctx, '2024-02-30')).rejects.toThrow(/calendar date/);
    await expect(buildFeatures(ctx, '../x')).rejects.toThrow(/calendar date/);
  });
});
