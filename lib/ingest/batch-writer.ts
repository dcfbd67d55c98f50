/**
 * Accepted rows → `curated/<table>/<sha16>-<part>.parquet`. Each table buffers up to `flushEvery` rows, then writes
 * them as one Parquet file and starts the next part, so memory is bounded by the batch size, not the input size.
 * Part numbers are deterministic (0000, 0001, … per table), so a retry of a failed file overwrites its own parts.
 */
import { crashPoint } from '../crash.js';
import { rowsToParquet } from '../parquet/writer.js';
import type { ObjectStore } from '../store/port.js';
import type { CuratedTable } from './mapper.js';

export const DEFAULT_FLUSH_EVERY = 100_000;

interface Buffered {
  readonly table: CuratedTable;
  rows: Record<string, unknown>[];
  parts: number;
  written: number;
}

export function partKey(table: CuratedTable, sha16: string, part: number): string {
  return `${table.prefix}${sha16}-${String(part).padStart(4, '0')}.parquet`;
}

export class CuratedBatchWriter {
  readonly #buffers = new Map<string, Buffered>();

  constructor(
    private readonly store: ObjectStore,
    private readonly sha16: string,
    tables: readonly CuratedTable[],
    private readonly flushEvery = DEFAULT_FLUSH_EVERY,
  ) {
    for (const table of tables) this.#buffers.set(table.name, { table, rows: [], parts: 0, written: 0 });
  }

  /** true when some table's batch is full and `flushFull()` should be awaited */
  add(table: CuratedTable, row: Record<string, unknown>): boolean {
    const b = this.#buffers.get(table.name)!;
    b.rows.push(row);
    return b.rows.length >= this.flushEvery;
  }

  async flushFull(): Promise<void> {
    for (const b of this.#buffers.values()) if (b.rows.length >= this.flushEvery) await this.#write(b);
  }

  /** write what is left; returns rows written per table */
  async finish(): Promise<Record<string, number>> {
    const rows: Record<string, number> = {};
    for (const b of this.#buffers.values()) {
      if (b.rows.length > 0) await this.#write(b);
      rows[b.table.name] = b.written;
    }
    return rows;
  }

  async #write(b: Buffered): Promise<void> {
    const rows = b.rows;
    b.rows = [];
    await this.store.put(partKey(b.table, this.sha16, b.parts++), rowsToParquet(b.table, rows));
    crashPoint('ingest:after-part');
    b.written += rows.length;
  }
}
