import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecordBatches, ndjsonLineBatches } from '../../lib/ingest/records.js';

async function all<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of batches) out.push(...b);
  return out;
}

describe('ndjsonLineBatches', () => {
  it('numbers lines across chunk boundaries, split characters, CRLF, blank lines and a last line without newline', async () => {
    const bytes = Buffer.from('{"a":"é"}\r\n\n{"b":2}\n   \n{"c":"日本"}', 'utf8');
    // cut inside the two-byte é, inside "b" and inside the three-byte 日
    const cuts = [7, 15, bytes.indexOf(Buffer.from('日')) + 1, bytes.length];
    const chunks = cuts.map((end, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], end));
    expect(await all(ndjsonLineBatches(Readable.from(chunks)))).toEqual([
      [1, '{"a":"é"}'],
      [3, '{"b":2}'],
      [5, '{"c":"日本"}'],
    ]);
  });
});

describe('csvRecordBatches', () => {
  it('strips a byte-order mark, keeps quoted commas and newlines, skips empty lines', async () => {
    const csv = '\ufeffid,note\r\n1,"a, b"\r\n\r\n2,"two\nlines"\r\n';
    expect(await all(csvRecordBatches(Readable.from([Buffer.from(csv, 'utf8')])))).toEqual([
      ['id', 'note'],
      ['1', 'a, b'],
      ['2', 'two\nlines'],
    ]);
  });

  it('fails the file on an unterminated quote, naming the record', async () => {
    const csv = 'id,note\n1,ok\n2,"never closed\n3,x\n';
    await expect(all(csvRecordBatches(Readable.from([csv])))).rejects.toThrow(/CSV record 2 .*: quoted field unterminated/);
  });
});
