/**
 * Blood-pressure panels, which vendors write as one value `systolic/diastolic` (`132/84`): matched only in a panel's
 * column (wide) or rows (long), then split into a systolic and a diastolic value (values.ts gives each its row).
 */
import { sqlText as q } from '../devices.js';
import { isPanelOf, type VendorQuery } from './query.js';

const PANEL = '^\\s*(\\d+(?:\\.\\d+)?)\\s*/\\s*(\\d+(?:\\.\\d+)?)\\s*$';

export const PANEL_REASON = 'not a blood pressure written systolic/diastolic (e.g. 132/84)';

/** panel_ok_<i>: the slot's value is written as a panel (NULL when the slot holds no panel in this row) */
export function panelMatchColumns(query: VendorQuery): string[] {
  return query.slots.map((s) => {
    const panel = isPanelOf(query, s);
    return panel === 'false' ? `false as panel_ok_${s.i}` : `case when ${panel} then regexp_like(coalesce(r.raw_${s.i}, ''), ${q(PANEL)}) end as panel_ok_${s.i}`;
  });
}

/** systolic_<i>, diastolic_<i>: the two numbers of a matched panel, as text */
export function panelHalfColumns({ slots }: VendorQuery): string[] {
  return slots.flatMap((s) =>
    ([[1, 'systolic'], [2, 'diastolic']] as const).map(
      ([n, name]) => `case when panel_ok_${s.i} then nullif(regexp_extract(r.raw_${s.i}, ${q(PANEL)}, ${n}), '') end as ${name}_${s.i}`,
    ),
  );
}
