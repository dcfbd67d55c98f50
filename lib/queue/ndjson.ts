/** One JSON object a line, each validated; blank lines are skipped and bad lines counted rather than thrown. */
import type { z } from 'zod';
import type { ObjectStore } from '../store/port.js';

export function parseNdjson<S extends z.ZodType>(text: string, schema: S): { records: z.infer<S>[]; invalid: number } {
  const records: z.infer<S>[] = [];
  let invalid = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      invalid++;
      continue;
    }
    const r = schema.safeParse(json);
    if (r.success) records.push(r.data);
    else invalid++;
  }
  return { records, invalid };
}

export function toNdjson(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

/**
 * Appends NDJSON lines to `key`. An object whose last line was cut off (a crash in the middle of an append) gets a
 * newline first, so the torn line stays one bad line (skipped by parseNdjson) instead of swallowing the next record.
 */
export async function appendLines(store: ObjectStore, key: string, text: string, existing?: Uint8Array): Promise<void> {
  if (text === '') return;
  const before = existing ?? ((await store.exists(key)) ? await store.get(key) : new Uint8Array(0));
  const torn = before.length > 0 && before[before.length - 1] !== 0x0a;
  await store.append(key, (torn ? '\n' : '') + text);
}
