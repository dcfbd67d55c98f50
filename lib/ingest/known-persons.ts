/**
 * The persons a claim or reading may belong to: everyone in an eligibility span already curated (committed), plus everyone
 * accepted from eligibility files earlier in this run (ingest reads eligibility first). When nobody is known at all,
 * e.g. a device-only delivery into an empty store, the check is switched off for that file rather than quarantining
 * everything; the file's report says so in its notes, and the rows can be audited against members later.
 *
 * The persons are the `person_id` of the members parts of the deliveries known (committed when listed, and those
 * committed in this run: addDelivery), plus persons added one by one (a FHIR file's Patients). A TypeScript reader
 * needs them as a set, read from the Parquet (read()); the SQL runner has DuckDB read the same parts itself (parts()),
 * and a list of them in JavaScript is never made: on the bench's 100,000 members that read took 0.1-0.3 s of every
 * claims file's ingest (0.6 s in a fresh process, which first compiles parquet-wasm), and an eligibility file's
 * ingest spent 0.1 s handing its persons over one by one.
 */
import { readParquetObjects } from '../parquet/reader.js';
import { committedDeliveries, committedParts } from './manifests.js';
import type { ObjectInfo, ObjectStore } from '../store/port.js';
import { defineTable, members } from '../tables/index.js';
import { detached } from './fields.js';
import { reject } from './rejection.js';

/** the one column of `members` this check reads */
const MEMBER_IDS = defineTable('member_ids', members.prefix, 'person_id of the members table', [['person_id', 'string', 'required', 'person']]);

/** the note of a file whose persons could not be checked */
export const PERSONS_NOT_CHECKED = 'person ids not checked: no eligibility has been ingested, so no person is known yet';

export class KnownPersons {
  /** deliveries (sha16) whose members parts hold known persons */
  readonly #deliveries: Set<string>;
  /** persons added one by one */
  readonly #added = new Set<string>();
  /** every person of the parts read so far and every one added; undefined until read() */
  #ids: Set<string> | undefined;
  /** the parts whose persons #ids holds */
  readonly #read = new Set<string>();
  /** a delivery was added since the last read(): #ids lacks its persons */
  #stale = true;

  private constructor(
    private readonly store: ObjectStore,
    deliveries: Iterable<string>,
  ) {
    this.#deliveries = new Set(deliveries);
  }

  /** the committed deliveries, listed now; their persons are read by read(), or by a SQL engine from parts() */
  static async listed(store: ObjectStore): Promise<KnownPersons> {
    return new KnownPersons(store, await committedDeliveries(store));
  }

  /**
   * Listed and read from the members' Parquet in the store, the person_id column alone: on AWS a query would page
   * every id through Athena's results, 1,000 a call, for each landing file.
   */
  static async load(store: ObjectStore): Promise<KnownPersons> {
    return await (await KnownPersons.listed(store)).read();
  }

  /**
   * the members parts (not empty) that hold the known persons, besides those added one by one: listed at each call, so
   * that a compaction between two files of a run (which replaces parts) leaves their reader no part that is gone
   */
  async parts(): Promise<ObjectInfo[]> {
    return (await committedParts(this.store, members.prefix, this.#deliveries)).filter((p) => p.size > 0);
  }

  /** the persons added one by one (not in parts()) */
  get added(): ReadonlySet<string> {
    return this.#added;
  }

  /**
   * reads the persons of the parts not read yet; then size, ids() and checker() hold every person known. Lists the
   * parts only when a delivery was added since the last read: each file of a run asks, and a compaction in between
   * changes the parts, not the persons
   */
  async read(): Promise<this> {
    if (!this.#stale) return this;
    const unread = (await this.parts()).filter((p) => !this.#read.has(p.key));
    const ids = (this.#ids ??= new Set(this.#added));
    for (const row of await readParquetObjects(this.store, unread, MEMBER_IDS)) ids.add(row.person_id);
    for (const p of unread) this.#read.add(p.key);
    this.#stale = false;
    return this;
  }

  /** the persons of a delivery committed in this run (its members parts) are known from now on */
  addDelivery(sha16: string): void {
    this.#deliveries.add(sha16);
    this.#stale = true;
  }

  #known(): Set<string> {
    if (this.#ids === undefined || this.#stale) throw new Error('the known persons are read (KnownPersons.read) before they are used as a set');
    return this.#ids;
  }

  get size(): number {
    return this.#known().size;
  }

  /** every person known now */
  ids(): IterableIterator<string> {
    return this.#known().values();
  }

  add(personId: string): void {
    if (this.#added.has(personId)) return;
    const id = detached(personId);
    this.#added.add(id);
    this.#ids?.add(id);
  }

  /** a check bound to the persons known now; a no-op when none are */
  checker(): PersonCheck {
    const ids = this.#known();
    if (ids.size === 0) return { active: false, require: () => {} };
    return {
      active: true,
      require: (personId, field) => {
        if (!ids.has(personId)) reject(field, 'unknown person', personId);
      },
    };
  }
}

export interface PersonCheck {
  readonly active: boolean;
  require(personId: string, field: string): void;
}
