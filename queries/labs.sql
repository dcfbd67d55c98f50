-- labs: the latest HbA1c result, from any source (lab results, clinic observations, devices).
--
-- grain:   one row per person with an HbA1c observed on or before the as-of date (absent = never)
-- inputs:  observations (curated), monitoring_loinc_codes (seed, measure 'hba1c' = LOINC 4548-4), as_of_windows
-- columns:
--   person_id         person
--   hba1c_latest      the latest HbA1c, % (the higher value when two share the latest instant)
--   days_since_hba1c  as-of date minus the UTC date of that result
-- Nothing after the as-of date is read; any age counts.

with

windows as (
    select as_of_date from as_of_windows
)

, seed_hba1c_codes as (
    select loinc_code from monitoring_loinc_codes where measure = 'hba1c'
)

/* HbA1c results up to the as-of date, the latest first */
, hba1c_results as (
    select
          o.person_id
        , cast(o.observed_at as date) as result_date
        , o.value
        , row_number() over (partition by o.person_id order by o.observed_at desc, o.value desc) as recency_rank
    from observations as o
    inner join seed_hba1c_codes as c
        on o.loinc_code = c.loinc_code
    cross join windows as w
    where cast(o.observed_at as date) <= w.as_of_date
)

select
      r.person_id
    , r.value as hba1c_latest
    , date_diff('day', r.result_date, w.as_of_date) as days_since_hba1c
from hba1c_results as r
cross join windows as w
where r.recency_rank = 1
