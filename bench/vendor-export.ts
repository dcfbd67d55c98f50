/**
 * A vendor device CSV for the bench, made from the demo's device readings: the long export of an invented RPM hub
 * (one reading a row, blood pressure written `132/84`, vendor units, 12-hour local time with the member's IANA zone
 * in a column), read with the mapping below. It gives `npm run bench` a vendor CSV as large as the device NDJSON, so
 * the `--map` path has its own ratio against DuckDB's COPY of the same file.
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type { ObjectStore } from '../lib/store/port.js';

export const VENDOR_CSV_KEY = 'landing/vendor_readings.csv';

export const VENDOR_MAPPING = {
  description: 'INVENTED long export of an RPM hub, made by the bench from the demo device readings',
  person: 'PatientMRN',
  device: 'DeviceSerial',
  time: { column: 'ReadingDateTime', format: 'MM/dd/yyyy hh:mm:ss a', zone_column: 'TimeZone' },
  long: { measure: 'ReadingType', value: 'ReadingValue', unit_column: 'ReadingUnit', measures: { BP: 'blood_pressure', PUL: 'heart_rate', WT: 'weight', GLU: 'glucose', SPO2: 'spo2' } },
  units: { mmHg: 'mm[Hg]', bpm: '/min', lbs: '[lb_av]' },
};

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles'];
const TYPES: Record<string, string> = { '85354-9': 'BP', '8867-4': 'PUL', '29463-7': 'WT', '41653-7': 'GLU', '59408-5': 'SPO2' };
const UNITS: Record<string, string> = { 'mm[Hg]': 'mmHg', '/min': 'bpm', '[lb_av]': 'lbs' };

const offsets = new Map<string, number>();
/** minutes the zone is ahead of UTC in the hour of `ms` (transitions fall on whole hours in these zones) */
function offsetOf(zone: string, ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  const key = `${zone}@${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    const p = Object.fromEntries(f.formatToParts(hour * 3_600_000).map((x) => [x.type, x.value]));
    offset = (Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!) - hour * 3_600_000) / 60_000;
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

function localText(ms: number, zone: string): string {
  const d = new Date(ms + offsetOf(zone, ms) * 60_000);
  const h = d.getUTCHours();
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

interface Reading {
  person_id: string;
  device_id?: string;
  measured_at: string;
  code: string;
  value?: number;
  unit?: string;
  components?: { code: string; value: number; unit: string }[];
}

/** writes the vendor CSV of the device readings at `ndjsonKey`; returns its record count */
export async function writeVendorExport(store: ObjectStore, ndjsonKey: string): Promise<number> {
  const out = new PassThrough();
  const done = store.put(VENDOR_CSV_KEY, out);
  out.write('PatientMRN,DeviceSerial,ReadingType,ReadingValue,ReadingUnit,ReadingDateTime,TimeZone\n');
  let n = 0;
  for await (const line of createInterface({ input: store.read(ndjsonKey), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Reading;
    const type = TYPES[r.code];
    if (type === undefined) continue;
    const zone = ZONES[(r.person_id.charCodeAt(r.person_id.length - 1) + r.person_id.length) % ZONES.length]!;
    const sys = r.components?.find((c) => c.code === '8480-6');
    const dia = r.components?.find((c) => c.code === '8462-4');
    const value = r.components ? `${sys?.value}/${dia?.value}` : String(r.value);
    const unit = r.components ? (sys?.unit ?? '') : (r.unit ?? '');
    out.write(`${r.person_id},${r.device_id ?? ''},${type},${value},${UNITS[unit] ?? unit},${localText(Date.parse(r.measured_at), zone)},${zone}\n`);
    n++;
  }
  out.end();
  await done;
  return n;
}
