/**
 * The persons a claim or reading may belong to: everyone in an eligibility span already curated (committed), plus everyone
 * accepted from eligibility files earlier in this run (ingest reads eligibility first). When nobody is known at all,
 * e.g. a device-only delivery into an empty store, the check is switched off for that file rather than quarantining
 * everything; the file's report says so in its notes, and the rows can be audited against members later.
 */
import { readParquetObjects } from '../parquet/reader.js';
import { committedDeliveries, committedParts } from './manifests.js';
import type { ObjectStore } from '../store/port.js';
import { defineTable, members } from '../tables/index.js';
import { detached } from './fields.js';
import { reject } from './rejection.js';

/** the one column of `members` this check reads */
const MEMBER_IDS = defineTable('member_ids', members.prefix, 'person_id of the members table', [['person_id', 'string', 'required', 'person']]);

export class KnownPersons {
  readonly #ids: Set<string>;

  private constructor(ids: Iterable<string>) {
    this.#ids = new Set(ids);
  }

  /**
   * Read from the members' Parquet in the store, the person_id column alone: on AWS a query would page every id
   * through Athena's results, 1,000 a call, for each landing file.
   */
  static async load(store: ObjectStore): Promise<KnownPersons> {
    const parts = await committedParts(store, members.prefix, await committedDeliveries(store));
    const rows = await readParquetObjects(store, parts, MEMBER_IDS);
    return new KnownPersons(rows.map((r) => r.person_id));
  }

  get size(): number {
    return this.#ids.size;
  }

  /** every person known now */
  ids(): IterableIterator<string> {
    return this.#ids.values();
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
