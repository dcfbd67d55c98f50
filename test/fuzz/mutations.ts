/**
 * Mutations of a real file, as fast-check arbitraries: what transport, spreadsheets, exports and senders do to files.
 * Each is a function of the bytes; a case applies one to three of them in turn.
 * - bytes: a byte replaced by any other (bit rot, a stray control character, an invalid UTF-8 lead byte);
 * - fields: one CSV field, or one JSON value at any depth, replaced by a hostile value (empty, huge, negative,
 *   non-finite, impossible dates, quotes, separators, formulas, padding, deep nesting);
 * - quotes: a double quote inserted anywhere (an unterminated quote fails a CSV file by design);
 * - lines: a line dropped, doubled, swapped with another, a blank or garbage line inserted, CRLF line ends;
 * - encodings: re-encoded as Latin-1 or UTF-16LE, a byte-order mark added;
 * - truncation: cut at any byte (a transfer that stopped), or gzip-compressed (then possibly cut by a later step).
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';

export interface Mutation {
  readonly kind: string;
  apply(b: Buffer): Buffer;
}

/** a mutation that prints as what it does, in fast-check's counterexamples */
function named(kind: string, what: string, apply: (b: Buffer) => Buffer): Mutation {
  return { kind, apply, [fc.toStringMethod]: () => `${kind}: ${what}` } as Mutation;
}

const HOSTILE_TEXT = [
  '', ' ', '-1', '0', '1e308', '-1e308', '1e309', 'NaN', 'Infinity', '9999-12-31', '0000-01-01', '2030-02-30', '1800-01-01',
  '2999-01-01', '"', '""', '\\', ',', '\n', '\r', 'null', 'true', '{}', '[]', '=HYPERLINK("x")', ' P0001 ', 'é', '\u0000',
  'x'.repeat(5000), '\uFFFD', '🙂', '12:00', '2026-06-01T07:00:00', '2026-06-01T07:00:00+25:00', '02/30/2026 07:00 AM', '-0',
];

const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);
const HOSTILE_JSON: unknown[] = [null, -1, 0, 1e308, -1e308, '', 'x', {}, [], true, '9999-12-31', '0000-01-01', 'Infinity', 'NaN', ' P1 ', 'x'.repeat(5000), deep(500), { resourceType: 'Bundel' }];

const text = (b: Buffer) => b.toString('utf8');

function replaceByte(pos: number, byte: number): Mutation {
  return named('bytes', `byte ${pos} := 0x${byte.toString(16)}`, (b) => (b.length === 0 ? b : Buffer.concat([b.subarray(0, pos % b.length), Buffer.from([byte]), b.subarray((pos % b.length) + 1)])));
}

function insertQuote(pos: number): Mutation {
  return named('quotes', `quote at ${pos}`, (b) => Buffer.concat([b.subarray(0, pos % (b.length + 1)), Buffer.from('"'), b.subarray(pos % (b.length + 1))]));
}

function truncate(pos: number): Mutation {
  return named('truncation', `cut at ${pos}`, (b) => b.subarray(0, pos % (b.length + 1)));
}

const gzip: Mutation = named('truncation', 'gzip', (b) => gzipSync(b));

type LineOp = 'drop' | 'double' | 'swap' | 'blank' | 'garbage' | 'crlf';
function lines(op: LineOp, i: number, j: number, garbage: string): Mutation {
  return named('lines', `${op} ${i} ${j} ${JSON.stringify(garbage)}`, (b) => {
      const ls = text(b).split('\n');
      const a = i % ls.length;
      const c = j % ls.length;
      if (op === 'drop') ls.splice(a, 1);
      else if (op === 'double') ls.splice(a, 0, ls[a]!);
      else if (op === 'swap') [ls[a], ls[c]] = [ls[c]!, ls[a]!];
      else if (op === 'blank') ls.splice(a, 0, '');
      else if (op === 'garbage') ls.splice(a, 0, garbage);
      else return Buffer.from(ls.join('\r\n'));
      return Buffer.from(ls.join('\n'));
  });
}

type Encoding = 'latin1' | 'utf16le' | 'bom';
function reencode(e: Encoding): Mutation {
  return named('encodings', e, (b) => (e === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) : Buffer.from(text(b), e)));
}

/** every path to a value of a JSON value, parents first */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 5000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return root;
}

/** one CSV field (line i, field j) or one JSON value (line i of NDJSON, or the document) replaced */
function field(i: number, j: number, csvValue: string, jsonValue: unknown): Mutation {
  const what = `field ${i} ${j} := ${JSON.stringify(csvValue).slice(0, 40)} / ${(JSON.stringify(jsonValue) ?? 'undefined').slice(0, 40)}`;
  return named('fields', what, (b) => {
      const t = text(b);
      const trimmed = t.trimStart();
      if (trimmed.startsWith('{') && !t.includes('\n{')) {
        // a JSON document
        try {
          const doc = JSON.parse(t);
          const ps = paths(doc);
          return Buffer.from(JSON.stringify(setAt(doc, ps[j % ps.length]!, structuredClone(jsonValue)), null, 1));
        } catch {
          return b;
        }
      }
      const ls = t.split('\n');
      const a = ls.length > 1 ? 1 + (i % (ls.length - 1)) : 0;
      const line = ls[a]!;
      if (line.startsWith('{')) {
        try {
          const json = JSON.parse(line);
          const ps = paths(json);
          ls[a] = JSON.stringify(setAt(json, ps[j % ps.length]!, structuredClone(jsonValue)));
        } catch {
          return b;
        }
      } else {
        const fs = line.split(',');
        fs[j % fs.length] = /[",\n\r]/.test(csvValue) ? `"${csvValue.replaceAll('"', '""')}"` : csvValue;
        ls[a] = fs.join(',');
      }
      return Buffer.from(ls.join('\n'));
  });
}

const position = fc.nat({ max: 1_000_000 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(position, fc.integer({ min: 0, max: 255 })).map(([p, v]) => replaceByte(p, v)),
  fc.tuple(position, position, fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: 'binary' })), fc.oneof(fc.constantFrom(...HOSTILE_JSON), fc.jsonValue())).map(([i, j, t, v]) => field(i, j, t, v)),
  fc.tuple(position, position, fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: 'binary' })), fc.oneof(fc.constantFrom(...HOSTILE_JSON), fc.jsonValue())).map(([i, j, t, v]) => field(i, j, t, v)),
  position.map(insertQuote),
  fc.tuple(fc.constantFrom<LineOp>('drop', 'double', 'swap', 'blank', 'garbage', 'crlf'), position, position, fc.string({ unit: 'binary' })).map(([op, i, j, g]) => lines(op, i, j, g)),
  fc.constantFrom<Encoding>('latin1', 'utf16le', 'bom').map(reencode),
  position.map(truncate),
  fc.constant(gzip),
);

/** one to three mutations, applied in turn */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });
