-- The rules every device format shares, after the format's own SQL has read its records into device_values
-- (ingest/device_ndjson.sql, or the vendor CSV select lib/ingest/sql/vendor-csv.ts generates from a --map mapping).
-- Grain: one row per observation of an accepted record, or one row per rejected or skipped record.
-- Inputs: device_values (one row per value of a record, or one row for a record without values: see
-- device_ndjson.sql), measures (loinc_code, canonical_unit, min_value, max_value) and measure_units (loinc_code,
-- unit_lower, factor) from lib/ingest/units.ts; ingest_params (source_file; ingested_at, the instant of ingest, UTC;
-- delivery_day, its day).
-- Columns: source_record; the observations row (person_id … source_file) of an accepted value; reject_field,
-- reject_reason, reject_value, reject_value_type ('number', or 'json' for a JSON value of a device NDJSON line;
-- NULL for text) of a rejected record, and raw_record, NULL, for the runner to fill; skip_reason of a skipped one.
-- Order of the rules (the first failing one wins, as the TypeScript readers had it): the format's early rules; a
-- skip decided before the time (vendor CSV); the 24 h clock fault; the format's late rules; a skip; then per value in
-- order: its own format rule, missing unit, unit not convertible, implausible value, a kg weight about 2.2046 times
-- the person's recent median (pounds labelled kg); then the plausibility range of observed_at.
with
params as (
  select source_file, cast(ingested_at as timestamp) as ingested_at, cast(delivery_day as date) as delivery_day from ingest_params
),
record_checked as (
  -- each value's own rules and its record's, in one projection
  select
    v.source_record,
    v.value_index,
    v.person_id,
    v.observed_at,
    v.loinc_code,
    v.device_id,
    v.value_field,
    v.unit,
    v.skip_reason,
    v.value * u.factor as canonical,
    m.canonical_unit,
    p.delivery_day,
    case
      when v.value_index is null then null
      when v.value_reject_reason is not null then v.value_reject_reason
      when v.unit is null then 'missing unit'
      when u.factor is null then 'unit not convertible to ' || m.canonical_unit
      when v.value * u.factor < m.min_value or v.value * u.factor > m.max_value then 'implausible value'
    end as value_reason,
    case
      when v.value_index is null then null
      when v.value_reject_reason is not null then v.value_field
      when v.unit is null or u.factor is null then v.unit_field
      else v.value_field
    end as value_reason_field,
    case
      when v.value_reject_reason is not null then v.value_reject_value
      when v.unit is null then null
      when u.factor is null then v.unit
      else cast(v.value as varchar)
    end as value_reason_value,
    case
      when v.early_field is not null then v.early_field
      when v.skip_reason is not null and v.skip_before_time then null
      when v.observed_at > p.ingested_at + interval '1' day then v.time_field
      when v.late_field is not null then v.late_field
    end as record_field,
    case
      when v.early_field is not null then v.early_reason
      when v.skip_reason is not null and v.skip_before_time then null
      when v.observed_at > p.ingested_at + interval '1' day then 'time in the future (device clock fault?)'
      when v.late_field is not null then v.late_reason
    end as record_reason,
    case
      when v.early_field is not null then v.early_value
      when v.observed_at > p.ingested_at + interval '1' day then v.time_raw
      else v.late_value
    end as record_value,
    case when v.early_field is not null and v.early_value_is_json then 'json' end as record_value_type
  from device_values v
  left join measures m on m.loinc_code = v.loinc_code
  left join measure_units u on u.loinc_code = v.loinc_code and u.unit_lower = lower(v.unit)
  cross join params p
),
checked as (
  -- one row per value, narrow, for the two reads below (the few rows that fail, and the output): the observation, and
  -- the first rule the row fails of its own, as [outcome, field, reason, value, value type]. The outcome is the
  -- record's (rejected or skipped: its rows all fail alike), the value's, or the plausibility range of the time,
  -- which counts only when no value of the record fails (pounds labelled kg included)
  select
    source_record, value_index, person_id, observed_at, loinc_code, canonical, canonical_unit, device_id,
    -- what the pounds check reads of a weight
    case when loinc_code = '29463-7' then value_field end as weight_field,
    lower(unit) = 'kg' as labelled_kg,
    case
      when record_reason is not null then array['rejected', record_field, record_reason, record_value, record_value_type]
      when skip_reason is not null then array['skipped', null, skip_reason, null, null]
      when value_reason is not null then
        array['value', value_reason_field, value_reason, value_reason_value, case when value_reason = 'implausible value' then 'number' end]
      when observed_at < timestamp '1900-01-01 00:00:00' then array['range', 'observed_at', 'before 1900-01-01', null, null]
      when observed_at >= cast(date_add('day', 2, delivery_day) as timestamp)
        then array['range', 'observed_at', 'after the delivery day ' || cast(delivery_day as varchar) || ' (+1 day)', null, null]
    end as issue
  from record_checked
),
issues as (
  -- the rows that fail a rule of their own, and the weights (few of either)
  select
    source_record, value_index, person_id, observed_at, loinc_code, canonical, weight_field, labelled_kg,
    element_at(issue, 1) as outcome, element_at(issue, 2) as field, element_at(issue, 3) as reason,
    element_at(issue, 4) as value, element_at(issue, 5) as value_type
  from checked
  where issue is not null or loinc_code = '29463-7'
),
value_failures as (
  select source_record, value_index, reason, field, value, value_type
  from issues
  where outcome = 'value'
),
weights as (
  -- a weight whose record passes every rule of the reader but the pounds check (mapped_ok) is the person's history
  select w.source_record, w.value_index, w.weight_field as value_field, w.person_id, w.canonical as kg, w.labelled_kg, f.source_record is null as mapped_ok
  from issues w
  left join (select distinct source_record from value_failures) f on f.source_record = w.source_record
  where w.loinc_code = '29463-7' and (w.outcome is null or w.outcome = 'range')
),
-- pass 1: the history is every weight of a record that passes the other rules
history_1 as (
  select person_id, row_number() over (partition by person_id order by source_record, value_index) as seq,
    array_agg(kg) over (partition by person_id order by source_record, value_index rows between 4 preceding and current row) as last5
  from weights
  where mapped_ok
),
flagged_1 as (
  select w.source_record, w.value_index, w.person_id,
    w.labelled_kg and h.last5 is not null and abs(w.kg / (
      case when cardinality(h.last5) % 2 = 1 then element_at(array_sort(h.last5), (cardinality(h.last5) + 1) / 2)
      else (element_at(array_sort(h.last5), cardinality(h.last5) / 2) + element_at(array_sort(h.last5), cardinality(h.last5) / 2 + 1)) / 2 end
    ) * 0.45359237 - 1) <= 0.05 as pounds
  from (
    select w.*, sum(case when mapped_ok then 1 else 0 end) over (partition by person_id order by source_record range between unbounded preceding and 1 preceding) as before
    from weights w
  ) w
  left join history_1 h on h.person_id = w.person_id and h.seq = w.before
),
-- pass 2: a weight taken for pounds is not remembered (lib/ingest/pounds-as-kg.ts keeps accepted weights only). Only
-- the persons with a weight taken for pounds in pass 1 are read again: another's history is the same in both passes
weights_2 as (
  select w.*, w.mapped_ok and coalesce(max(case when f.pounds then 1 else 0 end) over (partition by w.source_record), 0) = 0 as remembered
  from weights w
  join flagged_1 f on f.source_record = w.source_record and f.value_index = w.value_index
  where w.person_id in (select person_id from flagged_1 where pounds)
),
history_2 as (
  select person_id, row_number() over (partition by person_id order by source_record, value_index) as seq,
    array_agg(kg) over (partition by person_id order by source_record, value_index rows between 4 preceding and current row) as last5
  from weights_2
  where remembered
),
pounds as (
  select w.source_record, w.value_index, w.value_field, w.kg,
    w.labelled_kg and h.last5 is not null and abs(w.kg / (
      case when cardinality(h.last5) % 2 = 1 then element_at(array_sort(h.last5), (cardinality(h.last5) + 1) / 2)
      else (element_at(array_sort(h.last5), cardinality(h.last5) / 2) + element_at(array_sort(h.last5), cardinality(h.last5) / 2 + 1)) / 2 end
    ) * 0.45359237 - 1) <= 0.05 as pounds
  from (
    select w.*, sum(case when remembered then 1 else 0 end) over (partition by person_id order by source_record range between unbounded preceding and 1 preceding) as before
    from weights_2 w
  ) w
  left join history_2 h on h.person_id = w.person_id and h.seq = w.before
),
failures as (
  select * from value_failures
  union all
  -- a weight labelled kg is its value as sent
  select source_record, value_index, 'weight looks like pounds labelled kg', value_field, cast(kg as varchar), 'number'
  from pounds
  where pounds
),
first_failure as (
  -- the record's first failing value, in the order of its values
  select f.source_record, f.reason as failure, f.field as failure_field, f.value as failure_value, f.value_type as failure_type
  from failures f
  join (select source_record, min(value_index) as value_index from failures group by source_record) m
    on m.source_record = f.source_record and m.value_index = f.value_index
),
decisions as (
  -- one row per rejected or skipped record: the record's own outcome, else its first failing value, else the range
  select distinct
    source_record, field as reject_field, case when outcome = 'rejected' then reason end as reject_reason, value as reject_value,
    value_type as reject_value_type, case when outcome = 'skipped' then reason end as skip_reason
  from issues
  where outcome in ('rejected', 'skipped')
  union all
  select source_record, failure_field, failure, failure_value, failure_type, cast(null as varchar)
  from first_failure
  union all
  -- the time as ISO text
  select distinct
    i.source_record, i.field, i.reason,
    date_format(i.observed_at, '%Y-%m-%dT%H:%i:%s') || '.'
      || lpad(cast(date_diff('millisecond', date_trunc('second', i.observed_at), i.observed_at) as varchar), 3, '0') || 'Z',
    cast(null as varchar), cast(null as varchar)
  from issues i
  where i.outcome = 'range' and not exists (select 1 from first_failure f where f.source_record = i.source_record)
)
select
  c.source_record, c.person_id, c.observed_at, c.loinc_code, c.canonical as value, c.canonical_unit as unit, c.device_id, 'device' as source,
  p.source_file, cast(null as varchar) as reject_field, cast(null as varchar) as reject_reason, cast(null as varchar) as reject_value,
  cast(null as varchar) as reject_value_type, cast(null as varchar) as raw_record, cast(null as varchar) as skip_reason
from checked c
cross join params p
where not exists (select 1 from decisions d where d.source_record = c.source_record)
union all
-- a rejected or skipped record once, whatever number of values it had (the runner adds a rejected one's raw text)
select
  d.source_record, cast(null as varchar), cast(null as timestamp), cast(null as varchar), cast(null as double), cast(null as varchar),
  cast(null as varchar), 'device', p.source_file, d.reject_field, d.reject_reason, d.reject_value, d.reject_value_type,
  cast(null as varchar), d.skip_reason
from decisions d
cross join params p
