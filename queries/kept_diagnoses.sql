-- kept_diagnoses: the diagnoses the features count: those of claims that are not fully reversed, with whether CMS
-- risk adjustment would count their claim.
--
-- grain:   one row per diagnosis (as diagnoses)
-- inputs:  diagnoses (curated), claim_totals
-- columns:
--   claim_id, person_id, service_date, setting, icd10_code   as diagnoses
--   ra_set_aside  claim_totals.ra_set_aside of the claim: null when risk adjustment counts it (also for diagnoses
--                 without a medical claim: problem-list entries)
-- A fully reversed claim contributes no diagnosis: left out here once, for the conditions and the HCC input.

select
      d.claim_id
    , d.person_id
    , d.service_date
    , d.setting
    , d.icd10_code
    , t.ra_set_aside
from diagnoses as d
left join claim_totals as t
    on d.person_id = t.person_id
   and d.claim_id = t.claim_id
where coalesce(t.fully_reversed, false) = false
