/**
 * HCPCS Level II: a letter A–V and four digits (supplies, drugs, ambulance…), public CMS codes and stored with a
 * claim line. Level I is CPT, licensed by the AMA, and is not stored (see medical_claims). Shared by the Tuva claim
 * reader and the FHIR EOB reader.
 */
export const HCPCS_LEVEL_II = /^[A-V]\d{4}$/;
