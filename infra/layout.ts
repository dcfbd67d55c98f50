/**
 * Who may touch what: the object prefixes of the landing and lake buckets each function reads, writes or deletes,
 * and the tables it queries through Athena (only the features function does: the others read the Parquet the stage
 * before them wrote, straight from the lake). infra/grants.ts turns this table into IAM statements, so a reviewer
 * checks least privilege here, in one place. Object keys below a prefix are content hashes or dates that are not
 * known at deploy time, which is why object access is granted per prefix (`arn:…:bucket/curated/*`) and never on a
 * whole bucket. The `why` of each entry is the reason given to cdk-nag for that prefix's wildcard.
 */
import { RAW_TABLE_PREFIX } from '../lib/ingest/athena/raw-table.js';
import { RESULT_TABLE_PREFIX } from '../lib/ingest/athena/result-table.js';
import { STAGING_PREFIX } from '../lib/ingest/athena/stage.js';
import { IN_PROGRESS_PREFIX } from '../lib/ingest/in-progress.js';
import { KNOWN_PREFIX } from '../lib/ingest/known-files.js';
import { COMPACTIONS_PREFIX } from '../lib/pipeline/compact.js';
import { SHARD_INPUT_PREFIX, SHARD_OUTPUT_PREFIX } from '../lib/pipeline/score-shards.js';
import { CURATED_TABLES, data_quality, features, flags, medical_claims, members, observations, scores } from '../lib/tables/index.js';

/** raw files as delivered, in the landing bucket: each object created here starts an ingest */
export const LANDING_PREFIX = 'landing/';
/** partner feedback as delivered, in the landing bucket: `feedback/<partner>/*.ndjson` */
export const FEEDBACK_PREFIX = 'feedback/';
/** reference CSVs the features function uploads from queries/seeds/: `seeds/<name>/<name>.csv` in the lake */
export const SEEDS_PREFIX = 'seeds/';
/** the run reports in the lake: `reports/as_of=<date>/index.html` and its pages */
export const REPORTS_PREFIX = 'reports/';
/** where the workgroup writes query results in the results bucket */
export const RESULTS_PREFIX = 'results/';

export type StageName = 'ingest' | 'feedback' | 'features' | 'score' | 'dispatch';

export interface PrefixAccess {
  readonly bucket: 'landing' | 'lake';
  readonly prefix: string;
  readonly read?: boolean;
  readonly write?: boolean;
  readonly delete?: boolean;
  readonly why: string;
}

export interface StageAccess {
  readonly objects: readonly PrefixAccess[];
  /** Glue tables the stage's SQL reads through Athena (which reads their objects with the stage's own role) */
  readonly queries: readonly string[];
  /** whether the stage's SQL also reads the seed tables of queries/seeds/ */
  readonly readsSeeds?: boolean;
  /** the name prefixes of the Glue tables its SQL creates (the per-file tables of the Athena ingest) */
  readonly createsTables?: readonly TableCreation[];
}

/** read, write and delete on every curated table's prefix, each with the reason `why` gives for it */
function everyCuratedTable(why: (t: (typeof CURATED_TABLES)[number]) => string): PrefixAccess[] {
  return CURATED_TABLES.map((t) => ({ bucket: 'lake', prefix: t.prefix, read: true, write: true, delete: true, why: why(t) }));
}

/** Glue tables a stage's SQL creates: their name prefix, whether it also moves them (ALTER TABLE SET LOCATION) or drops them */
export interface TableCreation {
  readonly prefix: string;
  readonly alters: boolean;
  readonly drops: boolean;
  readonly why: string;
}

/** the per-file tables of the Athena ingest (lib/ingest/athena/raw-table.ts, result-table.ts), which the function drops */
function athenaIngestTables(drops: boolean): TableCreation[] {
  return [
    {
      prefix: RAW_TABLE_PREFIX,
      alters: false,
      drops,
      why: `the Athena ingest creates the external table ${RAW_TABLE_PREFIX}<content hash> over a landing file's staging copy, and the ingest function drops it after the commit; content hashes are unknown at deploy time`,
    },
    {
      prefix: RESULT_TABLE_PREFIX,
      alters: true,
      drops,
      why: `the Athena ingest creates the Parquet table ${RESULT_TABLE_PREFIX}<content hash> of a landing file's query result (WITH NO DATA), moves it to the file's staging folder and fills it once for every output to read, and the ingest function drops it after the commit; content hashes are unknown at deploy time`,
    },
  ];
}

