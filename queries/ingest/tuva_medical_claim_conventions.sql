-- tuva_medical_claim_conventions: what a medical-claims file says about its amounts and codes, for its report and
-- manifest (`conventions`): the rule queries/claim_conventions.sql applies when the features count the amounts.
--
-- grain:   one row
-- inputs:  ingest_accepted (the accepted rows of queries/ingest/tuva_medical_claim.sql)
-- columns:
--   amounts                          'header' when at least half of the multi-line institutional claims carry one
--                                    non-null paid amount on every non-negative line, else 'line'
--   multi_line_claims                institutional claims with 2 or more non-negative lines
--   identical_amount_claims          of those, the claims whose lines all carry the same, non-null paid amount
--   negative_lines                   lines with a negative paid amount (reversals, adjustments)
--   lines_without_diagnoses          lines with no diagnosis code
--   impossible_bill_types            institutional lines whose type of bill (after a leading 0) is not [1-8][0-9][0-9A-Za-z]
--   impossible_places_of_service     professional lines whose place of service is not 01-99
--   stays_from_claim_dates           inpatient lines whose admission and discharge dates were the claim's dates

with

institutional_claims as (
    select
          claim_id
        , count(*) as lines
        , count(paid_amount) as paid_lines
        , count(distinct paid_amount) as distinct_paid
    from ingest_accepted
    where claim_type = 'institutional'
      and (paid_amount is null or paid_amount >= 0)
    group by claim_id
)

, multi_line as (
    select
          count(*) as multi_line_claims
        , count(case when paid_lines = lines and distinct_paid = 1 then 1 end) as identical_amount_claims
    from institutional_claims
    where lines >= 2
)

, codes as (
    select
          count(case when paid_amount < 0 then 1 end) as negative_lines
        , count(case when coalesce(
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
      case when m.multi_line_claims > 0 and 2 * m.identical_amount_claims >= m.multi_line_claims then 'header' else 'line' end as amounts
    , m.multi_line_claims
    , m.identical_amount_claims
    , c.negative_lines
    , c.lines_without_diagnoses
    , c.impossible_bill_types
    , c.impossible_places_of_service
    , c.stays_from_claim_dates
from multi_line as m
cross join codes as c
