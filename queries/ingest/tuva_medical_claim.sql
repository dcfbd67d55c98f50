-- tuva_medical_claim: the Tuva input layer's medical_claim file, validated and normalized, one row per record.
--
-- grain:   one row per record of the file
-- inputs:  raw_records (source_record, raw_record, and each column read as VARCHAR under its canonical name,
--          trimmed, NULL when empty or when the file lacks it), ingest_params (source_file, delivery_day, max_amount_usd and its text),
--          members (person_id: the persons known; when it is empty no person is checked)
-- columns:
--   source_record                                        as raw_records
--   claim_id … allowed_amount, source_file               the medical_claims row (lib/tables), for an accepted record
--   reject_field, reject_reason, reject_value,           the first rule the record fails, as its quarantine line
--   reject_value_type                                    states it ('number' when the value is one); NULL when accepted
--   skip_reason                                          never set: every medical claim line is read
--   raw_record                                           as raw_records, for a rejected record only
--   dx_1 … dx_25                                         diagnosis_code_1..25 upper case without the dot (NULL when
--                                                        empty): tuva_medical_claim_diagnoses.sql makes the long form
--   stay_from_claim_dates                                an inpatient line (bill type 11x) with neither admission nor
--                                                        discharge date, given the claim's start and end dates
--
-- Rules, in the order a record is judged (the first that fails is its quarantine line's field and reason):
--   every field arrives trimmed of white space as JavaScript's trim() does (ASCII, no-break space, BOM, Unicode
--   spaces: raw_records trims every format's fields so, lib/ingest/sql/raw-records.ts), and empty is absent;
--   claim_id and the person id are required, and the person must be known (when anyone is); claim_type is
--   institutional or professional (any case); claim_start_date and claim_end_date are required calendar dates
--   (YYYY-MM-DD), the end not before the start; admission and discharge dates are calendar dates, the discharge not
--   before the admission; paid_amount is a finite number; claim_line_number a whole number from 0 to 2147483647
--   (`3.0` counts); allowed_amount a finite number; a diagnosis_code_type starting `icd-9` (any case) refuses the
--   line (ICD-9 V and E codes can look like ICD-10; the label is not otherwise trusted: the Tuva seeds call their
--   ICD-10-CM codes icd-10-pcs); each diagnosis_code_N, in position order, is ICD-10-CM syntax once upper case (a
--   letter, a digit, an alphanumeric, up to four more; a dot only after the third character). Then the plausibility
--   ranges of lib/ingest/plausibility.ts in the column order of medical_claims: dates not before 1900-01-01 nor after
--   the delivery day plus one day, paid and allowed amounts within plus or minus max_amount_usd.
-- Normalized: claim_type lower case; a four-character bill type loses its leading 0 (`0111` is `111`); the setting
-- from the type of bill, else the revenue code, or for a professional line the place of service (the rule is
-- lib/ingest/claim-setting.ts's, which the FHIR reader uses: test/ingest/rules.test.ts runs both on the same cases);
-- hcpcs_code is kept when it is HCPCS Level II (a letter A-V and four digits: CPT is licensed, not stored).
-- Negative amounts are kept: reversals and adjustments, netted per claim by queries/claim_totals.sql.
-- A number is decimal text (`12.5`, `-3`, `1e5`), so that it reads the same on DuckDB and Trino, whose casts differ
-- on `0x1F`, `1d` and `NaN`. Patterns are anchored with \A and \z, the ends of the text on both engines (^ and $
-- may also match at a line break inside a quoted field).

with

fields as (
    select
          r.source_record
        , r.raw_record
        , r.claim_id
        , r.claim_line_number as line_text
        , r.claim_type
        , r.person_id
        , r.claim_start_date as start_text
        , r.claim_end_date as end_text
        , r.admission_date as admission_text
        , r.discharge_date as discharge_text
        , r.bill_type_code
        , r.place_of_service_code
        , r.revenue_center_code
        , r.hcpcs_code as hcpcs_text
        , r.drg_code
        , r.discharge_disposition_code
        , r.admit_type_code
        , r.diagnosis_code_type
        , r.paid_amount as paid_text
        , r.allowed_amount as allowed_text
        , r.diagnosis_code_1 as dx_text_1
        , r.diagnosis_code_2 as dx_text_2
        , r.diagnosis_code_3 as dx_text_3
        , r.diagnosis_code_4 as dx_text_4
        , r.diagnosis_code_5 as dx_text_5
        , r.diagnosis_code_6 as dx_text_6
        , r.diagnosis_code_7 as dx_text_7
        , r.diagnosis_code_8 as dx_text_8
        , r.diagnosis_code_9 as dx_text_9
        , r.diagnosis_code_10 as dx_text_10
        , r.diagnosis_code_11 as dx_text_11
        , r.diagnosis_code_12 as dx_text_12
        , r.diagnosis_code_13 as dx_text_13
        , r.diagnosis_code_14 as dx_text_14
        , r.diagnosis_code_15 as dx_text_15
        , r.diagnosis_code_16 as dx_text_16
        , r.diagnosis_code_17 as dx_text_17
        , r.diagnosis_code_18 as dx_text_18
        , r.diagnosis_code_19 as dx_text_19
        , r.diagnosis_code_20 as dx_text_20
        , r.diagnosis_code_21 as dx_text_21
        , r.diagnosis_code_22 as dx_text_22
        , r.diagnosis_code_23 as dx_text_23
        , r.diagnosis_code_24 as dx_text_24
        , r.diagnosis_code_25 as dx_text_25
    from raw_records as r
)

/* typed values (NULL where the text is none), the setting and the stay's dates */
, typed as (
    select
          f.*
        , case when regexp_like(f.start_text, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.start_text as date) end as start_day
        , case when regexp_like(f.end_text, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.end_text as date) end as end_day
        , case when regexp_like(f.admission_text, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.admission_text as date) end as admission_day
        , case when regexp_like(f.discharge_text, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.discharge_text as date) end as discharge_day
        , case when regexp_like(f.paid_text, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.paid_text as double) end as paid
        , case when regexp_like(f.allowed_text, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.allowed_text as double) end as allowed
        , case when regexp_like(f.line_text, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.line_text as double) end as line_number
        , lower(f.claim_type) as type_lower
        , case when length(f.bill_type_code) = 4 and substr(f.bill_type_code, 1, 1) = '0' then substr(f.bill_type_code, 2) else f.bill_type_code end as bill
        , upper(f.hcpcs_text) as hcpcs_upper
        , upper(f.dx_text_1) as dx_upper_1
        , upper(f.dx_text_2) as dx_upper_2
        , upper(f.dx_text_3) as dx_upper_3
        , upper(f.dx_text_4) as dx_upper_4
        , upper(f.dx_text_5) as dx_upper_5
        , upper(f.dx_text_6) as dx_upper_6
        , upper(f.dx_text_7) as dx_upper_7
        , upper(f.dx_text_8) as dx_upper_8
        , upper(f.dx_text_9) as dx_upper_9
        , upper(f.dx_text_10) as dx_upper_10
        , upper(f.dx_text_11) as dx_upper_11
        , upper(f.dx_text_12) as dx_upper_12
        , upper(f.dx_text_13) as dx_upper_13
        , upper(f.dx_text_14) as dx_upper_14
        , upper(f.dx_text_15) as dx_upper_15
        , upper(f.dx_text_16) as dx_upper_16
        , upper(f.dx_text_17) as dx_upper_17
        , upper(f.dx_text_18) as dx_upper_18
        , upper(f.dx_text_19) as dx_upper_19
        , upper(f.dx_text_20) as dx_upper_20
        , upper(f.dx_text_21) as dx_upper_21
        , upper(f.dx_text_22) as dx_upper_22
        , upper(f.dx_text_23) as dx_upper_23
        , upper(f.dx_text_24) as dx_upper_24
        , upper(f.dx_text_25) as dx_upper_25
    from fields as f
)

, settled as (
    select
          t.*
        , case
            when t.type_lower = 'professional' then case when t.place_of_service_code = '23' then 'ed' else 'professional' end
            when substr(t.bill, 1, 2) = '11' then 'inpatient'
            when substr(t.bill, 1, 2) in ('18', '21') then 'snf'
            when substr(t.bill, 1, 2) in ('32', '33', '34') then 'home_health'
            when substr(t.bill, 1, 2) in ('81', '82') then 'hospice'
            when substr(t.revenue_center_code, 1, 3) = '045' or t.revenue_center_code = '0981' then 'ed'
            else 'outpatient'
          end as setting
    from typed as t
)

, stays as (
    select
          s.*
        , s.setting = 'inpatient' and s.admission_day is null and s.discharge_day is null as stay_from_claim_dates
    from settled as s
)

, dated as (
    select
          s.*
        , case when s.stay_from_claim_dates then s.start_day else s.admission_day end as admission_filled
        , case when s.stay_from_claim_dates then s.end_day else s.discharge_day end as discharge_filled
    from stays as s
)

/* the first rule each record fails: [field, reason, value, value type], NULL when it passes them all */
, judged as (
    select
          t.*
        , case
            when t.claim_id is null then array['claim_id', 'missing value', null, null]
            when t.person_id is null then array['person_id', 'missing value', null, null]
            when exists (select 1 from members) and t.person_id not in (select person_id from members)
                then array['person_id', 'unknown person', t.person_id, null]
            when t.type_lower is null or t.type_lower not in ('institutional', 'professional')
                then array['claim_type', 'not institutional or professional', t.claim_type, null]
            when t.start_text is not null and t.start_day is null then array['claim_start_date', 'not a calendar date', t.start_text, null]
            when t.start_text is null then array['claim_start_date', 'missing value', null, null]
            when t.end_text is not null and t.end_day is null then array['claim_end_date', 'not a calendar date', t.end_text, null]
            when t.end_text is null then array['claim_end_date', 'missing value', null, null]
            when t.end_day < t.start_day then array['claim_end_date', 'claim_end_date before claim_start_date', t.end_text, null]
            when t.admission_text is not null and t.admission_day is null then array['admission_date', 'not a calendar date', t.admission_text, null]
            when t.discharge_text is not null and t.discharge_day is null then array['discharge_date', 'not a calendar date', t.discharge_text, null]
            when t.discharge_day < t.admission_day then array['discharge_date', 'discharge_date before admission_date', t.discharge_text, null]
            when t.paid_text is not null and not coalesce(abs(t.paid) <= 1.7976931348623157E308, false)
                then array['paid_amount', 'not a number', t.paid_text, null]
            when t.line_text is not null and not coalesce(abs(t.line_number) <= 1.7976931348623157E308, false)
                then array['claim_line_number', 'not a number', t.line_text, null]
            when t.line_number <> floor(t.line_number) or t.line_number < 0 or t.line_number > 2147483647
                then array['claim_line_number', 'not a whole number', t.line_text, null]
            when t.line_text is null then array['claim_line_number', 'missing value', null, null]
            when t.allowed_text is not null and not coalesce(abs(t.allowed) <= 1.7976931348623157E308, false)
                then array['allowed_amount', 'not a number', t.allowed_text, null]
            when lower(t.diagnosis_code_type) like 'icd-9%' then array['diagnosis_code_type', 'ICD-9 diagnoses are not accepted', t.diagnosis_code_type, null]
            when not regexp_like(t.dx_upper_1, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_1', 'not an ICD-10-CM code', t.dx_text_1, null]
            when not regexp_like(t.dx_upper_2, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_2', 'not an ICD-10-CM code', t.dx_text_2, null]
            when not regexp_like(t.dx_upper_3, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_3', 'not an ICD-10-CM code', t.dx_text_3, null]
            when not regexp_like(t.dx_upper_4, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_4', 'not an ICD-10-CM code', t.dx_text_4, null]
            when not regexp_like(t.dx_upper_5, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_5', 'not an ICD-10-CM code', t.dx_text_5, null]
            when not regexp_like(t.dx_upper_6, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_6', 'not an ICD-10-CM code', t.dx_text_6, null]
            when not regexp_like(t.dx_upper_7, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_7', 'not an ICD-10-CM code', t.dx_text_7, null]
            when not regexp_like(t.dx_upper_8, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_8', 'not an ICD-10-CM code', t.dx_text_8, null]
            when not regexp_like(t.dx_upper_9, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_9', 'not an ICD-10-CM code', t.dx_text_9, null]
            when not regexp_like(t.dx_upper_10, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_10', 'not an ICD-10-CM code', t.dx_text_10, null]
            when not regexp_like(t.dx_upper_11, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_11', 'not an ICD-10-CM code', t.dx_text_11, null]
            when not regexp_like(t.dx_upper_12, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_12', 'not an ICD-10-CM code', t.dx_text_12, null]
            when not regexp_like(t.dx_upper_13, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_13', 'not an ICD-10-CM code', t.dx_text_13, null]
            when not regexp_like(t.dx_upper_14, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_14', 'not an ICD-10-CM code', t.dx_text_14, null]
            when not regexp_like(t.dx_upper_15, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_15', 'not an ICD-10-CM code', t.dx_text_15, null]
            when not regexp_like(t.dx_upper_16, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_16', 'not an ICD-10-CM code', t.dx_text_16, null]
            when not regexp_like(t.dx_upper_17, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_17', 'not an ICD-10-CM code', t.dx_text_17, null]
            when not regexp_like(t.dx_upper_18, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_18', 'not an ICD-10-CM code', t.dx_text_18, null]
            when not regexp_like(t.dx_upper_19, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_19', 'not an ICD-10-CM code', t.dx_text_19, null]
            when not regexp_like(t.dx_upper_20, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_20', 'not an ICD-10-CM code', t.dx_text_20, null]
            when not regexp_like(t.dx_upper_21, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_21', 'not an ICD-10-CM code', t.dx_text_21, null]
            when not regexp_like(t.dx_upper_22, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_22', 'not an ICD-10-CM code', t.dx_text_22, null]
            when not regexp_like(t.dx_upper_23, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_23', 'not an ICD-10-CM code', t.dx_text_23, null]
            when not regexp_like(t.dx_upper_24, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_24', 'not an ICD-10-CM code', t.dx_text_24, null]
            when not regexp_like(t.dx_upper_25, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then array['diagnosis_code_25', 'not an ICD-10-CM code', t.dx_text_25, null]
            -- plausibility ranges (lib/ingest/plausibility.ts), in the column order of medical_claims
            when t.start_day < date '1900-01-01' then array['claim_start_date', 'before 1900-01-01', t.start_text, null]
            when t.start_day > date_add('day', 1, p.delivery_day) then array['claim_start_date', p.too_late, t.start_text, null]
            when t.end_day < date '1900-01-01' then array['claim_end_date', 'before 1900-01-01', t.end_text, null]
            when t.end_day > date_add('day', 1, p.delivery_day) then array['claim_end_date', p.too_late, t.end_text, null]
            when t.admission_filled < date '1900-01-01' then array['admission_date', 'before 1900-01-01', cast(t.admission_filled as varchar), null]
            when t.admission_filled > date_add('day', 1, p.delivery_day) then array['admission_date', p.too_late, cast(t.admission_filled as varchar), null]
            when t.discharge_filled < date '1900-01-01' then array['discharge_date', 'before 1900-01-01', cast(t.discharge_filled as varchar), null]
            when t.discharge_filled > date_add('day', 1, p.delivery_day) then array['discharge_date', p.too_late, cast(t.discharge_filled as varchar), null]
            when abs(t.paid) > p.max_amount_usd then array['paid_amount', p.too_much, t.paid_text, 'number']
            when abs(t.allowed) > p.max_amount_usd then array['allowed_amount', p.too_much, t.allowed_text, 'number']
          end as failure
    from dated as t
    cross join (
        select
              delivery_day
            , max_amount_usd
            , 'after the delivery day ' || cast(delivery_day as varchar) || ' (+1 day)' as too_late
            , 'beyond the ceiling of ' || max_amount_usd_text || ' (ingest.max_amount_usd)' as too_much
        from ingest_params
    ) as p
)

select
      j.source_record
    , j.claim_id
    -- cast only when accepted: a line number out of the integer range is a rejection, not an error of the query
    , case when j.failure is null then cast(j.line_number as integer) end as claim_line_number
    , j.person_id
    , j.type_lower as claim_type
    , j.setting
    , j.start_day as claim_start_date
    , j.end_day as claim_end_date
    , j.admission_filled as admission_date
    , j.discharge_filled as discharge_date
    , j.bill as bill_type_code
    , j.place_of_service_code
    , j.revenue_center_code
    , case when regexp_like(j.hcpcs_upper, '\A[A-V][0-9]{4}\z') then j.hcpcs_upper end as hcpcs_code
    , j.drg_code
    , j.discharge_disposition_code
    , j.admit_type_code
    , j.paid as paid_amount
    , j.allowed as allowed_amount
    , i.source_file
    , element_at(j.failure, 1) as reject_field
    , element_at(j.failure, 2) as reject_reason
    , element_at(j.failure, 3) as reject_value
    , element_at(j.failure, 4) as reject_value_type
    , cast(null as varchar) as skip_reason
    , case when j.failure is not null then j.raw_record end as raw_record
    , replace(j.dx_upper_1, '.', '') as dx_1
    , replace(j.dx_upper_2, '.', '') as dx_2
    , replace(j.dx_upper_3, '.', '') as dx_3
    , replace(j.dx_upper_4, '.', '') as dx_4
    , replace(j.dx_upper_5, '.', '') as dx_5
    , replace(j.dx_upper_6, '.', '') as dx_6
    , replace(j.dx_upper_7, '.', '') as dx_7
    , replace(j.dx_upper_8, '.', '') as dx_8
    , replace(j.dx_upper_9, '.', '') as dx_9
    , replace(j.dx_upper_10, '.', '') as dx_10
    , replace(j.dx_upper_11, '.', '') as dx_11
    , replace(j.dx_upper_12, '.', '') as dx_12
    , replace(j.dx_upper_13, '.', '') as dx_13
    , replace(j.dx_upper_14, '.', '') as dx_14
    , replace(j.dx_upper_15, '.', '') as dx_15
    , replace(j.dx_upper_16, '.', '') as dx_16
    , replace(j.dx_upper_17, '.', '') as dx_17
    , replace(j.dx_upper_18, '.', '') as dx_18
    , replace(j.dx_upper_19, '.', '') as dx_19
    , replace(j.dx_upper_20, '.', '') as dx_20
    , replace(j.dx_upper_21, '.', '') as dx_21
    , replace(j.dx_upper_22, '.', '') as dx_22
    , replace(j.dx_upper_23, '.', '') as dx_23
    , replace(j.dx_upper_24, '.', '') as dx_24
    , replace(j.dx_upper_25, '.', '') as dx_25
    , j.stay_from_claim_dates
from judged as j
cross join ingest_params as i
