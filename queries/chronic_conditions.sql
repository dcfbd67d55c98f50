-- chronic_conditions: the CMS Chronic Conditions Warehouse (CCW) conditions met, from the full CCW list.
--
-- grain:   one row per person meeting at least one CCW condition (absent = none met)
-- inputs:  kept_diagnoses, ccw_chronic_conditions, ccw_condition_rules and ccw_program_conditions (seeds),
--          as_of_windows
-- columns:
--   person_id                person
--   has_diabetes             CCW diabetes met
--   has_hypertension         CCW hypertension met
--   has_copd                 CCW chronic obstructive pulmonary disease met
--   has_heart_failure        CCW heart failure and non-ischemic heart disease met
--   has_ckd                  CCW chronic kidney disease met
--   chronic_conditions       condition_column_name of every CCW condition met, sorted, comma-separated
--   chronic_condition_count  how many CCW conditions are met
-- Rule (seed ccw_condition_rules, one row per condition and claims path, parsed from the list's
-- claims_qualification text; see seeds/PROVENANCE.md): a condition is met when, within its lookback, the person has
-- for any one of its paths at least min_claims qualifying claims whose setting is among the path's settings,
-- counted as distinct claims, or as distinct service dates where the path says 'service_days' (claims at least a
-- day apart). A claim qualifies with an 'Include' ICD-10-CM code of the condition in any position and none of the
-- condition's 'Exclude' codes on any of its lines (whatever their setting or date). Problem-list entries (FHIR
-- Condition resources) qualify a condition on their own, one entry being enough: setting 'problem_list' is a
-- condition the record calls active, counted whatever its onset date (on or before the as-of date);
-- 'problem_list_resolved' is one that ended, dated by its abatement and counted only inside the lookback.
-- A fully reversed claim qualifies nothing (kept_diagnoses leaves it out); CCW counts every claim setting, so the
-- risk-adjustment filter (ra_set_aside) does not apply here.
-- Lookback: lookback_years ending on the as-of date, i.e. service dates in (as-of - lookback_years, as-of].
-- Only ICD-10-CM codes are read: the list's NDC, ICD-10-PCS, MS-DRG and HCC rows and its additional_logic (HIV's
-- R75 screening code, OUD's naltrexone exclusion) are not applied.

with

as_of as (
    select as_of_date from as_of_windows
)

, seed_condition_rules as (
    select
          condition_column_name
        , cast(lookback_years as integer) as lookback_years
        , cast(rule_path as integer) as rule_path
        , cast(min_claims as integer) as min_claims
        , counted_by
        , settings
    from ccw_condition_rules
)

, seed_program_conditions as (
    select
          condition_column_name
        , feature_column
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
    from kept_diagnoses
)

/* each condition with the first day of its lookback */
, condition_windows as (
    select distinct
          r.condition_column_name
        , date_add('day', 1, date_add('year', -r.lookback_years, a.as_of_date)) as lookback_start
        , a.as_of_date
    from seed_condition_rules as r
    cross join as_of as a
)

/* diagnoses carrying a code of a condition inside its lookback */
, coded_diagnoses as (
    select
          d.person_id
        , d.claim_id
        , d.service_date
        , d.setting
        , c.condition_column_name
        , c.inclusion_type
    from claim_diagnoses as d
    inner join seed_condition_codes as c
        on d.icd10_code = c.code
    inner join condition_windows as w
        on c.condition_column_name = w.condition_column_name
    where (d.service_date >= w.lookback_start or d.setting = 'problem_list')
      and d.service_date <= w.as_of_date
)

/* claims carrying one of a condition's 'Exclude' codes, on any line whatever its setting or service date */
, excluded_claims as (
    select distinct
          d.person_id
        , d.claim_id
        , c.condition_column_name
    from claim_diagnoses as d
    inner join seed_condition_codes as c
        on d.icd10_code = c.code
    where c.inclusion_type = 'Exclude'
)

/* qualifying claims, one row per claim, service date, setting and condition: an 'Include' code on a claim that
   carries none of the condition's 'Exclude' codes */
, qualifying_claims as (
    select distinct
          i.person_id
        , i.claim_id
        , i.service_date
        , i.setting
        , i.condition_column_name
    from coded_diagnoses as i
    left join excluded_claims as e
        on i.person_id = e.person_id
       and i.claim_id = e.claim_id
       and i.condition_column_name = e.condition_column_name
    where i.inclusion_type = 'Include'
      and e.claim_id is null
)

/* each qualifying claim under every claims path of its condition whose settings include the claim's setting */
, path_claims as (
    select
          q.person_id
        , q.claim_id
        , q.service_date
        , q.condition_column_name
        , r.rule_path
        , r.min_claims
        , r.counted_by
    from qualifying_claims as q
    inner join seed_condition_rules as r
        on q.condition_column_name = r.condition_column_name
       and strpos('|' || r.settings || '|', '|' || q.setting || '|') > 0
)

/* conditions met through a claims path: enough claims, or enough service days where the path counts days */
, paths_met as (
    select
          person_id
        , condition_column_name
    from path_claims
    group by person_id, condition_column_name, rule_path, min_claims, counted_by
    having case
        when counted_by = 'service_days' then count(distinct service_date)
        else count(distinct claim_id)
      end >= min_claims
)

/* conditions met through a problem-list entry */
, problem_list_met as (
    select
          person_id
        , condition_column_name
    from qualifying_claims
    where setting in ('problem_list', 'problem_list_resolved')
)

, conditions_met as (
    select person_id, condition_column_name from paths_met
    union
    select person_id, condition_column_name from problem_list_met
)

select
      m.person_id
    , coalesce(bool_or(p.feature_column = 'has_diabetes'), false) as has_diabetes
    , coalesce(bool_or(p.feature_column = 'has_hypertension'), false) as has_hypertension
    , coalesce(bool_or(p.feature_column = 'has_copd'), false) as has_copd
    , coalesce(bool_or(p.feature_column = 'has_heart_failure'), false) as has_heart_failure
    , coalesce(bool_or(p.feature_column = 'has_ckd'), false) as has_ckd
    , array_join(array_sort(array_agg(m.condition_column_name)), ',') as chronic_conditions
    , count(*) as chronic_condition_count
from conditions_met as m
left join seed_program_conditions as p
    on m.condition_column_name = p.condition_column_name
group by m.person_id
