/**
 * The device SQL as Athena would receive it parses with a real Trino grammar: the NDJSON query and the queries
 * generated from vendor mappings of every time format (iso, epoch, a 12-hour pattern; a zone column or a fixed zone;
 * long and wide exports), so a mapping cannot produce SQL that only DuckDB reads.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { deviceNdjsonQuery } from '../../../lib/ingest/sql/devices.js';
import { vendorCsvQuery } from '../../../lib/ingest/sql/vendor-csv.js';
import { loadMapping, parseMapping } from '../../../lib/ingest/vendor-mapping.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/vendor/', import.meta.url));
const trino = new TrinoSQL();

describe('device ingest SQL in the Trino dialect', () => {
  it('the device NDJSON query has no Trino syntax error', () => {
    expect(trino.validate(deviceNdjsonQuery())).toEqual([]);
  });

  it.each(['hub-long', 'visit-wide'])('the query of the %s mapping has no Trino syntax error', async (name) => {
    const loaded = await loadMapping(join(FIXTURES, `${name}.mapping.json`));
    expect(trino.validate(vendorCsvQuery(loaded, ['America/Chicago', "O'Higgins/Quoted"]))).toEqual([]);
  });

  it.each([
    { format: 'epoch_ms' },
    { format: 'iso' },
    { format: 'M/d/yyyy h:mm a', zone: 'America/New_York' },
  ])('the query of a wide mapping with time %o has no Trino syntax error', (time) => {
    const loaded = parseMapping('m.json', { person: 'p', time: { column: "it's", ...time }, wide: { bp: { measure: 'blood_pressure', unit: 'mmHg' }, w: { measure: 'weight', unit_column: 'u' } } });
    expect(trino.validate(vendorCsvQuery(loaded))).toEqual([]);
  });

  it('the grammar does reject broken SQL (the check is live)', () => {
    expect(trino.validate(`${deviceNdjsonQuery()} where`).length).toBeGreaterThan(0);
  });
});
