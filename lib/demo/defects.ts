/**
 * The bad records the demo plants, about 0.2% of the records of each file, each one an extra copy of a clean record
 * with one realistic defect, so that no clean record (and no deteriorating member's signal) is lost. Every planted
 * record is noted with its file, 1-based record number and field, for ingest to prove it quarantined them all.
 */
import type { CsvLayout, CsvRecord } from './csv.js';
import { dayOf, isoOf } from '../dates.js';
import { personId } from './population.js';
import { Random } from './random.js';
import type { FileSink } from './sink.js';

export type DefectKind = 'invalid_icd10' | 'impossible_date' | 'unknown_person' | 'negative_amount' | 'pounds_as_kg';

export interface BadRecord {
  file: string;
  record: number;
  field: string;
  kind: DefectKind;
}

const BAD_RECORD_RATE = 0.002;

/** what senders really put in a diagnosis field by mistake: ICD-9, dotted garbage, placeholders */
const INVALID_ICD10 = ['12345', 'ZZZ99', 'E11.99999X', 'UNKNOWN', '250.00', '4019', 'I10..', 'NULL'];
const IMPOSSIBLE_MONTH_DAYS = ['02-30', '02-31', '04-31', '06-31', '09-31', '11-31'];

export class Defects {
  readonly planted: BadRecord[] = [];
  readonly rng: Random;

  constructor(
    seed: number,
    private readonly members: number,
  ) {
    this.rng = new Random(seed, -1, 0xbad);
  }

  /** true for about one call in 500 */
  due(rate = BAD_RECORD_RATE): boolean {
    return this.rng.chance(rate);
  }

  note(sink: FileSink, record: number, field: string, kind: DefectKind): void {
    this.planted.push({ file: sink.key, record, field, kind });
  }

  /** a well-formed person id that is not in the eligibility file */
  unknownPersonId(): string {
    return personId(this.members + 1 + this.rng.int(0, 999));
  }

  invalidIcd10(): string {
    return this.rng.pick(INVALID_ICD10);
  }

  /** a date that does not exist, in the year of `near`, e.g. `2025-02-30` */
  impossibleDate(near: string): string {
    return `${near.slice(0, 4)}-${this.rng.pick(IMPOSSIBLE_MONTH_DAYS)}`;
  }

  /** a date `1..30` days before the ISO date `iso` (an end before its start) */
  dateBefore(iso: string): string {
    return isoOf(dayOf(iso) - this.rng.int(1, 30));
  }

  negativeAmount(amount: string): string {
    const n = Number(amount);
    return (-(Number.isFinite(n) && n > 0 ? n : this.rng.uniform(10, 500))).toFixed(2);
  }
}

export interface Corruption<C extends string> {
  readonly record: CsvRecord<C>;
  readonly field: C;
  readonly kind: DefectKind;
}

/**
 * Write a clean record, then, now and then, a corrupted copy of it. `defects` is undefined for the members whose
 * records must stay clean (the deteriorating ones).
 */
export function writeCsvRecord<C extends string>(
  sink: FileSink,
  layout: CsvLayout<C>,
  record: CsvRecord<C>,
  defects: Defects | undefined,
  corrupt: (clean: CsvRecord<C>, defects: Defects) => Corruption<C>,
): void {
  sink.write(layout.row(record));
  if (!defects?.due()) return;
  const bad = corrupt(record, defects);
  defects.note(sink, sink.write(layout.row(bad.record)), bad.field, bad.kind);
}
