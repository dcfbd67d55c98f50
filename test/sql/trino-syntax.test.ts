/**
 * Every model of queries/, the composed features query and the views over the curated tables parse with a real Trino grammar (dt-sql-parser), so the
 * text DuckDB runs in the other tests is also text Athena accepts.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_MODELS } from '../../lib/pipeline/data-quality.js';
import { composeModels, featureParams, featuresQuery, outcomesQuery } from '../../lib/pipeline/features.js';
import { bindParams } from '../../lib/sql/params.js';
import { listQueries, loadQuery } from '../../lib/sql/queries.js';
import { listIngestQueries, loadIngestQuery } from '../../lib/ingest/sql/queries.js';
import { CURATED_TABLES, earlierRowsSql, RECORD_KEYS, latestSql, replacedSql, versionsSql } from '../../lib/tables/index.js';

const trino = new TrinoSQL();

describe('queries/ in the Trino dialect', () => {
  it.each(listQueries())('%s.sql has no Trino syntax error', (name) => {
    expect(trino.validate(loadQuery(name))).toEqual([]);
  });

  it.each(listIngestQueries())('ingest/%s.sql has no Trino syntax error', (name) => {
    expect(trino.validate(loadIngestQuery(name))).toEqual([]);
  });

  it('the composed features, outcomes and data-quality queries have no Trino syntax error', () => {
    expect(trino.validate(featuresQuery())).toEqual([]);
    expect(trino.validate(outcomesQuery())).toEqual([]);
    expect(trino.validate(composeModels(DATA_QUALITY_MODELS))).toEqual([]);
  });

  it.each(CURATED_TABLES.map((t) => [t.name, t] as const))('the views over %s (versions, latest, earlier rows, replaced count) have no Trino syntax error', (_, t) => {
    expect(trino.validate(versionsSql(t))).toEqual([]);
    expect(trino.validate(latestSql(t))).toEqual([]);
    expect(trino.validate(bindParams(earlierRowsSql(t), [{ string: 'b' }, { string: 'b' }, { string: 'a' }]))).toEqual([]);
    if (!RECORD_KEYS[t.name].whole) expect(trino.validate(bindParams(replacedSql(t), [{ string: 'a' }, { string: 'b' }, { string: 'b' }, { string: 'a' }]))).toEqual([]);
  });

  it('the grammar does reject broken SQL (the check is live)', () => {
    expect(trino.validate('select from where').length).toBeGreaterThan(0);
  });

  it('the composed query has exactly two placeholders, the as-of date and the claim amounts', () => {
    expect(bindParams(featuresQuery(), featureParams('2024-06-30'))).toContain("DATE '2024-06-30'");
    expect(bindParams(featuresQuery(), featureParams('2024-06-30', 'header'))).toContain("cast('header' as varchar)");
    expect(() => bindParams(featuresQuery(), [{ date: '2024-06-30' }])).toThrow(/placeholders/);
  });
});
