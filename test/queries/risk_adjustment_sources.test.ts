/**
 * Diagnoses CMS would count: CMS-HCC, Charlson and Elixhauser read only the codes of claims CMS risk adjustment
 * accepts (seed risk_adjustment_sources: facility types of bill 11x, 41x, 12x, 13x, 43x, 71x, 73x, 76x, 77x, 85x;
 * professional claims except independent laboratory, ambulance and DME suppliers); the others are listed as set
 * aside. The CCW conditions still read every claim. As of 2024-06-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, diagnosis, medicalLine, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

const professional = (claim_id: string, person_id: string, pos: string, hcpcs: string | null = null, line = 1) =>
  medicalLine({ claim_id, person_id, setting: 'professional', claim_start_date: '2024-03-01', place_of_service_code: pos, hcpcs_code: hcpcs, claim_line_number: line });
const facility = (claim_id: string, person_id: string, bill: string, setting = 'outpatient') =>
  medicalLine({ claim_id, person_id, setting, claim_start_date: '2024-03-01', bill_type_code: bill });

beforeAll(async () => {
  fx = await Fixture.open({
    members: ['lab_only', 'lab_and_visit', 'dme', 'dme_and_visit_line', 'ambulance', 'hospice_bill', 'hop_bill', 'lab_ccw'].map((p) => member(p)),
    medical_claims: [
      professional('l1', 'lab_only', '81'),
      professional('l2', 'lab_and_visit', '81'),
      professional('v2', 'lab_and_visit', '11'),
      professional('d1', 'dme', '12', 'E0601'),
      professional('d1', 'dme', '12', 'E0562', 2),
      // a visit that also supplied a DME item: one line without a DME code makes the claim a visit
      professional('d2', 'dme_and_visit_line', '11', 'E0601'),
      professional('d2', 'dme_and_visit_line', '11', null, 2),
      professional('a1', 'ambulance', '41', 'A0427'),
      facility('h1', 'hospice_bill', '811', 'hospice'),
      facility('o1', 'hop_bill', '131'),
      professional('c1', 'lab_ccw', '81'),
      medicalLine({ claim_id: 'c2', person_id: 'lab_ccw', setting: 'professional', claim_start_date: '2024-04-01', place_of_service_code: '81' }),
    ],
    diagnoses: [
      // an HIV code from a blood draw: HCC 1 (V28) on an independent laboratory claim alone
      diagnosis('l1', 'lab_only', '2024-03-01', 'professional', 'B20'),
      diagnosis('l1', 'lab_only', '2024-03-01', 'professional', 'I10', 2),
      diagnosis('l2', 'lab_and_visit', '2024-03-01', 'professional', 'B20'),
      diagnosis('v2', 'lab_and_visit', '2024-03-01', 'professional', 'B20'),
      diagnosis('d1', 'dme', '2024-03-01', 'professional', 'J449'),
      diagnosis('d2', 'dme_and_visit_line', '2024-03-01', 'professional', 'J449'),
      diagnosis('a1', 'ambulance', '2024-03-01', 'professional', 'I214'),
      diagnosis('h1', 'hospice_bill', '2024-03-01', 'hospice', 'C787'),
      diagnosis('o1', 'hop_bill', '2024-03-01', 'outpatient', 'C787'),
      diagnosis('c1', 'lab_ccw', '2024-03-01', 'professional', 'I10'),
      diagnosis('c2', 'lab_ccw', '2024-04-01', 'professional', 'I10'),
    ],
  });
});
afterAll(() => fx.close());

const codes = async (person: string) => {
  const r = await fx.featuresOf(AS_OF, person);
  return [r.dx_codes_12m, r.dx_codes_set_aside_12m, r.dx_set_aside_from];
};

describe('diagnoses CMS would count (risk adjustment sources)', () => {
  it('sets aside independent laboratory claims (place of service 81), and says so', async () => {
    expect(await codes('lab_only')).toEqual(['', 'B20,I10', 'independent laboratory']);
  });

  it('counts a code that an acceptable claim also carries', async () => {
    expect(await codes('lab_and_visit')).toEqual(['B20', '', '']);
  });

  it('sets aside a claim of DME supplies alone, not a visit that also supplied one', async () => {
    expect(await codes('dme')).toEqual(['', 'J449', 'durable medical equipment (HCPCS E)']);
    expect(await codes('dme_and_visit_line')).toEqual(['J449', '', '']);
  });

  it('sets aside ambulance claims (place of service 41)', async () => {
    expect(await codes('ambulance')).toEqual(['', 'I214', 'ambulance - land']);
  });

  it("sets aside facility types of bill off CMS's list (81x hospice) and counts those on it (13x)", async () => {
    expect(await codes('hospice_bill')).toEqual(['', 'C787', 'facility bill type 81x']);
    expect(await codes('hop_bill')).toEqual(['C787', '', '']);
  });

  it('leaves the CCW conditions on every claim: lab claims of 2 days make hypertension, though CMS-HCC sets them aside', async () => {
    expect(await fx.featuresOf(AS_OF, 'lab_ccw')).toMatchObject({ has_hypertension: true, dx_codes_12m: '', dx_codes_set_aside_12m: 'I10' });
  });
});
