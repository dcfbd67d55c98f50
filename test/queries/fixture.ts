/**
 * Test fixture for the feature models: curated rows written as Parquet (rowsToParquet) into a fresh temporary
 * LocalFolderStore, a real DuckDbEngine over it, and the composed features query answered for an as-of date.
 * Row builders fill the required columns with neutral defaults so each test states only what its rule is about.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureParams, featuresQuery, type ClaimAmounts } from '../../lib/pipeline/features.js';
import { DuckDbEngine } from '../../lib/sql/duckdb.js';
import { LocalFolderStore } from '../../lib/store/local.js';
import { CURATED_TABLES, type CuratedTableName } from '../../lib/tables/index.js';
import { commitDelivery } from '../delivery.js';

type Rows = Record<string, unknown>[];
export type FixtureRows = Partial<Record<CuratedTableName, Rows>>;
export type FeatureRow = Record<string, unknown>;

/** an eligibility span covering 2020–2030 for a woman born 1950-06-15, unless overridden */
export function member(person_id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    person_id,
    birth_date: '1950-06-15',
    sex: 'female',
    enrollment_start_date: '2020-01-01',
    enrollment_end_date: '2030-12-31',
    source_file: 'fixture',
    ...over,
  };
}

/** one diagnosis of a claim; professional claims for setting 'professional', institutional otherwise */
export function diagnosis(claim_id: string, person_id: string, service_date: string, setting: string, icd10_code: string, position = 1): Record<string, unknown> {
  const claim_type = setting === 'professional' ? 'professional' : 'institutional';
  return { claim_id, person_id, service_date, claim_type, setting, position, icd10_code, source_file: 'fixture' };
}

/** one medical claim line; give at least claim_id, person_id, setting and claim_start_date */
export function medicalLine(over: Record<string, unknown> & { claim_id: string; person_id: string; setting: string; claim_start_date: string }): Record<string, unknown> {
  return {
    claim_line_number: 1,
    claim_type: over.setting === 'professional' ? 'professional' : 'institutional',
    claim_end_date: over.claim_start_date,
    source_file: 'fixture',
    ...over,
  };
}

export function pharmacyLine(claim_id: string, person_id: string, dispensing_date: string, paid_amount: number | null): Record<string, unknown> {
  return { claim_id, claim_line_number: 1, person_id, dispensing_date, ndc_code: '00000000000', paid_amount, source_file: 'fixture' };
}

/** one observation at an ISO instant (UTC), from a device unless `source` says otherwise */
export function reading(person_id: string, instant: string, loinc_code: string, value: number, source = 'device'): Record<string, unknown> {
  return { person_id, observed_at: Date.parse(instant), loinc_code, value, unit: 'fixture', source, source_file: 'fixture' };
}

/** systolic and diastolic observed together, as a cuff reports them */
export function bloodPressure(person_id: string, instant: string, sbp: number, dbp: number): Record<string, unknown>[] {
  return [reading(person_id, instant, '8480-6', sbp), reading(person_id, instant, '8462-4', dbp)];
}

export class Fixture {
  private constructor(
    readonly root: string,
    readonly store: LocalFolderStore,
    readonly engine: DuckDbEngine,
  ) {}

  static async open(rows: FixtureRows): Promise<Fixture> {
    const root = mkdtempSync(join(tmpdir(), 'stratify-features-'));
    const store = new LocalFolderStore(root);
    await commitDelivery(store, 'fixture', CURATED_TABLES.flatMap((table) => (rows[table.name]?.length ? [[table, rows[table.name]!] as const] : [])));
    return new Fixture(root, store, await DuckDbEngine.open(store));
  }

  /** the composed features query for `asOf`, one row per member keyed by person_id */
  async features(asOf: string, claimAmounts: ClaimAmounts = 'detect'): Promise<Map<string, FeatureRow>> {
    return this.rowsByPerson(featuresQuery(), asOf, claimAmounts);
  }

  /** a composed query whose placeholders are featureParams() (the as-of date, the claim amounts), rows keyed by person_id */
  async rowsByPerson(query: string, asOf: string, claimAmounts: ClaimAmounts = 'detect'): Promise<Map<string, FeatureRow>> {
    const rows = await this.engine.query(query, featureParams(asOf, claimAmounts));
    return new Map(rows.map((r) => [String(r.person_id), r]));
  }

  /** the features row of one member, failing when the member is absent */
  async featuresOf(asOf: string, personId: string): Promise<FeatureRow> {
    const row = (await this.features(asOf)).get(personId);
    if (row === undefined) throw new Error(`no features row for ${personId} as of ${asOf}`);
    return row;
  }

  async close(): Promise<void> {
    await this.engine.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
