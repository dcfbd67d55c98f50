-- tuva_medical_claim_conventions: what a medical-claims file says about its amounts and codes, for its report and
-- manifest (`conventions`), with the rule the features apply (queries/claim_conventions.sql, over this file's lines).
--
-- grain:   one row
-- inputs:  ingest_accepted (the accepted rows of queries/ingest/tuva_medical_claim.sql), claim_conventions (the model
--          of queries/claim_conventions.sql over ingest_accepted as medical_claims, amounts detected: the runner
--          composes it, lib/ingest/sql/tuva-medical-claim.ts)
-- columns:
--   amounts, multi_line_claims, identical_amount_claims, negative_lines    as claim_conventions ('line' and 0 for a
--                                                                          file without an accepted line)
--   lines_without_diagnoses          lines with no diagnosis code
--   impossible_bill_types            institutional lines whose type of bill (after a leading 0) is not [1-8][0-9][0-9A-Za-z]
--   impossible_places_of_service     professional lines whose place of service is not 01-99
--   stays_from_claim_dates           inpatient lines whose admission and discharge dates were the claim's dates

with

codes as (
    select
          count(case when coalesce(
            dx_1, dx_2, dx_3, dx_4, dx_5, dx_6, dx_7, dx_8, dx_9, dx_10, dx_11, dx_12, dx_13,
            dx_14, dx_15, dx_16, dx_17, dx_18, dx_19, dx_20, dx_21, dx_22, dx_23, dx_24, dx_25
          ) is null then 1 end) as lines_without_diagnoses
        , count(case when claim_type = 'institutional' and not coalesce(regexp_like(bill_type_code, '\A[1-8][0-9][0-9A-Za-z]\z'), false) then 1 end)
            as impossible_bill_types
        , count(case when claim_type = 'professional' and not coalesce(regexp_like(place_of_service_code, '\A(0[1-9]|[1-9][0-9])\z'), false) then 1 end)
            as impossible_places_of_service
        , count(case when stay_from_claim_dates then 1 end) as stays_from_claim_dates
    from ingest_accepted
)

select
      coalesce(c.detected_amounts, 'line') as amounts
    , coalesce(c.multi_line_claims, 0) as multi_line_claims
    , coalesce(c.identical_amount_claims, 0) as identical_amount_claims
    , coalesce(c.negative_lines, 0) as negative_lines
    , x.lines_without_diagnoses
    , x.impossible_bill_types
    , x.impossible_places_of_service
    , x.stays_from_claim_dates
from codes as x
left join claim_conventions as c
    on true
