/**
 * Plausibility ranges every curated row passes at ingest, whatever reader made it: one impossible value stored would
 * otherwise stop the score stage for everyone (a birth date in 2030 made every member's CMS-HCC fail with "age -4";
 * a paid amount of 1e308 made `total_paid_12m` Infinity). Checked by the file driver after the mapper, by column:
 * - every date and timestamp: not before 1900-01-01, and not after the file's delivery day plus one day (senders'
 *   days may run ahead of UTC). The delivery day is the day of ingest: a file is read no earlier than it arrived.
 *   `enrollment_end_date` is exempt from the upper bound: a span may run to the year's end, or stay open (9999-12-31);
 * - `death_date` not before `birth_date`;
 * - money (`paid_amount`, `allowed_amount`) and `quantity`: absolute value within the configured ceiling
 *   (`ingest.max_amount_usd`, `ingest.max_quantity`). Negative amounts are not judged here (fields.ts has its rule).
 * Measurements have their own ranges per measure (units.ts). A violation rejects the record whole, naming the column.
 */
import { isoOf, MS_PER_DAY } from '../dates.js';
import type { ColumnDef } from '../tables/define.js';
import type { CuratedTable } from './mapper.js';
import { reject } from './rejection.js';

export interface IngestLimits {
  /** largest plausible paid or allowed amount of one claim line, USD (absolute value) */
  readonly max_amount_usd: number;
  /** largest plausible quantity dispensed on one pharmacy line */
  readonly max_quantity: number;
}

export const DEFAULT_LIMITS: IngestLimits = { max_amount_usd: 10_000_000, max_quantity: 100_000 };

export const EARLIEST_DAY = '1900-01-01';
/** days after the delivery day a date may fall */
const TOLERANCE_DAYS = 1;
const EARLIEST_MS = Date.parse(`${EARLIEST_DAY}T00:00:00Z`);

/** columns whose upper bound is not the delivery day */
const OPEN_ENDED = new Set(['enrollment_end_date']);

const CHECKED_TYPES = new Set(['date', 'timestamp', 'double']);
const checked = new Map<CuratedTable, readonly ColumnDef[]>();

/** the columns of a table that have a range (dates, timestamps, doubles), worked out once per table */
function checkedColumns(table: CuratedTable): readonly ColumnDef[] {
  let columns = checked.get(table);
  if (columns === undefined) checked.set(table, (columns = table.columns.filter((c) => CHECKED_TYPES.has(c.type))));
  return columns;
}

export class PlausibleRanges {
  readonly #latestDay: string;
  /** first instant after the latest plausible day */
  readonly #latestMs: number;
  readonly #tooLate: string;
  readonly #ceilings: ReadonlyMap<string, readonly [number, string]>;

  /** `now`: the instant the file is read (epoch ms), which stands for its delivery */
  constructor(now: number, limits: IngestLimits = DEFAULT_LIMITS) {
    const delivered = Math.floor(now / MS_PER_DAY);
    this.#latestDay = isoOf(delivered + TOLERANCE_DAYS);
    this.#latestMs = (delivered + TOLERANCE_DAYS + 1) * MS_PER_DAY;
    this.#tooLate = `after the delivery day ${isoOf(delivered)} (+${TOLERANCE_DAYS} day)`;
    const money: readonly [number, string] = [limits.max_amount_usd, 'ingest.max_amount_usd'];
    this.#ceilings = new Map<string, readonly [number, string]>([
      ['paid_amount', money],
      ['allowed_amount', money],
      ['quantity', [limits.max_quantity, 'ingest.max_quantity']],
    ]);
  }

  /** throws RecordRejected naming the first column out of range */
  check(table: CuratedTable, row: Record<string, unknown>): void {
    for (const { name, type } of checkedColumns(table)) {
      const v = row[name];
      if (v === null || v === undefined) continue;
      if (type === 'date') this.#day(name, v as string);
      else if (type === 'timestamp') this.#instant(name, v as number);
      else if (type === 'double') this.#amount(name, v as number);
    }
    if (typeof row.death_date === 'string' && typeof row.birth_date === 'string' && row.death_date < row.birth_date) {
      reject('death_date', 'death_date before birth_date', row.death_date);
    }
  }

  #day(name: string, day: string): void {
    if (day < EARLIEST_DAY) reject(name, `before ${EARLIEST_DAY}`, day);
    if (day > this.#latestDay && !OPEN_ENDED.has(name)) reject(name, this.#tooLate, day);
  }

  #instant(name: string, ms: number): void {
    if (ms < EARLIEST_MS) reject(name, `before ${EARLIEST_DAY}`, new Date(ms).toISOString());
    if (ms >= this.#latestMs) reject(name, this.#tooLate, new Date(ms).toISOString());
  }

  #amount(name: string, value: number): void {
    const ceiling = this.#ceilings.get(name);
    if (ceiling !== undefined && Math.abs(value) > ceiling[0]) reject(name, `beyond the ceiling of ${ceiling[0]} (${ceiling[1]})`, value);
  }
}
