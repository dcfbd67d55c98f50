import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BATCH_RECORDS, csvRecordBatches, ndjsonLineBatches } from '../../lib/ingest/records.js';

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

  describe('backpressure', () => {
    const CHUNK = 16 * 1024;
    const ROWS = 100_000;
    const line = (i: number) => `${String(i).padStart(8, '0')},claim-${String(i).padStart(8, '0')},2024-01-01,some text\n`;
    const LINE_BYTES = line(0).length;

    /** a CSV source made on demand, counting the bytes the reader has pulled from it */
    function countingSource() {
      const text = 'id,claim,day,note\n' + Array.from({ length: ROWS }, (_, i) => line(i)).join('');
      const counter = { pulled: 0 };
      let at = 0;
      const stream = new Readable({
        read() {
          const chunk = text.slice(at, at + CHUNK);
          at += chunk.length;
          counter.pulled += chunk.length;
          this.push(chunk === '' ? null : Buffer.from(chunk));
        },
      });
      return { stream, counter, total: text.length };
    }

    it('pulls the file no faster than a slow consumer takes its batches', async () => {
      const { stream, counter, total } = countingSource();
      let consumed = 0;
      let ahead = 0;
      for await (const batch of csvRecordBatches(stream)) {
        consumed += batch.reduce((n, r) => n + r.join(',').length + 1, 0);
        ahead = Math.max(ahead, counter.pulled - consumed);
        // a slow store: the batch's Parquet put and quarantine append take several turns of the event loop
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(consumed).toBe(total);
      // read ahead of what was handed over: the stream's buffer and papaparse's chunk, measured 31,779 bytes (about two
      // 16 KiB chunks); with only the parser paused the whole 4.5 MB file was read while the first batch was consumed
      expect(total).toBeGreaterThan(20 * CHUNK);
      expect(ahead).toBeLessThanOrEqual(4 * CHUNK);
      expect(BATCH_RECORDS * LINE_BYTES).toBeGreaterThan(4 * CHUNK); // a batch is bigger than the bound
    });

    it('closes the stream when the consumer stops early', async () => {
      const { stream, counter, total } = countingSource();
      for await (const batch of csvRecordBatches(stream)) {
        expect(batch).toHaveLength(BATCH_RECORDS);
        break;
      }
      expect(stream.destroyed).toBe(true);
      expect(counter.pulled).toBeLessThan(total);
    });

    it('closes the stream when the consumer throws', async () => {
      const { stream } = countingSource();
      await expect(
        (async () => {
          for await (const _ of csvRecordBatches(stream)) throw new Error('store down');
        })(),
      ).rejects.toThrow('store down');
      expect(stream.destroyed).toBe(true);
    });
  });
});
