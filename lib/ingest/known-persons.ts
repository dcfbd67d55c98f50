/**
 * The persons a claim or reading may belong to: everyone in an eligibility span already curated, plus everyone
 * accepted from eligibility files earlier in this run (ingest reads eligibility first). When nobody is known at all,
 * e.g. a device-only delivery into an empty store, the check is switched off for that file rather than quarantining
 * everything; the file's report says so in its notes, and the rows can be audited against members later.
 */
import type { QueryEngine } from '../sql/port.js';
import { detached } from './fields.js';
import { reject } from './rejection.js';

export class KnownPersons {
  readonly #ids: Set<string>;

  private constructor(ids: Iterable<string>) {
    this.#ids = new Set(ids);
  }

  static async load(engine: QueryEngine): Promise<KnownPersons> {
    const rows = await engine.query<{ person_id: string }>('SELECT DISTINCT person_id FROM members');
    return new KnownPersons(rows.map((r) => r.person_id));
  }

  get size(): number {
    return this.#ids.size;
  }

  add(personId: string): void {
    if (!this.#ids.has(personId)) this.#ids.add(detached(personId));
  }

  /** a check bound to the persons known now; a no-op when none are */
  checker(): PersonCheck {
    if (this.#ids.size === 0) return { active: false, require: () => {} };
    return {
      active: true,
      require: (personId, field) => {
        if (!this.#ids.has(personId)) reject(field, 'unknown person', personId);
      },
    };
  }
}

export interface PersonCheck {
  readonly active: boolean;
  require(personId: string, field: string): void;
}
