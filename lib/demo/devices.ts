/**
 * Remote-monitoring readings (device NDJSON, lib/ingest/device-format.ts) of a monitored demo member over the last 120
 * days: daily BP for hypertension, daily weight for heart failure, daily SpO2 for COPD, glucose 1-3 times a day for
 * diabetes, with per-member baselines, noise, missed days and, for some members, an early stop. Deteriorating members
 * slide over their last 14-21 days; look-alikes are stably uncontrolled or have one isolated high reading.
 */
import type { DeviceReading } from '../ingest/device-format.js';
import { GLUCOSE_MMOL_L_TO_MG_DL, POUND_KG } from '../ingest/units.js';
import type { Program } from '../scoring/vocabulary.js';
import { localTimestamp } from './dates.js';
import type { Defects } from './defects.js';
import type { DemoRun } from './output.js';
import { MONITORING_DAYS, STREAM, type Person } from './population.js';
import { Random } from './random.js';

export const LOINC = {
  bpPanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  heartRate: '8867-4',
  weight: '29463-7',
  spo2: '59408-5',
  glucose: '41653-7',
} as const;


export type Signal = 'rising_bp' | 'weight_gain' | 'falling_spo2' | 'high_glucose';
export const SIGNAL_OF: Readonly<Record<Program, Signal>> = {
  hypertension: 'rising_bp',
  heart_failure: 'weight_gain',
  copd: 'falling_spo2',
  diabetes: 'high_glucose',
};

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A member's devices and their baselines, drawn once. */
class MemberDevices {
  readonly sbp: number;
  readonly dbp: number;
  readonly heartRate: number;
  readonly sendsHeartRate: boolean;
  readonly weightKg: number;
  readonly scaleInPounds: boolean;
  readonly spo2: number;
  readonly glucose: number;
  readonly meterInMmol: boolean;
  readonly glucosePerDay: number;
  readonly morning: number;
  readonly serial: Readonly<Record<Program, string>>;
  /** size of the slide at its end: mm[Hg], kg, % points, mg/dL */
  readonly slide: number;
  /** the one day with an outlier reading (look-alikes) */
  readonly outlierDay: number | undefined;

  constructor(
    readonly person: Person,
    readonly rng: Random,
    readonly asOf: number,
  ) {
    const m = person.monitoring;
    const det = person.deterioration;
    const uncontrolled = m?.lookAlike === 'stably_uncontrolled';
    this.sbp = uncontrolled ? rng.uniform(145, 150) : det?.program === 'hypertension' ? rng.normal(136, 4) : clamp(rng.normal(130, 7), 108, 140);
    this.dbp = uncontrolled ? rng.uniform(86, 90) : clamp(rng.normal(77, 5), 62, 86);
    this.heartRate = clamp(rng.normal(72, 7), 55, 95);
    this.sendsHeartRate = rng.chance(0.6);
    this.weightKg = clamp(person.sex === 'female' ? rng.normal(76, 14) : rng.normal(89, 15), 45, 170);
    this.scaleInPounds = rng.chance(0.25);
    this.spo2 = uncontrolled ? rng.uniform(90, 91.5) : clamp(rng.normal(94.5, 1.3), 92, 98);
    this.glucose = uncontrolled ? rng.uniform(165, 180) : det?.program === 'diabetes' ? rng.normal(160, 8) : clamp(rng.normal(128, 15), 95, 160);
    this.meterInMmol = rng.chance(0.2);
    this.glucosePerDay = rng.int(1, 3);
    this.morning = rng.normal(7.5 * 3600, 0.7 * 3600);
    this.serial = {
      hypertension: `BPM-${rng.serial(6)}`,
      heart_failure: `SCALE-${rng.serial(6)}`,
      copd: `OXI-${rng.serial(6)}`,
      diabetes: `GLU-${rng.serial(6)}`,
    };
    this.slide = !det
      ? 0
      : det.program === 'hypertension'
        ? Math.max(rng.uniform(20, 35), 162 - this.sbp)
        : det.program === 'heart_failure'
          ? rng.uniform(2.5, 4)
          : det.program === 'copd'
            ? Math.max(5, this.spo2 - rng.uniform(85, 89)) // a member starting at 92% still falls clearly
            : rng.uniform(140, 180);
    this.outlierDay = m?.lookAlike === 'isolated_high' ? asOf - rng.int(1, 29) : undefined;
  }

