import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, Storage, StoredObject } from './storage';

const quiet = () => undefined;

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/**
 * An S3-compatible bucket (AWS S3, MinIO). A PutObject with its Content-Length is atomic:
 * a body that fails or ends early leaves no object.
 */
export class S3Storage implements Storage {
  readonly name = 's3';
  readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    if (!!settings.accessKeyId !== !!settings.secretAccessKey) {
      throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
    }
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.accessKeyId ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey! } : undefined,
      // plain signed PUTs of a known length: S3-compatible servers need not understand the
      // SDK's default streaming checksums (aws-chunked trailers)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // failures reach the caller as errors; the SDK's own console warnings are not wanted
      logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(key: string, body: Readable, size: number, contentType: string): Promise<void> {
    checkKey(key);
    // The SDK neither notices a body that fails nor one that ends short of its Content-Length
    // (the request would hang): the body goes through a counter, and either ends the request.
    const abort = new AbortController();
    let seen = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > size ? new Error(`More than the ${size} bytes announced`) : null, chunk);
      },
      flush(done) {
        done(seen === size ? null : new Error(`The body ended after ${seen} of ${size} bytes`));
      },
    });
    pipeline(body, counted).catch((err) => abort.abort(err));
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: counted, ContentLength: size, ContentType: contentType }),
        { abortSignal: abort.signal },
      );
    } catch (err) {
      body.destroy();
      // S3 and MinIO keep nothing of a failed PUT; a simpler S3-compatible server may have
      // stored a part, or still be writing it when the connection drops: remove it, twice
      await this.delete(key).catch(() => undefined);
      setTimeout(() => void this.delete(key).catch(() => undefined), 1000).unref();
      throw abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : err;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return { body: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async presignedGet(key: string, options: { expiresInSeconds: number; contentType: string; disposition: string }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: checkKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.disposition,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  destroy(): void {
    this.client.destroy();
  }
}
