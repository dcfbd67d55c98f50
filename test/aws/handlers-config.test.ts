/**
 * The handlers read the configuration the CDK app ships (config/stratify.json in the bundle), as a local run reads
 * it: here one that lowers the ingest ceiling to 1,000 USD and states that claims files carry line amounts. Ingest
 * quarantines the line above the ceiling; features and the data-quality checks apply the stated convention, and the
 * features function writes the run's `data_quality` table (S3 in memory, Athena answered by DuckDB).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as featuresHandler } from '../../functions/features.js';
import { handler as ingestHandler } from '../../functions/ingest.js';
import { readTableRows } from '../../lib/parquet/reader.js';
import { S3ObjectStore } from '../../lib/store/s3.js';
import { data_quality, features } from '../../lib/tables/index.js';
import { AthenaOnDuckDb } from './athena-on-duckdb.js';
import { lambdaContext } from './lambda-context.js';
import { captureConsole } from './powertools-output.js';
import { HANDLER_ENV as ENV, memoryS3, notification } from './sdk-fakes.js';

vi.mock('../../lib/config/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/config/index.js')>();
  return {
    ...original,
    loadConfig: (path?: string) => {
      const c = original.loadConfig(path);
      return { ...c, ingest: { ...c.ingest, max_amount_usd: 1000 }, claims: { amounts: 'line' } };
    },
  };
});

const AS_OF = '2026-06-30';
const ELIGIBILITY = ['person_id,gender,birth_date,enrollment_start_date,enrollment_end_date', 'P1,female,1950-06-15,2024-01-01,2026-12-31'].join('\n') + '\n';
// C1: an institutional claim of two lines carrying one amount each (detected `header`); C2: 5,000 USD, above the ceiling
const CLAIMS =
  [
    'claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount,diagnosis_code_type,diagnosis_code_1',
    'C1,1,institutional,P1,2026-03-01,2026-03-01,500.00,icd-10-cm,E11.9',
    'C1,2,institutional,P1,2026-03-01,2026-03-01,500.00,icd-10-cm,E11.9',
    'C2,1,professional,P1,2026-04-01,2026-04-01,5000.00,icd-10-cm,E11.9',
  ].join('\n') + '\n';

describe('handlers with the shipped configuration (ingest ceilings, claims amounts)', () => {
  const s3 = mockClient(S3Client);
  const athena = mockClient(AthenaClient);
  let objects: Map<string, Buffer>;
  let work: string;
  const lake = () => new S3ObjectStore({ client: new S3Client({}), bucket: 'stratify-lake' });

  beforeAll(async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    objects = memoryS3(s3);
    captureConsole();
    work = await mkdtemp(join(tmpdir(), 'stratify-handlers-config-'));
    new AthenaOnDuckDb(lake(), work).install(athena);
    objects.set('stratify-landing/landing/eligibility.csv', Buffer.from(ELIGIBILITY));
    objects.set('stratify-landing/landing/medical_claim.csv', Buffer.from(CLAIMS));
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    s3.restore();
    athena.restore();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ingest: quarantines the claim line above the configured ingest.max_amount_usd (1,000), not the default 10,000,000', async () => {
    for (const key of ['landing/eligibility.csv', 'landing/medical_claim.csv']) {
      const event = { Records: [{ messageId: key, body: notification('stratify-landing', key) }] } as SQSEvent;
      expect(await ingestHandler(event, lambdaContext('ingest'))).toEqual({ batchItemFailures: [] });
    }
    const manifests = [...objects.keys()].filter((k) => k.startsWith('stratify-lake/manifests/')).map((k) => JSON.parse(objects.get(k)!.toString()) as { file: string });
    // 3 lines read: C1's two accepted, C2 (5,000 > 1,000) quarantined
    expect(manifests.find((m) => m.file === 'landing/medical_claim.csv')).toMatchObject({ read: 3, accepted: 2, quarantined: 1 });
    const quarantined = [...objects.keys()].filter((k) => k.startsWith('stratify-lake/quarantine/')).map((k) => JSON.parse(objects.get(k)!.toString().trim()) as Record<string, unknown>);
    expect(quarantined).toHaveLength(1);
    // on AWS a claims file is read by Athena, which has no record number for a CSV record (lib/ingest/athena/commit.ts)
    expect(quarantined[0]).toMatchObject({ file: 'landing/medical_claim.csv', record: null, field: 'paid_amount' });
    expect(String(quarantined[0]!['reason'])).toContain('ingest.max_amount_usd');
  });

  it('features: applies claims.amounts = line and writes the data_quality table of the run, as a local run does', async () => {
    expect(await featuresHandler({ asOf: AS_OF }, lambdaContext('features'))).toEqual({ asOf: AS_OF, members: 1 });
    // line amounts: C1's two lines are summed, 500 + 500 = 1,000 (detection alone would count the header's 500 once)
    const [p1] = await readTableRows(lake(), features, AS_OF);
    expect(p1).toMatchObject({ person_id: 'P1', total_paid_12m: 1000 });
    const amounts = (await readTableRows(lake(), data_quality, AS_OF)).filter((r) => r.check_name === 'amounts');
    expect(amounts.map((r) => [r.scope, r.detail])).toEqual([
      ['landing/medical_claim.csv', 'line amounts (detected header: 1 of 1 multi-line institutional claims carry one amount on every line)'],
    ]);
  });
});