  /** how far into the slide `day` is, 0 before it starts, 1 on the as-of date */
  progress(day: number, program: Program): number {
    const det = this.person.deterioration;
    if (!det || det.program !== program || day < det.start) return 0;
    if (program === 'heart_failure') return clamp((day - (this.asOf - 6)) / 6, 0, 1); // the gain comes within 7 days
    if (program === 'diabetes') return clamp(((day - det.start) * 4) / (this.asOf - det.start), 0, 1); // up within days
    return (day - det.start) / (this.asOf - det.start);
  }
}

function readingsOfDay(d: MemberDevices, program: Program, day: number): DeviceReading[] {
  const { person, rng } = d;
  const at = (second: number) => localTimestamp(day, second + rng.normal(0, 1200), person.zone);
  const outlier = d.outlierDay === day;
  const p = d.progress(day, program);
  const base = { person_id: person.id, device_id: d.serial[program] };
  switch (program) {
    case 'hypertension': {
      const sbp = Math.round(d.sbp + p * d.slide + (outlier ? 40 : 0) + rng.normal(0, 7));
      const dbp = Math.round(d.dbp + p * d.slide * 0.4 + (outlier ? 15 : 0) + rng.normal(0, 5));
      const measuredAt = at(d.morning);
      const panel: DeviceReading = {
        ...base,
        measured_at: measuredAt,
        code: LOINC.bpPanel,
        components: [
          { code: LOINC.systolic, value: sbp, unit: 'mm[Hg]' },
          { code: LOINC.diastolic, value: dbp, unit: 'mm[Hg]' },
        ],
      };
      if (!d.sendsHeartRate) return [panel];
      const hr = Math.round(d.heartRate + rng.normal(0, 5));
      return [panel, { ...base, measured_at: measuredAt, code: LOINC.heartRate, value: hr, unit: '/min' }];
    }
    case 'heart_failure': {
      const kg = d.weightKg + p * d.slide + (outlier ? 2.5 : 0) + rng.normal(0, 0.35);
      const reading = d.scaleInPounds ? { value: round1(kg / POUND_KG), unit: '[lb_av]' } : { value: round1(kg), unit: 'kg' };
      return [{ ...base, measured_at: at(d.morning - 600), code: LOINC.weight, ...reading }];
    }
    case 'copd': {
      const spo2 = Math.round(clamp(d.spo2 - p * d.slide - (outlier ? 7 : 0) + rng.normal(0, 0.9), 80, 100));
      return [{ ...base, measured_at: at(d.morning + 900), code: LOINC.spo2, value: spo2, unit: '%' }];
    }
    case 'diabetes': {
      const times = [d.morning - 1800, 17.5 * 3600, 21.5 * 3600].slice(0, d.glucosePerDay);
      return times.map((second, i) => {
        const mgdl = Math.max(45, d.glucose + 25 * i + p * d.slide + (outlier && i === 0 ? 180 : 0) + rng.normal(0, 18));
        const reading = d.meterInMmol ? { value: round1(mgdl / GLUCOSE_MMOL_L_TO_MG_DL), unit: 'mmol/L' } : { value: Math.round(mgdl), unit: 'mg/dL' };
        return { ...base, measured_at: at(second), code: LOINC.glucose, ...reading };
      });
    }
  }
}

export function writeDeviceReadings(person: Person, run: DemoRun, defects: Defects | undefined): void {
  const m = person.monitoring;
  if (!m) return;
  const rng = new Random(run.seed, person.index, STREAM.devices);
  const devices = new MemberDevices(person, rng, run.asOf);
  const sink = run.deviceReadings;
  const slideStart = person.deterioration?.start ?? Infinity;
  for (let day = Math.max(m.start, run.asOf - MONITORING_DAYS + 1); day <= m.end; day++) {
    // a sliding member keeps sending every day: they are engaged as they feel worse
    if (day < slideStart && !rng.chance(m.adherence)) continue;
    for (const program of m.programs) {
      for (const reading of readingsOfDay(devices, program, day)) {
        sink.write(JSON.stringify(reading));
        if (reading.unit === 'kg' && reading.value !== undefined && defects?.due(0.012)) {
          // the kilograms sent again as pounds, still labelled kg
          const bad: DeviceReading = { ...reading, value: round1(reading.value / POUND_KG) };
          defects.note(sink, sink.write(JSON.stringify(bad)), 'value', 'pounds_as_kg');
        }
      }
    }
  }
}
