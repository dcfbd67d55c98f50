import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferSeedTable, seedTables } from '../../infra/seeds.js';
import { PROJECT_ROOT } from './synth-helpers.js';

describe('seed tables for the Glue catalog', () => {
  it('declare a column int when every value is an integer, else string', () => {
    const t = inferSeedTable('queries/seeds/x.csv', 'code,years,label,mixed\n0101,2,"a, quoted",3\n0102,-3,b,3.5\n');
    expect(t.name).toBe('x');
    // "0101" is all digits (an int), "a, quoted" keeps its comma inside the quotes, 3.5 makes `mixed` a string
    expect(t.columns).toEqual([
      { name: 'code', type: 'int' },
      { name: 'years', type: 'int' },
      { name: 'label', type: 'string' },
      { name: 'mixed', type: 'string' },
    ]);
  });

  it('declare an empty value or a header-only file as string', () => {
    expect(inferSeedTable('e.csv', 'a,b\n1,\n2,3\n').columns.map((c) => c.type)).toEqual(['int', 'string']);
    expect(inferSeedTable('h.csv', 'a,b\n').columns.map((c) => c.type)).toEqual(['string', 'string']);
  });

  it('refuse a record with the wrong field count, naming file and record', () => {
    expect(() => inferSeedTable('queries/seeds/bad.csv', 'a,b\n1,2\n3\n')).toThrow('queries/seeds/bad.csv: record 3 has 1 fields, the header 2');
  });

  it('refuse a header field that is no SQL identifier', () => {
    expect(() => inferSeedTable('s.csv', 'code,Long Name\n1,x\n')).toThrow('s.csv: header field 2 ("Long Name") is not a lower-case SQL identifier');
  });

  it('cover every CSV of queries/seeds', () => {
    const tables = seedTables(join(PROJECT_ROOT, 'queries', 'seeds'));
    expect(tables.map((t) => t.name)).toContain('monitoring_loinc_codes');
    const loinc = tables.find((t) => t.name === 'monitoring_loinc_codes')!;
    // loinc codes carry a check digit after a hyphen (8480-6), so the column is text
    expect(loinc.columns[0]).toEqual({ name: 'loinc_code', type: 'string' });
  });
});
