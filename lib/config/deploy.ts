/**
 * The `deploy` section of the configuration: settings of the AWS deployment that `cdk synth` reads (infra/).
 * The local default ignores it; every field has a default so a local config file may leave the section out.
 */
import { z } from 'zod';

const days = z.number().int().positive();

export const deploySchema = z
  .object({
    /** stack name, Glue database and Athena workgroup name; two deployments in one account need two names */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a lower-case letter, then lower-case letters, digits or _ (at most 40)')
      .default('stratify'),
    /** EventBridge schedule of the daily run (features → score → dispatch); default 06:00 UTC every day */
    schedule: z.string().regex(/^(cron|rate)\(.+\)$/, 'an EventBridge cron(...) or rate(...) expression').default('cron(0 6 * * ? *)'),
    /** Athena stops any query of the workgroup that would scan more than this many bytes */
    athena_bytes_scanned_cutoff: z.number().int().min(10_000_000).default(10 * 1024 ** 3),
    /** e-mail address subscribed to the alarm topic (confirmation mail from SNS); none when absent */
    alarm_email: z.email().optional(),
    /** CloudWatch Logs retention of every function and of the state machine */
    log_retention_days: z
      .union([z.literal(30), z.literal(90), z.literal(180), z.literal(365), z.literal(731), z.literal(1827), z.literal(3653)])
      .default(365),
    /** raw landing files move to S3 Standard-IA after this many days, to Glacier Instant Retrieval after 90 more */
    landing_infrequent_access_after_days: days.min(30).default(30),
    /** Athena query results (which hold PHI) are deleted after this many days */
    athena_results_expire_days: days.default(7),
    /** overwritten or deleted object versions are kept this many days in every bucket, then deleted */
    noncurrent_versions_expire_days: days.default(30),
    /** at most this many landing files are ingested at the same time (SQS event source maximum concurrency, ≥ 2) */
    ingest_max_concurrency: z.number().int().min(2).max(1000).default(4),
    /**
     * Above this many members with features, the daily run scores in shards of at most this many members each
     * (lib/pipeline/score-shards.ts): a Distributed Map over the feature files, then one over person-hash buckets,
     * then a merge that ranks the whole population. The default keeps one score function under its 3,008 MB: the
     * unsharded stage's RSS grew by 922 MiB for 100,000 members and by 1,218 to 1,519 MiB for 200,000
     * (`npm run bench:scale`, fresh processes, the spread is V8's collection timing), so at the worst ratio, 922 MiB
     * per 100,000, the 2,698 MiB a 3,008 MB function has after the runtime hold about 292,000 members; 250,000
     * leaves 15 % of margin.
     */
    score_shard_members: z.number().int().min(1000).default(250_000),
    /** score shards run at once (the Distributed Map's concurrency and the score function's reserved concurrency) */
    score_max_concurrency: z.number().int().min(1).max(100).default(4),
    /**
     * Volume-format landing files (the formats of queries/ingest/) are validated by Athena on AWS. A file of at most
     * this many bytes (as delivered) is driven by the ingest function, which runs the queries and waits for them; a
     * larger one is handed to the ingest state machine, whose Athena tasks wait without Lambda's 15-minute limit
     * (infra/ingest.ts). 0 hands every one over. At most 4 GiB: the queries of a pharmacy file took 110 to 141 s per
     * GiB on DuckDB on 2 busy cores (bench/athena-ingest.bench.ts), so 4 GiB of a wider format could near 15 minutes.
     */
    ingest_large_file_bytes: z
      .number()
      .int()
      .min(0)
      .max(4 * 2 ** 30)
      .default(2 ** 30),
    /** the functions' log level (POWERTOOLS_LOG_LEVEL) */
    log_level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** thresholds of the alarms of infra/alarms.ts */
    alarms: z
      .object({
        /** a landing file whose quarantined records exceed this percentage of its records read */
        quarantine_rate_file_percent: z.number().gt(0).max(100).default(20),
        /** a day (UTC) whose quarantined records exceed this percentage of all records read that day */
        quarantine_rate_day_percent: z.number().gt(0).max(100).default(5),
        /** no daily run started for this many hours (24 + how late the schedule may start it) */
        run_started_within_hours: z.number().int().min(2).max(168).default(25),
        /** no daily run succeeded for this many hours (24 + how long a run may take) */
        run_finished_within_hours: z.number().int().min(2).max(168).default(27),
        /** one Athena query scanned more than this percentage of the workgroup's bytes-scanned cutoff */
        athena_scan_percent_of_cutoff: z.number().gt(0).max(100).default(80),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type DeployConfig = z.infer<typeof deploySchema>;
