-- as_of_windows: the as-of date and every time window the feature models use, defined once here.
--
-- grain:   one row
-- inputs:  the as-of date, bound to the one placeholder of the composed features query
-- columns:
--   as_of_date         the date the features describe; history up to and including it, nothing after
--   window_7d_start    first day of the 7 days ending on the as-of date (as-of - 6)
--   window_30d_start   first day of the 30 days ending on the as-of date (as-of - 29)
--   window_90d_start   first day of the 90 days ending on the as-of date (as-of - 89)
--   window_365d_start  first day of the 365 days ending on the as-of date (as-of - 364)
-- Every window is a closed range of DATEs [window_start, as_of_date]; instants are compared by their UTC date.

with

params as (
    select cast(? as date) as as_of_date
)

select
      as_of_date
    , date_add('day', -6, as_of_date) as window_7d_start
    , date_add('day', -29, as_of_date) as window_30d_start
    , date_add('day', -89, as_of_date) as window_90d_start
    , date_add('day', -364, as_of_date) as window_365d_start
from params
