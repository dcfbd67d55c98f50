/**
 * Every curated row passes its table's zod schema (derived from lib/tables, built once per table) before it is
 * buffered, so what reaches Parquet always matches the definition, whatever a mapper forgot to check.
 */
import type { z } from 'zod';
import { zodSchema, type TableDef } from '../tables/define.js';
import { reject } from './rejection.js';

const schemas = new Map<TableDef<string, unknown>, z.ZodObject<Record<string, z.ZodType>>>();

export function checkRow(table: TableDef<string, unknown>, row: Record<string, unknown>): void {
  let schema = schemas.get(table);
  if (schema === undefined) {
    // the record number and the delivery are the driver's to set (ingest-file.ts), after the mapper built and checked the row
    const full = zodSchema(table);
    schemas.set(table, (schema = 'source_record' in full.shape ? full.omit({ source_record: true, source_sha256: true }) : full));
  }
  const result = schema.safeParse(row);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? String(issue.path[0]) : '';
  reject(field, issue.message, row[field]);
}
