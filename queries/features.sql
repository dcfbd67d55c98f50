-- features: the per-member feature row the scoring stage reads (lib/tables/outputs.ts `features`).
--
-- grain:   one row per person enrolled on the as-of date (member_roster)
-- inputs:  member_roster, diagnosis_summary, chronic_conditions, utilization, monitoring, labs
-- columns: exactly those of the `features` table, in its order and with its types; windows and rules are
--          documented in the model each column comes from. Members without claims or readings get false / 0
--          for flags and counts, '' for code lists, and null for the measurements they never took and the stays
--          they never had.

select
      r.person_id
    , r.as_of_date
    , cast(r.age as integer) as age
    , r.sex
    , coalesce(c.has_diabetes, false) as has_diabetes
    , coalesce(c.has_hypertension, false) as has_hypertension
    , coalesce(c.has_copd, false) as has_copd
    , coalesce(c.has_heart_failure, false) as has_heart_failure
    , coalesce(c.has_ckd, false) as has_ckd
    , cast(coalesce(u.ip_admissions_12m, 0) as integer) as ip_admissions_12m
    , cast(coalesce(u.ed_visits_12m, 0) as integer) as ed_visits_12m
    , cast(coalesce(u.ed_visits_90d, 0) as integer) as ed_visits_90d
    , cast(coalesce(u.readmissions_30d_12m, 0) as integer) as readmissions_30d_12m
    , cast(coalesce(u.total_paid_12m, 0) as double) as total_paid_12m
    , cast(coalesce(m.reading_days_30d, 0) as integer) as reading_days_30d
    , cast(coalesce(m.reading_days_90d, 0) as integer) as reading_days_90d
    , cast(m.days_since_last_reading as integer) as days_since_last_reading
    , cast(coalesce(m.bp_days_30d, 0) as integer) as bp_days_30d
    , m.sbp_mean_30d
    , m.dbp_mean_30d
    , m.sbp_mean_90d
    , m.dbp_mean_90d
    , m.sbp_latest
    , m.dbp_latest
    , m.bp_uncontrolled_share_30d
    , m.sbp_slope_30d
    , m.weight_latest
    , m.weight_change_7d
    , m.spo2_min_30d
    , m.spo2_mean_30d
    , m.glucose_mean_30d
    , m.glucose_max_30d
    , m.glucose_min_30d
    , r.dual_status_code
    , r.institutional
    , r.hospice
    , coalesce(x.esrd, false) as esrd
    , cast(r.enrolled_months_12m as integer) as enrolled_months_12m
    , coalesce(x.dx_codes_12m, '') as dx_codes_12m
    , coalesce(c.chronic_conditions, '') as chronic_conditions
    , cast(coalesce(c.chronic_condition_count, 0) as integer) as chronic_condition_count
    , u.last_admission_date
    , u.last_discharge_date
    , cast(u.last_stay_los_days as integer) as last_stay_los_days
    , u.last_admission_emergent
    , cast(u.days_since_discharge as integer) as days_since_discharge
    , cast(coalesce(u.ed_visits_180d, 0) as integer) as ed_visits_180d
    , m.sbp_max_7d
    , m.dbp_max_7d
    , m.sbp_min_7d
    , m.sbp_median_30d
    , m.weight_median_30d
    , m.glucose_median_30d
    , m.weight_gain_24h_max
    , m.spo2_min_7d
    , m.glucose_min_7d
    , m.glucose_min_3d
    , cast(coalesce(m.glucose_readings_3d, 0) as integer) as glucose_readings_3d
    , m.weight_slope_30d
    , m.glucose_slope_30d
    , l.hba1c_latest
    , cast(l.days_since_hba1c as integer) as days_since_hba1c
    , cast(coalesce(m.weight_days_30d, 0) as integer) as weight_days_30d
    , cast(coalesce(m.glucose_days_30d, 0) as integer) as glucose_days_30d
    , m.sbp_latest_3d
    , m.weight_latest_3d
    , m.spo2_mean_baseline
    , cast(u.ed_visits_6m_before_admission as integer) as ed_visits_6m_before_admission
    , coalesce(x.dx_codes_set_aside_12m, '') as dx_codes_set_aside_12m
    , coalesce(x.dx_set_aside_from, '') as dx_set_aside_from
    , u.last_discharge_disposition
    , u.community_discharge_date
    , cast(u.days_since_community_discharge as integer) as days_since_community_discharge
from member_roster as r
left join diagnosis_summary as x
    on r.person_id = x.person_id
left join chronic_conditions as c
    on r.person_id = c.person_id
left join utilization as u
    on r.person_id = u.person_id
left join monitoring as m
    on r.person_id = m.person_id
left join labs as l
    on r.person_id = l.person_id
