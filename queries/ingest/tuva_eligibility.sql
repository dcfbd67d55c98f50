-- Tuva `eligibility` → `members`: one row per record, accepted (one enrollment span) or rejected with the first
-- failing rule, in the order of the TypeScript reader it replaces (start, end, end before start, person, birth, death,
-- dual status, flags, then the plausibility ranges in column order, then death before birth).
-- Inputs: raw_records (source_record, raw_record, the file's columns as VARCHAR under their canonical names; a column
-- the file lacks is NULL), ingest_params (delivery_day).
-- Columns: source_record; the members columns (person_id … institutional_flag, source_file); reject_field,
-- reject_reason, reject_value, reject_value_type (NULL when accepted); skip_reason (never set here); raw_record
-- (for rejected records only).
-- Rules: raw_records gives values trimmed, NULL when empty; a date is YYYY-MM-DD and a real calendar day; flags are
-- 1/0/true/false (any case); sex m/male/f/female (any case), else unknown; a dual status code of one or two digits
-- (`2.0`, as spreadsheets write `02`) is padded to two, and must be on the CMS list (00-06, 08, 09, 10, 99, NA).
with fields as (
  select
    source_record,
    raw_record,
    person_id,
    member_id,
    birth_date as birth_text,
    lower(gender) as gender,
    death_date as death_text,
    enrollment_start_date as start_text,
    enrollment_end_date as end_text,
    payer,
    payer_type,
    dual_status_code as dual_text,
    lower(hospice_flag) as hospice_text,
    lower(long_term_institutional_flag) as long_term_text,
    lower(institutional_snp_flag) as snp_text
  from raw_records
),

parsed as (
  select
    f.*,
    case when regexp_like(birth_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') then try_cast(birth_text as date) end as birth_day,
    case when regexp_like(death_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') then try_cast(death_text as date) end as death_day,
    case when regexp_like(start_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') then try_cast(start_text as date) end as start_day,
    case when regexp_like(end_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') then try_cast(end_text as date) end as end_day,
    case
      when regexp_like(dual_text, '^[0-9]{1,2}(\.0+)?$')
        then lpad(cast(cast(regexp_extract(dual_text, '^([0-9]{1,2})', 1) as integer) as varchar), 2, '0')
      else dual_text
    end as dual_code,
    case when hospice_text in ('1', 'true') then true when hospice_text in ('0', 'false') then false end as hospice_flag,
    case when long_term_text in ('1', 'true') then true when long_term_text in ('0', 'false') then false end as long_term_flag,
    case when snp_text in ('1', 'true') then true when snp_text in ('0', 'false') then false end as snp_flag
  from fields as f
),

judged as (
  select
    p.*,
    case
      when p.start_text is null then array['enrollment_start_date', 'missing value', null]
      when p.start_day is null then array['enrollment_start_date', 'not a calendar date', p.start_text]
      when p.end_text is null then array['enrollment_end_date', 'missing value', null]
      when p.end_day is null then array['enrollment_end_date', 'not a calendar date', p.end_text]
      when p.end_day < p.start_day then array['enrollment_end_date', 'enrollment_end_date before enrollment_start_date', p.end_text]
      when p.person_id is null then array['person_id', 'missing value', null]
      when p.birth_text is null then array['birth_date', 'missing value', null]
      when p.birth_day is null then array['birth_date', 'not a calendar date', p.birth_text]
      when p.death_text is not null and p.death_day is null then array['death_date', 'not a calendar date', p.death_text]
      when p.dual_code is not null and upper(p.dual_code) not in ('00', '01', '02', '03', '04', '05', '06', '08', '09', '10', '99', 'NA')
        then array['dual_status_code', 'not a CMS dual status code (00-06, 08, 09, 10, 99, NA)', p.dual_text]
      when p.hospice_text is not null and p.hospice_flag is null then array['hospice_flag', 'not a 0/1 flag', p.hospice_text]
      when p.long_term_text is not null and p.long_term_flag is null
        then array['long_term_institutional_flag', 'not a 0/1 flag', p.long_term_text]
      when p.snp_text is not null and p.snp_flag is null then array['institutional_snp_flag', 'not a 0/1 flag', p.snp_text]
      -- plausibility ranges (lib/ingest/plausibility.ts), in the column order of members
      when p.birth_day < date '1900-01-01' then array['birth_date', 'before 1900-01-01', p.birth_text]
      when p.birth_day > date_add('day', 1, i.delivery_day) then array['birth_date', too_late.reason, p.birth_text]
      when p.death_day < date '1900-01-01' then array['death_date', 'before 1900-01-01', p.death_text]
      when p.death_day > date_add('day', 1, i.delivery_day) then array['death_date', too_late.reason, p.death_text]
      when p.start_day < date '1900-01-01' then array['enrollment_start_date', 'before 1900-01-01', p.start_text]
      when p.start_day > date_add('day', 1, i.delivery_day) then array['enrollment_start_date', too_late.reason, p.start_text]
      when p.end_day < date '1900-01-01' then array['enrollment_end_date', 'before 1900-01-01', p.end_text]
      when p.death_day < p.birth_day then array['death_date', 'death_date before birth_date', p.death_text]
    end as failure
  from parsed as p
  cross join ingest_params as i
  cross join (
    select concat('after the delivery day ', cast(delivery_day as varchar), ' (+1 day)') as reason from ingest_params
  ) as too_late
)

select
  j.source_record,
  j.person_id,
  j.member_id,
  j.birth_day as birth_date,
  case when j.gender in ('male', 'm') then 'male' when j.gender in ('female', 'f') then 'female' else 'unknown' end as sex,
  j.death_day as death_date,
  j.start_day as enrollment_start_date,
  j.end_day as enrollment_end_date,
  j.payer,
  j.payer_type,
  j.dual_code as dual_status_code,
  j.hospice_flag,
  case when j.long_term_flag is null and j.snp_flag is null then null else coalesce(j.long_term_flag, false) or coalesce(j.snp_flag, false) end
    as institutional_flag,
  i.source_file,
  element_at(j.failure, 1) as reject_field,
  element_at(j.failure, 2) as reject_reason,
  element_at(j.failure, 3) as reject_value,
  cast(null as varchar) as reject_value_type,
  cast(null as varchar) as skip_reason,
  case when j.failure is not null then j.raw_record end as raw_record
from judged as j
cross join ingest_params as i
