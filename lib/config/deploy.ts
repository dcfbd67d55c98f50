/**
 * The `deploy` section of the configuration: settings of the AWS deployment that `cdk synth` reads (infra/).
 * The local default ignores it; every field has a default so a local config file may leave the section out.
 */
import { z } from 'zod';

export const deploySchema = z
  .object({
    /** EventBridge schedule of the daily run (features → score → dispatch); default 06:00 UTC every day */
    schedule: z.string().regex(/^(cron|rate)\(.+\)$/, 'an EventBridge cron(...) or rate(...) expression').default('cron(0 6 * * ? *)'),
    /** Athena stops any query of the workgroup that would scan more than this many bytes */
    athena_bytes_scanned_cutoff: z.number().int().min(10_000_000).default(10 * 1024 ** 3),
  })
  .strict();

export type DeployConfig = z.infer<typeof deploySchema>;
