/** An ObjectStore in memory, so a fuzz case costs the reader's work and not the disk's. */
import { Readable } from 'node:stream';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from '../../lib/store/port.js';

export class MemoryStore implements ObjectStore {
  readonly location = 'memory';
  readonly objects = new Map<string, Buffer>();

  async put(key: string, body: Uint8Array | string | Readable): Promise<void> {
    if (typeof body === 'string') this.objects.set(key, Buffer.from(body));
    else if (body instanceof Uint8Array) this.objects.set(key, Buffer.from(body));
    else {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
      this.objects.set(key, Buffer.concat(chunks));
    }
  }

  async create(key: string, body: Uint8Array | string): Promise<boolean> {
    if (this.objects.has(key)) return false;
    await this.put(key, body);
    return true;
  }

  async get(key: string): Promise<Uint8Array> {
    const b = this.objects.get(key);
    if (b === undefined) throw new ObjectNotFoundError(key);
    return b;
  }

  read(key: string): Readable {
    const b = this.objects.get(key);
    if (b === undefined) throw new ObjectNotFoundError(key);
    return Readable.from([b]);
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .map(([key, b]) => ({ key, size: b.length }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async append(key: string, text: string): Promise<void> {
    this.objects.set(key, Buffer.concat([this.objects.get(key) ?? Buffer.alloc(0), Buffer.from(text)]));
  }
}
