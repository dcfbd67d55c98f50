/**
 * How many members two features files disagree on: a member in one file and not the other, or any column that
 * differs. Doubles count as equal within 1e-9 (relative above 1): DuckDB sums doubles across threads in no fixed
 * order, so two runs of the same query differ in their last bits (total_paid_12m by up to 7e-11 at 100,000 members,
 * in a third of the rows), and rounding both sides instead still splits a value that sits on a rounding boundary.
 * For the features bench and the tests that check a setting leaves the features as they were.
 */
import type { QueryEngine } from '../sql/port.js';
import { sqlString } from '../sql/params.js';

export async function featuresDiffering(engine: QueryEngine, pathA: string, pathB: string): Promise<number> {
  const read = (path: string) => `read_parquet(${sqlString(path)}, hive_partitioning = false)`;
  const cols = await engine.query<{ column_name: string; column_type: string }>(`describe select * from ${read(pathA)}`);
  const differs = cols.map(({ column_name: c, column_type: type }) =>
    type === 'DOUBLE'
      ? `not (a.${c} is not distinct from b.${c} or coalesce(abs(a.${c} - b.${c}) <= 1e-9 * greatest(1, abs(a.${c})), false))`
      : `a.${c} is distinct from b.${c}`,
  );
  const sql = `select count(*) as n from ${read(pathA)} as a full outer join ${read(pathB)} as b on a.person_id = b.person_id
    where a.person_id is null or b.person_id is null or ${differs.join(' or ')}`;
  return (await engine.query<{ n: number }>(sql))[0]!.n;
}
