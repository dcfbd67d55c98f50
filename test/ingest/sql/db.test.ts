/**
 * The DuckDB instance a file is ingested in holds to the ingest's memory and gives what it frees back to the system
 * soon: bench:large (a 2 GB claims file) measures what these settings are worth, this test that they are made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IngestDb } from '../../../lib/ingest/sql/db.js';

describe('IngestDb.open', () => {
  let db: IngestDb | undefined;
  const saved = process.env.STRATIFY_INGEST_MEMORY;
  afterEach(() => {
    db?.close();
    if (saved === undefined) delete process.env.STRATIFY_INGEST_MEMORY;
    else process.env.STRATIFY_INGEST_MEMORY = saved;
  });

  it('holds DuckDB to STRATIFY_INGEST_MEMORY and flushes its allocator past 32 MB, and after any bulk free past 8 MB', async () => {
    process.env.STRATIFY_INGEST_MEMORY = '512MB';
    db = await IngestDb.open();
    // 512 MB in DuckDB's units is 512,000,000 bytes: 488.2 MiB
    expect(await db.memoryLimit()).toBeCloseTo(488.2 * 2 ** 20, -5);
    const [settings] = await db.query(
      `SELECT current_setting('allocator_flush_threshold') AS flush, current_setting('allocator_bulk_deallocation_flush_threshold') AS bulk, ` +
        `current_setting('allocator_background_threads') AS background`,
    );
    // 32 MB and 8 MB in DuckDB's units, as it reports them in MiB
    expect(settings).toEqual({ flush: '30.5 MiB', bulk: '7.6 MiB', background: true });
  });

  it("flushes bulk frees while a file that may spill is read (larger than the limit, or gzip), not while a smaller one is, and keeps 8 MB after", async () => {
    process.env.STRATIFY_INGEST_MEMORY = '512MB';
    db = await IngestDb.open();
    const bulk = async () => (await db!.query<{ bulk: string }>(`SELECT current_setting('allocator_bulk_deallocation_flush_threshold') AS bulk`))[0]!.bulk;
    // the limit is 512,000,000 bytes: a plain file of 100 MB is read under DuckDB's default, 512 MB (488.2 MiB)
    expect(await db.readingFile(100e6, false, bulk)).toBe('488.2 MiB');
    // one of 600 MB may spill, and so may a gzip one of any size: read under the ingest's 8 MB (7.6 MiB)
    expect(await db.readingFile(600e6, false, bulk)).toBe('7.6 MiB');
    expect(await db.readingFile(100e6, true, bulk)).toBe('7.6 MiB');
    expect(await bulk()).toBe('7.6 MiB');
  });
});
