import { Config } from '@cascade/kernel';
import path from 'node:path';
import { LocalStorage } from './local';
import { S3Storage } from './s3';
import { Storage } from './storage';

export * from './storage';
export { LocalStorage } from './local';
export { S3Storage } from './s3';

/** S3 when S3_BUCKET is set, else local disk under DATA_DIR/media. */
export function createStorage(config: Config): Storage {
  if (config.S3_BUCKET) {
    return new S3Storage({
      bucket: config.S3_BUCKET,
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
  }
  return new LocalStorage(path.resolve(config.DATA_DIR, 'media'));
}
