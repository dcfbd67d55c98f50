-- monitoring: remote-monitoring features from device observations (source 'device').
--
-- grain:   one row per person with a device reading on or before the as-of date (absent = never read)
-- inputs:  observations (curated), monitoring_loinc_codes (seed), as_of_windows
-- columns:
--   person_id                  person
--   days_since_last_reading    as-of date minus the UTC date of the last device reading (any measure, any age)
--   reading_days_30d           distinct UTC dates with a device reading (any measure) in the 30-day window
--   reading_days_90d           the same in the 90-day window
--   bp_days_30d                distinct dates with a blood-pressure reading in the 30-day window
--   sbp_mean_30d, dbp_mean_30d mean systolic / diastolic in the 30-day window, mm[Hg]
--   sbp_mean_90d, dbp_mean_90d the same in the 90-day window
--   sbp_latest, dbp_latest     the latest systolic / diastolic in the 90-day window
--   bp_uncontrolled_share_30d  share of BP readings in the 30-day window with systolic >= 140 or diastolic >= 90;
--                              a reading is the systolic and diastolic observed for a person at the same instant
--   sbp_slope_30d              least-squares slope of systolic against days since the 30-day window start,
--                              mm[Hg] per day; null unless systolic readings fall on at least 2 different days
--   weight_latest              the latest body weight in the 90-day window, kg
--   weight_change_7d           latest minus earliest body weight in the 7-day window, kg; null with fewer than
--                              2 weights in the window
--   spo2_min_30d, spo2_mean_30d              lowest / mean SpO2 in the 30-day window, %
--   glucose_mean_30d, glucose_max_30d, glucose_min_30d  mean / highest / lowest glucose in the 30-day window, mg/dL
--   sbp_max_7d, dbp_max_7d, sbp_min_7d       highest systolic / diastolic, lowest systolic in the 7-day window
--   sbp_median_30d, weight_median_30d, glucose_median_30d
--                              the member's own baseline: median systolic / weight / glucose of the readings in the
--                              30-day window before the last 3 days (as-of - 29 .. as-of - 3); the middle value,
--                              or the mean of the two middle values
--   weight_gain_24h_max        kg: the largest rise from one weight to a later one at most 24 hours after it (24 h
--                              itself counts), both in the 7-day window; negative when every such pair fell; null
--                              without such a pair
--   spo2_min_7d                lowest SpO2 in the 7-day window, %
--   glucose_min_7d, glucose_min_3d  lowest glucose in the 7-day / 3-day window (as-of - 2 .. as-of): a 3-day
--                              minimum above 300 means every reading of the 3 days was above 300 (sustained high)
--   glucose_readings_3d        glucose readings in the 3-day window
--   weight_slope_30d, glucose_slope_30d  least-squares slope of weight (kg) / glucose (mg/dL) against days since
--                              the 30-day window start, per day; null unless readings fall on at least 2 days
--   weight_days_30d, glucose_days_30d  distinct dates with a weight / glucose reading in the 30-day window (what a
--                              slope rests on; 0 without such readings)
--   sbp_latest_3d, weight_latest_3d  the latest systolic / weight when it falls in the 3-day window (as-of - 2 ..
--                              as-of), else null: what the above-baseline checks compare with the baseline
--   spo2_mean_baseline         the member's SpO2 baseline: mean SpO2 of as-of - 29 .. as-of - 3 (the baseline days
--                              of the medians), %
-- Windows: see as_of_windows; a reading belongs to the UTC date of observed_at. Readings after the as-of date are
-- ignored. Values are already in canonical units (ingest converts them).

with

windows as (
    select as_of_date, window_3d_start, window_7d_start, window_30d_start, window_90d_start from as_of_windows
)

, seed_loinc_measures as (
    select loinc_code, measure from monitoring_loinc_codes
)

/* device readings up to the as-of date, with their UTC date */
, device_readings as (
    select
          o.person_id
        , o.observed_at
        , cast(o.observed_at as date) as reading_date
        , o.loinc_code
        , o.value
    from observations as o
    cross join windows as w
    where o.source = 'device'
      and cast(o.observed_at as date) <= w.as_of_date
)

/* how recently and how regularly the person reads, any measure */
, reading_activity as (
    select
          r.person_id
        , date_diff('day', max(r.reading_date), w.as_of_date) as days_since_last_reading
        , count(distinct case when r.reading_date >= w.window_30d_start then r.reading_date end) as reading_days_30d
        , count(distinct case when r.reading_date >= w.window_90d_start then r.reading_date end) as reading_days_90d
    from device_readings as r
    cross join windows as w
    group by r.person_id, w.as_of_date
)

