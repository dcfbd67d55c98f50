import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedTable, seedTables } from '../../infra/seeds.js';
import { PROJECT_ROOT } from './synth-helpers.js';

describe('seed tables for the Glue catalog', () => {
  it('declare every column of the header string, as DuckDB loads the seeds (all_varchar)', () => {
    const t = seedTable('queries/seeds/x.csv', 'code,years,label\n0101,2,"a, quoted"\n0102,-3,b\n');
    expect(t.name).toBe('x');
    // all-digit columns too: the SQL casts the numbers it uses, on Athena as on DuckDB
    expect(t.columns).toEqual([
      { name: 'code', type: 'string' },
      { name: 'years', type: 'string' },
      { name: 'label', type: 'string' },
    ]);
  });

  it('refuse a record with the wrong field count, naming file and record', () => {
    expect(() => seedTable('queries/seeds/bad.csv', 'a,b\n1,2\n3\n')).toThrow('queries/seeds/bad.csv: record 3 has 1 fields, the header 2');
  });

  it('refuse a header field that is no SQL identifier', () => {
    expect(() => seedTable('s.csv', 'code,Long Name\n1,x\n')).toThrow('s.csv: header field 2 ("Long Name") is not a lower-case SQL identifier');
  });

  it('cover every CSV of queries/seeds', () => {
    const tables = seedTables(join(PROJECT_ROOT, 'queries', 'seeds'));
    expect(tables.map((t) => t.name)).toContain('monitoring_loinc_codes');
    expect(tables.find((t) => t.name === 'ccw_condition_rules')!.columns.map((c) => c.name)).toContain('lookback_years');
  });
});
