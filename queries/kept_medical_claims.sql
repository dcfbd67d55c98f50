-- kept_medical_claims: the medical claim lines the features count: every line of a claim that is not fully reversed.
--
-- grain:   one row per medical claim line (as medical_claims)
-- inputs:  medical_claims (curated), claim_totals
-- columns: those of medical_claims the models read
-- A fully reversed claim (claim_totals.fully_reversed: a negative line and a net of zero or less) is no admission,
-- ED visit or stay; its lines are left out here once, for utilization and outcomes.

select
      m.claim_id
    , m.person_id
    , m.setting
    , m.claim_start_date
    , m.claim_end_date
    , m.admission_date
    , m.discharge_date
    , m.revenue_center_code
    , m.admit_type_code
    , m.discharge_disposition_code
from medical_claims as m
left join claim_totals as t
    on m.person_id = t.person_id
   and m.claim_id = t.claim_id
where coalesce(t.fully_reversed, false) = false
