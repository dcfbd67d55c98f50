/**
 * A CSV header, looked up by column NAME (case-insensitive, trimmed), never by position: Tuva files in the wild add,
 * drop and reorder columns, and the older layout says `patient_id` where the current one says `person_id`.
 */
export interface Column {
  /** the name the record is blamed with in quarantine */
  readonly name: string;
  /** position in the record, -1 when the file has no such column (its values read as empty) */
  readonly index: number;
}

export class MissingColumnError extends Error {
  constructor(readonly columns: readonly string[]) {
    super(`missing column ${columns.join(' or ')}`);
    this.name = 'MissingColumnError';
  }
}

/** a column the file has more than once, and reads: 1-based positions */
export interface DuplicateColumn {
  readonly name: string;
  readonly positions: readonly number[];
}

export class CsvHeader {
  readonly #index = new Map<string, number>();
  /** column name → its 1-based positions, for the names that appear more than once */
  readonly #duplicates = new Map<string, number[]>();
  readonly #duplicatesRead = new Map<string, readonly number[]>();
  readonly width: number;

  constructor(names: readonly string[]) {
    names.forEach((n, i) => {
      const key = n.trim().toLowerCase();
      const first = this.#index.get(key);
      if (first === undefined) this.#index.set(key, i);
      else if (key !== '') this.#duplicates.set(key, [...(this.#duplicates.get(key) ?? [first + 1]), i + 1]);
    });
    this.width = names.length;
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  /** the first of `names` the file has, or an absent column named after the first (a duplicate: its first copy) */
  optional(...names: string[]): Column {
    for (const name of names) {
      const index = this.#index.get(name);
      const twice = this.#duplicates.get(name);
      if (twice !== undefined) this.#duplicatesRead.set(name, twice);
      if (index !== undefined) return { name, index };
    }
    return { name: names[0]!, index: -1 };
  }

  /** like optional, but a file without any of `names` cannot be read at all */
  required(...names: string[]): Column {
    const c = this.optional(...names);
    if (c.index < 0) throw new MissingColumnError(names);
    return c;
  }

  /**
   * The columns a reader looked up that the header has more than once. A record is read from the first copy only
   * when every copy holds the same value (the driver checks): otherwise which one holds the data is unknown.
   */
  duplicatesRead(): DuplicateColumn[] {
    return [...this.#duplicatesRead].map(([name, positions]) => ({ name, positions }));
  }

  /** the columns of `columns` the file lacks, as a note for the file's report: `no paid_amount column: …` */
  static absent(columns: readonly Column[], consequence: string): string[] {
    return columns.filter((c) => c.index < 0).map((c) => `no ${c.name} column: ${consequence}`);
  }

  /** the person column of either Tuva layout: `person_id` (current) or `patient_id` (older) */
  person(): Column {
    return this.required('person_id', 'patient_id');
  }
}
