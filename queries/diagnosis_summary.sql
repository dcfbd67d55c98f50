-- diagnosis_summary: the diagnoses of the last 12 months, as the scoring stage needs them (HCC, comorbidity, ESRD).
--
-- grain:   one row per person with a diagnosis dated in the 365-day window (absent = none)
-- inputs:  kept_diagnoses, esrd_diagnosis_codes (seed), as_of_windows
-- columns:
--   person_id                person
--   dx_codes_12m             the distinct ICD-10-CM codes (upper case, no dot) CMS risk adjustment would count, of
--                            the 365-day window, sorted, comma-separated: the input of CMS-HCC, Charlson, Elixhauser
--   dx_codes_set_aside_12m   the distinct codes of the window found only on claims CMS risk adjustment does not
--                            count (claim_totals.ra_set_aside: independent laboratory, ambulance, DME supplier,
--                            facility bill types off CMS's list), sorted, comma-separated ('' when none)
--   dx_set_aside_from        what those claims were (their ra_set_aside), sorted, comma-separated ('' when none)
--   esrd                     a code of esrd_diagnosis_codes (N18.6 end stage renal disease, Z99.2 dependence on
--                            dialysis) in the 365-day window, from any claim
-- A fully reversed claim (claim_totals) contributes no diagnosis. Problem-list entries (dated by onset, else
-- recorded date) and diagnoses without a medical claim count. Nothing after the as-of date is read.

with

windows as (
    select as_of_date, window_365d_start from as_of_windows
)

, seed_esrd_codes as (
    select icd10_code from esrd_diagnosis_codes
)

/* the window's diagnoses of claims not reversed, each with why risk adjustment would set it aside (null: it counts) */
, recent_diagnoses as (
    select
          d.person_id
        , d.icd10_code
        , d.ra_set_aside
    from kept_diagnoses as d
    cross join windows as w
    where d.service_date between w.window_365d_start and w.as_of_date
)

/* distinct codes per person, with whether any claim risk adjustment counts carries them */
, recent_codes as (
    select
          person_id
        , icd10_code
        , count(case when ra_set_aside is null then 1 end) > 0 as counted
    from recent_diagnoses
    group by person_id, icd10_code
)

/* what the claims of the codes set aside were */
, set_aside_sources as (
    select
          d.person_id
        , array_join(array_sort(array_agg(distinct d.ra_set_aside)), ',') as dx_set_aside_from
    from recent_diagnoses as d
    inner join recent_codes as r
        on d.person_id = r.person_id
       and d.icd10_code = r.icd10_code
    where not r.counted
    group by d.person_id
)

, code_lists as (
    select
          r.person_id
        , array_join(array_sort(array_agg(r.icd10_code) filter (where r.counted)), ',') as dx_codes_12m
        , array_join(array_sort(array_agg(r.icd10_code) filter (where not r.counted)), ',') as dx_codes_set_aside_12m
        , count(e.icd10_code) > 0 as esrd
    from recent_codes as r
    left join seed_esrd_codes as e
        on r.icd10_code = e.icd10_code
    group by r.person_id
)

select
      c.person_id
    , coalesce(c.dx_codes_12m, '') as dx_codes_12m
    , coalesce(c.dx_codes_set_aside_12m, '') as dx_codes_set_aside_12m
    , coalesce(s.dx_set_aside_from, '') as dx_set_aside_from
    , c.esrd
from code_lists as c
left join set_aside_sources as s
    on c.person_id = s.person_id
