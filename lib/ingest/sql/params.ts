/**
 * `ingest_params`, the one-row relation of a file's parameters that a format's SQL cross-joins (portable: no
 * placeholder syntax in the query text). Values go through lib/sql/params.ts, validated and quoted as the feature
 * queries' are. Columns: `source_file`, `source_sha256`, `delivery_day` (DATE: the day of ingest, plausibility.ts),
 * `max_amount_usd`, `max_quantity` (DOUBLE: the configured ceilings) and the same as the text a reason quotes
 * (`max_amount_usd_text`, `max_quantity_text`: `10000000`, as the TypeScript rules printed them).
 */
import { isoOf, MS_PER_DAY } from '../../dates.js';
import { bindParams } from '../../sql/params.js';
import { DEFAULT_LIMITS, type IngestLimits } from '../plausibility.js';

export interface IngestParamsOptions {
  readonly limits?: IngestLimits;
  /** epoch ms of the delivery @default Date.now() */
  readonly now?: number;
}

export function ingestParamsSql(sourceFile: string, sha256: string, options: IngestParamsOptions = {}): string {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const day = isoOf(Math.floor((options.now ?? Date.now()) / MS_PER_DAY));
  return bindParams(
    'CREATE VIEW ingest_params AS SELECT CAST(? AS VARCHAR) AS source_file, CAST(? AS VARCHAR) AS source_sha256, ? AS delivery_day, ' +
      'CAST(? AS DOUBLE) AS max_amount_usd, CAST(? AS VARCHAR) AS max_amount_usd_text, CAST(? AS DOUBLE) AS max_quantity, CAST(? AS VARCHAR) AS max_quantity_text',
    [
      { string: sourceFile },
      { string: sha256 },
      { date: day },
      { number: limits.max_amount_usd },
      { string: String(limits.max_amount_usd) },
      { number: limits.max_quantity },
      { string: String(limits.max_quantity) },
    ],
  );
}