/* readings of the known measures in the 90-day window, flagged when also in the 30-day window */
, measured as (
    select
          r.person_id
        , r.observed_at
        , r.reading_date
        , r.reading_date >= w.window_30d_start as in_30d
        , r.reading_date >= w.window_7d_start as in_7d
        , r.reading_date >= w.window_3d_start as in_3d
        , r.reading_date >= w.window_30d_start and r.reading_date < w.window_3d_start as in_baseline
        , m.measure
        , r.value
    from device_readings as r
    inner join seed_loinc_measures as m
        on r.loinc_code = m.loinc_code
    cross join windows as w
    where r.reading_date >= w.window_90d_start
)

/* each measure's readings, newest first */
, measured_ranked as (
    select
          person_id
        , measure
        , reading_date
        , in_30d
        , in_7d
        , in_3d
        , in_baseline
        , value
        , row_number() over (partition by person_id, measure order by observed_at desc, value desc) as recency_rank
    from measured
)

/* latest values, 7-day extremes, SpO2 and glucose, reading days per measure */
, measure_summary as (
    select
          person_id
        , max(case when measure = 'systolic_bp' and recency_rank = 1 then value end) as sbp_latest
        , max(case when measure = 'diastolic_bp' and recency_rank = 1 then value end) as dbp_latest
        , max(case when measure = 'body_weight' and recency_rank = 1 then value end) as weight_latest
        , min(case when measure = 'spo2' and in_30d then value end) as spo2_min_30d
        , avg(case when measure = 'spo2' and in_30d then value end) as spo2_mean_30d
        , avg(case when measure = 'glucose' and in_30d then value end) as glucose_mean_30d
        , max(case when measure = 'glucose' and in_30d then value end) as glucose_max_30d
        , min(case when measure = 'glucose' and in_30d then value end) as glucose_min_30d
        , max(case when measure = 'systolic_bp' and in_7d then value end) as sbp_max_7d
        , max(case when measure = 'diastolic_bp' and in_7d then value end) as dbp_max_7d
        , min(case when measure = 'systolic_bp' and in_7d then value end) as sbp_min_7d
        , min(case when measure = 'spo2' and in_7d then value end) as spo2_min_7d
        , min(case when measure = 'glucose' and in_7d then value end) as glucose_min_7d
        , min(case when measure = 'glucose' and in_3d then value end) as glucose_min_3d
        , count(case when measure = 'glucose' and in_3d then 1 end) as glucose_readings_3d
        , count(distinct case when measure = 'body_weight' and in_30d then reading_date end) as weight_days_30d
        , count(distinct case when measure = 'glucose' and in_30d then reading_date end) as glucose_days_30d
        , max(case when measure = 'systolic_bp' and recency_rank = 1 and in_3d then value end) as sbp_latest_3d
        , max(case when measure = 'body_weight' and recency_rank = 1 and in_3d then value end) as weight_latest_3d
        , avg(case when measure = 'spo2' and in_baseline then value end) as spo2_mean_baseline
    from measured_ranked
    group by person_id
)

/* blood-pressure readings: systolic and diastolic paired by person and instant */
, bp_readings as (
    select
          m.person_id
        , m.reading_date
        , m.in_30d
        , cast(date_diff('day', w.window_30d_start, m.reading_date) as double) as days_from_30d_start
        , avg(case when m.measure = 'systolic_bp' then m.value end) as sbp
        , avg(case when m.measure = 'diastolic_bp' then m.value end) as dbp
    from measured as m
    cross join windows as w
    where m.measure in ('systolic_bp', 'diastolic_bp')
    group by m.person_id, m.observed_at, m.reading_date, m.in_30d, w.window_30d_start
)

/* blood-pressure level, control and trend */
, bp_summary as (
    select
          person_id
        , count(distinct case when in_30d then reading_date end) as bp_days_30d
        , avg(case when in_30d then sbp end) as sbp_mean_30d
        , avg(case when in_30d then dbp end) as dbp_mean_30d
        , avg(sbp) as sbp_mean_90d
        , avg(dbp) as dbp_mean_90d
        , avg(case when in_30d then (case when sbp >= 140 or dbp >= 90 then 1 else 0 end) end)
            as bp_uncontrolled_share_30d
        , case
            when count(distinct case when in_30d and sbp is not null then reading_date end) >= 2
            then regr_slope(case when in_30d then sbp end, case when in_30d then days_from_30d_start end)
          end as sbp_slope_30d
    from bp_readings
    group by person_id
)

