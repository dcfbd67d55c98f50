/**
 * `raw_records` over a device NDJSON file, in DuckDB: one row per non-blank line, numbered as the file's lines are
 * (blank lines count, as they did for the TypeScript reader), with the line as quarantine keeps it and each field of
 * a reading as its JSON text, parsed once per line (`from_json`; null when absent, JSON null, or the line is not an
 * object or not JSON: queries/ingest/device_ndjson.sql tells these apart). The lines are read as one-column CSV with
 * a separator and quote that JSON text does not hold unescaped; a byte-order mark is dropped. A file mixing CRLF and
 * LF line ends would be numbered by DuckDB's reader, which takes a lone CR for a line end too.
 */
import { sqlText } from './devices.js';
import type { CsvFile } from './raw-records.js';

const LINES_TABLE = 'ingest_lines';

/** the view of the numbered non-blank lines alone (source_record, raw_record), unparsed */
const RAW_LINES = 'raw_lines';

/** the fields device_ndjson.sql reads, in the schema's order */
export const DEVICE_FIELDS = ['person_id', 'device_id', 'measured_at', 'code', 'value', 'unit', 'components'] as const;

/**
 * the statements that make `raw_records`: the lines into a table first, numbered then by its rowid, which keeps the
 * file's order (row_number() over the reader ran on one thread: raw_records 1.5 s → 0.75 s on the bench's 264,462
 * lines, 10,000 members, load 6); `raw_lines` and `raw_records` are views over it, so that the query parses each
 * line in its one scan (as a table, raw_records took 1.8 s and held the file twice past the 1 GB limit)
 */
export function ndjsonRawRecordsSql(file: CsvFile): string[] {
  const shape = `{${DEVICE_FIELDS.map((f) => `"${f}":"JSON"`).join(',')}}`;
  const read =
    `read_csv(${sqlText(file.path)}, columns = {'line': 'VARCHAR'}, ` +
    `delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, ` +
    `compression = '${file.gzip ? 'gzip' : 'none'}', encoding = '${file.encoding === 'latin1' ? 'latin-1' : 'utf-8'}')`;
  return [
    `CREATE TABLE ${LINES_TABLE} AS SELECT line FROM ${read}`,
    // trim only a line that does not open an object: DuckDB's trim over every line cost more than the JSON parse
    `CREATE VIEW ${RAW_LINES} AS SELECT rowid + 1 AS source_record, line AS raw_record FROM ${LINES_TABLE} ` +
      "WHERE line IS NOT NULL AND (substr(line, 1, 1) = '{' OR trim(line) <> '')",
    [
      'CREATE VIEW raw_records AS select source_record, raw_record,',
      DEVICE_FIELDS.map((f) => `  cast(doc.${f} as varchar) as ${f}`).join(',\n'),
      `from (select source_record, raw_record, try(from_json(raw_record, ${sqlText(shape)})) as doc from ${RAW_LINES})`,
    ].join('\n'),
  ];
}

/**
 * the numbered lines (source_record, raw_record) of the records `records` (a query whose column source_record holds
 * record numbers) gives: the raw text of a few rejected records, fetched by row id (the row id of a record's line is
 * its number less one), without testing each line for blankness as `raw_lines` does. On the bench's 2,622,450 lines
 * with 1,017 records wanted, the update of their raw text took 0.18 s of CPU this way, 1.37 s joined with `raw_lines`.
 */
export function linesOfRecordsSql(records: string): string {
  return `SELECT rowid + 1 AS source_record, line AS raw_record FROM ${LINES_TABLE} WHERE rowid IN (SELECT source_record - 1 FROM (${records}))`;
}
