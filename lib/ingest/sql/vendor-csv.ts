/**
 * A vendor device CSV read through its `--map` mapping, as SQL: the mapping (checked whole by vendor-mapping.ts when
 * loaded) becomes the select of `device_values` that devices.ts composes with the shared device rules. The select is
 * a chain of CTEs, each group of rules in its module of vendor/: the records with their person, measure, units and
 * panels (records.ts, panels.ts), the time's parts (time-text.ts), its zone and instant (zones.ts), the record's
 * first failing rule (rules.ts), then one row per value (values.ts).
 */
import type { LoadedMapping } from '../vendor-mapping.js';
import { observations } from '../../tables/index.js';
import { deviceQuery } from './devices.js';
import type { SqlFormat } from './format.js';
import { slotsOf, vendorColumns } from './vendor/columns.js';
import type { VendorQuery } from './vendor/query.js';
import { lookupCtes, measureCtes, recordCtes } from './vendor/records.js';
import { decidedCte } from './vendor/rules.js';
import { timeParts, wallTimeCtes } from './vendor/time-text.js';
import { deviceValuesSelect, valueCtes } from './vendor/values.js';
import { FIXED_OFFSET, knownZones, zoneCtes, zoneListCte, zonesQuery } from './vendor/zones.js';

/** what the select's parts are made from; `columnZones`: the valid zones of the file's zone column (knownZones) */
function vendorQueryOf({ mapping: m }: LoadedMapping, columnZones: readonly string[]): VendorQuery {
  // never a fixed offset (knownZones leaves them out; a mapping's zone is IANA): a zone of the list is not fixed_zone
  const zones = (m.time.zone === undefined ? columnZones : [m.time.zone]).filter((z) => !FIXED_OFFSET.test(z));
  return { m, slots: slotsOf(m), time: timeParts(m.time.format), zones };
}

/** the select of device_values for `loaded` (zones: the valid zones of the file's zone column, knownZones) */
export function vendorValuesSql(loaded: LoadedMapping, columnZones: readonly string[] = []): string {
  const query = vendorQueryOf(loaded, columnZones);
  const ctes = [
    ...lookupCtes(query),
    zoneListCte(query),
    ...measureCtes(query),
    ...recordCtes(query),
    ...wallTimeCtes(query),
    ...zoneCtes(query),
    decidedCte(query),
    ...valueCtes(query),
  ];
  return `with\n${ctes.join(',\n')}\n${deviceValuesSelect(query)}`;
}

/** the whole query of a vendor CSV: the mapping's select, then the shared device rules */
export function vendorCsvQuery(loaded: LoadedMapping, zones: readonly string[] = []): string {
  return deviceQuery(vendorValuesSql(loaded, zones));
}

/** a vendor CSV read through `loaded` on the SQL runner (run-file.ts): its zones are checked before the query is made */
export function vendorCsvSql(loaded: LoadedMapping): SqlFormat {
  return {
    kind: 'csv',
    format: 'vendor-csv',
    tables: [observations],
    columns: vendorColumns(loaded.mapping).map(({ name, column }) => ({ name, header: column.trim().toLowerCase(), required: true })),
    query: async (first, distinct) => {
      const zones = zonesQuery(loaded.mapping, distinct);
      return vendorCsvQuery(loaded, zones === null ? [] : knownZones((await first(zones)).map((r) => r.zone as string)));
    },
  };
}
