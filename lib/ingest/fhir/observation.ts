/**
 * Observation → `observations`, one row per monitored value, as the device NDJSON reader does: a blood-pressure
 * panel (LOINC 85354-9 / MDC 150020) gives its systolic and diastolic components, other components (mean arterial
 * pressure, measurement status) are not stored. Codes are LOINC, or MDC mapped by mdc.ts (PHD glucose meters send MDC
 * only). An Observation with no monitored code (temperature, device status, waveforms, coincident time stamps, ...)
 * is skipped. A monitored one is rejected when it cannot be a reading: entered in error or without a result status,
 * no subject Patient, no effective time or one more than a day ahead, a value that is absent (dataAbsentReason, as
 * PHD devices report NaN), text, or in a unit that does not convert.
 * Source: 'device' when the Observation names its device, 'lab' for the laboratory category, else 'clinic'.
 */
import type { CuratedRow, Mapped } from '../mapper.js';
import { isMonitored, NOT_MONITORED, observationRow, rememberWeights } from '../measurement.js';
import { reject } from '../rejection.js';
import { codings, hasCode } from './codes.js';
import type { ResourceContext } from './context.js';
import { readingInstant } from './dates.js';
import { MDC_SYSTEM, MDC_TO_LOINC } from './mdc.js';
import { observation, parseResource, type CodeableConcept, type ObservationValue } from './schemas.js';

const LOINC = 'http://loinc.org';
const RESULT_STATUSES = new Set(['final', 'amended', 'corrected', 'preliminary']);

/** the monitored LOINC code a concept stands for, directly or through its MDC code */
function monitoredCode(cc: CodeableConcept): string | undefined {
  for (const c of codings(cc)) {
    const loinc = c.system === LOINC ? c.code : c.system === MDC_SYSTEM && c.code !== undefined ? MDC_TO_LOINC.get(c.code) : undefined;
    if (loinc !== undefined && isMonitored(loinc)) return loinc;
  }
  return undefined;
}

/** the numeric value and unit as sent, or the record rejected saying why there is none */
function quantityOf(v: ObservationValue, prefix: string): { value: number; unit: string | null } {
  const q = v.valueQuantity;
  if (q?.value !== undefined) return { value: q.value, unit: q.code ?? q.unit ?? null };
  const absent = v.dataAbsentReason;
  if (absent !== undefined) {
    const code = codings(absent)[0]?.code ?? absent.text ?? 'unknown';
    return reject(`${prefix}dataAbsentReason`, `no value: dataAbsentReason ${code}`, code);
  }
  if (v.valueString !== undefined) return reject(`${prefix}valueString`, 'value is text, not a number', v.valueString);
  if (v.valueCodeableConcept !== undefined || v.valueSampledData !== undefined) return reject(`${prefix}value[x]`, 'value is not a quantity', null);
  if (q !== undefined) return reject(`${prefix}valueQuantity.value`, 'missing value', null);
  return reject(`${prefix}value[x]`, 'no value (status-only observation)', null);
}

export function mapObservation(json: unknown, ctx: ResourceContext): Mapped {
  const o = parseResource(observation, json);
  const slots: { loinc: string; value: ObservationValue; prefix: string }[] = [];
  const top = monitoredCode(o.code);
  if (top !== undefined) slots.push({ loinc: top, value: o, prefix: '' });
  for (const [i, c] of (o.component ?? []).entries()) {
    const loinc = monitoredCode(c.code);
    if (loinc !== undefined) slots.push({ loinc, value: c, prefix: `component.${i}.` });
  }
  if (slots.length === 0) return { skip: NOT_MONITORED };
  if (o.status === 'entered-in-error') reject('status', 'entered in error', o.status);
  if (!RESULT_STATUSES.has(o.status)) reject('status', 'status carries no result', o.status);
  const personId = ctx.person(o.subject, 'subject');
  const [timeField, time] =
    o.effectiveDateTime !== undefined ? ['effectiveDateTime', o.effectiveDateTime]
    : o.effectiveInstant !== undefined ? ['effectiveInstant', o.effectiveInstant]
    : ['effectivePeriod.start', o.effectivePeriod?.start];
  const observedAt = readingInstant(time, timeField, ctx.now);
  const deviceId = ctx.deviceId(o.device);
  const source = deviceId !== null ? 'device' : o.category?.some((c) => hasCode(c, 'laboratory')) ? 'lab' : 'clinic';
  const rows: CuratedRow[] = slots.map(({ loinc, value, prefix }) => {
    const { value: v, unit } = quantityOf(value, prefix);
    const m = { person_id: personId, observed_at: observedAt, loinc_code: loinc, value: v, unit, device_id: deviceId, source } as const;
    return observationRow(m, `${prefix}valueQuantity`, ctx.env.sourceFile, ctx.pounds);
  });
  rememberWeights(rows, ctx.pounds);
  return { rows };
}
