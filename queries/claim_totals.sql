-- claim_totals: each medical claim once, its lines netted: what it cost, whether it was reversed, and whether CMS
-- risk adjustment counts its diagnoses.
--
-- grain:   one row per person and claim_id of medical_claims
-- inputs:  medical_claims (curated), claim_conventions, risk_adjustment_sources (seed)
-- columns:
--   person_id, claim_id   the claim
--   claim_type            'institutional', 'professional' or 'clinical'
--   claim_start_date      its first line's start date
--   paid_amount           net paid, USD: the sum of its lines; for an institutional claim of a file whose amounts
--                         are header amounts repeated on each line (claim_conventions), the header amount once (the
--                         largest non-negative line) plus the reversal's once (the most negative line)
--   fully_reversed        it carries a negative line and nets to zero or less (within half a cent): a reversed
--                         claim contributes neither cost, nor diagnoses, nor utilization
--   ra_set_aside          null when CMS risk adjustment counts the claim's diagnoses; otherwise what it is:
--                         'facility bill type NNx' (an institutional type of bill off CMS's list: 11x, 41x, 12x,
--                         13x, 43x, 71x, 73x, 76x, 77x, 85x), or the description of the seed row that every line
--                         of a professional claim matches (independent laboratory, ambulance, DME supplier)
-- Reversals and adjustments are normal in claims: a negative line reverses or adjusts the claim it sits on; the
-- replacement, if any, comes as its own claim. An institutional claim without a type of bill, and claims that
-- are not claims (FHIR Encounters, claim_type 'clinical'), are counted: nothing says CMS would not. Diagnostic
-- radiology alone, which CMS also sets aside, cannot be told without CPT codes (licensed, not stored).

with

conventions as (
    select source_file, amounts from claim_conventions
)

, seed_sources as (
    select claim_type, field, value, acceptable, description from risk_adjustment_sources
)

/* every claim line, with its file's convention and, for a professional line, the seed row it matches (if any) */
, lines as (
    select
          m.person_id
        , m.claim_id
        , m.claim_type
        , m.claim_start_date
        , m.paid_amount
        , c.amounts
        , substr(m.bill_type_code, 1, 2) as bill_type_prefix
        , (
            select min(s.description)
            from seed_sources as s
            where s.claim_type = 'professional'
              and s.acceptable = 'no'
              and (
                   (s.field = 'place_of_service' and m.place_of_service_code = s.value)
                or (s.field = 'hcpcs_prefix' and starts_with(coalesce(m.hcpcs_code, ''), s.value))
              )
          ) as professional_set_aside
    from medical_claims as m
    inner join conventions as c
        on m.source_file = c.source_file
)

/* the facility types of bill whose claims risk adjustment counts */
, acceptable_bill_types as (
    select value from seed_sources where claim_type = 'institutional' and field = 'bill_type_prefix' and acceptable = 'yes'
)

/* one row per claim: its net paid under its file's convention, and what its lines say about risk adjustment */
, claims as (
    select
          l.person_id
        , l.claim_id
        , min(l.claim_type) as claim_type
        , min(l.claim_start_date) as claim_start_date
        , case
            when min(l.claim_type) = 'institutional' and max(l.amounts) = 'header'
              then coalesce(max(case when l.paid_amount >= 0 then l.paid_amount end), 0e0)
                 + coalesce(min(case when l.paid_amount < 0 then l.paid_amount end), 0e0)
            else coalesce(sum(l.paid_amount), 0e0)
          end as paid_amount
        , count(case when l.paid_amount < 0 then 1 end) > 0 as has_negative_line
        , max(l.bill_type_prefix) as bill_type_prefix
        , count(case when b.value is not null then 1 end) > 0 as acceptable_bill_type
        , count(*) as lines
        , count(l.professional_set_aside) as set_aside_lines
        , min(l.professional_set_aside) as professional_set_aside
    from lines as l
    left join acceptable_bill_types as b
        on l.bill_type_prefix = b.value
    group by l.person_id, l.claim_id
)

select
      person_id
    , claim_id
    , claim_type
    , claim_start_date
    , paid_amount
    , has_negative_line and paid_amount < 0.005e0 as fully_reversed
    , case
        when claim_type = 'institutional' and bill_type_prefix is not null and not acceptable_bill_type
          then 'facility bill type ' || bill_type_prefix || 'x'
        when claim_type = 'professional' and set_aside_lines = lines
          then professional_set_aside
      end as ra_set_aside
from claims
