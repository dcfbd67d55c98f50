-- tuva_medical_claim_diagnoses: the accepted lines' diagnosis_code_1..25 in long form, each position of a claim once.
--
-- grain:   one row per claim and position (the diagnoses table of lib/tables)
-- inputs:  ingest_accepted (the accepted rows of queries/ingest/tuva_medical_claim.sql)
-- columns: source_record (the line the position was taken from), claim_id, person_id, service_date (the claim's start
--          date), claim_type, setting, position, icd10_code, source_file
-- Tuva repeats a claim's header diagnoses on each of its lines, and the lines of one claim need not be adjacent: a
-- position is stored once, from the first accepted line (in file order) that carries it, with that line's setting.
-- A quarantined line gives no diagnosis, and takes no position from a later accepted line of its claim.

select
      min(a.source_record) as source_record
    , a.claim_id
    , min_by(a.person_id, a.source_record) as person_id
    , min_by(a.claim_start_date, a.source_record) as service_date
    , min_by(a.claim_type, a.source_record) as claim_type
    , min_by(a.setting, a.source_record) as setting
    , cast(d.position as integer) as position
    , min_by(d.icd10_code, a.source_record) as icd10_code
    , min(a.source_file) as source_file
from ingest_accepted as a
cross join unnest(array[
    a.dx_1, a.dx_2, a.dx_3, a.dx_4, a.dx_5, a.dx_6, a.dx_7, a.dx_8, a.dx_9, a.dx_10, a.dx_11, a.dx_12, a.dx_13,
    a.dx_14, a.dx_15, a.dx_16, a.dx_17, a.dx_18, a.dx_19, a.dx_20, a.dx_21, a.dx_22, a.dx_23, a.dx_24, a.dx_25
]) with ordinality as d (icd10_code, position)
where d.icd10_code is not null
group by a.claim_id, d.position
