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

export class CsvHeader {
  readonly #index = new Map<string, number>();
  readonly width: number;

  constructor(names: readonly string[]) {
    names.forEach((n, i) => {
      const key = n.trim().toLowerCase();
      if (!this.#index.has(key)) this.#index.set(key, i);
    });
    this.width = names.length;
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  /** the first of `names` the file has, or an absent column named after the first */
  optional(...names: string[]): Column {
    for (const name of names) {
      const index = this.#index.get(name);
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

  /** the person column of either Tuva layout: `person_id` (current) or `patient_id` (older) */
  person(): Column {
    return this.required('person_id', 'patient_id');
  }
}
