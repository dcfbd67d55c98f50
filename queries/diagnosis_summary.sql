-- diagnosis_summary: the diagnoses of the last 12 months, as the scoring stage needs them (HCC, comorbidity, ESRD).
--
-- grain:   one row per person with a diagnosis dated in the 365-day window (absent = none)
-- inputs:  diagnoses (curated), esrd_diagnosis_codes (seed), as_of_windows
-- columns:
--   person_id     person
--   dx_codes_12m  the distinct ICD-10-CM codes (upper case, no dot) of the 365-day window, sorted, comma-separated
--   esrd          a code of esrd_diagnosis_codes (N18.6 end stage renal disease, Z99.2 dependence on dialysis) in
--                 the 365-day window
-- Every setting counts, problem-list entries included (dated by onset, else recorded date). Nothing after the
-- as-of date is read.

with

windows as (
    select as_of_date, window_365d_start from as_of_windows
)

, seed_esrd_codes as (
    select icd10_code from esrd_diagnosis_codes
)

/* distinct codes per person in the 365-day window */
, recent_codes as (
    select distinct
          d.person_id
        , d.icd10_code
    from diagnoses as d
    cross join windows as w
    where d.service_date between w.window_365d_start and w.as_of_date
)

select
      r.person_id
    , array_join(array_sort(array_agg(r.icd10_code)), ',') as dx_codes_12m
    , count(e.icd10_code) > 0 as esrd
from recent_codes as r
left join seed_esrd_codes as e
    on r.icd10_code = e.icd10_code
group by r.person_id
