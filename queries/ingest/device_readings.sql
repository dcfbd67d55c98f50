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
checked as (
  select
    v.*,
    v.value * u.factor as canonical,
    m.canonical_unit,
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
    end as value_reason_value
  from device_values v
  left join measures m on m.loinc_code = v.loinc_code
  left join measure_units u on u.loinc_code = v.loinc_code and u.unit_lower = lower(v.unit)
),
record_checked as (
  select
    c.*,
    case
      when c.early_field is not null then c.early_field
      when c.skip_reason is not null and c.skip_before_time then null
      when c.observed_at > p.ingested_at + interval '1' day then c.time_field
      when c.late_field is not null then c.late_field
    end as record_field,
    case
      when c.early_field is not null then c.early_reason
      when c.skip_reason is not null and c.skip_before_time then null
      when c.observed_at > p.ingested_at + interval '1' day then 'time in the future (device clock fault?)'
      when c.late_field is not null then c.late_reason
    end as record_reason,
    case
      when c.early_field is not null then c.early_value
      when c.observed_at > p.ingested_at + interval '1' day then c.time_raw
      else c.late_value
    end as record_value,
    case when c.early_field is not null and c.early_value_is_json then 'json' end as record_value_type
  from checked c
  cross join params p
),
value_failures as (
  -- the values that fail a rule of their own: few, so the record-level decisions below join them, not windows
  select source_record, value_index, value_reason as reason, value_reason_field as field, value_reason_value as value,
    case when value_reason = 'implausible value' then 'number' end as value_type
  from record_checked
  where value_reason is not null and record_reason is null and skip_reason is null
),
mapped as (
  -- whether the record passes every rule of the reader but the pounds check: its weights are the person's history
  select r.*, r.record_reason is null and r.skip_reason is null and f.source_record is null as mapped_ok
  from record_checked r
  left join (select distinct source_record from value_failures) f on f.source_record = r.source_record
),
weights as (
  select source_record, value_index, value_field, person_id, canonical as kg, lower(unit) = 'kg' as labelled_kg, mapped_ok
  from mapped
  where loinc_code = '29463-7' and value_reason is null and record_reason is null and skip_reason is null
),
-- pass 1: the history is every weight of a record that passes the other rules
history_1 as (
  select person_id, row_number() over (partition by person_id order by source_record, value_index) as seq,
    array_agg(kg) over (partition by person_id order by source_record, value_index rows between 4 preceding and current row) as last5
  from weights
  where mapped_ok
),
flagged_1 as (
  select w.source_record, w.value_index,
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
-- pass 2: a weight taken for pounds is not remembered (lib/ingest/pounds-as-kg.ts keeps accepted weights only)
weights_2 as (
  select w.*, w.mapped_ok and coalesce(max(case when f.pounds then 1 else 0 end) over (partition by w.source_record), 0) = 0 as remembered
  from weights w
  join flagged_1 f on f.source_record = w.source_record and f.value_index = w.value_index
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
decided as (
  select
    f.*,
    ff.failure,
    ff.failure_field,
    ff.failure_value,
    ff.failure_type,
    case
      when f.record_reason is not null or f.skip_reason is not null or ff.failure is not null then null
      when f.observed_at < timestamp '1900-01-01 00:00:00' then 'before 1900-01-01'
      when f.observed_at >= cast(date_add('day', 2, p.delivery_day) as timestamp)
        then 'after the delivery day ' || cast(p.delivery_day as varchar) || ' (+1 day)'
    end as range_reason,
    p.source_file
  from record_checked f
  left join first_failure ff on ff.source_record = f.source_record
  cross join params p
),
outcomes as (
  select
    d.*,
    coalesce(d.record_field, case when d.skip_reason is null then d.failure_field end, case when d.range_reason is not null then 'observed_at' end) as reject_field,
    coalesce(d.record_reason, case when d.skip_reason is null then d.failure end, d.range_reason) as reject_reason,
    case
      when d.record_reason is not null then d.record_value
      when d.skip_reason is null and d.failure is not null then d.failure_value
      -- the time as ISO text, made for the few records out of range only (date_format costs every row ~0.3 µs)
      when d.range_reason is not null then date_format(d.observed_at, '%Y-%m-%dT%H:%i:%s') || '.'
        || lpad(cast(date_diff('millisecond', date_trunc('second', d.observed_at), d.observed_at) as varchar), 3, '0') || 'Z'
    end as reject_value,
    case
      when d.record_reason is not null then d.record_value_type
      when d.skip_reason is null and d.failure is not null then d.failure_type
    end as reject_value_type
  from decided d
)
select
  source_record, person_id, observed_at, loinc_code, canonical as value, canonical_unit as unit, device_id, 'device' as source,
  source_file, reject_field, reject_reason, reject_value, reject_value_type, cast(null as varchar) as raw_record,
  cast(null as varchar) as skip_reason
from outcomes
where reject_reason is null and skip_reason is null
union all
-- a rejected or skipped record once, whatever number of values it had (the runner adds a rejected one's raw text)
select distinct
  source_record, cast(null as varchar), cast(null as timestamp), cast(null as varchar), cast(null as double), cast(null as varchar),
  cast(null as varchar), 'device', source_file, reject_field, reject_reason, reject_value, reject_value_type,
  cast(null as varchar), case when reject_reason is null then skip_reason end
from outcomes
where reject_reason is not null or skip_reason is not null
