-- utilization: hospital use and cost over the 365 days ending on the as-of date, and the latest hospital stay.
--
-- grain:   one row per person with an admission, ED visit or paid claim in the 365-day window, or a completed
--          inpatient stay at any date (absent = none)
-- inputs:  pharmacy_claims (curated), kept_medical_claims, claim_totals, as_of_windows
-- columns:
--   person_id             person
--   ip_admissions_12m     inpatient admissions (distinct claims) with an admission_date in the 365-day window
--   ed_visits_12m         ED visits, counted as distinct service days (claim_start_date), in the 365-day window
--   ed_visits_90d         the same in the 90-day window
--   ed_visits_180d        the same in the 180-day window
--   readmissions_30d_12m  admissions in the 365-day window whose admission_date is 1 to 30 days after the
--                         discharge_date of the person's previous admission (which may precede the window)
--   total_paid_12m        medical (each claim's net paid of claim_totals, by its start date: header amounts once,
--                         reversals netted) plus pharmacy (by dispensing_date) paid_amount in the 365-day window, USD;
--                         missing amounts count as 0
--   last_admission_date, last_discharge_date  the latest completed inpatient stay (an admission, i.e. an inpatient
--                         claim, discharged on or before the as-of date; the latest discharge, then the latest
--                         admission); null without one
--   last_stay_los_days    its length of stay, discharge date minus admission date (a same-day stay is 0)
--   last_admission_emergent  an acute admission (LACE A): the claim's admission type is emergency (1), urgent (2) or
--                         trauma (5), or it began in the ED (an ED claim starting on the admission date or the day
--                         before, or a line of the stay with revenue code 045x, emergency room)
--   last_discharge_disposition  that stay's UB-04 discharge status (the latest line's that has one)
--   community_discharge_date  the discharge to the community that opens the transitions-of-care window: the stay's own
--                         discharge when it sent the member home or elsewhere in the community (01 home, 06 home
--                         health, 07 against advice, 21 law enforcement, …, or no status); when it transferred them to
--                         a skilled nursing facility (03, 61 swing bed, 64 nursing facility), the end of the SNF stay
--                         that followed (SNF claims from the discharge day on, each starting at most a day after the
--                         previous one ended), once it ended before the as-of date; null while the member is still in
--                         post-acute care (a SNF stay up to the as-of date, a transfer to another hospital, inpatient
--                         rehabilitation or long-term care hospital: 02, 05, 62, 63, 65, 66, 70, 43, with no claim
--                         yet), and null after a discharge to hospice (50, 51) or death (20, 40, 41, 42)
--   days_since_community_discharge  as-of date minus community_discharge_date
--   days_since_discharge  as-of date minus its discharge date
--   ed_visits_6m_before_admission  ED visits (distinct service days) in the 180 days before that stay's admission
--                         (admission - 180 .. admission - 1), without the admission day and the day before: the ED
--                         visit that led to the admission, which LACE scores as acuity (A), not as a prior visit (E);
--                         null without a completed stay
-- A fully reversed claim (claim_totals) is no admission, ED visit or stay (kept_medical_claims leaves it out).
-- Windows: see as_of_windows (365-day = as-of - 364 .. as-of, 90-day = as-of - 89 .. as-of). Nothing after the
-- as-of date is read.

with

windows as (
    select as_of_date, window_90d_start, window_180d_start, window_365d_start from as_of_windows
)

, medical_lines as (
    select
          claim_id
        , person_id
        , setting
        , claim_start_date
        , admission_date
        , discharge_date
        , revenue_center_code
        , admit_type_code
        , lpad(discharge_disposition_code, 2, '0') as discharge_disposition_code
        , claim_end_date
    from kept_medical_claims
)

, pharmacy_lines as (
    select
          person_id
        , dispensing_date
        , paid_amount
    from pharmacy_claims
)

