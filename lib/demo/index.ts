/**
 * The demo population generator: a synthetic, deterministic (from the seed) Medicare-like population written to the
 * store as the landing files a real sender would deliver (Tuva CSV claims, eligibility and lab results, device NDJSON), plus the
 * truth the pipeline is judged against: who was made to deteriorate, and where the bad records were planted.
 * Members are made and written a chunk at a time, so memory stays bounded whatever the population size.
 */
import type { Progress } from '../pipeline/context.js';
import type { ObjectStore } from '../store/port.js';
import { writeMedicalClaims } from './claims.js';
import type { Program } from '../scoring/vocabulary.js';
import { loadConditionCodes } from './codes.js';
import { dayOf } from '../dates.js';
import { Defects, type BadRecord } from './defects.js';
import { SIGNAL_OF, writeDeviceReadings } from './devices.js';
import { writeEligibility } from './eligibility.js';
import { LAB_RESULT_HEADER, writeLabResults } from './labs.js';
import { HISTORY_DAYS, type DemoRun } from './output.js';
import { writePharmacyClaims } from './pharmacy.js';
import { makePerson } from './population.js';
import { FileSink } from './sink.js';
import { ELIGIBILITY_HEADER, MEDICAL_CLAIM_HEADER, PHARMACY_CLAIM_HEADER } from './tuva-layout.js';

export interface DemoOptions {
  members: number;
  seed: number;
  /** YYYY-MM-DD: the last day of history */
  asOf: string;
  progress?: Progress;
}

export interface DemoTruth {
  asOf: string;
  seed: number;
  members: number;
  deteriorating: { person_id: string; program: Program; signals: string[] }[];
  badRecords: BadRecord[];
  files: { key: string; records: number }[];
}

export const TRUTH_KEY = 'demo/truth.json';

export const LANDING_KEYS = {
  eligibility: 'landing/eligibility.csv',
  medicalClaims: 'landing/medical_claim.csv',
  medicalClaimsResent: 'landing/medical_claim_resent.csv',
  pharmacyClaims: 'landing/pharmacy_claim.csv',
  deviceReadings: 'landing/device_readings.ndjson',
  labResults: 'landing/lab_result.csv',
} as const;

/** members made between two checks of the file buffers and, every few of those, a progress event */
const CHUNK = 500;
const PROGRESS_EVERY = 2_000;

export async function generateDemo(store: ObjectStore, opts: DemoOptions): Promise<DemoTruth> {
  const { members, seed } = opts;
  if (!Number.isInteger(members) || members < 1 || members > 9_000_000) throw new Error(`members must be 1..9,000,000, not ${members}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seed}`);
  const asOf = dayOf(opts.asOf);
  const run: DemoRun = {
    seed,
    asOf,
    historyStart: asOf - HISTORY_DAYS + 1,
    codes: await loadConditionCodes(),
    defects: new Defects(seed, members),
    eligibility: await FileSink.open(store, LANDING_KEYS.eligibility, ELIGIBILITY_HEADER),
    medicalClaims: await FileSink.open(store, LANDING_KEYS.medicalClaims, MEDICAL_CLAIM_HEADER),
    medicalClaimsResent: await FileSink.open(store, LANDING_KEYS.medicalClaimsResent, MEDICAL_CLAIM_HEADER),
    pharmacyClaims: await FileSink.open(store, LANDING_KEYS.pharmacyClaims, PHARMACY_CLAIM_HEADER),
    deviceReadings: await FileSink.open(store, LANDING_KEYS.deviceReadings),
    labResults: await FileSink.open(store, LANDING_KEYS.labResults, LAB_RESULT_HEADER),
    claimIds: { medical: 0, pharmacy: 0 },
  };
  const sinks = [run.eligibility, run.medicalClaims, run.medicalClaimsResent, run.pharmacyClaims, run.deviceReadings, run.labResults];
  const deteriorating: DemoTruth['deteriorating'] = [];

  for (let index = 0; index < members; index++) {
    const person = makePerson(seed, index, asOf, run.codes);
    const det = person.deterioration;
    // a deteriorating member's records stay clean, so no planted defect can hide their signal
    const defects = det ? undefined : run.defects;
    writeEligibility(person, run, defects);
    writeMedicalClaims(person, run, defects);
    writePharmacyClaims(person, run, defects);
    writeDeviceReadings(person, run, defects);
    writeLabResults(person, run);
    if (det) deteriorating.push({ person_id: person.id, program: det.program, signals: [SIGNAL_OF[det.program], 'ed_visit'] });

    const done = index + 1;
    if (done % CHUNK === 0 || done === members) for (const s of sinks) await s.flushIfFull();
    if (done % PROGRESS_EVERY === 0 || done === members) {
      opts.progress?.({ stage: 'generate', message: `generated ${done} of ${members} members`, done, total: members });
    }
  }
  for (const s of sinks) await s.flush();

  const truth: DemoTruth = {
    asOf: opts.asOf,
    seed,
    members,
    deteriorating,
    badRecords: run.defects.planted,
    files: sinks.map((s) => ({ key: s.key, records: s.records })),
  };
  await store.put(TRUTH_KEY, JSON.stringify(truth, null, 1));
  return truth;
}
