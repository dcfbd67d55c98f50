/**
 * Curated rows written as one committed delivery, as ingest would leave them: a part per table named by the
 * delivery's hash, then its manifest. Readers take only the parts a manifest commits (lib/tables/deliveries.ts), so a
 * test that writes curated Parquet by hand goes through here.
 */
import { createHash } from 'node:crypto';
import { partKey } from '../lib/ingest/batch-writer.js';
import { writeManifest } from '../lib/ingest/manifests.js';
import type { IngestManifest } from '../lib/ingest/types.js';
import { rowsToParquet } from '../lib/parquet/writer.js';
import type { ObjectStore } from '../lib/store/port.js';
import type { CuratedTable } from '../lib/ingest/mapper.js';

/** writes the rows of each table given and commits them as the delivery named `file`, committed at `ingestedAt` */
export async function commitDelivery(
  store: ObjectStore,
  file: string,
  tables: readonly (readonly [CuratedTable, readonly Record<string, unknown>[]])[],
  ingestedAt = '2020-01-01T00:00:00.000Z',
): Promise<string> {
  const sha256 = createHash('sha256').update(file).update(ingestedAt).digest('hex');
  const rows: Record<string, number> = {};
  for (const [table, tableRows] of tables) {
    await store.put(partKey(table, sha256.slice(0, 16), 0), rowsToParquet(table, tableRows as Record<string, unknown>[]));
    rows[table.name] = tableRows.length;
  }
  const n = Object.values(rows).reduce((a, b) => a + b, 0);
  const manifest: IngestManifest = { file, sha256, format: 'tuva-eligibility', read: n, accepted: n, quarantined: 0, skipped: 0, reasons: {}, skip_reasons: {}, rows, notes: [], ingested_at: ingestedAt };
  await writeManifest(store, manifest);
  return sha256;
}
