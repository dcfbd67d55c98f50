-- tuva_medical_claim: the Tuva input layer's medical_claim file, validated and normalized, one row per record.
--
-- grain:   one row per record of the file (raw_records: source_record, raw_record, and each column below as VARCHAR)
-- inputs:  raw_records (the file, header bound by the runner), known_persons (person_id: committed members and this
--          run's eligibility; when it is empty no person is checked)
-- params:  ? source file name, ? its sha256, ? the delivery day (DATE 'YYYY-MM-DD'), ? ingest.max_amount_usd as the
--          configuration writes it ('10000000'): the bound and the text of the reason
-- columns:
--   source_record, raw_record                      as raw_records
--   reject_field, reject_reason, reject_value      the first rule the record fails (null when accepted); reject_value
--                                                  is the value as the quarantine line states it (text)
--   reject_amount                                  the amount beyond the ceiling (a number in the quarantine line)
--   claim_id … allowed_amount, source_file, source_sha256    the medical_claims row (medical_claims of lib/tables)
--   dx_1 … dx_25                                   diagnosis_code_1..25 upper case without the dot (null when empty)
--   stay_from_claim_dates                          an inpatient line (bill type 11x) without admission and discharge
--                                                  dates, completed from the claim dates (the file's note counts them)
--
-- Rules, in the order the record is judged (the first that fails is the quarantine line's field and reason):
--   fields are trimmed of white space (JavaScript's trim: ASCII, no-break space, BOM, Unicode spaces) and empty is null;
--   claim_id and the person id are required, the person must be known (when anyone is); claim_type is
--   institutional or professional (any case); claim_start_date and claim_end_date are required calendar dates
--   (YYYY-MM-DD), the end not before the start; admission and discharge dates are calendar dates, the discharge not
--   before the admission; paid_amount is a finite number; claim_line_number a whole number from 0 to 2^31-1;
--   allowed_amount a finite number; a diagnosis_code_type starting icd-9 (any case) refuses the line; each non-empty
--   diagnosis_code_N, in position order, is ICD-10-CM syntax once upper case (a letter, a digit, an alphanumeric, up
--   to four more, a dot allowed after the third character only). Then the plausibility ranges of
--   lib/ingest/plausibility.ts, column by column: dates not before 1900-01-01 nor after the delivery day plus one day,
--   paid and allowed amounts within ± max_amount_usd.
-- Normalized: claim_type lower case; bill type without the leading 0 of a four-character code; the setting from the
-- bill type, revenue code or place of service (lib/ingest/claim-setting.ts states the rule); hcpcs_code kept when it
-- is HCPCS Level II (a letter A-V and four digits; CPT is not stored). Negative amounts are kept: reversals.
-- Numbers must be decimal (`12.5`, `-3`, `1e5`): the same text then reads the same on DuckDB and Trino, whose
-- casts differ on `0x1F`, `1d` and `NaN`. Patterns are anchored with \A and \z, which both engines' regular
-- expressions read as the ends of the text (^ and $ may match at a line break inside a quoted field).

with

params as (
    select
          cast(? as varchar) as source_file
        , cast(? as varchar) as source_sha256
        , cast(? as date) as delivery_day
        , cast(? as varchar) as max_amount_text
)

/* JavaScript's String.prototype.trim set: tab, LF, VT, FF, CR, space, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF */
, blank as (
    select
        chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(160) || chr(5760)
        || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200)
        || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288) || chr(65279) as chars
)

, known as (
    select count(*) > 0 as active from known_persons
)

/* every field trimmed, empty as null */
, fields as (
    select
          r.source_record
        , r.raw_record
        , nullif(trim(both b.chars from r.claim_id), '') as claim_id
        , nullif(trim(both b.chars from r.claim_line_number), '') as claim_line_number
        , nullif(trim(both b.chars from r.claim_type), '') as claim_type
        , nullif(trim(both b.chars from r.person_id), '') as person_id
        , nullif(trim(both b.chars from r.claim_start_date), '') as claim_start_date
        , nullif(trim(both b.chars from r.claim_end_date), '') as claim_end_date
        , nullif(trim(both b.chars from r.admission_date), '') as admission_date
        , nullif(trim(both b.chars from r.discharge_date), '') as discharge_date
        , nullif(trim(both b.chars from r.bill_type_code), '') as bill_type_code
        , nullif(trim(both b.chars from r.place_of_service_code), '') as place_of_service_code
        , nullif(trim(both b.chars from r.revenue_center_code), '') as revenue_center_code
        , nullif(trim(both b.chars from r.hcpcs_code), '') as hcpcs_code
        , nullif(trim(both b.chars from r.drg_code), '') as drg_code
        , nullif(trim(both b.chars from r.discharge_disposition_code), '') as discharge_disposition_code
        , nullif(trim(both b.chars from r.admit_type_code), '') as admit_type_code
        , nullif(trim(both b.chars from r.diagnosis_code_type), '') as diagnosis_code_type
        , nullif(trim(both b.chars from r.paid_amount), '') as paid_amount
        , nullif(trim(both b.chars from r.allowed_amount), '') as allowed_amount
        , nullif(trim(both b.chars from r.diagnosis_code_1), '') as dx_text_1
        , nullif(trim(both b.chars from r.diagnosis_code_2), '') as dx_text_2
        , nullif(trim(both b.chars from r.diagnosis_code_3), '') as dx_text_3
        , nullif(trim(both b.chars from r.diagnosis_code_4), '') as dx_text_4
        , nullif(trim(both b.chars from r.diagnosis_code_5), '') as dx_text_5
        , nullif(trim(both b.chars from r.diagnosis_code_6), '') as dx_text_6
        , nullif(trim(both b.chars from r.diagnosis_code_7), '') as dx_text_7
        , nullif(trim(both b.chars from r.diagnosis_code_8), '') as dx_text_8
        , nullif(trim(both b.chars from r.diagnosis_code_9), '') as dx_text_9
        , nullif(trim(both b.chars from r.diagnosis_code_10), '') as dx_text_10
        , nullif(trim(both b.chars from r.diagnosis_code_11), '') as dx_text_11
        , nullif(trim(both b.chars from r.diagnosis_code_12), '') as dx_text_12
        , nullif(trim(both b.chars from r.diagnosis_code_13), '') as dx_text_13
        , nullif(trim(both b.chars from r.diagnosis_code_14), '') as dx_text_14
        , nullif(trim(both b.chars from r.diagnosis_code_15), '') as dx_text_15
        , nullif(trim(both b.chars from r.diagnosis_code_16), '') as dx_text_16
        , nullif(trim(both b.chars from r.diagnosis_code_17), '') as dx_text_17
        , nullif(trim(both b.chars from r.diagnosis_code_18), '') as dx_text_18
        , nullif(trim(both b.chars from r.diagnosis_code_19), '') as dx_text_19
        , nullif(trim(both b.chars from r.diagnosis_code_20), '') as dx_text_20
        , nullif(trim(both b.chars from r.diagnosis_code_21), '') as dx_text_21
        , nullif(trim(both b.chars from r.diagnosis_code_22), '') as dx_text_22
        , nullif(trim(both b.chars from r.diagnosis_code_23), '') as dx_text_23
        , nullif(trim(both b.chars from r.diagnosis_code_24), '') as dx_text_24
        , nullif(trim(both b.chars from r.diagnosis_code_25), '') as dx_text_25
        , k.active and r.person_id is not null
          and trim(both b.chars from r.person_id) not in (select person_id from known_persons) as unknown_person
    from raw_records as r
    cross join blank as b
    cross join known as k
)

/* typed values (null where the text is not one), codes upper case */
, typed as (
    select
          f.*
        , case when regexp_like(f.claim_start_date, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.claim_start_date as date) end as start_day
        , case when regexp_like(f.claim_end_date, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.claim_end_date as date) end as end_day
        , case when regexp_like(f.admission_date, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.admission_date as date) end as admission_day
        , case when regexp_like(f.discharge_date, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z') then try_cast(f.discharge_date as date) end as discharge_day
        , case when regexp_like(f.paid_amount, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.paid_amount as double) end as paid
        , case when regexp_like(f.allowed_amount, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.allowed_amount as double) end as allowed
        , case when regexp_like(f.claim_line_number, '\A[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?\z') then try_cast(f.claim_line_number as double) end as line_number
        , lower(f.claim_type) as type_lower
        , case when length(f.bill_type_code) = 4 and substr(f.bill_type_code, 1, 1) = '0' then substr(f.bill_type_code, 2) else f.bill_type_code end as bill
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

/* the first rule each record fails, in the order of the reader it replaces; null when it passes them all */
, judged as (
    select
          t.*
        , case
            when t.claim_id is null then 'claim_id missing'
            when t.person_id is null then 'person missing'
            when t.unknown_person then 'person unknown'
            when t.type_lower is null or t.type_lower not in ('institutional', 'professional') then 'claim_type'
            when t.claim_start_date is not null and t.start_day is null then 'claim_start_date not a date'
            when t.claim_start_date is null then 'claim_start_date missing'
            when t.claim_end_date is not null and t.end_day is null then 'claim_end_date not a date'
            when t.claim_end_date is null then 'claim_end_date missing'
            when t.end_day < t.start_day then 'claim_end_date before start'
            when t.admission_date is not null and t.admission_day is null then 'admission_date not a date'
            when t.discharge_date is not null and t.discharge_day is null then 'discharge_date not a date'
            when t.discharge_day < t.admission_day then 'discharge_date before admission'
            when t.paid_amount is not null and not coalesce(abs(t.paid) <= 1.7976931348623157E308, false) then 'paid_amount not a number'
            when t.claim_line_number is not null and not coalesce(abs(t.line_number) <= 1.7976931348623157E308, false) then 'claim_line_number not a number'
            when t.claim_line_number is not null and not (t.line_number = floor(t.line_number) and t.line_number between 0 and 2147483647) then 'claim_line_number not whole'
            when t.claim_line_number is null then 'claim_line_number missing'
            when t.allowed_amount is not null and not coalesce(abs(t.allowed) <= 1.7976931348623157E308, false) then 'allowed_amount not a number'
            when lower(t.diagnosis_code_type) like 'icd-9%' then 'diagnosis_code_type'
            when not regexp_like(t.dx_upper_1, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 1'
            when not regexp_like(t.dx_upper_2, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 2'
            when not regexp_like(t.dx_upper_3, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 3'
            when not regexp_like(t.dx_upper_4, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 4'
            when not regexp_like(t.dx_upper_5, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 5'
            when not regexp_like(t.dx_upper_6, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 6'
            when not regexp_like(t.dx_upper_7, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 7'
            when not regexp_like(t.dx_upper_8, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 8'
            when not regexp_like(t.dx_upper_9, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 9'
            when not regexp_like(t.dx_upper_10, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 10'
            when not regexp_like(t.dx_upper_11, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 11'
            when not regexp_like(t.dx_upper_12, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 12'
            when not regexp_like(t.dx_upper_13, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 13'
            when not regexp_like(t.dx_upper_14, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 14'
            when not regexp_like(t.dx_upper_15, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 15'
            when not regexp_like(t.dx_upper_16, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 16'
            when not regexp_like(t.dx_upper_17, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 17'
            when not regexp_like(t.dx_upper_18, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 18'
            when not regexp_like(t.dx_upper_19, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 19'
            when not regexp_like(t.dx_upper_20, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 20'
            when not regexp_like(t.dx_upper_21, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 21'
            when not regexp_like(t.dx_upper_22, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 22'
            when not regexp_like(t.dx_upper_23, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 23'
            when not regexp_like(t.dx_upper_24, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 24'
            when not regexp_like(t.dx_upper_25, '\A[A-Z][0-9][A-Z0-9]([A-Z0-9]{0,4}|[.][A-Z0-9]{1,4})\z') then 'dx 25'
          end as rule
    from typed as t
)

/* the medical_claims row of each record that passed, its setting and the inpatient-date fill */
, lines as (
    select
          j.*
        , case
            when j.type_lower = 'professional' then case when j.place_of_service_code = '23' then 'ed' else 'professional' end
            when substr(j.bill, 1, 2) = '11' then 'inpatient'
            when substr(j.bill, 1, 2) in ('18', '21') then 'snf'
            when substr(j.bill, 1, 2) in ('32', '33', '34') then 'home_health'
            when substr(j.bill, 1, 2) in ('81', '82') then 'hospice'
            when substr(j.revenue_center_code, 1, 3) = '045' or j.revenue_center_code = '0981' then 'ed'
            else 'outpatient'
          end as setting
    from judged as j
)

, filled as (
    select
          l.*
        , l.setting = 'inpatient' and l.admission_day is null and l.discharge_day is null as stay_from_claim_dates
    from lines as l
)

/* the plausibility ranges, after the reader's rules, column by column */
, ranged as (
    select
          f.*
        , case when f.stay_from_claim_dates then f.start_day else f.admission_day end as admission_filled
        , case when f.stay_from_claim_dates then f.end_day else f.discharge_day end as discharge_filled
        , coalesce(f.rule, case
            when f.start_day < date '1900-01-01' then 'range claim_start_date early'
            when f.start_day > date_add('day', 1, p.delivery_day) then 'range claim_start_date late'
            when f.end_day < date '1900-01-01' then 'range claim_end_date early'
            when f.end_day > date_add('day', 1, p.delivery_day) then 'range claim_end_date late'
            when (case when f.stay_from_claim_dates then f.start_day else f.admission_day end) < date '1900-01-01' then 'range admission_date early'
            when (case when f.stay_from_claim_dates then f.start_day else f.admission_day end) > date_add('day', 1, p.delivery_day) then 'range admission_date late'
            when (case when f.stay_from_claim_dates then f.end_day else f.discharge_day end) < date '1900-01-01' then 'range discharge_date early'
            when (case when f.stay_from_claim_dates then f.end_day else f.discharge_day end) > date_add('day', 1, p.delivery_day) then 'range discharge_date late'
            when abs(f.paid) > cast(p.max_amount_text as double) then 'range paid_amount'
            when abs(f.allowed) > cast(p.max_amount_text as double) then 'range allowed_amount'
          end) as failed
    from filled as f
    cross join params as p
)

select
      r.source_record
    , r.raw_record
    , case
        when r.failed in ('claim_id missing') then 'claim_id'
        when r.failed in ('person missing', 'person unknown') then 'person_id'
        when r.failed like 'dx %' then 'diagnosis_code_' || substr(r.failed, 4)
        when r.failed like 'range %' then split_part(r.failed, ' ', 2)
        else split_part(r.failed, ' ', 1)
      end as reject_field
    , case
        when r.failed like '% missing' then 'missing value'
        when r.failed = 'person unknown' then 'unknown person'
        when r.failed = 'claim_type' then 'not institutional or professional'
        when r.failed like '% not a date' then 'not a calendar date'
        when r.failed = 'claim_end_date before start' then 'claim_end_date before claim_start_date'
        when r.failed = 'discharge_date before admission' then 'discharge_date before admission_date'
        when r.failed like '% not a number' then 'not a number'
        when r.failed = 'claim_line_number not whole' then 'not a whole number'
        when r.failed = 'diagnosis_code_type' then 'ICD-9 diagnoses are not accepted'
        when r.failed like 'dx %' then 'not an ICD-10-CM code'
        when r.failed like 'range % early' then 'before 1900-01-01'
        when r.failed like 'range % late' then 'after the delivery day ' || cast(p.delivery_day as varchar) || ' (+1 day)'
        when r.failed like 'range %' then 'beyond the ceiling of ' || p.max_amount_text || ' (ingest.max_amount_usd)'
      end as reject_reason
    , case r.failed
        when 'person unknown' then r.person_id
        when 'claim_type' then r.claim_type
        when 'claim_start_date not a date' then r.claim_start_date
        when 'claim_end_date not a date' then r.claim_end_date
        when 'claim_end_date before start' then r.claim_end_date
        when 'admission_date not a date' then r.admission_date
        when 'discharge_date not a date' then r.discharge_date
        when 'discharge_date before admission' then r.discharge_date
        when 'paid_amount not a number' then r.paid_amount
        when 'claim_line_number not a number' then r.claim_line_number
        when 'claim_line_number not whole' then r.claim_line_number
        when 'allowed_amount not a number' then r.allowed_amount
        when 'diagnosis_code_type' then r.diagnosis_code_type
        when 'range claim_start_date early' then r.claim_start_date
        when 'range claim_start_date late' then r.claim_start_date
        when 'range claim_end_date early' then r.claim_end_date
        when 'range claim_end_date late' then r.claim_end_date
        when 'range admission_date early' then cast(r.admission_filled as varchar)
        when 'range admission_date late' then cast(r.admission_filled as varchar)
        when 'range discharge_date early' then cast(r.discharge_filled as varchar)
        when 'range discharge_date late' then cast(r.discharge_filled as varchar)
        else case when r.failed like 'dx %' then element_at(array[
            r.dx_text_1, r.dx_text_2, r.dx_text_3, r.dx_text_4, r.dx_text_5, r.dx_text_6, r.dx_text_7, r.dx_text_8, r.dx_text_9,
            r.dx_text_10, r.dx_text_11, r.dx_text_12, r.dx_text_13, r.dx_text_14, r.dx_text_15, r.dx_text_16, r.dx_text_17,
            r.dx_text_18, r.dx_text_19, r.dx_text_20, r.dx_text_21, r.dx_text_22, r.dx_text_23, r.dx_text_24, r.dx_text_25
          ], cast(substr(r.failed, 4) as integer)) end
      end as reject_value
    , case r.failed when 'range paid_amount' then r.paid when 'range allowed_amount' then r.allowed end as reject_amount
    , r.claim_id
    , case when r.failed is null then cast(r.line_number as integer) end as claim_line_number
    , r.person_id
    , r.type_lower as claim_type
    , r.setting
    , r.start_day as claim_start_date
    , r.end_day as claim_end_date
    , r.admission_filled as admission_date
    , r.discharge_filled as discharge_date
    , r.bill as bill_type_code
    , r.place_of_service_code
    , r.revenue_center_code
    , case when regexp_like(upper(r.hcpcs_code), '\A[A-V][0-9]{4}\z') then upper(r.hcpcs_code) end as hcpcs_code
    , r.drg_code
    , r.discharge_disposition_code
    , r.admit_type_code
    , r.paid as paid_amount
    , r.allowed as allowed_amount
    , p.source_file
    , p.source_sha256
    , replace(r.dx_upper_1, '.', '') as dx_1
    , replace(r.dx_upper_2, '.', '') as dx_2
    , replace(r.dx_upper_3, '.', '') as dx_3
    , replace(r.dx_upper_4, '.', '') as dx_4
    , replace(r.dx_upper_5, '.', '') as dx_5
    , replace(r.dx_upper_6, '.', '') as dx_6
    , replace(r.dx_upper_7, '.', '') as dx_7
    , replace(r.dx_upper_8, '.', '') as dx_8
    , replace(r.dx_upper_9, '.', '') as dx_9
    , replace(r.dx_upper_10, '.', '') as dx_10
    , replace(r.dx_upper_11, '.', '') as dx_11
    , replace(r.dx_upper_12, '.', '') as dx_12
    , replace(r.dx_upper_13, '.', '') as dx_13
    , replace(r.dx_upper_14, '.', '') as dx_14
    , replace(r.dx_upper_15, '.', '') as dx_15
    , replace(r.dx_upper_16, '.', '') as dx_16
    , replace(r.dx_upper_17, '.', '') as dx_17
    , replace(r.dx_upper_18, '.', '') as dx_18
    , replace(r.dx_upper_19, '.', '') as dx_19
    , replace(r.dx_upper_20, '.', '') as dx_20
    , replace(r.dx_upper_21, '.', '') as dx_21
    , replace(r.dx_upper_22, '.', '') as dx_22
    , replace(r.dx_upper_23, '.', '') as dx_23
    , replace(r.dx_upper_24, '.', '') as dx_24
    , replace(r.dx_upper_25, '.', '') as dx_25
    , r.stay_from_claim_dates
from ranged as r
cross join params as p
