/**
 * Codes inside FHIR CodeableConcepts: the ICD-10-CM code of a diagnosis (given directly, or through the hand-written
 * SNOMED CT table data/snomed_icd10.csv for the program conditions: see data/PROVENANCE.md) and category codes that CARIN BB
 * writes as plain codes while the CMS Blue Button server writes them as variable URLs.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { assetPath } from '../../assets.js';
import { icd10Code } from '../icd10.js';
import { reject } from '../rejection.js';
import type { CodeableConcept, Coding } from './schemas.js';

const SNOMED = 'http://snomed.info/sct';
const ICD10_SYSTEMS = new Set(['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10']);
const ICD9_SYSTEM = /icd-9/i;

let snomedMap: ReadonlyMap<string, string> | undefined;

/** SNOMED CT concept id → ICD-10-CM code (no dot), read once from the shipped table */
export function snomedToIcd10(): ReadonlyMap<string, string> {
  if (snomedMap === undefined) {
    const text = readFileSync(assetPath('lib/ingest/fhir/data/snomed_icd10.csv'), 'utf8');
    const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    snomedMap = new Map(rows.map((r) => [r['snomed_code']!, r['icd10_code']!]));
  }
  return snomedMap;
}

export function codings(cc: CodeableConcept | undefined): readonly Coding[] {
  return cc?.coding ?? [];
}

/** the first code of `system` in the concept */
export function codeOf(cc: CodeableConcept | undefined, system: string): string | undefined {
  return codings(cc).find((c) => c.system === system && c.code !== undefined)?.code;
}

/** true when a coding's code is `code`, or a URL ending in `/code` (Blue Button writes its variables as URLs) */
export function hasCode(cc: CodeableConcept | undefined, code: string): boolean {
  return codings(cc).some((c) => c.code === code || c.code?.endsWith(`/${code}`) || (c.code === undefined && c.system?.endsWith(`/${code}`)));
}

export type Diagnosis = { readonly icd10: string } | { readonly none: 'icd9' | 'unmapped' };

/**
 * The ICD-10-CM code of a diagnosis concept: an ICD-10(-CM) coding first (its syntax checked, `field` blamed when it
 * is wrong), else a SNOMED CT coding found in the table; `none` says why there is no code.
 */
export function diagnosisCode(cc: CodeableConcept | undefined, field: string): Diagnosis {
  const all = codings(cc);
  const icd10 = all.find((c) => c.system !== undefined && ICD10_SYSTEMS.has(c.system) && c.code !== undefined);
  if (icd10) return { icd10: icd10Code(icd10.code!, field) };
  const map = snomedToIcd10();
  for (const c of all) {
    const mapped = c.system === SNOMED && c.code !== undefined ? map.get(c.code) : undefined;
    if (mapped !== undefined) return { icd10: mapped };
  }
  return { none: all.some((c) => c.system !== undefined && ICD9_SYSTEM.test(c.system)) ? 'icd9' : 'unmapped' };
}

/** like diagnosisCode, for a diagnosis the record cannot do without */
export function requiredDiagnosis(cc: CodeableConcept | undefined, field: string): string {
  const d = diagnosisCode(cc, field);
  if ('icd10' in d) return d.icd10;
  return d.none === 'icd9'
    ? reject(field, 'ICD-9 diagnoses are not accepted', codings(cc)[0]?.code ?? null)
    : reject(field, 'no ICD-10-CM code (nor a SNOMED CT code of snomed_icd10.csv)', codings(cc)[0]?.code ?? null);
}
