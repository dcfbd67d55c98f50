/**
 * zod schemas of the parts of FHIR R4 resources Stratify reads; everything else in a resource is ignored. A resource
 * that fails its schema is rejected naming the JSON path of the first problem (e.g. `component.0.valueQuantity.value`).
 */
import { z } from 'zod';
import { valueAt } from '../json.js';
import { reject } from '../rejection.js';

export const coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
export const codeableConcept = z.object({ coding: z.array(coding).optional(), text: z.string().optional() });
export const reference = z.object({ reference: z.string().optional() });
export const period = z.object({ start: z.string().optional(), end: z.string().optional() });
export const quantity = z.object({ value: z.number().optional(), unit: z.string().optional(), code: z.string().optional() });
export const money = z.object({ value: z.number().optional() });

export type Coding = z.infer<typeof coding>;
export type CodeableConcept = z.infer<typeof codeableConcept>;

export const patient = z.object({
  id: z.string().min(1).optional(),
  gender: z.string().optional(),
  birthDate: z.string().optional(),
  deceasedDateTime: z.string().optional(),
});

export const coverage = z.object({
  id: z.string().min(1).optional(),
  status: z.string(),
  beneficiary: reference,
  subscriberId: z.string().optional(),
  period: period.optional(),
  payor: z.array(z.object({ display: z.string().optional(), identifier: z.object({ value: z.string().optional() }).optional() })).optional(),
  class: z.array(z.object({ type: codeableConcept, value: z.string() })).optional(),
});

export type Patient = z.infer<typeof patient>;
export type Coverage = z.infer<typeof coverage>;

export const condition = z.object({
  id: z.string().min(1),
  code: codeableConcept.optional(),
  subject: reference,
  clinicalStatus: codeableConcept.optional(),
  verificationStatus: codeableConcept.optional(),
  onsetDateTime: z.string().optional(),
  onsetPeriod: period.optional(),
  abatementDateTime: z.string().optional(),
  abatementPeriod: period.optional(),
  recordedDate: z.string().optional(),
});

export const encounter = z.object({
  id: z.string().min(1),
  status: z.string(),
  class: coding,
  subject: reference,
  period: period.optional(),
  reasonCode: z.array(codeableConcept).optional(),
});

/** an Observation's value: one of value[x], or the reason it is absent */
const observationValue = {
  valueQuantity: quantity.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: codeableConcept.optional(),
  valueSampledData: z.object({}).optional(),
  dataAbsentReason: codeableConcept.optional(),
};

export const observation = z.object({
  status: z.string(),
  category: z.array(codeableConcept).optional(),
  code: codeableConcept,
  subject: reference.optional(),
  device: reference.optional(),
  effectiveDateTime: z.string().optional(),
  effectiveInstant: z.string().optional(),
  effectivePeriod: period.optional(),
  ...observationValue,
  component: z.array(z.object({ code: codeableConcept, ...observationValue })).optional(),
});

export type ObservationValue = { [K in keyof typeof observationValue]?: z.infer<(typeof observationValue)[K]> };

const adjudication = z.object({ category: codeableConcept, amount: money.optional() });

export const explanationOfBenefit = z.object({
  id: z.string().min(1),
  meta: z.object({ profile: z.array(z.string()).optional() }).optional(),
  status: z.string(),
  type: codeableConcept,
  patient: reference,
  billablePeriod: period.optional(),
  payment: z.object({ amount: money.optional() }).optional(),
  supportingInfo: z
    .array(
      z.object({
        category: codeableConcept,
        code: codeableConcept.optional(),
        timingDate: z.string().optional(),
        timingPeriod: period.optional(),
        valueQuantity: quantity.optional(),
      }),
    )
    .optional(),
  diagnosis: z
    .array(
      z.object({
        sequence: z.number().int().positive(),
        diagnosisCodeableConcept: codeableConcept.optional(),
        type: z.array(codeableConcept).optional(),
      }),
    )
    .optional(),
  item: z
    .array(
      z.object({
        sequence: z.number().int().positive(),
        revenue: codeableConcept.optional(),
        productOrService: codeableConcept.optional(),
        locationCodeableConcept: codeableConcept.optional(),
        servicedDate: z.string().optional(),
        quantity: quantity.optional(),
        adjudication: z.array(adjudication).optional(),
      }),
    )
    .optional(),
});

export type ExplanationOfBenefit = z.infer<typeof explanationOfBenefit>;

/** the resource as the schema reads it, or the record rejected at the first problem */
export function parseResource<T>(schema: z.ZodType<T>, json: unknown): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const { path, message } = result.error.issues[0]!;
  return reject(path.join('.'), message, valueAt(json, path));
}
