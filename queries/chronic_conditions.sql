-- chronic_conditions: the CMS Chronic Conditions Warehouse (CCW) rule for the five program conditions.
--
-- grain:   one row per person meeting the rule for at least one program condition (absent = none met)
-- inputs:  diagnoses (curated), ccw_chronic_conditions and ccw_program_conditions (seeds), as_of_windows
-- columns:
--   person_id          person
--   has_diabetes       CCW diabetes rule met
--   has_hypertension   CCW hypertension rule met
--   has_copd           CCW chronic obstructive pulmonary disease rule met
--   has_heart_failure  CCW heart failure and non-ischemic heart disease rule met
--   has_ckd            CCW chronic kidney disease rule met
-- Rule: within the condition's lookback, at least 1 inpatient, SNF or home-health claim, or at least 2 different
-- outpatient (HOP, ED) or professional (carrier) claims, with a qualifying ICD-10-CM code in any position.
-- Lookback: the condition's lookback_years ending on the as-of date, i.e. service dates in
-- (as-of - lookback_years, as-of]. A claim that also carries one of the condition's 'Exclude' codes does not qualify.

with

as_of as (
    select as_of_date from as_of_windows
)

, seed_program_conditions as (
    select
          condition_column_name
        , feature_column
        , cast(lookback_years as integer) as lookback_years
    from ccw_program_conditions
)

, seed_condition_codes as (
    select
          condition_column_name
        , inclusion_type
        , code
    from ccw_chronic_conditions
    where code_system = 'ICD-10-CM'
)

, claim_diagnoses as (
    select
          claim_id
        , person_id
        , service_date
        , setting
        , icd10_code
    from diagnoses
)

/* each program condition with the first day of its lookback */
, condition_windows as (
    select
          p.condition_column_name
        , p.feature_column
        , date_add('day', 1, date_add('year', -p.lookback_years, a.as_of_date)) as lookback_start
        , a.as_of_date
    from seed_program_conditions as p
    cross join as_of as a
)

/* claims carrying a code of the condition, inside its lookback; one row per claim, condition and inclusion type */
, coded_claims as (
    select distinct
          d.person_id
        , d.claim_id
        , d.setting
        , w.feature_column
        , c.inclusion_type
    from claim_diagnoses as d
    inner join seed_condition_codes as c
        on d.icd10_code = c.code
    inner join condition_windows as w
        on c.condition_column_name = w.condition_column_name
    where d.service_date >= w.lookback_start
      and d.service_date <= w.as_of_date
)

/* claims with an 'Include' code and none of the condition's 'Exclude' codes */
, qualifying_claims as (
    select
          person_id
        , claim_id
        , feature_column
        , max(case when setting in ('inpatient', 'snf', 'home_health') then 1 else 0 end) as is_institutional
        , max(case when setting in ('outpatient', 'ed', 'professional') then 1 else 0 end) as is_ambulatory
    from coded_claims
    group by person_id, claim_id, feature_column
    having count(case when inclusion_type = 'Include' then 1 end) > 0
       and count(case when inclusion_type = 'Exclude' then 1 end) = 0
)

/* persons meeting the 1-institutional or 2-ambulatory claim rule, per condition */
, conditions_met as (
    select
          person_id
        , feature_column
    from qualifying_claims
    group by person_id, feature_column
    having count(distinct case when is_institutional = 1 then claim_id end) >= 1
        or count(distinct case when is_ambulatory = 1 then claim_id end) >= 2
)

select
      person_id
    , bool_or(feature_column = 'has_diabetes') as has_diabetes
    , bool_or(feature_column = 'has_hypertension') as has_hypertension
    , bool_or(feature_column = 'has_copd') as has_copd
    , bool_or(feature_column = 'has_heart_failure') as has_heart_failure
    , bool_or(feature_column = 'has_ckd') as has_ckd
from conditions_met
group by person_id