/* baseline readings ordered by value, with their count, per person and measure */
, baseline_ranked as (
    select
          person_id
        , measure
        , value
        , row_number() over (partition by person_id, measure order by value) as value_rank
        , count(*) over (partition by person_id, measure) as readings
    from measured
    where in_baseline
      and measure in ('systolic_bp', 'body_weight', 'glucose')
)

/* medians: the middle reading, or the mean of the two middle ones (integer division picks them) */
, baselines as (
    select
          person_id
        , avg(case when measure = 'systolic_bp' then value end) as sbp_median_30d
        , avg(case when measure = 'body_weight' then value end) as weight_median_30d
        , avg(case when measure = 'glucose' then value end) as glucose_median_30d
    from baseline_ranked
    where value_rank in ((readings + 1) / 2, (readings + 2) / 2)
    group by person_id
)

/* weight and glucose readings of the 30-day window, with their day number in it */
, trend_points as (
    select
          m.person_id
        , m.measure
        , m.reading_date
        , m.value
        , cast(date_diff('day', w.window_30d_start, m.reading_date) as double) as day_index
    from measured as m
    cross join windows as w
    where m.in_30d
      and m.measure in ('body_weight', 'glucose')
)

/* least-squares slope per person and measure, where the readings fall on at least 2 days */
, trend_slopes as (
    select
          person_id
        , measure
        , regr_slope(value, day_index) as slope_per_day
    from trend_points
    group by person_id, measure
    having count(distinct reading_date) >= 2
)

, trends as (
    select
          person_id
        , max(case when measure = 'body_weight' then slope_per_day end) as weight_slope_30d
        , max(case when measure = 'glucose' then slope_per_day end) as glucose_slope_30d
    from trend_slopes
    group by person_id
)

/* body weights in the 7-day window, ranked from both ends */
, weights_7d as (
    select
          m.person_id
        , m.observed_at
        , m.value
        , row_number() over (partition by m.person_id order by m.observed_at desc, m.value desc) as newest_rank
        , row_number() over (partition by m.person_id order by m.observed_at asc, m.value asc) as oldest_rank
    from measured as m
    cross join windows as w
    where m.measure = 'body_weight'
      and m.reading_date >= w.window_7d_start
)

, weight_change as (
    select
          person_id
        , case
            when count(*) >= 2
            then max(case when newest_rank = 1 then value end) - max(case when oldest_rank = 1 then value end)
          end as weight_change_7d
    from weights_7d
    group by person_id
)

/* the largest rise between two weights at most 24 hours apart */
, weight_rises as (
    select
          later.person_id
        , max(later.value - earlier.value) as weight_gain_24h_max
    from weights_7d as later
    inner join weights_7d as earlier
        on later.person_id = earlier.person_id
       and earlier.observed_at < later.observed_at
       and later.observed_at <= earlier.observed_at + interval '1' day
    group by later.person_id
)

select
      a.person_id
    , a.days_since_last_reading
    , a.reading_days_30d
    , a.reading_days_90d
    , coalesce(b.bp_days_30d, 0) as bp_days_30d
    , b.sbp_mean_30d
    , b.dbp_mean_30d
    , b.sbp_mean_90d
    , b.dbp_mean_90d
    , s.sbp_latest
    , s.dbp_latest
    , b.bp_uncontrolled_share_30d
    , b.sbp_slope_30d
    , s.weight_latest
    , c.weight_change_7d
    , s.spo2_min_30d
    , s.spo2_mean_30d
    , s.glucose_mean_30d
    , s.glucose_max_30d
    , s.glucose_min_30d
    , s.sbp_max_7d
    , s.dbp_max_7d
    , s.sbp_min_7d
    , bl.sbp_median_30d
    , bl.weight_median_30d
    , bl.glucose_median_30d
    , r.weight_gain_24h_max
    , s.spo2_min_7d
    , s.glucose_min_7d
    , s.glucose_min_3d
    , coalesce(s.glucose_readings_3d, 0) as glucose_readings_3d
    , t.weight_slope_30d
    , t.glucose_slope_30d
    , coalesce(s.weight_days_30d, 0) as weight_days_30d
    , coalesce(s.glucose_days_30d, 0) as glucose_days_30d
    , s.sbp_latest_3d
    , s.weight_latest_3d
    , s.spo2_mean_baseline
from reading_activity as a
left join bp_summary as b
    on a.person_id = b.person_id
left join measure_summary as s
    on a.person_id = s.person_id
left join weight_change as c
    on a.person_id = c.person_id
left join baselines as bl
    on a.person_id = bl.person_id
left join weight_rises as r
    on a.person_id = r.person_id
left join trends as t
    on a.person_id = t.person_id
