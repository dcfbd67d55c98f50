-- as_of_windows: the as-of date and every time window the feature models use, defined once here.
--
-- grain:   one row
-- inputs:  the as-of date and the configured claim-amount convention, bound to the two placeholders of the
--          composed features (or outcomes) query: lib/pipeline/features.ts featureParams()
-- columns:
--   as_of_date         the date the features describe; history up to and including it, nothing after
--   claim_amounts      'detect' (each medical-claims file's convention as claim_conventions detects it), or
--                      'header' / 'line' to override it for every file (configuration `claims.amounts`)
--   window_3d_start    first day of the 3 days ending on the as-of date (as-of - 2)
--   window_7d_start    first day of the 7 days ending on the as-of date (as-of - 6)
--   window_30d_start   first day of the 30 days ending on the as-of date (as-of - 29)
--   window_90d_start   first day of the 90 days ending on the as-of date (as-of - 89)
--   window_180d_start  first day of the 180 days ending on the as-of date (as-of - 179)
--   window_365d_start  first day of the 365 days ending on the as-of date (as-of - 364)
--   months_12_start    first day of the calendar month 11 months before the as-of date's month: the 12 calendar
--                      months of member months are months_12_start .. the as-of date's month
--   follow_up_end      last day of the 180 days after the as-of date (as-of + 180), for outcomes
-- Every window is a closed range of DATEs [window_start, as_of_date]; instants are compared by their UTC date.

with

params as (
    select cast(? as date) as as_of_date, cast(? as varchar) as claim_amounts
)

select
      as_of_date
    , claim_amounts
    , date_add('day', -2, as_of_date) as window_3d_start
    , date_add('day', -6, as_of_date) as window_7d_start
    , date_add('day', -29, as_of_date) as window_30d_start
    , date_add('day', -89, as_of_date) as window_90d_start
    , date_add('day', -179, as_of_date) as window_180d_start
    , date_add('day', -364, as_of_date) as window_365d_start
    , date_add('month', -11, date_add('day', 1 - day(as_of_date), as_of_date)) as months_12_start
    , date_add('day', 180, as_of_date) as follow_up_end
from params