/* one row per inpatient admission (claim) admitted on or before the as-of date */
, admissions as (
    select
          m.person_id
        , m.claim_id
        , min(m.admission_date) as admission_date
        , max(m.discharge_date) as discharge_date
        , max(case when m.revenue_center_code like '045%' then 1 else 0 end) as has_ed_revenue
        , max(case when m.admit_type_code in ('1', '2', '5') then 1 else 0 end) as acute_admit_type
        , max(m.discharge_disposition_code) as discharge_disposition_code
    from medical_lines as m
    cross join windows as w
    where m.setting = 'inpatient'
      and m.admission_date <= w.as_of_date
    group by m.person_id, m.claim_id
)

/* each admission with the discharge date of the person's previous admission */
, admissions_sequenced as (
    select
          person_id
        , claim_id
        , admission_date
        , lag(discharge_date) over (
            partition by person_id
            order by admission_date, claim_id
          ) as previous_discharge_date
    from admissions
)

/* admissions and 30-day readmissions in the 365-day window */
, admission_counts as (
    select
          a.person_id
        , count(*) as ip_admissions_12m
        , count(
            case when date_diff('day', a.previous_discharge_date, a.admission_date) between 1 and 30 then 1 end
          ) as readmissions_30d_12m
    from admissions_sequenced as a
    cross join windows as w
    where a.admission_date >= w.window_365d_start
    group by a.person_id
)

/* ED visits: distinct days with an ED claim in the 365-day window */
, ed_visit_days as (
    select distinct
          m.person_id
        , m.claim_start_date as visit_date
    from medical_lines as m
    cross join windows as w
    where m.setting = 'ed'
      and m.claim_start_date between w.window_365d_start and w.as_of_date
)

, ed_counts as (
    select
          e.person_id
        , count(*) as ed_visits_12m
        , count(case when e.visit_date >= w.window_90d_start then 1 end) as ed_visits_90d
        , count(case when e.visit_date >= w.window_180d_start then 1 end) as ed_visits_180d
    from ed_visit_days as e
    cross join windows as w
    group by e.person_id
)

/* completed stays, the latest discharge first */
, completed_stays as (
    select
          a.person_id
        , a.claim_id
        , a.admission_date
        , a.discharge_date
        , a.has_ed_revenue
        , a.acute_admit_type
        , a.discharge_disposition_code
        , row_number() over (
            partition by a.person_id
            order by a.discharge_date desc, a.admission_date desc, a.claim_id desc
          ) as recency_rank
    from admissions as a
    cross join windows as w
    where a.discharge_date <= w.as_of_date
)

/* the latest completed stay, with the ED claims of its admission day and the day before */
, last_stay as (
    select
          s.person_id
        , s.admission_date
        , s.discharge_date
        , s.has_ed_revenue
        , s.acute_admit_type
        , s.discharge_disposition_code
        , count(m.claim_id) as ed_claims_at_admission
    from completed_stays as s
    left join medical_lines as m
        on s.person_id = m.person_id
       and m.setting = 'ed'
       and m.claim_start_date between date_add('day', -1, s.admission_date) and s.admission_date
    where s.recency_rank = 1
    group by s.person_id, s.admission_date, s.discharge_date, s.has_ed_revenue, s.acute_admit_type, s.discharge_disposition_code
)

/* SNF claims from the last stay's discharge on, for a stay that transferred the member to skilled nursing; a claim
   starting more than a day after the previous one ended breaks the stay */
, snf_after_stay as (
    select
          s.person_id
        , m.claim_start_date
        , m.claim_end_date
        , case
            when m.claim_start_date > date_add('day', 1, coalesce(
                max(m.claim_end_date) over (
                    partition by s.person_id order by m.claim_start_date, m.claim_end_date
                    rows between unbounded preceding and 1 preceding
                ), s.discharge_date)) then 1
            else 0
          end as breaks
    from last_stay as s
    cross join windows as w
    inner join medical_lines as m
        on s.person_id = m.person_id
       and m.setting = 'snf'
       and m.claim_start_date between s.discharge_date and w.as_of_date
    where s.discharge_disposition_code in ('03', '61', '64')
)

