/**
 * One FHIR resource → the curated rows it yields, by resourceType. Resource types Stratify does not read (Device,
 * Practitioner, MedicationRequest, Procedure, ...) are counted as skipped under their type's name; a type that is not
 * FHIR R4's (a misspelled `"Bundel"`, which held a whole Bundle) is quarantined.
 */
import type { Mapped } from '../mapper.js';
import { reject } from '../rejection.js';
import { mapCondition } from './condition.js';
import { mapCoverage } from './coverage.js';
import type { ResourceContext } from './context.js';
import { mapEncounter } from './encounter.js';
import { mapExplanationOfBenefit } from './eob.js';
import { mapObservation } from './observation.js';
import { mapPatient } from './patient.js';
import { R4_RESOURCE_TYPES } from './resource-types.js';

export function resourceType(json: unknown): string | undefined {
  const t = typeof json === 'object' && json !== null ? (json as { resourceType?: unknown }).resourceType : undefined;
  return typeof t === 'string' ? t : undefined;
}

/** `fullUrl`: the bundle entry's, when the resource came in a Bundle */
export function mapResource(json: unknown, fullUrl: string | undefined, ctx: ResourceContext): Mapped {
  const type = resourceType(json) ?? reject('resourceType', 'not a FHIR resource', null);
  switch (type) {
    case 'Patient':
      return mapPatient(json, fullUrl, ctx);
    case 'Condition':
      return mapCondition(json, ctx);
    case 'Encounter':
      return mapEncounter(json, ctx);
    case 'Observation':
      return mapObservation(json, ctx);
    case 'ExplanationOfBenefit':
      return mapExplanationOfBenefit(json, ctx);
    case 'Coverage':
      return mapCoverage(json, ctx);
    default:
      if (!R4_RESOURCE_TYPES.has(type)) reject('resourceType', 'not a FHIR R4 resource type', type);
      return { skip: `${type} resources are not read` };
  }
}
