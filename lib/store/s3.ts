/**
 * ObjectStore on one S3 bucket, optionally under a key prefix. Reads stream the GetObject body; bodies larger than one
 * part, and every stream (its size is not known ahead), go up through @aws-sdk/lib-storage's Upload, which sends a
 * stream that ends within the first part as one PutObject and a longer one as a multipart upload, holding at most
 * `queueSize` parts in memory; listings follow ListObjectsV2 continuation tokens.
 *
 * `append` is read-modify-write, so every call transfers the whole object twice and leaves a noncurrent version in a
 * versioned bucket: it suits small objects only, and is NOT safe for two writers of the same key at once (the later
 * put wins and the other's lines are lost). The pipeline appends only where one writer holds a key:
 * dispatch/ledger/<partner>.ndjson (the one dispatch run of the state machine) and the demo generator's files (local
 * only in practice). Quarantine logs, which can be large, are written once with a streamed put (lib/ingest/quarantine.ts).
 *
 * `create` is a conditional PutObject (`If-None-Match: *`, S3 since August 2024): S3 answers 412 PreconditionFailed
 * when the key exists, and 409 ConditionalRequestConflict to the loser of two such writes racing on one key.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  AbortMultipartUploadCommand,
  UploadPartCopyCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, type Readable } from 'node:stream';
import { errorCode, errorMessage, httpStatus } from '../aws/sdk-errors.js';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './port.js';

export interface S3StoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** prepended to every key, e.g. `tenant-a/`; @default '' (keys are the bucket's keys) */
  readonly prefix?: string;
  /** bodies above this many bytes are sent as a multipart upload of parts this size @default 8 MiB */
  readonly partSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
/** CopyObject copies objects up to 5 GiB; larger ones are copied part by part (UploadPartCopy) */
export const COPY_OBJECT_MAX = 5 * 1024 ** 3;
/** the parts of a multipart copy: 10,000 parts of 512 MiB cover S3's largest object (5 TiB) */
export const COPY_PART_SIZE = 512 * 1024 ** 2;

