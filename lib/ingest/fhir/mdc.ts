/**
 * IEEE 11073-10101 (MDC) codes of personal health devices → the LOINC code Stratify stores them under. Context-free
 * MDC codes are partition × 65536 + term code (partition 2, SCADA, for all of these). See PROVENANCE.md: the vital
 * signs follow the LOINC codes the HL7 PHD IG examples carry beside the MDC code; glucose (MDC only in the IG) is
 * Stratify's choice of the meter glucose code. Codes not listed here (mean arterial pressure, perfusion index,
 * device status, waveforms, ...) are not monitored measures.
 */
export const MDC_SYSTEM = 'urn:iso:std:iso:11073:10101';

const METER_GLUCOSE = '41653-7';

export const MDC_TO_LOINC: ReadonlyMap<string, string> = new Map([
  ['150020', '85354-9'], // MDC_PRESS_BLD_NONINV (18948): blood pressure panel
  ['150021', '8480-6'], // MDC_PRESS_BLD_NONINV_SYS (18949): systolic
  ['150022', '8462-4'], // MDC_PRESS_BLD_NONINV_DIA (18950): diastolic
  ['150456', '2708-6'], // MDC_PULS_OXIM_SAT_O2 (19384): SpO2
  ['149530', '8867-4'], // MDC_PULS_OXIM_PULS_RATE (18458): pulse rate from an oximeter
  ['149546', '8867-4'], // MDC_PULS_RATE_NON_INV (18474): pulse rate from a BP monitor
  ['147842', '8867-4'], // MDC_ECG_HEART_RATE (16770)
  ['188736', '29463-7'], // MDC_MASS_BODY_ACTUAL (57664): body weight
  ['150364', '8310-5'], // MDC_TEMP_BODY (19292): body temperature (not a monitored measure: skipped)
  ['160020', METER_GLUCOSE], // MDC_CONC_GLU_GEN (28948)
  ['160184', METER_GLUCOSE], // MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD (29112)
  ['160188', METER_GLUCOSE], // MDC_CONC_GLU_CAPILLARY_PLASMA (29116)
  ['160192', METER_GLUCOSE], // MDC_CONC_GLU_VENOUS_WHOLEBLOOD (29120)
  ['160196', METER_GLUCOSE], // MDC_CONC_GLU_VENOUS_PLASMA (29124)
  ['160200', METER_GLUCOSE], // MDC_CONC_GLU_ARTERIAL_WHOLEBLOOD (29128)
  ['160204', METER_GLUCOSE], // MDC_CONC_GLU_ARTERIAL_PLASMA (29132)
  ['160364', METER_GLUCOSE], // MDC_CONC_GLU_UNDETERMINED_WHOLEBLOOD (29292)
  ['160368', METER_GLUCOSE], // MDC_CONC_GLU_UNDETERMINED_PLASMA (29296)
]);
