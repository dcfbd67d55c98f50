-- tuva_medical_claim_diagnoses: the long form of the accepted lines' diagnosis_code_1..25, each position of a claim once.
--
-- grain:   one row per claim and position (as diagnoses of lib/tables)
-- inputs:  checked_records (the rows of queries/ingest/tuva_medical_claim.sql, as the runner kept them)
-- columns: claim_id, person_id, service_date (the claim start date), claim_type, setting, position, icd10_code,
--          source_file, source_record, source_sha256
-- Tuva repeats a claim's header diagnoses on each of its lines, and the lines of one claim need not be adjacent: a
-- position is stored once, from the first accepted line (in file order) that carries it, with that line's setting.
-- A quarantined line stores none of its diagnoses, and does not take a position from a later accepted line.

select
      claim_id
    , min_by(person_id, source_record) as person_id
    , min_by(claim_start_date, source_record) as service_date
    , min_by(claim_type, source_record) as claim_type
    , min_by(setting, source_record) as setting
    , cast(position as integer) as position
    , min_by(icd10_code, source_record) as icd10_code
    , min_by(source_file, source_record) as source_file
    , min(source_record) as source_record
    , min_by(source_sha256, source_record) as source_sha256
from checked_records
cross join unnest(array[
    dx_1, dx_2, dx_3, dx_4, dx_5, dx_6, dx_7, dx_8, dx_9, dx_10, dx_11, dx_12, dx_13,
    dx_14, dx_15, dx_16, dx_17, dx_18, dx_19, dx_20, dx_21, dx_22, dx_23, dx_24, dx_25
]) with ordinality as d (icd10_code, position)
where reject_reason is null
  and icd10_code is not null
group by claim_id, position
