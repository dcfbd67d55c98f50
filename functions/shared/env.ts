/**
 * The handlers' environment (set by the CDK app, infra/), validated with zod. Each handler names the variables it
 * needs; a missing or malformed one fails its cold start with an error naming the variable.
 */
import { z } from 'zod';

/** a string holding JSON, parsed and then validated by `schema` */
function jsonOf<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        ctx.issues.push({ code: 'custom', message: `not JSON: ${(e as Error).message}`, input: text });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');

export const ENV = {
  STRATIFY_LANDING_BUCKET: bucket,
  STRATIFY_LAKE_BUCKET: bucket,
  STRATIFY_ATHENA_WORKGROUP: z.string().min(1),
  STRATIFY_GLUE_DATABASE: z.string().regex(/^[a-z0-9_]+$/, 'a Glue database name (lower case, digits, _)'),
  /** the ingest state machine of the large files (infra/ingest.ts) */
  STRATIFY_INGEST_STATE_MACHINE: z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/, 'a Step Functions state machine ARN'),
  /** partner → queue URL */
  STRATIFY_QUEUE_URLS: jsonOf(z.record(z.string().min(1), z.url())),
} as const;

export type EnvName = keyof typeof ENV;
export type Env<K extends EnvName> = { readonly [P in K]: z.output<(typeof ENV)[P]> };

export class EnvironmentError extends Error {
  constructor(
    readonly variable: EnvName,
    message: string,
  ) {
    super(`environment variable ${variable} ${message}`);
    this.name = 'EnvironmentError';
  }
}

export function readEnv<K extends EnvName>(names: readonly K[], env: NodeJS.ProcessEnv = process.env): Env<K> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw === '') throw new EnvironmentError(name, 'is not set');
    const parsed = ENV[name].safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
      throw new EnvironmentError(name, `is invalid: ${issues}`);
    }
    out[name] = parsed.data;
  }
  return out as Env<K>;
}
