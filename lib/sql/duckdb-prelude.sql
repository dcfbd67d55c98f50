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
