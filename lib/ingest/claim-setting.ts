/**
 * The care setting of a medical claim line, from the UB-04 type of bill (institutional) or the CMS place of service
 * (professional). Rules in order, first match wins:
 *   institutional: bill type 11x → inpatient; 18x (swing bed) and 21x → snf; 32x–34x → home_health; 81x–82x →
 *                  hospice; revenue code 045x or 0981 → ed; any other → outpatient (hospital outpatient, HOP)
 *   professional:  place of service 23 (emergency room) → ed; any other → professional
 * The revenue-code rule is per line (UB-04 revenue codes are line-level), so only the ED lines of an outpatient claim
 * are 'ed'; an ED visit that led to an admission stays inpatient. Each CCW condition's claims rule names the settings
 * it counts (queries/seeds/ccw_condition_rules.csv): hospice is one of the "other" settings, never HOP or carrier.
 */
export type ClaimType = 'institutional' | 'professional';
export type Setting = 'inpatient' | 'snf' | 'home_health' | 'hospice' | 'outpatient' | 'ed' | 'professional';

/** type of bill without the leading zero some senders keep (`0111` → `111`) */
export function billType(raw: string | null): string | null {
  return raw !== null && raw.length === 4 && raw.startsWith('0') ? raw.slice(1) : raw;
}

export function claimSetting(type: ClaimType, bill: string | null, pos: string | null, revenue: string | null): Setting {
  if (type === 'professional') return pos === '23' ? 'ed' : 'professional';
  const facility = bill?.slice(0, 2);
  if (facility === '11') return 'inpatient';
  if (facility === '18' || facility === '21') return 'snf';
  if (facility === '32' || facility === '33' || facility === '34') return 'home_health';
  if (facility === '81' || facility === '82') return 'hospice';
  if (revenue !== null && (revenue.startsWith('045') || revenue === '0981')) return 'ed';
  return 'outpatient';
}
