-- member_roster: the members the features are built for.
--
-- grain:   one row per person enrolled on the as-of date
-- inputs:  members (curated eligibility spans), as_of_windows
-- columns:
--   person_id            person
--   as_of_date           the as-of date
--   age                  whole years on the as-of date (a birthday on the as-of date counts; 29 February birthdays
--                        count on 1 March in other years)
--   sex                  'female', 'male' or 'unknown', from the covering span (the latest-starting one if spans
--                        overlap)
--   dual_status_code     Medicare-Medicaid dual status code of the covering span (null when the sender gave none)
--   institutional        the covering span is flagged long-term institutional (or institutional SNP); false if unset
--   hospice              the covering span is flagged hospice; false if unset
--   enrolled_months_12m  member months in the 12 calendar months ending with the as-of date's month: a month counts
--                        when any of the person's spans covers at least one of its days up to the as-of date
--                        (1..12; the as-of month always counts)
-- Enrolled: an eligibility span with enrollment_start_date <= as-of <= enrollment_end_date, and no death_date
-- before the as-of date on any of the person's rows (dying on the as-of date still counts as enrolled).

with

windows as (
    select as_of_date, months_12_start from as_of_windows
)

, eligibility as (
    select
          person_id
        , birth_date
        , sex
        , death_date
        , enrollment_start_date
        , enrollment_end_date
        , dual_status_code
        , institutional_flag
        , hospice_flag
    from members
)

/* persons with a recorded death before the as-of date */
, deceased as (
    select distinct e.person_id
    from eligibility as e
    cross join windows as w
    where e.death_date < w.as_of_date
)

/* spans covering the as-of date, the latest-starting first */
, covering_spans as (
    select
          e.person_id
        , e.birth_date
        , e.sex
        , e.dual_status_code
        , e.institutional_flag
        , e.hospice_flag
        , w.as_of_date
        , row_number() over (
            partition by e.person_id
            order by e.enrollment_start_date desc, e.enrollment_end_date desc
          ) as span_rank
    from eligibility as e
    cross join windows as w
    where e.enrollment_start_date <= w.as_of_date
      and e.enrollment_end_date >= w.as_of_date
)

/* the 12 calendar months ending with the as-of month, each cut at the as-of date */
, calendar_months as (
    select
          m.month_offset
        , date_add('month', m.month_offset, w.months_12_start) as month_start
        , least(date_add('day', -1, date_add('month', m.month_offset + 1, w.months_12_start)), w.as_of_date) as month_end
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11)) as m (month_offset)
    cross join windows as w
)

/* spans that touch the 12 months */
, recent_spans as (
    select
          e.person_id
        , e.enrollment_start_date
        , e.enrollment_end_date
    from eligibility as e
    cross join windows as w
    where e.enrollment_start_date <= w.as_of_date
      and e.enrollment_end_date >= w.months_12_start
)

/* member months: months any of those spans overlaps */
, member_months as (
    select
          e.person_id
        , count(distinct c.month_offset) as enrolled_months_12m
    from recent_spans as e
    inner join calendar_months as c
        on e.enrollment_start_date <= c.month_end
       and e.enrollment_end_date >= c.month_start
    group by e.person_id
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
    , s.dual_status_code
    , coalesce(s.institutional_flag, false) as institutional
    , coalesce(s.hospice_flag, false) as hospice
    , mm.enrolled_months_12m
from covering_spans as s
inner join member_months as mm
    on s.person_id = mm.person_id
left join deceased as d
    on s.person_id = d.person_id
where s.span_rank = 1
  and d.person_id is null
