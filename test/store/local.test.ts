import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStore } from '../../lib/store/local.js';
import { ObjectNotFoundError } from '../../lib/store/port.js';

describe('LocalFolderStore', () => {
  let dir: string;
  let store: LocalFolderStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratify-store-'));
    store = new LocalFolderStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts, gets, streams, appends and lists by prefix in key order', async () => {
    await store.put('curated/b/2.parquet', 'two');
    await store.put('curated/b/1.parquet', new Uint8Array([1, 2, 3]));
    await store.put('curated/bb/3.parquet', 'x');
    await store.append('outbox/p.ndjson', 'a\n');
    await store.append('outbox/p.ndjson', 'b\n');
    expect(await text(store.read('outbox/p.ndjson'))).toBe('a\nb\n');
    expect(Array.from(await store.get('curated/b/1.parquet'))).toEqual([1, 2, 3]);
    // each with its modification time as its stamp (ObjectInfo.stamp), in nanoseconds
    const mtime = async (key: string) => `mtime:${(await stat(store.pathOf(key), { bigint: true })).mtimeNs}`;
    expect(await store.list('curated/b/')).toEqual([
      { key: 'curated/b/1.parquet', size: 3, stamp: await mtime('curated/b/1.parquet') },
      { key: 'curated/b/2.parquet', size: 3, stamp: await mtime('curated/b/2.parquet') },
    ]);
    expect((await store.list('curated/b')).map((o) => o.key)).toEqual(['curated/b/1.parquet', 'curated/b/2.parquet', 'curated/bb/3.parquet']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('puts a stream under a temporary name: a reader sees the old object or the whole new one, and a failed stream leaves no trace', async () => {
    const key = 'quarantine/a.ndjson';
    await store.put(key, 'old\n');
    const seenMidway: string[] = [];
    async function* lines() {
      yield 'line 1\n';
      seenMidway.push(await text(store.read(key)));
      yield 'line 2\n';
    }
    await store.put(key, Readable.from(lines()));
    expect(seenMidway).toEqual(['old\n']);
    expect(await text(store.read(key))).toBe('line 1\nline 2\n');

    async function* broken() {
      yield 'partial\n';
      throw new Error('source gone');
    }
    await expect(store.put(key, Readable.from(broken()))).rejects.toThrow('source gone');
    expect(await text(store.read(key))).toBe('line 1\nline 2\n');
    expect(await readdir(join(dir, 'quarantine'))).toEqual(['a.ndjson']);
  });

  it('creates a key only when absent: of two concurrent creates exactly one writes, and no temporary file stays', async () => {
    const key = 'ingesting/0123456789abcdef.json';
    const won = await Promise.all([store.create(key, 'first'), store.create(key, 'second')]);
    expect(won.filter((w) => w)).toEqual([true]);
    expect(await text(store.read(key))).toBe(won[0] ? 'first' : 'second');
    expect(await store.create(key, 'third')).toBe(false);
    expect(await text(store.read(key))).toBe(won[0] ? 'first' : 'second');
    expect(await readdir(join(dir, 'ingesting'))).toEqual(['0123456789abcdef.json']);
    await store.delete(key);
    expect(await store.create(key, new Uint8Array([1, 2]))).toBe(true);
    expect(Array.from(await store.get(key))).toEqual([1, 2]);
  });

  it('removes the temporary files a killed process left mid-write, not those of a live one', async () => {
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    await mkdir(join(dir, 'features', 'as_of=2026-06-30'), { recursive: true });
    await writeFile(join(dir, 'features', 'as_of=2026-06-30', `features.parquet.tmp-${dead}`), 'half a COPY');
    await writeFile(join(dir, 'features', `x.parquet.tmp-${dead}-3`), 'half a put');
    await writeFile(join(dir, 'features', `y.parquet.tmp-${process.pid}-0`), 'a put in progress');
    expect(await store.removeDeadTemporaries()).toBe(2);
    expect(await readdir(join(dir, 'features'), { recursive: true })).toEqual(['as_of=2026-06-30', `y.parquet.tmp-${process.pid}-0`]);
  });

  it('reports a missing key and refuses keys that leave the folder', async () => {
    await expect(store.get('missing.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.exists('missing.json')).toBe(false);
    expect(() => store.pathOf('../outside')).toThrow(/escapes/);
  });
});
