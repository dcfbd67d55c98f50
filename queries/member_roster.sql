-- member_roster: the members the features are built for.
--
-- grain:   one row per person enrolled on the as-of date
-- inputs:  members (curated eligibility spans), as_of_windows
-- columns:
--   person_id   person
--   as_of_date  the as-of date
--   age         whole years on the as-of date (a birthday on the as-of date counts; 29 February birthdays count
--               on 1 March in other years)
--   sex         'female', 'male' or 'unknown', from the covering span (the latest-starting one if spans overlap)
-- Enrolled: an eligibility span with enrollment_start_date <= as-of <= enrollment_end_date, and no death_date
-- before the as-of date on any of the person's rows (dying on the as-of date still counts as enrolled).

with

as_of as (
    select as_of_date from as_of_windows
)

, eligibility as (
    select
          person_id
        , birth_date
        , sex
        , death_date
        , enrollment_start_date
        , enrollment_end_date
    from members
)

/* persons with a recorded death before the as-of date */
, deceased as (
    select distinct e.person_id
    from eligibility as e
    cross join as_of as a
    where e.death_date < a.as_of_date
)

/* spans covering the as-of date, the latest-starting first */
, covering_spans as (
    select
          e.person_id
        , e.birth_date
        , e.sex
        , a.as_of_date
        , row_number() over (
            partition by e.person_id
            order by e.enrollment_start_date desc, e.enrollment_end_date desc
          ) as span_rank
    from eligibility as e
    cross join as_of as a
    where e.enrollment_start_date <= a.as_of_date
      and e.enrollment_end_date >= a.as_of_date
)

/* one span per living person, with the age in completed years */
select
      s.person_id
    , s.as_of_date
    , year(s.as_of_date) - year(s.birth_date)
        - case
            when month(s.as_of_date) < month(s.birth_date)
              or (month(s.as_of_date) = month(s.birth_date) and day(s.as_of_date) < day(s.birth_date))
            then 1
            else 0
          end as age
    , s.sex
from covering_spans as s
left join deceased as d
    on s.person_id = d.person_id
where s.span_rank = 1
  and d.person_id is null
