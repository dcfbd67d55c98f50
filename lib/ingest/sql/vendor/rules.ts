/**
 * A record's first failing rule before its values, in the order the TypeScript reader had them: person id, known
 * person, the measure (long: not in the mapping → skipped) or the filled columns (wide: none → skipped), unit
 * columns, `systolic/diastolic` panels, then the time: missing, its format, the zone, a local time in a
 * daylight-saving gap. The values' own rules (each a number) are values.ts's; the shared device rules follow.
 */
import { sqlText as q } from '../devices.js';
import { PANEL_REASON } from './panels.js';
import { isPanelOf, presentOf, type VendorQuery } from './query.js';

/** a rule: the record fails it when `when`; then the field, reason and value quarantine gives (SQL) */
type Rule = readonly [when: string, field: string, reason: string, value: string];

/** the skip: a record without a value to read (long: its measure not mapped; wide: no measure column filled) */
export function skipOf({ m, slots }: VendorQuery): { when: string; reason: string } {
  if (m.long) return { when: 'loinc_0 is null', reason: q('measure not in the mapping') };
  return { when: slots.map((s) => `not filled_${s.i}`).join(' and '), reason: q('no measure column filled') };
}

/** the rules in order, and how many of them come before the skip */
function earlyRules(query: VendorQuery): { rules: Rule[]; beforeSkip: number } {
  const { m, slots, time } = query;
  const f = time.fields;
  const timeCol = q(m.time.column);
  const skip = skipOf(query).when;
  const rules: Rule[] = [
    [`person_text is null or person_text = ''`, q(m.person), q('missing value'), 'null'],
    ['unknown_person', q(m.person), q('unknown person'), 'person_text'],
  ];
  if (m.long) {
    rules.push([`measure_text is null`, q(m.long.measure), q('missing value'), 'null']);
    if (m.long.unit_column !== undefined) rules.push([`loinc_0 is not null and unit_text_0 is null`, q(m.long.unit_column), q('missing value'), 'null']);
  } else {
    for (const s of slots) if (s.unitColumn !== undefined) rules.push([`not (${skip}) and filled_${s.i} and unit_text_${s.i} is null`, q(s.unitColumn), q('missing value'), 'null']);
  }
  for (const s of slots) {
    const isPanel = isPanelOf(query, s);
    if (isPanel === 'false') continue;
    rules.push([`not (${skip}) and ${presentOf(query, s)} and ${isPanel} and not panel_ok_${s.i}`, q(s.valueColumn), q(PANEL_REASON), `coalesce(raw_${s.i}, '')`]);
  }
  rules.push([`time_text is null`, timeCol, q('missing value'), 'null'], [`not time_ok`, timeCol, q(time.mismatch), 'time_text']);
  if (time.epochScale === undefined) {
    if (f.pm !== undefined) rules.push([`t_hour24 is null`, timeCol, q('not a 12-hour time'), 'time_text']);
    rules.push(
      ['t_date is null', timeCol, q('not a calendar date'), 'time_text'],
      ['t_hour24 > 23 or t_minute > 59 or t_second > 59', timeCol, q('not a time of day'), 'time_text'],
    );
    if (m.time.zone_column !== undefined) rules.push(['not has_offset and zone_text is null', q(m.time.zone_column), q('missing value'), 'null']);
    rules.push(
      ['not has_offset and zone_text is null', timeCol, q('timestamp without UTC offset, and the mapping gives no zone'), 'time_text'],
      ['not has_offset and not fixed_zone and not iana_zone', q(m.time.zone_column ?? 'time.zone'), q('not an IANA time zone or UTC offset'), 'zone_text'],
      ['in_gap', timeCol, `'local time does not exist in ' || zone_text || ' (daylight-saving gap)'`, 'time_text'],
    );
  }
  // a skipped record is decided after the person and (long) the measure, before anything else
  return { rules, beforeSkip: m.long ? 3 : 2 };
}

/**
 * `decided` over `zoned`: early_field, early_reason, early_value of the first failing rule, and skip_reason. The
 * rules are tested once, for the number of the first that fails (`early_rule`); the three columns are picked by that
 * number (testing them in each of the three took 3 × 15 conditions a record)
 */
export function decidedCte(query: VendorQuery): string {
  const { rules, beforeSkip } = earlyRules(query);
  const skip = skipOf(query);
  const ordered = [...rules.slice(0, beforeSkip).map((r) => [...r, false] as const), [skip.when, 'null', 'null', 'null', true] as const, ...rules.slice(beforeSkip).map((r) => [...r, false] as const)];
  const first = `case\n      ${ordered.map((r, i) => `when ${r[0]} then ${i + 1}`).join('\n      ')}\n    end`;
  const pick = (col: 1 | 2 | 3) => `case early_rule\n      ${ordered.flatMap((r, i) => (r[4] ? [] : [`when ${i + 1} then ${r[col]}`])).join('\n      ')}\n    end`;
  return `decided as (
  select
    r.*,
    ${pick(1)} as early_field,
    ${pick(2)} as early_reason,
    ${pick(3)} as early_value,
    case when early_rule = ${beforeSkip + 1} then ${skip.reason} end as skip_reason
  from (
    select z.*, ${first} as early_rule
    from zoned z
  ) r
)`;
}
