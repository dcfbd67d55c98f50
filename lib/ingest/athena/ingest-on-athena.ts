/**
 * The ingest of a SQL-format landing file on AWS, where the local runner's DuckDB cannot run (it is native; the
 * functions are one esbuild bundle): the same SQL text on Athena, over the file's staging copy (plan.ts).
 *
 * A file of at most `deploy.ingest_large_file_bytes` (as delivered) is driven here, in the ingest function: its
 * statements run one after the other, polled, then the commit, all while the function holds the file's marker. A
 * larger one is handed to the ingest state machine (infra/ingest.ts): the marker is leased for the machine's whole
 * timeout and its token travels with the plan, the execution runs the statements as Athena .sync tasks (no 15-minute
 * limit), and invokes the function back to commit (finishHandedOver) or to abandon (abandonHandedOver). Either way
 * the function first stages the file: a server-side copy, so its own work does not grow with the file beyond the
 * hashing pass that names it; an NDJSON file is streamed once more instead, its lines numbered (stage.ts).
 */
import type { AthenaEngine } from '../../sql/athena.js';
import type { S3ObjectStore } from '../../store/s3.js';
import { releaseClaim, type Held } from '../../lease.js';
import type { Fingerprint } from '../fingerprint.js';
import { clearOutputs, type IngestFileOptions } from '../ingest-file.js';
import { markerKey } from '../in-progress.js';
import { PERSONS_NOT_CHECKED, type KnownPersons } from '../known-persons.js';
import type { SqlFormat } from '../sql/format.js';
import { SQL_FORMATS } from '../sql/formats.js';
import type { IngestReport, IngestSource } from '../types.js';
import { abandonAthenaIngest, cleanUpAthenaIngest, commitAthenaIngest } from './commit.js';
import { INGEST_MACHINE_TIMEOUT_MS } from './machine.js';
import { planAthenaIngest, type AthenaIngestPlan } from './plan.js';
import { dropTableSql } from './raw-table.js';
import { removeStaging, stageLandingFile, stageNumberedLines } from './stage.js';

/** Step Functions' largest execution input, 256 KiB (the marker token and escapes aside) */
const MACHINE_INPUT_MAX = 256 * 1024 - 1024;

export interface AthenaIngestContext {
  readonly landing: S3ObjectStore;
  readonly lake: S3ObjectStore;
  readonly engine: AthenaEngine;
  /** above this many bytes as delivered, the file goes to the state machine */
  readonly largeFileBytes: number;
  /** starts the ingest state machine on `plan` under the execution name `name` */
  readonly startMachine: (name: string, plan: AthenaIngestPlan) => Promise<void>;
}

/** one file of a SQL format, while its marker is held (lib/pipeline/ingest.ts) */
export interface SqlIngestFile {
  readonly source: IngestSource;
  readonly fp: Fingerprint;
  readonly format: SqlFormat;
  readonly persons: KnownPersons;
  readonly options: IngestFileOptions;
  /** hands the file's marker over for `leaseMs`; returns its token */
  readonly handOver: Held['handOver'];
}

/** how a SQL-format file is ingested when not by the local runner: its report, or `skipped: 'handed-over'` */
export type SqlIngest = (file: SqlIngestFile) => Promise<IngestReport>;

function formatOf(plan: AthenaIngestPlan): SqlFormat {
  const format = SQL_FORMATS[plan.format];
  if (format === undefined) throw new Error(`${plan.file}: ${plan.format} is not ingested by SQL`);
  return format;
}

export function ingestOnAthena(ctx: AthenaIngestContext): SqlIngest {
  const { landing, lake, engine } = ctx;
  return async ({ source, fp, format, persons, options, handOver }) => {
    const notes = !format.makesMembers && !persons.checker().active ? [PERSONS_NOT_CHECKED] : [];
    const plan = planAthenaIngest({ lake, file: source.name, fp, format, notes, params: { ...(options.limits && { limits: options.limits }), ...(options.now !== undefined && { now: options.now }) } });
    // what an earlier try of the same content left: its result table (a new one is created, not replaced) and files
    await engine.execute(dropTableSql(plan.resultTable));
    await clearOutputs(lake, format.tables, fp.sha16);
    await removeStaging(lake, fp.sha16);
    const size = source.size ?? (await landing.list(source.name)).find((o) => o.key === source.name)?.size;
    if (size === undefined) throw new Error(`${source.name}: not found in ${landing.location}`);
    if (plan.numbered) await stageNumberedLines(source, fp.gzip, options.encoding ?? 'utf8', lake, fp.sha16);
    else await stageLandingFile(landing, source.name, size, lake, fp.sha16, fp.gzip);
    if (size > ctx.largeFileBytes) {
      // the plan is the execution's input, which Step Functions limits (on the 10k demo: medical claims' 132,313 bytes, 256,150
      // when each UNLOAD inlined the query; device NDJSON's 72,570; eligibility's 27,658; pharmacy's 23,831)
      const input = JSON.stringify(plan).length;
      if (input > MACHINE_INPUT_MAX) throw new Error(`${source.name}: its plan (${input} bytes) exceeds the ${MACHINE_INPUT_MAX} bytes Step Functions accepts as input`);
      const token = await handOver(INGEST_MACHINE_TIMEOUT_MS);
      try {
        await ctx.startMachine(`${fp.sha16}-${Date.now()}`, { ...plan, markerToken: token });
      } catch (e) {
        await removeStaging(lake, fp.sha16);
        await releaseClaim(lake, markerKey(fp.sha16), token);
        throw e;
      }
      return {
        file: source.name,
        format: format.format,
        sha256: fp.sha256,
        read: 0,
        accepted: 0,
        quarantined: 0,
        skippedRecords: 0,
        reasons: {},
        skipReasons: {},
        rows: {},
        notes: [`${size.toLocaleString('en-US')} bytes, above deploy.ingest_large_file_bytes: its Athena queries run in the ingest state machine`],
        skipped: 'handed-over',
      };
    }
    try {
      for (const s of plan.statements) await engine.execute(s.sql);
      const report = await commitAthenaIngest(lake, plan, format);
      await cleanUpAthenaIngest(lake, engine, plan);
      return report;
    } catch (e) {
      await abandonAthenaIngest(lake, engine, plan, format.tables);
      throw e;
    }
  };
}

/** the state machine's queries succeeded: commit the file, clean up, release its marker; returns the file's report */
export async function finishHandedOver(lake: S3ObjectStore, engine: AthenaEngine, plan: AthenaIngestPlan): Promise<IngestReport> {
  const report = await commitAthenaIngest(lake, plan, formatOf(plan));
  await cleanUpAthenaIngest(lake, engine, plan);
  if (plan.markerToken !== undefined) await releaseClaim(lake, markerKey(plan.sha256.slice(0, 16)), plan.markerToken);
  return report;
}

/** a query of the state machine failed: remove what the file wrote and release its marker (a new delivery retries it) */
export async function abandonHandedOver(lake: S3ObjectStore, engine: AthenaEngine, plan: AthenaIngestPlan): Promise<void> {
  await abandonAthenaIngest(lake, engine, plan, formatOf(plan).tables);
  if (plan.markerToken !== undefined) await releaseClaim(lake, markerKey(plan.sha256.slice(0, 16)), plan.markerToken);
}
