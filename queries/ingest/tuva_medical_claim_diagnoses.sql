-- tuva_medical_claim_diagnoses: the accepted lines' diagnosis_code_1..25 in long form, each position of a claim once.
--
-- grain:   one row per claim and position (the diagnoses table of lib/tables)
-- inputs:  ingest_accepted (the accepted rows of queries/ingest/tuva_medical_claim.sql), ingest_params (source_file)
-- columns: source_record (the line the position was taken from), claim_id, person_id, service_date (the claim's start
--          date), claim_type, setting, position, icd10_code, source_file
-- Tuva repeats a claim's header diagnoses on each of its lines, and the lines of one claim need not be adjacent: a
-- position is stored once, from the first accepted line (in file order) that carries it, with that line's setting.
-- A quarantined line gives no diagnosis, and takes no position from a later accepted line of its claim.
-- The long form is a union of one filtered scan per position: on DuckDB a quarter of the time of UNNEST over an
-- array of the 25 columns (0.5 s against 2.0 s for 300,000 lines), which builds a list for every line. Each scan
-- carries the line's own columns, so the first line's are taken by min_by over its key, record number then line
-- number, in one aggregate (no join back by record number: on Athena `source_record` is null, as a text file has no
-- record numbers, and the line number alone then orders a claim's lines). On DuckDB the aggregate took 2.45 s of CPU
-- for the bench's 2,134,757 diagnoses where a row_number() window over each claim and position took 3.15 s. The
-- file's name is the same on every line: it comes from ingest_params, not from one more min_by (the aggregate's CPU
-- 0.80 → 0.70 s on the bench file's first 1,000,000 lines).

with

positions as (
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 1 as position, dx_1 as icd10_code from ingest_accepted where dx_1 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 2 as position, dx_2 as icd10_code from ingest_accepted where dx_2 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 3 as position, dx_3 as icd10_code from ingest_accepted where dx_3 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 4 as position, dx_4 as icd10_code from ingest_accepted where dx_4 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 5 as position, dx_5 as icd10_code from ingest_accepted where dx_5 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 6 as position, dx_6 as icd10_code from ingest_accepted where dx_6 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 7 as position, dx_7 as icd10_code from ingest_accepted where dx_7 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 8 as position, dx_8 as icd10_code from ingest_accepted where dx_8 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 9 as position, dx_9 as icd10_code from ingest_accepted where dx_9 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 10 as position, dx_10 as icd10_code from ingest_accepted where dx_10 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 11 as position, dx_11 as icd10_code from ingest_accepted where dx_11 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 12 as position, dx_12 as icd10_code from ingest_accepted where dx_12 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 13 as position, dx_13 as icd10_code from ingest_accepted where dx_13 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 14 as position, dx_14 as icd10_code from ingest_accepted where dx_14 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 15 as position, dx_15 as icd10_code from ingest_accepted where dx_15 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 16 as position, dx_16 as icd10_code from ingest_accepted where dx_16 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 17 as position, dx_17 as icd10_code from ingest_accepted where dx_17 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 18 as position, dx_18 as icd10_code from ingest_accepted where dx_18 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 19 as position, dx_19 as icd10_code from ingest_accepted where dx_19 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 20 as position, dx_20 as icd10_code from ingest_accepted where dx_20 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 21 as position, dx_21 as icd10_code from ingest_accepted where dx_21 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 22 as position, dx_22 as icd10_code from ingest_accepted where dx_22 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 23 as position, dx_23 as icd10_code from ingest_accepted where dx_23 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 24 as position, dx_24 as icd10_code from ingest_accepted where dx_24 is not null
        union all
        select source_record, claim_line_number, claim_id, person_id, claim_start_date, claim_type, setting, 25 as position, dx_25 as icd10_code from ingest_accepted where dx_25 is not null
)

/* each claim's position once, from the first line carrying it: the least (record number, line number), as one key */
, keyed as (
    select
          p.*
        , coalesce(p.source_record, 0) * 4294967296 + p.claim_line_number as line_key
    from positions as p
)

, firsts as (
    select
          min_by(source_record, line_key) as source_record
        , claim_id
        , min_by(person_id, line_key) as person_id
        , min_by(claim_start_date, line_key) as service_date
        , min_by(claim_type, line_key) as claim_type
        , min_by(setting, line_key) as setting
        , position
        , min_by(icd10_code, line_key) as icd10_code
    from keyed
    group by claim_id, position
)

select
      f.source_record
    , f.claim_id
    , f.person_id
    , f.service_date
    , f.claim_type
    , f.setting
    , f.position
    , f.icd10_code
    , i.source_file
from firsts as f
cross join ingest_params as i
