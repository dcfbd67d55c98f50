-- outcomes: what happened to each member in the 180 days after the as-of date, for the backtest (not a feature:
-- it reads the future on purpose, and is composed on its own: as_of_windows, member_roster, outcomes).
--
-- grain:   one row per person enrolled on the as-of date (member_roster)
-- inputs:  member_roster, kept_medical_claims (a fully reversed claim is no event), as_of_windows
-- columns:
--   person_id              person
--   as_of_date             the as-of date
--   admissions_180d_after  inpatient admissions (distinct claims) with an admission_date in (as-of, as-of + 180]
--   ed_visits_180d_after   ED visits, counted as distinct service days (claim_start_date), in (as-of, as-of + 180]
-- The as-of date itself belongs to the features (history up to and including it), not to the outcome window.

with

windows as (
    select as_of_date, follow_up_end from as_of_windows
)

, medical_lines as (
    select
          claim_id
        , person_id
        , setting
        , claim_start_date
        , admission_date
    from kept_medical_claims
)

/* admissions after the as-of date, one per claim */
, admissions_after as (
    select
          m.person_id
        , count(distinct m.claim_id) as admissions_180d_after
    from medical_lines as m
    cross join windows as w
    where m.setting = 'inpatient'
      and m.admission_date > w.as_of_date
      and m.admission_date <= w.follow_up_end
    group by m.person_id
)

/* ED visit days after the as-of date */
, ed_visits_after as (
    select
          m.person_id
        , count(distinct m.claim_start_date) as ed_visits_180d_after
    from medical_lines as m
    cross join windows as w
    where m.setting = 'ed'
      and m.claim_start_date > w.as_of_date
      and m.claim_start_date <= w.follow_up_end
    group by m.person_id
)

select
      r.person_id
    , r.as_of_date
    , cast(coalesce(a.admissions_180d_after, 0) as integer) as admissions_180d_after
    , cast(coalesce(e.ed_visits_180d_after, 0) as integer) as ed_visits_180d_after
from member_roster as r
left join admissions_after as a
    on r.person_id = a.person_id
left join ed_visits_after as e
    on r.person_id = e.person_id
