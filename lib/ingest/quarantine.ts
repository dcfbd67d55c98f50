/**
 * `quarantine/<sha16>.ndjson`: one line per rejected record, `{file, record, field, reason, value, raw}`. Lines are
 * buffered and appended in blocks, so a file full of bad records costs a few writes, not one per record.
 */
import type { ObjectStore } from '../store/port.js';
import type { RecordRejected } from './rejection.js';
import type { QuarantineLine } from './types.js';

const BLOCK = 1000;

export function quarantineKey(sha16: string): string {
  return `quarantine/${sha16}.ndjson`;
}

export class QuarantineLog {
  readonly #lines: string[] = [];
  readonly reasons: Record<string, number> = {};
  count = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    private readonly file: string,
  ) {}

  /** true when a block is full and `flush()` should be awaited */
  add(record: number, rejection: RecordRejected, raw: string): boolean {
    const line: QuarantineLine = { file: this.file, record, field: rejection.field, reason: rejection.reason, value: rejection.value, raw };
    this.#lines.push(JSON.stringify(line));
    this.reasons[rejection.reason] = (this.reasons[rejection.reason] ?? 0) + 1;
    this.count++;
    return this.#lines.length >= BLOCK;
  }

  async flush(): Promise<void> {
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('\n') + '\n';
    this.#lines.length = 0;
    await this.store.append(this.key, text);
  }
}