export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #prefix: string;
  readonly #partSize: number;

  constructor({ client, bucket, prefix = '', partSize = 8 * 1024 * 1024 }: S3StoreOptions) {
    if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`S3 store prefix must end with '/': ${prefix}`);
    if (partSize < MIN_PART_SIZE) throw new Error(`S3 multipart parts must be at least 5 MiB, not ${partSize} bytes`);
    this.#client = client;
    this.bucket = bucket;
    this.#prefix = prefix;
    this.#partSize = partSize;
    this.location = `s3://${bucket}/${prefix}`.replace(/\/$/, '');
  }

  /** `s3://bucket/<prefix><key>`, e.g. for an Athena UNLOAD target */
  urlOf(key: string): string {
    return `s3://${this.bucket}/${this.#prefix}${key}`;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  /** the SDK error as one naming the object; a missing object as ObjectNotFoundError */
  #error(e: unknown, key: string, action: string): Error {
    const code = errorCode(e);
    if (code === 'NoSuchKey' || code === 'NotFound') return new ObjectNotFoundError(this.urlOf(key), { cause: e });
    const hint = code === 'AccessDenied' || httpStatus(e) === 403 ? ' (check the function role grants this action on this prefix, and the bucket key)' : '';
    return new Error(`S3 ${action} ${this.urlOf(key)} failed: ${code}: ${errorMessage(e)}${hint}`, { cause: e });
  }

  async put(key: string, body: Uint8Array | string | Readable): Promise<void> {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const params = { Bucket: this.bucket, Key: this.#key(key), Body: data };
    try {
      if (data instanceof Uint8Array && data.byteLength <= this.#partSize) await this.#client.send(new PutObjectCommand(params));
      else await new Upload({ client: this.#client, params, partSize: this.#partSize, queueSize: 4, leavePartsOnError: false }).done();
    } catch (e) {
      throw this.#error(e, key, 'put');
    }
  }

  async create(key: string, body: Uint8Array | string): Promise<boolean> {
    const Body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    try {
      await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.#key(key), Body, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      const code = errorCode(e);
      if (code === 'PreconditionFailed' || httpStatus(e) === 412 || code === 'ConditionalRequestConflict') return false;
      throw this.#error(e, key, 'create');
    }
  }

  async #body(key: string): Promise<Readable> {
    try {
      const res = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
      if (res.Body === undefined) throw new Error('GetObject returned no body');
      return res.Body as Readable;
    } catch (e) {
      throw this.#error(e, key, 'get');
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.#body(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  read(key: string): Readable {
    const out = new PassThrough();
    this.#body(key).then(
      (body) => {
        // a reader that stops early (or never started) releases the connection
        if (out.destroyed) return void body.destroy();
        out.once('close', () => body.destroy());
        body.on('error', (e) => out.destroy(this.#error(e, key, 'read')));
        body.pipe(out);
      },
      (e: Error) => out.destroy(e),
    );
    return out;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
      return true;
    } catch (e) {
      const err = this.#error(e, key, 'head');
      if (err instanceof ObjectNotFoundError) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.#client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#key(prefix), ...(token ? { ContinuationToken: token } : {}) }),
        );
      } catch (e) {
        throw this.#error(e, prefix, 'list');
      }
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined && !o.Key.endsWith('/')) out.push({ key: o.Key.slice(this.#prefix.length), size: o.Size ?? 0, ...(o.ETag === undefined ? {} : { stamp: etagStamp(o.ETag) }) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
    } catch (e) {
      throw this.#error(e, key, 'delete');
    }
  }

  /**
   * Server-side copy of `key` (of `size` bytes) to `targetKey` of `target`, another bucket or this one: no byte passes
   * through the caller. Up to 5 GiB one CopyObject, above it a multipart upload of UploadPartCopy ranges.
   */
  async copyTo(key: string, size: number, target: S3ObjectStore, targetKey: string): Promise<void> {
    const source = { CopySource: encodeURIComponent(`${this.bucket}/${this.#key(key)}`).replaceAll('%2F', '/') };
    const to = { Bucket: target.bucket, Key: target.#key(targetKey) };
    try {
      if (size <= COPY_OBJECT_MAX) {
        await this.#client.send(new CopyObjectCommand({ ...to, ...source }));
        return;
      }
      const { UploadId } = await target.#client.send(new CreateMultipartUploadCommand(to));
      try {
        const parts = [];
        for (let start = 0, n = 1; start < size; start += COPY_PART_SIZE, n++) {
          const range = `bytes=${start}-${Math.min(size, start + COPY_PART_SIZE) - 1}`;
          const r = await target.#client.send(new UploadPartCopyCommand({ ...to, ...source, UploadId, PartNumber: n, CopySourceRange: range }));
          parts.push({ PartNumber: n, ETag: r.CopyPartResult?.ETag });
        }
        await target.#client.send(new CompleteMultipartUploadCommand({ ...to, UploadId, MultipartUpload: { Parts: parts } }));
      } catch (e) {
        await target.#client.send(new AbortMultipartUploadCommand({ ...to, UploadId })).catch(() => {});
        throw e;
      }
    } catch (e) {
      throw this.#error(e, key, `copy to ${target.urlOf(targetKey)} of`);
    }
  }

  /** read-modify-write; see the header for where this is safe */
  async append(key: string, text: string): Promise<void> {
    let before: Uint8Array;
    try {
      before = await this.get(key);
    } catch (e) {
      if (!(e instanceof ObjectNotFoundError)) throw e;
      before = new Uint8Array(0);
    }
    await this.put(key, Buffer.concat([before, Buffer.from(text, 'utf8')]));
  }
}

/** ObjectInfo.stamp of an S3 object: its ETag, without the quotes a listing puts around it and a notification does not */
export function etagStamp(etag: string): string {
  return `etag:${etag.replaceAll('"', '')}`;
}
