/**
 * CSV rows in a fixed header order, fields quoted only when they need it (RFC 4180). A layout is made once per
 * header; its `row` takes a partial record by column name and leaves absent columns empty.
 */

import { csvField } from '../csv.js';

/** the column names of a comma-separated header string literal, as a union type */
export type ColumnsOf<S extends string, Acc extends string = never> = S extends `${infer Head},${infer Tail}`
  ? ColumnsOf<Tail, Acc | Head>
  : Acc | S;

export type CsvRecord<C extends string> = Partial<Record<C, string>>;

export interface CsvLayout<C extends string> {
  readonly columns: readonly C[];
  readonly header: string;
  row(record: CsvRecord<C>): string;
}

export function csvLayout<const H extends string>(header: H): CsvLayout<ColumnsOf<H>> {
  type C = ColumnsOf<H>;
  const columns = header.split(',') as C[];
  const position = new Map<string, number>(columns.map((c, i) => [c, i]));
  return {
    columns,
    header,
    row(record) {
      // walk the record's few keys rather than the header's many columns, and join once: concatenating field by
      // field leaves rope strings that cost the GC dearly
      const fields = new Array<string>(columns.length).fill('');
      for (const key in record) {
        const i = position.get(key);
        const v = record[key as C];
        if (i === undefined) throw new Error(`no column ${key} in the layout`);
        if (v !== undefined) fields[i] = csvField(v);
      }
      return fields.join(',');
    },
  };
}
