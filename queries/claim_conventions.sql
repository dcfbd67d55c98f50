-- claim_conventions: how each medical-claims file states its amounts, detected per file.
--
-- grain:   one row per source_file of medical_claims
-- inputs:  medical_claims (curated), as_of_windows (the configured override)
-- columns:
--   source_file                 the landing file
--   claim_lines                 its medical claim lines
--   negative_lines              lines with a negative paid amount (reversals, adjustments)
--   multi_line_claims           institutional claims with 2 or more non-negative lines
--   identical_amount_claims     of those, the claims whose lines all carry the same, non-null paid amount
--   detected_amounts            'header' when at least half of the multi-line institutional claims carry identical
--                               amounts on every line (the extract repeats the header's paid amount on each revenue
--                               line), else 'line' (also when the file has no multi-line institutional claim)
--   amounts                     the convention applied: the configured override ('header' or 'line'), else detected
-- Many payer extracts repeat an institutional claim's paid, allowed and charge amounts on each revenue line; summing
-- the lines then multiplies the claim's cost by its line count (one $9,128 visit of 34 lines became $310,359 on a
-- public Tuva extract). Lines that itemize a claim rarely all carry one amount, so half is a wide margin either
-- way. Reversal lines (negative) are left out of the detection: a reversed header claim repeats its negated amount.
-- lib/ingest/claim-amounts.ts applies the same rule at ingest, for the file's report and manifest.

with

settings as (
    select claim_amounts from as_of_windows
)

/* each institutional claim of each file: its non-negative lines, how many carry a paid amount, the least and most
   (one amount on every line when they are equal: min and max keep no per-claim set of amounts, as a distinct count
   does, which held 300-500 MiB more on a 2 GB claims file at ingest) */
, institutional_claims as (
    select
          source_file
        , person_id
        , claim_id
        , count(*) as lines
        , count(paid_amount) as paid_lines
        , min(paid_amount) as least_paid
        , max(paid_amount) as most_paid
    from medical_claims
    where claim_type = 'institutional'
      and (paid_amount is null or paid_amount >= 0)
    group by source_file, person_id, claim_id
)

/* per file, the claims of 2 or more lines and those whose lines all carry one amount */
, multi_line as (
    select
          source_file
        , count(*) as multi_line_claims
        , count(case when paid_lines = lines and least_paid = most_paid then 1 end) as identical_amount_claims
    from institutional_claims
    where lines >= 2
    group by source_file
)

/* every medical-claims file, with its lines and negative lines */
, files as (
    select
          source_file
        , count(*) as claim_lines
        , count(case when paid_amount < 0 then 1 end) as negative_lines
    from medical_claims
    group by source_file
)

/* each file's convention as the data says */
, detected as (
    select
          f.source_file
        , f.claim_lines
        , f.negative_lines
        , coalesce(m.multi_line_claims, 0) as multi_line_claims
        , coalesce(m.identical_amount_claims, 0) as identical_amount_claims
        , case
            when coalesce(m.multi_line_claims, 0) > 0 and 2 * m.identical_amount_claims >= m.multi_line_claims then 'header'
            else 'line'
          end as detected_amounts
    from files as f
    left join multi_line as m
        on f.source_file = m.source_file
)

select
      d.source_file
    , d.claim_lines
    , d.negative_lines
    , d.multi_line_claims
    , d.identical_amount_claims
    , d.detected_amounts
    , case when s.claim_amounts in ('header', 'line') then s.claim_amounts else d.detected_amounts end as amounts
from detected as d
cross join settings as s
