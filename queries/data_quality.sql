-- data_quality: what an analyst checks before trusting the run, like Tuva's data-quality marts. Not a feature:
-- lib/pipeline/data-quality.ts composes it with as_of_windows, claim_conventions and claim_totals and writes the
-- `data_quality` table for each as-of date.
--
-- grain:   one row per check and scope
-- inputs:  members, medical_claims, diagnoses, pharmacy_claims (curated), as_of_windows, claim_conventions,
--          claim_totals
-- columns:
--   as_of_date  the run's date
--   check_name  amounts | negative_lines | fully_reversed_claims | redelivered_lines | claims_without_diagnoses |
--               impossible_bill_types | impossible_places_of_service | paid_pmpm | members_without_eligibility
--   scope       the medical-claims file (amounts, negative_lines), the service month YYYY-MM (paid_pmpm), else 'all'
--   value       the figure: a share 0-1 (amounts: of multi-line institutional claims with one amount on every line;
--               claims_without_diagnoses, impossible_*: of the claims or lines concerned), USD (paid_pmpm), or a count
--   detail      in words: the convention applied, the counts behind a share, the median a month is compared with
--   flagged     worth a look: paid_pmpm of a complete month more than twice or less than half the median complete
--               month of the 12 (the as-of month is partial unless the as-of date ends it); any
--               impossible code, re-delivered line or member without eligibility
-- Bill types: 3 characters (after a leading 0), facility type 1-8 then a classification digit. Places of service:
-- 2 digits, 01-99. Paid per member per month: net medical paid (claim_totals, by claim start) plus pharmacy paid
-- (by dispensing date) of the month, over the members with an eligibility span touching it, for the 12 calendar
-- months to the as-of date's (as_of_windows.months_12_start).

with

windows as (
    select as_of_date, months_12_start from as_of_windows
)

/* per medical-claims file: the amount convention applied, and the negative lines */
, file_checks as (
    select
          'amounts' as check_name
        , c.source_file as scope
        , case when c.multi_line_claims > 0 then cast(c.identical_amount_claims as double) / c.multi_line_claims end as value
        , c.amounts || ' amounts (detected ' || c.detected_amounts || ': ' || cast(c.identical_amount_claims as varchar)
            || ' of ' || cast(c.multi_line_claims as varchar) || ' multi-line institutional claims carry one amount on every line)' as detail
        , false as flagged
    from claim_conventions as c
    union all
    select
          'negative_lines'
        , c.source_file
        , cast(c.negative_lines as double)
        , cast(c.negative_lines as varchar) || ' of ' || cast(c.claim_lines as varchar) || ' lines: reversals and adjustments, netted per claim'
        , false
    from claim_conventions as c
)

/* claims that net to zero or less */
, reversed as (
    select
          'fully_reversed_claims' as check_name
        , 'all' as scope
        , cast(count(case when fully_reversed then 1 end) as double) as value
        , cast(count(case when fully_reversed then 1 end) as varchar) || ' of ' || cast(count(*) as varchar)
            || ' claims net to zero: no cost, diagnosis or utilization' as detail
        , false as flagged
    from claim_totals
)

/* each claim line (claim id, line number) with the number of times it was delivered: every committed version
   (medical_claims holds the latest one only) */
, line_deliveries as (
    select person_id, claim_id, claim_line_number, count(*) as deliveries
    from medical_claims_versions
    group by person_id, claim_id, claim_line_number
)

/* lines delivered more than once */
, redelivered as (
    select
          'redelivered_lines' as check_name
        , 'all' as scope
        , cast(count(case when deliveries > 1 then 1 end) as double) as value
        , 'claim lines (claim id and line number) delivered more than once' as detail
        , count(case when deliveries > 1 then 1 end) > 0 as flagged
    from line_deliveries
)

/* claims that carry at least one diagnosis */
, claims_with_diagnoses as (
    select distinct person_id, claim_id from diagnoses
)

/* the share of claims without any */
, without_diagnoses as (
    select
          'claims_without_diagnoses' as check_name
        , 'all' as scope
        , case when count(*) > 0 then cast(count(case when d.claim_id is null then 1 end) as double) / count(*) end as value
        , cast(count(case when d.claim_id is null then 1 end) as varchar) || ' of ' || cast(count(*) as varchar) || ' claims' as detail
        , false as flagged
    from claim_totals as t
    left join claims_with_diagnoses as d
        on t.person_id = d.person_id
       and t.claim_id = d.claim_id
)

