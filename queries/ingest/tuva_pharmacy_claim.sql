-- Tuva `pharmacy_claim` → `pharmacy_claims`: one row per record, accepted (one claim line, NDC normalised to 11
-- digits) or rejected with the first failing rule, in the order of the TypeScript reader it replaces (person, known
-- person, claim, line, dispensing date, NDC, quantity, days of supply, paid, then the plausibility ranges in column
-- order).
-- Inputs: raw_records (source_record, raw_record, the file's columns as VARCHAR under their canonical names; a column
-- the file lacks is NULL), ingest_params (delivery_day, max_amount_usd, max_quantity and their text), members
-- (person_id: the persons known; when it is empty no person is checked).
-- Columns: source_record; the pharmacy_claims columns (claim_id … paid_amount, source_file); reject_field,
-- reject_reason, reject_value, reject_value_type ('number' when the value is a number) (NULL when accepted);
-- skip_reason (never set here); raw_record (for rejected records only).
-- Rules: raw_records gives values trimmed, NULL when empty; a number is a finite decimal (`12`, `-3.5`, `1e3`); a whole
-- number is one from 0 to 2147483647 (`3.0` counts); amounts and quantities may not be negative; an NDC is 11 digits
-- or one of the three hyphenated 10-digit layouts (4-4-2, 5-3-2, 5-4-1), padded to 5-4-2, or 5-4-2 itself.
with fields as (
  select
    source_record,
    raw_record,
    person_id,
    claim_id,
    claim_line_number as line_text,
    dispensing_date as dispensed_text,
    ndc_code as ndc_text,
    quantity as quantity_text,
    days_supply as days_text,
    paid_amount as paid_text
  from raw_records
),

numbers as (
  select
    f.*,
    case when regexp_like(line_text, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') then try_cast(line_text as double) end as line_number,
    case when regexp_like(dispensed_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') then try_cast(dispensed_text as date) end as dispensed_day,
    regexp_like(ndc_text, '^[0-9]{11}$') as ndc_digits,
    case when regexp_like(quantity_text, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') then try_cast(quantity_text as double) end
      as quantity,
    case when regexp_like(days_text, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') then try_cast(days_text as double) end as days,
    case when regexp_like(paid_text, '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') then try_cast(paid_text as double) end as paid
  from fields as f
),

-- the hyphenated layouts' parts, for an NDC that is not 11 digits alone (most are: no pattern runs for them)
ndc_parts as (
  select
    n.*,
    case when not ndc_digits then regexp_extract(ndc_text, '^([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})$', 1) end as ndc_labeler,
    case when not ndc_digits then regexp_extract(ndc_text, '^([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})$', 2) end as ndc_product,
    case when not ndc_digits then regexp_extract(ndc_text, '^([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})$', 3) end as ndc_package
  from numbers as n
),

parsed as (
  select
    n.*,
    case
      when ndc_digits then ndc_text
      when length(ndc_labeler) + length(ndc_product) + length(ndc_package) = 10
        then concat(lpad(ndc_labeler, 5, '0'), lpad(ndc_product, 4, '0'), lpad(ndc_package, 2, '0'))
      when length(ndc_labeler) = 5 and length(ndc_product) = 4 and length(ndc_package) = 2 then concat(ndc_labeler, ndc_product, ndc_package)
    end as ndc_code,
    -- a number that is not finite (1e400) is not a number
    line_number between -1.7976931348623157E308 and 1.7976931348623157E308 as line_finite,
    quantity between -1.7976931348623157E308 and 1.7976931348623157E308 as quantity_finite,
    days between -1.7976931348623157E308 and 1.7976931348623157E308 as days_finite,
    paid between -1.7976931348623157E308 and 1.7976931348623157E308 as paid_finite
  from ndc_parts as n
),

known as (
  select distinct person_id from members
),

judged as (
  select
    p.*,
    case
      when p.person_id is null then array['person_id', 'missing value', null, null]
      when k.person_id is null and exists (select 1 from members) then array['person_id', 'unknown person', p.person_id, null]
      when p.claim_id is null then array['claim_id', 'missing value', null, null]
      when p.line_text is null then array['claim_line_number', 'missing value', null, null]
      when not coalesce(p.line_finite, false) then array['claim_line_number', 'not a number', p.line_text, null]
      when p.line_number <> floor(p.line_number) or p.line_number < 0 or p.line_number > 2147483647
        then array['claim_line_number', 'not a whole number', p.line_text, null]
      when p.dispensed_text is null then array['dispensing_date', 'missing value', null, null]
      when p.dispensed_day is null then array['dispensing_date', 'not a calendar date', p.dispensed_text, null]
      when p.ndc_text is null then array['ndc_code', 'missing value', null, null]
      when p.ndc_code is null then array['ndc_code', 'not an NDC', p.ndc_text, null]
      when p.quantity_text is not null and not coalesce(p.quantity_finite, false) then array['quantity', 'not a number', p.quantity_text, null]
      when p.quantity < 0 then array['quantity', 'negative amount', p.quantity_text, 'number']
      when p.days_text is not null and not coalesce(p.days_finite, false) then array['days_supply', 'not a number', p.days_text, null]
      when p.days <> floor(p.days) or p.days < 0 or p.days > 2147483647 then array['days_supply', 'not a whole number', p.days_text, null]
      when p.paid_text is not null and not coalesce(p.paid_finite, false) then array['paid_amount', 'not a number', p.paid_text, null]
      when p.paid < 0 then array['paid_amount', 'negative amount', p.paid_text, 'number']
      -- plausibility ranges (lib/ingest/plausibility.ts), in the column order of pharmacy_claims
      when p.dispensed_day < date '1900-01-01' then array['dispensing_date', 'before 1900-01-01', p.dispensed_text, null]
      when p.dispensed_day > date_add('day', 1, i.delivery_day)
        then array['dispensing_date', concat('after the delivery day ', cast(i.delivery_day as varchar), ' (+1 day)'), p.dispensed_text, null]
      when abs(p.quantity) > i.max_quantity
        then array['quantity', concat('beyond the ceiling of ', i.max_quantity_text, ' (ingest.max_quantity)'), p.quantity_text, 'number']
      when abs(p.paid) > i.max_amount_usd
        then array['paid_amount', concat('beyond the ceiling of ', i.max_amount_usd_text, ' (ingest.max_amount_usd)'), p.paid_text, 'number']
    end as failure
  from parsed as p
  cross join ingest_params as i
  left join known as k on p.person_id = k.person_id
)

select
  j.source_record,
  j.claim_id,
  -- cast only when accepted: a line number out of the integer range is a rejection, not an error of the query
  case when j.failure is null then cast(j.line_number as integer) end as claim_line_number,
  j.person_id,
  j.dispensed_day as dispensing_date,
  j.ndc_code,
  j.quantity,
  case when j.failure is null then cast(j.days as integer) end as days_supply,
  j.paid as paid_amount,
  i.source_file,
  element_at(j.failure, 1) as reject_field,
  element_at(j.failure, 2) as reject_reason,
  element_at(j.failure, 3) as reject_value,
  element_at(j.failure, 4) as reject_value_type,
  cast(null as varchar) as skip_reason,
  case when j.failure is not null then j.raw_record end as raw_record
from judged as j
cross join ingest_params as i
