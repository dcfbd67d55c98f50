/**
 * Device NDJSON (device-format.ts) → `observations` with source 'device': one row per value, so a blood-pressure
 * panel becomes a systolic and a diastolic row sharing the instant and device. Components whose code is not a
 * monitored measure (e.g. a mean arterial pressure in a BP panel) are not stored; a reading with no monitored value
 * at all is skipped. Any bad monitored component quarantines the whole reading, as does a time more than a day ahead
 * of ingest (measurement.ts notInFuture).
 */
import { observations } from '../tables/index.js';
import { deviceReadingSchema } from './device-format.js';
import { offsetInstant, personIdOf, required } from './fields.js';
import { parseJsonLine, valueAt } from './json.js';
import type { CuratedRow, NdjsonReader } from './mapper.js';
import { isMonitored, NOT_MONITORED, notInFuture, observationRow, rememberWeights } from './measurement.js';
import { PoundsLabelledKg } from './pounds-as-kg.js';
import { reject } from './rejection.js';

export const deviceNdjson: NdjsonReader = {
  kind: 'ndjson',
  format: 'device-ndjson',
  tables: [observations],
  bind(env) {
    const pounds = new PoundsLabelledKg();
    const now = Date.now();
    return (line) => {
      const json = parseJsonLine(line);
      const parsed = deviceReadingSchema.safeParse(json);
      if (!parsed.success) {
        const { path, message } = parsed.error.issues[0]!;
        reject(path.join('.'), `not a device reading: ${message}`, valueAt(json, path));
      }
      const r = parsed.data;
      const personId = personIdOf(r.person_id, 'person_id');
      env.persons.require(personId, 'person_id');
      const observedAt = notInFuture(required(offsetInstant(r.measured_at, 'measured_at'), 'measured_at'), now, 'measured_at', r.measured_at);
      const values = r.components
        ? r.components.map((c, i) => ({ ...c, field: `components[${i}].value` }))
        : [{ code: r.code, value: r.value ?? reject('value', 'missing value', null), unit: r.unit ?? null, field: 'value' }];
      const rows: CuratedRow[] = values
        .filter((v) => isMonitored(v.code))
        .map((v) =>
          observationRow(
            {
              person_id: personId,
              observed_at: observedAt,
              loinc_code: v.code,
              value: v.value,
              unit: v.unit,
              device_id: r.device_id ?? null,
              source: 'device',
            },
            v.field,
            env.sourceFile,
            pounds,
          ),
        );
      if (rows.length === 0) return { skip: NOT_MONITORED };
      rememberWeights(rows, pounds);
      return { rows };
    };
  },
};
