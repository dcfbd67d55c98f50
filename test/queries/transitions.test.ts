/**
 * Transitions of care (utilization): LACE's A from the admission type or the ED, and the discharge disposition
 * deciding where the transitions-of-care window opens. As of 2024-06-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, medicalLine, member } from './fixture.js';

const AS_OF = '2024-06-30';
let fx: Fixture;

/** a stay admitted `admit`, discharged `discharge`, with an admission type and a discharge status */
function stay(person_id: string, admit: string, discharge: string, admitType: string | null, disposition: string | null): Record<string, unknown> {
  return medicalLine({
    claim_id: `${person_id}-stay`,
    person_id,
    setting: 'inpatient',
    claim_start_date: admit,
    claim_end_date: discharge,
    admission_date: admit,
    discharge_date: discharge,
    bill_type_code: '111',
    admit_type_code: admitType,
    discharge_disposition_code: disposition,
  });
}

function snf(person_id: string, n: number, start: string, end: string): Record<string, unknown> {
  return medicalLine({ claim_id: `${person_id}-snf${n}`, person_id, setting: 'snf', claim_start_date: start, claim_end_date: end, bill_type_code: '211' });
}

const PEOPLE = ['emergency', 'urgent', 'elective', 'elective_via_ed', 'home', 'home_health', 'snf_done', 'snf_still', 'snf_no_claim', 'rehab', 'hospice', 'died'];

beforeAll(async () => {
  fx = await Fixture.open({
    members: PEOPLE.map((p) => member(p)),
    medical_claims: [
      stay('emergency', '2024-06-10', '2024-06-15', '1', '01'),
      stay('urgent', '2024-06-10', '2024-06-15', '2', '01'),
      stay('elective', '2024-06-10', '2024-06-15', '3', '01'),
      stay('elective_via_ed', '2024-06-10', '2024-06-15', '3', '01'),
      medicalLine({ claim_id: 'ed1', person_id: 'elective_via_ed', setting: 'ed', claim_start_date: '2024-06-09' }),
      stay('home', '2024-06-15', '2024-06-20', '1', '1'),
      stay('home_health', '2024-06-15', '2024-06-20', '1', '06'),
      // to SNF on 06-01; two SNF bills, the second starting the day after the first ends: home on 06-20
      stay('snf_done', '2024-05-25', '2024-06-01', '1', '03'),
      snf('snf_done', 1, '2024-06-01', '2024-06-15'),
      snf('snf_done', 2, '2024-06-16', '2024-06-20'),
      // still in the SNF on the as-of date
      stay('snf_still', '2024-05-25', '2024-06-01', '1', '03'),
      snf('snf_still', 1, '2024-06-01', '2024-06-30'),
      stay('snf_no_claim', '2024-05-25', '2024-06-01', '1', '03'),
      stay('rehab', '2024-06-10', '2024-06-15', '1', '62'),
      stay('hospice', '2024-06-10', '2024-06-15', '1', '50'),
      stay('died', '2024-06-10', '2024-06-15', '1', '20'),
    ],
  });
});
afterAll(() => fx.close());

const window = async (person: string) => {
  const r = await fx.featuresOf(AS_OF, person);
  return [r.last_discharge_disposition, r.community_discharge_date, r.days_since_community_discharge];
};

describe('transitions of care', () => {
  it("LACE A from the claim's admission type (emergency, urgent) or an ED visit the day before", async () => {
    expect((await fx.featuresOf(AS_OF, 'emergency')).last_admission_emergent).toBe(true);
    expect((await fx.featuresOf(AS_OF, 'urgent')).last_admission_emergent).toBe(true);
    expect((await fx.featuresOf(AS_OF, 'elective')).last_admission_emergent).toBe(false);
    expect((await fx.featuresOf(AS_OF, 'elective_via_ed')).last_admission_emergent).toBe(true);
  });

  it('the discharge disposition decides the window: home or home health opens it at the discharge', async () => {
    // a status sent without its leading zero ('1') is 01; 2024-06-30 − 2024-06-20 = 10 days
    expect(await window('home')).toEqual(['01', '2024-06-20', 10]);
    expect(await window('home_health')).toEqual(['06', '2024-06-20', 10]);
  });

  it('the discharge disposition decides the window: a transfer to SNF moves it to the final discharge to the community', async () => {
    // the SNF stay 06-01..06-15, 06-16..06-20 ends on 06-20: 10 days before the as-of date
    expect(await window('snf_done')).toEqual(['03', '2024-06-20', 10]);
    expect(await window('snf_still')).toEqual(['03', null, null]);
    expect(await window('snf_no_claim')).toEqual(['03', null, null]);
    expect(await window('rehab')).toEqual(['62', null, null]);
  });

  it('the discharge disposition decides the window: hospice or death opens none', async () => {
    expect(await window('hospice')).toEqual(['50', null, null]);
    expect(await window('died')).toEqual(['20', null, null]);
  });
});
