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

/** the fields device_ndjson.sql reads, in the schema's order */
export const DEVICE_FIELDS = ['person_id', 'device_id', 'measured_at', 'code', 'value', 'unit', 'components'] as const;

export function ndjsonRawRecordsSql(file: CsvFile): string {
  const shape = `{${DEVICE_FIELDS.map((f) => `"${f}":"JSON"`).join(',')}}`;
  const lines =
    `select row_number() over () as source_record, line from read_csv(${sqlText(file.path)}, columns = {'line': 'VARCHAR'}, ` +
    `delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, ` +
    `compression = '${file.gzip ? 'gzip' : 'none'}', encoding = '${file.encoding === 'latin1' ? 'latin-1' : 'utf-8'}')`;
  return [
    'select source_record, raw_record,',
    DEVICE_FIELDS.map((f) => `  cast(doc.${f} as varchar) as ${f}`).join(',\n'),
    'from (',
    `  select source_record, line as raw_record, try(from_json(line, ${sqlText(shape)})) as doc`,
    `  from (${lines})`,
    "  where line is not null and trim(line) <> ''",
    ')',
  ].join('\n');
}
