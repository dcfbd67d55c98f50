/** Test fixtures: feature rows with quiet defaults, and a pipeline context over a fresh temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/index.js';
import type { StratifyConfig } from '../../lib/config/schema.js';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import type { PipelineContext, ProgressEvent } from '../../lib/pipeline/context.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import type { Queue } from '../../lib/queue/port.js';
import type { FeatureRow } from '../../lib/scoring/member.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { features } from '../../lib/tables/index.js';

export const AS_OF = '2024-06-30';

/**
 * A healthy, unmonitored 70-year-old woman, enrolled all year, with no diagnosis and no utilization: her only points
 * are her CMS-HCC demographic factor (community non-dual aged, female 70-74). A stay given by `days_since_discharge`
 * alone is a discharge home: the transitions window runs from it (community_discharge_date) unless overridden.
 */
export function member(person_id: string, overrides: Partial<FeatureRow> = {}): FeatureRow {
  const home = overrides.days_since_discharge != null ? { days_since_community_discharge: overrides.days_since_discharge, last_discharge_disposition: '01' } : {};
  return {
    person_id,
    as_of_date: AS_OF,
    age: 70,
    sex: 'female',
    has_diabetes: false,
    has_hypertension: false,
    has_copd: false,
    has_heart_failure: false,
    has_ckd: false,
    ip_admissions_12m: 0,
    ed_visits_12m: 0,
    ed_visits_90d: 0,
    readmissions_30d_12m: 0,
    total_paid_12m: 1200,
    reading_days_30d: 0,
    reading_days_90d: 0,
    days_since_last_reading: null,
    bp_days_30d: 0,
    sbp_mean_30d: null,
    dbp_mean_30d: null,
    sbp_mean_90d: null,
    dbp_mean_90d: null,
    sbp_latest: null,
    dbp_latest: null,
    bp_uncontrolled_share_30d: null,
    sbp_slope_30d: null,
    weight_latest: null,
    weight_change_7d: null,
    spo2_min_30d: null,
    spo2_mean_30d: null,
    glucose_mean_30d: null,
    glucose_max_30d: null,
    glucose_min_30d: null,
    dual_status_code: null,
    institutional: false,
    hospice: false,
    esrd: false,
    enrolled_months_12m: 12,
    dx_codes_12m: '',
    chronic_conditions: '',
    chronic_condition_count: 0,
    last_admission_date: null,
    last_discharge_date: null,
    last_stay_los_days: null,
    last_admission_emergent: null,
    days_since_discharge: null,
    ed_visits_180d: 0,
    sbp_max_7d: null,
    dbp_max_7d: null,
    sbp_min_7d: null,
    sbp_median_30d: null,
    weight_median_30d: null,
    glucose_median_30d: null,
    weight_gain_24h_max: null,
    spo2_min_7d: null,
    glucose_min_7d: null,
    glucose_min_3d: null,
    glucose_readings_3d: 0,
    weight_slope_30d: null,
    glucose_slope_30d: null,
    hba1c_latest: null,
    days_since_hba1c: null,
    weight_days_30d: 0,
    glucose_days_30d: 0,
    sbp_latest_3d: null,
    weight_latest_3d: null,
    spo2_mean_baseline: null,
    ed_visits_6m_before_admission: null,
    dx_codes_set_aside_12m: '',
    dx_set_aside_from: '',
    last_discharge_disposition: null,
    community_discharge_date: null,
    days_since_community_discharge: null,
    ...home,
    ...overrides,
  };
}

export const config: StratifyConfig = loadConfig();

export interface TempPipeline {
  readonly ctx: PipelineContext;
  readonly store: LocalFolderStore;
  readonly engine: DuckDbEngine;
  readonly events: ProgressEvent[];
  close(): Promise<void>;
}

export async function tempPipeline(queue?: (store: LocalFolderStore) => Queue): Promise<TempPipeline> {
  const dir = await mkdtemp(join(tmpdir(), 'stratify-test-'));
  const store = new LocalFolderStore(dir);
  const engine = await DuckDbEngine.open(store);
  const events: ProgressEvent[] = [];
  const ctx: PipelineContext = { store, engine, queue: queue ? queue(store) : new OutboxQueue(store), progress: (e) => events.push(e) };
  return {
    ctx,
    store,
    engine,
    events,
    async close() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function writeFeatures(p: TempPipeline, rows: readonly FeatureRow[], asOf = AS_OF): Promise<void> {
  await p.store.put(`features/as_of=${asOf}/x.parquet`, rowsToParquet(features, rows.map((r) => ({ ...r, as_of_date: asOf }))));
  await p.engine.refresh();
}

/** The default configuration with some of it replaced (a deep copy: the shared default stays as loaded). */
export function configWith(change: (c: StratifyConfig) => void): StratifyConfig {
  const c = structuredClone(config);
  change(c);
  return c;
}
