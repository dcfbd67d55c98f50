/** One JSON object a line, each validated; blank lines are skipped and bad lines counted rather than thrown. */
import type { z } from 'zod';

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
