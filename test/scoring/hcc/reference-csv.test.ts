/** A damaged reference table fails with the file, the record and the field, not a NaN score. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { numberField, readReferenceCsv } from '../../../lib/scoring/hcc/reference-csv.js';

describe('reference CSV', () => {
  let root: string | undefined;
  afterEach(async () => {
    delete process.env['STRATIFY_ROOT'];
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads a table under the asset root and names file, record and field of a bad number', async () => {
    root = await mkdtemp(join(tmpdir(), 'stratify-ref-'));
    await mkdir(join(root, 'lib/scoring/hcc/data'), { recursive: true });
    await writeFile(join(root, 'lib/scoring/hcc/data/t.csv'), 'hcc_code,coefficient\n37,0.166\n226,\n');
    process.env['STRATIFY_ROOT'] = root;
    const table = readReferenceCsv('lib/scoring/hcc/data/t.csv');
    expect(table.rows).toEqual([{ hcc_code: '37', coefficient: '0.166' }, { hcc_code: '226', coefficient: '' }]);
    expect(numberField(table, 1, 'coefficient')).toBe(0.166);
    expect(() => numberField(table, 2, 'coefficient')).toThrow(`${join(root, 'lib/scoring/hcc/data/t.csv')}: record 2: coefficient "" is not a number`);
  });
});