/* institutional lines without a valid type of bill, professional lines without a valid place of service */
, code_checks as (
    select
          'impossible_bill_types' as check_name
        , 'all' as scope
        , case when count(*) > 0 then cast(count(case when not regexp_like(coalesce(bill_type_code, ''), '^[1-8][0-9][0-9A-Za-z]$') then 1 end) as double) / count(*) end as value
        , cast(count(case when not regexp_like(coalesce(bill_type_code, ''), '^[1-8][0-9][0-9A-Za-z]$') then 1 end) as varchar) || ' of '
            || cast(count(*) as varchar) || ' institutional lines without a valid type of bill' as detail
        , count(case when not regexp_like(coalesce(bill_type_code, ''), '^[1-8][0-9][0-9A-Za-z]$') then 1 end) > 0 as flagged
    from medical_claims
    where claim_type = 'institutional'
    union all
    select
          'impossible_places_of_service'
        , 'all'
        , case when count(*) > 0 then cast(count(case when not regexp_like(coalesce(place_of_service_code, ''), '^(0[1-9]|[1-9][0-9])$') then 1 end) as double) / count(*) end
        , cast(count(case when not regexp_like(coalesce(place_of_service_code, ''), '^(0[1-9]|[1-9][0-9])$') then 1 end) as varchar) || ' of '
            || cast(count(*) as varchar) || ' professional lines without a valid place of service'
        , count(case when not regexp_like(coalesce(place_of_service_code, ''), '^(0[1-9]|[1-9][0-9])$') then 1 end) > 0
    from medical_claims
    where claim_type = 'professional'
)

/* the 12 calendar months to the as-of date's */
, months as (
    select
          date_add('month', m.month_offset, w.months_12_start) as month_start
        , date_add('day', -1, date_add('month', m.month_offset + 1, w.months_12_start)) as month_end
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11)) as m (month_offset)
    cross join windows as w
)

/* members with an eligibility span touching each month */
, month_members as (
    select
          m.month_start
        , count(distinct e.person_id) as members
    from months as m
    inner join members as e
        on e.enrollment_start_date <= m.month_end
       and e.enrollment_end_date >= m.month_start
    group by m.month_start
)

/* paid of each month up to the as-of date: nothing after it is read */
, month_paid as (
    select m.month_start, t.paid_amount
    from months as m
    cross join windows as w
    inner join claim_totals as t
        on t.claim_start_date between m.month_start and m.month_end
    where t.claim_start_date <= w.as_of_date
    union all
    select m.month_start, p.paid_amount
    from months as m
    cross join windows as w
    inner join pharmacy_claims as p
        on p.dispensing_date between m.month_start and m.month_end
    where p.dispensing_date <= w.as_of_date
)

/* paid per member per month */
, pmpm as (
    select
          mm.month_start
        , mo.month_end
        , mm.members
        , coalesce(sum(p.paid_amount), 0e0) / mm.members as value
    from month_members as mm
    inner join months as mo
        on mm.month_start = mo.month_start
    left join month_paid as p
        on mm.month_start = p.month_start
    group by mm.month_start, mo.month_end, mm.members
)

/* the median of the complete months (the as-of month is complete only when the as-of date is its last day) */
, pmpm_median as (
    select approx_percentile(p.value, 0.5) as median
    from pmpm as p
    cross join windows as w
    where p.month_end <= w.as_of_date
)

/* each month against the median complete month */
, pmpm_checks as (
    select
          'paid_pmpm' as check_name
        , substr(cast(p.month_start as varchar), 1, 7) as scope
        , p.value
        , 'paid per member per month over ' || cast(p.members as varchar) || ' members; median month '
            || cast(round(m.median, 2) as varchar)
            || case when p.month_end > w.as_of_date then ' (the as-of month, to the as-of date: not compared)' else '' end as detail
        , p.month_end <= w.as_of_date and (p.value > 2 * m.median or p.value < 0.5e0 * m.median) as flagged
    from pmpm as p
    cross join pmpm_median as m
    cross join windows as w
)

/* people with claims, and people with eligibility */
, claim_persons as (
    select person_id from medical_claims
    union
    select person_id from pharmacy_claims
)

, eligibility_persons as (
    select distinct person_id from members
)

/* people with claims and no eligibility span */
, without_eligibility as (
    select
          'members_without_eligibility' as check_name
        , 'all' as scope
        , cast(count(*) as double) as value
        , 'people with claims and no eligibility span' as detail
        , count(*) > 0 as flagged
    from claim_persons as c
    left join eligibility_persons as e
        on c.person_id = e.person_id
    where e.person_id is null
)

, checks as (
    select * from file_checks
    union all select * from reversed
    union all select * from redelivered
    union all select * from without_diagnoses
    union all select * from code_checks
    union all select * from pmpm_checks
    union all select * from without_eligibility
)

select
      w.as_of_date
    , c.check_name
    , c.scope
    , c.value
    , c.detail
    , coalesce(c.flagged, false) as flagged
from checks as c
cross join windows as w
