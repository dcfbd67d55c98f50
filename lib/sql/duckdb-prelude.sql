-- Makes DuckDB read the Trino-dialect text of queries/ the way Athena (engine v3) reads it.
-- Loaded once per DuckDB connection, before any query. See ../../DESIGN notes in README "SQL on two engines".
SET integer_division = true;
SET TimeZone = 'UTC';
CREATE OR REPLACE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern);
CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p);
CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE);
-- Trino: date_add(unit, value, date) keeps the DATE type; DuckDB's date + interval would give a TIMESTAMP
CREATE OR REPLACE MACRO date_add(unit, n, d) AS
  CASE lower(unit)
    WHEN 'day' THEN CAST(d AS DATE) + CAST(n AS INTEGER)
    WHEN 'week' THEN CAST(d AS DATE) + 7 * CAST(n AS INTEGER)
    WHEN 'month' THEN CAST(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE)
    WHEN 'year' THEN CAST(CAST(d AS DATE) + to_years(CAST(n AS INTEGER)) AS DATE)
  END;
-- Trino: array_join(array, delimiter); DuckDB names it array_to_string
CREATE OR REPLACE MACRO array_join(a, sep) AS array_to_string(a, sep);
-- Trino functions analysts reach for, with Trino's meaning (README "The same SQL on both engines" lists what differs).
-- cardinality and element_at: DuckDB's own work on MAPs only; Trino's on arrays (split(...) gives one)
CREATE OR REPLACE MACRO cardinality(a) AS len(a);
CREATE OR REPLACE MACRO element_at(a, i) AS list_extract(a, i);
-- Trino counts whole units elapsed (23:00 to 01:00 the next day is 0 days); DuckDB's date_diff counts boundaries
CREATE OR REPLACE MACRO date_diff(unit, a, b) AS date_sub(unit, a, b);
-- Trino's date_format takes MySQL's specifiers (%i minutes, %s seconds, %M month name, %W weekday name, %T, %r, %e, %c)
CREATE OR REPLACE MACRO date_format(ts, fmt) AS strftime(ts,
  replace(replace(replace(replace(replace(replace(replace(replace(replace(fmt,
    '%M', '%B'), '%i', '%M'), '%s', '%S'), '%W', '%A'), '%T', '%H:%M:%S'), '%r', '%I:%M:%S %p'), '%e', '%-d'), '%c', '%-m'), '%h', '%I'));
-- an ISO 8601 instant with its offset, as a TIMESTAMP WITH TIME ZONE (shown in UTC, the session's zone)
CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ);
-- Trino's JSON functions the ingest queries use (queries/ingest/): json_parse fails on text that is not JSON (wrap it
-- in try), json_format gives a JSON value's text, json_extract_scalar gives a scalar's text (null for an object or array)
CREATE OR REPLACE MACRO json_parse(s) AS json(s);
CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR);
CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END;
-- Trino: sequence(start, stop) is the array of the integers start..stop
CREATE OR REPLACE MACRO sequence(a, b) AS generate_series(CAST(a AS BIGINT), CAST(b AS BIGINT));
-- Trino: with_timezone(timestamp, zone) reads a wall-clock time in the zone (ICU here), at_timezone(instant, zone)
-- gives the instant in the zone, whose cast to timestamp is the zone's wall-clock time (DuckDB gives that at once)
CREATE OR REPLACE MACRO with_timezone(ts, zone) AS timezone(zone, ts);
CREATE OR REPLACE MACRO at_timezone(tstz, zone) AS timezone(zone, tstz);
