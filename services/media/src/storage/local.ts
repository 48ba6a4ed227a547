import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, Storage, StoredObject } from './storage';

/** Partial uploads older than this are left-overs of a crash: removed at start. */
const STALE_MS = 6 * 3600 * 1000;

/**
 * Local disk under one directory (DATA_DIR/media). An upload is written to `.incoming/` and
 * renamed into place only when complete, so a key never names a half-written file.
 */
export class LocalStorage implements Storage {
  readonly name = 'local';
  private readonly incoming: string;

  constructor(readonly root: string) {
    this.root = path.resolve(root);
    this.incoming = path.join(this.root, '.incoming');
  }

  private file(key: string): string {
    const full = path.join(this.root, ...checkKey(key).split('/'));
    if (!full.startsWith(this.root + path.sep)) throw new Error('Refused storage key');
    return full;
  }

  async init(): Promise<void> {
    await mkdir(this.incoming, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.incoming)) {
      const full = path.join(this.incoming, name);
      const info = await stat(full).catch(() => null);
      if (info && now - info.mtimeMs > STALE_MS) await rm(full, { force: true });
    }
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    const target = this.file(key);
    await mkdir(this.incoming, { recursive: true });
    const part = path.join(this.incoming, `${randomBytes(16).toString('hex')}.part`);
    try {
      await pipeline(body, createWriteStream(part, { flags: 'wx' }));
      const written = (await stat(part)).size;
      if (written !== size) throw new Error(`Stored ${written} bytes, expected ${size}`);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(part, target);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.file(key);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    return { body: createReadStream(file), size: info.size };
  }

  async delete(key: string): Promise<void> {
    await unlink(this.file(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, rel: string) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (rel === '' && entry.name === '.incoming') continue;
        const key = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(this.root, '');
    return keys.sort();
  }

  /** Files in `.incoming/` (partial uploads in progress or left behind). */
  async partials(): Promise<string[]> {
    return (await readdir(this.incoming).catch(() => [])).sort();
  }
}