/* the SNF stay that followed the transfer: its claims before the first break */
, snf_stay as (
    select
          person_id
        , max(claim_end_date) as snf_end_date
    from (
        select
              person_id
            , claim_end_date
            , sum(breaks) over (partition by person_id order by claim_start_date, claim_end_date rows unbounded preceding) as breaks_so_far
        from snf_after_stay
    ) as x
    where breaks_so_far = 0
    group by person_id
)

/* the discharge to the community that opens the transitions-of-care window (see the header) */
, community_discharge as (
    select
          s.person_id
        , case
            when s.discharge_disposition_code in ('20', '40', '41', '42', '50', '51') then null
            when s.discharge_disposition_code in ('03', '61', '64') then
              case when n.snf_end_date < w.as_of_date then n.snf_end_date end
            when s.discharge_disposition_code in ('02', '05', '43', '62', '63', '65', '66', '70') then null
            else s.discharge_date
          end as community_discharge_date
    from last_stay as s
    cross join windows as w
    left join snf_stay as n
        on s.person_id = n.person_id
)

/* ED visit days in the 180 days before the latest completed stay, short of the visit that led to it */
, ed_before_last_stay as (
    select
          s.person_id
        , count(distinct m.claim_start_date) as ed_visits_6m_before_admission
    from completed_stays as s
    left join medical_lines as m
        on s.person_id = m.person_id
       and m.setting = 'ed'
       and m.claim_start_date between date_add('day', -180, s.admission_date) and date_add('day', -2, s.admission_date)
    where s.recency_rank = 1
    group by s.person_id
)

/* medical (net per claim) and pharmacy paid amounts in the 365-day window */
, paid_lines as (
    select t.person_id, t.paid_amount
    from claim_totals as t
    cross join windows as w
    where t.claim_start_date between w.window_365d_start and w.as_of_date
    union all
    select p.person_id, p.paid_amount
    from pharmacy_lines as p
    cross join windows as w
    where p.dispensing_date between w.window_365d_start and w.as_of_date
)

, paid_totals as (
    select
          person_id
        , sum(coalesce(paid_amount, 0e0)) as total_paid_12m
    from paid_lines
    group by person_id
)

, persons as (
    select person_id from admission_counts
    union
    select person_id from ed_counts
    union
    select person_id from paid_totals
    union
    select person_id from last_stay
)

select
      p.person_id
    , coalesce(a.ip_admissions_12m, 0) as ip_admissions_12m
    , coalesce(e.ed_visits_12m, 0) as ed_visits_12m
    , coalesce(e.ed_visits_90d, 0) as ed_visits_90d
    , coalesce(e.ed_visits_180d, 0) as ed_visits_180d
    , coalesce(a.readmissions_30d_12m, 0) as readmissions_30d_12m
    , coalesce(t.total_paid_12m, 0e0) as total_paid_12m
    , s.admission_date as last_admission_date
    , s.discharge_date as last_discharge_date
    , date_diff('day', s.admission_date, s.discharge_date) as last_stay_los_days
    , s.has_ed_revenue = 1 or s.acute_admit_type = 1 or s.ed_claims_at_admission > 0 as last_admission_emergent
    , date_diff('day', s.discharge_date, w.as_of_date) as days_since_discharge
    , b.ed_visits_6m_before_admission
    , s.discharge_disposition_code as last_discharge_disposition
    , c.community_discharge_date
    , date_diff('day', c.community_discharge_date, w.as_of_date) as days_since_community_discharge
from persons as p
cross join windows as w
left join admission_counts as a
    on p.person_id = a.person_id
left join ed_counts as e
    on p.person_id = e.person_id
left join paid_totals as t
    on p.person_id = t.person_id
left join last_stay as s
    on p.person_id = s.person_id
left join ed_before_last_stay as b
    on p.person_id = b.person_id
left join community_discharge as c
    on p.person_id = c.person_id
