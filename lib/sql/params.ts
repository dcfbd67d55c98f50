/**
 * Binding `?` placeholders by literal substitution. Athena's execution parameters are substituted as literals too,
 * so both engines see the same text; every value is validated first and quoted, never concatenated raw.
 */
import { z } from 'zod';
import { isCalendarDate } from '../tables/define.js';
import type { SqlParam } from './port.js';

const paramSchema = z.union([
  z.object({ date: z.string().refine(isCalendarDate, 'not a calendar date (YYYY-MM-DD)') }).strict(),
  z.object({ string: z.string().max(1000) }).strict(),
  z.object({ number: z.number().finite() }).strict(),
]);

/** a string literal of `s`, quotes doubled (for text the code builds, such as a path; values go through bindParams) */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function renderLiteral(param: SqlParam): string {
  const parsed = paramSchema.safeParse(param);
  // a sentence naming the parameter, not zod's issue dump
  if (!parsed.success) {
    throw new Error(`SQL parameter ${JSON.stringify(param).slice(0, 60)}: expected a calendar date (YYYY-MM-DD), a string of at most 1000 characters, or a finite number`);
  }
  const p = parsed.data;
  if ('date' in p) return `DATE '${p.date}'`;
  if ('string' in p) return `'${p.string.replaceAll("'", "''")}'`;
  return String(p.number);
}

/** Replace each `?` outside string literals, quoted identifiers and comments with the next parameter's literal. */
export function bindParams(sql: string, params: readonly SqlParam[] = []): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      const p = params[next++];
      if (p === undefined) throw new Error(`query has more ? placeholders than the ${params.length} parameters given`);
      out += renderLiteral(p);
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  if (next !== params.length) throw new Error(`query has ${next} ? placeholders but ${params.length} parameters were given`);
  return out;
}