export const ACCESS: Readonly<Record<StageName, StageAccess>> = {
  ingest: {
    objects: [
      { bucket: 'landing', prefix: LANDING_PREFIX, read: true, why: 'ingest reads the delivered file named by each S3 event under landing/' },
      ...everyCuratedTable((t) =>
        t === members
          ? `ingest reads the person ids of ${t.prefix} parts, writes ${t.prefix}<content hash>-NNNN.parquet parts and deletes the parts of an interrupted earlier try of the same file`
          : `ingest writes ${t.prefix}<content hash>-NNNN.parquet parts and deletes the parts of an interrupted earlier try of the same file`,
      ),
      {
        bucket: 'lake',
        prefix: 'quarantine/',
        read: true,
        write: true,
        delete: true,
        why: 'ingest writes the rejected records of a file to quarantine/<content hash>.ndjson and deletes that log before each try of the file and after a failed one, so a retry does not repeat its lines',
      },
      { bucket: 'lake', prefix: 'manifests/', read: true, write: true, why: 'ingest writes manifests/<content hash>.json and reads it to skip a file it has seen' },
      {
        bucket: 'lake',
        prefix: KNOWN_PREFIX,
        read: true,
        write: true,
        why: `ingest records each landing key it committed (its size and ETag) in ${KNOWN_PREFIX}<hash of the key>.json and reads it to answer a file it has seen without reading it`,
      },
      {
        bucket: 'lake',
        prefix: STAGING_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: `ingest copies a landing file of a SQL format to ${STAGING_PREFIX}<content hash>/raw/ for its Athena table, has Athena fill the file's result table under ${STAGING_PREFIX}<content hash>/result/ when it queries itself, reads what the queries UNLOADed under ${STAGING_PREFIX}<content hash>/out/ (copied to curated parts and quarantine), and deletes the folder after the commit or as a dead ingest's leftovers`,
      },
      {
        bucket: 'lake',
        prefix: IN_PROGRESS_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: `ingest creates ${IN_PROGRESS_PREFIX}<content hash>.json (only if absent: its claim on that content) while it ingests a file, deletes it after or replaces one left stale by a crashed invocation, and reads these markers to hold back claims and readings until the members of an eligibility file are written`,
      },
    ],
    // the ingest SQL of queries/ingest/ joins the committed members (known persons)
    queries: [members.name],
    createsTables: athenaIngestTables(true),
  },
  feedback: {
    objects: [
      { bucket: 'landing', prefix: FEEDBACK_PREFIX, read: true, why: 'the feedback function reads the partner file named by each S3 event under feedback/<partner>/' },
      { bucket: 'lake', prefix: FEEDBACK_PREFIX, write: true, why: 'the feedback function writes validated feedback to feedback/<partner>/<content hash>.ndjson in the lake' },
      { bucket: 'lake', prefix: 'quarantine/', write: true, why: 'the feedback function writes invalid feedback lines to quarantine/<content hash>.ndjson' },
    ],
    queries: [],
  },
  features: {
    objects: [
      ...everyCuratedTable(
        (t) =>
          `the features function compacts ${t.prefix}: it reads the small parts of ingested files, writes their rows to ${t.prefix}c-<digest>-NNNN.parquet and deletes the parts it rewrote`,
      ),
      { bucket: 'lake', prefix: 'manifests/', read: true, why: 'the features function compacts only the parts of files whose manifests/<content hash>.json exists (committed)' },
      {
        bucket: 'lake',
        prefix: COMPACTIONS_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: `the features function records each compaction in ${COMPACTIONS_PREFIX}<digest>.json while it runs, so an interrupted one is finished by the next`,
      },
      { bucket: 'lake', prefix: SEEDS_PREFIX, read: true, write: true, why: 'the features function uploads the reference CSVs to seeds/<name>/<name>.csv before it runs the query' },
      {
        bucket: 'lake',
        prefix: features.prefix,
        read: true,
        write: true,
        delete: true,
        why: 'the features function clears features/as_of=<date>/ and Athena UNLOADs the new features there',
      },
      {
        bucket: 'lake',
        prefix: data_quality.prefix,
        read: true,
        write: true,
        delete: true,
        why: 'the features function clears data_quality/as_of=<date>/ and Athena UNLOADs the run\'s data-quality checks there',
      },
      {
        bucket: 'lake',
        prefix: 'runs/features/',
        read: true,
        write: true,
        delete: true,
        why: 'the features function holds runs/features/as_of=<date>.json while it builds a date, so two executions of one date build it one after the other',
      },
    ],
    queries: CURATED_TABLES.map((t) => t.name),
    readsSeeds: true,
  },
  score: {
    objects: [
      { bucket: 'lake', prefix: features.prefix, read: true, why: 'the score function reads the Parquet files Athena UNLOADed to features/as_of=<date>/' },
      {
        bucket: 'lake',
        prefix: scores.prefix,
        read: true,
        write: true,
        delete: true,
        why: 'the score function writes scores/as_of=<date>/scores.parquet (or one file per shard), deletes the other files of that date\'s folder (an earlier run with another shard count) and reads the previous run\'s for rising risk',
      },
      {
        bucket: 'lake',
        prefix: SHARD_INPUT_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: `the score function splits the features of a date by person-hash bucket into ${SHARD_INPUT_PREFIX}as_of=<date>/shard=<k>/, reads its bucket's, and clears the date's before a new plan`,
      },
      {
        bucket: 'lake',
        prefix: SHARD_OUTPUT_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: `the score function writes each shard's unranked scores to ${SHARD_OUTPUT_PREFIX}as_of=<date>/shard=<k>.parquet, reads them all to rank the population, and clears the date's before a new plan`,
      },
      { bucket: 'lake', prefix: flags.prefix, read: true, write: true, why: 'the score function writes flags/as_of=<date>/flags.parquet' },
      {
        bucket: 'lake',
        prefix: 'runs/score/',
        read: true,
        write: true,
        delete: true,
        why: 'the score function holds runs/score/as_of=<date>.json while it writes a date, so two executions of one date write it one after the other',
      },
      { bucket: 'lake', prefix: FEEDBACK_PREFIX, read: true, why: 'the score function reads partner feedback under feedback/<partner>/ to exclude enrolled members' },
    ],
    queries: [],
  },
  dispatch: {
    objects: [
      { bucket: 'lake', prefix: 'worklists/', read: true, write: true, why: 'the dispatch function writes worklists/as_of=<date>/<partner>.csv' },
      {
        bucket: 'lake',
        prefix: 'dispatch/',
        read: true,
        write: true,
        delete: true,
        why: 'the dispatch function appends what each partner was sent to dispatch/ledger/<partner>.ndjson, writes and removes the intent of a send (dispatch/pending/<partner>.ndjson) and its lock on a partner (dispatch/lock/<partner>.json)',
      },
      { bucket: 'lake', prefix: FEEDBACK_PREFIX, read: true, why: 'the dispatch function reads partner feedback under feedback/<partner>/ for suppression' },
      { bucket: 'lake', prefix: flags.prefix, read: true, why: 'the dispatch function reads the flags Parquet of flags/as_of=<date>/' },
      {
        bucket: 'lake',
        prefix: REPORTS_PREFIX,
        read: true,
        write: true,
        delete: true,
        why: 'the dispatch function writes the run report to reports/as_of=<date>/ (index, partners/, members/), replacing the pages of an earlier run of the date',
      },
      ...[scores.prefix, features.prefix, observations.prefix, medical_claims.prefix, 'manifests/'].map(
        (prefix): PrefixAccess => ({ bucket: 'lake', prefix, read: true, why: `the dispatch function reads ${prefix} for the run report (scores, conditions, readings, admissions, ingest counts)` }),
      ),
    ],
    queries: [],
  },
};

/**
 * The ingest state machine (infra/ingest.ts), which runs the Athena queries of a landing file above
 * `deploy.ingest_large_file_bytes` as .sync tasks: Athena creates the file's table and reads and writes the objects
 * with the state machine's role. The commit is the ingest function's (the ingest entry above).
 */
export const INGEST_STATE_MACHINE_ACCESS: StageAccess = {
  objects: [
    {
      bucket: 'lake',
      prefix: STAGING_PREFIX,
      read: true,
      write: true,
      why: `Athena reads a landing file's copy under ${STAGING_PREFIX}<content hash>/raw/, writes the file's result table under ${STAGING_PREFIX}<content hash>/result/ and reads it back, and UNLOADs the ingest queries' outputs to ${STAGING_PREFIX}<content hash>/out/ with the ingest state machine's role`,
    },
  ],
  queries: [members.name],
  createsTables: athenaIngestTables(false),
};
