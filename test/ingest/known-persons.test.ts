/**
 * The persons claims are checked against (lib/ingest/known-persons.ts): those of the members parts of the deliveries
 * committed when listed and of those committed since in the run, read in JavaScript for the TypeScript readers, by
 * DuckDB from the parts for the SQL runner on a local store, in JavaScript for it on any other store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../lib/ingest/fingerprint.js';
import { KnownPersons } from '../../lib/ingest/known-persons.js';
import { tuvaEligibilitySql, tuvaPharmacyClaimSql } from '../../lib/ingest/sql/formats.js';
import { ingestSqlFile } from '../../lib/ingest/sql/run-file.js';
import { ingest } from '../../lib/pipeline/ingest.js';
import { MemoryStore } from '../fuzz/memory-store.js';
import { testContext, textSource, type TestContext } from './helpers.js';

const ELIGIBILITY = 'person_id,birth_date,enrollment_start_date,enrollment_end_date';
const span = (person: string, year: number) => `${person},1950-01-01,${year}-01-01,${year}-12-31`;
const PHARMACY = 'claim_id,claim_line_number,person_id,dispensing_date,ndc_code';
const fill = (claim: string, person: string) => `${claim},1,${person},2020-03-01,00002143380`;

describe('the known persons', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext();
  });
  afterEach(() => ctx.dispose());

  it('are the persons of the committed deliveries, read again once a delivery of the run is added', async () => {
    // P2 has two spans: two persons in three records
    await ingest(ctx, [textSource('landing/e1.csv', [ELIGIBILITY, span('P1', 2020), span('P2', 2020), span('P2', 2021)].join('\n'))], { countReplaced: false });
    const persons = await KnownPersons.listed(ctx.store);
    expect(() => persons.ids()).toThrow(/read/);
    expect(await persons.parts()).toHaveLength(1);
    expect([...(await persons.read()).ids()].sort()).toEqual(['P1', 'P2']);
    const [second] = await ingest(ctx, [textSource('landing/e2.csv', [ELIGIBILITY, span('P3', 2020)].join('\n'))], { countReplaced: false });
    persons.addDelivery(second!.sha256.slice(0, 16));
    // the set lacks P3 until read again
    expect(() => persons.checker()).toThrow(/read/);
    persons.add('F1');
    expect([...(await persons.read()).ids()].sort()).toEqual(['F1', 'P1', 'P2', 'P3']);
    expect([...persons.added]).toEqual(['F1']);
  });

  it('check the claims of a file run after an eligibility file, on a store that is not a local folder too', async () => {
    const store = new MemoryStore();
    const persons = await KnownPersons.listed(store);
    const eligibility = textSource('landing/eligibility.csv', [ELIGIBILITY, span('P1', 2020)].join('\n'));
    await ingestSqlFile(store, () => {}, eligibility, await fingerprint(eligibility), tuvaEligibilitySql, persons);
    const claims = textSource('landing/pharmacy.csv', [PHARMACY, fill('C1', 'P1'), fill('C2', 'P9')].join('\n'));
    const report = await ingestSqlFile(store, () => {}, claims, await fingerprint(claims), tuvaPharmacyClaimSql, persons);
    // P1 is known from the eligibility file before it, P9 from nowhere
    expect(report).toMatchObject({ read: 2, accepted: 1, quarantined: 1, reasons: { 'unknown person': 1 } });
  });
});
