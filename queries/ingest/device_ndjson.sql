-- Device NDJSON → device_values, the rows ingest/device_readings.sql checks and stores (lib/ingest/sql/devices.ts
-- composes the two). Grain: one row per monitored value of a record (a blood-pressure panel gives its systolic and
-- diastolic), or one row for a record rejected or skipped before its values (value_index null).
-- Input raw_records: source_record, raw_record (the line), and per field of the reading the field's JSON text
-- (person_id, device_id, measured_at, code, value, unit, components; null when absent, JSON null, or the line is not
-- an object); members (person_id: the persons known, a row per span on Athena, so taken distinct here; empty when
-- nobody is, and the check is then off).
-- Rules, in today's order (the first failing one wins): not valid JSON; the shape of a device reading (the messages
-- of lib/ingest/device-format.ts's schema); person id trimmed, not empty; a known person; measured_at ISO 8601 with
-- an offset; then ingest/device_readings.sql: the 24 h clock fault, `missing value`, skip when no monitored value,
-- units, ranges, pounds labelled kg, plausibility.
-- Two paths (checked_lines): a well-formed line, which passes every rule above, is read in a few expressions
-- (well_formed_records, well_formed_values); every other line goes through the rules (lines … record_values). The
-- local runner turns DuckDB's CTE filter pusher off for this query (lib/ingest/sql/run-file.ts).
with
person_check as (
  select count(*) > 0 as checked from members
),
known_persons as (
  select distinct person_id from members
),
persons as (
  select
    r.*,
    -- a JSON string's text: without a backslash it is what lies between the quotes (parsing it costs more)
    trim(case when strpos(person_id, '\') = 0 then substr(person_id, 2, length(person_id) - 2) else json_extract_scalar(person_id, '$') end) as person_text,
    -- a panel's components split at their quotes: its codes are then the 4th and 14th parts (the fast path's shape)
    case when components is not null then split(components, '"') end as parts
  from raw_records r
),
known as (
  select
    p.*,
    not pc.checked or k.person_id is not null as person_known,
    -- the codes of the fast path's values that are monitored measures
    m0.loinc_code as first_monitored,
    m1.loinc_code as second_monitored
  from persons p
  cross join person_check pc
  left join known_persons k on k.person_id = p.person_text
  left join measures m0 on m0.loinc_code = case when p.components is null then substr(p.code, 2, length(p.code) - 2) else element_at(p.parts, 4) end
  left join measures m1 on m1.loinc_code = element_at(p.parts, 14)
),
checked_lines as (
  -- the fast path: a line is well formed when its reading is, plainly written, of a known person, at a time of the
  -- one common shape (seconds, no fraction), and every value is of a monitored measure: one number and its unit, or
  -- a two-component panel. Such a line passes every rule of this query; any other line goes through them all.
  select
    p.*,
    coalesce(
      strpos(raw_record, 'null') = 0
      and substr(person_id, 1, 1) = '"' and person_text <> '' and person_known
      and substr(device_id, 1, 1) = '"' and length(device_id) > 2 and strpos(device_id, '\') = 0
      and regexp_like(measured_at, '^"\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(Z|[+-]([01]\d|2[0-3]):[0-5]\d)"$')
      and try_cast(substr(measured_at, 2, 10) as date) is not null
      and substr(code, 1, 1) = '"' and length(code) > 2 and strpos(code, '\') = 0
      and first_monitored is not null
      and (
        components is null and regexp_like(value, '^-?\d') and regexp_like(unit, '^"[^"\\]+"$')
        or value is null and unit is null and second_monitored is not null
          and regexp_like(components, '^\[\{"code":"[^"\\{}]+","value":-?\d+(\.\d+)?,"unit":"[^"\\{}]+"\},\{"code":"[^"\\{}]+","value":-?\d+(\.\d+)?,"unit":"[^"\\{}]+"\}\]$')
      ),
      false
    ) as well_formed
  from known p
),
routed as (
  -- each line once, for either path: read twice, so without the columns only one path needs (the full text of a
  -- well-formed line, a panel's parts)
  select
    source_record, well_formed, person_text, person_known,
    case when not well_formed then raw_record end as raw_record,
    person_id, device_id, measured_at, code, value, unit, components
  from checked_lines
),
lines as (
  select
    r.*,
    coalesce(person_id, device_id, measured_at, code, value, unit, components) is null as no_field
  from routed r
  where not well_formed
),
documents as (
  select
    l.*,
    -- a line with none of the fields may be invalid JSON, or JSON that is not an object (parsed only then)
    case when no_field then try(json_parse(raw_record)) end as doc
  from lines l
),
checked_json as (
  select d.*, not no_field or doc is not null as is_json
  from documents d
),
typed as (
  select
    d.*,
    case when no_field and doc is not null and substr(json_format(doc), 1, 1) <> '{' then
      case when json_format(doc) is null then null when substr(json_format(doc), 1, 1) = '"' then 'string' when substr(json_format(doc), 1, 1) = '{' then 'object' when substr(json_format(doc), 1, 1) = '[' then 'array' when substr(json_format(doc), 1, 1) in ('t', 'f') then 'boolean' when substr(json_format(doc), 1, 1) = 'n' then 'null' else 'number' end
    end as doc_kind,
    -- JSON kinds of the fields: null when absent; 'null' only for a field sent as JSON null
    case when person_id is null then null when substr(person_id, 1, 1) = '"' then 'string' when substr(person_id, 1, 1) = '{' then 'object' when substr(person_id, 1, 1) = '[' then 'array' when substr(person_id, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as person_kind,
    case when device_id is null then null when substr(device_id, 1, 1) = '"' then 'string' when substr(device_id, 1, 1) = '{' then 'object' when substr(device_id, 1, 1) = '[' then 'array' when substr(device_id, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as device_kind,
    case when measured_at is null then null when substr(measured_at, 1, 1) = '"' then 'string' when substr(measured_at, 1, 1) = '{' then 'object' when substr(measured_at, 1, 1) = '[' then 'array' when substr(measured_at, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as time_kind,
    case when code is null then null when substr(code, 1, 1) = '"' then 'string' when substr(code, 1, 1) = '{' then 'object' when substr(code, 1, 1) = '[' then 'array' when substr(code, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as code_kind,
    case when value is null then null when substr(value, 1, 1) = '"' then 'string' when substr(value, 1, 1) = '{' then 'object' when substr(value, 1, 1) = '[' then 'array' when substr(value, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as value_kind,
    case when unit is null then null when substr(unit, 1, 1) = '"' then 'string' when substr(unit, 1, 1) = '{' then 'object' when substr(unit, 1, 1) = '[' then 'array' when substr(unit, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as unit_kind,
    case when components is null then null when substr(components, 1, 1) = '"' then 'string' when substr(components, 1, 1) = '{' then 'object' when substr(components, 1, 1) = '[' then 'array' when substr(components, 1, 1) in ('t', 'f') then 'boolean' else 'number' end as components_kind
  from checked_json d
),
nulls as (
  -- a field sent as JSON null is 'received null', an absent one 'received undefined' (the line is parsed for it only
  -- when its key is in the text)
  select
    t.*,
    case when person_id is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"person_id"') > 0 then json_format(json_extract(raw_record, '$.person_id')) = 'null' else false end as person_null,
    case when device_id is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"device_id"') > 0 then json_format(json_extract(raw_record, '$.device_id')) = 'null' else false end as device_null,
    case when measured_at is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"measured_at"') > 0 then json_format(json_extract(raw_record, '$.measured_at')) = 'null' else false end as time_null,
    case when code is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"code"') > 0 then json_format(json_extract(raw_record, '$.code')) = 'null' else false end as code_null,
    case when value is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"value"') > 0 then json_format(json_extract(raw_record, '$.value')) = 'null' else false end as value_null,
    case when unit is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"unit"') > 0 then json_format(json_extract(raw_record, '$.unit')) = 'null' else false end as unit_null,
    case when components is null and is_json and strpos(raw_record, 'null') > 0 and strpos(raw_record, '"components"') > 0 then json_format(json_extract(raw_record, '$.components')) = 'null' else false end as components_null
  from typed t
),
elements as (
  -- the components of a reading, in order (a non-array `components` has none)
  select n.source_record, i as element_index, json_extract(n.components, '$[' || cast(i as varchar) || ']') as element
  from nulls n
  cross join unnest(sequence(0, json_array_length(n.components) - 1)) as s (i)
  where n.components_kind = 'array' and json_array_length(n.components) > 0
),
element_fields as (
  select
    source_record,
    element_index,
    json_format(element) as element_text,
    json_format(json_extract(element, '$.code')) as code_json,
    json_format(json_extract(element, '$.value')) as value_json,
    json_format(json_extract(element, '$.unit')) as unit_json
  from elements
),
element_checks as (
  select
    e.*,
    case when substr(element_text, 1, 1) = '{' then null else case when element_text is null then null when substr(element_text, 1, 1) = '"' then 'string' when substr(element_text, 1, 1) = '{' then 'object' when substr(element_text, 1, 1) = '[' then 'array' when substr(element_text, 1, 1) in ('t', 'f') then 'boolean' when substr(element_text, 1, 1) = 'n' then 'null' else 'number' end end as element_not_object,
    case when code_json is null then null when substr(code_json, 1, 1) = '"' then 'string' when substr(code_json, 1, 1) = '{' then 'object' when substr(code_json, 1, 1) = '[' then 'array' when substr(code_json, 1, 1) in ('t', 'f') then 'boolean' when substr(code_json, 1, 1) = 'n' then 'null' else 'number' end as code_kind,
    case when value_json is null then null when substr(value_json, 1, 1) = '"' then 'string' when substr(value_json, 1, 1) = '{' then 'object' when substr(value_json, 1, 1) = '[' then 'array' when substr(value_json, 1, 1) in ('t', 'f') then 'boolean' when substr(value_json, 1, 1) = 'n' then 'null' else 'number' end as value_kind,
    case when unit_json is null then null when substr(unit_json, 1, 1) = '"' then 'string' when substr(unit_json, 1, 1) = '{' then 'object' when substr(unit_json, 1, 1) = '[' then 'array' when substr(unit_json, 1, 1) in ('t', 'f') then 'boolean' when substr(unit_json, 1, 1) = 'n' then 'null' else 'number' end as unit_kind
  from element_fields e
),
element_issues as (
  -- zod's first issue in a component: the element itself, then code, value, unit
  select
    source_record,
    element_index,
    case
      when element_not_object is not null then 'components.' || cast(element_index as varchar)
      when code_kind is null or code_kind <> 'string' or code_json = '""' then 'components.' || cast(element_index as varchar) || '.code'
      when value_kind is null or value_kind <> 'number' then 'components.' || cast(element_index as varchar) || '.value'
      when unit_kind is null or unit_kind <> 'string' or unit_json = '""' then 'components.' || cast(element_index as varchar) || '.unit'
    end as issue_field,
    case
      when element_not_object is not null then 'Invalid input: expected object, received ' || element_not_object
      when code_kind is null then 'Invalid input: expected string, received undefined'
      when code_kind <> 'string' then 'Invalid input: expected string, received ' || code_kind
      when code_json = '""' then 'Too small: expected string to have >=1 characters'
      when value_kind is null then 'Invalid input: expected number, received undefined'
      when value_kind <> 'number' then 'Invalid input: expected number, received ' || value_kind
      when unit_kind is null then 'Invalid input: expected string, received undefined'
      when unit_kind <> 'string' then 'Invalid input: expected string, received ' || unit_kind
      when unit_json = '""' then 'Too small: expected string to have >=1 characters'
    end as issue_reason,
    case
      when element_not_object is not null then element_text
      when code_kind is null or code_kind <> 'string' or code_json = '""' then code_json
      when value_kind is null or value_kind <> 'number' then value_json
      else unit_json
    end as issue_value,
    code_json,
    value_json,
    value_kind,
    unit_json
  from element_checks
),
first_element_issue as (
  select source_record, min(element_index) as element_index
  from element_issues
  where issue_field is not null
  group by source_record
),
record_issues as (
  -- the first issue of the reading's shape, in the schema's field order
  select
    n.*,
    case
      when doc_kind is not null then ''
      when person_kind is null or person_kind <> 'string' or person_id = '""' then 'person_id'
      when device_null or device_kind <> 'string' or device_id = '""' then 'device_id'
      when time_kind is null or time_kind <> 'string' or measured_at = '""' then 'measured_at'
      when code_kind is null or code_kind <> 'string' or code = '""' then 'code'
      when value_null or value_kind <> 'number' then 'value'
      when unit_null or unit_kind <> 'string' or unit = '""' then 'unit'
      when components_null or components_kind <> 'array' then 'components'
    end as shape_field
  from nulls n
  where not no_field or doc is not null
),
shaped as (
  select
    r.*,
    case shape_field
      when '' then 'Invalid input: expected object, received ' || doc_kind
      when 'person_id' then case when person_kind = 'string' then 'Too small: expected string to have >=1 characters' else 'Invalid input: expected string, received ' || coalesce(person_kind, case when person_null then 'null' else 'undefined' end) end
      when 'device_id' then case when device_kind = 'string' then 'Too small: expected string to have >=1 characters' else 'Invalid input: expected string, received ' || coalesce(device_kind, 'null') end
      when 'measured_at' then case when time_kind = 'string' then 'Too small: expected string to have >=1 characters' else 'Invalid input: expected string, received ' || coalesce(time_kind, case when time_null then 'null' else 'undefined' end) end
      when 'code' then case when code_kind = 'string' then 'Too small: expected string to have >=1 characters' else 'Invalid input: expected string, received ' || coalesce(code_kind, case when code_null then 'null' else 'undefined' end) end
      when 'value' then 'Invalid input: expected number, received ' || coalesce(value_kind, 'null')
      when 'unit' then case when unit_kind = 'string' then 'Too small: expected string to have >=1 characters' else 'Invalid input: expected string, received ' || coalesce(unit_kind, 'null') end
      when 'components' then 'Invalid input: expected array, received ' || coalesce(components_kind, 'null')
    end as shape_reason,
    case shape_field
      when '' then json_format(doc)
      when 'person_id' then person_id
      when 'device_id' then device_id
      when 'measured_at' then measured_at
      when 'code' then code
      when 'value' then value
      when 'unit' then unit
      when 'components' then components
    end as shape_value,
    trim(case when strpos(measured_at, '\') = 0 then substr(measured_at, 2, length(measured_at) - 2) else json_extract_scalar(measured_at, '$') end) as time_text
  from record_issues r
),
with_element_issue as (
  select
    s.*,
    coalesce(s.shape_field, i.issue_field) as schema_field,
    coalesce(s.shape_reason, i.issue_reason) as schema_reason,
    case when s.shape_field is not null then s.shape_value else i.issue_value end as schema_value
  from shaped s
  left join first_element_issue f on f.source_record = s.source_record
  left join element_issues i on i.source_record = f.source_record and i.element_index = f.element_index
),
offset_lengths as (
  select w.*, case when upper(substr(time_text, length(time_text), 1)) = 'Z' then 1 when substr(time_text, length(time_text) - 2, 1) = ':' then 6 else 5 end as offset_length
  from with_element_issue w
),
times as (
  -- ISO 8601 with an offset (lib/ingest/fields.ts offsetInstant): T between date and time, seconds and fraction optional
  select
    w.*,
    regexp_like(time_text, '^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$') as has_offset,
    -- the parts by position, read only when the pattern above matched
    try_cast(substr(time_text, 1, 10) as date) as time_day,
    try_cast(substr(time_text, 12, 2) as integer) as hh,
    try_cast(substr(time_text, 15, 2) as integer) as mi,
    case when substr(time_text, 17, 1) = ':' then try_cast(substr(time_text, 18, 2) as integer) else 0 end as ss,
    case when substr(time_text, 20, 1) = '.' then try_cast(rpad(substr(time_text, 21, least(3, length(time_text) - 20 - offset_length)), 3, '0') as integer) else 0 end as ms,
    substr(time_text, length(time_text) - offset_length + 1) as offset_text
  from offset_lengths w
),
offsets as (
  select
    t.*,
    case when not has_offset then regexp_like(time_text, '^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$') end as is_local,
    case when upper(offset_text) = 'Z' then 0 else try_cast(substr(offset_text, 2, 2) as integer) end as offset_hours,
    case when upper(offset_text) = 'Z' then 0 else try_cast(substr(replace(offset_text, ':', ''), 4, 2) as integer) end as offset_minutes
  from times t
),
records as (
  select
    o.source_record,
    o.person_text as person_id,
    case when strpos(o.device_id, '\') = 0 then substr(o.device_id, 2, length(o.device_id) - 2) else json_extract_scalar(o.device_id, '$') end as device_id,
    case when strpos(o.measured_at, '\') = 0 then substr(o.measured_at, 2, length(o.measured_at) - 2) else json_extract_scalar(o.measured_at, '$') end as time_raw,
    coalesce(o.components_kind = 'array', false) as has_components,
    case when strpos(o.code, '\') = 0 then substr(o.code, 2, length(o.code) - 2) else json_extract_scalar(o.code, '$') end as code,
    case when o.value_kind = 'number' then cast(o.value as double) end as value,
    case when strpos(o.unit, '\') = 0 then substr(o.unit, 2, length(o.unit) - 2) else json_extract_scalar(o.unit, '$') end as unit,
    o.value is not null as has_value,
    case when o.schema_field is null and o.has_offset and o.time_day is not null
      and (o.hh < 24 or (o.hh = 24 and o.mi = 0 and o.ss = 0 and o.ms = 0)) and o.mi < 60 and o.ss < 60
      and o.offset_hours < 24 and o.offset_minutes < 60 then
      cast(o.time_day as timestamp)
        + interval '1' second * (o.hh * 3600 + o.mi * 60 + o.ss - (case when substr(o.offset_text, 1, 1) = '-' then -1 else 1 end) * (o.offset_hours * 3600 + o.offset_minutes * 60))
        + interval '0.001' second * o.ms
    end as observed_at,
    case
      when o.schema_field is not null then o.schema_field
      when o.person_text = '' then 'person_id'
      when not o.person_known then 'person_id'
      when o.time_text = '' or not o.has_offset or o.time_day is null then 'measured_at'
      when not ((o.hh < 24 or (o.hh = 24 and o.mi = 0 and o.ss = 0 and o.ms = 0)) and o.mi < 60 and o.ss < 60 and o.offset_hours < 24 and o.offset_minutes < 60) then 'measured_at'
    end as early_field,
    case
      when o.schema_field is not null then 'not a device reading: ' || o.schema_reason
      when o.person_text = '' then 'missing value'
      when not o.person_known then 'unknown person'
      when o.time_text = '' then 'missing value'
      when not o.has_offset and o.is_local then 'timestamp without UTC offset'
      when not o.has_offset then 'not a timestamp'
      when o.time_day is null then 'not a calendar date'
      when not ((o.hh < 24 or (o.hh = 24 and o.mi = 0 and o.ss = 0 and o.ms = 0)) and o.mi < 60 and o.ss < 60 and o.offset_hours < 24 and o.offset_minutes < 60) then 'not a timestamp'
    end as early_reason,
    case
      when o.schema_field is not null then o.schema_value
      when o.person_text = '' then null
      when not o.person_known then o.person_text
      when o.time_text = '' then null
      else o.time_text
    end as early_value,
    o.schema_field is not null as early_value_is_json
  from offsets o
),
invalid_json as (
  select
    source_record,
    cast(null as varchar) as person_id, cast(null as varchar) as device_id, cast(null as varchar) as time_raw,
    false as has_components, cast(null as varchar) as code, cast(null as double) as value, cast(null as varchar) as unit,
    false as has_value, cast(null as timestamp) as observed_at,
    '' as early_field, 'not valid JSON' as early_reason,
    case when length(raw_record) > 200 then substr(raw_record, 1, 200) || '…' else raw_record end as early_value,
    false as early_value_is_json
  from lines
  where no_field and try(json_parse(raw_record)) is null
),
all_records as (
  select * from records
  union all
  select * from invalid_json
),
component_values as (
  select
    i.source_record,
    i.element_index as value_index,
    case when strpos(i.code_json, '\') = 0 then substr(i.code_json, 2, length(i.code_json) - 2) else json_extract_scalar(i.code_json, '$') end as loinc_code,
    case when i.value_kind = 'number' then cast(i.value_json as double) end as value,
    case when strpos(i.unit_json, '\') = 0 then substr(i.unit_json, 2, length(i.unit_json) - 2) else json_extract_scalar(i.unit_json, '$') end as unit,
    'components[' || cast(i.element_index as varchar) || '].value' as value_field
  from element_issues i
  where i.issue_field is null
),
single_values as (
  select source_record, 0 as value_index, code as loinc_code, value, unit, 'value' as value_field
  from all_records
  where early_field is null and not has_components and has_value
),
monitored_values as (
  -- the values of records that passed the rules above, when their code is a monitored measure
  select v.*
  from (select * from component_values union all select * from single_values) v
  join all_records r on r.source_record = v.source_record
  where r.early_field is null and v.loinc_code in (select loinc_code from measures)
),
record_values as (
  select
    r.source_record,
    r.early_field,
    r.early_reason,
    r.early_value,
    r.early_value_is_json,
    r.person_id,
    r.observed_at,
    'measured_at' as time_field,
    r.time_raw,
    case when r.early_field is null and not r.has_components and not r.has_value then 'value' end as late_field,
    case when r.early_field is null and not r.has_components and not r.has_value then 'missing value' end as late_reason,
    cast(null as varchar) as late_value,
    case when r.early_field is null and (r.has_components or r.has_value) and not exists (select 1 from monitored_values m where m.source_record = r.source_record) then 'not a monitored measure' end as skip_reason,
    false as skip_before_time,
    r.device_id
  from all_records r
),
well_formed_records as (
  -- a well-formed line's fields: JSON strings without a backslash, their text between the quotes; a panel split at its
  -- quotes (`[{`, `code`, `:`, the code, `,`, `value`, `:135,`, `unit`, `:`, the unit, `},{`, ...)
  select
    source_record,
    person_text,
    cast(substr(measured_at, 2, 10) || ' ' || substr(measured_at, 13, 8) as timestamp)
      - interval '1' minute * (case when substr(measured_at, 21, 1) = '-' then -1 else 1 end)
        * (case when substr(measured_at, 21, 1) = 'Z' then 0 else cast(substr(measured_at, 22, 2) as integer) * 60 + cast(substr(measured_at, 25, 2) as integer) end)
      as observed_at,
    substr(measured_at, 2, length(measured_at) - 2) as time_raw,
    substr(device_id, 2, length(device_id) - 2) as device_id,
    substr(code, 2, length(code) - 2) as code,
    value,
    substr(unit, 2, length(unit) - 2) as unit,
    split(components, '"') as parts
  from routed
  where well_formed
),
well_formed_values as (
  -- their values: one of a single value, two of a panel
  select
    r.source_record, r.person_text, r.observed_at, r.time_raw, r.device_id,
    e.i as value_index,
    case when parts is null then code else element_at(parts, 4 + 10 * e.i) end as loinc_code,
    cast(case when parts is null then value else substr(element_at(parts, 7 + 10 * e.i), 2, length(element_at(parts, 7 + 10 * e.i)) - 2) end as double) as value,
    case when parts is null then unit else element_at(parts, 10 + 10 * e.i) end as unit,
    case when parts is null then 'value' else 'components[' || cast(e.i as varchar) || '].value' end as value_field
  from well_formed_records r
  cross join unnest(sequence(0, 1)) as e (i)
  where e.i = 0 or parts is not null
),
well_formed_rows as (
  select
    source_record,
    cast(null as varchar) as early_field,
    cast(null as varchar) as early_reason,
    cast(null as varchar) as early_value,
    false as early_value_is_json,
    person_text as person_id,
    observed_at,
    'measured_at' as time_field,
    time_raw,
    cast(null as varchar) as late_field,
    cast(null as varchar) as late_reason,
    cast(null as varchar) as late_value,
    cast(null as varchar) as skip_reason,
    false as skip_before_time,
    device_id,
    value_index,
    loinc_code,
    value,
    unit,
    value_field,
    value_field as unit_field,
    cast(null as varchar) as value_reject_reason,
    cast(null as varchar) as value_reject_value
  from well_formed_values
)
select * from well_formed_rows
union all
select
  r.*,
  v.value_index,
  v.loinc_code,
  v.value,
  v.unit,
  v.value_field,
  v.value_field as unit_field,
  cast(null as varchar) as value_reject_reason,
  cast(null as varchar) as value_reject_value
from record_values r
left join monitored_values v on v.source_record = r.source_record
